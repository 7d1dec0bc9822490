"""Every renderer prints every kind of block and inline of the Document, and a
kind it does not know stops it instead of vanishing from the output."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import subprocess
import sys
import typing
import zipfile
from pathlib import Path
from typing import Any, ClassVar

import pytest

import rpt
from rpt.document import model
from rpt.pipeline import compile_report
from rpt.render import RENDERERS, RenderOptions, markdown

TEMPLATES = Path(__file__).parent.parent / "templates" / "markdown"
EXAMPLE = Path(__file__).parent.parent / "reports" / "huaihua-2023" / "report.rpt"
META = model.Meta("标题", "", "某单位", "", 2023, None, "zh-CN")


def _kinds(union: Any) -> set[str]:
    return {member.kind for member in typing.get_args(union)}


def test_the_markdown_templates_branch_on_every_kind() -> None:
    text = "".join(path.read_text("utf-8") for path in TEMPLATES.glob("*.j2"))
    branched = set(re.findall(r'kind (?:==|in) \(?"(\w+)"', text))
    branched |= set(re.findall(r'kind in \("\w+", "(\w+)"\)', text))
    assert branched == _kinds(model.Block) | _kinds(model.Inline)


@dataclasses.dataclass(frozen=True)
class Strange:
    """A block or inline of a kind no renderer knows."""

    kind: ClassVar[str] = "strange"
    text: str = "不应消失"


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("where", ["block", "inline"])
def test_an_unknown_kind_stops_the_renderer(renderer: str, where: str) -> None:
    strange: Any = Strange()
    block = strange if where == "block" else model.Paragraph((model.Text("前"), strange))
    document = model.Document(META, (block,))
    with pytest.raises(AssertionError, match="Strange"):  # the message names the kind
        RENDERERS[renderer].render(document, RenderOptions())


@pytest.mark.parametrize("renderer", RENDERERS)
def test_every_kind_is_printed(renderer: str) -> None:
    figure = model.Figure("217.91万元", "收入合计", 0)
    cell = model.Cell((model.Text("单元格文字"),))
    blocks = (
        model.Heading(1, "一、", (model.Text("标题文字"),)),
        model.Paragraph((model.Text("段落文字"), figure)),
        model.Paragraph((model.Strong((model.Text("加粗文字"),)),)),
        model.Paragraph((model.Emph((model.Text("强调文字"),)),)),
        model.ListBlock(False, 1, ((model.Text("列表文字"),),)),
        model.Table((), "", 1, (model.Row((cell,), header=True),), (4,)),
    )
    document = model.Document(META, blocks)
    if renderer == "pdf" and not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.skip("needs LibreOffice and poppler; without them --to pdf is refused (test_pdf.py)")
    output = RENDERERS[renderer].render(document, RenderOptions())
    if renderer == "docx":
        output = zipfile.ZipFile(io.BytesIO(output)).read("word/document.xml")
    if renderer == "pdf":
        printed = subprocess.run(
            ["pdftotext", "-", "-"], input=output, capture_output=True, check=True
        ).stdout
        output = re.sub(rb"\s", b"", printed)  # the PDF's text spaces CJK from digits
    text = output.decode("utf-8")
    words = ("标题文字", "段落文字", "217.91万元", "加粗文字", "强调文字", "列表文字", "单元格文字")
    for word in words:
        assert word in text, f"{renderer} lost {word}"


# Compiles and renders a report under -X warn_default_encoding, where every file
# opened without an encoding warns: made an error, it stops the run.
WARN_DEFAULT_ENCODING = ("-X", "warn_default_encoding", "-W", "error::EncodingWarning")
IN_UTF8_ONLY = """\
import sys
from pathlib import Path
from rpt.pipeline import compile_report
from rpt.render import RENDERERS, RenderOptions
result = compile_report(Path(sys.argv[1]), draft=True)
for name in ("md", "docx"):
    Path(sys.argv[2], name).write_bytes(RENDERERS[name].render(result.document, RenderOptions()))
"""


def test_no_file_is_read_in_the_locale_encoding(tmp_path: Path) -> None:
    """A file read without an encoding is read in the locale's, cp936 on a Chinese
    Windows: the report, its data and rpt's own templates must be read as UTF-8."""
    package = Path(rpt.__file__).parent.parent
    subprocess.run(
        [sys.executable, *WARN_DEFAULT_ENCODING, "-c", IN_UTF8_ONLY, str(EXAMPLE), str(tmp_path)],
        env={**os.environ, "PYTHONPATH": str(package)},
        check=True,
    )
    markdown.forget_templates()  # its templates are read afresh here too
    result = compile_report(EXAMPLE, draft=True)
    assert result.document is not None
    expected = RENDERERS["md"].render(result.document, RenderOptions())
    assert (tmp_path / "md").read_bytes() == expected
    assert (tmp_path / "docx").read_bytes().startswith(b"PK")
