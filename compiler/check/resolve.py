"""Resolve names: figures, groups, units and functions; find cycles; order figures.

Figures are declarative: a name may be used before the line that defines it, so
the evaluation order is a topological order of the dependency graph.
"""

from __future__ import annotations

from fractions import Fraction
from functools import partial
from typing import assert_never

from ..base.codes import Code
from ..base.diagnostics import Diagnostics, Label
from ..base.kept import Interned, Kept
from ..base.names import difference, look_alikes, normal
from ..base.numbers import EXPONENT_HELP, EXPONENT_NOTATION, ONE, TooLarge, exact
from ..base.patterns import regex
from ..base.source import Span
from ..base.suggest import did_you_mean
from ..syntax import tree as ast
from ..syntax import walks
from .functions import FUNCTIONS
from .scope import Scope
from .units import UnitTable, standard_units

# Bound the work and memory of every later pass, which grow with these counts.
# A whole final-accounts report, its tables included, declares under a thousand.
MAX_FIGURES = 50_000
MAX_DEPENDENCIES = 2_000_000
FULL_WIDTH_REF = regex(r"＜([^＜＞\n]+)＞")


def item_expressions(item: ast.Item) -> list[ast.Expr]:
    """Every top-level expression of an item, in source order."""
    exprs: list[ast.Expr] = []
    match item:
        case ast.Let():
            exprs.append(item.expr)
            exprs.extend(item.bounds or ())
        case ast.Check():
            exprs.append(item.expr)
            if item.tolerance is not None:
                exprs.append(item.tolerance)
        case (
            ast.Heading()
            | ast.Paragraph()
            | ast.ListBlock()
            | ast.Note()
            | ast.Table()
            | ast.Grid()
        ):
            for inlines in walks.block_inlines(item):
                _ref_expressions(inlines, exprs)
        case ast.UnitDecl() | ast.Include() | ast.DataSource():
            pass
        case _:
            assert_never(item)  # mypy: every kind of item is handled above
    return exprs


def _ref_expressions(inlines: tuple[ast.Inline, ...], exprs: list[ast.Expr]) -> None:
    """The expressions of the references in `inlines` (as walks.refs finds
    them), added to `exprs`: told apart by their types, for every run of text
    of a report."""
    for inline in inlines:
        if type(inline) is ast.Ref:
            exprs.append(inline.expr)
        elif type(inline) is ast.Strong or type(inline) is ast.Emph:
            _ref_expressions(inline.children, exprs)
        elif type(inline) is not ast.Text and type(inline) is not ast.Placeholder:
            raise AssertionError(f"an inline of kind {type(inline).__name__}")  # never skipped


# What resolving keeps for the next compilation (see base/kept.py): the unit
# table of the same declarations; each item's names found, and the figures it
# reads, by the names and units declared; that the same names look alike; the
# figures each figure reads, and the order of the same figures reading them.
_unit_tables: Kept[UnitTable] = Kept(limit=64)
_named: Kept[tuple[str, ...]] = Kept(limit=100_000)
_plain: Kept[bool] = Kept(limit=100_000)
_distinct: Kept[bool] = Kept(limit=64)
_orders: Kept[tuple[list[str], set[str]]] = Kept(limit=64)
_edges: Kept[tuple[tuple[str, Span], ...]] = Kept(limit=100_000)
_names: Interned[str] = Interned(by_value=True)
_decls: Interned[ast.UnitDecl] = Interned()
_graphs: Interned[object] = Interned()
_named_in: Interned[object] = Interned()


