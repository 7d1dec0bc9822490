"""Evaluation (compiler/evaluation/evaluate.py): what a failed check shows (both
sides, exactly; the data cells it rests on), and the failures of evaluation
itself. The error corpus (tests/golden/errors/) shows whole diagnostics."""

from __future__ import annotations

from pathlib import Path

import pytest

from rpt.base.codes import Code
from rpt.evaluation.output_limits import MAX_FIGURE_CHARS
from rpt.pipeline import compile_report, compile_source
from rpt.render.markdown import render_markdown

DIGITS = "甲乙丙丁戊己庚辛壬癸"


def _data_report(tmp_path: Path, text: str) -> list[tuple[Code, tuple[str, ...]]]:
    """The diagnostics of a report reading figures from a CSV file, 甲 1 … 癸 10."""
    rows = "".join(f"{name},{value}\n" for value, name in enumerate(DIGITS, start=1))
    (tmp_path / "数.csv").write_text("项目,数\n" + rows, encoding="utf-8")
    (tmp_path / "main.rpt").write_text('data 表 = "数.csv" unit 元\n' + text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)  # the file is named as from where rpt runs
        diagnostics = compile_report(Path("main.rpt")).diagnostics
    return [(d.code, d.notes) for d in diagnostics]


def _cells(names: str) -> str:
    return " + ".join(f'表["{name}", "数"]' for name in names)


def _read(owner: str, names: str) -> list[str]:
    return [
        f"`{owner}` is read from 数.csv, cell B{DIGITS.index(name) + 2} ({DIGITS.index(name) + 1})"
        for name in names
    ]


def test_a_failed_check_names_its_data_cells_in_the_order_of_its_formulas(
    tmp_path: Path,
) -> None:
    text = f"let 和 = {_cells('甲乙丙丁戊')}\nlet 余 = {_cells('己庚辛壬癸')}\n"
    [(code, notes)] = _data_report(tmp_path, text + "check 和 + 余 == 54 元\n")
    assert code is Code.CHECK_FAILED
    # eight cells, then how many more
    assert notes[-9:] == (
        *_read("和", "甲乙丙丁戊"),
        *_read("余", "己庚辛"),
        "and 2 more data cells",
    )


def test_eight_data_cells_are_all_named(tmp_path: Path) -> None:
    text = f"let 和 = {_cells('甲乙丙丁')}\nlet 余 = {_cells('戊己庚辛')}\n"
    [(_, notes)] = _data_report(tmp_path, text + "check 和 + 余 == 35 元\n")
    assert notes[-8:] == (*_read("和", "甲乙丙丁"), *_read("余", "戊己庚辛"))
    assert "more data cells" not in notes[-9]


def test_a_cell_read_in_the_check_itself_has_no_figure_to_name(tmp_path: Path) -> None:
    [(_, notes)] = _data_report(tmp_path, 'check 表["甲", "数"] == 2 元\n')
    assert notes[-1] == "read from 数.csv, cell B2 (1)"


@pytest.mark.parametrize(
    ("check", "notes"),
    [
        (
            "1 万元 / 3 == 0.3 万元",
            (
                "left:  `1 万元 / 3` = 0.333333333333…万元",
                "right: `0.3 万元` = 0.3万元",
                "compared at 2 decimals: 0.33万元 vs 0.30万元",
                "difference: 0.033333333333…万元",
                "every value that rounds to the printed inputs gives: "
                "left 0.3316–0.335万元, right 0.295–0.305万元",
            ),
        ),
        (
            "1 人 / 3 人 == 30% within 1%",  # a ratio shown as the percent it is compared with
            (
                "left:  `1 人 / 3 人` = 33.333333333333…%",
                "right: `30%` = 30%",
                "allowed difference: 1%",
                "difference: 3.333333333333…%",
                "every value that rounds to the printed inputs gives: "
                "left 33.333333333333…%, right 29.5–30.5%",
            ),
        ),
        (
            "2 人 / 3 人 == 0.6",
            (
                "left:  `2 人 / 3 人` = 0.666666666667…",
                "right: `0.6` = 0.6",
                "compared at 2 decimals: 0.67 vs 0.60",
                "difference: 0.066666666667…",
            ),
        ),
        ("2 人 / 3 人 > 1", ("left:  `2 人 / 3 人` = 0.666666666667…", "right: `1` = 1")),
    ],
)
def test_a_failed_check_shows_both_sides_exactly(check: str, notes: tuple[str, ...]) -> None:
    [diagnostic] = compile_source(f"check {check}\n").diagnostics
    assert (diagnostic.code, diagnostic.message, diagnostic.label) == (
        Code.CHECK_FAILED,
        "check failed",
        "this does not hold",
    )
    assert diagnostic.notes == notes
    assert diagnostic.help is None


