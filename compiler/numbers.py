"""Exact numbers: the one constructor, the arithmetic context, display rounding.

Every figure is a `decimal.Decimal`. Nothing here reads or changes the thread's
global decimal context: arithmetic runs inside `arithmetic()`, rounding names its
mode explicitly.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

# 40 significant digits keep quotients such as 1/3 far below any display precision
# while staying cheap; exponent bounds keep a hostile input from building numbers
# with millions of digits.
ARITHMETIC = decimal.Context(
    prec=40,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

ROUNDING_MODES: dict[str, str] = {
    "half-up": decimal.ROUND_HALF_UP,
    "half-even": decimal.ROUND_HALF_EVEN,
    "half-down": decimal.ROUND_HALF_DOWN,
    "down": decimal.ROUND_DOWN,
    "up": decimal.ROUND_UP,
}

HALF_UP = "half-up"


# `1e5` reads as the number 1 and a unit `e5`; the diagnostics that follow say so.
EXPONENT_NOTATION = re.compile(r"[0-9][eE][0-9]+")
EXPONENT_HELP = "numbers are written out in full, not in exponent notation: 1e5 is 100000"


def number(text: str) -> Decimal:
    """The only way a literal becomes a number: exact, from its written digits."""
    return Decimal(text)


@contextmanager
def arithmetic() -> Iterator[decimal.Context]:
    """The arithmetic context for a stretch of evaluation (operators use it)."""
    with decimal.localcontext(ARITHMETIC) as context:
        yield context


# Single operations name their context instead: entering a local context copies
# it, which costs more than the operation.
def multiply(a: Decimal, b: Decimal) -> Decimal:
    return ARITHMETIC.multiply(a, b)


def divide(a: Decimal, b: Decimal) -> Decimal:
    return ARITHMETIC.divide(a, b)


def power(a: Decimal, n: int) -> Decimal:
    return ARITHMETIC.power(a, n)


def round_to(value: Decimal, places: int, mode: str = HALF_UP) -> Decimal:
    """`value` rounded to `places` decimals (negative: tens, hundreds…) by `mode`."""
    exponent = Decimal(1).scaleb(-places, ARITHMETIC)
    # quantize needs room for every integer digit plus the decimals asked for
    needed = value.adjusted() + places + 2
    context = ARITHMETIC if needed <= ARITHMETIC.prec else ARITHMETIC.copy()
    context.prec = max(context.prec, needed)
    return value.quantize(exponent, rounding=ROUNDING_MODES[mode], context=context)


def written_decimals(text: str) -> int:
    """Decimals written in a literal: `217.91` → 2, `12` → 0."""
    return len(text.split(".", 1)[1]) if "." in text else 0


def power_of_ten(value: Decimal) -> int | None:
    """n when `value` is exactly 10**n, else None."""
    if value <= 0:
        return None
    normal = value.normalize()
    _, digits, exponent = normal.as_tuple()
    if digits == (1,) and isinstance(exponent, int):
        return exponent
    return None
