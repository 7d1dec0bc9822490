"""Exact arithmetic, rounding and formatting, pinned by vectors and by properties.

The properties compare rpt against an independent model built on
`fractions.Fraction`, never against rpt's own helpers.
"""

from __future__ import annotations

import re
import time
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rpt.base.numbers import (
    MAX_BITS,
    MAX_DIGITS,
    TooLarge,
    bounded,
    decimal_places,
    power,
    power_of_ten,
    round_exact,
)
from rpt.check.ir import Display
from rpt.check.units import Unit, standard_units
from rpt.evaluation.format import format_number, group_thousands, plain
from rpt.pipeline import compile_source
from rpt.render.markdown import render_markdown

HALF_UP_VECTORS = [
    ("0.125", 2, "0.13"),
    ("0.135", 2, "0.14"),
    ("0.145", 2, "0.15"),
    ("1.005", 2, "1.01"),
    ("2.675", 2, "2.68"),
    ("1234.565", 2, "1234.57"),
    ("-2.675", 2, "-2.68"),
    ("0.5", 0, "1"),
    ("2.5", 0, "3"),
    ("-0.5", 0, "-1"),
    ("99.5", 0, "100"),
]


@pytest.mark.parametrize(("value", "places", "expected"), HALF_UP_VECTORS)
def test_half_up_vectors(value: str, places: int, expected: str) -> None:
    assert str(round_exact(Fraction(Decimal(value)), places)) == expected


@pytest.mark.parametrize(("value", "places", "expected"), HALF_UP_VECTORS)
def test_half_up_vectors_through_the_compiler(value: str, places: int, expected: str) -> None:
    result = compile_source(f"<{value}:.{places}>\n")
    assert result.document is not None
    assert render_markdown(result.document).strip() == expected


def _model_round(value: Fraction, places: int) -> Fraction:
    """Half-up (ties away from zero), computed on fractions."""
    scaled = abs(value) * 10**places
    whole = int(scaled)
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    result = Fraction(whole, 10**places)
    return -result if value < 0 else result


decimals = st.decimals(
    min_value=Decimal("-1e12"),
    max_value=Decimal("1e12"),
    allow_nan=False,
    allow_infinity=False,
    places=6,
)


@given(decimals, st.integers(min_value=0, max_value=6))
def test_round_matches_model(value: Decimal, places: int) -> None:
    assert Fraction(round_exact(Fraction(value), places)) == _model_round(Fraction(value), places)


@given(decimals, st.integers(min_value=0, max_value=6))
def test_plain_has_fixed_decimals(value: Decimal, places: int) -> None:
    text = plain(Fraction(value), places, "half-up", trim=False)
    assert (len(text.split(".")[1]) if "." in text else 0) == places
    assert Fraction(Decimal(text)) == _model_round(Fraction(value), places)
    assert not text.startswith("-") or Fraction(Decimal(text)) < 0  # never "-0.00"


@given(decimals, st.integers(min_value=0, max_value=6))
def test_trimmed_has_no_trailing_zeros(value: Decimal, places: int) -> None:
    text = plain(Fraction(value), places, "half-up", trim=True)
    if "." in text:
        assert not text.endswith("0") and not text.endswith(".")
    assert Fraction(Decimal(text)) == _model_round(Fraction(value), places)


@given(st.integers(min_value=-(10**15), max_value=10**15), st.integers(min_value=0, max_value=3))
def test_grouping_keeps_the_digits(whole: int, places: int) -> None:
    digits = plain(Fraction(whole, 1000), places, "half-up", trim=False)
    grouped = group_thousands(digits)
    assert grouped.replace(",", "") == digits
    integer = grouped.lstrip("-").split(".")[0]
    groups = integer.split(",")
    assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3


WORDS = ("增加", "减少", "持平")


@given(decimals, st.integers(min_value=0, max_value=4))
def test_change_words_follow_the_rounded_sign(value: Decimal, places: int) -> None:
    display = Display(Fraction(1), places, True, "万元", "half-up", words=WORDS)
    text = format_number(Fraction(value), display)
    rounded = _model_round(Fraction(value), places)
    if rounded == 0:
        assert text == "持平"
    else:
        assert text.startswith("增加" if rounded > 0 else "减少")
        number = text[2:].removesuffix("万元")
        assert Fraction(Decimal(number)) == abs(rounded)


