"""Parsing, by properties: precedence and exact arithmetic against a model, and the
parser's fast paths against the full grammar."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from lark import Token, Tree

from rpt.base.source import SourceFile
from rpt.pipeline import compile_source
from rpt.render.markdown import render_markdown
from rpt.syntax import tree as ast
from rpt.syntax.lines import Builder, parser, plain_number, plain_text

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
