"""Parse the lines of a `table … end` block.

    table 收支表 "收入支出决算总表"
    unit 万元
    columns | 项目 | 预算数: 万元 | 决算数: 万元 | 执行率: % |
    header | 项目 | 年初预算数 | 决算数 | 执行率 |
    row 财政拨款 | 财政拨款收入 | 237.06 | 216.53 | = 决算数 / 预算数 |
    row 合计     | 合计 | = sum(*.预算数) | = sum(*.决算数) | < |
    check 合计 == sum(财政拨款)
    end

`from 收支表` binds the table to a data source: an `@` cell reads the source's
cell in its row's label and its column's header (tables.py makes the reference).

A row line is split into cells at `|` (outside `<…>`, quotes and escapes); each
cell is parsed on its own. A long row may go on over lines that start with `|`.
"""

from __future__ import annotations

from itertools import accumulate

from ..base.characters import SPACES
from ..base.codes import Code
from ..base.diagnostics import Diagnostics
from ..base.names import normal
from ..base.patterns import regex
from ..base.record import field, mutable
from ..base.source import SourceFile, Span
from . import plain_expr, plain_statements
from . import tree as ast
from .format_words import ALIGNMENTS
from .plain import (
    is_comment,
    plain_check,
    plain_column,
    plain_name,
    plain_number,
    plain_prose,
    plain_table_head,
    plain_text,
)

# Words a number column accepts as "no number here"; they print as written.
NO_NUMBER = {"—", "——", "-", "－", "/", "无", "…", "……"}
LAYOUT_BEFORE_TEXT = SPACES.replace("\u3000", "")
# A cell that is one of these marks alone: what it makes (the last two only
# outside a header).
CELL_MARKS = {
    "<": "left",
    "^": "up",
    "~": "keep",
    "～": "keep",
    "?": "placeholder",
    "？": "placeholder",
    "@": "data",
    "＠": "data",
}
NUMBER_LITERAL = regex(r"[-+－−]?\s*[0-9]+(\.[0-9]+)?\s*[^\s\d]*")


def reread_cell(
    cell: ast.Cell, columns: tuple[ast.Column, ...], column: int, diagnostics: Diagnostics
) -> ast.Cell:
    """A text cell of a table that extends a form, read again now that its column
    is known: the lines of such a table have no `columns` line, so a number in a
    number column of the form was read as text."""
    if cell.kind != "text" or not LayoutColumns(columns).numeric(column):
        return cell
    layout = TableLayout(cell.span.source, diagnostics, "", None, cell.span, columns=[*columns])
    return layout._cell(cell.span.start, cell.span.text(), column)


@mutable
class LayoutColumns:
    """A table's columns, as far as reading its cells needs them."""

    columns: tuple[ast.Column, ...]

    def numeric(self, column: int) -> bool:
        """A column with a format is a number column; an alignment alone (`说明: center`)
        does not make one."""
        return column < len(self.columns) and _numeric(self.columns[column].format)


def _numeric(spec: ast.Format | None) -> bool:
    """Whether a column of this format is a number column: an alignment alone
    (`说明: center`) does not make one."""
    return spec is not None and any(
        not (item.kind == "word" and item.text in ALIGNMENTS) for item in spec.items
    )


# What split_cells stops at: an escape, a quote, a reference's brackets, a bar;
# within quotes, an escape or the closing quote. Between them nothing changes.
CELL_MARK = regex(r'[\\"“<>|]')
QUOTED_MARK = {'"': regex(r'[\\"]'), "”": regex(r"[\\”]")}
NOT_SPACE = regex(r"\S")  # what str.strip() stops at


def split_cells(text: str) -> tuple[str, list[tuple[int, str]]] | None:
    """The head before the first `|`, and each cell with its offset in `text`.
    None when the line has no `|`. A blank last segment (after a closing `|`) is
    not a cell."""
    unquoted = "\\" not in text and '"' not in text and "“" not in text
    if unquoted and ("<" not in text or ">" not in text):
        # nothing but bars to stop at: no reference opens without a `>` after
        # its `<`, and a `>` closes only a reference
        return _split_bars(text)
    return _split_marks(text)


