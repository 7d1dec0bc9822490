"""Tables bound to a data source (`from 收支表`): an `@` cell reads the source's
cell in its row's label and its column's header, in the column's unit, and
knows its cell; a label or header that is not there is a diagnostic that shows
the reference the `@` stands for."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from rpt.base.codes import Code
from rpt.base.diagnostics import Diagnostics, render_all_text
from rpt.document.model import Table
from rpt.pipeline import Compilation, compile_report
from rpt.render.markdown import render_markdown
from rpt.syntax.canonical import layout
from rpt.syntax.read import read_source

DATA = Path(__file__).parent / "data"
KINDS = ("xlsx", "xls", "ods")

TABLE = """\
data 总表 = "收支表.{kind}" sheet "Z01" unit 元

table 收支 "收入支出决算总表"
from 总表
unit 万元
columns | 收入项目 | 收入: 万元 | 支出项目 | 支出: 万元 |
header | 收入 | < | 支出 | < |
header | 项目 | 决算数 | 项目 | 决算数 |
row 一 | 一、一般公共预算财政拨款收入 | @ | 一、一般公共服务支出 | @ |
row 二 | 　二、上级补助收入 | @ | 二、社会保障和就业支出 | @ |
row 合计 | 本年收入合计 | = 一.收入 + 二.收入 | 本年支出合计 | @ |
check 合计 == 一 + 二
end

