"""Evaluation (compiler/evaluation/evaluate.py): what a failed check shows (both
sides, exactly; the data cells it rests on), and the failures of evaluation
itself. The error corpus (tests/golden/errors/) shows whole diagnostics."""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rpt.base.codes import Code
from rpt.evaluation.evaluate import Outcome, largest_remainder
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
    assert diagnostic.span is not None and diagnostic.span.text() == "share(组.甲, 组.*)"


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


def test_a_number_printed_inside_a_formula() -> None:
    """`(x:%)` makes a text of a number, as its format prints it."""
    result = compile_source('let a = 2 万元\nlet b = 3 万元\n<"占" + (a / b:%)>\n')
    assert result.document is not None and not result.diagnostics
    assert render_markdown(result.document) == "占67%\n"


def test_a_number_printed_inside_a_formula_longer_than_the_limit_is_refused() -> None:
    [diagnostic] = compile_source('let big = (10 ^ 60) ^ 14\n<"共" + (big:,)>\n').diagnostics
    assert diagnostic.code is Code.LIMIT_EXCEEDED
    assert (diagnostic.message, diagnostic.label) == (
        "this figure prints more than 1,000 characters",
        "printed here",
    )
    assert diagnostic.span is not None and diagnostic.span.text() == "(big:,)"


def test_zero_to_a_negative_power_is_a_division_by_zero() -> None:
    [diagnostic] = compile_source("let z = 0\nlet r = z ^ -1\n<r>\n").diagnostics
    assert diagnostic.code is Code.DIVISION_BY_ZERO
    assert (diagnostic.message, diagnostic.label) == ("division by zero: `z` is 0", "`z` is 0")
    assert diagnostic.span is not None and diagnostic.span.text() == "z"


def test_one_to_a_negative_power_is_one() -> None:
    result = compile_source("let e = 1\nlet r = e ^ -2\n<r>\n")
    assert result.document is not None and not result.diagnostics
    assert render_markdown(result.document) == "1\n"


def test_figures_after_one_that_does_not_type_are_still_checked() -> None:
    text = "let bad = 1 万元 + 1 人\nlet b = 2 万元\ncheck b == 3 万元\n"
    codes = [d.code for d in compile_source(text).diagnostics]
    assert codes == [Code.INCOMPATIBLE_UNITS, Code.CHECK_FAILED]


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("check 1 万元 == 1 万元\n", Outcome.HELD),
        ("check 1 万元 == 2 万元\n", Outcome.FAILED),
        ("let a = 1.24 万元\nlet b = 9.04 万元\ncheck a / b == 13.71%\n", Outcome.UNCONFIRMED),
        ("let z = 0 万元\ncheck 1 万元 / z == 1\n", Outcome.NOT_RUN),
    ],
)
def test_the_outcome_of_each_check_is_recorded(text: str, outcome: Outcome) -> None:
    """What `rpt explain` and `rpt diff` report of a check."""
    facts = compile_source(text).facts
    assert facts is not None
    assert [check.outcome for check in facts.checks] == [outcome]


# ---------------------------------------------------------------- what a failed check shows


@pytest.mark.parametrize(
    ("check", "shown"),
    [
        # 1/4096 has exactly 12 decimals: shown whole
        ("1 万元 / 4096 > 1 万元", "0.000244140625万元"),
        # 1/8192 has 13: cut to 12, and … says that it goes on
        ("1 万元 / 8192 > 1 万元", "0.000122070313…万元"),
        # 1.0000000000000333…: the zeros of the 12 decimals are not shown
        ("1 + 1 / 30000000000000 > 2", "1…"),
    ],
)
def test_a_side_is_shown_to_twelve_decimals_at_most(check: str, shown: str) -> None:
    [diagnostic] = compile_source(f"check {check}\n").diagnostics
    assert diagnostic.notes[0] == f"left:  `{check.partition(' >')[0]}` = {shown}"


def test_an_inequality_that_fails_shows_both_sides_at_its_precision() -> None:
    [diagnostic] = compile_source("let a = 1.23 万元\ncheck a != 1.23 万元\n").diagnostics
    assert diagnostic.code is Code.CHECK_FAILED
    assert diagnostic.notes[2:4] == (
        "compared at 2 decimals: 1.23万元 vs 1.23万元",
        "difference: 0万元",
    )


