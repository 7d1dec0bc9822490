"""How much text a build may print: one figure, and the whole document.

The size of a report's files is bounded (read.py), but not what its figures
print: a formula joins a text to itself until it fills the memory, and a
reference of a few characters prints a figure wherever it stands, as often as
it is written. Past these bounds a build ends with E107, in bounded time and
memory: a number has at most numbers.MAX_DIGITS digits, so printing one costs
little before its length is measured, and the document's length is counted
while it is built.
"""

from __future__ import annotations

from fractions import Fraction

from ..check.ir import Display
from ..syntax.read import MAX_TOTAL_BYTES
from .format import format_number

# A figure is a number or a phrase: the largest budget in 元, grouped, with 20
# decimals, prints in under 60 characters, and a text figure is a sentence or
# two. More is a mistake, or a formula written to print megabytes.
MAX_FIGURE_CHARS = 1_000
# Twice the characters the largest accepted sources can hold, so that a report
# whose figures print about as long as they are written always fits; more means
# figures printed many times over.
MAX_DOCUMENT_CHARS = 2 * MAX_TOTAL_BYTES


def print_figure(value: Fraction, display: Display) -> str | None:
    """The number as `display` prints it, or None when that would be longer than
    MAX_FIGURE_CHARS."""
    text = format_number(value, display)
    return text if len(text) <= MAX_FIGURE_CHARS else None
