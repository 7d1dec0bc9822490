"""The untyped syntax tree: what the author wrote, every node with its span.

Built by `parse.py` from lark's trees, which never leave that module. Frozen:
later passes read the tree and build their own data, they never patch it.
"""

from __future__ import annotations

from decimal import Decimal

from ..base.record import record
from ..base.source import CellOrigin, Span

# ------------------------------------------------------------------ expressions


@record
class UnitRef:
    """A unit written after a number or after `to`: `万元`, `%`, `‰`."""

    name: str
    span: Span


@record
class Number:
    """A literal quantity: `217.91 万元`, `12人`, `13%`, `3`; or the number of a
    data file's cell, which `cell` names (compiler/data/ puts it in place of the
    CellRef that read it)."""

    value: Decimal
    text: str
    unit: UnitRef | None
    span: Span
    cell: CellOrigin | None = None


@record
class String:
    """A quoted text: `"增加"` or `“增加”`."""

    value: str
    span: Span


@record
class Bool:
    """A truth value: `true` or `false`."""

    value: bool
    span: Span


@record
class Name:
    """A reference to a figure, dotted for groups: `上年.收支总计`."""

    name: str
    span: Span


@record
class Glob:
    """Figures whose dotted names fit a pattern, `*` standing for one segment:
    `支出.*` (the direct members of 支出), `收支表.*.决算数` (a table column)."""

    pattern: str
    span: Span


@record
class Unary:
    """A sign before an operand: `-34.9 万元`, `-支出.项目`; op is + or - (normalised)."""

    op: str
    operand: Expr
    span: Span


@record
class Binary:
    """Arithmetic: op is one of + - * / ^ (full-width forms already normalised)."""

    op: str
    left: Expr
    right: Expr
    span: Span
    op_span: Span


@record
class Compare:
    """op is one of == != < <= > >=."""

    op: str
    left: Expr
    right: Expr
    span: Span
    op_span: Span


@record
class Logic:
    """Two conditions joined by `and` or `or` (op is the keyword): `a > 0 and b > 0`."""

    op: str
    left: Expr
    right: Expr
    span: Span


@record
class Not:
    """`not condition`: true when the condition is false."""

    operand: Expr
    span: Span


@record
class CellRef:
    """A cell of a data source: `收支表["一般公共预算财政拨款收入", "决算数"]` (the
    row of a label, the column of a header) or `收支表["E10"]` (an address)."""

    source: str
    source_span: Span
    keys: tuple[str, ...]
    span: Span
    # an `@` cell of a table bound to a data source: what it reads, as a reference
    # would write it, for diagnostics (the label and header come from the table)
    implied: str | None = None


@record
class Call:
    """A function call: `sum(支出.*)`, `round(x, 2)`, `if(预算 == 0, "无预算", …)`.
    Any name parses as a function here; resolve.py reports one that is not."""

    func: str
    func_span: Span
    args: tuple[Expr, ...]
    span: Span


@record
class Convert:
    """`expr to unit`: the same quantity, expressed in another unit."""

    expr: Expr
    unit: UnitRef
    span: Span


@record
class Formatted:
    """`(expr:format)`: the value printed as text, inside a larger expression."""

    expr: Expr
    format: Format
    span: Span


@record
class Items:
    """Several figures printed under one format: `<基本支出、项目支出:增减>`. Only
    the whole of a reference is a list."""

    items: tuple[Expr, ...]
    span: Span


@record
class Invalid:
    """Source that did not parse; its diagnostic is already reported."""

    span: Span


Expr = (
    Number
    | String
    | Bool
    | Name
    | Glob
    | Unary
    | Binary
    | Compare
    | Logic
    | Not
    | Call
    | CellRef
    | Convert
    | Formatted
    | Items
    | Invalid
)

# ------------------------------------------------------------------ inline text


