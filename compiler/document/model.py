"""The format-neutral document: what every renderer consumes, and nothing else.

Figures are already printed (rounded, with units and words); headings already
carry their numbers. A renderer decides only how things look.
"""

from __future__ import annotations

import datetime
from typing import ClassVar, assert_never

from ..base.record import record


@record
class Text:
    """A run of plain text."""

    kind: ClassVar[str] = "text"
    text: str


@record
class Figure:
    """A printed figure; `source` is the expression it came from, for reviewers;
    `ref`, which prose reference of the report it is (the `printed` places of the
    compilation's figures name it)."""

    kind: ClassVar[str] = "figure"
    text: str
    source: str
    ref: int


@record
class Strong:
    """Strong text, written `**…**`."""

    kind: ClassVar[str] = "strong"
    children: tuple[Inline, ...]


@record
class Emph:
    """Emphasised text, written `*…*`."""

    kind: ClassVar[str] = "emph"
    children: tuple[Inline, ...]


@record
class Inserted:
    """Text a revision added, in a redline (`rpt diff --to docx`): Word shows it
    as a tracked insertion."""

    kind: ClassVar[str] = "inserted"
    children: tuple[Inline, ...]


@record
class Deleted:
    """Text a revision took out, in a redline: a tracked deletion."""

    kind: ClassVar[str] = "deleted"
    children: tuple[Inline, ...]


@record
class Placeholder:
    """A figure not available yet, in a draft: `text` is the report's word for it
    (未列); renderers mark it so that no reader takes it for a figure."""

    kind: ClassVar[str] = "placeholder"
    text: str


Inline = Text | Figure | Strong | Emph | Inserted | Deleted | Placeholder


@record
class Heading:
    """`number` is the printed heading number (`三、`), empty when unnumbered. An
    `attachment`'s number is its label (附件1-2) and its inlines its title: the
    Word file starts it on a new page, the label flush left above the title."""

    kind: ClassVar[str] = "heading"
    level: int
    number: str
    inlines: tuple[Inline, ...]
    attachment: bool = False


@record
class Paragraph:
    """A paragraph, its source lines already joined as the locale joins them."""

    kind: ClassVar[str] = "paragraph"
    inlines: tuple[Inline, ...]


@record
class Note:
    """A note to the report's reviewers, in a draft only."""

    kind: ClassVar[str] = "note"
    inlines: tuple[Inline, ...]


@record
class ListBlock:
    """A bullet or numbered list (numbered from `start`), each item a run of inline
    text; `numbering`, how its numbers print: `{1}.`, `（{1}）` or `{①}`
    (item_number)."""

    kind: ClassVar[str] = "list"
    ordered: bool
    start: int
    items: tuple[tuple[Inline, ...], ...]
    numbering: str = "{1}."


# GB/T 9704's sequence of numbers below 一、 and （一）, as lists take it: a list
# under a heading numbered in one of them is numbered in the next.
LIST_NUMBERING = ("{1}.", "（{1}）", "{①}")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def item_number(numbering: str, n: int) -> str:
    """The n-th item's number: `3.`, `（3）`, `③`; past ⑳, `(21)`."""
    circled = CIRCLED[n - 1] if 1 <= n <= len(CIRCLED) else f"({n})"
    return numbering.replace("{①}", circled).replace("{1}", str(n))


@record
class Cell:
    """One table cell. `align` is left, center or right (numbers are right-aligned)."""

    inlines: tuple[Inline, ...]
    colspan: int = 1
    rowspan: int = 1
    align: str = "left"


@record
class Row:
    """A table row. Grid positions covered by a span from another cell have no Cell
    here, as in HTML: a row holds only the cells that start in it."""

    cells: tuple[Cell, ...]
    header: bool = False


@record
class Table:
    """A table: header rows first, then body rows.

    `unit_note` is printed above the table on the right (单位：万元); `widths` are
    relative column widths, one per grid column, for renderers that need them.
    A standard form has its `number` (公开01表), printed above the caption,
    and its `issuer` (编制单位：…), printed on the unit note's line at the left.
    """

    kind: ClassVar[str] = "table"
    caption: tuple[Inline, ...]
    unit_note: str
    columns: int
    rows: tuple[Row, ...]
    widths: tuple[int, ...]
    number: str = ""
    issuer: str = ""


@record
class SignOff:
    """A form's line of fields in an attachment, field by field: its sign-off
    under it (填表人：…　　填报日期：…), or its head line above it, right under the
    attachment's title (填报单位：…); printed from the margin with the fields
    spread, kept with the form."""

    kind: ClassVar[str] = "sign_off"
    fields: tuple[tuple[Inline, ...], ...]


Block = Heading | Paragraph | ListBlock | Note | Table | SignOff


@record
class Meta:
    """Document metadata from the front matter; `data`, each data file the report
    read with its SHA-256, so that a rebuild from a changed workbook shows;
    `cover` and `toc`, whether a paged format opens with a cover page and a
    table of contents (目录)."""

    title: str
    subtitle: str
    organisation: str
    author: str
    year: int | None
    date: datetime.date | None
    locale: str
    data: tuple[tuple[str, str], ...] = ()
    cover: bool = False
    toc: bool = False


@record
class Document:
    """The whole report as the renderers see it: its metadata and its blocks in order."""

    meta: Meta
    blocks: tuple[Block, ...]


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The inline run as plain text, emphasis dropped; in a redline, as it reads
    after the revision (inserted text in, deleted text out)."""
    if len(inlines) == 1 and type(inlines[0]) is Text:
        return inlines[0].text  # most cells and runs: asked for again and again
    parts = []
    for inline in inlines:
        match inline:
            case Text(text=text) | Figure(text=text) | Placeholder(text=text):
                parts.append(text)
            case Strong(children=children) | Emph(children=children) | Inserted(children=children):
                parts.append(plain_text(children))
            case Deleted():
                pass
            case _:
                assert_never(inline)
    return "".join(parts)


def block_inlines(block: Block) -> tuple[tuple[Inline, ...], ...]:
    """Every run of inline text a block holds: a heading's, a paragraph's, each
    list item, a table's caption and each cell."""
    match block:
        case Heading(inlines=inlines) | Paragraph(inlines=inlines) | Note(inlines=inlines):
            return (inlines,)
        case ListBlock(items=items):
            return items
        case Table(caption=caption, rows=rows):
            return (caption, *(cell.inlines for row in rows for cell in row.cells))
        case SignOff(fields=fields):
            return fields
        case _:
            assert_never(block)


def figures_in(inlines: tuple[Inline, ...]) -> list[Figure]:
    """The printed figures of a run of inline text, emphasis included, in order."""
    found: list[Figure] = []
    for inline in inlines:
        match inline:
            case Figure():
                found.append(inline)
            case Strong(children=children) | Emph(children=children) | Inserted(children=children):
                found.extend(figures_in(children))
            case Text() | Deleted() | Placeholder():
                pass
            case _:
                assert_never(inline)
    return found


def all_figures(document: Document) -> list[Figure]:
    """Every printed figure of the document, in order."""
    return [f for block in document.blocks for run in block_inlines(block) for f in figures_in(run)]


def number_prefix(number: str, locale: str = "zh-CN") -> str:
    """A heading's or list item's number and what separates it from the text:
    一、, （一） and ③ need nothing, nor does 3. in a Chinese text (3.公务接待费);
    第三部分, and 3. in an English one, a space."""
    if not number or number.endswith(("、", "）", ")", *CIRCLED)):
        return number
    if number.endswith(".") and locale != "en":
        return number
    return number + " "
