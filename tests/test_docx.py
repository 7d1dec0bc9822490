"""The DOCX output: structure against golden dumps, byte-identical builds, page
setup and fonts as the style says, tables with and without spans, the CLI."""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.shared import Mm
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import UPDATE_GOLDEN, compiled_document
from docx_dump import dump, east_asian_font
from rpt.base.diagnostics import render_all_text
from rpt.base.record import replace
from rpt.cli import main
from rpt.document.model import (
    Cell,
    Deleted,
    Document,
    Emph,
    Figure,
    Heading,
    Inserted,
    ListBlock,
    Meta,
    Note,
    Paragraph,
    Placeholder,
    Row,
    SignOff,
    Strong,
    Table,
    Text,
)
from rpt.pipeline import compile_report
from rpt.render import DEFAULT_STYLE
from rpt.render import docx as docx_renderer
from rpt.render.docx import document_time, render_docx
from rpt.render.docx_front import ask_to_update_fields
from rpt.render.ooxml import core_properties, read_package, with_custom_properties, write_package
from rpt.render.ooxml_tree import root, sub, to_bytes
from rpt.render.style_templates import available_styles, template_bytes
from rpt.render.table_layout import column_needs, column_widths, grid_slots

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"
EXAMPLE = ROOT / "reports" / "huaihua-2023" / "report.rpt"
CASES = {path.stem: path for path in sorted((GOLDEN / "md").glob("*.rpt"))} | {
    "huaihua-2023": EXAMPLE,
    "fengyuan-2022": ROOT / "reports" / "fengyuan-2022" / "report.rpt",
}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_WIDTH_GBT = 11906 - 1587 - 1474  # twips: A4 less margins 28 and 26 mm, as Word rounds them


def _compile(path: Path) -> Document:
    cwd = Path.cwd()
    os.chdir(path.parent)
    try:
        # the example is a draft: its tables leave open what the published report left open
        result = compile_report(Path(path.name), draft=path == EXAMPLE)
    finally:
        os.chdir(cwd)
    assert result.document is not None, render_all_text(result.diagnostics)
    return result.document


def _open(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


def _meta(**changes: Any) -> Meta:
    fields: dict[str, Any] = {
        "title": "测试报告",
        "subtitle": "",
        "organisation": "某单位",
        "author": "",
        "year": None,
        "date": datetime.date(2024, 6, 25),
        "locale": "zh-CN",
    }
    return Meta(**(fields | changes))


def _document(*blocks: Any, **meta: Any) -> Document:
    return Document(_meta(**meta), tuple(blocks))


def _cell(text: str, align: str = "left", colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell((Text(text),), colspan, rowspan, align)


# ------------------------------------------------------------------ goldens


@pytest.mark.parametrize("name", CASES)
def test_structure_matches_golden(name: str) -> None:
    actual = dump(render_docx(_compile(CASES[name])))
    expected = GOLDEN / "docx" / f"{name}.txt"
    if UPDATE_GOLDEN:
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(actual, encoding="utf-8")
    assert expected.exists(), f"no golden file {expected}; run with RPT_UPDATE_GOLDEN=1"
    assert actual == expected.read_text(encoding="utf-8")


# ---------------------------------------------------------- reproducibility


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    outputs = []
    for run in ("a", "b"):
        target = tmp_path / run / "report.docx"
        assert main(["build", str(EXAMPLE), "--to", "docx", "--draft", "-o", str(target)]) == 0
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


RPT_BUILD = (sys.executable, "-m", "rpt.cli", "build")


def test_identical_across_processes_hash_seeds_and_time_zones(tmp_path: Path) -> None:
    """Nothing in the file may depend on set order, the clock or the time zone."""
    outputs = []
    for seed, zone in (("1", "UTC"), ("2", "Asia/Shanghai")):
        target = tmp_path / f"{seed}.docx"
        environment = os.environ | {"PYTHONHASHSEED": seed, "TZ": zone}
        environment.pop("SOURCE_DATE_EPOCH", None)
        subprocess.run(
            [*RPT_BUILD, str(EXAMPLE), "--to=docx", "--draft", f"-o{target}"],
            env=environment,
            check=True,
            capture_output=True,
        )
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


def test_zip_entries_have_fixed_times_and_order() -> None:
    data = render_docx(_compile(EXAMPLE))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
    assert entries[0].filename == "[Content_Types].xml"
    assert {entry.date_time for entry in entries} == {(1980, 1, 1, 0, 0, 0)}
    assert {entry.create_system for entry in entries} == {3}


def test_core_properties_come_from_the_header() -> None:
    properties = _open(render_docx(_compile(EXAMPLE))).core_properties
    assert properties.title == "怀化市劳动监察支队2023年度部门决算"
    assert properties.author == "怀化市劳动监察支队"
    assert properties.last_modified_by == "怀化市劳动监察支队"
    assert properties.created == datetime.datetime(2024, 6, 25, tzinfo=datetime.UTC)
    assert properties.modified == properties.created
    assert properties.language == "zh-CN"


def _custom_properties(data: bytes) -> dict[str, str]:
    ns = {
        "op": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
        "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    }
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        if "docProps/custom.xml" not in names:
            return {}
        types = archive.read("[Content_Types].xml").decode()
        links = archive.read("_rels/.rels").decode()
        assert 'PartName="/docProps/custom.xml"' in types
        assert 'Target="docProps/custom.xml"' in links
        part = etree.fromstring(archive.read("docProps/custom.xml"))
    pids = [entry.get("pid") for entry in part.iterfind("op:property", ns)]
    assert pids == [str(pid) for pid in range(2, 2 + len(pids))]  # 0 and 1 are reserved
    return {
        entry.get("name", ""): entry.findtext("vt:lpwstr", "", ns)
        for entry in part.iterfind("op:property", ns)
    }


def test_the_data_files_digests_are_document_properties() -> None:
    """As the Markdown's closing comment has them: the example reads one workbook."""
    data = render_docx(_compile(EXAMPLE))
    digest = hashlib.sha256((EXAMPLE.parent / "决算报表.xlsx").read_bytes()).hexdigest()
    assert _custom_properties(data) == {"rpt data: 决算报表.xlsx": f"sha256:{digest}"}
    # the part opens where Word and LibreOffice open it: python-docx reads the package
    assert _open(data).core_properties.title


def test_several_data_files_in_the_order_read_and_none_without_data() -> None:
    files = (("甲.xlsx", "a" * 64), ("子/乙.csv", "b" * 64))
    data = render_docx(_document(Paragraph((Text("一"),)), data=files))
    assert list(_custom_properties(data).items()) == [
        ("rpt data: 甲.xlsx", "sha256:" + "a" * 64),
        ("rpt data: 子/乙.csv", "sha256:" + "b" * 64),
    ]
    assert data == render_docx(_document(Paragraph((Text("一"),)), data=files))
    assert _custom_properties(render_docx(_document(Paragraph((Text("一"),))))) == {}


def test_time_without_a_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """No `date:`: SOURCE_DATE_EPOCH, then 1 January of `year:`, then no time at
    all; never the time of the build."""

    def created(**meta: Any) -> Any:
        return _open(render_docx(_document(**meta))).core_properties.created

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    epoch = datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.UTC)
    assert created(date=None, year=2023) == epoch
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert created(date=None, year=2023) == datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)
    assert created(date=None, year=None) is None


# ------------------------------------------------------- page setup, fonts


def test_page_setup_is_the_styles() -> None:
    opened = _open(render_docx(_compile(EXAMPLE)))
    section = opened.sections[-1]  # the report's, after its cover and 目录
    for measure, expected in (
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 37),
        (section.bottom_margin, 35),
        (section.left_margin, 28),
        (section.right_margin, 26),
    ):
        assert abs(measure - Mm(expected)) < Mm(0.05)
    footer = section.footer.paragraphs[0]
    assert footer.style.name == "Footer"
    assert footer.text == "— 1 —"  # PAGE field, its cached result 1
    assert 'w:instrText xml:space="preserve"> PAGE <' in footer._p.xml


def test_other_style_set_changes_page_and_fonts() -> None:
    example = _compile(EXAMPLE)
    opened = _open(render_docx(example, "a4-plain"))
    assert abs(opened.sections[0].left_margin - Mm(25)) < Mm(0.05)
    body = next(p for p in opened.paragraphs if p.style.name == "Body Text")
    assert east_asian_font(body.style, "") == "宋体"


