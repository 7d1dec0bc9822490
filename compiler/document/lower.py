"""Build the format-neutral Document from the evaluated program.

Here figures are printed by their display plans and headings get their numbers.
What is printed is bounded (output_limits.py): a figure too long to print, or a
document grown too long, ends the build with E107 at the reference, before
the text is made.
"""

from __future__ import annotations

from fractions import Fraction
from typing import assert_never

from ..base.chinese import counting
from ..base.codes import Code
from ..base.diagnostics import Diagnostics
from ..base.kept import Kept, keeps
from ..base.record import record, replace
from ..base.source import Span, display_width
from ..check import ir
from ..evaluation.evaluate import Evaluated
from ..evaluation.format import format_items
from ..evaluation.output_limits import MAX_DOCUMENT_CHARS, MAX_FIGURE_CHARS, print_figure
from ..syntax.settings import Settings
from . import model as doc
from .attachments import shape_attachments


class _TooLong(Exception):
    """The document passed a bound; its diagnostic has been given."""


@record
class _Lowered:
    """A block as printed, kept for a rebuild: the characters it counted and
    the last reference it printed (None when it prints none)."""

    block: doc.Block
    size: int
    last: Span | None


_lowered: Kept[_Lowered] = Kept(limit=100_000)


def build_document(
    evaluated: Evaluated, diagnostics: Diagnostics, data: tuple[tuple[str, str], ...] = ()
) -> doc.Document | None:
    """The document, or None when it would print more than output_limits.py allows;
    `data` names the data files read and their digests."""
    try:
        document = _Builder(evaluated, diagnostics).document()
        return replace(document, meta=replace(document.meta, data=data))
    except _TooLong:
        return None


class _Builder:
    """Builds one Document, counting its characters as they are printed."""

    def __init__(self, evaluated: Evaluated, diagnostics: Diagnostics) -> None:
        self.evaluated = evaluated
        self.diagnostics = diagnostics
        self.size = 0
        self.last: Span | None = None  # the last reference printed: where to point
        # a number as printed, by value and display plan: a report prints the
        # same figure in its tables and its prose, and printing it costs most here
        # (a Fraction's hash is slow, its numerator's and denominator's are not)
        self.printed: dict[tuple[int, int, ir.Display], str | None] = {}

    def document(self) -> doc.Document:
        program = self.evaluated.program
        settings = program.settings
        meta = doc.Meta(
            title=self._counted(settings.title),
            subtitle=self._counted(settings.subtitle),
            organisation=self._counted(settings.organisation),
            author=self._counted(settings.author),
            year=settings.year,
            date=settings.date,
            locale=settings.locale,
            cover=settings.cover,
            toc=settings.toc,
        )
        numbers = _Numbering(settings)
        blocks: list[doc.Block] = []
        under = "{1}."  # how lists are numbered under the last heading
        for block in program.blocks:
            match block:
                case ir.Heading(level=level, numbered=numbered, number=written):
                    number = numbers.next(level, numbered, written)
                    blocks.append(self._kept(block, number))
                    under = _list_numbering(settings.numbering, level)
                case ir.Note() if not settings.draft:
                    pass  # a note to reviewers is no part of the published report
                case ir.ListBlock():
                    blocks.append(self._kept(block, under))
                case ir.Paragraph() | ir.Note() | ir.Table():
                    blocks.append(self._kept(block, ""))
                case _:
                    assert_never(block)
        return doc.Document(meta, tuple(shape_attachments(blocks)))

    def _kept(self, block: ir.Block, place: str) -> doc.Block:
        """The block printed, or as it was printed before (see base/kept.py): the
        same IR, whose typing was in the same settings, with the same values,
        at a place that prints alike (`place`: a heading's number, how a list
        under its heading is numbered)."""
        if not keeps(self.diagnostics):
            return self._block(block, place)
        refs = self.evaluated.refs

        def values(indices: tuple[int, ...]) -> tuple[object, ...]:
            return (place, *(refs[i] for i in indices))

        found = _lowered.get(block, None, self.diagnostics, values_of=values)
        if found is not None and self.size + found.size <= MAX_DOCUMENT_CHARS:
            self.size += found.size
            self.last = found.last or self.last
            return found.block
        size = self.size
        indices = tuple(ref.index for ref in ir.all_refs((block,)))
        made = self._block(block, place)
        lowered = _Lowered(made, self.size - size, self.last if indices else None)
        _lowered.put(block, None, lowered, self.diagnostics, values=values(indices), reads=indices)
        return made

    def _block(self, block: ir.Block, place: str) -> doc.Block:
        match block:
            case ir.Heading(level=level, inlines=inlines, attachment=attachment):
                number = self._counted(place)
                return doc.Heading(level, number, self._inlines(inlines), attachment)
            case ir.Paragraph(lines=lines):
                return doc.Paragraph(self._joined(lines))
            case ir.Note(lines=lines):
                return doc.Note(self._joined(lines))
            case ir.ListBlock(ordered=ordered, start=start, items=items):
                printed = tuple(self._inlines(item) for item in items)
                return doc.ListBlock(ordered, start, printed, place)
            case ir.Table():
                return self._table(block)
            case _:
                assert_never(block)

    def _joined(self, lines: tuple[tuple[ir.Inline, ...], ...]) -> tuple[doc.Inline, ...]:
        """A paragraph's lines joined as its locale joins them (a space in English)."""
        joiner = " " if self.evaluated.program.settings.locale == "en" else ""
        joined: list[doc.Inline] = []
        for index, line in enumerate(lines):
            if index and joiner:
                joined.append(doc.Text(self._counted(joiner)))
            joined.extend(self._inlines(line))
        return _merge(joined)

    def _counted(self, text: str) -> str:
        """`text`, counted into the document's length."""
        self.size += len(text)
        if self.size > MAX_DOCUMENT_CHARS:
            self.diagnostics.error(
                Code.LIMIT_EXCEEDED,
                f"the document would be longer than {MAX_DOCUMENT_CHARS:,} characters",
                self.last,
                "the limit is passed here" if self.last else "",
                help="rpt does not print this much, so that a build ends in bounded time "
                "and memory; a figure printed many times over is the likely cause",
            )
            raise _TooLong
        return text

    def _table(self, table: ir.Table) -> doc.Table:
        rows = tuple(
            doc.Row(
                tuple(
                    doc.Cell(self._inlines(cell.inlines), cell.colspan, cell.rowspan, cell.align)
                    for cell in row.cells
                ),
                row.header,
            )
            for row in table.rows
        )
        caption = (doc.Text(self._counted(table.caption)),) if table.caption else ()
        unit_note = self._counted(table.unit_note)
        widths = _widths(rows, table.columns)
        if not table.number:
            return doc.Table(caption, unit_note, table.columns, rows, widths)
        settings = self.evaluated.program.settings
        issuer = settings.organisation or settings.author
        if issuer:
            label = "Prepared by: " if settings.locale == "en" else "编制单位："
            issuer = self._counted(label + issuer)
        number = self._counted(table.number)
        return doc.Table(caption, unit_note, table.columns, rows, widths, number, issuer)

    def _inlines(self, inlines: tuple[ir.Inline, ...]) -> tuple[doc.Inline, ...]:
        if len(inlines) == 1 and type(first := inlines[0]) is ir.Text:
            return (doc.Text(self._counted(first.text)),)  # most cells and items
        result: list[doc.Inline] = []
        for inline in inlines:
            made = self._inline(inline)
            # adjacent plain text runs become one, as _merge joins them
            if type(made) is doc.Text and result and type(last := result[-1]) is doc.Text:
                result[-1] = doc.Text(last.text + made.text)
            else:
                result.append(made)
        return tuple(result)

    def _inline(self, inline: ir.Inline) -> doc.Inline:
        match inline:
            case ir.Text(text=text):
                return doc.Text(self._counted(text))
            case ir.Ref(index=index, display=display, span=span):
                self.last = span
                printed = self._print(self.evaluated.refs[index], display)
                if printed is None:
                    self.diagnostics.error(
                        Code.LIMIT_EXCEEDED,
                        f"this figure prints more than {MAX_FIGURE_CHARS:,} characters",
                        span,
                        "printed here",
                        help="a figure is a number or a phrase; check the formula that makes it",
                    )
                    raise _TooLong
                return doc.Figure(self._counted(printed), span.text()[1:-1], index)
            case ir.Strong(children=children):
                return doc.Strong(self._inlines(children))
            case ir.Emph(children=children):
                return doc.Emph(self._inlines(children))
            case ir.Placeholder():
                # a final build refuses placeholders (prose.py): this is a draft
                return doc.Placeholder(self._counted(self.evaluated.program.settings.placeholder))
            case _:
                assert_never(inline)

    def _print(self, value: ir.Value | None, display: ir.Display | None) -> str | None:
        """The value as printed, or None when that is longer than MAX_FIGURE_CHARS;
        a number printed once for each value and display plan."""
        if type(value) is Fraction and display is not None:
            key = (value.numerator, value.denominator, display)
            try:
                return self.printed[key]
            except KeyError:
                printed = self.printed[key] = print_figure(value, display)
                return printed
        return _print(value, display)


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


