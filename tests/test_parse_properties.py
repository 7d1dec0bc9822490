"""Parsing, by properties: precedence and exact arithmetic against a model, and the
parser's fast paths against the full grammar."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rpt.base.names import normal
from rpt.base.source import SourceFile
from rpt.grammar.lark_parser import Token, Tree
from rpt.pipeline import compile_source
from rpt.render.markdown import render_markdown
from rpt.syntax import tree as ast
from rpt.syntax.keywords import EXPRESSION_WORDS
from rpt.syntax.lines import Builder, parser
from rpt.syntax.plain import (
    is_comment,
    plain_column,
    plain_header_entry,
    plain_heading,
    plain_name,
    plain_number,
    plain_prose,
    plain_statement,
    plain_table_head,
    plain_text,
)

operands = st.decimals(min_value=Decimal("-999.99"), max_value=Decimal("999.99"), places=2)


@st.composite
def arithmetic(draw: st.DrawFn, depth: int = 4) -> tuple[str, Fraction]:
    """An expression as text and its exact value, computed on fractions."""
    if depth == 0 or draw(st.booleans()):
        literal = draw(operands)
        text = f"({literal})" if literal < 0 else str(literal)
        return text, Fraction(literal)
    left, a = draw(arithmetic(depth - 1))
    right, b = draw(arithmetic(depth - 1))
    op = draw(st.sampled_from(["+", "-", "*", "/", "×", "÷", "／", "－"]))
    if op in "/÷／":
        assume(b != 0)
    value = {"+": a + b, "-": a - b, "－": a - b, "*": a * b, "×": a * b}.get(op)
    value = a / b if value is None else value
    return f"({left} {op} {right})", value


@settings(max_examples=150, deadline=None)
@given(arithmetic())
def test_arithmetic_matches_the_model(case: tuple[str, Fraction]) -> None:
    text, value = case
    assume(abs(value) < 10**12)
    result = compile_source(f"<{text}:.6>\n")
    assert result.document is not None, result.diagnostics
    printed = render_markdown(result.document).strip()
    expected = abs(value) * 10**6
    whole = int(expected) + (1 if expected - int(expected) >= Fraction(1, 2) else 0)
    expected_text = f"{'-' if value < 0 and whole else ''}{Decimal(whole).scaleb(-6):.6f}"
    assert printed == expected_text


@settings(max_examples=100, deadline=None)
@given(
    st.lists(operands, min_size=2, max_size=6),
    st.lists(st.sampled_from("+-*"), min_size=5, max_size=5),
)
def test_precedence_without_parentheses(values: list[Decimal], ops: list[str]) -> None:
    """`a + b * c - d` groups as the model of ordinary precedence does."""
    text = str(values[0])
    terms = [Fraction(values[0])]  # the model: products first, then a signed sum
    for value, op in zip(values[1:], ops, strict=False):
        text += f" {op} " + (f"({value})" if value < 0 else str(value))
        if op == "*":
            terms[-1] *= Fraction(value)
        else:
            terms.append(Fraction(value) if op == "+" else -Fraction(value))
    expected = sum(terms, Fraction(0))
    result = compile_source(f"<{text}:.4>\n")
    assert result.document is not None
    printed = Fraction(Decimal(render_markdown(result.document).strip()))
    assert abs(printed - expected) <= Fraction(1, 20000)


# ---------------------------------------------------------------- fast paths


def _strip_spans(node: object) -> object:
    if is_dataclass(node) and not isinstance(node, type):
        return (
            type(node).__name__,
            *(_strip_spans(getattr(node, f.name)) for f in fields(node) if f.name != "span"),
        )
    if isinstance(node, tuple):
        return tuple(_strip_spans(item) for item in node)
    return node


SOURCE = SourceFile("t.rpt", "")
EXAMPLE = Path(__file__).parent.parent / "reports" / "huaihua-2023"
line_text = (
    st.text(
        alphabet=st.sampled_from(list("收入支出合计abc 123.#-/<>*\\|:%，。")),
        min_size=1,
        max_size=15,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=400, deadline=None)
@given(line_text)
def test_plain_prose_fast_path_agrees_with_the_grammar(text: str) -> None:
    fast = plain_text(SOURCE, 0, text, line=True)
    if fast is None:
        return
    tree = parser().parse(text, start="line")
    assert tree.data == "prose"
    assert _strip_spans(Builder(SOURCE, 0).inlines(tree.children)) == _strip_spans((fast,))


number_text = st.builds(
    lambda n, gap, unit: f"{n}{gap}{unit}",
    st.decimals(min_value=0, max_value=10**6, places=3).map(str),
    st.sampled_from(["", " ", "　"]),
    st.sampled_from(["", "万元", "人", "%", "％", "‰", "to", "户", "a.b"]),
)


@settings(max_examples=300, deadline=None)
@given(number_text)
def test_plain_number_fast_path_agrees_with_the_grammar(text: str) -> None:
    text = text.strip()
    fast = plain_number(SOURCE, 0, text)
    if fast is None:
        return
    tree = parser().parse(text, start="formula")
    node = tree.children[0]
    assert isinstance(node, Tree | Token)
    expr = Builder(SOURCE, 0).expr(node)
    assert isinstance(expr, ast.Number)
    assert _strip_spans(expr) == _strip_spans(fast)


spaces = st.sampled_from([" ", "  ", "\t", "　", "\u00a0", "\u2003"])
words = st.text(alphabet=st.sampled_from(list("收入支出ab_.1")), min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(line_text)
def test_comment_fast_path_agrees_with_the_grammar(text: str) -> None:
    text = "//" + text
    assert is_comment(text)
    assert parser().parse(text, start="line").data == "comment"
    assert parser().parse(text, start="table_line").data == "comment"


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=7), spaces, line_text)
def test_heading_fast_path_agrees_with_the_grammar(level: int, gap: str, body: str) -> None:
    text = "#" * level + gap + body
    fast = plain_heading(SOURCE, 0, text)
    if fast is None:
        return
    tree = parser().parse(text, start="line")
    assert tree.data == "heading"
    mark = tree.children[0]
    assert isinstance(mark, Token)
    assert fast == (len(mark), Builder(SOURCE, 0).inlines(tree.children[1:])[0])
    assert len(Builder(SOURCE, 0).inlines(tree.children[1:])) == 1


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["row", "header", "columns", "end", "rows", "unit", "check"]),
    st.one_of(st.just(""), st.tuples(spaces, words).map("".join)),
    st.sampled_from(["", " // 注", " x", "(", ".a"]),
)
def test_table_head_fast_path_agrees_with_the_grammar(word: str, name: str, rest: str) -> None:
    text = (word + name + rest).rstrip()
    fast = plain_table_head(text)
    if fast is None:
        return
    tree = parser().parse(text, start="table_line")
    kind, row = fast
    assert tree.data == kind
    written = tree.children[1] if kind == "row_head" else None
    assert row == (str(written) if written is not None else None)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        words,
        st.sampled_from(EXPRESSION_WORDS),
        st.tuples(words, st.sampled_from(["", ".", ".*", "(", " ", "1"])).map("".join),
    )
)
def test_name_fast_path_agrees_with_the_grammar(text: str) -> None:
    fast = plain_name(SOURCE, 0, text)
    if fast is None:
        return
    node = parser().parse(text, start="formula").children[0]
    assert isinstance(node, Tree | Token)
    assert Builder(SOURCE, 0).expr(node) == fast


def test_each_fast_path_takes_the_lines_it_is_for() -> None:
    """The properties above would hold of fast paths that take nothing."""
    assert plain_heading(SOURCE, 0, "## 一、收入支出") is not None
    assert plain_table_head("row 收入.财政拨款") == ("row_head", "收入.财政拨款")
    assert plain_table_head("row") == ("row_head", None)
    assert plain_table_head("header") == ("header_head", None)
    assert plain_table_head("columns") == ("columns_head", None)
    assert plain_table_head("end") == ("table_end", None)
    assert plain_name(SOURCE, 0, "收入.财政拨款") is not None
    assert plain_name(SOURCE, 0, "true") is None
    assert is_comment("// 注") and not is_comment("/ 注")


# ------------------------------------------------ statements and references

names = st.one_of(
    words.filter(lambda w: w[0].isalpha() or w[0] == "_"),
    st.sampled_from([*EXPRESSION_WORDS, "收入.财政拨款", "a.b", "万元", "x1", "let", "include"]),
)
blanks = st.sampled_from(["", " ", "  ", "\t", "　", "\u00a0"])
strings = st.sampled_from(['"合计"', '"一、收入"', "“决算数”", '"a//b"', '""', '"x"y"', "“a”"])
tails = st.sampled_from(["", " // 注", "// x", " //", " exact", " in 0..1", " 万元", " +1", "/2"])


@st.composite
def let_lines(draw: st.DrawFn) -> str:
    gap = draw(blanks)
    if draw(st.booleans()):
        rhs = draw(number_text)
    else:
        keys = draw(strings) + (
            draw(st.sampled_from(["", ",", "，", ", ", " ， "])) + draw(strings)
            if draw(st.booleans())
            else ""
        )
        brackets = draw(st.sampled_from(["[]", "［］", "[］", "()"]))
        rhs = f"{draw(names)}{gap}{brackets[0]}{gap}{keys}{gap}{brackets[1]}"
        if draw(st.booleans()):
            rhs += f"{draw(blanks)}to{draw(blanks)}{draw(names)}"
    eq = draw(st.sampled_from(["=", "＝", "==", ":"]))
    return f"let{draw(spaces)}{draw(names)}{gap}{eq}{draw(blanks)}{rhs}{draw(tails)}".strip()


def _statement_or_none(text: str) -> ast.Statement | None:
    try:
        tree = parser().parse(text, start="line")
    except Exception:
        return None
    if tree.data not in ("let", "include"):
        return None
    return Builder(SOURCE, 0).statement(tree)


@settings(max_examples=600, deadline=None)
@given(let_lines())
def test_let_fast_path_agrees_with_the_grammar(text: str) -> None:
    fast = plain_statement(SOURCE, 0, text)
    if fast is not None:
        assert fast == _statement_or_none(text), text


@settings(max_examples=200, deadline=None)
@given(spaces, strings, tails)
def test_include_fast_path_agrees_with_the_grammar(gap: str, path: str, tail: str) -> None:
    text = f"include{gap}{path}{tail}".strip()
    fast = plain_statement(SOURCE, 0, text)
    if fast is not None:
        assert fast == _statement_or_none(text), text


formats = st.lists(
    st.sampled_from(
        [".2", ".0", "%", "％", ",", "，", "‰", "万元", "增减", "to", "a.b", " ", "/人", "2"]
    ),
    min_size=1,
    max_size=3,
).map("".join)
refs = st.builds(
    lambda name, colon, fmt: f"<{name}>" if colon is None else f"<{name}{colon}{fmt}>",
    names,
    st.sampled_from([None, ":", "："]),
    formats,
)
prose_lines = st.lists(
    st.one_of(refs, line_text, st.sampled_from(["，", " ", "let ", "# ", "*", "\\<", ">"])),
    min_size=1,
    max_size=6,
).map("".join)


@settings(max_examples=800, deadline=None)
@given(prose_lines)
def test_prose_fast_path_agrees_with_the_grammar(text: str) -> None:
    text = text.strip()
    assume(text)
    fast = plain_prose(SOURCE, 0, text)
    if fast is None:
        return
    tree = parser().parse(text, start="line")
    assert tree.data == "prose", text
    assert Builder(SOURCE, 0).inlines(tree.children) == fast, text


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["title", "year", "a-b_1", "1a", "标题", "x"]),
    blanks,
    st.sampled_from([":", "：", ""]),
    st.sampled_from(["", " 2023年度部门决算", ":x", " a // b", "  "]),
)
def test_front_matter_fast_path_agrees_with_the_grammar(
    key: str, gap: str, colon: str, value: str
) -> None:
    text = f"{key}{gap}{colon}{value}".strip()
    fast = plain_header_entry(text)
    if fast is None:
        return
    tree = parser().parse(text, start="header_entry")
    token, written = tree.children
    assert isinstance(token, Token) and isinstance(written, Token)
    assert fast == (str(token), token.end_pos, str(written)[1:])
    assert len(text) - len(fast[2]) == (written.start_pos or 0) + 1


def test_the_example_reads_alike_with_and_without_the_fast_paths() -> None:
    """Every line of the example that a fast path takes, compared with what the
    grammar makes of it: the shapes real reports have."""
    taken = 0
    for path in sorted(EXAMPLE.rglob("*.rpt*")):
        for raw in path.read_text(encoding="utf-8").splitlines():
            text = raw.strip()
            if not text:
                continue
            statement = plain_statement(SOURCE, 0, text)
            if statement is not None:
                taken += 1
                assert statement == _statement_or_none(text), text
            inlines = plain_prose(SOURCE, 0, text)
            if inlines is not None:
                taken += 1
                tree = parser().parse(text, start="line")
                assert Builder(SOURCE, 0).inlines(tree.children) == inlines, text
    assert taken > 300


def test_each_statement_fast_path_takes_the_lines_it_is_for() -> None:
    assert isinstance(plain_statement(SOURCE, 0, "let a = 1.5 万元 // 注"), ast.Let)
    assert isinstance(plain_statement(SOURCE, 0, 'let a = 表["合计", "决算数"] to 万元'), ast.Let)
    assert isinstance(plain_statement(SOURCE, 0, "let a ＝ 表［“合计”］"), ast.Let)
    assert isinstance(plain_statement(SOURCE, 0, 'include "a.rpti"'), ast.Include)
    assert plain_statement(SOURCE, 0, "let a = 1 exact") is None
    assert plain_prose(SOURCE, 0, "合计<a>，占<a / b:%>。") is None
    assert plain_prose(SOURCE, 0, "合计<a.b:.2%>，占<c:万元>。") is not None
    assert plain_header_entry("title: 标题") == ("title", 5, " 标题")


@pytest.mark.parametrize(
    "text",
    [
        "甲" * 19_000 + "*",
        "<a:" + "a" * 19_000 + "/",
        "x<a:" + ".2" * 9_000 + " >",
        "let a = 1" + " " * 19_000 + "+",
        'let a = t["a"' + " " * 19_000,
        'include "' + "a" * 19_000,
        "文<a>" * 4_000 + "*",
        "let " + "a." * 9_000 + "b = 1 x y",
    ],
)
def test_lines_that_almost_take_a_fast_path(text: str) -> None:
    """Near misses of 20,000 characters: each pattern fails in linear time (a
    pattern that backtracks would not finish), and the parser reads the line."""
    assert plain_statement(SOURCE, 0, text) is None
    assert plain_prose(SOURCE, 0, text) is None
    assert plain_header_entry(text) is None
    result = compile_source(text + "\n")
    assert result.document is None or "a" in render_markdown(result.document)


column_texts = st.builds(
    lambda name, colon, items: name if colon is None else f"{name}{colon}{items}",
    names,
    st.sampled_from([None, ":", "：", " : ", ":  "]),
    st.lists(
        st.sampled_from(
            [".2", "%", "％", ",", "‰", "万元", "增减", "to", "center", "元/人", " ", "2"]
        ),
        min_size=1,
        max_size=4,
    ).map(" ".join),
)


@settings(max_examples=500, deadline=None)
@given(column_texts)
def test_column_fast_path_agrees_with_the_grammar(text: str) -> None:
    text = text.strip()
    fast = plain_column(SOURCE, 0, text)
    if fast is None:
        return
    tree = parser().parse(text, start="column_spec")
    builder = Builder(SOURCE, 0)
    name, fmt = tree.children
    assert isinstance(name, Token)
    spec = builder.format(fmt) if isinstance(fmt, Tree) else None
    assert fast == ast.Column(normal(name), spec, builder.span(tree)), text


@settings(max_examples=400, deadline=None)
@given(prose_lines)
def test_cell_fast_path_agrees_with_the_grammar(text: str) -> None:
    text = text.strip()
    assume(text)
    fast = plain_prose(SOURCE, 0, text, line=False)
    if fast is None:
        return
    tree = parser().parse(text, start="cell_text")
    assert Builder(SOURCE, 0).inlines(tree.children) == fast, text


def test_columns_and_cells_take_the_lines_they_are_for() -> None:
    column = plain_column(SOURCE, 0, "决算数: 万元 .2")
    assert column is not None and column.format is not None
    assert [item.text for item in column.format.items] == ["万元", ".2"]
    assert plain_column(SOURCE, 0, "收入项目") is not None
    assert plain_column(SOURCE, 0, "人均: 元/人") is None
    assert plain_prose(SOURCE, 0, "let <a>", line=False) is not None
    assert plain_prose(SOURCE, 0, "let <a>") is None