def _split_marks(text: str) -> tuple[str, list[tuple[int, str]]] | None:
    """split_cells, mark by mark."""
    cells: list[tuple[int, str]] = []
    start = None
    head = ""
    index = 0
    quote = ""
    in_ref = False
    while (mark := (QUOTED_MARK[quote] if quote else CELL_MARK).search(text, index)) is not None:
        index = mark.start()
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if quote:
            quote = ""  # the closing quote
        elif char in ('"', "“"):
            # a quote no quote closes is a mark of its own, as a `<` no `>`
            # closes: it does not take the rest of the row into its cell
            closing = '"' if char == '"' else "”"
            quote = closing if _closed(text, index + 1, closing) else ""
        elif char == "<" and not in_ref:
            # a `<` alone in its cell joins cells; any other opens a reference
            following = NOT_SPACE.search(text, index + 1)
            in_ref = following is not None and following.group() != "|"
            in_ref = in_ref and text.find(">", index) > index
        elif char == ">" and in_ref:
            in_ref = False
        elif char == "|" and not in_ref:
            if start is None:
                head = text[:index]
            else:
                cells.append((start, text[start:index]))
            start = index + 1
        index += 1
    if start is None:
        return None
    last = text[start:]
    if last.strip():
        cells.append((start, last))
    return head, cells


def _split_bars(text: str) -> tuple[str, list[tuple[int, str]]] | None:
    """split_cells of a line whose only marks are bars."""
    head, *segments = text.split("|")
    if not segments:
        return None
    # each segment starts after the one before it and its bar
    starts = accumulate(map((1).__add__, map(len, segments)), initial=len(head) + 1)
    cells = list(zip(starts, segments, strict=False))  # one start more than segments
    if not segments[-1].strip():
        cells.pop()
    return head, cells


def _closed(text: str, index: int, closing: str) -> bool:
    """Whether `closing` comes at or after `index`, not escaped."""
    while (found := text.find(closing, index)) >= 0:
        start = found  # the backslashes right before it, each read once
        while start > index and text[start - 1] == "\\":
            start -= 1
        if (found - start) % 2 == 0:
            return True
        index = found + 1
    return False


