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
