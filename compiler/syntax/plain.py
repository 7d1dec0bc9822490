"""What the grammar makes of the most common lines, found without running the
parser: plain sentences, numbers, comments, headings of plain text, row heads
and lone names. Reports are mostly such lines, and the parser costs far more
than a regular expression. tests/test_parse_properties.py checks every fast
path against the grammar, spans included.
"""

from __future__ import annotations

import re

from ..base.characters import BLANK, SPACES
from ..base.names import normal
from ..base.numbers import number
from ..base.patterns import regex
from ..base.source import SourceFile, Span
from . import plain_expr, plain_statements
from . import tree as ast
from .keywords import EXPRESSION_WORDS, LINE_MARK
from .spelling import MAX_LINE_CHARS, OPERATORS, format_item

PLAIN_TEXT = regex(r"[^<\\*\n]+")
PLAIN_NUMBER = regex(f"([0-9]+(?:\\.[0-9]+)?)(?:{BLANK}*([^\\W\\d]\\w*|[%％‰]))?")


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
PLAIN_NAME = regex(NAME)
PLAIN_HEADING = regex(f"(#{{1,6}}){BLANK}+([^<\\\\*\n]+)")
PLAIN_TABLE_HEAD = regex(f"row(?:{BLANK}+({NAME}))?|(row|header|columns|end)")
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


# ------------------------------------------------ statements and references
# The shapes most sentences of a report take, each read as the grammar reads it,
# by a regular expression; other spellings go to plain_expr.py's reader (which
# reads every `let` and `check`), and what it declines to the parser.

# Each pattern is unambiguous (possessive runs), so that a line of 20,000
# characters that almost matches fails in linear time.
STRING = r'"[^"\n]*+"|“[^”\n]*+”'
WORD = r"[^\W\d]\w*+(?:\.[^\W\d]\w*+)*+"
COMMENT_TAIL = f"{BLANK}*+(?://.*)?"
PLAIN_INCLUDE = regex(f"include{BLANK}++({STRING}){COMMENT_TAIL}")
FORMAT_ITEM = regex(
    f"(?P<decimals>\\.[0-9]++)|(?P<percent>[%％])|(?P<grouping>[,，])|(?P<word>‰|{WORD})"
)
PLAIN_REF = regex(f"<({WORD})(?:[:：]((?:\\.[0-9]++|[%％,，‰]|{WORD})++))?>")
PLAIN_PROSE = regex(f"(?:[^<\\\\*\\n]++|{PLAIN_REF.pattern})++")
FORMAT_ITEMS = f"(?:(?:\\.[0-9]++|[%％,，‰]|{WORD}){BLANK}*+)++"
PLAIN_COLUMN = regex(f"({WORD})(?:{BLANK}*+[:：]{BLANK}*+({FORMAT_ITEMS}))?")


PLAIN_HEADER_ENTRY = regex(f"([A-Za-z][A-Za-z0-9_-]*){BLANK}*:(.*)")


def plain_header_entry(text: str) -> tuple[str, int, str] | None:
    """A front matter line `key: value`: the key, where it ends, the value as
    written after the colon."""
    match = PLAIN_HEADER_ENTRY.fullmatch(text)
    if match is None or len(text) > MAX_LINE_CHARS:
        return None
    return match.group(1), match.end(1), match.group(2)


# The words plain_statement reads a line of.
PLAIN_STATEMENT_WORDS = ("let", "check", "unit", "data", "include")

UNIT = f"{WORD}|[%％‰]"
# The two shapes most figures of a report take: a number (`let 人数 = 12 人`) and
# a table's cell (`let 工资 = 经济分类表["工资福利支出", "基本支出"] to 万元`).
PLAIN_LET = regex(
    f"let{BLANK}++(?P<name>{WORD}){BLANK}*+[=＝]{BLANK}*+"
    f"(?:(?P<digits>[0-9]++(?:\\.[0-9]++)?)(?:{BLANK}*+(?P<unit>{UNIT}))?"
    f"|(?P<table>{WORD}){BLANK}*+[\\[［]{BLANK}*+(?P<row>{STRING})"
    f"(?:{BLANK}*+[,，]{BLANK}*+(?P<column>{STRING}))?{BLANK}*+(?P<close>[\\]］])"
    f"(?:{BLANK}*+to{BLANK}++(?P<to>{UNIT}))?)"
    f"{COMMENT_TAIL}"
)


def _operand(side: str) -> str:
    """An operand of a plain check: a call of one glob or name (`sum(支出.*)`),
    a number with or without its unit, or a name; each part in a group named
    for `side`. A glob is tried before a name, as the grammar's lexer does."""
    return (
        f"(?P<{side}_call>{WORD}){BLANK}*+\\({BLANK}*+"
        f"(?>(?P<{side}_glob>{plain_expr.GLOB})|(?P<{side}_arg>{WORD})){BLANK}*+(?P<{side}_close>\\))"
        f"|(?P<{side}_digits>[0-9]++(?:\\.[0-9]++)?)(?:{BLANK}*+(?P<{side}_unit>{UNIT}))?"
        f"|(?P<{side}_name>{WORD})"
    )