def test_fonts_of_the_paragraphs() -> None:
    opened = _open(render_docx(_compile(EXAMPLE)))
    fonts = {p.style.name: east_asian_font(p.style, "") for p in opened.paragraphs}
    assert fonts["Cover Title"] == "方正小标宋简体"
    assert fonts["Attachment Label"] == "黑体"
    assert fonts["Body Text"] == "仿宋_GB2312"
    assert fonts["Heading 1"] == "黑体"
    assert fonts["Heading 2"] == "黑体"
    assert fonts["Heading 3"] == "楷体_GB2312"
    assert fonts["Heading 4"] == "仿宋_GB2312"


# ------------------------------------------------------------ blocks, runs


def test_headings_lists_and_marks() -> None:
    data = render_docx(
        _document(
            Heading(1, "第一部分", (Text("概况"),)),
            Heading(2, "一、", (Text("职责"),)),
            Heading(3, "（一）", (Text("机构"),)),
            Heading(4, "1.", (Text("条"),)),
            Heading(5, "（1）", (Text("款"),)),
            Heading(6, "", (Text("更深"),)),
            Heading(1, "第二部分", (Text("表"),)),
            Paragraph(
                (
                    Text("收入"),
                    Figure("217.91万元", "收入合计", 0),
                    Strong((Text("粗"), Emph((Text("粗斜"),)))),
                    Emph((Text("斜"),)),
                    Text("控制\x0c字符 "),
                )
            ),
            ListBlock(True, 3, ((Text("第三项"),), (Text("第四项"),))),
            ListBlock(False, 1, ((Text("要点"),),)),
        )
    )
    assert dump(data).splitlines() == [
        "Title [方正小标宋简体] 测试报告",
        "Organisation [楷体_GB2312] 某单位",
        "Heading 1 [黑体] 第一部分 概况  (no page break)",
        "Heading 2 [黑体] 一、职责",
        "Heading 3 [楷体_GB2312] （一）机构",
        "Heading 4 [仿宋_GB2312] 1.条",  # a Chinese text: no space after 1.
        "Heading 5 [仿宋_GB2312] （1）款",
        "Heading 5 [仿宋_GB2312] 更深",
        "Heading 1 [黑体] 第二部分 表",
        "Body Text [仿宋_GB2312] 收入217.91万元"
        "«Strong:粗»«Strong Emphasis:粗斜»«Emphasis:斜»控制字符 ",
        "List Number [仿宋_GB2312] 3.第三项",
        "List Number [仿宋_GB2312] 4.第四项",
        "List Bullet [仿宋_GB2312] • 要点",
    ]


def test_only_the_first_part_stays_on_the_title_page() -> None:
    opened = _open(
        render_docx(
            _document(Heading(1, "第一部分", (Text("甲"),)), Heading(1, "第二部分", (Text("乙"),)))
        )
    )
    parts = [p for p in opened.paragraphs if p.style.name == "Heading 1"]
    assert [p.paragraph_format.page_break_before for p in parts] == [False, None]
    assert parts[1].style.paragraph_format.page_break_before is True


# ------------------------------------------------------------------ tables


def _table_lines(document: Document) -> list[str]:
    return [line for line in dump(render_docx(document)).splitlines() if "Table" in line]


def test_table_without_spans() -> None:
    table = Table(
        caption=(Text("收入决算表"),),
        unit_note="单位：万元",
        columns=3,
        rows=(
            Row((_cell("项目"), _cell("预算数"), _cell("决算数")), header=True),
            Row((_cell("财政拨款收入"), _cell("237.06", "right"), _cell("216.53", "right"))),
            Row((_cell("合计", "center"), _cell("237.06", "right"), _cell("216.53", "right"))),
        ),
        widths=(20, 8, 8),
    )
    lines = _table_lines(_document(table))
    grid = _grid(_open(render_docx(_document(table))).tables[0])
    assert sum(grid) == TEXT_WIDTH_GBT
    assert grid[0] > grid[1] == grid[2]  # what none needs is shared as widths say
    assert lines == [
        "Table Caption [黑体] 收入决算表",
        "Table Unit [仿宋_GB2312] 单位：万元",
        f"TABLE Report Table grid={grid}",
        "  header-row Table Header [黑体] 项目 | Table Header [黑体] 预算数"
        " | Table Header [黑体] 决算数",
        "  row Table Text [仿宋_GB2312] 财政拨款收入 | Table Number [仿宋_GB2312] 237.06"
        " | Table Number [仿宋_GB2312] 216.53",
        "  row Table Text [仿宋_GB2312] 合计  (align=center) | Table Number [仿宋_GB2312] 237.06"
        " | Table Number [仿宋_GB2312] 216.53",
    ]
    opened = _open(render_docx(_document(table)))
    assert opened.styles["Table Number"].paragraph_format.alignment == 2  # right
    assert opened.styles["Table Unit"].paragraph_format.alignment == 2
    assert opened.styles["Table Caption"].paragraph_format.alignment == 1  # centre
    assert opened.tables[0]._tbl.tblPr.find(f"{W}tblLayout").get(f"{W}type") == "fixed"


def test_table_with_spans() -> None:
    """收入 spans two columns; 项目 spans two rows; 产出 spans three body rows and
    its header row is therefore not repeated; covered positions become vMerge
    continuations in the right columns."""
    table = Table(
        caption=(),
        unit_note="",
        columns=4,
        rows=(
            Row((_cell("项目", rowspan=2), _cell("收入", colspan=2), _cell("备注")), header=True),
            Row((_cell("预算"), _cell("决算"), _cell("")), header=True),
            Row((_cell("产出", rowspan=3), _cell("1", "right"), _cell("2", "right"), _cell("a"))),
            Row((_cell("3", "right"), _cell("4", "right"), _cell("b"))),
            Row((_cell("合计", colspan=2), _cell("c"))),
        ),
        widths=(10, 6, 6, 10),
    )
    lines = _table_lines(_document(table))[1:]
    assert lines == [
        "  header-row vmerge=restart Table Header [黑体] 项目"
        " | span=2 Table Header [黑体] 收入 | Table Header [黑体] 备注",
        "  header-row vmerge=continue Table Header [黑体] "
        "| Table Header [黑体] 预算 | Table Header [黑体] 决算 | Table Header [黑体]",
        "  row vmerge=restart Table Text [仿宋_GB2312] 产出 | Table Number [仿宋_GB2312] 1"
        " | Table Number [仿宋_GB2312] 2 | Table Text [仿宋_GB2312] a",
        "  row vmerge=continue Table Text [仿宋_GB2312] | Table Number [仿宋_GB2312] 3"
        " | Table Number [仿宋_GB2312] 4 | Table Text [仿宋_GB2312] b",
        "  row vmerge=continue Table Text [仿宋_GB2312] | span=2 Table Text [仿宋_GB2312] 合计"
        " | Table Text [仿宋_GB2312] c",
    ]
    # python-docx sees the merges: the grid positions resolve to the spanning cells
    opened = _open(render_docx(_document(table)))
    grid = opened.tables[0]
    assert grid.cell(0, 1).text == grid.cell(0, 2).text == "收入"
    assert grid.cell(4, 0).text == grid.cell(2, 0).text == "产出"
    assert grid.cell(4, 1).text == grid.cell(4, 2).text == "合计"


def test_header_row_spanning_into_the_body_is_not_repeated() -> None:
    table = Table(
        caption=(),
        unit_note="",
        columns=2,
        rows=(
            Row((_cell("表头"), _cell("甲")), header=True),
            Row((_cell("跨行", rowspan=2), _cell("乙")), header=True),
            Row((_cell("丙"),)),
        ),
        widths=(1, 1),
    )
    lines = _table_lines(_document(table))
    assert [line.split()[0] for line in lines[1:]] == ["header-row", "row", "row"]


def _keeps(table: Table) -> list[str]:
    grid = _open(render_docx(_document(table))).tables[0]
    return [
        "".join("Y" if tc.xpath("./w:p/w:pPr/w:keepNext") else "-" for tc in row._tr.tc_lst)
        for row in grid.rows
    ]


def _grid(table: Any) -> list[int]:
    return [int(column.get(f"{W}w")) for column in table._tbl.tblGrid.iterchildren()]


def test_a_short_table_keeps_together() -> None:
    """Every row but the last keeps with the next: a short table is on one page,
    its continuation cells included."""
    table = Table(
        caption=(),
        unit_note="",
        columns=3,
        rows=(
            Row((_cell("项目"), _cell("预算"), _cell("决算")), header=True),
            Row((_cell("资金", rowspan=2), _cell("1", "right"), _cell("2", "right"))),
            Row((_cell("3", "right"), _cell("4", "right"))),
        ),
        widths=(1, 1, 1),
    )
    assert _keeps(table) == ["YYY", "YYY", "---"]


