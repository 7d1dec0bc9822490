"""Parsing, by properties: precedence and exact arithmetic against a model, and the
parser's fast paths against the full grammar."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rpt.base.source import SourceFile
from rpt.grammar.lark_parser import Token, Tree
from rpt.pipeline import compile_source
from rpt.render.markdown import render_markdown
from rpt.syntax import tree as ast
from rpt.syntax.keywords import EXPRESSION_WORDS
from rpt.syntax.lines import Builder, parser
from rpt.syntax.plain import (
    is_comment,
    plain_heading,
    plain_name,
    plain_number,
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
