"""What the grammar makes of the most common lines, found without running the
parser: plain sentences, numbers, comments, headings of plain text, row heads
and lone names. Reports are mostly such lines, and the parser costs far more
than a regular expression. tests/test_parse_properties.py checks every fast
path against the grammar, spans included.
"""

from __future__ import annotations

import re

from ..base.characters import BLANK
from ..base.names import normal
from ..base.numbers import number
from ..base.source import SourceFile, Span
from . import tree as ast
from .keywords import EXPRESSION_WORDS, LINE_MARK
from .lines import MAX_LINE_CHARS

PLAIN_TEXT = re.compile(r"[^<\\*\n]+")
PLAIN_NUMBER = re.compile(f"([0-9]+(?:\\.[0-9]+)?)(?:{BLANK}*([^\\W\\d]\\w*|[%％‰]))?")


def plain_text(source: SourceFile, base: int, text: str, *, line: bool) -> ast.Text | None:
    """`text` as one run of prose when the grammar would read it so: no reference,
    escape or emphasis in it and (for a whole line) no statement or line mark."""
    if PLAIN_TEXT.fullmatch(text) is None or (line and LINE_MARK.match(text)):
        return None
    return ast.Text(text, Span(source, base, base + len(text)))


def plain_number(source: SourceFile, base: int, text: str) -> ast.Number | None:
    """`text` as a number literal (`237.06`, `12人`, `96.3%`) when it is nothing else."""
    match = PLAIN_NUMBER.fullmatch(text)
    if match is None or match.group(2) in EXPRESSION_WORDS:
        return None
    digits, unit = match.group(1), match.group(2)
    unit_ref = None
    if unit is not None:
        unit_ref = ast.UnitRef(
            "%" if unit in "%％" else normal(unit),
            Span(source, base + match.start(2), base + match.end(2)),
        )
    return ast.Number(number(digits), digits, unit_ref, Span(source, base, base + len(text)))


NAME = r"[^\W\d]\w*(?:\.[^\W\d]\w*)*"
PLAIN_NAME = re.compile(NAME)
PLAIN_HEADING = re.compile(f"(#{{1,6}}){BLANK}+([^<\\\\*\n]+)")
PLAIN_TABLE_HEAD = re.compile(f"row(?:{BLANK}+({NAME}))?|(row|header|columns|end)")
TABLE_HEAD_TREES = {"row": "row_head", "header": "header_head", "columns": "columns_head"}


def is_comment(text: str) -> bool:
    """Whether a (stripped) line is a comment: `//` starts one, to the line's end."""
    return text.startswith("//") and len(text) <= MAX_LINE_CHARS


def plain_heading(source: SourceFile, base: int, text: str) -> tuple[int, ast.Text] | None:
    """A heading of plain text: its level and text."""
    match = PLAIN_HEADING.fullmatch(text)
    if match is None or len(text) > MAX_LINE_CHARS:
        return None
    start = base + match.start(2)
    return len(match.group(1)), ast.Text(match.group(2), Span(source, start, base + len(text)))


def plain_name(source: SourceFile, base: int, text: str) -> ast.Name | None:
    """A formula that is a figure's name and nothing else."""
    if PLAIN_NAME.fullmatch(text) is None or text in EXPRESSION_WORDS:
        return None
    return ast.Name(normal(text), Span(source, base, base + len(text)))


def plain_table_head(text: str) -> tuple[str, str | None] | None:
    """A table line that is `row [NAME]`, `header`, `columns` or `end` alone: the
    tree the grammar makes of it (TABLE_LINE_TREES), and the row's name."""
    match = PLAIN_TABLE_HEAD.fullmatch(text)
    if match is None or match.group(1) in EXPRESSION_WORDS:
        return None
    if match.group(2) is None:
        return "row_head", match.group(1)
    return TABLE_HEAD_TREES.get(match.group(2), "table_end"), None
