"""Parsing, by properties: precedence and exact arithmetic against a model, and the
parser's fast paths against the full grammar."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rpt.base.names import normal
from rpt.base.record import fields, is_record
from rpt.base.source import SourceFile
from rpt.grammar.lark_parser import Token, Tree
from rpt.pipeline import compile_source
from rpt.render.markdown import render_markdown
from rpt.syntax import plain_expr, plain_statements
from rpt.syntax import tree as ast
from rpt.syntax.keywords import EXPRESSION_WORDS
from rpt.syntax.lines import Builder, parser
from rpt.syntax.plain import (
    is_comment,
    plain_check,
    plain_column,
    plain_header_entry,
    plain_heading,
    plain_let,
    plain_marked,
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
    if is_record(node):
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
    if tree.data not in ("let", "include", "check", "unit_decl", "data_decl"):
        return None
    return Builder(SOURCE, 0).statement(tree)


@settings(max_examples=600, deadline=None)
@given(let_lines())
def test_let_fast_path_agrees_with_the_grammar(text: str) -> None:
    fast = plain_statement(SOURCE, 0, text)
    if fast is not None:
        assert fast == _statement_or_none(text), text


@settings(max_examples=800, deadline=None)
@given(let_lines())
def test_plain_let_reads_as_the_expression_reader(text: str) -> None:
    """plain_let's regular expression, where it takes a line, makes the tree
    plain_expr.let makes of it (which the test above holds to the grammar)."""
    fast = plain_let(SOURCE, 0, text)
    if fast is not None:
        assert fast == plain_expr.let(SOURCE, 0, text), text


def test_plain_let_takes_the_figures_reports_write() -> None:
    lines = [
        "let 人员.参公 = 5 人",
        "let 满意度 ＝ 96.3%  // 注",
        "let 合计 = 237.06",
        'let 工资 = 经济分类表["一、工资福利支出", "基本支出"] to 万元',
        "let 人数 = 人员情况表［“财政供养人员情况”，“编制数”］ // 注",
        'let 比例 = 表["a"] to %',
    ]
    for line in lines:
        fast = plain_let(SOURCE, 0, line)
        assert fast is not None and fast == plain_expr.let(SOURCE, 0, line), line
        assert fast == _statement_or_none(line), line
    for line in ["let a = 5 exact", "let to = 5", "let a = 5 to 万元", 'let a = 表["x"] to in']:
        assert plain_let(SOURCE, 0, line) is None, line


check_operands = st.sampled_from(
    ["合计", "a.b", "sum(指标.*)", "sum( a.** )", "sum(a)", "sum(*.b)", "5", "5 万元", "0.01万元",
     "12%", "3 ‰", "to", "exact", "true", "sum(to)", "f(a.*.b)", "a.*", "1.", "5 exact", "x1",
     "sum(a.b.*)", "sum(a, b)", "a[\"x\"]", "-1", "(a)", "5 to"]
)  # fmt: skip
check_ops = st.sampled_from(
    ["==", "!=", "<=", ">=", "<", ">", "=", "＝", "≠", "≤", "≥", "= =", "=<", "+"]
)
check_tails = st.sampled_from(
    ["", ' "说明"', " “说明”", " // 注", ' "a" // b', " exact", " within 1", " and a", ' "x" "y"',
     " for a", "//", ' "a"b']
)  # fmt: skip


check_lines = st.tuples(spaces, check_operands, blanks, check_ops, check_operands, check_tails).map(
    lambda p: f"check{p[0]}{p[1]}{p[2]}{p[3]}{p[2]}{p[4]}{p[5]}".strip()
)


@settings(max_examples=800, deadline=None)
@given(check_lines)
def test_plain_check_reads_as_the_expression_reader_and_the_grammar(text: str) -> None:
    """plain_check's regular expression, where it takes a line, makes the check
    plain_expr.check makes of it, in a body and in a table, and the grammar's."""
    fast = plain_check(SOURCE, 0, text)
    if fast is not None:
        assert fast == plain_expr.check(SOURCE, 0, text), text
        assert fast == plain_expr.check(SOURCE, 0, text, table=True), text
        assert fast == _statement_or_none(text), text


