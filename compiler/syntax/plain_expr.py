"""Expressions, and the checks, figures and sentences that hold them, read
without the parser: a reader of the grammar's expression rules (grammar/rpt.lark,
"expressions") for the spellings reports use. Where it is not sure what the
grammar makes of a line, it declines and the parser reads the line: the grammar
stays the definition, and tests/test_parse_properties.py checks this reader
against it, spans included.

It declines, among others: any keyword of expressions where the grammar's
contextual lexer might read it as a name or a unit, a comment inside a
reference, `元/人` formats, `for` after a table's check, a `>=` right after a
reference (whether `>` closes it depends on the parser's state), escapes and
emphasis in prose, and expressions larger than MAX_NODES.
"""

from __future__ import annotations

import re

from ..base.characters import BLANK, SPACES
from ..base.names import normal
from ..base.numbers import number
from ..base.patterns import regex
from ..base.record import replace
from ..base.source import SourceFile, Span
from . import tree as ast
from .keywords import EXPRESSION_WORDS, LINE_MARK
from .spelling import MAX_LINE_CHARS, OPERATORS, format_item

# The grammar's NAME, GLOB, NUMBER and STRING terminals, spelled alike
# (tests/test_parse_properties.py compares them with grammar/rpt.lark).
NAME = r"[^\W\d]\w*(\.[^\W\d]\w*)*"
GLOB = (
    r"(?:[^\W\d]\w*\.)+\*\*?(?:\.(?:[^\W\d]\w*|\*\*?))*(?![\w*])"
    r"|\*\*?(?:\.(?:[^\W\d]\w*|\*\*?))+(?![\w*])"
)
NUMBER = r"[0-9]+(\.[0-9]+)?"
STRING = r'"[^"\n]*"|“[^”\n]*”'

BLANKS = regex(f"{BLANK}*+")
# Where an operand may start, as the contextual lexer sees it there: a glob is
# tried before a name, as lark orders them (the longer pattern first).
OPERAND = regex(
    f"(?P<glob>{GLOB})|(?P<name>{NAME})|(?P<number>{NUMBER})|(?P<string>{STRING})"
    r"|(?P<lpar>[(（])|(?P<sign>[-+＋－−])"
)
# What may follow an operand: two-character operators before one-character ones,
# a comment before `/`.
OPERATOR = regex(
    r"(?P<comment>//)|(?P<compare>==|!=|<=|>=|[<>=＝≠≤≥])|(?P<add>[-+＋－−])"
    r"|(?P<mul>[*/×÷／])|(?P<caret>\^)|(?P<rpar>[)）])|(?P<comma>[,，])|(?P<colon>[:：])"
    f"|(?P<enum>、)|(?P<rsqb>[\\]］])|(?P<dots>\\.\\.)|(?P<lpar>[(（])|(?P<lsqb>[\\[［])"
    f"|(?P<percent>[%％])|(?P<permille>‰)|(?P<string>{STRING})|(?P<word>{NAME})"
)
FORMAT_ITEM = regex(
    f"(?P<decimals>\\.[0-9]+)|(?P<percent>[%％])|(?P<grouping>[,，])|(?P<word>‰|{NAME})"
)
TEXT = regex(r"[^<\\*\n]+")
# Larger expressions go to the parser, which measures and reports the depth of
# its tree (lines.MAX_DEPTH): an expression of this many operators, brackets and
# calls has a tree well inside that depth, and the reader's recursion is as deep.
MAX_NODES = 60
# The grammar's levels of expressions, loosest first (rpt.lark: or_test, and_test,
# not_test, comparison, conversion, sum, product).
OR, AND, NOT, COMPARE, CONVERT, ADD, MUL = range(7)


class Decline(Exception):
    """Not a spelling this reader is sure of: the parser reads the line."""


