"""Render the Document as DOCX, in the style template the options name.

The template (templates/docx/NAME.docx, see compiler/docx_styles.py) brings the
styles, the page setup and the page-number footer; this module writes only the
body, as WordprocessingML built directly with lxml, and the document properties.
Every paragraph, run and table refers to a named style, so an office restyles the
report by editing styles, never paragraphs. Building the XML directly keeps the
cost linear: python-docx's `add_paragraph` and `table.cell` grow quadratically.
"""

from __future__ import annotations

import datetime
import os
import re
from typing import assert_never

from lxml import etree

from ..base.record import record
from ..document.model import (
    Block,
    Deleted,
    Document,
    Emph,
    Figure,
    Heading,
    Inline,
    Inserted,
    ListBlock,
    Meta,
    Note,
    Paragraph,
    Placeholder,
    SignOff,
    Strong,
    Table,
    Text,
    item_number,
    number_prefix,
    plain_text,
)
from . import DEFAULT_STYLE
from .docx_front import FrontMatter, ask_to_update_fields, toc_entries
from .docx_styles import HEADINGS, StyleName
from .docx_tables import (
    BALANCED_LINES,
    ROW_EDGES,
    SPLIT_LINES,
    Layout,
    TableSizes,
    cell_capacity,
    cell_style,
    kept_rows,
    kept_sections,
    kept_with_sign_off,
    row_lines,
    table_layout,
)
from .ooxml import (
    core_properties,
    qn,
    read_package,
    sub,
    to_bytes,
    with_custom_properties,
    write_package,
)
from .style_templates import template_bytes
from .table_layout import Slot, balanced, grid_slots, repeated_rows

BULLET = "•"
# A line break within a paragraph (w:br): in the text of a table cell read from a
# data file, or where a header is wrapped evenly.
LINE_BREAK = "\n"
# A tab (w:tab): between a form's issuer and its unit, to the right margin.
TAB = "\t"
BREAKS = re.compile("(\n|\t)")
# What Word assumes where a template says nothing: 10 pt text, 0.19 cm cell margins.
WORD_FONT_SIZE = 20
WORD_CELL_MARGIN = 108
# Characters XML 1.0 cannot carry; a report could contain them, Word must not.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The character styles for a run inside **…**, *…* or both.
MARKS = {
    frozenset({"strong"}): StyleName.STRONG,
    frozenset({"emph"}): StyleName.EMPHASIS,
    frozenset({"strong", "emph"}): StyleName.STRONG_EMPHASIS,
}


def render_docx(
    document: Document,
    style: str = DEFAULT_STYLE,
    author: str = "rpt",
    toc_pages: tuple[str, ...] = (),
) -> bytes:
    """The .docx file's bytes in the style set `style`: the same Document and
    style always give the same bytes. `author` signs the tracked changes of a
    redline (they carry no date, so that the bytes stay the same); `toc_pages`,
    the page of each 目录 entry where known (docx_front.py)."""
    parts = read_package(template_bytes(style))
    styles = _read_styles(parts["word/styles.xml"], style)
    page = etree.fromstring(parts["word/document.xml"])
    _Writer(page, styles, author).document(document, toc_pages)
    parts["word/document.xml"] = to_bytes(page)
    if document.meta.toc:
        parts["word/settings.xml"] = ask_to_update_fields(parts["word/settings.xml"])
    meta = document.meta
    parts["docProps/core.xml"] = core_properties(
        meta.title, meta.author or meta.organisation, meta.locale, document_time(meta)
    )
    # each data file read and its SHA-256, as the Markdown's closing comment has them:
    # a rebuild from a changed workbook shows in the file's properties
    data = ((f"rpt data: {path}", f"sha256:{digest}") for path, digest in meta.data)
    return write_package(with_custom_properties(parts, data))


