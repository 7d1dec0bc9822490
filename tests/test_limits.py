"""Resource bounds: every input too large, too deep or too costly ends in an E107
(or the arithmetic's own code) naming the limit, never a crash or a long run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from rpt.base.diagnostics import MAX_DIAGNOSTICS
from rpt.check import resolve
from rpt.evaluation.output_limits import MAX_DOCUMENT_CHARS
from rpt.pipeline import Compilation
from rpt.syntax.load import MAX_INCLUDE_DEPTH
from rpt.syntax.read import MAX_FILE_BYTES, MAX_TOTAL_BYTES

Compile = Callable[..., Compilation]


def _codes(result: Compilation) -> list[str]:
    return [d.code.code for d in result.diagnostics]


def _only(result: Compilation, code: str) -> str:
    """The message of the one diagnostic `result` must consist of."""
    assert result.document is None
    assert _codes(result) == [code], _codes(result)
    return result.diagnostics[0].message


def test_a_10_mb_file_is_refused_before_it_is_read_whole(compile_text: Compile) -> None:
    message = _only(compile_text("x" * (10 * 1024 * 1024)), "E107")
    assert f"{MAX_FILE_BYTES:,}" in message


def test_the_files_of_one_report_are_bounded_together(compile_text: Compile) -> None:
    part = ("正文" + "字" * 998 + "\n") * (MAX_FILE_BYTES // 3001)
    parts = {f"p{i}.rpti": part for i in range(3)}
    main = "".join(f'include "p{i}.rpti"\n' for i in range(3))
    result = compile_text(main, **parts)
    message = _only(result, "E107")
    assert f"{MAX_TOTAL_BYTES:,}" in message
    span = result.diagnostics[0].span  # the include that passes the limit
    assert span is not None and span.location().endswith(":3:1")


def test_includes_nest_at_most_so_deep(compile_text: Compile) -> None:
    depth = MAX_INCLUDE_DEPTH + 5
    files = {f"f{i}.rpti": f'include "f{i + 1}.rpti"\n' for i in range(depth)}
    files[f"f{depth}.rpti"] = "let 甲 = 1 万元\n"
    message = _only(compile_text('include "f0.rpti"\n', **files), "E107")
    assert f"deeper than {MAX_INCLUDE_DEPTH} files" in message


def test_deep_nesting_is_refused_without_recursion(compile_text: Compile) -> None:
    deep = "(" * 5000 + "1" + ")" * 5000
    assert "nested more than" in _only(compile_text(f"let 甲 = {deep}\n"), "E107")


@pytest.mark.parametrize("power", ["2 ^ 100000", "10 ^ 65", "2 ^ -65", "2 ^ 0.5"])
def test_powers_are_small_whole_numbers(compile_text: Compile, power: str) -> None:
    assert "exponent" in _only(compile_text(f"let 甲 = {power}\n"), "E304")


def test_numbers_too_large_for_any_report_are_an_arithmetic_error(compile_text: Compile) -> None:
    big = "9" * 1000
    power = " * ".join(["甲"] * 100)  # 10^100000: still a number
    bigger = " * ".join(["乙"] * 100)  # 10^10000000: beyond any context
    result = compile_text(f"let 甲 = {big}\nlet 乙 = {power}\nlet 丙 = {bigger}\n正文<丙>\n")
    assert _codes(result) == ["E402"], _codes(result)


def test_the_number_of_figures_is_bounded(
    compile_text: Compile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resolve, "MAX_FIGURES", 3)
    figures = "let 甲 = 1 万元\nlet 乙 = 甲\nlet 丙 = 乙\nlet 丁 = 丙\nlet 戊 = 丁\n"
    result = compile_text(figures + "正文<戊>\ncheck 戊 == 甲\n")
    assert "more than 3 figures" in _only(result, "E107")
    span = result.diagnostics[0].span
    assert span is not None and span.location() == "main.rpt:4:5"  # the first one past


def test_the_number_of_dependencies_is_bounded(
    compile_text: Compile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resolve, "MAX_DEPENDENCIES", 10)
    figures = "".join(f"let 支出.项{i} = {i} 万元\n" for i in range(6))
    sums = "".join(f"let 合计{i} = sum(支出.*)\n" for i in range(3))
    assert "depend on each other more than 10 times" in _only(compile_text(figures + sums), "E107")


def test_a_flood_of_errors_is_cut_short_with_a_count(compile_text: Compile) -> None:
    lines = "".join(f"正文<未定义{i}>\n" for i in range(MAX_DIAGNOSTICS + 50))
    result = compile_text(lines)
    assert len(result.diagnostics) == MAX_DIAGNOSTICS + 1
    assert result.diagnostics[-1].message == "50 more diagnostics were not reported"


def test_sources_are_never_modified(compile_text: Compile, tmp_path: Path) -> None:
    text = "let 甲 = 1 万元\r\n正文<甲>。\r\n"
    compile_text(text)
    assert (tmp_path / "main.rpt").read_bytes() == text.encode()


# ------------------------------------------------------------ what a build prints

# 10^900: 901 digits, which grouped in thousands print 1,201 characters
HUGE = "let d = (10 ^ 60) ^ 15\n"


def test_a_figure_too_long_to_print(compile_text: Compile) -> None:
    """The issue's case: 2,000 references to a huge number (16 KB) printed 524 MB.
    A number has at most 1,000 digits now (E402 past that, as the issue's 10^16384
    is), so the longest figure is such a number grouped: still refused."""
    result = compile_text(HUGE + "值<d:,>。\n" * 2000)
    assert "this figure prints more than 1,000 characters" in _only(result, "E107")
    span = result.diagnostics[0].span
    assert span is not None and span.location() == "main.rpt:2:2"
    issue = "let a = 10 ^ 64\nlet b = a ^ 8\nlet c = b ^ 8\nlet d = c ^ 4\n"  # 10^16384
    assert "more than 1000 digits" in _only(compile_text(issue + "值<d>。\n" * 2000), "E402")


def test_a_figure_at_the_bound_prints(compile_text: Compile) -> None:
    digits = "let a = 10 ^ 64\nlet b = a ^ 15 * 10 ^ 39\n"  # 10^999: 1,000 digits
    result = compile_text(digits + "值<b>。\n")
    assert result.document is not None, _codes(result)
    result = compile_text(digits + "值<b:,>。\n")
    assert "more than 1,000 characters" in _only(result, "E107")


def test_a_huge_number_printed_inside_a_formula(compile_text: Compile) -> None:
    result = compile_text(HUGE + 'let t = "值" + (d:,)\n值<t>。\n')
    assert "this figure prints more than 1,000 characters" in _only(result, "E107")


def test_a_text_joined_to_itself(compile_text: Compile) -> None:
    """Each join doubles the text: sixty of them would fill any memory."""
    lines = [f"let t{i} = t{i - 1} + t{i - 1}" for i in range(1, 60)]
    result = compile_text('let t0 = "文本文本"\n' + "\n".join(lines) + "\n值<t59>。\n")
    assert "this text would be longer than 1,000 characters" in _only(result, "E107")
    span = result.diagnostics[0].span
    assert span is not None and span.location() == "main.rpt:9:10"


def test_a_text_figure_too_long_to_print(compile_text: Compile) -> None:
    result = compile_text(f'let t = "{"长" * 1001}"\n值<t>。\n')
    assert "this figure prints more than 1,000 characters" in _only(result, "E107")


def test_the_document_is_bounded(compile_text: Compile) -> None:
    """Figures at their bound, printed many times over: refused while the document
    is built, at the reference that passes the limit."""
    line = "<t>" * 1000 + "\n"
    result = compile_text(f'let t = "{"长" * 1000}"\n' + line * 5)
    message = _only(result, "E107")
    assert f"longer than {MAX_DOCUMENT_CHARS:,} characters" in message
    span = result.diagnostics[0].span
    assert span is not None and span.location() == "main.rpt:6:583"


@pytest.mark.parametrize(
    ("text", "code"),
    [("1" * 5000 + ". 项目\n", "E107"), ("let a = 1 万元\n<a:." + "9" * 5000 + ">\n", "E303")],
)
def test_numbers_too_long_for_int_are_refused_before_they_are_read(
    compile_text: Compile, text: str, code: str
) -> None:
    """int() refuses to read more than 4,300 digits; a list number or a count of
    decimals that long is a diagnostic, not a ValueError."""
    assert code in _codes(compile_text(text))
