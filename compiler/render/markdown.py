"""Render the Document as Markdown through the Jinja2 templates in `templates/markdown/`.

The shipped templates run compiled ahead into Python (templates/compiled/,
written by scripts/make_tables.py with markdown_compile.py): parsing and
compiling them at every start cost more than rendering a whole report, and so
did importing Jinja2 and running its runtime, which a build now does without. A
template whose compiled module is not made from its very source (edited since)
is rendered by Jinja2 from the source, in an ordinary environment: the shipped
templates are rpt's own code, reviewed as such. Were a report ever to bring
templates of its own, those would need Jinja2's sandbox
(jinja2.sandbox.ImmutableSandboxedEnvironment).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from functools import cache, partial
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..base.diagnostics import printable
from ..base.digest import sha256_hex
from ..base.kept import Interned, Kept
from ..base.patterns import regex
from ..base.resources import templates_dir
from ..document.model import (
    LIST_NUMBERING,
    Block,
    Document,
    ListBlock,
    Table,
    item_number,
    number_prefix,
)

if TYPE_CHECKING:
    import jinja2


# Characters that mean something to CommonMark or GFM anywhere in a line
# (`&` starts an entity reference such as &amp;).
INLINE_SPECIAL = regex(r"([\\`*_\[\]<>|~&])")
# Line starts that turn a paragraph into a heading, list item, quote or rule
# (---); `*` and `_` are escaped everywhere already.
BLOCK_START = regex(
    r"^(#{1,6}(?=\s|$)|[-+](?=\s|$)|[0-9]{1,9}[.)](?=\s|$)|>|-(?=[ \t]*-[ \t]*-[- \t]*$))"
)


# A run of `#` ending a heading after a space (or making it whole) is read as the
# heading's closing sequence, and dropped.
CLOSING_HASHES = regex(r"(?:^|(?<=[ \t]))#+[ \t]*$")
# After the marker `- `, two more dashes make a rule, not an item.
ITEM_RULE = regex(r"-[- \t]*")
# CommonMark reads at most nine digits as a list item's number.
MAX_LIST_NUMBER = 999_999_999


def md_escape(text: str) -> str:
    return INLINE_SPECIAL.sub(r"\\\1", text)


def md_block(text: str) -> str:
    """Escape what would change a paragraph's meaning at its start."""
    match = BLOCK_START.match(text)
    if match is None:
        return text
    mark = match.group(1)
    return mark[:-1] + "\\" + mark[-1] + text[len(mark) :]


def md_item(text: str) -> str:
    """Escape what would change a list item's meaning at its start: what would at a
    paragraph's, and dashes that the item's own `- ` would make a rule (`- --`)."""
    text = md_block(text)
    if ITEM_RULE.fullmatch(text):
        return "\\" + text
    return text


def md_heading(text: str) -> str:
    """Escape a closing sequence of `#` at the end of a heading's text."""
    match = CLOSING_HASHES.search(text)
    if match is None:
        return text
    return text[: match.start()] + "\\" + text[match.start() :]


def is_markdown_list(block: ListBlock) -> bool:
    """Whether Markdown can number the list: numbers 1., 2. … of at most nine digits."""
    return not block.ordered or (
        block.numbering == LIST_NUMBERING[0]
        and block.start + len(block.items) - 1 <= MAX_LIST_NUMBER
    )


def item_numbers(block: ListBlock, locale: str) -> list[str]:
    """The printed numbers of a numbered list's items, each with what follows it."""
    return [
        number_prefix(item_number(block.numbering, block.start + offset), locale)
        for offset in range(len(block.items))
    ]


def is_pipe_table(table: Table) -> bool:
    """GFM pipe tables have one header row, on top, and no merged cells."""
    spans = any(c.colspan > 1 or c.rowspan > 1 for row in table.rows for c in row.cells)
    headers = [row.header for row in table.rows]
    return bool(headers) and headers[0] and not any(headers[1:]) and not spans


def column_aligns(table: Table) -> list[str]:
    """Each column's alignment, as its first body cell has it."""
    body = next((row for row in table.rows if not row.header), table.rows[0])
    return [cell.align for cell in body.cells]


def html_escape(text: str) -> str:
    """What `html.escape` gives (quotes too), without the import of the html
    module, which loads its table of entities."""
    for character, reference in HTML_REFERENCES:
        text = text.replace(character, reference)
    return text


HTML_REFERENCES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"))


def comment_safe(text: str) -> str:
    """Text that cannot end the HTML comment it stands in (`--` would), nor
    break its line: a file name is shown escaped as messages show it."""
    return printable(text).replace("--", "-\u2010")


