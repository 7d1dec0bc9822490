"""Tables that extend a form, and rows of a 科目 by its code.

A form is a table's frame: `form NAME "caption"` … `end` in a report or a
library file it includes, or one of the nine public tables of the 部门决算 that
rpt ships (forms/national.rpti, named `部门决算.公开01表` …). A form is neither
printed nor computed. `table 公开01 like 部门决算.公开01表` … `end` is the form's
table with the changes its lines make:

- `row NAME | … |` replaces the form's row NAME in place; `~` in a cell keeps
  the form's cell there, and the cells right of the last written stay as the
  form has them;
- a row the form lacks is added: after the row `after` names, else after the
  row written before it, else after the form's last row;
- `drop A, B` leaves out rows or columns of the form (not one its checks name);
- a `columns` line lists the form's columns in order with columns added among
  them, each added cell empty, `<` inside a span, or a header of its own;
- the k-th `header` line replaces the form's k-th header row, as a row does;
- `unit`, `from`, `number` and a caption replace the form's; checks add to its.

A form may extend another (`form 湖南.公开01表 like 部门决算.公开01表`), as a
province's variant does. `row NAME code 2010101 | … |` writes the 科目's code
under the columns 类, 款 and 项 (joined, as the national tables print it) and its
name in the column after them, from forms/subjects.txt; the cells written fill
the other columns.

This pass runs before tables become figures (tables.py): every table it hands
on is whole, and forms are gone.
"""

from __future__ import annotations

import functools
from functools import partial

from ..base.codes import Code
from ..base.diagnostics import Diagnostics, Label
from ..base.kept import Interned, Kept
from ..base.record import replace
from ..base.resources import forms_dir
from ..base.source import Span
from ..base.suggest import closest
from . import tree as ast
from . import walks
from .parse import parse_file
from .parse_table import reread_cell
from .read import read_source

SHIPPED = "national.rpti"
SHIPPED_PATH = f"rpt/forms/{SHIPPED}"
CODE_COLUMNS = ("类", "款", "项")
# the column of a code of the 部门预算支出经济分类科目 (公开06表), before its name
ECONOMIC_COLUMN = "经济分类"
CODE_KINDS = ((CODE_COLUMNS, "subjects.txt"), ((ECONOMIC_COLUMN,), "economic.txt"))


@functools.cache
def shipped_forms() -> dict[str, ast.Table]:
    """The forms rpt ships, by name; tests/test_forms_like.py checks that their file
    reads without a diagnostic."""
    data = (forms_dir() / SHIPPED).read_bytes()
    diagnostics = Diagnostics()
    source = read_source(SHIPPED_PATH, data, diagnostics)
    assert source is not None, diagnostics
    parsed = parse_file(source, diagnostics)
    return {i.name: i for i in parsed.items if isinstance(i, ast.Table) and i.form}


@functools.cache
def subjects(listing: str = "subjects.txt") -> dict[str, str]:
    """The 科目 a `code` may name, code → name: of the 政府收支分类科目's 支出功能分类
    (subjects.txt), or of the 部门预算支出经济分类科目 (economic.txt)."""
    text = (forms_dir() / listing).read_text(encoding="utf-8")
    lines = (line.split(maxsplit=1) for line in text.splitlines() if line and line[0] != "#")
    return dict(lines)


def apply_forms(module: ast.Module, diagnostics: Diagnostics) -> ast.Module:
    """The module with each table that extends a form made whole, code rows
    filled, and no forms left."""
    tables = tuple(item for item in module.items if isinstance(item, ast.Table))
    # a table's form may be any table's: all are made again, or none
    made = iter(_made.made(_all(*tables), None, partial(_tables, tables, diagnostics), diagnostics))
    items = [
        next(made) if isinstance(item, ast.Table) else item
        for item in module.items
        if not (isinstance(item, ast.Table) and item.form)
    ]
    return ast.Module(module.header, tuple(items))


# the tables each report's tables made, by their identity
_made: Kept[tuple[ast.Table, ...]] = Kept(limit=64)
_all: Interned[ast.Table] = Interned()
# a table that extends no form is made of itself alone: when another table
# changed, it is the same table again (and expanded no more, tables.py)
_alone: Kept[ast.Table] = Kept(limit=10_000)