def resolve(module: ast.Module, diagnostics: Diagnostics) -> Scope:
    decls = tuple(item for item in module.items if isinstance(item, ast.UnitDecl))
    units = _unit_tables.made(
        _decls(*decls), None, partial(_units, decls, diagnostics), diagnostics
    )
    figures: dict[str, ast.Let] = {}
    groups: dict[str, list[str]] = {}
    for item in module.items:
        if not isinstance(item, ast.Let):
            continue
        if len(figures) == MAX_FIGURES:
            diagnostics.error(
                Code.LIMIT_EXCEEDED,
                f"the report declares more than {MAX_FIGURES:,} figures",
                item.name_span,
                "the limit is reached here",
                help="rpt refuses reports this large so that a build ends in bounded time "
                "and memory; a table's computed cells count as figures too",
            )
            scope = Scope(figures, units, groups, [])
            scope.in_cycle.update(figures)  # nothing is evaluated
            return scope
        first = figures.get(item.name)
        if first is not None:
            diagnostics.error(
                Code.DUPLICATE_NAME,
                f"`{item.name}` is declared twice",
                item.name_span,
                "declared again here",
                labels=(Label(first.name_span, "first declared here"),),
                help="a figure is declared once; give the second one its own name "
                "and `check` that the two agree",
            )
            continue
        figures[item.name] = item
        if "." in item.name:
            groups.setdefault(item.name.rsplit(".", 1)[0], []).append(item.name)
    names = _names(*figures)
    if _distinct.get(names, None, diagnostics) is None:
        declared: list[tuple[str, Span | None]] = [
            (name, let.name_span) for name, let in figures.items()
        ]
        _look_alikes(declared, "figure", diagnostics)
        _distinct.put(names, None, True, diagnostics)
    scope = Scope(figures, units, groups, [], names)
    known = _named_in(names, units)
    written: dict[str, bool] = {}  # whether each unit name written names a unit
    for item in module.items:
        check = partial(_check_item, item, scope, diagnostics, written)
        scope.reads[id(item)] = _named.made(item, known, check, diagnostics)
    for item in module.items:
        if isinstance(item, ast.Heading | ast.Paragraph | ast.ListBlock | ast.Note | ast.Grid):
            plain = partial(_full_width_references, item, scope, diagnostics)
            _plain.made(item, names, plain, diagnostics)
    _order(scope, diagnostics)
    return scope


def _check_item(
    item: ast.Item, scope: Scope, diagnostics: Diagnostics, units: dict[str, bool]
) -> tuple[str, ...]:
    """The figures the item reads (a group's members included), its names checked."""
    reads: list[str] = []
    for expr in item_expressions(item):
        _check_names(expr, scope, diagnostics, reads, units)
    return tuple(reads)


def _look_alikes(
    declared: list[tuple[str, Span | None]], kind: str, diagnostics: Diagnostics
) -> None:
    """Refuse each declared name that looks like an earlier, different one."""
    spans = dict(declared)
    for first, later in look_alikes([name for name, _ in declared]):
        span = spans[later]
        if span is None:
            continue  # both standard: nothing the author can change
        first_span = spans[first]
        diagnostics.error(
            Code.CONFUSABLE_NAME,
            f"the {kind} `{later}` looks like `{first}`, but the two are different names",
            span,
            "declared here",
            labels=(Label(first_span, f"`{first}` is declared here"),) if first_span else (),
            notes=(difference(later, first),),
            help="a reader cannot tell them apart: give one of them a name that looks different",
        )


def _units(decls: tuple[ast.UnitDecl, ...], diagnostics: Diagnostics) -> UnitTable:
    table = standard_units()
    declared: dict[str, Span] = {}
    pending = list(decls)
    # a declaration may rest on a unit declared further down: repeat until stable
    while pending:
        waiting = []
        for decl in pending:
            if decl.base is not None and table.lookup(decl.base.name) is None:
                waiting.append(decl)
                continue
            if table.lookup(decl.name) is not None:
                first = declared.get(decl.name)
                diagnostics.error(
                    Code.DUPLICATE_UNIT,
                    f"the unit `{decl.name}` is already defined",
                    decl.name_span,
                    "defined again here" if first else "a standard unit",
                    labels=(Label(first, "first defined here"),) if first else (),
                    help=None if first else "standard units need no declaration; remove this line",
                )
                continue
            if decl.base is None:
                declared[decl.name] = decl.name_span
                table.define_base(decl.name)
                continue
            # after an error the unit still gets a factor, so its uses add no more
            factor = _unit_factor(decl, diagnostics) or ONE
            declared[decl.name] = decl.name_span
            base = table.lookup(decl.base.name)
            assert base is not None
            table.define_scaled(decl.name, factor, base)
        if len(waiting) == len(pending):
            for decl in waiting:
                assert decl.base is not None
                _unknown_unit(decl.base, table, {}, diagnostics)
            break
        pending = waiting
    standard = [(name, None) for name in table.names() if name not in declared]
    _look_alikes([*standard, *declared.items()], "unit", diagnostics)
    return table


