"""Hostile input: whatever the text, the compiler ends with diagnostics or output.

Two kinds of input: reports generated from the grammar's constructs (mostly valid,
sometimes not), and the example report mutated (lines deleted, duplicated,
swapped; random Unicode, full-width punctuation, control characters, lone
surrogates and very long lines inserted). No input may raise.

Then the hostile classes of issue 12, each an open family: figures grown to
print without end, hostile file names, trees of files of every kind (pipes,
devices, links, loops) and a directory flipping to a link mid-build, output
targets of every kind, SIGTERM at any time, and Markdown blocks whose text
means something to Markdown.

CI runs a few hundred examples; `pytest -m fuzz` runs many more.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import deadline, kept
from rpt.base.diagnostics import ESCAPED_CATEGORIES, render_all_json, render_all_text
from rpt.cli import main
from rpt.document.model import Heading, ListBlock, Text, number_prefix
from rpt.evaluation.output_limits import MAX_DOCUMENT_CHARS
from rpt.outputs import TEMPORARY_PREFIX
from rpt.pipeline import Compilation, compile_report, compile_source
from rpt.render.docx import render_docx
from rpt.render.markdown import render_markdown
from test_markdown_escape import markdown_of, read_back, render_paragraph
from test_markdown_escape import text as markdown_text
from test_special_files import SPECIAL

EXAMPLE = Path(__file__).parent.parent / "reports" / "huaihua-2023"
PART3 = (EXAMPLE / "part3-explanation.rpti").read_text(encoding="utf-8")
FIGURES = (EXAMPLE / "figures.rpti").read_text(encoding="utf-8")

NAMES = ["收入", "支出.基本", "支出.项目", "上年.收支总计", "a", "b_2", "预算", "决算", "x.y.z"]
UNITS = ["万元", "元", "亿元", "人", "件", "%", "户", "条", "‰", "不存在"]
FORMATS = [
    "%", ".2", ".1%", "元", "num", "增减", "增长", "sign", "余", ",", "亿元 .4", "未知",
    "元/人", "万元／人 .1",
]  # fmt: skip
FULL_WIDTH = "（）＜＞：％＋－×÷＝，“”‘’　、。；！？"
TABLE = """table 表 "标题"
columns | 行 | 列: 万元 |
row r | 一 | 1.5 |
row s | 二 | = r.列 * 2 |
row t | <nope> 与<br>文本 | <s.列:%> |
check s == r
end"""
CONTROLS = "\x00\x07\x0b\x0c\x1b\x7f\x85\ufeff\u200b\u202e"


def _check(result: Compilation) -> None:
    """What every compilation must give: a document or errors, and renderable output."""
    assert result.document is not None or result.diagnostics
    render_all_text(result.diagnostics)
    render_all_json(result.diagnostics)
    if result.document is not None:
        render_markdown(result.document)
        render_docx(result.document)


# ---------------------------------------------------------------- generated reports

number = st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False).map(str)
name = st.sampled_from(NAMES)
unit = st.sampled_from(UNITS)


def expressions(depth: int = 3) -> st.SearchStrategy[str]:
    leaf = st.one_of(
        name,
        st.builds(lambda n, u: f"{n} {u}", number, unit),
        number,
        st.sampled_from(['"文本"', "true", "0", "支出.*", "表.*.列"]),
    )
    if depth == 0:
        return leaf
    sub = expressions(depth - 1)
    return st.one_of(
        leaf,
        st.builds(lambda a, op, b: f"{a} {op} {b}", sub, st.sampled_from("+-*/×÷^<>="), sub),
        st.builds(
            lambda f, a, b: f"{f}({a}, {b})",
            st.sampled_from(["sum", "min", "max", "round", "abs", "if", "nope"]),
            sub,
            sub,
        ),
        st.builds(lambda a, u: f"{a} to {u}", sub, unit),
        st.builds(lambda a, f: f"({a}:{f})", sub, st.sampled_from(FORMATS)),
        st.builds(lambda a: f"-{a}", sub),
        st.builds(lambda a: f"({a})", sub),
    )


def lines() -> st.SearchStrategy[str]:
    expr = expressions()
    return st.one_of(
        st.builds(lambda n, e: f"let {n} = {e}", name, expr),
        st.builds(lambda e: f"check {e}", expr),
        st.builds(lambda u: f"unit {u}", unit),
        st.builds(lambda lvl, t: "#" * lvl + " " + t, st.integers(1, 7), st.text(max_size=10)),
        st.builds(
            lambda t, e, f: f"{t}<{e}:{f}>。", st.text(max_size=8), expr, st.sampled_from(FORMATS)
        ),
        st.builds(lambda t, e: f"- {t}<{e}>", st.text(max_size=8), expr),
        st.just(TABLE),
        st.just("table 表2\nheader | 甲 | < |\nrow | ^ | 乙 |"),
        st.just('include "nowhere.rpt"'),
        st.just("---\ntitle: 标题\nrounding: sideways\n---"),
        st.text(max_size=40),
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines(), max_size=12))
def test_generated_reports_never_crash(body: list[str]) -> None:
    _check(compile_source("\n".join(body)))


@pytest.mark.fuzz
@settings(max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines(), max_size=30))
def test_generated_reports_never_crash_long(body: list[str]) -> None:
    _check(compile_source("\n".join(body)))


# ---------------------------------------------------------------- mutated example

hostile_text = st.one_of(
    st.text(max_size=20),
    st.text(alphabet=FULL_WIDTH, max_size=10),
    st.text(alphabet=CONTROLS, min_size=1, max_size=3),
    st.just("\ud800"),  # a lone surrogate
    st.builds(lambda n: "很长" * n, st.integers(5000, 12000)),
    st.sampled_from(["<", ">", "|", "\\", "*", "**", "{-}", "//", "---", "let ", "end", "^", "<<"]),
)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    lines_ = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        if not lines_:
            break
        i = draw(st.integers(0, len(lines_) - 1))
        j = draw(st.integers(0, len(lines_) - 1))
        match draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "splice"])):
            case "delete":
                del lines_[i]
            case "duplicate":
                lines_.insert(j, lines_[i])
            case "swap":
                lines_[i], lines_[j] = lines_[j], lines_[i]
            case "insert":
                lines_.insert(i, draw(hostile_text))
            case "splice":
                line = lines_[i]
                at = draw(st.integers(0, len(line)))
                lines_[i] = line[:at] + draw(hostile_text) + line[at:]
    return "\n".join(lines_)


def _compile_mutation(figures: str, part3: str) -> Compilation:
    # the example's directory anchors the includes of text/…; figures come inline
    main = figures + "\n" + part3
    return compile_source(main, EXAMPLE / "fuzz-main.rpt")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(FIGURES), mutated(PART3))
def test_mutated_example_never_crashes(figures: str, part3: str) -> None:
    _check(_compile_mutation(figures, part3))


@pytest.mark.fuzz
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(FIGURES), mutated(PART3))
def test_mutated_example_never_crashes_long(figures: str, part3: str) -> None:
    _check(_compile_mutation(figures, part3))


def test_unmutated_example_compiles() -> None:
    """The mutations start from a report that is right, so each finding is theirs."""
    result = _compile_mutation(FIGURES, PART3)
    assert result.document is not None, render_all_text(result.diagnostics)


# ---------------------------------------------------------- what a build prints

SEEDS = ['"文本"', '"甲乙丙丁"', "10 ^ 64", "9.99 万元", "123456789012345678901234567890", "1 / 3"]
GROWTH = ["x + x", "x * x", "x ^ 8", "(x:num) + (x:num)", "x * x * x * x", '"前" + x', "-x"]


@st.composite
def amplifiers(draw: st.DrawFn) -> str:
    """A figure grown line by line (joined to itself, multiplied, raised), then
    printed many times over: short sources that ask for huge outputs."""
    lines = [f"let x0 = {draw(st.sampled_from(SEEDS))}"]
    for i in range(1, draw(st.integers(1, 40))):
        growth = draw(st.sampled_from(GROWTH)).replace("x", f"x{i - 1}")
        lines.append(f"let x{i} = {growth}")
    last = f"x{len(lines) - 1}"
    per_line = draw(st.integers(1, 500))
    count = draw(st.integers(1, 3000)) // per_line + 1
    lines.extend(["值" + f"<{last}>" * per_line + "。"] * count)
    return "\n".join(lines) + "\n"


def _check_bounded(source: str) -> None:
    with deadline(30):
        result = compile_source(source)
        _check(result)
    if result.document is not None:
        assert len(render_markdown(result.document)) <= 2 * MAX_DOCUMENT_CHARS


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(amplifiers())
def test_amplified_figures_end_bounded(source: str) -> None:
    _check_bounded(source)


@pytest.mark.fuzz
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(amplifiers())
def test_amplified_figures_end_bounded_long(source: str) -> None:
    _check_bounded(source)


# ----------------------------------------------------------- what is echoed


def _encodable(name: str) -> bool:
    try:
        encoded = os.fsencode(name)
    except UnicodeEncodeError:
        return False
    return name not in (".", "..") and 0 < len(encoded) < 200


file_names = st.text(min_size=1, max_size=20).filter(lambda n: "/" not in n and "\0" not in n)


def _check_names(main: str, part: str) -> None:
    """A report and its include under hostile names: every name echoed escaped."""
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        (directory / part).write_text("收入<收人>\n", encoding="utf-8")
        (directory / main).write_text(f'include "{part}"\n收入<{part}>\n', encoding="utf-8")
        result = compile_report(directory / main)
    text = render_all_text(result.diagnostics)
    assert not any(unicodedata.category(c) in ESCAPED_CATEGORIES for c in text.replace("\n", ""))
    json.loads(render_all_json(result.diagnostics).encode("utf-8"))


@settings(max_examples=50, deadline=None)
@given(file_names.filter(_encodable), file_names.filter(_encodable))
def test_hostile_file_names_are_echoed_escaped(main: str, part: str) -> None:
    assume(main != part)
    _check_names(main, part)


@pytest.mark.fuzz
@settings(max_examples=1000, deadline=None)
@given(file_names.filter(_encodable), file_names.filter(_encodable))
def test_hostile_file_names_are_echoed_escaped_long(main: str, part: str) -> None:
    assume(main != part)
    _check_names(main, part)


# ---------------------------------------------------- what is read, and from where

KINDS = ["good", "bad", "fifo", "socket", "directory", "device", "link", "loop", "dangling"]
PATHS = ["a.rpti", "b.rpti", "sub/c.rpti", "sub/../a.rpti", "alias/c.rpti", "../outside.rpti"]


def _make(directory: Path, name: str, kind: str) -> None:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() or path.is_symlink():
        return
    match kind:
        case "good":
            path.write_text("let 甲 = 1 万元\n", encoding="utf-8")
        case "bad":
            path.write_text("正文<乙>\n", encoding="utf-8")
        case "link":
            path.symlink_to(directory / "a.rpti")
        case "loop":
            path.symlink_to(path.name)
        case "dangling":
            path.symlink_to("nowhere.rpti")
        case _:
            SPECIAL[kind][0](path)


def _check_tree(kinds: list[str], includes: list[str]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch) / "report"
        directory.mkdir()
        (Path(scratch) / "outside.rpti").write_text("秘密<秘密>\n", encoding="utf-8")  # an E201
        (directory / "alias").symlink_to("sub", target_is_directory=True)
        for name, kind in zip(["a.rpti", "b.rpti", "sub/c.rpti"], kinds, strict=False):
            _make(directory, name, kind)
        lines = "".join(f'include "{path}"\n' for path in includes)
        (directory / "main.rpt").write_text(lines + "正文<甲>\n", encoding="utf-8")
        with deadline(10):
            result = compile_report(directory / "main.rpt")
        _check(result)
        assert not any("秘密" in d.message for d in result.diagnostics)


kinds = st.lists(st.sampled_from(KINDS), min_size=3, max_size=3)
includes = st.lists(st.sampled_from(PATHS), max_size=6)


@settings(max_examples=30, deadline=None)
@given(kinds, includes)
def test_any_tree_of_files_ends_in_diagnostics(kinds: list[str], includes: list[str]) -> None:
    _check_tree(kinds, includes)


@pytest.mark.fuzz
@settings(max_examples=1000, deadline=None)
@given(kinds, includes)
def test_any_tree_of_files_ends_in_diagnostics_long(kinds: list[str], includes: list[str]) -> None:
    _check_tree(kinds, includes)


@pytest.mark.fuzz
def test_a_directory_flipping_to_a_link_never_leads_outside(tmp_path: Path) -> None:
    """A thread swaps `parts` between a directory inside the root and a link to one
    outside, as fast as it can, while the report is compiled again and again."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.rpti").write_text("秘密<秘密>\n", encoding="utf-8")  # read: an E201
    root = tmp_path / "report"
    (root / "inside").mkdir(parents=True)
    (root / "inside" / "a.rpti").write_text("let 甲 = 1 万元\n", encoding="utf-8")
    (root / "main.rpt").write_text('include "parts/a.rpti"\n正文<甲>\n', encoding="utf-8")
    link, directory = root / "link", root / "inside"
    link.symlink_to(outside)
    stop = threading.Event()

    def flip() -> None:
        while not stop.is_set():
            for source in (directory, link):
                source.rename(root / "parts.new")
                (root / "parts.new").replace(root / "parts")
                (root / "parts").rename(source)

    flipper = threading.Thread(target=flip, daemon=True)
    flipper.start()
    seen: set[str] = set()
    try:
        for _ in range(2000):
            result = compile_report(root / "main.rpt")
            messages = [d.message for d in result.diagnostics]
            assert not any("秘密" in m for m in messages), render_all_text(result.diagnostics)
            seen |= {d.code.code for d in result.diagnostics} or {"ok"}
    finally:
        stop.set()
        flipper.join()
    assert len(seen) > 1, f"the race was never lost or won: {seen}"


