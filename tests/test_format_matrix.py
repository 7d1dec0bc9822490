"""Every format on every kind of value, as the table in docs/language.md states
it: the table is the specification, and each of its cells is compiled here."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from rpt.base.record import replace
from rpt.check.ir import Display
from rpt.evaluation.format import format_number
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


# ---------------------------------------------------------------- formats at their edges


def _printed(source: str) -> str:
    result = compile_source(source)
    assert result.document is not None, result.diagnostics
    return render_markdown(result.document).strip()


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        ("-34.9 万元", "sign", "-34.9万元"),
        ("0.5", "sign .1", "+0.5"),  # below one, still positive
        ("1", "sign", "+1"),
        ("-0.04", "sign .1", "0.0"),  # rounds to zero: no sign at all
        ("-0.5", "增减 .1", "减少0.5"),
        ("0.5", "增减 .1", "增加0.5"),
        ("0.04", "增减 .1", "持平"),
    ],
)
def test_the_sign_is_decided_after_rounding(value: str, fmt: str, expected: str) -> None:
    assert _printed(f"let x = {value}\n<x:{fmt}>\n") == expected


@pytest.mark.parametrize(
    ("mode", "half", "capital", "change"),
    [
        ("half-up", "3 -3", "壹元贰角肆分", "增加0.1"),
        ("half-even", "2 -2", "壹元贰角肆分", "持平"),
        ("half-down", "2 -2", "壹元贰角叁分", "持平"),
        ("down", "2 -2", "壹元贰角叁分", "持平"),
        ("up", "3 -3", "壹元贰角肆分", "增加0.1"),
    ],
)
def test_every_format_rounds_by_the_reports_mode(
    mode: str, half: str, capital: str, change: str
) -> None:
    # 2.5 is a tie at no decimals, 1.235 元 in capitals a tie at 分, and 0.05 a
    # tie at one decimal, where the mode also decides whether there was a change
    source = f"---\nrounding: {mode}\n---\nlet x = 2.5\nlet y = -2.5\nlet m = 1.235 元\n"
    assert _printed(source + "<x:.0> <y:.0>\n") == half
    assert _printed(source + "<m:大写>\n") == capital
    assert _printed(source + "let z = 0.05\n<z:增减 .1>\n") == change


def test_a_per_mille_in_counting_numerals() -> None:
    source = "let r = 0.0125\n<r:‰ 中文>，<r:.1% 中文>，<r:‰>\n"
    assert _printed(source) == "千分之十三，百分之一点三，13‰"


def test_several_figures_each_keep_their_percent_or_per_mille() -> None:
    source = "let a = 0.0125\nlet b = 0.003\nlet c = 3 万元\n"
    assert (
        _printed(source + "<a、b:‰>，<a、b:.1%>，<c、c:增减>\n")
        == "13‰、3‰，1.3%、0.3%，增加3、3万元"
    )


def test_numerals_the_formatter_does_not_know_are_a_bug_not_a_guess() -> None:
    display = Display(scale=Fraction(1), decimals=0, trim=True, suffix="", rounding="half-up")
    with pytest.raises(AssertionError, match=r"no numerals 罗马$"):
        format_number(Fraction(3), replace(display, numerals="罗马"))
    assert format_number(Fraction(3), replace(display, numerals="中文")) == "三"


def test_an_unknown_format_lists_the_format_words_a_reference_takes() -> None:
    result = compile_source("let x = 5\n<x:zzzz>\n")
    [diagnostic] = result.diagnostics
    assert diagnostic.code.code == "E303"
    lead = "formats: .2 (decimals), %, a unit (元, 元/人), , (grouping), "
    assert diagnostic.help is not None and diagnostic.help.startswith(lead)
    listed = diagnostic.help.removeprefix(lead).split(", ")
    assert listed == [w for w, e in FORMAT_WORDS.items() if e.role is not Role.ALIGN]
    assert not {"left", "center", "right"} & set(listed)  # a table column's, not a reference's


@pytest.mark.parametrize(
    ("fmt", "expected"), [(".0", "0"), (".12", "0." + "3" * 12), (".20", "0." + "3" * 20)]
)
def test_up_to_twenty_decimals(fmt: str, expected: str) -> None:
    # .21 and .123 are E303 (golden/errors/E303-unknown-format/misused-formats)
    assert _printed(f"let x = 1 / 3\n<x:{fmt}>\n") == expected


def test_counting_numerals_take_a_unit_capitals_do_not() -> None:
    source = "let 支出 = 1234.5 万元\n<支出:中文 元>，<支出:中文>，<支出:大写>\n"
    assert (
        _printed(source)
        == "一千二百三十四万五千元，一千二百三十四点五万元，壹仟贰佰叁拾肆万伍仟元整"
    )


def test_a_format_inside_an_expression_keeps_the_unit() -> None:
    assert _printed('let 支出 = 1234.5 万元\n<"共" + (支出:.1)>\n') == "共1234.5万元"


def test_only_counts_and_pure_numbers_drop_the_decimals_of_a_whole_value() -> None:
    source = "---\ntrim-zeros: no\n---\nlet 人均 = 24 万元 / 12 人\nlet 人数 = 12 人\n"
    assert (
        _printed(source + "<人均>，<人数>，<人数 / 5>，<24 万元>\n")
        == "2.00万元/人，12人，2.40人，24.00万元"
    )
