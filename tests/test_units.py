"""The unit table and unit algebra (the generated table itself: tests/test_generated_tables.py)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from rpt.check import units
from rpt.pipeline import compile_source
from rpt.render.markdown import render_markdown


def test_money_factors_are_exact() -> None:
    table = units.standard_units()
    assert {name: table.defs[name].factor for name in ("元", "千元", "万元", "亿元")} == {
        "元": Fraction(1),
        "千元": Fraction(1000),
        "万元": Fraction(10000),
        "亿元": Fraction(100000000),
    }
    assert table.defs["percent"].dimension == ()
    assert table.defs["人"].dimension != table.defs["件"].dimension


def test_one_unit_per_another() -> None:
    table = units.standard_units()
    table.define_base("人")
    per_person = table.lookup("元/人")
    assert per_person is not None
    assert per_person.label() == "元/人"
    wan_per_person = table.lookup("万元/人")
    assert wan_per_person is not None
    assert table.compatible(per_person, wan_per_person)
    assert table.conversion(wan_per_person, per_person) == 10000
    assert not table.compatible(per_person, units.Unit.named("元"))
    for nonsense in ("元/元", "元/年", "元/人/人", "/人", "元/"):
        assert table.lookup(nonsense) is None, nonsense


@pytest.mark.parametrize("zero", ["0", "0.0", "0.000", "00"])
def test_a_unit_of_zero_times_another_is_refused(zero: str) -> None:
    """`unit 零 = 0 元` used to be read as 1 元: a zero factor was taken for none."""
    result = compile_source(f"unit 零 = {zero} 元\nlet a = 5 零\n<a to 元>\n")
    assert [d.code.code for d in result.diagnostics] == ["E209"]


def test_a_unit_factor_is_exact() -> None:
    result = compile_source("unit 打 = 12 个\nunit 箱 = 0.5 打\nlet a = 1 箱\n<a to 个>\n")
    assert result.document is not None, result.diagnostics
    assert render_markdown(result.document) == "6个\n"


def test_unit_exponents_are_bounded() -> None:
    result = compile_source("let a = ((1 亿元 ^ 64) ^ 64) ^ 64\n")
    assert [d.code.code for d in result.diagnostics] == ["E304"]
    assert "raised beyond the power 16" in result.diagnostics[0].message
    many = " * ".join(["1 万元"] * 17)
    assert [d.code.code for d in compile_source(f"let a = {many}\n").diagnostics] == ["E304"]


# ---------------------------------------------------------------- off the happy path


def _printed(text: str) -> str:
    result = compile_source(text)
    assert result.document is not None, result.diagnostics
    return render_markdown(result.document).strip()


def _codes(text: str) -> list[str]:
    return [d.code.code for d in compile_source(text).diagnostics]


MONEY = "let 万 = 2 万元\nlet 元值 = 5000 元\nlet 千 = 3 千元\nlet 人数 = 4 人\n"


@pytest.mark.parametrize(
    ("expr", "printed"),
    [
        ("万 / 元值:num", "4"),  # 万元 ÷ 元: a pure number, the scale applied
        ("元值 / 万:num .2", "0.25"),
        ("千 / 万:num .4", "0.1500"),  # 千元 ÷ 万元
        ("万 / 千:num .4", "6.6667"),
        ("万 * 元值:num", "1"),  # 万元 × 元 in 万元²: 2 × 0.5
        ("万 - 元值", "1.5万元"),  # the result in the left operand's unit
        ("元值 - 万", "-15000元"),
        ("万 + 千", "2.3万元"),
        ("if(万 > 元值, 元值, 万)", "5000元"),  # the branches in the then-branch's unit
        ("if(万 < 元值, 元值, 万)", "20000元"),
        ("万 / 人数", "0.5万元/人"),
        ("万 / 人数:元/人", "5000元/人"),
    ],
)
def test_units_of_one_dimension_combine_exactly(expr: str, printed: str) -> None:
    assert _printed(MONEY + f"<{expr}>\n") == printed


@pytest.mark.parametrize(
    ("expr", "code", "words"),
    [
        ("万 - 人数", "E301", "cannot subtract `人数` (人) from `万` (万元)"),
        ("人数 - 万", "E301", "cannot subtract `万` (万元) from `人数` (人)"),
        ("万 + 人数", "E301", "cannot add `人数` (人) to `万` (万元)"),
        ("if(万 > 元值, 万, 人数)", "E301", "the two branches of if() differ"),
        ("if(万 == 人数, 1, 2)", "E301", "cannot compare `万` (万元) with `人数` (人)"),
    ],
)
def test_quantities_of_different_dimensions_do_not_mix(expr: str, code: str, words: str) -> None:
    [diagnostic] = compile_source(MONEY + f"<{expr}>\n").diagnostics
    assert diagnostic.code.code == code and words in diagnostic.message


def test_a_column_in_another_unit_than_the_tables_note_is_refused() -> None:
    """Under 单位：万元, a column in 元 printed 5000.00 where 5000 元 was meant."""
    table = "table 表\nunit 万元\ncolumns | 项目 | 金额: {unit} |\nrow a | 甲 | 5000 |\nend\n"
    assert _codes(table.format(unit="元")) == ["E301"]
    assert _codes(table.format(unit="万元")) == []
    assert ">5000.00<" in _printed(table.format(unit="万元").replace("unit 万元\n", ""))
    counts = "table 表\nunit 万元\ncolumns | 项目 | 人数: 人 |\nrow a | 甲 | 12 |\nend\n"
    assert _codes(counts) == []  # another dimension is not read as money


@pytest.mark.parametrize(
    ("pattern", "members"),
    [("支出.*", "1万元"), ("*.基本", "1万元"), ("支出.**", "3万元"), ("**.项", "2万元")],
)
def test_a_group_pattern_matches_exactly_one_segment_per_star(pattern: str, members: str) -> None:
    figures = "let 支出.基本 = 1 万元\nlet 支出.其他.项 = 2 万元\n"
    assert _printed(figures + f"<sum({pattern})>\n") == members
