"""Jinja2's side of the Markdown renderer: its environment for the shipped
templates, and their compilation into Python, which scripts/make_tables.py
writes into templates/compiled/ (markdown.py runs those, and imports this
module only for a template edited since).

Jinja2 parses each template (with the environment's whitespace rules, so the
text between the tags is what Jinja2 would print) and this module writes Python
for its tree: each macro a function, the template's body a function of the
variables it reads, each expression the Python Jinja2 would evaluate for it.
Run that way, a build loads no Jinja2 (its import cost more than rendering a
whole report) and skips its runtime (a context per rendering, a lookup per
attribute). Only what the shipped templates use is written; anything else
stops the compilation with the node's line, so that a template growing a new
construct is compiled by a code written for it, not by a guess. What the code
means is checked against Jinja2's rendering of the same templates
(tests/test_generated_tables.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import cache

import jinja2
from jinja2 import nodes

from .markdown import COMPILED_FILTERS, COMPILED_FORMAT, FILTERS, NAMES, source, template_digest

_COMPARISONS = {
    "eq": "==",
    "ne": "!=",
    "gt": ">",
    "gteq": ">=",
    "lt": "<",
    "lteq": "<=",
    "in": "in",
    "notin": "not in",
}
_ARITHMETIC = {nodes.Add: "+", nodes.Sub: "-", nodes.Mul: "*"}
_LOOP = {"first": "{0} == 0", "index0": "{0}", "index": "{0} + 1", "last": "{0} == {1} - 1"}


class CompileError(Exception):
    """A template uses what this compiler does not write."""


def python_code(
    tree: nodes.Template, template: str, filters: Sequence[str], names: Sequence[str]
) -> str:
    """The body of the module for `template` (parsed as `tree`): a function
    `link(filters, names, load)` giving the template's macros and its `root`,
    which prints the template from the mapping of the variables it reads.
    `filters` and `names` are those the templates may use (markdown.py's)."""
    return _Writer(template, filters, names).module(tree)


class _Loop:
    """A `for` whose body may read `loop`: the Python names of its index and its
    sequence (a list, when `loop.last` needs its length)."""

    def __init__(self, index: str, sequence: str) -> None:
        self.index = index
        self.sequence = sequence


class _Writer:
    def __init__(self, template: str, filters: Sequence[str], names: Sequence[str]) -> None:
        self.template = template
        self.filters = filters
        self.names = names
        self.lines: list[str] = []
        self.scopes: list[dict[str, str]] = []  # template name → Python name, innermost last
        self.loops: list[_Loop] = []
        self.context: list[str] = []  # the variables the template's body reads
        self.in_macro = False
        self.imports: dict[str, str] = {}  # alias → template
        self.macros: dict[str, str] = {}  # name → Python function
        self.used_filters: set[str] = set()
        self.used_names: set[str] = set()
        self.counter = 0

    def module(self, tree: nodes.Template) -> str:
        body = list(tree.body)
        for node in body:
            if isinstance(node, nodes.Import):
                self._import(node)
            elif isinstance(node, nodes.Macro):
                self.macros[node.name] = f"m_{node.name}"
        functions: list[str] = []
        for node in body:
            if isinstance(node, nodes.Macro):
                functions += self._function(self.macros[node.name], node.args, node.body)
        root = [node for node in body if not isinstance(node, nodes.Import | nodes.Macro)]
        main = self._function("root", [], root, context=True)
        head = [
            "def link(filters, names, load):",
            f'    """The macros and the root of {self.template}, with the filters and',
            '    names of markdown.py and `load` giving the templates it imports."""',
        ]
        head += [f"    f_{name} = filters[{name!r}]" for name in sorted(self.used_filters)]
        head += [f"    n_{name} = names[{name!r}]" for name in sorted(self.used_names)]
        head += [f"    i_{alias} = load({name!r})" for alias, name in self.imports.items()]
        exports = ", ".join(f"{name!r}: {python}" for name, python in self.macros.items())
        tail = [f"    return {{{exports}{', ' if exports else ''}'root': root}}"]
        return "\n".join([*head, "", *functions, *main, *tail]) + "\n"

    def _import(self, node: nodes.Import) -> None:
        if not isinstance(node.template, nodes.Const) or node.with_context:
            raise self._error(node, "an import of a template named by a constant, without context")
        self.imports[node.target] = node.template.value

    def _function(
        self,
        name: str,
        args: Sequence[nodes.Name],
        body: Sequence[nodes.Node],
        *,
        context: bool = False,
    ) -> list[str]:
        """A function printing `body`: a macro's takes its arguments; the root's,
        the mapping of the variables the template reads (as Jinja2's `render`)."""
        self.lines = []
        self.in_macro = not context
        parameters = {arg.name: f"p_{arg.name}" for arg in args}
        self.scopes = [parameters]
        self.loops = []
        for node in body:
            self._statement(node, 2)
        reads = [f"        v_{v} = variables[{v!r}]" for v in self.context]
        signature = "variables" if context else ", ".join(parameters.values())
        return [
            f"    def {name}({signature}):",
            *reads,
            "        out = []",
            *self.lines,
            "        return ''.join(out)",
            "",
        ]

    # ---------------------------------------------------------------- statements

    def _statement(self, node: nodes.Node, depth: int) -> None:
        indent = "    " * depth
        match node:
            case nodes.Output(nodes=children):
                for child in children:
                    if isinstance(child, nodes.TemplateData | nodes.Const):
                        text = child.data if isinstance(child, nodes.TemplateData) else child.value
                        if text != "":
                            self.lines.append(f"{indent}out.append({str(text)!r})")
                    else:
                        self.lines.append(f"{indent}out.append(str({self._expr(child)}))")
            case nodes.If():
                self._if(node, depth)
            case nodes.For():
                self._for(node, depth)
            case _:
                raise self._error(node, f"a {type(node).__name__} statement")

    def _if(self, node: nodes.If, depth: int) -> None:
        indent = "    " * depth
        self.lines.append(f"{indent}if {self._expr(node.test)}:")
        self._block(node.body, depth + 1)
        for branch in node.elif_:
            self.lines.append(f"{indent}elif {self._expr(branch.test)}:")
            self._block(branch.body, depth + 1)
        if node.else_:
            self.lines.append(f"{indent}else:")
            self._block(node.else_, depth + 1)

    def _for(self, node: nodes.For, depth: int) -> None:
        if node.else_ or node.test is not None or node.recursive:
            raise self._error(node, "a for loop with an else, a filter or recursion")
        indent = "    " * depth
        iterable = self._expr(node.iter)
        self.counter += 1
        number = self.counter
        bound = {name: f"{name}_{number}" for name in _stored(node.target)}
        target = self._target(node.target, bound)
        reads_loop = any(_reads_loop(child) for child in node.body)
        if reads_loop:
            loop = _Loop(f"index_{number}", f"sequence_{number}")
            self.lines.append(f"{indent}{loop.sequence} = list({iterable})")
            self.lines.append(f"{indent}for {loop.index}, {target} in enumerate({loop.sequence}):")
            self.loops.append(loop)
        else:
            self.lines.append(f"{indent}for {target} in {iterable}:")
        self.scopes.append(bound)
        self._block(node.body, depth + 1)
        self.scopes.pop()
        if reads_loop:
            self.loops.pop()

    def _block(self, body: Sequence[nodes.Node], depth: int) -> None:
        before = len(self.lines)
        for node in body:
            self._statement(node, depth)
        if len(self.lines) == before:
            self.lines.append("    " * depth + "pass")

    def _target(self, node: nodes.Node, bound: dict[str, str]) -> str:
        if isinstance(node, nodes.Tuple):
            return "(" + ", ".join(self._target(item, bound) for item in node.items) + ",)"
        assert isinstance(node, nodes.Name), "a loop binds names and tuples of them (Jinja2)"
        return bound[node.name]

    # --------------------------------------------------------------- expressions

    def _expr(self, node: nodes.Node) -> str:
        match node:
            case nodes.Const(value=value):
                return repr(value)
            case nodes.Name(name=name):
                return self._name(node, name)
            case nodes.Getattr(node=nodes.Name(name="loop"), attr=attr) if self.loops:
                if attr not in _LOOP:
                    raise self._error(node, f"loop.{attr}")
                loop = self.loops[-1]
                return "(" + _LOOP[attr].format(loop.index, f"len({loop.sequence})") + ")"
            case nodes.Getattr(node=nodes.Name(name=alias), attr=attr) if self._is_import(alias):
                return f"i_{alias}[{attr!r}]"
            case nodes.Getattr(node=inner, attr=attr):
                return f"{self._expr(inner)}.{attr}"
            case nodes.Getitem(node=inner, arg=arg):
                return f"{self._expr(inner)}[{self._expr(arg)}]"
            case nodes.Filter(node=inner, name=name, args=args):
                if node.kwargs or node.dyn_args or node.dyn_kwargs or inner is None:
                    raise self._error(node, "a filter with keywords or without its value")
                if name not in self.filters:
                    raise self._error(node, f"the filter {name}")
                self.used_filters.add(name)
                values = ", ".join(self._expr(value) for value in (inner, *args))
                return f"f_{name}({values})"
            case nodes.Call(node=function, args=args):
                if node.kwargs or node.dyn_args or node.dyn_kwargs:
                    raise self._error(node, "a call with keywords")
                return f"{self._expr(function)}({', '.join(self._expr(arg) for arg in args)})"
            case nodes.Concat(nodes=parts):
                return "(" + " + ".join(f"str({self._expr(part)})" for part in parts) + ")"
            case _:
                return self._operation(node)

    def _operation(self, node: nodes.Node) -> str:
        """Operators and literals, as Python has them."""
        match node:
            case nodes.Compare(expr=first, ops=operands):
                chain = [self._expr(first)]
                for operand in operands:
                    chain += [_COMPARISONS[operand.op], self._expr(operand.expr)]
                return "(" + " ".join(chain) + ")"
            case nodes.Not(node=inner):
                return f"(not {self._expr(inner)})"
            case nodes.And(left=left, right=right):
                return f"({self._expr(left)} and {self._expr(right)})"
            case nodes.Or(left=left, right=right):
                return f"({self._expr(left)} or {self._expr(right)})"
            case nodes.CondExpr(test=test, expr1=yes, expr2=no) if no is not None:
                return f"({self._expr(yes)} if {self._expr(test)} else {self._expr(no)})"
            case nodes.Add() | nodes.Sub() | nodes.Mul():
                operator = _ARITHMETIC[type(node)]
                return f"({self._expr(node.left)} {operator} {self._expr(node.right)})"
            case nodes.List(items=items):
                return "[" + ", ".join(self._expr(item) for item in items) + "]"
            case nodes.Tuple(items=items):
                return "(" + ", ".join(self._expr(item) for item in items) + ",)"
            case nodes.Dict(items=pairs):
                entries = (f"{self._expr(p.key)}: {self._expr(p.value)}" for p in pairs)
                return "{" + ", ".join(entries) + "}"
            case _:
                raise self._error(node, f"a {type(node).__name__} expression")

    def _name(self, node: nodes.Node, name: str) -> str:
        """A variable: a loop's or a macro's argument, a macro, a global name of
        markdown.py, else a variable the template's root reads."""
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        if name in self.macros:
            return self.macros[name]
        if name in self.names:
            self.used_names.add(name)
            return f"n_{name}"
        if name in self.imports or name == "loop":
            raise self._error(node, f"{name} used as a value")
        if self.in_macro:  # a macro reads only its arguments
            raise self._error(node, f"the variable {name} in a macro")
        if name not in self.context:
            self.context.append(name)
        return f"v_{name}"

    def _is_import(self, alias: str) -> bool:
        return alias in self.imports and not any(alias in scope for scope in self.scopes)

    def _error(self, node: nodes.Node, what: str) -> CompileError:
        return CompileError(f"{self.template}:{node.lineno}: cannot compile {what}")


def _stored(target: nodes.Node) -> Iterator[str]:
    """The names a loop's target binds (`item`, or `file, digest`)."""
    if isinstance(target, nodes.Name):
        yield target.name
    for name in target.find_all(nodes.Name):
        yield name.name


def _reads_loop(node: nodes.Node) -> bool:
    """Whether `node` reads the `loop` of the for around it (not of a for inside)."""
    if isinstance(node, nodes.For):
        return any(_reads_loop(child) for child in (node.iter,))
    if isinstance(node, nodes.Name):
        return node.name == "loop"
    return any(_reads_loop(child) for child in node.iter_child_nodes())


class ShippedTemplates(jinja2.BaseLoader):
    """The templates in the package, read from their source."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        return source(template), template, lambda: True


@cache
def environment() -> jinja2.Environment:
    made = jinja2.Environment(
        loader=ShippedTemplates(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    made.filters.update(FILTERS)
    made.globals.update(NAMES)
    return made


def compiled_code(template: str) -> str:
    """The module that scripts/make_tables.py writes for a shipped template: its
    Python (`python_code`), with the digest of the source it was made from."""
    text = source(template)
    tree = environment().parse(text, template)
    return (
        f'"""Generated by scripts/make_tables.py from {template}: do not edit."""\n'
        "# fmt: off\n"
        f"SOURCE_SHA256 = {template_digest(text)!r}\n"
        f"FORMAT = {COMPILED_FORMAT}\n"
        f"JINJA_VERSION = {jinja2.__version__!r}  # whose parser read the template\n\n\n"
        f"{python_code(tree, template, list(COMPILED_FILTERS), list(NAMES))}"
    )
