"""Expand tables into what the rest of the compiler already knows.

Every number or formula cell of a table becomes a figure `表.行.列` (rows without
a name get a hidden one, so their cells still compute and print). Names in a
cell's formula are looked up in the table first: a column name means that
column of the same row, `行.列` a cell of this table; anything else is a figure
of the report. A `check` inside a table applies per column when it names rows
(`check 合计 == sum(收入.*)`; percent columns are skipped, rates do not add up),
per row when it names columns (`check 得分 <= 分值`); each copy points at the
cell it is about. An `@` cell of a table bound to a data source (`from 收支表`)
becomes the reference to the source's cell it reads (table_data.py). Spans (`<` and `^`) are placed
on a grid, and the table goes on as a `Grid` whose number cells are references.
"""

from __future__ import annotations

from functools import partial
from typing import assert_never

from ..base.codes import Code
from ..base.diagnostics import Diagnostics, Label
from ..base.kept import Kept
from ..base.record import mutable, record, replace
from ..base.source import Span
from . import tree as ast
from . import walks
from .format_words import ALIGNMENTS, FORMAT_WORDS
from .parse_table import NO_NUMBER
from .table_data import Unbound, data_reference

MAX_GRID_CELLS = 1_000_000


def expand_tables(module: ast.Module, diagnostics: Diagnostics) -> ast.Module:
    items: list[ast.Item] = []
    for item in module.items:
        if isinstance(item, ast.Table):
            items.extend(
                _expanded.made(item, None, partial(_expand, item, diagnostics), diagnostics)
            )
        else:
            items.append(item)
    return ast.Module(module.header, tuple(items))


# what each table became; a table depends on nothing outside itself
_expanded: Kept[tuple[ast.Item, ...]] = Kept(limit=10_000)


def _expand(table: ast.Table, diagnostics: Diagnostics) -> tuple[ast.Item, ...]:
    return tuple(_Expansion(table, diagnostics).run())


@mutable
class _Column:
    """A column as the expansion needs it: its name, the format of its number cells
    without alignment words, the unit of its bare numbers, and its alignment."""

    name: str
    format: ast.Format | None
    unit: ast.UnitRef | None
    align: str | None


