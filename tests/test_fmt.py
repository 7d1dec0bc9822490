"""`rpt fmt`: the canonical layout is idempotent and means what the source
meant — every golden and example source, and generated ones, build to the same
Markdown (and diagnostics) once laid out; the examples are kept laid out."""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz import lines

from rpt.base.diagnostics import Diagnostics
from rpt.cli import main
from rpt.pipeline import Compilation, compile_report, compile_source
from rpt.render.markdown import render_markdown
from rpt.review.fmt import format_file
from rpt.syntax.canonical import layout
from rpt.syntax.parse import parse_file
from rpt.syntax.read import read_source

ROOT = Path(__file__).parent.parent
SOURCES = sorted(
    path
    for folder in (ROOT / "tests" / "golden", ROOT / "reports")
    for path in folder.rglob("*")
    if path.suffix in (".rpt", ".rpti")
)
# the example reports; not invalid/, which keeps the published report's text
# line for line (its findings are golden by line and column)
EXAMPLES = sorted(
    p
    for p in (ROOT / "reports").rglob("*")
    if p.suffix in (".rpt", ".rpti") and "invalid" not in p.parts
)
MAINS = sorted({p.parent for p in SOURCES if p.suffix == ".rpt"})


def _laid_out(text: str) -> str | None:
    """The layout of a text as format_file makes it; None when it leaves the file alone."""
    diagnostics = Diagnostics()
    source = read_source("x.rpt", text.encode("utf-8", "surrogatepass"), diagnostics)
    if source is None:
        return None
    parse_file(source, diagnostics)
    return None if diagnostics.has_errors() else layout(source)


def _outcome(main_file: Path) -> tuple[str | None, list[str]]:
    result = compile_report(main_file)
    markdown = render_markdown(result.document) if result.document else None
    return markdown, [d.code.code for d in result.diagnostics]


