"""The typed intermediate representation: what the evaluator runs.

Every expression node knows its type; unit conversions are resolved into exact
scale factors, so evaluation is plain exact arithmetic on fractions. Display plans for
references are resolved too, so formatting needs neither units nor settings.
"""

from __future__ import annotations

from fractions import Fraction
from typing import assert_never

from ..base.numbers import ONE
from ..base.record import record
from ..base.source import CellOrigin, SourceFile, Span
from ..syntax.settings import Settings
from .units import Unit, UnitTable

# ------------------------------------------------------------------ types


@record
class QuantityType:
    """A number in a unit: 万元, 人, %, 万元/人, or a pure number.

    - `ratio`: a pure number that is a quotient of quantities (收入 / 支出合计, a
      share or a rate), which must say how it prints (as a percent, or plain);
    - `points`: a sum or difference of two rates (率 - 上年.率), which prints in
      percentage points (个百分点), never as a percent;
    - `or_text`: an if() that gives this number or a text (a table cell
      `= if(合计 == 0, "—", 金额 / 合计)`): it prints, but cannot be computed with.
    """

    unit: Unit
    ratio: bool = False
    points: bool = False
    or_text: bool = False


def either_ratio(a: QuantityType, b: QuantityType) -> bool:
    """Whether a sum, a choice or a list of these two is a ratio: either is one."""
    return a.ratio or b.ratio


@record
class TextType:
    """Text: a quoted string, a join with `+`, or a number printed by `(x:format)`."""


@record
class BoolType:
    """A truth value: `true`, a comparison, `and`/`or`/`not`; what checks and `if` need."""


@record
class ErrorType:
    """The type of an expression whose error has been reported; it silences cascades.
    Passes that ask of every figure and reference tell it by isinstance: `!=` of two
    records of different classes is two Python calls (__eq__, then the reflected one)."""


Type = QuantityType | TextType | BoolType | ErrorType


def describe(type_: Type) -> str:
    """A type as diagnostics name it: `a number in 万元`, `a ratio`, `a text`."""
    match type_:
        case QuantityType(or_text=True):
            return "a number or a text"
        case QuantityType(points=True):
            return "a difference of rates"
        case QuantityType(unit=unit, ratio=True) if unit.is_pure():
            return "a ratio"
        case QuantityType(unit=unit):
            return f"a number in {unit.describe()}" if unit.terms else "a pure number"
        case TextType():
            return "a text"
        case BoolType():
            return "a condition (true or false)"
        case ErrorType():
            return "invalid"
        case _:
            assert_never(type_)


TEXT = TextType()
BOOL = BoolType()
ERROR = ErrorType()

Value = Fraction | str | bool | tuple[Fraction, ...]

# ------------------------------------------------------------------ expressions


@record
class Const:
    """A literal. `precision`: a measured figure printed to that many decimals
    stands for every value that rounds to it (see bounds.py); None: the literal is
    exact. (The decimals it was written with are read from the source where they
    matter: Typer.written.)"""

    value: Value
    type: Type
    span: Span
    precision: int | None = None
    cell: CellOrigin | None = None  # the data file's cell it was read from


@record
class FigureRef:
    """A use of a declared figure (or a table cell), by its full dotted name."""

    name: str
    type: Type
    span: Span


@record
class Neg:
    """Unary minus, in the operand's unit (a unary + leaves no node)."""

    operand: Expr
    type: Type
    span: Span


@record
class Arith:
    """+ and -: left + right × right_scale, in left's unit.
    * and /: (left op right) × scale, reduced to `type`'s unit."""

    op: str
    left: Expr
    right: Expr
    type: Type
    span: Span
    right_scale: Fraction = ONE
    scale: Fraction = ONE


@record
class Power:
    """`x ^ n` with a whole exponent written in the formula; the unit is raised too."""

    base: Expr
    exponent: int
    type: Type
    span: Span


@record
class Compare:
    """left op right × right_scale. For == and != both sides are first rounded half-up
    to `decimals` (None: compared exactly); see docs/language.md, "Checks"."""

    op: str
    left: Expr
    right: Expr
    right_scale: Fraction
    decimals: int | None
    span: Span
    type: Type = BOOL


@record
class Logic:
    """`and` or `or`, short-circuit: the right side is evaluated only when needed."""

    op: str
    left: Expr
    right: Expr
    span: Span
    type: Type = BOOL


