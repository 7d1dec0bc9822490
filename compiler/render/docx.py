"""Render the Document as DOCX, in the style template the options name.

The template (templates/docx/NAME.docx, see compiler/docx_styles.py) brings the
styles, the page setup and the page-number footer; this module writes only the
body, as WordprocessingML written directly as text (the bytes lxml would write
for its elements, see ooxml.py), and the document properties. Every paragraph,
run and table refers to a named style, so an office restyles the report by
editing styles, never paragraphs. Writing the XML directly keeps the cost
linear: python-docx's `add_paragraph` and `table.cell` grow quadratically.
"""

from __future__ import annotations

import datetime
import os
from typing import assert_never
from xml.etree import ElementTree
from xml.etree.ElementTree import Element

from ..base.patterns import regex
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
from .line_breaks import balanced
from .ooxml import (
    NOT_XML,
    checked,
    core_properties,
    qn,
    read_package,
    with_custom_properties,
    write_package,
    xml_attribute,
    xml_text,
)
from .style_templates import template_bytes
from .table_layout import Slot, grid_slots, repeated_rows

BULLET = "•"
# A line break within a paragraph (w:br): in the text of a table cell read from a
# data file, or where a header is wrapped evenly.
LINE_BREAK = "\n"
# A tab (w:tab): between a form's issuer and its unit, to the right margin.
TAB = "\t"
BREAKS = regex("(\n|\t)")
# What Word assumes where a template says nothing: 10 pt text, 0.19 cm cell margins.
WORD_FONT_SIZE = 20
WORD_CELL_MARGIN = 108
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
    page = parts["word/document.xml"]
    parts["word/document.xml"] = _Writer(page, styles, author).document(document, toc_pages)
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
    styles = ElementTree.fromstring(styles_xml)
    by_name: dict[str, Element] = {}
    by_id: dict[str, Element] = {}
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