# The shape most checks take: `check 合计 == sum(科目.*) "按科目之和"`.
PLAIN_CHECK = regex(
    f"check{BLANK}++(?:{_operand('left')}){BLANK}*+(?P<op>(?>==|!=|<=|>=|[<>=＝≠≤≥]))"
    f"{BLANK}*+(?:{_operand('right')})(?:{BLANK}*+(?P<message>{STRING}))?{COMMENT_TAIL}"
)


# Each operand's groups in PLAIN_CHECK, by side.
CHECK_OPERANDS = tuple(
    tuple(f"{side}_{part}" for part in ("call", "glob", "arg", "close", "digits", "unit", "name"))
    for side in ("left", "right")
)


def plain_check(source: SourceFile, base: int, text: str) -> ast.Check | None:
    """`check A OP B ["message"]` of PLAIN_CHECK's operands, with or without a
    comment after it, as plain_expr.check reads it."""
    match = PLAIN_CHECK.fullmatch(text)
    if match is None or len(text) > MAX_LINE_CHARS:
        return None
    left = _check_operand(source, base, match, CHECK_OPERANDS[0])
    right = _check_operand(source, base, match, CHECK_OPERANDS[1])
    if left is None or right is None:
        return None
    op, message = match.group("op", "message")
    op_span = Span(source, base + match.start("op"), base + match.end("op"))
    span = Span(source, left.span.start, right.span.end)
    compare = ast.Compare(OPERATORS.get(op, op), left, right, span, op_span)
    if message is None:
        return ast.Check(compare, None, None, Span(source, base, right.span.end))
    return ast.Check(compare, None, message[1:-1], Span(source, base, base + match.end("message")))


def _check_operand(
    source: SourceFile, base: int, match: re.Match[str], groups: tuple[str, ...]
) -> ast.Expr | None:
    """A side of a plain check, from its `groups`; None where a keyword stands for a name."""
    call, glob, arg, _, digits, unit, name = match.group(*groups)
    if not all(_word(word) for word in (call, arg, unit, name) if word is not None):
        return None
    if call is not None:
        at = base + match.start(groups[0])
        call_span = Span(source, at, at + len(call))
        if glob is not None:
            at = base + match.start(groups[1])
            inner: ast.Expr = ast.Glob(normal(glob), Span(source, at, at + len(glob)))
        else:
            at = base + match.start(groups[2])
            inner = ast.Name(normal(arg), Span(source, at, at + len(arg)))
        span = Span(source, call_span.start, base + match.end(groups[3]))
        return ast.Call(normal(call), call_span, (inner,), span)
    if digits is not None:
        at = base + match.start(groups[4])
        unit_ref = _unit(source, base, match, groups[5])
        end = at + len(digits) if unit_ref is None else unit_ref.span.end
        return ast.Number(number(digits), digits, unit_ref, Span(source, at, end))
    at = base + match.start(groups[6])
    return ast.Name(normal(name), Span(source, at, at + len(name)))


def plain_statement(source: SourceFile, base: int, text: str) -> ast.Statement | None:
    """A `let` or an `include` of the shapes below, a `let` or `check` of an
    expression (plain_expr.py), or a `unit` or `data` (plain_statements.py)."""
    if text.startswith("let"):
        return plain_let(source, base, text) or plain_expr.let(source, base, text)
    if text.startswith("check"):
        return plain_check(source, base, text) or plain_expr.check(source, base, text)
    if text.startswith("unit"):
        return plain_statements.unit_decl(source, base, text)
    if text.startswith("data"):
        return plain_statements.data_decl(source, base, text)
    if text.startswith("include"):
        return plain_include(source, base, text)
    return None


def _word(text: str) -> bool:
    """Whether a name-shaped token is a name here, not a keyword of expressions."""
    return text not in EXPRESSION_WORDS


def plain_let(source: SourceFile, base: int, text: str) -> ast.Let | None:
    """`let NAME = NUMBER [UNIT]` or `let NAME = TABLE["row", "column"] [to UNIT]`,
    with or without a comment after it, as plain_expr.let reads it."""
    match = PLAIN_LET.fullmatch(text)
    if match is None or len(text) > MAX_LINE_CHARS:
        return None
    name, digits, unit, table, to = match.group("name", "digits", "unit", "table", "to")
    if not all(_word(word) for word in (name, unit, table, to) if word is not None):
        return None
    expr: ast.Expr
    if digits is not None:
        expr = ast.Number(
            number(digits),
            digits,
            _unit(source, base, match, "unit"),
            Span(
                source, base + match.start("digits"), base + match.end("unit" if unit else "digits")
            ),
        )
    else:
        keys = tuple(key[1:-1] for key in match.group("row", "column") if key is not None)
        table_span = Span(source, base + match.start("table"), base + match.end("table"))
        cell_span = Span(source, base + match.start("table"), base + match.end("close"))
        expr = ast.CellRef(normal(table), table_span, keys, cell_span)
        unit_ref = _unit(source, base, match, "to")
        if unit_ref is not None:
            expr = ast.Convert(expr, unit_ref, Span(source, cell_span.start, unit_ref.span.end))
    name_span = Span(source, base + match.start("name"), base + match.end("name"))
    return ast.Let(normal(name), name_span, expr, Span(source, base, expr.span.end))


