"""The bridge to lark: parse one line (or cell) with a start rule of
`grammar/rpt.lark`, and turn lark's trees into syntax nodes.

The parser is lark's standalone module generated from the grammar
(`rpt.grammar.lark_parser`), so lark itself is imported only to rebuild the
tables of an edited grammar. Its trees, tokens and exceptions stay in the
parser's modules; syntax errors leave this one as diagnostics worded in the
author's terms, not lark's terminal names.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from rpt.grammar import lark_parser
from rpt.grammar.lark_parser import (
    Lark,
    Token,
    Tree,
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
)

from ..base.characters import SPACES
from ..base.codes import Code
from ..base.diagnostics import Diagnostics
from ..base.names import normal
from ..base.numbers import EXPONENT_HELP, EXPONENT_NOTATION, number
from ..base.record import mutable, replace
from ..base.resources import read_grammar
from ..base.source import SourceFile, Span
from . import tree as ast
from .keywords import STATEMENT_BY_WORD, STATEMENT_START
from .spelling import MAX_DEPTH, MAX_LINE_CHARS, OPERATORS, format_item

if TYPE_CHECKING:
    import lark

LarkNode = Tree[Token] | Token


START_RULES = ["line", "header_entry", "table_line", "column_spec", "cell_text", "formula"]


def grammar_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_parser(grammar: str) -> lark.Lark:
    """The LALR parser of the grammar, built by lark from its text (150-200 ms
    with lark's import): what scripts/make_tables.py generates the shipped
    parser from."""
    import lark  # noqa: PLC0415  (only for an edited grammar, and to generate the parser)

    return lark.Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        start=START_RULES,
        # spans come from tokens (see Builder.span): lark's propagated positions
        # cost a third of the parsing time
        propagate_positions=False,
        maybe_placeholders=True,
    )


@cache
def parser() -> Lark:
    """The parser shipped in the package (`grammar/lark_parser.py`, written by
    scripts/make_tables.py) when it was made from this grammar; else the same
    runtime loaded with tables lark builds in memory from the grammar, so that
    an edited grammar parses as written before the module is regenerated (and
    its trees are of the same classes). Nothing is read from or written to a
    cache outside the package: a file there could change how a report parses."""
    grammar = read_grammar("rpt.lark")
    # the generated module keeps lark's annotations, not all of them (mypy: untyped)
    shipped: Lark
    if grammar_digest(grammar) == lark_parser.GRAMMAR_SHA256:
        shipped = lark_parser.Lark_StandAlone()  # type: ignore[no-untyped-call]
        return shipped
    from lark.grammar import Rule  # noqa: PLC0415
    from lark.lexer import TerminalDef  # noqa: PLC0415

    data, memo = build_parser(grammar).memo_serialize([TerminalDef, Rule])
    rebuilt: Lark = Lark._load_from_dict(data, memo)  # type: ignore[no-untyped-call]
    return rebuilt


def parse_line(
    source: SourceFile, base: int, text: str, start: str, diagnostics: Diagnostics
) -> Tree[Token] | None:
    """`text`, found at offset `base` of `source`, parsed from rule `start`; None
    after reporting a syntax error or a line beyond the limits."""
    if len(text) > MAX_LINE_CHARS:
        diagnostics.error(
            Code.LIMIT_EXCEEDED,
            f"this line is {len(text):,} characters long; the limit is {MAX_LINE_CHARS:,}",
            Span(source, base, base + 1),
            "this line",
            help="break it into several lines: one sentence or statement per line",
        )
        return None
    try:
        tree = _parse(text, start)
    except UnexpectedInput as error:
        # a line holding a refused character has its diagnostic already, and the
        # space that stands in for the character is no reason for another
        if not source.blanked_between(base, base + len(text)):
            report_syntax_error(error, source, base, text, diagnostics)
        return None
    if _depth(tree) > MAX_DEPTH:
        diagnostics.error(
            Code.LIMIT_EXCEEDED,
            f"this expression is nested more than {MAX_DEPTH} levels deep",
            Span(source, base, base + len(text)),
            "too deep",
            help="name parts of it as figures with `let`, or add many terms with sum()",
        )
        return None
    return tree


# Lark's trees are large (each token a string with its positions): enough of
# them for the repeats of a report, not every line of a large one.
PARSED_LINES_KEPT = 1024


@lru_cache(maxsize=PARSED_LINES_KEPT)
def _parse(text: str, start: str) -> Tree[Token]:
    """Reports repeat lines (included paragraphs, table rows of one shape); a tree
    is never changed after parsing, so one parse serves every repeat."""
    tree: Tree[Token] = parser().parse(text, start=start)
    return tree


def _depth(tree: Tree[Token]) -> int:
    """The depth of a tree, measured without recursion (the input may be hostile)."""
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))
    return deepest


def report_syntax_error(
    error: UnexpectedInput, source: SourceFile, base: int, text: str, diagnostics: Diagnostics
) -> None:
    """One diagnostic for a line (or cell) that does not parse, in the author's terms."""
    position = error.pos_in_stream if error.pos_in_stream is not None else len(text)
    if isinstance(error, UnexpectedToken) and error.token.type != "$END":
        found = str(error.token)
        # lark's fallback lexer may hand back a run of prose; show its first character
        width = 1 if error.token.type == "TEXT" else max(1, len(found))
        what = f"`{found[:width]}`"
    elif isinstance(error, UnexpectedCharacters):
        width, what = 1, f"`{text[position]}`"
    else:
        width, what = 0, "end of line"
    expected = _expected(error)
    span = Span(source, base + position, base + position + width)
    opened = _open_reference(text, position)
    if opened is not None and ">" not in text[opened:]:
        diagnostics.error(
            Code.UNCLOSED_REFERENCE,
            "this reference is not closed",
            Span(source, base + opened, base + opened + 1),
            "`<` opens a reference to a figure",
            help="close it with `>`, or write `\\<` for a literal `<`",
        )
    else:
        hint = None
        keyword = STATEMENT_START.match(text)
        if keyword and not re.match(STATEMENT_BY_WORD[keyword.group(1)].shape, text):
            hint = (
                f"a line starting with `{keyword.group(1)} ` is a statement; "
                f"if this line is text, write `\\{keyword.group(1)}` at its start"
            )
        elif opened is not None and text[position : position + 1] == "<":
            hint = "a comparison inside a reference goes in parentheses: <if(a < b, …)>"
        elif EXPONENT_NOTATION.search(text, 0, position):
            hint = EXPONENT_HELP
        message = f"unexpected {what}"
        if text[position : position + 1] in ('"', "“"):
            message = "this quoted text is not closed"
            expected = []
            hint = "end it with the same kind of quote it starts with"
        diagnostics.error(
            Code.SYNTAX,
            message,
            span,
            f"expected {_join(expected)}" if expected else "",
            help=hint,
        )


# ---------------------------------------------------------------- lark → syntax


@mutable
class Builder:
    """Turns one line's lark tree into syntax nodes with file-relative spans."""

    source: SourceFile
    base: int

    def span(self, node: LarkNode) -> Span:
        """From the first to the last token of a node (filtered punctuation at its
        edges, such as a closing parenthesis, is not included)."""
        first = last = node
        while isinstance(first, Tree):
            first = next(child for child in first.children if child is not None)
        while isinstance(last, Tree):
            last = next(child for child in reversed(last.children) if child is not None)
        start = self.base + (first.start_pos or 0)
        return Span(self.source, start, self.base + (last.end_pos or 0))

    def statement(self, tree: Tree[Token]) -> ast.Statement:
        children = tree.children
        match tree.data:
            case "let":
                _, name, expr, exact, _, low, high = children
                assert isinstance(name, Token) and isinstance(expr, Tree | Token)
                bounds = None
                if low is not None and high is not None:
                    bounds = (self.expr(low), self.expr(high))
                return ast.Let(
                    normal(name),
                    self.span(name),
                    self.expr(expr),
                    self.span(tree),
                    exact is not None,
                    bounds=bounds,
                )
            case "check":
                _, expr, _, tolerance, exact, message = children
                assert isinstance(expr, Tree | Token)
                return ast.Check(
                    self.expr(expr),
                    self.expr(tolerance) if isinstance(tolerance, Tree | Token) else None,
                    _unquote(message) if isinstance(message, Token) else None,
                    self.span(tree),
                    exact=exact is not None,
                )
            case "unit_decl":
                _, name, value = children
                assert isinstance(name, Token)
                factor = base = None
                if isinstance(value, Tree):
                    *amount, unit = value.children
                    assert isinstance(unit, Token)
                    base = ast.UnitRef(normal(unit), self.span(unit))
                    factor = number(str(amount[0])) if amount else None
                return ast.UnitDecl(normal(name), self.span(name), factor, base, self.span(tree))
            case "include":
                path = children[1]
                assert isinstance(path, Token)
                return ast.Include(_unquote(path), self.span(tree))
            case "data_decl":
                return self._data(tree)
            case other:
                raise AssertionError(f"the grammar makes a statement rpt does not know: {other}")

    def _data(self, tree: Tree[Token]) -> ast.DataSource:
        _, name, path, *options = tree.children
        assert isinstance(name, Token) and isinstance(path, Token)
        sheet = unit = None
        column_units: list[tuple[str, ast.UnitRef]] = []
        for option in options:
            assert isinstance(option, Tree)
            values = option.children
            match option.data:
                case "data_sheet":
                    sheet = _unquote(str(values[1]))
                case "data_unit":
                    token = values[1]
                    assert isinstance(token, Token)
                    unit = ast.UnitRef(normal(token), self.span(token))
                case "data_column_unit":
                    header, token = values[1], values[2]
                    assert isinstance(token, Token)
                    column_units.append(
                        (_unquote(str(header)), ast.UnitRef(normal(token), self.span(token)))
                    )
                case other:
                    raise AssertionError(f"a data option rpt does not know: {other}")
        return ast.DataSource(
            normal(name),
            self.span(name),
            _unquote(path),
            self.span(path),
            sheet,
            unit,
            tuple(column_units),
            self.span(tree),
        )

    def table_check(self, tree: Tree[Token]) -> ast.Check:
        """`check expr [within tolerance] [exact] [for rows or columns] ["message"]`."""
        _, expr, _, tolerance, exact, *rest = tree.children
        assert isinstance(expr, Tree | Token)
        message = (
            rest[-1] if rest and isinstance(rest[-1], Token) and rest[-1].type == "STRING" else None
        )
        only = tuple(normal(t) for t in rest if isinstance(t, Token) and t.type in ("NAME", "GLOB"))
        return ast.Check(
            self.expr(expr),
            self.expr(tolerance) if isinstance(tolerance, Tree | Token) else None,
            _unquote(message) if message is not None else None,
            self.span(tree),
            only=only,
            exact=exact is not None,
        )

    # ------------------------------------------------------------ inline text

    def inlines(self, nodes: Sequence[LarkNode | None]) -> tuple[ast.Inline, ...]:
        result: list[ast.Inline] = []
        for node in nodes:
            if not isinstance(node, Tree):
                continue
            inline = self.inline(node)
            # adjacent text and escapes merge into one run
            if isinstance(inline, ast.Text) and result and isinstance(result[-1], ast.Text):
                inline = ast.Text(result[-1].text + inline.text, result[-1].span.to(inline.span))
                result[-1] = inline
            else:
                result.append(inline)
        if result and isinstance(result[0], ast.Text):
            first = result[0]
            trimmed = first.text.lstrip(SPACES)
            start = first.span.start + len(first.text) - len(trimmed)
            result[0] = ast.Text(trimmed, Span(self.source, start, first.span.end))
            if not trimmed:
                result.pop(0)
        if result and isinstance(result[-1], ast.Text):
            last = result[-1]
            trimmed = last.text.rstrip(SPACES)
            result[-1] = ast.Text(
                trimmed, Span(self.source, last.span.start, last.span.start + len(trimmed))
            )
            if not trimmed:
                result.pop()
        return tuple(result)

    def inline(self, tree: Tree[Token]) -> ast.Inline:
        span = self.span(tree)
        match tree.data:
            case "text":
                return ast.Text(str(tree.children[0]), span)
            case "escape":
                return ast.Text(str(tree.children[0])[1:], span)
            case "strong":
                return ast.Strong(self.inlines(tree.children), span)
            case "emph":
                return ast.Emph(self.inlines(tree.children), span)
            case "ref":
                _, expr, fmt, _ = tree.children
                assert isinstance(expr, Tree | Token)
                return ast.Ref(
                    self.expr(expr),
                    self.format(fmt) if isinstance(fmt, Tree) else None,
                    span,
                )
        raise AssertionError(f"the grammar makes an inline rpt does not know: {tree.data}")

    def format(self, tree: Tree[Token]) -> ast.Format:
        items = []
        for item in tree.children:
            assert isinstance(item, Tree)
            kind = item.data.removeprefix("fmt_")
            if kind == "per":  # a unit per another, `元/人`: a word naming a unit
                text = "/".join(normal(str(child)) for child in item.children)
                items.append(ast.FormatItem("word", text, self.span(item)))
            else:
                items.append(format_item(kind, str(item.children[0]), self.span(item)))
        return ast.Format(tuple(items), self.span(tree))

    # ------------------------------------------------------------ expressions

    def expr(self, node: LarkNode) -> ast.Expr:
        span = self.span(node)
        if isinstance(node, Token):  # a lone token only arises for names and strings
            return self.token_expr(node)
        c = node.children
        match node.data:
            case "quantity":
                value, unit = c
                assert isinstance(value, Token)
                unit_ref = self.unit(unit) if isinstance(unit, Tree) else None
                return ast.Number(number(str(value)), str(value), unit_ref, span)
            case "name" | "glob" | "string" | "true" | "false":
                token = c[0]
                assert isinstance(token, Token)
                return self.token_expr(token)
            case "binary" | "compare":
                left, op, right = c
                assert isinstance(op, Tree)
                symbol = _op(op)
                cls = ast.Binary if node.data == "binary" else ast.Compare
                return cls(symbol, self.sub(left), self.sub(right), span, self.span(op))
            case "power":
                left, right = c
                return ast.Binary("^", self.sub(left), self.sub(right), span, span)
            case "unary":
                op, operand = c
                assert isinstance(op, Tree)
                return ast.Unary(_op(op), self.sub(operand), span)
            case "logic":
                left, op, right = c
                return ast.Logic(str(op), self.sub(left), self.sub(right), span)
            case "not_":
                return ast.Not(self.sub(c[1]), span)
            case "convert":
                expr, _, unit = c
                assert isinstance(unit, Tree)
                return ast.Convert(self.sub(expr), self.unit(unit), span)
            case "paren":
                return replace(self.sub(c[1]), span=span)
            case "formatted":
                _, expr, fmt, _ = c
                assert isinstance(fmt, Tree)
                return ast.Formatted(self.sub(expr), self.format(fmt), span)
            case "items":
                return ast.Items(tuple(self.sub(item) for item in c), span)
            case "call":
                func, _, *args, _ = c
                assert isinstance(func, Token)
                exprs = tuple(self.sub(arg) for arg in args if arg is not None)
                return ast.Call(normal(func), self.span(func), exprs, span)
            case "cell_ref":
                source, _, *keys, _ = c
                assert isinstance(source, Token)
                texts = tuple(_unquote(str(key)) for key in keys if key is not None)
                return ast.CellRef(normal(source), self.span(source), texts, span)
        raise AssertionError(f"grammar rule without syntax node: {node.data}")

    def sub(self, node: LarkNode | None) -> ast.Expr:
        assert node is not None
        return self.expr(node)

    def token_expr(self, token: Token) -> ast.Expr:
        span = self.span(token)
        match token.type:
            case "NAME":
                return ast.Name(normal(token), span)
            case "GLOB":
                return ast.Glob(normal(token), span)
            case "STRING":
                return ast.String(_unquote(token), span)
            case "TRUE" | "FALSE":
                return ast.Bool(token.type == "TRUE", span)
        raise AssertionError(f"token without syntax node: {token.type}")

    def unit(self, tree: Tree[Token]) -> ast.UnitRef:
        match tree.data:
            case "percent_ref":
                return ast.UnitRef("%", self.span(tree))
            case "permille_ref":
                return ast.UnitRef("‰", self.span(tree))
            case "unit_ref":
                name = tree.children[0]
                assert isinstance(name, Token)
                return ast.UnitRef(normal(name), self.span(tree))
        raise AssertionError(f"the grammar makes a unit rpt does not know: {tree.data}")


def _op(tree: Tree[Token]) -> str:
    token = str(tree.children[0])
    return OPERATORS.get(token, token)


def _unquote(token: Token | str) -> str:
    return str(token)[1:-1]


# ---------------------------------------------------------------- error wording

TERMINAL_WORDS = {
    "NAME": "a name",
    "NUMBER": "a number",
    "STRING": 'a quoted text ("…")',
    "GLOB": "a group (`name.*`)",
    "DECIMALS": "decimals (`.2`)",
    "TEXT": "text",
    "ESCAPE": "text",
    "HEADER_VALUE": "`:`",
    "TRUE": "`true`",
    "FALSE": "`false`",
    "WITHIN": "`within`",
    "EXACT": "`exact`",
    "IN": "`in`",
    "TO": "`to`",
    "AND": "`and`",
    "OR": "`or`",
    "NOT": "`not`",
    "PERMILLE": "`‰`",
    "PERCENT": "`%`",
    "GROUPING": "`,`",
    "LPAR": "`(`",
    "RPAR": "`)`",
    "$END": "the end of the line",
}
FULL_WIDTH = {
    "（": "(", "）": ")", "，": ",", "：": ":", "％": "%",
    "＋": "+", "－": "-", "−": "-", "×": "*", "÷": "/", "／": "/",
    "＝": "=", "≠": "!=", "≤": "<=", "≥": ">=",
}  # fmt: skip
OPERATOR_SYMBOLS = {"+", "-", "*", "/", "^", "==", "!=", "<=", ">=", "<", ">", "="}
EXPRESSION_START = {"NAME", "NUMBER"}
VALUE_START = {"NAME", "NUMBER", "STRING", "GLOB", "TRUE", "FALSE", "LPAR", "MINUS", "PLUS"}


def _expected(error: UnexpectedInput) -> list[str]:
    """What the parser would have accepted, in the author's words, not lark's names."""
    if isinstance(error, UnexpectedToken) and error.interactive_parser is not None:
        # lark's own `expected` is the merged LALR lookahead and over-promises;
        # accepts() tries every terminal and keeps those the parser really takes
        names = set(error.interactive_parser.accepts())  # type: ignore[no-untyped-call]
    elif isinstance(error, UnexpectedToken | UnexpectedEOF):
        names = set(error.expected)
    elif isinstance(error, UnexpectedCharacters):
        names = set(error.allowed or ())
    else:
        return []
    words: list[str] = []
    if names >= EXPRESSION_START:
        words.append("a value (a number, a name or `(`)")
        names -= VALUE_START
    symbols: set[str] = set()
    for name in sorted(names):
        if name in TERMINAL_WORDS:
            if TERMINAL_WORDS[name] not in words:
                words.append(TERMINAL_WORDS[name])
            continue
        try:
            pattern = parser().get_terminal(name).pattern
        except KeyError:
            continue
        if pattern.type == "str":
            symbols.add(FULL_WIDTH.get(pattern.value, pattern.value))
    if words and words[0].startswith("a value"):
        symbols -= {"(", "+", "-"}
    operators = symbols & OPERATOR_SYMBOLS
    if len(operators) > 2:
        symbols -= OPERATOR_SYMBOLS
        if ">" in operators and "<" not in operators:
            symbols.add(">")  # only the end of a reference
        words.append("an operator")
    words.extend(f"`{symbol}`" for symbol in sorted(symbols))
    return words


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def _open_reference(text: str, position: int) -> int | None:
    """The offset of a `<` left open before `position`, ignoring escaped ones."""
    depth_start = None
    index = 0
    while index < min(position, len(text)):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "<" and depth_start is None:
            depth_start = index
        elif char == ">" and depth_start is not None:
            depth_start = None
        index += 1
    return depth_start
