"""How the Word file lays out its tables, beside docx.py's writing of them: the
size a table is set in, which rows keep with the next, each cell's style."""

from __future__ import annotations

import itertools
import math

from ..base.record import record, replace
from ..document.model import Block, Cell, Heading, Paragraph, SignOff, Table, plain_text
from .docx_styles import StyleName
from .line_breaks import cell_lines
from .table_layout import ColumnNeeds, Slot, column_needs, layout_columns

# A row of more lines than this may break across pages: kept whole, it would
# leave the foot of a page empty (a form's 年度总体目标).
SPLIT_LINES = 8
# A table of this many columns whose labels do not fit on their lines takes the
# small table styles; fewer columns are a text in a frame, better read at full size.
SMALL_TABLE_COLUMNS = 4
# A cell's text wrapped in at most this many lines is broken evenly by the
# renderer (headers, labels); a longer text is prose, left to the word processor.
BALANCED_LINES = 4
# A table of at most this many rows is kept on one page, when it fits on one.
SHORT_TABLE_ROWS = 15


# Twips a row takes beyond its lines, its border, where a template states none
# (0.75 pt); and what a form's pages hold besides its rows: above it the label
# 附件2-4 and the title with the space between them (88 pt measured), under it
# the sign-off line, where a template states none (32 pt).
ROW_EDGES = 15
SIGN_OFF = 640
FORM_HEAD = 1760
# A form that misses its page in the compact styles by a little is set in lines
# tighter than theirs, down to this many ems of its font: 10.8 pt for 小五.
DENSE_LINE = 1.2


@record
class TableStyles:
    """The paragraph styles of a table's header cells, numbers and text."""

    header: StyleName
    number: StyleName
    text: StyleName


TABLE_STYLES = TableStyles(StyleName.TABLE_HEADER, StyleName.TABLE_NUMBER, StyleName.TABLE_TEXT)
SMALL_TABLE_STYLES = TableStyles(
    StyleName.SMALL_TABLE_HEADER, StyleName.SMALL_TABLE_NUMBER, StyleName.SMALL_TABLE_TEXT
)
COMPACT_TABLE_STYLES = TableStyles(
    StyleName.COMPACT_TABLE_HEADER, StyleName.COMPACT_TABLE_NUMBER, StyleName.COMPACT_TABLE_TEXT
)


@record
class TableSizes:
    """What a table's layout takes from the template's styles, in twips: half an
    em of the numbers' font in the table styles, the small and the compact ones
    (the width of a digit), the line of their text, a cell's left plus right
    margin, the border between rows, and the height of a form's sign-off line
    with the space above it."""

    digit: int
    small_digit: int
    compact_digit: int
    line: int
    small_line: int
    compact_line: int
    padding: int
    edge: int
    sign_off: int


@record
class Layout:
    """A table's column widths in twips, the width of a unit (half an em) of its
    text and the height of its lines, the styles it is set in, a cell's left plus
    right margin, and how its cells break; the twips a row takes beyond its
    lines and those of a form's sign-off line; whether the cells state `line`
    over their styles' own (a form set tighter to fit its page)."""

    grid: list[int]
    digit: int
    line: int
    styles: TableStyles
    padding: int
    tight: bool  # too narrow for dates to stay whole (line_breaks.UNBROKEN_TIGHT)
    edge: int = ROW_EDGES
    sign_off: int = SIGN_OFF
    own_line: bool = False


def table_layout(
    table: Table, slots: list[list[Slot]], sizes: TableSizes, width: int, height: int, *, form: bool
) -> Layout:
    """Columns sized to their content (table_layout.layout_columns), in the table
    styles' size when the labels and numbers fit on their lines, else, for a table
    of four columns or more, in the small table styles (五号), or in the compact
    ones (小五) where only those give each label its line. Headers count as
    fitting in two lines. A form (a table with its sign-off line) that would not
    fit on its page in the small styles, but fits in the compact ones (小五) with
    its columns sized for the fewest lines, is set in those, in lines tighter than
    theirs where only that fits it (down to DENSE_LINE); one that fits in none
    of these takes the size that needs fewer pages, the larger where they tie, its
    columns sized for the fewest lines too."""
    needs = column_needs(table, slots)
    labels = sum(sizes.padding + sizes.digit * max(need.label, need.header) for need in needs)

    def sized(digit: int, line: int, styles: TableStyles, *, short: bool = False) -> Layout:
        grid, tight = layout_columns(
            table, needs, digit, sizes.padding, width, short=short, slots=slots
        )
        return Layout(grid, digit, line, styles, sizes.padding, tight, sizes.edge, sizes.sign_off)

    if not (labels > width and table.columns >= SMALL_TABLE_COLUMNS):
        return sized(sizes.digit, sizes.line, TABLE_STYLES)
    small = sized(sizes.small_digit, sizes.small_line, SMALL_TABLE_STYLES)
    if (
        _labels_width(needs, sizes.small_digit, sizes.padding)
        > width
        >= _labels_width(needs, sizes.compact_digit, sizes.padding)
    ):
        return sized(sizes.compact_digit, sizes.compact_line, COMPACT_TABLE_STYLES)
    if not form or form_pages(slots, small, height) == 1:
        return small
    compact = sized(sizes.compact_digit, sizes.compact_line, COMPACT_TABLE_STYLES, short=True)
    dense = _fitted(slots, compact, height)
    if dense is not None:
        return dense
    if form_pages(slots, compact, height) < form_pages(slots, small, height):
        return compact
    return sized(sizes.small_digit, sizes.small_line, SMALL_TABLE_STYLES, short=True)


