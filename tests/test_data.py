"""Figures read from workbooks and CSV files: by label and header or by address,
exact (Excel's 15 significant digits, never a float artefact), in the declared
unit, each knowing its cell; every bad data file or cell named in a diagnostic.
The workbooks are tests/data/收支表.{xlsx,xls,ods} (scripts/make_test_workbooks.py)."""

from __future__ import annotations

import io
import shutil
import zipfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rpt.base.codes import Code
from rpt.base.diagnostics import render_all_text
from rpt.check import resolve
from rpt.data import bind
from rpt.data.workbook import excel_number
from rpt.pipeline import Compilation, compile_report
from rpt.render.markdown import render_markdown
from rpt.syntax import tree as ast

DATA = Path(__file__).parent / "data"
KINDS = ("xlsx", "xls", "ods")


def _report(tmp_path: Path, text: str, *files: str) -> Compilation:
    for name in files:
        shutil.copy(DATA / name, tmp_path / name)
    (tmp_path / "main.rpt").write_text(text, encoding="utf-8")
    return compile_report(tmp_path / "main.rpt")


def _values(result: Compilation) -> dict[str, object]:
    assert result.facts is not None, render_all_text(result.diagnostics)
    return {name: record.value for name, record in result.facts.figures.items()}


@pytest.mark.parametrize("kind", KINDS)
def test_figures_by_label_and_header_from_every_kind_of_workbook(tmp_path: Path, kind: str) -> None:
    result = _report(
        tmp_path,
        f'data 收支表 = "收支表.{kind}" sheet "Z01 收入支出决算总表(财决01表)" unit 元\n'
        'let 收入.财政拨款 = 收支表["一、一般公共预算财政拨款收入", "决算数"] to 万元\n'
        'let 支出.社保 = 收支表["二、社会保障和就业支出", "决算数"] to 万元\n'
        'let 收入.上级补助 = 收支表["C6"] to 万元\n'
        "check 收入.财政拨款 + 收入.上级补助 == 217.91 万元\n"
        "<收入.财政拨款>、<支出.社保>、<收入.上级补助>\n",
        f"收支表.{kind}",
    )
    assert not result.diagnostics, render_all_text(result.diagnostics)
    values = _values(result)
    assert values["收入.财政拨款"] == Fraction("216.53")  # 元 read as 万元, exactly
    assert values["支出.社保"] == Fraction("42.67")  # the expenditure side's 决算数
    assert values["收入.上级补助"] == Fraction("1.38")
    assert result.document is not None
    assert render_markdown(result.document).startswith("216.53万元、42.67万元、1.38万元")


@pytest.mark.parametrize("kind", KINDS)
def test_a_stored_double_is_read_at_fifteen_digits(tmp_path: Path, kind: str) -> None:
    """0.1 + 0.2, saved as 0.30000000000000004, is 0.3; a number saved as text is
    the number it shows."""
    result = _report(
        tmp_path,
        f'data 收入表 = "收支表.{kind}" sheet "Z03 收入决算表" unit 万元 unit "人数": 人\n'
        'let 合计 = 收入表["合计", "本年收入合计"]\n'
        'let 文本 = 收入表["金额（文本）", "本年收入合计"]\n'
        'let 人数 = 收入表["合计", "人数"]\n',
        f"收支表.{kind}",
    )
    assert not result.diagnostics, render_all_text(result.diagnostics)
    values = _values(result)
    assert values == {"合计": Fraction("0.3"), "文本": Fraction("1234.5"), "人数": 14}
    assert result.facts is not None
    assert result.facts.figures["人数"].unit == "人"  # its column's unit


@given(st.floats(min_value=-1e300, max_value=1e300, allow_nan=False))
def test_excel_numbers_round_trip_at_fifteen_digits(value: float) -> None:
    number = excel_number(value)
    assert len(number.as_tuple().digits) <= 15 or number == number.to_integral_value()
    assert float(number) == pytest.approx(value, rel=1e-14, abs=0)
    assert f"{value:.15g}" == f"{float(number):.15g}" or value == 0


def test_provenance_in_facts_explain_and_failed_checks(tmp_path: Path) -> None:
    result = _report(
        tmp_path,
        'data 收支表 = "收支表.xlsx" unit 元\n'
        'let 收入.上级补助 = 收支表["二、上级补助收入", "决算数"] to 万元\n'
        "check 收入.上级补助 == 1.83 万元\n",
        "收支表.xlsx",
    )
    assert result.facts is not None
    [cell] = result.facts.figures["收入.上级补助"].cells
    assert (cell.sheet, cell.address, cell.shown) == (
        "Z01 收入支出决算总表(财决01表)",
        "C6",
        "13800",
    )
    assert cell.file.endswith("收支表.xlsx")
    [failed] = result.diagnostics
    assert failed.code is Code.CHECK_FAILED
    assert any(
        "`收入.上级补助` is read from" in note and "cell C6 (13800)" in note
        for note in failed.notes
    )


