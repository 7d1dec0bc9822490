"""The DOCX style sets: one readable definition per Word style.

`scripts/make_docx_styles.py` writes each set as a template under
`templates/docx/NAME.docx`; the renderer looks styles up there by name, so an
office can also restyle a report by editing its template in Word. Sizes are in
points, page measures in millimetres.
"""

from __future__ import annotations

from enum import StrEnum

from ..base.record import fields, record


class Kind(StrEnum):
    PARAGRAPH = "paragraph"
    CHARACTER = "character"
    TABLE = "table"


class StyleName(StrEnum):
    """The styles the renderer uses, by their Word names; every set defines each one.

    Lower-case names (`heading 1`, `footer`, `toc 1`) and Title, Subtitle, Body
    Text, List Bullet, List Number, Strong, Emphasis, TOC Heading are Word's
    built-in names, which Word
    shows in the reader's language (标题 1, 页脚, 正文文本 …).
    """

    NORMAL = "Normal"
    TITLE = "Title"
    SUBTITLE = "Subtitle"
    ORGANISATION = "Organisation"
    HEADING_1 = "heading 1"
    HEADING_2 = "heading 2"
    HEADING_3 = "heading 3"
    HEADING_4 = "heading 4"
    HEADING_5 = "heading 5"
    BODY = "Body Text"
    LIST_BULLET = "List Bullet"
    LIST_NUMBER = "List Number"
    TABLE_CAPTION = "Table Caption"
    TABLE_UNIT = "Table Unit"
    TABLE_HEADER = "Table Header"
    TABLE_TEXT = "Table Text"
    TABLE_NUMBER = "Table Number"
    SMALL_TABLE_HEADER = "Small Table Header"
    SMALL_TABLE_TEXT = "Small Table Text"
    SMALL_TABLE_NUMBER = "Small Table Number"
    COMPACT_TABLE_HEADER = "Compact Table Header"
    COMPACT_TABLE_TEXT = "Compact Table Text"
    COMPACT_TABLE_NUMBER = "Compact Table Number"
    FOOTER = "footer"
    STRONG = "Strong"
    EMPHASIS = "Emphasis"
    STRONG_EMPHASIS = "Strong Emphasis"
    PLACEHOLDER = "Placeholder"
    REVIEWER_NOTE = "Reviewer Note"
    ATTACHMENT_LABEL = "Attachment Label"
    ATTACHMENT_TITLE = "Attachment Title"
    FORM_SIGN_OFF = "Form Sign-off"
    FORM_NUMBER = "Form Number"
    FORM_ISSUER = "Form Issuer"
    COVER_TITLE = "Cover Title"
    COVER_ORGANISATION = "Cover Organisation"
    COVER_DATE = "Cover Date"
    TOC_HEADING = "TOC Heading"
    TOC_1 = "toc 1"
    TOC_2 = "toc 2"
    TABLE = "Report Table"

    @property
    def kind(self) -> Kind:
        if self in (
            StyleName.STRONG,
            StyleName.EMPHASIS,
            StyleName.STRONG_EMPHASIS,
            StyleName.PLACEHOLDER,
        ):
            return Kind.CHARACTER
        if self is StyleName.TABLE:
            return Kind.TABLE
        return Kind.PARAGRAPH

    @property
    def style_id(self) -> str:
        """The id paragraphs refer to, as Word derives it: `heading 1` → `Heading1`."""
        return "".join(word[:1].upper() + word[1:] for word in self.split())


HEADINGS = (
    StyleName.HEADING_1,
    StyleName.HEADING_2,
    StyleName.HEADING_3,
    StyleName.HEADING_4,
    StyleName.HEADING_5,
)


@record
class Font:
    """A typeface as the file names it. Where it is not installed Word falls back to
    `alt_name` (w:altName); `charset` 86 (GB2312) tells Word the font is Chinese, so
    that it picks a Chinese substitute rather than a Latin one."""

    name: str
    alt_name: str = ""
    charset: str = "00"


