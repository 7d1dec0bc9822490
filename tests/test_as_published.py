"""The published 2023 report, transcribed as published, fails with exactly the
errors the department made, and says how sure each one is.

reports/huaihua-2023/invalid/as-published.rpt keeps the seed's wording, typos
and wrong numbers; its checks state what the document itself claims. Every
diagnostic is one entry of reports/huaihua-2023/FINDINGS.md, which cites each
by its place (file:line) in the section of its certainty: an error (provably
wrong, whatever the rounding of the printed figures) under 确定错误, a warning
(W501, unconfirmed: the rounding allows it) under 无法确认. Entries under 不算错误
(conventions and readings under which the text is right) cite no place, as they
have no diagnostic. The counts FINDINGS.md and README.md state are checked
against the diagnostics. Regenerate the golden file with RPT_UPDATE_GOLDEN=1 and
review the diff (and FINDINGS.md) after an intended change.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import UPDATE_GOLDEN
from rpt.base.diagnostics import Diagnostic, Severity, render_all_text
from rpt.pipeline import Compilation, compile_report

ROOT = Path(__file__).parent.parent
REPORT = Path("reports/huaihua-2023/invalid/as-published.rpt")
GOLDEN = Path(__file__).parent / "golden" / "as-published" / "diagnostics.txt"
FINDINGS = ROOT / "reports" / "huaihua-2023" / "FINDINGS.md"
README = ROOT / "README.md"

# E501 checks that no rounding of the printed figures can satisfy, E401 a ratio
# against a zero budget: the errors the department made. W501 a check the
# printed figures fail but their rounding allows.
EXPECTED_CODES = {"E401", "E501", "W501"}
EXPECTED_ERRORS = 35
EXPECTED_WARNINGS = 1

# the sections of FINDINGS.md, by certainty, and the rows of its summary table
PROVEN = "确定错误"
UNCONFIRMED = "无法确认"
NOT_ERRORS = "不算错误"

PLACE = re.compile(r"invalid/([\w.-]+\.rpti?:\d+)")
ENTRY = re.compile(r"^#### (\d+)\. ", re.MULTILINE)


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> Compilation:
    # compile from the repository root, so paths in diagnostics do not depend on
    # where pytest was started
    monkeypatch.chdir(ROOT)
    return compile_report(REPORT)


def _place(diagnostic: Diagnostic) -> str:
    assert diagnostic.span is not None
    path, line, _ = diagnostic.span.location().rsplit(":", 2)
    return f"{Path(path).name}:{line}"


def _errors(compiled: Compilation) -> list[Diagnostic]:
    return [d for d in compiled.diagnostics if d.severity is Severity.ERROR]


def _warnings(compiled: Compilation) -> list[Diagnostic]:
    return [d for d in compiled.diagnostics if d.severity is Severity.WARNING]


class _Sections:
    """FINDINGS.md's top-level sections (## …), found by how their title starts."""

    def __init__(self) -> None:
        text = FINDINGS.read_text(encoding="utf-8")
        self.bodies: dict[str, str] = {}
        for part in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
            title, _, body = part.partition("\n")
            self.bodies[title] = body

    def __getitem__(self, start: str) -> str:
        found = [body for title, body in self.bodies.items() if title.startswith(start)]
        assert len(found) == 1, f"FINDINGS.md has {len(found)} sections ## {start}…"
        return found[0]


def _sections() -> _Sections:
    return _Sections()


def _stated_counts() -> dict[str, int]:
    """The 处数 of each certainty, from FINDINGS.md's summary table."""
    counts = {}
    for row in _sections()["汇总"].splitlines():
        if not row.startswith("|"):
            continue
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        for certainty in (PROVEN, UNCONFIRMED, NOT_ERRORS):
            if cells[0].startswith(certainty):
                counts[certainty] = int(cells[2])
    assert set(counts) == {PROVEN, UNCONFIRMED, NOT_ERRORS}, "summary table rows missing"
    return counts


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


def test_errors_and_warnings(compiled: Compilation) -> None:
    """The split: errors are provably wrong, the warnings only unconfirmed."""
    errors, warnings = _errors(compiled), _warnings(compiled)
    assert len(errors) == EXPECTED_ERRORS, render_all_text(compiled.diagnostics)
    assert len(warnings) == EXPECTED_WARNINGS, render_all_text(compiled.diagnostics)
    assert {d.code.code for d in warnings} == {"W501"}
    assert len(errors) + len(warnings) == len(compiled.diagnostics)


def test_every_diagnostic_is_a_finding(compiled: Compilation) -> None:
    """FINDINGS.md cites the place of every diagnostic, and of nothing else."""
    places = [_place(d) for d in compiled.diagnostics]
    assert len(set(places)) == len(places), "two diagnostics on one line"
    cited = PLACE.findall(FINDINGS.read_text(encoding="utf-8"))
    assert len(set(cited)) == len(cited), "a place cited twice in FINDINGS.md"
    assert sorted(cited) == sorted(places)


def test_each_finding_is_filed_under_its_certainty(compiled: Compilation) -> None:
    """An error is cited under 确定错误, a warning under 无法确认, and the
    entries under 不算错误 cite nothing; each entry cites one place."""
    sections = _sections()
    assert sorted(PLACE.findall(sections[PROVEN])) == sorted(map(_place, _errors(compiled)))
    assert sorted(PLACE.findall(sections[UNCONFIRMED])) == sorted(map(_place, _warnings(compiled)))
    assert PLACE.findall(sections[NOT_ERRORS]) == []
    for certainty in (PROVEN, UNCONFIRMED):
        entries = re.split(r"^#### ", sections[certainty], flags=re.MULTILINE)[1:]
        for entry in entries:
            assert len(PLACE.findall(entry)) == 1, f"{certainty}: {entry.splitlines()[0]}"


def test_stated_counts_match_the_diagnostics(compiled: Compilation) -> None:
    """The summary table's counts are the diagnostics' and the entries'."""
    sections, counts = _sections(), _stated_counts()
    assert counts[PROVEN] == len(_errors(compiled))
    assert counts[UNCONFIRMED] == len(_warnings(compiled))
    for certainty in (PROVEN, UNCONFIRMED, NOT_ERRORS):
        assert len(ENTRY.findall(sections[certainty])) == counts[certainty], certainty
    # entries are numbered 1, 2, 3 … through the three sections
    certainties = (PROVEN, UNCONFIRMED, NOT_ERRORS)
    numbers = [int(n) for c in certainties for n in ENTRY.findall(sections[c])]
    assert numbers == list(range(1, len(numbers) + 1))


def test_stated_counts_in_prose(compiled: Compilation) -> None:
    """The sentence of 复现方法 and README.md's paragraph give the same counts."""
    errors, warnings = len(_errors(compiled)), len(_warnings(compiled))
    reproduce = _sections()["复现方法"]
    assert f"报告 {errors} 个错误和 {warnings} 个警告" in reproduce
    by_code = {
        code: sum(1 for d in compiled.diagnostics if d.code.code == code) for code in EXPECTED_CODES
    }
    for code, n in by_code.items():
        assert f"{n} 个 {code}" in reproduce, code
    readme = " ".join(README.read_text(encoding="utf-8").split())
    warning_word = "warning" if warnings == 1 else "warnings"
    assert f"fails with {errors} errors" in readme
    assert f"and {warnings} {warning_word}" in readme