def unknown_kind(node: object) -> str:
    """Called by a template for a block or inline of a kind it has no branch for:
    a new kind must be printed, never dropped (tests/test_markdown.py checks that
    the templates have a branch for every kind of the Document)."""
    raise AssertionError(f"the Markdown templates cannot print a {type(node).__name__}")


def compiled_module_name(template: str) -> str:
    """The module under rpt.templates.compiled of a shipped template:
    `markdown/document.md.j2` → `markdown_document`."""
    return template.removesuffix(".md.j2").replace("/", "_")


def template_digest(source: str) -> str:
    return sha256_hex(source.encode("utf-8"))


def source(template: str) -> str:
    """A shipped template's text (jinja2.TemplateNotFound for one not shipped)."""
    path = templates_dir() / template
    if not path.is_file():
        import jinja2  # noqa: PLC0415  (Jinja2's own error, for Jinja2's loader)

        raise jinja2.TemplateNotFound(template)
    return path.read_text(encoding="utf-8")


# What a compiled module's `link` takes: changed with what markdown_compile.py
# writes, so that a module written for another code goes unused.
COMPILED_FORMAT = 1
Macros = Mapping[str, Callable[..., str]]


def _compiled(name: str) -> ModuleType | None:
    """The compiled module of a shipped template, when it was made from this very
    source for this code; else None."""
    try:
        module = importlib.import_module(f"rpt.templates.compiled.{compiled_module_name(name)}")
    except ImportError:
        return None
    current = (
        getattr(module, "SOURCE_SHA256", None) == template_digest(source(name))
        and getattr(module, "FORMAT", None) == COMPILED_FORMAT
    )
    return module if current else None


@cache
def _linked(name: str) -> Macros | None:
    """A template's macros and its `root`, from its compiled module; None where
    that is not current."""
    module = _compiled(name)
    if module is None:
        return None
    linked: Macros = module.link(COMPILED_FILTERS, NAMES, imported)
    return linked


def imported(name: str) -> Macros:
    """The macros of a template another one imports: compiled, or Jinja2's."""
    linked = _linked(name)
    if linked is not None:
        return linked
    return vars(markdown_environment().get_template(name).module)


@cache
def template(name: str) -> Callable[[Mapping[str, object]], str]:
    """A shipped template's printing, from the variables it reads: its compiled
    root, or Jinja2's rendering of its source where the module is not current."""
    linked = _linked(name)
    if linked is not None:
        return linked["root"]
    return markdown_environment().get_template(name).render


def markdown_environment() -> jinja2.Environment:
    """Jinja2's environment for the shipped templates (markdown_compile.py): for
    a template edited since its module was compiled, and to compile them."""
    from .markdown_compile import environment  # noqa: PLC0415  (only then: see above)

    return environment()


def _min(values: Iterable[Any]) -> Any:
    return min(values)


def _select(values: Iterable[Any]) -> list[Any]:
    return [value for value in values if value]


def _join(values: Iterable[Any], separator: str = "") -> str:
    return separator.join(map(str, values))


def forget_templates() -> None:
    """Read and link the templates afresh (for tests that change them)."""
    _linked.cache_clear()
    template.cache_clear()


def kept_markdown(block: Block, locale: str, render: Callable[[Block, str], str]) -> str:
    """A block's Markdown (the macro of markdown/block.md.j2, `render`): a block
    is printed from itself and the locale alone, so a rebuild prints one it
    printed before as it did."""
    return _printed.made(block, _locales(locale), partial(_text, render, block, locale), None)


def _text(render: Callable[[Block, str], str], block: Block, locale: str) -> str:
    return str(render(block, locale))


_printed: Kept[str] = Kept(limit=100_000)
_locales: Interned[str] = Interned(by_value=True)


# The filters and names the templates use, in Jinja2's environment and in the
# compiled modules; these also take the three of Jinja2's own filters the
# templates use, as Jinja2 runs them on the values they are given.
FILTERS: dict[str, Callable[..., Any]] = {
    "md_escape": md_escape,
    "md_block": md_block,
    "md_item": md_item,
    "md_heading": md_heading,
    "is_markdown_list": is_markdown_list,
    "item_numbers": item_numbers,
    "number_prefix": number_prefix,
    "is_pipe_table": is_pipe_table,
    "column_aligns": column_aligns,
    "html_escape": html_escape,
    "comment_safe": comment_safe,
    "kept_markdown": kept_markdown,
}
COMPILED_FILTERS = {**FILTERS, "min": _min, "select": _select, "join": _join}
NAMES: dict[str, Callable[..., Any]] = {"unknown_kind": unknown_kind}


def render_markdown(document: Document) -> str:
    text = template("markdown/document.md.j2")({"document": document})
    return text.rstrip("\n") + "\n"