# ---------------------------------------------------------------- what is written

TARGETS = ["missing", "regular", "link", "dangling", "fifo", "directory", "null", "full", "loop"]


def _target(directory: Path, name: str, kind: str) -> None:
    path = directory / name
    match kind:
        case "regular":
            path.write_text("old\n", encoding="utf-8")
        case "link":
            (directory / f"real-{name}").write_text("old\n", encoding="utf-8")
            path.symlink_to(f"real-{name}")
        case "dangling":
            path.symlink_to(f"made/{name}")
        case "fifo":
            os.mkfifo(path)
        case "directory":
            path.mkdir()
        case "null" | "full":
            path.symlink_to(f"/dev/{kind}")
        case "loop":
            path.symlink_to(name)


def _check_outputs(md: str, docx: str) -> None:
    """Whatever the two targets are, the build writes both, or neither and says why."""
    with tempfile.TemporaryDirectory() as scratch, kept("/dev/null"), kept("/dev/full"):
        directory = Path(scratch)
        (directory / "r.rpt").write_text("let 甲 = 1 万元\n正文<甲>。\n", encoding="utf-8")
        _target(directory, "out.md", md)
        _target(directory, "out.docx", docx)
        before = {p.name: p.read_bytes() for p in directory.rglob("*") if _regular(p)}
        status = main(
            ["build", str(directory / "r.rpt"), "--to", "md,docx", "-o", f"{directory}/out"]
        )
        after = {p.name: p.read_bytes() for p in directory.rglob("*") if _regular(p)}
        assert not [name for name in after if name.startswith(TEMPORARY_PREFIX)]
        failing = {"fifo", "directory", "full", "loop"}
        if md in failing or docx in failing:
            assert status == 2
            assert after == before
        else:
            assert status == 0
            markdown = [data for data in after.values() if data == "正文1万元。\n".encode()]
            assert markdown or md == "null"