@pytest.mark.parametrize(
    ("text", "compared"),
    [
        (
            "---\nmoney-decimals: 1\n---\nlet a = 1.2 万元\ncheck a == 1.3 万元\n",
            "compared at 1 decimal: 1.2万元 vs 1.3万元",
        ),
        # 1.2 亿元 is known to 0.01 亿元, the nearest 100 万元
        (
            "let a = 12345 万元\ncheck a == 1.2 亿元\n",
            "compared at the nearest 100: 12300万元 vs 12000万元",
        ),
    ],
)
def test_the_precision_an_equality_is_compared_at_is_named(text: str, compared: str) -> None:
    [diagnostic] = compile_source(text).diagnostics
    assert diagnostic.notes[2] == compared


def test_a_tolerance_without_bounds_cannot_prove_a_check_wrong() -> None:
    """`a - b` may be 0 for the values behind 1.00 and 0.99: the tolerance it
    divides has no bounds, and the check is only unconfirmed."""
    text = "let a = 1.00 万元\nlet b = 0.99 万元\n"
    text += "check 2 万元 == 1 万元 within 0.5 万元 * (0.01 万元 / (a - b))\n"
    assert [d.code for d in compile_source(text).diagnostics] == [Code.UNCONFIRMED_CHECK]


@pytest.mark.parametrize("sides", ["a == 1.2 万元", "1.2 万元 == a"])
def test_an_equality_rounds_by_the_reports_rounding_mode(sides: str) -> None:
    """At one decimal, 1.25 is 1.2 half-even (and 1.3 half-up)."""
    head = "---\nmoney-decimals: 1\nrounding: {}\n---\nlet a = 1.25 万元 exact\n"
    assert compile_source(head.format("half-even") + f"check {sides}\n").diagnostics == []
    result = compile_source(head.format("half-up") + f"check {sides}\n")
    assert [d.code for d in result.diagnostics] == [Code.CHECK_FAILED]


def test_a_failed_check_on_a_figure_built_by_doubling_reports_at_once() -> None:
    """Each figure the check rests on is visited once when its data cells are
    looked for: f40 reads f39 twice, which reads f38 twice … (2^40 paths)."""
    lets = "let f0 = 1 万元\n" + "".join(f"let f{i} = f{i - 1} + f{i - 1}\n" for i in range(1, 41))
    [diagnostic] = compile_source(lets + "check f40 == 1 万元\n").diagnostics
    assert diagnostic.notes[0] == "left:  `f40` = 1099511627776万元"


# ---------------------------------------------------------------- shares


def test_the_shares_of_a_group_are_checked_by_the_reports_rounding_mode() -> None:
    """12.5% and 87.5% print as 12% and 88% half-even (100%), 13% and 88% half-up."""
    text = "let g.a = 1 万元\nlet g.b = 7 万元\n<share(g.a, g.*)>、<share(g.b, g.*)>\n"
    result = compile_source("---\nrounding: half-even\n---\n" + text)
    assert result.document is not None and not result.diagnostics
    assert render_markdown(result.document) == "12%、88%\n"
    [diagnostic] = compile_source(text).diagnostics
    assert diagnostic.code is Code.SHARES_NOT_100
    assert diagnostic.message == "the shares of this group print as 13%、88%, which add up to 101%"


