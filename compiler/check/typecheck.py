"""Check types and units, and lower the syntax tree to the typed IR: figures
in dependency order, then checks, then prose and tables.

Expressions are typed by expressions.py (calls by functions.py), prose and
tables by prose.py; this module holds the program and its checks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, assert_never

from ..base.codes import Code
from ..base.diagnostics import Diagnostics
from ..base.kept import Interned, Kept, keeps, position
from ..base.record import field, mutable
from ..syntax import tree as ast
from ..syntax import walks
from ..syntax.settings import Settings
from . import ir
from .expressions import Typer
from .literals import literal_decimals
from .prose import ProseTyper
from .scope import Scope


def typecheck(
    module: ast.Module, scope: Scope, settings: Settings, diagnostics: Diagnostics
) -> ir.Program:
    return _Checker(Typer(scope, settings, diagnostics)).program(module)


# What typing keeps for a rebuild (see base/kept.py): each figure's, check's
# and block's IR, with the figures it reads.
_figures: Kept[ir.Figure] = Kept(limit=100_000)
_checks: Kept[ir.Check] = Kept(limit=100_000)
_blocks: Kept[tuple[ir.Block, int]] = Kept(limit=100_000)
_settings: Interned[Settings] = Interned(by_value=True)
_contexts: Interned[object] = Interned()
T = TypeVar("T")
N = TypeVar("N", bound=ast.Item)
# the blocks that print: a table is a grid by now
_Prose = ast.Heading | ast.Paragraph | ast.ListBlock | ast.Note | ast.Grid


@mutable
class _Checker:
    """One type-checking pass over a module: types each figure (in dependency order,
    so its uses know its type), then checks and blocks."""

    typer: Typer
    prose: ProseTyper = field(init=False)
    # each figure read by a typed item, as _values compares it
    known: dict[str, tuple[ir.Type, int | None]] = field(default_factory=dict)
    # the names, units and settings typed in, one object while they stay the same
    context: tuple[object, ...] = ()

    def __post_init__(self) -> None:
        self.prose = ProseTyper(self.typer)

    def program(self, module: ast.Module) -> ir.Program:
        typer = self.typer
        for name in typer.scope.in_cycle:
            typer.types[name] = ir.ERROR
        # an item typed before is typed alike while its figures keep their types
        # (see base/kept.py): the context it was typed in (the same names, units
        # and settings), and the figures it reads
        self.context = _contexts(typer.scope.names, typer.scope.units, _settings(typer.settings))
        figures = []
        for name in typer.scope.order:
            let = typer.scope.figures[name]
            figure = self._typed(_figures, let, self.context, self._figure)
            typer.types[name] = figure.type
            figures.append(figure)
        checks = [
            self._typed(_checks, let, self.context, self._bounds_check)
            for name in typer.scope.order
            if (let := typer.scope.figures[name]).bounds is not None
        ]
        blocks: list[ir.Block] = []
        for item in module.items:
            match item:
                case ast.Check():
                    checks.append(self._typed(_checks, item, self.context, self._check))
                case ast.Heading() | ast.Paragraph() | ast.ListBlock() | ast.Note() | ast.Grid():
                    # at the same number of its first reference (a file included
                    # twice gives the same items twice), in the same context
                    place = position(self.prose.ref_count)
                    block, self.prose.ref_count = self._typed(_blocks, item, place, self._block)
                    blocks.append(block)
                case ast.Let() | ast.UnitDecl() | ast.Include() | ast.Table() | ast.DataSource():
                    pass  # figures typed above; units resolved; includes, tables, data expanded
                case _:
                    assert_never(item)
        return ir.Program(
            typer.settings,
            typer.scope.units,
            tuple(figures),
            tuple(checks),
            tuple(blocks),
            self.prose.ref_count,
        )

    def _typed(self, kept: Kept[T], item: N, place: object, make: Callable[[N], T]) -> T:
        """What `make` gives for `item`, or gave before at the same `place`, in
        the same context, while the figures it reads are as they were."""
        diagnostics = self.typer.diagnostics
        if not keeps(diagnostics):
            return make(item)
        found = kept.get(item, place, diagnostics, values_of=self._values)
        if found is not None:
            return found
        names = self.typer.scope.reads[id(item)]  # resolve saw every item
        values = self._values(names)  # before it is typed: as the next look will see them
        return kept.put(item, place, make(item), diagnostics, values=values, reads=names)

    def _values(self, names: tuple[str, ...]) -> tuple[object, ...]:
        """What typing an item depends on besides itself and its context: the type
        of each figure it reads, and the decimals that figure was written with
        (a format of it prints them)."""
        known = self.known
        for name in names:
            if name not in known:
                self._known(name)
        return (self.context, *map(known.__getitem__, names))

    def _known(self, name: str) -> None:
        """What typing needs of a figure read: its type (final once it is read:
        figures are typed in dependency order) and the decimals it was written with."""
        let = self.typer.scope.figures[name]
        self.known[name] = (self.typer.types.get(name, ir.ERROR), literal_decimals(let.expr))

    def _figure(self, let: ast.Let) -> ir.Figure:
        with self.typer.literals(exact=let.exact):
            expr = self.typer.guarded(let.expr, allow_text_branch=let.cell)
        self.typer.types[let.name] = expr.type  # its bounds are in its own unit
        bounds = self._bounds(let) if let.bounds else None
        return ir.Figure(let.name, expr, expr.type, let.span, bounds)

    def _block(self, item: _Prose) -> tuple[ir.Block, int]:
        """The IR of a block, and the number of references typed once it is."""
        block: ir.Block
        match item:
            case ast.Heading(
                level=level, numbered=numbered, inlines=inlines, number=number, attachment=a
            ):
                printed = self.prose.inlines(inlines)
                block = ir.Heading(level, numbered, printed, number, a)
            case ast.Paragraph(lines=lines):
                block = ir.Paragraph(tuple(self.prose.inlines(line) for line in lines))
            case ast.ListBlock(ordered=ordered, start=start, items=items):
                entries = tuple(self.prose.inlines(entry.inlines) for entry in items)
                block = ir.ListBlock(ordered, start, entries)
            case ast.Note(lines=lines):
                block = ir.Note(tuple(self.prose.inlines(line) for line in lines))
            case ast.Grid():
                block = self.prose.table(item)
            case _:
                assert_never(item)
        return block, self.prose.ref_count

    def _bounds_check(self, let: ast.Let) -> ir.Check:
        return self._check(bounds_check(let))

    def _check(self, check: ast.Check) -> ir.Check:
        with self.typer.literals(exact=check.exact):
            return self._typed_check(check)

    def _bounds(self, let: ast.Let) -> tuple[ir.Expr, ir.Expr] | None:
        """A figure's declared bounds in its own unit: bounds.py cuts the figure's
        range to their values (the check that it keeps to them reports any
        mismatch of units)."""
        assert let.bounds is not None
        before = len(self.typer.diagnostics.items)
        low, high = (self.typer.expr(bound) for bound in let.bounds)
        own = self.typer.types.get(let.name)
        quantities = [t for t in (low.type, high.type, own) if isinstance(t, ir.QuantityType)]
        if len(self.typer.diagnostics.items) > before or len(quantities) < 3:
            return None
        units = self.typer.scope.units
        scaled = []
        for bound, type_ in ((low, low.type), (high, high.type)):
            assert isinstance(type_, ir.QuantityType) and isinstance(own, ir.QuantityType)
            if not units.compatible(type_.unit, own.unit):
                return None  # the bounds check reports it
            scale = units.conversion(type_.unit, own.unit)
            scaled.append(ir.Scaled(bound, scale, own, bound.span))
        return scaled[0], scaled[1]

    def _typed_check(self, check: ast.Check) -> ir.Check:
        expr = self.typer.guarded(check.expr, allow_text_branch=False)
        tolerance = None
        if expr.type not in (ir.BOOL, ir.ERROR):
            self.typer.error(
                Code.TYPE_MISMATCH,
                "a check needs a comparison or a condition",
                check.expr.span,
                f"this is {ir.describe(expr.type)}",
                help="write what must hold, e.g. `check 收入合计 == 支出合计`",
            )
            expr = ir.POISONED
        if check.tolerance is not None:
            tolerance = self.typer.guarded(check.tolerance, allow_text_branch=False)
            tolerance = self._tolerance(expr, tolerance, check.tolerance)
            if tolerance is None:
                expr = ir.POISONED  # not run without the tolerance it was given
        return ir.Check(
            expr,
            tolerance,
            check.message,
            walks.shown(check.expr),
            check.cell,
            check.where,
        )

    def _tolerance(self, expr: ir.Expr, tolerance: ir.Expr, node: ast.Expr) -> ir.Expr | None:
        """The amount of `within`, in the unit of the compared values; None when it
        cannot apply (reported: the check is then not run without it)."""
        if ir.ERROR in (tolerance.type, expr.type):
            return None
        if not (isinstance(expr, ir.Compare) and expr.op in ("==", "!=")):
            self.typer.error(
                Code.TYPE_MISMATCH,
                "`within` only applies to an equality",
                node.span,
                "a tolerance for `==`",
            )
            return None
        side, allowed = expr.left.type, tolerance.type
        if not (isinstance(side, ir.QuantityType) and isinstance(allowed, ir.QuantityType)):
            self.typer.error(
                Code.TYPE_MISMATCH,
                f"`within` takes an amount to compare numbers by, but `{walks.shown(node)}` "
                f"is {ir.describe(allowed)} and `{expr.left.span.text()}` "
                f"is {ir.describe(side)}",
                node.span,
                "not a tolerance",
                help="e.g. `check 合计 == sum(收入.*) within 0.01 万元`",
            )
            return None
        if not self.typer.scope.units.compatible(side.unit, allowed.unit):
            self.typer.error(
                Code.INCOMPATIBLE_UNITS,
                f"a tolerance in {allowed.unit.describe()} does not fit values "
                f"compared in {side.unit.describe()}",
                node.span,
                "different units",
            )
            return None
        scale = self.typer.scope.units.conversion(allowed.unit, side.unit)
        return ir.Scaled(tolerance, scale, side, node.span)


def bounds_check(let: ast.Let) -> ast.Check:
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
    shown = f"{walks.shown(low)}..{walks.shown(high)}"
    return ast.Check(expr, None, f"`{let.name}` lies in {shown}", span, exact=True)
