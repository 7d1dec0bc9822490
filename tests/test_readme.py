"""The README's tour compiles and prints what the README says it prints."""

from __future__ import annotations

import re
from pathlib import Path

from rpt.base.diagnostics import render_all_text
from rpt.pipeline import compile_report
from rpt.render.markdown import render_markdown

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_tour_compiles(tmp_path: Path) -> None:
    [tour] = re.findall(r"```rpt\n(.*?)```", README, re.S)
    (tmp_path / "figures.rpti").write_text("let 编制 = 14 人\n", encoding="utf-8")
    (tmp_path / "tour.rpt").write_text(tour, encoding="utf-8")
    result = compile_report(tmp_path / "tour.rpt")
    assert result.document is not None, render_all_text(result.diagnostics)
    markdown = render_markdown(result.document)
    [printed] = re.findall(r"`(2023年度收入合计.*?)`", README)
    assert printed in markdown.replace("\n", "")
    assert "| 财政拨款收入 | 216.53 | 99% |" in markdown
    assert "| 合计 | 217.91 | 100% |" in markdown
