"""Table geometry for renderers that draw a grid: where each cell sits, and how
wide the columns are."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from ..base.record import record
from ..document.model import Cell, Table, plain_text
from .line_breaks import line_count, pieces, print_width, wrap


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


# One character of Chinese is two units; a last line this short is one character
# lost to a line of its own.
ORPHAN = 2
# A header takes this many lines at most, evenly broken: 偏差原/因分析/及改进/措施,
# never 偏差/原因/分析/及改/进措/施; 附属/单位/上缴/收入 as the national tables have it.
HEADER_LINES = 4
# A unit to spare in every column, for the borders and rounding.
SPARE = 1


@record
class ColumnNeeds:
    """What a column's cells ask of its width, in units (half an em): `minimum`,
    never to wrap its numbers, dates and words, nor go below two characters, nor
    a header in more than HEADER_LINES lines;
    `label`, its body text on one line; `header`, its headers in two lines;
    `natural`, every cell on one line; `tight`, the minimum where dates may break
    after the year."""

    minimum: int
    label: int
    header: int
    natural: int
    tight: int


def column_needs(table: Table, slots: list[list[Slot]]) -> list[ColumnNeeds]:
    """Each column's needs, from the cells one column wide. A header asks for two
    lines at most; every need has a unit to spare, for the borders and for fonts
    whose digits are wider than half an em. A column whose own cells are one
    character each (the 类, 款 and 项 under 科目编码, whose codes span all three)
    may be one character wide."""
    minimum = [0.0] * table.columns
    tight = [0.0] * table.columns
    wide = [False] * table.columns  # a cell of its own more than one character wide
    label = [0.0] * table.columns
    header = [0.0] * table.columns
    natural = [0.0] * table.columns
    for slot in itertools.chain.from_iterable(slots):
        cell = slot.cell
        if slot.continued or cell.colspan != 1:
            continue
        text = plain_text(cell.inlines)
        width = print_width(text)
        column = slot.column
        wide[column] = wide[column] or width > 2
        natural[column] = max(natural[column], width)
        if not slot.header and cell.align == "right":
            minimum[column] = max(minimum[column], width)
            tight[column] = max(tight[column], width)
            continue
        minimum[column] = max([minimum[column], *map(print_width, pieces(text))])
        tight[column] = max([tight[column], *map(print_width, pieces(text, tight=True))])
        if slot.header:
            header[column] = max(header[column], _narrowest(text, 2))
            floor = _narrowest(text, HEADER_LINES)
            minimum[column] = max(minimum[column], floor)
            tight[column] = max(tight[column], floor)
        else:
            label[column] = max(label[column], width)
    floors = [4.0 if w else 2.0 for w in wide]
    minimum = [max(m, f) for m, f in zip(minimum, floors, strict=True)]
    tight = [max(t, f) for t, f in zip(tight, floors, strict=True)]
    return [
        ColumnNeeds(
            math.ceil(m) + SPARE,
            math.ceil(max(m, lab)) + SPARE,
            math.ceil(max(m, h)) + SPARE,
            math.ceil(max(m, lab, h, n)) + SPARE,
            math.ceil(t) + SPARE,
        )
        for m, lab, h, n, t in zip(minimum, label, header, natural, tight, strict=True)
    ]


def _narrowest(text: str, lines: int) -> float:
    """About the fewest units that hold the text in `lines` lines (the search
    ends at the text's own width, which holds it in one)."""
    width = max((print_width(piece) for piece in pieces(text)), default=0.0)
    whole = print_width(text)
    while width < whole and line_count(text, width, False) > lines:
        width += 1
    return width


def layout_columns(
    table: Table,
    needs: Sequence[ColumnNeeds],
    unit: int,
    padding: int,
    total: int,
    *,
    short: bool = False,
    slots: list[list[Slot]] | None = None,
) -> tuple[list[int], bool]:
    """Column widths in twips adding up to `total`, for cells `padding` twips wider
    than their text and units `unit` twips wide. First every column its minimum;
    then body labels on one line, the shortest first, as long as they fit; then
    headers in two lines, the same way; then the rest shared towards every cell
    on one line; last, a label left with one character on a line of its own gets
    the room to lose it, where there is. `short` (a form that should fit its
    page): then width moves between columns as long as that makes the table fewer
    lines. Also whether the columns are tight: too narrow for the dates to stay
    whole. `slots`, the table's grid_slots where the caller has them."""
    count = len(needs)
    slots = grid_slots(table) if slots is None else slots
    minimum = [padding + unit * need.minimum for need in needs]
    tight = sum(minimum) > total
    if tight:
        minimum = [padding + unit * need.tight for need in needs]
    if sum(minimum) >= total:
        return column_widths((), minimum, total), tight
    widths = [float(m) for m in minimum]
    floor = list(widths)
    if sum(padding + unit * need.label for need in needs) > total:
        # not every label can have its line: one on a line of its own would cost
        # the other columns more lines than it saves (a form's 二级指标 wrapped in
        # three lines beside a 一级指标 kept whole), so the room goes, a character
        # at a time, where it saves the most lines
        _fewest_lines(_Heights(slots, widths, unit, padding, tight=tight), total=total)
        floor = list(widths)
    for wanted in ([need.label for need in needs], [need.header for need in needs]):
        for column in sorted(range(count), key=lambda c: (wanted[c], c)):
            width = float(padding + unit * wanted[column])
            if widths[column] < width and sum(widths) - widths[column] + width <= total:
                widths[column] = floor[column] = width
    natural = [float(padding + unit * need.natural) for need in needs]
    deficit = [max(0.0, n - w) for n, w in zip(natural, widths, strict=True)]
    rest = total - sum(widths)
    if sum(deficit) > rest:
        widths = [w + d * rest / sum(deficit) for w, d in zip(widths, deficit, strict=True)]
    else:
        widths = [w + d for w, d in zip(widths, deficit, strict=True)]
        spare = total - sum(widths)
        # what none of the cells needs goes where the table asked for it
        weights = [max(1, w) for w in table.widths]  # one for each column (document/lower.py)
        widths = [w + spare * k / sum(weights) for w, k in zip(widths, weights, strict=True)]
    texts = _body_texts(slots, count)
    for column in range(count):
        _mend_orphans(
            column, widths=widths, floor=floor, texts=texts, unit=unit, padding=padding, tight=tight
        )
    grid = column_widths([round(w * 1000) for w in widths], [0] * count, total)
    if not short:
        return grid, tight
    # in whole twips, as the file has them: a label that fits by half a twip
    # would be broken by the renderer (`balanced`) all the same
    exact = [float(width) for width in grid]
    _shortest(_Heights(slots, exact, unit, padding, tight=tight), minimum)
    return [round(width) for width in exact], tight


# The room a column is offered at a time while lines are saved: one to four
# characters (two units each), the fewest that save a line.
GROWTH = (2, 4, 6, 8)


class _Heights:
    """The lines of a table's rows in its column widths, and in trial widths that
    change some columns: a cell spanning rows wraps in their lines; a row is as
    tall as its tallest cell. What a text takes at a capacity is kept, and a trial
    measures again only the cells over the columns it changes, and adds up again
    only their rows."""

    def __init__(
        self,
        slots: list[list[Slot]],
        widths: list[float],
        unit: int,
        padding: int,
        *,
        tight: bool,
    ) -> None:
        self.unit, self.padding, self.tight = unit, padding, tight
        self.widths = widths  # the layout's own list: `commit` changes it
        self.cells = [
            (row, slot.column, slot.cell.colspan, slot.cell.rowspan, plain_text(slot.cell.inlines))
            for row, row_slots in enumerate(slots)
            for slot in row_slots
            if not slot.continued
        ]
        self.measured: dict[tuple[str, float], int] = {}
        self.over_column: list[list[int]] = [[] for _ in widths]
        # the cells over each column that are one column wide, and the wider ones
        self.narrow_over: list[list[int]] = [[] for _ in widths]
        self.wide_over: list[list[int]] = [[] for _ in widths]
        # the lines of a column's narrow cells at a width, by column and width
        self.narrow_counts: dict[tuple[int, float], dict[int, int]] = {}
        self.in_row: list[list[int]] = [[] for _ in slots]  # the cells of one row each
        self.spanning: list[int] = []
        # the row of each cell one row high; -1 for a cell spanning rows
        self.row_of = [row if rowspan == 1 else -1 for row, _, _, rowspan, _ in self.cells]
        for index, (row, column, colspan, rowspan, _) in enumerate(self.cells):
            for covered in range(column, column + colspan):
                self.over_column[covered].append(index)
                (self.narrow_over if colspan == 1 else self.wide_over)[covered].append(index)
            (self.in_row[row] if rowspan == 1 else self.spanning).append(index)
        # by the row each ends below; of those that end on one row, any order
        # gives that row the lines the neediest lacks (`_over`)
        self.spanning.sort(key=lambda i: self.cells[i][0] + self.cells[i][3])
        self.counts = [self._count(index, widths) for index in range(len(self.cells))]
        self.heights = [max((self.counts[i] for i in cells), default=1) for cells in self.in_row]
        self.lines = sum(self.heights) + self._over({}, self.heights)

    def _count(self, index: int, widths: Sequence[float]) -> int:
        _, column, colspan, _, text = self.cells[index]
        span = widths[column] if colspan == 1 else sum(widths[column : column + colspan])
        key = (text, span)
        if key not in self.measured:
            capacity = round((span - self.padding) / self.unit - 0.25, 3)
            self.measured[key] = line_count(text, capacity, self.tight)
        return self.measured[key]

    def _narrow(self, column: int, width: float) -> dict[int, int]:
        """The lines of each cell one column wide over the column, at `width`
        (what `_count` gives each, for all of them at once)."""
        capacity = round((width - self.padding) / self.unit - 0.25, 3)
        measured, cells, tight = self.measured, self.cells, self.tight
        counts = {}
        for index in self.narrow_over[column]:
            text = cells[index][4]
            count = measured.get((text, width))
            if count is None:
                count = measured[text, width] = line_count(text, capacity, tight)
            counts[index] = count
        return counts

    def _over(self, counts: dict[int, int], heights: Sequence[int]) -> int:
        """The lines by which cells spanning rows are taller than their rows, with
        the counts of `counts` in place of the table's. Each such cell, those that
        end higher first, gets the lines its rows lack in its last row, as Word
        lays it out; a cell over rows another one made taller counts those lines
        as its own (two cells beside each other over the same rows take the lines
        of the taller, not of both)."""
        added: dict[int, int] = {}
        total = 0
        for index in self.spanning:
            row, _, _, rowspan, _ = self.cells[index]
            end = row + rowspan
            lines = sum(heights[row:end])
            if added:
                lines += sum(added.get(r, 0) for r in range(row, end))
            lack = counts.get(index, self.counts[index]) - lines
            if lack > 0:
                added[end - 1] = added.get(end - 1, 0) + lack
                total += lack
        return total

    def _changed(self, changes: dict[int, float]) -> tuple[dict[int, int], list[int]]:
        trial = [*self.widths]
        for column, change in changes.items():
            trial[column] += change
        counts: dict[int, int] = {}
        for column in changes:
            width = trial[column]
            # a column is tried at few widths, again and again beside other changes
            narrow = self.narrow_counts.get((column, width))
            if narrow is None:
                narrow = self.narrow_counts[column, width] = self._narrow(column, width)
            counts.update(narrow)
            counts.update((i, self._count(i, trial)) for i in self.wide_over[column])
        heights = [*self.heights]
        lowered = set()  # rows whose tallest cell may have become shorter
        own, row_of = self.counts, self.row_of
        for index, count in counts.items():
            before = own[index]
            if count == before or (row := row_of[index]) < 0:
                continue  # most cells take as many lines as before
            if count > heights[row]:
                heights[row] = count
            elif count < before == self.heights[row]:
                lowered.add(row)
        for row in lowered:
            heights[row] = max(counts.get(i, self.counts[i]) for i in self.in_row[row])
        return counts, heights

    def tall(self, column: int) -> bool:
        """Whether a cell over the column takes more than one line."""
        return any(self.counts[index] > 1 for index in self.over_column[column])

    def trial(self, changes: dict[int, float]) -> int:
        """The table's lines were the columns changed by `changes` (twips)."""
        counts, heights = self._changed(changes)
        return sum(heights) + self._over(counts, heights)

    def commit(self, changes: dict[int, float]) -> None:
        counts, self.heights = self._changed(changes)
        for column, change in changes.items():
            self.widths[column] += change
        for index, count in counts.items():
            self.counts[index] = count
        self.lines = sum(self.heights) + self._over({}, self.heights)


def _fewest_lines(heights: _Heights, *, total: int) -> None:
    """Widen the columns where a character more saves the most lines of the table
    per character, until no growth that fits saves one."""
    unit = heights.unit
    while True:
        room = total - sum(heights.widths)
        best: tuple[float, int, int] | None = None
        for growth in (unit * units for units in GROWTH if unit * units <= room):
            for column in range(len(heights.widths)):
                saved = heights.lines - heights.trial({column: growth})
                if saved > 0 and (best is None or saved / growth > best[0]):
                    best = (saved / growth, column, growth)
            if best is not None:
                break
        if best is None:
            return
        _, chosen, grown = best
        heights.commit({chosen: grown})


# The width moved from one column to another at a time, in units, while a form
# is made as short as it can be: a quarter of a unit finds the edge where a
# label's last character comes back onto its line.
SHIFTS = (0.25, 0.5, 1, 2, 4, 8)


def _shortest(heights: _Heights, floor: Sequence[float]) -> None:
    """Move width from one column to another, none below its `floor`, as long as
    a move makes the table fewer lines: of the smallest moves that save a line,
    the one that saves the most (the first in column order of those that save as
    many). A move saves no more than its widening alone would, a narrower column
    never taking fewer lines; so a widening that saves nothing alone, or no more
    than the best move found, is not tried with a narrowing beside it."""
    widths = heights.widths
    columns = range(len(widths))
    while True:
        best: tuple[int, int, int] | None = None  # -saved, taker, giver: the least
        # only a column under a cell of more than one line can save a line
        tall = [c for c in columns if heights.tall(c)]
        for shift in (round(heights.unit * s) for s in SHIFTS):
            gains = {c: heights.lines - heights.trial({c: shift}) for c in tall}
            # the takers that may save the most first, so that the best move found
            # soon rules out the rest; of moves that save as many, the first in
            # column order is made
            takers = sorted((c for c in tall if gains[c] > 0), key=lambda c: (-gains[c], c))
            for taker in takers:
                if best is not None and gains[taker] < -best[0]:
                    break
                for giver in columns:
                    if giver == taker or widths[giver] - shift < floor[giver]:
                        continue
                    saved = heights.lines - heights.trial({taker: shift, giver: -shift})
                    if saved > 0 and (best is None or (-saved, taker, giver) < best):
                        best = (-saved, taker, giver)
            if best is not None:
                break
        if best is None:
            return
        _, taker, giver = best
        heights.commit({taker: shift, giver: -shift})


def _body_texts(slots: list[list[Slot]], count: int) -> list[list[str]]:
    """Per column, the body text of its cells one column wide (numbers among
    them: one piece each, they never leave a character alone on a line)."""
    texts: list[list[str]] = [[] for _ in range(count)]
    for slot in itertools.chain.from_iterable(slots):
        if not (slot.header or slot.continued or slot.cell.colspan != 1):
            texts[slot.column].append(plain_text(slot.cell.inlines))
    return texts


def _orphans(texts: list[str], capacity: float, tight: bool) -> list[str]:
    return [
        text
        for text in texts
        if len(lines := wrap(text, capacity, tight=tight)) > 1 and lines[-1] <= ORPHAN
    ]


def _mend_orphans(
    column: int,
    *,
    widths: list[float],
    floor: list[float],
    texts: list[list[str]],
    unit: int,
    padding: int,
    tight: bool,
) -> None:
    """Widen the column by what its orphaned labels need, taken from the columns
    with room above their floor. Where there is not enough room, the renderer
    shares the label's lines evenly (`balanced`)."""
    capacity = (widths[column] - padding) / unit
    orphaned = _orphans(texts[column], capacity, tight)
    if not orphaned:
        return
    wanted = capacity
    for text in orphaned:
        fewer = line_count(text, capacity, tight) - 1
        whole = print_width(text)  # what holds it in one line: the search ends there
        while wanted < whole and line_count(text, wanted, tight) > fewer:
            wanted += 1
    extra = (wanted - capacity) * unit
    donors = [c for c in range(len(widths)) if c != column and widths[c] > floor[c]]
    slack = sum(widths[c] - floor[c] for c in donors)
    if slack >= extra:
        for c in donors:
            widths[c] -= extra * (widths[c] - floor[c]) / slack
        widths[column] += extra


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
