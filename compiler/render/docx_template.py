"""Write a style set (compiler/docx_styles.py) as a DOCX style template.

The template is a complete, minimal Word document written part by part: styles,
page setup, the page-number footer, the font table with fallbacks. It has no theme,
so no theme font can override the fonts a style names. Its body shows one
specimen paragraph per style, for whoever opens the template in Word; the
renderer replaces the body and keeps the rest.
"""

from __future__ import annotations

import math

from lxml import etree

from .docx_styles import Font, Kind, Style, StyleName, StyleSet
from .ooxml import core_properties, write_package
from .ooxml_tree import root, sub, to_bytes

MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml"
RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# The parts of the word/ folder, with their content type and relationship type.
WORD_PARTS = (
    ("styles.xml", f"{MAIN}.styles+xml", f"{RELATIONSHIP}/styles"),
    ("settings.xml", f"{MAIN}.settings+xml", f"{RELATIONSHIP}/settings"),
    ("fontTable.xml", f"{MAIN}.fontTable+xml", f"{RELATIONSHIP}/fontTable"),
    ("footer1.xml", f"{MAIN}.footer+xml", f"{RELATIONSHIP}/footer"),
    ("footer2.xml", f"{MAIN}.footer+xml", f"{RELATIONSHIP}/footer"),
)
FOOTER_ID = "rId4"  # every page's footer, or the odd pages' when the sides differ
EVEN_FOOTER_ID = "rId5"


def build_template(style_set: StyleSet) -> bytes:
    """The template's bytes; the same style set always gives the same bytes."""
    return write_package(
        {
            "[Content_Types].xml": _content_types(),
            "_rels/.rels": _package_relationships(),
            "docProps/core.xml": core_properties(
                style_set.description, "rpt", style_set.language, None
            ),
            "docProps/app.xml": _app_properties(),
            "word/document.xml": _document(style_set),
            "word/_rels/document.xml.rels": _document_relationships(),
            "word/styles.xml": _styles(style_set),
            "word/settings.xml": _settings(style_set),
            "word/fontTable.xml": _font_table(style_set),
            "word/footer1.xml": _footer(
                style_set, "right" if style_set.page_number_sides else None
            ),
            "word/footer2.xml": _footer(style_set, "left" if style_set.page_number_sides else None),
        }
    )


# ------------------------------------------------------------ package parts


def _content_types() -> bytes:
    types = root("ct:Types")
    sub(types, "ct:Default", {"Extension": "rels", "ContentType": _package_type("relationships")})
    sub(types, "ct:Default", {"Extension": "xml", "ContentType": "application/xml"})
    overrides = [
        ("/word/document.xml", f"{MAIN}.document.main+xml"),
        *((f"/word/{name}", content_type) for name, content_type, _ in WORD_PARTS),
        ("/docProps/core.xml", _package_type("core-properties")),
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        ),
    ]
    for part, content_type in overrides:
        sub(types, "ct:Override", {"PartName": part, "ContentType": content_type})
    return to_bytes(types)


def _package_type(name: str) -> str:
    return f"application/vnd.openxmlformats-package.{name}+xml"


def _package_relationships() -> bytes:
    return _relationships(
        [
            (f"{RELATIONSHIP}/officeDocument", "word/document.xml"),
            (
                "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                "core-properties",
                "docProps/core.xml",
            ),
            (f"{RELATIONSHIP}/extended-properties", "docProps/app.xml"),
        ]
    )


def _document_relationships() -> bytes:
    return _relationships([(kind, name) for name, _, kind in WORD_PARTS])


def _relationships(targets: list[tuple[str, str]]) -> bytes:
    relationships = root("pr:Relationships")
    for number, (kind, target) in enumerate(targets, start=1):
        sub(
            relationships,
            "pr:Relationship",
            {"Id": f"rId{number}", "Type": kind, "Target": target},
        )
    return to_bytes(relationships)


def _app_properties() -> bytes:
    properties = root("ep:Properties")
    sub(properties, "ep:Application", text="rpt")
    return to_bytes(properties)


# ----------------------------------------------------------------- document


