"""Formats: the words of the format language, and printing a number by its
display plan. Printing is where figures are rounded for the reader (a check
rounds too, in evaluate.py, to compare at the printed precision)."""

from __future__ import annotations

from fractions import Fraction

from ..base.chinese import capital_amount, decimal_counting, digit_by_digit
from ..base.numbers import ONE, round_exact
from ..check.ir import Display


def plain(value: Fraction, decimals: int, rounding: str, *, trim: bool) -> str:
    """`value` rounded to `decimals` and written out without exponent: 34.90 or 34.9
    (never -0.00: a value that rounds to zero is printed as zero)."""
    text = f"{round_exact(value, decimals, rounding):f}"
    if trim and "." in text:
        text = text.rstrip("0").removesuffix(".")
    return text


def scaled(value: Fraction, scale: Fraction) -> Fraction:
    """value × scale. Most scales are ONE (a figure in its own unit, a sum of
    figures in one unit), and a product of Fractions is computed in Python,
    gcds and all: a thousand of them were a tenth of evaluating a report."""
    return value if scale is ONE else value * scale


def group_thousands(digits: str) -> str:
    """1234567.891 → 1,234,567.891 (the integer part only)."""
    sign = "-" if digits.startswith("-") else ""
    whole, dot, fraction = digits.removeprefix("-").partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ",".join(groups) + dot + fraction


def format_number(value: Fraction, display: Display) -> str:
    shown = scaled(value, display.scale)
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
    if display.whole and rounded == rounded.to_integral_value():
        digits = plain(shown, 0, display.rounding, trim=False)
    suffix = display.suffix
    match display.numerals:
        case "大写":
            digits = capital_amount(round_exact(shown, 2, display.rounding))
        case "中文" if suffix in ("%", "‰"):
            digits = ("百分之" if suffix == "%" else "千分之") + decimal_counting(digits)
            suffix = ""
        case "中文":
            digits = decimal_counting(digits)
        case "年份":
            digits = digit_by_digit(digits)
        case None:
            if display.grouping:
                digits = group_thousands(digits)
        case _:
            raise AssertionError(f"no numerals {display.numerals}")
    return prefix + digits + ("余" if display.approx else "") + suffix


def format_items(values: tuple[Fraction, ...], display: Display) -> str:
    """Several figures in one phrase, as Chinese writes them: the change word once,
    the numbers joined by 、, a unit once at the end (减少3.2、1.5万元) but a percent
    after each number (下降5%、3%). The values change one way (evaluate.py)."""
    printed = [format_number(value, display) for value in values]
    if display.words is not None:
        words = {text[:2] for text in printed if text != display.words[2]}
        if len(words) == 1:
            word = words.pop()
            printed = [text.removeprefix(word) for text in printed]
            printed[0] = word + printed[0]
    if display.suffix.strip() in ("%", "‰"):
        return "、".join(printed)
    return "、".join(text.removesuffix(display.suffix) for text in printed) + display.suffix
