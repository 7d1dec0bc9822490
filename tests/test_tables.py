"""Tables: computed totals equal the sum of their cells; declared totals are checked."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rpt.base.codes import Code
from rpt.base.source import SourceFile
from rpt.document.model import Table, plain_text
from rpt.pipeline import compile_source
from rpt.render.markdown import render_markdown
from rpt.syntax import parse_table, tables, walks
from rpt.syntax.lines import Builder, parser
from rpt.syntax.parse_table import split_cells

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


@settings(max_examples=80, deadline=None)
@given(amounts, st.sampled_from(["0.01", "-0.01", "0.03", "-0.05", "0.1", "1", "-100"]))
def test_a_wrong_declared_total_fails_at_its_cell(values: list[Decimal], error: str) -> None:
    """A total off by more than the rounding of its n parts and itself can allow
    ((n + 1) × 0.005, each printed to the cent) is provably wrong (E501); within
    that, it is a rounding tail that cannot be proved wrong (W501)."""
    wrong = sum(values, Decimal(0)) + Decimal(error)
    source = _table(values, str(wrong))
    result = compile_source(source)
    [failure] = result.diagnostics
    provable = abs(Decimal(error)) >= (len(values) + 1) * Decimal("0.005")
    assert failure.code is (Code.CHECK_FAILED if provable else Code.UNCONFIRMED_CHECK)
    assert (result.document is None) == provable
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


# ---------------------------------------------------------------- checks that apply (11.6)

TWO_COLUMNS = (
    "table 表\nunit 万元\ncolumns | 项目 | 预算数: 万元 | 决算数: 万元 | 占比: % |\n"
    "header | 项目 | 预算数 | 决算数 | 占比 |\n"
    "row a | 甲 | {a} | 1 | = 决算数 / 合计.决算数 |\n"
    "row b | 乙 | {b} | 2 | = 决算数 / 合计.决算数 |\n"
    "row 合计 | 合计 | {total} | 3 | = 决算数 / 合计.决算数 |\n"
    "check 合计 == sum(a, b){for_}\nend\n"
)


def _check(a: str, b: str, total: str, for_: str = "") -> list[str]:
    source = TWO_COLUMNS.format(a=a, b=b, total=total, for_=for_)
    return [d.code.code for d in compile_source(source).diagnostics]


@pytest.mark.parametrize("placeholder", ['"见附表"', '"未列"', "“待定”"])
def test_text_in_a_checked_row_is_an_error_not_a_skipped_column(placeholder: str) -> None:
    """A total of 300.00 over 100 and 200 used to print with no word when the
    total's cell held text: the column was skipped in silence."""
    assert _check("100", "200", placeholder) == ["E502"]
    assert _check(placeholder, "200", "300") == ["E502"]


def test_a_number_in_quotes_is_refused_where_a_number_belongs() -> None:
    assert _check("100", "200", '"300.00"')[0] == "E101"


@pytest.mark.parametrize("none", ["—", "无", "-", ""])
def test_a_named_row_without_a_number_is_an_error(none: str) -> None:
    assert _check(none, "200", "200") == ["E502"]


@pytest.mark.parametrize(
    ("cell", "reads"), [("—**粗**—", "—粗—"), ("*—*无", "—无"), ("**—**", "—"), ("— <1>", None)]
)
def test_a_text_cell_reads_with_the_text_inside_its_marks(cell: str, reads: str | None) -> None:
    """`—**粗**—` is text, as `粗——` is, not the word for none `——` (marks used
    to drop their text); a cell with a reference is no word for none at all."""
    source = SourceFile("t.rpt", cell)
    inlines = Builder(source, 0).inlines(parser().parse(cell, start="cell_text").children)
    assert tables._cell_text(inlines) == reads


@pytest.mark.parametrize("none", ["—", "无", ""])
def test_a_column_where_none_of_the_rows_has_a_number_is_not_checked(none: str) -> None:
    assert _check(none, none, none) == []
    assert _check(none, none, none, " for 预算数") == ["E502"]  # but named, it must apply


def test_the_check_still_runs_in_the_columns_that_have_numbers() -> None:
    source = TWO_COLUMNS.format(a="—", b="—", total="—", for_="").replace("| 3 |", "| 4 |")
    result = compile_source(source)
    assert [(d.code.code, "决算数" in (d.message or "")) for d in result.diagnostics] == [
        ("E501", True)
    ]


