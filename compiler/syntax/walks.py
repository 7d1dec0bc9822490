"""Walks over the syntax tree: the operands of an expression, every node of
it, a copy with nodes replaced, the references of prose, the runs of inline
text of a block, and an expression as the author wrote it."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from operator import is_
from typing import assert_never

from ..base.record import record, replace
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
    match expr:  # the leaves first: most nodes are
        case Name() | Number() | String() | Bool() | Glob() | CellRef() | Invalid():
            return ()
        case Binary(left=left, right=right) | Compare(left=left, right=right):
            return (left, right)
        case (
            Unary(operand=operand)
            | Not(operand=operand)
            | Convert(expr=operand)
            | Formatted(expr=operand)
        ):
            return (operand,)
        case Logic(left=left, right=right):
            return (left, right)
        case Call(args=args) | Items(items=args):
            return args
        case _:
            assert_never(expr)


@record
class GlobPattern:
    """A glob's parts: `*` stands for one name segment, `**` for one or more, any
    other part for itself. Matched segment by segment: building a regular
    expression of each glob a report writes cost more than matching them all."""

    parts: tuple[str, ...]

    def fullmatch(self, name: str) -> bool:
        """Whether the dotted `name` is one the glob stands for."""
        return _fits(self.parts, name.split("."), 0, 0)


def _fits(parts: tuple[str, ...], segments: list[str], part: int, segment: int) -> bool:
    """Whether parts[part:] match segments[segment:]; a wildcard matches only
    segments that are not empty."""
    while part < len(parts):
        if parts[part] == "**":
            for end in range(segment + 1, len(segments) + 1):
                if not segments[end - 1]:
                    return False
                if _fits(parts, segments, part + 1, end):
                    return True
            return False
        if segment == len(segments):
            return False
        if parts[part] == "*" and not segments[segment]:
            return False
        if parts[part] not in ("*", segments[segment]):
            return False
        part, segment = part + 1, segment + 1
    return segment == len(segments)


@cache
def glob_pattern(pattern: str) -> GlobPattern:
    """The glob `pattern` (`收入.*`, `**.合计`), ready to match names."""
    return GlobPattern(tuple(pattern.split(".")))


def map_expr(expr: Expr, change: Callable[[Expr], Expr | None]) -> Expr:
    """`expr` where every node for which `change` gives a node is replaced by it
    (and not descended into): a copy of the path to each replaced node, and the
    very same objects where nothing changed (most expressions, most passes)."""
    replaced = change(expr)
    if replaced is not None:
        return replaced
    match expr:  # the leaves first: most nodes are
        case Name() | Number() | String() | Bool() | Glob() | CellRef() | Invalid():
            return expr
        case Unary(operand=operand) | Not(operand=operand):
            new = map_expr(operand, change)
            return expr if new is operand else replace(expr, operand=new)
        case Convert(expr=inner) | Formatted(expr=inner):
            new = map_expr(inner, change)
            return expr if new is inner else replace(expr, expr=new)
        case (
            Binary(left=left, right=right)
            | Compare(left=left, right=right)
            | Logic(left=left, right=right)
        ):
            new_left, new_right = map_expr(left, change), map_expr(right, change)
            if new_left is left and new_right is right:
                return expr
            return replace(expr, left=new_left, right=new_right)
        case Call(args=args):
            new_args = tuple(map_expr(arg, change) for arg in args)
            return expr if same(new_args, args) else replace(expr, args=new_args)
        case Items(items=items):
            new_items = tuple(map_expr(item, change) for item in items)
            return expr if same(new_items, items) else replace(expr, items=new_items)
        case _:
            assert_never(expr)


def same(new: tuple[object, ...], old: tuple[object, ...]) -> bool:
    """Whether a rebuilt tuple holds the very objects it was built from."""
    return len(new) == len(old) and all(map(is_, new, old))


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
