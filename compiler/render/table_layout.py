"""Table geometry for renderers that draw a grid: where each cell sits, and how
wide the columns are."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from ..base.record import record
from ..base.source import display_width
from ..document.model import Cell, Table, plain_text


@record
class Slot:
    """A cell placed on the grid at `column`. `continued` marks a grid position
    covered by `cell` spanning down from a row above (a merged continuation);
    `header` is whether the cell's own row is a header row."""

    column: int
    cell: Cell
    header: bool
    continued: bool = False


def grid_slots(table: Table) -> list[list[Slot]]:
    """Each row's slots, left to right: its own cells and the continuations of
    cells spanning down into it. Rows hold only the cells starting in them (as in
    HTML), so the columns are found by skipping the covered positions."""
    covered: dict[int, tuple[int, Slot]] = {}  # column → (rows still covered, origin)
    rows = []
    for row in table.rows:
        slots = []
        column = 0
        cells = iter(row.cells)
        while column < table.columns:
            if column in covered:
                rows_left, origin = covered.pop(column)
                slots.append(Slot(column, origin.cell, origin.header, continued=True))
                if rows_left > 1:
                    covered[column] = (rows_left - 1, origin)
                column += origin.cell.colspan
                continue
            cell = next(cells, None)
            if cell is None:
                break
            slot = Slot(column, cell, row.header)
            slots.append(slot)
            if cell.rowspan > 1:
                covered[column] = (cell.rowspan - 1, slot)
            column += cell.colspan
        rows.append(slots)
    return rows


def repeated_rows(table: Table) -> int:
    """How many rows to repeat at the top of each page: the leading header rows,
    cut before any row whose cells span down below the header block, since half
    a merged cell cannot be repeated."""
    count = 0
    reach = 0  # the first row index below every span started so far
    for index, row in enumerate(table.rows):
        if not row.header:
            break
        reach = max([reach, index + 1, *(index + cell.rowspan for cell in row.cells)])
        if reach == index + 1:
            count = index + 1
    return count


def number_widths(table: Table, slots: list[list[Slot]]) -> list[int]:
    """Per column, the display width (CJK counts two) of its widest number: a body
    cell aligned right and one column wide. Numbers must never wrap."""
    widths = [0] * table.columns
    for slot in itertools.chain.from_iterable(slots):
        cell = slot.cell
        if not slot.header and not slot.continued and cell.colspan == 1 and cell.align == "right":
            width = display_width(plain_text(cell.inlines))
            widths[slot.column] = max(widths[slot.column], width)
    return widths


def column_widths(relative: Sequence[int], minimums: Sequence[int], total: int) -> list[int]:
    """Integer column widths adding up to exactly `total`.

    Columns share `total` in proportion to their `relative` widths, except that a
    column whose share falls below its minimum gets the minimum and the others
    share the rest. When the minimums alone exceed `total`, the columns share it
    in proportion to their minimums.
    """
    count = len(minimums)
    weights = [max(1, w) for w in relative] if len(relative) == count else [1] * count
    if sum(minimums) >= total:
        shares = [float(m) for m in minimums]
    else:
        fixed: set[int] = set()
        while True:
            room = total - sum(minimums[i] for i in fixed)
            weight = sum(weights[i] for i in range(count) if i not in fixed)
            shares = [
                float(minimums[i]) if i in fixed else room * weights[i] / weight
                for i in range(count)
            ]
            short = {i for i in range(count) if i not in fixed and shares[i] < minimums[i]}
            if not short:
                break
            fixed |= short
    whole = sum(shares)
    edges = [round(total * part / whole) for part in itertools.accumulate(shares, initial=0.0)]
    return [right - left for left, right in itertools.pairwise(edges)]
