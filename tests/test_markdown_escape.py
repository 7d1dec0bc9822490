"""Text that means something to Markdown is escaped, so that the Markdown, read by
a CommonMark parser, says what the source said."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from rpt.document.model import Block, Document, Heading, ListBlock, Meta, Paragraph, Text
from rpt.pipeline import compile_report, compile_source
from rpt.render.markdown import render_markdown

PARSER = MarkdownIt("commonmark").enable("table")
SPECIAL = [
    *"|*_<>[]`\\#-+=.!~&",
    *["1.", "1)", "**", "- ", "# ", " #", "--", "---", "&amp;", "<b>", "+ ", "> ", "1. "],
]


def render_paragraph(text: str) -> str:
    return markdown_of(Paragraph((Text(text),)))


def markdown_of(*blocks: Block, title: str = "") -> str:
    meta = Meta(title, "", "", "", None, None, "zh-CN")
    return render_markdown(Document(meta, blocks))


def _text(inline: Token) -> str:
    assert inline.children is not None
    assert all(child.type in ("text", "softbreak") for child in inline.children), inline.children
    return "".join(child.content for child in inline.children)


def read_back(markdown: str, *structure: str) -> str:
    """The plain text a CommonMark reader sees in the one inline run of `markdown`,
    whose blocks must open as `structure` says (a paragraph by default)."""
    tokens = PARSER.parse(markdown)
    opened = list(structure or ("paragraph",))
    closed = list(reversed(opened))
    expected = [f"{name}_open" for name in opened] + ["inline"] + [f"{c}_close" for c in closed]
    assert [t.type for t in tokens] == expected, tokens
    return _text(tokens[len(opened)])


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
    assert read_back(render_paragraph(value)) == value


@settings(max_examples=100, deadline=None)
@given(text, st.integers(1, 6), st.sampled_from(["", "一、", "1.", "第一部分"]))
def test_a_heading_means_what_the_source_meant(value: str, level: int, number: str) -> None:
    markdown = markdown_of(Heading(level, number, (Text(value),)))
    # a Chinese report: only 第一部分 takes a space; 1. runs on (1.一般公共服务)
    shown = f"{number} {value}" if number == "第一部分" else number + value
    assert read_back(markdown, "heading") == shown


@settings(max_examples=50, deadline=None)
@given(text)
def test_the_title_means_what_the_source_meant(value: str) -> None:
    assert read_back(markdown_of(title=value), "heading") == value


@settings(max_examples=100, deadline=None)
@given(text, st.booleans())
def test_a_list_item_means_what_the_source_meant(value: str, ordered: bool) -> None:
    markdown = markdown_of(ListBlock(ordered, 1, ((Text(value),),)))
    kind = "ordered_list" if ordered else "bullet_list"
    assert read_back(markdown, kind, "list_item", "paragraph") == value


def test_list_numbers_beyond_nine_digits_stay_numbers() -> None:
    """CommonMark numbers a list item with at most nine digits; beyond, HTML."""
    items = ((Text("甲"),), (Text("乙 <b>"),))
    assert PARSER.render(markdown_of(ListBlock(True, 999_999_998, items))).startswith(
        '<ol start="999999998">'
    )
    assert markdown_of(ListBlock(True, 999_999_998, items)).startswith("999999998. 甲\n")
    markdown = markdown_of(ListBlock(True, 999_999_999, items))
    assert markdown == '<ol start="999999999">\n<li>甲</li>\n<li>乙 &lt;b&gt;</li>\n</ol>\n'
    assert [t.type for t in PARSER.parse(markdown)] == ["html_block"]


def test_the_cases_of_the_issue() -> None:
    for value in ["# 文字", "- 文字", "+ 文字", "1. 文字", "---", "--", "- -", "-- --"]:
        markdown = markdown_of(ListBlock(False, 1, ((Text(value),),)))
        assert read_back(markdown, "bullet_list", "list_item", "paragraph") == value
    assert read_back(markdown_of(Heading(1, "", (Text("标题 #"),))), "heading") == "标题 #"
    assert read_back(markdown_of(title="标题#"), "heading") == "标题#"
    assert read_back(markdown_of(title="#"), "heading") == "#"


@pytest.mark.parametrize(
    ("rows", "pipe"),
    [
        ("header | 甲 | 乙 |\nrow a | 1 | 2 |\n", True),  # one header row on top
        ("header | 甲 | 乙 |\nrow a | 1 | < |\n", False),  # two columns joined
        ("header | 甲 | 乙 |\nrow a | 1 | 2 |\nrow b | ^ | 3 |\n", False),  # two rows joined
        ("header | 甲 | 乙 |\nheader | 丙 | 丁 |\nrow a | 1 | 2 |\n", False),  # two header rows
        ("row a | 1 | 2 |\n", False),  # no header row
    ],
)
def test_a_pipe_table_only_for_one_header_row_and_no_joined_cells(rows: str, pipe: bool) -> None:
    result = compile_source(f"table 表\n{rows}end\n")
    assert result.document is not None, result.diagnostics
    markdown = render_markdown(result.document)
    assert markdown.startswith("| 甲 | 乙 |" if pipe else "<table>"), markdown


def test_the_last_character_of_a_document_is_kept() -> None:
    """Only the newlines that end the document are trimmed, never its text."""
    assert render_paragraph("版本X") == "版本X\n"
    assert render_paragraph("版本\u3000") == "版本\u3000\n"  # a full-width space is text


def test_a_data_file_named_with_dashes_cannot_end_the_comment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "收支--表.csv").write_text("项目,数\n甲,1\n", encoding="utf-8")
    (tmp_path / "main.rpt").write_text(
        'data 表 = "收支--表.csv" unit 元\n<表["甲", "数"]>\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = compile_report(Path("main.rpt"))
    assert result.document is not None, result.diagnostics
    comment = render_markdown(result.document).split("<!-- data read:\n", 1)[1]
    assert comment.startswith("收支-\u2010表.csv sha256:")
    assert "--" not in comment.removesuffix("-->\n")
