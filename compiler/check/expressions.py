"""Type expressions: each gets a type (a quantity in some unit, a text, a truth
value) and becomes typed IR, with unit conversions resolved into exact scales.

Adding 万元 to 人, printing 万元 as a percent, comparing text with a number: each
is reported here, with both sides named as the author wrote them. An expression
that contains an error gets `ERROR` as its type, which silences follow-on errors.
Calls are typed by the table of built-in functions (functions.py).
"""

from __future__ import annotations

from typing import assert_never

from ..base.codes import Code
from ..base.diagnostics import Diagnostics, Label
from ..base.numbers import MAX_DIGITS, ONE, ZERO, TooLarge, exact, power_of_ten, written_decimals
from ..base.record import field, mutable
from ..base.source import Span
from ..syntax import tree as ast
from ..syntax import walks
from ..syntax.settings import Settings
from . import ir
from .display import DisplayPlanner
from .functions import call
from .literals import bare_zero, integer_literal, literal_decimals
from .messages import named, side_labels, units_help
from .scope import Scope
from .units import MAX_UNIT_EXPONENT, PURE, Unit, UnitTooComplex


class Literals:
    """Literals exact or measured while inside (see Typer.literals). A class, not
    @contextmanager: it is entered for every figure and check, and a generator
    context cost 4 M instructions of a check more."""

    __slots__ = ("exact", "outside", "typer")
    outside: bool

    def __init__(self, typer: Typer, exact: bool) -> None:
        self.typer = typer
        self.exact = exact

    def __enter__(self) -> None:
        self.outside = self.typer.exact_literals
        self.typer.exact_literals = self.exact

    def __exit__(self, *exc: object) -> None:
        self.typer.exact_literals = self.outside


MAX_EXPONENT = 64
TOO_LARGE_HELP = f"rpt computes exactly with numbers of up to {MAX_DIGITS} digits"


