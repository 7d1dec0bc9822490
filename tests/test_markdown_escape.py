"""Text that means something to Markdown is escaped, so that the Markdown, read by
a CommonMark parser, says what the source said."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from rpt.document import Document, Meta, Paragraph, Text
from rpt.render_markdown import render_markdown

PARSER = MarkdownIt("commonmark").enable("table")
SPECIAL = [*"|*_<>[]`\\#-+=.!~&", "1.", "1)", "**", "- ", "# ", "&amp;", "<b>"]


def _render(text: str) -> str:
    meta = Meta("", "", "", "", None, None, "zh-CN", "gbt9704")
    return render_markdown(Document(meta, (Paragraph((Text(text),)),)))


def _read_back(markdown: str) -> str:
    """The plain text a CommonMark reader sees in one paragraph."""
    tokens = PARSER.parse(markdown)
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"], tokens
    inline = tokens[1]
    assert inline.children is not None
    assert all(child.type in ("text", "softbreak") for child in inline.children), inline.children
    return "".join(child.content for child in inline.children)


text = (
    st.lists(
        st.one_of(
            st.sampled_from(SPECIAL),
            st.text(alphabet="收入甲乙 abc123，。", min_size=1, max_size=4),
        ),
        min_size=1,
        max_size=12,
    )
    .map("".join)
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=300, deadline=None)
@given(text)
def test_markdown_means_what_the_source_meant(value: str) -> None:
    assert _read_back(_render(value)) == value
