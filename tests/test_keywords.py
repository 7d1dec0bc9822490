"""The keyword tables (compiler/syntax/keywords.py) agree with the grammar both
ways, and every kind of line the grammar makes becomes the syntax it should."""

from __future__ import annotations

import re

import pytest

from rpt.base.diagnostics import Diagnostics
from rpt.base.source import SourceFile
from rpt.syntax import keywords
from rpt.syntax import tree as ast
from rpt.syntax.lines import parser
from rpt.syntax.parse import parse_file

WORD = re.compile(r"[a-z]+")


def _trees(rule: str) -> set[str]:
    """The trees a start rule makes: each alternative's alias, or the rule it inlines."""
    made = set()
    for r in parser().rules:
        if r.origin.name != rule:
            continue
        if r.alias:
            made.add(r.alias)
        elif len(r.expansion) == 1 and r.expansion[0].name == "statement":
            made |= _trees("statement")
        else:
            made.add(r.expansion[0].name)
    return made


def _leading_word(pattern: str) -> str | None:
    match = WORD.match(pattern)
    return match.group() if match else None


def test_every_statement_word_is_a_grammar_terminal_and_back() -> None:
    terminals = {t.name: t for t in parser().terminals}
    for statement in keywords.STATEMENTS:
        terminal = terminals[statement.terminal]
        assert _leading_word(terminal.pattern.value) == statement.word
        assert terminal.priority == 3  # outranks prose at a line start
    line_words = {
        word
        for t in parser().terminals
        if t.priority == 3 and (word := _leading_word(t.pattern.value)) is not None
    }
    assert line_words == set(keywords.STATEMENT_WORDS) | set(keywords.TABLE_LINE_WORDS)


def test_expression_words_are_the_grammars_keywords() -> None:
    plain_words = {
        t.pattern.value
        for t in parser().terminals
        if t.pattern.type == "str" and WORD.fullmatch(t.pattern.value)
    }
    assert plain_words == set(keywords.EXPRESSION_WORDS)


def test_the_line_trees_are_what_the_grammar_makes() -> None:
    assert _trees("line") == set(keywords.LINE_TREES) | set(keywords.LINE_TREES_OTHER)
    assert {s.tree for s in keywords.STATEMENTS} <= set(keywords.LINE_TREES)
    assert _trees("table_line") == set(keywords.TABLE_LINE_TREES)


# one line of each kind the `line` rule makes, and the syntax node it must become
LINES = {
    "let": ("let a = 1 万元", ast.Let),
    "check": ("check a > 0 万元", ast.Check),
    "unit_decl": ("unit 人", ast.UnitDecl),
    "include": ('include "part.rpt"', ast.Include),
    "data_decl": ('data 表 = "表.csv" unit 元', ast.DataSource),
    "note": ("note 原报告此处仅注明“见附表”。", ast.Note),
    "heading": ("# 标题", ast.Heading),
    "list_item": ("- 一项", ast.ListBlock),
    "prose": ("一句<a>话。", ast.Paragraph),
    "table_open": ("table 表\nrow | 甲 | 1 |\nend", ast.Table),
    "form_open": ("form 表\nrow | 甲 | 1 |\nend", ast.Table),
}


@pytest.mark.parametrize("tree", sorted(set(keywords.LINE_TREES) | {"prose"}))
def test_each_kind_of_line_becomes_its_syntax(tree: str) -> None:
    text, node = LINES[tree]
    diagnostics = Diagnostics()
    module = parse_file(SourceFile("main.rpt", text + "\n"), diagnostics)
    assert not diagnostics.has_errors()
    assert [type(item) for item in module.items] == [node]


def test_a_comment_line_leaves_nothing() -> None:
    diagnostics = Diagnostics()
    module = parse_file(SourceFile("main.rpt", "// 注释\n"), diagnostics)
    assert module.items == () and not diagnostics.has_errors()


@pytest.mark.parametrize("statement", keywords.STATEMENTS, ids=lambda s: s.word)
def test_a_statement_word_starting_a_sentence_is_a_statement_or_an_error(
    statement: keywords.Statement,
) -> None:
    """`let` at a line's start followed by prose is never silently read as prose."""
    diagnostics = Diagnostics()
    parsed = parse_file(SourceFile("main.rpt", f"{statement.word} 我们 今年\n"), diagnostics)
    assert diagnostics.has_errors() or not any(isinstance(i, ast.Paragraph) for i in parsed.items)
