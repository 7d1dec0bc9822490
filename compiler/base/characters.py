"""The characters of a source: which ones separate tokens, and which ones a
source may not hold at all. One rule for the whole of every file, applied when
the file is read (read.py) and, for spaces, by the grammar and the line parser.

Spaces. Every Unicode space separator (category Zs: the ASCII space, the
no-break space U+00A0 that word processors type, the ideographic space U+3000
that Chinese input methods type, the thin and other fixed-width spaces) and the
tab separate tokens wherever the language has tokens: after a statement word
(`check　收入 == …` is a check), between the parts of an expression, around table
cells, after `#`, `-` and `1.`. In prose and text cells spaces are text, printed
as written. grammar/rpt.lark spells the same set (tests/test_characters.py
checks that the two agree).

Refused characters. A character that displays as something other than what it
is would let a reviewer read one thing and rpt compile another, so it is an
error wherever it stands (and replaced by a space, so that the rest of the line
is still checked in the right columns):
- control characters (E108), which no document can hold;
- format characters and every other default-ignorable code point (E110): zero
  width spaces and joiners, the soft hyphen, invisible operators, variation
  selectors, tag characters, fillers;
- bidirectional controls (E110): they reorder what is displayed around them,
  so a checked `21.5` shows as `5.12`;
- the line and paragraph separators U+2028 and U+2029 (E110), which editors
  show as line breaks while rpt, like git, reads them as part of the line;
- lone surrogates and noncharacters (E110).
Private-use characters (the glyphs some Chinese fonts keep for rare characters)
are allowed.
"""

from __future__ import annotations

import re
import unicodedata

from ..base.record import record
from .codes import Code
from .patterns import regex

# tab and the Unicode space separators (Zs), as the grammar's WS terminal has them
BLANK = "[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
SPACES = "\t \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"

# C0 and C1 controls except tab and line feed (carriage returns are line ends,
# made line feeds before this applies), and the two code points XML refuses.
CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff"
# Bidirectional controls: embeddings, overrides, isolates and the implicit marks.
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties) and the format
# characters (Cf) outside it, the separators Zl and Zp, surrogates and the other
# noncharacters. Spelled out here, rather than derived from unicodedata at each
# start (which costs a quarter of a second); tests/test_characters.py derives it
# from the definition above and compares, code point by code point.
INVISIBLE_BMP = (
    "\u00ad\u034f\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b-\u200d\u2028\u2029\u2060-\u2065\u206a-\u206f\u3164"
    "\ud800-\udfff\ufdd0-\ufdef\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
)
INVISIBLE = (
    INVISIBLE_BMP + "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17))
)
REFUSED = regex(f"[{CONTROL}{BIDI}{INVISIBLE}]")
# What a source is scanned for: a refused character of the Basic Multilingual
# Plane, which the engine looks up in one table, or any character beyond it,
# then checked against the whole class. The whole class, whose thirty ranges
# beyond the BMP the engine walks for every character, took ten times as long.
CANDIDATE = regex(f"[{CONTROL}{BIDI}{INVISIBLE_BMP}]|[\U00010000-\U0010ffff]")


@record
class Refusal:
    """A character a source may not hold: where it is, and what to say about it."""

    offset: int
    char: str
    code: Code
    message: str
    help: str


def refusals(text: str) -> list[Refusal]:
    """Every refused character of `text`, in order."""
    return [
        _refusal(match.start(), match.group(0))
        for match in CANDIDATE.finditer(text)
        if match.group(0) <= "\uffff" or REFUSED.match(match.group(0))
    ]


def blank_out(text: str) -> str:
    """`text` with each refused character replaced by a space."""
    return REFUSED.sub(" ", text)


def describe(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`: a character as diagnostics name it."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def _refusal(offset: int, char: str) -> Refusal:
    shown = describe(char)
    if re.fullmatch(f"[{CONTROL}]", char):
        return Refusal(
            offset,
            char,
            Code.CONTROL_CHARACTER,
            f"invisible control character U+{ord(char):04X} in the text",
            "delete it; it cannot be printed, and Word refuses it",
        )
    if re.fullmatch(f"[{BIDI}]", char):
        return Refusal(
            offset,
            char,
            Code.INVISIBLE_CHARACTER,
            f"bidirectional control {shown} in the text",
            "delete it: it changes the order in which the text around it is displayed, "
            "so what a reader sees is not what rpt reads",
        )
    if char in "\u2028\u2029":
        return Refusal(
            offset,
            char,
            Code.INVISIBLE_CHARACTER,
            f"{shown} in the text",
            "editors show it as a line break, but it is not one: rpt would read what "
            "follows as part of this line; replace it with a real line break",
        )
    return Refusal(
        offset,
        char,
        Code.INVISIBLE_CHARACTER,
        f"invisible character {shown} in the text",
        "delete it: it does not show, so two texts that look the same would differ",
    )
