"""Files that travel with the package: the grammar, unit definitions, templates."""

from __future__ import annotations

import importlib
from pathlib import Path


def _package_dir(package: str) -> Path:
    """The folder of one of rpt's data packages, where its files were installed
    (what importlib.resources.files gives for a package on disk, without loading
    importlib.resources and tempfile, a tenth of a check's imports)."""
    origin = importlib.import_module(package).__file__
    assert origin is not None, f"{package} is not a package on disk"
    return Path(origin).parent


def grammar_dir() -> Path:
    return _package_dir("rpt.grammar")


def templates_dir() -> Path:
    return _package_dir("rpt.templates")


def read_grammar(name: str) -> str:
    return (grammar_dir() / name).read_text(encoding="utf-8")


def forms_dir() -> Path:
    return _package_dir("rpt.forms")
