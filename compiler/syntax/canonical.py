"""The canonical layout of a source file, for `rpt fmt`.

One space around binary operators and after commas, a space between a number
and a named unit (`216.53 万元`, but `96%`), `==` for an equality, ASCII for
the full-width operators an input method types; statements start at the
margin; front matter reads `key: value`; the cells of a table's one-line rows
are padded so their `|` line up (CJK counts double). Prose, comments, blank
lines and the names, numbers, texts and formats as written are kept; so is
every table row that goes on over several lines.

A file is only laid out when it parses without error, and the layout means
what the file meant: tests/test_fmt.py builds the original and the formatted
file of every golden and fuzzing source and compares the outputs.
"""

from __future__ import annotations

from typing import assert_never

from rpt.grammar.lark_parser import Token, Tree

from ..base.characters import SPACES
from ..base.diagnostics import Diagnostics
from ..base.record import mutable
from ..base.source import SourceFile, Span, display_width
from . import tree as ast
from . import walks
from .keywords import STATEMENT_WORDS
from .lines import Builder, parse_line
from .parse import HEADING_NUMBER
from .parse_table import LAYOUT_BEFORE_TEXT, split_cells

# lines of code, whose trailing comments line up (a note is prose)
CODE_WORDS = tuple(word for word in STATEMENT_WORDS if word != "note")
# binding strength, loosest first, as the grammar's expression rules nest
OR, AND, NOT, COMPARE, CONVERT, SUM, PRODUCT, UNARY, POWER, ATOM = range(10)
ATTACHED_UNITS = ("%", "％", "‰")
# A table is aligned when its aligned lines fit this many columns; a wider one
# (long labels in a self-evaluation form) would be padded out of all reading,
# and every edit of its longest cell would re-pad all its lines in a diff.
MAX_ALIGNED_WIDTH = 120


def expr_text(expr: ast.Expr, level: int = OR) -> str:
    """The expression written canonically; parenthesised when it binds more
    loosely than `level`, the least its place in the enclosing one needs."""
    text, own = _expr(expr)
    return f"({text})" if own < level else text


def _expr(expr: ast.Expr) -> tuple[str, int]:
    match expr:
        case ast.Number(text=text, unit=unit):
            if unit is None:
                return text, ATOM
            written = unit.span.text()
            return (text + written if written in ATTACHED_UNITS else f"{text} {written}"), ATOM
        case ast.String() | ast.Bool() | ast.Name() | ast.Glob() | ast.Invalid():
            return " ".join(expr.span.text().split()), ATOM
        case ast.Unary(op=op, operand=operand):
            return op + expr_text(operand, UNARY), UNARY
        case ast.Binary(op="^", left=left, right=right):
            return f"{expr_text(left, ATOM)} ^ {expr_text(right, UNARY)}", POWER
        case ast.Binary(op=op, left=left, right=right):
            level = SUM if op in ("+", "-") else PRODUCT
            return f"{expr_text(left, level)} {op} {expr_text(right, level + 1)}", level
        case ast.Compare(op=op, left=left, right=right):
            return f"{expr_text(left, CONVERT)} {op} {expr_text(right, CONVERT)}", COMPARE
        case ast.Logic(op=op, left=left, right=right):
            level = OR if op == "or" else AND
            return f"{expr_text(left, level)} {op} {expr_text(right, level + 1)}", level
        case ast.Not(operand=operand):
            return f"not {expr_text(operand, NOT)}", NOT
        case ast.Convert(expr=operand, unit=unit):
            return f"{expr_text(operand, CONVERT)} to {unit.span.text()}", CONVERT
        case ast.Call(func_span=func_span, args=args):
            inner = ", ".join(expr_text(arg) for arg in args)
            return f"{func_span.text()}({inner})", ATOM
        case ast.CellRef(source_span=source_span, keys=keys):
            return f"{source_span.text()}[{', '.join(_quoted(key) for key in keys)}]", ATOM
        case ast.Formatted(expr=operand, format=fmt):
            return f"({expr_text(operand)}:{format_text(fmt)})", ATOM
        case ast.Items(items=items):
            return "、".join(expr_text(item, CONVERT) for item in items), CONVERT
        case _:
            assert_never(expr)


