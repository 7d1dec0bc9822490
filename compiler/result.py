"""What a compilation knows about each figure and check, for tools.

`rpt explain`, a diff of two versions, an editor's hover and data provenance all
ask the same questions of a report: what is this figure, in which unit, how is it
defined and from what, which checks guard it, where is it printed and how. The
answers are collected here once, from the typed program, its evaluation and the
Document, so no tool walks the compiler's inner data.
"""

from __future__ import annotations

from .base.record import record
from .base.source import CellOrigin, Span
from .check import ir
from .check.display import Kind, kind_of
from .document.model import Document, all_figures
from .evaluation.evaluate import Evaluated, Outcome


@record
class Printing:
    """One place a figure is printed: the prose reference or table cell `span`
    (its number `ref`, as the Document's figures carry it), what it printed
    (None when no document was built), and whether it prints the figure itself
    (`<收入合计>`) or an expression that uses it (`<收入合计 / 上年:%>`)."""

    ref: int
    span: Span
    text: str | None
    direct: bool


@record
class FigureRecord:
    """A figure of the report: its exact `value` in `unit` (None when it failed
    or was not computed), its kind of value, the expression that defines it
    and where it is declared, the figures it reads (`inputs`) and those that
    read it (`used_by`), the checks that mention it (indices into the
    compilation's checks), every place it is printed, and the data cells its
    definition reads."""

    name: str
    value: ir.Value | None
    unit: str
    kind: Kind | None
    definition: str
    span: Span
    inputs: tuple[str, ...]
    used_by: tuple[str, ...]
    checks: tuple[int, ...]
    printed: tuple[Printing, ...]
    cells: tuple[CellOrigin, ...]


@record
class CheckRecord:
    """A check as written (`source`, `span`, its `message`; `where` names the
    table row of a table check's copy), what became of it, and the figures it reads."""

    source: str
    message: str | None
    span: Span
    where: str
    outcome: Outcome
    figures: tuple[str, ...]


@record
class Facts:
    """Every figure of a compiled report by name, inputs before the figures that
    read them (the order they are computed in), and every check."""

    figures: dict[str, FigureRecord]
    checks: tuple[CheckRecord, ...]


def collect_facts(evaluated: Evaluated, document: Document | None) -> Facts:
    program = evaluated.program
    texts = {figure.ref: figure.text for figure in all_figures(document)} if document else {}
    inputs = {figure.name: ir.figures_used(figure.expr) for figure in program.figures}
    used_by: dict[str, list[str]] = {name: [] for name in inputs}
    for name, read in inputs.items():
        for other in read:
            used_by.setdefault(other, []).append(name)
    checks = tuple(
        CheckRecord(
            check.source,
            check.message,
            check.expr.span,
            check.where,
            outcome,
            ir.figures_used(check.expr),
        )
        for check, outcome in zip(program.checks, evaluated.checks, strict=True)
    )
    guarding: dict[str, list[int]] = {}
    for index, check in enumerate(checks):
        for name in check.figures:
            guarding.setdefault(name, []).append(index)
    printed: dict[str, list[Printing]] = {}
    for ref in ir.all_refs(program.blocks):
        direct = _printed_figure(ref.expr)
        for name in ir.figures_used(ref.expr):
            place = Printing(ref.index, ref.span, texts.get(ref.index), name == direct)
            printed.setdefault(name, []).append(place)
    figures = {}
    for figure in program.figures:
        unit = figure.type.unit.label() if isinstance(figure.type, ir.QuantityType) else ""
        figures[figure.name] = FigureRecord(
            name=figure.name,
            value=evaluated.values.get(figure.name),
            unit=unit,
            kind=kind_of(figure.type, program.units),
            definition=" ".join(figure.expr.span.text().split()),
            span=figure.span,
            inputs=inputs[figure.name],
            used_by=tuple(used_by[figure.name]),
            checks=tuple(guarding.get(figure.name, ())),
            printed=tuple(printed.get(figure.name, ())),
            cells=_cells(figure.expr),
        )
    return Facts(figures, checks)


def _cells(expr: ir.Expr) -> tuple[CellOrigin, ...]:
    """The data cells an expression reads itself (not through other figures)."""
    found: dict[CellOrigin, None] = {}
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, ir.Const) and node.cell is not None:
            found.setdefault(node.cell)
        stack.extend(reversed(ir.children(node)))
    return tuple(found)


def _printed_figure(expr: ir.Expr) -> str | None:
    """The figure a reference prints as it is, through unit conversions and
    formats; None when it prints an expression."""
    while isinstance(expr, ir.Scaled | ir.Printed):
        expr = expr.operand
    return expr.name if isinstance(expr, ir.FigureRef) else None