MONEY = ["元", "千元", "万元", "亿元"]


@given(decimals, st.sampled_from(MONEY), st.sampled_from(MONEY))
def test_unit_conversion_round_trips_exactly(value: Decimal, a: str, b: str) -> None:
    units = standard_units()
    there = units.conversion(Unit.named(a), Unit.named(b))
    back = units.conversion(Unit.named(b), Unit.named(a))
    assert Fraction(value) * there * back == Fraction(value)
    assert (
        Fraction(there)
        == Fraction({"元": 1, "千元": 1000, "万元": 10000, "亿元": 10**8}[a])
        / {
            "元": 1,
            "千元": 1000,
            "万元": 10000,
            "亿元": 10**8,
        }[b]
    )


amounts = st.decimals(min_value=0, max_value=Decimal("99999.99"), places=2)


@settings(max_examples=60, deadline=None)
@given(amounts, amounts, st.integers(min_value=0, max_value=4))
def test_sum_of_mixed_units_printed_in_yuan(a: Decimal, b: Decimal, places: int) -> None:
    source = f"let a = {a} 万元\nlet b = {b} 元\n<a + b to 元:.{places}>\n"
    result = compile_source(source)
    assert result.document is not None
    printed = render_markdown(result.document).strip().removesuffix("元")
    exact = Fraction(a) * 10000 + Fraction(b)
    assert Fraction(Decimal(printed)) == _model_round(exact, places)


@settings(max_examples=60, deadline=None)
@given(amounts.filter(lambda d: d > 0), amounts, st.integers(min_value=0, max_value=3))
def test_share_printed_as_percent(total: Decimal, part: Decimal, places: int) -> None:
    source = f"let total = {total} 万元\nlet part = {part} 万元\n<part / total:.{places}%>\n"
    result = compile_source(source)
    assert result.document is not None
    printed = render_markdown(result.document).strip().removesuffix("%")
    assert Fraction(Decimal(printed)) == _model_round(
        Fraction(part) / Fraction(total) * 100, places
    )


# ---------------------------------------------------------------- exactness (issue 11.4)


def _codes(text: str) -> list[str]:
    return [d.code.code for d in compile_source(text).diagnostics]


def _printed(text: str) -> str:
    result = compile_source(text)
    assert result.document is not None, result.diagnostics
    return render_markdown(result.document).strip()


def test_adding_one_to_a_42_digit_figure_changes_it() -> None:
    """Beyond the 40 digits Decimal used to carry, 10^42 + 1 was 10^42."""
    big = "1" + "0" * 42
    text = f"let 大 = {big} 元\nlet 和 = 大 + 1 元\ncheck 和 > 大\ncheck 和 != 大\n<和 - 大>\n"
    assert _printed(text) == "1元"
    assert _printed(f"let 大 = {big} 元\n<大 + 1 元:num>\n") == big[:-1] + "1"


@pytest.mark.parametrize(
    ("op", "holds"), [("<", False), ("<=", True), (">=", True), (">", False), ("==", True)]
)
def test_a_quotient_times_its_divisor_is_exactly_the_dividend(op: str, holds: bool) -> None:
    text = (
        "let 总额 = 100 万元\nlet 人数 = 3 人\nlet 人均 = 总额 / 人数\n"
        f"check 人均 * 人数 {op} 总额\n"
    )
    assert _codes(text) == ([] if holds else ["E501"])


fractions_ = st.fractions(min_value=-1000, max_value=1000, max_denominator=1000)


@settings(max_examples=150, deadline=None)
@given(st.decimals(min_value=-999, max_value=999, places=3), fractions_.filter(bool))
def test_division_then_multiplication_is_exact(value: Decimal, divisor: Fraction) -> None:
    """(a / d) × d == a, compared with `<=` and `>=`, which compare exact values."""
    d = f"({divisor.numerator} / {divisor.denominator})"
    text = f"let a = {value} 万元\nlet q = a / {d}\ncheck q * {d} <= a\ncheck q * {d} >= a\n"
    assert _codes(text) == []


def test_conversions_to_a_unit_of_twelve_are_exact() -> None:
    text = (
        "unit 打 = 12 个\nlet 只 = 1 个\n"
        "check (只 to 打) * 12 <= 1 打\ncheck (只 to 打) * 12 >= 1 打\n<只 to 打:.4>\n"
    )
    assert _printed(text) == "0.0833打"


