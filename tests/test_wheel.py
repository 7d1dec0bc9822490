"""The wheel carries the grammar, the unit definitions and the templates, so that
`pip install .` (not only an editable install) works from any directory."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_wheel_contains_grammar_and_templates(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    [wheel] = tmp_path.glob("rpt-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in [
        "rpt/grammar/rpt.lark",
        "rpt/grammar/units.txt",
        "rpt/templates/markdown/document.md.j2",
        "rpt/templates/markdown/inlines.md.j2",
        "rpt/templates/markdown/table.md.j2",
        "rpt/templates/docx/gbt9704.docx",
        "rpt/templates/docx/a4-plain.docx",
        "rpt/py.typed",
        "rpt/cli.py",
    ]:
        assert expected in names, expected
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "rpt = rpt.cli:run" in zipfile.ZipFile(wheel).read(entry_points).decode()
