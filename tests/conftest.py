"""Shared helpers: compile a source text in a scratch directory."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rpt.pipeline import Compilation, compile_report

UPDATE_GOLDEN = os.environ.get("RPT_UPDATE_GOLDEN") == "1"


@pytest.fixture
def compile_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Compilation]]:
    """Write `text` to main.rpt (and `files` beside it) and compile it from that directory."""
    monkeypatch.chdir(tmp_path)

    def run(text: str, **files: str) -> Compilation:
        for name, content in files.items():
            (tmp_path / name).write_text(content, encoding="utf-8")
        main = tmp_path / "main.rpt"
        main.write_text(text, encoding="utf-8")
        return compile_report(Path("main.rpt"))

    yield run
