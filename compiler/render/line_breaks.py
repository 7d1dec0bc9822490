"""Where a line may break in a table cell, how wide a text prints and how many
lines it takes at a width: the measures column sizing (table_layout.py) asks
again and again, and that the DOCX renderer breaks headers by."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from ..base.patterns import regex

# What a line may not be broken inside of, in a table cell: a date
# (2023年12月31日), a number with its signs (≥90%, -3.5, 12,333), a Latin word,
# a short remark in brackets (（万元）, （㎡）).
UNBROKEN = regex(
    r"\d+年\d+月\d+日|\d+年\d+月|\d+月\d+日|（[^（）]{1,4}）"
    r"|[^\s\u2E80-\u9FFF\uFF00-\uFFEF“”‘’，。、；：（）《》]+"
)
# The same where a table's columns cannot hold its dates whole: a date may then
# break after its year (2023年 / 12月31日), never inside a number.
UNBROKEN_TIGHT = regex(
    r"\d+月\d+日|\d+年|（[^（）]{1,4}）|[^\s\u2E80-\u9FFF\uFF00-\uFFEF“”‘’，。、；：（）《》]+"
)
# Punctuation that may not begin a line, and that may not end one.
CLOSING = frozenset("，。、；：？！）》」』”’%‰")
OPENING = frozenset("（《「『“‘")
# Latin characters in units: half an em in Times New Roman and the GB2312 fonts,
# but the free CJK faces LibreOffice substitutes draw digits 0.56 em wide; and
# the ones a Latin font draws wider still.
LATIN = 1.15
WIDE_LATIN = 1.7
WIDE_LATINS = frozenset("%‰@MW")
# Column sizing measures each text again for every width it tries: what a
# text measures and where it may break are kept (pure functions of the text).
MEASURED = 4096


@lru_cache(maxsize=MEASURED)
def print_width(text: str) -> float:
    """Units (half an em) a text takes in a Chinese font: two for what a terminal
    shows as two columns, and for the characters of ambiguous width (“ ” ≥ ①),
    which a Chinese font draws a full em wide; LATIN for a Latin letter or digit,
    WIDE_LATIN for the wide ones (% M W)."""
    return sum(
        0.0
        if unicodedata.combining(c)
        else 2.0
        if unicodedata.east_asian_width(c) in "WFA"
        else WIDE_LATIN
        if c in WIDE_LATINS
        else LATIN
        for c in text
    )


@lru_cache(maxsize=MEASURED)
def pieces(text: str, *, tight: bool = False) -> tuple[str, ...]:
    """The text cut where a line may break: between Chinese characters, not inside
    an UNBROKEN run (UNBROKEN_TIGHT when `tight`), nor before closing punctuation
    or after opening punctuation."""
    found: list[str] = []
    position = 0
    for match in (UNBROKEN_TIGHT if tight else UNBROKEN).finditer(text):
        found.extend(text[position : match.start()])
        found.append(match.group())
        position = match.end()
    found.extend(text[position:])
    joined: list[str] = []
    for piece in found:
        if joined and (piece[0] in CLOSING or joined[-1][-1] in OPENING):
            joined[-1] += piece
        else:
            joined.append(piece)
    return tuple(joined)


@lru_cache(maxsize=MEASURED)
def _piece_widths(text: str, tight: bool) -> tuple[float, ...]:
    return tuple(map(print_width, pieces(text, tight=tight)))


def wrap(text: str, capacity: float, *, tight: bool = False) -> list[float]:
    """The widths of the lines a text takes in a cell `capacity` units wide, broken
    as a word processor breaks them: as late as possible, never inside a piece."""
    lines: list[float] = []
    line = 0.0
    for width in _piece_widths(text, tight):
        if line and line + width > capacity:
            lines.append(line)
            line = 0.0
        line += width
    lines.append(line)
    return lines


def line_count(text: str, capacity: float, tight: bool) -> int:
    """How many lines `wrap` gives the text."""
    count = 1
    line = 0.0
    for width in _piece_widths(text, tight):
        if line and line + width > capacity:
            count += 1
            line = 0.0
        line += width
    return count


# The lines of a cell's text at its capacity, asked again by each check of a
# form's pages and sections and by the renderer for each cell it writes.
cell_lines = lru_cache(maxsize=MEASURED)(line_count)


def balanced(text: str, capacity: float, *, tight: bool = False) -> list[str]:
    """The text in as few lines as `wrap` gives it, each about as long as the
    others: 附属单位/上缴收入 rather than 附属单位上缴收/入. Each line ends where
    that brings it nearest an even share of the text left, the longer where two
    are as near (附属单/位上缴/收入, not 附属单/位上/缴收入), without passing
    `capacity`."""
    count = cell_lines(text, capacity, tight)
    if count < 2:
        return [text]
    left = print_width(text)
    lines: list[str] = [""]
    line = target = 0.0
    for piece in pieces(text, tight=tight):
        width = print_width(piece)
        if not lines[-1]:
            target = left / (count - len(lines) + 1)
        elif len(lines) < count and (
            line + width > capacity or abs(line - target) < abs(line + width - target)
        ):
            lines.append("")
            line = 0.0
            target = left / (count - len(lines) + 1)
        lines[-1] += piece
        line += width
        left -= width
    if any(print_width(line) > capacity for line in lines):
        return [text]  # even shares would not fit: leave it to the word processor
    return lines
