"""Draft and final builds: notes to reviewers print in a draft only, and a figure
not available yet (`?`) prints marked in a draft and is refused in a final build."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from rpt.base.codes import Code
from rpt.cli import main
from rpt.pipeline import Compilation, compile_report
from rpt.render import RENDERERS, RenderOptions
from rpt.render.markdown import render_markdown

REPORT = """\
---
title: 某单位决算
---
let 基本 = 175.24 万元

# 支出决算

note 原报告此处仅注明“见附表”，
note 附表未随文公开（基本支出<基本>）。
支出合计见下表。

table 支出表 "支出决算表"
columns | 项目 | 决算数: 万元 |
row 基本 | 基本支出 | = 基本 |
row 项目 | 项目支出 | ? |
end
"""


def _build(tmp_path: Path, text: str, *, draft: bool) -> Compilation:
    (tmp_path / "main.rpt").write_text(text, encoding="utf-8")
    return compile_report(tmp_path / "main.rpt", draft=draft)


def test_a_final_build_refuses_a_placeholder_and_prints_no_note(tmp_path: Path) -> None:
    final = _build(tmp_path, REPORT, draft=False)
    [diagnostic] = final.diagnostics
    assert diagnostic.code is Code.PLACEHOLDER
    assert diagnostic.span is not None and diagnostic.span.text() == "?"
    without = _build(tmp_path, REPORT.replace("| ? |", "| 42.67 |"), draft=False)
    assert without.document is not None
    markdown = render_markdown(without.document)
    assert "原报告" not in markdown and "审阅说明" not in markdown
    assert "支出合计见下表。" in markdown


def test_a_draft_prints_notes_and_marked_placeholders(tmp_path: Path) -> None:
    draft = _build(tmp_path, REPORT, draft=True)
    assert draft.document is not None, draft.diagnostics
    markdown = render_markdown(draft.document)
    assert (
        "> **审阅说明：**原报告此处仅注明“见附表”，附表未随文公开（基本支出175.24万元）。"
        in markdown
    )
    assert '<td>项目支出</td><td align="right"><mark>未列</mark></td>' in markdown


def test_the_placeholder_word_is_a_setting(tmp_path: Path) -> None:
    text = REPORT.replace("title: 某单位决算", "title: 某单位决算\nplaceholder: 待补")
    draft = _build(tmp_path, text, draft=True)
    assert draft.document is not None
    assert "<mark>待补</mark>" in render_markdown(draft.document)


def test_the_draft_docx_marks_notes_and_placeholders(tmp_path: Path) -> None:
    draft = _build(tmp_path, REPORT, draft=True)
    assert draft.document is not None
    data = RENDERERS["docx"].render(draft.document, RenderOptions())
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert '<w:pStyle w:val="ReviewerNote"/>' in xml
    assert '<w:rStyle w:val="Placeholder"/></w:rPr><w:t>未列</w:t>' in xml
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert '<w:highlight w:val="yellow"/>' in styles


@pytest.mark.parametrize("draft", [False, True])
def test_the_command_line(tmp_path: Path, draft: bool, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "main.rpt").write_text(REPORT, encoding="utf-8")
    arguments = ["build", str(tmp_path / "main.rpt"), *(["--draft"] if draft else [])]
    assert main(arguments) == (0 if draft else 1)
    assert (tmp_path / "main.md").exists() is draft
    assert ("E701" in capsys.readouterr().err) is not draft


def test_notes_and_placeholders_survive_fmt(tmp_path: Path) -> None:
    (tmp_path / "main.rpt").write_text(REPORT, encoding="utf-8")
    assert main(["fmt", str(tmp_path / "main.rpt")]) == 0
    laid = (tmp_path / "main.rpt").read_text(encoding="utf-8")
    assert "note 附表未随文公开（基本支出<基本>）。" in laid
    assert "row 项目 | 项目支出 | ?            |" in laid


def test_a_note_ends_at_the_next_paragraph(tmp_path: Path) -> None:
    draft = _build(tmp_path, "note 甲\n乙\n\nnote 丙\n", draft=True)
    assert draft.document is not None
    assert [block.kind for block in draft.document.blocks] == ["note", "paragraph", "note"]
