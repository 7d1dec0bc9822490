"""How the Word file lays out its tables, beside docx.py's writing of them: the
size a table is set in, which rows keep with the next, each cell's style."""

from __future__ import annotations

from ..base.record import record
from ..document.model import Block, Cell, Paragraph, SignOff, Table
from .docx_styles import StyleName

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


# Twips a row takes beyond its lines (its borders and the space they leave), and
# what a form's page holds besides its rows: the label 附件2-4, the title, the
# sign-off line and the space between them, about 120 pt.
ROW_EDGES = 30
FORM_FRAME = 2400


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
class Layout:
    """A table's column widths in twips, the width of a unit (half an em) of its
    text, the styles it is set in, and how its cells break."""

    grid: list[int]
    digit: int
    styles: TableStyles
    tight: bool  # too narrow for dates to stay whole (table_layout.UNBROKEN_TIGHT)


def kept_with_sign_off(blocks: tuple[Block, ...]) -> set[int]:
    """The blocks that keep with the next one so that a sign-off line stays on the
    page of its form: the table above it and the remarks between."""
    kept: set[int] = set()
    for index, block in enumerate(blocks):
        if isinstance(block, SignOff):
            above = index - 1
            while above >= 0 and isinstance(blocks[above], Paragraph):
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


def fits_page(lines: list[int], line: int, height: int) -> bool:
    """Whether a form whose rows take about `lines` lines of `line` twips fits on
    a page `height` twips high, with the label, title and sign-off of an
    attachment."""
    return sum(lines) * line + len(lines) * ROW_EDGES <= height - FORM_FRAME


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
