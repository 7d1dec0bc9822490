"""The whole compiler in one function: each pass takes the previous pass's data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .base.diagnostics import Diagnostic, Diagnostics
from .base.record import record, replace
from .check.resolve import resolve
from .check.typecheck import typecheck
from .data.bind import bind_data
from .document.lower import build_document
from .document.model import Document
from .evaluation.evaluate import Evaluated, evaluate
from .render.style_templates import available_styles
from .result import Facts, collect_facts
from .syntax.forms import apply_forms
from .syntax.load import Loader, display_path, real_path
from .syntax.settings import Settings, metadata_figures, read_settings
from .syntax.tables import expand_tables
from .syntax.tree import Module


@record
class Compilation:
    """The outcome of a compilation: a document when there were no errors, every
    diagnostic (warnings included) in source order, the files that were read,
    the report's settings, and what is known of each figure and check (`facts`;
    None when the report did not get as far as being evaluated)."""

    document: Document | None
    diagnostics: list[Diagnostic]
    sources: tuple[str, ...]
    # each data file read, as diagnostics name it, with its SHA-256: a rebuild
    # from a changed workbook shows (the Markdown and `rpt explain` record them)
    data_files: tuple[tuple[str, str], ...]
    # the real path of every file read (sources and data): no output may be one
    inputs: tuple[str, ...]
    settings: Settings | None
    facts: Facts | None
    # the document as it would print, built even when checks fail (every
    # reference has a value): what review tools compare. Never written out.
    preview: Document | None


def compile_report(
    path: Path,
    root: Path | None = None,
    show: Callable[[Path | str], str] = display_path,
    *,
    draft: bool = False,
    facts: bool = True,
) -> Compilation:
    """Compile the report whose main file is `path`; includes must stay inside `root`
    (by default the main file's directory); `show` names files in diagnostics. A
    `draft` prints notes to reviewers and allows figures not available yet;
    `facts` are gathered for the review tools (a build and a check need none)."""
    diagnostics = Diagnostics()
    loader = Loader(diagnostics, real_path(root) if root else None, show)
    return _compile(loader.load(path), diagnostics, loader, draft, facts)  # read + parse


def compile_source(text: str, path: Path = Path("main.rpt")) -> Compilation:
    """Compile a main file held in memory (tests, editors); includes are read from disk."""
    diagnostics = Diagnostics()
    loader = Loader(diagnostics)
    return _compile(loader.load_text(text, path), diagnostics, loader, draft=False, facts=True)


def with_metadata(module: Module, settings: Settings) -> Module:
    return Module(module.header, (*metadata_figures(module.header, settings), *module.items))


def _compile(
    module: Module | None, diagnostics: Diagnostics, loader: Loader, draft: bool, facts: bool
) -> Compilation:
    sources = tuple(source.path for source in loader.sources)
    if module is None:
        inputs = tuple(loader.inputs)
        return Compilation(None, diagnostics.sorted(), sources, (), inputs, None, None, None)
    settings = read_settings(module.header, available_styles(), diagnostics)
    settings = replace(settings, draft=draft)
    module = with_metadata(module, settings)  # year, title … as figures
    module = apply_forms(module, diagnostics)  # tables that extend a form made whole
    module = expand_tables(module, diagnostics)  # table cells become figures
    module = bind_data(module, diagnostics)  # data cells read, each knowing its cell
    scope = resolve(module, diagnostics)  # names, units, cycles, order
    program = typecheck(module, scope, settings, diagnostics)  # units and types → IR
    del module, scope  # the IR holds what they said: freed, a large report's peak halves
    evaluated = evaluate(program, diagnostics)  # exact values, checks
    data_files = tuple(loader.data_files)
    if diagnostics.has_errors():
        document, preview = None, _preview(evaluated, data_files)
    else:
        document = preview = build_document(evaluated, diagnostics, data_files)  # printed
    # every figure: value, inputs, where printed
    known = collect_facts(evaluated, preview) if facts else None
    return Compilation(
        document,
        diagnostics.sorted(),
        sources,
        data_files,
        tuple(loader.inputs),
        settings,
        known,
        preview,
    )


def _preview(evaluated: Evaluated, data: tuple[tuple[str, str], ...]) -> Document | None:
    """The document of a report with errors, when every reference still has a
    value (its checks failed, its figures did not): for review, never written."""
    if any(value is None for value in evaluated.refs):
        return None
    return build_document(evaluated, Diagnostics(), data)
