"""Diagnostics: what went wrong, where, and what to do about it.

Passes never raise on bad input; they append `Diagnostic`s to a list and carry on
with what they can still check. Rendering follows rustc: a headline with the code,
`--> file:line:col`, the source line and an underline that stays under the right
characters when the line holds CJK text.

Everything printed is escaped first (`printable`): a file name or a line can
hold characters that a terminal would act on rather than show.
"""

from __future__ import annotations

import unicodedata
from enum import Enum

from ..base.record import field, mutable, record
from .codes import Code
from .patterns import regex
from .source import Span, display_width


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@record
class Label:
    """A secondary span with a short remark, drawn under its own source line."""

    span: Span
    message: str


@record
class Diagnostic:
    """One finding. `message` names things in the author's terms; `label` is drawn
    under the primary span; `notes` and `help` follow the source excerpt."""

    code: Code
    message: str
    span: Span | None
    label: str = ""
    labels: tuple[Label, ...] = ()
    notes: tuple[str, ...] = ()
    help: str | None = None
    severity: Severity = Severity.ERROR

    def sort_key(self) -> tuple[str, int, str]:
        if self.span is None:
            return ("", -1, self.code.code)
        return (self.span.source.path, self.span.start, self.code.code)


MAX_DIAGNOSTICS = 1000


@mutable
class Diagnostics:
    """The diagnostics of one run, de-duplicated, in the order they were found.
    Past `MAX_DIAGNOSTICS` only a count is kept: a broken file must not flood."""

    items: list[Diagnostic] = field(default_factory=list)
    dropped: int = 0
    _seen: set[tuple[str, str, int, str]] = field(default_factory=set)

    def add(self, diagnostic: Diagnostic) -> None:
        if len(self.items) >= MAX_DIAGNOSTICS:
            self.dropped += 1
            return
        span = diagnostic.span
        key = (
            diagnostic.code.code,
            span.source.path if span else "",
            span.start if span else -1,
            diagnostic.message,
        )
        if key not in self._seen:
            self._seen.add(key)
            self.items.append(diagnostic)

    def error(
        self,
        code: Code,
        message: str,
        span: Span | None,
        label: str = "",
        *,
        labels: tuple[Label, ...] = (),
        notes: tuple[str, ...] = (),
        help: str | None = None,
    ) -> None:
        self.add(Diagnostic(code, message, span, label, labels, notes, help))

    def warning(
        self,
        code: Code,
        message: str,
        span: Span,
        label: str = "",
        *,
        labels: tuple[Label, ...] = (),
        notes: tuple[str, ...] = (),
        help: str | None = None,
    ) -> None:
        self.add(Diagnostic(code, message, span, label, labels, notes, help, Severity.WARNING))

    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        found = sorted(self.items, key=Diagnostic.sort_key)
        if self.dropped:
            found.append(
                Diagnostic(
                    Code.LIMIT_EXCEEDED,
                    f"{self.dropped:,} more diagnostics were not reported",
                    None,
                    help="fix the errors above first",
                )
            )
        return found


SHOWN_LINE = 160

# What never reaches a terminal as itself: controls (escape sequences, carriage
# returns), format characters (bidi overrides reorder what is shown, zero-width
# ones hide), line and paragraph separators, lone surrogates (how Python holds
# the bytes of a file name that are not UTF-8), and code points unassigned in
# Python's Unicode tables, which a newer terminal may know as format characters.
ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"})
# surrogateescape puts an undecodable byte b at U+DC00 + b
ESCAPED_BYTES = range(0xDC80, 0xDD00)


def _escape(char: str) -> str:
    code = ord(char)
    if code in ESCAPED_BYTES:
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str) -> str:
    """`text` as it may be printed: each character that would not show as itself
    is written as an escape (`\\x1b`, `\\u202e`, and `\\xff` for a byte of a file
    name that is not UTF-8)."""
    if text.isprintable():
        return text
    return "".join(
        _escape(char) if unicodedata.category(char) in ESCAPED_CATEGORIES else char for char in text
    )


def printable_block(text: str) -> str:
    """Lines of text each made printable, the line breaks kept."""
    return "\n".join(printable(line) for line in text.split("\n"))


