"""Write the workbooks tests/test_data.py reads: tests/data/收支表.xlsx, laid out
as the final-accounts reporting system exports a table (a title, a unit line,
项目 / 行次 / 决算数 twice across for the income and the expenditure side), and
its .xls and .ods copies, which LibreOffice converts when it is installed; and
tests/data/格式.xlsx, whose cells show other numbers than they store (number
formats), also copied to the W601 corpus of tests/golden/errors/, and its .xls
and .ods copies.

    .venv/bin/python scripts/make_test_workbooks.py

The files are committed: the tests need neither openpyxl's writer nor LibreOffice.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import openpyxl

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
Z01: list[list[str | int | float | None]] = [
    ["收入支出决算总表"],
    ["财决01表", None, None, None, None, "单位：元"],
    [],
    ["项目", "行次", "决算数", "项目", "行次", "决算数"],
    ["一、一般公共预算财政拨款收入", 1, 2165300.00, "一、一般公共服务支出", 32, 1752400.00],
    ["二、上级补助收入", 2, 13800.00, "二、社会保障和就业支出", 33, 426700.00],
    ["三、事业收入", 3, "—", "三、卫生健康支出", 34, "0.00"],
    ["本年收入合计", 4, 2179100.00, "本年支出合计", 35, 2179100.00],
]


def _as_excel_saves_it(path: Path) -> None:
    """Excel saves a double with 17 significant digits (0.1 + 0.2 as
    0.30000000000000004); openpyxl with fewer. Write the sum as Excel does."""
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    part = "xl/worksheets/sheet2.xml"
    assert b"<v>0.3</v>" in parts[part]
    parts[part] = parts[part].replace(b"<v>0.3</v>", b"<v>0.30000000000000004</v>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


# 项目, the stored value, its number format
FORMATTED: list[tuple[str, float | int, str]] = [
    ("整分", 1234.5, "#,##0.00"),  # shows 1,234.50: what it stores
    ("四舍五入", 1234.5678, "0.00"),  # shows 1234.57
    ("比率", 0.12345, "0.0%"),  # shows 12.3%
    ("负数", -2.5, "#,##0;(#,##0)"),  # shows (3)
    ("千元", 1234500, '#,##0,"千"'),  # shows 1,235千, scaled by 1000
    ("通用", 0.125, "General"),  # shows what it stores
    ("日期", 45291, "yyyy-mm-dd"),  # a date: not compared
]


def number_formats() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "显示"
    sheet.append(["项目", "金额"])
    for label, value, code in FORMATTED:
        sheet.append([label, value])
        sheet.cell(sheet.max_row, 2).number_format = code
    target = DATA / "格式.xlsx"
    book.save(target)
    corpus = DATA.parent / "golden" / "errors" / "W601-hidden-digits"
    corpus.mkdir(exist_ok=True)
    shutil.copy(target, corpus / target.name)
    _copies(target, ("xls", "ods"))


def _copies(target: Path, kinds: tuple[str, ...]) -> None:
    """The workbook converted by LibreOffice into each of `kinds`, beside it."""
    soffice = shutil.which("soffice")
    if soffice is None:
        print(f"soffice not found: no {', '.join(kinds)} copies of {target.name}")
        return
    with tempfile.TemporaryDirectory() as scratch:
        for kind in kinds:
            subprocess.run(
                [soffice, "--headless", "--convert-to", kind, "--outdir", scratch, str(target)],
                check=True,
                capture_output=True,
            )
            shutil.copy(Path(scratch) / f"{target.stem}.{kind}", target.with_suffix(f".{kind}"))


def main() -> None:
    number_formats()
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Z01 收入支出决算总表(财决01表)"
    for row in Z01:
        sheet.append(row)
    sheet.merge_cells("A1:F1")
    other = book.create_sheet("Z03 收入决算表")
    other.append(["项目", "本年收入合计", "人数"])
    other.append(["合计", 0.1 + 0.2, 14])  # saved as 0.30000000000000004
    other.append(["金额（文本）", "1,234.50", None])  # a number saved as text
    computed = book.create_sheet("公式")
    computed.append(["项目", "金额"])
    computed.append(["甲", 2])
    computed.append(["乙", "=B2*3"])  # openpyxl saves no value for it
    DATA.mkdir(exist_ok=True)
    target = DATA / "收支表.xlsx"
    book.save(target)
    _as_excel_saves_it(target)
    _copies(target, ("xls", "ods"))
    print(f"wrote {target}, {DATA / '格式.xlsx'} and their .xls and .ods copies")


if __name__ == "__main__":
    main()
