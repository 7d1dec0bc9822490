"""The built-in functions, one table: each function's name, how it is called,
what it does, and how a call to it is typed into the IR.

resolve.py reports a call to a name not in the table; docs/language.md's list of
functions is checked against it (tests/test_functions.py). Evaluation needs no
table: each function types into IR nodes of its own (ir.Aggregate, ir.Abs, …),
which the evaluator dispatches on exhaustively.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from ..base.codes import Code
from ..base.diagnostics import Label
from ..base.numbers import ONE
from ..base.record import record, replace
from ..base.source import Span
from ..syntax import tree as ast
from ..syntax.settings import Settings
from . import ir
from .literals import integer_literal
from .messages import member, named, units_help
from .scope import Scope
from .units import Unit


class Typer(Protocol):
    """What a function's typing needs of the expression typer (expressions.py):
    the scope, settings and figure types, typing of its arguments, and reporting."""

    scope: Scope
    settings: Settings
    types: dict[str, ir.Type]

    def expr(self, node: ast.Expr, *, top: bool = ...) -> ir.Expr: ...

    def operands(self, a: ast.Expr, b: ast.Expr, *, top: bool = ...) -> tuple[ir.Expr, ir.Expr]: ...

    def need_quantity(self, expr: ir.Expr, node: ast.Expr, where: str) -> bool: ...

    def need_bool(self, expr: ir.Expr, node: ast.Expr, where: str) -> bool: ...

    def error(
        self,
        code: Code,
        message: str,
        span: Span,
        label: str,
        *,
        help: str | None = ...,
        labels: tuple[Label, ...] = ...,
    ) -> None: ...


@record
class Function:
    """A built-in function: `usage` shows how it is called (in help and the
    docs), `summary` what it gives, and `type` turns a call into typed IR
    (`top`: the call is the whole of a prose reference or table cell)."""

    name: str
    usage: str
    summary: str
    type: Callable[[Typer, ast.Call, bool], ir.Expr]


def call(typer: Typer, node: ast.Call, *, top: bool) -> ir.Expr:
    """The IR of a call; an unknown function has been reported by resolve."""
    function = FUNCTIONS.get(node.func)
    if function is None:
        return ir.POISONED
    return function.type(typer, node, top)


def _abs(typer: Typer, node: ast.Call, top: bool) -> ir.Expr:
    if not _arity(typer, node, 1):
        return ir.POISONED
    inner = typer.expr(node.args[0])
    if not typer.need_quantity(inner, node.args[0], "abs()"):
        return ir.POISONED
    return ir.Abs(inner, inner.type, node.span)


def _round(typer: Typer, node: ast.Call, top: bool) -> ir.Expr:
    if not _arity(typer, node, 2):
        return ir.POISONED
    inner = typer.expr(node.args[0])
    places = integer_literal(node.args[1])
    if places is None or not -12 <= places <= 20:
        typer.error(
            Code.WRONG_ARGUMENTS,
            "round() takes the number of decimals as a whole number from -12 to 20",
            node.args[1].span,
            "decimals expected",
        )
        return ir.POISONED
    if not typer.need_quantity(inner, node.args[0], "round()"):
        return ir.POISONED
    return ir.Round(inner, places, typer.settings.rounding, inner.type, node.span)


def _share(typer: Typer, node: ast.Call, top: bool) -> ir.Expr:
    """share(part, group[, decimals]): one member's share of its group, in %."""
    if len(node.args) not in (2, 3):
        typer.error(
            Code.WRONG_ARGUMENTS,
            f"share() takes a part, its group and optionally decimals, not {len(node.args)}",
            node.span,
            f"{len(node.args)} given",
            help="share(收入.财政拨款, 收入.*) or share(收入.财政拨款, 收入.*, 1)",
        )
        return ir.POISONED
    part, group = node.args[0], node.args[1]
    places = typer.settings.percent_decimals
    if len(node.args) == 3:
        written = integer_literal(node.args[2])
        if written is None or not 0 <= written <= 10:
            typer.error(
                Code.WRONG_ARGUMENTS,
                "share() takes the decimals of its percent as a whole number from 0 to 10",
                node.args[2].span,
                "decimals expected",
            )
            return ir.POISONED
        places = written
    if not isinstance(group, ast.Glob) or not isinstance(part, ast.Name):
        typer.error(
            Code.WRONG_ARGUMENTS,
            "share() takes a figure and the group it belongs to",
            node.span,
            "not a figure and its group",
            help="share(收入.财政拨款, 收入.*)",
        )
        return ir.POISONED
    names = typer.scope.matching(group.pattern)
    if not names:
        return ir.POISONED  # reported by resolve
    if part.name not in names:
        typer.error(
            Code.WRONG_ARGUMENTS,
            f"`{part.name}` is not one of `{group.pattern}`",
            part.span,
            "not in the group",
            help="a share is of one member of the group whose total it divides",
        )
        return ir.POISONED
    total = aggregate(typer, replace(node, func="sum", args=(group,)))
    if not isinstance(total, ir.Aggregate):
        return total  # reported: a member that is not a number, or mixed units
    percent = ir.QuantityType(Unit.named("percent"))
    return ir.Share(
        names.index(part.name),
        total.args,
        total.scales,
        places,
        typer.settings.shares,
        percent,
        node.span,
    )