def _tables(tables: tuple[ast.Table, ...], diagnostics: Diagnostics) -> tuple[ast.Table, ...]:
    """The tables that are not forms, each made whole from its form."""
    declared: dict[str, ast.Table] = {}
    for item in tables:
        if item.form:
            first = declared.get(item.name) or shipped_forms().get(item.name)
            if first is not None:
                where = "rpt ships a form" if item.name not in declared else "a form"
                diagnostics.error(
                    Code.FORM_MISMATCH,
                    f"{where} named `{item.name}` already",
                    item.span,
                    "declared again here",
                    labels=(Label(first.span, "the first"),),
                    help="give this form another name; extend the first with `like`",
                )
                continue
            declared[item.name] = item
    forms = _Forms(declared, diagnostics)
    made: list[ast.Table] = []
    for table in tables:
        if table.form:
            forms.form(table.name, table.span)  # its errors, though no table uses it
        elif table.like is None:
            made.append(_alone.made(table, None, partial(forms.resolve, table), diagnostics))
        else:
            made.append(forms.resolve(table))
    return tuple(made)


class _Forms:
    """The forms of one report, each resolved once (so its errors are said once)."""

    def __init__(self, declared: dict[str, ast.Table], diagnostics: Diagnostics) -> None:
        self.declared = declared
        self.diagnostics = diagnostics
        self.done: dict[str, ast.Table | None] = {}
        self.resolving: list[str] = []

    def form(self, name: str, span: Span) -> ast.Table | None:
        if name in self.done:
            return self.done[name]
        if name in self.resolving:
            loop = " → ".join([*self.resolving[self.resolving.index(name) :], name])
            self._error(Code.UNKNOWN_FORM, f"forms extend each other in a loop: {loop}", span)
            return None
        table = self.declared.get(name) or shipped_forms().get(name)
        if table is None:
            names = [*self.declared, *shipped_forms()]
            near = closest(name, names)
            shipped = "、".join(sorted(shipped_forms()))
            self._error(
                Code.UNKNOWN_FORM,
                f"there is no form `{name}`",
                span,
                help=f"did you mean `{near}`?" if near else f"the forms rpt ships: {shipped}",
            )
            self.done[name] = None
            return None
        self.resolving.append(name)
        resolved = self.resolve(table)
        self.resolving.pop()
        self.done[name] = resolved
        return resolved

    def resolve(self, table: ast.Table) -> ast.Table:
        """The table as it stands: its form's frame with its changes, codes filled."""
        if table.like is None:
            self._not_extending(table)
            rows = tuple(self._coded(row, table.columns) for row in table.rows)
            return replace(table, rows=_without_keeps(rows), drops=())
        base = self.form(*table.like)
        if base is None:
            rows = tuple(self._coded(row, table.columns) for row in table.rows)
            return replace(table, rows=_without_keeps(rows), like=None, drops=())
        return _Extension(self, base, table).run()

    def _not_extending(self, table: ast.Table) -> None:
        """`~`, `after` and `drop` change a form: in a table that extends none they
        have nothing to change."""
        help = "extend a form with `table 名称 like 表单名`, or write the row whole"
        for name, span in table.drops:
            self._error(
                Code.FORM_MISMATCH, f"`drop {name}`: this table extends no form", span, help=help
            )
        for row in table.rows:
            if row.after is not None:
                self._error(
                    Code.FORM_MISMATCH,
                    "`after` places a row added to a form; this table extends none",
                    row.after[1],
                    help=help,
                )
            for cell in row.cells:
                if cell.kind == "keep":
                    self._error(
                        Code.FORM_MISMATCH,
                        "`~` keeps the form's cell, but this table extends no form",
                        cell.span,
                        help=help,
                    )

    def _coded(self, row: ast.TableRow, columns: tuple[ast.Column, ...]) -> ast.TableRow:
        """A `code` row with the 科目's code and name in their columns (`_code_columns`)."""
        if row.code is None:
            return row
        code, span = row.code
        found = _code_columns(columns)
        if found is None:
            self._error(
                Code.UNKNOWN_SUBJECT,
                f"`code {code}` fills the columns 类, 款, 项 (or 经济分类) and a name "
                "column, which this table does not have",
                span,
                help="name the columns `| 类 | 款 | 项 | 科目名称 | …` (a code of the 支出功能"
                "分类) or `| 经济分类 | 科目名称 | …` (of the 经济分类), or write the cells out",
            )
            return replace(row, code=None)
        start, width, listing = found
        name = subjects(listing).get(code)
        if name is None:
            joined = " | <" * (width - 1)
            self._error(
                Code.UNKNOWN_SUBJECT,
                f"`{code}` is not a 科目 rpt knows",
                span,
                help="rpt lists only the 科目 it has confirmed in a published list "
                f"(forms/{listing}); write the row's code and name as cells: "
                f"`| {code}{joined} | 名称 | …`",
            )
            return replace(row, code=None)
        text = ast.Cell("text", (ast.Text(code, span),), None, span)
        joined_cells = (ast.Cell("left", (), None, span),) * (width - 1)
        label = ast.Cell("text", (ast.Text(name, span),), None, span)
        cells = (*row.cells[:start], text, *joined_cells, label, *row.cells[start:])
        return replace(row, cells=cells, code=None)

    def _error(self, code: Code, message: str, span: Span, *, help: str | None = None) -> None:
        self.diagnostics.error(code, message, span, help=help)


