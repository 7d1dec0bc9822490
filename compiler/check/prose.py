"""Type the report's prose and tables: each reference gets its number, its
typed expression and its display plan; a table its unit note (`单位：万元`, or
`Unit: 万元` in English), checked against the units of its cells."""

from __future__ import annotations

from typing import assert_never

from ..base.codes import Code
from ..base.numbers import ZERO
from ..base.record import mutable
from ..base.suggest import did_you_mean
from ..syntax import tree as ast
from . import ir
from .expressions import Typer
from .units import Unit


@mutable
class ProseTyper:
    """Types prose and tables in source order, numbering the references as it goes
    (`ref_count` is the number given so far)."""

    typer: Typer
    ref_count: int = 0

    def table(self, grid: ast.Grid) -> ir.Table:
        note = ""
        unit: Unit | None = None
        if grid.unit is not None:
            unit = self.typer.scope.units.lookup(grid.unit.name)
            if unit is None:
                self.typer.error(
                    Code.UNKNOWN_UNIT,
                    f"unknown unit `{grid.unit.name}`",
                    grid.unit.span,
                    "not a unit",
                    help=did_you_mean(grid.unit.name, self.typer.scope.units.names()),
                )
            else:
                label = unit.label()
                note = f"Unit: {label}" if self.typer.settings.locale == "en" else f"单位：{label}"
        inlines = self.inlines
        # lists, not generators: a table has a thousand cells and a generator costs a frame each
        rows = tuple(
            [
                ir.TableRow(
                    row.header,
                    tuple(
                        [
                            _cell(inlines(cell.inlines), cell.colspan, cell.rowspan, cell.align)
                            for cell in row.cells
                        ]
                    ),
                )
                for row in grid.rows
            ]
        )
        if unit is not None:
            self._against_the_note(rows, unit, note)
        return ir.Table(grid.caption, note, grid.columns, rows, grid.number)

    def _against_the_note(self, rows: tuple[ir.TableRow, ...], unit: Unit, note: str) -> None:
        """A table's cells print without their unit, which its note states. A cell in
        another unit of the same dimension (元 under 单位：万元) would be read in the
        note's unit: 5000 元 as 5000 万元. Reported once for each unit it happens in."""
        units = self.typer.scope.units
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
                    self.typer.error(
                        Code.INCOMPATIBLE_UNITS,
                        f"this cell is in {own.describe()}, but the table's note says {note}: "
                        f"its number would be read in {unit.describe()}",
                        inline.span,
                        f"in {own.describe()}",
                        help=f"give its column the table's unit (`: {unit.label()}`), "
                        "or print the table without a unit note",
                    )

    def inlines(self, inlines: tuple[ast.Inline, ...]) -> tuple[ir.Inline, ...]:
        result: list[ir.Inline] = []
        for inline in inlines:
            # the commonest first: texts, then references
            match inline:
                case ast.Text(text=text):
                    result.append(ir.Text(text))
                case ast.Ref():
                    result.append(self._ref(inline))
                case ast.Strong(children=children):
                    result.append(ir.Strong(self.inlines(children)))
                case ast.Emph(children=children):
                    result.append(ir.Emph(self.inlines(children)))
                case ast.Placeholder(span=span):
                    result.append(ir.Placeholder())
                    if not self.typer.settings.draft:
                        self.typer.error(
                            Code.PLACEHOLDER,
                            "a figure not available yet (`?`) in a final build",
                            span,
                            f"prints {self.typer.settings.placeholder} in a draft",
                            help="fill in the figure, or build a draft with `rpt build --draft`",
                        )
                case _:
                    assert_never(inline)
        return tuple(result)

    def _ref(self, ref: ast.Ref) -> ir.Ref:
        index = self.ref_count
        self.ref_count += 1
        expr = self.typer.guarded(ref.expr, allow_text_branch=True)
        display = None
        if not isinstance(expr.type, ir.ErrorType):
            before = len(self.typer.diagnostics.items)
            display = self.typer.displays.plan(
                expr.type,
                ref.expr,
                ref.format,
                written=self.typer.written(ref.expr),
                in_table=ref.in_table,
            )
            if len(self.typer.diagnostics.items) > before:
                expr = ir.Const(ZERO, ir.ERROR, ref.span)
        return ir.Ref(index, expr, display, ref.span)


def _cell(inlines: tuple[ir.Inline, ...], colspan: int, rowspan: int, align: str) -> ir.TableCell:
    """A table cell; a formula in a text column aligns by what it gives: a number
    to the right, a text (= if(…, "优", "良")) to the left."""
    if align == "auto":
        align = "left"
        for i in inlines:
            if isinstance(i, ir.Ref) and isinstance(i.expr.type, ir.QuantityType):
                align = "right"
                break
    return ir.TableCell(inlines, colspan, rowspan, align)
