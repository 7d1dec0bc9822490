"""Render the Document as Markdown through the Jinja2 templates in `templates/markdown/`.

The shipped templates run compiled ahead (templates/compiled/, written by
scripts/make_tables.py): parsing and compiling them at every start cost more
than rendering a whole report. They run in an ordinary environment, which is
several times faster than Jinja2's sandbox: they are rpt's own code, reviewed
as such. Were a report ever to bring templates of its own, those would need
the sandbox (jinja2.sandbox.ImmutableSandboxedEnvironment).
"""

from __future__ import annotations

import hashlib
import html
import importlib
import re
from collections.abc import Callable, MutableMapping
from functools import cache, partial
from types import ModuleType
from typing import Any

import jinja2

from ..base.diagnostics import printable
from ..base.kept import Interned, Kept
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

# Characters that mean something to CommonMark or GFM anywhere in a line
# (`&` starts an entity reference such as &amp;).
INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
# Line starts that turn a paragraph into a heading, list item, quote or rule
# (---); `*` and `_` are escaped everywhere already.
BLOCK_START = re.compile(
    r"^(#{1,6}(?=\s|$)|[-+](?=\s|$)|[0-9]{1,9}[.)](?=\s|$)|>|-(?=[ \t]*-[ \t]*-[- \t]*$))"
)


# A run of `#` ending a heading after a space (or making it whole) is read as the
# heading's closing sequence, and dropped.
CLOSING_HASHES = re.compile(r"(?:^|(?<=[ \t]))#+[ \t]*$")
# After the marker `- `, two more dashes make a rule, not an item.
ITEM_RULE = re.compile(r"-[- \t]*")
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
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def compiled_code(template: str) -> str:
    """The Python module that scripts/make_tables.py writes for a shipped template:
    Jinja2's code for it, with the digest of the source it was made from."""
    source = _source(template)
    code = markdown_environment().compile(source, template, raw=True, defer_init=True)
    return (
        f'"""Generated by scripts/make_tables.py from {template}: do not edit."""\n'
        "# fmt: off\n"
        f"SOURCE_SHA256 = {template_digest(source)!r}\n"
        f"JINJA_VERSION = {jinja2.__version__!r}\n"
        f"{code}\n"
    )


def _source(template: str) -> str:
    path = templates_dir() / template
    if not path.is_file():
        raise jinja2.TemplateNotFound(template)
    return path.read_text(encoding="utf-8")


class ShippedTemplates(jinja2.BaseLoader):
    """The templates in the package, each from its compiled module when that was
    made from this very source by this Jinja2 (else compiled here, from source)."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        return _source(template), template, lambda: True

    def load(
        self,
        environment: jinja2.Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        module = _compiled(name)
        if module is None:
            return super().load(environment, name, globals)
        return environment.template_class.from_module_dict(
            environment, vars(module), environment.make_globals(globals)
        )


def _compiled(name: str) -> ModuleType | None:
    try:
        module = importlib.import_module(f"rpt.templates.compiled.{compiled_module_name(name)}")
    except ImportError:
        return None
    current = (
        getattr(module, "SOURCE_SHA256", None) == template_digest(_source(name))
        and getattr(module, "JINJA_VERSION", None) == jinja2.__version__
    )
    return module if current else None


@cache
def markdown_environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=ShippedTemplates(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    environment.filters["md_escape"] = md_escape
    environment.filters["md_block"] = md_block
    environment.filters["md_item"] = md_item
    environment.filters["md_heading"] = md_heading
    environment.filters["is_markdown_list"] = is_markdown_list
    environment.filters["item_numbers"] = item_numbers
    environment.filters["number_prefix"] = number_prefix
    environment.filters["is_pipe_table"] = is_pipe_table
    environment.filters["column_aligns"] = column_aligns
    environment.filters["html_escape"] = html.escape
    environment.globals["unknown_kind"] = unknown_kind
    environment.filters["comment_safe"] = comment_safe
    environment.filters["kept_markdown"] = kept_markdown
    return environment


def kept_markdown(block: Block, locale: str, render: Callable[[Block, str], str]) -> str:
    """A block's Markdown (the macro of markdown/block.md.j2, `render`): a block
    is printed from itself and the locale alone, so a rebuild prints one it
    printed before as it did."""
    return _printed.made(block, _locales(locale), partial(_text, render, block, locale), None)


def _text(render: Callable[[Block, str], str], block: Block, locale: str) -> str:
    return str(render(block, locale))


_printed: Kept[str] = Kept(limit=100_000)
_locales: Interned[str] = Interned(by_value=True)


def render_markdown(document: Document) -> str:
    template = markdown_environment().get_template("markdown/document.md.j2")
    text = template.render(document=document)
    return text.rstrip("\n") + "\n"