class _Expansion:
    """One table turned into figures, checks and a grid."""

    def __init__(self, table: ast.Table, diagnostics: Diagnostics) -> None:
        self.table = table
        self.diagnostics = diagnostics
        width = max([len(table.columns), *(len(row.cells) for row in table.rows)], default=0)
        self.width = width
        self.columns = [_column(table, index) for index in range(width)]
        self.column_names = {c.name: i for i, c in enumerate(self.columns) if "#" not in c.name}
        self.row_names = [self._row_name(i, row) for i, row in enumerate(table.rows)]
        self.named_rows = {
            name for name, row in zip(self.row_names, table.rows, strict=True) if not row.header
        }
        self.row_index = {name: i for i, name in enumerate(self.row_names)}

    # ---------------------------------------------------------------- setup

    def _row_name(self, index: int, row: ast.TableRow) -> str:
        return row.name if row.name is not None else f"#{index + 1}"

    def _figure(self, row: str, column: int) -> str:
        return f"{self.table.name}.{row}.{self.columns[column].name}"

    # ---------------------------------------------------------------- run

    def run(self) -> list[ast.Item]:
        items: list[ast.Item] = []
        for row_index, row in enumerate(self.table.rows):
            if row.header:
                continue
            row_name = self.row_names[row_index]
            for column, cell in enumerate(row.cells):
                if cell.kind == "data":
                    expr = self._data_expr(row_index, column)
                elif cell.kind in ("number", "formula") and cell.expr is not None:
                    expr = self._cell_expr(cell, column, row_name)
                else:
                    continue
                name = self._figure(row_name, column)
                items.append(ast.Let(name, cell.span, expr, cell.span, cell=True))
        for check in self.table.checks:
            items.extend(self._checks(check))
        grid = self._grid()
        if grid is not None:
            items.append(grid)
        return items

    def _cell_expr(self, cell: ast.Cell, column: int, row: str) -> ast.Expr:
        assert cell.expr is not None
        expr = cell.expr
        if cell.kind == "number":
            unit = self.columns[column].unit or self.table.unit
            expr = _with_unit(expr, unit)
        return self._qualify(expr, row)

    def _data_expr(self, row: int, column: int) -> ast.Expr:
        """An `@` cell: the data source's cell it reads (table_data.py)."""
        numeric = [c.format is not None for c in self.columns]
        unit = self.columns[column].unit or self.table.unit
        found = data_reference(self.table, numeric, row, column, unit)
        span = self.table.rows[row].cells[column].span
        if isinstance(found, Unbound):
            self._error(found.message, span, help=found.help, code=found.code)
            return ast.Invalid(span)
        return found

    def _qualify(self, expr: ast.Expr, row: str | None) -> ast.Expr:
        """Names of this table's columns and cells, made into figure names."""

        def change(node: ast.Expr) -> ast.Expr | None:
            match node:
                case ast.Name(name=name, span=span):
                    return ast.Name(self._local_name(name, row) or name, span)
                case ast.Glob(pattern=pattern, span=span):
                    if self._is_table_pattern(pattern):
                        return ast.Glob(f"{self.table.name}.{pattern}", span)
            return None

        return walks.map_expr(expr, change)

    def _local_name(self, name: str, row: str | None) -> str | None:
        if name in self.column_names and row is not None:
            return f"{self.table.name}.{row}.{name}"
        head, _, last = name.rpartition(".")
        if head and last in self.column_names and head in self.named_rows:
            return f"{self.table.name}.{name}"
        return None

    def _is_table_pattern(self, pattern: str) -> bool:
        parts = pattern.split(".")
        return (
            len(parts) >= 2
            and parts[-1] in self.column_names
            and (parts[0] == "*" or any(r.split(".")[0] == parts[0] for r in self.named_rows))
        )

    # ---------------------------------------------------------------- checks

    def _checks(self, check: ast.Check) -> list[ast.Check]:
        rows, globs, columns = self._check_refs(check)
        if (rows or globs) and columns:
            self._error(
                "a table check names rows and columns at once",
                check.expr.span,
                help="name cells as `行.列`, or check rows and columns separately",
            )
            return []
        if rows or globs:
            return self._per_column(check, rows, globs)
        if columns:
            return self._per_row(check, columns)
        if check.only:
            self._error("`for` applies to checks that name rows or columns", check.expr.span)
        return [replace(check, expr=self._qualify(check.expr, None))]

    def _check_refs(
        self, check: ast.Check
    ) -> tuple[list[ast.Name], list[ast.Glob], list[ast.Name]]:
        rows: list[ast.Name] = []
        globs: list[ast.Glob] = []
        columns: list[ast.Name] = []
        exprs = [check.expr] if check.tolerance is None else [check.expr, check.tolerance]
        for node in (n for e in exprs for n in walks.walk(e)):
            match node:
                case ast.Name(name=name) if name in self.column_names and name in self.named_rows:
                    self._error(
                        f"`{name}` names both a row and a column of this table",
                        node.span,
                        help="rename the row or the column",
                    )
                case ast.Name(name=name) if name in self.column_names:
                    columns.append(node)
                case ast.Name(name=name) if name in self.named_rows:
                    rows.append(node)
                case ast.Glob(pattern=pattern) if not self._is_table_pattern(pattern) and any(
                    _fits(pattern, row) for row in self.named_rows
                ):
                    globs.append(node)
        return rows, globs, columns

    def _content(self, row: int, column: int) -> tuple[str, Span | None]:
        """What a cell holds for a check: `number` (a number or formula), `nothing`
        (empty, joined, or a word for none such as — or 无) or `text`, and its span."""
        cells = self.table.rows[row].cells
        if column >= len(cells):
            return "nothing", None
        cell = cells[column]
        match cell.kind:
            case "number" | "formula" | "data":
                return "number", cell.span
            case "empty" | "left" | "up" | "placeholder":
                return "nothing", cell.span
            case "text" if (_cell_text(cell.inlines) or "").strip() in NO_NUMBER:
                return "nothing", cell.span
        return "text", cell.span

    def _per_column(
        self, check: ast.Check, rows: list[ast.Name], globs: list[ast.Glob]
    ) -> list[ast.Check]:
        """One copy of the check for each column where its rows have numbers. A
        column where a named row holds text, or has no number while the others
        do, is an error, not a column skipped: a check must never pass unsaid."""
        found = []
        failed = False
        for column in range(self.width):
            column_name = self.columns[column].name
            explicit = column_name in check.only
            if "#" in column_name or (check.only and not explicit):
                continue
            direct = {r.name: self._content(self.row_index[r.name], column) for r in rows}
            members = {
                glob.pattern: {
                    row: self._content(self.row_index[row], column)
                    for row in self.named_rows
                    if _fits(glob.pattern, row)
                }
                for glob in globs
            }
            contents = [*direct.values(), *(c for m in members.values() for c in m.values())]
            numeric = self.columns[column].format is not None
            if not explicit and (
                not (numeric or any(kind == "number" for kind, _ in direct.values()))
                or self._is_rate(column)  # rates and shares do not add up
            ):
                continue
            if all(kind == "nothing" for kind, _ in contents):
                if explicit:
                    self._inapplicable(
                        f"this check names the column `{column_name}`, "
                        "but its rows have no number there",
                        check.expr.span,
                        check,
                    )
                    failed = True
                continue
            problem = self._column_problem(check, column_name, direct, members)
            if problem:
                failed = True
                continue

            def change(node: ast.Expr, column_name: str = column_name) -> ast.Expr | None:
                match node:
                    case ast.Name(name=name, span=span) if name in self.named_rows:
                        return ast.Name(f"{self.table.name}.{name}.{column_name}", span)
                    case ast.Glob(pattern=pattern, span=span) if node in globs:
                        return ast.Glob(f"{self.table.name}.{pattern}.{column_name}", span)
                return None

            cell = next((at for kind, at in direct.values() if kind == "number"), None)
            found.append(self._copy(check, change, cell, f"column {column_name}"))
        if not found and not failed:
            self._inapplicable(
                "this check applies to no column: its rows have no number in the same column",
                check.expr.span,
                check,
            )
        return found

    def _column_problem(
        self,
        check: ast.Check,
        column: str,
        direct: dict[str, tuple[str, Span | None]],
        members: dict[str, dict[str, tuple[str, Span | None]]],
    ) -> bool:
        """Report why a check cannot apply in a column where some of its rows have
        numbers: a row holding text, a named row without a number, a group without
        one. True when there is such a reason."""
        every = {**direct, **{row: c for member in members.values() for row, c in member.items()}}
        for row, (kind, span) in every.items():
            if kind == "text" and span is not None:
                self._inapplicable(
                    f"this check cannot be decided in the column `{column}`: "
                    f"the row `{row}` holds text there",
                    span,
                    check,
                    help="write the number, or name the columns the check is for with `for`",
                )
                return True
        for row, (kind, span) in direct.items():
            if kind == "nothing":
                self._inapplicable(
                    f"this check names the row `{row}`, which has no number "
                    f"in the column `{column}`",
                    span or check.expr.span,
                    check,
                    help="write 0 where the amount is zero, or name the columns the check "
                    "is for with `for`",
                )
                return True
        for pattern, member in members.items():
            if not any(kind == "number" for kind, _ in member.values()):
                self._inapplicable(
                    f"no row of `{pattern}` has a number in the column `{column}`",
                    check.expr.span,
                    check,
                    help="name the columns the check is for with `for`",
                )
                return True
        return False

    def _is_rate(self, column: int) -> bool:
        unit = self.columns[column].unit
        return unit is not None and unit.name in ("%", "‰")

    def _per_row(self, check: ast.Check, columns: list[ast.Name]) -> list[ast.Check]:
        """One copy of the check for each row with numbers in its columns; a row
        with a number in some of them and text or nothing in others is an error."""
        found = []
        for index, row in enumerate(self.table.rows):
            if row.header:
                continue
            row_name = self.row_names[index]
            explicit = any(_fits(pattern, row_name) for pattern in check.only)
            if check.only and not explicit:
                continue
            contents = {c.name: self._content(index, self.column_names[c.name]) for c in columns}
            shown = row.name if row.name is not None else f"#{index + 1}"
            if all(kind == "nothing" for kind, _ in contents.values()):
                if explicit:
                    self._inapplicable(
                        f"this check is for the row `{shown}`, which has no number in its columns",
                        check.expr.span,
                        check,
                    )
                continue
            odd = next(
                ((key, kind, at) for key, (kind, at) in contents.items() if kind != "number"),
                None,
            )
            if odd is not None:
                column_name, kind, where = odd
                what = "holds text" if kind == "text" else "has no number"
                self._inapplicable(
                    f"this check cannot be decided in the row `{shown}`: "
                    f"its column `{column_name}` {what}",
                    where or row.span,
                    check,
                    help="write the number (0 where it is zero), or name the rows the check "
                    "is for with `for`",
                )
                continue

            def change(node: ast.Expr, row_name: str = row_name) -> ast.Expr | None:
                match node:
                    case ast.Name(name=name, span=span) if name in self.column_names:
                        return ast.Name(f"{self.table.name}.{row_name}.{name}", span)
                return None

            first = next(at for _, at in contents.values())
            found.append(self._copy(check, change, first, f"row {shown}"))
        return found

    def _copy(
        self,
        check: ast.Check,
        change: object,
        cell: Span | None,
        where: str,
    ) -> ast.Check:
        assert callable(change)

        def rename(expr: ast.Expr) -> ast.Expr:
            return self._qualify(walks.map_expr(expr, change), None)

        tolerance = rename(check.tolerance) if check.tolerance is not None else None
        return replace(check, expr=rename(check.expr), tolerance=tolerance, cell=cell, where=where)

    # ---------------------------------------------------------------- grid

    def _grid(self) -> ast.Grid | None:
        table = self.table
        height = len(table.rows)
        if height * self.width > MAX_GRID_CELLS:
            self._error(
                f"this table has {height:,} rows of {self.width:,} columns; "
                f"the limit is {MAX_GRID_CELLS:,} cells",
                table.span,
                code=Code.LIMIT_EXCEEDED,
            )
            return None
        merged = _merge(table, self.width)
        if isinstance(merged, _Problem):
            self._error(merged.message, merged.span)
            return None
        grid_rows: list[list[ast.GridCell]] = [[] for _ in range(height)]
        for r, c, cell, colspan, rowspan in merged:
            inlines, align = self._inlines(r, c, cell), self._align(r, c, cell)
            grid_rows[r].append(ast.GridCell(inlines, colspan, rowspan, align, cell.span))
        rows = tuple(
            ast.GridRow(table.rows[r].header, tuple(cells)) for r, cells in enumerate(grid_rows)
        )
        return ast.Grid(table.caption, table.unit, self.width, rows, table.span, table.number)

    def _inlines(self, r: int, c: int, cell: ast.Cell) -> tuple[ast.Inline, ...]:
        if cell.kind in ("number", "formula", "data") and not self.table.rows[r].header:
            name = self._figure(self.row_names[r], c)
            return (ast.Ref(ast.Name(name, cell.span), self.columns[c].format, cell.span, True),)
        return cell.inlines

    def _align(self, r: int, c: int, cell: ast.Cell) -> str:
        if self.table.rows[r].header:
            return "center"
        column = self.columns[c]
        if column.align is not None:
            return column.align
        if column.format is None and cell.kind in ("formula", "data"):
            return "auto"  # a formula in a text column: its type decides (typecheck.py)
        numeric = cell.kind == "number" or column.format is not None
        return "right" if numeric else "left"

    def _error(
        self,
        message: str,
        span: Span,
        *,
        help: str | None = None,
        code: Code = Code.SYNTAX,
        labels: tuple[Label, ...] = (),
    ) -> None:
        label = Label(self.table.span, f"in the table `{self.table.name}`")
        self.diagnostics.error(code, message, span, labels=(*labels, label), help=help)

    def _inapplicable(
        self, message: str, span: Span, check: ast.Check, help: str | None = None
    ) -> None:
        """A table check that cannot be decided somewhere it should apply."""
        labels = (Label(check.expr.span, "the check"),) if span != check.expr.span else ()
        self._error(message, span, help=help, code=Code.INAPPLICABLE_CHECK, labels=labels)


