"""The front matter of the Word file: a cover page (`cover: yes`) and a table of
contents (`toc: yes`), in a section of their own without page numbers, so that
the report's first page is page 1.

The 目录 is a TOC field that Word and WPS update (the file asks them to on
opening), with its entries already written: the headings of the first two
levels, attachments by label and title. Their page numbers are known only once
the pages are laid out: `rpt build --to pdf` lays them out twice and writes the
numbers LibreOffice found the first time (pdf.py); a Word file alone leaves
them to the field's update, since Word's pages are not LibreOffice's."""

from __future__ import annotations

import copy
from collections.abc import Sequence

from lxml import etree

from ..base.record import record
from ..document.model import Document, Heading, Meta, number_prefix, plain_text
from .docx_styles import StyleName
from .ooxml import qn, sub, to_bytes

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
TOC_LEVELS = 2
TOC_STYLES = (StyleName.TOC_1, StyleName.TOC_2)


@record
class TocEntry:
    """A 目录 entry: its level, its text, and how its heading's first printed line
    begins (an attachment's label stands on a line of its own)."""

    level: int
    text: str
    start: str


def toc_entries(document: Document) -> list[TocEntry]:
    """The 目录's entries: each heading of the first TOC_LEVELS levels, as printed."""
    locale = document.meta.locale
    entries = []
    for block in document.blocks:
        if isinstance(block, Heading) and block.level <= TOC_LEVELS:
            title = plain_text(block.inlines)
            if block.attachment:
                text = f"{block.number} {title}".strip()
                start = block.number or title
            else:
                text = start = number_prefix(block.number, locale) + title
            entries.append(TocEntry(block.level, text, start))
    return entries


class FrontMatter:
    """Writes the cover, the 目录 and the section break after them into a body."""

    def __init__(self, body: etree._Element, styles: dict[StyleName, str]) -> None:
        self.body = body
        self.styles = styles

    def _paragraph(self, style: StyleName, text: str = "") -> etree._Element:
        paragraph = sub(self.body, "w:p")
        sub(sub(paragraph, "w:pPr"), "w:pStyle", {"w:val": self.styles[style]})
        if text:
            sub(sub(paragraph, "w:r"), "w:t", text=text)
        return paragraph

    def cover(self, meta: Meta) -> None:
        """Title, subtitle, then the organisation and the date low on the page."""
        self._paragraph(StyleName.COVER_TITLE, meta.title)
        if meta.subtitle:
            self._paragraph(StyleName.SUBTITLE, meta.subtitle)
        self._paragraph(StyleName.COVER_ORGANISATION, meta.organisation or meta.author)
        if meta.date is not None:
            day = meta.date
            if meta.locale == "en":
                text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
            else:
                text = f"{day.year}年{day.month}月{day.day}日"
            self._paragraph(StyleName.COVER_DATE, text)

    def toc(self, entries: Sequence[TocEntry], pages: Sequence[str], title: str) -> None:
        """The heading and the TOC field, its result the entries with their pages
        (empty where not known); a page break before unless it opens the file."""
        heading = self._paragraph(StyleName.TOC_HEADING, title)
        if len(self.body) > 1:
            sub(heading[0], "w:pageBreakBefore")
        if not entries:
            return
        for index, entry in enumerate(entries):
            paragraph = self._paragraph(TOC_STYLES[min(entry.level, TOC_LEVELS) - 1])
            if index == 0:
                _field_char(paragraph, "begin")
                run = sub(paragraph, "w:r")
                instruction = f' TOC \\o "1-{TOC_LEVELS}" \\h \\u '
                sub(run, "w:instrText", {"xml:space": "preserve"}, instruction)
                _field_char(paragraph, "separate")
            sub(sub(paragraph, "w:r"), "w:t", text=entry.text)
            sub(sub(paragraph, "w:r"), "w:tab")
            page = pages[index] if index < len(pages) else ""
            if page:
                sub(sub(paragraph, "w:r"), "w:t", text=page)
            if index == len(entries) - 1:
                _field_char(paragraph, "end")

    def section_break(self, section: etree._Element) -> None:
        """End the front matter's section: the page setup of the report's, without
        its footers (no page numbers), and number the report's pages from 1."""
        paragraph = sub(self.body, "w:p")
        front = sub(sub(paragraph, "w:pPr"), "w:sectPr")
        for child in section:
            if child.tag != qn("w:footerReference"):
                front.append(copy.deepcopy(child))
        sub(section, "w:pgNumType", {"w:start": "1"})


def _field_char(paragraph: etree._Element, kind: str) -> None:
    sub(sub(paragraph, "w:r"), "w:fldChar", {"w:fldCharType": kind})


def ask_to_update_fields(settings: bytes) -> bytes:
    """settings.xml asking Word to update the fields on opening (w:updateFields),
    placed before w:compat as the schema orders it."""
    root = etree.fromstring(settings)
    update = etree.Element(qn("w:updateFields"), {qn("w:val"): "true"})
    compat = root.find(qn("w:compat"))
    if compat is not None:
        compat.addprevious(update)
    else:
        root.append(update)
    return to_bytes(root)