def aggregate(typer: Typer, node: ast.Call, top: bool = False) -> ir.Expr:
    """sum(), min() and max() of figures and groups: one unit, each member scaled to it."""
    args: list[tuple[ir.Expr, ast.Expr]] = []
    for arg in node.args:
        if isinstance(arg, ast.Glob):
            if not typer.scope.matching(arg.pattern):
                return ir.POISONED  # reported by resolve
            for name in typer.scope.matching(arg.pattern):
                type_ = typer.types.get(name, ir.ERROR)
                args.append((ir.FigureRef(name, type_, arg.span), arg))
        else:
            args.append((typer.expr(arg), arg))
    if not args:
        typer.error(
            Code.WRONG_ARGUMENTS,
            f"{node.func}() needs at least one value",
            node.span,
            "nothing to " + ("add up" if node.func == "sum" else "compare"),
        )
        return ir.POISONED
    ok = True
    for expr, arg in args:
        ok = typer.need_quantity(expr, arg, f"{node.func}()") and ok
    if not ok:
        return ir.POISONED
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
        if not typer.scope.units.compatible(first_type.unit, expr.type.unit):
            first, first_node = args[0]
            typer.error(
                Code.INCOMPATIBLE_UNITS,
                f"{node.func}() mixes {member(first, first_node)} and {member(expr, arg)}",
                arg.span,
                f"in {expr.type.unit.describe()}",
                help=units_help(first_type.unit, expr.type.unit),
            )
            return ir.POISONED
        scales.append(typer.scope.units.conversion(expr.type.unit, first_type.unit))
    exprs = tuple(expr for expr, _ in args)
    return ir.Aggregate(node.func, exprs, tuple(scales), first_type, node.span)


def _if(typer: Typer, node: ast.Call, top: bool) -> ir.Expr:
    """if(condition, a, b): both branches of one kind; a number or a text only as a
    whole reference (`top`)."""
    if not _arity(typer, node, 3):
        return ir.POISONED
    cond_node, then_node, else_node = node.args
    cond = typer.expr(cond_node)
    then, else_ = typer.operands(then_node, else_node, top=top)
    if not typer.need_bool(cond, cond_node, "if()"):
        return ir.POISONED
    if ir.ERROR in (then.type, else_.type):
        return ir.POISONED
    if isinstance(then.type, ir.QuantityType) and isinstance(else_.type, ir.QuantityType):
        if not typer.scope.units.compatible(then.type.unit, else_.type.unit):
            typer.error(
                Code.INCOMPATIBLE_UNITS,
                f"the two branches of if() differ: {named(then_node, then.type)} "
                f"and {named(else_node, else_.type)}",
                else_node.span,
                f"in {else_.type.unit.describe()}",
            )
            return ir.POISONED
        scale = typer.scope.units.conversion(else_.type.unit, then.type.unit)
        points = then.type.points or else_.type.points
        type_ = ir.QuantityType(then.type.unit, ir.either_ratio(then.type, else_.type), points)
        return ir.If(cond, then, else_, scale, type_, node.span)
    if then.type == else_.type:
        return ir.If(cond, then, else_, ONE, then.type, node.span)
    mixed = {type(then.type), type(else_.type)} == {ir.QuantityType, ir.TextType}
    if mixed and top:
        number_type = then.type if isinstance(then.type, ir.QuantityType) else else_.type
        assert isinstance(number_type, ir.QuantityType)
        type_ = replace(number_type, or_text=True)
        return ir.If(cond, then, else_, ONE, type_, node.span)
    typer.error(
        Code.TYPE_MISMATCH,
        f"the two branches of if() differ: {named(then_node, then.type)} "
        f"and {named(else_node, else_.type)}",
        else_node.span,
        "a different kind of value",
        help="a text and a number may only be mixed when the if() is a whole reference "
        "in prose or a table cell"
        if mixed
        else None,
    )
    return ir.POISONED


def _arity(typer: Typer, node: ast.Call, count: int) -> bool:
    if len(node.args) == count:
        return True
    typer.error(
        Code.WRONG_ARGUMENTS,
        f"{node.func}() takes {count} argument{'s' if count != 1 else ''}, not {len(node.args)}",
        node.span,
        f"{len(node.args)} given",
        help=FUNCTIONS[node.func].usage,
    )
    return False


FUNCTIONS = {
    function.name: function
    for function in (
        Function("sum", "sum(a, b, 收入.*)", "the total of figures and groups", aggregate),
        Function("abs", "abs(value)", "the value without its sign", _abs),
        Function("min", "min(a, b, 收入.*)", "the least of figures and groups", aggregate),
        Function("max", "max(a, b, 收入.*)", "the greatest of figures and groups", aggregate),
        Function(
            "round",
            "round(value, decimals)",
            "the value rounded in the computation, by the report's rounding mode",
            _round,
        ),
        Function(
            "if",
            "if(condition, value if true, value if false)",
            "one of two values; only the branch taken is evaluated",
            _if,
        ),
        Function(
            "share",
            "share(part, group[, decimals])",
            "one member's share of its group's total, in percent",
            _share,
        ),
    )
}
