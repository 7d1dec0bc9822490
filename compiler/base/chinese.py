"""Numbers written in Chinese: counting numerals (十二, 一百零五, 三点五), numerals
digit by digit as years are written (二〇二三), and the capital forms of money
amounts (大写金额: 壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分), following the rules of the
People's Bank of China for writing amounts on bills (支付结算办法, 附件一):

- a 0 between digits is written 零, and a run of 0s is one 零 (¥1,409.50 →
  壹仟肆佰零玖元伍角, ¥6,007.14 → 陆仟零柒元壹角肆分);
- when the 元 place is 0 but the 角 is not, no 零 is written (¥1,680.32 →
  壹仟陆佰捌拾元叁角贰分, the rule's second permitted form);
- when the 角 is 0 and the 分 is not, 零 follows 元 (¥325.04 → 叁佰贰拾伍元零肆分);
- an amount to the 元 ends in 整 (¥10 → 壹拾元整); after 角 and 分 no 整 is
  written (the rule permits leaving it out after 角);
- the tens of an amount are always counted (壹拾), as bills require.
"""

from __future__ import annotations

from decimal import Decimal

DIGITS = "零一二三四五六七八九"
CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "十", "百", "千")
CAPITAL_PLACES = ("", "拾", "佰", "仟")
YEAR_DIGITS = "〇一二三四五六七八九"


def counting(value: int) -> str:
    """A whole number in counting numerals: 12 → 十二, 105 → 一百零五, 110 →
    一百一十, 10010 → 一万零一十. Beyond 万亿 the digits are read one by one."""
    if value < 0:
        return "负" + counting(-value)
    text = _grouped(value, DIGITS, PLACES)
    # 十二, not 一十二, when the number begins with its tens
    return text[1:] if text.startswith("一十") else text


def decimal_counting(text: str) -> str:
    """A printed number (`3.25`, `-12`) in counting numerals: 三点二五, 负十二."""
    sign = "负" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    spoken = counting(int(whole))
    if fraction:
        spoken += "点" + "".join(DIGITS[int(d)] for d in fraction)
    return sign + spoken


def digit_by_digit(text: str) -> str:
    """Digits one by one, as years are written: 2023 → 二〇二三."""
    return "".join(YEAR_DIGITS[int(d)] if d.isdigit() else d for d in text)


def capital_amount(yuan: Decimal) -> str:
    """An amount of money in 元, rounded to the 分 already, in capital numerals."""
    sign = "负" if yuan < 0 else ""
    fen = int(abs(yuan) * 100)
    whole, jiao, cents = fen // 100, fen // 10 % 10, fen % 10
    if whole == 0 and jiao == 0 and cents == 0:
        return "零元整"
    text = _grouped(whole, CAPITAL_DIGITS, CAPITAL_PLACES) + "元" if whole else ""
    if jiao == 0 and cents == 0:
        return sign + text + "整"
    if jiao:
        text += CAPITAL_DIGITS[jiao] + "角"
    elif whole:
        text += "零"  # 角 is 0, 分 is not: 叁佰贰拾伍元零肆分
    if cents:
        text += CAPITAL_DIGITS[cents] + "分"
    return sign + text


def _grouped(value: int, digits: str, places: tuple[str, ...]) -> str:
    """A whole number read as Chinese reads it, by 亿 and 万 (一万零一亿 for
    10001 亿): the zeros that end a section are not read, and every other run of
    zeros is one 零 (107000 → 十万七千, 100700 → 十万零七百)."""
    # each section, and the least low part that fills it (一万一千, but 一万零九百)
    for size, word, full in ((10**8, "亿", 10**7), (10**4, "万", 1000)):
        if value >= size:
            high, low = divmod(value, size)
            text = _grouped(high, digits, places) + word
            if low:
                # a low part shorter than its section begins with a zero, read once
                text += (digits[0] if low < full else "") + _grouped(low, digits, places)
            return text
    if value == 0:
        return digits[0]
    text = ""
    zero = False
    for place in range(3, -1, -1):
        digit = value // 10**place % 10
        if digit == 0:
            zero = bool(text)
            continue
        text += (digits[0] if zero else "") + digits[digit] + places[place]
        zero = False
    return text