def test_a_long_table_never_leaves_a_row_alone() -> None:
    """In a long table the header rows keep with the next row (绩效指标 | 一级指标 …
    in mid-table never ends a page), and so do the first body row and the last
    but one: no page holds one row alone under the repeated header."""
    body = [Row((_cell(f"项{n}"), _cell(str(n), "right"))) for n in range(20)]
    table = Table(
        caption=(),
        unit_note="",
        columns=2,
        rows=(
            Row((_cell("项目"), _cell("决算")), header=True),
            *body[:10],
            Row((_cell("绩效指标"), _cell("分值")), header=True),
            *body[10:],
        ),
        widths=(1, 1),
    )
    keeps = _keeps(table)
    assert [i for i, keep in enumerate(keeps) if keep == "YY"] == [0, 1, 11, 20]
    assert set(keeps) == {"YY", "--"}


def _measure(document: Document) -> tuple[list[int], list[str], list[list[str]]]:
    """A rendered table's grid, its paragraph styles, and the lines of each cell."""
    opened = _open(render_docx(document)).tables[0]
    styles = sorted({p.style.name for row in opened.rows for c in row.cells for p in c.paragraphs})
    lines = [
        [
            "/".join(t.text or "" for t in tc.iter(f"{W}t"))
            if tc.find(f".//{W}br") is not None
            else "".join(t.text or "" for t in tc.iter(f"{W}t"))
            for tc in row._tr.tc_lst
        ]
        for row in opened.rows
    ]
    return _grid(opened), styles, lines


INCOME = Table(
    caption=(Text("收入决算表"),),
    unit_note="单位：万元",
    columns=8,
    rows=(
        Row(
            tuple(
                _cell(text)
                for text in (
                    "项目", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入",
                    "经营收入", "附属单位上缴收入", "其他收入",
                )
            ),
            header=True,
        ),
        Row(
            (
                _cell("社会保障和就业支出"),
                *(_cell(n, "right") for n in ("217.91",) * 3 + ("0.00",) * 4),
            )
        ),
        Row((_cell("卫生健康支出"), *(_cell("0.00", "right") for _ in range(7)))),
    ),
    widths=(18, 12, 12, 12, 8, 8, 16, 8),
)  # fmt: skip


def test_a_wide_table_is_set_small_with_its_labels_on_one_line() -> None:
    """Eight columns do not hold their labels and numbers in 小四: the table is set
    in 五号, the label column gets its widest label whole (9 characters, a unit to
    spare, padding), the headers wrap in two even lines."""
    grid, styles, lines = _measure(_document(INCOME))
    assert styles == ["Small Table Header", "Small Table Number", "Small Table Text"]
    unit = 105  # twips: half an em of 10.5 pt
    assert grid[0] >= 2 * 85 + unit * (18 + 1)
    assert all(width >= 2 * 85 + unit * 8 for width in grid[1:4])  # 217.91, to spare
    assert lines[0][1:] == [
        "本年收/入合计", "财政拨/款收入", "上级补/助收入", "事业/收入", "经营/收入",
        "附属单位/上缴收入", "其他/收入",
    ]  # fmt: skip
    assert sum(grid) == TEXT_WIDTH_GBT


def test_a_table_whose_labels_have_their_lines_only_in_xiaowu_is_set_in_xiaowu() -> None:
    """Seven columns of 217.91 beside the labels: in 五号 the widest label
    (社会保障和就业支出) cannot have its line, in 小五 it can, and the table is
    set in 小五 rather than break it."""
    first, second = INCOME.rows[1:]
    wide = Row((first.cells[0], *(_cell("217.91", "right") for _ in range(7))))
    table = replace(INCOME, rows=(INCOME.rows[0], wide, second))
    grid, styles, lines = _measure(_document(table))
    assert styles == ["Compact Table Header", "Compact Table Number", "Compact Table Text"]
    assert lines[1][0] == "社会保障和就业支出"
    assert grid[0] >= 2 * 85 + 90 * (18 + 1)


def test_dates_and_signed_percents_stay_whole() -> None:
    table = Table(
        caption=(),
        unit_note="",
        columns=4,
        rows=(
            Row((_cell("指标"), _cell("指标值"), _cell("完成值"), _cell("说明")), header=True),
            Row((_cell("时效"), _cell("2023年12月31日"), _cell("≥90%"), _cell("很长的说明" * 20))),
        ),
        widths=(4, 14, 5, 40),
    )
    grid, _, lines = _measure(_document(table))
    unit = 105 if "Small" in _measure(_document(table))[1][0] else 120
    # 8 digits at LATIN units, 3 Chinese characters, a unit to spare; ≥ and % are wide
    assert grid[1] >= 2 * 85 + unit * 17
    assert grid[2] >= 2 * 85 + unit * 6
    assert lines[1][1] == "2023年12月31日"


def test_numbers_never_get_a_column_too_narrow_to_hold_them() -> None:
    """Relative widths alone would give the number column 1/41 of the width."""
    table = Table(
        caption=(),
        unit_note="",
        columns=2,
        rows=(Row((_cell("很长的说明文字" * 5), _cell("12345678.90", "right"))),),
        widths=(40, 1),
    )
    grid = _open(render_docx(_document(table))).tables[0]._tbl.tblGrid
    widths = [int(column.get(f"{W}w")) for column in grid.iterchildren()]
    # 12 pt Table Number: a digit is 120 twips; 11 characters, 2 spare, padding 2×85
    assert widths[1] >= 13 * 120 + 2 * 85
    assert sum(widths) == TEXT_WIDTH_GBT


def test_column_widths() -> None:
    assert column_widths((1, 1, 2), (0, 0, 0), 1000) == [250, 250, 500]
    assert column_widths((1, 1, 1), (0, 0, 0), 1000) == [333, 334, 333]
    assert column_widths((40, 1), (0, 300), 1000) == [700, 300]
    assert column_widths((1, 1), (900, 300), 1000) == [750, 250]  # minimums too wide
    assert column_widths((), (0, 0), 10) == [5, 5]  # no relative widths: equal


# --------------------------------------------------------------------- CLI


@pytest.fixture
def report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "r.rpt"
    path.write_text("---\ntitle: 报告\n---\nlet 收入 = 216.53 万元\n收入为<收入>。\n", "utf-8")
    return path


def test_cli_writes_markdown_and_docx(report: Path) -> None:
    assert main(["build", "r.rpt", "--to", "md,docx", "-o", "out/r.md"]) == 0
    assert (report.parent / "out/r.md").read_text(encoding="utf-8").endswith("收入为216.53万元。\n")
    opened = _open((report.parent / "out/r.docx").read_bytes())
    assert [p.text for p in opened.paragraphs] == ["报告", "收入为216.53万元。"]


def test_cli_style_option_overrides_the_header(report: Path) -> None:
    assert main(["build", "r.rpt", "--to", "docx", "--style", "a4-plain"]) == 0
    opened = _open((report.parent / "r.docx").read_bytes())
    assert abs(opened.sections[0].left_margin - Mm(25)) < Mm(0.05)


def test_cli_unknown_style_is_a_usage_error(
    report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "r.rpt", "--to", "docx", "--style", "fancy"]) == 2
    assert capsys.readouterr().err == (
        "rpt: error: unknown style `fancy`; available styles: a4-plain, gbt9704\n"
    )
    assert not (report.parent / "r.docx").exists()


# ------------------------------------------------------- hostile metadata


def test_a_table_without_rows_keeps_its_caption_and_draws_no_grid() -> None:
    table = Table((Text("空表"),), "单位：万元", 0, (), ())
    assert _table_lines(_document(table)) == [
        "Table Caption [黑体] 空表",
        "Table Unit [仿宋_GB2312] 单位：万元",
    ]
    assert _open(render_docx(_document(table))).tables == []


def test_a_compiled_table_without_rows(report: Path) -> None:
    report.write_text('table 表 "空表"\nunit 万元\nend\n', encoding="utf-8")
    assert main(["build", "r.rpt", "--to", "docx"]) == 0
    assert [p.text for p in _open((report.parent / "r.docx").read_bytes()).paragraphs] == [
        "空表",
        "单位：万元",
    ]