class _Extension:
    """One table (or form) made from the form it extends."""

    def __init__(self, forms: _Forms, base: ast.Table, table: ast.Table) -> None:
        self.forms = forms
        self.base = base
        self.table = table
        self.columns = list(base.columns)
        self.rows = list(base.rows)

    def run(self) -> ast.Table:
        table, base = self.table, self.base
        for name, span in table.drops:
            self._drop(name, span)
        if table.columns:
            self._columns(table.columns)
        self._headers([row for row in table.rows if row.header])
        previous: int | None = None
        for row in table.rows:
            if not row.header:
                previous = self._row(self.forms._coded(row, tuple(self.columns)), previous)
        source = table.source or base.source
        if source is None and not table.form:
            self._unbound()
        return replace(
            base,
            name=table.name,
            caption=table.caption or base.caption,
            unit=table.unit or base.unit,
            columns=tuple(self.columns),
            rows=tuple(self.rows),
            checks=(*base.checks, *table.checks),
            span=table.span,
            source=source,
            number=table.number or base.number,
            form=table.form,
            like=None,
            drops=(),
        )

    # ---------------------------------------------------------------- rows

    def _row(self, row: ast.TableRow, previous: int | None) -> int | None:
        """Place one row of the table's lines; the index it took, or `previous`."""
        columns = tuple(self.columns)
        diagnostics = self.forms.diagnostics
        reread = tuple(reread_cell(c, columns, i, diagnostics) for i, c in enumerate(row.cells))
        row = replace(row, cells=reread)
        existing = self._index(row.name)
        if existing is not None and row.after is None:
            self.rows[existing] = _replaced(self.rows[existing], row)
            return existing
        if existing is not None:
            assert row.after is not None
            self._mismatch(
                f"the form `{self.base.name}` has the row `{row.name}` already",
                row.after[1],
                help="write the row without `after` to replace it in its place",
            )
            return previous
        at = len(self.rows) if previous is None else previous + 1
        if row.after is not None:
            after = self._index(row.after[0])
            if after is None:
                self._unknown_row(*row.after)
                return previous
            at = after + 1
        cells = list(row.cells)
        for index, cell in enumerate(cells):
            if cell.kind == "keep":
                self._mismatch(
                    f"`~` keeps the form's cell, but `{self.base.name}` has no row "
                    f"`{row.name or ''}`",
                    cell.span,
                    help="write the cell",
                )
                cells[index] = ast.Cell("empty", (), None, cell.span)
        self.rows.insert(at, replace(row, cells=tuple(cells), after=None))
        return at

    def _index(self, name: str | None) -> int | None:
        if name is None:
            return None
        return next((i for i, row in enumerate(self.rows) if row.name == name), None)

    def _unbound(self) -> None:
        """The form's `@` cells left in a table with no data source: said once for
        the table, not once a cell, and the cells left out of what follows."""
        found = False
        for index, row in enumerate(self.rows):
            if any(cell.kind == "data" for cell in row.cells):
                found = True
                cells = tuple(
                    ast.Cell("formula", (), ast.Invalid(c.span), c.span) if c.kind == "data" else c
                    for c in row.cells
                )
                self.rows[index] = replace(row, cells=cells)
        if found:
            self.forms.diagnostics.error(
                Code.UNKNOWN_DATA,
                f"the form `{self.base.name}` reads its cells marked `@` from the table's "
                "data source, but this table has none",
                self.table.span,
                help="bind the table to the export of the form with a line `from 名称` "
                "(a `data 名称 = …` source), or write those rows",
            )

    # ---------------------------------------------------------- columns, headers

    def _columns(self, written: tuple[ast.Column, ...]) -> None:
        """A `columns` line: the form's columns in the form's order, each with the
        form's format or none, and the columns added among them. An added column
        takes a cell in each of the form's rows (`_added_cell`)."""
        form = {column.name: column for column in self.columns}
        order = [column.name for column in self.columns]
        columns: list[ast.Column] = []
        added: list[int] = []
        for column in written:
            known = form.get(column.name)
            if known is None:
                added.append(len(columns))
                columns.append(column)
                continue
            expected = order[len(columns) - len(added)]
            if column.name != expected:
                self._mismatch(
                    f"the form `{self.base.name}` has its column `{expected}` here, "
                    f"before `{column.name}`",
                    column.span,
                    help="write the form's columns in the form's order, the added ones among them",
                )
                return
            if column.format is not None and _format(column.format) != _format(known.format):
                self._mismatch(
                    f"`{column.name}` is the form's column, whose format is "
                    f"`{_format(known.format) or 'text'}`",
                    column.format.span,
                    help="leave the format out: the form's column keeps its own",
                )
                return
            columns.append(known)
        missing = order[len(columns) - len(added) :]
        if missing:
            self._mismatch(
                f"the `columns` line leaves out the form's column `{missing[0]}`",
                written[-1].span,
                help=f"write every column of the form; take one out with `drop {missing[0]}`",
            )
            return
        rows: list[ast.TableRow] = []
        for row in self.rows:
            cells = list(row.cells)
            # the cells a row leaves out at its end are empty: made so, the added
            # cells stand in their columns
            cells += [ast.Cell("empty", (), None, row.span)] * (len(order) - len(cells))
            for index in added:
                cells.insert(index, _added_cell(rows, row, cells, index, columns[index]))
            rows.append(replace(row, cells=tuple(cells)))
        self.columns, self.rows = columns, rows

    def _headers(self, written: list[ast.TableRow]) -> None:
        """`header` lines: the first replaces the form's first header row, the
        second its second …; `~` and the cells past the last written keep the
        form's."""
        headers = [index for index, row in enumerate(self.rows) if row.header]
        for line, row in enumerate(written):
            if line >= len(headers):
                rows = "header row" if len(headers) == 1 else "header rows"
                self._mismatch(
                    f"the form `{self.base.name}` has {len(headers)} {rows}; this is the "
                    f"table's header line {line + 1}",
                    row.span,
                    help="a `header` line replaces the form's header row of its rank: "
                    "the first the first",
                )
                return
            index = headers[line]
            self.rows[index] = _replaced(self.rows[index], row)

    # ---------------------------------------------------------------- drop

    def _drop(self, name: str, span: Span) -> None:
        row = self._index(name)
        column = next((i for i, c in enumerate(self.columns) if c.name == name), None)
        if row is not None and column is not None:
            self._mismatch(
                f"`{name}` is a row and a column of the form `{self.base.name}`",
                span,
                help="rename one of them in a form of your own",
            )
            return
        if row is None and column is None:
            near = closest(name, [*(r.name for r in self.rows if r.name), *self._column_names()])
            self._mismatch(
                f"the form `{self.base.name}` has no row or column `{name}`",
                span,
                help=f"did you mean `{near}`?" if near else None,
            )
            return
        checked = self._checked(name)
        if checked is not None:
            self._mismatch(
                f"the form's check names `{name}`: leaving it out would leave the check unsaid",
                span,
                labels=(Label(checked.span, "the form's check"),),
                help="declare a form of your own without this row or column",
            )
            return
        if row is not None:
            del self.rows[row]
            return
        assert column is not None
        del self.columns[column]
        self.rows = [replace(r, cells=_without_column(r.cells, column)) for r in self.rows]

    def _column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def _checked(self, name: str) -> ast.Check | None:
        """The form's first check that names the row or column `name`."""
        for check in self.base.checks:
            exprs = [check.expr] if check.tolerance is None else [check.expr, check.tolerance]
            for node in (n for e in exprs for n in walks.walk(e)):
                if isinstance(node, ast.Name) and name in node.name.split("."):
                    return check
        return None

    # ---------------------------------------------------------------- errors

    def _unknown_row(self, name: str, span: Span) -> None:
        near = closest(name, [r.name for r in self.rows if r.name])
        self._mismatch(
            f"the form `{self.base.name}` has no row `{name}`",
            span,
            help=f"did you mean `{near}`?" if near else None,
        )

    def _mismatch(
        self, message: str, span: Span, *, help: str | None = None, labels: tuple[Label, ...] = ()
    ) -> None:
        like = self.table.like
        assert like is not None
        labels = (*labels, Label(like[1], "the form extended"))
        self.forms.diagnostics.error(Code.FORM_MISMATCH, message, span, labels=labels, help=help)


