"""Check types and units, and lower the syntax tree to the typed IR.

Every expression gets a type: a quantity in some unit, text, or a truth value.
Adding 万元 to 人, printing 万元 as a percent, comparing text with a number: each
is reported here, with both sides named as the author wrote them. An expression
that contains an error gets `ERROR` as its type, which silences follow-on errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import assert_never

from ..base.codes import Code
from ..base.diagnostics import Diagnostics, Label
from ..base.numbers import MAX_DIGITS, ONE, ZERO, TooLarge, exact, power_of_ten, written_decimals
from ..base.source import Span
from ..base.suggest import did_you_mean
from ..syntax import tree as ast
from ..syntax.settings import Settings
from . import ir
from .display import DisplayPlanner
from .resolve import Scope
from .units import MAX_UNIT_EXPONENT, PURE, Unit, UnitTooComplex

MAX_EXPONENT = 64
# a whole number as an exponent or a count of decimals is written out: 2, or 2.0
WHOLE = re.compile(r"[0-9]{1,6}(\.0*)?")
TOO_LARGE_HELP = f"rpt computes exactly with numbers of up to {MAX_DIGITS} digits"


def typecheck(
    module: ast.Module, scope: Scope, settings: Settings, diagnostics: Diagnostics
) -> ir.Program:
    return _Checker(scope, settings, diagnostics).program(module)


def literal_decimals(expr: ast.Expr) -> int | None:
    """Decimals written in a literal figure (`-34.90 万元` → 2), or given to a
    share (`share(x, 收入.*, 1)` → 1); None for other formulas."""
    match expr:
        case ast.Number(text=text):
            return written_decimals(text)
        case ast.Unary(operand=operand):
            return literal_decimals(operand)
        case ast.Call(func="share", args=(_, _, places)):
            return _integer_literal(places)
    return None


@dataclass
class _Checker:
    """One type-checking pass over a module: types each figure (in dependency order, so
    its uses know its type), then checks and blocks, and numbers the prose references."""

    scope: Scope
    settings: Settings
    diagnostics: Diagnostics
    types: dict[str, ir.Type] = field(default_factory=dict)
    ref_count: int = 0
    displays: DisplayPlanner = field(init=False)
    # inside a `let … exact` or `check … exact`: literals stand for themselves
    exact_literals: bool = False

    def __post_init__(self) -> None:
        self.displays = DisplayPlanner(self.scope.units, self.settings, self.diagnostics)

    # ---------------------------------------------------------------- program

    def program(self, module: ast.Module) -> ir.Program:
        for name in self.scope.in_cycle:
            self.types[name] = ir.ERROR
        figures = []
        for name in self.scope.order:
            let = self.scope.figures[name]
            self.exact_literals = let.exact
            expr = self._guarded(let.expr, allow_text_branch=let.cell)
            self.exact_literals = False
            self.types[name] = expr.type
            bounds = self._bounds(let) if let.bounds else None
            figures.append(
                ir.Figure(name, expr, expr.type, let.span, literal_decimals(let.expr), bounds)
            )
        checks = [
            self._check(_bounds_check(let))
            for name in self.scope.order
            if (let := self.scope.figures[name]).bounds is not None
        ]
        blocks: list[ir.Block] = []
        for item in module.items:
            match item:
                case ast.Check():
                    checks.append(self._check(item))
                case ast.Heading(level=level, numbered=numbered, inlines=inlines, number=number):
                    blocks.append(ir.Heading(level, numbered, self._inlines(inlines), number))
                case ast.Paragraph(lines=lines):
                    blocks.append(ir.Paragraph(tuple(self._inlines(line) for line in lines)))
                case ast.ListBlock(ordered=ordered, start=start, items=items):
                    entries = tuple(self._inlines(entry.inlines) for entry in items)
                    blocks.append(ir.ListBlock(ordered, start, entries))
                case ast.Grid():
                    blocks.append(self._table(item))
                case ast.Let() | ast.UnitDecl() | ast.Include() | ast.Table():
                    pass  # figures are typed above; units resolved; includes and tables expanded
                case _:
                    assert_never(item)
        return ir.Program(
            self.settings,
            self.scope.units,
            tuple(figures),
            tuple(checks),
            tuple(blocks),
            self.ref_count,
        )

    def _guarded(self, node: ast.Expr, *, allow_text_branch: bool) -> ir.Expr:
        """The IR of `node`, typed ERROR if anything inside it was reported."""
        before = len(self.diagnostics.items)
        expr = self.expr(node, top=allow_text_branch)
        if len(self.diagnostics.items) > before and expr.type != ir.ERROR:
            return ir.Const(ZERO, ir.ERROR, node.span)
        return expr

    def _check(self, check: ast.Check) -> ir.Check:
        self.exact_literals = check.exact
        try:
            return self._typed_check(check)
        finally:
            self.exact_literals = False

    def _bounds(self, let: ast.Let) -> tuple[ir.Expr, ir.Expr] | None:
        """A figure's declared bounds, exact, in its own unit (the check that it
        keeps to them reports any mismatch of units)."""
        assert let.bounds is not None
        self.exact_literals = True
        before = len(self.diagnostics.items)
        low, high = (self.expr(bound) for bound in let.bounds)
        self.exact_literals = False
        own = self.types.get(let.name)
        quantities = [t for t in (low.type, high.type, own) if isinstance(t, ir.QuantityType)]
        if len(self.diagnostics.items) > before or len(quantities) < 3:
            return None
        units = self.scope.units
        scaled = []
        for bound, type_ in ((low, low.type), (high, high.type)):
            assert isinstance(type_, ir.QuantityType) and isinstance(own, ir.QuantityType)
            if not units.compatible(type_.unit, own.unit):
                return None  # the bounds check reports it
            scale = units.conversion(type_.unit, own.unit)
            scaled.append(ir.Scaled(bound, scale, own, bound.span))
        return scaled[0], scaled[1]

    def _precision_of(self, unit: Unit, written: int) -> int | None:
        """The decimals a measured literal was rounded to: as written, and no
        fewer than its kind prints with. Counts and pure numbers are exact (None)."""
        units = self.scope.units
        if units.is_money(unit):
            return max(written, self.settings.money_decimals)
        if units.is_percent(unit):
            return max(written, self.settings.percent_decimals)
        if unit.is_pure() or (len(unit.terms) == 1 and unit.terms[0][1] == 1):
            return None
        return max(written, self.settings.decimals)

    def _typed_check(self, check: ast.Check) -> ir.Check:
        expr = self._guarded(check.expr, allow_text_branch=False)
        tolerance = None
        if expr.type not in (ir.BOOL, ir.ERROR):
            self._error(
                Code.TYPE_MISMATCH,
                "a check needs a comparison or a condition",
                check.expr.span,
                f"this is {ir.describe(expr.type)}",
                help="write what must hold, e.g. `check 收入合计 == 支出合计`",
            )
            expr = ir.Const(ZERO, ir.ERROR, check.expr.span)
        if check.tolerance is not None:
            tolerance = self._guarded(check.tolerance, allow_text_branch=False)
            tolerance = self._tolerance(expr, tolerance, check.tolerance)
        return ir.Check(
            expr,
            tolerance,
            check.message,
            check.span,
            ast.shown(check.expr),
            check.cell,
            check.where,
        )

    def _tolerance(self, expr: ir.Expr, tolerance: ir.Expr, node: ast.Expr) -> ir.Expr | None:
        if ir.ERROR in (tolerance.type, expr.type):
            return None
        if not (isinstance(expr, ir.Compare) and expr.op in ("==", "!=")):
            self._error(
                Code.TYPE_MISMATCH,
                "`within` only applies to an equality",
                node.span,
                "a tolerance for `==`",
            )
            return None
        side = expr.left.type
        if not (isinstance(side, ir.QuantityType) and isinstance(tolerance.type, ir.QuantityType)):
            return None
        if not self.scope.units.compatible(side.unit, tolerance.type.unit):
            self._incompatible("a tolerance", node, tolerance.type, "the compared values", side)
            return None
        scale = self.scope.units.conversion(tolerance.type.unit, side.unit)
        return ir.Scaled(tolerance, scale, side, node.span)

    def _table(self, grid: ast.Grid) -> ir.Table:
        note = ""
        unit: Unit | None = None
        if grid.unit is not None:
            unit = self.scope.units.lookup(grid.unit.name)
            if unit is None:
                self._error(
                    Code.UNKNOWN_UNIT,
                    f"unknown unit `{grid.unit.name}`",
                    grid.unit.span,
                    "not a unit",
                    help=did_you_mean(grid.unit.name, self.scope.units.names()),
                )
            else:
                label = unit.label()
                note = f"Unit: {label}" if self.settings.locale == "en" else f"单位：{label}"
        rows = tuple(
            ir.TableRow(
                row.header,
                tuple(
                    _cell(self._inlines(cell.inlines), cell.colspan, cell.rowspan, cell.align)
                    for cell in row.cells
                ),
            )
            for row in grid.rows
        )
        if unit is not None:
            self._against_the_note(rows, unit, note)
        return ir.Table(grid.caption, note, grid.columns, rows)

    def _against_the_note(self, rows: tuple[ir.TableRow, ...], unit: Unit, note: str) -> None:
        """A table's cells print without their unit, which its note states. A cell in
        another unit of the same dimension (元 under 单位：万元) would be read in the
        note's unit: 5000 元 as 5000 万元. Reported once for each unit it happens in."""
        units = self.scope.units
        reported: set[Unit] = set()
        for row in rows:
            for cell in row.cells:
                for inline in cell.inlines:
                    if not isinstance(inline, ir.Ref) or not isinstance(
                        inline.expr.type, ir.QuantityType
                    ):
                        continue
                    own = inline.expr.type.unit
                    if own == unit or units.is_percent(own) or not units.compatible(own, unit):
                        continue
                    if own in reported:
                        continue
                    reported.add(own)
                    self._error(
                        Code.INCOMPATIBLE_UNITS,
                        f"this cell is in {own.describe()}, but the table's note says {note}: "
                        f"its number would be read in {unit.describe()}",
                        inline.span,
                        f"in {own.describe()}",
                        help=f"give its column the table's unit (`: {unit.label()}`), "
                        "or print the table without a unit note",
                    )

    # ---------------------------------------------------------------- inline text

    def _inlines(self, inlines: tuple[ast.Inline, ...]) -> tuple[ir.Inline, ...]:
        result: list[ir.Inline] = []
        for inline in inlines:
            match inline:
                case ast.Text(text=text):
                    result.append(ir.Text(text))
                case ast.Strong(children=children):
                    result.append(ir.Strong(self._inlines(children)))
                case ast.Emph(children=children):
                    result.append(ir.Emph(self._inlines(children)))
                case ast.Ref():
                    result.append(self._ref(inline))
        return tuple(result)

    def _ref(self, ref: ast.Ref) -> ir.Ref:
        index = self.ref_count
        self.ref_count += 1
        expr = self._guarded(ref.expr, allow_text_branch=True)
        display = None
        if expr.type != ir.ERROR:
            before = len(self.diagnostics.items)
            display = self.displays.plan(
                expr.type,
                ref.expr,
                ref.format,
                written=self._written(ref.expr),
                in_table=ref.in_table,
            )
            if len(self.diagnostics.items) > before:
                expr = ir.Const(ZERO, ir.ERROR, ref.span)
        return ir.Ref(index, expr, display, ref.span)

    # ---------------------------------------------------------------- expressions

    def expr(self, node: ast.Expr, *, top: bool = False) -> ir.Expr:
        """The IR of an expression. `top`: it is the whole of a prose reference, where
        an if() may choose between a number and a text."""
        span = node.span
        match node:
            case ast.Number(value=value, text=text, unit=unit_ref):
                unit = PURE
                if unit_ref is not None:
                    found = self.scope.units.lookup(unit_ref.name)
                    if found is None:
                        return self._poison(span)  # reported by resolve
                    unit = found
                try:
                    magnitude = exact(value)
                except TooLarge:
                    self._error(
                        Code.ARITHMETIC,
                        "this number has too many digits to compute with",
                        span,
                        "too long",
                        help=TOO_LARGE_HELP,
                    )
                    return self._poison(span)
                written = written_decimals(text)
                precision = None if self.exact_literals else self._precision_of(unit, written)
                return ir.Const(magnitude, ir.QuantityType(unit), span, written, precision)
            case ast.String(value=value):
                return ir.Const(value, ir.TEXT, span)
            case ast.Bool(value=value):
                return ir.Const(value, ir.BOOL, span)
            case ast.Name(name=name):
                type_ = self.types.get(name, ir.ERROR)
                return ir.FigureRef(name, type_, span)
            case ast.Glob():
                self._error(
                    Code.TYPE_MISMATCH,
                    f"a group `{ast.shown(node)}` can only be used inside sum(), min() or max()",
                    span,
                    "a group of figures",
                )
                return self._poison(span)
            case ast.Unary(op=op, operand=operand):
                inner = self.expr(operand)
                if not self._need_quantity(inner, operand, f"`{op}`"):
                    return self._poison(span)
                return inner if op == "+" else ir.Neg(inner, inner.type, span)
            case ast.Binary(op="^"):
                return self._power(node)
            case ast.Binary():
                return self._arith(node)
            case ast.Compare():
                return self._compare(node)
            case ast.Logic(op=op, left=left, right=right):
                a, b = self.expr(left), self.expr(right)
                ok = self._need_bool(a, left, f"`{op}`") & self._need_bool(b, right, f"`{op}`")
                return ir.Logic(op, a, b, span) if ok else self._poison(span)
            case ast.Not(operand=operand):
                inner = self.expr(operand)
                return (
                    ir.Not(inner, span)
                    if self._need_bool(inner, operand, "`not`")
                    else self._poison(span)
                )
            case ast.Convert(expr=operand, unit=unit_ref):
                return self._convert(node, operand, unit_ref)
            case ast.Call():
                return self._call(node, top=top)
            case ast.Formatted(expr=operand, format=fmt):
                inner = self.expr(operand)
                if not self._need_quantity(inner, operand, "a format"):
                    return self._poison(span)
                display = self.displays.plan(
                    inner.type, operand, fmt, written=self._written(operand)
                )
                return ir.Printed(inner, display, span) if display else self._poison(span)
            case ast.Items(items=items) if top:
                return self._items(node, items)
            case ast.Items():
                raise AssertionError("the grammar allows a list only as a whole reference")
            case ast.Invalid():
                return self._poison(span)

    def _operands(self, a: ast.Expr, b: ast.Expr, *, top: bool = False) -> tuple[ir.Expr, ir.Expr]:
        """Both operands typed; a bare 0 takes the unit of the other side."""
        left, right = self.expr(a, top=top), self.expr(b, top=top)
        if _bare_zero(a) and isinstance(right.type, ir.QuantityType):
            left = ir.Const(ZERO, right.type, a.span, 0)
        elif _bare_zero(b) and isinstance(left.type, ir.QuantityType):
            right = ir.Const(ZERO, left.type, b.span, 0)
        return left, right

    def _arith(self, node: ast.Binary) -> ir.Expr:
        left, right = self._operands(node.left, node.right)
        if node.op == "+" and left.type == right.type == ir.TEXT:
            return ir.Concat(left, right, node.span)
        verb = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}[node.op]
        ok = self._need_quantity(left, node.left, f"`{node.op}`")
        ok = self._need_quantity(right, node.right, f"`{node.op}`") and ok
        if not ok:
            return self._poison(node.span)
        assert isinstance(left.type, ir.QuantityType) and isinstance(right.type, ir.QuantityType)
        units = self.scope.units
        if node.op in ("+", "-"):
            if not units.compatible(left.type.unit, right.type.unit):
                what = f"cannot {verb} {self._named(node.right, right.type)}"
                what += " to " if node.op == "+" else " from "
                what += self._named(node.left, left.type)
                return self._mismatch(what, node, left, right)
            scale = units.conversion(right.type.unit, left.type.unit)
            # a rate less a rate is a difference in percentage points (个百分点)
            points = node.op == "-" and self._rate(left.type) and self._rate(right.type)
            points = points or left.type.points or right.type.points
            type_ = ir.QuantityType(left.type.unit, _ratio(left.type, right.type), points)
            return ir.Arith(node.op, left, right, type_, node.span, right_scale=scale)
        try:
            unit, scale = units.combine(
                left.type.unit, right.type.unit, 1 if node.op == "*" else -1
            )
        except UnitTooComplex:
            return self._unit_too_complex(node)
        # units that cancel make a ratio (a share, a rate): it must say how it prints
        cancelled = not (left.type.unit.is_pure() and right.type.unit.is_pure())
        ratio = unit.is_pure() and (cancelled or _ratio(left.type, right.type))
        return ir.Arith(node.op, left, right, ir.QuantityType(unit, ratio), node.span, scale=scale)

    def _mismatch(
        self, message: str, node: ast.Binary | ast.Compare, left: ir.Expr, right: ir.Expr
    ) -> ir.Expr:
        """Report two operands in units of different dimensions, each labelled."""
        assert isinstance(left.type, ir.QuantityType) and isinstance(right.type, ir.QuantityType)
        self._error(
            Code.INCOMPATIBLE_UNITS,
            message,
            node.op_span,
            "different units",
            help=self._units_help(left.type.unit, right.type.unit),
            labels=self._side_labels(node.left, left.type, node.right, right.type),
        )
        return self._poison(node.span)

    def _power(self, node: ast.Binary) -> ir.Expr:
        base = self.expr(node.left)
        exponent = _integer_literal(node.right)
        if exponent is None or abs(exponent) > MAX_EXPONENT:
            self._error(
                Code.TYPE_MISMATCH,
                f"an exponent must be a whole number from -{MAX_EXPONENT} to {MAX_EXPONENT}, "
                "written in the formula",
                node.right.span,
                "not such a number",
            )
            return self._poison(node.span)
        if not self._need_quantity(base, node.left, "`^`"):
            return self._poison(node.span)
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
        self._error(
            Code.TYPE_MISMATCH,
            f"the unit of this result would be raised beyond the power {MAX_UNIT_EXPONENT}",
            node.span,
            "no quantity has such a unit",
            help="a report's quantities are money, counts and their ratios; "
            "check the formula's operators",
        )
        return self._poison(node.span)

    def _compare(self, node: ast.Compare) -> ir.Expr:
        left, right = self._operands(node.left, node.right)
        if ir.ERROR in (left.type, right.type):
            return self._poison(node.span)
        equality = node.op in ("==", "!=")
        if isinstance(left.type, ir.QuantityType) and isinstance(right.type, ir.QuantityType):
            if not (
                self._need_quantity(left, node.left, "a comparison")
                & self._need_quantity(right, node.right, "a comparison")
            ):
                return self._poison(node.span)
            units = self.scope.units
            if not units.compatible(left.type.unit, right.type.unit):
                what = f"cannot compare {self._named(node.left, left.type)} "
                what += f"with {self._named(node.right, right.type)}"
                return self._mismatch(what, node, left, right)
            scale = units.conversion(right.type.unit, left.type.unit)
            decimals = self._precision(node, left.type.unit, right.type.unit) if equality else None
            return ir.Compare(node.op, left, right, scale, decimals, node.span)
        if left.type == right.type and (equality or left.type == ir.TEXT):
            return ir.Compare(node.op, left, right, ONE, None, node.span)
        self._error(
            Code.TYPE_MISMATCH,
            f"cannot compare {self._named(node.left, left.type)} "
            f"with {self._named(node.right, right.type)}",
            node.op_span,
            "different kinds of value",
        )
        return self._poison(node.span)

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
            written = self._written(side)
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

    def _written(self, node: ast.Expr) -> int | None:
        match node:
            case ast.Name(name=name) if name in self.scope.figures:
                return literal_decimals(self.scope.figures[name].expr)
        return literal_decimals(node)

    def _convert(self, node: ast.Convert, operand: ast.Expr, unit_ref: ast.UnitRef) -> ir.Expr:
        inner = self.expr(operand)
        target = self.scope.units.lookup(unit_ref.name)
        if target is None or not self._need_quantity(inner, operand, "`to`"):
            return self._poison(node.span)
        assert isinstance(inner.type, ir.QuantityType)
        if not self.scope.units.compatible(inner.type.unit, target):
            self._error(
                Code.INCOMPATIBLE_UNITS,
                f"cannot express {self._named(operand, inner.type)} in {target.describe()}",
                unit_ref.span,
                f"{target.describe()} measures something else",
            )
            return self._poison(node.span)
        scale = self.scope.units.conversion(inner.type.unit, target)
        return ir.Scaled(inner, scale, ir.QuantityType(target), node.span)

    # ---------------------------------------------------------------- functions

    def _call(self, node: ast.Call, *, top: bool) -> ir.Expr:
        match node.func:
            case "sum" | "min" | "max":
                return self._aggregate(node)
            case "abs":
                if not self._arity(node, 1):
                    return self._poison(node.span)
                inner = self.expr(node.args[0])
                if not self._need_quantity(inner, node.args[0], "abs()"):
                    return self._poison(node.span)
                return ir.Abs(inner, inner.type, node.span)
            case "round":
                if not self._arity(node, 2):
                    return self._poison(node.span)
                inner = self.expr(node.args[0])
                places = _integer_literal(node.args[1])
                if places is None or not -12 <= places <= 20:
                    self._error(
                        Code.WRONG_ARGUMENTS,
                        "round() takes the number of decimals as a whole number from -12 to 20",
                        node.args[1].span,
                        "decimals expected",
                    )
                    return self._poison(node.span)
                if not self._need_quantity(inner, node.args[0], "round()"):
                    return self._poison(node.span)
                return ir.Round(inner, places, self.settings.rounding, inner.type, node.span)
            case "if":
                return self._if(node, top=top)
            case "share":
                return self._share(node)
        return self._poison(node.span)  # unknown function: reported by resolve

    def _share(self, node: ast.Call) -> ir.Expr:
        """share(part, group[, decimals]): one member's share of its group, in %."""
        if len(node.args) not in (2, 3):
            self._error(
                Code.WRONG_ARGUMENTS,
                f"share() takes a part, its group and optionally decimals, not {len(node.args)}",
                node.span,
                f"{len(node.args)} given",
                help="share(收入.财政拨款, 收入.*) or share(收入.财政拨款, 收入.*, 1)",
            )
            return self._poison(node.span)
        part, group = node.args[0], node.args[1]
        places = self.settings.percent_decimals
        if len(node.args) == 3:
            written = _integer_literal(node.args[2])
            if written is None or not 0 <= written <= 10:
                self._error(
                    Code.WRONG_ARGUMENTS,
                    "share() takes the decimals of its percent as a whole number from 0 to 10",
                    node.args[2].span,
                    "decimals expected",
                )
                return self._poison(node.span)
            places = written
        if not isinstance(group, ast.Glob) or not isinstance(part, ast.Name):
            self._error(
                Code.WRONG_ARGUMENTS,
                "share() takes a figure and the group it belongs to",
                node.span,
                "not a figure and its group",
                help="share(收入.财政拨款, 收入.*)",
            )
            return self._poison(node.span)
        names = self.scope.matching(group.pattern)
        if not names:
            return self._poison(node.span)  # reported by resolve
        if part.name not in names:
            self._error(
                Code.WRONG_ARGUMENTS,
                f"`{part.name}` is not one of `{group.pattern}`",
                part.span,
                "not in the group",
                help="a share is of one member of the group whose total it divides",
            )
            return self._poison(node.span)
        aggregate = self._aggregate(ast.Call("sum", node.func_span, (group,), node.span))
        if not isinstance(aggregate, ir.Aggregate):
            return aggregate  # reported: a member that is not a number, or mixed units
        percent = ir.QuantityType(Unit.named("percent"))
        return ir.Share(
            names.index(part.name),
            aggregate.args,
            aggregate.scales,
            places,
            self.settings.shares,
            percent,
            node.span,
        )

    def _aggregate(self, node: ast.Call) -> ir.Expr:
        args: list[tuple[ir.Expr, ast.Expr]] = []
        for arg in node.args:
            if isinstance(arg, ast.Glob):
                if not self.scope.matching(arg.pattern):
                    return self._poison(node.span)  # reported by resolve
                for member in self.scope.matching(arg.pattern):
                    type_ = self.types.get(member, ir.ERROR)
                    args.append((ir.FigureRef(member, type_, arg.span), arg))
            else:
                args.append((self.expr(arg), arg))
        if not args:
            self._error(
                Code.WRONG_ARGUMENTS,
                f"{node.func}() needs at least one value",
                node.span,
                "nothing to " + ("add up" if node.func == "sum" else "compare"),
            )
            return self._poison(node.span)
        ok = True
        for expr, arg in args:
            ok = self._need_quantity(expr, arg, f"{node.func}()") and ok
        if not ok:
            return self._poison(node.span)
        first_type = args[0][0].type
        assert isinstance(first_type, ir.QuantityType)
        quantities = [expr.type for expr, _ in args if isinstance(expr.type, ir.QuantityType)]
        first_type = ir.QuantityType(
            first_type.unit,
            ratio=any(t.ratio for t in quantities),
            points=any(t.points for t in quantities),
        )
        scales = []
        for expr, arg in args:
            assert isinstance(expr.type, ir.QuantityType)
            if not self.scope.units.compatible(first_type.unit, expr.type.unit):
                first, first_node = args[0]
                self._error(
                    Code.INCOMPATIBLE_UNITS,
                    f"{node.func}() mixes {self._member(first, first_node)} "
                    f"and {self._member(expr, arg)}",
                    arg.span,
                    f"in {expr.type.unit.describe()}",
                    help=self._units_help(first_type.unit, expr.type.unit),
                )
                return self._poison(node.span)
            scales.append(self.scope.units.conversion(expr.type.unit, first_type.unit))
        exprs = tuple(expr for expr, _ in args)
        return ir.Aggregate(node.func, exprs, tuple(scales), first_type, node.span)

    def _items(self, node: ast.Items, items: tuple[ast.Expr, ...]) -> ir.Expr:
        """Figures printed in one phrase share a unit: `分别减少3.2、1.5万元`."""
        typed = [(self.expr(item), item) for item in items]
        ok = True
        for expr, item in typed:
            ok = self._need_quantity(expr, item, "a list of figures") and ok
        if not ok:
            return self._poison(node.span)
        first, first_node = typed[0]
        assert isinstance(first.type, ir.QuantityType)
        scales = []
        for expr, item in typed:
            assert isinstance(expr.type, ir.QuantityType)
            if not self.scope.units.compatible(first.type.unit, expr.type.unit):
                self._error(
                    Code.INCOMPATIBLE_UNITS,
                    "figures printed together share a unit, but "
                    f"{self._named(first_node, first.type)} and {self._named(item, expr.type)} "
                    "differ",
                    item.span,
                    f"in {expr.type.unit.describe()}",
                    help="print them in separate references",
                )
                return self._poison(node.span)
            scales.append(self.scope.units.conversion(expr.type.unit, first.type.unit))
        types = [expr.type for expr, _ in typed if isinstance(expr.type, ir.QuantityType)]
        type_ = ir.QuantityType(
            first.type.unit, any(t.ratio for t in types), any(t.points for t in types)
        )
        exprs = tuple(expr for expr, _ in typed)
        return ir.Items(exprs, tuple(scales), type_, node.span)

    def _if(self, node: ast.Call, *, top: bool) -> ir.Expr:
        if not self._arity(node, 3):
            return self._poison(node.span)
        cond_node, then_node, else_node = node.args
        cond = self.expr(cond_node)
        then, else_ = self._operands(then_node, else_node, top=top)
        if not self._need_bool(cond, cond_node, "if()"):
            return self._poison(node.span)
        if ir.ERROR in (then.type, else_.type):
            return self._poison(node.span)
        if isinstance(then.type, ir.QuantityType) and isinstance(else_.type, ir.QuantityType):
            if not self.scope.units.compatible(then.type.unit, else_.type.unit):
                self._error(
                    Code.INCOMPATIBLE_UNITS,
                    f"the two branches of if() differ: {self._named(then_node, then.type)} "
                    f"and {self._named(else_node, else_.type)}",
                    else_node.span,
                    f"in {else_.type.unit.describe()}",
                )
                return self._poison(node.span)
            scale = self.scope.units.conversion(else_.type.unit, then.type.unit)
            points = then.type.points or else_.type.points
            type_ = ir.QuantityType(then.type.unit, _ratio(then.type, else_.type), points)
            return ir.If(cond, then, else_, scale, type_, node.span)
        if then.type == else_.type:
            return ir.If(cond, then, else_, ONE, then.type, node.span)
        mixed = {type(then.type), type(else_.type)} == {ir.QuantityType, ir.TextType}
        if mixed and top:
            number_type = then.type if isinstance(then.type, ir.QuantityType) else else_.type
            assert isinstance(number_type, ir.QuantityType)
            type_ = replace(number_type, or_text=True)
            return ir.If(cond, then, else_, ONE, type_, node.span)
        self._error(
            Code.TYPE_MISMATCH,
            f"the two branches of if() differ: {self._named(then_node, then.type)} "
            f"and {self._named(else_node, else_.type)}",
            else_node.span,
            "a different kind of value",
            help="a text and a number may only be mixed when the if() is a whole reference "
            "in prose or a table cell"
            if mixed
            else None,
        )
        return self._poison(node.span)

    def _arity(self, node: ast.Call, count: int) -> bool:
        if len(node.args) == count:
            return True
        self._error(
            Code.WRONG_ARGUMENTS,
            f"{node.func}() takes {count} argument{'s' if count != 1 else ''}, "
            f"not {len(node.args)}",
            node.span,
            f"{len(node.args)} given",
            help={
                "abs": "abs(value)",
                "round": "round(value, decimals)",
                "if": "if(condition, value if true, value if false)",
            }.get(node.func),
        )
        return False

    # ---------------------------------------------------------------- helpers

    def _need_quantity(self, expr: ir.Expr, node: ast.Expr, where: str) -> bool:
        if isinstance(expr.type, ir.QuantityType) and expr.type.or_text:
            self._error(
                Code.TYPE_MISMATCH,
                f"{where} needs a number, but `{ast.shown(node)}` may be a text",
                node.span,
                "a number or a text",
                help="an if() that gives a text in one branch only prints; compute with the "
                "figures it is made of",
            )
            return False
        if isinstance(expr.type, ir.QuantityType):
            return True
        if expr.type != ir.ERROR:
            self._error(
                Code.TYPE_MISMATCH,
                f"{where} needs a number, but `{ast.shown(node)}` is {ir.describe(expr.type)}",
                node.span,
                "not a number",
            )
        return False

    def _need_bool(self, expr: ir.Expr, node: ast.Expr, where: str) -> bool:
        if expr.type == ir.BOOL:
            return True
        if expr.type != ir.ERROR:
            self._error(
                Code.TYPE_MISMATCH,
                f"{where} needs a condition, but `{ast.shown(node)}` is {ir.describe(expr.type)}",
                node.span,
                "not true or false",
                help="a condition is a comparison such as `a > b`",
            )
        return False

    def _member(self, expr: ir.Expr, node: ast.Expr) -> str:
        """An argument of sum(), min() or max() as the author knows it: a member of a
        group by its own name (`二.a (万元)`), not by the group's pattern."""
        if isinstance(node, ast.Glob) and isinstance(expr, ir.FigureRef):
            unit = expr.type.unit.describe() if isinstance(expr.type, ir.QuantityType) else ""
            return f"`{expr.name}` ({unit}, in `{node.pattern}`)"
        return self._named(node, expr.type)

    def _named(self, node: ast.Expr, type_: ir.Type) -> str:
        if isinstance(type_, ir.QuantityType):
            return f"`{ast.shown(node)}` ({type_.unit.describe()})"
        return f"`{ast.shown(node)}` ({ir.describe(type_)})"

    def _side_labels(
        self, left: ast.Expr, left_type: ir.Type, right: ast.Expr, right_type: ir.Type
    ) -> tuple[Label, ...]:
        def unit_of(type_: ir.Type) -> str:
            return (
                type_.unit.describe() if isinstance(type_, ir.QuantityType) else ir.describe(type_)
            )

        return (Label(left.span, unit_of(left_type)), Label(right.span, unit_of(right_type)))

    def _units_help(self, a: Unit, b: Unit) -> str | None:
        if a.is_pure() or b.is_pure():
            return "a bare number has no unit: write its unit after it, e.g. `5 万元`"
        return None

    def _incompatible(
        self, what: str, node: ast.Expr, type_: ir.Type, other: str, other_type: ir.Type
    ) -> None:
        self._error(
            Code.INCOMPATIBLE_UNITS,
            f"{what} in {ir.describe(type_)} does not fit {other} in {ir.describe(other_type)}",
            node.span,
            "different units",
        )

    def _error(
        self,
        code: Code,
        message: str,
        span: Span,
        label: str = "",
        *,
        help: str | None = None,
        labels: tuple[Label, ...] = (),
    ) -> None:
        self.diagnostics.error(code, message, span, label, help=help, labels=labels)

    def _poison(self, span: Span) -> ir.Expr:
        return ir.Const(ZERO, ir.ERROR, span)


