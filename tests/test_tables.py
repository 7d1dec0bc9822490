"""Tables: computed totals equal the sum of their cells; declared totals are checked."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from rpt.codes import Code
from rpt.document import Table, plain_text
from rpt.pipeline import compile_source
from rpt.render_markdown import render_markdown

amounts = st.lists(
    st.decimals(min_value=0, max_value=Decimal("9999.99"), places=2), min_size=1, max_size=12
)


def _table(values: list[Decimal], total: str) -> str:
    rows = "\n".join(f"row 项.r{i} | 第{i}项 | {v} |" for i, v in enumerate(values))
    return (
        'table 表 "测试表"\nunit 万元\ncolumns | 项目 | 金额: 万元 |\n'
        "header | 项目 | 金额 |\n"
        f"{rows}\nrow 合计 | 合计 | {total} |\ncheck 合计 == sum(项.*)\nend\n"
    )


def _cells(markdown: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in markdown.splitlines()
        if line.startswith("|") and not re.match(r"\|\s*:?-", line)
    ]


@settings(max_examples=50, deadline=None)
@given(amounts)
def test_computed_total_is_the_sum_of_the_cells(values: list[Decimal]) -> None:
    result = compile_source(_table(values, "= sum(项.*.金额)"))
    assert result.document is not None, result.diagnostics
    rows = _cells(render_markdown(result.document))
    assert rows[0] == ["项目", "金额"]
    printed = [Fraction(Decimal(row[1])) for row in rows[1:-1]]
    assert printed == [Fraction(v) for v in values]
    assert Fraction(Decimal(rows[-1][1])) == sum(printed, Fraction(0))


@settings(max_examples=50, deadline=None)
@given(amounts, st.sampled_from(["0.01", "-0.01", "1", "-100"]))
def test_a_wrong_declared_total_fails_at_its_cell(values: list[Decimal], error: str) -> None:
    wrong = sum(values, Decimal(0)) + Decimal(error)
    source = _table(values, str(wrong))
    result = compile_source(source)
    assert result.document is None
    [failure] = result.diagnostics
    assert failure.code is Code.CHECK_FAILED
    assert failure.span is not None
    line = source.splitlines()[failure.span.source.line_col(failure.span.start)[0] - 1]
    assert line.startswith("row 合计") and failure.span.text() == str(wrong)


@settings(max_examples=50, deadline=None)
@given(amounts)
def test_a_right_declared_total_passes(values: list[Decimal]) -> None:
    result = compile_source(_table(values, str(sum(values, Decimal(0)))))
    assert result.diagnostics == []


def test_merged_cells_reach_the_document() -> None:
    source = (
        "table 表\nheader | 甲 | < | 乙 |\nrow a | 一 | 二 | 三 |\nrow b | ^ | 四 | 五 |\nend\n"
    )
    result = compile_source(source)
    assert result.document is not None
    [table] = result.document.blocks
    assert isinstance(table, Table)
    shape = [
        [(plain_text(c.inlines), c.colspan, c.rowspan) for c in row.cells] for row in table.rows
    ]
    assert shape == [
        [("甲", 2, 1), ("乙", 1, 1)],
        [("一", 1, 2), ("二", 1, 1), ("三", 1, 1)],
        [("四", 1, 1), ("五", 1, 1)],
    ]
    assert [row.header for row in table.rows] == [True, False, False]
