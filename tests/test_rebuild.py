"""Compiling again in one process (a watch mode, an editor, a batch of reports
sharing parts): files whose text is unchanged are not parsed again, and what a
rebuild prints and reports is what a first build would."""

from __future__ import annotations

import contextlib
import os
import random
import re
import shutil
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rpt.base.diagnostics import Diagnostics
from rpt.base.source import SourceFile
from rpt.pipeline import compile_report
from rpt.render.markdown import render_markdown
from rpt.syntax import load, parse
from rpt.syntax.tree import File

MAIN = """---
title: 重建
---
include "part.rpti"
let 合计 = 甲 + 乙
合计为<合计>。
"""
PART = """let 甲 = 1.5 万元
let 乙 = 2 万元
"""


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    load.forget_parsed()
    yield
    load.forget_parsed()


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of each file parsed, in order."""
    seen: list[str] = []

    def counting(source: SourceFile, diagnostics: Diagnostics) -> File:
        seen.append(Path(source.path).name)
        return parse.parse_file(source, diagnostics)

    monkeypatch.setattr(load, "parse_file", counting)
    return seen


def _report(folder: Path, main: str = MAIN, part: str = PART) -> Path:
    (folder / "part.rpti").write_text(part, encoding="utf-8")
    path = folder / "report.rpt"
    path.write_text(main, encoding="utf-8")
    return path


def _printed(path: Path) -> str:
    result = compile_report(path)
    assert result.document is not None, [d.message for d in result.diagnostics]
    return render_markdown(result.document)


def test_an_unchanged_file_is_parsed_once(tmp_path: Path, parses: list[str]) -> None:
    path = _report(tmp_path)
    first = _printed(path)
    assert parses == ["report.rpt", "part.rpti"]
    path.write_text(MAIN + "又一句。\n", encoding="utf-8")
    second = _printed(path)
    assert parses == ["report.rpt", "part.rpti", "report.rpt"]
    assert second == first.replace("合计为3.5万元。\n", "合计为3.5万元。又一句。\n")


def test_an_edited_include_is_read_anew(tmp_path: Path, parses: list[str]) -> None:
    path = _report(tmp_path)
    assert "合计为3.5万元。" in _printed(path)
    (tmp_path / "part.rpti").write_text(PART.replace("1.5", "2.5"), encoding="utf-8")
    assert "合计为4.5万元。" in _printed(path)
    assert parses == ["report.rpt", "part.rpti", "part.rpti"]


def test_the_same_text_under_another_name_is_another_file(tmp_path: Path) -> None:
    """Diagnostics name the file they come from, whichever was parsed first."""
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        _report(tmp_path / name, part="let 甲 = = 1\nlet 乙 = 2 万元\n")
    for name in ("a", "b"):
        result = compile_report(tmp_path / name / "report.rpt")
        assert result.document is None
        shown = {d.span.source.path for d in result.diagnostics if d.span is not None}
        assert shown == {str(tmp_path / name / "part.rpti")}


def test_a_rebuild_gives_the_diagnostics_of_the_first(tmp_path: Path, parses: list[str]) -> None:
    """A kept parse brings back its syntax errors and warnings, and later passes
    still report on the rest."""
    path = _report(tmp_path, part="let 甲 = = 1\nlet 乙 = 2 万元\n")
    first = compile_report(path).diagnostics
    second = compile_report(path).diagnostics
    assert parses == ["report.rpt", "part.rpti"]
    assert [d.code for d in first] and [
        (d.code, d.message, d.span.start if d.span else None) for d in second
    ] == [(d.code, d.message, d.span.start if d.span else None) for d in first]


def test_a_file_with_refused_characters_is_never_kept(tmp_path: Path, parses: list[str]) -> None:
    path = _report(tmp_path, part="let 甲 = 1.5 万元\u202e\nlet 乙 = 2 万元\n")
    first = compile_report(path).diagnostics
    second = compile_report(path).diagnostics
    assert parses == ["report.rpt", "part.rpti", "part.rpti"]
    assert [d.code for d in first] == [d.code for d in second] != []


def test_kept_text_stays_under_its_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    monkeypatch.setattr(load, "PARSED_TEXT_KEPT", len(MAIN) + len(PART) + 10)
    reports = []
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        reports.append(_report(tmp_path / name))
        _printed(reports[-1])
        assert load._parsed_text <= load.PARSED_TEXT_KEPT
    assert len(load._parsed) == 2  # the last report's two files
    _printed(reports[-1])
    _printed(reports[0])
    assert parses[6:] == ["report.rpt", "part.rpti"]


def test_a_rebuild_reads_an_unchanged_sheet_once_and_a_changed_one_again(tmp_path: Path) -> None:
    """Sheets are kept by their file's content: an edited workbook is read again."""
    from rpt.data import workbook  # noqa: PLC0415

    (tmp_path / "r.rpt").write_text(
        'data 表 = "d.csv" unit 万元\nlet 收入 = 表["收入", "金额"]\n收入为<收入>。\n',
        encoding="utf-8",
    )
    csv = tmp_path / "d.csv"
    csv.write_text("项目,金额\n收入,12\n", encoding="utf-8")
    workbook.read_sheet.cache_clear()
    first = compile_report(tmp_path / "r.rpt")
    again = compile_report(tmp_path / "r.rpt")
    assert workbook.read_sheet.cache_info().hits == 1
    assert first.document is not None and again.document is not None
    assert render_markdown(first.document) == render_markdown(again.document)
    csv.write_text("项目,金额\n收入,13\n", encoding="utf-8")
    edited = compile_report(tmp_path / "r.rpt")
    assert edited.document is not None
    assert "13" in render_markdown(edited.document)
    assert workbook.read_sheet.cache_info().misses == 2


