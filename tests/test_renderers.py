"""Every renderer prints every kind of block and inline of the Document, and a
kind it does not know stops it instead of vanishing from the output."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import typing
import zipfile
from pathlib import Path
from typing import Any, ClassVar

import pytest

from rpt.document import model
from rpt.render import RENDERERS, RenderOptions

TEMPLATES = Path(__file__).parent.parent / "templates" / "markdown"
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
    with pytest.raises(AssertionError):
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
