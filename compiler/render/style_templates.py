"""The DOCX style templates shipped in `templates/docx/`: one file per style set,
named after it (gbt9704.docx). Written by scripts/make_docx_styles.py."""

from __future__ import annotations

from ..base.resources import templates_dir


def available_styles() -> tuple[str, ...]:
    """The names a report's `style:` or `rpt build --style` may use, sorted."""
    folder = templates_dir() / "docx"
    return tuple(
        sorted(
            entry.name.removesuffix(".docx")
            for entry in folder.iterdir()
            if entry.name.endswith(".docx")
        )
    )


def template_bytes(name: str) -> bytes:
    return (templates_dir() / "docx" / f"{name}.docx").read_bytes()