@pytest.mark.parametrize("digits", [38, 39, 40, 41, 60, 200])
def test_long_figures_print_and_round_exactly(digits: int) -> None:
    whole = "9" * digits
    assert _printed(f"<{whole}.995 元:.2>\n") == str(int(whole) + 1) + ".00元"
    assert _printed(f"<{whole}.994 元:.2>\n") == whole + ".99元"
    assert _printed(f"<-{whole}.5 元:.0>\n") == "-" + str(int(whole) + 1) + "元"


def test_numbers_beyond_the_digit_bound_are_refused() -> None:
    assert _codes(f"let a = {'9' * (MAX_DIGITS + 1)} 元\n") == ["E402"]
    assert _codes(f"let a = {'9' * MAX_DIGITS} 元\n") == []
    half = "9" * (MAX_DIGITS // 2 + 1)
    assert _codes(f"let a = {half}\nlet b = a * a\n") == ["E402"]
    assert _codes("let a = 1 / 3\nlet b = a ^ 3000\n") == ["E304"]  # exponent bound first
    assert _codes("let a = 7 / 3\nlet b = ((a ^ 64) ^ 64) ^ 64\n") == ["E402"]


@pytest.mark.parametrize("mode", ["half-up", "half-even", "half-down", "down", "up"])
@given(st.fractions(min_value=-(10**6), max_value=10**6), st.integers(min_value=-3, max_value=6))
def test_round_exact_matches_a_model_in_every_mode(mode: str, value: Fraction, places: int) -> None:
    scaled = value * Fraction(10) ** places
    toward = int(scaled)  # truncated toward zero
    away = toward + (1 if scaled > 0 else -1)
    distance = abs(scaled - toward)
    if scaled == toward or mode == "down":
        expected = toward
    elif mode == "up":
        expected = away
    elif distance != Fraction(1, 2):
        expected = toward if distance < Fraction(1, 2) else away
    elif mode == "half-up":
        expected = away
    elif mode == "half-down":
        expected = toward
    else:
        expected = toward if toward % 2 == 0 else away
    assert Fraction(round_exact(value, places, mode)) == Fraction(expected) / Fraction(10) ** places


# ---------------------------------------------------------------- the sign after rounding

KINDS = {
    "money": ("{v} 万元", ""),
    "count": ("{v} 人", ""),
    "percent": ("{v}%", ""),
    "ratio": ("{v} 万元 / 1 万元", " %"),
    "points": ("{v}% - 0%", " 百分点"),
}
SIGNED = ["增减", "增长", "升降", "sign"]


@settings(max_examples=300, deadline=None)
@given(
    st.decimals(min_value=Decimal("-0.02"), max_value=Decimal("0.02"), places=4),
    st.sampled_from(sorted(KINDS)),
    st.sampled_from(SIGNED),
    st.integers(min_value=0, max_value=3),
)
def test_no_format_prints_a_signed_zero(value: Decimal, kind: str, word: str, places: int) -> None:
    """Whatever the kind of value, a sign or change word is decided after rounding:
    never +0.00, -0.00, 增加0 or 减少0.00; 持平 exactly when the value prints as 0."""
    declared, extra = KINDS[kind]
    fmt = f"{word} .{places}{extra}"
    text = f"let x = {declared.format(v=value)}\n<x:{fmt}>\n"
    result = compile_source(text)
    assert result.document is not None, result.diagnostics
    printed = render_markdown(result.document).strip()
    scale = 100 if kind == "ratio" else 1
    zero = round_exact(Fraction(value) * scale, places) == 0
    digits = re.sub(r"[^0-9.]", "", printed)
    if zero:
        assert printed == "持平" if word != "sign" else not printed.startswith(("+", "-"))
    else:
        assert Decimal(digits) != 0
        assert (
            printed[0] in "+-"
            if word == "sign"
            else printed[:2] in ("增加", "减少", "增长", "下降", "上升")
        )
    assert not re.search(r"[+\-]0(\.0+)?(?![.0-9])", printed)


# ---------------------------------------------------------------- the helpers, at their edges


def test_a_number_may_have_max_digits_above_and_below_its_bar() -> None:
    edge = 2 ** (MAX_BITS - 1)  # the largest power of two within the bound
    for value in (Fraction(edge), Fraction(1, edge), Fraction(-edge), Fraction(edge, edge + 1)):
        assert bounded(value) == value
    for value in (Fraction(2 * edge), Fraction(1, 2 * edge), Fraction(-2 * edge)):
        with pytest.raises(TooLarge):
            bounded(value)
    assert MAX_BITS == MAX_DIGITS * 3322 // 1000 + 1


@pytest.mark.parametrize(
    ("base", "exponent", "result"),
    [
        (Fraction(3, 2), 5, Fraction(243, 32)),
        (Fraction(3, 2), -2, Fraction(4, 9)),
        (Fraction(-2), 3, Fraction(-8)),
        (Fraction(7), 0, Fraction(1)),
        (Fraction(1), 10**6, Fraction(1)),  # a one-bit base never grows
        (Fraction(2), MAX_BITS - 1, Fraction(2 ** (MAX_BITS - 1))),
    ],
)
def test_power_is_exact_within_the_bound(base: Fraction, exponent: int, result: Fraction) -> None:
    assert power(base, exponent) == result


@pytest.mark.parametrize(
    ("base", "exponent"), [(2, MAX_BITS), (2, -MAX_BITS), (3, 2200), (10, -1001)]
)
def test_power_refuses_what_would_be_too_large(base: int, exponent: int) -> None:
    with pytest.raises(TooLarge):
        power(Fraction(base), exponent)


@pytest.mark.parametrize("base", [Fraction(3), Fraction(-2), Fraction(3, 2), Fraction(1, 3)])
def test_power_refuses_a_two_bit_base_before_computing_it(base: Fraction) -> None:
    # 3 ** 10**8 has 158 million bits and takes minutes to compute: the bound
    # must be judged from the base's bits, not by computing the power and looking.
    started = time.process_time()
    with pytest.raises(TooLarge):
        power(base, 10**8)
    assert time.process_time() - started < 1


@pytest.mark.parametrize("mode", ["sideways", "", "HALF-UP"])
def test_round_exact_refuses_a_mode_it_does_not_know(mode: str) -> None:
    with pytest.raises(ValueError, match=rf"unknown rounding mode {mode}$"):
        round_exact(Fraction(1, 3), 2, mode)


@pytest.mark.parametrize(
    ("value", "places"),
    [
        (Fraction(5), 0), (Fraction(1, 2), 1), (Fraction(1, 8), 3), (Fraction(1, 20), 2),
        (Fraction(3, 1024), 10), (Fraction(7, 625), 4), (Fraction(-1, 40), 3),
        (Fraction(1, 3), None), (Fraction(1, 6), None), (Fraction(5, 7), None),
    ],
)  # fmt: skip
def test_decimal_places_says_when_a_value_ends(value: Fraction, places: int | None) -> None:
    assert decimal_places(value) == places


@settings(max_examples=50)
@given(
    st.integers(min_value=0, max_value=1500),
    st.integers(min_value=0, max_value=1400),
    st.sampled_from([1, 3, 7, 3**40]),
)
def test_decimal_places_of_any_denominator(twos: int, fives: int, other: int) -> None:
    # denominators far past a float's range: 2**1500 and 5**1400 have thousands of bits
    value = Fraction(1, 2**twos * 5**fives * other)
    assert decimal_places(value) == (max(twos, fives) if other == 1 else None)
    places = decimal_places(value)
    if places is not None:  # the fewest decimals that write it: one fewer does not
        assert (value * 10**places).denominator == 1
        assert places == 0 or (value * 10 ** (places - 1)).denominator != 1


@pytest.mark.parametrize(
    ("value", "exponent"),
    [
        (Fraction(1), 0), (Fraction(10), 1), (Fraction(1000), 3), (Fraction(1, 100), -2),
        (Fraction(20), None), (Fraction(1, 20), None), (Fraction(0), None), (Fraction(-10), None),
        (Fraction(11), None), (Fraction(3, 10), None), (Fraction(100, 3), None),
    ],
)  # fmt: skip
def test_power_of_ten_recognises_only_exact_powers(value: Fraction, exponent: int | None) -> None:
    assert power_of_ten(value) == exponent
