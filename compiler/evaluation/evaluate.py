"""Evaluate the typed IR with exact decimals: figures, checks and prose references.

A figure that fails (division by zero) is reported once; everything that depends
on it is skipped without further noise. Values carry no units at run time: the
IR already knows every unit and has turned conversions into exact scales.
Numbers are exact fractions (numbers.py): no result is ever rounded here.
"""

from __future__ import annotations

import enum
from fractions import Fraction
from functools import partial
from typing import assert_never

from ..base.codes import Code
from ..base.diagnostics import Diagnostic, Diagnostics, Label, Severity
from ..base.kept import Kept
from ..base.numbers import MAX_DIGITS, ZERO, TooLarge, bounded, decimal_places, power, round_exact
from ..base.record import field, mutable, record
from ..base.source import CellOrigin, Span
from ..check import ir
from .bounds import Bounds, Interval, Truth
from .format import format_number, plain, scaled
from .kept_values import block_reads, check_reads, figure_reads, inputs_of, reused
from .output_limits import MAX_FIGURE_CHARS, print_figure


class Outcome(enum.Enum):
    """What became of a check: it held; it failed (an error); it fails for the
    printed figures only, and values that round to them satisfy it (a warning);
    or it was not run, an input having failed (its diagnostic given)."""

    HELD = "held"
    FAILED = "failed"
    UNCONFIRMED = "unconfirmed"
    NOT_RUN = "not-run"


@record
class Evaluated:
    """The program with the value of every figure and of every prose reference,
    and the outcome of each check (in the order of `program.checks`)."""

    program: ir.Program
    values: dict[str, ir.Value]
    refs: tuple[ir.Value | None, ...]
    checks: tuple[Outcome, ...]


class _Skip(Exception):
    """An input of this expression already failed; its diagnostic has been given."""


@mutable
class _Failure(Exception):
    """A runtime error (division by zero, overflow) raised where it happens and turned
    into a diagnostic by the caller that knows its context."""

    code: Code
    message: str
    span: Span
    label: str
    help: str | None = None


_EXTREMES = {"min": min, "max": max}
# What evaluation keeps for a rebuild: each figure's value, each check's
# outcome, the values of each block's references, with the figures each reads.
_values: Kept[ir.Value | None] = Kept(limit=100_000)  # None: failed (never kept)
_outcomes: Kept[Outcome] = Kept(limit=100_000)
_printed: Kept[tuple[tuple[int, ir.Value | None], ...]] = Kept(limit=100_000)
# a failed check names the data cells it rests on, up to this many
MAX_CELL_NOTES = 8


