"""The style sets and the templates made from them: complete, Chinese fonts named
in every slot, no theme fonts, and the committed templates exactly what the
definitions give."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from lxml import etree

from rpt.render.docx_styles import STYLE_SETS, Kind, StyleName, StyleSet
from rpt.render.docx_template import build_template
from rpt.render.style_templates import available_styles

TEMPLATES = Path(__file__).parent.parent / "templates" / "docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


@pytest.mark.parametrize("style_set", STYLE_SETS, ids=lambda s: s.name)
def test_committed_template_is_what_the_definition_gives(style_set: StyleSet) -> None:
    committed = (TEMPLATES / f"{style_set.name}.docx").read_bytes()
    assert build_template(style_set) == committed, (
        f"templates/docx/{style_set.name}.docx is stale: run scripts/make_docx_styles.py"
    )


def test_every_template_has_a_definition() -> None:
    assert available_styles() == tuple(sorted(s.name for s in STYLE_SETS))


@pytest.mark.parametrize("style_set", STYLE_SETS, ids=lambda s: s.name)
def test_every_named_style_is_defined_once(style_set: StyleSet) -> None:
    names = [style.name for style in style_set.styles]
    assert sorted(names) == sorted(n for n in StyleName if n is not StyleName.TABLE)
    styles = _part(build_template(style_set), "word/styles.xml")
    written = [e.get(f"{W}val") for e in styles.iterfind(f"{W}style/{W}name")]
    assert set(StyleName) <= set(written)
    assert len(written) == len(set(written))


@pytest.mark.parametrize("style_set", STYLE_SETS, ids=lambda s: s.name)
def test_paragraph_styles_name_every_font_slot(style_set: StyleSet) -> None:
    """python-docx's font.name sets only the Latin slots; Chinese text reads
    w:eastAsia. Every paragraph style names all four slots itself."""
    styles = _part(build_template(style_set), "word/styles.xml")
    for name in StyleName:
        if name.kind is not Kind.PARAGRAPH:
            continue
        element = styles.find(f"{W}style[@{W}styleId='{name.style_id}']")
        assert element is not None, name
        fonts = element.find(f"{W}rPr/{W}rFonts")
        assert fonts is not None, name
        font = style_set.style(name).font
        assert font is not None
        assert fonts.get(f"{W}eastAsia") == font.name
        for slot in ("ascii", "hAnsi", "cs"):
            assert fonts.get(f"{W}{slot}"), (name, slot)


@pytest.mark.parametrize("style_set", STYLE_SETS, ids=lambda s: s.name)
def test_no_theme_fonts_anywhere(style_set: StyleSet) -> None:
    with zipfile.ZipFile(BytesIO(build_template(style_set))) as archive:
        assert not [n for n in archive.namelist() if "theme" in n]
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8")
            assert not re.search(r"w:(ascii|hAnsi|eastAsia|cs)Theme=", text), name
    styles = _part(build_template(style_set), "word/styles.xml")
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults is not None
    normal = style_set.style(StyleName.NORMAL).font
    assert normal is not None
    assert defaults.get(f"{W}eastAsia") == normal.name


def test_gbt9704_house_style() -> None:
    """The numbers of GB/T 9704-2012 as the issue states them."""
    gbt = next(s for s in STYLE_SETS if s.name == "gbt9704")
    page = gbt.page
    assert (page.width, page.height) == (210, 297)
    assert (page.top, page.bottom, page.left, page.right) == (37, 35, 28, 26)
    expected = {
        StyleName.TITLE: ("方正小标宋简体", 22),
        StyleName.BODY: ("仿宋_GB2312", 16),
        StyleName.HEADING_1: ("黑体", 16),
        StyleName.HEADING_2: ("黑体", 16),
        StyleName.HEADING_3: ("楷体_GB2312", 16),
        StyleName.HEADING_4: ("仿宋_GB2312", 16),
        StyleName.HEADING_5: ("仿宋_GB2312", 16),
        StyleName.FOOTER: ("宋体", 14),
    }
    for name, (font, size) in expected.items():
        style = gbt.resolved(name)
        assert style.font is not None
        assert (style.font.name, style.size) == (font, size), name
    assert gbt.resolved(StyleName.BODY).first_line_chars == 2
    line = gbt.resolved(StyleName.BODY).line
    assert line is not None and 28 <= line <= 29
    assert gbt.resolved(StyleName.HEADING_1).page_break_before is True
    assert gbt.page_number == "— {PAGE} —"


def test_page_number_footer() -> None:
    gbt = next(s for s in STYLE_SETS if s.name == "gbt9704")
    footer = _part(build_template(gbt), "word/footer1.xml")
    texts = [t.text for t in footer.iter(f"{W}t")]
    instructions = [t.text for t in footer.iter(f"{W}instrText")]
    assert texts == ["— ", "1", " —"]
    assert instructions == [" PAGE "]
    style = footer.find(f"{W}p/{W}pPr/{W}pStyle")
    assert style is not None and style.get(f"{W}val") == "Footer"


def test_gbt9704_spaces_normal_for_28_characters_a_line() -> None:
    """156 mm between the margins hold 28 characters of 16 pt when each gives up
    a quarter point (rounded down to twentieths); a4-plain sets no spacing."""
    for style_set, expected in zip(STYLE_SETS, ("-5", None), strict=True):
        styles = _part(build_template(style_set), "word/styles.xml")
        normal = styles.find(f"{W}style[@{W}styleId='Normal']/{W}rPr/{W}spacing")
        assert (None if normal is None else normal.get(f"{W}val")) == expected, style_set.name


@pytest.mark.parametrize("style_set", STYLE_SETS, ids=lambda s: s.name)
def test_a_toc_entry_that_wraps_goes_on_under_its_text(style_set: StyleSet) -> None:
    """toc 2 is indented as a whole (附件2-3 项目支出绩效自评表（…工作经
    费）: its second line under 附件, not at the margin), in characters for Word
    and in twips for LibreOffice."""
    styles = _part(build_template(style_set), "word/styles.xml")
    [toc] = [s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == "Toc2"]
    indent = toc.find(f"{W}pPr/{W}ind")
    assert indent is not None
    size = style_set.resolved(StyleName.TOC_2).size
    assert size is not None
    assert dict(indent.attrib) == {f"{W}leftChars": "200", f"{W}left": str(round(2 * size * 20))}
