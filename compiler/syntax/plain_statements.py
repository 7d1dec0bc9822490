"""The declarations of a report read without the parser: `unit`, `data`, the
opening line of a table or form, and the table lines `row … after … code …`,
`unit`, `from` and `number`. Each is read token by token as the grammar reads
it (plain_expr.Reader); where the reader is not sure, it declines and the parser
reads the line. tests/test_parse_properties.py checks each against the grammar.
"""

from __future__ import annotations

from ..base.numbers import number
from ..base.record import record
from ..base.source import SourceFile, Span
from . import tree as ast
from .plain_expr import OPERAND, Decline, Reader, keyword, read


@record
class TableOpen:
    """`table NAME [like FORM] ["caption"]`, or `form …`: what opens a table."""

    form: bool
    name: str
    like: tuple[str, Span] | None
    caption: str | None
    span: Span


@record
class RowHead:
    """`row [NAME] [after NAME] [code NUMBER]`: what a row's line says before its cells."""

    name: str | None
    after: tuple[str, Span] | None
    code: tuple[str, Span] | None


def _start(source: SourceFile, base: int, text: str, word: str) -> Reader | None:
    at = keyword(text, word)
    return None if at is None else read(source, base, text, at)


def unit_decl(source: SourceFile, base: int, text: str) -> ast.UnitDecl | None:
    """`unit 户`, `unit 名 = 人`, `unit 千元 = 1000 元`."""
    reader = _start(source, base, text, "unit")
    if reader is None:
        return None
    try:
        name, name_span = reader.name()
        factor = unit = None
        reader.blank()
        if text.startswith(("=", "＝"), reader.at):
            reader.take_text(1)
            reader.blank()
            amount = OPERAND.match(text, reader.at)
            if amount is not None and amount.lastgroup == "number":
                reader.take(amount)
                factor = number(amount.group())
            unit = ast.UnitRef(*reader.name())
        if not reader.done():
            return None
    except Decline:
        return None
    return ast.UnitDecl(name, name_span, factor, unit, reader.span(0))


def data_decl(source: SourceFile, base: int, text: str) -> ast.DataSource | None:
    """`data 收支表 = "决算.xlsx" sheet "Z01" unit 元 unit "人数": 人`."""
    reader = _start(source, base, text, "data")
    if reader is None:
        return None
    try:
        name, name_span = reader.name()
        reader.blank()
        if not text.startswith(("=", "＝"), reader.at):
            return None
        reader.take_text(1)
        path = reader.string()
        if path is None:
            return None
        sheet = unit = None
        column_units: list[tuple[str, ast.UnitRef]] = []
        while not reader.done():
            if reader.word("sheet"):
                written = reader.string()
                if written is None:
                    return None
                sheet = written[0]
                continue
            if keyword(text[reader.at :], "unit") is None:
                return None
            reader.take_text(len("unit"))
            header = reader.string()
            if header is None:
                unit = ast.UnitRef(*reader.name())
            elif reader.close("colon"):
                column_units.append((header[0], ast.UnitRef(*reader.name())))
            else:
                return None
    except Decline:
        return None
    return ast.DataSource(
        name, name_span, path[0], path[1], sheet, unit, tuple(column_units), reader.span(0)
    )


def table_open(source: SourceFile, base: int, text: str) -> TableOpen | None:
    """`table 公开01 like 部门决算.公开01表 "收入支出决算总表"`, or a `form`."""
    form = text.startswith("form")
    reader = _start(source, base, text, "form" if form else "table")
    if reader is None:
        return None
    try:
        name, _ = reader.name()
        like = reader.name() if reader.word("like") else None
        caption = reader.string()
        if not reader.done():
            return None
    except Decline:
        return None
    return TableOpen(form, name, like, None if caption is None else caption[0], reader.span(0))


def row_head(source: SourceFile, base: int, text: str) -> RowHead | None:
    """The head of a row's line (what comes before its first `|`)."""
    reader = _start(source, base, text, "row")
    if reader is None:
        return None
    try:
        name = None
        if reader.peek_word() not in ("after", "code"):
            name = reader.name()[0]
        after = reader.name() if reader.word("after") else None
        code = None
        if reader.word("code"):
            reader.blank()
            digits = OPERAND.match(text, reader.at)
            if digits is None or digits.lastgroup != "number":
                return None
            reader.take(digits)
            code = (digits.group(), reader.span(digits.start()))
        if not reader.done():
            return None
    except Decline:
        return None
    return RowHead(name, after, code)


def table_word(source: SourceFile, base: int, text: str, word: str) -> tuple[str, Span] | None:
    """The name after a table's `unit`, `from` or `number`, as written."""
    reader = _start(source, base, text, word)
    if reader is None:
        return None
    try:
        reader.blank()
        match = OPERAND.match(text, reader.at)
        name = reader.name()
        if not reader.done() or match is None:
            return None
    except Decline:
        return None
    return match.group() if word == "number" else name[0], name[1]
