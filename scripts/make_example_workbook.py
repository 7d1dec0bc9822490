"""Write reports/huaihua-2023/决算报表.xlsx, the workbook the example report reads
its amounts from, laid out as the final-accounts reporting system (部门决算报表)
exports its tables: one sheet a table, a title, the table's number and the
unit line above the header (部门, 金额单位：元), 项目 / 行次 / amount columns (an
income and an expenditure side across for the two 总表), amounts in 元 with two
decimals, a note below. The nine public tables (公开01–公开09) have the rows
reports/huaihua-2023/part2-tables.rpti prints; three more sheets hold the
money figures of the attachments (附件1 部门整体支出绩效自评, 附件2 项目支出绩效自评):
the spending by economic class that 附件1 itemises, the form 附件1-1, and the
budget lines of the self-evaluation tables 附件1-2 and 附件2-1 to 2-4.

The figures are the report's, written here in 万元 as the report states them and
saved in 元 (× 10000, exactly). The published report gave no figure for some
cells of the public tables (the report prints 未列 there): those cells are left
blank, and each such sheet says so in its note.

    .venv/bin/python scripts/make_example_workbook.py

The workbook is committed. It is written byte for byte the same each time: the
document's dates and the zip entries' times are fixed, so a rebuilt workbook
shows in git only when a figure or the layout changed.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

TARGET = Path(__file__).resolve().parent.parent / "reports" / "huaihua-2023" / "决算报表.xlsx"
DEPARTMENT = "怀化市劳动监察支队"
# the report's date: the workbook's created and modified times, and its zip entries'
SAVED = datetime.datetime(2024, 6, 25, 9, 0, 0)
LEFT, UP = "<", "^"  # in a header: this cell joins the one on its left, or above
NOT_GIVEN = "空白单元格为原报告未给出的数字（报告中印作“未列”）。"

Value = str | int | float | None


def yuan(wan: str) -> float:
    """An amount the report states in 万元, in 元: `216.53` → 2165300.00."""
    amount = Decimal(wan) * 10000
    assert amount == amount.quantize(Decimal("0.01")), f"{wan} 万元 is not whole 分"
    return float(amount)


@dataclass
class Count:
    """A count (人), not an amount: saved without decimals."""

    value: int


@dataclass
class Rate:
    """A rate, saved as a fraction and shown as a percent."""

    value: float


Cell = Value | Count | Rate


@dataclass
class Heading:
    """A header row among the body rows: a form with a second table below the first."""

    cells: list[Cell]


@dataclass
class Form:
    """One sheet: its name, the table's title and number, the header rows (with
    `<` and `^` for joined cells), the body rows and the notes below."""

    sheet: str
    title: str
    code: str
    headers: list[list[Cell]]
    rows: list[list[Cell] | Heading]
    widths: list[int]
    notes: list[str] = field(default_factory=list)
    unit_line: str = "金额单位：元"
    who: str = "部门"  # how the line above the table names the department


# ---------------------------------------------------------------- the public tables
PUBLIC_01 = Form(
    "公开01 收入支出决算总表",
    "收入支出决算总表",
    "公开01表",
    [
        ["收入", LEFT, LEFT, "支出", LEFT, LEFT],
        ["项目", "行次", "决算数", "项目", "行次", "决算数"],
        ["栏次", None, 1, "栏次", None, 2],
    ],
    [
        ["一、一般公共预算财政拨款收入", 1, yuan("216.53"), "一、一般公共服务支出", 13, None],
        ["二、政府性基金预算财政拨款收入", 2, yuan("0"), "二、社会保障和就业支出", 14, None],
        ["三、国有资本经营预算财政拨款收入", 3, yuan("0"), "三、卫生健康支出", 15, None],
        ["四、上级补助收入", 4, yuan("1.38"), None, None, None],
        ["五、事业收入", 5, yuan("0"), None, None, None],
        ["六、经营收入", 6, yuan("0"), None, None, None],
        ["七、附属单位上缴收入", 7, yuan("0"), None, None, None],
        ["八、其他收入", 8, yuan("0"), None, None, None],
        ["本年收入合计", 9, yuan("217.91"), "本年支出合计", 16, yuan("217.91")],
        ["使用非财政拨款结余", 10, yuan("0"), "结余分配", 17, yuan("0")],
        ["年初结转和结余", 11, yuan("0"), "年末结转和结余", 18, yuan("0")],
        ["总计", 12, yuan("217.91"), "总计", 19, yuan("217.91")],
    ],
    [34, 6, 16, 28, 6, 16],
    [f"注：支出按功能分类（全部资金）原报告未列，{NOT_GIVEN}"],
)

PUBLIC_02 = Form(
    "公开02 收入决算表",
    "收入决算表",
    "公开02表",
    [
        [
            "项目",
            "本年收入合计",
            "财政拨款收入",
            "上级补助收入",
            "事业收入",
            "经营收入",
            "附属单位上缴收入",
            "其他收入",
        ],
        ["栏次", 1, 2, 3, 4, 5, 6, 7],
    ],
    [
        ["合计", *map(yuan, ["217.91", "216.53", "1.38", "0", "0", "0", "0"])],
        ["一般公共服务支出", None, yuan("171.38"), None, *map(yuan, ["0", "0", "0", "0"])],
        ["社会保障和就业支出", None, yuan("38.81"), None, *map(yuan, ["0", "0", "0", "0"])],
        ["卫生健康支出", None, yuan("6.34"), None, *map(yuan, ["0", "0", "0", "0"])],
    ],
    [22, 14, 14, 14, 12, 12, 16, 12],
    [f"注：本年收入合计和上级补助收入按支出功能分类的数字原报告未列，{NOT_GIVEN}"],
)

PUBLIC_03 = Form(
    "公开03 支出决算表",
    "支出决算表",
    "公开03表",
    [
        [
            "项目",
            "本年支出合计",
            "基本支出",
            "项目支出",
            "上缴上级支出",
            "经营支出",
            "对附属单位补助支出",
        ],
        ["栏次", 1, 2, 3, 4, 5, 6],
    ],
    [
        ["合计", *map(yuan, ["217.91", "175.24", "42.67", "0", "0", "0"])],
        ["一般公共服务支出", None, None, None, *map(yuan, ["0", "0", "0"])],
        ["社会保障和就业支出", None, None, None, *map(yuan, ["0", "0", "0"])],
        ["卫生健康支出", None, None, None, *map(yuan, ["0", "0", "0"])],
    ],
    [22, 14, 14, 14, 14, 12, 18],
    [f"注：基本支出和项目支出按支出功能分类的数字原报告未列，{NOT_GIVEN}"],
)

PUBLIC_04 = Form(
    "公开04 财政拨款收入支出决算总表",
    "财政拨款收入支出决算总表",
    "公开04表",
    [
        ["收入", LEFT, LEFT, "支出", LEFT, LEFT],
        ["项目", "行次", "决算数", "项目", "行次", "决算数"],
        ["栏次", None, 1, "栏次", None, 2],
    ],
    [
        ["一、一般公共预算财政拨款", 1, yuan("216.53"), "一、一般公共服务支出", 7, yuan("171.38")],
        ["二、政府性基金预算财政拨款", 2, yuan("0"), "二、社会保障和就业支出", 8, yuan("38.81")],
        ["三、国有资本经营预算财政拨款", 3, yuan("0"), "三、卫生健康支出", 9, yuan("6.34")],
        ["本年收入合计", 4, yuan("216.53"), "本年支出合计", 10, yuan("216.53")],
        ["年初财政拨款结转和结余", 5, yuan("0"), "年末财政拨款结转和结余", 11, yuan("0")],
        ["总计", 6, yuan("216.53"), "总计", 12, yuan("216.53")],
    ],
    [30, 6, 16, 28, 6, 16],
)

PUBLIC_05 = Form(
    "公开05 一般公共预算财政拨款支出决算表",
    "一般公共预算财政拨款支出决算表",
    "公开05表",
    [
        ["项目", "本年支出", LEFT, LEFT],
        [UP, "合计", "基本支出", "项目支出"],
        ["栏次", 1, 2, 3],
    ],
    [
        ["合计", *map(yuan, ["216.53", "173.86", "42.67"])],
        ["一般公共服务支出", yuan("171.38"), None, None],
        ["　行政运行", yuan("171.38"), None, None],
        ["社会保障和就业支出", yuan("38.81"), None, None],
        ["　人力资源和社会保障管理事务", yuan("15.54"), None, None],
        ["　行政事业单位养老支出", yuan("18.34"), None, None],
        ["　其他社会保障和就业支出", yuan("4.93"), None, None],
        ["卫生健康支出", yuan("6.34"), None, None],
        ["　行政事业单位医疗", yuan("6.34"), None, None],
    ],
    [32, 16, 16, 16],
    [f"注：基本支出和项目支出按科目的数字原报告未列，{NOT_GIVEN}"],
)

PUBLIC_06 = Form(
    "公开06 一般公共预算财政拨款基本支出决算表",
    "一般公共预算财政拨款基本支出决算表",
    "公开06表",
    [["项目", "行次", "决算数"]],
    [
        ["人员经费", 1, yuan("142.02")],
        ["公用经费", 2, yuan("31.84")],
        ["合计", 3, yuan("173.86")],
    ],
    [24, 6, 16],
    ["注：原报告未按经济分类列示财政拨款的人员经费和公用经费，本表仅列合计。"],
)

PUBLIC_07 = Form(
    "公开07 一般公共预算财政拨款“三公”经费支出决算表",
    "一般公共预算财政拨款“三公”经费支出决算表",
    "公开07表",
    [["项目", "行次", "预算数", "决算数"]],
    [
        ["合计", 1, yuan("0"), yuan("0.48")],
        ["1. 因公出国（境）费", 2, yuan("0"), yuan("0")],
        ["2. 公务用车购置及运行维护费", 3, yuan("0"), yuan("0")],
        ["　其中：公务用车购置费", 4, yuan("0"), yuan("0")],
        ["　　　　公务用车运行维护费", 5, yuan("0"), yuan("0")],
        ["3. 公务接待费", 6, yuan("0"), yuan("0.48")],
    ],
    [32, 6, 16, 16],
)

PUBLIC_08 = Form(
    "公开08 政府性基金预算财政拨款收入支出决算表",
    "政府性基金预算财政拨款收入支出决算表",
    "公开08表",
    [["项目", "年初结转和结余", "本年收入", "本年支出", "年末结转和结余"]],
    [["合计", *map(yuan, ["0", "0", "0", "0"])]],
    [16, 16, 16, 16, 16],
    ["注：本单位2023年度无政府性基金预算财政拨款收入支出，本表为空表。"],
)

PUBLIC_09 = Form(
    "公开09 国有资本经营预算财政拨款支出决算表",
    "国有资本经营预算财政拨款支出决算表",
    "公开09表",
    [["项目", "本年支出合计", "基本支出", "项目支出"]],
    [["合计", *map(yuan, ["0", "0", "0"])]],
    [16, 16, 16, 16],
    ["注：本单位2023年度无国有资本经营预算财政拨款支出，本表为空表。"],
)

# ---------------------------------------------------------------- the attachments' figures
# 附件1 itemises the spending of all funds by economic class (the 基本支出 line by
# line, the 项目支出 by class only). Its items add up to 33.04万元, not the
# 33.02万元 of 商品和服务支出: the report keeps both and checks the gap.
BY_ECONOMIC_CLASS = Form(
    "附件1 支出经济分类明细表",
    "基本支出和项目支出决算明细表（按经济分类）",
    "附件1用表",
    [["科目编码", "项目", "行次", "基本支出", "项目支出"]],
    [
        [None, "合计", 1, yuan("175.24"), yuan("42.67")],
        ["301", "一、工资福利支出", 2, yuan("140.52"), yuan("12.05")],
        ["30101", "　基本工资", 3, yuan("50.74"), None],
        ["30102", "　津贴补贴", 4, yuan("35.16"), None],
        ["30103", "　奖金", 5, yuan("29.67"), None],
        ["30108", "　机关事业单位基本养老保险缴费", 6, yuan("16.79"), None],
        ["30110", "　职工基本医疗保险缴费", 7, yuan("6.34"), None],
        ["30111", "　公务员医疗补助缴费", 8, yuan("0.79"), None],
        ["30112", "　其他社会保障缴费", 9, yuan("1.03"), None],
        ["302", "二、商品和服务支出", 10, yuan("33.02"), yuan("30.49")],
        ["30201", "　办公费", 11, yuan("3.19"), None],
        ["30202", "　印刷费", 12, yuan("3.92"), None],
        ["30207", "　邮电费", 13, yuan("0.19"), None],
        ["30209", "　物业管理费", 14, yuan("0.9"), None],
        ["30211", "　差旅费", 15, yuan("1.36"), None],
        ["30213", "　维修（护）费", 16, yuan("0.13"), None],
        ["30215", "　会议费", 17, yuan("0.15"), None],
        ["30217", "　公务接待费", 18, yuan("0.25"), None],
        ["30226", "　劳务费", 19, yuan("1.5"), None],
        ["30228", "　工会经费", 20, yuan("4.45"), None],
        ["30229", "　福利费", 21, yuan("2.19"), None],
        ["30239", "　其他交通费用", 22, yuan("8.15"), None],
        ["30299", "　其他商品和服务支出", 23, yuan("6.66"), None],
        ["303", "三、对个人和家庭的补助", 24, yuan("1.7"), yuan("0.13")],
        ["30305", "　生活补助", 25, yuan("1.7"), None],
    ],
    [10, 32, 6, 16, 16],
    [
        "注：全部资金口径。项目支出按款的明细原报告未列，单元格空白。",
        "商品和服务支出各款之和为330400.00元，比该类合计330200.00元多200.00元，"
        "原报告未说明是哪一款多列，待按账核实。",
    ],
    unit_line="单位：元",
)

BASIC_DATA = Form(
    "附件1-1 部门整体支出绩效评价基础数据表",
    "部门整体支出绩效评价基础数据表",
    "附件1-1",
    [["项目", "编制数", "2023年实际在职人数", "控制率"]],
    [
        ["财政供养人员情况", Count(14), Count(12), Rate(12 / 14)],
        Heading(["经费控制情况", "2022年决算数", "2023年预算数", "2023年决算数"]),
        ["“三公”经费", yuan("3.16"), yuan("0"), yuan("0.48")],
        ["1. 公务用车购置和维护经费", yuan("0"), yuan("0"), yuan("0")],
        ["其中：公车购置", None, None, None],
        ["公车运行维护", None, None, None],
        ["2. 出国经费", yuan("0"), yuan("0"), yuan("0")],
        ["3. 公务接待", yuan("3.16"), yuan("0"), yuan("0.48")],
        ["项目支出", yuan("43.77"), yuan("42.67"), yuan("42.67")],
        ["1. 业务工作经费", None, None, None],
        ["2. 运行维护经费", None, None, None],
        ["3. 专项资金（一个专项一行）", yuan("43.77"), yuan("42.67"), yuan("42.67")],
        ["农民工工资维权", yuan("12"), yuan("17.5"), yuan("17.5")],
        ["劳动保障监察", yuan("12"), yuan("10"), yuan("10")],
        ["农民工工资领导小组工作经费", yuan("19.77"), yuan("10"), yuan("10")],
        ["绩效奖金", None, yuan("5.17"), yuan("5.17")],
        ["公用经费", yuan("20.8"), yuan("24"), yuan("33.02")],
        ["其中：办公费", yuan("4.5"), None, yuan("3.19")],
        ["水费、电费、差旅费", yuan("9.18"), None, yuan("1.36")],
        ["会议费、培训费", yuan("4.25"), None, yuan("0.15")],
        ["政府采购金额", "——", None, yuan("0")],
        ["部门基本支出预算调整", "——", None, None],
    ],
    [30, 16, 20, 16],
    [
        "注：人数为人，金额为元。“项目支出”填报基本支出以外的所有项目支出，"
        "“公用经费”填报基本支出中的一般商品和服务支出。",
    ],
    who="填报单位",
)

ANNUAL_FUNDS = Form(
    "绩效自评 年度资金情况",
    "绩效自评表年度资金情况",
    "附件1-2、附件2-1至2-4",
    [["自评表", "项目", "年初预算数", "全年预算数", "全年执行数"]],
    [
        ["附件1-2", "部门整体支出", yuan("237.06"), yuan("217.91"), yuan("217.91")],
        ["附件2-1", "农民工工资维权经费", yuan("17.5"), yuan("17.5"), yuan("17.5")],
        ["附件2-2", "劳动保障监察经费", yuan("10"), yuan("10"), yuan("10")],
        ["附件2-3", "农民工工资领导小组工作经费", yuan("10"), yuan("10"), yuan("10")],
        ["附件2-4", "绩效奖金", yuan("5.17"), yuan("5.17"), yuan("5.17")],
    ],
    [10, 30, 16, 16, 16],
    [
        "注：各自评表“年度资金总额”一行。项目资金均为当年财政拨款，无上年结转资金和其他资金。",
    ],
)

FORMS = [
    PUBLIC_01,
    PUBLIC_02,
    PUBLIC_03,
    PUBLIC_04,
    PUBLIC_05,
    PUBLIC_06,
    PUBLIC_07,
    PUBLIC_08,
    PUBLIC_09,
    BY_ECONOMIC_CLASS,
    BASIC_DATA,
    ANNUAL_FUNDS,
]

# ---------------------------------------------------------------- writing
FONT = "宋体"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
AMOUNT_FORMAT = "#,##0.00"


def _write(sheet: Worksheet, form: Form) -> None:
    columns = len(form.widths)
    last = get_column_letter(columns)
    for index, width in enumerate(form.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet["A1"] = form.title
    sheet["A1"].font = Font(name=FONT, size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A1:{last}1")
    sheet[f"{last}2"] = form.code
    sheet[f"{last}2"].alignment = Alignment(horizontal="right")
    sheet["A3"] = f"{form.who}：{DEPARTMENT}"
    sheet[f"{last}3"] = form.unit_line
    sheet[f"{last}3"].alignment = Alignment(horizontal="right")
    for address in ("A3", f"{last}2", f"{last}3"):
        sheet[address].font = Font(name=FONT, size=10)
    top = 4
    for offset, header in enumerate(form.headers):
        _header_row(sheet, top + offset, header)
    top += len(form.headers)
    for offset, row in enumerate(form.rows):
        if isinstance(row, Heading):
            _header_row(sheet, top + offset, row.cells)
            continue
        for column, value in enumerate(row, start=1):
            _body_cell(sheet, top + offset, column, value)
    below = top + len(form.rows) + 1
    for offset, note in enumerate(form.notes):
        cell = sheet.cell(below + offset, 1, note)
        cell.font = Font(name=FONT, size=10)
        sheet.merge_cells(f"A{below + offset}:{last}{below + offset}")
    sheet.freeze_panes = f"A{top}"
    # printed as the system prints a table: one page wide, landscape for the wide ones
    sheet.page_setup.orientation = "landscape" if sum(form.widths) > 100 else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _header_row(sheet: Worksheet, row: int, header: list[Cell]) -> None:
    for column, value in enumerate(header, start=1):
        cell = sheet.cell(row, column)
        cell.border = BOX
        cell.font = Font(name=FONT, size=10, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if value == LEFT:
            start = column - 1
            while header[start - 1] == LEFT:
                start -= 1
            if column == len(header) or header[column] != LEFT:
                sheet.merge_cells(start_row=row, start_column=start, end_row=row, end_column=column)
        elif value == UP:
            above = row - 1
            sheet.merge_cells(start_row=above, start_column=column, end_row=row, end_column=column)
        elif value is not None:
            assert not isinstance(value, Count | Rate)
            cell.value = value


def _body_cell(sheet: Worksheet, row: int, column: int, value: Cell) -> None:
    cell = sheet.cell(row, column)
    cell.border = BOX
    cell.font = Font(name=FONT, size=10)
    match value:
        case Count(number):
            cell.value = number
            cell.number_format = "0"
            cell.alignment = Alignment(horizontal="right")
        case Rate(number):
            cell.value = number
            cell.number_format = "0.00%"
            cell.alignment = Alignment(horizontal="right")
        case float():
            cell.value = value
            cell.number_format = AMOUNT_FORMAT
            cell.alignment = Alignment(horizontal="right")
        case int():  # 行次
            cell.value = value
            cell.alignment = Alignment(horizontal="center")
        case str():
            cell.value = value
            cell.alignment = Alignment(horizontal="center" if value == "——" else "left")
        case None:
            pass


def workbook_bytes() -> bytes:
    """The workbook, the same bytes at every run."""
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for form in FORMS:
        assert len(form.sheet) <= 31, f"Excel allows 31 characters in a sheet name: {form.sheet}"
        _write(book.create_sheet(form.sheet), form)
    book.properties.creator = "scripts/make_example_workbook.py"
    book.properties.title = f"{DEPARTMENT}2023年度部门决算报表"
    book.properties.created = book.properties.modified = SAVED
    written = io.BytesIO()
    # ExcelWriter, not book.save: save() stamps the workbook with the time of day
    with zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return _fixed_times(written.getvalue())


def _fixed_times(content: bytes) -> bytes:
    """The zip with each entry dated SAVED instead of the time it was written."""
    result = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=SAVED.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(entry.filename))
    return result.getvalue()


def main() -> None:
    content = workbook_bytes()
    TARGET.write_bytes(content)
    print(f"wrote {TARGET} ({len(content):,} bytes, {len(FORMS)} sheets)")


if __name__ == "__main__":
    main()