# ------------------------------------------------------------------ reuse

EXAMPLE = Path(__file__).parent.parent / "reports" / "huaihua-2023"


def _outcome(path: Path) -> tuple[str, str | None, str | None, str]:
    """All a compilation tells: its diagnostics as printed, the Markdown of its
    document and of its preview, and what it knows of each figure and check."""
    from rpt.base.diagnostics import render_all_text  # noqa: PLC0415

    result = compile_report(path, draft=True)
    document = None if result.document is None else render_markdown(result.document)
    preview = None if result.preview is None else render_markdown(result.preview)
    return render_all_text(result.diagnostics), document, preview, repr(result.facts)


def _edits(folder: Path, seed: int, count: int) -> Iterator[None]:
    """Edits of the report in `folder`, one at a time: what an author does
    between two builds (a sentence added, a figure changed, renamed or removed,
    a line duplicated, a setting changed, a file put back as it was)."""
    rng = random.Random(seed)
    files = sorted(p for p in folder.rglob("*.rpt*") if "invalid" not in p.parts)
    original = {p: p.read_text(encoding="utf-8") for p in files}
    names = sorted(set(re.findall(r"^let ([^\s=]+) =", "".join(original.values()), re.M)))
    edited: set[Path] = set()
    for _ in range(count):
        path = rng.choice(files)
        if rng.random() < 0.7:  # the edits before undone: most states are one edit away
            for before in edited - {path}:
                before.write_text(original[before], encoding="utf-8")
            edited &= {path}
        edited.add(path)
        lines = path.read_text(encoding="utf-8").split("\n")
        at = rng.randrange(len(lines))
        kind = rng.randrange(10)
        if kind == 9:  # a number in the workbook changed, as a new export would
            _edit_workbook(folder / "决算报表.xlsx", rng)
            yield
            continue
        if kind == 0:
            lines.insert(at, f"又一句，<{rng.choice(names)}>。")
        elif kind == 1:  # a number changed, or written to another precision
            lets = [i for i, line in enumerate(lines) if re.search(r"^let .*\d", line)]
            if lets:
                i = rng.choice(lets)
                number = rng.choice(["7", "7.50", "0", "12.3"])
                lines[i] = re.sub(r"\d+(\.\d+)?", number, lines[i], count=1)
        elif kind == 2:
            del lines[at]
        elif kind == 3:
            lines.insert(at, lines[at])
        elif kind == 4:  # a figure renamed: its uses no longer find it
            lets = [i for i, line in enumerate(lines) if line.startswith("let ")]
            if lets:
                i = rng.choice(lets)
                lines[i] = lines[i].replace("let ", "let 新", 1)
        elif kind == 5:
            main = folder / "report.rpt"
            text = main.read_text(encoding="utf-8")
            setting = rng.choice(
                [
                    ("percent-decimals: 0", "percent-decimals: 1"),
                    ("percent-decimals: 1", "percent-decimals: 0"),
                    ("rounding: half-up", "rounding: half-even"),
                    ("rounding: half-even", "rounding: half-up"),
                    ("money-decimals: 2", "money-decimals: 1"),
                    ("money-decimals: 1", "money-decimals: 2"),
                ]
            )
            main.write_text(text.replace(*setting), encoding="utf-8")
            yield
            continue
        elif kind == 6:  # a unit changed
            lines[at] = lines[at].replace("万元", "元", 1)
        elif kind == 7:
            lines.append(f"check {rng.choice(names)} >= 0")
        else:
            path.write_text(original[path], encoding="utf-8")
            yield
            continue
        path.write_text("\n".join(lines), encoding="utf-8")
        yield


