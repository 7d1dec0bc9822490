"""Walks over the syntax tree: the operands of an expression, every node of
it, a copy with nodes replaced, the references of prose, the runs of inline
text of a block, and an expression as the author wrote it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import assert_never

from .tree import (
    Binary,
    Block,
    Bool,
    Call,
    CellRef,
    Compare,
    Convert,
    Emph,
    Expr,
    Formatted,
    Glob,
    Grid,
    Heading,
    Inline,
    Invalid,
    Items,
    ListBlock,
    Logic,
    Name,
    Not,
    Note,
    Number,
    Paragraph,
    Placeholder,
    Ref,
    String,
    Strong,
    Table,
    Text,
    Unary,
)  # fmt: skip


def shown(node: Expr) -> str:
    """The expression as written, on one line and cut at 40 characters, as
    diagnostics quote it."""
    text = " ".join(node.span.text().split())
    return text if len(text) <= 40 else text[:39] + "…"


def subexpressions(expr: Expr) -> tuple[Expr, ...]:
    """The direct operands of an expression."""
    match expr:
        case (
            Unary(operand=operand)
            | Not(operand=operand)
            | Convert(expr=operand)
            | Formatted(expr=operand)
        ):
            return (operand,)
        case Binary(left=left, right=right) | Compare(left=left, right=right):
            return (left, right)
        case Logic(left=left, right=right):
            return (left, right)
        case Call(args=args) | Items(items=args):
            return args
        case Number() | String() | Bool() | Name() | Glob() | CellRef() | Invalid():
            return ()
        case _:
            assert_never(expr)


@cache
def glob_regex(pattern: str) -> re.Pattern[str]:
    """The regular expression of a glob: `*` is one name segment, `**` one or more."""
    parts = {"*": r"[^.]+", "**": r"[^.]+(?:\.[^.]+)*"}
    return re.compile(r"\.".join(parts.get(part) or re.escape(part) for part in pattern.split(".")))


def map_expr(expr: Expr, change: Callable[[Expr], Expr | None]) -> Expr:
    """A copy of `expr` where every node for which `change` gives a node is replaced
    by it (and not descended into)."""
    replaced = change(expr)
    if replaced is not None:
        return replaced

    def again(node: Expr) -> Expr:
        return map_expr(node, change)

    match expr:
        case Unary(operand=operand):
            return replace(expr, operand=again(operand))
        case Not(operand=operand):
            return replace(expr, operand=again(operand))
        case Convert(expr=inner) | Formatted(expr=inner):
            return replace(expr, expr=again(inner))
        case Binary(left=left, right=right) | Compare(left=left, right=right):
            return replace(expr, left=again(left), right=again(right))
        case Logic(left=left, right=right):
            return replace(expr, left=again(left), right=again(right))
        case Call(args=args):
            return replace(expr, args=tuple(again(arg) for arg in args))
        case Items(items=items):
            return replace(expr, items=tuple(again(item) for item in items))
        case Number() | String() | Bool() | Name() | Glob() | CellRef() | Invalid():
            return expr
        case _:
            assert_never(expr)


def walk(expr: Expr) -> list[Expr]:
    """The expression and all expressions inside it, outermost first."""
    found = []
    stack = [expr]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(reversed(subexpressions(node)))
    return found


def refs(inlines: tuple[Inline, ...]) -> list[Ref]:
    """Every reference in a run of inline text, nested emphasis included."""
    found: list[Ref] = []
    for inline in inlines:
        match inline:
            case Ref():
                found.append(inline)
            case Strong(children=children) | Emph(children=children):
                found.extend(refs(children))
            case Text() | Placeholder():
                pass
            case _:
                assert_never(inline)
    return found


def block_inlines(block: Block) -> list[tuple[Inline, ...]]:
    """The runs of inline text a block holds."""
    match block:
        case Table(rows=rows):
            return [cell.inlines for row in rows for cell in row.cells]
        case Grid(rows=grid_rows):
            return [cell.inlines for row in grid_rows for cell in row.cells]
        case Heading(inlines=inlines):
            return [inlines]
        case Paragraph(lines=lines) | Note(lines=lines):
            return list(lines)
        case ListBlock(items=items):
            return [item.inlines for item in items]
        case _:
            assert_never(block)
