"""The published 2023 report, transcribed as published, fails with exactly the
errors the department made.

reports/huaihua-2023/invalid/as-published.rpt keeps the seed's wording, typos
and wrong numbers; its checks state what the document itself claims. Every
diagnostic is one finding of reports/huaihua-2023/FINDINGS.md, which cites each
by its place (file:line). Regenerate the golden file with RPT_UPDATE_GOLDEN=1
and review the diff (and FINDINGS.md) after an intended change.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import UPDATE_GOLDEN
from rpt.diagnostics import render_all_text
from rpt.pipeline import Compilation, compile_report

ROOT = Path(__file__).parent.parent
REPORT = Path("reports/huaihua-2023/invalid/as-published.rpt")
GOLDEN = Path(__file__).parent / "golden" / "as-published" / "diagnostics.txt"
FINDINGS = ROOT / "reports" / "huaihua-2023" / "FINDINGS.md"

# E501 failed checks, E401 a ratio against a zero budget, E301 a target printed
# without the unit of its result: the kinds of error the department made; W501
# a check the printed figures fail but their rounding allows.
EXPECTED_CODES = {"E301", "E401", "E501", "W501"}


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> Compilation:
    # compile from the repository root, so paths in diagnostics do not depend on
    # where pytest was started
    monkeypatch.chdir(ROOT)
    return compile_report(REPORT)


def test_matches_golden(compiled: Compilation) -> None:
    actual = render_all_text(compiled.diagnostics)
    if UPDATE_GOLDEN:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(actual, encoding="utf-8")
    assert GOLDEN.exists(), f"no golden file {GOLDEN}; run with RPT_UPDATE_GOLDEN=1"
    assert actual == GOLDEN.read_text(encoding="utf-8")


def test_fails_only_with_findings(compiled: Compilation) -> None:
    assert compiled.document is None
    codes = {d.code.code for d in compiled.diagnostics}
    assert codes == EXPECTED_CODES, render_all_text(compiled.diagnostics)
    # no syntax, name or unit mistakes of the transcription itself
    assert not [c for c in codes if c.startswith(("E1", "E2", "W1"))]


def test_every_diagnostic_is_a_finding(compiled: Compilation) -> None:
    """FINDINGS.md cites the place of every diagnostic, and of nothing else."""
    places = []
    for diagnostic in compiled.diagnostics:
        assert diagnostic.span is not None
        path, line, _ = diagnostic.span.location().rsplit(":", 2)
        places.append(f"{Path(path).name}:{line}")
    assert len(set(places)) == len(places), "two diagnostics on one line"
    cited = re.findall(r"invalid/([\w.-]+\.rpti?:\d+)", FINDINGS.read_text(encoding="utf-8"))
    assert len(set(cited)) == len(cited), "a place cited twice in FINDINGS.md"
    assert sorted(cited) == sorted(places)