def test_rate_columns_are_skipped_unless_named() -> None:
    """Shares do not add up in general, so a total check skips a % column; named
    with `for`, it checks that the shares add up."""
    assert _check("100", "200", "300") == []
    assert _check("100", "200", "300", " for 占比") == []  # 1/3 + 2/3 == 3/3
    wrong = TWO_COLUMNS.format(a="1", b="2", total="3", for_=" for 占比").replace(
        "row b | 乙 | 2 | 2 | = 决算数 / 合计.决算数 |", "row b | 乙 | 2 | 2 | 50% |"
    )
    assert "E501" in [d.code.code for d in compile_source(wrong).diagnostics]


def test_a_group_without_a_number_in_a_column_is_an_error() -> None:
    source = (
        "table 表\ncolumns | 项目 | 金额: 万元 | 备注: 万元 |\n"
        "row 项.a | 甲 | 1 | — |\nrow 项.b | 乙 | 2 | — |\nrow 合计 | 合计 | 3 | 5 |\n"
        "check 合计 == sum(项.*)\nend\n"
    )
    codes = [d.code.code for d in compile_source(source).diagnostics]
    assert codes == ["E502"]


ROWS = (
    "unit 分\ntable 表\ncolumns | 指标 | 分值: 分 | 得分: 分 |\n"
    "row a | 甲 | 10 | 9 |\nrow b | 乙 | {score} | {got} |\nrow c | 丙小计 | — | — |\n"
    "check 得分 <= 分值{for_}\nend\n"
)


@pytest.mark.parametrize(
    ("score", "got", "for_", "codes"),
    [
        ("10", "8", "", []),
        ("10", "11", "", ["E501"]),
        ("10", "—", "", ["E502"]),  # a number in one column, none in the other
        ('"见说明"', "8", "", ["E502"]),
        ("—", "—", "", []),  # a row without numbers is not checked
        ("10", "8", " for c", ["E502"]),  # unless the check names it
    ],
)
def test_per_row_checks_apply_to_every_row_with_numbers(
    score: str, got: str, for_: str, codes: list[str]
) -> None:
    result = compile_source(ROWS.format(score=score, got=got, for_=for_))
    assert [d.code.code for d in result.diagnostics] == codes


def test_a_text_formula_in_a_text_column_aligns_left() -> None:
    source = (
        "table 表\ncolumns | 项目 | 金额: 万元 | 等级 | 差额 |\n"
        "header | 项目 | 金额 | 等级 | 差额 |\n"
        'row a | 甲 | 95 | = if(金额 >= 90 万元, "优", "良") | = 金额 - 90 万元 |\n'
        "row b | 乙 | 80 | 良 | = 金额 - 90 万元 |\nend\n"
    )
    result = compile_source(source)
    assert result.document is not None, result.diagnostics
    [table] = result.document.blocks
    assert isinstance(table, Table)
    assert [cell.align for cell in table.rows[1].cells] == ["left", "right", "left", "right"]
    assert "| :--- | ---: | :--- | ---: |" in render_markdown(result.document)


def test_a_negative_cell_takes_the_columns_unit() -> None:
    table = "table 表\ncolumns | 项目 | 金额: 万元 |\nrow a | 甲 | -5 |\nrow b | 乙 | 7 |\nend\n"
    result = compile_source(table + "<表.a.金额 to 元>、<表.b.金额 to 元>\n")
    assert result.document is not None, result.diagnostics
    assert render_markdown(result.document).endswith("\n-50000元、70000元\n")


def test_an_alignment_word_is_taken_out_of_a_columns_format() -> None:
    """Before or after the unit; alone it aligns a text column (`很多` is no number)."""
    table = (
        "table 表\ncolumns | 项目 | 说明: center | 金额: right 万元 | 数: 万元 left |\n"
        "row a | 甲 | 很多 | 5 | 3 |\nend\n<表.a.金额 to 元>、<表.a.数 to 元>\n"
    )
    result = compile_source(table)
    assert result.document is not None, result.diagnostics
    assert render_markdown(result.document) == (
        "<table>\n"
        '<tr><td>甲</td><td align="center">很多</td><td align="right">5.00</td>'
        "<td>3.00</td></tr>\n</table>\n\n50000元、30000元\n"
    )