def _quoted(text: str) -> str:
    return f"“{text}”" if '"' in text else f'"{text}"'


def format_text(fmt: ast.Format) -> str:
    """A format as written, its words one space apart."""
    return " ".join(fmt.span.text().split())


def ref_text(ref: ast.Ref) -> str:
    inner = expr_text(ref.expr, CONVERT)
    return f"<{inner}:{format_text(ref.format)}>" if ref.format else f"<{inner}>"


# ---------------------------------------------------------------- lines


# a line laid out: its text, or a statement's code and its trailing comment
Laid = str | tuple[str, str]


def layout(source: SourceFile) -> str:
    """The file laid out canonically. The file must parse without error."""
    lines = source.text.split("\n")
    out: list[Laid] = []
    index = 0
    if lines and lines[0].strip() == "---":
        out.append("---")
        index = 1
        while index < len(lines) and lines[index].strip() != "---":
            out.append(_header_line(source, index, lines[index]))
            index += 1
        if index < len(lines):
            out.append("---")
            index += 1
    table: _Table | None = None
    while index < len(lines):
        text = lines[index]
        if table is not None:
            if table.line(source, index, text):
                out.extend(table.lines())
                table = None
        else:
            laid, opened = _body_line(source, index, text)
            out.append(laid)
            if opened:
                table = _Table()
        index += 1
    if table is not None:
        out.extend(table.lines())
    laid_out = _with_comments(out)
    while laid_out and not laid_out[-1]:
        laid_out.pop()
    return "\n".join(laid_out) + "\n" if laid_out else ""


def _with_comments(lines: list[Laid]) -> list[str]:
    """Trailing comments of a run of statements (lines up to a blank line or a
    line of prose) start in one column."""
    out: list[str] = []
    run: list[Laid] = []

    def flush() -> None:
        widths = [display_width(line[0]) for line in run if isinstance(line, tuple)]
        column = max(widths, default=0) + 2
        for entry in run:
            if isinstance(entry, tuple):
                code, comment = entry
                out.append(f"{code}{' ' * (column - display_width(code))}{comment}")
            else:
                out.append(entry)
        run.clear()

    for line in lines:
        if isinstance(line, tuple) or (line and line.startswith(CODE_WORDS)):
            run.append(line)
            continue
        flush()
        out.append(line)
    flush()
    return out


def _commented(code: str, tree: Tree[Token], builder: Builder, stripped: str) -> Laid:
    """A statement's line with the comment that follows it, if any."""
    end = builder.span(tree).end - builder.base
    rest = stripped[end:].strip()
    return (code, rest) if rest.startswith("//") else code


def _where(source: SourceFile, index: int, text: str) -> tuple[int, str, str]:
    """A line's offset past its indentation, the indentation and the stripped text."""
    stripped = text.strip()
    indent = text[: len(text) - len(text.lstrip())]
    return source.line_starts[index] + len(indent), indent, stripped


def _header_line(source: SourceFile, index: int, text: str) -> str:
    base, _, stripped = _where(source, index, text)
    if not stripped or stripped.startswith("//"):
        return stripped
    tree = _parsed(source, base, stripped, "header_entry")
    key, value = tree.children
    value_text = str(value)[1:].strip() if isinstance(value, Token) else ""
    return f"{key}: {value_text}".rstrip()


