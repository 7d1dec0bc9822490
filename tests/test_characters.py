"""One rule for the characters of a source (compiler/base/characters.py): every Unicode
space separates tokens everywhere the language has tokens, and every character
that displays as something other than what it is gets a diagnostic."""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rpt.base.characters import BLANK, CANDIDATE, REFUSED, SPACES, refusals
from rpt.base.codes import Code
from rpt.pipeline import compile_source
from rpt.render.markdown import render_markdown
from rpt.syntax.lines import parser

# Unicode DerivedCoreProperties.txt, Default_Ignorable_Code_Point (15.0)
DEFAULT_IGNORABLE = [
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
]  # fmt: skip


def _refused_by_definition(char: str) -> bool:
    """The rule of characters.py, from Python's Unicode database."""
    if char in "\t\n":
        return False
    point = ord(char)
    noncharacter = 0xFDD0 <= point <= 0xFDEF or point & 0xFFFE == 0xFFFE
    ignorable = any(low <= point <= high for low, high in DEFAULT_IGNORABLE)
    category = unicodedata.category(char)
    return category in ("Cc", "Cf", "Cs", "Zl", "Zp") or ignorable or noncharacter


def test_the_refused_class_is_the_rule_code_point_by_code_point() -> None:
    missed, extra = [], []
    for point in range(sys.maxunicode + 1):
        char = chr(point)
        matched = REFUSED.fullmatch(char) is not None
        if _refused_by_definition(char) and not matched:
            missed.append(f"U+{point:04X}")
        # the class may run ahead of this Python's Unicode: only unassigned points
        elif matched and not _refused_by_definition(char) and unicodedata.category(char) != "Cn":
            extra.append(f"U+{point:04X}")
    assert not missed and not extra


def test_the_scan_for_refused_characters_finds_the_refused_class() -> None:
    """refusals() scans for the BMP's refused characters and any beyond the BMP:
    the same characters of the BMP as the class, and every one beyond it."""
    for point in range(sys.maxunicode + 1):
        char = chr(point)
        candidate = CANDIDATE.fullmatch(char) is not None
        assert candidate == (point > 0xFFFF or REFUSED.fullmatch(char) is not None), hex(point)


@settings(max_examples=300)
@given(
    st.text(
        st.sampled_from(["a", "收", "\t", "\n", "\u200b", "\u202e", "\x07", "\U0001f600"])
        | st.sampled_from(["\U000e0001", "\U0001fffe", "\U00013430", "\U000110bd", "𠀀"])
    )
)
def test_refusals_are_the_matches_of_the_class(text: str) -> None:
    assert [(r.offset, r.char) for r in refusals(text)] == [
        (match.start(), match.group()) for match in REFUSED.finditer(text)
    ]


def test_spaces_are_the_unicode_space_separators_and_the_tab() -> None:
    expected = {"\t"} | {
        chr(p) for p in range(sys.maxunicode + 1) if unicodedata.category(chr(p)) == "Zs"
    }
    assert set(SPACES) == expected
    blank = re.compile(BLANK)
    assert {chr(p) for p in range(0x31000) if blank.fullmatch(chr(p))} == expected


def test_the_grammar_spells_the_same_spaces() -> None:
    lark = parser()
    ws = re.compile(lark.get_terminal("WS").pattern.to_regexp())
    after_let = re.compile(lark.get_terminal("LET").pattern.to_regexp())
    key = re.compile(lark.get_terminal("HEADER_KEY").pattern.to_regexp())
    for point in range(0x31000):
        char = chr(point)
        space = char in SPACES
        assert (ws.fullmatch(char) is not None) == space, f"WS U+{point:04X}"
        assert (after_let.match("let" + char) is not None) == space, f"LET U+{point:04X}"
        found = key.match("title" + char + ":")
        key_char = char.isascii() and (char.isalnum() or char in "-_")
        expected = "title" if space or char == ":" else "title" + char if key_char else None
        assert (found.group(0) if found else None) == expected, f"KEY U+{point:04X}"


# ---------------------------------------------------------------- spaces separate tokens

space = st.sampled_from(list(SPACES))


@settings(max_examples=60, deadline=None)
@given(space, space, space)
def test_every_space_after_a_statement_word_makes_a_statement(a: str, b: str, c: str) -> None:
    """`check　x == y` is a check whatever space follows `check`: it runs (and here
    fails), it never prints as prose."""
    text = (
        f"let{a}收入{b}={c}217.91{a}万元\n"
        f"unit{b}户\n"
        f"let{c}户数{a}={b}3{c}户\n"
        f"check{a}收入{b}=={c}217.90{a}万元\n"
        f"#{b}标题\n"
        f"-{c}项目<收入>\n"
        f"1.{a}项目<户数>\n"
    )
    result = compile_source(text)
    assert [d.code for d in result.diagnostics] == [Code.CHECK_FAILED]
    result = compile_source(text.replace("217.90", "217.91"))
    assert result.document is not None, result.diagnostics
    markdown = render_markdown(result.document)
    assert markdown == "## 第一部分 标题\n\n- 项目217.91万元\n\n1. 项目3户\n"