def _window(text: str, col: int) -> tuple[str, int]:
    """A long source line cut to the part around column `col`: the text shown and
    the offset of its first character in the line."""
    if len(text) <= SHOWN_LINE:
        return text, 0
    start = max(0, min(col - 1 - SHOWN_LINE // 4, len(text) - SHOWN_LINE))
    shown = text[start : start + SHOWN_LINE]
    return ("…" if start else "") + shown + ("…" if start + SHOWN_LINE < len(text) else ""), start


def _underline(span: Span, message: str, marker: str, origin: int) -> str:
    """The row drawn under a source line: spaces to the span, then markers.
    `origin` is where the shown part of the line starts."""
    source = span.source
    line, col = source.line_col(span.start)
    full = source.line_text(line)
    text = ("…" if origin else "") + full[origin:]
    col = col - origin + (1 if origin else 0)
    end_line, end_col = source.line_col(max(span.end, span.start))
    end_col = end_col - origin + (1 if origin else 0)
    # A span running past its first line is underlined to the end of that line.
    stop = min(end_col - 1 if end_line == line else len(text), col - 1 + SHOWN_LINE)
    stop = max(stop, col)  # an empty span (end of line) still gets one marker
    before = _shown(text[: col - 1])
    under = _shown(text[col - 1 : stop])
    row = " " * display_width(before) + marker * max(1, display_width(under))
    return f"{row} {printable(message)}" if message else row


def _shown(line: str) -> str:
    """A source line as printed: tabs as four spaces, the rest made printable.
    The underline is measured on this form, so it stays under its characters."""
    return printable(line.replace("\t", "    "))


def render_text(diagnostic: Diagnostic) -> str:
    """The human form, as printed on the terminal."""
    d = diagnostic
    out = [f"{d.severity.value}[{d.code.code}]: {printable(d.message)}"]
    marks: list[tuple[Span, str, str]] = []
    if d.span is not None:
        marks.append((d.span, d.label, "^"))
        marks.extend((label.span, label.message, "-") for label in d.labels)
    gutter = max((len(str(s.source.line_col(s.start)[0])) for s, _, _ in marks), default=1)
    blank = " " * gutter
    if d.span is not None:
        # one excerpt per source line, in the order the marks first touch it
        lines: dict[tuple[int, int], list[tuple[Span, str, str]]] = {}
        for mark in marks:
            key = (id(mark[0].source), mark[0].source.line_col(mark[0].start)[0])
            lines.setdefault(key, []).append(mark)
        out.append(f"{blank}--> {printable(d.span.location())}")
        out.append(f"{blank} |")
        shown_source = main = d.span.source
        ordered = sorted(lines.values(), key=lambda g: (g[0][0].source is not main, g[0][0].start))
        for group in ordered:
            span = group[0][0]
            if span.source is not shown_source:
                out.append(f"{blank}::: {printable(span.location())}")
                shown_source = span.source
            line, col = span.source.line_col(span.start)
            text, origin = _window(span.source.line_text(line), col)
            out.append(f"{str(line).rjust(gutter)} | {_shown(text)}".rstrip())
            for mark_span, message, marker in sorted(group, key=lambda m: m[0].start):
                out.append(f"{blank} | {_underline(mark_span, message, marker, origin)}")
        out.append(f"{blank} |")
    for note in d.notes:
        out.append(f"{blank} = note: {printable(note)}")
    if d.help:
        out.append(f"{blank} = help: {printable(d.help)}")
    return "\n".join(out)


def render_all_text(diagnostics: list[Diagnostic]) -> str:
    parts = [render_text(d) for d in diagnostics]
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    warnings = len(diagnostics) - errors
    summary = []
    if errors:
        summary.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        summary.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    if summary:
        parts.append(", ".join(summary))
    return "\n\n".join(parts) + ("\n" if parts else "")


SURROGATE = regex("[\ud800-\udfff]")


def _encodable(text: str) -> str:
    """JSON is UTF-8, which has no lone surrogates: the undecodable bytes of a file
    name are written as in text diagnostics (`\\xff`)."""
    return SURROGATE.sub(lambda match: _escape(match.group(0)), text)


def _position(span: Span) -> dict[str, object]:
    line, col = span.source.line_col(span.start)
    end_line, end_col = span.source.line_col(span.end)
    return {
        "file": _encodable(span.source.path),
        "line": line,
        "column": col,
        "end_line": end_line,
        "end_column": end_col,
    }


def to_json(diagnostic: Diagnostic) -> dict[str, object]:
    d = diagnostic
    record: dict[str, object] = {
        "severity": d.severity.value,
        "code": d.code.code,
        "name": d.code.slug,
        "message": _encodable(d.message),
    }
    if d.span is not None:
        record.update(_position(d.span))
        record["label"] = _encodable(d.label)
    record["labels"] = [
        {**_position(label.span), "message": _encodable(label.message)} for label in d.labels
    ]
    record["notes"] = [_encodable(note) for note in d.notes]
    record["help"] = None if d.help is None else _encodable(d.help)
    return record


def render_all_json(diagnostics: list[Diagnostic]) -> str:
    """The diagnostics as JSON."""
    return escaped_json([to_json(d) for d in diagnostics])


def escaped_json(data: object) -> str:
    """`data` as JSON. JSON escapes controls itself; the other characters a
    terminal would act on are written as `\\u` escapes too, so the output is safe
    to show and still reads back as the same strings."""
    import json  # noqa: PLC0415  (only for --format json)

    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if text.replace("\n", "").isprintable():
        return text
    return "".join(
        json.dumps(char)[1:-1]
        if char != "\n" and unicodedata.category(char) in ESCAPED_CATEGORIES
        else char
        for char in text
    )
