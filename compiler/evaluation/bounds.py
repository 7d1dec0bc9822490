"""What a check can say when it fails for the printed figures: could any values
that round to the printed inputs make it hold?

A measured literal printed to some decimals (216.53 万元, 13.71%) stands for
every value that rounds to it, by the report's rounding mode: [216.525, 216.535)
for half-up. Counts and pure numbers are exact. Each such literal is one
unknown; figures are computed as affine forms over the unknowns (affine
arithmetic: a centre plus a coefficient for each unknown, with exact fractions),
so a dependency is kept: 人均 = 总额 / 3 人 times 3 人 is 总额 itself, not an
interval around it, and a total compared with the sum of its own parts is
compared exactly. Products and quotients of two uncertain values are
approximated by a linear part and a new independent error term that bounds
the rest, as affine arithmetic does, so a range is never narrower than the true
one: an approximation can only turn a provable error into an undecided check,
never the reverse.

A condition over these ranges is certainly true, certainly false, or undecided
(three values). A check is provably wrong only when it is certainly false; the
half-open ends of rounding intervals are honoured, so 217.90 and 217.91 (two
figures printed to the cent) can never be equal.

Bounds are computed only for checks that fail for the printed figures.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import assert_never

from ..base.numbers import TooLarge, bounded, round_exact
from ..base.record import field, mutable, record
from ..check import ir

ZERO = Fraction(0)
ONE = Fraction(1)


@record
class Interval:
    """A closed range [lo, hi], as ranges are shown to the author."""

    lo: Fraction
    hi: Fraction

    def is_point(self) -> bool:
        return self.lo == self.hi


@record
class Affine:
    """centre + Σ coefficient × ε over unknowns ε in [-1, 1]: the values a figure
    may have, as a function of the unknowns its inputs stand for."""

    centre: Fraction
    terms: dict[int, Fraction]

    def radius(self) -> Fraction:
        return sum((abs(c) for c in self.terms.values()), ZERO)

    def interval(self) -> Interval:
        radius = self.radius()
        return Interval(self.centre - radius, self.centre + radius)

    def __add__(self, other: Affine) -> Affine:
        terms = dict(self.terms)
        for key, coefficient in other.terms.items():
            total = terms.get(key, ZERO) + coefficient
            if total:
                terms[key] = total
            else:
                terms.pop(key, None)
        return Affine(bounded(self.centre + other.centre), terms)

    def scaled(self, factor: Fraction) -> Affine:
        if not factor:
            return Affine(ZERO, {})
        terms = {key: bounded(c * factor) for key, c in self.terms.items()}
        return Affine(bounded(self.centre * factor), terms)

    def __neg__(self) -> Affine:
        return self.scaled(-ONE)


def constant(value: Fraction) -> Affine:
    return Affine(value, {})


class Unbounded(ArithmeticError):
    """A range without bounds: a division by a range that holds zero, or bounds
    too long to compute with. Nothing can be excluded."""


# Three-valued truth: True, False, or None when the ranges do not decide it.
Truth = bool | None


@mutable
class Bounds:
    """Ranges of the figures of one evaluated program, computed on demand;
    `point` evaluates what ranges do not bear on (texts, truth constants)."""

    program: ir.Program
    values: dict[str, ir.Value]
    point: Callable[[ir.Expr], ir.Value]
    _figures: dict[str, ir.Figure] = field(init=False)
    _known: dict[str, Affine] = field(default_factory=dict)
    # each unknown: whether its ends -1 and +1 are reached (a rounding interval
    # is half-open: 216.535 rounds half-up to 216.54, not to 216.53)
    _ends: dict[int, tuple[bool, bool]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._figures = {figure.name: figure for figure in self.program.figures}

    def truth(self, expr: ir.Expr) -> Truth:
        """Whether a condition holds for every value its inputs allow (True), for
        none (False), or only for some (None)."""
        try:
            return self._truth(expr)
        except (Unbounded, TooLarge):
            return None

    def form(self, expr: ir.Expr) -> Affine | None:
        """The values a numeric expression may have; None when unbounded."""
        try:
            return self._form(expr)
        except (Unbounded, TooLarge):
            return None

    def compare(self, op: str, left: Affine, right: Affine) -> Truth:
        """left op right, over every value both may have."""
        difference = left + (-right)
        low, high = self._extremes(difference)
        (least, least_reached), (most, most_reached) = low, high
        match op:
            case "==":
                if not difference.terms:
                    return difference.centre == 0
                if least < 0 < most or (least == 0 and least_reached):
                    return None
                return None if most == 0 and most_reached else False
            case "!=":
                equal = self.compare("==", left, right)
                return None if equal is None else not equal
            case "<":
                if most < 0 or (most == 0 and not most_reached):
                    return True
                return False if least >= 0 else None
            case "<=":
                if most <= 0:
                    return True
                return False if least > 0 or (least == 0 and not least_reached) else None
            case ">":
                return self.compare("<", right, left)
            case ">=":
                return self.compare("<=", right, left)
        raise AssertionError(f"no comparison {op}")

    def equal_at(self, left: Affine, right: Affine, places: int, rounding: str) -> Truth:
        """Whether left and right round alike at `places` decimals (as a check
        written to that precision compares them), over every value both may
        have: False only when no values make them round alike."""
        step = Fraction(10) ** -places
        low, high = self._extremes(left + (-right))
        # values that round alike differ by less than one step
        if low[0] >= step or high[0] <= -step:
            return False
        left_low, left_high = self._rounded(left, places, rounding)
        right_low, right_high = self._rounded(right, places, rounding)
        if left_high < right_low or right_high < left_low:
            return False
        if left_low == left_high == right_low == right_high:
            return True
        return None

    def _rounded(self, form: Affine, places: int, rounding: str) -> tuple[Decimal, Decimal]:
        """The least and greatest values a form rounds to at `places` decimals; an
        end the form does not reach rounds as the values just inside it do."""
        (least, least_reached), (most, most_reached) = self._extremes(form)
        return (
            _round_inside(least, least_reached, places, rounding, +1),
            _round_inside(most, most_reached, places, rounding, -1),
        )

    def within(self, left: Affine, right: Affine, tolerance: Affine) -> Truth:
        """|left - right| <= tolerance, over every value they may have."""
        difference = (left + (-right)).interval()
        margin = tolerance.interval()
        largest = max(abs(difference.lo), abs(difference.hi))
        nearest = (
            ZERO
            if difference.lo <= 0 <= difference.hi
            else min(abs(difference.lo), abs(difference.hi))
        )
        if largest <= abs(margin.lo) and margin.lo >= 0:
            return True
        return False if nearest > max(abs(margin.lo), abs(margin.hi)) else None

    # ---------------------------------------------------------------- ranges

    def _extremes(self, form: Affine) -> tuple[tuple[Fraction, bool], tuple[Fraction, bool]]:
        """The least and greatest values of a form, and whether each is reached
        (at a corner where every unknown sits at an end it reaches)."""
        radius = form.radius()
        least_reached = most_reached = True
        for key, coefficient in form.terms.items():
            reaches_low, reaches_high = self._ends[key]
            # the least value takes each unknown to the end opposite its sign
            least_reached &= reaches_low if coefficient > 0 else reaches_high
            most_reached &= reaches_high if coefficient > 0 else reaches_low
        return (form.centre - radius, least_reached), (form.centre + radius, most_reached)

    def _unknown(self, centre: Fraction, radius: Fraction, ends: tuple[bool, bool]) -> Affine:
        if not radius:
            return constant(centre)
        key = len(self._ends)
        self._ends[key] = ends
        return Affine(centre, {key: radius})

    def _range(self, interval: Interval) -> Affine:
        """A new unknown spanning an interval: where a dependency cannot be kept."""
        half = (interval.hi - interval.lo) / 2
        return self._unknown(interval.lo + half, half, (True, True))

    def _literal(self, const: ir.Const, value: Fraction) -> Affine:
        """A literal: exact, or an unknown for the values that round to it. No
        form holds one literal twice (the typer makes a node for each place a
        literal is written, and a figure's form is computed once), so a new
        unknown for each read loses no dependency."""
        if const.precision is None:
            return constant(value)
        lo, hi, ends = rounding_interval(value, const.precision, self.program.settings.rounding)
        return self._unknown((lo + hi) / 2, (hi - lo) / 2, ends)

    # ---------------------------------------------------------------- conditions

    def _truth(self, expr: ir.Expr) -> Truth:
        match expr:
            case ir.Compare(op=op, left=left, right=right, right_scale=scale, decimals=places):
                if not isinstance(left.type, ir.QuantityType):
                    return bool(self.point(expr))  # texts are exact
                sides = self._form(left), self._form(right).scaled(scale)
                if op in ("==", "!=") and places is not None:
                    # decided at its precision, as the evaluator decides it (and alone)
                    equal = self.equal_at(*sides, places, self.program.settings.rounding)
                    return None if equal is None else equal == (op == "==")
                return self.compare(op, *sides)
            case ir.Logic(op="and", left=left, right=right):
                a, b = self._truth(left), self._truth(right)
                if a is False or b is False:
                    return False
                return True if a and b else None
            case ir.Logic(left=left, right=right):
                a, b = self._truth(left), self._truth(right)
                if a or b:
                    return True
                return False if a is False and b is False else None
            case ir.Not(operand=operand):
                inner = self._truth(operand)
                return None if inner is None else not inner
            case ir.If(cond=cond, then=then, else_=else_):
                chosen = self._truth(cond)
                if chosen is None:
                    a, b = self._truth(then), self._truth(else_)
                    return a if a == b else None
                return self._truth(then if chosen else else_)
        return bool(self.point(expr))

    # ---------------------------------------------------------------- numbers

    def _form(self, expr: ir.Expr) -> Affine:
        match expr:
            case ir.Const(value=Fraction() as value):
                return self._literal(expr, value)
            case ir.FigureRef(name=name):
                return self._figure(name)
            case ir.Neg(operand=operand):
                return -self._form(operand)
            case ir.Arith():
                return self._arith(expr)
            case ir.Power(base=base, exponent=exponent):
                return self._power(self._form(base), exponent)
            case ir.Scaled(operand=operand, scale=scale):
                return self._form(operand).scaled(scale)
            case ir.Aggregate(func=func, args=args, scales=scales):
                parts = [self._form(a).scaled(s) for a, s in zip(args, scales, strict=True)]
                if func == "sum":
                    total = constant(ZERO)
                    for part in parts:
                        total = total + part
                    return total
                return self._extreme(parts, largest=func == "max")
            case ir.Abs(operand=operand):
                return self._abs(self._form(operand))
            case ir.Round(operand=operand, places=places, rounding=rounding):
                span = self._form(operand).interval()
                lo = Fraction(round_exact(span.lo, places, rounding))
                hi = Fraction(round_exact(span.hi, places, rounding))
                return self._range(Interval(min(lo, hi), max(lo, hi)))
            case ir.If():
                return self._choice(expr)
            case (
                ir.Const()
                | ir.Concat()
                | ir.Printed()
                | ir.Items()
                | ir.Share()
                | ir.Compare()
                | ir.Logic()
                | ir.Not()
            ):
                raise Unbounded  # not a number: the type checker keeps these out
            case _:
                assert_never(expr)

    def _arith(self, expr: ir.Arith) -> Affine:
        a, b = self._form(expr.left), self._form(expr.right)
        match expr.op:
            case "+":
                return a + b.scaled(expr.right_scale)
            case "-":
                return a + (-b.scaled(expr.right_scale))
            case "*":
                return self._product(a, b).scaled(expr.scale)
        return self._product(a, self._reciprocal(b)).scaled(expr.scale)

    def _power(self, form: Affine, exponent: int) -> Affine:
        if exponent < 0:
            form, exponent = self._reciprocal(form), -exponent
        result = constant(ONE)
        for _ in range(exponent):
            result = self._product(result, form)
        return result

    def _abs(self, form: Affine) -> Affine:
        span = form.interval()
        if span.lo >= 0:
            return form
        if span.hi <= 0:
            return -form
        return self._range(Interval(ZERO, max(-span.lo, span.hi)))

    def _choice(self, expr: ir.If) -> Affine:
        """An if(): the branch its condition takes, or the range of both when the
        rounding of the inputs leaves the condition undecided."""
        chosen = self._truth(expr.cond)
        if chosen is True:
            return self._form(expr.then)
        otherwise = self._form(expr.else_).scaled(expr.else_scale)
        if chosen is False:
            return otherwise
        first, second = self._form(expr.then).interval(), otherwise.interval()
        return self._range(Interval(min(first.lo, second.lo), max(first.hi, second.hi)))

    def _figure(self, name: str) -> Affine:
        known = self._known.get(name)
        if known is None:
            figure = self._figures.get(name)
            if figure is None or name not in self.values:
                raise Unbounded  # a figure that failed: its error is reported
            known = self._form(figure.expr)
            if figure.bounds is not None:
                known = self._clamped(known, figure.bounds)
            self._known[name] = known
        return known

    def _clamped(self, form: Affine, bounds: tuple[ir.Expr, ir.Expr]) -> Affine:
        """A figure's range cut to its declared bounds (a rate of at most 100%):
        kept as it is when it lies within them, else a new unknown."""
        low, high = (self.point(bound) for bound in bounds)
        assert isinstance(low, Fraction) and isinstance(high, Fraction)
        span = form.interval()
        if low <= span.lo and span.hi <= high:
            return form
        lo, hi = max(span.lo, low), min(span.hi, high)
        if lo > hi:
            return form  # the figure breaks its bounds: its own check says so
        return self._range(Interval(lo, hi))

    def _product(self, a: Affine, b: Affine) -> Affine:
        """a × b: exact when one side is exact; else the linear part and a new
        unknown bounding the product of the two uncertainties."""
        if not a.terms:
            return b.scaled(a.centre)
        if not b.terms:
            return a.scaled(b.centre)
        linear = a.scaled(b.centre) + Affine(ZERO, {k: c * a.centre for k, c in b.terms.items()})
        error = bounded(a.radius() * b.radius())
        return linear + self._unknown(ZERO, error, (True, True))

    def _reciprocal(self, form: Affine) -> Affine:
        """1 / form by the min-range linear approximation of 1/x on its range."""
        span = form.interval()
        if span.lo <= 0 <= span.hi:
            raise Unbounded  # divisions by zero itself are the evaluator's to report
        if not form.terms:
            return constant(1 / form.centre)
        if span.hi < 0:
            return -self._reciprocal(-form)
        a, b = span.lo, span.hi
        slope = -1 / (b * b)
        # 1/x - slope·x decreases on [a, b]: from 1/a + a/b² down to 2/b
        top, bottom = 1 / a + a / (b * b), 2 / b
        centre, error = (top + bottom) / 2, (top - bottom) / 2
        return form.scaled(slope) + self._unknown(centre, error, (True, True))

    def _extreme(self, parts: list[Affine], *, largest: bool) -> Affine:
        spans = [part.interval() for part in parts]
        for part, span in zip(parts, spans, strict=True):
            # one part above (below) every other: it is the max (min), dependencies kept
            others = [s for s in spans if s is not span]
            if largest and all(span.lo >= s.hi for s in others):
                return part
            if not largest and all(span.hi <= s.lo for s in others):
                return part
        pick = max if largest else min
        return self._range(Interval(pick(s.lo for s in spans), pick(s.hi for s in spans)))


def _round_inside(value: Fraction, reached: bool, places: int, rounding: str, side: int) -> Decimal:
    """`value` rounded, or, when it is not reached, what values beside it on `side`
    (+1 above, -1 below) round to: a step closer than any rounding boundary that
    `value` is not on (boundaries are multiples of half a step)."""
    if not reached:
        value += side * Fraction(1, 4 * value.denominator * 10 ** max(places, 0) * 10)
    return round_exact(value, places, rounding)


def rounding_interval(
    value: Fraction, places: int, mode: str
) -> tuple[Fraction, Fraction, tuple[bool, bool]]:
    """The values that round to `value` at `places` decimals in `mode`: the ends
    lo and hi, and whether each is itself such a value. A literal's precision
    is never negative: the decimals written, at least those its kind prints with."""
    unit = Fraction(1, 10**places)
    half = unit / 2
    positive = value > 0
    match mode:
        case "half-up":  # ties away from zero
            if value == 0:
                return -half, half, (False, False)
            return value - half, value + half, (positive, not positive)
        case "half-down":  # ties toward zero
            if value == 0:
                return -half, half, (True, True)
            return value - half, value + half, (not positive, positive)
        case "half-even":
            even = (value / unit).numerator % 2 == 0
            return value - half, value + half, (even, even)
        case "down":  # toward zero
            if value == 0:
                return -unit, unit, (False, False)
            if positive:
                return value, value + unit, (True, False)
            return value - unit, value, (False, True)
        case "up":  # away from zero
            if value == 0:
                return ZERO, ZERO, (True, True)
            if positive:
                return value - unit, value, (False, True)
            return value, value + unit, (True, False)
    raise AssertionError(f"unknown rounding mode {mode}")
