"""The report's front matter: metadata and the defaults for printing figures."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from ..base.codes import Code
from ..base.diagnostics import Diagnostics
from ..base.numbers import ROUNDING_MODES
from ..base.record import record, replace
from ..base.suggest import closest
from . import tree as ast
from .read import ENCODINGS

# GB/T 9704 heading numbers: 第一部分 / 一、 / （一） / 1. / （1）
DEFAULT_NUMBERING = ("第{一}部分", "{一}、", "（{一}）", "{1}.", "（{1}）")
LOCALES = ("zh-CN", "en")
# how the printed shares of a group, share(x, group), are made to add up to 100%
SHARE_POLICIES = ("check", "largest-remainder")


@record
class Settings:
    """Everything the front matter can set, with the defaults of a Chinese report."""

    title: str = ""
    subtitle: str = ""
    organisation: str = ""
    author: str = ""
    year: int | None = None
    date: datetime.date | None = None
    locale: str = "zh-CN"
    money_decimals: int = 2
    percent_decimals: int = 0
    decimals: int = 2
    rounding: str = "half-up"
    trim_zeros: bool = True
    fixed_decimals: bool = False
    shares: str = "check"
    numbering: tuple[str, ...] = DEFAULT_NUMBERING
    style: str = "gbt9704"
    encoding: str = "utf-8"
    # a cover page, a table of contents (目录), in the Word file and the PDF
    cover: bool = False
    toc: bool = False
    # what a draft prints for a figure not available yet (`?`)
    placeholder: str = "未列"
    # a draft build (`rpt build --draft`): notes printed, placeholders allowed;
    # set by the command line, not by the front matter
    draft: bool = False


KEYS = {
    "title": "title",
    "subtitle": "subtitle",
    "organisation": "organisation",
    "organization": "organisation",
    "author": "author",
    "year": "year",
    "date": "date",
    "locale": "locale",
    "money-decimals": "money_decimals",
    "percent-decimals": "percent_decimals",
    "decimals": "decimals",
    "rounding": "rounding",
    "trim-zeros": "trim_zeros",
    "fixed-decimals": "fixed_decimals",
    "shares": "shares",
    "numbering": "numbering",
    "style": "style",
    "encoding": "encoding",
    "placeholder": "placeholder",
    "cover": "cover",
    "toc": "toc",
}
TEXT_KEYS = {"title", "subtitle", "organisation", "author", "placeholder"}
DECIMAL_KEYS = {"money_decimals", "percent_decimals", "decimals"}
YES = {"yes": True, "true": True, "no": False, "false": False}


def read_settings(
    entries: tuple[ast.HeaderEntry, ...], styles: tuple[str, ...], diagnostics: Diagnostics
) -> Settings:
    """The settings the front matter makes; `styles`, the DOCX style sets `style:` may name."""
    changes: dict[str, Any] = {}
    seen: dict[str, ast.HeaderEntry] = {}
    for entry in entries:
        field_name = KEYS.get(entry.key)
        if field_name is None:
            close = closest(entry.key, KEYS)
            diagnostics.error(
                Code.BAD_HEADER,
                f"unknown front matter key `{entry.key}`",
                entry.key_span,
                "not a setting rpt knows",
                help=f"did you mean `{close}`?" if close else "known keys: " + ", ".join(KEYS),
            )
            continue
        if field_name in seen:
            diagnostics.error(
                Code.BAD_HEADER,
                f"`{entry.key}` is set twice",
                entry.key_span,
                "set again here",
                help="keep one of the two lines",
            )
            continue
        seen[field_name] = entry
        value = _value(field_name, entry, styles, diagnostics)
        if value is not None:
            changes[field_name] = value
    return replace(Settings(), **changes)


def _value(
    field_name: str, entry: ast.HeaderEntry, styles: tuple[str, ...], diagnostics: Diagnostics
) -> Any:
    """The setting's value, or None after reporting what was expected."""
    try:
        return _parse_value(field_name, entry.value, styles)
    except ValueError as expected:
        diagnostics.error(
            Code.BAD_HEADER,
            f"`{entry.key}` cannot be `{entry.value}`",
            entry.value_span if entry.value else entry.key_span,
            f"expected {expected}",
        )
        return None


def _parse_value(field_name: str, text: str, styles: tuple[str, ...]) -> Any:
    if field_name in TEXT_KEYS:
        return text
    if field_name in DECIMAL_KEYS:
        if re.fullmatch(r"[0-9]{1,2}", text) and int(text) <= 20:
            return int(text)
        raise ValueError("a number of decimals from 0 to 20")
    match field_name:
        case "year":
            if re.fullmatch(r"[0-9]{4}", text) and text != "0000":  # there is no year 0
                return int(text)
            raise ValueError("a year such as 2023")
        case "date":
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                raise ValueError("a date such as 2024-06-25") from None
        case "locale" | "rounding" | "shares" | "style":
            choices = {
                "locale": LOCALES,
                "rounding": ROUNDING_MODES,
                "shares": SHARE_POLICIES,
                "style": styles,
            }[field_name]
            if text in choices:
                return text
            what = "a style set: one of " if field_name == "style" else "one of "
            raise ValueError(what + ", ".join(choices))
        case "trim_zeros" | "fixed_decimals" | "cover" | "toc" if text.lower() in YES:
            return YES[text.lower()]
        case "trim_zeros" | "fixed_decimals" | "cover" | "toc":
            raise ValueError("yes or no")
        case "encoding" if text.lower() in ENCODINGS:
            return ENCODINGS[text.lower()]
        case "encoding":
            raise ValueError("utf-8, gb18030 or gbk")
        case "numbering" if text == "none":
            return ()
        case "numbering":
            patterns = tuple(text.split())
            if patterns and all(_valid_pattern(p) for p in patterns):
                return patterns
            raise ValueError("`none` or patterns such as `{一}、 （{一}） {1}.`, one per level")
    raise AssertionError(field_name)


# front matter keys whose values are also figures of the report, `<year - 1>年`
METADATA_FIGURES = ("title", "subtitle", "organisation", "author", "year", "date")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def metadata_figures(
    entries: tuple[ast.HeaderEntry, ...], settings: Settings
) -> tuple[ast.Let, ...]:
    """The report's metadata as figures, named by their front matter key as
    written: `year` is a number (`<year>年`, `<year - 1>年`), the others texts;
    `date` reads 2024年6月25日 (25 June 2024 in English). A figure of the same
    name declared in the report is a duplicate (E202)."""
    figures = []
    for entry in entries:
        field_name = KEYS.get(entry.key)
        if field_name not in METADATA_FIGURES:
            continue
        value = getattr(settings, field_name)
        span = entry.value_span
        expr: ast.Expr
        match value:
            case None | "":
                continue
            case int():
                expr = ast.Number(Decimal(value), str(value), None, span)
            case datetime.date():
                zh = f"{value.year}年{value.month}月{value.day}日"
                en = f"{value.day} {MONTHS[value.month - 1]} {value.year}"
                expr = ast.String(en if settings.locale == "en" else zh, span)
            case str():
                expr = ast.String(value, span)
            case _:
                raise AssertionError(f"metadata of an unknown kind: {field_name}")
        figures.append(ast.Let(entry.key, entry.key_span, expr, span, exact=True))
    return tuple(figures)


def _valid_pattern(pattern: str) -> bool:
    return pattern.count("{一}") + pattern.count("{1}") == 1