def _unit_factor(decl: ast.UnitDecl, diagnostics: Diagnostics) -> Fraction | None:
    """The factor of `unit 千元 = 1000 元` (1 when none is written); None after
    reporting one that is zero or too long: a unit of zero would make every
    quantity in it zero, and every conversion to it a division by zero."""
    if decl.factor is None:
        return ONE
    try:
        factor = exact(decl.factor)
    except TooLarge:
        factor = None
    if factor is None or factor == 0:
        assert decl.base is not None
        diagnostics.error(
            Code.BAD_UNIT,
            f"the unit `{decl.name}` must be a positive multiple of `{decl.base.name}`",
            decl.span,
            "zero" if factor == 0 else "too many digits",
            help=f"for example `unit {decl.name} = 1000 {decl.base.name}`",
        )
        return None
    return factor


def _check_names(
    expr: ast.Expr,
    scope: Scope,
    diagnostics: Diagnostics,
    reads: list[str],
    units: dict[str, bool],
) -> None:
    """Report each name of `expr` that means nothing; the figures it reads go to `reads`.
    Every node of every item is met here: told apart by its type, not by a
    match (whose failing cases cost more than the rest), outermost first. A
    report writes a few units thousands of times: whether each names a unit
    is looked up once (`units`, for the scope's table, which no longer changes)."""
    figures = scope.figures
    stack = [expr]
    while stack:
        node = stack.pop()
        if type(node) is ast.Name:
            if node.name in figures:
                reads.append(node.name)
            else:
                _undefined(node.name, node.span, scope, diagnostics)
        elif type(node) is ast.Number or type(node) is ast.Convert:
            unit = node.unit
            if unit is not None:
                known = units.get(unit.name)
                if known is None:
                    known = units[unit.name] = scope.units.lookup(unit.name) is not None
                if not known:
                    _unknown_unit(unit, scope.units, figures, diagnostics)
        elif type(node) is ast.Glob:
            _glob(node, scope, diagnostics, reads)
        elif type(node) is ast.Call and node.func not in FUNCTIONS:
            diagnostics.error(
                Code.UNKNOWN_FUNCTION,
                f"there is no function `{node.func}`",
                node.func_span,
                "unknown function",
                help=did_you_mean(node.func, list(FUNCTIONS))
                or "functions: " + ", ".join(FUNCTIONS),
            )
        if type(node) not in _LEAVES:
            stack.extend(reversed(walks.subexpressions(node)))


# the expressions that hold no other
_LEAVES = frozenset(
    {ast.Name, ast.Number, ast.String, ast.Bool, ast.Glob, ast.CellRef, ast.Invalid}
)


def _glob(node: ast.Glob, scope: Scope, diagnostics: Diagnostics, reads: list[str]) -> None:
    members = scope.matching(node.pattern)
    if members:
        reads.extend(members)
        return
    prefix = node.pattern.split(".*", 1)[0]
    diagnostics.error(
        Code.EMPTY_GROUP,
        f"no figure matches `{node.pattern}`",
        node.span,
        "matches nothing",
        help=did_you_mean(prefix, list(scope.groups)),
    )


def _full_width_references(item: ast.Block, scope: Scope, diagnostics: Diagnostics) -> bool:
    """Warn about `＜名字＞` in prose: typed by an input method, meant as a reference."""
    for inlines in walks.block_inlines(item):
        for text in _texts(inlines):
            for match in FULL_WIDTH_REF.finditer(text.text):
                name = match.group(1).strip()
                if name not in scope.figures:
                    continue
                start = text.span.start + match.start()
                diagnostics.warning(
                    Code.FULL_WIDTH_REFERENCE,
                    f"`{match.group(0)}` is printed as text, not as the figure `{name}`",
                    Span(text.span.source, start, start + len(match.group(0))),
                    "full-width brackets",
                    help=f"write <{name}> with ASCII < and > to print the figure",
                )
    return True