@record
class FormatItem:
    """One word of a format: kind is decimals (`.2`), percent, grouping (`,`) or word."""

    kind: str
    text: str
    span: Span


@record
class Format:
    """The words after the colon in `<x:format>`, `(x:format)` or a `columns` entry:
    `.2`, `.1%`, `元`, `增减`."""

    items: tuple[FormatItem, ...]
    span: Span


@record
class Text:
    """A run of literal prose; an escape is already the character it stands for."""

    text: str
    span: Span


@record
class Ref:
    """`<expr>` or `<expr:format>` inside prose. `in_table`: a number cell of a table,
    printed the way tables print numbers (fixed decimals, no unit but %)."""

    expr: Expr
    format: Format | None
    span: Span
    in_table: bool = False


@record
class Strong:
    """`**strong**` text; inside it only text, escapes and references."""

    children: tuple[Inline, ...]
    span: Span


@record
class Emph:
    """`*emphasised*` text; inside it only text, escapes and references."""

    children: tuple[Inline, ...]
    span: Span


@record
class Placeholder:
    """`?` in a table cell: a figure not available yet. A draft build prints the
    report's placeholder word (未列) marked; a final build refuses it."""

    span: Span


Inline = Text | Ref | Strong | Emph | Placeholder

# ------------------------------------------------------------------ statements


@record
class Let:
    """`let name = expr [exact] [in low..high]`: declares a figure. `exact`: its literals are exact,
    not the interval their printed digits allow (see docs/language.md, "Checks").
    `cell`: the figure of a table cell (tables.py)."""

    name: str
    name_span: Span
    expr: Expr
    span: Span
    exact: bool = False
    cell: bool = False  # a table cell's figure, which may be a number or a text
    # `in 0%..100%`: what the figure can be (a rate is at most 100%); checked, and
    # known to the bounds of checks that use it
    bounds: tuple[Expr, Expr] | None = None


@record
class Check:
    """`check expr [within tolerance] [exact] ["message"]`. A check written inside a
    table is applied per column or per row (`only` those named after `for`); each
    copy names the `cell` it is about and `where` it applies ("column 决算数").
    `exact`: the literals in the check stand for themselves, not an interval."""

    expr: Expr
    tolerance: Expr | None
    message: str | None
    span: Span
    cell: Span | None = None
    where: str = ""
    only: tuple[str, ...] = ()
    exact: bool = False


@record
class UnitDecl:
    """`unit 户` (a new kind of count), `unit 名 = 人` or `unit 千元 = 1000 元`."""

    name: str
    name_span: Span
    factor: Decimal | None
    base: UnitRef | None
    span: Span


@record
class Include:
    """`include "figures.rpti"`: splice another file in here, its path relative to
    the including file."""

    path: str
    span: Span


# ------------------------------------------------------------------ blocks


@record
class Heading:
    """A heading; `numbered` is false when the author wrote `{-}` after it, and
    `number` is the one written as `{3}` (the headings after it go on from it);
    `attachment`, written `{attachment}`: an attachment's label and title."""

    level: int
    inlines: tuple[Inline, ...]
    numbered: bool
    span: Span
    number: int | None = None
    attachment: bool = False


@record
class Note:
    """`note …` lines: a note to the report's reviewers, printed in a draft build
    only, line by line as a paragraph is."""

    lines: tuple[tuple[Inline, ...], ...]
    span: Span


@record
class Paragraph:
    """Consecutive prose lines; each line is kept so renderers can join them by locale."""

    lines: tuple[tuple[Inline, ...], ...]
    span: Span


@record
class ListItem:
    """One `- ` or `1. ` item, with the indented lines that continue it."""

    inlines: tuple[Inline, ...]
    span: Span


@record
class ListBlock:
    """Consecutive list items of one kind: bullets, or numbered from `start` (the
    number of the first item)."""

    ordered: bool
    start: int
    items: tuple[ListItem, ...]
    span: Span


# ------------------------------------------------------------------ tables