def _document(style_set: StyleSet) -> bytes:
    document = root("w:document", ("w", "r"))
    body = sub(document, "w:body")
    for style in style_set.styles:
        if style.name.kind is Kind.PARAGRAPH and style.name is not StyleName.FOOTER:
            paragraph = sub(body, "w:p")
            sub(sub(paragraph, "w:pPr"), "w:pStyle", {"w:val": style.name.style_id})
            run = sub(paragraph, "w:r")
            sub(run, "w:t", text=_specimen(style_set.resolved(style.name)))
    _section(body, style_set)
    return to_bytes(document)


def _specimen(style: Style) -> str:
    assert style.font is not None
    return f"{style.name}：{style.font.name} {style.size:g} pt"


def _section(body: etree._Element, style_set: StyleSet) -> None:
    page = style_set.page
    section = sub(body, "w:sectPr")
    sub(section, "w:footerReference", {"w:type": "default", "r:id": FOOTER_ID})
    if style_set.page_number_sides:
        sub(section, "w:footerReference", {"w:type": "even", "r:id": EVEN_FOOTER_ID})
    sub(section, "w:pgSz", {"w:w": _mm(page.width), "w:h": _mm(page.height)})
    margins = {
        "w:top": page.top,
        "w:right": page.right,
        "w:bottom": page.bottom,
        "w:left": page.left,
        "w:header": page.header,
        "w:footer": page.footer,
        "w:gutter": 0,
    }
    sub(section, "w:pgMar", {name: _mm(value) for name, value in margins.items()})


def _footer(style_set: StyleSet, side: str | None) -> bytes:
    """The page number as a PAGE field between the set's text, e.g. `— 3 —`; at
    `side` (right or left) one character in, else as the Footer style places it."""
    footer = root("w:ftr", ("w", "r"))
    paragraph = sub(footer, "w:p")
    properties = sub(paragraph, "w:pPr")
    sub(properties, "w:pStyle", {"w:val": StyleName.FOOTER.style_id})
    if side is not None:
        size = style_set.resolved(StyleName.FOOTER).size or 12
        sub(properties, "w:ind", {f"w:{side}": str(round(size * 20))})  # one character
        sub(properties, "w:jc", {"w:val": side})
    before, _, after = style_set.page_number.partition("{PAGE}")
    _text_run(paragraph, before)
    sub(sub(paragraph, "w:r"), "w:fldChar", {"w:fldCharType": "begin"})
    sub(sub(paragraph, "w:r"), "w:instrText", {"xml:space": "preserve"}, " PAGE ")
    sub(sub(paragraph, "w:r"), "w:fldChar", {"w:fldCharType": "separate"})
    _text_run(paragraph, "1")
    sub(sub(paragraph, "w:r"), "w:fldChar", {"w:fldCharType": "end"})
    _text_run(paragraph, after)
    return to_bytes(footer)


def _text_run(paragraph: etree._Element, text: str) -> None:
    if text:
        sub(sub(paragraph, "w:r"), "w:t", {"xml:space": "preserve"}, text)


def _settings(style_set: StyleSet) -> bytes:
    settings = root("w:settings", ("w",))
    sub(settings, "w:zoom", {"w:percent": "100"})
    sub(settings, "w:defaultTabStop", {"w:val": "420"})
    if style_set.page_number_sides:
        sub(settings, "w:evenAndOddHeaders")
    # Every full-width punctuation mark keeps a whole character cell, as on the
    # character grid of an official document.
    sub(settings, "w:characterSpacingControl", {"w:val": "doNotCompress"})
    compat = sub(settings, "w:compat")
    sub(
        compat,
        "w:compatSetting",
        {
            "w:name": "compatibilityMode",
            "w:uri": "http://schemas.microsoft.com/office/word",
            "w:val": "15",
        },
    )
    sub(settings, "w:themeFontLang", {"w:val": "en-US", "w:eastAsia": style_set.language})
    sub(settings, "w:decimalSymbol", {"w:val": "."})
    sub(settings, "w:listSeparator", {"w:val": ","})
    return to_bytes(settings)


def _font_table(style_set: StyleSet) -> bytes:
    fonts = root("w:fonts", ("w",))
    for font in _fonts(style_set):
        entry = sub(fonts, "w:font", {"w:name": font.name})
        if font.alt_name:
            sub(entry, "w:altName", {"w:val": font.alt_name})
        sub(entry, "w:charset", {"w:val": font.charset})
    return to_bytes(fonts)


