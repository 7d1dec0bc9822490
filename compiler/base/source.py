"""Source files, spans, and the geometry of CJK text on a terminal."""

from __future__ import annotations

import bisect
import unicodedata
from functools import cache
from itertools import accumulate

from ..base.record import field, mutable, record


@mutable(eq=False, repr=False)
class SourceFile:
    """The text of one `.rpt` file as the compiler reads it (LF line ends, no BOM).

    `path` is the name shown in diagnostics, relative to the working directory when
    the file lies below it. `blanked` holds the offsets of refused characters,
    already reported and replaced by spaces (see characters.py). Compared by
    identity: two reads are two sources.
    """

    path: str
    text: str
    blanked: tuple[int, ...] = ()
    line_starts: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # each line's start is the one before it and that line's length and end
        ends = map((1).__add__, map(len, self.text.split("\n")[:-1]))
        self.line_starts = list(accumulate(ends, initial=0))

    def __repr__(self) -> str:
        return f"SourceFile({self.path!r})"

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and 1-based column (in characters) of a text offset."""
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1

    def blanked_between(self, start: int, end: int) -> bool:
        """Whether a refused character was blanked out in [start, end)."""
        index = bisect.bisect_left(self.blanked, start)
        return index < len(self.blanked) and self.blanked[index] < end

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line end."""
        start = self.line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start:] if end < 0 else self.text[start:end]


@record
class Span:
    """A range of characters [start, end) in one source file."""

    source: SourceFile
    start: int
    end: int

    def text(self) -> str:
        return self.source.text[self.start : self.end]

    def to(self, other: Span) -> Span:
        """The span from the start of this one to the end of `other`."""
        return Span(self.source, min(self.start, other.start), max(self.end, other.end))

    def location(self) -> str:
        line, col = self.source.line_col(self.start)
        return f"{self.source.path}:{line}:{col}"


@cache  # a report's text is a few thousand distinct characters, each met often
def char_width(char: str) -> int:
    """Columns a character takes in a terminal: CJK and full-width forms take two."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    if text.isascii():
        return len(text)  # a figure, mostly: a column each, without asking per character
    return sum(map(char_width, text))


@record
class CellOrigin:
    """Where a number was read from a data file: the file as diagnostics name it,
    the sheet (empty for a CSV file), the cell's address (E10) and its value as
    the file shows it."""

    file: str
    sheet: str
    address: str
    shown: str

    def describe(self) -> str:
        """`决算.xlsx, sheet Z01 收入支出决算总表, cell E10 (216.53)`."""
        sheet = f", sheet {self.sheet}" if self.sheet else ""
        return f"{self.file}{sheet}, cell {self.address} ({self.shown})"