def test_a_table_of_more_than_a_million_cells_is_refused_before_it_is_built() -> None:
    """One long row widens every row: 1,001 rows of 1,000 columns in a few kilobytes."""
    rows = "row |" + " |" * 1000 + "\n" + "row | |\n" * 1000
    [diagnostic] = compile_source(f"table 表\n{rows}end\n").diagnostics
    assert diagnostic.code is Code.LIMIT_EXCEEDED
    assert diagnostic.message == (
        "this table has 1,001 rows of 1,000 columns; the limit is 1,000,000 cells"
    )
    assert diagnostic.span is not None and diagnostic.span.location() == "main.rpt:1:1"


def test_a_table_of_exactly_the_limit_is_laid_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "MAX_GRID_CELLS", 6)
    grid = "table 表\nrow | 一 | 二 | 三 |\nrow | 四 | 五 | 六 |\n"
    assert compile_source(grid + "end\n").diagnostics == []
    [refused] = compile_source(grid + "row | 七 |\nend\n").diagnostics
    assert refused.code is Code.LIMIT_EXCEEDED


# ------------------------------------------------ how a table check is copied


def _diagnostics(source: str) -> list[str]:
    return [f"{d.code.code} {d.message}" for d in compile_source(source).diagnostics]


def test_a_row_check_goes_on_past_headers_empty_and_short_rows() -> None:
    """A header in mid-table, a row with — in the checked columns and a row that
    stops before them are passed over: the row after them is still checked."""
    source = (
        "table 表\ncolumns | 项目 | 得分: 万元 | 分值: 万元 |\nheader | 项目 | 得分 | 分值 |\n"
        "row a | 甲 | 5 | 10 |\nheader | 小节 | 得分 | 分值 |\nrow b | 乙 | — | — |\n"
        "row c | 丙 |\nrow d | 丁 | 12 | 10 |\ncheck 得分 <= 分值\nend\n"
    )
    assert _diagnostics(source) == ["E501 check failed in row d"]
    result = compile_source(source.replace("| 12 |", "| 9 |"))
    assert result.document is not None, result.diagnostics  # the short row is drawn padded
    [table] = result.document.blocks
    assert isinstance(table, Table)
    assert [plain_text(cell.inlines) for cell in table.rows[4].cells] == ["丙", "", ""]


SKIPPED_COLUMNS = (
    "table 表\nunit 万元\ncolumns | 项目 | 金额: 万元 | 率: ‰ | 说明: center |\n"
    "row 项.a | 甲 | 1.0 | 5 | 注 | = 7 万元 |\nrow 项.b | 乙 | 2.0 | 6 | 注 | = 8 万元 |\n"
    "row 合计 | 合计 | {total} | 20 | 注 | = 1 万元 |\nrow 误差 | 误差 | 0.5 |\n"
    "check 合计 == sum(项.*){within}\nend\n"
)


def test_a_column_check_skips_rates_text_and_unnamed_columns() -> None:
    """‰ do not add up, a column aligned but not formatted holds text, and the
    column past the named ones is nobody's: only 金额 is checked."""
    assert _diagnostics(SKIPPED_COLUMNS.format(total="3.0", within="")) == []
    assert _diagnostics(SKIPPED_COLUMNS.format(total="3.3", within="")) == [
        "E501 check failed in column 金额"
    ]


def test_a_table_check_keeps_its_tolerance() -> None:
    assert _diagnostics(SKIPPED_COLUMNS.format(total="3.3", within=" within 0.5 万元")) == []
    # a row named in the tolerance is that row's cell in each column checked
    assert _diagnostics(SKIPPED_COLUMNS.format(total="3.3", within=" within 误差")) == []
    assert _diagnostics(SKIPPED_COLUMNS.format(total="3.3", within=" within 0.2 万元")) == [
        "E501 check failed in column 金额"
    ]
    # the tolerance is part of the check: naming a column there names rows and columns
    assert _diagnostics(SKIPPED_COLUMNS.format(total="3.0", within=" within 金额")) == [
        "E101 a table check names rows and columns at once"
    ]


def test_a_check_of_groups_alone_applies_to_their_number_columns() -> None:
    source = SKIPPED_COLUMNS.format(total="3.0", within="").replace(
        "check 合计 == sum(项.*)", "check sum(项.*) <= 2 万元"
    )
    assert _diagnostics(source) == ["E501 check failed in column 金额"]


