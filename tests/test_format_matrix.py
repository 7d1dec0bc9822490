"""Every format on every kind of value, as the table in docs/language.md states
it: the table is the specification, and each of its cells is compiled here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rpt.pipeline import compile_source
from rpt.render.markdown import render_markdown
from rpt.syntax.format_words import FORMAT_WORDS, Role

DOC = Path(__file__).parent.parent / "docs" / "language.md"
MARKER = "<!-- format matrix:"


def _matrix() -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The figures the columns declare, and each row's format and cells."""
    lines = DOC.read_text(encoding="utf-8").split(MARKER, 1)[1].splitlines()[1:]
    rows = []
    for line in lines:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    header, _, *body = rows
    samples = [re.fullmatch(r"[\w -]+? `(.*)`", cell).group(1) for cell in header[1:]]  # type: ignore[union-attr]
    formats = []
    for cells in body:
        fmt = "" if cells[0] == "*(none)*" else cells[0].strip("`")
        formats.append((fmt, cells[1:]))
    return samples, formats


SAMPLES, FORMATS = _matrix()
CASES = [
    (fmt, sample, expected)
    for fmt, cells in FORMATS
    for sample, expected in zip(SAMPLES, cells, strict=True)
]


@pytest.mark.parametrize(("fmt", "sample", "expected"), CASES)
def test_every_cell_of_the_format_matrix(fmt: str, sample: str, expected: str) -> None:
    result = compile_source(f"let x = {sample}\n<x{':' + fmt if fmt else ''}>\n")
    if expected.startswith("`"):
        assert result.document is not None, result.diagnostics
        assert render_markdown(result.document).strip() == expected.strip("`")
    else:
        assert result.document is None
        assert {d.code.code for d in result.diagnostics} == {expected}


def test_the_matrix_covers_every_format_word_and_every_kind() -> None:
    words = {word for fmt, _ in FORMATS for word in fmt.split()}
    every = {w for w, entry in FORMAT_WORDS.items() if entry.role is not Role.ALIGN}
    assert every <= words
    assert {".1", "%", "‰", ",", "元", "元/人"} <= words
    assert (
        len(SAMPLES) == 9
    )  # money, count, pure, ratio, percent, per-unit, points, text, condition


@pytest.mark.parametrize("word", [w for w, e in FORMAT_WORDS.items() if e.role is not Role.ALIGN])
def test_every_format_word_is_documented_in_the_formats_table(word: str) -> None:
    formats = DOC.read_text(encoding="utf-8").split("## Formats", 1)[1].split(MARKER)[0]
    assert f"| `{word}` |" in formats