@settings(max_examples=60, deadline=None)
@given(space, space)
def test_every_space_lays_out_a_table(a: str, b: str) -> None:
    """(Text cells here are padded with ASCII spaces: an ideographic space before
    a label is printed, as the next test shows.)"""
    text = (
        f'table{a}表{b}"标题"\n'
        f"unit{a}万元\n"
        f"columns{a}|{b}项目{a}|{b}金额:{a}万元{b}|\n"
        f"header{b}| 项目{b}| 金额{b}|\n"
        f"row{a}甲{b}| 甲{b}|{a}1.5{b}|\n"
        f"row{a}乙{b}| 乙{b}|{a}={b}甲.金额{a}*{b}2{a}|\n"
        f"check{a}乙{b}=={a}3{b}万元\n"
        f"end{a}\n"
    )
    result = compile_source(text)
    assert result.document is not None, result.diagnostics
    assert "| 乙 | 3.00 |" in render_markdown(result.document)


def test_spaces_in_prose_print_as_written() -> None:
    result = compile_source("金额\u00a0为\u3000<1 万元>。\n")
    assert result.document is not None
    assert render_markdown(result.document) == "金额\u00a0为\u30001万元。\n"


def test_an_ideographic_space_before_a_label_in_a_text_cell_is_printed() -> None:
    result = compile_source(
        "table 表\ncolumns | 项目 | 金额: 万元 |\nheader | 项目 | 金额 |\n"
        "row a | \u3000\u3000其中：基本 |\u30001 |\nend\n"
    )
    assert result.document is not None, result.diagnostics
    assert "| \u3000\u3000其中：基本 | 1.00 |" in render_markdown(result.document)


@pytest.mark.parametrize("word", ["let", "check", "unit", "include", "table"])
@pytest.mark.parametrize("style", ["full", "first"])
def test_a_statement_word_in_full_width_letters_is_an_error(word: str, style: str) -> None:
    wide = "".join(chr(ord(c) + 0xFEE0) for c in word)
    written = wide if style == "full" else wide[0] + word[1:]
    result = compile_source(f"let a = 1 万元\n{written}\u3000a == 2 万元\n")
    [diagnostic] = result.diagnostics
    assert diagnostic.code is Code.SYNTAX
    assert f"the statement word `{word}`" in diagnostic.message


# ---------------------------------------------------------------- refused characters

refused_chars = st.sampled_from(
    [
        "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f", "\u180e",
        "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
        "\u2069", "\u200e", "\u200f", "\u061c", "\u2028", "\u2029", "\ufe0f", "\U000e0041",
        "\U000e0100", "\u3164", "\uffa0", "\ufff9", "\ufdd0", "\U0010ffff", "\x85", "\x0b",
        "\x1b", "\x7f",
    ]
)  # fmt: skip
REPORT = (
    "let 增长率 = 21.5%\n"
    "// 增长率与决算表一致\n"
    "check 增长率 < 30%\n"
    "增长率为<增长率>。\n"
    "table 表\ncolumns | 项目 | 金额: 万元 |\nrow a | 甲 | 1 |\nend\n"
)


@settings(max_examples=200, deadline=None)
@given(refused_chars, st.integers(min_value=0, max_value=len(REPORT)))
def test_a_refused_character_anywhere_is_reported_where_it_is(char: str, at: int) -> None:
    if char == "\ufeff" and at == 0:
        return  # a byte order mark, which is allowed where it is one
    text = REPORT[:at] + char + REPORT[at:]
    result = compile_source(text)
    assert result.document is None
    codes = {Code.CONTROL_CHARACTER, Code.INVISIBLE_CHARACTER}
    found = [d for d in result.diagnostics if d.code in codes]
    assert len(found) == 1
    assert found[0].span is not None and found[0].span.start == at


def test_a_check_after_a_line_separator_is_not_hidden_in_a_comment() -> None:
    """Editors show U+2028 as a new line; rpt used to read the check after it as
    part of the comment and never run it."""
    result = compile_source("let a = 1 万元\n// 注释\u2028check a == 2 万元\n")
    assert [d.code for d in result.diagnostics] == [Code.INVISIBLE_CHARACTER]
    assert "LINE SEPARATOR" in result.diagnostics[0].message


def test_bidi_controls_around_a_reference_are_refused() -> None:
    result = compile_source("let 率 = 21.5%\n增长\u202e<率>\u202c。\n")
    assert [d.code for d in result.diagnostics] == [Code.INVISIBLE_CHARACTER] * 2
    assert "RIGHT-TO-LEFT OVERRIDE" in result.diagnostics[0].message