@mutable
class TableLayout:
    """Collects the lines of one table; `line` returns False at its `end`."""

    source: SourceFile
    diagnostics: Diagnostics
    name: str
    caption: str | None
    span: Span
    form: bool = False
    like: tuple[str, Span] | None = None
    drops: list[tuple[str, Span]] = field(default_factory=list)
    unit: ast.UnitRef | None = None
    data: tuple[str, Span] | None = None
    number: str | None = None
    columns: list[ast.Column] = field(default_factory=list)
    rows: list[ast.TableRow] = field(default_factory=list)
    checks: list[ast.Check] = field(default_factory=list)
    row_name: str | None = None
    row_header: bool = False
    row_cells: list[ast.Cell] = field(default_factory=list)
    row_span: Span | None = None
    row_after: tuple[str, Span] | None = None
    row_code: tuple[str, Span] | None = None
    closed: bool = False

    def line(self, base: int, text: str) -> bool:
        """Take one stripped line found at `base`; False once the table has ended."""
        split = split_cells(text)
        head, cells = split if split is not None else (text, [])
        if split is not None and not head.strip():
            if self.row_span is None:
                self._error(
                    "cells outside a row", base, text, "start the row with `row` or `header`"
                )
            else:
                self._cells(base, cells)
                self.row_span = self.row_span.to(Span(self.source, base, base + len(text)))
            return True
        if is_comment(head):
            return True
        plain = plain_table_head(head.rstrip())
        if plain is not None:
            kind, name = plain
            return self._head(kind, name, base, text, cells)
        going_on = self._plain_line(base, text, head.rstrip(), cells)
        if going_on is not None:
            return going_on
        # the parser's module loads only for a line no fast path reads
        from rpt.grammar.lark_parser import Token  # noqa: PLC0415

        from .lines import Builder, parse_line  # noqa: PLC0415

        tree = parse_line(self.source, base, head.rstrip(), "table_line", self.diagnostics)
        if tree is None:
            return True
        builder = Builder(self.source, base)
        match tree.data:
            case "comment":
                return True
            case "row_head" | "header_head" | "columns_head" | "table_end":
                written = tree.children[1] if tree.data == "row_head" else None
                name = str(written) if isinstance(written, Token) else None
                going_on = self._head(tree.data, name, base, text, cells)
                if tree.data == "row_head":
                    _, _, _, after, _, code = tree.children
                    if isinstance(after, Token):
                        self.row_after = (normal(after), builder.span(after))
                    if isinstance(code, Token):
                        self.row_code = (str(code), builder.span(code))
                return going_on
            case "table_unit":
                unit = tree.children[1]
                assert isinstance(unit, Token)
                self.unit = ast.UnitRef(normal(unit), builder.span(unit))
            case "table_from":
                source = tree.children[1]
                assert isinstance(source, Token)
                self._from((normal(source), builder.span(source)), base, head.rstrip())
            case "table_number":
                self.number = str(tree.children[1])
            case "table_drop":
                self._row_done()
                for target in tree.children[1:]:
                    assert isinstance(target, Token)
                    self.drops.append((normal(target), builder.span(target)))
            case "table_check":
                self._row_done()
                self.checks.append(builder.table_check(tree))
            case other:
                raise AssertionError(f"the grammar makes a table line rpt does not know: {other}")
        self._no_cells(base, cells)
        return True

    def _plain_line(
        self, base: int, text: str, head: str, cells: list[tuple[int, str]]
    ) -> bool | None:
        """A table line of a shape read without the parser (plain_expr.py,
        plain_statements.py), taken: whether the table goes on. None for a line
        the parser is to read."""
        if head.startswith("check"):
            check = plain_check(self.source, base, head) or plain_expr.check(
                self.source, base, head, table=True
            )
            if check is None:
                return None
            self._row_done()
            self.checks.append(check)
        elif head.startswith("row"):
            row = plain_statements.row_head(self.source, base, head)
            if row is None:
                return None
            going_on = self._head("row_head", row.name, base, text, cells)
            self.row_after, self.row_code = row.after, row.code
            return going_on
        else:
            word = next((w for w in ("unit", "from", "number") if head.startswith(w)), None)
            found = (
                None if word is None else plain_statements.table_word(self.source, base, head, word)
            )
            if found is None:
                return None
            if word == "unit":
                self.unit = ast.UnitRef(*found)
            elif word == "from":
                self._from(found, base, head)
            else:
                self.number = found[0]
        self._no_cells(base, cells)
        return True

    def _from(self, source: tuple[str, Span], base: int, head: str) -> None:
        """`from 数据`: the data source the table's `@` cells read."""
        if self.data is not None:
            self._error(
                f"the table `{self.name}` already reads from `{self.data[0]}`",
                base,
                head,
                "a table reads one data source; give other cells as `名称[…]` formulas",
            )
        self.data = source

    def _head(
        self, kind: str, name: str | None, base: int, text: str, cells: list[tuple[int, str]]
    ) -> bool:
        """A line starting a row (`row NAME`, `header`), the columns, or ending the table."""
        self._row_done()
        match kind:
            case "row_head" | "header_head":
                self.row_name = normal(name) if name is not None else None
                self.row_header = kind == "header_head"
                self.row_span = Span(self.source, base, base + len(text))
                self._cells(base, cells)
            case "columns_head":
                self._columns(base, cells)
            case "table_end":
                self._no_cells(base, cells)
                self.closed = True
                return False
            case other:
                raise AssertionError(f"not a table line that starts a row: {other}")
        return True

    def _no_cells(self, base: int, cells: list[tuple[int, str]]) -> None:
        if cells:
            offset, _ = cells[0]
            self._error(
                "only `row`, `header` and `columns` lines have cells", base + offset - 1, "|"
            )

    def table(self) -> ast.Table:
        self._row_done()
        if not self.closed:
            self.diagnostics.error(
                Code.SYNTAX,
                f"the table `{self.name}` is not closed",
                self.span,
                "opened here",
                help="end it with a line `end`",
            )
        return ast.Table(
            self.name,
            self.caption,
            self.unit,
            tuple(self.columns),
            tuple(self.rows),
            tuple(self.checks),
            self.span,
            self.data,
            self.number,
            self.form,
            self.like,
            tuple(self.drops),
        )

    # ---------------------------------------------------------------- rows

    def _row_done(self) -> None:
        if self.row_span is not None:
            self.rows.append(
                ast.TableRow(
                    self.row_name,
                    self.row_header,
                    tuple(self.row_cells),
                    self.row_span,
                    self.row_after,
                    self.row_code,
                )
            )
        self.row_name, self.row_header, self.row_cells, self.row_span = None, False, [], None
        self.row_after = self.row_code = None

    def _cells(self, base: int, cells: list[tuple[int, str]]) -> None:
        row_cells, cell = self.row_cells, self._cell
        for column, (offset, raw) in enumerate(cells, len(row_cells)):
            row_cells.append(cell(base + offset, raw, column))

    def _cell(self, base: int, raw: str, column: int) -> ast.Cell:
        # Every space separates a number, a formula or a span mark from the `|`,
        # and spaces around text are layout, but for ideographic spaces (　)
        # before a label: they indent a sub-item, and are printed.
        bare = raw.strip(SPACES)
        if not bare:
            return ast.Cell("empty", (), None, Span(self.source, base, base + len(raw)))
        start = base + raw.index(bare[0])  # after the spaces strip() took
        mark = CELL_MARKS.get(bare)
        header = self.row_header
        if mark is not None and (mark in ("left", "up", "keep") or not header):
            span = Span(self.source, start, start + len(bare))
            placeholder = (ast.Placeholder(span),) if mark == "placeholder" else ()
            return ast.Cell(mark, placeholder, None, span)
        if not header and bare[0] in "=＝":
            span = Span(self.source, start, start + len(bare))
            body = bare[1:].lstrip(SPACES)
            return self._expression("formula", body, start + len(bare) - len(body), span)
        if not header and self._numeric(column) and bare not in NO_NUMBER:
            return self._number_cell(bare, start, column)
        text = bare  # with no ideographic space, all spaces around text are layout
        if "\u3000" in raw:
            text = raw.rstrip(SPACES).lstrip(LAYOUT_BEFORE_TEXT)
            start = base + len(raw) - len(raw.lstrip(LAYOUT_BEFORE_TEXT))
        plain = plain_text(self.source, start, text, line=False)
        if plain is not None:
            return ast.Cell("text", (plain,), None, plain.span)
        span = Span(self.source, start, start + len(text))
        inlines = plain_prose(self.source, start, text, line=False) if text else None
        if inlines is not None:
            return ast.Cell("text", inlines, None, span)
        # the parser's module loads only for a line no fast path reads

        from .lines import Builder, parse_line  # noqa: PLC0415

        tree = parse_line(self.source, start, text, "cell_text", self.diagnostics)
        inlines = Builder(self.source, start).inlines(tree.children) if tree is not None else ()
        return ast.Cell("text", inlines, None, span)

    def _number_cell(self, bare: str, start: int, column: int) -> ast.Cell:
        """A cell of a number column, `bare` without its spaces, at `start`."""
        span = Span(self.source, start, start + len(bare))
        if NUMBER_LITERAL.fullmatch(bare) and not bare.startswith(("+", "－", "−")):
            return self._expression("number", bare, start, span)
        quoted = bare.startswith(('"', "“")) and bare.endswith(('"', "”")) and len(bare) > 1
        column_name = self.columns[column].name
        if not quoted:
            self._error(
                f"`{bare}` is in the number column `{column_name}`",
                start,
                bare,
                'write a number, `= formula`, — or 无 for none, or "quoted text"',
            )
            return ast.Cell("empty", (), None, span)
        inner = bare[1:-1].strip(SPACES)
        if NUMBER_LITERAL.fullmatch(inner):
            # a number in quotes prints like one but is text: no sum or check sees it
            self._error(
                f"`{bare}` is a number written as text in the number column `{column_name}`",
                start,
                bare,
                f"write it without quotes, `{inner}`, so that sums and checks include it",
            )
            return ast.Cell("empty", (), None, span)
        return ast.Cell("text", (ast.Text(bare[1:-1], span),), None, span)

    def _expression(self, kind: str, text: str, base: int, span: Span) -> ast.Cell:
        """A number or formula cell; `text` (the formula without its `=`) is at `base`."""
        literal = (
            plain_number(self.source, base, text)
            or plain_name(self.source, base, text)
            or plain_expr.formula(self.source, base, text)
        )
        if literal is not None:
            return ast.Cell(kind, (), literal, span)
        # the parser's module loads only for a line no fast path reads
        from rpt.grammar.lark_parser import Token, Tree  # noqa: PLC0415

        from .lines import Builder, parse_line  # noqa: PLC0415

        tree = parse_line(self.source, base, text, "formula", self.diagnostics)
        if tree is None:
            return ast.Cell(kind, (), ast.Invalid(span), span)
        node = tree.children[0]
        assert isinstance(node, Tree | Token)
        return ast.Cell(kind, (), Builder(self.source, base).expr(node), span)

    def _numeric(self, column: int) -> bool:
        return column < len(self.columns) and _numeric(self.columns[column].format)

    def _columns(self, base: int, cells: list[tuple[int, str]]) -> None:
        for offset, raw in cells:
            text = raw.strip()
            start = base + offset + len(raw) - len(raw.lstrip())
            column = plain_column(self.source, start, text)
            if column is not None:
                self.columns.append(column)
                continue
            from rpt.grammar.lark_parser import Token, Tree  # noqa: PLC0415

            from .lines import Builder, parse_line  # noqa: PLC0415

            tree = parse_line(self.source, start, text, "column_spec", self.diagnostics)
            if tree is None:
                continue
            builder = Builder(self.source, start)
            name, fmt = tree.children
            assert isinstance(name, Token)
            spec = builder.format(fmt) if isinstance(fmt, Tree) else None
            self.columns.append(ast.Column(normal(name), spec, builder.span(tree)))

    def _error(self, message: str, start: int, text: str, help: str | None = None) -> None:
        self.diagnostics.error(
            Code.SYNTAX, message, Span(self.source, start, start + len(text)), help=help
        )