def document_time(meta: Meta) -> datetime.datetime | None:
    """When the file says it was created and modified: the report's `date:`; else
    SOURCE_DATE_EPOCH, as reproducible builds set it; else 1 January of its
    `year:`; else no time at all. Never the time of the build."""
    if meta.date is not None:
        return datetime.datetime.combine(meta.date, datetime.time(), datetime.UTC)
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    if meta.year is not None:
        return datetime.datetime(meta.year, 1, 1, tzinfo=datetime.UTC)
    return None


# The last second of 9999: a document's times have four-digit years.
MAX_SOURCE_DATE_EPOCH = 253_402_300_799


def source_date_epoch() -> datetime.datetime | None:
    """SOURCE_DATE_EPOCH as the reproducible-builds specification defines it: ASCII
    digits, the seconds since 1970-01-01 UTC; None when unset or empty. Any other
    value raises ValueError, as the specification asks a build to fail on it
    (Python alone would also take `١٢٣` or refuse `²` with a traceback)."""
    text = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not text:
        return None
    significant = text.lstrip("0") or "0"  # int() refuses strings of thousands of digits
    if not (
        text.isascii()
        and text.isdigit()
        and len(significant) <= len(str(MAX_SOURCE_DATE_EPOCH))
        and int(significant) <= MAX_SOURCE_DATE_EPOCH
    ):
        raise ValueError(
            "SOURCE_DATE_EPOCH must be a number of seconds since 1970 written in ASCII "
            f"digits, at most {MAX_SOURCE_DATE_EPOCH} (the end of the year 9999)"
        )
    return datetime.datetime.fromtimestamp(int(significant), datetime.UTC)


@record
class _TemplateStyles:
    """What the renderer takes from the template's styles: the style ids by name,
    and the measures that decide how a table is laid out."""

    ids: dict[StyleName, str]
    sizes: TableSizes


def _read_styles(styles_xml: bytes, template: str) -> _TemplateStyles:
    """Ids are looked up by name, not assumed: a template saved by a Chinese Word
    keeps the names but renumbers the ids."""
    styles = etree.fromstring(styles_xml)
    by_name: dict[str, etree._Element] = {}
    by_id: dict[str, etree._Element] = {}
    for style in styles.iterfind("w:style", _NS):
        by_name[_val(style.find("w:name", _NS))] = style
        by_id[style.get(qn("w:styleId"), "")] = style
    missing = [name.value for name in StyleName if name.value not in by_name]
    if missing:
        raise ValueError(f"the style template {template} lacks the styles {', '.join(missing)}")
    size = _font_size(styles, by_name[StyleName.TABLE_NUMBER], by_id)
    small = _font_size(styles, by_name[StyleName.SMALL_TABLE_NUMBER], by_id)
    compact = _font_size(styles, by_name[StyleName.COMPACT_TABLE_NUMBER], by_id)
    margins = by_name[StyleName.TABLE].find("w:tblPr/w:tblCellMar", _NS)
    padding = 0
    for side in ("left", "right"):
        margin = None if margins is None else margins.find(f"w:{side}", _NS)
        padding += int(_val(margin, "w:w") or WORD_CELL_MARGIN)
    border = by_name[StyleName.TABLE].find("w:tblPr/w:tblBorders/w:insideH", _NS)
    sign_off = by_name[StyleName.FORM_SIGN_OFF]
    return _TemplateStyles(
        ids={name: by_name[name.value].get(qn("w:styleId"), "") for name in StyleName},
        sizes=TableSizes(
            digit=size * 5,  # half-points → twips of half an em
            small_digit=small * 5,
            compact_digit=compact * 5,
            line=_line(by_name[StyleName.TABLE_TEXT], by_id, size * 12),
            small_line=_line(by_name[StyleName.SMALL_TABLE_TEXT], by_id, small * 12),
            compact_line=_line(by_name[StyleName.COMPACT_TABLE_TEXT], by_id, compact * 12),
            padding=padding,
            edge=ROW_EDGES if border is None else _border(border),
            sign_off=_before(sign_off, by_id)
            + _line(sign_off, by_id, _font_size(styles, sign_off, by_id) * 12),
        ),
    )