def _cell(inlines: tuple[ir.Inline, ...], colspan: int, rowspan: int, align: str) -> ir.TableCell:
    """A table cell; a formula in a text column aligns by what it gives: a number
    to the right, a text (= if(…, "优", "良")) to the left."""
    if align == "auto":
        numeric = any(
            isinstance(i, ir.Ref) and isinstance(i.expr.type, ir.QuantityType) for i in inlines
        )
        align = "right" if numeric else "left"
    return ir.TableCell(inlines, colspan, rowspan, align)


def _bounds_check(let: ast.Let) -> ast.Check:
    """`let 结案率 = … in 0%..100%` holds when 0% <= 结案率 <= 100%."""
    assert let.bounds is not None
    low, high = let.bounds
    name = ast.Name(let.name, let.name_span)
    span = low.span.to(high.span)
    expr = ast.Logic(
        "and",
        ast.Compare("<=", low, name, low.span.to(let.name_span), low.span),
        ast.Compare("<=", name, high, let.name_span.to(high.span), high.span),
        span,
    )
    shown = f"{ast.shown(low)}..{ast.shown(high)}"
    return ast.Check(expr, None, f"`{let.name}` lies in {shown}", span, exact=True)


def _ratio(a: ir.QuantityType, b: ir.QuantityType) -> bool:
    """Whether a sum, a choice or a list of these two is a ratio: either is one."""
    return a.ratio or b.ratio


def _bare_zero(node: ast.Expr) -> bool:
    """A literal 0 without a unit: zero of anything, so `预算 == 0` needs no unit."""
    return isinstance(node, ast.Number) and node.unit is None and node.value == 0


def _integer_literal(node: ast.Expr) -> int | None:
    match node:
        case ast.Number(text=text, unit=None) if WHOLE.fullmatch(text):
            return int(text.split(".")[0])
        case ast.Unary(op="-", operand=operand):
            inner = _integer_literal(operand)
            return -inner if inner is not None else None
    return None