def test_year_zero_is_not_a_year(report: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report.write_text("---\nyear: 0000\n---\n正文\n", encoding="utf-8")
    assert main(["build", "r.rpt", "--to", "docx"]) == 1
    assert "error[E103]: `year` cannot be `0000`" in capsys.readouterr().err


def test_the_first_and_last_years_are_written_with_four_digits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    core = zipfile.ZipFile(io.BytesIO(render_docx(_document(date=None, year=1)))).read(
        "docProps/core.xml"
    )
    assert b">0001-01-01T00:00:00Z<" in core
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    core = zipfile.ZipFile(io.BytesIO(render_docx(_document(date=None)))).read("docProps/core.xml")
    assert b">9999-12-31T23:59:59Z<" in core


@pytest.mark.parametrize(
    "epoch", ["²", "١٢٣", "-1", "+1", "1.5", "1e9", " 1", "253402300800", "9" * 5000]
)
def test_a_malformed_source_date_epoch_is_a_usage_error(
    report: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, epoch: str
) -> None:
    """The reproducible-builds specification asks a build to fail on a malformed
    value; only ASCII digits, up to the end of 9999, are seconds since 1970."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert main(["build", "r.rpt", "--to", "md,docx"]) == 2
    assert capsys.readouterr().err.startswith("rpt: error: SOURCE_DATE_EPOCH must be")
    assert not (report.parent / "r.docx").exists() and not (report.parent / "r.md").exists()
    assert main(["build", "r.rpt", "--to", "md"]) == 0  # only Word documents carry a time
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        render_docx(_document(date=None))


def test_leading_zeros_in_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0" * 5000 + "1")
    created = _open(render_docx(_document(date=None))).core_properties.created
    assert created == datetime.datetime(1970, 1, 1, 0, 0, 1, tzinfo=datetime.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "000")  # zeros alone: the epoch itself
    created = _open(render_docx(_document(date=None))).core_properties.created
    assert created == datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def test_source_date_epoch_is_a_time_in_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    """An aware time: the PDF's dates are written from it with strftime, which
    would write a naive local time as it stands."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    when = document_time(_meta(date=None))
    assert when is not None and when.tzinfo is datetime.UTC
    assert when == datetime.datetime(1970, 1, 2, tzinfo=datetime.UTC)
    dated = document_time(_meta(date=datetime.date(2024, 6, 25)))  # and so is a `date:`
    assert dated is not None and dated.tzinfo is datetime.UTC
    assert dated == datetime.datetime(2024, 6, 25, tzinfo=datetime.UTC)


run_text = st.text(
    alphabet=st.sampled_from(list("收入 \u3000\u00a0\t ab1")), min_size=1, max_size=8
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(run_text, st.sampled_from(["text", "figure", "strong", "cell"])),
        min_size=1,
        max_size=6,
    )
)
def test_every_run_with_edge_spaces_preserves_them(runs: list[tuple[str, str]]) -> None:
    """Word drops a run's leading and trailing spaces unless its w:t says
    xml:space="preserve": every run whose text does not equal its stripped text
    must say so, in paragraphs and in table cells."""
    inlines: list[Any] = []
    cells = []
    for text, kind in runs:
        match kind:
            case "text":
                inlines.append(Text(text))
            case "figure":
                inlines.append(Figure(text, "x", len(inlines)))
            case "strong":
                inlines.append(Strong((Text(text),)))
            case _:
                cells.append(Cell((Text(text),)))
    blocks: list[Any] = [Paragraph(tuple(inlines))] if inlines else []
    if cells:
        blocks.append(Table((), "", len(cells), (Row(tuple(cells)),), tuple(4 for _ in cells)))
    data = render_docx(Document(_meta(), tuple(blocks)))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    space = "{http://www.w3.org/XML/1998/namespace}space"
    texts = list(root.iter(f"{W}t"))
    assert texts
    for element in texts:
        value = element.text or ""
        if value != value.strip():
            assert element.get(space) == "preserve", repr(value)


def test_page_numbers_on_alternating_sides() -> None:
    """GB/T 9704 §7.5: odd pages' numbers at the right, even pages' at the left,
    each one character (4号, 14 pt = 280 twips) in; a4-plain centres them."""
    opened = _open(render_docx(_compile(EXAMPLE)))
    assert opened.settings.odd_and_even_pages_header_footer
    section = opened.sections[-1]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert (odd.text, even.text) == ("— 1 —", "— 1 —")
    assert 'w:jc w:val="right"' in odd._p.xml and 'w:right="280"' in odd._p.xml
    assert 'w:jc w:val="left"' in even._p.xml and 'w:left="280"' in even._p.xml
    plain = _open(render_docx(_compile(EXAMPLE), "a4-plain"))
    assert not plain.settings.odd_and_even_pages_header_footer
    assert "w:jc" not in plain.sections[-1].footer.paragraphs[0]._p.xml


def test_a_tall_row_may_break_across_pages() -> None:
    """Kept whole, a row of many lines leaves the foot of a page empty; rows of a
    few lines, and header rows, stay whole."""
    table = Table(
        caption=(),
        unit_note="",
        columns=2,
        rows=(
            Row((_cell("项目"), _cell("说明")), header=True),
            Row((_cell("目标"), _cell("很长的说明文字" * 40))),
            Row((_cell("合计"), _cell("短"))),
            Row((_cell("其他"), _cell("说明文字" * 3))),  # one line in its column's width
        ),
        widths=(1, 1),
    )
    rows = _open(render_docx(_document(table))).tables[0].rows
    assert [row._tr.find(f"{W}trPr/{W}cantSplit") is not None for row in rows] == [
        True,
        False,
        True,
        True,
    ]


def test_a_tall_merged_cell_does_not_make_its_rows_tall() -> None:
    """A cell spanning rows may be long: each row is measured by its own cells, and
    a row of nothing but continued cells is one line."""
    table = Table(
        caption=(),
        unit_note="",
        columns=2,
        rows=(
            Row((_cell("很长的说明文字" * 40, rowspan=3), _cell("短", rowspan=2))),
            Row(()),
            Row((_cell("短"),)),
        ),
        widths=(1, 1),
    )
    rows = _open(render_docx(_document(table))).tables[0].rows
    assert [row._tr.find(f"{W}trPr/{W}cantSplit") is not None for row in rows] == [True] * 3


def test_tracked_changes_of_runs_paragraphs_and_rows() -> None:
    """A redline's insertions and deletions: each with an id of its own and the
    author; a row whose text is all new is an inserted row."""
    table = Table(
        caption=(),
        unit_note="",
        columns=2,
        rows=(
            Row((_cell("项目"), _cell("说明")), header=True),
            Row((Cell((Inserted((Text("新行"),)),)), Cell((Inserted((Text("新"),)),)))),
            Row((Cell((Deleted((Text("旧行"),)),)), Cell((Deleted((Text("旧"),)),)))),
        ),
        widths=(1, 1),
    )
    paragraph = Paragraph((Text("收入"), Inserted((Text("增加"),)), Deleted((Text("减少"),))))
    data = render_docx(_document(paragraph, table), author="审阅人")
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    changes = body.findall(f".//{W}ins") + body.findall(f".//{W}del")
    ids = [int(change.get(f"{W}id", "")) for change in changes]
    assert len(set(ids)) == len(ids) and min(ids) > 0
    assert {change.get(f"{W}author") for change in changes} == {"审阅人"}
    rows = body.findall(f".//{W}tr")
    assert [
        [
            str(child.tag).removeprefix(W)
            for child in row.iterfind(f"{W}trPr/*")
            if child.tag != f"{W}cantSplit"
        ]
        for row in rows
    ] == [["tblHeader"], ["ins"], ["del"]]
    assert [t.text for t in rows[2].iter(f"{W}delText")] == ["旧行", "旧"]


@pytest.mark.parametrize(
    ("inlines", "change"),
    [
        ((), None),
        ((Text("甲"),), None),
        ((Inserted((Text("甲"),)),), "w:ins"),
        ((Inserted((Text("甲"),)), Inserted((Text("乙"),))), "w:ins"),
        ((Deleted((Text("甲"),)), Deleted((Text("乙"),))), "w:del"),
        ((Inserted((Text("甲"),)), Deleted((Text("乙"),))), None),
        ((Deleted((Text("甲"),)), Inserted((Text("乙"),))), None),
        ((Inserted((Text("甲"),)), Text("乙")), None),
        ((Text("甲"), Inserted((Text("乙"),))), None),
    ],
)
def test_a_run_wholly_changed_is_tracked_whole(
    inlines: tuple[Any, ...], change: str | None
) -> None:
    assert docx_renderer.tracked(inlines) == change


def test_a_sign_off_field_keeps_its_marks() -> None:
    sign_off = SignOff(((Text("填表人："), Strong((Text("张三"),))), (Text("日期："),)))
    lines = dump(render_docx(_document(sign_off))).splitlines()
    assert lines[-1].endswith("填表人：«Strong:张三»\t日期："), lines[-1]


