"""Names as the compiler compares them: one spelling per figure, and no two
figures whose names look alike.

Normal form. A name (of a figure, group, table, row, column, unit or format
word) is compared in Unicode NFKC form, as Python compares identifiers: a CJK
compatibility ideograph is its unified ideograph (U+F90A is 金), NFD and NFC
spellings are one name, full-width Latin letters and digits are ASCII (ａ１ is
a1), superscript digits are digits. Where NFKC would turn a name into something
that is not a name (`收入⒈` would become `收入1.`), the name keeps its NFC form.

Look-alikes. Two different names whose TR39 skeletons agree (Unicode's
confusables.txt maps Cyrillic а to Latin a, Greek ο to o, 0 to O, 1 and I to l…)
would let a check guard one figure while the prose prints the other; resolve.py
refuses the second of them (E208), showing both spellings and their code points.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache, lru_cache

from .characters import describe
from .patterns import regex

NAME = regex(r"[^\W\d]\w*(\.[^\W\d]\w*)*")
GLOB_PART = regex(r"[^\W\d]\w*|\*\*?")


def normal(name: str) -> str:
    """The form in which `name` is compared and stored: a plain `str` (also when
    given a lark token), one object for every mention of a name."""
    return _interned(str(name))


@lru_cache(maxsize=1 << 16)
def _interned(name: str) -> str:
    # a report names each figure many times: each name normalized once
    return sys.intern(_normal(name))


def _normal(name: str) -> str:
    if name.isascii():
        return name
    folded = unicodedata.normalize("NFKC", name)
    if folded == name:
        return name
    if all(GLOB_PART.fullmatch(part) for part in folded.split(".")):
        return folded
    return unicodedata.normalize("NFC", name)


@cache
def _prototypes() -> dict[int, str]:
    """Each confusable character, by its code point (as str.translate looks it
    up, in C, where a lookup per character in Python cost more), and its
    prototype: the table generated into the package from grammar/confusables.txt
    by scripts/make_tables.py (a test checks it is made from the shipped text, so
    the text is not read at each start)."""
    from rpt.grammar import confusables_table  # noqa: PLC0415  (loaded once, when needed)

    return str.maketrans(confusables_table.CONFUSABLES)


def skeleton(name: str) -> str:
    """The TR39 skeleton: two names that look alike have the same one."""
    mapped = unicodedata.normalize("NFD", name).translate(_prototypes())
    return unicodedata.normalize("NFD", mapped)


def look_alikes(names: list[str]) -> list[tuple[str, str]]:
    """Pairs (first, later) of different names that look alike, each later name
    paired with the first one it resembles."""
    # an ASCII name is its own skeleton unless it holds one of the few ASCII
    # characters with a prototype of their own (0 → O, 1 and I → l, m → rn)
    ascii_confusables = "".join(chr(c) for c in _prototypes() if c < 128)
    plain = re.compile("[^" + re.escape(ascii_confusables) + "]*")
    seen: dict[str, str] = {}
    pairs = []
    for name in names:
        key = name if name.isascii() and plain.fullmatch(name) else skeleton(name)
        first = seen.setdefault(key, name)
        if first != name:
            pairs.append((first, name))
    return pairs


def difference(a: str, b: str) -> str:
    """Where two look-alike names differ, character by character with code points:
    `1 (U+0031 DIGIT ONE) where the other has l (U+006C LATIN SMALL LETTER L)`."""
    import difflib  # noqa: PLC0415  (only when two names look alike)

    parts = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        mine = _characters(a[a_start:a_end])
        theirs = _characters(b[b_start:b_end])
        parts.append(f"`{a}` has {mine} where `{b}` has {theirs}")
    return "; ".join(parts)


def _characters(text: str) -> str:
    return ", ".join(f"{c} ({describe(c)})" for c in dict.fromkeys(text)) or "nothing"
