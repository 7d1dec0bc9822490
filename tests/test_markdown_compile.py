"""The shipped Markdown templates compiled into Python (render/markdown_compile.py)
print what Jinja2 prints from their sources, and the compiler writes only what
it knows: every construct it meets is either written as Jinja2 means it or
refused with the template's line."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rpt.base.kept import forget_kept
from rpt.document.model import (
    Cell,
    Deleted,
    Document,
    Emph,
    Figure,
    Heading,
    Inline,
    Inserted,
    ListBlock,
    Meta,
    Note,
    Paragraph,
    Placeholder,
    Row,
    SignOff,
    Strong,
    Table,
    Text,
)
from rpt.pipeline import compile_report
from rpt.render import markdown, markdown_compile
from rpt.render.markdown import COMPILED_FILTERS, NAMES, render_markdown
from rpt.render.markdown_compile import CompileError, python_code

ROOT = Path(__file__).parent.parent


def _jinja2_markdown(document: Document) -> str:
    """The document printed by Jinja2 from the templates' sources alone."""
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(markdown, "_compiled", lambda name: None)
        markdown.forget_templates()
        forget_kept()  # blocks printed by the compiled templates are kept by identity
        try:
            return render_markdown(document)
        finally:
            markdown.forget_templates()
            forget_kept()


def _both(document: Document) -> tuple[str, str]:
    forget_kept()
    return render_markdown(document), _jinja2_markdown(document)


def _documents() -> Iterator[Document]:
    for path in sorted(
        [*ROOT.glob("tests/golden/**/*.rpt"), ROOT / "reports/huaihua-2023/report.rpt"]
    ):
        for draft in (False, True):
            result = compile_report(path, draft=draft)
            if result.document is not None:
                yield result.document


def test_the_corpus_prints_as_jinja2_prints_it() -> None:
    documents = list(_documents())
    assert len(documents) > 20
    for document in documents:
        compiled, jinja2 = _both(document)
        assert compiled == jinja2


def _meta(**changes: Any) -> Meta:
    fields: dict[str, Any] = {
        "title": "标题",
        "subtitle": "副标题",
        "organisation": "某单位",
        "author": "",
        "year": None,
        "date": None,
        "locale": "zh-CN",
        "data": (("data/a--b.xlsx", "ab12"), ("c.csv", "cd34")),
    }
    return Meta(**{**fields, **changes})


