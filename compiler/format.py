"""Formats: the words of the format language, and printing a number by its
display plan. Printing is where figures are rounded for the reader (a check
rounds too, in evaluate.py, to compare at the printed precision)."""

from __future__ import annotations

from fractions import Fraction

from .ir import Display
from .numbers import round_exact


def plain(value: Fraction, decimals: int, rounding: str, *, trim: bool) -> str:
    """`value` rounded to `decimals` and written out without exponent: 34.90 or 34.9
    (never -0.00: a value that rounds to zero is printed as zero)."""
    text = f"{round_exact(value, decimals, rounding):f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def group_thousands(digits: str) -> str:
    """1234567.891 → 1,234,567.891 (the integer part only)."""
    sign = "-" if digits.startswith("-") else ""
    whole, dot, fraction = digits.lstrip("-").partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ",".join(groups) + dot + fraction


def format_number(value: Fraction, display: Display) -> str:
    shown = value * display.scale
    rounded = round_exact(shown, display.decimals, display.rounding)
    prefix = ""
    if display.words is not None:
        up, down, same = display.words
        if rounded == 0:
            return same
        prefix = up if rounded > 0 else down
        shown = abs(shown)
    elif display.sign and rounded != 0:
        prefix = "+" if rounded > 0 else "-"
        shown = abs(shown)
    digits = plain(shown, display.decimals, display.rounding, trim=display.trim)
    if display.grouping:
        digits = group_thousands(digits)
    return prefix + digits + ("余" if display.approx else "") + display.suffix