@mutable
class Typer:
    """Types expressions against the report's figures: `types` holds the type of
    each figure typed so far (figures are typed in dependency order, so a use
    knows its figure's type)."""

    scope: Scope
    settings: Settings
    diagnostics: Diagnostics
    types: dict[str, ir.Type] = field(default_factory=dict)
    displays: DisplayPlanner = field(init=False)
    # inside a `let … exact`, a `check … exact` or bounds: literals stand for
    # themselves (see `literals`)
    exact_literals: bool = False

    def __post_init__(self) -> None:
        self.displays = DisplayPlanner(self.scope.units, self.settings, self.diagnostics)

    def literals(self, *, exact: bool) -> Literals:
        """Type what is inside with literals exact or measured, and restore after."""
        return Literals(self, exact)

    def expr(self, node: ast.Expr, *, top: bool = False) -> ir.Expr:
        """The IR of an expression. `top`: it is the whole of a prose reference, where
        an if() may choose between a number and a text."""
        span = node.span
        match node:
            case ast.Number():
                return self._number(node)
            case ast.String(value=value) | ast.Bool(value=value):
                return ir.Const(value, ir.TEXT if isinstance(value, str) else ir.BOOL, span)
            case ast.Name(name=name):
                type_ = self.types.get(name, ir.ERROR)
                return ir.FigureRef(name, type_, span)
            case ast.Glob():
                self.error(
                    Code.TYPE_MISMATCH,
                    f"a group `{walks.shown(node)}` can only be used inside sum(), min() or max()",
                    span,
                    "a group of figures",
                )
                return ir.POISONED
            case ast.Unary(op=op, operand=operand):
                inner = self.expr(operand)
                if not self.need_quantity(inner, operand, f"`{op}`"):
                    return ir.POISONED
                return inner if op == "+" else ir.Neg(inner, inner.type, span)
            case ast.Binary(op="^"):
                return self._power(node)
            case ast.Binary():
                return self._arith(node)
            case ast.Compare():
                return self._compare(node)
            case ast.Logic(op=op, left=left, right=right):
                a, b = self.expr(left), self.expr(right)
                ok = self.need_bool(a, left, f"`{op}`") & self.need_bool(b, right, f"`{op}`")
                return ir.Logic(op, a, b, span) if ok else ir.POISONED
            case ast.Not(operand=operand):
                inner = self.expr(operand)
                return (
                    ir.Not(inner, span) if self.need_bool(inner, operand, "`not`") else ir.POISONED
                )
            case ast.Convert(expr=operand, unit=unit_ref):
                return self._convert(node, operand, unit_ref)
            case ast.Call():
                return call(self, node, top=top)
            case ast.Formatted(expr=operand, format=fmt):
                inner = self.expr(operand)
                if not self.need_quantity(inner, operand, "a format"):
                    return ir.POISONED
                display = self.displays.plan(
                    inner.type, operand, fmt, written=self.written(operand)
                )
                return ir.Printed(inner, display, span) if display else ir.POISONED
            case ast.Items(items=items) if top:
                return self._items(node, items)
            case ast.Items():
                raise AssertionError("the grammar allows a list only as a whole reference")
            case ast.Invalid():
                return ir.POISONED
            case ast.CellRef():
                raise AssertionError("data cells are read before typing (compiler/data/)")
            case _:
                assert_never(node)

    def _number(self, node: ast.Number) -> ir.Expr:
        """A literal: exact, in its unit, known to the precision it was written with."""
        span = node.span
        unit = PURE
        if node.unit is not None:
            found = self.scope.units.lookup(node.unit.name)
            if found is None:
                return ir.POISONED  # reported by resolve
            unit = found
        try:
            magnitude = exact(node.value)
        except TooLarge:
            self.error(
                Code.ARITHMETIC,
                "this number has too many digits to compute with",
                span,
                "too long",
                help=TOO_LARGE_HELP,
            )
            return ir.POISONED
        written = written_decimals(node.text)
        precision = None if self.exact_literals else self.precision_of(unit, written)
        return ir.Const(magnitude, ir.QuantityType(unit), span, precision, node.cell)

    def operands(self, a: ast.Expr, b: ast.Expr, *, top: bool = False) -> tuple[ir.Expr, ir.Expr]:
        """Both operands typed; a bare 0 takes the unit of the other side."""
        left, right = self.expr(a, top=top), self.expr(b, top=top)
        if bare_zero(a) and isinstance(right.type, ir.QuantityType):
            left = ir.Const(ZERO, right.type, a.span)
        elif bare_zero(b) and isinstance(left.type, ir.QuantityType):
            right = ir.Const(ZERO, left.type, b.span)
        return left, right

    def _arith(self, node: ast.Binary) -> ir.Expr:
        left, right = self.operands(node.left, node.right)
        if node.op == "+" and ir.TEXT in (left.type, right.type):
            if left.type == right.type:
                return ir.Concat(left, right, node.span)
            if ir.ERROR in (left.type, right.type):
                return ir.POISONED  # a text joined to what is reported: no error about the text
        ok = self.need_quantity(left, node.left, f"`{node.op}`")
        ok = self.need_quantity(right, node.right, f"`{node.op}`") and ok
        if not ok:
            return ir.POISONED
        assert isinstance(left.type, ir.QuantityType) and isinstance(right.type, ir.QuantityType)
        units = self.scope.units
        if node.op in ("+", "-"):
            if not units.compatible(left.type.unit, right.type.unit):
                what = "cannot add " if node.op == "+" else "cannot subtract "
                what += named(node.right, right.type)
                what += " to " if node.op == "+" else " from "
                what += named(node.left, left.type)
                return self._mismatch(what, node, left, right)
            scale = units.conversion(right.type.unit, left.type.unit)
            # a rate less a rate is a difference in percentage points (个百分点)
            points = node.op == "-" and self._rate(left.type) and self._rate(right.type)
            points = points or left.type.points or right.type.points
            type_ = ir.QuantityType(left.type.unit, ir.either_ratio(left.type, right.type), points)
            return ir.Arith(node.op, left, right, type_, node.span, right_scale=scale)
        try:
            unit, scale = units.combine(
                left.type.unit, right.type.unit, 1 if node.op == "*" else -1
            )
        except UnitTooComplex:
            return self._unit_too_complex(node)
        # units that cancel make a ratio (a share, a rate): it must say how it prints
        cancelled = not (left.type.unit.is_pure() and right.type.unit.is_pure())
        ratio = unit.is_pure() and (cancelled or ir.either_ratio(left.type, right.type))
        # a difference of rates times or over a number is still in points: (a - b) * 2
        in_points = [side for side in (left.type, right.type) if side.points]
        points = len(in_points) == 1 and in_points[0].unit == unit
        type_ = ir.QuantityType(unit, ratio, points)
        return ir.Arith(node.op, left, right, type_, node.span, scale=scale)

    def _mismatch(
        self, message: str, node: ast.Binary | ast.Compare, left: ir.Expr, right: ir.Expr
    ) -> ir.Expr:
        """Report two operands in units of different dimensions, each labelled."""
        assert isinstance(left.type, ir.QuantityType) and isinstance(right.type, ir.QuantityType)
        self.error(
            Code.INCOMPATIBLE_UNITS,
            message,
            node.op_span,
            "different units",
            help=units_help(left.type.unit, right.type.unit),
            labels=side_labels(node.left, left.type, node.right, right.type),
        )
        return ir.POISONED

    def _power(self, node: ast.Binary) -> ir.Expr:
        base = self.expr(node.left)
        exponent = integer_literal(node.right)
        if exponent is None or abs(exponent) > MAX_EXPONENT:
            self.error(
                Code.TYPE_MISMATCH,
                f"an exponent must be a whole number from -{MAX_EXPONENT} to {MAX_EXPONENT}, "
                "written in the formula",
                node.right.span,
                "not such a number",
            )
            return ir.POISONED
        if not self.need_quantity(base, node.left, "`^`"):
            return ir.POISONED
        assert isinstance(base.type, ir.QuantityType)
        try:
            unit = self.scope.units.power(base.type.unit, exponent)
        except UnitTooComplex:
            return self._unit_too_complex(node)
        return ir.Power(base, exponent, ir.QuantityType(unit, base.type.ratio), node.span)

    def _rate(self, type_: ir.QuantityType) -> bool:
        """A percent, a permille or a ratio: what a difference is taken in points of."""
        return type_.ratio or type_.points or self.scope.units.is_percent(type_.unit)

    def _unit_too_complex(self, node: ast.Binary) -> ir.Expr:
        self.error(
            Code.TYPE_MISMATCH,
            f"the unit of this result would be raised beyond the power {MAX_UNIT_EXPONENT}",
            node.span,
            "no quantity has such a unit",
            help="a report's quantities are money, counts and their ratios; "
            "check the formula's operators",
        )
        return ir.POISONED

    def _compare(self, node: ast.Compare) -> ir.Expr:
        left, right = self.operands(node.left, node.right)
        if ir.ERROR in (left.type, right.type):
            return ir.POISONED
        equality = node.op in ("==", "!=")
        if isinstance(left.type, ir.QuantityType) and isinstance(right.type, ir.QuantityType):
            if not (
                self.need_quantity(left, node.left, "a comparison")
                & self.need_quantity(right, node.right, "a comparison")
            ):
                return ir.POISONED
            units = self.scope.units
            if not units.compatible(left.type.unit, right.type.unit):
                what = f"cannot compare {named(node.left, left.type)} "
                what += f"with {named(node.right, right.type)}"
                return self._mismatch(what, node, left, right)
            scale = units.conversion(right.type.unit, left.type.unit)
            decimals = self._precision(node, left.type.unit, right.type.unit) if equality else None
            return ir.Compare(node.op, left, right, scale, decimals, node.span)
        if left.type == right.type and (equality or left.type == ir.TEXT):
            return ir.Compare(node.op, left, right, ONE, None, node.span)
        same = left.type == right.type  # two conditions, ordered: they have no order
        what = f"cannot compare {named(node.left, left.type)} with {named(node.right, right.type)}"
        self.error(
            Code.TYPE_MISMATCH,
            f"conditions have no order: `{node.op}` {what}" if same else what,
            node.op_span,
            "not an order" if same else "different kinds of value",
            help="compare them with == or !=" if same else None,
        )
        return ir.POISONED

    def _precision(self, node: ast.Compare, left: Unit, right: Unit) -> int | None:
        """Decimals (in the left unit) at which an equality is decided.

        A literal, or a figure declared as one, is known to the decimals it was
        written with, and never fewer than its kind is displayed with (`10 万元` is
        10.00 万元). The comparison is decided at the coarsest side's precision, as
        XBRL Calculations 1.1 compares rounded facts. Two formulas compare at the
        display precision of the left unit.
        """
        units = self.scope.units
        found = []
        for side, unit in ((node.left, left), (node.right, right)):
            written = self.written(side)
            if written is None:
                continue
            shift = power_of_ten(units.conversion(unit, left))
            written = max(written, self._default_decimals(unit))
            found.append(written - (shift or 0))
        if found:
            return min(found)
        return self._default_decimals(left)

    def _default_decimals(self, unit: Unit) -> int:
        units = self.scope.units
        if units.is_money(unit):
            return self.settings.money_decimals
        if units.is_percent(unit):
            return self.settings.percent_decimals
        if unit.is_pure():
            return self.settings.percent_decimals + 2  # a ratio, as a percent shows it
        return self.settings.decimals

    def written(self, node: ast.Expr) -> int | None:
        match node:
            case ast.Name(name=name) if name in self.scope.figures:
                return literal_decimals(self.scope.figures[name].expr)
        return literal_decimals(node)

    def _convert(self, node: ast.Convert, operand: ast.Expr, unit_ref: ast.UnitRef) -> ir.Expr:
        inner = self.expr(operand)
        target = self.scope.units.lookup(unit_ref.name)
        if target is None or not self.need_quantity(inner, operand, "`to`"):
            return ir.POISONED
        assert isinstance(inner.type, ir.QuantityType)
        if not self.scope.units.compatible(inner.type.unit, target):
            self.error(
                Code.INCOMPATIBLE_UNITS,
                f"cannot express {named(operand, inner.type)} in {target.describe()}",
                unit_ref.span,
                f"{target.describe()} measures something else",
            )
            return ir.POISONED
        scale = self.scope.units.conversion(inner.type.unit, target)
        return ir.Scaled(inner, scale, ir.QuantityType(target), node.span)

    def _items(self, node: ast.Items, items: tuple[ast.Expr, ...]) -> ir.Expr:
        """Figures printed in one phrase share a unit: `分别减少3.2、1.5万元`."""
        typed = [(self.expr(item), item) for item in items]
        ok = True
        for expr, item in typed:
            ok = self.need_quantity(expr, item, "a list of figures") and ok
        if not ok:
            return ir.POISONED
        first, first_node = typed[0]
        assert isinstance(first.type, ir.QuantityType)
        scales = []
        for expr, item in typed:
            assert isinstance(expr.type, ir.QuantityType)
            if not self.scope.units.compatible(first.type.unit, expr.type.unit):
                self.error(
                    Code.INCOMPATIBLE_UNITS,
                    "figures printed together share a unit, but "
                    f"{named(first_node, first.type)} and {named(item, expr.type)} "
                    "differ",
                    item.span,
                    f"in {expr.type.unit.describe()}",
                    help="print them in separate references",
                )
                return ir.POISONED
            scales.append(self.scope.units.conversion(expr.type.unit, first.type.unit))
        types = [expr.type for expr, _ in typed if isinstance(expr.type, ir.QuantityType)]
        type_ = ir.QuantityType(
            first.type.unit, any(t.ratio for t in types), any(t.points for t in types)
        )
        exprs = tuple(expr for expr, _ in typed)
        return ir.Items(exprs, tuple(scales), type_, node.span)

    def precision_of(self, unit: Unit, written: int) -> int | None:
        """The decimals a measured literal was rounded to: as written, and no
        fewer than its kind prints with. Counts and pure numbers are exact (None);
        a literal's unit is one name (the grammar's `quantity`), so these are all."""
        units = self.scope.units
        if units.is_money(unit):
            return max(written, self.settings.money_decimals)
        if units.is_percent(unit):
            return max(written, self.settings.percent_decimals)
        return None

    def guarded(self, node: ast.Expr, *, allow_text_branch: bool) -> ir.Expr:
        """The IR of `node`, typed ERROR if anything inside it was reported."""
        before = len(self.diagnostics.items)
        expr = self.expr(node, top=allow_text_branch)
        if len(self.diagnostics.items) > before and expr.type != ir.ERROR:
            return ir.POISONED
        return expr

    def need_quantity(self, expr: ir.Expr, node: ast.Expr, where: str) -> bool:
        if isinstance(expr.type, ir.QuantityType) and expr.type.or_text:
            self.error(
                Code.TYPE_MISMATCH,
                f"{where} needs a number, but `{walks.shown(node)}` may be a text",
                node.span,
                "a number or a text",
                help="an if() that gives a text in one branch only prints; compute with the "
                "figures it is made of",
            )
            return False
        if isinstance(expr.type, ir.QuantityType):
            return True
        if expr.type != ir.ERROR:
            self.error(
                Code.TYPE_MISMATCH,
                f"{where} needs a number, but `{walks.shown(node)}` is {ir.describe(expr.type)}",
                node.span,
                "not a number",
            )
        return False

    def need_bool(self, expr: ir.Expr, node: ast.Expr, where: str) -> bool:
        if expr.type == ir.BOOL:
            return True
        if expr.type != ir.ERROR:
            self.error(
                Code.TYPE_MISMATCH,
                f"{where} needs a condition, but `{walks.shown(node)}` is {ir.describe(expr.type)}",
                node.span,
                "not true or false",
                help="a condition is a comparison such as `a > b`",
            )
        return False

    def error(
        self,
        code: Code,
        message: str,
        span: Span,
        label: str,
        *,
        help: str | None = None,
        labels: tuple[Label, ...] = (),
    ) -> None:
        self.diagnostics.error(code, message, span, label, help=help, labels=labels)
