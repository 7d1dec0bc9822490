"""Renderers: each turns a format-neutral Document into a file's bytes.

A renderer's options (the DOCX style set) come from the command line or the
report's settings and are passed beside the Document, never inside it: the
Document says what the report is, the options how one format prints it.
Each renderer's module is imported when its format is asked for: `rpt check`
needs neither (the PDF renderer's LibreOffice is looked for only then).
"""

from __future__ import annotations

from collections.abc import Callable

from ..base.record import record
from ..document.model import Document

DEFAULT_STYLE = "gbt9704"


class RenderError(Exception):
    """An output a renderer cannot make (a PDF without LibreOffice): said in one line."""


@record
class RenderOptions:
    """How the renderers print: `style` names the DOCX style set
    (templates/docx/NAME.docx); `author` signs a redline's tracked changes."""

    style: str = DEFAULT_STYLE
    author: str = "rpt"


@record
class Renderer:
    """One output format: its name for `--to`, the file suffix, and the function."""

    name: str
    suffix: str
    render: Callable[[Document, RenderOptions], bytes]


def _markdown(document: Document, options: RenderOptions) -> bytes:
    from .markdown import render_markdown  # noqa: PLC0415  (see the module's docstring)

    return render_markdown(document).encode("utf-8")


def _docx(document: Document, options: RenderOptions) -> bytes:
    from .docx import render_docx  # noqa: PLC0415  (see the module's docstring)

    return render_docx(document, options.style, options.author)


def _pdf(document: Document, options: RenderOptions) -> bytes:
    from .pdf import render_pdf  # noqa: PLC0415  (see the module's docstring)

    return render_pdf(document, options.style, options.author)


RENDERERS: dict[str, Renderer] = {
    renderer.name: renderer
    for renderer in (
        Renderer("md", ".md", _markdown),
        Renderer("docx", ".docx", _docx),
        Renderer("pdf", ".pdf", _pdf),
    )
}