class Reader:
    """One line (or cell) read from `at`, its offsets shifted by `base` into the file."""

    def __init__(self, source: SourceFile, base: int, text: str, at: int = 0) -> None:
        self.source, self.base, self.text, self.at = source, base, text, at
        self.length = len(text)
        self.end = at  # where the last token read ends
        self.nodes = 0
        # The token after an operand is asked for by each operator it might be,
        # at one place: read once there (as is the operand's start).
        self.peeked_at, self.operand_at = -1, -1
        self.peeked: re.Match[str] | None = None
        self.operand_match: re.Match[str] | None = None

    # ------------------------------------------------------------ tokens

    def span(self, start: int) -> Span:
        """From `start` to the end of the last token taken, in the file."""
        return Span(self.source, self.base + start, self.base + self.end)

    def blank(self) -> None:
        at = self.at
        if at < self.length and self.text[at] in SPACES:  # else nothing to skip
            self.at = self.after_blanks(at)

    def after_blanks(self, at: int) -> int:
        """Where the blanks from `at`, a blank, end."""
        blanks = BLANKS.match(self.text, at)
        assert blanks is not None  # it matches the empty run too
        return blanks.end()

    def peek(self) -> re.Match[str] | None:
        """The token after an operand, not taken."""
        at = self.at
        if at == self.peeked_at:  # asked again, where no blank is
            return self.peeked
        if at < self.length and self.text[at] in SPACES:  # as blank() does
            at = self.at = self.after_blanks(at)
        if self.peeked_at != at:
            self.peeked_at, self.peeked = at, OPERATOR.match(self.text, at)
        return self.peeked

    def operand(self) -> re.Match[str] | None:
        """The token an operand starts with, not taken."""
        at = self.at
        if at == self.operand_at:  # asked again, where no blank is
            return self.operand_match
        if at < self.length and self.text[at] in SPACES:  # as blank() does
            at = self.at = self.after_blanks(at)
        if self.operand_at != at:
            self.operand_at, self.operand_match = at, OPERAND.match(self.text, at)
        return self.operand_match

    def take(self, match: re.Match[str]) -> None:
        self.at = self.end = match.end()

    def take_text(self, length: int) -> None:
        """Take the next `length` characters: a mark the grammar reads as a token
        of its own (`=` after a declared name, `unit` before a data unit)."""
        self.at = self.end = self.at + length

    def peek_word(self) -> str | None:
        match = self.peek()
        return match.group() if match is not None and match.lastgroup == "word" else None

    def word(self, *words: str) -> re.Match[str] | None:
        """The next token when it is one of the keywords `words`, taken."""
        match = self.peek()
        if match is not None and match.lastgroup == "word" and match.group() in words:
            self.take(match)
            return match
        return None

    def done(self) -> bool:
        """Whether only blanks and a comment are left."""
        match = self.peek()
        return self.at == len(self.text) or (match is not None and match.lastgroup == "comment")

    # ------------------------------------------------------------ levels

    def taken(self, match: re.Match[str]) -> None:
        """Take an operator, bracket or call's `(`, counted."""
        self.at = self.end = match.end()
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise Decline

    def grow(self) -> None:
        """Count one operator, bracket or call."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise Decline

    def at_operand(self) -> int:
        at = self.at
        if at < self.length and self.text[at] in SPACES:  # as blank() does
            at = self.at = self.after_blanks(at)
        return at

    def expr(self) -> ast.Expr:
        return self.level(OR)

    def conversion(self) -> ast.Expr:
        return self.level(CONVERT)

    def level(self, lowest: int) -> ast.Expr:
        """An expression of the grammar's level `lowest` (OR, an or_test, … MUL, a
        product), by precedence climbing: after the first operand, each operator
        of a level from `lowest` up to that of the operator before it (each level's
        operators join from the left, and none comes after a looser one). Each node
        spans from the first operand, as the grammar's rule for its level does."""
        start = self.at_operand()
        match = self.operand()
        if lowest <= NOT and match is not None and match.lastgroup == "name":
            if match.group() == "not":
                self.taken(match)
                operand = self.level(NOT)
                left: ast.Expr = ast.Not(operand, self.span(start))
                top = NOT
            else:
                left, top = self.unary(start, match), MUL
        else:
            left, top = self.unary(start, match), MUL
        while (match := self.peek()) is not None:
            kind = match.lastgroup
            if kind == "mul" and top == MUL:
                self.taken(match)
                op_span = self.span(match.start())
                start_right = self.at_operand()
                right = self.unary(start_right, self.operand())
                left = self.binary(match.group(), left, right, start, op_span)
            elif kind == "add" and lowest <= ADD <= top:
                self.taken(match)
                op_span = self.span(match.start())
                right = self.level(MUL)
                left, top = self.binary(match.group(), left, right, start, op_span), ADD
            elif kind == "compare" and lowest <= COMPARE <= top:
                self.taken(match)
                op_span = self.span(match.start())
                right = self.level(CONVERT)
                after = self.peek()
                if after is not None and after.lastgroup == "compare":
                    raise Decline  # comparisons do not chain
                symbol = OPERATORS.get(match.group(), match.group())
                left = ast.Compare(symbol, left, right, self.span(start), op_span)
                top = COMPARE
            elif kind != "word":
                return left
            elif (word := match.group()) == "to" and lowest <= CONVERT <= top:
                self.taken(match)
                left, top = ast.Convert(left, self.unit_name(), self.span(start)), CONVERT
            elif word == "and" and lowest <= AND <= top:
                self.taken(match)
                right = self.level(NOT)
                left, top = ast.Logic("and", left, right, self.span(start)), AND
            elif word == "or" and lowest == OR:
                self.taken(match)
                right = self.level(AND)
                left, top = ast.Logic("or", left, right, self.span(start)), OR
            else:
                return left
        return left

    def binary(
        self, written: str, left: ast.Expr, right: ast.Expr, start: int, op_span: Span
    ) -> ast.Binary:
        symbol = OPERATORS.get(written, written)
        return ast.Binary(symbol, left, right, self.span(start), op_span)

    def unary(self, start: int, match: re.Match[str] | None) -> ast.Expr:
        """A unary from `start`, where `match` (the operand token there) starts."""
        if match is not None and match.lastgroup == "sign":
            self.taken(match)
            operand = self.unary(self.at_operand(), self.operand())
            symbol = OPERATORS.get(match.group(), match.group())
            return ast.Unary(symbol, operand, self.span(start))
        atom = self.atom(start, match)
        caret = self.peek()
        if caret is None or caret.lastgroup != "caret":
            return atom
        self.taken(caret)
        exponent = self.unary(self.at_operand(), self.operand())
        span = self.span(start)
        return ast.Binary("^", atom, exponent, span, span)

    def atom(self, start: int, match: re.Match[str] | None) -> ast.Expr:
        if match is None:
            raise Decline
        self.take(match)
        token = match.group()
        match match.lastgroup:
            case "number":
                return self.quantity(start, token)
            case "string":
                return ast.String(token[1:-1], self.span(start))
            case "glob":
                return ast.Glob(normal(token), self.span(start))
            case "name":
                return self.named(start, token)
            case "lpar":
                return self.paren(start)
        raise Decline  # a sign where no unary minus may stand

    def quantity(self, start: int, digits: str) -> ast.Number:
        unit = None
        match = self.peek()
        unit_like = match is not None and match.lastgroup in ("word", "percent", "permille")
        if unit_like and match is not None and match.group() not in EXPRESSION_WORDS:
            unit = self.unit_name()
        return ast.Number(number(digits), digits, unit, self.span(start))

    def unit_name(self) -> ast.UnitRef:
        match = self.peek()
        if match is None:
            raise Decline
        self.take(match)
        span = self.span(match.start())
        match match.lastgroup:
            case "percent":
                return ast.UnitRef("%", span)
            case "permille":
                return ast.UnitRef("‰", span)
            case "word" if match.group() not in EXPRESSION_WORDS:
                return ast.UnitRef(normal(match.group()), span)
        raise Decline

    def named(self, start: int, token: str) -> ast.Expr:
        if token in ("true", "false"):
            return ast.Bool(token == "true", self.span(start))
        if token in EXPRESSION_WORDS:
            raise Decline
        name_span = self.span(start)
        match = self.peek()
        if match is not None and match.lastgroup == "lpar":
            self.taken(match)
            args: list[ast.Expr] = []
            if not self.close("rpar"):
                args.append(self.expr())
                while self.close("comma"):
                    args.append(self.expr())
                if not self.close("rpar"):
                    raise Decline
            return ast.Call(normal(token), name_span, tuple(args), self.span(start))
        if match is not None and match.lastgroup == "lsqb":
            self.taken(match)
            keys = [self.key()]
            if self.close("comma"):
                keys.append(self.key())
            if not self.close("rsqb"):
                raise Decline
            return ast.CellRef(normal(token), name_span, tuple(keys), self.span(start))
        return ast.Name(normal(token), name_span)

    def close(self, kind: str) -> bool:
        """Take the next token when it is of `kind`."""
        match = self.peek()
        if match is not None and match.lastgroup == kind:
            self.take(match)
            return True
        return False

    def name(self, *, glob: bool = False) -> tuple[str, Span]:
        """A name (or, `glob`, a group) that no keyword could be, taken."""
        match = self.operand()
        kinds = ("name", "glob") if glob else ("name",)
        if match is None or match.lastgroup not in kinds or match.group() in EXPRESSION_WORDS:
            raise Decline
        self.take(match)
        return normal(match.group()), self.span(match.start())

    def string(self) -> tuple[str, Span] | None:
        """A quoted text, taken, without its quotes."""
        match = self.peek()
        if match is None or match.lastgroup != "string":
            return None
        self.take(match)
        return match.group()[1:-1], self.span(match.start())

    def key(self) -> str:
        match = self.peek()
        if match is None or match.lastgroup != "string":
            raise Decline
        self.take(match)
        return match.group()[1:-1]

    def paren(self, start: int) -> ast.Expr:
        self.grow()
        inner = self.expr()
        if self.close("rpar"):
            return replace(inner, span=self.span(start))
        if not self.close("colon"):
            raise Decline
        fmt = self.format()
        if not self.close("rpar"):
            raise Decline
        return ast.Formatted(inner, fmt, self.span(start))

    def format(self) -> ast.Format:
        """Format items up to a `)` or `>`: decimals, %, grouping and words."""
        items = []
        while True:
            self.blank()
            match = FORMAT_ITEM.match(self.text, self.at)
            if match is None:
                break
            kind = match.lastgroup
            assert kind is not None
            if kind == "word" and match.group() in EXPRESSION_WORDS:
                raise Decline
            self.take(match)
            after = self.at
            if after < self.length and self.text[after] in SPACES:
                after = self.after_blanks(after)
            if kind == "word" and self.text.startswith(("/", "／"), after):
                raise Decline  # a unit per another (元/人)
            items.append(format_item(kind, match.group(), self.span(match.start())))
        if not items:
            raise Decline
        return ast.Format(tuple(items), items[0].span.to(items[-1].span))

    # ------------------------------------------------------------ references

    def ref(self) -> ast.Ref:
        """`<expr[:format]>` from its `<`; several figures joined by 、 under one format."""
        start = self.at
        self.at = self.end = start + 1
        first = self.at_operand()
        expr = self.conversion()
        match = self.peek()
        if match is not None and match.lastgroup == "enum":
            items = [expr]
            while self.close("enum"):
                self.grow()
                items.append(self.conversion())
            expr = ast.Items(tuple(items), self.span(first))
        fmt = self.format() if self.close("colon") else None
        match = self.peek()
        if match is None or match.group() not in (">", ">="):
            raise Decline
        if match.group() == ">=":
            raise Decline  # whether `>` closes the reference depends on the parser's state
        self.at = self.end = match.start() + 1
        return ast.Ref(expr, fmt, self.span(start))