@mutable
class _Evaluator:
    """One evaluation of a program: figures in dependency order, then checks, then
    prose references; a failed figure is left out of `values`."""

    program: ir.Program
    diagnostics: Diagnostics
    values: dict[str, ir.Value] = field(default_factory=dict)
    bounds: Bounds | None = None
    # a group's shares, computed once: by its members, decimals and policy
    shares: dict[tuple[tuple[str, ...], int, str], list[Fraction]] = field(default_factory=dict)

    def run(self) -> Evaluated:
        # what a rebuild gives again, by the IR and the values it reads (kept_values.py)
        keep = partial(reused, inputs=inputs_of(self.values), kept_if=self.diagnostics)
        for figure in self.program.figures:
            if isinstance(figure.type, ir.ErrorType):
                continue
            value = keep(_values, figure, figure_reads, self._figure)
            if value is not None:
                self.values[figure.name] = value
        outcomes = tuple(
            keep(_outcomes, check, check_reads, self._check)
            if not isinstance(check.expr.type, ir.ErrorType)
            else Outcome.NOT_RUN
            for check in self.program.checks
        )
        refs: list[ir.Value | None] = [None] * self.program.ref_count
        for block in self.program.blocks:
            for index, value in keep(_printed, block, block_reads, partial(_refs, self)):
                refs[index] = value
        return Evaluated(self.program, self.values, tuple(refs), outcomes)

    def _figure(self, figure: ir.Figure) -> ir.Value | None:
        return self._guarded(figure.expr)

    def _guarded(self, expr: ir.Expr) -> ir.Value | None:
        try:
            return self.eval(expr)
        except _Skip:
            return None
        except _Failure as failure:
            self.diagnostics.error(
                failure.code, failure.message, failure.span, failure.label, help=failure.help
            )
            return None

    # ---------------------------------------------------------------- checks

    def _check(self, check: ir.Check) -> Outcome:
        expr = check.expr
        try:
            if isinstance(expr, ir.Compare) and isinstance(expr.left.type, ir.QuantityType):
                tolerance = check.tolerance
                holds, notes, truth = self._comparison(expr, tolerance)
                if not holds:
                    return self._failed(check, notes, truth)
            elif not self.eval(expr):
                notes = tuple(
                    f"in `{' '.join(part.span.text().split())}`: {note}"
                    for part in self._failing_parts(expr)
                    for note in self._comparison(part, None)[1]
                )
                return self._failed(check, notes, self._bounds().truth(expr))
            return Outcome.HELD
        except _Skip:
            return Outcome.NOT_RUN
        except _Failure as failure:
            notes = (f"in the check: {check.message or check.source}",)
            self.diagnostics.error(
                failure.code,
                failure.message,
                failure.span,
                failure.label,
                notes=notes,
                help=failure.help,
            )
            return Outcome.NOT_RUN

    def _failing_parts(self, expr: ir.Expr) -> list[ir.Compare]:
        """The comparisons of a failed condition that make it fail, to show them:
        the false sides of an `and`, both sides of a failed `or`."""
        match expr:
            case ir.Logic(left=left, right=right):
                return [
                    part
                    for side in (left, right)
                    if not self.eval(side)
                    for part in self._failing_parts(side)
                ]
            case ir.Compare(left=left) if isinstance(left.type, ir.QuantityType):
                return [expr]
        return []

    def _comparison(
        self, expr: ir.Compare, tolerance_expr: ir.Expr | None
    ) -> tuple[bool, tuple[str, ...], Truth]:
        """Whether a comparison of quantities holds for the printed figures; if not,
        the notes that show both sides, and whether any rounding of the inputs
        could make it hold."""
        left = self._number(expr.left)
        right = self._number(expr.right) * expr.right_scale
        assert isinstance(expr.left.type, ir.QuantityType)
        unit = expr.left.type.unit
        tolerance = None
        if tolerance_expr is not None:
            tolerance = abs(self._number(tolerance_expr))
        rounding = self.program.settings.rounding
        if _holds(expr, left, right, tolerance, rounding):
            return True, (), True
        # a ratio compared with a percent reads best as the percent it would print as
        percent = unit.is_pure() and _is_percent(expr.right.type)
        scale, label, shift = (Fraction(100), "%", 2) if percent else (Fraction(1), unit.label(), 0)

        def show(value: Fraction) -> str:
            return _exact(value * scale) + label

        notes = [
            f"left:  {_side(expr.left)} = {show(left)}",
            f"right: {_side(expr.right)} = {show(right)}",
        ]
        if tolerance is not None:
            notes.append(f"allowed difference: {show(tolerance)}")
        elif expr.decimals is not None:  # an equality (an order has no precision)
            places = expr.decimals - shift
            a = plain(left * scale, places, rounding, trim=False) + label
            b = plain(right * scale, places, rounding, trim=False) + label
            notes.append(f"compared at {_places(places)}: {a} vs {b}")
        if expr.op in ("==", "!="):
            difference = left - right
            notes.append(f"difference: {show(difference)}")
        bounds = self._bounds()
        left_form, right_form = bounds.form(expr.left), bounds.form(expr.right)
        truth: Truth = None
        if left_form is not None and right_form is not None:
            right_form = right_form.scaled(expr.right_scale)
            if tolerance_expr is None and expr.decimals is not None:
                # compared at its literals' precision: wrong only if no values round alike
                truth = bounds.equal_at(left_form, right_form, expr.decimals, rounding)
                if truth is not None and expr.op == "!=":
                    truth = not truth
            elif tolerance_expr is None:
                truth = bounds.compare(expr.op, left_form, right_form)
            else:
                margin = bounds.form(tolerance_expr)
                truth = None if margin is None else bounds.within(left_form, right_form, margin)
                if truth is not None and expr.op == "!=":
                    truth = not truth  # `a != b within t` holds where they are not within t
            left_range, right_range = left_form.interval(), right_form.interval()
            if not (left_range.is_point() and right_range.is_point()):
                places = (expr.decimals if expr.decimals is not None else 2) + 2 - shift
                notes.append(
                    "every value that rounds to the printed inputs gives: "
                    f"left {_range(left_range, scale, places)}{label}, "
                    f"right {_range(right_range, scale, places)}{label}"
                )
        return False, tuple(notes), truth

    def _bounds(self) -> Bounds:
        if self.bounds is None:
            self.bounds = Bounds(self.program, self.values, self.eval)
        return self.bounds

    def _failed(self, check: ir.Check, notes: tuple[str, ...], truth: Truth) -> Outcome:
        """A check that does not hold for the printed figures: an error when no
        values that round to them satisfy it (`truth` False), else a warning."""
        where = f" in {check.where}" if check.where else ""
        wrong = truth is False
        if wrong:
            headline, code, help = f"check failed{where}", Code.CHECK_FAILED, None
        else:
            headline, code = f"check holds only within rounding{where}", Code.UNCONFIRMED_CHECK
            help = "state the inputs more precisely to decide it, or accept the difference "
            help += "with `within`"
            notes = (
                *notes,
                "it fails for the figures as printed, but values that round to them "
                "satisfy it: it cannot be proved wrong",
            )
        if check.message:
            headline += f": {check.message}"
            notes = (f"checked: {check.source}", *notes)
        notes = (*notes, *_data_cells(self.program, check.expr))
        # a table check points at the cell and shows the check line beside it
        span, label = (check.cell, "this cell") if check.cell else (check.expr.span, "")
        labels = (Label(check.expr.span, "checked here"),) if check.cell else ()
        self.diagnostics.add(
            Diagnostic(
                code,
                headline,
                span,
                label or "this does not hold",
                labels,
                notes,
                help,
                Severity.ERROR if wrong else Severity.WARNING,
            )
        )
        return Outcome.FAILED if wrong else Outcome.UNCONFIRMED

    # ---------------------------------------------------------------- expressions

    def _number(self, expr: ir.Expr) -> Fraction:
        value = self.eval(expr)
        assert isinstance(value, Fraction), "the type checker lets only numbers through"
        return value

    def eval(self, expr: ir.Expr) -> ir.Value:
        try:
            return self._eval(expr)
        except TooLarge:
            raise _Failure(
                Code.ARITHMETIC,
                f"this result has more than {MAX_DIGITS} digits",
                expr.span,
                "too large to compute exactly",
                help=f"rpt computes exactly with numbers of up to {MAX_DIGITS} digits",
            ) from None

    def _eval(self, expr: ir.Expr) -> ir.Value:
        match expr:
            case ir.Const(value=value):
                return value
            case ir.Concat() | ir.Printed():
                return self._text(expr)
            case ir.Share():
                return self._share(expr)
            case ir.Items(items=items, scales=scales):
                return tuple(
                    bounded(scaled(self._number(item), scale))
                    for item, scale in zip(items, scales, strict=True)
                )
            case ir.FigureRef(name=name):
                if name not in self.values:
                    raise _Skip
                return self.values[name]
            case ir.Neg(operand=operand):
                return -self._number(operand)
            case ir.Arith():
                return self._arith(expr)
            case ir.Power(base=base, exponent=exponent):
                value = self._number(base)
                if value == 0 and exponent < 0:
                    raise self._zero(base)
                return power(value, exponent)
            case ir.Compare():
                return self._compare(expr)
            case ir.Logic(op=op, left=left, right=right):
                first = bool(self.eval(left))
                # the right side runs only when it decides: `b != 0 and a / b > 1`
                return first if first is (op == "or") else bool(self.eval(right))
            case ir.Not(operand=operand):
                return not self.eval(operand)
            case ir.Scaled(operand=operand, scale=scale):
                return bounded(scaled(self._number(operand), scale))
            case ir.Aggregate(func=func, args=args, scales=scales):
                values = [scaled(self._number(a), s) for a, s in zip(args, scales, strict=True)]
                return bounded(sum(values, ZERO)) if func == "sum" else _EXTREMES[func](values)
            case ir.Abs(operand=operand):
                return abs(self._number(operand))
            case ir.Round(operand=operand, places=places, rounding=rounding):
                return Fraction(round_exact(self._number(operand), places, rounding))
            case ir.If(cond=cond, then=then, else_=else_, else_scale=scale):
                if self.eval(cond):
                    return self.eval(then)
                value = self.eval(else_)
                return scaled(value, scale) if isinstance(value, Fraction) else value
            case _:
                assert_never(expr)

    def _arith(self, expr: ir.Arith) -> Fraction:
        a = self._number(expr.left)
        b = self._number(expr.right)
        match expr.op:
            case "+":
                return bounded(a + scaled(b, expr.right_scale))
            case "-":
                return bounded(a - scaled(b, expr.right_scale))
            case "*":
                return bounded(scaled(a * b, expr.scale))
        if b == 0:
            raise self._zero(expr.right)
        return bounded(scaled(a / b, expr.scale))

    def _text(self, expr: ir.Concat | ir.Printed) -> str:
        """A text made in a formula, no longer than a figure may print."""
        if isinstance(expr, ir.Concat):
            text = str(self.eval(expr.left)) + str(self.eval(expr.right))
            if len(text) > MAX_FIGURE_CHARS:  # joined to itself, a text doubles each time
                message = f"this text would be longer than {MAX_FIGURE_CHARS:,} characters"
                raise _Failure(Code.LIMIT_EXCEEDED, message, expr.span, "joined here")
            return text
        printed = print_figure(self._number(expr.operand), expr.display)
        if printed is None:
            message = f"this figure prints more than {MAX_FIGURE_CHARS:,} characters"
            raise _Failure(Code.LIMIT_EXCEEDED, message, expr.span, "printed here")
        return printed

    def _compare(self, expr: ir.Compare) -> bool:
        left = self.eval(expr.left)
        right = self.eval(expr.right)
        if isinstance(left, Fraction) and isinstance(right, Fraction):
            rounding = self.program.settings.rounding
            return _holds(expr, left, scaled(right, expr.right_scale), None, rounding)
        match expr.op:
            case "==":
                return left == right
            case "!=":
                return left != right
        assert isinstance(left, str) and isinstance(right, str)
        return _order(expr.op, left, right)

    def _share(self, share: ir.Share) -> Fraction:
        """One member's share of its group, in percent; by the policy, apportioned
        so that the printed shares add up to 100% exactly."""
        key = tuple(_name(member) for member in share.members), share.places, share.policy
        shares = self.shares.get(key)
        if shares is None:
            values = [
                scaled(self._number(member), scale)
                for member, scale in zip(share.members, share.scales, strict=True)
            ]
            total = sum(values, ZERO)
            if total == 0:
                raise _Failure(
                    Code.DIVISION_BY_ZERO,
                    "division by zero: the group of this share adds up to 0",
                    share.span,
                    "a share of nothing",
                )
            exact = [value / total * 100 for value in values]
            shares = exact
            if share.policy == "largest-remainder":
                shares = largest_remainder(exact, share.places)
            else:
                self._printed_shares(share, exact)
            self.shares[key] = shares
        return shares[share.part]

    def _printed_shares(self, share: ir.Share, exact: list[Fraction]) -> None:
        """`shares: check`: the shares of a group, as printed, should add up to 100%."""
        rounding = self.program.settings.rounding
        printed = [round_exact(value, share.places, rounding) for value in exact]
        if sum(printed) == 100:
            return
        shown = "、".join(f"{value:f}%" for value in printed)
        self.diagnostics.warning(
            Code.SHARES_NOT_100,
            f"the shares of this group print as {shown}, which add up to {sum(printed):f}%",
            share.span,
            "printed shares",
            help="to give the rounding remainder (尾差) to the largest remainders, "
            "set `shares: largest-remainder` in the front matter",
        )

    def _one_direction(self, ref: ir.Ref, values: tuple[Fraction, ...]) -> bool:
        """Figures under one change word must change one way: 分别减少3.2、1.5万元
        cannot hold an increase. False after reporting that they do not."""
        display = ref.display
        if display is None or display.words is None:
            return True
        signs = {
            (round_exact(scaled(v, display.scale), display.decimals, display.rounding) > 0)
            - (round_exact(scaled(v, display.scale), display.decimals, display.rounding) < 0)
            for v in values
        }
        if len(signs) <= 1:
            return True
        up, down, same = display.words
        shown = ", ".join(
            f"`{' '.join(item.span.text().split())}` {format_number(v, display)}"
            for item, v in zip(ref.expr.items, values, strict=True)  # type: ignore[union-attr]
        )
        self.diagnostics.error(
            Code.MIXED_CHANGES,
            f"figures under one change word change in different directions: {shown}",
            ref.expr.span,
            f"not all {up}, {down} or {same}",
            help="print them in separate references, each with its own change word",
        )
        return False

    def _zero(self, divisor: ir.Expr) -> _Failure:
        shown = divisor.span.text()
        if isinstance(divisor, ir.FigureRef):
            message = f"division by zero: `{divisor.name}` is 0"
            label = f"`{divisor.name}` is 0"
            help = (
                "a ratio against a zero base has no value; say so in words, e.g. "
                f'<if({divisor.name} == 0, "无预算", …)>'
            )
        else:
            message = f"division by zero: `{shown}` is 0"
            label = "this is 0"
            help = None
        return _Failure(Code.DIVISION_BY_ZERO, message, divisor.span, label, help)


