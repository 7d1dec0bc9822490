"""--to pdf: the DOCX printed by LibreOffice, byte-stable, with a clear error without it."""

from __future__ import annotations

import datetime
import itertools
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pdf_glyphs import face_glyph, shown_glyphs
from rpt.base.record import replace
from rpt.cli import main
from rpt.document import model as doc
from rpt.pipeline import compile_report
from rpt.render.pdf import render_pdf, stable

REPORT = """\
---
title: 测试报告
date: 2024-03-01
---
# 一、收入

let 收入 = 216.53 万元

本年收入<收入>。
"""

EXAMPLE = Path(__file__).parent.parent / "reports" / "huaihua-2023" / "report.rpt"
needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice is not installed: the error path is tested instead",
)


def test_without_libreoffice_pdf_is_a_usage_error_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-bin"))
    (tmp_path / "r.rpt").write_text(REPORT, encoding="utf-8")
    assert main(["build", "r.rpt", "--to", "md,pdf"]) == 2
    said = capsys.readouterr().err
    assert "--to pdf needs LibreOffice" in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.rpt"]


def test_stable_sets_dates_and_identifier_keeping_every_offset() -> None:
    pdf = (
        b"%PDF-1.7\n1 0 obj<</CreationDate(D:20261201112233+01'00')"
        b"/ModDate(D:20261201112233+01'00')>>endobj\n"
        b"trailer<</ID [ <0123456789ABCDEF0123456789ABCDEF>\n<0123456789ABCDEF0123456789ABCDEF> ]\n"
        b"/DocChecksum /0123456789ABCDEF0123456789ABCDEF>>"
    )
    when = datetime.datetime(2024, 3, 1, tzinfo=datetime.UTC)
    once = stable(pdf, when)
    assert len(once) == len(pdf)
    assert b"/CreationDate(D:20240301000000Z')" in once
    assert b"/ModDate(D:20240301000000Z')" in once
    assert b"0123456789ABCDEF" not in once
    assert stable(once, when) == once
    # Another run of LibreOffice differs only in its dates and identifier.
    other = pdf.replace(b"112233", b"235959").replace(b"0123456789ABCDEF", b"FEDCBA9876543210")
    assert stable(other, when) == once


@needs_libreoffice
def test_pdf_is_printed_byte_stable_with_the_mapped_fonts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    (tmp_path / "r.rpt").write_text(REPORT, encoding="utf-8")
    assert main(["build", "r.rpt", "--to", "pdf", "-o", "one.pdf"]) == 0
    assert main(["build", "r.rpt", "--to", "pdf", "-o", "two.pdf"]) == 0
    first = (tmp_path / "one.pdf").read_bytes()
    assert first.startswith(b"%PDF-")
    assert first == (tmp_path / "two.pdf").read_bytes()
    assert b"/CreationDate(D:20240301000000Z')" in first
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "one.pdf", "-"], capture_output=True, check=True, text=True
        ).stdout
        assert "本年收入216.53万元。" in re.sub(r"\s", "", text)
    if shutil.which("pdffonts"):
        fonts = subprocess.run(
            ["pdffonts", "one.pdf"], capture_output=True, check=True, text=True
        ).stdout
        # 黑体 headings and 仿宋 body text come out in the families mapped for them.
        installed = subprocess.run(["fc-list"], capture_output=True, check=True, text=True).stdout
        if "Noto Sans CJK SC" in installed and "Noto Serif CJK SC" in installed:
            assert "NotoSansCJK" in fonts
            assert "NotoSerifCJK" in fonts
            # in the Simplified Chinese forms: 收 and 入 of the heading (黑体) and
            # of the text (仿宋) are the SC faces' glyphs, not the JP ones, which
            # the same files hold (and whose shared name every subset bears)
            shown = shown_glyphs(first)
            for family, subset in (
                ("Noto Sans CJK", "NotoSansCJK"),
                ("Noto Serif CJK", "NotoSerifCJK"),
            ):
                faces = {region: _face(f"{family} {region}") for region in ("SC", "JP")}
                for char in "收入":
                    [cid] = [cid for name, cid in shown[char] if name.startswith(subset)]
                    assert cid == face_glyph(*faces["SC"], char) != face_glyph(*faces["JP"], char)


