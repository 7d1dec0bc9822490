"""Display plans: how a typed value is printed, decided from its kind and its
format (the words of format_words.py). The printing itself is format.py's.

Kinds of value, as docs/language.md's table of formats sets them out:
- money (元, 万元 …), a count (人, 件 …), a percent (% or ‰), a per-unit or
  other compound value (万元/人);
- a pure number: unitless as written (3, 2 × 1.5);
- a ratio: unitless because units cancelled (收入 / 支出合计, a share or a
  rate). A ratio prints only as the author says: as a percent (`%`, `.1%`,
  `‰`), as a plain number (`num`), or as a change in words, which prints it as
  a percent (`增长` → 下降24%). A bare `0.95` is never printed by accident;
- a text, which takes no format; a condition, which does not print.
"""

from __future__ import annotations

from enum import Enum
from typing import assert_never

from ..base.codes import Code
from ..base.diagnostics import Diagnostics, Label
from ..base.record import mutable
from ..base.source import Span
from ..base.suggest import did_you_mean
from ..syntax import tree as ast
from ..syntax.format_words import FORMAT_WORDS, POINTS, POINTS_SUFFIX, Role, help_line
from ..syntax.settings import Settings
from ..syntax.walks import shown
from . import ir
from .units import Unit, UnitTable

MAX_DECIMALS = 20


class Kind(Enum):
    """The kinds of value formats treat differently."""

    MONEY = "amount of money"
    COUNT = "count"
    PERCENT = "percent"
    PER_UNIT = "per-unit value"
    PURE = "pure number"
    RATIO = "ratio"
    POINTS = "difference of rates"
    TEXT = "text"
    CONDITION = "condition"


def kind_of(type_: ir.Type, units: UnitTable) -> Kind | None:
    """The kind of a value; None for one whose error is already reported."""
    match type_:
        case ir.QuantityType(unit=unit, ratio=ratio, points=points):
            if points:
                return Kind.POINTS
            if unit.is_pure():
                return Kind.RATIO if ratio else Kind.PURE
            if units.is_percent(unit):
                return Kind.PERCENT
            if units.is_money(unit):
                return Kind.MONEY
            if len(unit.terms) == 1 and unit.terms[0][1] == 1:
                return Kind.COUNT
            return Kind.PER_UNIT
        case ir.TextType():
            return Kind.TEXT
        case ir.BoolType():
            return Kind.CONDITION
        case ir.ErrorType():
            return None
        case _:
            assert_never(type_)


@mutable
class _Items:
    """A format's items by role, each with the item that gave it."""

    decimals: int | None = None
    target: Unit | None = None
    points: bool = False  # shown in 个百分点
    bare: bool = False
    grouping: bool = False
    words: tuple[str, str, str] | None = None
    sign: bool = False
    approx: bool = False
    numerals: str | None = None