def _edit_workbook(path: Path, rng: random.Random) -> None:
    """One number of one sheet of the workbook made another."""
    with zipfile.ZipFile(path) as old:
        members = {info: old.read(info) for info in old.infolist()}
    sheets = [info for info in members if info.filename.startswith("xl/worksheets/sheet")]
    sheet = rng.choice(sheets)
    text = members[sheet].decode("utf-8")
    numbers = list(re.finditer(r"<v>(\d+(?:\.\d+)?)</v>", text))
    if numbers:
        found = rng.choice(numbers)
        steps = [Decimal(1), Decimal("0.01"), Decimal(100)]
        changed = str(Decimal(found.group(1)) + rng.choice(steps))
        text = text[: found.start(1)] + changed + text[found.end(1) :]
        members[sheet] = text.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in members.items():
            new.writestr(info, data)


# An item left as it was whose meaning changes with an edit elsewhere: what it
# reads (a figure's unit, value or written decimals, a unit's size) or what a
# pattern of it matches (a figure added). The units are declared in a file of
# their own: the edit of a figure leaves them the same objects.
MAIN_READING = """---
title: 重建
money-decimals: 2
---
include "units.rpti"
include "part.rpti"
let 合计 = 甲 + 乙 * 2
let 收入合计 = sum(收入.*)
let 人数 = 3 千人
check 甲 >= 1.5 万元
合计为<合计>，收入<收入合计>，比率<率>，甲占<甲/乙:%>，<甲 to 元>，<人数 to 人>。
"""
READ = {
    "units.rpti": "unit 千人 = 1000 人\n",
    "part.rpti": """let 甲 = 1.5 万元
let 乙 = 2 万元
let 率 = 96.3%
let 收入.甲 = 1 万元
let 收入.乙 = 2 万元
""",
}
EDITS_ELSEWHERE = {
    "a unit": ("part.rpti", "let 甲 = 1.5 万元", "let 甲 = 1.5 元"),
    "a value": ("part.rpti", "let 甲 = 1.5 万元", "let 甲 = 2.5 万元"),
    "written decimals": ("part.rpti", "let 率 = 96.3%", "let 率 = 96.35%"),
    "a figure a pattern matches": (
        "part.rpti",
        "let 收入.乙 = 2 万元",
        "let 收入.乙 = 2 万元\nlet 收入.丙 = 3 万元",
    ),
    "a precision a check compares at": ("part.rpti", "let 甲 = 1.5 万元", "let 甲 = 1.54 万元"),
    "a unit's size": ("units.rpti", "= 1000 人", "= 100 人"),
}


def _reading(folder: Path, edit: tuple[str, str, str] | None = None) -> Path:
    for name, text in READ.items():
        written = text
        if edit is not None and edit[0] == name:
            assert edit[1] in text
            written = text.replace(edit[1], edit[2])
        (folder / name).write_text(written, encoding="utf-8")
    path = folder / "report.rpt"
    path.write_text(MAIN_READING, encoding="utf-8")
    return path


@pytest.mark.parametrize("edit", EDITS_ELSEWHERE)
def test_an_unchanged_item_is_typed_and_valued_anew_when_what_it_reads_changes(
    tmp_path: Path, edit: str
) -> None:
    path = _reading(tmp_path)
    first = _outcome(path)
    assert first[0] == ""  # a clean compilation: what a rebuild may reuse
    _reading(tmp_path, EDITS_ELSEWHERE[edit])
    warm = _outcome(path)
    load.forget_parsed()
    cold = _outcome(path)
    assert cold != first  # the edit shows
    assert warm == cold


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What each compilation types: the name of each figure, `Check` for each
    check and the kind of each block."""
    from rpt.check import typecheck  # noqa: PLC0415

    return _counted(monkeypatch, typecheck._Checker, ("_figure", "_check", "_block"))


@pytest.fixture
def evaluated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What each compilation evaluates, named likewise (a block of the IR)."""
    from rpt.evaluation import evaluate  # noqa: PLC0415

    seen = _counted(monkeypatch, evaluate._Evaluator, ("_figure", "_check"))
    refs = evaluate._refs

    def counting(evaluator: Any, block: Any) -> Any:
        seen.append(type(block).__name__)
        return refs(evaluator, block)

    monkeypatch.setattr(evaluate, "_refs", counting)
    return seen