def _cell(text: str, align: str = "left", colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell((Text(text),), colspan, rowspan, align)


EVERY_KIND = (
    Heading(1, "第一部分", (Text("概况"), Inserted((Text("新"),)))),
    Heading(7, "", (Text("深 #"),)),
    Paragraph((Text("收入"), Figure("217.91万元", "收入", 0), Strong((Emph((Text("粗斜"),)),)))),
    Paragraph((Placeholder("待补 *"), Deleted((Text("旧"),)), Text("- 行"))),
    ListBlock(True, 3, ((Text("甲"),), (Strong((Text("乙"),)),)), "{1}."),
    ListBlock(False, 1, ((Text("要点"),), (Text("--"),))),
    ListBlock(True, 2, ((Text("一"),), (Text("二"),)), "（{1}）"),
    ListBlock(True, 9_999_999_999, ((Text("<大>"),), (Emph((Placeholder("号"),)),)), "{1}."),
    Note((Text("请核对"),)),
    Table((Text("表 | 一"),), "单位：万元", 2, (
        Row((_cell("项目"), _cell("金额")), header=True),
        Row((_cell("收入"), _cell("1.00", "right"))),
        Row((_cell("居中", "center"), _cell(""))),
    ), (1, 1), number="公开01表", issuer="编制单位：某单位"),
    Table((), "单位：元", 3, (
        Row((_cell("项目", rowspan=2), _cell("金额", colspan=2)), header=True),
        Row((_cell("预算", "center"), _cell("决算", "right")), header=True),
        Row((Cell((Strong((Text("<b>"),)),)), _cell("1"), _cell("2"))),
    ), (1, 1, 1)),
    Table((), "", 1, (), (1,)),
    SignOff(((Text("填表人："),), (Strong((Text("张三"),)),), (Text("日期："),))),
    SignOff(((Text("# 审核"),),)),
)  # fmt: skip


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize("title", ["标题", ""])
def test_every_kind_prints_as_jinja2_prints_it(locale: str, title: str) -> None:
    document = Document(_meta(locale=locale, title=title), EVERY_KIND)
    compiled, jinja2 = _both(document)
    assert compiled == jinja2
    assert '<ol start="9999999999">' in compiled and "<table>" in compiled


texts = st.text(alphabet="收入 a1*_#-|<>&\n", max_size=6)
inlines: st.SearchStrategy[tuple[Inline, ...]] = st.recursive(
    st.tuples(st.one_of(st.builds(Text, texts), st.builds(Placeholder, texts))),
    lambda inner: st.lists(
        st.one_of(
            st.builds(Strong, inner),
            st.builds(Emph, inner),
            st.builds(Inserted, inner),
            st.builds(Deleted, inner),
        ),
        min_size=1,
        max_size=3,
    ).map(tuple),
    max_leaves=6,
)
blocks = st.one_of(
    st.builds(Paragraph, inlines),
    st.builds(Heading, st.integers(1, 7), st.sampled_from(["", "一、", "1.", "#"]), inlines),
    st.builds(Note, inlines),
    st.builds(
        ListBlock,
        st.booleans(),
        st.sampled_from([1, 7, 999_999_999, 1_000_000_000]),
        st.lists(inlines, min_size=1, max_size=3).map(tuple),
        st.sampled_from(["{1}.", "（{1}）", "{1}、"]),
    ),
    st.builds(SignOff, st.lists(inlines, min_size=1, max_size=3).map(tuple)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(blocks, max_size=4), st.sampled_from(["zh-CN", "en"]), texts)
def test_any_blocks_print_as_jinja2_prints_them(
    generated: list[Any], locale: str, title: str
) -> None:
    document = Document(_meta(locale=locale, title=title, data=()), tuple(generated))
    compiled, jinja2 = _both(document)
    assert compiled == jinja2


# ------------------------------------------------------------- the compiler itself


def _compiled(source: str, variables: dict[str, Any]) -> str:
    """`source` compiled as a shipped template is, and run on `variables`."""
    tree = markdown_compile.environment().parse(source)
    namespace: dict[str, Any] = {}
    exec(python_code(tree, "probe.md.j2", list(COMPILED_FILTERS), list(NAMES)), namespace)
    linked = namespace["link"](COMPILED_FILTERS, NAMES, markdown.imported)
    text: str = linked["root"](variables)
    return text


def _jinja2(source: str, variables: dict[str, Any]) -> str:
    return markdown_compile.environment().from_string(source).render(variables)


PROBES = [
    # loops: first, last, index and index0 of the loop they are in, not of one inside
    "{% for x in xs %}{{ loop.index0 }}{{ loop.index }}{{ loop.first }}{{ loop.last }}"
    "{% for y in xs %}{{ loop.index }}{% endfor %}{{ loop.last }};{% endfor %}",
    # a loop inside reads the outer loop in its sequence, and a name it rebinds
    "{% for x in xs %}{% for x in [loop.index, x] %}{{ x }}{% endfor %}{{ x }}{% endfor %}",
    "{% for a, b in pairs %}{{ a ~ b }}{% endfor %}{% for x in [] %}{% endfor %}",
    "{% for (a, (b, c)) in [(1, (2, 3))] %}{{ a }}{{ b }}{{ c }}{% endfor %}",
    "{% for x in xs %}{% endfor %}",
    # every expression
    "{{ 3 * 2 }}{{ 3 + 2 }}{{ 3 - 2 }}{{ 'a' ~ 1 ~ none }}{{ [1, 2] }}{{ (1, 'x') }}",
    "{{ {'a': 1}['a'] }}{{ xs[1] }}{{ 1 if xs else 2 }}{{ not xs }}{{ xs and 0 }}{{ 0 or xs }}",
    "{{ 1 < 2 <= 2 }}{{ 2 > 1 >= 1 }}{{ 1 == 1 != 2 }}{{ 1 in xs }}{{ 5 not in xs }}",
    "{{ xs | min }}{{ [0, 'a', ''] | select | join('-') }}{{ xs | join }}{{ 'x' | md_escape }}",
    "{{ pairs[0] | join(', ') }}{{ '#a' | md_block }}{{ 'a #' | md_heading }}",
    # macros: recursion, a macro of no arguments, whitespace control
    "{% macro m(n) -%}{% if n %}{{ n }}{{ m(n - 1) }}{% endif %}{%- endmacro %}{{ m(3) }}",
    "{% macro e() %}e{% endmacro %}\n  {{ e() }}  \n{%- if xs -%}  y  {%- endif %}",
    "{% if 0 %}a{% elif xs %}b{% else %}c{% endif %}{% if 0 %}{% else %}d{% endif %}",
]


@pytest.mark.parametrize("source", PROBES)
def test_a_construct_means_what_it_means_to_jinja2(source: str) -> None:
    variables = {"xs": [1, 2, 3], "pairs": [("p", 1), ("q", 2)]}
    assert _compiled(source, variables) == _jinja2(source, variables)


def test_an_import_gives_the_compiled_macros() -> None:
    source = '{% import "markdown/inlines.md.j2" as inl %}{{ inl.inlines(items) }}'
    variables = {"items": (Strong((Text("粗"),)), Text("*"))}
    assert _compiled(source, variables) == _jinja2(source, variables) == "**粗**\\*"


@pytest.mark.parametrize(
    ("source", "refused"),
    [
        ("{% set x = 1 %}", "a Assign statement"),
        ("{% for x in xs %}{% else %}x{% endfor %}", "a for loop with an else"),
        ("{% for x in xs if x %}{% endfor %}", "a for loop with an else"),
        ("{% for x in xs recursive %}{% endfor %}", "a for loop with an else"),
        ("{% for x in xs %}{{ loop.revindex }}{% endfor %}", "loop.revindex"),
        ("{{ loop.index }}", "loop used as a value"),
        ("{{ xs | join(d='-') }}", "a filter with keywords"),
        ("{{ xs | unknown }}", "the filter unknown"),
        ("{{ f(a=1) }}", "a call with keywords"),
        ("{{ 1 if xs }}", "a CondExpr expression"),
        ("{{ 2 ** 3 }}", "a Pow expression"),
        ('{% import "markdown/inlines.md.j2" as inl with context %}', "an import"),
        ('{% import "markdown/inlines.md.j2" as inl %}{{ inl }}', "inl used as a value"),
        ("{% macro m(a) %}{{ b }}{% endmacro %}", "the variable b in a macro"),
    ],
)
def test_what_the_compiler_does_not_know_is_refused(source: str, refused: str) -> None:
    tree = markdown_compile.environment().parse(source)
    with pytest.raises(CompileError, match=f"probe.md.j2:1: cannot compile {refused}"):
        python_code(tree, "probe.md.j2", list(COMPILED_FILTERS), list(NAMES))


@given(st.text(alphabet="&<>\"'a收 ", max_size=12))
def test_html_escape_is_the_standard_librarys(text: str) -> None:
    assert markdown.html_escape(text) == html.escape(text)