def read(source: SourceFile, base: int, text: str, at: int = 0) -> Reader | None:
    if len(text) > MAX_LINE_CHARS:
        return None  # the parser reports it
    return Reader(source, base, text, at)


def formula(source: SourceFile, base: int, text: str) -> ast.Expr | None:
    """A formula, as the grammar's `formula` reads it, or None."""
    reader = read(source, base, text)
    if reader is None:
        return None
    try:
        expr = reader.expr()
        return expr if reader.done() else None
    except Decline:
        return None


def keyword(text: str, word: str) -> int | None:
    """Where the rest starts of a line beginning with the statement word `word`
    and a blank, as the grammar's LET or CHECK terminal takes it."""
    if not text.startswith(word) or text[len(word) : len(word) + 1] not in SPACES:
        return None
    if len(text) == len(word):
        return None
    return len(word)


def let(source: SourceFile, base: int, text: str) -> ast.Let | None:
    """`let NAME = expr [exact] [in low..high]`."""
    at = keyword(text, "let")
    reader = read(source, base, text, at or 0)
    if at is None or reader is None:
        return None
    try:
        reader.blank()
        name = OPERAND.match(text, reader.at)
        if name is None or name.lastgroup != "name" or name.group() in EXPRESSION_WORDS:
            return None
        reader.take(name)
        name_span = reader.span(name.start())
        reader.blank()
        if text[reader.at : reader.at + 1] not in ("=", "＝") or reader.at == len(text):
            return None
        reader.at += 1
        expr = reader.expr()
        exact = reader.word("exact") is not None
        bounds = None
        if reader.word("in"):
            low = reader.conversion()
            if not reader.close("dots"):
                return None
            bounds = (low, reader.conversion())
        if not reader.done():
            return None
    except Decline:
        return None
    span = reader.span(0)
    return ast.Let(normal(name.group()), name_span, expr, span, exact, bounds=bounds)