def test_a_division_by_zero_in_a_check_names_the_check() -> None:
    [diagnostic] = compile_source("let 零 = 0 万元\ncheck 1 万元 / 零 == 1\n").diagnostics
    assert diagnostic.code is Code.DIVISION_BY_ZERO
    assert (diagnostic.message, diagnostic.label) == ("division by zero: `零` is 0", "`零` is 0")
    assert diagnostic.notes == ("in the check: 1 万元 / 零 == 1",)
    assert diagnostic.help == (
        'a ratio against a zero base has no value; say so in words, e.g. <if(零 == 0, "无预算", …)>'
    )
    assert diagnostic.span is not None and diagnostic.span.text() == "零"


def test_a_share_of_a_group_that_adds_up_to_zero() -> None:
    text = "let 组.甲 = 0 万元\nlet 组.乙 = 0 万元\n<share(组.甲, 组.*)>\n"
    [diagnostic] = compile_source(text).diagnostics
    assert diagnostic.code is Code.DIVISION_BY_ZERO
    assert diagnostic.message == "division by zero: the group of this share adds up to 0"
    assert diagnostic.label == "a share of nothing"


@pytest.mark.parametrize(
    ("check", "holds"),
    [
        ('"乙" < "甲"', True),  # texts in the order of their characters: 乙 U+4E59, 甲 U+7532
        ('"甲" < "乙"', False),
        ('"甲" >= "乙"', True),
        ('"甲" == "甲"', True),
        ('"甲" != "甲"', False),
        ('"甲" != "乙"', True),
        ('"甲" == "乙"', False),
    ],
)
def test_texts_compare(check: str, holds: bool) -> None:
    codes = [d.code for d in compile_source(f"check {check}\n").diagnostics]
    assert codes == ([] if holds else [Code.CHECK_FAILED])


def test_a_division_by_a_formula_that_is_zero_shows_the_formula() -> None:
    [diagnostic] = compile_source("let a = 2 万元\ncheck 1 万元 / (a - a) == 1\n").diagnostics
    assert (diagnostic.message, diagnostic.label) == (
        "division by zero: `(a - a)` is 0",
        "this is 0",
    )
    assert diagnostic.help is None


def test_shares_of_two_groups_in_their_members_units() -> None:
    text = (
        "let g.a = 5000 元\nlet g.b = 1 万元\nlet h.a = 0.5 万元\nlet h.b = 0.5 万元\n"
        "<share(g.a, g.*)>、<share(h.a, h.*)>、<share(g.b, g.*, 1)>\n"
    )
    result = compile_source(text)
    assert result.document is not None and not result.diagnostics
    assert render_markdown(result.document) == "33%、50%、66.7%\n"


@pytest.mark.parametrize(("extra", "fails"), [("", False), (' + "乙"', True)])
def test_a_text_may_be_joined_up_to_the_figure_limit(extra: str, fails: bool) -> None:
    half = "甲" * (MAX_FIGURE_CHARS // 2)
    result = compile_source(f'let t = "{half}"\n<t + t{extra}>\n')
    if not fails:
        assert result.document is not None and not result.diagnostics
        assert render_markdown(result.document) == half * 2 + "\n"
        return
    [diagnostic] = result.diagnostics
    assert diagnostic.code is Code.LIMIT_EXCEEDED
    assert (diagnostic.message, diagnostic.label) == (
        "this text would be longer than 1,000 characters",
        "joined here",
    )


def test_a_figure_that_prints_longer_than_the_limit_is_refused() -> None:
    [diagnostic] = compile_source("let big = (10 ^ 60) ^ 14\n<big:,>\n").diagnostics  # 1,121
    assert diagnostic.code is Code.LIMIT_EXCEEDED
    assert (diagnostic.message, diagnostic.label) == (
        "this figure prints more than 1,000 characters",
        "printed here",
    )