def _labels_width(needs: list[ColumnNeeds], digit: int, padding: int) -> int:
    """The twips the columns take with every body label on one line."""
    return sum(padding + digit * need.label for need in needs)


def _fitted(slots: list[list[Slot]], layout: Layout, height: int) -> Layout | None:
    """The form in the layout, on one page: as it is, or in lines as tight as it
    needs with one line to spare, for what the estimate leaves out (how Word
    rounds a row, a label over two lines), none under DENSE_LINE ems; None where
    it does not fit so."""
    if form_pages(slots, layout, height) == 1:
        return layout
    lines = sum(row_lines(row, layout) for row in slots)
    room = height - FORM_HEAD - layout.sign_off - layout.edge * len(slots)
    line = room // (lines + 1)
    if line < DENSE_LINE * 2 * layout.digit:
        return None
    return replace(layout, line=line, own_line=True)


def cell_capacity(width: int, layout: Layout) -> float:
    """Units of text a cell `width` twips wide holds on a line, a quarter of a unit
    less, for rounding."""
    return (width - layout.padding) / layout.digit - 0.25


def row_lines(slots: list[Slot], layout: Layout) -> int:
    """About how many lines the row's tallest cell of its own takes."""
    lines = [
        cell_lines(plain_text(slot.cell.inlines), cell_capacity(width, layout), layout.tight)
        for slot in slots
        if not slot.continued and slot.cell.rowspan == 1
        for width in [sum(layout.grid[slot.column : slot.column + slot.cell.colspan])]
    ]
    return max(lines, default=1)


def _rows_height(slots: list[list[Slot]], layout: Layout) -> int:
    """About the twips the rows take, their edges included."""
    return sum(row_lines(row, layout) * layout.line + layout.edge for row in slots)


def form_pages(slots: list[list[Slot]], layout: Layout, height: int) -> int:
    """About how many pages `height` twips high a form takes, with the label,
    title and sign-off of its attachment."""
    frame = FORM_HEAD + layout.sign_off
    return max(1, math.ceil((_rows_height(slots, layout) + frame) / height))


def kept_with_sign_off(blocks: tuple[Block, ...]) -> set[int]:
    """The blocks that keep with the next one so that a sign-off line stays on the
    page of its form: the table above it and the remarks and sign-off lines
    between (填报单位 over 填报日期); and a form's head line (a SignOff right under
    its attachment's title), with the form."""
    kept: set[int] = set()
    for index, block in enumerate(blocks):
        if isinstance(block, SignOff) and index and isinstance(blocks[index - 1], Heading):
            kept.add(index)
        elif isinstance(block, SignOff):
            above = index - 1
            while above >= 0 and isinstance(blocks[above], Paragraph | SignOff):
                above -= 1
            if above >= 0 and isinstance(blocks[above], Table):
                kept.update(range(above, index))
    return kept


def kept_rows(table: Table, repeated: int) -> set[int]:
    """The rows that keep with the next one. Every row but the last in a short
    table, so that it stays on one page; in a long one, each header row (a header
    in mid-table, 绩效指标 …, never ends a page alone), the first body row, and
    the last but one, so that a page never shows one row alone under the
    repeated header."""
    count = len(table.rows)
    if count <= SHORT_TABLE_ROWS:
        return set(range(count - 1))
    kept = {index for index, row in enumerate(table.rows) if row.header}
    kept.add(repeated)
    kept.add(count - 2)
    return kept


def kept_sections(table: Table, slots: list[list[Slot]], layout: Layout, height: int) -> set[int]:
    """The rows of a form that keep with the next so that its sections stay whole
    where each fits on a page: a section begins at the top or at a header row
    (项目资金, 年度总体目标, 绩效指标 …), so a form that runs over its page goes on
    at the head of a section, and the header that opens the page is the
    section's. A section fits on a page of its own with the sign-off line under
    it."""
    starts = [0, *(index for index, row in enumerate(table.rows) if row.header and index)]
    kept: set[int] = set()
    for start, end in itertools.pairwise([*starts, len(table.rows)]):
        if _rows_height(slots[start:end], layout) <= height - layout.sign_off:
            kept.update(range(start, end - 1))
    return kept


def cell_style(cell: Cell, header: bool, styles: TableStyles) -> tuple[StyleName, str | None]:
    """A cell's paragraph style, and an alignment where the style's own does not
    say it: header cells are centred by their style, right-aligned cells (the
    numbers) take Table Number, centred body text is the exception."""
    if header:
        return styles.header, None
    if cell.align == "right":
        return styles.number, None
    style = styles.text
    return style, "center" if cell.align == "center" else None