def test_a_check_may_name_a_column_without_a_format() -> None:
    """A number in a column with no format is a text, and so is checked as one."""
    source = (
        "table 表\ncolumns | 项目 | 金额 |\nrow a | 甲 | = 1 万元 |\nrow 合计 | 合计 | = 2 万元 |\n"
    )
    assert _diagnostics(source + "check 合计 == sum(a)\nend\n") == [
        "E501 check failed in column 金额"
    ]


@pytest.mark.parametrize("joined", ["^", "?"])
def test_a_joined_or_missing_cell_in_a_checked_group_has_no_number(joined: str) -> None:
    source = (
        "table 表\ncolumns | 项目 | 金额: 万元 |\nrow 项.a | 甲 | 1 |\n"
        f"row 项.b | 乙 | {joined} |\nrow 合计 | 合计 | 1 |\ncheck 合计 == sum(项.*)\nend\n"
    )
    expected = [] if joined == "^" else ["E701 a figure not available yet (`?`) in a final build"]
    assert _diagnostics(source) == expected  # no E502: the group has a number in 金额


def test_a_joined_cell_on_the_left_has_no_number() -> None:
    source = (
        "table 表\ncolumns | 项目 | 说明 | 金额: 万元 |\nrow a | 甲 | < | 1 |\n"
        'row b | 乙 | "x" | 1 |\ncheck a == 1 万元 for 说明, 金额\nend\n'
    )
    assert _diagnostics(source) == [
        "E502 this check names the column `说明`, but its rows have no number there"
    ]


def test_a_word_for_none_written_with_an_escape_is_none() -> None:
    source = 'table 表\ncolumns | 项目 | 说明 |\nrow a | 甲 | —\\— |\ncheck 说明 == "有"\nend\n'
    assert _diagnostics(source) == []


def test_a_table_check_may_compare_with_figures_outside_the_table() -> None:
    source = (
        "let 收入.甲 = 1 万元\nlet 收入.乙 = 2 万元\ntable 表\ncolumns | 项目 | 金额: 万元 |\n"
        "row 合计 | 合计 | 4 |\ncheck 合计.金额 == sum(收入.*)\nend\n"
    )
    assert _diagnostics(source) == ["E501 check failed"]


def test_cells_of_dotted_rows_and_groups_of_one_segment() -> None:
    source = (
        "table 表\ncolumns | 项目 | 金额: 万元 | 合计: 万元 |\nrow a | 甲 | 1 | = sum(*.金额) |\n"
        "row 项.b | 乙 | 2 | = 项.b.金额 * 3 |\nrow c | 丙 | 4 |\nend\n"
    )
    result = compile_source(source)
    assert result.document is not None, result.diagnostics
    assert result.facts is not None
    assert result.facts.figures["表.a.合计"].value == 5
    assert result.facts.figures["表.项.b.合计"].value == 6


def test_an_empty_group_of_the_table_points_at_itself() -> None:
    source = (
        "table 表\ncolumns | 项目 | 金额: 万元 | 合计: 万元 |\n"
        "row 项.a | 甲 | 1 | = sum(*.金额) |\nend\n"
    )
    [empty] = compile_source(source).diagnostics
    assert empty.message == "no figure matches `表.*.金额`"
    assert empty.span is not None and empty.span.text() == "*.金额"


def test_a_cell_figure_is_declared_at_its_cell_and_named_by_its_place() -> None:
    """Rows and columns without a name are numbered from 1, header rows counted,
    as messages show them (`row #2`)."""
    source = (
        "table 表\ncolumns | 项目 | 金额: 万元 |\nheader | 项目 | 金额 |\n"
        "row | 甲 | 1 | = 2 万元 |\nend\n"
    )
    result = compile_source(source)
    assert result.facts is not None, result.diagnostics
    figure = result.facts.figures["表.#2.金额"]
    assert figure.span.location() == "main.rpt:4:11"
    assert result.facts.figures["表.#2.#3"].value == 2


def test_errors_point_at_the_units_and_formats_of_columns() -> None:
    source = (
        'table 表\ncolumns | 项目 | 金额: 斤两 | 数: 万元 |\nrow a | 甲 | 1 | = "文字" |\nend\n'
    )
    located = [
        (d.code.code, d.span.text() if d.span else None) for d in compile_source(source).diagnostics
    ]
    assert located == [("E204", "斤两"), ("E304", "万元")]


