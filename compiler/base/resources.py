"""Files that travel with the package: the grammar, unit definitions, templates."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable


def grammar_dir() -> Traversable:
    return resources.files("rpt.grammar")


def templates_dir() -> Traversable:
    return resources.files("rpt.templates")


def read_grammar(name: str) -> str:
    return (grammar_dir() / name).read_text(encoding="utf-8")


def forms_dir() -> Traversable:
    return resources.files("rpt.forms")
