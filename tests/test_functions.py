"""The table of built-in functions (compiler/check/functions.py): the docs list
exactly its functions, each function computes what its summary says, and a
wrong call is answered with the function's usage."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rpt.base.codes import Code
from rpt.check.functions import FUNCTIONS
from rpt.pipeline import compile_source
from rpt.render.markdown import render_markdown

DOCS = Path(__file__).parent.parent / "docs" / "language.md"
TABLE = re.compile(r"<!-- functions: [^>]*-->\n(.*?)<!-- end functions -->", re.S)


def test_the_docs_list_the_functions_of_the_table() -> None:
    found = TABLE.search(DOCS.read_text("utf-8"))
    assert found is not None, "docs/language.md lost its table of functions"
    rows = "\n".join(f"| `{f.usage}` | {f.summary} |" for f in FUNCTIONS.values())
    assert found.group(1) == "| function | gives |\n|---|---|\n" + rows + "\n"


# each function with a call and the value it must print
CALLS = {
    "sum": ("sum(收入.*, 3 万元)", "10万元"),
    "abs": ("abs(0 万元 - 收入.甲)", "2万元"),
    "min": ("min(收入.*)", "2万元"),
    "max": ("max(收入.*, 1 万元)", "5万元"),
    "round": ("round(收入.甲 / 3, 1)", "0.7万元"),
    "if": ('if(收入.甲 > 收入.乙, "多", "少")', "少"),
    "share": ("share(收入.甲, 收入.*)", "29%"),
}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_each_function_computes(name: str) -> None:
    call, printed = CALLS[name]
    result = compile_source(f"let 收入.甲 = 2 万元\nlet 收入.乙 = 5 万元\n<{call}>\n")
    assert result.document is not None, result.diagnostics
    assert result.facts is not None
    [place] = [p for f in result.facts.figures.values() for p in f.printed if not p.direct][:1]
    assert place.text == printed


@pytest.mark.parametrize("name", [n for n in FUNCTIONS if n not in ("sum", "min", "max")])
def test_a_wrong_call_shows_the_usage(name: str) -> None:
    result = compile_source(f"let a = 1 万元\n<{name}(a, a, a, a)>\n")
    [diagnostic] = result.diagnostics
    assert diagnostic.code is Code.WRONG_ARGUMENTS
    assert FUNCTIONS[name].usage.split("(")[0] + "(" in (diagnostic.help or "")


def test_an_unknown_function_lists_the_table() -> None:
    [diagnostic] = compile_source("let a = 1 万元\n<total(a)>\n").diagnostics
    assert diagnostic.code is Code.UNKNOWN_FUNCTION
    assert diagnostic.help == "functions: " + ", ".join(FUNCTIONS)


# ---------------------------------------------------------------- values through the functions

FIGURES = (
    "let 万 = 2 万元\nlet 元值 = 5000 元\nlet 率.甲 = 30%\nlet 率.乙 = 20%\n"
    "let 收入.甲 = 2 万元\nlet 收入.乙 = 5 万元\n"
)


def _printed(reference: str) -> str:
    result = compile_source(FIGURES + f"<{reference}>\n")
    assert result.document is not None, result.diagnostics
    return render_markdown(result.document).strip()


@pytest.mark.parametrize(
    ("reference", "printed"),
    [
        ("if(万 < 元值, 万, 元值)", "0.5万元"),  # the branch taken in the then-branch's unit
        ("if(万 > 元值, 元值, 万)", "5000元"),
        ('if(万 > 元值, 万, "无")', "2万元"),  # a whole reference may mix a number and a text
        ('if(万 < 元值, 万, "无")', "无"),
        ('if(万 < 元值, "无", 万)', "2万元"),
        ('if(万 > 元值, "多", "少")', "多"),
        ("if(万 > 元值, 元值 / 万, 1):%", "25%"),
        ("round(万, 20)", "2万元"),  # the ends of round()'s decimals
        ("round(万, -12)", "0万元"),
        ("round(元值, -4)", "10000元"),  # half-up, the report's mode
        ("share(收入.甲, 收入.*, 0)", "29%"),  # the ends of share()'s decimals
        ("share(收入.甲, 收入.*, 10)", "28.5714285714%"),
        ("share(收入.乙, 收入.*)", "71%"),
        ("sum(万, 元值)", "2.5万元"),  # in the first member's unit
        ("sum(元值, 万)", "25000元"),
        ("min(元值, 万)", "5000元"),
        ("max(元值, 万)", "20000元"),
        ("sum(元值 / 万, 1):%", "125%"),
        ("abs(元值 - 万)", "15000元"),
    ],
)
def test_functions_scale_their_arguments_to_one_unit(reference: str, printed: str) -> None:
    assert _printed(reference) == printed


@pytest.mark.parametrize(
    ("reference", "code"),
    [
        # a ratio or a difference of rates in either branch or member makes the result one
        ("if(万 > 元值, 元值 / 万, 1)", Code.UNFORMATTED_RATIO),
        ("if(万 > 元值, 1, 元值 / 万)", Code.UNFORMATTED_RATIO),
        ("sum(1, 元值 / 万)", Code.UNFORMATTED_RATIO),
        ("if(万 > 元值, 率.甲 - 率.乙, 0%)", Code.POINTS_AS_PERCENT),
        ("if(万 > 元值, 0%, 率.甲 - 率.乙)", Code.POINTS_AS_PERCENT),
        ("max(0%, 率.甲 - 率.乙)", Code.POINTS_AS_PERCENT),
        ("max(率.甲 - 率.乙, 0%)", Code.POINTS_AS_PERCENT),
    ],
)
def test_a_ratio_or_points_in_any_argument_is_the_results_kind(reference: str, code: Code) -> None:
    [diagnostic] = compile_source(FIGURES + f"<{reference}>\n").diagnostics
    assert diagnostic.code is code
    kind = "a ratio of two quantities" if code is Code.UNFORMATTED_RATIO else "a difference"
    assert diagnostic.message.startswith(f"`{reference}` is {kind}")


def test_an_if_inside_a_whole_reference_may_mix_a_number_and_a_text_too() -> None:
    assert _printed('if(万 > 元值, if(万 > 1 万元, 万, "无"), "有")') == "2万元"
    assert _printed('if(万 < 元值, 万, if(万 > 1 万元, "多", 万))') == "多"


@pytest.mark.parametrize(
    ("side", "value"),
    [
        ("abs(0 万元 - 万)", "2万元"),
        ("round(万 / 3, 1)", "0.7万元"),
        ("if(万 > 元值, 万, 元值)", "2万元"),
    ],
)
def test_a_failed_check_shows_a_call_as_written(side: str, value: str) -> None:
    [diagnostic] = compile_source(FIGURES + f"check {side} == 1 万元 exact\n").diagnostics
    assert diagnostic.notes[0] == f"left:  `{side}` = {value}"


def test_a_sum_of_money_and_a_bare_number_says_to_write_the_unit() -> None:
    [diagnostic] = compile_source(FIGURES + "let b = sum(万, 3)\n").diagnostics
    assert diagnostic.message == "sum() mixes `万` (万元) and `3` (a pure number)"
    assert diagnostic.help == "a bare number has no unit: write its unit after it, e.g. `5 万元`"