def _body_line(source: SourceFile, index: int, text: str) -> tuple[Laid, bool]:
    """A line outside tables as laid out, and whether it opens a table."""
    base, indent, stripped = _where(source, index, text)
    if not stripped or ("<" not in stripped and not _may_be_statement(stripped)):
        return (indent + stripped if stripped else ""), False
    suffix = ""
    written = HEADING_NUMBER.search(stripped) if stripped.startswith("#") else None
    if written is not None:
        stripped, suffix = stripped[: written.start()], stripped[written.start() :].strip()
        suffix = " " + suffix
    tree = _parsed(source, base, stripped, "line")
    builder = Builder(source, base)
    match tree.data:
        case "let" | "check" | "unit_decl" | "include" | "data_decl":
            return _commented(_statement(tree, builder), tree, builder, stripped), False
        case "table_open" | "form_open":
            word, name, _, like, caption = tree.children
            line = f"{word} {name}" + (f" like {like}" if isinstance(like, Token) else "")
            line += f" {caption}" if isinstance(caption, Token) else ""
            return _commented(line, tree, builder, stripped), True
        case "heading" | "list_item" | "note" | "prose" | "comment":
            return indent + _with_refs(source, base, stripped, tree, builder) + suffix, False
        case other:
            raise AssertionError(f"a line rpt cannot lay out: {other}")


def _may_be_statement(stripped: str) -> bool:
    return stripped.split(maxsplit=1)[0] in STATEMENT_WORDS


def _with_refs(
    source: SourceFile, base: int, text: str, tree: Tree[Token], builder: Builder
) -> str:
    """The line with each reference in it written canonically, the rest as it is."""
    if tree.data == "comment":
        return text
    nodes = tree.children[1:] if tree.data in ("heading", "list_item", "note") else tree.children
    refs = walks.refs(builder.inlines(nodes))
    return _replaced(text, base, [(ref.span, ref_text(ref)) for ref in refs])


def _replaced(text: str, base: int, replacements: list[tuple[Span, str]]) -> str:
    parts, position = [], 0
    for span, new in replacements:
        parts.append(text[position : span.start - base])
        parts.append(new)
        position = span.end - base
    parts.append(text[position:])
    return "".join(parts)


def _statement(tree: Tree[Token], builder: Builder) -> str:
    children = tree.children
    match tree.data:
        case "let":
            _, name, expr, exact, _, low, high = children
            line = f"let {name} = {_node(builder, expr)}"
            line += " exact" if exact is not None else ""
            if low is not None and high is not None:
                line += f" in {_node(builder, low, CONVERT)}..{_node(builder, high, CONVERT)}"
            return line
        case "check":
            return _check(builder, list(children), None)
        case "unit_decl":
            _, name, value = children
            line = f"unit {name}"
            if isinstance(value, Tree):
                line += " = " + " ".join(str(token) for token in value.children)
            return line
        case "include":
            return f"include {children[1]}"
        case "data_decl":
            _, name, path, *options = children
            words = [f"data {name} = {path}"]
            for option in options:
                assert isinstance(option, Tree)
                values = [str(value) for value in option.children]
                if option.data == "data_column_unit":
                    words.append(f"unit {values[1]}: {values[2]}")
                else:
                    words.append(" ".join(values))
            return " ".join(words)
        case other:
            raise AssertionError(f"a statement rpt cannot lay out: {other}")


def _check(
    builder: Builder, children: list[Token | Tree[Token] | None], targets: str | None
) -> str:
    """`check expr [within tolerance] [exact] [for targets] ["message"]`."""
    _, expr, _, tolerance, exact, *rest = children
    line = f"check {_node(builder, expr)}"
    if tolerance is not None:
        line += f" within {_node(builder, tolerance)}"
    line += " exact" if exact is not None else ""
    if targets:
        line += f" for {targets}"
    last = rest[-1] if rest else None
    if isinstance(last, Token) and last.type == "STRING":
        line += f" {last}"
    return line


def _node(builder: Builder, node: Token | Tree[Token] | None, level: int = OR) -> str:
    assert node is not None
    return expr_text(builder.expr(node), level)


def _parsed(source: SourceFile, base: int, text: str, start: str) -> Tree[Token]:
    tree = parse_line(source, base, text, start, Diagnostics())
    assert tree is not None, "a file is laid out only when it parses"
    return tree


# ---------------------------------------------------------------- tables


@mutable
class _Row:
    """A `row`, `header` or `columns` line: its head and its cells laid out, and
    the line as written (kept when the row goes on over the next lines)."""

    head: str
    cells: list[str]
    written: str


