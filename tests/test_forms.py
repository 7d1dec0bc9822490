"""`number 公开01表`: a standard form's frame, its number above the caption and the
issuer (编制单位) with the unit note on the line under it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx

from conftest import compiled_document
from rpt.base.diagnostics import Diagnostics
from rpt.document import model as doc
from rpt.render.docx import render_docx
from rpt.render.markdown import render_markdown
from rpt.syntax.canonical import layout
from rpt.syntax.read import read_source

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REPORT = """\
---
title: 测试报告
organisation: 某单位
---
table 收支表 "收入支出决算总表"
number 公开01表
unit 万元
columns | 项目 | 决算数: 万元 |
row 收入 | 财政拨款收入 | 216.53 |
end
"""


def _document(tmp_path: Path, text: str = REPORT) -> doc.Document:
    return compiled_document(tmp_path, text)


def test_the_table_carries_its_form_and_issuer(tmp_path: Path) -> None:
    [table] = _document(tmp_path).blocks
    assert isinstance(table, doc.Table)
    assert (table.number, table.issuer, table.unit_note) == (
        "公开01表",
        "编制单位：某单位",
        "单位：万元",
    )
    [plain] = _document(tmp_path, REPORT.replace("number 公开01表\n", "")).blocks
    assert isinstance(plain, doc.Table) and (plain.number, plain.issuer) == ("", "")


def test_markdown_and_word_print_the_frame(tmp_path: Path) -> None:
    document = _document(tmp_path)
    assert "公开01表\n\n收入支出决算总表\n\n编制单位：某单位　　单位：万元\n" in render_markdown(
        document
    )
    opened: Any = docx.Document(io.BytesIO(render_docx(document)))
    styled = [(p.style.name, p.text) for p in opened.paragraphs if p.text][2:]
    assert styled == [
        ("Form Number", "公开01表"),
        ("Table Caption", "收入支出决算总表"),
        ("Form Issuer", "编制单位：某单位\t单位：万元"),
    ]
    issuer = opened.styles["Form Issuer"].element
    stop = issuer.find(f"{W}pPr/{W}tabs/{W}tab")
    assert (stop.get(f"{W}val"), stop.get(f"{W}pos")) == ("right", str(11906 - 1587 - 1474))


def test_fmt_keeps_the_number_line() -> None:
    source = read_source("x.rpt", REPORT.encode("utf-8"), Diagnostics())
    assert source is not None
    assert "\nnumber 公开01表\n" in layout(source)