def check(source: SourceFile, base: int, text: str, *, table: bool = False) -> ast.Check | None:
    """`check expr [within tolerance] [exact] ["message"]`, of a body or, `table`,
    of a table, where `for` names the rows or columns it applies to."""
    at = keyword(text, "check")
    reader = read(source, base, text, at or 0)
    if at is None or reader is None:
        return None
    try:
        expr = reader.expr()
        tolerance = reader.expr() if reader.word("within") else None
        exact = reader.word("exact") is not None
        only: list[str] = []
        if table and reader.word("for"):
            only.append(reader.name(glob=True)[0])
            while reader.close("comma"):
                only.append(reader.name(glob=True)[0])
        message = reader.string()
        if not reader.done():
            return None
    except Decline:
        return None
    text_of = None if message is None else message[0]
    return ast.Check(expr, tolerance, text_of, reader.span(0), only=tuple(only), exact=exact)


def sentence(
    source: SourceFile, base: int, text: str, *, line: bool = True
) -> tuple[ast.Inline, ...] | None:
    """A sentence (or, not `line`, a table's text cell) of plain text and
    references to expressions, with or without formats."""
    if (
        not text
        or len(text) > MAX_LINE_CHARS
        or (line and LINE_MARK.match(text))
        or text[0] in SPACES  # the parser's runs of text are trimmed at the line's ends
        or text[-1] in SPACES
    ):
        return None
    inlines: list[ast.Inline] = []
    at = 0
    try:
        while at < len(text):
            run = TEXT.match(text, at)
            if run is not None:
                inlines.append(ast.Text(run.group(), Span(source, base + at, base + run.end())))
                at = run.end()
                continue
            if text[at] != "<":
                return None  # an escape or emphasis
            reader = Reader(source, base, text, at)
            inlines.append(reader.ref())
            at = reader.at
    except Decline:
        return None
    return tuple(inlines)