def _code_columns(columns: tuple[ast.Column, ...]) -> tuple[int, int, str] | None:
    """Where a `code` row writes its 科目: under the columns 类, 款 and 项 (a code of
    the 支出功能分类, joined under the three) or 经济分类 (a code of the 经济分类),
    the first with a text column after it for the name; how many columns the code
    takes, and the list it is read from."""
    names = [column.name for column in columns]
    for start in range(len(names)):
        for key, listing in CODE_KINDS:
            end = start + len(key)
            if tuple(names[start:end]) == key and end < len(names) and columns[end].format is None:
                return start, len(key), listing
    return None


def _format(spec: ast.Format | None) -> str:
    return "" if spec is None else " ".join(item.text for item in spec.items)


def _added_cell(
    above: list[ast.TableRow],
    row: ast.TableRow,
    cells: list[ast.Cell],
    index: int,
    column: ast.Column,
) -> ast.Cell:
    """The cell an added column takes in a row of the form: `<` where it stands
    inside a cell spanning to its right; in a header row, its name, or `^` under
    the header it adds in the header row above; empty in the others."""
    span = column.span
    if index < len(cells) and cells[index].kind == "left":
        return ast.Cell("left", (), None, span)
    if not row.header:
        return ast.Cell("empty", (), None, span)
    if above and above[-1].header and above[-1].cells[index].kind in ("text", "up"):
        return ast.Cell("up", (), None, span)
    return ast.Cell("text", (ast.Text(column.name, span),), None, span)