def _texts(inlines: tuple[ast.Inline, ...]) -> list[ast.Text]:
    """The runs of text that hold a full-width bracket (FULL_WIDTH_REF needs
    one: most runs hold none, and are not searched)."""
    found: list[ast.Text] = []
    for inline in inlines:
        if type(inline) is ast.Text:
            if "＜" in inline.text:
                found.append(inline)
        elif type(inline) is ast.Strong or type(inline) is ast.Emph:
            found.extend(_texts(inline.children))
        elif type(inline) is not ast.Ref and type(inline) is not ast.Placeholder:
            raise AssertionError(f"an inline of kind {type(inline).__name__}")  # never skipped
    return found


def _undefined(name: str, span: Span, scope: Scope, diagnostics: Diagnostics) -> None:
    alike = [figure for _, figure in look_alikes([name, *scope.figures]) if _ == name]
    help = did_you_mean(name, list(scope.figures))
    if alike:
        help = f"`{alike[0]}` is declared and looks the same, but {difference(name, alike[0])}"
    if help is None and scope.members(name):
        help = f"`{name}` is a group; write `{name}.*` for all its figures, or one of: " + (
            ", ".join(scope.members(name)[:5])
        )
    if help is None and scope.units.lookup(name) is not None:
        help = f"`{name}` is a unit; a quantity needs a number before it, e.g. `1 {name}`"
    diagnostics.error(
        Code.UNDEFINED_NAME, f"`{name}` is not declared", span, "no figure has this name", help=help
    )


def _unknown_unit(
    unit: ast.UnitRef, table: UnitTable, figures: dict[str, ast.Let], diagnostics: Diagnostics
) -> None:
    help = did_you_mean(unit.name, table.names())
    if unit.name in figures:
        help = f"`{unit.name}` is a figure, not a unit; to multiply, write `* {unit.name}`"
    elif EXPONENT_NOTATION.fullmatch("1" + unit.name):
        help = EXPONENT_HELP
    diagnostics.error(
        Code.UNKNOWN_UNIT,
        f"unknown unit `{unit.name}`",
        unit.span,
        "not a unit",
        help=help or f"declare it: `unit {unit.name}` (a new kind of count)",
    )


# ---------------------------------------------------------------- order and cycles


def dependencies(expr: ast.Expr, scope: Scope) -> list[tuple[str, Span]]:
    """The figures an expression reads, each with the span that reads it, in
    the order of _check_names (and by types alike, as often)."""
    figures = scope.figures
    found = []
    stack = [expr]
    while stack:
        node = stack.pop()
        if type(node) is ast.Name:
            if node.name in figures:
                found.append((node.name, node.span))
        elif type(node) is ast.Glob:
            span = node.span
            found.extend((member, span) for member in scope.matching(node.pattern))
        elif type(node) not in _LEAVES:
            stack.extend(reversed(walks.subexpressions(node)))
    return found


Graph = dict[str, tuple[tuple[str, Span], ...]]


def _order(scope: Scope, diagnostics: Diagnostics) -> None:
    """Put the figures in the scope's order, or in its cycles (see _sorted)."""
    graph = _graph(scope, diagnostics)
    if graph is None:
        scope.in_cycle.update(scope.figures)  # nothing is evaluated
        return
    # the same figures reading the same figures sort alike
    key = (scope.names, *graph.values())
    order, in_cycle = _orders.made(
        _graphs(*key), None, partial(_sorted, graph, scope, diagnostics), diagnostics
    )
    scope.order, scope.in_cycle = list(order), set(in_cycle)  # the scope's own, kept or not


def _graph(scope: Scope, diagnostics: Diagnostics) -> Graph | None:
    """The figures each figure reads, with the spans that read them; None after
    reporting more than MAX_DEPENDENCIES of them."""
    graph: Graph = {}
    total = 0
    for name, let in scope.figures.items():
        if type(let.expr) in _LEAVES:  # a number or a name: found for less than keeping costs
            graph[name] = _dependencies(let.expr, scope)
        else:
            edges = partial(_dependencies, let.expr, scope)
            graph[name] = _edges.made(let, scope.names, edges, diagnostics)
        total += len(graph[name])
        if total > MAX_DEPENDENCIES:
            diagnostics.error(
                Code.LIMIT_EXCEEDED,
                f"the figures depend on each other more than {MAX_DEPENDENCIES:,} times",
                let.name_span,
                "the limit is reached here",
                help="a glob such as 支出.* used in many formulas counts once per figure "
                "it matches; sum a group once and use that figure",
            )
            return None
    return graph