def _face(family: str) -> tuple[Path, int]:
    """The file and the index in it of an installed font face, as fontconfig has it."""
    found = subprocess.run(
        ["fc-match", "-f", "%{file}:%{index}", family], capture_output=True, check=True, text=True
    ).stdout
    path, index = found.rsplit(":", 1)
    return Path(path), int(index)


@needs_libreoffice
def test_a_full_line_holds_28_characters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GB/T 9704 §5.2.2: 28 characters a line. The first line of a paragraph is
    indented by two, so it holds 26; the ones after it 28."""
    monkeypatch.chdir(tmp_path)
    text = "财政拨款收入支出决算总表说明" * 8  # 112 characters, no Latin
    (tmp_path / "r.rpt").write_text(
        f"---\ntitle: 测试报告\ndate: 2024-03-01\n---\n{text}\n", encoding="utf-8"
    )
    assert main(["build", "r.rpt", "--to", "pdf"]) == 0
    shown = subprocess.run(
        ["pdftotext", "-layout", "r.pdf", "-"], capture_output=True, check=True, text=True
    ).stdout
    lines = [
        line.replace(" ", "") for line in shown.splitlines() if "财政" in line or "说明" in line
    ]
    assert [len(line) for line in lines] == [26, 28, 28, 28, 2]


def _form_attachments() -> doc.Document:
    """The example's attachments that hold a form (附件1-1 … 2-4), alone: each
    starts its page as in the whole report, so its pages are the same, and one
    printing of a few pages costs a few seconds."""
    result = compile_report(EXAMPLE, draft=True, facts=False)
    assert result.document is not None
    blocks = result.document.blocks
    starts = [i for i, b in enumerate(blocks) if isinstance(b, doc.Heading) and b.attachment]
    kept: list[doc.Block] = []
    for start, end in itertools.pairwise([*starts, len(blocks)]):
        if any(isinstance(block, doc.SignOff) for block in blocks[start:end]):
            kept.extend(blocks[start:end])
    bare = replace(
        result.document.meta, title="", subtitle="", organisation="", cover=False, toc=False
    )
    return doc.Document(bare, tuple(kept))


@needs_libreoffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_each_form_is_on_the_pages_the_layout_meant(tmp_path: Path) -> None:
    """The real layout, as LibreOffice prints it, not the renderer's estimate:
    each 附件 starts a page; a form that fits its page (in 五号, or in 小五, or
    in 小五 with lines a little tighter: 附件2-2) is on one page with its
    sign-off; 附件1-1 (four tables) fits in neither and goes on over one more
    page; 附件1-2 takes two pages in 小五 (three in 五号), the second at the head
    of its 绩效指标 section. On a page a form goes on to, the sign-off has more
    than one row above it."""
    pdf = tmp_path / "forms.pdf"
    pdf.write_bytes(render_pdf(_form_attachments(), "gbt9704", "rpt"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    pages = [[re.sub(r"\s", "", line) for line in page.splitlines() if line.strip()]
             for page in text.split("\f")[:-1]]  # fmt: skip
    labels = [page[0] if page[0].startswith("附件") else "" for page in pages]
    assert labels == ["附件1-1", "", "附件1-2", "", "附件2-1", "附件2-2", "附件2-3", "附件2-4"]
    starts = [index for index, label in enumerate(labels) if label]
    for start, end in itertools.pairwise([*starts, len(pages)]):
        signed = [[line.startswith("填表人") for line in page] for page in pages[start:end]]
        assert [sum(lines) for lines in signed] == [0] * (end - start - 1) + [1]
        if end - start > 1:  # the page a form goes on to: rows above its sign-off
            assert signed[-1].index(True) >= 3
    # 附件1-2 goes on with its 绩效指标 section, whose header (its tallest cell
    # 偏差原因分析及改进措施 wrapped in lines) opens the page
    assert any(line.startswith("一级指标") for line in pages[3][:4])