def _font_size(
    styles: etree._Element, style: etree._Element | None, by_id: dict[str, etree._Element]
) -> int:
    """A style's font size in half-points, through its basedOn chain to the defaults."""
    while style is not None:
        size = _val(style.find("w:rPr/w:sz", _NS))
        if size:
            return int(size)
        style = by_id.get(_val(style.find("w:basedOn", _NS)))
    return int(_val(styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:sz", _NS)) or WORD_FONT_SIZE)


def _line(style: etree._Element | None, by_id: dict[str, etree._Element], default: int) -> int:
    """A style's line height in twips, through its basedOn chain (`default`, about
    1.2 lines of its font, where none is set)."""
    while style is not None:
        line = _val(style.find("w:pPr/w:spacing", _NS), "w:line")
        if line:
            return int(line)
        style = by_id.get(_val(style.find("w:basedOn", _NS)))
    return default


def _border(border: etree._Element) -> int:
    """A border's width in twips (w:sz is in eighths of a point); none drawn, 0."""
    if _val(border) in ("nil", "none"):
        return 0
    return int(_val(border, "w:sz") or 0) * 20 // 8


def _before(style: etree._Element | None, by_id: dict[str, etree._Element]) -> int:
    """A style's space before its paragraphs in twips, through its basedOn chain."""
    while style is not None:
        before = _val(style.find("w:pPr/w:spacing", _NS), "w:before")
        if before:
            return int(before)
        style = by_id.get(_val(style.find("w:basedOn", _NS)))
    return 0


def _val(element: etree._Element | None, attribute: str = "w:val") -> str:
    return "" if element is None else element.get(qn(attribute), "")


_NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


class _Writer:
    """Appends a Document's blocks to the body of the template's document.xml."""

    def __init__(self, page: etree._Element, styles: _TemplateStyles, author: str) -> None:
        body = page.find("w:body", _NS)
        assert body is not None
        section = body.find("w:sectPr", _NS)
        assert section is not None, "a style template ends its body with the page setup"
        body.clear()
        self.body = body
        self.section = section
        self.sizes = styles.sizes
        self.styles = styles.ids
        self.text_width = _text_width(section)
        self.text_height = _text_height(section)
        self.locale = "zh-CN"
        self.note_label = ""
        self.author = author  # of tracked changes, in a redline
        self.changes = 0

    def document(self, document: Document, toc_pages: tuple[str, ...]) -> None:
        meta = document.meta
        self.locale = meta.locale
        self.note_label = "Note for reviewers: " if self.locale == "en" else "审阅说明："
        front = FrontMatter(self.body, self.styles)
        if meta.cover:
            front.cover(meta)
        if meta.toc:
            front.toc(
                toc_entries(document), toc_pages, "Contents" if self.locale == "en" else "目录"
            )
        if meta.cover or meta.toc:
            front.section_break(self.section)
        if not meta.cover:
            self._title_block(meta)
        kept = kept_with_sign_off(document.blocks)
        for index, block in enumerate(document.blocks):
            self._block(block, first=index == 0, keep=index in kept)
        self.body.append(self.section)

    def _title_block(self, meta: Meta) -> None:
        for style, text in (
            (StyleName.TITLE, meta.title),
            (StyleName.SUBTITLE, meta.subtitle),
            (StyleName.ORGANISATION, meta.organisation),
        ):
            if text:
                self._paragraph(self.body, style, (Text(text),))

    def _block(self, block: Block, *, first: bool, keep: bool) -> None:
        match block:
            case Heading(level=level, number=number, inlines=inlines, attachment=True):
                label = self._paragraph(self.body, StyleName.ATTACHMENT_LABEL, (Text(number),))
                if first:
                    sub(label[0], "w:pageBreakBefore", {"w:val": "0"})
                title = self._paragraph(self.body, StyleName.ATTACHMENT_TITLE, inlines)
                # the title is the attachment's heading in the outline (and a 目录)
                sub(title[0], "w:outlineLvl", {"w:val": str(min(level, 9) - 1)})
            case Heading(level=level, number=number, inlines=inlines):
                style = HEADINGS[min(level, len(HEADINGS)) - 1]
                prefix = number_prefix(number, self.locale)
                paragraph = self._paragraph(self.body, style, inlines, prefix)
                if first and style is StyleName.HEADING_1:
                    # Parts start on a new page, but the first one follows the title
                    # block: a first page holding only the title would look like a
                    # cover left unfinished, and with no title block the break
                    # would open the file on a blank page in some readers.
                    properties = paragraph[0]
                    sub(properties, "w:pageBreakBefore", {"w:val": "0"})
            case Paragraph(inlines=inlines):
                self._paragraph(self.body, StyleName.BODY, inlines, keep_next=keep)
            case ListBlock(ordered=ordered, start=start, items=items, numbering=numbering):
                for offset, item in enumerate(items):
                    if ordered:
                        number = item_number(numbering, start + offset)
                        self._paragraph(
                            self.body,
                            StyleName.LIST_NUMBER,
                            item,
                            number_prefix(number, self.locale),
                        )
                    else:
                        self._paragraph(self.body, StyleName.LIST_BULLET, item, BULLET + " ")
            case Note(inlines=inlines):
                self._paragraph(self.body, StyleName.REVIEWER_NOTE, inlines, self.note_label)
            case Table():
                self._table(block, keep=keep)
            case SignOff(fields=fields):
                self._sign_off(fields, keep=keep)
            case _:
                assert_never(block)

    # -------------------------------------------------------------- paragraphs

    def _paragraph(
        self,
        parent: etree._Element,
        style: StyleName,
        inlines: tuple[Inline, ...],
        prefix: str = "",
        *,
        align: str | None = None,
        keep_next: bool = False,
        line: int | None = None,
    ) -> etree._Element:
        """A paragraph in `style`; `line`, an exact line height over the style's."""
        paragraph = sub(parent, "w:p")
        properties = sub(paragraph, "w:pPr")
        sub(properties, "w:pStyle", {"w:val": self.styles[style]})
        if keep_next:
            sub(properties, "w:keepNext")
        if line is not None:
            sub(properties, "w:spacing", {"w:line": str(line), "w:lineRule": "exact"})
        if align is not None:
            sub(properties, "w:jc", {"w:val": align})
        whole = tracked(inlines)
        if prefix:
            # the number of a heading added or taken out is tracked with it
            holder = self._change(paragraph, whole) if whole else paragraph
            self._run(holder, prefix, frozenset(), deleted=whole == "w:del")
        self._runs(paragraph, inlines, frozenset())
        if whole:
            # the paragraph mark too: accepting the change removes or keeps the paragraph
            self._change(sub(properties, "w:rPr"), whole)
        return paragraph

    def _runs(
        self,
        paragraph: etree._Element,
        inlines: tuple[Inline, ...],
        marks: frozenset[str],
        *,
        deleted: bool = False,
    ) -> None:
        for inline in inlines:
            match inline:
                case Text(text=text) | Figure(text=text):
                    self._run(paragraph, text, marks, deleted=deleted)
                case Strong(children=children):
                    self._runs(paragraph, children, marks | {"strong"}, deleted=deleted)
                case Emph(children=children):
                    self._runs(paragraph, children, marks | {"emph"}, deleted=deleted)
                case Inserted(children=children):
                    self._runs(self._change(paragraph, "w:ins"), children, marks)
                case Deleted(children=children):
                    self._runs(self._change(paragraph, "w:del"), children, marks, deleted=True)
                case Placeholder(text=text):
                    self._run(paragraph, text, marks, deleted=deleted, style=StyleName.PLACEHOLDER)
                case _:
                    assert_never(inline)

    def _change(self, parent: etree._Element, tag: str) -> etree._Element:
        """A tracked insertion or deletion (w:ins, w:del), by the options' author."""
        self.changes += 1
        return sub(parent, tag, {"w:id": str(self.changes), "w:author": self.author})

    def _run(
        self,
        paragraph: etree._Element,
        text: str,
        marks: frozenset[str],
        *,
        deleted: bool = False,
        style: StyleName | None = None,
    ) -> None:
        text = NOT_XML.sub("", text)
        if not text:
            return
        run = sub(paragraph, "w:r")
        character = style or (MARKS[marks] if marks else None)
        if character is not None:
            sub(sub(run, "w:rPr"), "w:rStyle", {"w:val": self.styles[character]})
        for part in BREAKS.split(text):
            if part in (LINE_BREAK, TAB):
                sub(run, "w:br" if part == LINE_BREAK else "w:tab")
            elif part:
                element = sub(run, "w:delText" if deleted else "w:t", text=part)
                if part != part.strip():
                    element.set(qn("xml:space"), "preserve")

    # ------------------------------------------------------------------ tables

    def _table(self, table: Table, *, keep: bool = False) -> None:
        """Caption and unit note above the table, then the table itself: fixed
        column widths filling the text width, header rows repeated on every page,
        spans as real merged cells; `keep`, its last row kept with what follows."""
        if table.number:
            self._paragraph(self.body, StyleName.FORM_NUMBER, (Text(table.number),))
        if table.caption:
            self._paragraph(self.body, StyleName.TABLE_CAPTION, table.caption)
        if table.issuer:
            line = table.issuer + ("\t" + table.unit_note if table.unit_note else "")
            self._paragraph(self.body, StyleName.FORM_ISSUER, (Text(line),))
        elif table.unit_note:
            self._paragraph(self.body, StyleName.TABLE_UNIT, (Text(table.unit_note),))
        if not table.rows:
            # Office wants a table to have a row and a column ([MS-OI29500] 2.1.1424);
            # a table with no rows keeps its caption and unit note, and no grid.
            return
        slots = grid_slots(table)
        page = (self.text_width, self.text_height)
        layout = table_layout(table, slots, self.sizes, *page, form=keep)
        element = sub(self.body, "w:tbl")
        properties = sub(element, "w:tblPr")
        sub(properties, "w:tblStyle", {"w:val": self.styles[StyleName.TABLE]})
        sub(properties, "w:tblW", {"w:w": str(sum(layout.grid)), "w:type": "dxa"})
        sub(properties, "w:tblLayout", {"w:type": "fixed"})
        columns = sub(element, "w:tblGrid")
        for width in layout.grid:
            sub(columns, "w:gridCol", {"w:w": str(width)})
        repeated = repeated_rows(table)
        kept = kept_rows(table, repeated)
        if keep:  # a form: its sections whole, its last row with the sign-off
            kept |= kept_sections(table, slots, layout, self.text_height)
            kept.add(len(table.rows) - 1)
        for index, row_slots in enumerate(slots):
            whole = tracked(tuple(i for s in row_slots for i in s.cell.inlines))
            self._row(
                element,
                row_slots,
                layout,
                repeat=index < repeated,
                keep=index in kept,
                whole=whole,
            )

    def _sign_off(self, fields: tuple[tuple[Inline, ...], ...], *, keep: bool) -> None:
        """A form's sign-off or head line: the first field at the margin, the last
        ending at the right margin, the others centred at even tab stops between;
        `keep`, kept with the form below it."""
        paragraph = sub(self.body, "w:p")
        properties = sub(paragraph, "w:pPr")
        sub(properties, "w:pStyle", {"w:val": self.styles[StyleName.FORM_SIGN_OFF]})
        if keep:
            sub(properties, "w:keepNext")
        gaps = len(fields) - 1
        # a line of one field has no stops: Word wants a w:tabs to hold one
        stops = sub(properties, "w:tabs") if gaps else properties
        for index in range(1, gaps + 1):
            kind = "right" if index == gaps else "center"
            position = self.text_width * index // gaps
            sub(stops, "w:tab", {"w:val": kind, "w:pos": str(position)})
        for index, field in enumerate(fields):
            if index:
                sub(sub(paragraph, "w:r"), "w:tab")
            self._runs(paragraph, field, frozenset())

    def _row(
        self,
        table: etree._Element,
        slots: list[Slot],
        layout: Layout,
        *,
        repeat: bool,
        keep: bool,
        whole: str | None,
    ) -> None:
        element = sub(table, "w:tr")
        properties = sub(element, "w:trPr")
        if repeat or row_lines(slots, layout) <= SPLIT_LINES:
            sub(properties, "w:cantSplit")
        if repeat:
            sub(properties, "w:tblHeader")
        if whole:  # a row added or taken out: tracked as a row
            self._change(properties, whole)
        grid = layout.grid
        for slot in slots:
            cell = slot.cell
            width = sum(grid[slot.column : slot.column + cell.colspan])
            element_cell = sub(element, "w:tc")
            cell_properties = sub(element_cell, "w:tcPr")
            sub(cell_properties, "w:tcW", {"w:w": str(width), "w:type": "dxa"})
            if cell.colspan > 1:
                sub(cell_properties, "w:gridSpan", {"w:val": str(cell.colspan)})
            style, align = cell_style(cell, slot.header, layout.styles)
            line = layout.line if layout.own_line else None
            if slot.continued:
                sub(cell_properties, "w:vMerge")
                # Every cell needs a paragraph; in the spanning cell's style rather
                # than Normal's (a 29 pt line) it does not stretch the row.
                self._paragraph(element_cell, style, (), keep_next=keep, line=line)
                continue
            if cell.rowspan > 1:
                sub(cell_properties, "w:vMerge", {"w:val": "restart"})
            inlines = cell.inlines
            if (slot.header or cell.align != "right") and all(
                isinstance(i, Text | Figure) for i in inlines
            ):
                capacity = cell_capacity(width, layout)
                lines = balanced(plain_text(inlines), capacity, tight=layout.tight)
                if 1 < len(lines) <= BALANCED_LINES:
                    inlines = (Text(LINE_BREAK.join(lines)),)
            self._paragraph(element_cell, style, inlines, align=align, keep_next=keep, line=line)


def tracked(inlines: tuple[Inline, ...]) -> str | None:
    """`w:ins` or `w:del` when a run of text is wholly inserted or wholly deleted
    (a paragraph or row added or taken out in a redline), else None."""
    if inlines and all(isinstance(i, Inserted) for i in inlines):
        return "w:ins"
    if inlines and all(isinstance(i, Deleted) for i in inlines):
        return "w:del"
    return None


def _text_height(section: etree._Element) -> int:
    """The height between the top and bottom margins, in twips."""
    size = section.find("w:pgSz", _NS)
    margins = section.find("w:pgMar", _NS)
    assert size is not None and margins is not None
    return (
        int(size.get(qn("w:h"), "0"))
        - int(margins.get(qn("w:top"), "0"))
        - int(margins.get(qn("w:bottom"), "0"))
    )


def _text_width(section: etree._Element) -> int:
    """The width between the margins, in twips, from the template's page setup."""
    size = section.find("w:pgSz", _NS)
    margins = section.find("w:pgMar", _NS)
    assert size is not None and margins is not None
    return (
        int(size.get(qn("w:w"), "0"))
        - int(margins.get(qn("w:left"), "0"))
        - int(margins.get(qn("w:right"), "0"))
    )
