"""What the parser and its fast paths (plain.py, plain_expr.py) agree on without
lark: the limits of a line, the operators' ASCII forms, and format items as
written. Kept apart from lines.py so that a report whose every line a fast path
reads never loads the parser's module."""

from __future__ import annotations

from ..base.names import normal
from ..base.source import Span
from . import tree as ast

# Later passes walk expressions recursively; this bounds how deep they go.
MAX_DEPTH = 200
MAX_LINE_CHARS = 20_000

OPERATORS = {
    "＋": "+", "－": "-", "−": "-", "×": "*", "÷": "/", "／": "/",
    "=": "==", "＝": "==", "≠": "!=", "≤": "<=", "≥": ">=",
}  # fmt: skip


# The format items whose text is the same however they were typed (full width too).
FIXED_FORMAT_TEXT = {"percent": "%", "grouping": ","}


def format_item(kind: str, written: str, span: Span) -> ast.FormatItem:
    """A format item of `kind` (decimals, percent, grouping, word) as written:
    `％` is `%`, `，` is `,`, a word is normalized as names are."""
    return ast.FormatItem(kind, FIXED_FORMAT_TEXT.get(kind) or normal(written), span)