@mutable
class _Table:
    """The lines of one table as they come, laid out when its `end` is seen."""

    entries: list[_Row | Laid] | None = None

    def line(self, source: SourceFile, index: int, text: str) -> bool:
        """Take one line; True when it is the table's `end`."""
        if self.entries is None:
            self.entries = []
        base, indent, stripped = _where(source, index, text)
        if not stripped or stripped.startswith("//"):
            self.entries.append(stripped)
            return False
        split = split_cells(stripped)
        head, cells = split if split is not None else (stripped, [])
        if split is not None and not head.strip():
            # a row going on over lines: its lines stay as written, unaligned
            if self.entries and isinstance(self.entries[-1], _Row):
                self.entries[-1] = self.entries[-1].written
            self.entries.append(indent + stripped.rstrip(SPACES))
            return False
        tree = _parsed(source, base, head.rstrip(), "table_line")
        builder = Builder(source, base)
        match tree.data:
            case "row_head" | "header_head" | "columns_head":
                words = " ".join(str(child) for child in tree.children if child is not None)
                formulas = tree.data == "row_head"  # a header's `= …` is its text
                laid = [_cell(source, base, offset, raw, formulas) for offset, raw in cells]
                self.entries.append(_Row(words, laid, stripped.rstrip(SPACES)))
            case "table_unit" | "table_from" | "table_number":
                code = f"{tree.children[0]} {tree.children[1]}"
                self.entries.append(_commented(code, tree, builder, head.rstrip()))
            case "table_drop":
                code = "drop " + ", ".join(str(child) for child in tree.children[1:])
                self.entries.append(_commented(code, tree, builder, head.rstrip()))
            case "table_check":
                targets = ", ".join(
                    str(child)
                    for child in tree.children[5:]  # past the check and its options
                    if isinstance(child, Token) and child.type in ("NAME", "GLOB")
                )
                code = _check(builder, list(tree.children), targets or None)
                self.entries.append(_commented(code, tree, builder, head.rstrip()))
            case "table_end":
                self.entries.append(_commented("end", tree, builder, head.rstrip()))
                return True
            case "comment":
                self.entries.append(stripped)
            case other:
                raise AssertionError(f"a table line rpt cannot lay out: {other}")
        return False

    def lines(self) -> list[Laid]:
        entries = self.entries or []
        rows = [entry for entry in entries if isinstance(entry, _Row)]
        head_width = max((display_width(row.head) for row in rows), default=0)
        widths: list[int] = []
        for row in rows:
            for column, cell in enumerate(row.cells):
                if column == len(widths):
                    widths.append(0)
                widths[column] = max(widths[column], display_width(cell))
        if head_width + sum(width + 3 for width in widths) + 2 > MAX_ALIGNED_WIDTH:
            head_width, widths = 0, [0] * len(widths)
        laid: list[Laid] = []
        for entry in entries:
            if not isinstance(entry, _Row):
                laid.append(entry)
                continue
            cells = "|".join(
                f" {_pad(cell, widths[c])} " if cell or widths[c] else " "
                for c, cell in enumerate(entry.cells)
            )
            laid.append(f"{_pad(entry.head, head_width)} |{cells}|".rstrip())
        return laid


def _cell(source: SourceFile, base: int, offset: int, raw: str, formulas: bool) -> str:
    """A cell's text without layout spaces (an ideographic space before a label is
    not layout: it indents a sub-item); a formula's expression laid out."""
    bare = raw.strip(SPACES)
    if formulas and bare.startswith(("=", "＝")):
        body = bare[1:].lstrip(SPACES)
        start = base + offset + len(raw) - len(raw.lstrip(SPACES)) + len(bare) - len(body)
        tree = parse_line(source, start, body, "formula", Diagnostics())
        if tree is not None:
            node = tree.children[0]
            assert isinstance(node, Tree | Token)
            return "= " + expr_text(Builder(source, start).expr(node))
    return raw.rstrip(SPACES).lstrip(LAYOUT_BEFORE_TEXT)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))