def _fonts(style_set: StyleSet) -> list[Font]:
    """Every font the styles name, in order of first use."""
    fonts: dict[str, Font] = {}
    for style in style_set.styles:
        for font in (style.font, style.latin):
            if font is not None:
                fonts.setdefault(font.name, font)
    return list(fonts.values())


# ------------------------------------------------------------------- styles


def _styles(style_set: StyleSet) -> bytes:
    styles = root("w:styles", ("w",))
    _defaults(styles, style_set)
    # Word's two implicit defaults, named so Word does not invent its own.
    default_font = _style_element(styles, Kind.CHARACTER, "DefaultParagraphFont", default=True)
    sub(default_font, "w:name", {"w:val": "Default Paragraph Font"})
    sub(default_font, "w:semiHidden")
    default_table = _style_element(styles, Kind.TABLE, "TableNormal", default=True)
    sub(default_table, "w:name", {"w:val": "Normal Table"})
    sub(default_table, "w:semiHidden")
    for style in style_set.styles:
        _style(styles, style, style_set)
    _table_style(styles, style_set)
    return to_bytes(styles)


def _defaults(styles: etree._Element, style_set: StyleSet) -> None:
    """docDefaults carry Normal's fonts, so that text outside any style (and any
    theme-less reader) still gets the Chinese font, never a theme font."""
    normal = style_set.style(StyleName.NORMAL)
    defaults = sub(styles, "w:docDefaults")
    properties = sub(sub(defaults, "w:rPrDefault"), "w:rPr")
    _fonts_element(properties, normal)
    _size(properties, normal.size)
    sub(
        properties,
        "w:lang",
        {"w:val": "en-US", "w:eastAsia": style_set.language, "w:bidi": "ar-SA"},
    )
    sub(defaults, "w:pPrDefault")


def _style_element(
    styles: etree._Element, kind: Kind, style_id: str, *, default: bool = False
) -> etree._Element:
    attributes = {"w:type": kind.value}
    if default:
        attributes["w:default"] = "1"
    attributes["w:styleId"] = style_id
    return sub(styles, "w:style", attributes)


def _style(styles: etree._Element, style: Style, style_set: StyleSet) -> None:
    name = style.name
    element = _style_element(styles, name.kind, name.style_id, default=name is StyleName.NORMAL)
    sub(element, "w:name", {"w:val": name.value})
    if style.based_on is not None:
        sub(element, "w:basedOn", {"w:val": style.based_on.style_id})
    if style.next_style is not None:
        sub(element, "w:next", {"w:val": style.next_style.style_id})
    sub(element, "w:qFormat")
    if name.kind is Kind.PARAGRAPH:
        _paragraph_properties(sub(element, "w:pPr"), style, style_set)
    spacing = character_spacing(style_set) if name is StyleName.NORMAL else None
    _run_properties(sub(element, "w:rPr"), style, spacing)


def _paragraph_properties(properties: etree._Element, style: Style, style_set: StyleSet) -> None:
    # Children in the order the schema requires.
    _toggle(properties, "w:keepNext", style.keep_next)
    _toggle(properties, "w:pageBreakBefore", style.page_break_before)
    if style.leader_tab or style.right_tab:
        page = style_set.page
        width = int(_mm(page.width)) - int(_mm(page.left)) - int(_mm(page.right))
        stop = {"w:val": "right", "w:leader": "dot" if style.leader_tab else "none"}
        sub(sub(properties, "w:tabs"), "w:tab", {**stop, "w:pos": str(width)})
    _toggle(properties, "w:autoSpaceDE", style.auto_space)
    _toggle(properties, "w:autoSpaceDN", style.auto_space)
    spacing = {
        "w:before": _twips(style.space_before),
        "w:after": _twips(style.space_after),
        "w:line": _twips(style.line),
    }
    if style.line is not None:
        spacing["w:lineRule"] = "exact"
    _optional(properties, "w:spacing", spacing)
    if style.first_line_chars is not None or style.indent_chars is not None:
        # Word reads the indent in characters; LibreOffice and older readers read
        # the same indent in twips, computed from the style's font size.
        size = style_set.resolved(style.name).size
        assert size is not None
        indent: dict[str, str] = {}
        if style.indent_chars is not None:
            indent["w:leftChars"] = str(style.indent_chars * 100)
            indent["w:left"] = str(round(style.indent_chars * size * 20))
        if style.first_line_chars is not None:
            indent["w:firstLineChars"] = str(style.first_line_chars * 100)
            indent["w:firstLine"] = str(round(style.first_line_chars * size * 20))
        sub(properties, "w:ind", indent)
    if style.align is not None:
        sub(properties, "w:jc", {"w:val": style.align})
    if style.outline_level is not None:
        sub(properties, "w:outlineLvl", {"w:val": str(style.outline_level)})