@mutable
class DisplayPlanner:
    """Plans displays for one compilation, reporting what a format cannot do."""

    units: UnitTable
    settings: Settings
    diagnostics: Diagnostics

    def plan(
        self,
        type_: ir.Type,
        node: ast.Expr,
        fmt: ast.Format | None,
        *,
        written: int | None,
        in_table: bool = False,
    ) -> ir.Display | None:
        """The display of a value of `type_` (the expression `node`, a literal
        written with `written` decimals), or None: for a text, and after an error.
        In a table cell numbers print without their unit (the table's note says
        it) except percents, and money keeps its decimals."""
        kind = kind_of(type_, self.units)
        items = fmt.items if fmt else ()
        if kind in (Kind.TEXT, Kind.CONDITION) or kind is None:
            if kind is Kind.CONDITION and not items:
                self._error(
                    Code.TYPE_MISMATCH,
                    f"`{shown(node)}` is a condition (true or false), which does not print",
                    node.span,
                    "a condition",
                    help=f'say it in words: <if({shown(node)}, "是", "否")>',
                )
            elif items and kind is not None:
                assert fmt is not None
                self._error(
                    Code.TYPE_MISMATCH,
                    f"a format applies to numbers, but `{shown(node)}` is {ir.describe(type_)}",
                    fmt.span,
                    "format of a non-number",
                    help="remove the format",
                )
            return None
        assert isinstance(type_, ir.QuantityType)
        chosen = self._items(items, kind, type_.unit, node)
        if chosen is None:
            return None
        if kind is Kind.POINTS and not chosen.points and not chosen.bare:
            self._error(
                Code.POINTS_AS_PERCENT,
                f"`{shown(node)}` is a difference of two rates: it is in percentage "
                "points, not a percent",
                node.span,
                "a rate less a rate",
                help=f"print it in points: <{shown(node)}:{POINTS}> "
                f"(…{POINTS_SUFFIX}), or <{shown(node)}:增减 {POINTS}> (增加…{POINTS_SUFFIX})",
            )
            return None
        if kind is Kind.RATIO and chosen.target is None and not chosen.bare:
            if chosen.words is None:
                self._unformatted_ratio(node, in_table=in_table)
                return None
            chosen.target = Unit.named("percent")  # a change in a ratio reads as a percent
        return self._display(type_.unit, chosen, written, kind=kind, in_table=in_table)

    # ---------------------------------------------------------------- items

    def _items(
        self, items: tuple[ast.FormatItem, ...], kind: Kind, unit: Unit, node: ast.Expr
    ) -> _Items | None:
        roles: list[tuple[Role, ast.FormatItem]] = []
        seen: dict[Role, ast.FormatItem] = {}
        ok = True
        for item in items:
            role = self._role(item)
            if role is None:
                ok = False
                continue
            first = seen.setdefault(role, item)
            if first is not item:
                self._error(
                    Code.UNKNOWN_FORMAT,
                    f"`{first.text}` and `{item.text}` both decide {_ROLE_WORDS[role]}",
                    item.span,
                    "one too many",
                    labels=(Label(first.span, "decided here"),),
                    help="keep one of the two",
                )
                ok = False
            roles.append((role, item))
        if Role.NUMERALS in seen and Role.GROUPING in seen:
            numerals, grouping = seen[Role.NUMERALS], seen[Role.GROUPING]
            self._error(
                Code.UNKNOWN_FORMAT,
                f"`{numerals.text}` writes no digits for `,` to group",
                grouping.span,
                "nothing to group",
                labels=(Label(numerals.span, "Chinese numerals"),),
                help="keep one of the two",
            )
            ok = False
        if Role.NUMERALS in seen and Role.UNIT in seen and seen[Role.NUMERALS].text == "大写":
            self._error(
                Code.UNKNOWN_FORMAT,
                "`大写` writes the amount in 元, 角 and 分: it takes no unit",
                seen[Role.UNIT].span,
                "one too many",
                help="keep one of the two",
            )
            ok = False
        if not ok:
            return None  # what the format says is unclear: judge none of its words
        chosen = _Items()
        for role, item in roles:
            ok = self._take(chosen, role, item, kind=kind, unit=unit, node=node) and ok
        return chosen if ok else None

    def _role(self, item: ast.FormatItem) -> Role | None:
        match item.kind:
            case "decimals":
                return Role.DECIMALS
            case "grouping":
                return Role.GROUPING
        word = FORMAT_WORDS.get(item.text)
        if word is not None:
            return word.role
        if self.units.lookup(item.text) is not None:  # `%` and `‰` among them
            return Role.UNIT
        choices = [w for w, entry in FORMAT_WORDS.items() if entry.role is not Role.ALIGN]
        self._error(
            Code.UNKNOWN_FORMAT,
            f"unknown format `{item.text}`",
            item.span,
            "not a format",
            help=did_you_mean(item.text, [*choices, *self.units.names()]) or help_line(),
        )
        return None

    def _take(
        self,
        chosen: _Items,
        role: Role,
        item: ast.FormatItem,
        *,
        kind: Kind,
        unit: Unit,
        node: ast.Expr,
    ) -> bool:
        """Record one item; False after reporting that it does not apply."""
        match role:
            case Role.DECIMALS:
                # measured before it is read: int() refuses a 5,000-digit text
                digits = item.text[1:]
                if len(digits) > 2 or int(digits) > MAX_DECIMALS:
                    self._error(Code.UNKNOWN_FORMAT, f"at most {MAX_DECIMALS} decimals", item.span)
                    return False
                chosen.decimals = int(digits)
            case Role.UNIT:
                target = self._target(item, kind, unit, node)
                if target is None:
                    return False
                chosen.target = target
                chosen.points = item.text == POINTS
            case Role.BARE:
                chosen.bare = True
            case Role.GROUPING:
                chosen.grouping = True
            case Role.SIGN:
                chosen.words = FORMAT_WORDS[item.text].words
                chosen.sign = chosen.words is None
            case Role.APPROX:
                if kind in (Kind.PERCENT, Kind.RATIO):
                    self._error(
                        Code.UNKNOWN_FORMAT,
                        "`余` marks an amount or a count as a lower bound, "
                        f"but `{shown(node)}` is a {kind.value}",
                        item.span,
                        "not for a rate",
                        help="a rate above a bound is said in words: 达…以上",
                    )
                    return False
                chosen.approx = True
            case Role.NUMERALS:
                if not self._numerals(item, kind, node):
                    return False
                chosen.numerals = item.text
                if item.text == "大写":
                    chosen.target = self.units.lookup("元")
            case Role.ALIGN:
                self._error(
                    Code.UNKNOWN_FORMAT,
                    f"`{item.text}` aligns a table column; a reference is not aligned",
                    item.span,
                    "only in a table's columns line",
                    help="remove it",
                )
                return False
            case _:
                assert_never(role)
        return True

    def _numerals(self, item: ast.FormatItem, kind: Kind, node: ast.Expr) -> bool:
        """大写 writes money, 年份 a year; 中文 any number. False after reporting."""
        allowed = {"大写": (Kind.MONEY,), "年份": (Kind.PURE,)}.get(item.text)
        if allowed is None or kind in allowed:
            return True
        what = "an amount of money" if item.text == "大写" else "a year, a whole number"
        self._error(
            Code.UNKNOWN_FORMAT,
            f"`{item.text}` writes {what}, but `{shown(node)}` is {_a(kind)}",
            item.span,
            f"not {what}",
            help="中文 writes any number in Chinese numerals" if item.text == "年份" else None,
        )
        return False

    def _target(self, item: ast.FormatItem, kind: Kind, unit: Unit, node: ast.Expr) -> Unit | None:
        """The unit a value is shown in, from `%`, `百分点` or a unit word."""
        if item.kind == "percent" or item.text == POINTS:
            if item.text == POINTS and kind not in (Kind.POINTS, Kind.PERCENT):
                self._error(
                    Code.UNKNOWN_FORMAT,
                    f"`{POINTS}` is for a difference of two rates, "
                    f"but `{shown(node)}` is {_a(kind)}",
                    item.span,
                    "not a rate",
                    help="a difference of rates is written like <本年.率 - 上年.率:增减 百分点>",
                )
                return None
            if kind in (Kind.MONEY, Kind.COUNT, Kind.PER_UNIT):
                self._error(
                    Code.PERCENT_OF_DIMENSIONAL,
                    f"`{shown(node)}` is in {unit.describe()}, it cannot be printed as a percent",
                    node.span,
                    f"this is {unit.describe()}",
                    help="a percent is a ratio of two figures of one unit, e.g. <part/total:%>",
                )
                return None
            return Unit.named("percent")  # points in % too: plan() reports them (E307)
        target = self.units.lookup(item.text)
        assert target is not None  # a unit word: _role has looked it up
        if not self.units.compatible(unit, target):
            what = f"a {kind.value}" if unit.is_pure() else f"in {unit.describe()}"
            self._error(
                Code.INCOMPATIBLE_UNITS,
                f"`{shown(node)}` is {what}, it cannot be shown in {item.text}",
                item.span,
                f"{item.text} measures something else",
                help=self._per_hint(unit, item.text),
            )
            return None
        return target

    def _per_hint(self, unit: Unit, shown: str) -> str | None:
        """For 万元/人 shown in 元: the format that keeps the per-人 (`元/人`)."""
        below = [name for name, exp in unit.terms if exp == -1]
        if len(below) != 1 or len(unit.terms) != 2:
            return None
        per = f"{shown}/{Unit.named(below[0]).label()}"
        target = self.units.lookup(per)
        if target is None or not self.units.compatible(unit, target):
            return None
        return f"show it per {Unit.named(below[0]).label()}: `{per}`"

    def _unformatted_ratio(self, node: ast.Expr, *, in_table: bool) -> None:
        where = (
            "give its column a format, e.g. `占比: %`"
            if in_table
            else f"as a percent: <{shown(node)}:%>; as a plain number: <{shown(node)}:num>"
        )
        what = f"the cell `{node.name}`" if in_table and isinstance(node, ast.Name) else None
        self._error(
            Code.UNFORMATTED_RATIO,
            f"{what or f'`{shown(node)}`'} is a ratio of two quantities: say how it prints",
            node.span,
            "a ratio",
            help=where,
        )

    # ---------------------------------------------------------------- the plan

    def _display(
        self, unit: Unit, chosen: _Items, written: int | None, *, kind: Kind, in_table: bool
    ) -> ir.Display:
        units, settings = self.units, self.settings
        target = chosen.target or unit
        if units.is_percent(target):
            default = settings.percent_decimals
        elif units.is_money(target):
            default = settings.money_decimals
        else:
            default = settings.decimals
        fixed = settings.fixed_decimals
        if written is not None and target == unit and not fixed:
            # a figure stated as a literal prints, in its own unit, at least as
            # precisely as it was written: 0.79% stays 0.79%, 0.176万元 stays 0.176
            default = max(default, written)
        suffix = "" if chosen.bare else POINTS_SUFFIX if chosen.points else target.label()
        if chosen.numerals == "大写":
            suffix = ""  # 元, 角 and 分 are in the words
        fixed = fixed or (in_table and units.is_money(target))
        if in_table and not units.is_percent(target) and not chosen.points:
            suffix = ""
        if suffix and settings.locale == "en" and suffix[0].isascii() and suffix[0].isalpha():
            suffix = " " + suffix
        return ir.Display(
            scale=units.conversion(unit, target),
            decimals=default if chosen.decimals is None else chosen.decimals,
            trim=chosen.decimals is None and settings.trim_zeros and not fixed,
            suffix=suffix,
            rounding=settings.rounding,
            grouping=chosen.grouping,
            words=chosen.words,
            sign=chosen.sign,
            approx=chosen.approx,
            whole=chosen.decimals is None and kind in (Kind.COUNT, Kind.PURE),
            numerals=chosen.numerals,
        )

    def _error(
        self,
        code: Code,
        message: str,
        span: Span,
        label: str = "",
        *,
        help: str | None = None,
        labels: tuple[Label, ...] = (),
    ) -> None:
        self.diagnostics.error(code, message, span, label, help=help, labels=labels)


def _a(kind: Kind) -> str:
    return ("an " if kind.value[0] in "aeiou" else "a ") + kind.value


_ROLE_WORDS = {
    Role.DECIMALS: "the decimals",
    Role.UNIT: "the unit it is shown in",
    Role.BARE: "whether the unit is shown",
    Role.GROUPING: "the grouping of thousands",
    Role.SIGN: "how its sign is shown",
    Role.APPROX: "whether it is a lower bound",
    Role.ALIGN: "the alignment",
}