def _every_kind(**meta: Any) -> Document:
    """A document with every kind of block, mark and table feature the renderer
    writes, each once."""
    form = Table(
        caption=(Text("收支表"),),
        unit_note="单位：万元",
        columns=5,
        rows=(
            Row(
                (_cell("项目", rowspan=2), _cell("金额", colspan=2), _cell("说明", colspan=2)), True
            ),
            Row((_cell("预算"), _cell("决算"), _cell("甲"), _cell("乙")), header=True),
            Row(
                (
                    _cell("收入"),
                    _cell("1.00", "right"),
                    _cell("2.00", "right"),
                    _cell("居中", "center"),
                    _cell("附属单位上缴收入及其他各项收入合计"),
                )
            ),
            Row(
                (
                    _cell(" 空格 "),
                    _cell("3.00", "right"),
                    _cell("4.00", "right"),
                    _cell("x"),
                    _cell("y"),
                )
            ),
        ),
        widths=(3, 1, 1, 1, 2),
        number="公开01表",
        issuer="编制单位：某单位",
    )
    return _document(
        Heading(1, "第一部分", (Text("概况"),)),
        Heading(2, "一、", (Inserted((Text("新标题"),)),)),
        Heading(2, "二、", (Deleted((Text("旧标题"),)),)),
        Paragraph(
            (
                Deleted((Strong((Text("粗删"),)), Emph((Text("斜删"),)), Placeholder("待删"))),
                Inserted((Strong((Text("粗增"),)),)),
            )
        ),
        Paragraph((Text("收入"), Figure("217.91万元", "收入合计", 0), Strong((Text("粗"),)))),
        Paragraph((Emph((Text("斜"),)), Deleted((Text("删"),)), Text("行\n断\t制表"))),
        ListBlock(True, 2, ((Text("甲"),), (Text("乙"),)), "（{1}）"),
        ListBlock(False, 1, ((Text("要点"),),)),
        Note((Text("请核对"),)),
        Paragraph((Placeholder("待补"),)),
        form,
        SignOff(((Text("填表人："),), (Text("审核人："),), (Text("日期："),))),
        Heading(1, "附件1", (Text("附表"),), attachment=True),
        Table((), "", 1, (), (1,)),
        **meta,
    )


@pytest.mark.parametrize(
    "name",
    [
        "document-xml",
        "document-xml-cover-toc-en",
        "document-xml-toc",
        "document-xml-attachment-first",
    ],
)
def test_document_xml_matches_golden(name: str) -> None:
    """The body as written, every element and attribute: what the structural dump
    does not show (widths, merges, keeps, tracked changes, tabs, spaces)."""
    if name == "document-xml":
        document = _every_kind()
    elif name == "document-xml-cover-toc-en":
        document = _every_kind(cover=True, toc=True, locale="en", subtitle="副标题")
    elif name == "document-xml-toc":
        document = _every_kind(toc=True)
    else:
        blocks = _every_kind().blocks
        document = _document(blocks[-2], *blocks[:-2], title="", organisation="")
    data = render_docx(document, author="审阅人")
    archive = zipfile.ZipFile(io.BytesIO(data))
    body = etree.fromstring(archive.read("word/document.xml"))
    actual = etree.tostring(body, pretty_print=True, encoding="unicode")
    if name in ("document-xml-cover-toc-en", "document-xml-toc"):
        settings = etree.fromstring(archive.read("word/settings.xml"))
        actual += etree.tostring(settings, pretty_print=True, encoding="unicode")
    expected = GOLDEN / "docx" / f"{name}.xml"
    if UPDATE_GOLDEN:
        expected.write_text(actual, encoding="utf-8")
    assert expected.exists(), f"no golden file {expected}; run with RPT_UPDATE_GOLDEN=1"
    assert actual == expected.read_text(encoding="utf-8")


def _odd_text() -> Document:
    """Blocks whose XML is easy to get wrong as text: escapes, a carriage return,
    changes left empty, a row of too many lines to keep whole, a sign-off of no
    fields, a list of bullets, a table of no rows under its caption and unit, a
    form's head line."""
    long_row = Row((_cell("很长的说明文字" * 60), _cell("短")))
    table = Table((Text('<表> & "引"'),), "", 2, (long_row,), (1, 1))
    return _document(
        Paragraph((Text("a < b & c > d \"e\" 'f'\rg"), Inserted((Text(""),)))),
        Paragraph((Deleted((Text("\x01"),)), Inserted((Text("增"),)))),
        Heading(1, "第一部分", (Inserted((Text("\x02"),)),)),
        table,
        SignOff(()),
        ListBlock(False, 1, ((Text("一"),), (Text("二"),))),
        Table((Text("无行表"),), "单位：元", 1, (), (1,)),
        Heading(1, "附件2", (Text("表"),), attachment=True),
        SignOff(((Text("单位："),),)),  # a form's head line, kept with the form
    )


@pytest.mark.parametrize(
    "document",
    [_every_kind(), _every_kind(cover=True, toc=True), _every_kind(toc=True), _odd_text()],
)
def test_the_body_has_the_bytes_lxml_writes(document: Document) -> None:
    """The blocks are written as text: the part is, byte for byte, what lxml
    writes for the tree it reads (empty elements closed, libxml2's escapes, the
    namespaces declared once, on the root)."""
    part = read_package(render_docx(document, author="审阅人"))["word/document.xml"]
    root = etree.fromstring(part)
    assert etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) == part
    assert part.count(b"xmlns:w=") == 1 and b"<!--" not in part
    # and no text strays between the elements: all of it is in a text element
    holders = {f"{W}t", f"{W}delText", f"{W}instrText"}
    assert not [e.tag for e in root.iter() if (e.text and e.tag not in holders) or e.tail]


def _with_document_xml(monkeypatch: pytest.MonkeyPatch, change: Callable[[bytes], bytes]) -> None:
    """The shipped template with its document.xml changed by `change`."""
    parts = read_package(template_bytes(DEFAULT_STYLE))
    parts["word/document.xml"] = change(parts["word/document.xml"])
    monkeypatch.setattr(docx_renderer, "template_bytes", lambda name: write_package(parts))


def test_the_page_setup_is_the_last_of_the_templates_body(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A template whose specimen has a section break of its own: the body is
    replaced, and the page setup is the one that ends it."""
    section = b'<w:p><w:pPr><w:sectPr><w:pgSz w:w="100" w:h="100"/></w:sectPr></w:pPr></w:p>'
    _with_document_xml(monkeypatch, lambda xml: xml.replace(b"<w:body>", b"<w:body>" + section))
    body = etree.fromstring(read_package(render_docx(_document()))["word/document.xml"])[0]
    assert [str(child.tag).removeprefix(W) for child in body] == ["p", "p", "sectPr"]
    size = body[-1].find(f"{W}pgSz")
    assert size is not None and size.get(f"{W}w") == "11906"


def test_a_template_without_the_prefix_w_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The text is written with the prefix w: a template must bind it to
    WordprocessingML's namespace (one saved with w: for another would not be)."""
    main = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    _with_document_xml(monkeypatch, lambda xml: xml.replace(main, b"urn:another"))
    with pytest.raises(AssertionError, match=r"^the text is written with the prefix w:$"):
        render_docx(_document())


def test_text_and_attributes_read_back_as_written() -> None:
    author = '审阅 "人" & <x>\t\n\r'
    data = render_docx(_odd_text(), author=author)
    body = etree.fromstring(read_package(data)["word/document.xml"])
    texts = [t.text for t in body.iter(f"{W}t")]
    assert texts[2] == "a < b & c > d \"e\" 'f'\rg" and texts[5] == '<表> & "引"'
    changes = [*body.iter(f"{W}ins", f"{W}del")]
    assert {change.get(f"{W}author") for change in changes} == {author}
    # numbered in the order they open, a paragraph mark's after its runs (the
    # heading's mark, 6, stands before them); a change of nothing XML can carry
    # is empty, and so are the properties of a row too tall to keep whole
    assert [int(change.get(f"{W}id", "")) for change in changes] == [1, 2, 3, 6, 4, 5]
    assert [len(change) for change in changes] == [0, 0, 1, 0, 1, 0]
    assert [len(properties) for properties in body.iter(f"{W}trPr")] == [0]
    assert [len(tabs) for tabs in body.iter(f"{W}tabs")] == [0]


def test_an_author_xml_cannot_carry_is_refused() -> None:
    with pytest.raises(ValueError, match="XML cannot carry"):
        render_docx(_odd_text(), author="审阅\x00人")
    render_docx(_document(Paragraph((Text("无修订"),))), author="审阅\x00人")  # no changes


@pytest.mark.parametrize("style", available_styles())
def test_each_part_of_a_template_is_as_lxml_writes_it(style: str) -> None:
    """What lets the renderer change a template's parts by inserting text: each
    is, byte for byte, what lxml writes for the tree it reads (ooxml.py)."""
    for name, data in read_package(template_bytes(style)).items():
        assert to_bytes(etree.fromstring(data)) == data, name


def _core_by_lxml(title: str, creator: str, language: str, when: datetime.datetime | None) -> bytes:
    """docProps/core.xml as lxml writes its elements (what ooxml.py writes as text)."""
    properties = root("cp:coreProperties", ("cp", "dc", "dcterms", "xsi"))
    for name, text in (
        ("dc:title", title),
        ("dc:creator", creator),
        ("cp:lastModifiedBy", creator),
        ("cp:revision", "1"),
        ("dc:language", language),
    ):
        sub(properties, name, text=text)
    if when is not None:
        stamp = when.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
        for name in ("dcterms:created", "dcterms:modified"):
            sub(properties, name, {"xsi:type": "dcterms:W3CDTF"}, stamp)
    return to_bytes(properties)


xml_texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=8)  # surrogates cannot be