def _counted(monkeypatch: pytest.MonkeyPatch, owner: type, methods: tuple[str, ...]) -> list[str]:
    seen: list[str] = []
    for method in methods:
        made = getattr(owner, method)

        def counting(self: object, item: object, made: Any = made) -> Any:
            seen.append(getattr(item, "name", None) or type(item).__name__)
            return made(self, item)

        monkeypatch.setattr(owner, method, counting)
    return seen


def test_a_rebuild_types_and_evaluates_only_the_items_that_changed(
    tmp_path: Path, typed: list[str], evaluated: list[str]
) -> None:
    path = _reading(tmp_path)
    _outcome(path)
    first, first_evaluated = sorted(typed), sorted(evaluated)
    typed.clear()
    evaluated.clear()
    edit = ("part.rpti", "let 乙 = 2 万元", "let 乙 = 2 万元\n\n又一句。")
    _reading(tmp_path, edit)
    _outcome(path)
    # the figures of the file edited (parsed anew: new items), its sentence, the
    # metadata (figures made for each compilation), and nothing of the files as
    # they were
    changed = ["甲", "乙", "率", "收入.甲", "收入.乙", "Paragraph", "title"]
    assert sorted(typed) == sorted(changed)
    assert sorted(evaluated) == sorted(changed)  # their IR is new, the rest is the same
    typed.clear()
    evaluated.clear()
    load.forget_parsed()
    _outcome(path)
    assert sorted(typed) == sorted([*first, "Paragraph"])  # a fresh process types all
    assert sorted(evaluated) == sorted([*first_evaluated, "Paragraph"])


def test_a_compilation_that_reported_something_reuses_and_keeps_nothing(
    tmp_path: Path, typed: list[str], evaluated: list[str]
) -> None:
    path = _reading(tmp_path)
    _outcome(path)
    everything, all_evaluated = sorted(typed), sorted(evaluated)
    # a warning, before typing (which goes on)
    warned = ("part.rpti", "let 乙 = 2 万元", "let 乙 = 2 万元\n\n乙为＜乙＞。")
    for first, then in ((None, warned), (warned, None)):
        load.forget_parsed()
        _outcome(_reading(tmp_path, first))
        typed.clear()
        evaluated.clear()
        _outcome(_reading(tmp_path, then))
        extra = ["Paragraph"] if then else []
        assert sorted(typed) == sorted([*everything, *extra])
        assert sorted(evaluated) == sorted([*all_evaluated, *extra])


@pytest.mark.parametrize("check", ["check 甲 > 1 人", "check 甲 > 2 万元", "check 甲 / 0 > 1"])
def test_an_item_that_reported_is_typed_and_evaluated_again(tmp_path: Path, check: str) -> None:
    """Its diagnostic (of typing, a failed check, of evaluating) is reported by
    each compilation, however little changed elsewhere."""
    main = f'include "part.rpti"\n{check}\n'
    path = _report(tmp_path, main, "let 甲 = 1.5 万元\n")
    first = _outcome(path)
    assert "error" in first[0]
    _report(tmp_path, main, "let 甲 = 1.5 万元\n又一句。\n")
    warm = _outcome(path)
    load.forget_parsed()
    assert warm == _outcome(path)
    assert warm[0] == first[0]


def _table(name: str, reports: bool = False) -> str:
    """A table of two rows and their total; one that `reports` has a column of
    notes no row has a number in (E502)."""
    notes = (" 备注: 万元 |", " — |", " 5 |") if reports else ("", "", "")
    return (
        f"table {name}\ncolumns | 项目 | 金额: 万元 |{notes[0]}\n"
        f"row 项.a | 甲 | 1 |{notes[1]}\nrow 项.b | 乙 | 2 |{notes[1]}\n"
        f"row 合计 | 合计 | 3 |{notes[2]}\ncheck 合计 == sum(项.*)\nend\n"
    )


