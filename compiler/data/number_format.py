"""What a workbook cell shows, from its number format: `0.00` shows a stored
1234.5678 as 1234.57, `0.0%` a stored 0.12345 as 12.3%.

rpt's figure is the cell's stored value (as Excel computes with it, at 15
significant digits), never the shown one: a sum over shown values is not the
sum the workbook computed. When the two differ, a reader of the sheet and a
reader of the report see different numbers, and bind.py warns (W601). Only
plain number formats are understood (digits, decimals, grouping, percent,
thousands scaling, several sections); General, dates, text, fractions and
scientific notation, and formats with conditions (`[>=100]0;0.0`), show
what they show and are not compared.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from ..base.patterns import regex
from ..base.record import record

# The built-in formats a cell may name by number alone (ECMA-376, 18.8.30):
# those that show a plain number; the others (dates, fractions, text) are not
# compared.
BUILT_IN = {
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)",
}
# what a section shows as written, not as a digit: "text", \x, [Red], _x, *x
_LITERAL = regex(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_NOT_PLAIN = regex(r"[eE][+-]|[yYmMdDhHsS/@]|general", re.IGNORECASE)
_PLACEHOLDER = "0#?"
_CONDITION = regex(r"\[[<>=]")
# a quoted text or an escaped character reads as itself; a colour, a padding or a fill is not seen
_DISPLAYED = regex(r'"([^"]*)"|\\(.)|\[[^\]]*\]|_.|\*.')


@record
class Shown:
    """A stored value as its format shows it: the number in the stored value's
    terms (12.3% shown for 0.12345 is 0.123) and the text on the screen."""

    value: Decimal
    text: str


def shown(value: Decimal, code: str) -> Shown | None:
    """How a format shows `value`; None when the format is not a plain number one."""
    sections = _sections(code)
    if _CONDITION.search(code):
        return (
            None  # `[>=100]0;0.0`: which section shows a value is the condition's, not its sign's
        )
    if value < 0 and len(sections) > 1:
        section, signed = sections[1], False  # the negative section writes its own sign
    elif value == 0 and len(sections) > 2:
        section, signed = sections[2], True
    else:
        section, signed = sections[0], True
    layout = _layout(section)
    if layout is None:
        return None
    decimals, factor, grouped, before, after = layout
    on_screen = (abs(value) * factor).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    number = on_screen / factor if value >= 0 else -on_screen / factor
    digits = format(on_screen, ",f" if grouped else "f")
    sign = "-" if value < 0 and signed and on_screen else ""
    return Shown(number, sign + before + digits + after)


# A workbook has a few formats for thousands of cells: what a format's text
# says is read once for each (a bound, for a workbook that has thousands).
KEPT_FORMATS = 256


@lru_cache(maxsize=KEPT_FORMATS)
def _layout(section: str) -> tuple[int, Decimal, bool, str, str] | None:
    """What a section says of the number it shows: its decimals, the factor its
    `%` and thousands scaling multiply by, whether it groups thousands, and the
    texts the screen shows before and after the digits; None when it is not a
    plain number format."""
    bare = _LITERAL.sub("", section)
    if _NOT_PLAIN.search(bare) or not any(char in bare for char in _PLACEHOLDER):
        return None
    last = max(bare.rfind(char) for char in _PLACEHOLDER)
    point = bare.find(".")
    decimals = (
        sum(1 for char in bare[point + 1 : last + 1] if char in _PLACEHOLDER) if point >= 0 else 0
    )
    scale = len(bare[last + 1 :]) - len(bare[last + 1 :].lstrip(","))
    percent = bare.count("%")
    grouped = "," in bare[:last].rstrip(",")
    factor = Decimal(100) ** percent / Decimal(1000) ** scale
    before, after = _on_screen(section)
    return decimals, factor, grouped, before, after


def _on_screen(section: str) -> tuple[str, str]:
    """What the screen shows of the section before and after its digits: its
    texts as they read, in place of the placeholders the digits (`(#,##0)` →
    `(3)`, `#,##0,"千"` → `1,235千`)."""
    text = _DISPLAYED.sub(lambda m: m.group(1) or m.group(2) or "", section)
    first = min(i for i, char in enumerate(text) if char in _PLACEHOLDER)
    last = max(i for i, char in enumerate(text) if char in _PLACEHOLDER)
    return text[:first], text[last + 1 :].lstrip(",")


@lru_cache(maxsize=KEPT_FORMATS)
def _sections(code: str) -> tuple[str, ...]:
    """A format's sections (positive; negative; zero; text), split at `;` outside quotes."""
    sections, current, quoted = [], "", False
    for char in code:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += char
    sections.append(current)
    return tuple(sections)