def test_plain_check_takes_the_checks_reports_write() -> None:
    lines = [
        'check 合计.合计 == sum(科目.*.财政拨款) "按科目之和"',
        "check 在职人数 <= 编制数 // 注",
        'check sum(三公项.*) ＝ 1.5 万元 "合计"',
        "check 满意度 ≥ 90%",
    ]
    for line in lines:
        fast = plain_check(SOURCE, 0, line)
        assert fast is not None and fast == plain_expr.check(SOURCE, 0, line), line
        assert fast == _statement_or_none(line), line


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
            marked = plain_marked(SOURCE, 0, text)
            if marked is not None:
                taken += 1
                tree = parser().parse(text, start="line")
                assert Builder(SOURCE, 0).inlines(tree.children[1:]) == marked[3], text
            for cell in text.split("|")[1:] if text.startswith("row") else ():
                written = cell.strip().removeprefix("=").strip()
                formula = (
                    plain_expr.formula(SOURCE, 0, written) if cell.strip()[:1] == "=" else None
                )
                if formula is not None:
                    taken += 1
                    node = parser().parse(written, start="formula").children[0]
                    assert isinstance(node, Tree | Token)
                    assert Builder(SOURCE, 0).expr(node) == formula, written
    assert taken > 600


def test_each_statement_fast_path_takes_the_lines_it_is_for() -> None:
    assert isinstance(plain_statement(SOURCE, 0, "let a = 1.5 万元 // 注"), ast.Let)
    assert isinstance(plain_statement(SOURCE, 0, 'let a = 表["合计", "决算数"] to 万元'), ast.Let)
    assert isinstance(plain_statement(SOURCE, 0, "let a ＝ 表［“合计”］"), ast.Let)
    assert isinstance(plain_statement(SOURCE, 0, 'include "a.rpti"'), ast.Include)
    exact = "let a = 1 exact"
    assert plain_statement(SOURCE, 0, exact) == _statement_or_none(exact) is not None
    sentence = "合计<a>，占<a / b:%>。"
    tree = parser().parse(sentence, start="line")
    assert plain_prose(SOURCE, 0, sentence) == Builder(SOURCE, 0).inlines(tree.children)
    assert plain_prose(SOURCE, 0, "合计<a.b:.2%>，占<c:万元>。") is not None
    assert plain_header_entry("title: 标题") == ("title", 5, " 标题")