@pytest.mark.parametrize("reports", [False, True])
def test_a_rebuild_expands_only_the_tables_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reports: bool
) -> None:
    from rpt.syntax import tables  # noqa: PLC0415

    expanded: list[str] = []
    expand = tables._expand

    def counting(table: Any, diagnostics: Diagnostics) -> Any:
        expanded.append(table.name)
        return expand(table, diagnostics)

    monkeypatch.setattr(tables, "_expand", counting)
    main = 'include "part.rpti"\n' + _table("表一", reports) + "合计<表一.合计.金额>。\n"
    path = _report(tmp_path, main, _table("表二"))
    first = _outcome(path)
    assert ("E502" in first[0]) == reports
    assert sorted(expanded) == ["表一", "表二"]
    expanded.clear()
    _report(tmp_path, main, _table("表二") + "又一句。\n")
    warm = _outcome(path)
    # the table edited, and the one that reported: nothing is kept from it
    assert sorted(expanded) == (["表一", "表二"] if reports else ["表二"])
    load.forget_parsed()
    assert warm == _outcome(path)


def test_a_kept_result_is_given_for_the_same_objects_and_values_only() -> None:
    from rpt.base.kept import Kept  # noqa: PLC0415

    kept: Kept[str] = Kept(limit=2)
    clean = Diagnostics()
    item, other = object(), object()
    context = object()
    assert kept.put(item, context, "made", clean, values=(1,)) == "made"
    assert kept.get(item, context, clean, values=(1,)) == "made"
    assert kept.get(item, context, clean, values=(2,)) is None  # another value read
    assert kept.get(item, object(), clean, values=(1,)) is None  # in another context
    assert kept.get(other, context, clean, values=(1,)) is None  # another object
    kept.put(other, None, "other", clean, reads=("甲",))
    assert kept.get(other, None, clean, values_of=lambda reads: ()) == "other"
    assert kept.get(other, None, clean, values_of=lambda reads: reads) is None
    kept.put(object(), None, "third", clean)
    assert kept.get(item, context, clean, values=(1,)) is None  # the oldest made went
    assert kept.made(other, None, lambda: "again", clean) == "other"


def test_nothing_is_kept_or_given_once_something_was_reported() -> None:
    from rpt.base.codes import Code  # noqa: PLC0415
    from rpt.base.kept import Kept  # noqa: PLC0415

    kept: Kept[str] = Kept(limit=8)
    item = object()
    reported = Diagnostics()
    reported.error(Code.UNDEFINED_NAME, "reported", None)
    kept.put(item, None, "made", reported)
    assert kept.get(item, None, Diagnostics()) is None
    kept.put(item, None, "made", Diagnostics())
    assert kept.get(item, None, reported) is None
    assert kept.get(item, None, None) == "made"  # a renderer reports nothing


def test_interned_context_is_one_object_while_it_stays_the_same() -> None:
    from rpt.base.kept import Interned  # noqa: PLC0415

    by_identity: Interned[list[int]] = Interned()
    by_value: Interned[str] = Interned(by_value=True)
    first = [1]
    token = by_identity(first)
    assert by_identity(first) is token
    assert by_identity([1]) is not token  # equal, but another object
    named = by_value("甲", "乙")
    assert by_value("甲", "乙") is named
    assert by_value("甲", "丙") is not named


@given(
    st.lists(st.sampled_from(["a", "b", "报告", ".", "..", ""]), max_size=5),
    st.booleans(),
)
def test_display_path_names_a_path_as_pathlib_would(parts: list[str], below: bool) -> None:
    base = Path.cwd() if below else Path("/elsewhere")
    text = os.path.join(str(base), *parts)
    expected = text
    with contextlib.suppress(ValueError):
        expected = str(Path(text).relative_to(Path.cwd()))
    assert load.display_path(text) == expected


# the slowest test of the module last: a mutation run meets the quicker ones first
@pytest.mark.parametrize("seed", range(3))
def test_a_rebuild_after_each_edit_tells_what_a_first_build_does(tmp_path: Path, seed: int) -> None:
    """Edit after edit, a process that keeps what it compiled before prints and
    reports what a fresh process does: every result it gives again was made
    from what it depends on."""
    from rpt.base import kept  # noqa: PLC0415

    folder = tmp_path / "report"  # one place: diagnostics name their files
    shutil.copytree(EXAMPLE, folder)
    cold = []
    for _ in _edits(folder, seed, 14):
        load.forget_parsed()
        cold.append(_outcome(folder / "report.rpt"))
    shutil.rmtree(folder)
    shutil.copytree(EXAMPLE, folder)
    load.forget_parsed()
    _outcome(folder / "report.rpt")
    before = kept.hits()
    for step, _ in enumerate(_edits(folder, seed, 14)):
        assert _outcome(folder / "report.rpt") == cold[step], f"edit {step}"
    assert kept.hits() > before  # the rebuilds did reuse what was kept