@record
class Not:
    """`not x`: the negation of a truth value."""

    operand: Expr
    span: Span
    type: Type = BOOL


@record
class Scaled:
    """`x to 元`: the operand times an exact factor, now in the target unit."""

    operand: Expr
    scale: Fraction
    type: Type
    span: Span


@record
class Aggregate:
    """sum, min or max over operands, each times its scale into the first's unit."""

    func: str
    args: tuple[Expr, ...]
    scales: tuple[Fraction, ...]
    type: Type
    span: Span


@record
class Abs:
    """`abs(x)`, in the operand's unit."""

    operand: Expr
    type: Type
    span: Span


@record
class Round:
    """`round(x, places)`: rounded in the computation, by the report's rounding mode."""

    operand: Expr
    places: int
    rounding: str
    type: Type
    span: Span


@record
class If:
    """Branches are evaluated lazily. `else_scale` brings a quantity `else` branch into
    the unit of the `then` branch. In a prose reference one branch may be text."""

    cond: Expr
    then: Expr
    else_: Expr
    else_scale: Fraction
    type: Type
    span: Span


@record
class Concat:
    """Two texts joined."""

    left: Expr
    right: Expr
    span: Span
    type: Type = TEXT


@record
class Items:
    """Several numbers printed under one display (`<基本支出、项目支出:增减>`), each
    times its scale into the first's unit; its value is the tuple of them."""

    items: tuple[Expr, ...]
    scales: tuple[Fraction, ...]
    type: Type
    span: Span


@record
class Share:
    """`share(part, group)`: the part's share of the group's total, in percent.
    `places`: the decimals its percent is printed with; `policy` (front matter
    `shares:`) says how the printed shares of the group add up to 100%:
    `largest-remainder` gives the rounding remainder (尾差) to the largest
    remainders, `check` warns when they do not."""

    part: int  # which of `members` the share is of
    members: tuple[Expr, ...]
    scales: tuple[Fraction, ...]
    places: int
    policy: str
    type: Type
    span: Span


@record
class Printed:
    """A number printed as text by its display plan: `(x:%)` inside an expression."""

    operand: Expr
    display: Display
    span: Span
    type: Type = TEXT


Expr = (
    Concat
    | Items
    | Share
    | Printed
    | Const
    | FigureRef
    | Neg
    | Arith
    | Power
    | Compare
    | Logic
    | Not
    | Scaled
    | Aggregate
    | Abs
    | Round
    | If
)

# What an expression already reported becomes: its type keeps later checks quiet
# about it, and since an error stops the build no later diagnostic points at it.
POISONED = Const(Fraction(0), ERROR, Span(SourceFile("<reported>", ""), 0, 0))

# ------------------------------------------------------------------ display


@record
class Display:
    """How a number is printed: value × scale, rounded by `rounding` to `decimals`
    (trailing zeros dropped when `trim`; none at all for a whole number when
    `whole`), then words or sign, grouping, numerals and the suffix. `numerals`:
    大写 (capital money), 中文 (counting numerals) or 年份 (digit by digit)."""

    scale: Fraction
    decimals: int
    trim: bool
    suffix: str
    rounding: str
    grouping: bool = False
    words: tuple[str, str, str] | None = None
    sign: bool = False
    approx: bool = False
    whole: bool = False
    numerals: str | None = None


# ------------------------------------------------------------------ program


@record
class Figure:
    """A declared figure; `bounds`, the least and greatest values it can have
    (`in 0%..100%`), each in the figure's unit. (A check's precision reads the
    decimals a figure's literal was written with from the source: Typer.written.)"""

    name: str
    expr: Expr
    type: Type
    span: Span
    bounds: tuple[Expr, Expr] | None = None


@record
class Check:
    """A check; `cell` and `where` are set for the copies of a table check. Its
    diagnostics, `rpt explain` and `rpt diff` point at its condition (`expr`)."""

    expr: Expr
    tolerance: Expr | None
    message: str | None
    source: str
    cell: Span | None = None
    where: str = ""


@record
class Text:
    """A run of literal prose."""

    text: str


@record
class Ref:
    """A reference in prose; `index` numbers references in source order."""

    index: int
    expr: Expr
    display: Display | None
    span: Span


@record
class Strong:
    """`**strong**` text."""

    children: tuple[Inline, ...]