@settings(max_examples=200, deadline=None)
@given(
    xml_texts,
    xml_texts,
    st.sampled_from(["zh-CN", "en"]),
    st.none() | st.datetimes(datetime.datetime(1, 1, 2), timezones=st.just(datetime.UTC)),
)
def test_core_properties_are_what_lxml_writes(
    title: str, creator: str, language: str, when: datetime.datetime | None
) -> None:
    when = None if when is None else when.replace(microsecond=0)
    try:
        expected = _core_by_lxml(title, creator, language, when)
    except ValueError:  # a character XML cannot carry: refused either way
        with pytest.raises(ValueError, match="XML cannot carry"):
            core_properties(title, creator, language, when)
        return
    assert core_properties(title, creator, language, when) == expected


def _custom_by_lxml(parts: dict[str, bytes], entries: list[tuple[str, str]]) -> dict[str, bytes]:
    """The custom properties and their declarations as lxml writes the elements."""
    custom = root("op:Properties", ("vt",))
    for pid, (name, text) in enumerate(entries, start=2):
        fmtid = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
        entry = sub(custom, "op:property", {"fmtid": fmtid, "pid": str(pid), "name": name})
        sub(entry, "vt:lpwstr", text=text)
    types = etree.fromstring(parts["[Content_Types].xml"])
    content_type = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    sub(types, "ct:Override", {"PartName": "/docProps/custom.xml", "ContentType": content_type})
    links = etree.fromstring(parts["_rels/.rels"])
    taken = {link.get("Id") for link in links}
    number = 1 + len(taken)
    while f"rId{number}" in taken:
        number += 1
    relationship = (
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
    )
    link = {"Id": f"rId{number}", "Type": relationship, "Target": "docProps/custom.xml"}
    sub(links, "pr:Relationship", link)
    return {
        **parts,
        "[Content_Types].xml": to_bytes(types),
        "_rels/.rels": to_bytes(links),
        "docProps/custom.xml": to_bytes(custom),
    }


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(xml_texts, xml_texts), min_size=1, max_size=3),
    st.sets(st.integers(1, 5), min_size=1),  # a package relates at least its document
)
def test_custom_properties_are_what_lxml_writes(
    entries: list[tuple[str, str]], ids: set[int]
) -> None:
    """…whichever relationship ids the package has taken (the next free one)."""
    parts = read_package(template_bytes(DEFAULT_STYLE))
    links = etree.fromstring(parts["_rels/.rels"])
    for link in list(links):
        links.remove(link)
    for number in sorted(ids):
        sub(links, "pr:Relationship", {"Id": f"rId{number}", "Type": "t", "Target": f"p{number}"})
    parts["_rels/.rels"] = to_bytes(links)
    try:
        expected = _custom_by_lxml(parts, entries)
    except ValueError:
        with pytest.raises(ValueError, match="XML cannot carry"):
            with_custom_properties(parts, entries)
        return
    assert with_custom_properties(parts, entries) == expected


@pytest.mark.parametrize("compat", [True, False])
def test_the_request_to_update_fields_is_where_lxml_puts_it(compat: bool) -> None:
    settings = etree.fromstring(read_package(template_bytes(DEFAULT_STYLE))["word/settings.xml"])
    if not compat:
        found: Any = settings.find(f"{W}compat")
        settings.remove(found)
    update = etree.Element(f"{W}updateFields", {f"{W}val": "true"})
    expected = etree.fromstring(to_bytes(settings))
    found = expected.find(f"{W}compat")
    if found is not None:
        found.addprevious(update)
    else:
        expected.append(update)
    assert ask_to_update_fields(to_bytes(settings)) == to_bytes(expected)