@record
class _Problem:
    """Why a table's merged cells cannot be laid out, and where."""

    message: str
    span: Span


def _merge(table: ast.Table, width: int) -> list[tuple[int, int, ast.Cell, int, int]] | _Problem:
    """Each cell that starts an area of merged cells (or stands alone): its row,
    column, colspan and rowspan; or the problem: a `<` or `^` with nothing to
    join, or merged cells that do not form a rectangle."""
    height = len(table.rows)
    owner: list[list[int]] = [[-1] * width for _ in range(height)]
    anchors: list[tuple[int, int, ast.Cell]] = []
    for r, row in enumerate(table.rows):
        cells = list(row.cells) + [
            ast.Cell("empty", (), None, row.span) for _ in range(width - len(row.cells))
        ]
        for c, cell in enumerate(cells):
            if cell.kind == "left" and c > 0:
                owner[r][c] = owner[r][c - 1]
            elif cell.kind == "up" and r > 0:
                owner[r][c] = owner[r - 1][c]
            elif cell.kind in ("left", "up"):
                message = (
                    "`<` joins the cell on its left, but this is the first column"
                    if cell.kind == "left"
                    else "`^` joins the cell above, but this is the first row"
                )
                return _Problem(message, cell.span)
            else:
                owner[r][c] = len(anchors)
                anchors.append((r, c, cell))
    extent: dict[int, list[tuple[int, int]]] = {}
    for r in range(height):
        for c in range(width):
            extent.setdefault(owner[r][c], []).append((r, c))
    merged = []
    for index, (r, c, cell) in enumerate(anchors):
        places = extent[index]
        bottom = max(p[0] for p in places)
        right = max(p[1] for p in places)
        if len(places) != (bottom - r + 1) * (right - c + 1):
            return _Problem("merged cells must form a rectangle", cell.span)
        merged.append((r, c, cell, right - c + 1, bottom - r + 1))
    return merged


