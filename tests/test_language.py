"""What a second real report needed of the language (issue 13): cells that are a
number or a text, the metadata as figures, written heading numbers, percentage
points, several figures in one phrase, shares that add up, one rule for
decimals, Chinese list numbers and numerals, diagnostics in the author's names,
and bounds."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rpt.base.chinese import CAPITAL_DIGITS, DIGITS, capital_amount, counting, digit_by_digit
from rpt.base.codes import Code
from rpt.evaluation.evaluate import largest_remainder
from rpt.pipeline import compile_source
from rpt.render.markdown import render_markdown


def _printed(text: str) -> str:
    result = compile_source(text)
    assert result.document is not None, result.diagnostics
    return render_markdown(result.document).strip()


def _codes(text: str) -> list[Code]:
    return [d.code for d in compile_source(text).diagnostics]


# ---------------------------------------------------------------- a cell: a number or a text

SHARE_TABLE = (
    "table 表\nunit 万元\ncolumns | 项目 | 金额: 万元 | 占比: % |\nheader | 项目 | 金额 | 占比 |\n"
    'row a | 甲 | {a} | = if(合计.金额 == 0, "—", 金额 / 合计.金额) |\n'
    'row 合计 | 合计 | = a.金额 | = if(合计.金额 == 0, "—", 金额 / 合计.金额) |\nend\n'
)


def test_a_share_column_prints_a_dash_for_an_empty_section() -> None:
    assert "| 甲 | 0.00 | — |" in _printed(SHARE_TABLE.format(a="0"))
    assert "| 甲 | 5.00 | 100% |" in _printed(SHARE_TABLE.format(a="5"))


def test_a_number_or_text_cannot_be_computed_with() -> None:
    text = SHARE_TABLE.format(a="5") + "let x = 表.a.占比 * 2\ncheck 表.a.占比 <= 100%\n"
    assert _codes(text) == [Code.TYPE_MISMATCH, Code.TYPE_MISMATCH]


# ---------------------------------------------------------------- metadata

HEAD = (
    "---\ntitle: 某县教育局2022年度单位决算\norganisation: 某县教育局\n"
    "year: 2022\ndate: 2023-06-20\n---\n"
)


def test_the_metadata_are_figures() -> None:
    printed = _printed(HEAD + "<organisation><year>年度决算，与<year - 1>年相比。<date>\n")
    assert printed.endswith("某县教育局2022年度决算，与2021年相比。2023年6月20日")
    english = HEAD.replace("---\ntitle", "---\nlocale: en\ntitle")
    assert _printed(english + "<date>\n").endswith("20 June 2023")


def test_a_figure_named_like_a_metadata_key_is_declared_twice() -> None:
    assert _codes(HEAD + "let year = 2023\n") == [Code.DUPLICATE_NAME]
    assert _codes("let year = 2023\n<year>\n") == []  # no front matter year: a figure


# ---------------------------------------------------------------- heading numbers


def test_headings_start_and_skip_where_the_author_says() -> None:
    text = "# 部门决算表 {2}\n## 收入\n## 采购 {5}\n## 资产\n# 说明\n## 一 {-}\n## 二\n"
    printed = _printed(text).split("\n\n")
    assert printed == [
        "## 第二部分 部门决算表", "### 一、收入", "### 五、采购", "### 六、资产",
        "## 第三部分 说明", "### 一", "### 一、二",
    ]  # fmt: skip


# ---------------------------------------------------------------- percentage points

RATES = "let 本年.率 = 91.33%\nlet 上年.率 = 89.89%\nlet a = 2 万元\nlet b = 3 万元\n"


def test_a_difference_of_rates_prints_in_points() -> None:
    text = "---\npercent-decimals: 2\n---\n" + RATES
    assert _printed(text + "<本年.率 - 上年.率:增减 百分点>\n") == "增加1.44个百分点"
    assert _printed(text + "<a / b - a / (b + a):升降 百分点>\n") == "上升26.67个百分点"
    assert _printed(text + "<本年.率 - 上年.率:百分点 sign>\n") == "+1.44个百分点"


@pytest.mark.parametrize("fmt", ["", ":%", ":增减", ":增长", ":sign", ":.2", ":增减 %"])
def test_a_difference_of_rates_is_never_a_percent(fmt: str) -> None:
    assert _codes(RATES + f"<本年.率 - 上年.率{fmt}>\n") == [Code.POINTS_AS_PERCENT]


def test_a_sum_of_rates_and_a_rate_less_a_number_are_no_points() -> None:
    assert _printed(RATES + "<a / b + a / b:%>、<a / b - 1:增长 %>\n") == "133%、下降33%"


# ---------------------------------------------------------------- several figures in one phrase

PHRASE = "let 基本 = -3.2 万元\nlet 项目 = -1.5 万元\nlet 甲 = -5%\nlet 乙 = -3%\nlet 增 = 2 万元\n"


def test_several_figures_share_one_change_word_and_one_unit() -> None:
    assert _printed(PHRASE + "分别<基本、项目:增减>，分别<甲、乙:增长>\n") == (
        "分别减少3.2、1.5万元，分别下降5%、3%"
    )
    assert _printed(PHRASE + "<基本 to 元、项目:元 num>\n") == "-32000、-15000"


def test_figures_under_one_change_word_must_change_one_way() -> None:
    assert _codes(PHRASE + "<基本、增:增减>\n") == [Code.MIXED_CHANGES]
    assert _codes(PHRASE + "<基本、甲>\n") == [Code.INCOMPATIBLE_UNITS]


# ---------------------------------------------------------------- shares


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.decimals(min_value=0, max_value=9999, places=2), min_size=1, max_size=9).filter(
        lambda values: sum(values) > 0
    ),
    st.integers(min_value=0, max_value=2),
)
def test_largest_remainder_shares_add_up_to_exactly_100(values: list[Decimal], places: int) -> None:
    exact = [Fraction(v) / sum(Fraction(w) for w in values) * 100 for v in values]
    shares = largest_remainder(exact, places)
    assert sum(shares) == 100
    unit = Fraction(1, 10**places)
    for share, value in zip(shares, exact, strict=True):
        assert (share % unit == 0 and 0 <= value - share < unit) or 0 < share - value < unit


def test_the_printed_shares_of_a_group_are_checked_or_apportioned() -> None:
    group = "let 支出.甲 = 1 万元\nlet 支出.乙 = 1 万元\nlet 支出.丙 = 1 万元\n"
    refs = "<share(支出.甲, 支出.*)>、<share(支出.乙, 支出.*)>、<share(支出.丙, 支出.*)>\n"
    result = compile_source(group + refs)
    assert [d.code for d in result.diagnostics] == [Code.SHARES_NOT_100]
    assert result.document is not None
    assert _printed("---\nshares: largest-remainder\n---\n" + group + refs) == "34%、33%、33%"
    apportioned = "---\nshares: largest-remainder\n---\n" + group
    check = (
        "check share(支出.甲, 支出.*) + share(支出.乙, 支出.*) + share(支出.丙, 支出.*) == 100%\n"
    )
    assert _codes(apportioned + check) == []


# ---------------------------------------------------------------- one rule for decimals


def test_fixed_decimals_print_every_kind_alike() -> None:
    head = "---\npercent-decimals: 2\nfixed-decimals: yes\n---\n"
    text = (
        head + "let a = 5.5%\nlet b = 93.54%\nlet c = 0 万元\nlet n = 12 人\n<a>、<b>、<c>、<n>\n"
    )
    assert _printed(text) == "5.50%、93.54%、0.00万元、12人"
    assert _printed(text.replace("fixed-decimals: yes\n", "")) == "5.5%、93.54%、0万元、12人"


# ---------------------------------------------------------------- Chinese numerals


def _from_capital(text: str) -> Fraction:
    """An independent reading of a capital amount, back into 元."""
    if text == "零元整":
        return Fraction(0)
    sign = -1 if text.startswith("负") else 1
    text = text.removeprefix("负").removesuffix("整")
    whole, _, rest = text.partition("元") if "元" in text else ("", "", text)
    fen = 0
    if "角" in rest:
        digit, rest = rest.split("角")
        fen += CAPITAL_DIGITS.index(digit[-1]) * 10
    if "分" in rest:
        fen += CAPITAL_DIGITS.index(rest.rstrip("分")[-1])
    return sign * (_read(whole, CAPITAL_DIGITS, "拾佰仟") + Fraction(fen, 100))


def _read(text: str, digits: str, places: str) -> int:
    """A whole number in Chinese numerals, read back: sections by 亿 and 万."""
    total = 0
    for unit, factor in (("亿", 10**8), ("万", 10**4)):
        if unit in text:
            head, text = text.split(unit, 1)
            total += _read(head, digits, places) * factor
    section = digit = 0
    for char in text:
        if char in digits:
            digit = digits.index(char)
        else:
            section += (digit or 1) * 10 ** (places.index(char) + 1)
            digit = 0
    return total + section + digit


@settings(max_examples=400, deadline=None)
@given(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2))
def test_capital_amounts_read_back_to_the_amount(amount: Decimal) -> None:
    text = capital_amount(amount)
    assert _from_capital(text) == Fraction(amount)
    assert ("零零" not in text and not text.startswith("零")) or text == "零元整"
    assert text.endswith("整") == (amount == amount.to_integral_value())


@pytest.mark.parametrize(
    ("amount", "capital"),
    [  # the examples of 支付结算办法, 附件一
        ("1409.50", "壹仟肆佰零玖元伍角"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
        ("107000.53", "壹拾万柒仟元伍角叁分"),
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        ("1234567.89", "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
        ("10", "壹拾元整"),
        ("100000007", "壹亿零柒元整"),
        ("0.05", "伍分"),
    ],
)
def test_capital_amounts_follow_the_rules_for_bills(amount: str, capital: str) -> None:
    assert capital_amount(Decimal(amount)) == capital
    assert _printed(f"<{amount} 元:大写>\n") == capital


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_counting_numerals_read_back_to_the_number(value: int) -> None:
    text = counting(value)
    expanded = "一" + text if text.startswith("十") else text
    assert _read(expanded, DIGITS, "十百千") == value
    assert "零零" not in text


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (12, "十二"),
        (105, "一百零五"),
        (110, "一百一十"),
        (107000, "十万七千"),
        (100700, "十万零七百"),
        (11000, "一万一千"),  # a full low part: no 零
        (10950, "一万零九百五十"),
        (100010000, "一亿零一万"),
        (110000000, "一亿一千万"),
        (-12, "负十二"),
    ],
)
def test_counting_numerals_read_the_zeros_as_chinese_does(value: int, words: str) -> None:
    assert counting(value) == words


def test_numerals_as_formats() -> None:
    text = "---\nyear: 2023\n---\nlet n = 12 人\nlet r = 13%\n"
    text += "<year:年份>年、<n:中文>、<r:中文>、<3.25:中文 .2>\n"
    assert _printed(text) == "二〇二三年、十二人、百分之十三、三点二五"
    assert digit_by_digit("2023") == "二〇二三"
    negative = "<-2023:年份>、<-12:中文>、<-3.25:.2 中文>、<-1409.5 元:大写>\n"
    assert _printed(negative) == "-二〇二三、负十二、负三点二五、负壹仟肆佰零玖元伍角"


@pytest.mark.parametrize(
    ("amount", "capital"),
    [("0", "零元整"), ("1", "壹元整"), ("0.10", "壹角"), ("0.01", "壹分"), ("-0.5", "负伍角")],
)
def test_capital_amounts_at_the_edges(amount: str, capital: str) -> None:
    assert capital_amount(Decimal(amount)) == capital


# ---------------------------------------------------------------- the author's names


def test_sum_names_the_members_of_a_group_that_do_not_fit() -> None:
    [diagnostic] = compile_source("let 二.a = 1 万元\nlet 二.b = 5%\n<sum(二.*)>\n").diagnostics
    assert diagnostic.message == "sum() mixes `二.a` (万元, in `二.*`) and `二.b` (%, in `二.*`)"


def test_a_column_that_hides_a_figure_says_which_name_is_meant() -> None:
    text = "let 金额 = 5 万元\ntable 表\ncolumns | 项目 | 金额: 万元 |\n"
    text += "row a | 甲 | = 金额 * 2 |\nend\n"
    [diagnostic] = compile_source(text).diagnostics
    assert diagnostic.code is Code.CYCLE
    assert (
        diagnostic.message
        == "in the table, `金额` means this cell (`表.a.金额`), not the figure `金额`"
    )


# ---------------------------------------------------------------- bounds


def test_a_figure_outside_its_bounds_is_an_error() -> None:
    result = compile_source("let 办结率 = 36 件 / 35 件 in 0%..100%\n")
    assert [d.code for d in result.diagnostics] == [Code.CHECK_FAILED]


def test_bounds_make_an_impossible_claim_provably_wrong() -> None:
    """调解成功率达100%以上: a success rate is at most 100%, so more than 100% is
    not merely unconfirmed by rounding, it is impossible."""
    claim = 'check 成功率 > 100% exact "达100%以上"\n'
    assert _codes("let 成功率 = 100%\n" + claim) == [Code.UNCONFIRMED_CHECK]
    assert _codes("let 成功率 = 100% in 0%..100%\n" + claim) == [Code.CHECK_FAILED]
