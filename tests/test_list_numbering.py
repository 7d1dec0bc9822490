"""Numbered lists take the number after their heading's in GB/T 9704's sequence:
no `1.` list directly under a `1.` heading, but （1）, and ① under （1）."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import pytest

from rpt.document import model as doc
from rpt.pipeline import compile_report
from rpt.render.docx import render_docx
from rpt.render.markdown import render_markdown

REPORT = """\
---
title: 某单位决算
---
# 部门概况

1. 第一部分下

## 职责

1. 一、下

#### 四级

1. 甲
2. 乙

##### 五级

1. 丙

#### 不编号 {-}

1. 丁
"""


@pytest.fixture
def document(tmp_path: Path) -> doc.Document:
    (tmp_path / "main.rpt").write_text(REPORT, encoding="utf-8")
    result = compile_report(tmp_path / "main.rpt")
    assert result.document is not None, result.diagnostics
    return result.document


def test_lists_follow_the_heading_numbers(document: doc.Document) -> None:
    lists = [b for b in document.blocks if isinstance(b, doc.ListBlock)]
    assert [b.numbering for b in lists] == ["{1}.", "{1}.", "（{1}）", "{①}", "（{1}）"]


def test_word_prints_the_numbers(document: doc.Document) -> None:
    opened: Any = docx.Document(io.BytesIO(render_docx(document)))
    items = [p.text for p in opened.paragraphs if p.style.name == "List Number"]
    assert items == ["1.第一部分下", "1.一、下", "（1）甲", "（2）乙", "①丙", "（1）丁"]


def test_markdown_keeps_only_arabic_lists_as_lists(document: doc.Document) -> None:
    markdown = render_markdown(document)
    assert "\n1. 一、下\n" in markdown
    assert "\n（1）甲\n\n（2）乙\n" in markdown
    assert "\n①丙\n" in markdown


def test_item_numbers() -> None:
    assert doc.item_number("（{1}）", 12) == "（12）"
    assert doc.item_number("{①}", 20) == "⑳"
    assert doc.item_number("{①}", 21) == "(21)"
    assert doc.number_prefix("③") == "③"