@record
class Style:
    """One named Word style. A field left None is inherited from `based_on`.

    `font` is for Chinese text and, unless `latin` says otherwise, for Latin letters
    and digits too. `first_line_chars` is the first-line indent in characters,
    `indent_chars` the paragraph's left indent;
    `line` is a fixed (exact) line height. `next_style` is what Word switches to
    when the author presses Enter after a paragraph of this style.
    """

    name: StyleName
    based_on: StyleName | None = StyleName.NORMAL
    font: Font | None = None
    latin: Font | None = None
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    align: str | None = None
    first_line_chars: int | None = None
    indent_chars: int | None = None
    line: float | None = None
    space_before: float | None = None
    space_after: float | None = None
    page_break_before: bool | None = None
    keep_next: bool | None = None
    outline_level: int | None = None
    next_style: StyleName | None = None
    color: str | None = None  # RRGGBB
    highlight: str | None = None  # one of Word's highlight colours: yellow …
    # the quarter em Word and LibreOffice add between Chinese and Latin text or
    # digits (w:autoSpaceDE, w:autoSpaceDN); off in tables, whose columns are
    # sized to what the text measures
    auto_space: bool | None = None
    # a right tab stop at the right margin with a dotted leader: 目录 entries
    leader_tab: bool | None = None
    # a right tab stop at the right margin: a form's issuer … unit line
    right_tab: bool | None = None


@record
class TableStyle:
    """The look of every table: single-line borders of `border` points on all
    sides and between cells, `cell_margin` millimetres of padding left and right,
    text centred vertically in its cell."""

    border: float
    cell_margin: float


@record
class Page:
    """Paper and margins in millimetres; `footer` is the distance from the paper's
    bottom edge to the bottom of the footer (the page number)."""

    top: float
    bottom: float
    left: float
    right: float
    header: float
    footer: float
    width: float = 210.0  # A4
    height: float = 297.0


@record
class StyleSet:
    """A complete house style: page, page number, every named style, the tables.
    `page_number` is the footer text with `{PAGE}` where the number goes;
    `page_number_sides`: odd pages' numbers at the right and even pages' at the
    left, each one character in (GB/T 9704 §7.5), instead of centred;
    `chars_per_line`, the characters of Normal's size on a full line (GB/T 9704
    §5.2.2: 28), by the spacing of Normal's characters (see
    docx_template.character_spacing)."""

    name: str
    description: str
    language: str
    page: Page
    page_number: str
    styles: tuple[Style, ...]
    table: TableStyle
    page_number_sides: bool = False
    chars_per_line: int | None = None

    def style(self, name: StyleName) -> Style:
        return next(style for style in self.styles if style.name is name)

    def resolved(self, name: StyleName) -> Style:
        """The style with inherited fields filled in from its `based_on` chain."""
        style = self.style(name)
        if style.based_on is None:
            return style
        parent = self.resolved(style.based_on)
        inherited = {
            name: getattr(parent, name) if getattr(style, name) is None else getattr(style, name)
            for name in (f.name for f in fields(Style))
        }
        return Style(**inherited)


# ------------------------------------------------------------------------- fonts

FANGSONG = Font("仿宋_GB2312", "仿宋", "86")
KAITI = Font("楷体_GB2312", "楷体", "86")
HEITI = Font("黑体", "SimHei", "86")
XIAOBIAOSONG = Font("方正小标宋简体", "宋体", "86")
SONGTI = Font("宋体", "SimSun", "86")
TIMES = Font("Times New Roman")
ARIAL = Font("Arial")

# ----------------------------------------------------------- GB/T 9704-2012

# GB/T 9704 asks for 22 lines in the 225 mm high type area (297 − 37 − 35): 28.95 pt
# lets the 22nd line still fit, where 29 pt would push it onto the next page.
LINE = 28.95

