"""Units and dimensions.

pint reads the project's definitions file (`grammar/units.txt`) when the tables
are made (scripts/make_tables.py); from it this module keeps, for every named
unit, its exact factor to the base unit of its dimension. Author text never
reaches pint's string parser (it drops characters it cannot read): units
declared in a report are added here from the parsed `unit` statement. Unit
algebra for compound units (`万元/人`) is done here on exact factors, so
evaluation needs no pint at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from functools import cache

from ..base.digest import sha256_hex
from ..base.numbers import ONE, exact
from ..base.record import field, mutable, record
from ..base.resources import grammar_dir

Dimension = tuple[tuple[str, int], ...]

SYMBOLS = {"%": "percent", "‰": "permille"}
LABELS = {"percent": "%", "permille": "‰"}
MONEY: Dimension = (("[currency]", 1),)


# No quantity of a report has a unit raised this far (万元² is already rare); the
# bound keeps a formula such as ((1 亿元 ^ 64) ^ 64) ^ 64 from building a unit
# factor with millions of digits.
MAX_UNIT_EXPONENT = 16


class UnitTooComplex(ValueError):
    """A unit with a term raised beyond MAX_UNIT_EXPONENT."""


@record
class UnitDef:
    """A named unit (the table's key names it): its exact factor to the base unit
    of its dimension."""

    factor: Fraction
    dimension: Dimension


@record
class Unit:
    """A unit as a product of named units with integer exponents; `()` is a pure number."""

    terms: tuple[tuple[str, int], ...] = ()

    @staticmethod
    def named(name: str) -> Unit:
        return Unit(((name, 1),))

    def label(self) -> str:
        """How the unit is printed after a number: `万元`, `万元/人`, `%`, `/人` (1 ÷ 3 人
        prints 0.33/人: a `1/人` would read as the digit 1 of 0.331/人), or nothing."""
        above: list[str] = []
        below: list[str] = []
        for name, exp in self.terms:  # never an exponent 0: combine and power drop them
            (above if exp > 0 else below).append(_term(name, abs(exp)))
        if not below:
            return "·".join(above)
        under = below[0] if len(below) == 1 else "(" + "·".join(below) + ")"
        return "·".join(above) + "/" + under

    def describe(self) -> str:
        """The unit as named in diagnostics: `1/人` for a unit with nothing above."""
        label = self.label()
        return "1" + label if label.startswith("/") else label or "a pure number"

    def is_pure(self) -> bool:
        return not self.terms


def _term(name: str, exp: int) -> str:
    label = LABELS.get(name, name)
    return label if exp == 1 else f"{label}^{exp}"


PURE = Unit()


@mutable
class UnitTable:
    """The units known to one compilation: the standard set plus the report's own."""

    defs: dict[str, UnitDef] = field(default_factory=dict)
    # each unit's factor and dimension, asked for thousands of times a report;
    # emptied whenever a unit is defined. By the unit's terms: a tuple hashes
    # and compares in C, where a record's __hash__ and __eq__ are Python calls.
    _known: dict[tuple[tuple[str, int], ...], tuple[Fraction, Dimension]] = field(
        default_factory=dict, repr=False
    )

    def lookup(self, written: str) -> Unit | None:
        """The unit a name stands for; in a format also one unit per another, `元/人`."""
        above, per, below = written.partition("/")
        if per:
            top, bottom = self.lookup(above), self.lookup(below)
            if top is None or bottom is None or top == bottom:
                return None
            return Unit(top.terms + tuple((name, -exp) for name, exp in bottom.terms))
        name = SYMBOLS.get(written, written)
        return Unit.named(name) if name in self.defs else None

    def names(self) -> list[str]:
        return [LABELS.get(name, name) for name in self.defs]

    def define_base(self, name: str) -> None:
        """A new kind of count, with a dimension of its own: not one of units.txt's,
        whose names are single words (`unit person` is no 人)."""
        self.defs[name] = UnitDef(ONE, ((f"[unit {name}]", 1),))
        self._known.clear()

    def define_scaled(self, name: str, factor: Fraction, base: Unit) -> None:
        """`name` = factor × base, in the base unit's dimension (factor > 0)."""
        self.defs[name] = UnitDef(factor * self.factor(base), self.dimension(base))
        self._known.clear()

    def dimension(self, unit: Unit) -> Dimension:
        return self._measure(unit)[1]

    def factor(self, unit: Unit) -> Fraction:
        """What one of `unit` is in the base units of its dimension."""
        return self._measure(unit)[0]

    def _measure(self, unit: Unit) -> tuple[Fraction, Dimension]:
        known = self._known.get(unit.terms)
        if known is None:
            factor = ONE
            exponents: dict[str, int] = {}
            for name, exp in unit.terms:
                definition = self.defs[name]
                factor *= definition.factor**exp
                for base, base_exp in definition.dimension:
                    exponents[base] = exponents.get(base, 0) + base_exp * exp
            dimension = tuple(sorted((base, exp) for base, exp in exponents.items() if exp))
            known = self._known[unit.terms] = (factor, dimension)
        return known

    def compatible(self, a: Unit, b: Unit) -> bool:
        return self.dimension(a) == self.dimension(b)

    def conversion(self, source: Unit, target: Unit) -> Fraction:
        """Multiply a magnitude in `source` by this to express it in `target`."""
        if source.terms == target.terms:  # the units' tuples compared in C, not by Unit.__eq__
            return ONE  # most are (a figure shown in its own unit): no division of Fractions
        return self.factor(source) / self.factor(target)

    def is_money(self, unit: Unit) -> bool:
        return self.dimension(unit) == MONEY

    def is_percent(self, unit: Unit) -> bool:
        return unit.terms in ((("percent", 1),), (("permille", 1),))

    def combine(self, left: Unit, right: Unit, sign: int) -> tuple[Unit, Fraction]:
        """The unit of left × right (sign 1) or left ÷ right (sign -1), reduced, and the
        factor the raw product of magnitudes must be multiplied by to be in it.

        Named units of one dimension merge into the first written (万元 ÷ 元 is a pure
        number times 10000); % and ‰ dissolve into the number unless they are all that
        is left (5% × 2 stays 10%). UnitTooComplex past MAX_UNIT_EXPONENT.
        """
        exponents = dict(left.terms)  # a unit names each of its units once
        for name, exp in right.terms:
            exponents[name] = exponents.get(name, 0) + sign * exp
        scale = ONE
        kept: dict[str, int] = {}
        pure_terms: dict[str, int] = {}
        for name, exp in exponents.items():
            if exp == 0:
                continue
            definition = self.defs[name]
            if not definition.dimension:
                pure_terms[name] = exp
                continue
            same = next((k for k in kept if self.defs[k].dimension == definition.dimension), None)
            if same is None:
                kept[name] = exp
            else:
                scale *= (definition.factor / self.defs[same].factor) ** exp
                kept[same] += exp
        kept = {name: exp for name, exp in kept.items() if exp}
        _bounded(kept.values())
        if not kept and len(pure_terms) == 1 and next(iter(pure_terms.values())) == 1:
            return Unit(tuple(pure_terms.items())), scale
        _bounded(pure_terms.values())
        for name, exp in pure_terms.items():
            scale *= self.defs[name].factor ** exp
        return Unit(tuple(kept.items())), scale

    def power(self, unit: Unit, exponent: int) -> Unit:
        """The unit raised to a whole power; UnitTooComplex past MAX_UNIT_EXPONENT."""
        if exponent == 0:
            return PURE  # (2 万元)^0 is the number 1, not a unit 万元^0
        terms = tuple((name, exp * exponent) for name, exp in unit.terms)
        _bounded(exp for _, exp in terms)
        return Unit(terms)


def _bounded(exponents: Iterable[int]) -> None:
    if any(abs(exp) > MAX_UNIT_EXPONENT for exp in exponents):
        raise UnitTooComplex


@cache
def _standard_defs() -> dict[str, UnitDef]:
    """The standard units, from the table generated into the package from
    grammar/units.txt (scripts/make_tables.py) when it was made from this
    units.txt; else pint reads units.txt now. Nothing is cached on disk."""
    from rpt.grammar import units_table  # noqa: PLC0415  (loaded once, when units are first needed)

    text = (grammar_dir() / "units.txt").read_text(encoding="utf-8")
    if sha256_hex(text.encode("utf-8")) != units_table.UNITS_SHA256:
        return read_with_pint(text)
    return {
        name: UnitDef(Fraction(factor), dimension) for name, factor, dimension in units_table.UNITS
    }


def read_with_pint(text: str) -> dict[str, UnitDef]:
    """What pint makes of a units file: each unit's exact factor and dimension, in
    the order of the file."""
    import pint  # noqa: PLC0415  (100-200 ms: only to make the table, see _standard_defs)

    # no file name: pint starts empty and reads only these lines
    registry: pint.UnitRegistry[Decimal] = pint.UnitRegistry(None, non_int_type=Decimal)
    registry.load_definitions(text.splitlines())
    defs = {}
    for name in _defined_names(text):
        base = registry.Quantity(Decimal(1), name).to_base_units()
        dimension = tuple(
            sorted((str(dim), int(str(exp))) for dim, exp in base.dimensionality.items())
        )
        magnitude = base.magnitude
        assert isinstance(magnitude, Decimal), f"pint gave a float factor for {name}"
        defs[name] = UnitDef(exact(magnitude), dimension)
    return defs


def _defined_names(text: str) -> list[str]:
    names = []
    for line in text.splitlines():
        name, equals, _ = line.partition("#")[0].partition("=")
        if equals:
            names.append(name.strip())
    return names


def standard_units() -> UnitTable:
    """A fresh table holding the standard units; callers may extend it."""
    return UnitTable(dict(_standard_defs()))