def _dependencies(expr: ast.Expr, scope: Scope) -> tuple[tuple[str, Span], ...]:
    return tuple(dependencies(expr, scope))


def _sorted(graph: Graph, scope: Scope, diagnostics: Diagnostics) -> tuple[list[str], set[str]]:
    """Topological order by an iterative depth-first search; cycles are reported once
    each (Tarjan's strongly connected components) and left out of the order. The
    scope's order and the figures in a cycle, or depending on one."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    for root in scope.figures:
        if root in index:
            continue
        if not graph[root]:  # most figures read none: each is a component of its own
            index[root] = low[root] = len(index)
            components.append([root])
            continue
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            edges = graph[node]
            if position < len(edges):
                work.append((node, position + 1))
                target = edges[position][0]
                if target not in index and not graph[target]:
                    index[target] = low[target] = len(index)  # as a root that reads none
                    components.append([target])
                elif target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    for component in components:
        if len(component) == 1 and not graph[component[0]]:
            scope.order.append(component[0])  # most figures read none: no cycle to look for
            continue
        looped = len(component) > 1 or any(t == component[0] for t, _ in graph[component[0]])
        if looped:
            scope.in_cycle.update(component)
            _report_cycle(component, graph, scope, diagnostics)
        elif not any(t in scope.in_cycle for t, _ in graph[component[0]]):
            scope.order.append(component[0])
        else:
            scope.in_cycle.add(component[0])  # depends on a cycle: cannot be evaluated
    return scope.order, scope.in_cycle


def _hidden_figure(cell: str, spans: list[Span], scope: Scope) -> str | None:
    """The figure a table cell's formula meant when a name it wrote, a column of
    the same table, made the cell refer to itself (`= 金额 * 2` in the column
    金额, with a figure 金额 in the report)."""
    written = normal(spans[0].text())
    if written != cell and written in scope.figures and cell.endswith("." + written):
        return written
    return None


def _report_cycle(
    component: list[str],
    graph: Graph,
    scope: Scope,
    diagnostics: Diagnostics,
) -> None:
    members = set(component)
    start = min(component, key=lambda name: scope.figures[name].span.start)
    # breadth-first from `start` along edges inside the component, back to `start`
    came_from: dict[str, tuple[str, Span]] = {}
    frontier = [start]
    end: tuple[str, Span] | None = None
    while frontier and end is None:
        following = []
        for node in frontier:
            for target, span in graph[node]:
                if target == start:
                    end = (node, span)
                    break
                if target in members and target not in came_from:
                    came_from[target] = (node, span)
                    following.append(target)
            if end is not None:
                break
        frontier = following
    assert end is not None, "a strongly connected component leads back to its start"
    last, closing = end
    path, spans = [last], [closing]
    while path[-1] != start:
        previous, span = came_from[path[-1]]
        spans.append(span)
        path.append(previous)
    path.reverse()
    spans.reverse()
    hidden = _hidden_figure(start, spans, scope) if len(path) == 1 else None
    if hidden is not None:
        diagnostics.error(
            Code.CYCLE,
            f"in the table, `{hidden}` means this cell (`{start}`), not the figure `{hidden}`",
            spans[0],
            f"the column `{hidden}` of this row",
            labels=(Label(scope.figures[hidden].name_span, f"the figure `{hidden}`"),),
            help=f"inside a table a column's name means that column of the row: rename the "
            f"column or the figure `{hidden}` so that the formula can name the figure",
        )
        return
    chain = " → ".join([*path, start])
    labels = tuple(
        Label(span, f"`{path[i]}` uses `{path[(i + 1) % len(path)]}`")
        for i, span in enumerate(spans)
    )
    diagnostics.error(
        Code.CYCLE,
        f"`{start}` is defined in terms of itself",
        scope.figures[start].name_span,
        "declared here",
        labels=labels,
        notes=(f"cycle: {chain}",),
        help="one of these figures must be an input (a number), not a formula",
    )
