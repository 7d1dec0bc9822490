"""The scope of a report: what every name means, and the order to evaluate
figures in. resolve.py makes it; the type checker and the functions read it."""

from __future__ import annotations

from ..base.record import field, mutable
from ..syntax import tree as ast
from ..syntax import walks
from .units import UnitTable


@mutable
class Scope:
    """What every name in the report means, and the order to evaluate figures in."""

    figures: dict[str, ast.Let]
    units: UnitTable
    groups: dict[str, list[str]]
    order: list[str]
    # every figure's name in declaration order: one object for as long as the
    # names stay the same, which results kept for a rebuild are keyed by
    names: tuple[str, ...] = ()
    in_cycle: set[str] = field(default_factory=set)
    # the figures each item reads (a group's members included), by the item's
    # id: what typing compares to give a kept result again (base/kept.py)
    reads: dict[int, tuple[str, ...]] = field(default_factory=dict)
    _globs: dict[str, list[str]] = field(default_factory=dict)
    _below: dict[str, list[str]] | None = None

    def members(self, prefix: str) -> list[str]:
        return [name for name in self.groups.get(prefix, []) if name in self.figures]

    def matching(self, pattern: str) -> list[str]:
        """The figures a glob stands for, in declaration order. Only the figures below
        the pattern's literal prefix are tried, so a glob costs what it matches."""
        found = self._globs.get(pattern)
        if found is None:
            if self._below is None:
                self._below = {}
                for name in self.figures:
                    parts = name.split(".")
                    for end in range(1, len(parts)):
                        self._below.setdefault(".".join(parts[:end]), []).append(name)
            parts = pattern.split(".")
            literal = ".".join(parts[: next(i for i, p in enumerate(parts) if "*" in p)])
            candidates = self._below.get(literal, []) if literal else list(self.figures)
            glob = walks.glob_pattern(pattern)
            found = [name for name in candidates if glob.fullmatch(name)]
            self._globs[pattern] = found
        return found