GBT9704 = StyleSet(
    name="gbt9704",
    description="GB/T 9704-2012 as government offices practise it",
    language="zh-CN",
    # The footer distance puts the top of the 14 pt page number about 7 mm below
    # the type area (GB/T 9704 §7.5): 35 mm − 7 mm − one 18 pt footer line.
    page=Page(top=37, bottom=35, left=28, right=26, header=15, footer=21.6),
    page_number="— {PAGE} —",
    styles=(
        Style(StyleName.NORMAL, based_on=None, font=FANGSONG, size=16, bold=False, italic=False,
              align="both", first_line_chars=0, line=LINE, space_before=0, space_after=0,
              page_break_before=False, keep_next=False),
        Style(StyleName.TITLE, font=XIAOBIAOSONG, size=22, align="center",
              space_after=LINE / 2, keep_next=True, next_style=StyleName.ORGANISATION),
        Style(StyleName.SUBTITLE, font=KAITI, size=16, align="center", keep_next=True),
        Style(StyleName.ORGANISATION, font=KAITI, size=16, align="center", space_after=LINE,
              keep_next=True, next_style=StyleName.BODY),
        # Parts (第一部分) open a new page; the renderer keeps the first one on the
        # title page.
        Style(StyleName.HEADING_1, font=HEITI, size=16, align="center", space_after=LINE,
              page_break_before=True, keep_next=True, outline_level=0,
              next_style=StyleName.BODY),
        Style(StyleName.HEADING_2, font=HEITI, size=16, first_line_chars=2, keep_next=True,
              outline_level=1, next_style=StyleName.BODY),
        Style(StyleName.HEADING_3, font=KAITI, size=16, first_line_chars=2, keep_next=True,
              outline_level=2, next_style=StyleName.BODY),
        Style(StyleName.HEADING_4, font=FANGSONG, size=16, first_line_chars=2, keep_next=True,
              outline_level=3, next_style=StyleName.BODY),
        Style(StyleName.HEADING_5, font=FANGSONG, size=16, first_line_chars=2, keep_next=True,
              outline_level=4, next_style=StyleName.BODY),
        Style(StyleName.BODY, font=FANGSONG, size=16, first_line_chars=2),
        # List items are numbered in their text (1. …), like headings, and wrap to
        # the margin like any paragraph of an official document.
        Style(StyleName.LIST_BULLET, font=FANGSONG, size=16, first_line_chars=2),
        Style(StyleName.LIST_NUMBER, font=FANGSONG, size=16, first_line_chars=2),
        Style(StyleName.TABLE_CAPTION, font=HEITI, size=16, align="center",
              space_before=LINE / 2, keep_next=True),
        Style(StyleName.TABLE_UNIT, font=FANGSONG, size=12, align="right", line=20,
              keep_next=True),
        Style(StyleName.TABLE_HEADER, font=HEITI, size=12, align="center", line=18,
              auto_space=False),
        Style(StyleName.TABLE_TEXT, font=FANGSONG, size=12, align="left", line=18,
              auto_space=False),
        Style(StyleName.TABLE_NUMBER, font=FANGSONG, size=12, align="right", line=18,
              auto_space=False),
        # 五号 for the tables whose labels and numbers do not fit in 小四: many
        # columns, the forms of a performance report (绩效自评表)
        Style(StyleName.SMALL_TABLE_HEADER, based_on=StyleName.TABLE_HEADER, font=HEITI,
              size=10.5, line=15),
        Style(StyleName.SMALL_TABLE_TEXT, based_on=StyleName.TABLE_TEXT, font=FANGSONG,
              size=10.5, line=15),
        Style(StyleName.SMALL_TABLE_NUMBER, based_on=StyleName.TABLE_NUMBER, font=FANGSONG,
              size=10.5, line=15),
        # 小五 for a form that runs a few rows onto another page in 五号 and fits its
        # page in 小五: a form is read on one page
        Style(StyleName.COMPACT_TABLE_HEADER, based_on=StyleName.SMALL_TABLE_HEADER,
              font=HEITI, size=9, line=12),
        Style(StyleName.COMPACT_TABLE_TEXT, based_on=StyleName.SMALL_TABLE_TEXT,
              font=FANGSONG, size=9, line=12),
        Style(StyleName.COMPACT_TABLE_NUMBER, based_on=StyleName.SMALL_TABLE_NUMBER,
              font=FANGSONG, size=9, line=12),
        # GB/T 9704 §7.5: page numbers in 4号 (14 pt) 宋体, between one-em dashes.
        Style(StyleName.FOOTER, font=SONGTI, size=14, align="center", line=18),
        Style(StyleName.STRONG, based_on=None, bold=True),
        # Chinese print emphasises in 楷体, not in a slanted 仿宋.
        Style(StyleName.EMPHASIS, based_on=None, font=KAITI),
        Style(StyleName.STRONG_EMPHASIS, based_on=StyleName.EMPHASIS, bold=True),
        # a draft's marks: a figure not available yet, a note to reviewers
        Style(StyleName.PLACEHOLDER, based_on=None, bold=True, highlight="yellow"),
        Style(StyleName.REVIEWER_NOTE, font=KAITI, size=14, color="7F7F7F", first_line_chars=2),
        # GB/T 9704 §8: an attachment opens its page, 附件1-2 flush left in 黑体
        # above its title
        Style(StyleName.ATTACHMENT_LABEL, font=HEITI, size=16, align="left",
              page_break_before=True, keep_next=True),
        Style(StyleName.ATTACHMENT_TITLE, font=XIAOBIAOSONG, size=18, align="center",
              space_before=LINE / 2, space_after=LINE / 2, keep_next=True,
              next_style=StyleName.BODY),
        # 填表人：…　填报日期：… under a form, from the margin, fields at tab stops
        Style(StyleName.FORM_SIGN_OFF, font=FANGSONG, size=14, align="left", line=22,
              space_before=6),
        # a standard form's number (公开01表) above its caption, and the line of its
        # issuer (编制单位：…) at the left and its unit at the right, under it
        Style(StyleName.FORM_NUMBER, font=FANGSONG, size=12, align="right", line=20,
              space_before=LINE / 2, keep_next=True),
        Style(StyleName.FORM_ISSUER, font=FANGSONG, size=12, align="left", line=20,
              keep_next=True, right_tab=True),
        # the cover page (`cover: yes`) and the 目录 (`toc: yes`)
        Style(StyleName.COVER_TITLE, font=XIAOBIAOSONG, size=22, align="center", line=36,
              space_before=LINE * 5, space_after=LINE, keep_next=True),
        Style(StyleName.COVER_ORGANISATION, font=KAITI, size=16, align="center",
              space_before=LINE * 8, keep_next=True),
        Style(StyleName.COVER_DATE, font=KAITI, size=16, align="center"),
        Style(StyleName.TOC_HEADING, font=HEITI, size=16, align="center", space_after=LINE,
              keep_next=True),
        Style(StyleName.TOC_1, font=FANGSONG, size=16, leader_tab=True),
        # an entry that wraps goes on under its text, not under its number's indent
        Style(StyleName.TOC_2, font=FANGSONG, size=16, indent_chars=2, leader_tab=True),
    ),
    table=TableStyle(border=0.5, cell_margin=1.5),
    page_number_sides=True,
    chars_per_line=28,
)  # fmt: skip

