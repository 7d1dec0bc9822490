"""`record`: how rpt declares its data types."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True)
def record(cls: type[T]) -> type[T]:
    """A dataclass with slots whose fields are compared, hashed and shown, and
    frozen for mypy, which rejects every assignment to a field (CI runs it
    strict).

    Two costs of dataclasses are avoided, as rpt defines some 140 of these at
    each start and builds thousands of nodes for each report. Run-time freezing
    doubles the time to define a class and slows every construction. And
    dataclasses compile each generated method from source at definition: here
    only `__init__` is; equality, hashing and repr are the same three functions
    for every record, reading the fields the dataclass would (those with
    compare, hash and repr set), so they mean what dataclasses' would.
    """
    made: Any = dataclasses.dataclass(slots=True, eq=False, repr=False)(cls)
    fields = dataclasses.fields(made)
    compared = _reader(tuple(f.name for f in fields if f.compare))
    hashed = _reader(tuple(f.name for f in fields if f.compare if f.hash is not False))
    shown = tuple(f.name for f in fields if f.repr)

    def __eq__(self: object, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(compared(self) == compared(other))
        return NotImplemented

    def __hash__(self: object) -> int:
        return hash(hashed(self))

    def __repr__(self: object) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{type(self).__qualname__}({values})"

    made.__eq__, made.__hash__, made.__repr__ = __eq__, __hash__, __repr__
    result: type[T] = made
    return result


def _reader(names: tuple[str, ...]) -> Callable[[object], object]:
    """The fields `names` of an object, as one value to compare or hash."""
    if not names:
        return lambda _: ()
    return attrgetter(*names)
