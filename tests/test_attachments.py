"""Attachments (`{attachment}`): the label and the title, a form's title printed
once, the sign-off line under a form, in the Document, Markdown and Word."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx

from conftest import compiled_document
from rpt.document import model as doc
from rpt.pipeline import compile_report
from rpt.render.docx import render_docx
from rpt.render.docx_tables import (
    COMPACT_TABLE_STYLES,
    FORM_HEAD,
    TABLE_STYLES,
    Layout,
    TableSizes,
    form_pages,
    row_lines,
    table_layout,
)
from rpt.render.markdown import render_markdown
from rpt.render.table_layout import column_needs, grid_slots, layout_columns

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REPORT = """\
---
title: 某单位决算
date: 2024-06-25
---
unit 分
# 部门概况

正文。

# 附件1 部门整体支出绩效自评报告 {attachment}

## 基本情况

正文　　不是签字行。

## 附件1-2 整体支出绩效自评表 {attachment}

table 自评表 "整体支出绩效自评表"
columns | 项目 | 分值: 分 |
header | 项目 | 分值 |
row 预算 | 预算执行率 | 10 |
end

说明：本表按年度填报。

填表人：梁杨仝　　填报日期：<date>　　联系电话：2711950

# 附件2 项目支出 {attachment}

table 项目表 "项目支出绩效自评表"
columns | 项目 | 分值: 分 |
row 预算 | 预算执行率 | 10 |
end
"""


def _document(tmp_path: Path, text: str = REPORT) -> doc.Document:
    return compiled_document(tmp_path, text)


def test_the_document_holds_label_title_form_and_sign_off(tmp_path: Path) -> None:
    blocks = _document(tmp_path).blocks
    headings = [(b.level, b.number, doc.plain_text(b.inlines), b.attachment) for b in blocks
                if isinstance(b, doc.Heading)]  # fmt: skip
    assert headings == [
        (1, "第一部分", "部门概况", False),
        (1, "附件1", "部门整体支出绩效自评报告", True),
        (2, "一、", "基本情况", False),  # numbered as before: attachments are unnumbered
        (2, "附件1-2", "整体支出绩效自评表", True),
        (1, "附件2", "项目支出", True),
    ]
    tables = [b for b in blocks if isinstance(b, doc.Table)]
    assert tables[0].caption == ()  # the title says it
    assert doc.plain_text(tables[1].caption) == "项目支出绩效自评表"  # the title does not
    [sign_off] = [b for b in blocks if isinstance(b, doc.SignOff)]
    assert [doc.plain_text(f) for f in sign_off.fields] == [
        "填表人：梁杨仝", "填报日期：2024年6月25日", "联系电话：2711950",
    ]  # fmt: skip
    # a line of text with two ideographic spaces is no sign-off line away from a form
    assert doc.Paragraph((doc.Text("正文　　不是签字行。"),)) in blocks


def test_markdown_prints_the_attachment_as_written(tmp_path: Path) -> None:
    markdown = render_markdown(_document(tmp_path))
    assert "### 附件1-2 整体支出绩效自评表\n\n| 项目 | 分值 |" in markdown
    assert "\n\n填表人：梁杨仝　　填报日期：2024年6月25日　　联系电话：2711950\n" in markdown


def test_word_starts_an_attachment_on_a_page_label_then_title(tmp_path: Path) -> None:
    opened: Any = docx.Document(io.BytesIO(render_docx(_document(tmp_path))))
    paragraphs = [p for p in opened.paragraphs if p.text]
    styled = [(p.style.name, p.text) for p in paragraphs]
    start = styled.index(("Attachment Label", "附件1-2"))
    assert styled[start + 1] == ("Attachment Title", "整体支出绩效自评表")
    title = paragraphs[start + 1]._p
    assert title.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == "1"
    label = opened.styles["Attachment Label"]
    assert label.paragraph_format.page_break_before
    assert label.paragraph_format.first_line_indent in (None, 0)


def test_word_sign_off_line_has_tab_stops_and_stays_with_its_form(tmp_path: Path) -> None:
    opened: Any = docx.Document(io.BytesIO(render_docx(_document(tmp_path))))
    [line] = [p for p in opened.paragraphs if p.style.name == "Form Sign-off"]
    assert line.text == "填表人：梁杨仝\t填报日期：2024年6月25日\t联系电话：2711950"
    stops = [(t.get(f"{W}val"), int(t.get(f"{W}pos"))) for t in line._p.iter(f"{W}tab")
             if t.get(f"{W}pos")]  # fmt: skip
    width = 11906 - 1587 - 1474
    assert stops == [("center", width // 2), ("right", width)]
    # the form's last row and the remark keep with the next: one page
    table = opened.tables[0]
    last = table.rows[-1]._tr
    assert last.xpath("./w:tc/w:p/w:pPr/w:keepNext")
    remark = next(p for p in opened.paragraphs if p.text.startswith("说明"))
    assert remark.paragraph_format.keep_with_next


def _table_styles(document: doc.Document) -> list[set[str]]:
    opened: Any = docx.Document(io.BytesIO(render_docx(document)))
    return [
        {p.style.name for row in table.rows for cell in row.cells for p in cell.paragraphs}
        for table in opened.tables
    ]


def test_a_form_too_long_for_its_page_in_wuhao_is_set_in_xiaowu_where_that_fits() -> None:
    """附件2-1, 2-3 and 2-4 of the example run onto another page in 五号 and fit
    their page in 小五 with their columns sized for the fewest lines: they are set
    in 小五. 附件2-2 misses its page in 小五 by a line: 小五 too, in lines a little
    tighter (below). 附件1-2 takes three pages in 五号 and two in 小五: 小五.
    Besides the forms, 公开02 and 公开03, whose labels have their lines only in 小五."""
    example = Path(__file__).parent.parent / "reports" / "huaihua-2023" / "report.rpt"
    result = compile_report(example, draft=True)
    assert result.document is not None
    styles = _table_styles(result.document)
    sizes = ["Compact" if "Compact Table Text" in found else "Small" for found in styles[-5:]]
    assert sizes == ["Compact"] * 5  # 附件1-2 … 2-4
    assert sum("Compact Table Text" in found for found in styles) == 7


def _rows(count: int) -> doc.Table:
    rows = tuple(doc.Row((doc.Cell((doc.Text("项目"),)),)) for _ in range(count))
    return doc.Table((), "", 1, rows, (1,))


def test_a_form_fits_its_page_with_its_frame() -> None:
    """One-line rows of 12 pt and their edges (0.5 pt), under the page less 88 pt
    of label and title and the 28 pt of the sign-off line."""
    height = 12756  # twips: A4 less GB/T 9704's margins
    assert FORM_HEAD == 1760
    layout = Layout([8845], 90, 240, TABLE_STYLES, 170, tight=False, edge=10, sign_off=560)
    fits = (height - FORM_HEAD - 560) // (240 + 10)  # 41 rows: 10250 twips
    assert fits == 41
    assert form_pages(grid_slots(_rows(fits)), layout, height) == 1
    assert form_pages(grid_slots(_rows(fits + 1)), layout, height) == 2
    assert form_pages(grid_slots(_rows(2 * fits)), layout, height) == 2
    assert form_pages(grid_slots(_rows(0)), layout, height) == 1


def test_a_form_over_two_pages_goes_on_at_the_head_of_a_section() -> None:
    """附件1-2 cannot fit its page: the rows of each of its sections (项目资金,
    年度总体目标, 绩效指标) keep with the next, so the second page opens with the
    绩效指标 header; the last row keeps with the sign-off. 附件2-2, a line too
    long for its page in 小五, states a tighter line in each of its cells, the
    empty ones under a merged cell too (232 twips, 11.6 pt, for its 43 lines and
    one to spare); 附件2-1, which fits, leaves its styles' line."""
    example = Path(__file__).parent.parent / "reports" / "huaihua-2023" / "report.rpt"
    result = compile_report(example, draft=True)
    assert result.document is not None
    opened: Any = docx.Document(io.BytesIO(render_docx(result.document)))
    table = opened.tables[-5]
    assert table.rows[10].cells[1].text == "一级指标"
    kept = [bool(row._tr.xpath("./w:tc/w:p/w:pPr/w:keepNext")) for row in table.rows]
    assert kept == [True] * 7 + [False, True, False] + [True] * 14

    def lines(table: Any) -> list[str]:
        return [p.get(f"{W}line", "") + p.get(f"{W}lineRule", "")
                for p in table._tbl.iter(f"{W}spacing")]  # fmt: skip

    paragraphs = sum(1 for _ in opened.tables[-3]._tbl.iter(f"{W}p"))
    assert lines(opened.tables[-3]) == ["232exact"] * paragraphs
    assert lines(opened.tables[-4]) == []


