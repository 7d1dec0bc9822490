"""`record`: how rpt declares its data types."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

from . import record_inits

T = TypeVar("T")

# Every `__init__` text dataclasses wrote for a record in this process, found
# ahead or not: what scripts/make_tables.py writes into record_inits.py.
WRITTEN: list[str] = []
_EXEC = getattr(dataclasses, "_create_fn", None)  # the function that compiles them


def _create_fn(name: str, args: list[str], body: list[str], **options: Any) -> Any:
    """dataclasses' own `_create_fn`, which compiles each generated method from
    its text, but taking the function compiled ahead of time from that very text
    when record_inits.py has it (as the Python that wrote the table runs here).
    The text is the key, so a changed class, or another Python's dataclasses,
    only misses the table and compiles as before."""
    local_vars = options.get("locals") or {}
    options["locals"] = local_vars
    return_annotation = ""
    if options.get("return_type", dataclasses.MISSING) is not dataclasses.MISSING:
        local_vars["_return_type"] = options["return_type"]
        return_annotation = "->_return_type"
    lines = "\n".join(f"  {line}" for line in body)
    text = f" def {name}({','.join(args)}){return_annotation}:\n{lines}"
    text = f"def __create_fn__({', '.join(local_vars)}):\n{text}\n return {name}"
    WRITTEN.append(text)
    made = record_inits.FACTORIES.get(text) if sys.version_info[:2] == record_inits.PYTHON else None
    if made is not None:
        return made(**local_vars)
    assert _EXEC is not None
    return _EXEC(name, args, body, **options)


@dataclass_transform(frozen_default=True)
def record(cls: type[T]) -> type[T]:
    """A dataclass with slots whose fields are compared, hashed and shown, and
    frozen for mypy, which rejects every assignment to a field (CI runs it
    strict).

    Two costs of dataclasses are avoided, as rpt defines some 140 of these at
    each start and builds thousands of nodes for each report. Run-time freezing
    doubles the time to define a class and slows every construction. And
    dataclasses compile each generated method from source at definition: here
    only `__init__` is made so, and compiled ahead (record_inits.py, written by
    scripts/make_tables.py); equality, hashing and repr are the same three functions
    for every record, reading the fields the dataclass would (those with
    compare, hash and repr set), so they mean what dataclasses' would.
    """
    if _EXEC is None:  # a Python whose dataclasses compile otherwise
        made: Any = dataclasses.dataclass(slots=True, eq=False, repr=False)(cls)
    else:
        setattr(dataclasses, "_create_fn", _create_fn)  # noqa: B010  (a private name)
        try:
            made = dataclasses.dataclass(slots=True, eq=False, repr=False)(cls)
        finally:
            setattr(dataclasses, "_create_fn", _EXEC)  # noqa: B010
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
