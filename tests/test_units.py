"""The unit table and unit algebra (the generated table itself: tests/test_tables.py)."""

from __future__ import annotations

from decimal import Decimal

from rpt import units


def test_money_factors_are_exact() -> None:
    table = units.standard_units()
    assert {name: table.defs[name].factor for name in ("元", "千元", "万元", "亿元")} == {
        "元": Decimal(1),
        "千元": Decimal(1000),
        "万元": Decimal(10000),
        "亿元": Decimal(100000000),
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
    assert table.conversion(wan_per_person, per_person) == Decimal(10000)
    assert not table.compatible(per_person, units.Unit.named("元"))
    for nonsense in ("元/元", "元/年", "元/人/人", "/人", "元/"):
        assert table.lookup(nonsense) is None, nonsense
