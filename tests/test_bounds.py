"""Checks that fail for the printed figures: provably wrong (E501), or only
unconfirmed because rounding of the inputs allows them (W501). compiler/evaluation/bounds.py."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from rpt.base.codes import Code
from rpt.base.numbers import ROUNDING_MODES, round_exact
from rpt.check import ir
from rpt.check.units import standard_units
from rpt.evaluation.bounds import Affine, Bounds, constant, rounding_interval
from rpt.pipeline import compile_source
from rpt.render.markdown import render_markdown
from rpt.syntax.settings import Settings


def _codes(text: str) -> list[Code]:
    return [d.code for d in compile_source(text).diagnostics]


# ---------------------------------------------------------------- rounding intervals


@settings(max_examples=300, deadline=None)
@given(
    st.decimals(min_value=-1000, max_value=1000, places=2),
    st.integers(min_value=0, max_value=3),
    st.sampled_from(ROUNDING_MODES),
    st.fractions(min_value=0, max_value=1),
)
def test_the_rounding_interval_is_exactly_the_values_that_round_to_the_figure(
    printed: Decimal, places: int, mode: str, where: Fraction
) -> None:
    value = Fraction(round_exact(Fraction(printed), places, mode))
    lo, hi, (reaches_lo, reaches_hi) = rounding_interval(value, places, mode)

    def rounds_to_value(x: Fraction) -> bool:
        return Fraction(round_exact(x, places, mode)) == value

    assert lo <= hi  # a point only for 0 rounded up: nothing else rounds up to 0
    inside = lo + (hi - lo) * where
    if lo < inside < hi:
        assert rounds_to_value(inside)
    assert rounds_to_value(lo) == reaches_lo
    assert rounds_to_value(hi) == reaches_hi
    step = Fraction(1, 10 ** (places + 6))
    if lo < hi:
        assert rounds_to_value(lo + step) and rounds_to_value(hi - step)
    assert not rounds_to_value(lo - step) and not rounds_to_value(hi + step)


# ---------------------------------------------------------------- verdicts


def test_the_two_examples_of_the_issue() -> None:
    """1.24 ÷ 9.04 against a published 13.71%: unconfirmed; 2570.97 ÷ 6714.88
    against a published 38.28%: wrong."""
    assert _codes("let a = 1.24 万元\nlet b = 9.04 万元\ncheck a / b == 13.71%\n") == [
        Code.UNCONFIRMED_CHECK
    ]
    assert _codes("let a = 2570.97 万元\nlet b = 6714.88 万元\ncheck a / b == 38.28%\n") == [
        Code.CHECK_FAILED
    ]


@pytest.mark.parametrize(
    "check",
    [
        "check max(a, b) == 1.245 万元 exact",  # a = 1.2449 rounds to 1.245
        "check a - b == 0.02 万元 exact",  # a = 1.2449, b = 1.2250: 0.0199 → 0.02
        "check 1 万元 / a == 0.8 exact",  # a = 1.2450 is not reached, 1.24999 is: 0.80
        # inside a condition as alone (they were decided exactly there: E501)
        "check max(a, b) == 1.245 万元 and a > 0 万元 exact",
        "check not (a - b != 0.02 万元) exact",
        "check a - b == 0.02 万元 or a > 2 万元 exact",
    ],
)
def test_an_equality_that_some_rounding_of_the_inputs_satisfies_is_not_wrong(check: str) -> None:
    """A check is compared at its literals' precision: it is wrong (E501) only
    when no values behind the printed inputs round alike, not when no values
    are exactly equal."""
    assert _codes(f"let a = 1.24 万元\nlet b = 1.23 万元\n{check}\n") == [Code.UNCONFIRMED_CHECK]


@pytest.mark.parametrize(
    ("check", "code"),
    [
        ("check max(a, b) == 1.246 万元 exact", Code.CHECK_FAILED),  # 1.2449… at most
        ("check a - b == 0.03 万元 exact", Code.CHECK_FAILED),  # 0.0199… at most
        # every value behind 1.24 rounds to 1.24 at two decimals: never unequal
        ("check a != 1.24 万元", Code.CHECK_FAILED),
    ],
)
def test_rounding_alike_decides_both_ways(check: str, code: Code) -> None:
    assert _codes(f"let a = 1.24 万元\nlet b = 1.23 万元\n{check}\n") == [code]


def test_a_warning_does_not_stop_the_build() -> None:
    result = compile_source("let a = 1.24 万元\nlet b = 9.04 万元\ncheck a / b == 13.71%\n<a>\n")
    assert result.document is not None


@pytest.mark.parametrize("mode", ["half-up", "half-down", "down", "up"])
def test_two_figures_printed_to_the_cent_are_never_one_amount(mode: str) -> None:
    """The ends of rounding intervals are half-open: no amount prints both as
    217.90 and as 217.91."""
    text = f"---\nrounding: {mode}\n---\nlet a = 217.91 万元\ncheck a == 217.90 万元\n"
    assert _codes(text) == [Code.CHECK_FAILED]


def test_half_even_ends_are_closed_for_an_even_last_digit() -> None:
    """Under half-even, 0.125 prints as 0.12 and 0.135 as 0.14: 0.12 and 0.13 are
    never one amount, but 0.12 is reached from 0.125 exactly."""
    head = "---\nrounding: half-even\n---\n"
    assert _codes(head + "let a = 0.12 万元\ncheck a == 0.13 万元\n") == [Code.CHECK_FAILED]
    assert _codes(head + "let a = 0.12 万元\ncheck a >= 0.125 万元 exact\n") == [
        Code.UNCONFIRMED_CHECK
    ]


def test_counts_are_exact() -> None:
    assert _codes("let 人数 = 12 人\ncheck 人数 == 13 人\n") == [Code.CHECK_FAILED]


def test_exact_literals_stand_for_themselves() -> None:
    inexact = "let a = 1.24 万元\nlet b = 9.04 万元\ncheck a / b == 13.71%\n"
    assert _codes(inexact) == [Code.UNCONFIRMED_CHECK]
    assert _codes(
        inexact.replace("1.24 万元", "1.24 万元 exact")
        .replace("9.04 万元", "9.04 万元 exact")
        .replace("13.71%", "13.71% exact")
    ) == [Code.CHECK_FAILED]


@pytest.mark.parametrize(("op", "code"), [("<", "E501"), ("<=", ""), (">", "E501")])
def test_dependencies_are_kept(op: str, code: str) -> None:
    """人均 × 人数 is 总额 itself, whatever 总额 was rounded from: `<` is provably
    false, not merely unconfirmed as independent intervals would make it."""
    text = "let 总额 = 100 万元\nlet 人数 = 3 人\nlet 人均 = 总额 / 人数\n"
    text += f"check 人均 * 人数 {op} 总额\n"
    assert [c.code for c in _codes(text)] == ([code] if code else [])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.decimals(min_value=1, max_value=9999, places=2), min_size=1, max_size=8),
    st.integers(min_value=-60, max_value=60),
)
def test_a_sum_is_unconfirmed_exactly_within_the_rounding_of_its_terms(
    parts: list[Decimal], cents: int
) -> None:
    """total == a + b + …: within (n + 1) half-cents it cannot be proved wrong."""
    total = sum(parts, Decimal(0)) + Decimal(cents) / 100
    lets = "".join(f"let 项.p{i} = {v} 万元\n" for i, v in enumerate(parts))
    codes = _codes(f"{lets}let 合计 = {total} 万元\ncheck 合计 == sum(项.*)\n")
    if cents == 0:
        assert codes == []
    elif abs(cents) * 2 < len(parts) + 1:  # |cents| × 0.01 < (n + 1) × 0.005
        assert codes == [Code.UNCONFIRMED_CHECK]
    else:
        assert codes == [Code.CHECK_FAILED]


@settings(max_examples=150, deadline=None)
@given(
    st.decimals(min_value=Decimal("0.01"), max_value=999, places=2),
    st.decimals(min_value=Decimal("0.01"), max_value=999, places=2),
    st.decimals(min_value=0, max_value=200, places=2),
    st.lists(st.fractions(min_value=0, max_value=1), min_size=3, max_size=3),
)
def test_a_share_is_an_error_only_when_no_rounding_of_the_inputs_gives_it(
    a: Decimal, b: Decimal, published: Decimal, picks: list[Fraction]
) -> None:
    """Soundness: when rpt says E501, no amounts that print as a and b give a
    share that prints as the published percent (tried at random and at the
    corners); when it says W501, the printed figures themselves do not."""
    text = f"let a = {a} 万元\nlet b = {b} 万元\ncheck a / b == {published}%\n"
    codes = _codes(text)
    share = Fraction(a) / Fraction(b) * 100
    printed_holds = round_exact(share, 2) == round_exact(Fraction(published), 2)
    assume(not printed_holds)
    lo_a, hi_a = Fraction(a) - Fraction(1, 200), Fraction(a) + Fraction(1, 200)
    lo_b, hi_b = Fraction(b) - Fraction(1, 200), Fraction(b) + Fraction(1, 200)
    lo_p, hi_p = Fraction(published) - Fraction(1, 200), Fraction(published) + Fraction(1, 200)
    tries = [
        (lo_a, hi_b),
        (hi_a, lo_b),
        (lo_a + (hi_a - lo_a) * picks[0], lo_b + (hi_b - lo_b) * picks[1]),
    ]
    if codes == [Code.CHECK_FAILED]:
        for x, y in tries:
            assert not (lo_p < x / y * 100 < hi_p), (x, y)
    else:
        assert codes == [Code.UNCONFIRMED_CHECK]


# ---------------------------------------------------------------- precision rules


@pytest.mark.parametrize(
    ("check", "codes"),
    [
        ("217.9 万元 == 217.91 万元", ["E501"]),  # 217.9 is 217.90 at money's decimals
        ("217.905 万元 == 217.91 万元", []),  # compared at the coarser side: 217.91
        ("217.904 万元 == 217.91 万元", ["E501"]),
        ("2179100 元 == 217.91 万元", []),  # across units: 217.91 万元 is 2179100 元 ± 50
        ("2179149 元 == 217.91 万元", []),
        ("2179150 元 == 217.91 万元", ["W501"]),  # 2179149.995 元 is both, to the cent
        ("2179150 元 == 217.91 万元 exact", ["E501"]),  # exact: the half-open end
        ("2179049 元 == 217.91 万元", ["E501"]),
        ("217.91 万元 == 2179100 元", []),
        ("0.125 万元 == 0.13 万元", []),  # half-up: 0.125 prints as 0.13
        ("0.135 万元 == 0.14 万元", []),
        ("1.005 万元 == 1.01 万元", []),
        ("2.675 万元 == 2.68 万元", []),
    ],
)
def test_literals_of_different_precisions(check: str, codes: list[str]) -> None:
    assert [c.code for c in _codes(f"check {check}\n")] == codes


@pytest.mark.parametrize(
    ("part", "whole", "percent", "codes"),
    [
        (125, 1000, "13%", []),  # 12.5% rounds half-up to 13%
        (1249, 10000, "12%", []),
        (1249, 10000, "13%", ["E501"]),  # counts are exact: 12.49% is never 13%
        (125, 1000, "12%", ["E501"]),
        (135, 1000, "14%", []),
        (145, 1000, "15%", []),
    ],
)
def test_a_ratio_of_counts_against_a_percent_at_the_boundary(
    part: int, whole: int, percent: str, codes: list[str]
) -> None:
    text = f"let a = {part} 人\nlet b = {whole} 人\ncheck a / b == {percent}\n"
    assert [c.code for c in _codes(text)] == codes


FULL_WIDTH_FORMS = [
    ("+", "＋"), ("-", "－"), ("-", "−"), ("*", "×"), ("/", "÷"), ("/", "／"),
    ("==", "＝"), ("==", "="), ("!=", "≠"), ("<=", "≤"), (">=", "≥"),
    ("(", "（"), (")", "）"), (",", "，"), ("%", "％"),
]  # fmt: skip


@pytest.mark.parametrize(("ascii", "wide"), FULL_WIDTH_FORMS)
@given(st.integers(min_value=1, max_value=999), st.integers(min_value=1, max_value=999))
@settings(max_examples=15, deadline=None)
def test_every_full_width_form_means_exactly_its_ascii_form(
    ascii: str, wide: str, a: int, b: int
) -> None:
    """The same checks and references written with a full-width form compile to
    the same diagnostics and print the same text."""
    text = (
        f"let x = {a} 万元\nlet y = {b} 万元\n"
        f"check x + y == y + x\ncheck x - y == -(y - x)\ncheck x * 2 == x + x\n"
        f"check x / y * y <= x\ncheck (x >= y) or (x <= y)\ncheck x != x + 1 万元\n"
        f"check max(x, y) >= min(x, y)\ncheck x / y == x / y\ncheck 50% * x == x / 2\n"
        f"<x + y>、<x - y>、<x * 2>、<x / y:%>、<max(x, y)>、<50% * x>\n"
    )
    swapped = text.replace(ascii, wide) if ascii != "==" else text.replace(" == ", f" {wide} ")
    if ascii in ("<=", ">=", "!="):
        swapped = text.replace(f" {ascii} ", f" {wide} ")
    plain, wide_result = compile_source(text), compile_source(swapped)
    assert plain.document is not None and wide_result.document is not None
    assert [d.code for d in wide_result.diagnostics] == [d.code for d in plain.diagnostics]
    assert render_markdown(wide_result.document) == render_markdown(plain.document)


def test_a_failed_condition_shows_the_comparisons_that_fail() -> None:
    """`and` checks used to say only what was checked; they show the failing part."""
    text = 'let 甲 = 217.91 万元\nlet 乙 = 237.06 万元\ncheck 甲 == 甲 and 乙 == 甲 "对调"\n'
    [diagnostic] = compile_source(text).diagnostics
    assert diagnostic.code is Code.CHECK_FAILED
    assert any(
        note.startswith("in `乙 == 甲`: left:  `乙` = 237.06万元") for note in diagnostic.notes
    )
    assert not any("`甲 == 甲`" in note for note in diagnostic.notes)


# ---------------------------------------------------------------- within


W501, E501 = Code.UNCONFIRMED_CHECK, Code.CHECK_FAILED


@pytest.mark.parametrize(
    ("check", "measured", "exact"),
    [
        ("甲 == 乙 within 100 元", [], []),  # 3 万元 and 30050 元 differ by 50 元
        ("甲 == 乙 within 0.005 万元", [], []),  # the tolerance in its own unit
        ("乙 == 甲 within 50 元", [], []),  # the difference may equal it
        ("甲 != 乙 within 10 元", [], []),
        ("甲 != 乙 within 100 元", [W501], [E501]),
        ("甲 == 乙 within 49 元", [W501], [E501]),  # 3 万元 may be 30049 元
        ("甲 == 乙 within 0.001 万元", [W501], [E501]),
    ],
)
def test_within_allows_a_difference_up_to_the_tolerance(
    check: str, measured: list[Code], exact: list[Code]
) -> None:
    assert _codes(f"let 甲 = 3 万元\nlet 乙 = 30050 元\ncheck {check}\n") == measured
    assert _codes(f"let 甲 = 3 万元 exact\nlet 乙 = 30050 元 exact\ncheck {check}\n") == exact


def test_a_check_whose_tolerance_is_refused_is_not_run_without_it() -> None:
    result = compile_source("let 甲 = 3 万元\nlet 乙 = 30050 元\ncheck 甲 > 乙 within 100 元\n")
    assert [d.code for d in result.diagnostics] == [Code.TYPE_MISMATCH]


# ---------------------------------------------------------------- through every operation


# a = 1.24 万元 is any amount in [1.235, 1.245), b = 1.23 万元 one in [1.225, 1.235)
@pytest.mark.parametrize(
    ("check", "codes"),
    [
        ("abs(a - b) == 0.02 万元", [W501]),  # a - b reaches up to 0.02: it may print so
        ("abs(b - a) == 0.03 万元", [E501]),
        ("abs(b - a) == 0.021 万元 exact", [E501]),
        ("abs(a - b) < 0 万元", [W501]),  # a measured 0 万元 may be 0.004 万元
        ("abs(a - b) < 0 万元 exact", [E501]),
        ("max(a, b) > 1.245 万元", [W501]),
        ("max(a, b) < 1.235 万元 exact", [E501]),
        ("min(a, b) == 1.22 万元", [E501]),  # b prints 1.23 whatever it is
        ("min(a, b) < 1.225 万元", [W501]),
        ("min(a, b) >= 1.235 万元 exact", [E501]),
        ("if(a > b, a, b) == 1.25 万元", [E501]),  # the condition holds for every a and b
        ("a ^ 2 == 1.54 万元 * 1 万元 exact", []),
        ("a ^ 2 == 1.53 万元 * 1 万元 exact", [W501]),  # a² lies in [1.525, 1.550)
        ("a ^ 2 < 1.53 万元 * 1 万元", [W501]),
        ("a > 1.235 万元 and b > 1.235 万元", [W501]),
        ("a > 1.245 万元 or b > 1.235 万元", [W501]),
        ("not (a > 1.235 万元)", [W501]),
        ("not (a > 1.245 万元)", []),
        ("a - b == 0.03 万元 exact", [E501]),
    ],
)
def test_rounding_is_followed_through_every_operation(check: str, codes: list[Code]) -> None:
    assert _codes(f"let a = 1.24 万元\nlet b = 1.23 万元\ncheck {check}\n") == codes


# ---------------------------------------------------------------- every rounding of the inputs

# An expression over three measured figures, as rpt writes it and as Python
# computes it for given values of the figures under a rounding mode (None: a
# division by zero).
Values = dict[str, Fraction]
Formula = tuple[str, Callable[[Values, str], Fraction | None]]
Condition = tuple[str, Callable[[Values, str], bool | None]]
FIGURES = ("a", "b", "c")
ORDERS: dict[str, Callable[[Fraction, Fraction], bool]] = {
    "<": lambda x, y: x < y,
    "<=": lambda x, y: x <= y,
    ">": lambda x, y: x > y,
    ">=": lambda x, y: x >= y,
}


def _lifted(
    combine: Callable[..., Any], *parts: Callable[[Values, str], Any]
) -> Callable[[Values, str], Any]:
    def run(values: Values, mode: str) -> Any:
        found = [part(values, mode) for part in parts]
        return None if any(v is None for v in found) else combine(*found)

    return run


def _rounded(formula: Formula, places: int) -> Formula:
    def run(values: Values, mode: str) -> Fraction | None:
        x = formula[1](values, mode)
        return None if x is None else Fraction(round_exact(x, places, mode))

    return f"round({formula[0]}, {places})", run


def _quotient(x: Fraction, y: Fraction, z: Fraction) -> Fraction | None:
    return None if z == 0 else x * y / z


def _figure(name: str) -> Formula:
    return name, lambda values, _mode: values[name]


def _literal(text: str) -> Formula:
    return f"{text} 万元", lambda _values, _mode: Fraction(text)


def _extend(inner: st.SearchStrategy[Formula]) -> st.SearchStrategy[Formula]:
    pair = st.tuples(inner, inner)
    return st.one_of(
        inner.map(lambda e: (f"-({e[0]})", _lifted(lambda x: -x, e[1]))),
        pair.map(
            lambda p: (f"({p[0][0]} + {p[1][0]})", _lifted(lambda x, y: x + y, p[0][1], p[1][1]))
        ),
        pair.map(
            lambda p: (f"({p[0][0]} - {p[1][0]})", _lifted(lambda x, y: x - y, p[0][1], p[1][1]))
        ),
        st.tuples(inner, st.sampled_from(["2", "0.5", "-3"])).map(
            lambda p: (f"({p[0][0]} * {p[1]})", _lifted(lambda x, k=Fraction(p[1]): x * k, p[0][1]))
        ),
        inner.map(lambda e: (f"abs({e[0]})", _lifted(abs, e[1]))),
        pair.map(lambda p: (f"max({p[0][0]}, {p[1][0]})", _lifted(max, p[0][1], p[1][1]))),
        pair.map(lambda p: (f"min({p[0][0]}, {p[1][0]})", _lifted(min, p[0][1], p[1][1]))),
        st.tuples(inner, st.integers(0, 2)).map(lambda p: _rounded(*p)),
        st.tuples(inner, inner, inner).map(
            lambda t: (
                f"({t[0][0]} * {t[1][0]} / {t[2][0]})",
                _lifted(_quotient, t[0][1], t[1][1], t[2][1]),
            )
        ),
        inner.map(lambda e: (f"(({e[0]}) ^ 2 / 1 万元)", _lifted(lambda x: x * x, e[1]))),
        st.tuples(st.deferred(lambda: CONDITIONS), inner, inner).map(
            lambda t: (
                f"if({t[0][0]}, {t[1][0]}, {t[2][0]})",
                _lifted(lambda c, x, y: x if c else y, t[0][1], t[1][1], t[2][1]),
            )
        ),
    )


def _equal(x: Fraction, y: Fraction, mode: str) -> bool:
    return round_exact(x, 2, mode) == round_exact(y, 2, mode)


def _compared(op: str, left: Formula, right: Formula) -> Condition:
    """left op right, an equality decided at the cent as rpt decides it (every
    literal here is written to the cent at most)."""

    def run(values: Values, mode: str) -> bool | None:
        x, y = left[1](values, mode), right[1](values, mode)
        if x is None or y is None:
            return None
        if op in ORDERS:
            return ORDERS[op](x, y)
        return _equal(x, y, mode) == (op == "==")

    return f"{left[0]} {op} {right[0]}", run


FORMULAS: st.SearchStrategy[Formula] = st.recursive(
    st.one_of(
        st.sampled_from(FIGURES).map(_figure),
        st.sampled_from(["0.5", "1", "-2", "0.01"]).map(_literal),
    ),
    _extend,
    max_leaves=5,
)
CONDITIONS: st.SearchStrategy[Condition] = st.recursive(
    st.builds(_compared, st.sampled_from([*ORDERS, "==", "!="]), FORMULAS, FORMULAS),
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(
            lambda p: (
                f"({p[0][0]} and {p[1][0]})",
                _lifted(lambda x, y: x and y, p[0][1], p[1][1]),
            )
        ),
        st.tuples(inner, inner).map(
            lambda p: (f"({p[0][0]} or {p[1][0]})", _lifted(lambda x, y: x or y, p[0][1], p[1][1]))
        ),
        inner.map(lambda c: (f"not ({c[0]})", _lifted(lambda x: not x, c[1]))),
    ),
    max_leaves=3,
)


def _samples(value: Fraction, mode: str, pick: Fraction) -> list[Fraction]:
    """Values that print as `value` (to the cent): both ends, or just inside an
    end that is not reached, the printed value itself and one picked at random."""
    lo, hi, (reaches_lo, reaches_hi) = rounding_interval(value, 2, mode)
    inside = Fraction(1, 10**9)
    return [
        lo if reaches_lo else lo + inside,
        hi if reaches_hi else hi - inside,
        value,
        lo + (hi - lo) * pick,
    ]


RANGE = re.compile(r"left (-?[\d.]+)(?:–(-?[\d.]+))?万元, right (-?[\d.]+)(?:–(-?[\d.]+))?万元$")


TOPS = st.one_of(
    st.builds(
        lambda op, left, right: (_compared(op, left, right), (left, right)),
        st.sampled_from([*ORDERS, "==", "!="]),
        FORMULAS,
        FORMULAS,
    ),
    CONDITIONS.map(lambda condition: (condition, None)),
)


@settings(max_examples=150, deadline=None, report_multiple_bugs=False)
@given(
    st.sampled_from(ROUNDING_MODES),
    st.lists(st.integers(-300, 300), min_size=3, max_size=3),
    TOPS,
    st.lists(st.fractions(min_value=0, max_value=1), min_size=3, max_size=3),
)
def test_a_check_is_wrong_only_when_no_rounding_of_its_inputs_satisfies_it(
    mode: str,
    cents: list[int],
    top: tuple[Condition, tuple[Formula, Formula] | None],
    picks: list[Fraction],
) -> None:
    """Soundness, through every operation: a check rpt calls wrong (E501) fails
    for every value of its inputs that prints as they do, and the ranges it shows
    for the sides of a comparison hold every value they may take."""
    (text, holds), sides = top
    printed = {name: Fraction(cent, 100) for name, cent in zip(FIGURES, cents, strict=True)}
    verdict = holds(printed, mode)
    assume(verdict is not None)
    lets = "".join(
        f"let {name} = {Decimal(cent) / 100} 万元\n"
        for name, cent in zip(FIGURES, cents, strict=True)
    )
    result = compile_source(f"---\nrounding: {mode}\n---\n{lets}check {text} exact\n")
    codes = [d.code for d in result.diagnostics]
    if verdict:
        assert codes == []
        return
    assert codes in ([E501], [W501]), result.diagnostics
    [diagnostic] = result.diagnostics
    every = itertools.product(
        *(_samples(printed[n], mode, p) for n, p in zip(FIGURES, picks, strict=True))
    )
    values = [dict(zip(FIGURES, sample, strict=True)) for sample in every]
    if codes == [E501]:
        assert not any(holds(v, mode) for v in values), diagnostic.notes
    for found in filter(None, (RANGE.search(note) for note in diagnostic.notes)):
        if sides is None:
            break  # the notes of a condition show its parts
        for (_, side), (low, high) in zip(
            sides, (found.group(1, 2), found.group(3, 4)), strict=True
        ):
            for v in values:
                x = side(v, mode)
                assert x is None or Fraction(low) <= x <= Fraction(high or low), diagnostic.notes


# ---------------------------------------------------------------- comparisons of ranges

SMALL = st.fractions(min_value=-3, max_value=3, max_denominator=4)
ENDS = st.tuples(st.booleans(), st.booleans())


def _bounds(ends: dict[int, tuple[bool, bool]]) -> Bounds:
    """Bounds over no report: ranges are written as forms over unknowns 0 and 1."""

    def point(expr: object) -> ir.Value:
        raise AssertionError(f"no point value of {expr}")

    program = ir.Program(Settings(), standard_units(), (), (), (), 0)
    return Bounds(program, {}, point, _ends=ends)


def _differences(
    left: tuple[Fraction, Fraction, tuple[bool, bool]],
    right: tuple[Fraction, Fraction, tuple[bool, bool]],
) -> list[Fraction]:
    """left - right where each side is centre + radius × ε, ε in [-1, 1] without
    the ends it does not reach: at the corners, just inside them, and where the
    difference is 0."""
    tiny = Fraction(1, 10**12)

    def allowed(e: Fraction, ends: tuple[bool, bool]) -> bool:
        return (-1 < e < 1) or (e == -1 and ends[0]) or (e == 1 and ends[1])

    def grid(ends: tuple[bool, bool]) -> list[Fraction]:
        found = [Fraction(n, 2) for n in range(-2, 3)] + [-1 + tiny, 1 - tiny]
        return [e for e in found if allowed(e, ends)]

    (c1, r1, ends1), (c2, r2, ends2) = left, right
    pairs = [(e1, e2) for e1 in grid(ends1) for e2 in grid(ends2)]
    if r2:
        pairs += [(e1, (c1 + r1 * e1 - c2) / r2) for e1 in grid(ends1)]
    if r1:
        pairs += [((c2 + r2 * e2 - c1) / r1, e2) for e2 in grid(ends2)]
    return [
        c1 + r1 * e1 - (c2 + r2 * e2)
        for e1, e2 in pairs
        if allowed(e1, ends1) and allowed(e2, ends2)
    ]


SIDES = st.tuples(SMALL, SMALL, ENDS)


def _form(side: tuple[Fraction, Fraction, tuple[bool, bool]], key: int) -> Affine:
    return Affine(side[0], {key: side[1]} if side[1] else {})


HOLDS: dict[str, Callable[[Fraction], bool]] = {
    "<": lambda d: d < 0,
    "<=": lambda d: d <= 0,
    ">": lambda d: d > 0,
    ">=": lambda d: d >= 0,
    "==": lambda d: d == 0,
    "!=": lambda d: d != 0,
}


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(HOLDS)), SIDES, SIDES)
def test_a_comparison_of_ranges_is_decided_exactly(
    op: str,
    left: tuple[Fraction, Fraction, tuple[bool, bool]],
    right: tuple[Fraction, Fraction, tuple[bool, bool]],
) -> None:
    """True when every value of the two sides satisfies `op`, False when none
    does, None when some do: forms over independent unknowns are compared
    exactly, their half-open ends honoured."""
    bounds = _bounds({0: left[2], 1: right[2]})
    truth = bounds.compare(
        op,
        Affine(left[0], {0: left[1]} if left[1] else {}),
        Affine(right[0], {1: right[1]} if right[1] else {}),
    )
    results = {HOLDS[op](d) for d in _differences(left, right)}
    assert truth == (results.pop() if len(results) == 1 else None)


@settings(max_examples=300, deadline=None)
@given(SIDES, SIDES, st.fractions(min_value=0, max_value=3, max_denominator=4), st.booleans())
# no difference at all is within a tolerance of 0
@example(
    (Fraction(1), Fraction(0), (True, True)),
    (Fraction(1), Fraction(0), (True, True)),
    Fraction(0),
    True,
)
def test_within_is_decided_over_both_ranges(
    left: tuple[Fraction, Fraction, tuple[bool, bool]],
    right: tuple[Fraction, Fraction, tuple[bool, bool]],
    tolerance: Fraction,
    closed: bool,
) -> None:
    """|left - right| <= tolerance for every value (True), for none (False), or
    for some (None); exactly so when the ranges reach their ends."""
    if closed:
        left, right = (left[0], left[1], (True, True)), (right[0], right[1], (True, True))
    bounds = _bounds({0: left[2], 1: right[2]})
    truth = bounds.within(
        _form(left, 0),
        _form(right, 1),
        constant(tolerance),
    )
    results = {abs(d) <= tolerance for d in _differences(left, right)}
    if closed or truth is not None:
        assert truth == (results.pop() if len(results) == 1 else None)


LETS = (
    "let a = 1.24 万元\nlet b = 1.23 万元\nlet c = 1.25 万元\n"
    "let u = 1 万元 exact\nlet q = 0.006 万元\nlet r = -0.005 万元\n"
    "let z = 0.01 万元\nlet w = -0.01 万元\n"
)


def _verdict(text: str) -> tuple[list[Code], list[str]]:
    [diagnostic] = compile_source(text).diagnostics
    ranges = [note.split("gives: ")[1] for note in diagnostic.notes if note.startswith("every")]
    return [diagnostic.code], ranges


# a in [1.235, 1.245), b in [1.225, 1.235), c in [1.245, 1.255), q in [0.0055, 0.0065),
# r in (-0.0055, -0.0045]: each check below fails for the printed figures
@pytest.mark.parametrize(
    ("check", "code", "ranges"),
    [
        ("round(a, 1) < 1.2 万元", E501, []),  # every a rounds to 1.2
        ("round(c, 1) <= 1.2 万元", W501, ["left 1.2–1.3万元, right 1.2万元"]),
        ("round(c, 1) < 1.2 万元", E501, ["left 1.2–1.3万元, right 1.2万元"]),
        # a part above the others is the max itself: max(a, b) - a is 0
        ("max(a, b) - a > 0 万元", E501, []),
        ("min(a, b) - b < 0 万元", E501, []),
        ("if(a > 1.24 万元, a, b) > 1.236 万元", W501, ["left 1.225–1.245万元, right 1.236万元"]),
        ("if(a > 1.24 万元, a, b) < 1.225 万元", E501, ["left 1.225–1.245万元, right 1.225万元"]),
        # dividing by a range that holds 0 bounds nothing, however near its centre is
        ("u * u / (q - 0.0058 万元) < 0 万元", W501, []),
        ("u * u / (q - 0.0055 万元) < 0 万元", W501, []),
        ("u * u / (r + 0.0045 万元) > 0 万元", W501, []),
        (
            "u * u / (a - 0.24 万元) < 0.5 万元",
            E501,
            ["left 0.995–1.0051万元, right 0.5万元"],
        ),
        (
            "u * u / (a - 2.24 万元) > -0.5 万元",
            E501,
            ["left -1.0051–-0.995万元, right -0.5万元"],
        ),
        ("u * u / a > 1 万元", E501, ["left 0.8032–0.8098万元, right 1万元"]),
        ("1 万元 / a ^ -1 > 2 万元 * 1 万元", E501, ["left 1.235–1.245万元^2, right 2万元^2"]),
        ("a * b > 2 万元 * 1 万元", E501, ["left 1.5128–1.5376万元^2, right 2万元^2"]),
        ("abs(a - 1.236 万元) <= 0 万元", W501, ["left 0–0.009万元, right 0万元"]),  # a = 1.236
        ("abs(a - 1.242 万元) >= 0.007 万元", W501, ["left 0–0.007万元, right 0.007万元"]),
        ("abs(a - 1.3 万元) < 0.055 万元", E501, ["left 0.055–0.065万元, right 0.055万元"]),
    ],
)
def test_the_range_of_each_operation(check: str, code: Code, ranges: list[str]) -> None:
    assert _verdict(f"{LETS}check {check} exact\n") == ([code], ranges)


@pytest.mark.parametrize(
    "check",
    [
        # z in [0.01, 0.02), w in (-0.02, -0.01]: abs() of a range that ends at 0 is
        # the range itself (or its negation), its dependency on z or w kept
        "abs(z - 0.01 万元) - z < -0.01 万元",
        "abs(w + 0.01 万元) + w > -0.01 万元",
    ],
)
def test_abs_of_a_range_that_ends_at_zero(check: str) -> None:
    assert _verdict(f"---\nrounding: down\n---\n{LETS}check {check} exact\n") == ([E501], [])


# T holds for every a, F for none, U for some (and not for the printed a = 1.24),
# U2 for some (and for the printed a): what a condition's parts decide
T, F, U, U2 = "a > 1 万元", "a > 2 万元", "a > 1.24 万元", "a >= 1.24 万元"


@pytest.mark.parametrize(
    ("check", "code"),
    [
        (f"not ({T} or {U})", E501),
        (f"not ({U} or {T})", E501),
        (f"{F} or {F}", E501),
        (f"{F} or {U}", W501),
        (f"not ({T} and {T})", E501),
        (f"not ({U2} and {T})", W501),
        (f"not {T}", E501),
        (f"not (not {U})", W501),
        (f"if({T}, {U}, {F})", W501),
        (f"if({T}, {F}, {U})", E501),
        (f"if({U}, {F}, {F})", E501),
        (f"if({U}, {F}, {U})", W501),
        (f"if({F}, {U}, {F})", E501),
        ('not (名称 == "甲")', E501),  # texts are compared exactly
        ("not true", E501),
        # an equality in a condition is decided at its precision
        (f"a == 1.3 万元 or {F}", E501),
        (f"a != 1.24 万元 or {F}", E501),  # every a prints as 1.24
        (f"not (a == 1.24 万元) or {F}", E501),
    ],
)
def test_each_part_of_a_condition_decides_it(check: str, code: Code) -> None:
    text = f'let a = 1.24 万元\nlet 名称 = "甲"\ncheck {check} exact\n'
    assert _codes(text) == [code]


@pytest.mark.parametrize(
    ("check", "code"),
    [
        ("p - p > 0 万元 * 1 万元", E501),  # a figure is one range wherever it is used
        ("if(a > 2 万元, b, a) < 1.235 万元", E501),  # the branch taken, not both
        ("(a - 1.24 万元) ^ 0 > 1", E501),  # x ^ 0 is 1, even where x may be 0
    ],
)
def test_a_figure_and_a_branch_keep_their_dependencies(check: str, code: Code) -> None:
    text = f"{LETS}let p = a * b\ncheck {check} exact\n"
    assert _codes(text) == [code]


def test_round_rounds_a_range_by_the_reports_mode() -> None:
    """Under `down`, every c in [1.25, 1.26) rounds to 1.2 (half-up would give 1.3)."""
    text = f"---\nrounding: down\n---\n{LETS}check round(c, 1) > 1.2 万元 exact\n"
    assert _verdict(text) == ([E501], [])


@pytest.mark.parametrize(
    ("op", "left", "right", "truth"),
    [
        # (centre, radius, (reaches -1, reaches +1)) of each side; right side unknown 1
        ("==", (-1, 1, (True, False)), (0, 0, (True, True)), False),  # [-2, 0) never 0
        ("==", (-1, 1, (True, True)), (0, 0, (True, True)), None),  # [-2, 0] ends at 0
        ("==", (1, 1, (True, True)), (0, 0, (True, True)), None),  # [0, 2] starts at 0
        ("==", (1, 1, (False, True)), (0, 0, (True, True)), False),  # (0, 2]
        ("<=", (2, 1, (False, True)), (0, 1, (True, True)), False),  # (1, 3] - [-1, 1]
        (">=", (0, 1, (True, True)), (2, 1, (False, True)), False),
    ],
)
def test_the_ends_of_a_comparison(
    op: str,
    left: tuple[int, int, tuple[bool, bool]],
    right: tuple[int, int, tuple[bool, bool]],
    truth: bool | None,
) -> None:
    bounds = _bounds({0: left[2], 1: right[2]})
    forms = [
        _form((Fraction(c), Fraction(r), ends), key)
        for key, (c, r, ends) in enumerate((left, right))
    ]
    assert bounds.compare(op, *forms) is truth


# ---------------------------------------------------------------- equalities of one range


@pytest.mark.parametrize(
    ("check", "code"),
    [
        # r is one range wherever it is used: r and r + 1% never round alike to the
        # hundredth (they differ by one step), though their ranges overlap
        ("r == r + 2%", E501),
        ("r + 2% == r", E501),
        ("r == r + 1%", E501),
        ("r + 1% == r", E501),
        # less than a step apart: some value of r rounds alike with r + 0.95%
        ("r + 0.95% == r", W501),
    ],
)
def test_an_equality_of_one_range_with_itself_shifted(check: str, code: Code) -> None:
    """0.05 ÷ 0.09 万元 is 0.47 to 0.65 for the values behind them: wide enough
    that r and r + 2% overlap, but each value of r is one value of r + 2%."""
    text = f"let a = 0.05 万元\nlet b = 0.09 万元\nlet r = a / b\ncheck {check} exact\n"
    assert _codes(text) == [code]


@pytest.mark.parametrize(
    "check",
    [
        # x = 1.2335 prints as 1.234 and gives 1.245 and -1.245, which print as
        # 1.25 and -1.25 half-up: the end x reaches decides
        "2.4785 万元 - x == 1.25 万元",
        "x - 2.4785 万元 == -1.25 万元",
    ],
)
def test_an_equality_is_decided_by_the_ends_the_values_reach(check: str) -> None:
    assert _codes(f"let x = 1.234 万元\ncheck {check} exact\n") == [W501]


# ---------------------------------------------------------------- a figure's declared bounds


@pytest.mark.parametrize(
    ("bounds", "code"),
    [
        ("0 万元..2 万元", E501),
        # a's range [1.195, 1.205] lies within: f is a itself, always 0.01 short
        ("1.195 万元..2 万元", E501),
        ("0 万元..1.205 万元", E501),
        # cut to [1.2, 1.205]: a range of its own, that may print as 1.21
        ("1.2 万元..2 万元", W501),
    ],
)
def test_a_figure_within_its_bounds_keeps_its_dependencies(bounds: str, code: Code) -> None:
    text = f"let a = 1.2 万元\nlet f = a in {bounds}\ncheck f == a + 0.01 万元 exact\n"
    assert _codes(text) == [code]


def test_a_figure_cut_to_one_value_by_its_bounds() -> None:
    """Rounded down, 1.20 is [1.20, 1.21); at most 1.2, f is 1.2 and no more."""
    text = "---\nrounding: down\n---\nlet a = 1.20 万元\nlet f = a in 0 万元..1.2 万元\n"
    assert _codes(text + "check f > 1.2 万元 exact\n") == [E501]


# ---------------------------------------------------------------- approximations reach their ends


@pytest.mark.parametrize(
    ("head", "lets", "check"),
    [
        # half-down: 1.205 prints as 1.20 and -1.005 as -1.00; their product
        # -1.211025 is the least, and reached
        ("half-down", "a = 1.20 万元\nlet b = -1.00 万元", "a * b / 1 万元 <= -1.211025 万元"),
        # 1.205 × 1.005 = 1.211025 is the greatest product, and reached
        ("half-down", "a = 1.20 万元\nlet b = 1.00 万元", "a * b / 1 万元 >= 1.211025 万元"),
        # 1.255 prints as 1.25 half-down: 1.255 / x is 1 at least, and reached
        ("half-down", "x = 1.25 万元", "1.255 万元 / x <= 1"),
        # 1.245 prints as 1.25 half-up: 1.245 / x is 1 at most, and reached
        ("half-up", "x = 1.25 万元", "1.245 万元 / x >= 1"),
    ],
)
def test_a_product_and_a_quotient_reach_the_ends_of_their_range(
    head: str, lets: str, check: str
) -> None:
    """The term that bounds what a linear approximation leaves out is reached at
    the corners: a check that only the corner satisfies is unconfirmed, not wrong."""
    text = f"---\nrounding: {head}\n---\nlet {lets}\ncheck {check} exact\n"
    assert _codes(text) == [W501]


@pytest.mark.parametrize(
    ("check", "code"),
    [
        # a is [1.235, 1.245), x + y is [1.23, 1.25): max(a, x + y) is at least 1.235
        ("max(a, x + y) == 1.23 万元", E501),
        ("max(a, x + y) == 1.25 万元", W501),
        # min(a, x + y) is 1.23 where x + y is
        ("min(a, x + y) == 1.23 万元", W501),
    ],
)
def test_the_range_of_max_and_min_of_overlapping_ranges(check: str, code: Code) -> None:
    text = f"let a = 1.24 万元\nlet x = 0.62 万元\nlet y = 0.62 万元\ncheck {check} exact\n"
    assert _codes(text) == [code]