def test_the_data_files_digests_are_recorded(tmp_path: Path) -> None:
    text = 'data 收支表 = "收支表.xlsx" unit 元\n<收支表["C5"] to 万元>\n'
    result = _report(tmp_path, text, "收支表.xlsx")
    assert result.document is not None
    [(name, digest)] = result.data_files
    assert name.endswith("收支表.xlsx") and len(digest) == 64
    markdown = render_markdown(result.document)
    assert f"sha256:{digest}" in markdown
    (tmp_path / "收支表.xlsx").write_bytes(b"")  # a changed workbook, a changed record
    assert compile_report(tmp_path / "main.rpt").data_files != result.data_files


def test_a_data_file_is_recorded_once_and_as_the_report_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record that ends the Markdown is the same from any working directory
    (a build's output must not depend on where it was started), and names a
    workbook once however many of its sheets the report reads."""
    (tmp_path / "数据").mkdir()
    shutil.copy(DATA / "收支表.xlsx", tmp_path / "数据" / "收支表.xlsx")
    (tmp_path / "main.rpt").write_text(
        'data 总表 = "数据/收支表.xlsx" sheet "Z01" unit 元\n'
        'data 收入表 = "数据/收支表.xlsx" sheet "Z03" unit 元\n'
        '<总表["C6"] to 万元>，<收入表["B2"]>\n',
        encoding="utf-8",
    )
    outputs = []
    for directory in (tmp_path, tmp_path / "数据", tmp_path.parent):
        monkeypatch.chdir(directory)
        result = compile_report(tmp_path / "main.rpt")
        assert result.document is not None, render_all_text(result.diagnostics)
        [(name, _)] = result.data_files
        assert name == "数据/收支表.xlsx"
        outputs.append(render_markdown(result.document))
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0].count("数据/收支表.xlsx sha256:") == 1


def _codes(result: Compilation) -> list[Code]:
    return [d.code for d in result.diagnostics]


def test_a_formula_saved_without_its_value(tmp_path: Path) -> None:
    result = _report(
        tmp_path,
        'data 公式 = "收支表.xlsx" sheet "公式" unit 元\n<公式["乙", "金额"]>\n',
        "收支表.xlsx",
    )
    [diagnostic] = result.diagnostics
    assert diagnostic.code is Code.NOT_A_NUMBER
    assert "cell B3 holds a formula saved without its value" in diagnostic.message


def test_a_formula_with_its_value_is_read(tmp_path: Path) -> None:
    result = _report(
        tmp_path,
        'data 公式 = "收支表.xls" sheet "公式" unit 元\nlet 乙 = 公式["乙", "金额"]\n',
        "收支表.xls",
    )
    assert _values(result) == {"乙": 6}


def test_an_empty_cell_and_a_missing_sheet(tmp_path: Path) -> None:
    result = _report(
        tmp_path,
        'data 收支表 = "收支表.xlsx" unit 元\n'
        'data 表 = "收支表.xlsx" sheet "Z01 收入支出决算表" unit 元\n'
        'let 事业 = 收支表["三、事业收入", "决算数"]\n',
        "收支表.xlsx",
    )
    assert _codes(result) == [Code.UNKNOWN_SHEET, Code.NOT_A_NUMBER]
    sheet, empty = result.diagnostics
    assert sheet.message.endswith("has no sheet `Z01 收入支出决算表`")
    assert "cell C7 is empty (—)" in empty.message


def test_a_csv_file_in_gb18030(tmp_path: Path) -> None:
    (tmp_path / "人员.csv").write_bytes("项目,人数\n在职人员,12\n".encode("gb18030"))
    result = _report(
        tmp_path, 'data 人员 = "人员.csv" unit 人\nlet 在职 = 人员["在职人员", "人数"]\n'
    )
    assert _values(result) == {"在职": 12}


def test_data_files_stay_inside_the_root(tmp_path: Path) -> None:
    inside = tmp_path / "report"
    inside.mkdir()
    shutil.copy(DATA / "收支表.xlsx", tmp_path / "收支表.xlsx")
    (inside / "main.rpt").write_text('data 表 = "../收支表.xlsx" unit 元\n', encoding="utf-8")
    assert _codes(compile_report(inside / "main.rpt")) == [Code.OUTSIDE_ROOT]
    assert _codes(compile_report(inside / "main.rpt", root=tmp_path)) == []


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a workbook at all", "is not a workbook"),
        (b"PK\x03\x04 truncated", "is damaged"),
        (_zip({"xl/worksheets/sheet1.xml": b"0" * (300 * 1024 * 1024 // 100)}), "unpacks to"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "is encrypted",
        ),
        (_zip({"mimetype": b"garbage"}), "cannot be read as a workbook"),
    ],
    ids=["text", "truncated", "bomb", "encrypted", "not-a-spreadsheet-zip"],
)
def test_a_bad_workbook_is_named(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "坏.xlsx").write_bytes(content)
    result = _report(tmp_path, 'data 坏 = "坏.xlsx" unit 元\n<坏["A1"]>\n')
    [diagnostic] = result.diagnostics
    assert diagnostic.code is Code.BAD_DATA
    assert message in diagnostic.message
    assert diagnostic.span is not None and diagnostic.span.text() == '"坏.xlsx"'


def test_a_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    bomb = _zip({"xl/worksheets/sheet1.xml": b"0" * (250 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    (tmp_path / "炸.xlsx").write_bytes(bomb)
    result = _report(tmp_path, 'data 炸 = "炸.xlsx" unit 元\n')
    assert _codes(result) == [Code.BAD_DATA]


def test_a_figure_is_not_a_data_source(tmp_path: Path) -> None:
    result = _report(tmp_path, 'let 表 = 1 元\n<表["A1"]>\n')
    [diagnostic] = result.diagnostics
    assert diagnostic.code is Code.UNKNOWN_DATA
    assert diagnostic.message == "`表` is a figure, not a data source"


def test_decimal_values_stay_decimal(tmp_path: Path) -> None:
    (tmp_path / "小数.csv").write_text("项目,数\n甲,0.1\n乙,0.2\n", encoding="utf-8")
    result = _report(
        tmp_path,
        'data 表 = "小数.csv" unit 元\nlet 和 = 表["甲", "数"] + 表["乙", "数"]\n'
        "check 和 == 0.3 元 exact\n",
    )
    assert not result.diagnostics
    assert _values(result)["和"] == Fraction(Decimal("0.3"))


def test_a_sheet_by_the_start_of_its_name(tmp_path: Path) -> None:
    result = _report(
        tmp_path,
        'data 表 = "收支表.xlsx" sheet "Z03" unit 万元\nlet 合计 = 表["合计", "本年收入合计"]\n'
        'data 两表 = "收支表.xlsx" sheet "Z0" unit 元\n',
        "收支表.xlsx",
    )
    assert _values(result)["合计"] == Fraction("0.3")
    [diagnostic] = result.diagnostics
    assert diagnostic.code is Code.UNKNOWN_SHEET
    assert "2 sheets of" in diagnostic.message


def test_a_workbook_changed_between_two_builds_of_one_process_is_read_anew(
    tmp_path: Path,
) -> None:
    """Workbooks are opened once per content (many sheets of one file): an edited
    file is other content, never the one opened before."""
    import openpyxl  # noqa: PLC0415  (a test extra)

    def write(amount: int) -> None:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "表一"
        sheet.append(["项目", "金额"])
        sheet.append(["收入", amount])
        book.create_sheet("表二").append(["项目", "人数"])
        book["表二"].append(["在职", 12])
        book.save(tmp_path / "数据.xlsx")

    text = (
        'data 一 = "数据.xlsx" sheet "表一" unit 元\n'
        'data 二 = "数据.xlsx" sheet "表二" unit 人\n'
        'let 收入 = 一["收入", "金额"]\nlet 人数 = 二["在职", "人数"]\n'
    )
    (tmp_path / "main.rpt").write_text(text, encoding="utf-8")
    write(100)
    assert _values(compile_report(tmp_path / "main.rpt")) == {"收入": 100, "人数": 12}
    write(250)
    assert _values(compile_report(tmp_path / "main.rpt")) == {"收入": 250, "人数": 12}


class _Strange:
    """An inline of a kind no pass knows."""


@pytest.mark.parametrize(
    "look",
    [
        bind._in_inlines,
        lambda inlines: resolve._ref_expressions(inlines, []),
        resolve._texts,
    ],
    ids=["bind: reads a cell", "resolve: references", "resolve: full-width brackets"],
)
def test_an_inline_of_an_unknown_kind_is_never_passed_over(look: Any) -> None:
    """Whether an item reads a data cell, and which references resolve checks,
    are told by the inlines' types: a kind they do not know stops them, rather
    than leaving a reference in it unread (and its cell unbound)."""
    strange: Any = _Strange()
    with pytest.raises(AssertionError, match="_Strange"):
        look((ast.Text("前", None), strange))  # type: ignore[arg-type]
