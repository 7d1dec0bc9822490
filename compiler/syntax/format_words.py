"""The vocabulary of formats: every word that may follow the colon of a
reference (`<x:.1%>`, `<x:增减>`) or stand in a table's `columns` line, what
part of the printing it decides, and its help text.

This is the one place a format word is defined. The type checker plans a
display from it (display.py), tables read their columns' units and alignment
from it (tables.py), and the list in docs/language.md is checked against it.
Besides these words a format may hold decimals (`.2`), `%`, `,` and unit names.
"""

from __future__ import annotations

from enum import Enum

from ..base.record import record


class Role(Enum):
    """What a format item decides. A format holds at most one item of each role;
    `%` and a unit are one role (the unit a number is shown in), and so are a
    change word and `sign` (how its sign is shown)."""

    DECIMALS = "decimals"  # .2
    UNIT = "unit"  # %, 元, 元/人, ‰, 百分点: the unit the value is shown in
    BARE = "bare"  # num: no unit after the number
    GROUPING = "grouping"  # ,
    SIGN = "sign"  # sign, 增减, 增长, 升降
    APPROX = "approx"  # 余
    NUMERALS = "numerals"  # 大写, 中文, 年份: how the digits are written
    ALIGN = "align"  # left, center, right: a table column's alignment


@record
class FormatWord:
    """A word of the format language, with what it decides and its help text;
    `words` are the up, down and unchanged words of a change word."""

    word: str
    role: Role
    help: str
    words: tuple[str, str, str] | None = None


FORMAT_WORDS: dict[str, FormatWord] = {
    word.word: word
    for word in (
        FormatWord("num", Role.BARE, "the number without its unit"),
        FormatWord("sign", Role.SIGN, "an explicit sign: +7.84万元, -34.9万元"),
        FormatWord(
            "增减", Role.SIGN, "a change in words: 增加…, 减少…, 持平", ("增加", "减少", "持平")
        ),
        FormatWord(
            "增长", Role.SIGN, "a change in words: 增长…, 下降…, 持平", ("增长", "下降", "持平")
        ),
        FormatWord(
            "升降", Role.SIGN, "a change in words: 上升…, 下降…, 持平", ("上升", "下降", "持平")
        ),
        FormatWord("余", Role.APPROX, "a lower bound, as 10000余次 and 300余名 are written"),
        FormatWord(
            "大写",
            Role.NUMERALS,
            "an amount in capital numerals: 壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分",
        ),
        FormatWord("中文", Role.NUMERALS, "counting numerals: 十二人, 一百零五, 百分之十三"),
        FormatWord("年份", Role.NUMERALS, "digit by digit, as years are written: 二〇二三"),
        FormatWord(
            "百分点",
            Role.UNIT,
            "a difference of two rates in percentage points: 上升1.44个百分点",
        ),
        FormatWord("left", Role.ALIGN, "a table column aligned left"),
        FormatWord("center", Role.ALIGN, "a table column centred"),
        FormatWord("right", Role.ALIGN, "a table column aligned right"),
    )
}
CHANGE_WORDS = {word: entry.words for word, entry in FORMAT_WORDS.items() if entry.words}
POINTS = "百分点"
POINTS_SUFFIX = "个百分点"
ALIGNMENTS = tuple(word for word, entry in FORMAT_WORDS.items() if entry.role is Role.ALIGN)


def help_line() -> str:
    """The formats as a help line names them."""
    return "formats: .2 (decimals), %, a unit (元, 元/人), , (grouping), " + ", ".join(
        word for word, entry in FORMAT_WORDS.items() if entry.role is not Role.ALIGN
    )
