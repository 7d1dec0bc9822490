"""The `@` cells of a table bound to a data source by `from 收支表`: each reads
the source's cell in its row's label and its column's header, as if the author
had written `收支表["一般公共服务支出", "经营支出"] to 万元` in the cell.

The label is the nearest text cell to the `@`'s left in a text column (a table
with an income and an expenditure side has a label on each side; a quoted text
in a number column, `"未列"`, is no label). The header is the column's text in
the nearest header row above the row, through `<` and `^` to the cell they
join. The number is converted to the column's unit (or the table's), so a
sheet in 元 fills a table in 万元 exactly. The reference is then bound like one
written out (data/bind.py), and its diagnostics show it written out.
"""

from __future__ import annotations

from ..base.codes import Code
from ..base.record import record
from . import tree as ast


@record
class Unbound:
    """Why an `@` cell has no reference: the code, what is missing, and a hint."""

    code: Code
    message: str
    help: str


def data_reference(
    table: ast.Table, numeric: list[bool], row: int, column: int, unit: ast.UnitRef | None
) -> ast.Expr | Unbound:
    """The reference the `@` at `row`, `column` stands for; `numeric[c]` says
    whether column c is a number column."""
    cell = table.rows[row].cells[column]
    if table.source is None:
        return Unbound(
            Code.UNKNOWN_DATA,
            "`@` reads the table's data source, but the table has none",
            "bind the table to one with a line `from 名称` (a `data 名称 = …` source)",
        )
    source, source_span = table.source
    label = _label(table.rows[row], numeric, column)
    if label is None:
        return Unbound(
            Code.CELL_NOT_FOUND,
            "`@` has no label to its left to look its row up by",
            "give the row's label in a text column before it, or write the cell as "
            f'`= {source}["行", "列"]`',
        )
    header = _header(table, row, column)
    if header is None:
        return Unbound(
            Code.CELL_NOT_FOUND,
            "`@` has no header above it to look its column up by",
            "give the column a header row above, or write the cell as "
            f'`= {source}["{label}", "列"]`',
        )
    written = f'{source}["{label}", "{header}"]'
    ref = ast.CellRef(source, source_span, (label, header), cell.span, written)
    return ref if unit is None else ast.Convert(ref, unit, cell.span)


def _label(row: ast.TableRow, numeric: list[bool], column: int) -> str | None:
    for index in range(column - 1, -1, -1):
        cell = row.cells[index]
        if cell.kind == "text" and not (index < len(numeric) and numeric[index]):
            text = _text(cell)
            if text is not None and text.strip():
                return text.strip()
    return None


def _header(table: ast.Table, row: int, column: int) -> str | None:
    for above in range(row - 1, -1, -1):
        if table.rows[above].header:
            text = _joined_text(table, above, column)
            if text:
                return text
    return None


def _joined_text(table: ast.Table, row: int, column: int) -> str | None:
    """The text of a header cell, or of the cell its `<` or `^` joins."""
    while row >= 0 and column >= 0:
        cells = table.rows[row].cells
        if column >= len(cells):
            return None
        cell = cells[column]
        match cell.kind:
            case "left":
                column -= 1
            case "up":
                row -= 1
            case "text":
                text = _text(cell)
                return text.strip() if text is not None else None
            case _:
                return None
    return None


def _text(cell: ast.Cell) -> str | None:
    """A cell's plain text; None when it holds references or emphasis (no sheet
    label reads like a reference)."""
    if all(isinstance(inline, ast.Text) for inline in cell.inlines):
        return "".join(inline.text for inline in cell.inlines if isinstance(inline, ast.Text))
    return None
