"""The unit table: what pint reads from grammar/units.txt, and its on-disk cache."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from rpt import ondisk, units
from rpt.resources import grammar_dir


def test_cached_table_equals_what_pint_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    text = (grammar_dir() / "units.txt").read_text(encoding="utf-8")
    fresh = units._read_with_pint(text)
    units._standard_defs.cache_clear()
    first = units._standard_defs()  # computed by pint, then stored
    units._standard_defs.cache_clear()
    second = units._standard_defs()  # read back from the cache
    units._standard_defs.cache_clear()
    assert first == second == fresh
    assert list(tmp_path.glob("rpt/units-*.json"))


def test_a_corrupt_cache_entry_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    (tmp_path / "rpt").mkdir()
    (tmp_path / "rpt" / "units-abc.json").write_text("{not json", encoding="utf-8")
    assert ondisk.load("units", "abc") is None


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
