"""`cover: yes` and `toc: yes`: a cover page and a 目录 in a section of their own,
without page numbers; the 目录 a TOC field with its entries written in, and
their page numbers in the PDF (found by a first printing)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest

from conftest import compiled_document
from rpt.base.codes import Code
from rpt.cli import main
from rpt.document import model as doc
from rpt.pipeline import compile_report
from rpt.render.docx import render_docx
from rpt.render.docx_front import TocEntry, toc_entries
from rpt.render.pdf import toc_pages

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REPORT = """\
---
title: 测试报告
organisation: 某单位
date: 2024-03-01
cover: yes
toc: yes
---
# 概况

## 职责

正文。

### 不在目录

正文。

# 附件1 绩效自评表 {attachment}

正文。
"""


def _document(tmp_path: Path, text: str = REPORT) -> doc.Document:
    return compiled_document(tmp_path, text)


def test_settings_are_yes_or_no(tmp_path: Path) -> None:
    meta = _document(tmp_path).meta
    assert meta.cover and meta.toc
    (tmp_path / "main.rpt").write_text(REPORT.replace("toc: yes", "toc: maybe"), "utf-8")
    [diagnostic] = compile_report(tmp_path / "main.rpt").diagnostics
    assert diagnostic.code is Code.BAD_HEADER


def test_the_entries_are_the_first_two_levels_and_attachments(tmp_path: Path) -> None:
    assert toc_entries(_document(tmp_path)) == [
        TocEntry(1, "第一部分 概况", "第一部分 概况"),
        TocEntry(2, "一、职责", "一、职责"),
        TocEntry(1, "附件1 绩效自评表", "附件1"),
    ]


def test_word_file_cover_toc_field_and_sections(tmp_path: Path) -> None:
    data = render_docx(_document(tmp_path), toc_pages=("1", "1", ""))
    opened: Any = docx.Document(io.BytesIO(data))
    styled = [(p.style.name, p.text) for p in opened.paragraphs][:9]
    assert styled == [
        ("Cover Title", "测试报告"),
        ("Cover Organisation", "某单位"),
        ("Cover Date", "2024年3月1日"),
        ("TOC Heading", "目录"),
        ("toc 1", "第一部分 概况\t1"),
        ("toc 2", "一、职责\t1"),
        ("toc 1", "附件1 绩效自评表\t"),  # not found: left to the field's update
        ("Normal", ""),  # the section break
        ("Heading 1", "第一部分 概况"),
    ]
    body = opened.element.body
    instructions = "".join(t.text for t in body.iter(f"{W}instrText"))
    assert instructions == ' TOC \\o "1-2" \\h \\u '
    kinds = [c.get(f"{W}fldCharType") for c in body.iter(f"{W}fldChar")]
    assert kinds == ["begin", "separate", "end"]
    sections = list(body.iter(f"{W}sectPr"))
    assert len(sections) == 2
    assert sections[0].find(f"{W}footerReference") is None  # no page numbers
    assert sections[1].find(f"{W}pgNumType").get(f"{W}start") == "1"
    settings = zipfile.ZipFile(io.BytesIO(data)).read("word/settings.xml")
    assert b'<w:updateFields w:val="true"/>' in settings


def test_without_cover_the_title_block_opens_the_report(tmp_path: Path) -> None:
    text = REPORT.replace("cover: yes\n", "")
    opened: Any = docx.Document(io.BytesIO(render_docx(_document(tmp_path, text))))
    names = [p.style.name for p in opened.paragraphs]
    assert names[0] == "TOC Heading" and "Cover Title" not in names
    assert names.index("Title") > names.index("toc 1")


def test_toc_pages_are_read_after_the_toc() -> None:
    entries = [
        TocEntry(1, "第一部分 概况", "第一部分 概况"),
        TocEntry(2, "一、职责", "一、职责"),
        TocEntry(1, "附件1 绩效自评表", "附件1"),
        TocEntry(1, "第三部分 没有", "第三部分 没有"),
    ]
    pages = [
        "测试报告\n某单位",
        "目录\n第一部分 概况....1\n一、职责.......1\n",
        "附件1 绩效自评表.....\n第三部分 没有....",
        "  第一部分 概况\n正文提到一、职责。\n",
        "一、职责\n正文。\n",
        "附件1\n绩效自评表\n",
    ]
    assert toc_pages(pages, entries) == ("1", "2", "3", "")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_pdf_toc_has_page_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.rpt").write_text(REPORT, encoding="utf-8")
    assert main(["build", "r.rpt", "--to", "pdf"]) == 0
    shown = subprocess.run(
        ["pdftotext", "-layout", "r.pdf", "-"], capture_output=True, check=True, text=True
    ).stdout.split("\f")
    lines = [line.replace(" ", "") for line in shown[1].splitlines() if "…" in line or ".." in line]
    assert [line.rstrip("0123456789")[-1] + line[-1] for line in lines] == [".1", ".1", ".2"]
    assert "—1—" in shown[2].replace(" ", "") and "—" not in shown[0] + shown[1]