def _list_numbering(patterns: tuple[str, ...], level: int) -> str:
    """How a list is numbered under a heading of `level`: in the number of
    doc.LIST_NUMBERING after the one of the heading's level (no 1. list under a
    1. heading: （1）, and ① under （1）), else in 1."""
    pattern = patterns[level - 1] if level <= len(patterns) else ""
    sequence = doc.LIST_NUMBERING
    if pattern in sequence:
        return sequence[min(sequence.index(pattern) + 1, len(sequence) - 1)]
    return sequence[0]


def heading_number(pattern: str, n: int) -> str:
    """第一部分, 十四、, （3）: the heading's number by its level's pattern."""
    return pattern.replace("{一}", counting(n)).replace("{1}", str(n))


def _widths(rows: tuple[doc.Row, ...], columns: int) -> tuple[int, ...]:
    """Relative column widths: the widest single-column cell of each column, in
    terminal columns (CJK counts double), kept between 4 and 40."""
    widths = [4] * columns
    # the grid columns of rows below that cells spanning down from above cover
    covered: dict[int, set[int]] = {}
    for r, row in enumerate(rows):
        taken = covered.pop(r, ())
        column = 0
        for cell in row.cells:
            while column in taken:
                column += 1
            colspan = cell.colspan
            for below in range(r + 1, min(r + cell.rowspan, len(rows))):
                covered.setdefault(below, set()).update(range(column, column + colspan))
            if colspan == 1 and column < columns:
                width = display_width(doc.plain_text(cell.inlines))
                if width > widths[column]:
                    widths[column] = min(width, 40)
            column += colspan
    return tuple(widths)


def _print(value: ir.Value | None, display: ir.Display | None) -> str | None:
    """The value as printed, or None when that is longer than MAX_FIGURE_CHARS."""
    match value:
        case Fraction():
            assert display is not None, "a number always has a display plan"
            return print_figure(value, display)
        case tuple():
            assert display is not None, "a number always has a display plan"
            text = format_items(value, display)
            return text if len(text) <= MAX_FIGURE_CHARS else None
        case bool():
            return "是" if value else "否"
        case str():
            return value if len(value) <= MAX_FIGURE_CHARS else None
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
