"""The compilation's facts: every figure's value, unit, definition, inputs, checks
and the places it is printed, as tools (explain, diff, an editor) read them."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from rpt.check.display import Kind
from rpt.document.model import all_figures
from rpt.evaluation.evaluate import Outcome
from rpt.pipeline import compile_report, compile_source
from rpt.render.markdown import render_markdown
from rpt.result import Facts

REPORT = """\
---
year: 2023
---
let 收入.财政拨款 = 216.53 万元
let 收入.其他 = 1.38 万元
let 收入合计 = sum(收入.*)
let 上年收入 = 200 万元
let 人数 = 14 人
check 收入合计 == 217.91 万元 "合计等于各项之和"
check 收入合计 > 上年收入

收入合计<收入合计>，比上年增长<(收入合计 - 上年收入) / 上年收入:%>，
人均<收入合计 / 人数:万元/人>。

table 表 "收入表"
columns | 项目 | 数: 万元 |
row 甲 | 财政拨款 | = 收入.财政拨款 |
end
"""


def _facts(text: str) -> Facts:
    result = compile_source(text, Path("main.rpt"))
    assert result.facts is not None
    return result.facts


def test_each_figure_has_its_value_unit_kind_and_definition() -> None:
    figures = _facts(REPORT).figures
    total = figures["收入合计"]
    assert total.value == Fraction("217.91")
    assert total.unit == "万元"
    assert total.kind is Kind.MONEY
    assert total.definition == "sum(收入.*)"
    assert total.span.text().startswith("let 收入合计")
    assert figures["人数"].kind is Kind.COUNT
    assert figures["year"].value == 2023  # front matter metadata are figures too
    assert figures["year"].kind is Kind.PURE


def test_inputs_and_readers_go_both_ways() -> None:
    figures = _facts(REPORT).figures
    assert figures["收入合计"].inputs == ("收入.财政拨款", "收入.其他")
    assert figures["收入.财政拨款"].used_by == ("收入合计", "表.甲.数")
    assert figures["上年收入"].inputs == ()
    names = list(figures)
    assert names.index("收入.其他") < names.index("收入合计")  # inputs come first


def test_checks_record_their_outcome_and_the_figures_they_guard() -> None:
    facts = _facts(REPORT)
    assert [c.outcome for c in facts.checks] == [Outcome.HELD, Outcome.HELD]
    assert facts.checks[0].figures == ("收入合计",)
    assert facts.checks[1].figures == ("收入合计", "上年收入")
    assert facts.figures["收入合计"].checks == (0, 1)
    assert facts.figures["上年收入"].checks == (1,)
    assert facts.figures["人数"].checks == ()


def test_every_printed_place_with_its_text() -> None:
    facts = _facts(REPORT)
    printed = facts.figures["收入合计"].printed
    assert [(p.text, p.direct) for p in printed] == [
        ("217.91万元", True),
        ("9%", False),  # used in the growth
        ("15.57万元/人", False),
    ]
    assert printed[0].span.text() == "<收入合计>"
    cell = facts.figures["表.甲.数"].printed
    assert [(p.text, p.direct) for p in cell] == [("216.53", True)]
    assert facts.figures["收入.其他"].printed == ()  # read by a figure, never printed


def test_printed_places_name_the_documents_figures() -> None:
    result = compile_source(REPORT, Path("main.rpt"))
    assert result.document is not None and result.facts is not None
    in_document = {figure.ref: figure.text for figure in all_figures(result.document)}
    for record in result.facts.figures.values():
        for place in record.printed:
            assert in_document[place.ref] == place.text


def test_failed_checks_and_figures_are_facts_too() -> None:
    facts = _facts(
        "let a = 1 万元\nlet b = 2 万元\nlet z = 0 人\nlet c = a / z\n"
        "check a == b\ncheck c > 0 万元/人\n<a> <c>\n"
    )
    assert [c.outcome for c in facts.checks] == [Outcome.FAILED, Outcome.NOT_RUN]
    assert facts.figures["c"].value is None  # divided by zero: no value
    assert [p.text for p in facts.figures["a"].printed] == [None]  # no document was built


def test_a_check_that_holds_only_within_rounding_is_unconfirmed() -> None:
    facts = _facts("let a = 0.333 万元\nlet b = a * 3\ncheck b == 1.000 万元\n")
    assert [c.outcome for c in facts.checks] == [Outcome.UNCONFIRMED]


def test_no_facts_when_the_report_cannot_be_read(tmp_path: Path) -> None:
    result = compile_report(tmp_path / "missing.rpt")
    assert result.facts is None and result.settings is None and result.document is None
    assert compile_source("let = \n").facts is not None  # the rest is still checked


def test_facts_are_gathered_only_when_asked(tmp_path: Path) -> None:
    """A build and a check ask for no facts (they cost a walk of every figure):
    the document and the diagnostics are the same either way."""
    path = tmp_path / "r.rpt"
    path.write_text(
        "let a = 1 万元\nlet b = a * 2\ncheck b > a\n<b>，<b / a:%>。\n", encoding="utf-8"
    )
    asked = compile_report(path)
    unasked = compile_report(path, facts=False)
    assert asked.facts is not None and set(asked.facts.figures) >= {"a", "b"}
    assert unasked.facts is None
    assert asked.document is not None and unasked.document is not None
    assert render_markdown(asked.document) == render_markdown(unasked.document) == "2万元，200%。\n"
    assert [d.message for d in asked.diagnostics] == [d.message for d in unasked.diagnostics]