def _unit(source: SourceFile, base: int, match: re.Match[str], group: str) -> ast.UnitRef | None:
    written = match.group(group)
    if written is None:
        return None
    span = Span(source, base + match.start(group), base + match.end(group))
    return ast.UnitRef("%" if written in "%％" else normal(written), span)


def plain_include(source: SourceFile, base: int, text: str) -> ast.Include | None:
    """`include "file"`, with or without a comment after it."""
    match = PLAIN_INCLUDE.fullmatch(text)
    if match is None or len(text) > MAX_LINE_CHARS:
        return None
    return ast.Include(match.group(1)[1:-1], Span(source, base, base + match.end(1)))


def plain_column(source: SourceFile, base: int, text: str) -> ast.Column | None:
    """A column of a `columns` line: its name, and its format of decimals, %,
    grouping and words (`决算数: 万元 .2`)."""
    match = PLAIN_COLUMN.fullmatch(text)
    if match is None or not _word(match.group(1)) or len(text) > MAX_LINE_CHARS:
        return None
    written = match.group(2)
    fmt = None if written is None else _format(source, base + match.start(2), written)
    if written is not None and fmt is None:
        return None
    span = Span(source, base, base + len(text))
    return ast.Column(normal(match.group(1)), fmt, span)


def plain_prose(
    source: SourceFile, base: int, text: str, *, line: bool = True
) -> tuple[ast.Inline, ...] | None:
    """A sentence (or, not `line`, a table's text cell) of plain text and
    references to figures by name, each with or without a format of decimals, %,
    grouping and words (`<支出.基本:.2>`); with references to expressions, as
    plain_expr.py reads them."""
    if PLAIN_PROSE.fullmatch(text) is None:
        return plain_expr.sentence(source, base, text, line=line)
    if (
        (line and LINE_MARK.match(text))
        or len(text) > MAX_LINE_CHARS
        or text[0] in SPACES  # the parser's runs of text are trimmed at the line's ends
        or text[-1] in SPACES
    ):
        return None
    inlines: list[ast.Inline] = []
    at = 0
    for ref in PLAIN_REF.finditer(text):
        name, written = ref.group(1, 2)
        if not _word(name):
            return None
        if ref.start() > at:
            span = Span(source, base + at, base + ref.start())
            inlines.append(ast.Text(text[at : ref.start()], span))
        expr = ast.Name(normal(name), Span(source, base + ref.start(1), base + ref.end(1)))
        fmt = None if written is None else _format(source, base + ref.start(2), written)
        if written is not None and fmt is None:
            return None
        inlines.append(ast.Ref(expr, fmt, Span(source, base + ref.start(), base + ref.end())))
        at = ref.end()
    if at < len(text):
        inlines.append(ast.Text(text[at:], Span(source, base + at, base + len(text))))
    return tuple(inlines)


PLAIN_MARK = regex(f"(?:(?P<ordinal>[0-9]+\\.)|(?P<bullet>-)|(?P<note>note)){BLANK}++")


def is_marked(text: str) -> bool:
    """Whether a line starts with a list item's mark (`1. `, `- `) or `note `."""
    return PLAIN_MARK.match(text) is not None


def plain_marked(
    source: SourceFile, base: int, text: str
) -> tuple[str, str, Span, tuple[ast.Inline, ...]] | None:
    """A list item (`1. …`, `- …`) or a line of a note (`note …`) whose text
    `plain_prose` reads: the kind of its mark (ordinal, bullet or note), the mark
    as written, where it is, and the text after it."""
    match = PLAIN_MARK.match(text)
    if match is None or len(text) > MAX_LINE_CHARS:
        return None
    kind = match.lastgroup
    assert kind is not None
    inlines = plain_prose(source, base + match.end(), text[match.end() :], line=False)
    if not inlines:
        return None
    mark_span = Span(source, base + match.start(kind), base + match.end(kind))
    return kind, match.group(kind), mark_span, inlines


def _format(source: SourceFile, base: int, written: str) -> ast.Format | None:
    items = []
    for item in FORMAT_ITEM.finditer(written):
        kind = item.lastgroup
        assert kind is not None
        if kind == "word" and not _word(item.group()):
            return None
        span = Span(source, base + item.start(), base + item.end())
        items.append(format_item(kind, item.group(), span))
    return ast.Format(tuple(items), items[0].span.to(items[-1].span))
