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

import re
from collections.abc import Sequence

from ..base.patterns import regex
from ..base.record import record
from ..document.model import Document, Heading, Meta, number_prefix, plain_text
from .docx_styles import StyleName
from .ooxml import checked, inserted, xml_text

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
TOC_LEVELS = 2
TOC_STYLES = (StyleName.TOC_1, StyleName.TOC_2)
# A section's footer, which the front matter's section goes without: an empty
# element (attributes only, a `>` in their values written `&gt;`).
FOOTER_REFERENCE = regex("<w:footerReference [^>]*/>")
# w:compat, before which w:updateFields goes (not w:compatSetting, inside it)
COMPAT = re.compile(rb"<w:compat[ />]")


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
    """Writes the cover, the 目录 and the section break after them, as XML text
    (the prefixes and escapes lxml would write, see ooxml.py)."""

    def __init__(self, styles: dict[StyleName, str]) -> None:
        self.styles = styles  # the style ids, escaped for an attribute
        self.out: list[str] = []

    def _paragraph(
        self, style: StyleName, text: str = "", *, properties: str = "", after: str = ""
    ) -> None:
        """A paragraph in `style` holding `text` in a run; `properties` after its
        style's, `after` runs after the text's."""
        style_id = f'<w:pStyle w:val="{self.styles[style]}"/>'
        run = f"<w:r><w:t>{xml_text(checked(text))}</w:t></w:r>" if text else ""
        self.out.append(f"<w:p><w:pPr>{style_id}{properties}</w:pPr>{run}{after}</w:p>")

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
        page_break = "<w:pageBreakBefore/>" if len(self.out) > 1 else ""
        self._paragraph(StyleName.TOC_HEADING, title, properties=page_break)
        for index, entry in enumerate(entries):
            runs: list[str] = []
            if index == 0:
                instruction = f' TOC \\o "1-{TOC_LEVELS}" \\h \\u '
                field = f'<w:instrText xml:space="preserve">{xml_text(instruction)}</w:instrText>'
                runs += (_field_char("begin"), f"<w:r>{field}</w:r>", _field_char("separate"))
            runs.append(f"<w:r><w:t>{xml_text(checked(entry.text))}</w:t></w:r><w:r><w:tab/></w:r>")
            page = pages[index] if index < len(pages) else ""
            if page:
                runs.append(f"<w:r><w:t>{xml_text(checked(page))}</w:t></w:r>")
            if index == len(entries) - 1:
                runs.append(_field_char("end"))
            self._paragraph(TOC_STYLES[min(entry.level, TOC_LEVELS) - 1], after="".join(runs))

    def section_break(self, section: str) -> str:
        """End the front matter's section with the page setup of the report's
        `section` (its w:sectPr), without its footers (no page numbers); the
        report's section, numbering its pages from 1."""
        start = section.index(">") + 1
        setup = FOOTER_REFERENCE.sub("", section[start : -len("</w:sectPr>")])
        front = f"<w:sectPr>{setup}</w:sectPr>" if setup else "<w:sectPr/>"
        self.out.append(f"<w:p><w:pPr>{front}</w:pPr></w:p>")
        return section.removesuffix("</w:sectPr>") + '<w:pgNumType w:start="1"/></w:sectPr>'


def _field_char(kind: str) -> str:
    return f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>'


def ask_to_update_fields(settings: bytes) -> bytes:
    """settings.xml asking Word to update the fields on opening (w:updateFields),
    placed before w:compat as the schema orders it."""
    update = '<w:updateFields w:val="true"/>'
    compat = COMPAT.search(settings)
    if compat is None:
        return inserted(settings, b"</w:settings>", update)
    return settings[: compat.start()] + update.encode("utf-8") + settings[compat.start() :]