@pytest.mark.parametrize(
    "text",
    [
        "甲" * 19_000 + "*",
        "<a:" + "a" * 19_000 + "/",
        "x<a:" + ".2" * 9_000 + " *>",
        "<" + "(" * 9_000 + "a",
        "check " + "a + " * 4_000 + "*",
        "let a = " + "f(" * 9_000,
        "<a + " + "b." * 9_000 + "1>",
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


# ------------------------------------------------ expressions (plain_expr.py)

expression_atoms = st.sampled_from(
    [
        "收入", "支出.基本", "a1", "支出.*", "指标.**.分值", "*.a", "12", "1.5 万元", "3%",
        "5‰", "2人", "7 to", "0.5e3", '"多"', "“少”", "true", "false", "sum(支出.*)",
        "if(a > b, \"x\", \"y\")", '表["合计", "决算数"]', "表［“合计”］", "max()", "(a:%)",
        "(a：.2)", "(b:万元 .1)", "(c:元/人)", "f(a,)", "to", "and", "not", "in", "within",
        "let", "x.", "1.2.3", "（甲）",
    ]
)  # fmt: skip
expression_ops = st.sampled_from(
    [
        "+", "-", "*", "/", "×", "÷", "／", "－", "−", "＋", "^", "==", "!=", "<", ">", "<=",
        ">=", "=", "＝", "≠", "≤", "≥", " and ", " or ", " to 万元 ", " to % ", " ", ",", "、",
        "//", "..", ":", "(", ")",
    ]
)  # fmt: skip


@st.composite
def expression_texts(draw: st.DrawFn) -> str:
    """Expressions as authors type them, and near misses: spaces of every kind,
    full-width operators, keywords where names go, stray punctuation."""
    parts = [draw(expression_atoms)]
    for _ in range(draw(st.integers(min_value=0, max_value=5))):
        prefix = draw(st.sampled_from(["", "", "", "-", "not ", "(", "－"]))
        parts += [draw(blanks), draw(expression_ops), draw(blanks), prefix, draw(expression_atoms)]
        if prefix == "(" and draw(st.booleans()):
            parts.append(")")
    return "".join(parts).strip()


def _grammar(text: str, start: str) -> Tree[Token] | None:
    try:
        tree: Tree[Token] = parser().parse(text, start=start)
        return tree
    except Exception:
        return None


@settings(max_examples=1500, deadline=None)
@given(
    expression_texts(),
    st.sampled_from(
        ["", " exact", ' "说明"', " within 0.01 万元 exact", " for 指标.**", ' for a, b.* "说明"']
    ),
)
def test_expression_fast_paths_agree_with_the_grammar(text: str, tail: str) -> None:
    formula = plain_expr.formula(SOURCE, 0, text)
    if formula is not None:
        tree = _grammar(text, "formula")
        assert tree is not None, text
        node = tree.children[0]
        assert isinstance(node, Tree | Token)
        assert Builder(SOURCE, 0).expr(node) == formula, text
    for line in (f"check {text}{tail}", f"let 合计 = {text}{tail}", f"check　{text} // 注"):
        fast = plain_statement(SOURCE, 0, line)
        if fast is not None:
            assert fast == _statement_or_none(line), line
    check = plain_expr.check(SOURCE, 0, f"check {text}{tail}")
    if check is not None:
        tree = _grammar(f"check {text}{tail}", "table_line")
        assert tree is not None and Builder(SOURCE, 0).table_check(tree) == check, text
    for sentence in (f"<{text}>", f"前<{text}:.2%>后", f"<{text}、b:增减>。", f"<{text}>=1"):
        inlines = plain_expr.sentence(SOURCE, 0, sentence)
        if inlines is not None:
            tree = _grammar(sentence, "line")
            assert tree is not None and tree.data == "prose", sentence
            assert Builder(SOURCE, 0).inlines(tree.children) == inlines, sentence


def test_the_expression_reader_takes_what_reports_write() -> None:
    """The properties above would hold of a reader that takes nothing."""
    lines = [
        'check 合计.合计 == 一般公共服务.财政拨款 + 社会保障和就业.财政拨款 "按科目之和"',
        'check 合计.合计 == 公开02表["合计", "本年收入合计"] to 万元 "与决算报表一致"',
        "check a >= 0 万元 and not (b < 1) or c != d within 0.01 万元 exact",
        "let 类.社会保障和就业 = 决算.人社管理事务 + 决算.养老支出 + 决算.其他社保就业",
        "let 满意度.综合 = 96.3% in 0%..100%  // 注",
        "let 专项资金结余 = 专项资金预算 - 专项资金支出",
    ]
    for line in lines:
        fast = plain_statement(SOURCE, 0, line)
        assert fast is not None and fast == _statement_or_none(line), line
    for formula in ["sum(指标.**.分值) + 预算.分值", "支出合计 / 全年预算数 to %", "-a^2 × 3"]:
        fast_formula = plain_expr.formula(SOURCE, 0, formula)
        tree = parser().parse(formula, start="formula")
        assert fast_formula is not None and fast_formula == Builder(SOURCE, 0).expr(
            tree.children[0]
        )
    sentence = (
        '<if(三公预算.接待 == 0, "未安排", "完成预算的" + (三公.接待 / 三公预算.接待:%))>，'
        "<a、b:增减>。"
    )
    inlines = plain_expr.sentence(SOURCE, 0, sentence)
    tree = parser().parse(sentence, start="line")
    assert inlines is not None and inlines == Builder(SOURCE, 0).inlines(tree.children)


def test_the_expression_reader_spells_the_grammars_terminals() -> None:
    """NAME, GLOB, NUMBER and STRING as grammar/rpt.lark writes them."""
    grammar = (Path(__file__).parent.parent / "grammar" / "rpt.lark").read_text(encoding="utf-8")
    for terminal, pattern in [
        ("NAME", plain_expr.NAME),
        ("GLOB", plain_expr.GLOB),
        ("NUMBER", plain_expr.NUMBER),
    ]:
        assert f"{terminal}: /{pattern}/" in grammar, terminal
    assert 'STRING: /"[^"\\n]*"/ | /“[^”\\n]*”/' in grammar
    assert plain_expr.STRING == '"[^"\\n]*"|“[^”\\n]*”'


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(["1.", "12.", "-", "note", "1.2", "--", "notes", "0."]), blanks, prose_lines)
def test_list_and_note_fast_path_agrees_with_the_grammar(mark: str, gap: str, rest: str) -> None:
    text = f"{mark}{gap}{rest}".strip()
    fast = plain_marked(SOURCE, 0, text)
    if fast is None:
        return
    kind, written, mark_span, inlines = fast
    tree = parser().parse(text, start="line")
    token = tree.children[0]
    assert isinstance(token, Token)
    expected = {"ORDINAL": "ordinal", "BULLET": "bullet", "NOTE": "note"}[token.type]
    assert (kind, written) == (expected, str(token)), text
    assert tree.data == ("note" if kind == "note" else "list_item")
    builder = Builder(SOURCE, 0)
    assert mark_span == builder.span(token)
    assert inlines == builder.inlines(tree.children[1:]), text
    assert builder.span(tree).end == len(text)


def test_the_list_fast_path_takes_list_items() -> None:
    assert plain_marked(SOURCE, 0, "1. 因公出国（境）费支出决算为<三公.出国>。") is not None
    assert plain_marked(SOURCE, 0, "- 一项") is not None
    assert plain_marked(SOURCE, 0, "note　原报告此处<a / b:%>。") is not None
    assert plain_marked(SOURCE, 0, "1.一项") is None


# ------------------------------------------------ declarations (plain_statements.py)

declared_names = st.sampled_from(["户", "千元", "收支表", "a.b", "to", "x1", "公开01表", "1a", "*"])


unit_lines = st.tuples(
    declared_names,
    blanks,
    st.sampled_from(["", "=", "＝", "==", ":"]),
    st.sampled_from(["", "1000", "1000.5", "0"]),
    st.sampled_from(["", "元", "人", "to", '"元"']),
    tails,
).map(lambda p: f"unit {p[0]}{p[1]}{p[2]}{p[1]}{p[3]}{p[1]}{p[4]}{p[5]}".strip())


@settings(max_examples=400, deadline=None)
@given(unit_lines)
def test_unit_fast_path_agrees_with_the_grammar(text: str) -> None:
    fast = plain_statements.unit_decl(SOURCE, 0, text)
    if fast is not None:
        tree = _grammar(text, "line")
        assert tree is not None and tree.data == "unit_decl", text
        assert Builder(SOURCE, 0).statement(tree) == fast, text


data_options = st.lists(
    st.sampled_from(
        [' sheet "公开01"', "sheet“附件1 表”", " unit 元", " unit 人 ", ' unit "人数": 人',
         ' unit "人数"：人', " unit元", ' sheet 公开', " unit", " // 注", ' "x"']
    ),
    max_size=3,
).map("".join)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(declared_names, blanks, st.sampled_from(["=", "＝", ""]), strings, data_options)
def test_data_fast_path_agrees_with_the_grammar(
    name: str, gap: str, eq: str, path: str, options: str
) -> None:
    text = f"data {name}{gap}{eq}{gap}{path}{options}".strip()
    fast = plain_statements.data_decl(SOURCE, 0, text)
    if fast is not None:
        tree = _grammar(text, "line")
        assert tree is not None and tree.data == "data_decl", text
        assert Builder(SOURCE, 0).statement(tree) == fast, text


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["table", "form", "tables"]),
    declared_names,
    st.sampled_from(["", " like 部门决算.公开01表", " like", " like to", "like x"]),
    st.sampled_from(["", ' "收入支出决算总表"', " “表”", ' "a" "b"', " // 注"]),
)
def test_table_open_fast_path_agrees_with_the_grammar(
    word: str, name: str, like: str, caption: str
) -> None:
    text = f"{word} {name}{like}{caption}".strip()
    fast = plain_statements.table_open(SOURCE, 0, text)
    if fast is None:
        return
    tree = _grammar(text, "line")
    assert tree is not None and tree.data == f"{word}_open", text
    _, token, _, like_token, caption_token = tree.children
    builder = Builder(SOURCE, 0)
    assert (fast.name, fast.span) == (normal(str(token)), builder.span(tree))
    expected_like = (
        None if like_token is None else (normal(str(like_token)), builder.span(like_token))
    )
    assert fast.like == expected_like
    assert fast.caption == (None if caption_token is None else str(caption_token)[1:-1])


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["", " 一般公共服务", " a.b", " to"]),
    st.sampled_from(["", " after 合计", " after", "after x"]),
    st.sampled_from(["", " code 2010101", " code 201.5", " code x", " code"]),
    st.sampled_from(["", " // 注", " x"]),
)
def test_row_head_fast_path_agrees_with_the_grammar(
    name: str, after: str, code: str, tail: str
) -> None:
    text = f"row{name}{after}{code}{tail}".strip()
    fast = plain_statements.row_head(SOURCE, 0, text)
    if fast is None:
        return
    tree = _grammar(text, "table_line")
    assert tree is not None and tree.data == "row_head", text
    _, written, _, after_token, _, code_token = tree.children
    builder = Builder(SOURCE, 0)
    assert fast.name == (None if written is None else normal(str(written)))
    assert fast.after == (
        None if after_token is None else (normal(str(after_token)), builder.span(after_token))
    )
    assert fast.code == (
        None if code_token is None else (str(code_token), builder.span(code_token))
    )


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["unit", "from", "number", "units"]),
    spaces,
    declared_names,
    st.sampled_from(["", " // 注", " x", "/2"]),
)
def test_table_word_fast_path_agrees_with_the_grammar(
    word: str, gap: str, name: str, tail: str
) -> None:
    text = f"{word}{gap}{name}{tail}".strip()
    word = word.removesuffix("s")  # `units 户`: the table's parser asks for `unit`
    fast = plain_statements.table_word(SOURCE, 0, text, word)
    if fast is None:
        return
    tree = _grammar(text, "table_line")
    kinds = {"unit": "table_unit", "from": "table_from", "number": "table_number"}
    assert tree is not None and tree.data == kinds[word], text
    token = tree.children[1]
    assert isinstance(token, Token)
    written = str(token) if word == "number" else normal(token)
    assert fast == (written, Builder(SOURCE, 0).span(token))


def test_the_declaration_fast_paths_take_what_reports_write() -> None:
    assert plain_statements.unit_decl(SOURCE, 0, "unit 千元 = 1000 元  // 注") is not None
    data = 'data 公开01表 = "决算报表.xlsx" sheet "公开01" unit 元 unit "人数": 人'
    assert plain_statements.data_decl(SOURCE, 0, data) is not None
    opened = 'table 公开01 like 部门决算.公开01表 "收入支出决算总表"'
    assert plain_statements.table_open(SOURCE, 0, opened) is not None
    assert plain_statements.row_head(SOURCE, 0, "row 一般公共服务 code 201") is not None
    assert plain_statements.row_head(SOURCE, 0, "row 新行 after 合计") is not None
    assert plain_statements.table_word(SOURCE, 0, "from 公开02表", "from") is not None
