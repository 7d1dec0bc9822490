"""Names: canonically equal spellings are one figure, look-alike names are refused
(compiler/base/names.py)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rpt.base.codes import Code
from rpt.base.names import look_alikes, normal, skeleton
from rpt.grammar.confusables_table import CONFUSABLES
from rpt.pipeline import compile_source
from rpt.render.markdown import render_markdown

# (written, declared) pairs that NFKC makes one name
SAME_NAME = [
    ("\uf90a额", "金额"),  # a CJK compatibility ideograph and its unified form
    ("cafe\u0301", "café"),  # NFD and NFC (the text is read in NFC)
    ("ａ１", "a1"),  # full-width Latin letter and digit
    ("ｘ.ｙ", "x.y"),  # full-width letters in a dotted name
    ("x²", "x2"),  # a superscript digit
    ("ﬁle", "file"),  # a ligature
]


@pytest.mark.parametrize(("written", "declared"), SAME_NAME)
def test_canonically_equal_names_are_one_figure(written: str, declared: str) -> None:
    """Declared one way, checked and printed another way: one figure."""
    for let, use in ((declared, written), (written, declared)):
        result = compile_source(f"let {let} = 3 万元\ncheck {use} == 3 万元\n值<{use}>。\n")
        assert result.document is not None, result.diagnostics
        assert render_markdown(result.document) == "值3万元。\n"


def test_one_figure_declared_in_two_spellings_is_declared_twice() -> None:
    result = compile_source("let 金额 = 3 万元\nlet \uf90a额 = 4 万元\n<金额>\n")
    assert [d.code for d in result.diagnostics] == [Code.DUPLICATE_NAME]


def test_groups_tables_units_and_formats_are_compared_normalised() -> None:
    text = (
        "unit 户\n"
        "let ｐａｒｔ.a = 1 万元\n"
        "let part.b = 2 万元\n"
        "let 户数 = 3 户\n"
        "table 表\ncolumns | 项目 | 金额: 万元 |\nrow ｒ | 甲 | 4 |\nend\n"
        "<sum(part.*)>、<sum(ｐａｒｔ.*)>、<户数:户>、<表.r.金额:元>\n"
    )
    result = compile_source(text)
    assert result.document is not None, result.diagnostics
    assert render_markdown(result.document).endswith("3万元、3万元、3户、40000元\n")


def test_a_name_that_nfkc_would_break_keeps_its_own_form() -> None:
    """⒈ is a word character whose NFKC form is `1.`: a name with it stays as
    written rather than becoming `收入1.`, which is no name."""
    assert normal("收入⒈") == "收入⒈"
    result = compile_source("let 收入⒈ = 1 万元\n<收入⒈>\n")
    assert result.document is not None, result.diagnostics


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=6))
def test_normal_form_is_idempotent_and_nfkc_when_that_is_a_name(text: str) -> None:
    name = normal(text)
    assert normal(name) == name
    folded = unicodedata.normalize("NFKC", text)
    assert name in (folded, unicodedata.normalize("NFC", text))


# ---------------------------------------------------------------- look-alikes

LOOK_ALIKE = [
    ("paypal", "раураl"),  # Cyrillic р а у
    ("总额o", "总额ο"),  # Greek omicron
    ("项目1", "项目l"),  # digit one, letter l
    ("项目O", "项目0"),  # letter O, digit zero
    ("项目O", "项目〇"),  # IDEOGRAPHIC NUMBER ZERO
    ("值", "値"),  # a Chinese and a Japanese form listed by Unicode
    ("B", "Β"),  # Greek capital beta
]


@pytest.mark.parametrize(("first", "second"), LOOK_ALIKE)
def test_two_figures_whose_names_look_alike_are_refused(first: str, second: str) -> None:
    result = compile_source(f"let {first} = 1 万元\nlet {second} = 2 万元\n<{first}>、<{second}>\n")
    [diagnostic] = result.diagnostics
    assert diagnostic.code is Code.CONFUSABLE_NAME
    assert f"`{second}` looks like `{first}`" in diagnostic.message
    assert diagnostic.labels and diagnostic.labels[0].message == f"`{first}` is declared here"
    assert "U+" in diagnostic.notes[0]


# Characters of the table whose prototype is a plain ASCII letter: each makes a
# look-alike of a Latin name.
LATIN_LOOK_ALIKES = sorted(
    char
    for char, prototype in CONFUSABLES.items()
    if len(prototype) == 1 and prototype.isascii() and prototype.isalpha() and not char.isascii()
    and normal(char) == char and char.isalpha()
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet="abcdefghijklnopqrstuvwxyz", min_size=2, max_size=6),
    st.sampled_from(LATIN_LOOK_ALIKES),
    st.data(),
)
def test_any_confusable_substitution_is_caught(base: str, char: str, data: st.DataObject) -> None:
    """Replace one letter of a Latin name by any character Unicode lists as
    confusable with a Latin letter: the two names are refused together."""
    prototype = CONFUSABLES[char]
    where = data.draw(st.integers(min_value=0, max_value=len(base)))
    name = base[:where] + prototype + base[where:]
    twin = base[:where] + char + base[where:]
    assert skeleton(name) == skeleton(twin)
    assert look_alikes([name, twin]) == [(name, twin)]
    result = compile_source(f"let {name} = 1 万元\nlet {twin} = 2 万元\n")
    assert Code.CONFUSABLE_NAME in [d.code for d in result.diagnostics]


def test_distinct_chinese_names_are_not_look_alikes() -> None:
    names = [
        "收入",
        "支出",
        "收入合计",
        "支出合计",
        "基本支出",
        "项目支出",
        "上年.收入",
        "人员经费",
    ]
    assert look_alikes(names) == []


def test_a_reference_to_a_look_alike_of_a_figure_says_so() -> None:
    result = compile_source("let 收入.a = 1 万元\n收入<收入.а>。\n")
    [diagnostic] = result.diagnostics
    assert diagnostic.code is Code.UNDEFINED_NAME
    assert diagnostic.help is not None
    assert "`收入.a` is declared and looks the same" in diagnostic.help
    assert "U+0430 CYRILLIC SMALL LETTER A" in diagnostic.help


def test_look_alike_units_are_refused() -> None:
    result = compile_source("unit pack\nunit pаck\nlet a = 3 pack\n<a>\n")
    assert [d.code for d in result.diagnostics] == [Code.CONFUSABLE_NAME]
