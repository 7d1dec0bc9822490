"""Hostile input: whatever the text, the compiler ends with diagnostics or output.

Two kinds of input: reports generated from the grammar's constructs (mostly valid,
sometimes not), and the example report mutated (lines deleted, duplicated,
swapped; random Unicode, full-width punctuation, control characters, lone
surrogates and very long lines inserted). No input may raise.

CI runs a few hundred examples; `pytest -m fuzz` runs many more.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rpt.diagnostics import render_all_json, render_all_text
from rpt.pipeline import Compilation, compile_source
from rpt.render_docx import render_docx
from rpt.render_markdown import render_markdown

EXAMPLE = Path(__file__).parent.parent / "reports" / "huaihua-2023"
PART3 = (EXAMPLE / "part3-explanation.rpti").read_text(encoding="utf-8")
FIGURES = (EXAMPLE / "figures.rpti").read_text(encoding="utf-8")

NAMES = ["收入", "支出.基本", "支出.项目", "上年.收支总计", "a", "b_2", "预算", "决算", "x.y.z"]
UNITS = ["万元", "元", "亿元", "人", "件", "%", "户", "条", "‰", "不存在"]
FORMATS = [
    "%", ".2", ".1%", "元", "num", "增减", "增长", "sign", "余", ",", "亿元 .4", "未知",
    "元/人", "万元／人 .1",
]  # fmt: skip
FULL_WIDTH = "（）＜＞：％＋－×÷＝，“”‘’　、。；！？"
TABLE = """table 表 "标题"
columns | 行 | 列: 万元 |
row r | 一 | 1.5 |
row s | 二 | = r.列 * 2 |
row t | <nope> 与<br>文本 | <s.列:%> |
check s == r
end"""
CONTROLS = "\x00\x07\x0b\x0c\x1b\x7f\x85\ufeff\u200b\u202e"


def _check(result: Compilation) -> None:
    """What every compilation must give: a document or errors, and renderable output."""
    assert result.document is not None or result.diagnostics
    render_all_text(result.diagnostics)
    render_all_json(result.diagnostics)
    if result.document is not None:
        render_markdown(result.document)
        render_docx(result.document)


# ---------------------------------------------------------------- generated reports

number = st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False).map(str)
name = st.sampled_from(NAMES)
unit = st.sampled_from(UNITS)


def expressions(depth: int = 3) -> st.SearchStrategy[str]:
    leaf = st.one_of(
        name,
        st.builds(lambda n, u: f"{n} {u}", number, unit),
        number,
        st.sampled_from(['"文本"', "true", "0", "支出.*", "表.*.列"]),
    )
    if depth == 0:
        return leaf
    sub = expressions(depth - 1)
    return st.one_of(
        leaf,
        st.builds(lambda a, op, b: f"{a} {op} {b}", sub, st.sampled_from("+-*/×÷^<>="), sub),
        st.builds(
            lambda f, a, b: f"{f}({a}, {b})",
            st.sampled_from(["sum", "min", "max", "round", "abs", "if", "nope"]),
            sub,
            sub,
        ),
        st.builds(lambda a, u: f"{a} to {u}", sub, unit),
        st.builds(lambda a, f: f"({a}:{f})", sub, st.sampled_from(FORMATS)),
        st.builds(lambda a: f"-{a}", sub),
        st.builds(lambda a: f"({a})", sub),
    )


def lines() -> st.SearchStrategy[str]:
    expr = expressions()
    return st.one_of(
        st.builds(lambda n, e: f"let {n} = {e}", name, expr),
        st.builds(lambda e: f"check {e}", expr),
        st.builds(lambda u: f"unit {u}", unit),
        st.builds(lambda lvl, t: "#" * lvl + " " + t, st.integers(1, 7), st.text(max_size=10)),
        st.builds(
            lambda t, e, f: f"{t}<{e}:{f}>。", st.text(max_size=8), expr, st.sampled_from(FORMATS)
        ),
        st.builds(lambda t, e: f"- {t}<{e}>", st.text(max_size=8), expr),
        st.just(TABLE),
        st.just("table 表2\nheader | 甲 | < |\nrow | ^ | 乙 |"),
        st.just('include "nowhere.rpt"'),
        st.just("---\ntitle: 标题\nrounding: sideways\n---"),
        st.text(max_size=40),
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines(), max_size=12))
def test_generated_reports_never_crash(body: list[str]) -> None:
    _check(compile_source("\n".join(body)))


@pytest.mark.fuzz
@settings(max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines(), max_size=30))
def test_generated_reports_never_crash_long(body: list[str]) -> None:
    _check(compile_source("\n".join(body)))


# ---------------------------------------------------------------- mutated example

hostile_text = st.one_of(
    st.text(max_size=20),
    st.text(alphabet=FULL_WIDTH, max_size=10),
    st.text(alphabet=CONTROLS, min_size=1, max_size=3),
    st.just("\ud800"),  # a lone surrogate
    st.builds(lambda n: "很长" * n, st.integers(5000, 12000)),
    st.sampled_from(["<", ">", "|", "\\", "*", "**", "{-}", "//", "---", "let ", "end", "^", "<<"]),
)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    lines_ = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        if not lines_:
            break
        i = draw(st.integers(0, len(lines_) - 1))
        j = draw(st.integers(0, len(lines_) - 1))
        match draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "splice"])):
            case "delete":
                del lines_[i]
            case "duplicate":
                lines_.insert(j, lines_[i])
            case "swap":
                lines_[i], lines_[j] = lines_[j], lines_[i]
            case "insert":
                lines_.insert(i, draw(hostile_text))
            case "splice":
                line = lines_[i]
                at = draw(st.integers(0, len(line)))
                lines_[i] = line[:at] + draw(hostile_text) + line[at:]
    return "\n".join(lines_)


def _compile_mutation(figures: str, part3: str) -> Compilation:
    # the example's directory anchors the includes of text/…; figures come inline
    main = figures + "\n" + part3
    return compile_source(main, EXAMPLE / "fuzz-main.rpt")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(FIGURES), mutated(PART3))
def test_mutated_example_never_crashes(figures: str, part3: str) -> None:
    _check(_compile_mutation(figures, part3))


@pytest.mark.fuzz
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(FIGURES), mutated(PART3))
def test_mutated_example_never_crashes_long(figures: str, part3: str) -> None:
    _check(_compile_mutation(figures, part3))


def test_unmutated_example_compiles() -> None:
    """The mutations start from a report that is right, so each finding is theirs."""
    result = _compile_mutation(FIGURES, PART3)
    assert result.document is not None, render_all_text(result.diagnostics)