def character_spacing(style_set: StyleSet) -> int | None:
    """Twentieths of a point between Normal's characters, so that a full line holds
    `chars_per_line` of them: rounded down, so that the last one still fits.

    A document grid (w:docGrid linesAndChars, charSpace −842 for 28 characters)
    would say the same to Word and WPS, but LibreOffice lays each character of
    such a grid over two cells, 14 to a line; spacing every reader honours."""
    if style_set.chars_per_line is None:
        return None
    page = style_set.page
    normal = style_set.style(StyleName.NORMAL)
    assert normal.size is not None
    width = int(_mm(page.width)) - int(_mm(page.left)) - int(_mm(page.right))
    return math.floor(width / style_set.chars_per_line - normal.size * 20)


def _run_properties(properties: etree._Element, style: Style, spacing: int | None = None) -> None:
    if style.font is not None:
        _fonts_element(properties, style)
    _toggle(properties, "w:b", style.bold)
    _toggle(properties, "w:bCs", style.bold)
    _toggle(properties, "w:i", style.italic)
    _toggle(properties, "w:iCs", style.italic)
    if style.color is not None:
        sub(properties, "w:color", {"w:val": style.color})
    if spacing:
        sub(properties, "w:spacing", {"w:val": str(spacing)})
    _size(properties, style.size)
    if style.highlight is not None:
        sub(properties, "w:highlight", {"w:val": style.highlight})


def _fonts_element(properties: etree._Element, style: Style) -> None:
    """All four font slots, named explicitly: w:eastAsia is the one Chinese text
    uses, and python-docx's `font.name` never sets it."""
    assert style.font is not None
    latin = (style.latin or style.font).name
    sub(
        properties,
        "w:rFonts",
        {"w:ascii": latin, "w:eastAsia": style.font.name, "w:hAnsi": latin, "w:cs": latin},
    )


def _table_style(styles: etree._Element, style_set: StyleSet) -> None:
    """The table style: borders, cell padding, centring. The text in the cells has
    paragraph styles of its own (Table Header, Table Text, Table Number)."""
    table = style_set.table
    element = _style_element(styles, Kind.TABLE, StyleName.TABLE.style_id)
    sub(element, "w:name", {"w:val": StyleName.TABLE.value})
    sub(element, "w:basedOn", {"w:val": "TableNormal"})
    sub(element, "w:qFormat")
    properties = sub(element, "w:tblPr")
    sub(properties, "w:jc", {"w:val": "center"})
    borders = sub(properties, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        sub(
            borders,
            f"w:{side}",
            {
                "w:val": "single",
                "w:sz": str(round(table.border * 8)),
                "w:space": "0",
                "w:color": "auto",
            },
        )
    margins = sub(properties, "w:tblCellMar")
    for side in ("left", "right"):
        sub(margins, f"w:{side}", {"w:w": _mm(table.cell_margin), "w:type": "dxa"})
    sub(sub(element, "w:tcPr"), "w:vAlign", {"w:val": "center"})


def _toggle(properties: etree._Element, name: str, value: bool | None) -> None:
    if value is not None:
        sub(properties, name, None if value else {"w:val": "0"})


def _size(properties: etree._Element, size: float | None) -> None:
    if size is not None:
        half_points = str(round(size * 2))
        sub(properties, "w:sz", {"w:val": half_points})
        sub(properties, "w:szCs", {"w:val": half_points})


def _optional(parent: etree._Element, name: str, attributes: dict[str, str | None]) -> None:
    present = {key: value for key, value in attributes.items() if value is not None}
    if present:
        sub(parent, name, present)


def _twips(points: float | None) -> str | None:
    return None if points is None else str(round(points * 20))


def _mm(millimetres: float) -> str:
    return str(round(millimetres * 1440 / 25.4))