def _column(table: ast.Table, index: int) -> _Column:
    """Column `index` of a table (`#3` when the `columns` line does not name it),
    its alignment word taken out of its format."""
    if index >= len(table.columns):
        return _Column(f"#{index + 1}", None, None, None)
    column = table.columns[index]
    if column.format is None:
        return _Column(column.name, None, None, None)
    align = None
    kept = []
    unit = None
    for item in column.format.items:
        if item.kind == "word" and item.text in ALIGNMENTS:
            align = item.text
            continue
        kept.append(item)
        if item.kind == "percent":
            unit = ast.UnitRef("%", item.span)
        elif item.kind == "word" and item.text not in FORMAT_WORDS:
            unit = ast.UnitRef(item.text, item.span)
    fmt = ast.Format(tuple(kept), column.format.span) if kept else None
    return _Column(column.name, fmt, unit, align)


def _with_unit(expr: ast.Expr, unit: ast.UnitRef | None) -> ast.Expr:
    """A bare number literal in a number column takes the column's (or table's) unit."""
    match expr:
        case ast.Number(unit=None) if unit is not None:
            return replace(expr, unit=unit)
        case ast.Unary(operand=operand):
            return replace(expr, operand=_with_unit(operand, unit))
    return expr


def _cell_text(inlines: tuple[ast.Inline, ...]) -> str | None:
    """A text cell as it reads, the text inside marks included (`—**粗**—` is
    no word for none); None when a reference or placeholder is in it."""
    parts = []
    for inline in inlines:
        match inline:
            case ast.Text(text=text):
                parts.append(text)
            case ast.Strong(children=children) | ast.Emph(children=children):
                inner = _cell_text(children)
                if inner is None:
                    return None
                parts.append(inner)
            case ast.Ref() | ast.Placeholder():
                return None
            case _:
                assert_never(inline)
    return "".join(parts)


def _fits(pattern: str, name: str) -> bool:
    """Whether a dotted name fits a glob (`*` one segment, `**` one or more)."""
    return walks.glob_pattern(pattern).fullmatch(name)
