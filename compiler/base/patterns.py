"""`regex`: how rpt compiles the regular expressions of its modules.

`re.compile` parses each pattern and writes its program for the matching engine
at every start; for the classes of non-ASCII characters rpt's patterns are full
of (blanks, full-width operators) the program holds a table of the whole Basic
Multilingual Plane, and making some sixty of them cost a tenth of the imports of
a check. scripts/make_tables.py writes each pattern's program, as this Python's
`re` makes it, into base/pattern_codes.py; `regex` hands that program to the
engine, as `re.compile` itself does last, only for the very same pattern and
flags under the same `re` (its version is part of the key): any other pattern,
or another Python, is compiled by `re` as usual.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from . import pattern_codes

# Every pattern and flags given to `regex` in this process, found in the table or
# not: what scripts/make_tables.py writes into pattern_codes.py.
WRITTEN: list[tuple[str, int]] = []

_COMPILER: Any = getattr(re, "_compiler", None)  # re's own compiler (Python 3.11 on)

# What re's compiler hands the engine: flags, program, groups, their names both ways.
Program = tuple[int, tuple[int, ...], int, dict[str, int], tuple[str | None, ...]]


def engine_version() -> tuple[int, ...]:
    """What a program is written for: this Python, its engine's version and word size."""
    return (*sys.version_info[:2], _COMPILER._sre.MAGIC, _COMPILER._sre.CODESIZE)


_CURRENT = _COMPILER is not None and engine_version() == pattern_codes.ENGINE


def regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, from the program compiled ahead when the
    table has this pattern: the same object as `re` would make."""
    WRITTEN.append((pattern, int(flags)))
    made = pattern_codes.CODES.get((pattern, int(flags))) if _CURRENT else None
    if made is None:
        return re.compile(pattern, flags)
    final_flags, code, groups, groupindex, indexgroup = made
    compiled: re.Pattern[str] = _COMPILER._sre.compile(
        pattern, final_flags, list(code), groups, dict(groupindex), indexgroup
    )
    return compiled


def program(
    pattern: str, flags: int = 0
) -> tuple[int, tuple[int, ...], int, dict[str, int], tuple[str | None, ...]]:
    """What `re.compile` hands the engine for `pattern`: the flags, the program,
    the number of groups and their names (the steps of re._compiler.compile)."""
    parsed = _COMPILER._parser.parse(pattern, flags)
    code = _COMPILER._code(parsed, flags)
    names = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in names.items():
        indexgroup[index] = name
    return (
        int(flags | parsed.state.flags),
        tuple(int(word) for word in code),
        parsed.state.groups - 1,
        names,
        tuple(indexgroup),
    )
