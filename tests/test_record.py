"""`record` means what a frozen dataclass with slots means: equality, hashing and
repr over the same fields, replace(), fields() and match patterns."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from dataclasses import field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rpt.base.record import record


@record
class Point:
    """Two fields and one left out of comparison, one out of hashing."""

    x: int
    y: str = "a"
    note: str = field(default="", compare=False)
    cells: tuple[int, ...] = field(default=(), hash=False)


@record
class Other:
    x: int
    y: str = "a"


@record
class Empty:
    """No fields at all."""


@dataclasses.dataclass(frozen=True, slots=True)
class Reference:
    x: int
    y: str = "a"
    note: str = field(default="", compare=False)
    cells: tuple[int, ...] = field(default=(), hash=False)


values = st.builds(
    lambda x, y, note, cells: (x, y, note, cells),
    st.integers(-3, 3),
    st.sampled_from(["a", "b"]),
    st.sampled_from(["", "注"]),
    st.tuples(st.integers(0, 1)),
)


@given(values, values)
def test_equality_and_hashing_are_a_frozen_dataclasses(
    a: tuple[int, str, str, tuple[int, ...]], b: tuple[int, str, str, tuple[int, ...]]
) -> None:
    ours, theirs = (Point(*a), Point(*b)), (Reference(*a), Reference(*b))
    assert (ours[0] == ours[1]) == (theirs[0] == theirs[1])
    assert (ours[0] != ours[1]) == (theirs[0] != theirs[1])
    if ours[0] == ours[1]:
        assert hash(ours[0]) == hash(ours[1])
    same_hash_fields = a[:2] == b[:2]
    assert (hash(ours[0]) == hash(ours[1])) >= same_hash_fields


def test_records_of_two_classes_are_never_equal() -> None:
    other: object = Other(1)
    assert Point(1) != other
    assert Point(1).__eq__(other) is NotImplemented
    assert Empty() == Empty()
    assert hash(Empty()) == hash(Empty())
    assert {Point(1), Point(1, note="other")} == {Point(1)}


def test_repr_replace_fields_and_match() -> None:
    point = Point(1, "b", "注", (2,))
    assert repr(point) == "Point(x=1, y='b', note='注', cells=(2,))"
    assert repr(Empty()) == "Empty()"
    assert dataclasses.replace(point, x=2) == Point(2, "b", cells=(2,))
    assert [f.name for f in dataclasses.fields(point)] == ["x", "y", "note", "cells"]
    match point:
        case Point(1, y):
            assert y == "b"
        case _:
            pytest.fail("a record matches by position")
    assert not hasattr(point, "__dict__")  # slots


RECORDS = """
import importlib, inspect, json, pkgutil, re, sys
from rpt.base import record
record.MADE_HERE = sys.argv[1] == "here"
import rpt

def described(cls):
    init = cls.__init__
    fields = [
        [f.name, f.type, repr(f.default), repr(f.default_factory), f.init, f.repr, f.hash,
         f.compare, dict(f.metadata), repr(f.kw_only), repr(f._field_type)]
        for f in cls.__dataclass_fields__.values()
    ]
    simple = (str, int, float, tuple, frozenset, type(None))
    attributes = {
        name: repr(value) if isinstance(value, simple) else type(value).__name__
        for name, value in cls.__dict__.items()
    }
    code = init.__code__
    return {
        "bases": repr(cls.__bases__), "attributes": attributes, "fields": fields,
        "params": repr(cls.__dataclass_params__), "doc": cls.__doc__,
        "init": [str(inspect.signature(init)), code.co_code.hex(), code.co_varnames,
                 code.co_freevars, repr(code.co_consts), repr(init.__defaults__),
                 repr(init.__annotations__), init.__qualname__],
    }

made = {}
for module in pkgutil.walk_packages(rpt.__path__, "rpt."):
    loaded = importlib.import_module(module.name)
    for value in vars(loaded).values():
        if isinstance(value, type) and value.__module__ == module.name:
            if getattr(value, "__eq__", None).__qualname__ == "record.<locals>.__eq__":
                made[value.__module__ + "." + value.__qualname__] = described(value)
print(re.sub(" at 0x[0-9a-f]+", "", json.dumps(made, sort_keys=True)))  # no addresses
"""


def test_every_record_is_made_as_dataclasses_make_it() -> None:
    """Each record of rpt, made by base/record.py and by dataclasses: the same
    fields, class attributes and `__init__` (its very bytecode)."""
    here, theirs = (
        json.loads(
            subprocess.run(
                [sys.executable, "-c", RECORDS, how], capture_output=True, text=True, check=True
            ).stdout
        )
        for how in ("here", "dataclasses")
    )
    assert len(here) > 100
    assert here == theirs


def test_a_shape_dataclasses_refuse_is_refused() -> None:
    with pytest.raises(TypeError, match="non-default argument"):

        @record
        class Late:
            """A field without a default after one with."""

            a: int = 1
            b: int  # type: ignore[misc]

    with pytest.raises(ValueError, match="mutable default"):

        @record
        class Shared:
            """A list shared by every instance."""

            a: list[int] = []  # noqa: RUF012