# ---------------------------------------------------------------- a plain A4

PLAIN_LINE = 20.0

A4_PLAIN = StyleSet(
    name="a4-plain",
    description="A plain A4 layout: 宋体 and Times New Roman, 12 pt, even margins",
    language="zh-CN",
    page=Page(top=25, bottom=25, left=25, right=25, header=12.5, footer=12.5),
    page_number="{PAGE}",
    styles=(
        Style(StyleName.NORMAL, based_on=None, font=SONGTI, latin=TIMES, size=12, bold=False,
              italic=False, align="both", first_line_chars=0, line=PLAIN_LINE, space_before=0,
              space_after=0, page_break_before=False, keep_next=False),
        Style(StyleName.TITLE, font=HEITI, latin=ARIAL, size=18, bold=True, align="center",
              line=28, space_after=6, keep_next=True, next_style=StyleName.ORGANISATION),
        Style(StyleName.SUBTITLE, font=SONGTI, latin=TIMES, size=14, align="center",
              keep_next=True),
        Style(StyleName.ORGANISATION, font=SONGTI, latin=TIMES, size=12, align="center",
              space_after=18, keep_next=True, next_style=StyleName.BODY),
        Style(StyleName.HEADING_1, font=HEITI, latin=ARIAL, size=16, bold=True, line=24,
              space_before=18, space_after=6, keep_next=True, outline_level=0,
              next_style=StyleName.BODY),
        Style(StyleName.HEADING_2, font=HEITI, latin=ARIAL, size=14, bold=True, line=22,
              space_before=12, space_after=6, keep_next=True, outline_level=1,
              next_style=StyleName.BODY),
        Style(StyleName.HEADING_3, font=HEITI, latin=ARIAL, size=12, bold=True,
              space_before=6, keep_next=True, outline_level=2, next_style=StyleName.BODY),
        Style(StyleName.HEADING_4, font=SONGTI, latin=TIMES, size=12, bold=True,
              space_before=6, keep_next=True, outline_level=3, next_style=StyleName.BODY),
        Style(StyleName.HEADING_5, font=SONGTI, latin=TIMES, size=12, keep_next=True,
              outline_level=4, next_style=StyleName.BODY),
        Style(StyleName.BODY, font=SONGTI, latin=TIMES, size=12, first_line_chars=2,
              space_after=6),
        Style(StyleName.LIST_BULLET, font=SONGTI, latin=TIMES, size=12, first_line_chars=2),
        Style(StyleName.LIST_NUMBER, font=SONGTI, latin=TIMES, size=12, first_line_chars=2),
        Style(StyleName.TABLE_CAPTION, font=HEITI, latin=ARIAL, size=12, bold=True,
              align="center", space_before=12, keep_next=True),
        Style(StyleName.TABLE_UNIT, font=SONGTI, latin=TIMES, size=10.5, align="right",
              line=16, keep_next=True),
        Style(StyleName.TABLE_HEADER, font=HEITI, latin=ARIAL, size=10.5, bold=True,
              align="center", line=16, auto_space=False),
        Style(StyleName.TABLE_TEXT, font=SONGTI, latin=TIMES, size=10.5, align="left",
              line=16, auto_space=False),
        Style(StyleName.TABLE_NUMBER, font=SONGTI, latin=TIMES, size=10.5, align="right",
              line=16, auto_space=False),
        Style(StyleName.SMALL_TABLE_HEADER, based_on=StyleName.TABLE_HEADER, font=HEITI,
              latin=ARIAL, size=9, line=13),
        Style(StyleName.SMALL_TABLE_TEXT, based_on=StyleName.TABLE_TEXT, font=SONGTI,
              latin=TIMES, size=9, line=13),
        Style(StyleName.SMALL_TABLE_NUMBER, based_on=StyleName.TABLE_NUMBER, font=SONGTI,
              latin=TIMES, size=9, line=13),
        Style(StyleName.COMPACT_TABLE_HEADER, based_on=StyleName.SMALL_TABLE_HEADER,
              font=HEITI, latin=ARIAL, size=8, line=11.5),
        Style(StyleName.COMPACT_TABLE_TEXT, based_on=StyleName.SMALL_TABLE_TEXT,
              font=SONGTI, latin=TIMES, size=8, line=11.5),
        Style(StyleName.COMPACT_TABLE_NUMBER, based_on=StyleName.SMALL_TABLE_NUMBER,
              font=SONGTI, latin=TIMES, size=8, line=11.5),
        Style(StyleName.FOOTER, font=SONGTI, latin=TIMES, size=10.5, align="center", line=16),
        Style(StyleName.STRONG, based_on=None, bold=True),
        Style(StyleName.EMPHASIS, based_on=None, italic=True),
        Style(StyleName.STRONG_EMPHASIS, based_on=StyleName.EMPHASIS, bold=True),
        Style(StyleName.PLACEHOLDER, based_on=None, bold=True, highlight="yellow"),
        Style(StyleName.REVIEWER_NOTE, font=SONGTI, latin=TIMES, size=10.5, italic=True,
              color="7F7F7F", first_line_chars=2, space_after=6),
        Style(StyleName.ATTACHMENT_LABEL, font=HEITI, latin=ARIAL, size=12, bold=True,
              align="left", page_break_before=True, keep_next=True),
        Style(StyleName.ATTACHMENT_TITLE, font=HEITI, latin=ARIAL, size=16, bold=True,
              align="center", line=24, space_before=6, space_after=12, keep_next=True,
              next_style=StyleName.BODY),
        Style(StyleName.FORM_SIGN_OFF, font=SONGTI, latin=TIMES, size=10.5, align="left",
              line=16, space_before=6),
        Style(StyleName.FORM_NUMBER, font=SONGTI, latin=TIMES, size=10.5, align="right",
              line=16, space_before=12, keep_next=True),
        Style(StyleName.FORM_ISSUER, font=SONGTI, latin=TIMES, size=10.5, align="left",
              line=16, keep_next=True, right_tab=True),
        Style(StyleName.COVER_TITLE, font=HEITI, latin=ARIAL, size=22, bold=True,
              align="center", line=32, space_before=160, space_after=24, keep_next=True),
        Style(StyleName.COVER_ORGANISATION, font=SONGTI, latin=TIMES, size=14,
              align="center", space_before=200, keep_next=True),
        Style(StyleName.COVER_DATE, font=SONGTI, latin=TIMES, size=14, align="center"),
        Style(StyleName.TOC_HEADING, font=HEITI, latin=ARIAL, size=16, bold=True,
              align="center", line=24, space_after=12, keep_next=True),
        Style(StyleName.TOC_1, font=SONGTI, latin=TIMES, size=12, leader_tab=True),
        Style(StyleName.TOC_2, font=SONGTI, latin=TIMES, size=12, indent_chars=2,
              leader_tab=True),
    ),
    table=TableStyle(border=0.75, cell_margin=1.9),
)  # fmt: skip

STYLE_SETS = (GBT9704, A4_PLAIN)
