"""Parse one source file into the syntax tree of `tree.py`.

The layout is line-oriented: this module walks the lines and groups them into
front matter, paragraphs, lists and tables; `lines.py` parses each line with the
lark grammar (`grammar/rpt.lark`). A line that does not parse gets one diagnostic
and the walk goes on, so every independent syntax error of a file is reported at
once.
"""

from __future__ import annotations

import unicodedata

from ..base.characters import BLANK
from ..base.codes import Code
from ..base.diagnostics import Diagnostics
from ..base.names import normal
from ..base.patterns import regex
from ..base.record import field, mutable
from ..base.source import SourceFile, Span
from . import tree as ast
from .keywords import STATEMENT_WORDS
from .parse_table import TableLayout
from .plain import (
    PLAIN_STATEMENT_WORDS,
    is_comment,
    is_marked,
    plain_header_entry,
    plain_heading,
    plain_marked,
    plain_prose,
    plain_statement,
    plain_text,
)
from .plain_statements import TableOpen, table_open

# `{-}` after a heading: no number; `{3}`: this number, and the next ones after it;
# `{attachment}`: an attachment (附件1-2 …), unnumbered
HEADING_NUMBER = regex(f"{BLANK}*\\{{(-|[0-9]{{1,4}}|attachment)\\}}{BLANK}*$")
# A list numbered past a billion billion is no list; int() refuses 4,300 digits.
MAX_LIST_NUMBER_DIGITS = 18
LEADING_WORD = regex(f"(\\w+){BLANK}")
LET_NAME = regex(f"let{BLANK}+([^\\W\\d][\\w.]*)")


def parse_file(source: SourceFile, diagnostics: Diagnostics) -> ast.File:
    return _Layout(source, diagnostics).run()


