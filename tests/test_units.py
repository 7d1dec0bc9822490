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


# ---------------------------------------------------------------- unit algebra, term by term


@pytest.mark.parametrize(
    ("terms", "label", "described"),
    [
        ((), "", "a pure number"),
        ((("万元", 1),), "万元", "万元"),
        ((("percent", 1),), "%", "%"),
        ((("permille", 1),), "‰", "‰"),
        ((("万元", 2),), "万元^2", "万元^2"),
        ((("万元", 1), ("人", 1)), "万元·人", "万元·人"),
        ((("万元", 1), ("人", -1)), "万元/人", "万元/人"),
        ((("万元", 1), ("人", -2)), "万元/人^2", "万元/人^2"),
        ((("人", -1),), "/人", "1/人"),
        ((("万元", 1), ("人", -1), ("户", -1)), "万元/(人·户)", "万元/(人·户)"),
        ((("人", -1), ("户", -1)), "/(人·户)", "1/(人·户)"),
    ],
)
def test_a_unit_prints_as_a_reader_writes_it(
    terms: tuple[tuple[str, int], ...], label: str, described: str
) -> None:
    unit = units.Unit(terms)
    assert (unit.label(), unit.describe()) == (label, described)


def test_a_unit_with_nothing_above_prints_after_its_number() -> None:
    # 1 ÷ 3 人 is 0.33 per person: printed 0.331/人 it would read as 0.331
    assert _printed("let n = 3 人\n<1 / n>\n") == "0.33/人"
    [diagnostic] = compile_source("let n = 3 人\nlet x = 1 / n + 1\n").diagnostics
    assert "`1` (a pure number) to `1 / n` (1/人)" in diagnostic.message


def test_the_table_names_units_as_they_are_written() -> None:
    names = units.standard_units().names()
    assert {"%", "‰", "万元", "元"} <= set(names)
    assert not {"percent", "permille"} & set(names)


def test_dimensions_and_factors_of_compound_units() -> None:
    table = units.standard_units()
    table.define_base("人")
    table.define_scaled("千人", Fraction(1000), units.Unit.named("人"))
    assert table.dimension(units.Unit((("万元", 2),))) == (("[currency]", 2),)
    assert table.dimension(units.Unit((("万元", 1), ("元", -1)))) == ()  # 万元/元 is pure
    assert table.factor(units.Unit((("万元", -1),))) == Fraction(1, 10000)
    assert table.factor(units.Unit((("万元", 2), ("千人", -1)))) == Fraction(10**8, 1000)
    per_one, per_thousand = table.lookup("元/人"), table.lookup("元/千人")
    assert per_one is not None and per_thousand is not None
    assert table.conversion(per_one, per_thousand) == 1000


@pytest.mark.parametrize(
    ("expr", "printed"),
    [
        ("5% * 2", "10%"),  # a percent times a number stays a percent
        ("5% * 万", "0.1万元"),  # and dissolves into money
        ("万 * 5%", "0.1万元"),
        ("5% * 3‰:num .5", "0.00015"),  # two rates dissolve into one number
        ("5% * 5%:num .4", "0.0025"),
        ("人数 * 万 / 人数", "2万元"),  # 人 cancels though it comes first
        ("万 / 元值:%", "400%"),  # 万元 ÷ 元 is the pure number 4
        ("元值 / 万:%", "25%"),
        ("(万 / 千):.2%", "666.67%"),
        ("万 ^ 0:%", "100%"),  # a power 0 is the number 1
        ("万 ^ 0:年份", "一"),
        ("994‰:.1%", "99.4%"),  # a per mille is a percent
        ("994‰", "994‰"),
    ],
)
def test_units_cancel_merge_and_dissolve(expr: str, printed: str) -> None:
    assert _printed(MONEY + f"<{expr}>\n") == printed


def test_two_merges_in_one_product_both_scale() -> None:
    source = "unit 户\nunit 千户 = 1000 户\nlet p = 3 万元 * 2 千户\n"
    # 万元·千户 ÷ (元·户): 10000 from the money, 1000 from the households
    assert _printed(source + "<p / (1 元 * 1 户):num>\n") == "60000000"


def test_a_unit_may_be_raised_to_the_sixteenth_power_not_further() -> None:
    assert _codes("let a = (1 万元) ^ 16\n") == []
    assert _codes("let a = (1 万元) ^ 17\n") == ["E304"]
    assert _codes(f"let a = {' * '.join(['1 万元'] * 16)}\n") == []
