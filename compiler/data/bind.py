"""Put each data cell a report reads in place of the reference that reads it.

`收支表["一般公共预算财政拨款收入", "决算数"]` is the cell in the row of the
label and the column of the header: the label is a cell whose text is that
label, the header a cell above it whose text is that header, the nearest such
column to the label's right (so a table with an income and an expenditure side
finds each side's 决算数). Texts are compared in NFKC with spaces removed,
as exports space labels unevenly. `收支表["E10"]` is a cell by its address.
Either becomes the cell's exact number in the source's unit (or its column's),
a literal as if the author had written it, that knows which cell it came from.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache, partial
from typing import TypeVar, assert_never

from ..base.codes import Code
from ..base.diagnostics import Diagnostics
from ..base.kept import Interned, Kept
from ..base.patterns import regex
from ..base.record import field, mutable, replace
from ..base.source import CellOrigin, Span
from ..base.suggest import did_you_mean
from ..syntax import tree as ast
from ..syntax import walks
from ..syntax.walks import same
from .number_format import shown
from .workbook import Cell, DataError, Sheet, plain, read_sheet

# each text of a sheet, by its key, and the cells (row, column) that read it
Positions = dict[str, list[tuple[int, int]]]
ADDRESS = regex(r"([A-Za-z]{1,3})([0-9]{1,7})")
SPACE = regex(r"\s+")


def bind_data(module: ast.Module, diagnostics: Diagnostics) -> ast.Module:
    """The module with every CellRef replaced by its cell's number, or by Invalid
    after a diagnostic that names the cell (or why there is none)."""
    sheets: dict[str, tuple[ast.DataSource, Sheet | None]] = {}
    for item in module.items:
        if isinstance(item, ast.DataSource):
            if item.name in sheets:
                diagnostics.error(
                    Code.DUPLICATE_NAME,
                    f"the data source `{item.name}` is declared twice",
                    item.name_span,
                    "declared again here",
                )
                continue
            sheets[item.name] = (item, _read(item, diagnostics))
    binder = _Binder(sheets, module.items, diagnostics)
    # what an item reads is decided by the sheets alone (the names of figures
    # only word a report of a source that is not one)
    read = _sheets(*(part for entry in sheets.values() for part in entry))
    # an item that reads no cell is itself, bound: told at less than the cost
    # of keeping it
    return ast.Module(
        module.header,
        tuple(
            _bound.made(item, read, partial(binder.item, item), diagnostics)
            if _reads_cells(item)
            else item
            for item in module.items
        ),
    )


# each item with its data cells read, by the item and the sheets it could read
_bound: Kept[ast.Item] = Kept(limit=100_000)
_sheets: Interned[object] = Interned()


def _read(source: ast.DataSource, diagnostics: Diagnostics) -> Sheet | None:
    if source.content is None:
        return None  # the loader reported why it could not read the file
    try:
        return read_sheet(source.content, source.path, source.sheet)
    except DataError as error:
        diagnostics.error(error.code, error.message, source.path_span, "read here", help=error.help)
        return None


@mutable
class _Binder:
    sheets: dict[str, tuple[ast.DataSource, Sheet | None]]
    items: tuple[ast.Item, ...]  # the module's, whose figures a wrong source may name
    diagnostics: Diagnostics
    # the `from NAME` of a table names no source: said once, not at each `@`
    unknown: set[Span] = field(default_factory=set)
    # each sheet's texts and where they stand, made when it is first read (by
    # the sheet's id: two sources may read one sheet, and `sheets` holds it)
    positions: dict[int, Positions] = field(default_factory=dict)

    def item(self, item: ast.Item) -> ast.Item:
        """The item with its data cells read; the very same item when it reads
        none (most do: a copy of each would cost more than the reading)."""
        match item:
            case ast.Let(expr=expr, bounds=bounds):
                new_expr = self.expr(expr)
                new_bounds = (
                    None if bounds is None else (self.expr(bounds[0]), self.expr(bounds[1]))
                )
                if new_expr is expr and (bounds is None or same(new_bounds or (), bounds)):
                    return item
                return replace(item, expr=new_expr, bounds=new_bounds)
            case ast.Check(expr=expr, tolerance=tolerance):
                new_expr = self.expr(expr)
                new_tolerance = None if tolerance is None else self.expr(tolerance)
                if new_expr is expr and new_tolerance is tolerance:
                    return item
                return replace(item, expr=new_expr, tolerance=new_tolerance)
            case ast.Heading(inlines=inlines):
                new_inlines = self.inlines(inlines)
                return item if new_inlines is inlines else replace(item, inlines=new_inlines)
            case ast.Paragraph(lines=lines) | ast.Note(lines=lines):
                new_lines = _mapped(lines, self.inlines)
                return item if new_lines is lines else replace(item, lines=new_lines)
            case ast.ListBlock(items=entries):
                listed = _mapped(entries, self._entry)
                return item if listed is entries else replace(item, items=listed)
            case ast.Grid(rows=rows):
                new_rows = _mapped(rows, self._row)
                return item if new_rows is rows else replace(item, rows=new_rows)
            case ast.UnitDecl() | ast.Include() | ast.DataSource() | ast.Table():
                return item
            case _:
                assert_never(item)

    def _entry(self, entry: ast.ListItem) -> ast.ListItem:
        inlines = self.inlines(entry.inlines)
        return entry if inlines is entry.inlines else replace(entry, inlines=inlines)

    def _row(self, row: ast.GridRow) -> ast.GridRow:
        cells = _mapped(row.cells, self._cell)
        return row if cells is row.cells else replace(row, cells=cells)

    def _cell(self, cell: ast.GridCell) -> ast.GridCell:
        inlines = self.inlines(cell.inlines)
        return cell if inlines is cell.inlines else replace(cell, inlines=inlines)

    def inlines(self, inlines: tuple[ast.Inline, ...]) -> tuple[ast.Inline, ...]:
        """The inlines with their references' data cells read: the same tuple
        when none reads one."""
        return _mapped(inlines, self._inline)

    def _inline(self, inline: ast.Inline) -> ast.Inline:
        match inline:
            case ast.Ref(expr=expr):
                new_expr = self.expr(expr)
                return inline if new_expr is expr else replace(inline, expr=new_expr)
            case ast.Strong(children=children) | ast.Emph(children=children):
                inner = self.inlines(children)
                return inline if inner is children else replace(inline, children=inner)
            case ast.Text() | ast.Placeholder():
                return inline
            case _:
                assert_never(inline)

    def expr(self, expr: ast.Expr) -> ast.Expr:
        # an item that reads a cell has expressions that read none: not copied
        return walks.map_expr(expr, self._read) if _in_expr(expr) else expr

    def _read(self, node: ast.Expr) -> ast.Expr | None:
        return self.cell(node) if isinstance(node, ast.CellRef) else None

    def cell(self, ref: ast.CellRef) -> ast.Expr:
        found = self.sheets.get(ref.source)
        if found is None:
            if ref.source_span in self.unknown:
                return ast.Invalid(ref.span)
            self.unknown.add(ref.source_span)
            if any(isinstance(i, ast.Let) and i.name == ref.source for i in self.items):
                message = f"`{ref.source}` is a figure, not a data source"
            else:
                message = f"there is no data source `{ref.source}`"
            self.diagnostics.error(
                Code.UNKNOWN_DATA,
                message,
                ref.source_span,
                "not declared with `data`",
                help=did_you_mean(ref.source, list(self.sheets))
                or '`data 名称 = "文件.xlsx"` declares one',
            )
            return ast.Invalid(ref.span)
        source, sheet = found
        if sheet is None:
            return ast.Invalid(ref.span)  # the file could not be read: reported
        # an `@` cell shows the reference it stands for
        read = f"reads {ref.implied}" if ref.implied else "read here"
        positions = self.positions.get(id(sheet))
        if positions is None:
            positions = self.positions[id(sheet)] = _positions(sheet)
        try:
            row, column = _locate(sheet, ref, positions)
        except DataError as error:
            label = read if ref.implied else ""
            self.diagnostics.error(error.code, error.message, ref.span, label, help=error.help)
            return ast.Invalid(ref.span)
        address = sheet.address(row, column)
        cell = _at(sheet, row, column)
        origin = CellOrigin(sheet.file, sheet.name, address, cell.shown)
        if not isinstance(cell.value, type(None) | str):
            self._shown(sheet, address, cell.value, ref, read)
            unit = _unit(source, positions, ref, column)
            return ast.Number(cell.value, plain(cell.value), unit, ref.span, origin)
        where = origin.describe().removesuffix(f" ({cell.shown})")
        if address in sheet.unsaved:
            message = f"{where} holds a formula saved without its value"
            help = "open the workbook in Excel or WPS and save it, so that it keeps the values"
        elif cell.value is None:
            shown = f" ({cell.shown})" if cell.shown else ""
            message = f"{where} is empty{shown}: it holds no number"
            help = "a figure needs a number; if nothing means zero here, write 0 in the cell"
        else:
            message = f"{where} holds the text `{cell.value}`, not a number"
            help = None
        self.diagnostics.error(Code.NOT_A_NUMBER, message, ref.span, read, help=help)
        return ast.Invalid(ref.span)

    def _shown(
        self, sheet: Sheet, address: str, value: Decimal, ref: ast.CellRef, read: str
    ) -> None:
        """Warn when the cell shows another number than it stores (W601): the
        figure is the stored value (number_format.py says why)."""
        code = sheet.formats.get(address)
        on_screen = None if code is None else shown(value, code)
        if on_screen is None or on_screen.value == value:
            return
        where = CellOrigin(sheet.file, sheet.name, address, "").describe().removesuffix(" ()")
        self.diagnostics.warning(
            Code.HIDDEN_DIGITS,
            f"{where} stores {plain(value)} but shows {on_screen.text} "
            f"(its number format is `{code}`)",
            ref.span,
            read,
            notes=(f"the figure is the stored value, {plain(value)}",),
            help="round the cell in the workbook (=ROUND(…)) or show all its digits, "
            "so that the sheet and the report say the same",
        )


T = TypeVar("T")


def _mapped(values: tuple[T, ...], change: Callable[[T], T]) -> tuple[T, ...]:
    """`change` made of each value: the very same tuple when it changes none
    (most tuples of a report: nothing is built for them)."""
    for index, value in enumerate(values):
        new = change(value)
        if new is not value:
            return (*values[:index], new, *map(change, values[index + 1 :]))
    return values


# the expressions that hold no other (a CellRef is the one that reads a cell)
_LEAVES = frozenset({ast.Name, ast.Number, ast.String, ast.Bool, ast.Glob, ast.Invalid})


def _reads_cells(item: ast.Item) -> bool:
    """Whether a CellRef stands anywhere in the item. Asked of every item of
    every build: the common kinds are told first, and each level of an item is
    looked through in a loop, not a call a node."""
    match item:
        case ast.Let():
            return _in_expr(item.expr) or (item.bounds is not None and _in_exprs(item.bounds))
        case ast.Paragraph() | ast.Note():
            return any(map(_in_inlines, item.lines))
        case ast.Check():
            tolerance = item.tolerance
            return _in_expr(item.expr) or (tolerance is not None and _in_expr(tolerance))
        case ast.Heading():
            return _in_inlines(item.inlines)
        case ast.Grid():
            return any(_in_inlines(cell.inlines) for row in item.rows for cell in row.cells)
        case ast.ListBlock():
            return any(_in_inlines(entry.inlines) for entry in item.items)
        case ast.UnitDecl() | ast.Include() | ast.DataSource() | ast.Table():
            return False  # a table is expanded before: what is left of it reads nothing
        case _:
            assert_never(item)


def _in_inlines(inlines: tuple[ast.Inline, ...]) -> bool:
    for inline in inlines:
        if type(inline) is ast.Text:
            continue  # most inlines are
        if type(inline) is ast.Ref:
            if _in_expr(inline.expr):
                return True
        elif type(inline) is ast.Strong or type(inline) is ast.Emph:
            if _in_inlines(inline.children):
                return True
        elif type(inline) is not ast.Placeholder:
            raise AssertionError(f"an inline of kind {type(inline).__name__}")  # never skipped
    return False


def _in_expr(expr: ast.Expr) -> bool:
    kind = type(expr)
    if kind in _LEAVES:
        return False  # most expressions are a name or a number
    return kind is ast.CellRef or _in_exprs(walks.subexpressions(expr))


def _in_exprs(exprs: tuple[ast.Expr, ...]) -> bool:
    return any(map(_in_expr, exprs))


def _unit(
    source: ast.DataSource, positions: Positions, ref: ast.CellRef, column: int
) -> ast.UnitRef | None:
    """The unit of a cell's number: its column's, by the column's header, else the source's."""
    # each unit made where the reference stands (a UnitRef is its name and
    # span: made so, as dataclasses.replace would, at a tenth of its cost)
    for header, unit in source.column_units:
        key = _key(header)
        if len(ref.keys) == 2 and _key(ref.keys[1]) == key:
            return ast.UnitRef(unit.name, ref.span)
        if any(c == column for _, c in positions.get(key, ())):
            return ast.UnitRef(unit.name, ref.span)
    return ast.UnitRef(source.unit.name, ref.span) if source.unit else None


def _positions(sheet: Sheet) -> Positions:
    """Where each text of a sheet stands (row, column), by its key: labels and
    headers are looked up for every reference, and a sheet has thousands of cells."""
    found: dict[str, list[tuple[int, int]]] = {}
    for r, row in enumerate(sheet.rows):
        for c, cell in enumerate(row):
            shown = cell.shown
            if shown:
                value = cell.value  # _text(cell), written out: this runs for every cell
                text = value if isinstance(value, str) else shown
                found.setdefault(_key(text), []).append((r, c))
    return found


# a sheet repeats its labels and headers, and its sheets one another's: each
# text is normalised once (the key of a text never changes)
@lru_cache(maxsize=65_536)
def _key(text: str) -> str:
    return SPACE.sub("", unicodedata.normalize("NFKC", text))


def _text(cell: Cell) -> str:
    return cell.value if isinstance(cell.value, str) else cell.shown


def _at(sheet: Sheet, row: int, column: int) -> Cell:
    if 0 <= row < len(sheet.rows) and 0 <= column < len(sheet.rows[row]):
        return sheet.rows[row][column]
    return Cell(None, "")


def _locate(sheet: Sheet, ref: ast.CellRef, positions: Positions) -> tuple[int, int]:
    """The row and column (in `sheet.rows`) the reference names."""
    if len(ref.keys) == 1:
        match = ADDRESS.fullmatch(ref.keys[0].strip())
        if match is None:
            raise DataError(
                Code.CELL_NOT_FOUND,
                f"`{ref.keys[0]}` is not a cell address such as E10",
                'give a cell by its address, `名称["E10"]`, or by its row label and column '
                'header, `名称["一般公共预算财政拨款收入", "决算数"]`',
            )
        letters, digits = match.group(1).upper(), match.group(2)
        column = 0
        for letter in letters:
            column = column * 26 + ord(letter) - ord("A") + 1
        return int(digits) - 1 - sheet.top, column - 1 - sheet.left
    label, header = ref.keys
    labels = positions.get(_key(label), [])
    headers = positions.get(_key(header), [])
    where = f"the sheet {sheet.name} of {sheet.file}" if sheet.name else sheet.file
    if not labels or not headers:
        missing = label if not labels else header
        texts = sorted({_text(c) for row in sheet.rows for c in row if isinstance(c.value, str)})
        raise DataError(
            Code.CELL_NOT_FOUND,
            f"no cell of {where} reads `{missing}`",
            did_you_mean(missing, texts),
        )
    cells = set()
    for row, label_column in labels:
        columns = sorted(c for r, c in headers if r < row and c > label_column)
        if columns:
            cells.add((row, columns[0]))
    if not cells:
        first = sheet.address(*labels[0])
        raise DataError(
            Code.CELL_NOT_FOUND,
            f"no column `{header}` stands above and right of `{label}` ({first}) in {where}",
        )
    if len(cells) > 1:
        listed = ", ".join(sheet.address(r, c) for r, c in sorted(cells))
        raise DataError(
            Code.AMBIGUOUS_CELL,
            f"`{label}` × `{header}` names {len(cells)} cells of {where}: {listed}",
            'give the cell by its address, `名称["E10"]`',
        )
    return cells.pop()