@pytest.mark.parametrize("folder", MAINS, ids=lambda p: str(p.relative_to(ROOT)))
def test_laid_out_sources_build_the_same(folder: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    mains = sorted(copy.glob("*.rpt"))
    before = [_outcome(main) for main in mains]
    for path in sorted(copy.rglob("*")):
        if path.suffix in (".rpt", ".rpti"):
            result = format_file(path)
            if result.laid_out is not None:
                path.write_bytes(result.laid_out)
    assert [_outcome(main) for main in mains] == before


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_layout_is_idempotent(path: Path, tmp_path: Path) -> None:
    result = format_file(path)
    if result.laid_out is None:
        return  # a file with syntax errors is left as it is (test_fmt_refuses_…)
    again = tmp_path / path.name
    again.write_bytes(result.laid_out)
    assert format_file(again).laid_out == result.laid_out


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_examples_are_laid_out(path: Path) -> None:
    result = format_file(path)
    assert result.laid_out is not None
    assert not result.changed(), f"run `rpt fmt {path.relative_to(ROOT)}`:\n{result.diff()}"


EXPRESSIONS = [
    ("a+b*c", "a + b * c"),
    ("(a+b)*c", "(a + b) * c"),
    ("a-(b-c)", "a - (b - c)"),
    ("a-b-c", "a - b - c"),
    ("-(a+b)", "-(a + b)"),
    ("(-2)^2", "(-2) ^ 2"),
    ("2^-1", "2 ^ -1"),
    ("a/b to %", "a / b to %"),
    ("(a to 元)+b", "(a to 元) + b"),
    ("a＝b", "a == b"),
    ("a=b", "a == b"),
    ("a×b÷c", "a * b / c"),
    ("not(a>b)and c<d", "not a > b and c < d"),
    ("not (a and b)", "not (a and b)"),
    ("(a or b) and c", "(a or b) and c"),
    ("sum( 收入.* ,3万元 )", "sum(收入.*, 3 万元)"),
    ("12%+3‰", "12% + 3‰"),
    ('if(a>b,"多" ,“少”)', 'if(a > b, "多", “少”)'),
    ("(a/b:.1%)", "(a / b:.1%)"),
]


@pytest.mark.parametrize(("written", "laid"), EXPRESSIONS)
def test_expressions_are_written_canonically(written: str, laid: str) -> None:
    assert _laid_out(f"let x = {written}\n") == f"let x = {laid}\n"


def test_references_in_prose_are_laid_out_and_the_prose_kept() -> None:
    text = "收入<a+b>万元，  占<a/b : %>，*强调<c>*。\\<不是引用>\n"
    assert _laid_out(text) == "收入<a + b>万元，  占<a / b:%>，*强调<c>*。\\<不是引用>\n"


def test_tables_are_aligned_and_comments_kept() -> None:
    text = (
        'table 表 "收支"\n'
        "columns | 项目 | 数: 万元 |\n"
        "// 注释\n"
        "row 甲 | 财政拨款 |   = a+b |\n"
        "row 乙乙乙 | 其他 | 1.38 |\n"
        "check 合计==sum(甲, 乙乙乙) within 0.01万元 for 数  // 查\n"
        "end\n"
    )
    assert _laid_out(text) == (
        'table 表 "收支"\n'
        "columns    | 项目     | 数: 万元 |\n"
        "// 注释\n"
        "row 甲     | 财政拨款 | = a + b  |\n"
        "row 乙乙乙 | 其他     | 1.38     |\n"
        "check 合计 == sum(甲, 乙乙乙) within 0.01 万元 for 数  // 查\n"
        "end\n"
    )


def test_fmt_check_and_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.rpt"
    path.write_text("let a=1万元\n<a>\n", encoding="utf-8")
    assert main(["fmt", "--check", str(path)]) == 1
    assert main(["fmt", "--diff", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "-let a=1万元\n+let a = 1 万元\n" in out and "would lay out" in err
    assert path.read_text(encoding="utf-8") == "let a=1万元\n<a>\n"  # nothing written
    assert main(["fmt", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == "let a = 1 万元\n<a>\n"
    assert main(["fmt", "--check", str(path)]) == 0


def test_fmt_refuses_a_file_with_syntax_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "r.rpt"
    path.write_text("let a = (1 万元\n", encoding="utf-8")
    assert main(["fmt", str(path)]) == 1
    assert "error[E101]" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "let a = (1 万元\n"


def test_fmt_keeps_a_gb18030_file_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "r.rpt"
    path.write_bytes("---\nencoding: gb18030\n---\nlet 收入=1万元\n<收入>\n".encode("gb18030"))
    assert main(["fmt", str(path)]) == 0
    assert path.read_bytes() == (
        "---\nencoding: gb18030\n---\nlet 收入 = 1 万元\n<收入>\n".encode("gb18030")
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [(b"", b"\r\n"), (b"", b"\r"), (codecs.BOM_UTF8, b"\n"), (codecs.BOM_UTF8, b"\r\n")],
)
def test_fmt_keeps_the_files_line_endings_and_byte_order_mark(
    tmp_path: Path, start: bytes, end: bytes
) -> None:
    """A file a Windows editor saved (CRLF, a UTF-8 BOM) is laid out in its own
    line endings and keeps its mark, so that its diff shows only what changed;
    laid out again, it is left as it is."""
    path = tmp_path / "r.rpt"
    lines = ["let 收入=1万元", "// 注释", "<收入>", ""]
    path.write_bytes(start + end.join(line.encode("utf-8") for line in lines))
    assert main(["fmt", str(path)]) == 0
    laid = ["let 收入 = 1 万元", "// 注释", "<收入>", ""]
    assert path.read_bytes() == start + end.join(line.encode("utf-8") for line in laid)
    assert main(["fmt", "--check", str(path)]) == 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines(), max_size=12))
def test_generated_sources_lay_out_to_the_same_meaning(body: list[str]) -> None:
    text = "\n".join(body)
    laid = _laid_out(text)
    if laid is None:
        return  # a syntax error: fmt leaves the file alone
    assert _laid_out(laid) == laid
    before, after = compile_source(text), compile_source(laid)
    assert after.document == before.document or _markdown(after) == _markdown(before)
    assert [d.code for d in after.diagnostics] == [d.code for d in before.diagnostics]


def _markdown(result: Compilation) -> str | None:
    return render_markdown(result.document) if result.document else None


@pytest.mark.parametrize(
    "row",
    [
        'row 甲 | 厉行节约 | |"',
        'row 甲 | "厉行 | 节约 |',
        "row 甲 | “厉行 | 节约 |",
        'row 甲 | 厉行\\" | 节约"',
        'row 甲 | "厉行 | 节约\\"',
    ],
)
def test_a_quote_nothing_closes_is_a_mark_of_its_cell(row: str, tmp_path: Path) -> None:
    """A quote with no closing quote after it does not take the rest of the row
    into its cell: the row keeps its cells, and laying it out (which closes the
    row with `|`) changes nothing it means, and is done in one pass."""
    text = f'table 表 "表"\ncolumns | 项目 | 说明 | 备注 |\n{row}\nend\n'
    path = tmp_path / "r.rpt"
    path.write_text(text, encoding="utf-8")
    before = _outcome(path)
    laid = _laid_out(text)
    assert laid is not None and _laid_out(laid) == laid
    path.write_text(laid, encoding="utf-8")
    assert _outcome(path) == before
    assert before[0] is not None and before[0].count("<td>") == 3
