"""How evaluation gives again what it computed before (see base/kept.py): a
figure's value, a check's outcome, the values of a block's references are kept
by their IR, which typing gives again for the same item in the same settings,
and compared by the values of the figures they read."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar

from ..base.diagnostics import Diagnostics
from ..base.kept import Kept, keeps
from ..check import ir

T = TypeVar("T")
N = TypeVar("N")  # a figure, a check or a block of the IR


def reused(
    kept: Kept[T],
    node: N,
    reads: Callable[[N], tuple[str, ...]],
    make: Callable[[N], T],
    *,
    inputs: Callable[[tuple[str, ...]], tuple[ir.Value | None, ...]],
    kept_if: Diagnostics,
) -> T:
    """What `make` gives for a node of the IR, or gave before while the
    figures it `reads` have the same values (`inputs`, made by inputs_of once
    for a compilation; kept and given only while `kept_if`, the compilation's
    diagnostics, holds none)."""
    if not keeps(kept_if):
        return make(node)
    found = kept.get(node, None, kept_if, values_of=inputs)
    if found is not None:
        return found
    names = reads(node)
    before = inputs(names)  # before it is made: what the next look will compare
    return kept.put(node, None, make(node), kept_if, values=before, reads=names)


def inputs_of(
    values: dict[str, ir.Value],
) -> Callable[[tuple[str, ...]], tuple[ir.Value | None, ...]]:
    """The values of the figures named, as they are now in `values` (None for
    one that has none)."""
    return partial(_inputs, values)


def _inputs(values: dict[str, ir.Value], names: tuple[str, ...]) -> tuple[ir.Value | None, ...]:
    return tuple(map(values.get, names))


def figure_reads(figure: ir.Figure) -> tuple[str, ...]:
    return ir.figures_used(figure.expr)


def check_reads(check: ir.Check) -> tuple[str, ...]:
    tolerance = () if check.tolerance is None else ir.figures_used(check.tolerance)
    return (*ir.figures_used(check.expr), *tolerance)


def block_reads(block: ir.Block) -> tuple[str, ...]:
    """The figures a block's references read, each once."""
    found = {name: None for ref in ir.all_refs((block,)) for name in ir.figures_used(ref.expr)}
    return tuple(found)