def test_a_build_loads_neither_lxml_nor_jinja2(tmp_path: Path) -> None:
    """Both renderers write text: their libraries cost a tenth of a build to load."""
    probe = (
        "import sys, rpt.cli\n"
        "arguments = ['build', '--draft', 'report.rpt', '--to', 'md,docx', '-o', sys.argv[1]]\n"
        "assert rpt.cli.main(arguments) == 0\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    command = [sys.executable, "-c", probe, str(tmp_path / "out.md")]
    done = subprocess.run(command, cwd=EXAMPLE.parent, capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    assert "rpt.render.docx" in loaded and "rpt.render.markdown" in loaded
    assert not {name.split(".")[0] for name in loaded} & {"lxml", "jinja2", "markupsafe"}


# ------------------------------------------------- what the renderer reads of a template


def _restyled(styles: Callable[[Any], None]) -> bytes:
    """The shipped template with its styles.xml changed by `styles` (given the root)."""
    parts = read_package(template_bytes(DEFAULT_STYLE))
    root = etree.fromstring(parts["word/styles.xml"])
    styles(root)
    parts["word/styles.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return write_package(parts)


def _style(root: Any, name: str) -> Any:
    return root.find(f'{W}style/{W}name[@{W}val="{name}"]/..')


def _set_size(root: Any, name: str, size: str | None) -> None:
    """The font size a style states itself (None: it states none)."""
    properties = _style(root, name).find(f"{W}rPr")
    for tag in ("sz", "szCs"):
        element = properties.find(f"{W}{tag}")
        if size is None:
            properties.remove(element)
        else:
            element.set(f"{W}val", size)


def _renumber(root: Any) -> None:
    """As a Chinese Word saves a template: the same names, other style ids."""
    ids = {style.get(f"{W}styleId"): f"a{n}" for n, style in enumerate(root.iter(f"{W}style"))}
    for element in root.iter():
        if element.tag in (f"{W}basedOn", f"{W}next", f"{W}link"):
            element.set(f"{W}val", ids.get(element.get(f"{W}val"), element.get(f"{W}val")))
    for style in root.iter(f"{W}style"):
        style.set(f"{W}styleId", ids[style.get(f"{W}styleId")])


@pytest.fixture(scope="module")
def example_draft() -> Any:
    """The example compiled as a draft once for the tests that render it in changed templates."""
    result = compile_report(EXAMPLE, draft=True)
    assert result.document is not None
    return result


def _body_with(monkeypatch: pytest.MonkeyPatch, template: bytes, document: Document) -> str:
    """The body rendered in `template`, each style id written as its style's name."""
    monkeypatch.setattr(docx_renderer, "template_bytes", lambda name: template)
    data = render_docx(document)
    styles: Any = etree.fromstring(read_package(template)["word/styles.xml"])
    names = {
        style.get(f"{W}styleId"): style.find(f"{W}name").get(f"{W}val")
        for style in styles.iter(f"{W}style")
    }
    body: Any = etree.fromstring(read_package(data)["word/document.xml"])
    for element in body.iter(f"{W}pStyle", f"{W}rStyle", f"{W}tblStyle"):
        element.set(f"{W}val", names[element.get(f"{W}val")])
    return etree.tostring(body, encoding="unicode")


def _renumbered_small_inheriting(root: Any) -> None:
    _set_size(root, "Small Table Number", None)
    _renumber(root)


def _number_inheriting_the_default(root: Any) -> None:
    _set_size(root, "Table Number", None)
    _set_size(root, "Normal", None)


def _number_stating_the_default(root: Any) -> None:
    _set_size(root, "Table Number", "32")
    _set_size(root, "Normal", None)


@pytest.mark.parametrize(
    ("implicit", "explicit"),
    [
        # renumbered ids; Small Table Number's size from Table Number, its base
        (_renumbered_small_inheriting, lambda root: _set_size(root, "Small Table Number", "24")),
        # Table Number and its base (Normal) without a size: the document default
        (_number_inheriting_the_default, _number_stating_the_default),
    ],
)
def test_a_template_is_read_by_style_names_and_inherited_sizes(
    monkeypatch: pytest.MonkeyPatch, implicit: Any, explicit: Any
) -> None:
    """A size a style inherits counts as one it states; ids are looked up by name."""
    document = _document(_every_kind().blocks[10], INCOME)
    assert _body_with(monkeypatch, _restyled(implicit), document) == _body_with(
        monkeypatch, _restyled(explicit), document
    )


def _set_line(root: Any, name: str, line: str | None) -> None:
    """The exact line height a style states itself (None: it states none)."""
    properties = _style(root, name).find(f"{W}pPr")
    spacing = properties.find(f"{W}spacing")
    if line is None:
        properties.remove(spacing)
    else:
        spacing.set(f"{W}line", line)


def test_a_line_height_a_style_inherits_decides_as_one_it_states(
    monkeypatch: pytest.MonkeyPatch, example_draft: Any
) -> None:
    """附件2-2 of the example fits its page in 小五 with lines of 10.8 pt (the
    default where no style states one: 1.2 lines of 9 pt) as its style has them,
    and with 12 pt ones only in lines its cells state tighter: Compact Table
    Text's line read through its base, Small Table Text, decides as the same
    line stated, not as the default."""
    result = example_draft

    def inherited(root: Any) -> None:
        _set_line(root, "Compact Table Text", None)
        _set_line(root, "Small Table Text", "240")

    def stated(root: Any) -> None:
        _set_line(root, "Small Table Text", "240")

    implicit = _body_with(monkeypatch, _restyled(inherited), result.document)
    assert implicit == _body_with(monkeypatch, _restyled(stated), result.document)
    shorter = _body_with(
        monkeypatch,
        _restyled(lambda root: _set_line(root, "Compact Table Text", "216")),
        result.document,
    )
    stating = 'w:lineRule="exact"'
    assert shorter.count(stating) == 0 < implicit.count(stating)


def _without_line(root: Any, name: str) -> None:
    """A style that states no line height (its other spacing kept)."""
    spacing = _style(root, name).find(f"{W}pPr/{W}spacing")
    for attribute in ("line", "lineRule"):
        spacing.attrib.pop(f"{W}{attribute}", None)


def test_a_template_without_line_heights_takes_a_fifth_more_than_each_size(
    monkeypatch: pytest.MonkeyPatch, example_draft: Any
) -> None:
    """Where no style of a table text's chain states a line (Normal's neither), its
    line is 1.2 of its size: the forms of the example are laid out as with those
    lines stated (小四 14.4 pt, 五号 12.6 pt, 小五 10.8 pt)."""
    result = example_draft
    texts = ("Table Text", "Small Table Text", "Compact Table Text")

    def bare(root: Any) -> None:
        for name in ("Normal", *texts):
            _without_line(root, name)

    def stated(root: Any) -> None:
        _without_line(root, "Normal")
        for name, line in zip(texts, ("288", "252", "216"), strict=True):
            _set_line(root, name, line)

    assert _body_with(monkeypatch, _restyled(bare), result.document) == _body_with(
        monkeypatch, _restyled(stated), result.document
    )


@pytest.mark.parametrize(("rows", "whole"), [(38, True), (40, False)])
def test_a_forms_section_in_its_own_size_is_measured_in_its_default_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, rows: int, whole: bool
) -> None:
    """With no line height stated, a 小四 form's line is 1.2 of 12 pt (288 twips):
    a section of 38 one-line rows (11514 twips with their edges) fits a page under
    the sign-off (12116) and is kept whole; one of 40 (12120) is not."""
    body = "".join(f"row 第{n} | 第{n}项 | {n} |\n" for n in range(rows))
    text = (
        "---\ntitle: 某单位决算\n---\n# 附件1 表 {attachment}\n\n"
        'table 表 "表"\ncolumns | 项目 | 决算: 万元 |\nheader | 项目 | 决算数 |\n'
        "row 甲 | 甲 | 1 |\nheader | 明细 | 决算数 |\n" + body + "end\n\n"
        "填表人：梁杨仝　　填报日期：2024年6月25日\n"
    )
    document = compiled_document(tmp_path, text)

    def bare(root: Any) -> None:
        for name in ("Normal", "Table Text", "Small Table Text", "Compact Table Text"):
            _without_line(root, name)

    monkeypatch.setattr(docx_renderer, "template_bytes", lambda name: _restyled(bare))
    [table] = _open(render_docx(document)).tables
    kept = [bool(row._tr.xpath("./w:tc/w:p/w:pPr/w:keepNext")) for row in table.rows]
    assert all(kept[2:-2]) is whole


def test_the_compact_size_a_style_inherits_decides_as_one_it_states(
    monkeypatch: pytest.MonkeyPatch, example_draft: Any
) -> None:
    """Compact Table Number's 小五 through its base: the example's forms in 小五
    are laid out as with the size stated."""
    result = example_draft

    def inherited(root: Any) -> None:
        _set_size(root, "Compact Table Number", None)
        _set_size(root, "Small Table Number", "18")

    def stated(root: Any) -> None:
        _set_size(root, "Small Table Number", "18")

    assert _body_with(monkeypatch, _restyled(inherited), result.document) == _body_with(
        monkeypatch, _restyled(stated), result.document
    )
    sizes = ("Compact Table Number", "Small Table Number", "Table Number", "Normal")

    def defaulted(root: Any) -> None:  # no style of the chain states a size
        for name in sizes:
            _set_size(root, name, None)

    def stating(root: Any) -> None:  # each states the document's default, 16 pt
        for name in sizes:
            _set_size(root, name, "32")

    assert _body_with(monkeypatch, _restyled(defaulted), result.document) == _body_with(
        monkeypatch, _restyled(stating), result.document
    )


def test_a_template_without_sizes_or_cell_margins_takes_words_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """10 pt text, 0.19 cm (108 twips) cell margins where the template says nothing."""

    def bare(root: Any) -> None:
        defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        for tag in ("sz", "szCs"):
            defaults.remove(defaults.find(f"{W}{tag}"))
        for name in ("Table Number", "Small Table Number", "Normal"):
            _set_size(root, name, None)
        margins = _style(root, "Report Table").find(f"{W}tblPr/{W}tblCellMar")
        margins.getparent().remove(margins)

    def stated(root: Any) -> None:
        for name in ("Table Number", "Small Table Number"):
            _set_size(root, name, "20")
        _set_size(root, "Normal", None)
        margins = _style(root, "Report Table").find(f"{W}tblPr/{W}tblCellMar")
        for side in margins:
            side.set(f"{W}w", "108")

    document = _document(_every_kind().blocks[10], INCOME)
    assert _body_with(monkeypatch, _restyled(bare), document) == _body_with(
        monkeypatch, _restyled(stated), document
    )


def test_a_template_lacking_a_style_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def without(root: Any) -> None:
        root.remove(_style(root, "Table Number"))
        root.remove(_style(root, "Strong"))

    monkeypatch.setattr(docx_renderer, "template_bytes", lambda name: _restyled(without))
    with pytest.raises(
        ValueError, match=r"^the style template gbt9704 lacks the styles (.+)$"
    ) as e:
        render_docx(_document())
    assert sorted(str(e.value).rsplit("styles ", 1)[1].split(", ")) == ["Strong", "Table Number"]


def test_only_plain_text_not_set_right_is_wrapped_evenly() -> None:
    """A cell's text is broken into even lines (w:br) only where it is plain text
    and not right-aligned, and only when it takes more than one line: marks stay,
    a number's column is not broken by hand, a text and a figure stay two runs."""
    table = Table(
        (),
        "",
        4,
        (
            Row((_cell("项目"), _cell("说明"), _cell("备注"), _cell("数")), header=True),
            Row(
                (
                    _cell("甲"),
                    Cell((Strong((Text("加粗的说明文字"),)),)),
                    _cell("靠右的备注文字" * 7, "right"),
                    Cell((Text("共"), Figure("3.00", "x", 1))),
                )
            ),
        ),
        (1, 1, 1, 1),
    )
    body = etree.fromstring(read_package(render_docx(_document(table)))["word/document.xml"])
    cells = list(body.iter(f"{W}tr"))[1].findall(f"{W}tc")
    runs = [
        [
            (str(child.tag).removeprefix(W), child.text or child.get(f"{W}val"))
            for run in cell.iter(f"{W}r")
            for child in run
            if child.tag != f"{W}rPr"
        ]
        for cell in cells
    ]
    assert runs[1:] == [
        [("t", "加粗的说明文字")],
        [("t", "靠右的备注文字" * 7)],
        [("t", "共"), ("t", "3.00")],
    ]
    assert cells[1].find(f".//{W}rStyle") is not None  # still Strong


def test_a_row_of_split_lines_stays_whole_and_one_line_more_may_break() -> None:
    """SPLIT_LINES (8) lines keep a row on one page; a ninth lets it break."""

    def body(length: int) -> Any:
        table = Table(
            (),
            "",
            2,
            (
                Row((_cell("项目"), _cell("说明")), header=True),
                Row((_cell("甲"), _cell("字" * length))),
            ),
            (1, 3),
        )
        return etree.fromstring(read_package(render_docx(_document(table)))["word/document.xml"])

    width = int(list(body(256).iter(f"{W}gridCol"))[1].get(f"{W}w", ""))
    per_line = int(((width - 2 * 85) / 120 - 0.25) // 2)  # 小四: 120 twips a unit, 2 a character
    kept = []
    for length in (8 * per_line, 8 * per_line + 1):
        rows = list(body(length).iter(f"{W}tr"))
        kept.append(rows[1].find(f"{W}trPr/{W}cantSplit") is not None)
    assert kept == [True, False]


def test_labels_that_exactly_fill_the_width_keep_the_tables_size() -> None:
    """In a4-plain (105 twips a unit, 216 of padding, 9072 wide), seven columns whose
    labels need 72 units fill the width exactly: they fit, in the table styles' size;
    one unit more, and the table is set small."""

    def styles(last: str) -> set[str]:
        texts = ["一二三四五"] * 6 + [last]
        table = Table(
            (),
            "",
            7,
            (Row(tuple(_cell("项") for _ in texts), header=True), Row(tuple(map(_cell, texts)))),
            (1,) * 7,
        )
        assert sum(max(n.label, n.header) for n in column_needs(table, grid_slots(table))) == (
            72 if last == "一aa" else 73
        )
        opened = _open(render_docx(_document(table), "a4-plain")).tables[0]
        return {p.style.name for row in opened.rows for c in row.cells for p in c.paragraphs}

    assert styles("一aa") == {"Table Header", "Table Text"}
    assert styles("一二a") == {"Small Table Header", "Small Table Text"}


def test_an_english_list_number_is_followed_by_a_space() -> None:
    items = ((Text("First"),), (Text("Second"),))
    document = _document(ListBlock(True, 1, items), locale="en")
    assert [line for line in dump(render_docx(document)).splitlines() if "List" in line] == [
        "List Number [仿宋_GB2312] 1. First",
        "List Number [仿宋_GB2312] 2. Second",
    ]


def test_an_issuer_without_a_unit_note_has_its_line_alone() -> None:
    form = Table((), "", 1, (Row((_cell("甲"),)),), (1,), issuer="编制单位：某单位")
    body = etree.fromstring(read_package(render_docx(_document(form)))["word/document.xml"])
    [issuer] = [
        p
        for p in body.iter(f"{W}p")
        if p.find(f"{W}pPr/{W}pStyle[@{W}val='FormIssuer']") is not None
    ]
    assert [t.text for t in issuer.iter(f"{W}t")] == ["编制单位：某单位"]
    assert issuer.find(f".//{W}tab") is None


def test_a_template_without_its_page_setup_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    parts = read_package(template_bytes(DEFAULT_STYLE))
    page = etree.fromstring(parts["word/document.xml"])
    body: Any = page.find(f"{W}body")
    body.remove(body.find(f"{W}sectPr"))
    parts["word/document.xml"] = etree.tostring(page)
    monkeypatch.setattr(docx_renderer, "template_bytes", lambda name: write_package(parts))
    with pytest.raises(AssertionError, match=r"^a style template ends its body"):
        render_docx(_document())


def _without_margins(monkeypatch: pytest.MonkeyPatch, *sides: str) -> None:
    """The shipped template with the page setup's margins on `sides` left unsaid."""
    parts = read_package(template_bytes(DEFAULT_STYLE))
    page = etree.fromstring(parts["word/document.xml"])
    margins: Any = page.find(f"{W}body/{W}sectPr/{W}pgMar")
    for side in sides:
        del margins.attrib[f"{W}{side}"]
    parts["word/document.xml"] = etree.tostring(page)
    monkeypatch.setattr(docx_renderer, "template_bytes", lambda name: write_package(parts))


def test_a_margin_the_template_leaves_unsaid_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    table = Table((), "", 2, (Row((_cell("项目"), _cell("说明"))),), (1, 1))
    _without_margins(monkeypatch, "left", "right")
    body = etree.fromstring(read_package(render_docx(_document(table)))["word/document.xml"])
    assert [w.get(f"{W}w") for w in body.iter(f"{W}tblW")] == ["11906"]  # the page's width


def test_a_form_fits_a_page_without_top_and_bottom_margins(
    monkeypatch: pytest.MonkeyPatch, example_draft: Any
) -> None:
    """附件2-4 runs over its page in 五号 with the margins; without, it fits."""
    result = example_draft
    _without_margins(monkeypatch, "top", "bottom")
    opened = _open(render_docx(result.document))
    styles = {
        p.style.name for row in opened.tables[-1].rows for c in row.cells for p in c.paragraphs
    }
    assert "Small Table Text" in styles and "Compact Table Text" not in styles


def test_the_line_a_template_leaves_unsaid_is_a_fifth_more_than_each_size() -> None:
    """Where no style of a table text's chain states a line height (Normal's
    neither), each table size's line is 1.2 of its font: what the page fit of a
    form is measured in (小四 288 twips, 五号 252, 小五 216, for the shipped sizes)."""
    texts = ("Normal", "Table Text", "Small Table Text", "Compact Table Text")

    def bare(root: Any) -> None:
        for name in texts:
            _without_line(root, name)

    parts = read_package(_restyled(bare))
    sizes = docx_renderer._read_styles(parts["word/styles.xml"], DEFAULT_STYLE).sizes
    assert (sizes.digit, sizes.small_digit, sizes.compact_digit) == (120, 105, 90)
    assert (sizes.line, sizes.small_line, sizes.compact_line) == (288, 252, 216)

    def stated(root: Any) -> None:
        bare(root)
        for name, line in zip(texts[1:], ("300", "240", "200"), strict=True):
            _set_line(root, name, line)

    parts = read_package(_restyled(stated))
    sizes = docx_renderer._read_styles(parts["word/styles.xml"], DEFAULT_STYLE).sizes
    assert (sizes.line, sizes.small_line, sizes.compact_line) == (300, 240, 200)


def test_a_forms_rows_and_sign_off_are_measured_as_the_template_draws_them() -> None:
    """The border between rows (w:insideH, in eighths of a point: 0.5 pt is 10
    twips) and the sign-off line with the space above it (Form Sign-off: 6 pt
    before a 22 pt line) decide what a form's page holds; a template that states
    no row border is taken to draw 0.75 pt, one that draws none (nil) takes none;
    the space before and the line are read through the style's base, the line
    where none states one 1.2 of the font."""

    def sizes(change: Callable[[Any], None]) -> tuple[int, int]:
        parts = read_package(_restyled(change))
        read = docx_renderer._read_styles(parts["word/styles.xml"], DEFAULT_STYLE).sizes
        return read.edge, read.sign_off

    def border(root: Any) -> Any:
        return _style(root, "Report Table").find(f"{W}tblPr/{W}tblBorders/{W}insideH")

    def without_border(root: Any) -> None:
        border(root).getparent().remove(border(root))

    def thicker(root: Any) -> None:
        border(root).set(f"{W}sz", "8")

    def undrawn(root: Any) -> None:
        border(root).set(f"{W}val", "nil")

    def none(root: Any) -> None:  # Word writes nil; `none` is the other spelling of it
        border(root).set(f"{W}val", "none")

    def inherited(root: Any) -> None:  # Normal states the space before; the line is Normal's
        spacing = _style(root, "Form Sign-off").find(f"{W}pPr/{W}spacing")
        spacing.getparent().remove(spacing)
        _style(root, "Normal").find(f"{W}pPr/{W}spacing").set(f"{W}before", "100")

    def sized_by_base(root: Any) -> None:  # the size from Normal, the line from the size
        _set_size(root, "Form Sign-off", None)
        _without_line(root, "Form Sign-off")
        _without_line(root, "Normal")
        _set_size(root, "Normal", "24")

    def sized_by_defaults(root: Any) -> None:  # no style of the chain states a size
        sized_by_base(root)
        _set_size(root, "Normal", None)
        root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}sz").set(f"{W}val", "22")

    assert sizes(lambda root: None) == (10, 120 + 440)
    assert sizes(sized_by_base) == (10, 120 + 24 * 12)
    assert sizes(sized_by_defaults) == (10, 120 + 22 * 12)
    assert sizes(without_border) == (15, 560)
    assert sizes(thicker) == (20, 560)
    assert sizes(undrawn) == (0, 560)
    assert sizes(none) == (0, 560)
    assert sizes(inherited) == (10, 100 + 579)

    def unsaid(root: Any) -> None:  # no space before, no line: 1.2 lines of its 14 pt
        for name in ("Form Sign-off", "Normal"):
            spacing = _style(root, name).find(f"{W}pPr/{W}spacing")
            spacing.getparent().remove(spacing)

    assert sizes(unsaid) == (10, 336)