def test_a_column_formatted_without_a_unit_takes_the_tables() -> None:
    source = (
        "table 表\nunit 万元\ncolumns | 项目 | 金额: .1 |\nrow 项.a | 甲 | 1 |\n"
        "row 合计 | 合计 | 2 |\ncheck 合计 == sum(项.*)\nend\n"
    )
    assert _diagnostics(source) == ["E501 check failed in column 金额"]


def test_a_reference_in_a_text_cell_aligns_left() -> None:
    source = (
        "let 收入 = 5 万元\ntable 表\ncolumns | 项目 | 说明 |\nrow a | 收入<收入> | 文字 |\nend\n"
    )
    result = compile_source(source)
    assert result.document is not None, result.diagnostics
    [table] = result.document.blocks
    assert isinstance(table, Table)
    assert [cell.align for cell in table.rows[0].cells] == ["left", "left"]


def test_joined_cells_under_a_short_row_must_form_a_rectangle() -> None:
    """A row shorter than the table is padded with empty cells, which `^` and `<`
    below may join: the error points at the short row."""
    [error] = compile_source("table 表\nrow a | 甲 |\nrow b | 乙 | ^ | < |\nend\n").diagnostics
    assert error.message == "merged cells must form a rectangle"
    assert error.span is not None and error.span.location() == "main.rpt:2:1"


def _split_by_characters(text: str) -> tuple[str, list[tuple[int, str]]] | None:
    """split_cells as a walk over every character: the rule it keeps while it
    jumps from one mark to the next."""
    cells: list[tuple[int, str]] = []
    start, head, index, quote, in_ref = None, "", 0, "", False
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if quote:
            quote = "" if char == quote else quote
        elif char in ('"', "“"):
            closing = '"' if char == '"' else "”"
            quote = closing if parse_table._closed(text, index + 1, closing) else ""
        elif char == "<" and not in_ref:
            following = text[index + 1 :].lstrip()
            in_ref = bool(following) and following[0] != "|" and text.find(">", index) > index
        elif char == ">" and in_ref:
            in_ref = False
        elif char == "|" and not in_ref:
            if start is None:
                head = text[:index]
            else:
                cells.append((start, text[start:index]))
            start = index + 1
        index += 1
    if start is None:
        return None
    if text[start:].strip():
        cells.append((start, text[start:]))
    return head, cells


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('\\"“”<>| \u3000\t\n\x85a收=')), max_size=40))
def test_cells_split_as_the_character_walk_splits_them(text: str) -> None:
    assert split_cells(text) == _split_by_characters(text)


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("|> \u3000\t\n\x85a收=”")), max_size=40),
    st.sampled_from(["", "<", "< ", "<|", "<a"]),
)
def test_a_line_of_bars_alone_splits_as_the_character_walk_splits_it(text: str, mark: str) -> None:
    """Without escapes, quotes, or a `<` before a `>`, split_cells splits at each bar."""
    for line in (text, f"{mark}{text}", f"{text}{mark}", text.replace(">", mark)):
        assert split_cells(line) == _split_by_characters(line), line


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob as the regular expression it used to be made into: the meaning
    walks.GlobPattern keeps (`*` one segment, `**` one or more)."""
    parts = {"*": r"[^.]+", "**": r"[^.]+(?:\.[^.]+)*"}
    return re.compile(r"\.".join(parts.get(part) or re.escape(part) for part in pattern.split(".")))


glob_parts = st.lists(
    st.sampled_from(["*", "**", "a", "收入", "", "a*", "b"]), min_size=1, max_size=5
)
name_parts = st.lists(
    st.sampled_from(["a", "收入", "", "b", "*", "a*", "x\n"]), min_size=1, max_size=6
)


@settings(max_examples=2000, deadline=None)
@given(glob_parts, name_parts)
def test_a_glob_matches_the_names_its_regular_expression_matched(
    pattern: list[str], name: list[str]
) -> None:
    glob, dotted = ".".join(pattern), ".".join(name)
    expected = _glob_regex(glob).fullmatch(dotted) is not None
    assert walks.glob_pattern(glob).fullmatch(dotted) == expected, (glob, dotted)