@pytest.mark.parametrize(
    ("shares", "places", "expected"),
    [
        ([10.1, 20.2, 69.7], 0, [10, 20, 70]),  # the largest remainder is the last
        ([10.9, 89.1], 0, [11, 89]),  # the largest remainder is not the largest share
        ([50.05, 49.95], 1, [50.1, 49.9]),
        ([Fraction(100, 3)] * 3, 0, [34, 33, 33]),  # a tie: the first listed first
    ],
)
def test_largest_remainder_gives_the_remainder_to_the_largest_remainders(
    shares: list[float | Fraction], places: int, expected: list[float]
) -> None:
    exact = [Fraction(str(s)) if isinstance(s, float) else s for s in shares]
    result = largest_remainder(exact, places)
    assert result == [Fraction(str(e)) for e in expected]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=8),
    st.integers(min_value=0, max_value=3),
)
def test_largest_remainder_adds_up_to_100_by_the_largest_remainders(
    weights: list[int], places: int
) -> None:
    """Hamilton's method: each share is cut to its place or raised one unit; the
    raised ones have remainders no smaller than those cut (on a tie, the first
    listed is raised), and the shares add up to exactly 100."""
    total = sum(weights)
    exact = [Fraction(100 * w, total) for w in weights]
    unit = Fraction(1, 10**places)
    result = largest_remainder(exact, places)
    assert sum(result) == 100
    floors = [value // unit * unit for value in exact]
    raised = [r != f for r, f in zip(result, floors, strict=True)]
    assert all(r in (f, f + unit) for r, f in zip(result, floors, strict=True))
    remainders = [value - f for value, f in zip(exact, floors, strict=True)]
    for i, j in itertools.product(range(len(exact)), repeat=2):
        if raised[i] and not raised[j]:
            assert remainders[i] > remainders[j] or (remainders[i] == remainders[j] and i < j)


# ---------------------------------------------------------------- figures under one change word


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ((0, 1.5), "`a` 持平, `b` 增加1.5万元"),  # no change is a direction of its own
        ((0, -1.5), "`a` 持平, `b` 减少1.5万元"),
        ((0.5, 1.5), None),  # both up, one under 1
        ((-0.5, -1.5), None),
    ],
)
def test_figures_under_one_change_word_change_one_way(
    values: tuple[float, float], shown: str | None
) -> None:
    a, b = values
    result = compile_source(f"let a = {a} 万元\nlet b = {b} 万元\n分别<a、b:增减>。\n")
    if shown is None:
        assert result.document is not None and not result.diagnostics
        return
    [diagnostic] = result.diagnostics
    assert diagnostic.code is Code.MIXED_CHANGES
    assert diagnostic.message == (
        f"figures under one change word change in different directions: {shown}"
    )
    # the reference prints nothing: no document, and none for the review tools either
    assert result.document is None and result.preview is None


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        # rounded down to the cent, 0.005 is 0.00: 持平 beside 增加
        ((0.005, 1), "`a` 持平, `b` 增加1.00万元"),
        ((-0.005, -1), "`a` 持平, `b` 减少1.00万元"),
    ],
)
def test_the_direction_of_a_change_is_decided_by_the_reports_rounding(
    values: tuple[float, float], shown: str
) -> None:
    a, b = values
    text = f"let a = {a} 万元\nlet b = {b} 万元\n分别<a、b:增减.2>。\n"
    assert not compile_source(text).diagnostics  # half-up: 0.01, both one way
    [diagnostic] = compile_source("---\nrounding: down\n---\n" + text).diagnostics
    assert diagnostic.code is Code.MIXED_CHANGES
    assert diagnostic.message.endswith(shown)


@pytest.mark.parametrize("sign", ["", "-"])
def test_the_direction_of_a_change_is_that_of_the_printed_figure(sign: str) -> None:
    """0.004 prints as 0.4%: a change, as 1000% is, in the same direction."""
    text = f"let a = {sign}0.004\nlet b = {sign}10\n<a、b:增减 %.1>\n"
    result = compile_source(text)
    assert result.document is not None and not result.diagnostics
    word = "减少" if sign else "增加"
    assert render_markdown(result.document) == f"{word}0.4%、1000.0%\n"


def test_the_figures_under_one_change_word_are_named_as_written() -> None:
    text = "let a = 1 万元\nlet b = 2 万元\n<a  -  b、b:增减>\n"
    [diagnostic] = compile_source(text).diagnostics
    assert diagnostic.message.endswith("`a - b` 减少1万元, `b` 增加2万元")


def test_figures_of_both_signs_without_a_change_word_print() -> None:
    result = compile_source("let a = -3 万元\nlet b = 2 万元\n<a、b>\n")
    assert result.document is not None and not result.diagnostics
    assert render_markdown(result.document) == "-3、2万元\n"


def test_a_reference_that_does_not_type_leaves_no_preview() -> None:
    """The review tools compare a document that prints every reference: one of
    a reference in error would print a value nobody computed."""
    result = compile_source("let a = 1 万元\n\n甲<a:%>，乙<a>。\n")
    assert [d.code for d in result.diagnostics] == [Code.PERCENT_OF_DIMENSIONAL]
    assert result.document is None and result.preview is None