@record
class Emph:
    """`*emphasised*` text."""

    children: tuple[Inline, ...]


@record
class Placeholder:
    """A figure not available yet (`?` in a table cell)."""


Inline = Text | Ref | Strong | Emph | Placeholder


@record
class Heading:
    """A heading; its number is given when the document is built."""

    level: int
    numbered: bool
    inlines: tuple[Inline, ...]
    number: int | None = None  # written by the author, `# 部门决算表 {2}`
    attachment: bool = False  # `{attachment}`: 附件1-2 and its title


@record
class Paragraph:
    """A paragraph, line by line: the lines are joined by locale when the document
    is built."""

    lines: tuple[tuple[Inline, ...], ...]


@record
class ListBlock:
    """A bullet or numbered list (numbered from `start`), each item a run of inline text."""

    ordered: bool
    start: int
    items: tuple[tuple[Inline, ...], ...]


@record
class TableCell:
    """A table cell with its spans resolved; a number cell is a Ref to its figure."""

    inlines: tuple[Inline, ...]
    colspan: int
    rowspan: int
    align: str


@record
class TableRow:
    """A header or body row: only the cells that start in it, as in HTML."""

    header: bool
    cells: tuple[TableCell, ...]


@record
class Table:
    """A table ready to print; `unit_note` is `单位：万元` (`Unit: 万元` in English),
    empty when the table declares no unit."""

    caption: str | None
    unit_note: str
    columns: int
    rows: tuple[TableRow, ...]
    number: str | None = None  # the standard form's number, 公开01表


@record
class Note:
    """A note to reviewers, line by line: printed in a draft build only."""

    lines: tuple[tuple[Inline, ...], ...]


Block = Heading | Paragraph | ListBlock | Note | Table


@record
class Program:
    """The typed report: figures in dependency order, checks, the blocks to print and
    how many prose references those blocks hold (each `Ref.index` is below it)."""

    settings: Settings
    units: UnitTable
    figures: tuple[Figure, ...]
    checks: tuple[Check, ...]
    blocks: tuple[Block, ...]
    ref_count: int


# ------------------------------------------------------------------ walks


def children(expr: Expr) -> tuple[Expr, ...]:
    """The expressions an expression is made of, in source order."""
    match expr:
        case Const() | FigureRef():
            return ()
        case Neg(operand=x) | Not(operand=x) | Scaled(operand=x) | Abs(operand=x):
            return (x,)
        case Round(operand=x) | Printed(operand=x) | Power(base=x):
            return (x,)
        case Arith(left=a, right=b) | Compare(left=a, right=b) | Logic(left=a, right=b):
            return (a, b)
        case Concat(left=a, right=b):
            return (a, b)
        case If(cond=cond, then=then, else_=else_):
            return (cond, then, else_)
        case Aggregate(args=parts) | Items(items=parts) | Share(members=parts):
            return parts
        case _:
            assert_never(expr)


def figures_used(expr: Expr) -> tuple[str, ...]:
    """The figures an expression reads, each once, in the order it reads them."""
    found: dict[str, None] = {}
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, FigureRef):
            found.setdefault(node.name)
        stack.extend(reversed(children(node)))
    return tuple(found)


def inline_refs(inlines: tuple[Inline, ...]) -> list[Ref]:
    """The references in a run of prose, emphasis included, in order."""
    found: list[Ref] = []
    for inline in inlines:
        match inline:
            case Ref():
                found.append(inline)
            case Strong(children=inner) | Emph(children=inner):
                found.extend(inline_refs(inner))
            case Text() | Placeholder():
                pass
            case _:
                assert_never(inline)
    return found


def block_inlines(block: Block) -> tuple[tuple[Inline, ...], ...]:
    """Every run of prose a block holds: a heading's, each line, item or cell."""
    match block:
        case Heading(inlines=inlines):
            return (inlines,)
        case Paragraph(lines=lines) | Note(lines=lines):
            return lines
        case ListBlock(items=items):
            return items
        case Table(rows=rows):
            return tuple(cell.inlines for row in rows for cell in row.cells)
        case _:
            assert_never(block)


def all_refs(blocks: tuple[Block, ...]) -> list[Ref]:
    """Every prose reference of the report, in source order."""
    return [ref for block in blocks for run in block_inlines(block) for ref in inline_refs(run)]