def _replaced(form_row: ast.TableRow, row: ast.TableRow) -> ast.TableRow:
    """The form's row with the cells written in its place; `~` and the cells past
    the last written keep the form's."""
    cells = [
        form_row.cells[index] if cell.kind == "keep" and index < len(form_row.cells) else cell
        for index, cell in enumerate(row.cells)
    ]
    cells = [
        ast.Cell("empty", (), None, cell.span) if cell.kind == "keep" else cell for cell in cells
    ]
    cells.extend(form_row.cells[len(row.cells) :])
    return replace(row, cells=tuple(cells), after=None)


def _without_column(cells: tuple[ast.Cell, ...], column: int) -> tuple[ast.Cell, ...]:
    """A row's cells without the one in `column`; a cell spanning to its right
    (`<` beside it) keeps its text in the cell that was joined to it."""
    if column >= len(cells):
        return cells
    kept = list(cells)
    gone = kept[column]
    spans_right = column + 1 < len(kept) and kept[column + 1].kind == "left"
    if gone.kind not in ("left", "up") and spans_right:
        kept[column + 1] = gone
    del kept[column]
    return tuple(kept)


def _without_keeps(rows: tuple[ast.TableRow, ...]) -> tuple[ast.TableRow, ...]:
    """Rows whose `~` cells (reported) become empty."""
    return tuple(map(_without_keep, rows))


def _without_keep(row: ast.TableRow) -> ast.TableRow:
    """The row with its `~` cells empty and no `after`; most rows have neither,
    and are handed on as they are."""
    if row.after is None and all(cell.kind != "keep" for cell in row.cells):
        return row
    cells = tuple(ast.Cell("empty", (), None, c.span) if c.kind == "keep" else c for c in row.cells)
    return replace(row, cells=cells, after=None)
