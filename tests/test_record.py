"""`record` means what a frozen dataclass with slots means: equality, hashing and
repr over the same fields, replace(), fields() and match patterns."""

from __future__ import annotations

import dataclasses
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
