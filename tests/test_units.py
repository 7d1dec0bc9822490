"""The unit table and unit algebra (the generated table itself: tests/test_generated_tables.py)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from rpt import units
from rpt.pipeline import compile_source
from rpt.render_markdown import render_markdown


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