@record
class Column:
    """A column of a `columns` line: its name and the format of its number cells."""

    name: str
    format: Format | None
    span: Span


@record
class Cell:
    """A table cell as written. kind: empty, text, number (a literal in a number
    column), formula (`= expr`), data (`@`: the cell of the table's data source
    in its row's label and its column's header), placeholder (`?`), left (`<`:
    part of the cell to the left), up (`^`) or keep (`~`: the cell the form
    being extended has here)."""

    kind: str
    inlines: tuple[Inline, ...]
    expr: Expr | None
    span: Span


@record
class TableRow:
    """`row NAME | … |` (name optional) or `header | … |`. In a table that extends
    a form, `after` places a row the form lacks (`row 新行 after 合计`); `code`
    is a 科目's code whose code and name fill the row's first cells."""

    name: str | None
    header: bool
    cells: tuple[Cell, ...]
    span: Span
    after: tuple[str, Span] | None = None
    code: tuple[str, Span] | None = None


@record
class Table:
    """`table NAME "caption"` … `end`: the cells of named rows become figures named
    `NAME.row.column`; checks inside apply per column or per row (see tables.py)."""

    name: str
    caption: str | None
    unit: UnitRef | None
    columns: tuple[Column, ...]
    rows: tuple[TableRow, ...]
    checks: tuple[Check, ...]
    span: Span
    # `from NAME`: the data source its `@` cells read, and where it is named
    source: tuple[str, Span] | None = None
    number: str | None = None  # `number 公开01表`: the standard form's number
    # `form NAME`: a frame for tables to extend, neither printed nor computed
    form: bool = False
    # `like 部门决算.公开01表`: the form this table (or form) extends, and where
    like: tuple[str, Span] | None = None
    # `drop 甲, 乙`: the form's rows or columns this one leaves out
    drops: tuple[tuple[str, Span], ...] = ()


@record
class GridCell:
    """A table cell placed on the grid, spans resolved: what the document shows.
    `align` is left, center, right, or auto for a formula in a text column, which
    the type checker aligns by the kind of value it gives."""

    inlines: tuple[Inline, ...]
    colspan: int
    rowspan: int
    align: str
    span: Span


@record
class GridRow:
    """A row of a Grid, header or body; as in HTML it holds only the cells that start
    in it, not the places another cell's span covers."""

    header: bool
    cells: tuple[GridCell, ...]


@record
class Grid:
    """A table after `tables.py`: its number cells are figures (and Refs to them here)."""

    caption: str | None
    unit: UnitRef | None
    columns: int
    rows: tuple[GridRow, ...]
    span: Span
    number: str | None = None  # the standard form's number, 公开01表


@record
class DataSource:
    """`data 收支表 = "决算.xlsx" sheet "Z01 …" unit 元 unit "人数": 人`: one table
    of a workbook (its first sheet unless named) or a CSV file, the unit of its
    numbers, and of some columns' numbers by their header. The loader reads the
    file (inside the report's root, as includes are) into `content`."""

    name: str
    name_span: Span
    path: str
    path_span: Span
    sheet: str | None
    unit: UnitRef | None
    column_units: tuple[tuple[str, UnitRef], ...]
    span: Span
    content: bytes | None = None


Statement = Let | Check | UnitDecl | Include | DataSource
Block = Heading | Paragraph | ListBlock | Note | Table | Grid
Item = Statement | Block


@record
class HeaderEntry:
    """A `key: value` line of the front matter, `year: 2023`; the value is trimmed."""

    key: str
    value: str
    key_span: Span
    value_span: Span


@record
class File:
    """One parsed file: its front matter (if any) and its items in source order."""

    header: tuple[HeaderEntry, ...]
    items: tuple[Item, ...]


@record
class Module:
    """The whole report: the main file's front matter and every item, includes expanded."""

    header: tuple[HeaderEntry, ...]
    items: tuple[Item, ...]
