"""What one compilation leaves for the next in the same process (an editor,
the tests, a batch of reports sharing parts): each pass's results, kept by the
identity of what they were made from.

A file read again to the same bytes gives back the same syntax tree (load.py
keeps its parse), so the items of every file that did not change are the very
objects of the last compilation, and what a pass made of such an item, in the
same context, it would make again. Each pass keeps a result by the item and
its context (the names, units and settings it was made with), both matched by
identity, so nothing is compared in depth, and holds them with it (an id is
never another object's while its object lives); what else the result depends
on, the types or values of the figures the item reads, is compared by
equality before it is given again.

A result is kept and given again only while the compilation has no
diagnostics: a pass that has reported nothing holds no state made by a report
(said-once sets, the de-duplication of diagnostics), so an item's result
depends on what it is kept by alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any, Generic, NamedTuple, TypeVar, cast

from .diagnostics import Diagnostics

V = TypeVar("V")
P = TypeVar("P")
# what making a result read (the names of figures, the numbers of references)
Reads = tuple[Any, ...]

# Every pass that keeps results, so that tests (and a process that wants its
# memory back) can forget them all at once.
_ALL: list[Kept[object]] = []
# how many results were given again in this process (what tests of reuse ask)
_hits = 0
# whether results are kept at all (see nothing_kept)
_keeping = True


class Kept(Generic[V]):
    """One pass's results, the `limit` most recently made, each by an
    item and the context it was made in, both matched by identity (`Interned`
    makes one object of a context, `position` of a number; `None` is no
    context). `diagnostics` None is for a pass that reports nothing (a
    renderer), whose results depend on their key alone. `values`, given beside
    the key, are what the result also depends on that is compared by equality
    (the types of the figures an item reads). What an item reads can be kept
    with its result (`reads`): `values_of` then gives the values to compare
    from it, so that it is not found again."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        # in the order made: a result given again is not moved (a rebuild looks
        # up every item of the report: moving each would cost more than making
        # again, once, a result dropped after `limit` newer ones)
        self._entries: dict[tuple[int, int], _Entry[V]] = {}
        _ALL.append(self)  # type: ignore[arg-type]  # every Kept is forgotten alike

    def get(
        self,
        item: object,
        context: object,
        diagnostics: Diagnostics | None,
        *,
        values: tuple[object, ...] = (),
        values_of: Callable[[Reads], tuple[object, ...]] | None = None,
    ) -> V | None:
        if not _keeping or (diagnostics is not None and (diagnostics.items or diagnostics.dropped)):
            return None  # keeps(diagnostics), written out: this runs for every item of a rebuild
        found = self._entries.get((id(item), id(context)))
        if found is None or found.item is not item or found.context is not context:
            return None
        if found.values != (values if values_of is None else values_of(found.reads)):
            return None
        global _hits  # noqa: PLW0603  (a count for the whole process, see hits())
        _hits += 1
        return found.result

    def put(
        self,
        item: object,
        context: object,
        result: V,
        diagnostics: Diagnostics | None,
        *,
        values: tuple[object, ...] = (),
        reads: Reads = (),
    ) -> V:
        """Keep `result` (when the compilation is still clean) and give it back."""
        if keeps(diagnostics):  # kept only from a clean compilation (see above)
            self._keep((id(item), id(context)), _new_entry((item, context, values, reads, result)))
        return result

    def made(
        self,
        item: object,
        context: object,
        make: Callable[[], V],
        diagnostics: Diagnostics | None,
    ) -> V:
        """The kept result, or the one `make` gives (kept if clean): get() and
        put() written out, as this runs for every item of every build."""
        if not _keeping or (diagnostics is not None and (diagnostics.items or diagnostics.dropped)):
            return make()
        ids = (id(item), id(context))
        found = self._entries.get(ids)
        # as get() matches them, with no values given to compare
        if (
            found is not None
            and found.item is item
            and found.context is context
            and not found.values
        ):
            global _hits  # noqa: PLW0603  (a count for the whole process, see hits())
            _hits += 1
            return found.result
        result = make()
        if diagnostics is None or not (diagnostics.items or diagnostics.dropped):  # still clean
            self._keep(ids, _new_entry((item, context, (), (), result)))
        return result

    def _keep(self, ids: tuple[int, int], entry: _Entry[V]) -> None:
        entries = self._entries
        entries.pop(ids, None)  # made again: the newest
        entries[ids] = entry
        while len(entries) > self.limit:
            del entries[next(iter(entries))]

    def clear(self) -> None:
        self._entries.clear()


class _Entry(NamedTuple, Generic[V]):
    """A kept result with what it was made from: the item and context (held,
    so that their ids stay theirs), the values compared and what it read."""

    item: object
    context: object
    values: tuple[object, ...]
    reads: Reads
    result: V


# an _Entry made as its generated __new__ makes one (tuple.__new__ of its
# fields), without that call in Python: one is made for every item of a build
_new_entry = cast(Callable[[tuple[Any, ...]], _Entry[Any]], partial(tuple.__new__, _Entry))


class Interned(Generic[P]):
    """One object for a context while it stays the same, so that the context
    can be a part of keys matched by identity: its parts are compared by
    identity (`by_value`: by equality, for settings and sets of names)."""

    def __init__(self, *, by_value: bool = False) -> None:
        self.by_value = by_value
        self._last: tuple[P, ...] | None = None

    def __call__(self, *parts: P) -> tuple[P, ...]:
        last = self._last
        if last is not None and len(last) == len(parts):
            if self.by_value and last == parts:
                return last
            if not self.by_value and all(a is b for a, b in zip(last, parts, strict=True)):
                return last
        self._last = parts
        return parts


# one int object for each position a key names (ints are objects of their own)
_positions: dict[int, int] = {}


def position(number: int) -> int:
    """The one object for `number`, to be a part of a key."""
    return _positions.setdefault(number, number)


def keeps(diagnostics: Diagnostics | None) -> bool:
    """Whether results are kept and given now, in a compilation that has
    reported `diagnostics` (None: a pass that reports nothing): a pass that
    would work to say what a result read asks first."""
    return _keeping and (diagnostics is None or not (diagnostics.items or diagnostics.dropped))


@contextmanager
def nothing_kept() -> Iterator[None]:
    """Within, nothing is kept or given again: for a process that compiles
    once, as each rpt command does, keeping would only cost time and memory."""
    global _keeping  # noqa: PLW0603  (the switch is the process's, as the tables are)
    before, _keeping = _keeping, False
    try:
        yield
    finally:
        _keeping = before


def hits() -> int:
    return _hits


def forget_kept() -> None:
    """Drop every pass's kept results."""
    for kept in _ALL:
        kept.clear()
    _positions.clear()
