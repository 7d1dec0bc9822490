"""Write the DOCX style templates from their definitions in compiler/render/docx_styles.py.

    .venv/bin/python scripts/make_docx_styles.py

Writes templates/docx/NAME.docx for every style set. The output is byte-for-byte
reproducible, and tests/test_docx_styles.py fails when a committed template no
longer matches its definition: edit the definition, run this, commit both.
"""

from __future__ import annotations

from pathlib import Path

from rpt.render.docx_styles import STYLE_SETS
from rpt.render.docx_template import build_template

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "docx"


def main() -> None:
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    for style_set in STYLE_SETS:
        path = TEMPLATES / f"{style_set.name}.docx"
        path.write_bytes(build_template(style_set))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