收入<收支.一.收入>，支出<收支.合计.支出>。
"""


def _report(tmp_path: Path, text: str, kind: str = "xlsx") -> Compilation:
    shutil.copy(DATA / f"收支表.{kind}", tmp_path / f"收支表.{kind}")
    (tmp_path / "main.rpt").write_text(text.replace("{kind}", kind), encoding="utf-8")
    return compile_report(tmp_path / "main.rpt")


@pytest.mark.parametrize("kind", KINDS)
def test_at_cells_read_their_row_label_and_column_header(tmp_path: Path, kind: str) -> None:
    result = _report(tmp_path, TABLE, kind)
    assert not result.diagnostics, render_all_text(result.diagnostics)
    assert result.facts is not None
    figures = result.facts.figures
    # each side of a two-sided table finds its own 决算数; 元 read as 万元, exactly
    assert figures["收支.一.收入"].value == Fraction("216.53")
    assert figures["收支.二.收入"].value == Fraction("1.38")  # its indent is layout
    assert figures["收支.一.支出"].value == Fraction("175.24")
    assert figures["收支.二.支出"].value == Fraction("42.67")
    assert figures["收支.合计.支出"].value == Fraction("217.91")
    assert figures["收支.一.支出"].unit == "万元"
    (cell,) = figures["收支.一.支出"].cells
    assert (cell.sheet, cell.address) == ("Z01 收入支出决算总表(财决01表)", "F5")
    assert result.document is not None
    markdown = render_markdown(result.document)
    assert "收入216.53万元，支出217.91万元。" in markdown
    assert '<td align="right">175.24</td>' in markdown


def test_an_at_cell_is_the_reference_written_out(tmp_path: Path) -> None:
    """`@` and the reference it stands for give the same document."""
    written = TABLE.replace(
        "| 一、一般公共服务支出 | @ |",
        '| 一、一般公共服务支出 | = 总表["一、一般公共服务支出", "决算数"] to 万元 |',
    )
    assert written != TABLE
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    documents = [_report(folder, text).document for folder, text in ((one, TABLE), (two, written))]
    assert documents[0] is not None and documents[1] is not None
    assert render_markdown(documents[0]) == render_markdown(documents[1])


def test_a_misspelt_label_shows_the_reference_and_the_sheets_closest_label(
    tmp_path: Path,
) -> None:
    result = _report(tmp_path, TABLE.replace("一、一般公共服务支出 | @", "一、一般公共服务 | @"))
    (diagnostic,) = result.diagnostics
    assert diagnostic.code is Code.CELL_NOT_FOUND
    assert "Z01 收入支出决算总表(财决01表)" in diagnostic.message  # the sheet, the file
    assert "收支表.xlsx" in diagnostic.message
    assert diagnostic.label == 'reads 总表["一、一般公共服务", "决算数"]'
    assert diagnostic.help == "did you mean `一、一般公共服务支出`?"
    assert diagnostic.span is not None and diagnostic.span.text() == "@"


def test_an_empty_cell_names_its_cell(tmp_path: Path) -> None:
    text = TABLE.replace("row 合计 |", "row 事业 | 三、事业收入 | @ | | |\nrow 合计 |").replace(
        "check 合计 == 一 + 二\n", ""
    )
    result = _report(tmp_path, text)
    (diagnostic,) = result.diagnostics
    assert diagnostic.code is Code.NOT_A_NUMBER
    assert "cell C7 is empty (—)" in diagnostic.message
    assert diagnostic.label == 'reads 总表["三、事业收入", "决算数"]'


def test_an_unknown_source_is_said_once(tmp_path: Path) -> None:
    result = _report(tmp_path, TABLE.replace("from 总表", "from 总账"))
    (diagnostic,) = result.diagnostics
    assert diagnostic.code is Code.UNKNOWN_DATA
    assert diagnostic.message == "there is no data source `总账`"
    assert diagnostic.help == "did you mean `总表`?"
    assert diagnostic.span is not None and diagnostic.span.text() == "总账"


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        (("from 总表\n", ""), Code.UNKNOWN_DATA, "the table has none"),
        (
            ("row 一 | 一、一般公共预算财政拨款收入 | @", "row 一 | | @"),
            Code.CELL_NOT_FOUND,
            "no label",
        ),
        (("row 一 | 一、一般公共预算财政拨款收入 | @", 'row 一 | "一" | @'), None, None),
        (
            ("header | 收入 | < | 支出 | < |\nheader | 项目 | 决算数 | 项目 | 决算数 |\n", ""),
            Code.CELL_NOT_FOUND,
            "no header",
        ),
    ],
)
def test_an_at_cell_needs_a_source_a_label_and_a_header(
    tmp_path: Path, change: tuple[str, str], code: Code | None, message: str | None
) -> None:
    text = TABLE.replace(*change)
    assert text != TABLE
    result = _report(tmp_path, text)
    if code is None:  # a quoted label is a label: no cell reads `一`
        assert [d.code for d in result.diagnostics] == [Code.CELL_NOT_FOUND]
        return
    found = [d for d in result.diagnostics if d.code is code]
    assert found, render_all_text(result.diagnostics)
    assert message is not None and message in found[0].message
    assert found[0].span is not None and found[0].span.text() == "@"


def test_a_table_reads_one_source(tmp_path: Path) -> None:
    result = _report(tmp_path, TABLE.replace("from 总表\n", "from 总表\nfrom 总表\n"))
    assert [d.code for d in result.diagnostics] == [Code.SYNTAX]
    assert "already reads from `总表`" in result.diagnostics[0].message


def test_fmt_keeps_from_and_at() -> None:
    source = read_source("main.rpt", TABLE.encode(), Diagnostics())
    assert source is not None
    laid = layout(source)
    assert "from 总表\n" in laid
    assert laid.count("@") == TABLE.count("@")


def test_an_at_cell_takes_its_columns_unit_before_the_tables(tmp_path: Path) -> None:
    result = _report(tmp_path, TABLE.replace("收入: 万元", "收入: 元"))
    assert result.facts is not None, render_all_text(result.diagnostics)
    figure = result.facts.figures["收支.一.收入"]
    assert (figure.value, figure.unit) == (Fraction(2165300), "元")


def test_an_at_cell_in_a_column_without_a_format_aligns_by_what_it_reads(tmp_path: Path) -> None:
    result = _report(tmp_path, TABLE.replace("支出: 万元", "支出"))
    assert result.document is not None, render_all_text(result.diagnostics)
    [table] = [block for block in result.document.blocks if isinstance(block, Table)]
    assert [cell.align for cell in table.rows[2].cells] == ["left", "right", "left", "right"]