def _refs(evaluator: _Evaluator, block: ir.Block) -> tuple[tuple[int, ir.Value | None], ...]:
    """The number and value of each of a block's references (None for one
    that failed)."""
    values: list[tuple[int, ir.Value | None]] = []
    for ref in ir.all_refs((block,)):
        value = None
        if not isinstance(ref.expr.type, ir.ErrorType):
            value = evaluator._guarded(ref.expr)
            if isinstance(value, tuple) and not evaluator._one_direction(ref, value):
                value = None
        values.append((ref.index, value))
    return tuple(values)


def _name(expr: ir.Expr) -> str:
    assert isinstance(expr, ir.FigureRef), "a share's members are its group's figures"
    return expr.name


def largest_remainder(shares: list[Fraction], places: int) -> list[Fraction]:
    """Shares in percent, rounded to `places` so that they add up to exactly 100%:
    each is cut down to its place, and the units left over go one each to the
    largest remainders, the first listed first on a tie (Hamilton's method)."""
    unit = Fraction(1, 10**places)
    floors = [value // unit * unit for value in shares]
    left = round((100 - sum(floors)) / unit)
    order = sorted(range(len(shares)), key=lambda i: -(shares[i] - floors[i]))
    for index in order[: max(0, left)]:
        floors[index] += unit
    return floors


def _is_percent(type_: ir.Type) -> bool:
    return isinstance(type_, ir.QuantityType) and type_.unit.terms == (("percent", 1),)


def _holds(
    expr: ir.Compare, left: Fraction, right: Fraction, tolerance: Fraction | None, rounding: str
) -> bool:
    if expr.op in ("==", "!="):
        if tolerance is not None:
            equal = abs(left - right) <= tolerance
        else:
            # an equality of quantities always has its precision (typer._precision)
            assert expr.decimals is not None
            places = expr.decimals
            equal = round_exact(left, places, rounding) == round_exact(right, places, rounding)
        return equal if expr.op == "==" else not equal
    return _order(expr.op, left, right)


def _order(op: str, left: Fraction | str, right: Fraction | str) -> bool:
    match op:
        case "<":
            return left < right  # type: ignore[operator]
        case "<=":
            return left <= right  # type: ignore[operator]
        case ">":
            return left > right  # type: ignore[operator]
    return left >= right  # type: ignore[operator]


def _range(interval: Interval, scale: Fraction, places: int) -> str:
    """`38.2876–38.2877`: an interval widened outwards to `places` decimals."""
    shown = Interval(interval.lo * scale, interval.hi * scale)
    if shown.is_point():
        return _exact(shown.lo)
    # outwards, so two ends that differ never print alike
    lo = plain(shown.lo, places, "up" if shown.lo < 0 else "down", trim=True)
    hi = plain(shown.hi, places, "down" if shown.hi < 0 else "up", trim=True)
    return f"{lo}–{hi}"


def _exact(value: Fraction) -> str:
    """A value as exact as it is, but no longer than 12 decimals (…: it goes on)."""
    places = decimal_places(value)
    if places is not None and places <= 12:
        return plain(value, places, "half-up", trim=False)
    return plain(value, 12, "half-up", trim=True) + "…"


def _places(decimals: int) -> str:
    if decimals >= 0:
        return f"{decimals} decimal{'s' if decimals != 1 else ''}"
    return f"the nearest {10**-decimals}"


def _side(expr: ir.Expr) -> str:
    return "`" + " ".join(expr.span.text().split()) + "`"


def _data_cells(program: ir.Program, expr: ir.Expr) -> tuple[str, ...]:
    """Where the data a failed check rests on was read: each cell, by the figure
    that reads it, through the figures the check's figures are made of, in the
    order the check and those figures' formulas name them."""
    figures = {figure.name: figure for figure in program.figures}
    found: dict[CellOrigin, str] = {}
    seen: set[str] = set()
    stack: list[tuple[ir.Expr, str]] = [(expr, "")]
    while stack:
        node, owner = stack.pop()
        if isinstance(node, ir.Const) and node.cell is not None:
            found.setdefault(node.cell, owner)
        if isinstance(node, ir.FigureRef) and node.name not in seen and node.name in figures:
            seen.add(node.name)
            stack.append((figures[node.name].expr, node.name))
        stack.extend(reversed([(child, owner) for child in ir.children(node)]))
    notes = [
        f"`{owner}` is read from {cell.describe()}" if owner else f"read from {cell.describe()}"
        for cell, owner in found.items()
    ]
    if len(notes) > MAX_CELL_NOTES:
        rest = len(notes) - MAX_CELL_NOTES
        notes = [*notes[:MAX_CELL_NOTES], f"and {rest} more data cells"]
    return tuple(notes)


def evaluate(program: ir.Program, diagnostics: Diagnostics) -> Evaluated:
    return _Evaluator(program, diagnostics).run()
