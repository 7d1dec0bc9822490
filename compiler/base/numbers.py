"""Exact numbers: the one constructor, exact arithmetic, display rounding.

A figure is written as a decimal and read as a `decimal.Decimal` (`number`),
exactly as written. Arithmetic is exact: values are `fractions.Fraction`, so a
quotient is carried as the fraction it is (总额 / 3 × 3 is 总额 again, and
1e42 + 1 is not 1e42), and nothing is rounded until a figure is printed, by the
mode the report names (`round_exact`, which returns the printed Decimal). No
float is ever involved, and nothing reads or changes the thread's decimal
context.

Exactness has a price in digits, so a number may have at most `MAX_DIGITS`
digits above and below its fraction bar: far beyond any report, and small
enough that every operation stays fast whatever a hostile source writes.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

ROUNDING_MODES = ("half-up", "half-even", "half-down", "down", "up")
HALF_UP = "half-up"

# A thousand digits: a number this long is no report's, and an operation on two
# of them takes microseconds; 1 MB of source can still only build one by powers
# and products, and each step is checked.
MAX_DIGITS = 1000
MAX_BITS = MAX_DIGITS * 3322 // 1000 + 1  # log2(10) = 3.3219… bits a digit

# `1e5` reads as the number 1 and a unit `e5`; the diagnostics that follow say so.
EXPONENT_NOTATION = re.compile(r"[0-9][eE][0-9]+")
EXPONENT_HELP = "numbers are written out in full, not in exponent notation: 1e5 is 100000"

ZERO = Fraction(0)
ONE = Fraction(1)


class TooLarge(ArithmeticError):
    """A result with more than MAX_DIGITS digits above or below its fraction bar."""


def number(text: str) -> Decimal:
    """The only way a literal becomes a number: exact, from its written digits."""
    return Decimal(text)


def exact(value: Decimal) -> Fraction:
    """A literal as the exact fraction it is (0.1 is 1/10)."""
    return bounded(Fraction(value))


def bounded(value: Fraction) -> Fraction:
    """`value`, or TooLarge when it has more digits than a number may have."""
    # both parts at once: Fraction's numerator and denominator are a Python call each
    numerator, denominator = value.as_integer_ratio()
    if numerator.bit_length() > MAX_BITS or denominator.bit_length() > MAX_BITS:
        raise TooLarge
    return value


def power(base: Fraction, exponent: int) -> Fraction:
    """base ** exponent, refused before it is computed when it would be too large."""
    # a number of b bits is at least 2**(b-1): its power at least 2**((b-1)*n)
    bits = max(base.numerator.bit_length(), base.denominator.bit_length())
    if (bits - 1) * abs(exponent) > MAX_BITS:
        raise TooLarge
    return bounded(base**exponent)


def round_exact(value: Fraction, places: int, mode: str = HALF_UP) -> Decimal:
    """`value` rounded to `places` decimals (negative: tens, hundreds…) by `mode`,
    computed on integers, so the result is exact; the sign follows the value,
    and a value that rounds to zero is zero (never -0)."""
    numerator, denominator = value.as_integer_ratio()  # one call (see bounded)
    if places >= 0:  # value × 10^places, on integers (Fraction's gcd is not needed)
        numerator *= 10**places
    else:
        denominator *= 10**-places
    whole, rest = divmod(abs(numerator), denominator)
    twice = 2 * rest
    match mode:
        case "half-up":
            up = twice >= denominator
        case "half-even":
            up = twice > denominator or (twice == denominator and whole % 2 == 1)
        case "half-down":
            up = twice > denominator
        case "down":
            up = False
        case "up":
            up = rest != 0
        case _:
            raise ValueError(f"unknown rounding mode {mode}")
    whole += up
    sign = "-" if numerator < 0 and whole else ""
    return Decimal(f"{sign}{whole}E{-places}")


def decimal_places(value: Fraction) -> int | None:
    """How many decimals `value` takes to write exactly; None when its decimal
    expansion does not end (1/3)."""
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    return max(twos, fives) if denominator == 1 else None


def written_decimals(text: str) -> int:
    """Decimals written in a literal: `217.91` → 2, `12` → 0."""
    return len(text.split(".", 1)[1]) if "." in text else 0


def power_of_ten(value: Fraction) -> int | None:
    """n when `value` is exactly 10**n, else None (a value 0 or below has no digits
    "1000…" to show)."""
    if value.denominator == 1:
        digits, sign = str(value.numerator), 1
    elif value.numerator == 1:
        digits, sign = str(value.denominator), -1
    else:
        return None
    if digits != "1" + "0" * (len(digits) - 1):
        return None
    return sign * (len(digits) - 1)


def exact_text(value: Fraction) -> str:
    """A value written exactly: 217.91, -0.005, or a fraction that no decimal ends,
    `1/3 (0.333333333333…)`, with twelve decimals of it for the reader."""
    places = decimal_places(value)
    if places is not None:
        return f"{round_exact(value, places):f}"
    approximate = f"{round_exact(value, 12):f}".rstrip("0").rstrip(".")
    return f"{value.numerator}/{value.denominator} ({approximate}…)"
