"""Golden files: each `.rpt` under tests/golden/ next to the output it must give.

- golden/md/NAME.rpt → NAME.md, the Markdown it builds to;
- golden/errors/CODE-kind/NAME.rpt → NAME.txt, the diagnostics it gives, which
  must include CODE.

Regenerate after an intended change with RPT_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import UPDATE_GOLDEN
from rpt.base.codes import Code
from rpt.base.diagnostics import render_all_text
from rpt.pipeline import compile_report
from rpt.render.markdown import render_markdown

GOLDEN = Path(__file__).parent / "golden"
MARKDOWN_CASES = sorted((GOLDEN / "md").glob("*.rpt"))
ERROR_CASES = sorted((GOLDEN / "errors").glob("*/*.rpt"))


def _compare(expected_path: Path, actual: str) -> None:
    if UPDATE_GOLDEN:
        expected_path.write_text(actual, encoding="utf-8")
    assert expected_path.exists(), f"no golden file {expected_path}; run with RPT_UPDATE_GOLDEN=1"
    assert actual == expected_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", MARKDOWN_CASES, ids=lambda p: p.stem)
def test_markdown(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case.parent)
    result = compile_report(Path(case.name))
    assert result.document is not None, render_all_text(result.diagnostics)
    _compare(case.with_suffix(".md"), render_markdown(result.document))


@pytest.mark.parametrize("case", ERROR_CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_diagnostics(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case.parent)
    result = compile_report(Path(case.name))
    assert result.document is None or result.diagnostics
    code = case.parent.name.split("-")[0]
    assert code in {d.code.code for d in result.diagnostics}, render_all_text(result.diagnostics)
    _compare(case.with_suffix(".txt"), render_all_text(result.diagnostics))


def test_every_code_has_a_corpus() -> None:
    corpora = {path.name.split("-")[0] for path in (GOLDEN / "errors").iterdir()}
    missing = [code.code for code in Code if code.code not in corpora]
    assert not missing, f"error codes without a golden corpus: {missing}"
