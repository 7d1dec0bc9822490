"""A cell's stored value and its displayed value: the figure is the stored one,
and a cell whose number format shows other digits is warned about (W601),
naming the cell, the stored and the shown value. tests/data/格式.xlsx
(scripts/make_test_workbooks.py) holds one cell of each kind of format."""

from __future__ import annotations

import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rpt.base.codes import Code
from rpt.data.number_format import shown
from rpt.data.ods_formats import ods_formats
from rpt.pipeline import Compilation, compile_report

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("value", "code", "number", "text"),
    [
        ("1234.5678", "0.00", "1234.57", "1234.57"),
        ("1234.5", "#,##0.00", "1234.50", "1,234.50"),
        ("0.12345", "0.0%", "0.123", "12.3%"),
        ("0.125", "0%", "0.13", "13%"),  # half away from zero, as Excel rounds
        ("-2.5", "#,##0;(#,##0)", "-3", "(3)"),
        ("-2.5", "0.0", "-2.5", "-2.5"),
        ("1234500", '#,##0,"千"', "1235000", "1,235千"),
        ("-1", '0.00;-0.00;"—"', "-1.00", "-1.00"),
        ("7", '0.00" 元"', "7.00", "7.00 元"),
        ("3.14159", "[Red]0.0#", "3.14", "3.14"),
        ("5", "#,##0.00_);[Red](#,##0.00)", "5.00", "5.00"),
    ],
)
def test_what_a_format_shows(value: str, code: str, number: str, text: str) -> None:
    on_screen = shown(Decimal(value), code)
    assert on_screen is not None
    assert (on_screen.value, on_screen.text) == (Decimal(number), text)


@pytest.mark.parametrize(
    "code", ["General", "yyyy-mm-dd", "@", "# ?/?", "0.00E+00", "h:mm", "[>=100]0;0.0"]
)
def test_formats_that_show_no_plain_number_are_not_compared(code: str) -> None:
    assert shown(Decimal("1234.5678"), code) is None


def test_a_zero_section_without_digits_is_not_compared() -> None:
    assert shown(Decimal(0), '0.00;-0.00;"—"') is None


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
    st.sampled_from(["0.00", "#,##0.00", "0.00;(0.00)", "#,##0.00_);(#,##0.00)"]),
)
def test_a_cell_in_whole_fen_shows_what_it_stores(value: Decimal, code: str) -> None:
    on_screen = shown(value, code)
    assert on_screen is not None and on_screen.value == value


@given(st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False))
def test_the_shown_value_is_the_stored_one_at_the_shown_precision(value: Decimal) -> None:
    on_screen = shown(value, "0.00")
    assert on_screen is not None
    assert abs(on_screen.value - value) <= Decimal("0.005")
    assert (on_screen.value == value) == (value == value.quantize(Decimal("0.01")))


def compile_report_with(tmp_path: Path, text: str, kind: str = "xlsx") -> Compilation:
    shutil.copy(DATA / f"格式.{kind}", tmp_path / f"格式.{kind}")
    (tmp_path / "main.rpt").write_text(
        f'data 表 = "格式.{kind}" sheet "显示" unit 元\n' + text, encoding="utf-8"
    )
    return compile_report(tmp_path / "main.rpt")


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_the_figure_is_the_stored_value_and_the_difference_is_warned(
    tmp_path: Path, kind: str
) -> None:
    result = compile_report_with(tmp_path, 'let 甲 = 表["四舍五入", "金额"]\n<甲>\n', kind)
    (warning,) = result.diagnostics
    assert warning.code is Code.HIDDEN_DIGITS
    assert warning.message.endswith(
        f"格式.{kind}, sheet 显示, cell B3 stores 1234.5678 but shows 1234.57 "
        "(its number format is `0.00`)"
    )
    assert warning.notes == ("the figure is the stored value, 1234.5678",)
    assert result.facts is not None
    assert result.facts.figures["甲"].value == Fraction("1234.5678")
    assert result.document is not None  # a warning: the report builds


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_every_kind_of_format_is_compared_in_every_kind_of_workbook(
    tmp_path: Path, kind: str
) -> None:
    """LibreOffice writes the .xls and .ods copies' formats in its own ways
    (`\\(#,##0\\)`; an .ods number style): each cell shows the same."""
    labels = ["整分", "四舍五入", "比率", "负数", "千元", "通用"]
    text = "".join(f'let 甲{i} = 表["{label}", "金额"]\n' for i, label in enumerate(labels))
    result = compile_report_with(tmp_path, text, kind)
    shown = [d.message.split(" but shows ")[1].split(" (")[0] for d in result.diagnostics]
    assert shown == ["1234.57", "12.3%", "(3)", "1,235千"]


def test_ods_number_styles_become_format_codes() -> None:
    content = (DATA / "格式.ods").read_bytes()
    assert ods_formats(content, "显示") == {
        "B2": "#,##0.00",
        "B3": "0.00",
        "B4": "0.0%",
        "B5": '#,##0;"("#,##0")"',  # non-negative by the style its condition names
        "B6": '#,##0,"千"',  # display factor 1000
    }
    assert ods_formats(content, "no such sheet") == {}


@pytest.mark.parametrize("label", ["整分", "通用"])
def test_a_cell_that_shows_what_it_stores_is_not_warned(tmp_path: Path, label: str) -> None:
    result = compile_report_with(tmp_path, f'let 甲 = 表["{label}", "金额"]\n')
    assert result.diagnostics == []
