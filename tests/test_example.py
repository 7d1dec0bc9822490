"""The example report in reports/ builds, and prints the figures it should."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import UPDATE_GOLDEN
from rpt.diagnostics import render_all_text
from rpt.pipeline import compile_report
from rpt.render_markdown import render_markdown

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "reports" / "huaihua-2023" / "report.rpt"
EXPECTED = Path(__file__).parent / "golden" / "example" / "huaihua-2023.md"


@pytest.fixture(scope="module")
def markdown() -> str:
    result = compile_report(EXAMPLE)
    assert result.document is not None, render_all_text(result.diagnostics)
    assert result.diagnostics == [], render_all_text(result.diagnostics)
    text: str = render_markdown(result.document)
    return text


def test_matches_golden(markdown: str) -> None:
    if UPDATE_GOLDEN:
        EXPECTED.write_text(markdown, encoding="utf-8")
    assert markdown == EXPECTED.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "sentence",
    [
        # the published report printed 减少13%: 34.9 / 252.81 is 13.80%
        "与上年相比，减少34.9万元，减少14%",
        # published 0.14%: a share printed 100 times too small
        "财政拨款支出减少36.28万元，减少14%",
        # published 0.79%, 0.17% and 2%
        "一般公共服务（类）支出171.38万元，占79%",
        "社会保障和就业（类）支出38.81万元，占18%",
        "卫生健康（类）支出6.34万元，占3%",
        # published 91% for 171.38 / 237.06
        "年初预算为237.06万元，支出决算为171.38万元，完成年初预算的72%",
        # published 81% and 19%
        "人员经费142.02万元，占基本支出的82%",
        "公用经费31.84万元，占基本支出的18%",
        # published 完成预算的17% against a budget of 0
        "支出决算为0.48万元，年初未安排预算",
        # published 减少82%: 2.68 / 3.16 is 84.81%
        "与上年相比减少2.68万元，减少85%",
        # published 增长32%: 7.84 / 24 is 32.67%
        "比年初预算数增加7.84万元，增长33%",
        "接听投诉举报电话10000余次",
        # 附件1-1: published 控制率 100% for 12 of 14 posts
        "| 14 | 12 | 86% |",
        # 附件1-2: published 执行率 “80&”
        '<td align="right">217.91</td><td align="right">10</td><td align="right">100%</td>',
        # 附件1: published “公务员医疗补助缴费0.79元”
        "公务员医疗补助缴费0.79万元",
        # 附件1: published 实际财政拨款预算收入共计43.67万元
        "实际财政拨款预算收入共计42.67万元",
        # 附件2: “300余名从业者”
        "在排查的300余名从业者中",
    ],
)
def test_prints_the_corrected_figures(markdown: str, sentence: str) -> None:
    assert sentence in markdown