def _regular(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(TARGETS), st.sampled_from(TARGETS))
def test_two_outputs_are_written_both_or_neither(md: str, docx: str) -> None:
    _check_outputs(md, docx)


@pytest.mark.fuzz
@settings(max_examples=300, deadline=None)
@given(st.sampled_from(TARGETS), st.sampled_from(TARGETS))
def test_two_outputs_are_written_both_or_neither_long(md: str, docx: str) -> None:
    _check_outputs(md, docx)


@pytest.mark.fuzz
def test_sigterm_at_any_time_leaves_old_or_new_outputs_and_no_temporary(tmp_path: Path) -> None:
    """SIGTERM a build at many points: the outputs are both the old ones or both
    the new ones, and no temporary is left."""
    source = tmp_path / "r.rpt"
    lines = [f"let s{i} = {i}.5 万元\n第{i}项为<s{i}>。\n" for i in range(4000)]
    source.write_text("".join(lines), encoding="utf-8")
    assert main(["build", str(source), "--to", "md,docx", "-o", str(tmp_path / "out")]) == 0
    old = {name: (tmp_path / name).read_bytes() for name in ("out.md", "out.docx")}
    source.write_text("".join(lines).replace("第0项", "第零项"), encoding="utf-8")
    rng = random.Random(12)
    statuses = set()
    for _ in range(25):
        child = subprocess.Popen(
            [sys.executable, "-m", "rpt.cli", "build", "r.rpt", "--to", "md,docx", "-o", "out"],
            cwd=tmp_path,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 2.5))
        child.send_signal(signal.SIGTERM)
        statuses.add(child.wait(timeout=60))
        now = {name: (tmp_path / name).read_bytes() for name in ("out.md", "out.docx")}
        assert (now["out.md"] == old["out.md"]) == (now["out.docx"] == old["out.docx"])
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMPORARY_PREFIX)]
        for name, data in old.items():  # start again from the old outputs
            (tmp_path / name).write_bytes(data)
    # -SIGTERM: stopped while Python starts, before rpt handles the signal
    assert statuses <= {0, 128 + signal.SIGTERM, -signal.SIGTERM}
    assert 128 + signal.SIGTERM in statuses


# ------------------------------------------------------------- what Markdown means


@pytest.mark.fuzz
@settings(max_examples=3000, deadline=None)
@given(markdown_text, st.integers(1, 6), st.booleans(), st.sampled_from(["", "一、", "第一部分"]))
def test_markdown_blocks_mean_what_the_source_meant_long(
    value: str, level: int, ordered: bool, number: str
) -> None:
    """A paragraph, a heading, the title and a list item of the same hostile text
    each read back, through a CommonMark parser, as that text."""
    assert read_back(render_paragraph(value)) == value
    heading = markdown_of(Heading(level, number, (Text(value),)))
    assert read_back(heading, "heading") == number_prefix(number) + value
    assert read_back(markdown_of(title=value), "heading") == value
    kind = "ordered_list" if ordered else "bullet_list"
    item = markdown_of(ListBlock(ordered, 1, ((Text(value),),)))
    assert read_back(item, kind, "list_item", "paragraph") == value
