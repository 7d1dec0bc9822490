"""Typing expressions (compiler/check/expressions.py): the unit and kind each
operator gives, values scaled into one unit, and the diagnostics of operands
that do not fit (their full text: tests/golden/errors/E304-type-mismatch/)."""

from __future__ import annotations

import pytest

from rpt.base.codes import Code
from rpt.pipeline import compile_source
from rpt.render.markdown import render_markdown

FIGURES = (
    "let 支出.甲 = 3 万元\nlet 支出.乙 = 4 万元\nlet 元值 = 5000 元\n"
    'let 率.甲 = 30%\nlet 率.乙 = 20%\nlet 人数 = 4 人\nlet 名称 = "甲"\n'
)


def _printed(reference: str) -> str:
    result = compile_source(FIGURES + f"<{reference}>\n")
    assert result.document is not None, result.diagnostics
    assert not result.diagnostics
    return render_markdown(result.document).strip()


def _codes(text: str) -> list[Code]:
    return [d.code for d in compile_source(FIGURES + text + "\n").diagnostics]


@pytest.mark.parametrize(
    ("reference", "printed"),
    [
        ("支出.甲 - 0", "3万元"),  # a bare 0 takes the unit of the other side
        ("0 + 支出.甲", "3万元"),
        ("0 - 元值", "-5000元"),
        ("-支出.甲", "-3万元"),
        ("+支出.甲", "3万元"),
        ("支出.甲 * 2 + 元值", "6.5万元"),  # the sum in the left operand's unit
        ("元值 + 支出.甲", "35000元"),
        ("支出.甲 ^ 2", "9万元^2"),
        ("支出.甲 * 人数", "12万元·人"),
        ("支出.甲 / 人数", "0.75万元/人"),
        ("2 * 3", "6"),
        ("元值 to 万元", "0.5万元"),
        ("支出.甲 to 元", "30000元"),
        ("率.甲 + 率.乙", "50%"),  # a sum of rates and a rate less a number: no points
        ("率.甲 - 0.1", "20%"),
        ("率.甲 * 2", "60%"),
        ("(率.甲 - 率.乙):百分点", "10个百分点"),
        ("(率.甲 - 率.乙) / 2:百分点", "5个百分点"),  # points over a number stay points
        ("2 * (率.甲 - 率.乙):百分点", "20个百分点"),
        ("(率.甲 - 率.乙) / (率.甲 - 率.乙):%", "100%"),  # points over points: a ratio
        ("(率.甲 - 率.乙) * 支出.甲", "0.3万元"),
        ("(元值 / 支出.甲) ^ 2:.2%", "2.78%"),
        ("支出.甲、支出.乙", "3、4万元"),  # a list in the first figure's unit
        ("支出.甲、5000 元", "3、0.5万元"),
        ("5000 元、支出.甲", "5000、30000元"),
        ('名称 + "乙"', "甲乙"),
    ],
)
def test_each_operator_gives_its_unit_and_value(reference: str, printed: str) -> None:
    assert _printed(reference) == printed


@pytest.mark.parametrize(
    ("reference", "code"),
    [
        ("率.甲 - 率.乙", Code.POINTS_AS_PERCENT),
        ("(率.甲 - 率.乙) * 2", Code.POINTS_AS_PERCENT),  # printed 20% for 20 points
        ("率.甲 - 率.乙、率.乙 - 率.甲", Code.POINTS_AS_PERCENT),
        ("人数 / 人数", Code.UNFORMATTED_RATIO),
        ("(元值 / 支出.甲) ^ 2", Code.UNFORMATTED_RATIO),
        ("元值 / 支出.甲、1", Code.UNFORMATTED_RATIO),
        ("1、元值 / 支出.甲", Code.UNFORMATTED_RATIO),
        ("元值 / 支出.甲 + 1", Code.UNFORMATTED_RATIO),  # a ratio plus a number is one
        ("(率.甲 - 率.乙) + 1%", Code.POINTS_AS_PERCENT),  # points plus a rate are points
    ],
)
def test_ratios_and_points_must_say_how_they_print(reference: str, code: Code) -> None:
    [diagnostic] = compile_source(FIGURES + f"<{reference}>\n").diagnostics
    assert diagnostic.code is code
    assert diagnostic.message.startswith(f"`{reference}` is a ")


@pytest.mark.parametrize(
    ("check", "codes"),
    [
        ("1 万元 == 10000 元", []),  # compared in one unit
        ("10000 元 == 1 万元", []),
        ("1 万元 > 9000 元", []),
        ("1 万元 < 9000 元", [Code.CHECK_FAILED]),
        ("9000 元 > 1 万元", [Code.CHECK_FAILED]),
        ("1 万元 < 9999 元", [Code.UNCONFIRMED_CHECK]),  # 1 万元 may be 9950 元
        ("1 万元 < 9999 元 exact", [Code.CHECK_FAILED]),
        ('名称 == "甲"', []),
        ('名称 != "甲"', [Code.CHECK_FAILED]),
        ('"乙" < "甲"', []),  # texts in the order of their characters
        ("(1 > 2) == (2 < 1)", []),
        ("(1 > 2) != (2 > 1)", []),
        ("支出.甲 + 支出.乙 == 7 万元 and 人数 == 4 人", []),
        ("not (人数 > 5 人)", []),
        ("人数 > 5 人 or 人数 < 5 人", []),
        ("2 人 / 3 人 == 0.67", []),  # a ratio is compared at two decimals at least
        ("2 人 / 3 人 == 0.7", [Code.CHECK_FAILED]),  # 0.67 is not 0.70
        ("2 人 / 3 人 == 0.667", []),  # or at the decimals written
    ],
)
def test_comparisons_in_one_unit(check: str, codes: list[Code]) -> None:
    assert _codes(f"check {check}") == codes


def test_a_literal_with_too_many_digits_is_refused_where_it_is_written() -> None:
    [diagnostic] = compile_source(f"let 甲 = {'9' * 1001} 元\n").diagnostics
    assert diagnostic.code is Code.ARITHMETIC
    assert diagnostic.message == "this number has too many digits to compute with"
    assert diagnostic.label == "too long"
    assert diagnostic.help == "rpt computes exactly with numbers of up to 1000 digits"
    assert diagnostic.span is not None and diagnostic.span.location().endswith(":1:9")
