"""Forms a table extends (`table 公开01 like 部门决算.公开01表`): the nine shipped
with rpt, a report's own and a province's variant in a library file; rows
replaced, added and dropped, `~` cells, and rows of a 科目 by its code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rpt.base.diagnostics import Diagnostics
from rpt.base.resources import forms_dir
from rpt.pipeline import Compilation
from rpt.render.markdown import render_markdown
from rpt.syntax.forms import SHIPPED, SHIPPED_PATH, shipped_forms, subjects
from rpt.syntax.parse import parse_file
from rpt.syntax.read import read_source

Compile = Callable[..., Compilation]

FORM = """\
form 三公 "三公经费支出决算表"
unit 万元
columns | 项目 | 预算数: 万元 | 决算数: 万元 |
header | 项目 | 预算数 | 决算数 |
row 合计 | 合计 | = 出国.预算数 + 接待.预算数 | = 出国.决算数 + 接待.决算数 |
row 出国 | 1. 因公出国（境）费 | 0 | 0 |
row 接待 | 2. 公务接待费 | 0.25 | 0.48 |
end
"""


def _markdown(result: Compilation) -> str:
    assert result.document is not None, [d.message for d in result.diagnostics]
    return render_markdown(result.document)


def _codes(result: Compilation) -> list[str]:
    return [d.code.code for d in result.diagnostics]


def test_the_shipped_forms_read_without_a_diagnostic() -> None:
    diagnostics = Diagnostics()
    source = read_source(SHIPPED_PATH, (forms_dir() / SHIPPED).read_bytes(), diagnostics)
    assert source is not None
    parse_file(source, diagnostics)
    assert not diagnostics.has_errors()
    assert sorted(shipped_forms()) == [f"部门决算.公开0{n}表" for n in range(1, 10)]
    assert all(form.number == name.split(".")[1] for name, form in shipped_forms().items())


def test_each_subject_stands_under_its_class_and_section() -> None:
    """A 项 (7 digits) under a listed 款 (5), a 款 under a listed 类 (3)."""
    known = subjects()
    assert known["2010101"] == "行政运行" and known["21011"] == "行政事业单位医疗"
    for code in known:
        assert len(code) in (3, 5, 7) and code.isdigit()
        if len(code) > 3:
            assert code[: len(code) - 2] in known, code


def test_each_economic_class_stands_under_its_class() -> None:
    """A 款 of the 经济分类 (5 digits) under a listed 类 (3, 301 or 302)."""
    known = subjects("economic.txt")
    assert known["30101"] == "基本工资" and known["30239"] == "其他交通费用"
    for code in known:
        assert len(code) in (3, 5) and code.isdigit() and code[0] == "3", code
        if len(code) == 5:
            assert code[:3] in known, code
    assert not set(known) & set(subjects())  # the two lists never share a code


def test_a_row_of_an_economic_class_by_its_code(compile_text: Compile) -> None:
    """公开06表: the code under 经济分类, its name after it; the 类/款/项 list is
    not looked in (301 is no 功能分类 code)."""
    result = compile_text(
        "table 公开06 like 部门决算.公开06表\n"
        "row 人员经费 | ~ | ~ | 142.02 |\n"
        "row 公用经费 | ~ | ~ | 31.84 |\n"
        "row 工资福利 after 人员经费 code 301 | 100 |\n"
        "row 基本工资 code 30101 | 50.74 |\n"
        "end\n"
    )
    markdown = _markdown(result)
    assert (
        '<tr><td colspan="2">人员经费</td><td align="right">142.02</td></tr>\n'
        '<tr><td>301</td><td>工资福利支出</td><td align="right">100.00</td></tr>\n'
        '<tr><td>30101</td><td>基本工资</td><td align="right">50.74</td></tr>\n'
        '<tr><td colspan="2">公用经费</td><td align="right">31.84</td></tr>\n'
    ) in markdown
    unknown = compile_text("table 表 like 部门决算.公开06表\nrow 甲 code 2010101 | 1 |\nend\n")
    assert "E803" in _codes(unknown)


def test_rows_replaced_kept_added_and_dropped(compile_text: Compile) -> None:
    text = FORM + (
        "table 表 like 三公\n"
        "row 接待 | ~ | 0.30 |\n"  # the 决算数 right of the last cell written stays the form's
        "row 公车 | 3. 公务用车购置及运行维护费 | 0 | 0 |\n"  # added after 接待
        "row 会议 after 合计 | 会议费 | 0 | 0.15 |\n"
        "end\n"
        "<表.合计.预算数> <表.合计.决算数>\n"
    )
    markdown = _markdown(compile_text(text))
    assert (
        "| 项目 | 预算数 | 决算数 |\n| :--- | ---: | ---: |\n| 合计 | 0.30 | 0.48 |\n"
        "| 会议费 | 0.00 | 0.15 |\n| 1. 因公出国（境）费 | 0.00 | 0.00 |\n"
        "| 2. 公务接待费 | 0.30 | 0.48 |\n| 3. 公务用车购置及运行维护费 | 0.00 | 0.00 |\n"
    ) in markdown
    assert "三公经费支出决算表" in markdown and "0.3万元 0.48万元" in markdown


def test_a_dropped_column_and_the_rows_written_after_it(compile_text: Compile) -> None:
    text = FORM + "table 表 like 三公\ndrop 预算数, 出国\nrow 接待 | ~ | 0.50 |\nend\n"
    result = compile_text(text.replace("= 出国.决算数 + 接待.决算数", "= 接待.决算数"))
    assert "| 项目 | 决算数 |\n| :--- | ---: |\n| 合计 | 0.50 |\n| 2. 公务接待费 | 0.50 |\n" in (
        _markdown(result)
    )


def test_a_replaced_cell_changes_the_forms_sums(compile_text: Compile) -> None:
    text = FORM + "table 表 like 三公\nrow 接待 | ~ | ~ | 0.50 |\nend\n"
    markdown = _markdown(compile_text(text))
    assert "| 合计 | 0.25 | 0.50 |" in markdown


def test_a_code_row_writes_the_code_and_the_name(compile_text: Compile) -> None:
    text = (
        'table 支出 "支出表"\n'
        "columns | 类 | 款 | 项 | 科目名称 | 决算数: 万元 |\n"
        "row 行政运行 code 2010101 | 171.38 |\n"
        "end\n"
    )
    markdown = _markdown(compile_text(text))
    assert '<tr><td colspan="3">2010101</td><td>行政运行</td><td align="right">171.38</td>' in (
        markdown
    )


def test_a_provinces_variant_in_a_library_file(compile_text: Compile, tmp_path: Path) -> None:
    """A library file extends the shipped form; a report extends the library's form
    and reads the `@` cells of both from its export."""
    library = (
        "form 湖南.公开06表 like 部门决算.公开06表\n"
        "row 其中 after 公用经费 | | 　其中：公务接待费 | @ |\n"
        "end\n"
    )
    export = "项目,决算数\n人员经费,1420200\n公用经费,318400\n其中：公务接待费,4800\n合计,1738600\n"
    report = (
        'include "湖南.rpti"\n'
        'data 公开06表 = "公开06.csv" unit 元\n'
        "table 公开06 like 湖南.公开06表\n"
        "from 公开06表\n"
        "end\n"
    )
    result = compile_text(report, **{"湖南.rpti": library, "公开06.csv": export})
    markdown = _markdown(result)
    assert (
        '<tr><td colspan="2">公用经费</td><td align="right">31.84</td></tr>\n'
        '<tr><td></td><td>　其中：公务接待费</td><td align="right">0.48</td></tr>\n'
        '<tr><td colspan="2">合计</td><td align="right">173.86</td></tr>'
    ) in markdown
    assert "公开06表\n\n一般公共预算财政拨款基本支出决算表" in markdown
    assert (tmp_path / "main.rpt").exists()


def test_a_form_prints_nothing_and_its_errors_are_said_once(compile_text: Compile) -> None:
    result = compile_text(
        "form 甲 like 部门决算.公开7表\nend\ntable 乙 like 甲\nend\ntable 丙 like 甲\nend\n"
    )
    assert _codes(result) == ["E801"]
    assert result.diagnostics[0].help == "did you mean `部门决算.公开07表`?"
    assert _markdown(compile_text(FORM)).strip() == ""


def test_the_forms_at_cells_need_a_data_source_said_once(compile_text: Compile) -> None:
    result = compile_text("table 表 like 部门决算.公开07表\nend\n")
    assert _codes(result) == ["E606"]


def test_a_form_declared_twice(compile_text: Compile) -> None:
    twice = compile_text(FORM + FORM)
    shipped = compile_text("form 部门决算.公开01表\nend\n")
    assert _codes(twice) == ["E802"] and _codes(shipped) == ["E802"]
    assert "rpt ships a form" in shipped.diagnostics[0].message


def test_changes_that_do_not_fit_the_form(compile_text: Compile) -> None:
    result = compile_text(
        FORM + "table 表 like 三公\n"
        "columns | 项目 | 决算数: 万元 |\n"
        "header | 项目 | 预算数 | 决算数 |\n"
        "header | 项目 | 预算数 | 决算数 |\n"
        "row 新 | 新行 | ~ | 1 |\n"
        "drop 没有\n"
        "end\n"
    )
    messages = sorted(d.message for d in result.diagnostics)
    assert _codes(result) == ["E802"] * 4
    assert messages == sorted(
        [
            "the form `三公` has its column `预算数` here, before `决算数`",
            "the form `三公` has 1 header row; this is the table's header line 2",
            "`~` keeps the form's cell, but `三公` has no row `新`",
            "the form `三公` has no row or column `没有`",
        ]
    )


def test_columns_added_among_the_forms_and_headers_changed(compile_text: Compile) -> None:
    """A province's variant: the form's columns in order, 行次 columns among them
    (a header of their own spanning the form's header rows, `<` inside a cell
    spanning right), a header line changing the form's text by rank."""
    form = (
        'form 总表 "收入支出决算总表"\n'
        "columns | 收入项目 | 收入: 万元 | 支出项目 | 支出: 万元 |\n"
        "header | 收入 | < | 支出 | < |\n"
        "header | 项目 | 决算数 | 项目 | 决算数 |\n"
        "row 一 | 一、财政拨款收入 | 10 | 一、一般公共服务支出 | 10 |\n"
        "row 总计 | 总计 | = 一.收入 | 总计 | = 一.支出 |\n"
        'check 总计.收入 == 总计.支出 "收入总计等于支出总计"\n'
        "end\n"
        "form 湖南.总表 like 总表\n"
        "columns | 收入项目 | 收入行次 | 收入 | 支出项目 | 支出行次 | 支出: 万元 |\n"
        "header | ~ |\n"
        "header | ~ | 行次 | 金额 | ~ | 行次 | 金额 |\n"
        "row 一 | ~ | 1 | ~ | ~ | 3 |\n"
        "row 总计 | ~ | 2 | ~ | ~ | 4 |\n"
        "end\n"
    )
    table = "table 表 like 湖南.总表\nrow 一 | ~ | ~ | 12 | ~ | ~ | 12 |\nend\n"
    markdown = _markdown(compile_text(form + table))
    assert (
        '<tr><th colspan="3" align="center">收入</th>'
        '<th colspan="3" align="center">支出</th></tr>\n<tr><th align="center">项目</th>'
        '<th align="center">行次</th><th align="center">金额</th><th align="center">项目</th>'
        '<th align="center">行次</th><th align="center">金额</th></tr>\n'
        '<tr><td>一、财政拨款收入</td><td>1</td><td align="right">12.00</td>'
        '<td>一、一般公共服务支出</td><td>3</td><td align="right">12.00</td></tr>\n'
    ) in markdown
    # the form's check holds in its variant: 12 against 10 fails it
    failed = compile_text(form + "table 表 like 湖南.总表\nrow 一 | ~ | ~ | 12 |\nend\n")
    assert _codes(failed) == ["E501"]


def test_an_added_column_takes_the_header_rows_and_no_body_text(compile_text: Compile) -> None:
    markdown = _markdown(
        compile_text(FORM + "table 表 like 三公\ncolumns | 项目 | 说明 | 预算数 | 决算数 |\nend\n")
    )
    assert "| 项目 | 说明 | 预算数 | 决算数 |\n| :--- | :--- | ---: | ---: |\n" in markdown
    assert "| 合计 |  | 0.25 | 0.48 |\n" in markdown


def test_a_columns_line_that_does_not_fit_the_form(compile_text: Compile) -> None:
    def said(columns: str) -> list[str]:
        result = compile_text(FORM + f"table 表 like 三公\ncolumns | {columns} |\nend\n")
        assert _codes(result) == ["E802"]
        return [d.message for d in result.diagnostics]

    assert said("项目 | 决算数 | 预算数") == [
        "the form `三公` has its column `预算数` here, before `决算数`"
    ]
    assert said("项目 | 预算数") == ["the `columns` line leaves out the form's column `决算数`"]
    assert said("项目 | 预算数: 元 | 决算数") == [
        "`预算数` is the form's column, whose format is `万元`"
    ]
