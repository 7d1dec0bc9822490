"""What a literal in a formula says beyond its value: the decimals it was
written with, a whole number given as an argument, a bare zero."""

from __future__ import annotations

from ..base.numbers import written_decimals
from ..base.patterns import regex
from ..syntax import tree as ast

# a whole number as an exponent or a count of decimals is written out: 2, or 2.0
WHOLE = regex(r"[0-9]{1,6}(\.0*)?")


def literal_decimals(expr: ast.Expr) -> int | None:
    """Decimals written in a literal figure (`-34.90 万元` → 2), or given to a
    share (`share(x, 收入.*, 1)` → 1); None for other formulas."""
    match expr:
        case ast.Number(text=text):
            return written_decimals(text)
        case ast.Unary(operand=operand):
            return literal_decimals(operand)
        case ast.Call(func="share", args=(_, _, places)):
            return integer_literal(places)
    return None


def integer_literal(node: ast.Expr) -> int | None:
    """The whole number a literal argument is (`2`, `-1`, `2.0`), else None."""
    match node:
        case ast.Number(text=text, unit=None) if WHOLE.fullmatch(text):
            return int(text.split(".")[0])
        case ast.Unary(op="-", operand=operand):
            inner = integer_literal(operand)
            return -inner if inner is not None else None
    return None


def bare_zero(node: ast.Expr) -> bool:
    """A literal 0 without a unit: zero of anything, so `预算 == 0` needs no unit."""
    return isinstance(node, ast.Number) and node.unit is None and node.value == 0
