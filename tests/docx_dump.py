"""A structural dump of a .docx, reopened with python-docx: what a golden file
compares. One line per paragraph (style, East Asian font, text with character
styles marked, ↵ for a line break), one line per table row (each cell's merges, style and text)."""

from __future__ import annotations

import io
from typing import Any

import docx
import docx.table
import docx.text.paragraph

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def dump(data: bytes) -> str:
    document: Any = docx.Document(io.BytesIO(data))
    defaults = _default_east_asian(document)
    lines = []
    for item in document.iter_inner_content():
        if isinstance(item, docx.table.Table):
            lines.extend(_table(item, defaults))
        else:
            lines.append(_paragraph(item, defaults))
    return "\n".join(lines) + "\n"


def east_asian_font(style: Any, default: str) -> str:
    """The w:eastAsia font a style gives, through its base styles to the defaults."""
    while style is not None:
        fonts = style.element.find(f"{W}rPr/{W}rFonts")
        if fonts is not None and fonts.get(f"{W}eastAsia"):
            return str(fonts.get(f"{W}eastAsia"))
        style = style.base_style
    return default


def _default_east_asian(document: Any) -> str:
    fonts = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    return "" if fonts is None else str(fonts.get(f"{W}eastAsia", ""))


def _paragraph(paragraph: Any, defaults: str) -> str:
    style = paragraph.style
    line = f"{style.name} [{east_asian_font(style, defaults)}] {_text(paragraph)}"
    direct = []
    properties = paragraph._p.pPr
    if properties is not None and properties.find(f"{W}jc") is not None:
        direct.append("align=" + properties.find(f"{W}jc").get(f"{W}val"))
    if paragraph.paragraph_format.page_break_before is False:
        direct.append("no page break")
    return line + (f"  ({', '.join(direct)})" if direct else "")


def _text(paragraph: Any) -> str:
    parts = []
    for run in paragraph.runs:
        name = run.style.name
        text = run.text.replace("\n", "↵")  # a line break (w:br)
        parts.append(text if name == "Default Paragraph Font" else f"«{name}:{text}»")
    return "".join(parts)


def _table(table: Any, defaults: str) -> list[str]:
    widths = [int(column.get(f"{W}w")) for column in table._tbl.tblGrid.iterchildren()]
    lines = [f"TABLE {table.style.name} grid={widths}"]
    for row in table.rows:
        repeat = row._tr.find(f"{W}trPr/{W}tblHeader") is not None
        cells = [_cell(tc, table, defaults) for tc in row._tr.iterchildren(f"{W}tc")]
        lines.append(("  header-row " if repeat else "  row ") + " | ".join(cells))
    return lines


def _cell(tc: Any, table: Any, defaults: str) -> str:
    properties = tc.find(f"{W}tcPr")
    marks = []
    span = properties.find(f"{W}gridSpan")
    if span is not None:
        marks.append(f"span={span.get(W + 'val')}")
    merge = properties.find(f"{W}vMerge")
    if merge is not None:
        marks.append(f"vmerge={merge.get(W + 'val') or 'continue'}")
    paragraph = docx.text.paragraph.Paragraph(tc.find(f"{W}p"), table)
    return " ".join([*marks, _paragraph(paragraph, defaults).strip()])
