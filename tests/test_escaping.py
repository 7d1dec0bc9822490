"""Whatever a diagnostic echoes (file names, source lines, messages) reaches the
terminal escaped: no escape sequence, bidi override or undecodable byte raw."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from rpt.base.codes import Code
from rpt.base.diagnostics import (
    ESCAPED_CATEGORIES,
    Diagnostic,
    printable,
    render_all_json,
    render_all_text,
)
from rpt.base.source import SourceFile, Span, display_width
from rpt.pipeline import compile_report

BAD = "let 收入 = 1 万元\n收入<收人>。\n"


def _only_printable(text: str) -> bool:
    """No character a terminal would act on, line ends aside."""
    return not any(unicodedata.category(c) in ESCAPED_CATEGORIES for c in text.replace("\n", ""))


def _diagnostic(path: str, line: str, start: int, end: int) -> Diagnostic:
    source = SourceFile(path, line + "\n")
    return Diagnostic(Code.SYNTAX, f"in {path}", Span(source, start, end), "here")


def test_a_terminal_escape_in_a_file_name(tmp_path: Path) -> None:
    name = "r\x1b]0;owned\x07\x1b[31m.rpt"
    (tmp_path / name).write_text(BAD, encoding="utf-8")
    result = compile_report(tmp_path / name)
    text = render_all_text(result.diagnostics)
    assert "\x1b" not in text and "\x07" not in text
    assert "r\\x1b]0;owned\\x07\\x1b[31m.rpt:2:4" in text
    [record] = json.loads(render_all_json(result.diagnostics))
    assert record["file"].endswith(name)  # JSON escapes controls itself, and reads back


def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    name = os.fsdecode(b"r\xff\xfe.rpt")
    (tmp_path / name).write_text(BAD, encoding="utf-8")
    result = compile_report(tmp_path / name)
    text = render_all_text(result.diagnostics)
    assert "r\\xff\\xfe.rpt:2:4" in text
    text.encode("utf-8")  # no lone surrogate left
    output = render_all_json(result.diagnostics)
    [record] = json.loads(output.encode("utf-8"))
    assert record["file"].endswith("r\\xff\\xfe.rpt")


def test_a_bidi_override_in_a_source_line_keeps_the_underline_in_place() -> None:
    line = "正文\u202e<乙>"
    rendered = render_all_text([_diagnostic("r.rpt", line, 4, 5)])
    shown = next(row for row in rendered.split("\n") if row.startswith("1 | "))
    under = next(row for row in rendered.split("\n") if "^" in row)
    assert "\u202e" not in rendered
    assert shown == "1 | 正文\\u202e<乙>"
    assert display_width(under[: under.index("^")]) == display_width(shown[: shown.index("乙")])


def test_json_escapes_what_a_terminal_would_act_on() -> None:
    output = render_all_json([_diagnostic("r\u202e.rpt", "x\u2028y", 0, 1)])
    assert "\u202e" not in output and "\u2028" not in output
    [record] = json.loads(output)
    assert record["file"] == "r\u202e.rpt"  # the same string, read back


@given(st.text())
def test_everything_printed_is_printable(name: str) -> None:
    diagnostic = _diagnostic(name, name.replace("\n", " "), 0, len(name))
    assert _only_printable(render_all_text([diagnostic]))
    assert _only_printable(printable(name))
    output = render_all_json([diagnostic])
    output.encode("utf-8")
    json.loads(output)