@mutable
class _Layout:
    """The line walk over one file: the front matter, the items so far, and the
    paragraph, list or table in progress until a line ends it."""

    source: SourceFile
    diagnostics: Diagnostics
    items: list[ast.Item] = field(default_factory=list)
    header: list[ast.HeaderEntry] = field(default_factory=list)
    paragraph: list[tuple[tuple[ast.Inline, ...], Span]] = field(default_factory=list)
    list_items: list[ast.ListItem] = field(default_factory=list)
    note: list[tuple[tuple[ast.Inline, ...], Span]] = field(default_factory=list)
    list_ordered: bool = False
    list_start: int = 1
    table: TableLayout | None = None

    def run(self) -> ast.File:
        lines = self.source.text.split("\n")
        start = self._front_matter(lines)
        for line_start, text in zip(self.source.line_starts[start:], lines[start:], strict=True):
            self._line(line_start, text)
        self._flush()
        if self.table is not None:
            self.items.append(self.table.table())
        return ast.File(tuple(self.header), tuple(self.items))

    # ---------------------------------------------------------------- front matter

    def _front_matter(self, lines: list[str]) -> int:
        if not lines or lines[0].strip() != "---":
            return 0
        for index in range(1, len(lines)):
            text = lines[index]
            stripped = text.strip()
            if stripped == "---":
                return index + 1
            if not stripped or stripped.startswith("//"):
                continue
            self._header_entry(index, text)
        start = self.source.line_starts[0]
        self.diagnostics.error(
            Code.BAD_HEADER,
            "the front matter is not closed",
            Span(self.source, start, start + 3),
            "opened here",
            help="end the front matter with a line `---`",
        )
        return len(lines)

    def _header_entry(self, index: int, text: str) -> None:
        indent = len(text) - len(text.lstrip())
        base = self.source.line_starts[index] + indent
        body = text.strip()
        plain = plain_header_entry(body)
        if plain is not None:
            key, key_end, value_text = plain
            value_start = base + len(body) - len(value_text)
        else:
            # the parser's module loads only for a line no fast path reads
            from rpt.grammar.lark_parser import Token  # noqa: PLC0415

            from .lines import parse_line  # noqa: PLC0415

            tree = parse_line(self.source, base, body, "header_entry", Diagnostics())
            if tree is None:
                self.diagnostics.error(
                    Code.BAD_HEADER,
                    "a front matter line must be `key: value`",
                    Span(self.source, base, base + len(body)),
                    help="for example `title: 2023年度部门决算`",
                )
                return
            token, value = tree.children
            assert isinstance(token, Token)
            key, key_end = str(token), token.end_pos or 0
            value_text = value[1:] if isinstance(value, Token) else ""
            value_start = base + (
                (value.start_pos or 0) + 1 if isinstance(value, Token) else len(body)
            )
        stripped = value_text.strip()
        lead = len(value_text) - len(value_text.lstrip())
        self.header.append(
            ast.HeaderEntry(
                key,
                stripped,
                Span(self.source, base, base + key_end),
                Span(self.source, value_start + lead, value_start + lead + len(stripped)),
            )
        )

    # ---------------------------------------------------------------- body lines

    def _line(self, line_start: int, text: str) -> None:
        stripped = text.strip()
        if not stripped:
            if self.table is None:
                self._flush()
            return
        indent = len(text) - len(text.lstrip())
        base = line_start + indent
        if self.table is not None:
            if not self.table.line(base, stripped):
                self.items.append(self.table.table())
                self.table = None
            return
        numbered, number, attachment = True, None, False
        written = HEADING_NUMBER.search(stripped) if stripped.startswith("#") else None
        if written is not None:
            stripped = stripped[: written.start()]
            attachment = written.group(1) == "attachment"
            numbered = written.group(1) not in ("-", "attachment")
            number = int(written.group(1)) if numbered else None
        if not stripped[0].isascii() and self._disguised_statement(base, stripped):
            self._flush()
            return
        if stripped.startswith("//") and is_comment(stripped):
            return
        titled = plain_heading(self.source, base, stripped) if stripped.startswith("#") else None
        if titled is not None:
            self._flush()
            level, title = titled
            span = Span(self.source, base, base + len(stripped))
            self.items.append(ast.Heading(level, (title,), numbered, span, number, attachment))
            return
        if self._plain_line(base, stripped, indent):
            return
        self._parsed_line(
            base, stripped, indent, numbered=numbered, number=number, attachment=attachment
        )

    def _parsed_line(
        self,
        base: int,
        stripped: str,
        indent: int,
        *,
        numbered: bool,
        number: int | None,
        attachment: bool,
    ) -> None:
        """A line no fast path reads, read by the parser (whose module loads only then)."""
        from rpt.grammar.lark_parser import Token  # noqa: PLC0415

        from .lines import Builder, parse_line  # noqa: PLC0415

        tree = parse_line(self.source, base, stripped, "line", self.diagnostics)
        if tree is None:
            self._flush()
            self._recover(base, stripped)
            return
        builder = Builder(self.source, base)
        match tree.data:
            case "comment":
                return
            case "table_open" | "form_open":
                _, name, _, like, caption = tree.children
                assert isinstance(name, Token)
                opened = TableOpen(
                    tree.data == "form_open",
                    normal(name),
                    (normal(like), builder.span(like)) if isinstance(like, Token) else None,
                    str(caption)[1:-1] if isinstance(caption, Token) else None,
                    builder.span(tree),
                )
                self._open_table(opened)
            case "let" | "check" | "unit_decl" | "include" | "data_decl":
                self._flush()
                self.items.append(builder.statement(tree))
            case "heading":
                self._flush()
                mark = tree.children[0]
                assert isinstance(mark, Token)
                inlines = builder.inlines(tree.children[1:])
                span = builder.span(tree)
                heading = ast.Heading(len(mark), inlines, numbered, span, number, attachment)
                self.items.append(heading)
            case "list_item":
                mark = tree.children[0]
                assert isinstance(mark, Token)
                inlines = builder.inlines(tree.children[1:])
                ordered = mark.type == "ORDINAL"
                self._list_item(ordered, str(mark), builder.span(mark), inlines, builder.span(tree))
            case "prose":
                self._prose(builder.inlines(tree.children), builder.span(tree), indent)
            case "note":
                self._note(builder.inlines(tree.children[1:]), builder.span(tree))
            case other:
                raise AssertionError(f"the grammar makes a line this parser does not know: {other}")

    def _open_table(self, opened: TableOpen) -> None:
        self._flush()
        self.table = TableLayout(
            self.source,
            self.diagnostics,
            opened.name,
            opened.caption,
            opened.span,
            form=opened.form,
            like=opened.like,
        )

    def _plain_line(self, base: int, stripped: str, indent: int) -> bool:
        """Whether the line was a sentence or statement of a shape read without
        the parser (plain.py), now added."""
        # A line a statement takes starts with its word and a blank, a line mark
        # (LINE_MARK): no other of these readers takes it. So does a list item's.
        if stripped.startswith(PLAIN_STATEMENT_WORDS):
            statement = plain_statement(self.source, base, stripped)
            if statement is not None:
                self._flush()
                self.items.append(statement)
                return True
        plain = plain_text(self.source, base, stripped, line=True)
        if plain is not None:
            self._prose((plain,), plain.span, indent)
            return True
        if is_marked(stripped):
            return self._marked(base, stripped)
        inlines = plain_prose(self.source, base, stripped)
        if inlines is not None:
            self._prose(inlines, Span(self.source, base, base + len(stripped)), indent)
            return True
        if stripped.startswith(("table", "form")):
            opened = table_open(self.source, base, stripped)
            if opened is not None:
                self._open_table(opened)
                return True
        return False

    def _marked(self, base: int, stripped: str) -> bool:
        """Whether the line was a list item or a note's line plain_marked reads, now added."""
        marked = plain_marked(self.source, base, stripped)
        if marked is None:
            return False
        kind, mark, mark_span, inlines = marked
        span = Span(self.source, base, base + len(stripped))
        if kind == "note":
            self._note(inlines, span)
        else:
            self._list_item(kind == "ordinal", mark, mark_span, inlines, span)
        return True

    def _list_item(
        self,
        ordered: bool,
        mark: str,
        mark_span: Span,
        inlines: tuple[ast.Inline, ...],
        span: Span,
    ) -> None:
        """A line of a list: `mark` is its `1.` or `-`."""
        self._paragraph_done()
        self._note_done()
        if self.list_items and ordered != self.list_ordered:
            self._list_done()
        if not self.list_items:
            self.list_ordered = ordered
            self.list_start = self._list_number(mark, mark_span) if ordered else 1
        self.list_items.append(ast.ListItem(inlines, span))

    def _list_number(self, mark: str, span: Span) -> int:
        """The number an ordered list starts from; a number too long to be one is
        E107 (and 1), before int() is asked to read thousands of digits."""
        digits = mark[:-1]
        if len(digits) <= MAX_LIST_NUMBER_DIGITS:
            return int(digits)
        self.diagnostics.error(
            Code.LIMIT_EXCEEDED,
            f"a list number has at most {MAX_LIST_NUMBER_DIGITS} digits",
            span,
            "this number",
        )
        return 1

    def _disguised_statement(self, base: int, text: str) -> bool:
        """A statement word typed in full-width letters (`ｃｈｅｃｋ　…`, as an input
        method in full-width mode types it) looks like a statement but would be
        prose: a check that never runs, printed. Report it instead."""
        if text[0].isascii() or not unicodedata.normalize("NFKC", text[0]).isascii():
            return False
        match = LEADING_WORD.match(text)
        if match is None:
            return False
        word = unicodedata.normalize("NFKC", match.group(1))
        if word not in STATEMENT_WORDS:
            return False
        self.diagnostics.error(
            Code.SYNTAX,
            f"`{match.group(1)}` is the statement word `{word}` in full-width letters",
            Span(self.source, base, base + len(match.group(1))),
            "read as prose, not as a statement",
            help=f"type `{word}` in ASCII letters; if this line is text, write it another way",
        )
        return True

    def _prose(self, inlines: tuple[ast.Inline, ...], span: Span, indent: int) -> None:
        """A prose line: the next line of a paragraph, or of an indented list item."""
        self._note_done()
        if self.list_items and indent > 0:
            last = self.list_items[-1]
            self.list_items[-1] = ast.ListItem(last.inlines + inlines, last.span.to(span))
            return
        self._list_done()
        self.paragraph.append((inlines, span))

    def _flush(self) -> None:
        if self.paragraph:
            self._paragraph_done()
        if self.list_items:
            self._list_done()
        if self.note:
            self._note_done()

    def _note(self, inlines: tuple[ast.Inline, ...], span: Span) -> None:
        """A `note` line: the next line of a note to reviewers."""
        self._paragraph_done()
        self._list_done()
        self.note.append((inlines, span))

    def _note_done(self) -> None:
        if self.note:
            span = self.note[0][1].to(self.note[-1][1])
            self.items.append(ast.Note(tuple(inlines for inlines, _ in self.note), span))
            self.note = []

    def _paragraph_done(self) -> None:
        if self.paragraph:
            span = self.paragraph[0][1].to(self.paragraph[-1][1])
            lines = tuple(inlines for inlines, _ in self.paragraph)
            self.items.append(ast.Paragraph(lines, span))
            self.paragraph = []

    def _list_done(self) -> None:
        if self.list_items:
            span = self.list_items[0].span.to(self.list_items[-1].span)
            self.items.append(
                ast.ListBlock(self.list_ordered, self.list_start, tuple(self.list_items), span)
            )
            self.list_items = []

    # ---------------------------------------------------------------- errors

    def _recover(self, base: int, text: str) -> None:
        """Declare the name of a broken `let`, so its uses do not cascade into errors."""
        match = LET_NAME.match(text)
        if match is not None:
            name = normal(match.group(1))
            span = Span(self.source, base + match.start(1), base + match.end(1))
            line_span = Span(self.source, base, base + len(text))
            self.items.append(ast.Let(name, span, ast.Invalid(line_span), line_span))
