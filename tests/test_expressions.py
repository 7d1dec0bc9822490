"""Typing expressions (compiler/check/expressions.py): the unit and kind each
operator gives, values scaled into one unit, and the diagnostics of operands
that do not fit (their full text: tests/golden/errors/E304-type-mismatch/)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from rpt.base.codes import Code
from rpt.check.expressions import Literals, Typer
from rpt.pipeline import compile_report, compile_source
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
        ('"完成" + (率.甲:%)', "完成30%"),  # a format inside a formula: the text it prints
        ('"值" + (0.176 万元:,)', "值0.176万元"),  # a literal prints with the decimals written
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
        ("2 / 率.甲", Code.UNFORMATTED_RATIO),  # a number over a percent: the percents cancel
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
        ("not (人数 == 4 人)", [Code.CHECK_FAILED]),
        ("(1 > 2) == false", []),
        ("true != (1 > 2)", []),
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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("check (1 and 2 > 1) == 3", "`and` needs a condition, but `1` is a pure number"),
        ("check (not 3) == 4", "`not` needs a condition, but `3` is a pure number"),
        ("<(支出.甲:%) + 1>", "`支出.甲` is in 万元, it cannot be printed as a percent"),
        ('<"完成" + (支出.甲:%)>', "`支出.甲` is in 万元, it cannot be printed as a percent"),
        ('<(支出.甲:%) + "完成">', "`支出.甲` is in 万元, it cannot be printed as a percent"),
        ('<"x" + (名称:.2)>', "a format needs a number, but `名称` is a text"),
        ("<1 + 名称>", "`+` needs a number, but `名称` is a text"),
        (
            '<if(人数 > 1 人, 1, "x") + 1>',
            'the two branches of if() differ: `1` (a pure number) and `"x"` (a text)',
        ),
    ],
)
def test_an_operand_in_error_gives_one_error(text: str, message: str) -> None:
    """What contains an error is reported once: the expression around it reports
    nothing more (a text joined to it, a comparison of it with a number)."""
    assert [d.message for d in compile_source(FIGURES + text + "\n").diagnostics] == [message]


NUMBER_OR_TEXT = """table 表
columns | 项目 | 金额: 万元 | 占比: % |
row a | 甲 | 0 | = if(金额 == 0 万元, "—", 金额 / 金额) |
end
"""


@pytest.mark.parametrize(
    ("check", "message"),
    [
        ("1% < 表.a.占比", "a comparison needs a number, but `表.a.占比` may be a text"),
        ("(1% < 表.a.占比) == 3", "a comparison needs a number, but `表.a.占比` may be a text"),
        ("表.a.占比 * 2 == 3 人", "`*` needs a number, but `表.a.占比` may be a text"),
    ],
)
def test_a_number_or_a_text_is_not_computed_with(check: str, message: str) -> None:
    [diagnostic] = compile_source(NUMBER_OR_TEXT + f"check {check}\n").diagnostics
    assert (diagnostic.message, diagnostic.label) == (message, "a number or a text")
    assert diagnostic.span is not None and diagnostic.span.text() == "表.a.占比"


@pytest.mark.parametrize(
    ("check", "note"),
    [
        ("元值 to 万元 == 1 万元", "left:  `元值 to 万元` = 0.5万元"),
        ("支出.甲 == 0", "right: `0` = 0万元"),  # a bare 0, in the unit of the other side
        ("0 == 支出.甲", "left:  `0` = 0万元"),
        # an order is decided exactly: the ranges at 2 + 2 decimals, whatever is written
        (
            "1.234 万元 / 3 < 0.411 万元",
            "every value that rounds to the printed inputs gives: "
            "left 0.4111–0.4115万元, right 0.4105–0.4115万元",
        ),
    ],
)
def test_a_failed_check_shows_its_sides_as_written(check: str, note: str) -> None:
    [diagnostic] = compile_source(FIGURES + f"check {check}\n").diagnostics
    assert note in diagnostic.notes


@pytest.mark.parametrize("check", ['名称 != "甲"', "not (人数 == 4 人)"])
def test_a_failed_check_points_at_its_condition(check: str) -> None:
    [diagnostic] = compile_source(FIGURES + f"check {check}\n").diagnostics
    assert diagnostic.code is Code.CHECK_FAILED
    assert diagnostic.span is not None and diagnostic.span.text() == check


def test_a_figure_printed_inside_a_formula_too_long_is_refused_where_it_is_printed() -> None:
    text = 'let big = (10 ^ 60) ^ 14\nlet t = "值" + (big:,)\n<t>\n'  # 1,121 characters
    [diagnostic] = compile_source(text).diagnostics
    assert diagnostic.code is Code.LIMIT_EXCEEDED
    assert diagnostic.span is not None and diagnostic.span.text() == "(big:,)"


def test_a_number_read_from_a_data_file_keeps_its_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "数.csv").write_text("项目,数\n甲,1\n乙,2\n", encoding="utf-8")
    text = 'data 表 = "数.csv" unit 元\nlet 和 = 表["甲", "数"] + 表["乙", "数"]\n'
    (tmp_path / "main.rpt").write_text(text + "check 和 == 4 元\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the file is named as from where rpt runs
    [diagnostic] = compile_report(Path("main.rpt")).diagnostics
    assert diagnostic.notes[-2:] == (
        "`和` is read from 数.csv, cell B2 (1)",
        "`和` is read from 数.csv, cell B3 (2)",
    )


def test_literals_nested_restore_the_outer_setting() -> None:
    """A literals context restores the setting it found, so that contexts nest."""
    typer = cast(Typer, SimpleNamespace(exact_literals=False))
    with Literals(typer, True):
        with Literals(typer, False):
            assert typer.exact_literals is False
        assert typer.exact_literals is True
    assert typer.exact_literals is False