def _font_size(styles: Element, style: Element | None, by_id: dict[str, Element]) -> int:
    """A style's font size in half-points, through its basedOn chain to the defaults."""
    while style is not None:
        size = _val(style.find("w:rPr/w:sz", _NS))
        if size:
            return int(size)
        style = by_id.get(_val(style.find("w:basedOn", _NS)))
    return int(_val(styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:sz", _NS)) or WORD_FONT_SIZE)


def _line(style: Element | None, by_id: dict[str, Element], default: int) -> int:
    """A style's line height in twips, through its basedOn chain (`default`, about
    1.2 lines of its font, where none is set)."""
    while style is not None:
        line = _val(style.find("w:pPr/w:spacing", _NS), "w:line")
        if line:
            return int(line)
        style = by_id.get(_val(style.find("w:basedOn", _NS)))
    return default


def _border(border: Element) -> int:
    """A border's width in twips (w:sz is in eighths of a point); none drawn, 0."""
    if _val(border) in ("nil", "none"):
        return 0
    return int(_val(border, "w:sz") or 0) * 20 // 8


def _before(style: Element | None, by_id: dict[str, Element]) -> int:
    """A style's space before its paragraphs in twips, through its basedOn chain."""
    while style is not None:
        before = _val(style.find("w:pPr/w:spacing", _NS), "w:before")
        if before:
            return int(before)
        style = by_id.get(_val(style.find("w:basedOn", _NS)))
    return 0


def _val(element: Element | None, attribute: str = "w:val") -> str:
    return "" if element is None else element.get(qn(attribute), "")


_NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


class _Writer:
    """Writes a Document into the body of the template's document.xml, as XML
    text (several times faster than an element per paragraph, run and cell):
    with the prefixes, order and escapes lxml would give the elements, so that
    the bytes are those lxml wrote (see ooxml.py)."""

    def __init__(self, page: bytes, styles: _TemplateStyles, author: str) -> None:
        head, start, rest = page.partition(b"<w:body>")
        body, end, tail = rest.rpartition(b"</w:body>")
        setup = body[body.rfind(b"<w:sectPr") :].decode("utf-8")
        assert start and end and setup.endswith("</w:sectPr>"), (
            "a style template ends its body with the page setup"
        )
        assert f'xmlns:w="{_NS["w"]}"'.encode() in head, "the text is written with the prefix w:"
        self.head, self.tail = head + start, end + tail
        self.section = setup
        section = ElementTree.fromstring(page).find("w:body/w:sectPr", _NS)
        assert section is not None
        self.sizes = styles.sizes
        self.styles = {name: xml_attribute(id) for name, id in styles.ids.items()}
        self.text_width, self.text_height = _text_area(section)
        self.locale = "zh-CN"
        self.note_label = ""
        self.author = author  # of tracked changes, in a redline
        self.changes = 0

    def document(self, document: Document, toc_pages: tuple[str, ...]) -> bytes:
        """The bytes of document.xml holding the document: the template's, its
        body the document's blocks and the template's page setup."""
        meta = document.meta
        self.locale = meta.locale
        self.note_label = "Note for reviewers: " if self.locale == "en" else "审阅说明："
        front = FrontMatter(self.styles)
        if meta.cover:
            front.cover(meta)
        if meta.toc:
            front.toc(
                toc_entries(document), toc_pages, "Contents" if self.locale == "en" else "目录"
            )
        section = self.section
        if meta.cover or meta.toc:
            section = front.section_break(section)
        out = front.out if meta.cover else [*front.out, *self._title_block(meta)]
        kept = kept_with_sign_off(document.blocks)
        for index, block in enumerate(document.blocks):
            out.append(self._block(block, first=index == 0, keep=index in kept))
        out.append(section)
        return self.head + "".join(out).encode("utf-8") + self.tail

    def _title_block(self, meta: Meta) -> list[str]:
        return [
            self._paragraph(style, (Text(text),))
            for style, text in (
                (StyleName.TITLE, meta.title),
                (StyleName.SUBTITLE, meta.subtitle),
                (StyleName.ORGANISATION, meta.organisation),
            )
            if text
        ]

    def _block(self, block: Block, *, first: bool, keep: bool) -> str:
        match block:
            case Heading(level=level, number=number, inlines=inlines, attachment=True):
                # opening the file, it keeps no page break before it (see below)
                opened = '<w:pageBreakBefore w:val="0"/>' if first else ""
                label = self._paragraph(StyleName.ATTACHMENT_LABEL, (Text(number),), after=opened)
                # the title is the attachment's heading in the outline (and a 目录)
                outline = f'<w:outlineLvl w:val="{min(level, 9) - 1}"/>'
                return label + self._paragraph(StyleName.ATTACHMENT_TITLE, inlines, after=outline)
            case Heading(level=level, number=number, inlines=inlines):
                style = HEADINGS[min(level, len(HEADINGS)) - 1]
                prefix = number_prefix(number, self.locale)
                # Parts start on a new page, but the first one follows the title
                # block: a first page holding only the title would look like a
                # cover left unfinished, and with no title block the break
                # would open the file on a blank page in some readers.
                first_part = first and style is StyleName.HEADING_1
                after = '<w:pageBreakBefore w:val="0"/>' if first_part else ""
                return self._paragraph(style, inlines, prefix, after=after)
            case Paragraph(inlines=inlines):
                return self._paragraph(StyleName.BODY, inlines, keep_next=keep)
            case ListBlock(ordered=ordered, start=start, items=items, numbering=numbering):
                if not ordered:
                    bullet = BULLET + " "
                    return "".join(self._paragraph(StyleName.LIST_BULLET, i, bullet) for i in items)
                return "".join(
                    self._paragraph(
                        StyleName.LIST_NUMBER,
                        item,
                        number_prefix(item_number(numbering, start + offset), self.locale),
                    )
                    for offset, item in enumerate(items)
                )
            case Note(inlines=inlines):
                return self._paragraph(StyleName.REVIEWER_NOTE, inlines, self.note_label)
            case Table():
                return self._table(block, keep=keep)
            case SignOff(fields=fields):
                return self._sign_off(fields, keep=keep)
            case _:
                assert_never(block)

    # -------------------------------------------------------------- paragraphs

    def _paragraph(
        self,
        style: StyleName,
        inlines: tuple[Inline, ...],
        prefix: str = "",
        *,
        align: str | None = None,
        keep_next: bool = False,
        line: int | None = None,
        after: str = "",
    ) -> str:
        """A paragraph in `style`; `line`, an exact line height over the style's;
        `after`, properties written after the others."""
        properties = [f'<w:p><w:pPr><w:pStyle w:val="{self.styles[style]}"/>']
        if keep_next:
            properties.append("<w:keepNext/>")
        if line is not None:
            properties.append(f'<w:spacing w:line="{line}" w:lineRule="exact"/>')
        if align is not None:
            properties.append(f'<w:jc w:val="{align}"/>')
        whole = tracked(inlines)
        runs: list[str] = []
        if prefix and whole:
            # the number of a heading added or taken out is tracked with it
            opening = self._change(whole)
            run = self._run(prefix, frozenset(), deleted=whole == "w:del")
            runs.append(_closed(opening, whole, run))
        elif prefix:
            runs.append(self._run(prefix, frozenset()))
        self._runs(runs, inlines, frozenset())
        if whole:
            # the paragraph mark too: accepting the change removes or keeps the paragraph
            properties.append(f"<w:rPr>{self._change(whole)}/></w:rPr>")
        return f"{''.join(properties)}{after}</w:pPr>{''.join(runs)}</w:p>"

    def _runs(
        self,
        out: list[str],
        inlines: tuple[Inline, ...],
        marks: frozenset[str],
        *,
        deleted: bool = False,
    ) -> None:
        """Append the runs of `inlines` to `out`."""
        for inline in inlines:
            match inline:
                case Text(text=text) | Figure(text=text):
                    out.append(self._run(text, marks, deleted=deleted))
                case Strong(children=children):
                    self._runs(out, children, marks | {"strong"}, deleted=deleted)
                case Emph(children=children):
                    self._runs(out, children, marks | {"emph"}, deleted=deleted)
                case Inserted(children=children) | Deleted(children=children):
                    tag = "w:ins" if isinstance(inline, Inserted) else "w:del"
                    opening, changed = self._change(tag), list[str]()
                    self._runs(changed, children, marks, deleted=tag == "w:del")
                    out.append(_closed(opening, tag, "".join(changed)))
                case Placeholder(text=text):
                    out.append(self._run(text, marks, deleted=deleted, style=StyleName.PLACEHOLDER))
                case _:
                    assert_never(inline)

    def _change(self, tag: str) -> str:
        """The start of a tracked insertion or deletion (w:ins, w:del) by the
        options' author, numbered before what it holds (see `_closed`)."""
        self.changes += 1
        return f'<{tag} w:id="{self.changes}" w:author="{xml_attribute(checked(self.author))}"'

    def _run(
        self,
        text: str,
        marks: frozenset[str],
        *,
        deleted: bool = False,
        style: StyleName | None = None,
    ) -> str:
        text = NOT_XML.sub("", text)
        if not text:
            return ""
        run = ["<w:r>"]
        character = style or (MARKS[marks] if marks else None)
        if character is not None:
            run.append(f'<w:rPr><w:rStyle w:val="{self.styles[character]}"/></w:rPr>')
        tag = "w:delText" if deleted else "w:t"
        for part in BREAKS.split(text):
            if part == LINE_BREAK:
                run.append("<w:br/>")
            elif part == TAB:
                run.append("<w:tab/>")
            elif part:
                space = ' xml:space="preserve"' if part != part.strip() else ""
                run.append(f"<{tag}{space}>{xml_text(part)}</{tag}>")
        run.append("</w:r>")
        return "".join(run)

    # ------------------------------------------------------------------ tables

    def _table(self, table: Table, *, keep: bool = False) -> str:
        """Caption and unit note above the table, then the table itself: fixed
        column widths filling the text width, header rows repeated on every page,
        spans as real merged cells; `keep`, its last row kept with what follows."""
        out = []
        if table.number:
            out.append(self._paragraph(StyleName.FORM_NUMBER, (Text(table.number),)))
        if table.caption:
            out.append(self._paragraph(StyleName.TABLE_CAPTION, table.caption))
        if table.issuer:
            line = table.issuer + ("\t" + table.unit_note if table.unit_note else "")
            out.append(self._paragraph(StyleName.FORM_ISSUER, (Text(line),)))
        elif table.unit_note:
            out.append(self._paragraph(StyleName.TABLE_UNIT, (Text(table.unit_note),)))
        if not table.rows:
            # Office wants a table to have a row and a column ([MS-OI29500] 2.1.1424);
            # a table with no rows keeps its caption and unit note, and no grid.
            return "".join(out)
        slots = grid_slots(table)
        page = (self.text_width, self.text_height)
        layout = table_layout(table, slots, self.sizes, *page, form=keep)
        out.append(
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.styles[StyleName.TABLE]}"/>'
            f'<w:tblW w:w="{sum(layout.grid)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            "</w:tblPr>"
        )
        columns = "".join(f'<w:gridCol w:w="{width}"/>' for width in layout.grid)
        out.append(_closed("<w:tblGrid", "w:tblGrid", columns))
        repeated = repeated_rows(table)
        kept = kept_rows(table, repeated)
        if keep:  # a form: its sections whole, its last row with the sign-off
            kept |= kept_sections(table, slots, layout, self.text_height)
            kept.add(len(table.rows) - 1)
        for index, row_slots in enumerate(slots):
            out.append(self._row(row_slots, layout, repeat=index < repeated, keep=index in kept))
        out.append("</w:tbl>")
        return "".join(out)

    def _sign_off(self, fields: tuple[tuple[Inline, ...], ...], *, keep: bool) -> str:
        """A form's sign-off or head line: the first field at the margin, the last
        ending at the right margin, the others centred at even tab stops between;
        `keep`, kept with the form below it."""
        out = [f'<w:p><w:pPr><w:pStyle w:val="{self.styles[StyleName.FORM_SIGN_OFF]}"/>']
        if keep:
            out.append("<w:keepNext/>")
        gaps = len(fields) - 1
        stops = [
            f'<w:tab w:val="{"right" if index == gaps else "center"}"'
            f' w:pos="{self.text_width * index // gaps}"/>'
            for index in range(1, gaps + 1)
        ]
        if gaps:  # a line of one field has no stops: Word wants a w:tabs to hold one
            out.append(_closed("<w:tabs", "w:tabs", "".join(stops)))
        out.append("</w:pPr>")
        for index, field in enumerate(fields):
            if index:
                out.append("<w:r><w:tab/></w:r>")
            self._runs(out, field, frozenset())
        out.append("</w:p>")
        return "".join(out)

    def _row(self, slots: list[Slot], layout: Layout, *, repeat: bool, keep: bool) -> str:
        properties = []
        if repeat or row_lines(slots, layout) <= SPLIT_LINES:
            properties.append("<w:cantSplit/>")
        if repeat:
            properties.append("<w:tblHeader/>")
        whole = tracked(tuple(i for s in slots for i in s.cell.inlines))
        if whole:  # a row added or taken out: tracked as a row
            properties.append(self._change(whole) + "/>")
        out = ["<w:tr>", _closed("<w:trPr", "w:trPr", "".join(properties))]
        grid = layout.grid
        line = layout.line if layout.own_line else None
        for slot in slots:
            cell = slot.cell
            width = sum(grid[slot.column : slot.column + cell.colspan])
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>')
            if cell.colspan > 1:
                out.append(f'<w:gridSpan w:val="{cell.colspan}"/>')
            style, align = cell_style(cell, slot.header, layout.styles)
            if slot.continued:
                # Every cell needs a paragraph; in the spanning cell's style rather
                # than Normal's (a 29 pt line) it does not stretch the row.
                paragraph = self._paragraph(style, (), keep_next=keep, line=line)
                out += ("<w:vMerge/></w:tcPr>", paragraph, "</w:tc>")
                continue
            if cell.rowspan > 1:
                out.append('<w:vMerge w:val="restart"/>')
            out.append("</w:tcPr>")
            inlines = cell.inlines
            if (slot.header or cell.align != "right") and all(
                isinstance(i, Text | Figure) for i in inlines
            ):
                capacity = cell_capacity(width, layout)
                lines = balanced(plain_text(inlines), capacity, tight=layout.tight)
                if 1 < len(lines) <= BALANCED_LINES:
                    inlines = (Text(LINE_BREAK.join(lines)),)
            paragraph = self._paragraph(style, inlines, align=align, keep_next=keep, line=line)
            out += (paragraph, "</w:tc>")
        out.append("</w:tr>")
        return "".join(out)


def _closed(opening: str, tag: str, content: str) -> str:
    """An element from its opening (`<w:ins w:id="1"`, its attributes written)
    and its content: empty, it closes itself, as lxml writes it."""
    return f"{opening}>{content}</{tag}>" if content else f"{opening}/>"


def tracked(inlines: tuple[Inline, ...]) -> str | None:
    """`w:ins` or `w:del` when a run of text is wholly inserted or wholly deleted
    (a paragraph or row added or taken out in a redline), else None. The first
    inline decides which to look for (most runs have no change at all)."""
    kind = type(inlines[0]) if inlines else None
    if kind is not Inserted and kind is not Deleted:
        return None
    if not all(isinstance(i, kind) for i in inlines):
        return None
    return "w:ins" if kind is Inserted else "w:del"


def _text_area(section: Element) -> tuple[int, int]:
    """The width between the margins and the height between the top and bottom
    ones, in twips, from the template's page setup."""
    size = section.find("w:pgSz", _NS)
    margins = section.find("w:pgMar", _NS)
    assert size is not None and margins is not None

    width, height, left, right, top, bottom = (
        int(element.get(qn(name), "0"))
        for element, name in (
            (size, "w:w"),
            (size, "w:h"),
            (margins, "w:left"),
            (margins, "w:right"),
            (margins, "w:top"),
            (margins, "w:bottom"),
        )
    )
    return width - left - right, height - top - bottom
