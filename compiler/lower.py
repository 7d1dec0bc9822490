"""Build the format-neutral Document from the evaluated program.

Here figures are printed by their display plans and headings get their numbers.
"""

from __future__ import annotations

from fractions import Fraction
from typing import assert_never

from . import document as doc
from . import ir
from .evaluate import Evaluated
from .format import format_items, format_number
from .settings import Settings, heading_number
from .source import display_width


def build_document(evaluated: Evaluated) -> doc.Document:
    program = evaluated.program
    settings = program.settings
    meta = doc.Meta(
        title=settings.title,
        subtitle=settings.subtitle,
        organisation=settings.organisation,
        author=settings.author,
        year=settings.year,
        date=settings.date,
        locale=settings.locale,
        style=settings.style,
    )
    numbers = _Numbering(settings)
    blocks: list[doc.Block] = []
    for block in program.blocks:
        match block:
            case ir.Heading(level=level, numbered=numbered, inlines=inlines, number=written):
                number = numbers.next(level, numbered, written)
                blocks.append(doc.Heading(level, number, _inlines(inlines, evaluated)))
            case ir.Paragraph(lines=lines):
                joiner = " " if settings.locale == "en" else ""
                joined: list[doc.Inline] = []
                for index, line in enumerate(lines):
                    if index and joiner:
                        joined.append(doc.Text(joiner))
                    joined.extend(_inlines(line, evaluated))
                blocks.append(doc.Paragraph(_merge(joined)))
            case ir.ListBlock(ordered=ordered, start=start, items=items):
                printed = tuple(_inlines(item, evaluated) for item in items)
                blocks.append(doc.ListBlock(ordered, start, printed))
            case ir.Table():
                blocks.append(_table(block, evaluated))
            case _:
                assert_never(block)
    return doc.Document(meta, tuple(blocks))


class _Numbering:
    """Heading counters per level; a heading resets the counters below it."""

    def __init__(self, settings: Settings) -> None:
        self.patterns = settings.numbering
        self.counters = [0] * 7

    def next(self, level: int, numbered: bool, written: int | None = None) -> str:
        """The number of the next heading at `level`: one more than the last, or the
        number the author wrote (`{2}` for a report whose first part is 第二部分)."""
        for deeper in range(level + 1, len(self.counters)):
            self.counters[deeper] = 0
        if not numbered or level > len(self.patterns):
            return ""
        self.counters[level] = written if written is not None else self.counters[level] + 1
        return heading_number(self.patterns[level - 1], self.counters[level])


def _table(table: ir.Table, evaluated: Evaluated) -> doc.Table:
    rows = tuple(
        doc.Row(
            tuple(
                doc.Cell(_inlines(cell.inlines, evaluated), cell.colspan, cell.rowspan, cell.align)
                for cell in row.cells
            ),
            row.header,
        )
        for row in table.rows
    )
    caption = (doc.Text(table.caption),) if table.caption else ()
    return doc.Table(caption, table.unit_note, table.columns, rows, _widths(rows, table.columns))


def _widths(rows: tuple[doc.Row, ...], columns: int) -> tuple[int, ...]:
    """Relative column widths: the widest single-column cell of each column, in
    terminal columns (CJK counts double), kept between 4 and 40."""
    widths = [4] * columns
    occupied: list[set[int]] = [set() for _ in rows]
    for r, row in enumerate(rows):
        column = 0
        for cell in row.cells:
            while column in occupied[r]:
                column += 1
            for dr in range(cell.rowspan):
                if r + dr < len(rows):
                    occupied[r + dr].update(range(column, column + cell.colspan))
            if cell.colspan == 1 and column < columns:
                width = display_width(doc.plain_text(cell.inlines))
                widths[column] = max(widths[column], min(width, 40))
            column += cell.colspan
    return tuple(widths)


def _inlines(inlines: tuple[ir.Inline, ...], evaluated: Evaluated) -> tuple[doc.Inline, ...]:
    result: list[doc.Inline] = []
    for inline in inlines:
        match inline:
            case ir.Text(text=text):
                result.append(doc.Text(text))
            case ir.Strong(children=children):
                result.append(doc.Strong(_inlines(children, evaluated)))
            case ir.Emph(children=children):
                result.append(doc.Emph(_inlines(children, evaluated)))
            case ir.Ref(index=index, display=display, span=span):
                value = evaluated.refs[index]
                result.append(doc.Figure(_print(value, display), span.text()[1:-1]))
    return _merge(result)


def _print(value: ir.Value | None, display: ir.Display | None) -> str:
    match value:
        case Fraction():
            assert display is not None, "a number always has a display plan"
            return format_number(value, display)
        case tuple():
            assert display is not None, "a number always has a display plan"
            return format_items(value, display)
        case bool():
            return "是" if value else "否"
        case str():
            return value
    raise AssertionError("a document is only built when every reference has a value")


def _merge(inlines: list[doc.Inline] | tuple[doc.Inline, ...]) -> tuple[doc.Inline, ...]:
    """Adjacent plain text runs become one."""
    merged: list[doc.Inline] = []
    for inline in inlines:
        if isinstance(inline, doc.Text) and merged and isinstance(merged[-1], doc.Text):
            merged[-1] = doc.Text(merged[-1].text + inline.text)
        else:
            merged.append(inline)
    return tuple(merged)
