"""How messages name what the author wrote: an operand with its unit, a member
of a group by its own name, labels under both sides of an operator."""

from __future__ import annotations

from ..base.diagnostics import Label
from ..syntax import tree as ast
from ..syntax import walks
from . import ir
from .units import Unit


def member(expr: ir.Expr, node: ast.Expr) -> str:
    """An argument of sum(), min() or max() as the author knows it: a member of a
    group by its own name (`二.a (万元)`), not by the group's pattern."""
    if isinstance(node, ast.Glob) and isinstance(expr, ir.FigureRef):
        unit = expr.type.unit.describe() if isinstance(expr.type, ir.QuantityType) else ""
        return f"`{expr.name}` ({unit}, in `{node.pattern}`)"
    return named(node, expr.type)


def named(node: ast.Expr, type_: ir.Type) -> str:
    """An operand as the author wrote it, with its unit: `收入合计` (万元)."""
    if isinstance(type_, ir.QuantityType):
        return f"`{walks.shown(node)}` ({type_.unit.describe()})"
    return f"`{walks.shown(node)}` ({ir.describe(type_)})"


def side_labels(
    left: ast.Expr, left_type: ir.Type, right: ast.Expr, right_type: ir.Type
) -> tuple[Label, ...]:
    """Labels under two operands, each with its unit."""

    def unit_of(type_: ir.Type) -> str:
        return type_.unit.describe() if isinstance(type_, ir.QuantityType) else ir.describe(type_)

    return (Label(left.span, unit_of(left_type)), Label(right.span, unit_of(right_type)))


def units_help(a: Unit, b: Unit) -> str | None:
    """The hint for a unit mismatch where one side has no unit."""
    if a.is_pure() or b.is_pure():
        return "a bare number has no unit: write its unit after it, e.g. `5 万元`"
    return None