def test_a_form_a_little_too_long_for_its_page_is_set_in_tighter_lines() -> None:
    """Ten rows of two lines in 小五 and 2320 twips of frame (label, title,
    sign-off): at 7300 twips the page holds their 12 pt lines; at 7000 only
    lines of 218 twips, with one to spare, which the cells state; at 6900 they
    would be under 1.2 em (216 twips): the form takes its pages in 五号."""
    label = "保障劳动监察日常运行保障湖南省劳动保障监察信息平台正常运行" * 2
    numbers = tuple(doc.Cell((doc.Text(n),), align="right") for n in ("10", "8"))
    cells = (doc.Cell((doc.Text(label),)), doc.Cell((doc.Text("效果明显"),)), *numbers)
    table = doc.Table((), "", 4, tuple(doc.Row(cells) for _ in range(10)), (1, 1, 1, 1))
    slots = grid_slots(table)
    sizes = TableSizes(120, 105, 90, 360, 300, 240, 170, edge=10, sign_off=560)
    chosen = {}
    for height in (7300, 7000, 6900):
        layout = table_layout(table, slots, sizes, 8845, height, form=True)
        assert sum(row_lines(row, layout) for row in slots) == 20
        chosen[height] = (layout.styles.text.value, layout.line, layout.own_line)
    assert chosen == {
        7300: ("Compact Table Text", 240, False),
        7000: ("Compact Table Text", (7000 - 2320 - 10 * 10) // 21, True),
        6900: ("Small Table Text", 300, False),
    }


def test_only_a_form_is_set_in_xiaowu_to_fit_its_page() -> None:
    """附件2-4 without its sign-off is a table like any other: 五号, over the page."""
    example = Path(__file__).parent.parent / "reports" / "huaihua-2023" / "report.rpt"
    result = compile_report(example, draft=True)
    assert result.document is not None
    tables = [block for block in result.document.blocks if isinstance(block, doc.Table)]
    alone = doc.Document(result.document.meta, (tables[-1],))
    opened: Any = docx.Document(io.BytesIO(render_docx(alone)))
    styles = {
        p.style.name for row in opened.tables[0].rows for c in row.cells for p in c.paragraphs
    }
    assert "Small Table Text" in styles and "Compact Table Text" not in styles


HEAD_LINE = """\
---
title: 某单位决算
---
# 附件1-1 基础数据表 {attachment}
填报单位：某单位

table 人员 "人员情况"
columns | 编制: 人 | 在职: 人 |
header | 编制数 | 在职人数 |
row 本年 | 14 | 12 |
end

# 附件2 说明 {attachment}
本附件说明如下：各项均已完成。
"""


def test_a_line_of_one_field_under_the_title_is_the_forms_head_line(tmp_path: Path) -> None:
    """填报单位：… right under an attachment's title prints from the margin, as the
    sign-off does, and keeps with the form; Markdown prints it as written. A
    sentence there (its 。) is body text."""
    document = _document(tmp_path, HEAD_LINE)
    heads = [b for b in document.blocks if isinstance(b, doc.SignOff)]
    assert [[doc.plain_text(f) for f in b.fields] for b in heads] == [["填报单位：某单位"]]
    assert "基础数据表\n\n填报单位：某单位\n\n人员情况" in render_markdown(document)
    opened: Any = docx.Document(io.BytesIO(render_docx(document)))
    line = next(p for p in opened.paragraphs if p.text == "填报单位：某单位")
    assert line.style.name == "Form Sign-off"
    assert line.paragraph_format.keep_with_next
    assert not line._p.xpath("./w:pPr/w:tabs")  # one field: no tab stops, none empty
    sentence = next(p for p in opened.paragraphs if p.text.startswith("本附件"))
    assert sentence.style.name == "Body Text"


def test_columns_sized_for_the_fewest_lines_save_lines_and_keep_the_minimums() -> None:
    """附件2-1 in 小五 (9 pt digits 90 twips, cell margins 170, the text width
    8845): moving width between columns takes its rows from 43 lines to 38 (a
    label that fitted by half a twip counts as not fitting); no column goes under
    the width its numbers and dates need, and the widths still fill the line."""
    example = Path(__file__).parent.parent / "reports" / "huaihua-2023" / "report.rpt"
    result = compile_report(example, draft=True)
    assert result.document is not None
    forms = [b for b in result.document.blocks if isinstance(b, doc.Table) and b.columns == 9]
    table = forms[1]  # 附件2-1
    slots = grid_slots(table)
    needs = column_needs(table, slots)
    lines = {}
    for short in (False, True):
        grid, tight = layout_columns(table, needs, 90, 170, 8845, short=short)
        assert sum(grid) == 8845 and tight
        assert all(width >= 170 + 90 * need.tight for width, need in zip(grid, needs, strict=True))
        layout = Layout(grid, 90, 240, COMPACT_TABLE_STYLES, 170, tight)
        lines[short] = sum(row_lines(row, layout) for row in slots)
    assert (lines[False], lines[True]) == (43, 38)


def test_a_form_in_its_own_size_keeps_a_section_only_where_it_fits_a_page(
    tmp_path: Path,
) -> None:
    """A form of three columns is set in 小四 (18 pt lines): its first section is
    kept whole; its second, 34 rows of a line each, is taller than a page
    (12750 twips of 12116 under the sign-off), so it may break: only its header
    and its last two rows keep with the next."""
    rows = "".join(f"row 第{n} | 第{n}项 | {n} | {n} |\n" for n in range(34))
    text = (
        "---\ntitle: 某单位决算\n---\n# 附件1 表 {attachment}\n\n"
        'table 表 "表"\ncolumns | 项目 | 预算: 万元 | 决算: 万元 |\n'
        "header | 项目 | 预算数 | 决算数 |\n"
        "row 甲 | 甲 | 1 | 1 |\nrow 乙 | 乙 | 1 | 1 |\nrow 丙 | 丙 | 1 | 1 |\n"
        "header | 明细 | 预算数 | 决算数 |\n" + rows + "end\n\n"
        "填表人：梁杨仝　　填报日期：2024年6月25日\n"
    )
    opened: Any = docx.Document(io.BytesIO(render_docx(_document(tmp_path, text))))
    [table] = opened.tables
    styles = {p.style.name for c in table.rows[5].cells for p in c.paragraphs}
    assert styles == {"Table Text", "Table Number"}  # 小四, not 五号
    kept = [bool(row._tr.xpath("./w:tc/w:p/w:pPr/w:keepNext")) for row in table.rows]
    assert len(kept) == 39
    assert kept[:4] == [True, True, True, False]  # the first section whole
    assert kept[4:] == [True] + [False] * 32 + [True, True]


def test_two_sign_off_lines_stay_with_their_form(tmp_path: Path) -> None:
    """填报单位 and 填报日期 on lines of their own under a form: the form, the
    first line and the second keep together, so that neither is left alone on
    the next page."""
    text = (
        "---\ntitle: 某单位决算\ndate: 2023-08-28\n---\nunit 分\n# 附件 自评表 {attachment}\n\n"
        'table 表 "表"\ncolumns | 项目 | 分值: 分 |\nheader | 项目 | 分值 |\n'
        "row 甲 | 预算执行率 | 10 |\nend\n\n填报单位：某单位\n\n填报日期：<date>\n"
    )
    opened: Any = docx.Document(io.BytesIO(render_docx(_document(tmp_path, text))))
    lines = [p for p in opened.paragraphs if p.style.name == "Form Sign-off"]
    assert [p.text for p in lines] == ["填报单位：某单位", "填报日期：2023年8月28日"]
    assert [bool(p.paragraph_format.keep_with_next) for p in lines] == [True, False]
    assert opened.tables[0].rows[-1]._tr.xpath("./w:tc/w:p/w:pPr/w:keepNext")
