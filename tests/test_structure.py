"""The compiler's shape stays reviewable: no module over 600 lines, no class over
400 (the layering itself is import-linter's contracts in pyproject.toml)."""

from __future__ import annotations

import ast
from pathlib import Path

COMPILER = Path(__file__).parent.parent / "compiler"
MAX_MODULE_LINES = 600
MAX_CLASS_LINES = 400


def test_no_module_or_class_is_too_long() -> None:
    too_long = []
    for path in sorted(COMPILER.rglob("*.py")):
        text = path.read_text("utf-8")
        lines = text.count("\n")
        if lines > MAX_MODULE_LINES:
            too_long.append(f"{path.relative_to(COMPILER)}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno is not None:
                length = node.end_lineno - node.lineno + 1
                if length > MAX_CLASS_LINES:
                    too_long.append(f"{path.relative_to(COMPILER)}: class {node.name}, {length}")
    assert not too_long, too_long
