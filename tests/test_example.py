"""The example reports in reports/ build without a diagnostic, and print the
figures they should."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from conftest import UPDATE_GOLDEN
from rpt.base.diagnostics import render_all_text
from rpt.pipeline import compile_report
from rpt.render.markdown import render_markdown

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden" / "example"

# Each report with sentences it must print. huaihua-2023 is a real report
# corrected: its sentences are the figures the published text got wrong.
# fengyuan-2022 is fictional: its sentences pin the language of issue 13.
SENTENCES: dict[str, list[str]] = {
    "huaihua-2023": [
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
        # 五（三）: each 科目 under its own 类 (FINDINGS.md 16), 行政运行 not 行政运营
        "##### 1.一般公共服务（类）人大事务（款）行政运行（项）",
        "##### 2.社会保障和就业（类）人力资源和社会保障管理事务（款）",
        "##### 5.卫生健康（类）行政事业单位医疗（款）",
        # 附件2: the evaluation of 2023 rests on the 2023 accounts
        "结合2023年的财务报表",
    ],
    "fengyuan-2022": [
        # <year - 1>年, and a change with its rate
        "与2021年相比，收、支总计减少76.24万元，下降11.46%",
        # 大写: a total in capital numerals, converted from 万元
        "收、支总计588.81万元（大写：伍佰捌拾捌万捌仟壹佰元整）",
        # 中文: counting numerals
        "中心内设六个股（站、室）",
        # several figures in one phrase: one change word, one unit
        "基本支出和项目支出分别减少17.35、45.37万元，分别下降3.83%、25.72%",
        "公务用车运行维护费和公务接待费分别减少0.53、0.46万元，分别下降12.77%、34.85%",
        # a difference of two rates, in percentage points
        "比上年的95.06%上升1.81个百分点",
        # share() with largest-remainder: 80.00 + 11.13 + 3.34 + 5.52 would be
        # 99.99%, the 尾差 goes to 农林水 (80.005%)
        "社会保障和就业（类）支出62.43万元，占11.13%",
        "农林水（类）支出448.62万元，占80.01%",
        "住房保障（类）支出30.96万元，占5.52%",
        # fixed-decimals: zeros keep their decimals in prose as in the tables
        "因公出国（境）费支出预算为0.00万元，支出决算为0.00万元",
        # a share column for a line with nothing in it
        "| 工程 | 0.00 | 0.00% | 0.00 | — |",
        # a bounded rate
        "编制使用率90.00%",
        # <year:年份> in a heading, and {6} after a skipped part of the outline
        "## 附件 丰源县农业技术推广中心二〇二二年度单位整体支出绩效自评报告",
        "### 六、单位整体支出绩效情况",
        # the self-evaluation: 10 points times the execution rate, and the total
        '<td align="right">560.74</td><td align="right">10</td>'
        '<td align="right">96.87%</td><td align="right">9.69</td>',
        "单位整体支出绩效自评得分96.69分，等级为“优”",
    ],
}


# Reports that are drafts: their tables leave open, as `?`, the figures the
# published report did not give (huaihua-2023's public tables).
DRAFTS = {"huaihua-2023"}


@functools.cache
def _markdown(name: str) -> str:
    result = compile_report(ROOT / "reports" / name / "report.rpt", draft=name in DRAFTS)
    assert result.document is not None, render_all_text(result.diagnostics)
    assert result.diagnostics == [], render_all_text(result.diagnostics)
    text: str = render_markdown(result.document)
    return text


# What FINDINGS.md flags in the published text, which the corrected report must not print.
NOT_PRINTED = {
    "huaihua-2023": [
        "行政运营",
        "一般公共服务（类）社会保障和就业",
        "卫生健康支出（款）",
        "结合2022年",
    ],
}


@pytest.mark.parametrize(
    ("name", "text"), [(name, text) for name, texts in NOT_PRINTED.items() for text in texts]
)
def test_prints_none_of_the_published_mistakes(name: str, text: str) -> None:
    assert text not in _markdown(name)


def test_a_final_build_refuses_exactly_the_figures_left_open() -> None:
    """huaihua-2023 builds as a draft only: a final build refuses each `?` cell of
    its public tables (E701), and nothing else."""
    report = ROOT / "reports" / "huaihua-2023"
    final = compile_report(report / "report.rpt")
    assert final.document is None
    assert {d.code.code for d in final.diagnostics} == {"E701"}
    refused = sorted(
        (Path(d.span.source.path).name, *d.span.source.line_col(d.span.start))
        for d in final.diagnostics
        if d.span is not None
    )
    tables = report / "part2-tables.rpti"
    open_cells = sorted(
        ("part2-tables.rpti", number, column + 1)
        for number, line in enumerate(tables.read_text(encoding="utf-8").split("\n"), 1)
        if line.startswith("row ")
        for column, char in enumerate(line)
        if char == "?"
    )
    assert len(open_cells) == 57  # 36 in the tables by 科目, 21 in the 经济分类 of 公开06
    assert refused == open_cells


def test_every_example_is_tested() -> None:
    examples = sorted(path.parent.name for path in (ROOT / "reports").glob("*/report.rpt"))
    assert examples == sorted(SENTENCES)


@pytest.mark.parametrize("name", sorted(SENTENCES))
def test_matches_golden(name: str) -> None:
    markdown = _markdown(name)
    expected = GOLDEN / f"{name}.md"
    if UPDATE_GOLDEN:
        expected.write_text(markdown, encoding="utf-8")
    assert markdown == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "sentence"),
    [(name, sentence) for name, sentences in SENTENCES.items() for sentence in sentences],
)
def test_prints_the_figures(name: str, sentence: str) -> None:
    assert sentence in _markdown(name)
