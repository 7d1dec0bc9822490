"""`record` means what a frozen dataclass with slots means, and `mutable` what a
dataclass means: the same `__init__`, equality, hashing, repr, replace(),
fields() and match patterns. Classes of every shape rpt uses are made both
ways and compared."""

from __future__ import annotations

import dataclasses
import inspect
import itertools
import subprocess
import sys
import types
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rpt.base.record import field, fields, is_record, mutable, record, replace


@record
class Point:
    """Two fields and one left out of comparison, one out of hashing."""

    x: int
    y: str = "a"
    note: str = field(default="", compare=False)
    cells: tuple[int, ...] = field(default=(), hash=False)


@record
class Other:
    """Point's first two fields, in another class."""

    x: int
    y: str = "a"


@record
class Empty:
    """No fields at all."""


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
    assert replace(point, x=2) == Point(2, "b", cells=(2,))
    assert [f.name for f in fields(point)] == ["x", "y", "note", "cells"]
    assert is_record(point) and not is_record(Point) and not is_record(1)
    match point:
        case Point(1, y):
            assert y == "b"
        case _:
            pytest.fail("a record matches by position")
    assert not hasattr(point, "__dict__")  # slots
    with pytest.raises(TypeError, match="record instances"):
        replace(1, x=2)  # type: ignore[type-var]


# The shapes of field rpt's data types use: (annotation, declaration), where
# the declaration is what follows `=` (FIELD is field or dataclasses.field).
SHAPES = {
    "plain": ("int", None),
    "default": ("int", "7"),
    "text default": ("str", "'注'"),
    "field default": ("int", "FIELD(default=8)"),
    "factory": ("list[int]", "FIELD(default_factory=list)"),
    "not compared": ("int", "FIELD(default=9, compare=False)"),
    "not hashed": ("tuple[int, ...]", "FIELD(default=(), hash=False)"),
    "not shown": ("int", "FIELD(default=1, repr=False)"),
    "not taken": ("int", "FIELD(default=2, init=False)"),
    "not taken, made": ("dict[str, int]", "FIELD(default_factory=dict, init=False, repr=False)"),
    "not taken, unset": ("int", "FIELD(init=False)"),
    "class variable": ("ClassVar[int]", "5"),
    "typing class variable": ("typing.ClassVar[str]", "'c'"),
}


def _source(shapes: list[str], decorator: str, post_init: bool) -> str:
    lines = [
        "from __future__ import annotations",
        "import typing",
        "from typing import ClassVar",
        f"@{decorator}",
        "class Made:",
        '    """A class of some shape."""',
    ]
    for index, shape in enumerate(shapes):
        annotation, declaration = SHAPES[shape]
        lines.append(f"    f{index}: {annotation}" + (f" = {declaration}" if declaration else ""))
    if post_init:
        lines += ["    def __post_init__(self):", "        object.__setattr__(self, 'seen', 1)"]
    return "\n".join(lines) + "\n"


_made = itertools.count()


def _made_class(source: str, how: dict[str, Any]) -> Any:
    """The class `source` defines, in a module of its own (a record looks its
    annotations' names up in its module, as dataclasses does)."""
    module = types.ModuleType(f"_made_{next(_made)}")
    sys.modules[module.__name__] = module
    vars(module).update(how)
    exec(source, vars(module))
    return vars(module)["Made"]


def _both(shapes: list[str], kind: str, post_init: bool) -> tuple[Any, Any]:
    """The class made by base/record.py and by dataclasses, or the exception
    each raised."""
    ours_decorator, theirs_decorator = {
        "record": ("record", "dataclasses.dataclass(frozen=True, slots=True)"),
        "mutable": ("mutable", "dataclasses.dataclass"),
        "mutable, no eq": ("mutable(eq=False)", "dataclasses.dataclass(eq=False)"),
        "mutable, no repr": ("mutable(repr=False)", "dataclasses.dataclass(repr=False)"),
    }[kind]
    made = []
    for decorator, names in (
        (ours_decorator, {"record": record, "mutable": mutable, "FIELD": field}),
        (theirs_decorator, {"dataclasses": dataclasses, "FIELD": dataclasses.field}),
    ):
        source = _source(shapes, decorator, post_init)
        try:
            made.append(_made_class(source, names))
        except (TypeError, ValueError) as error:
            made.append(type(error))
    return made[0], made[1]


def _arguments(cls: Any) -> list[Any]:
    samples: dict[str, Any] = {"int": 3, "str": "x", "list[int]": [1], "tuple[int, ...]": (4,)}
    return [
        samples[str(p.annotation)]
        for p in inspect.signature(cls).parameters.values()
        if p.default is inspect.Parameter.empty
    ]


def _outcome(make: Any) -> object:
    """What `make()` gives, or the kind of exception it raises (a field left
    unset fails alike in equality and repr)."""
    try:
        return make()
    except (AttributeError, TypeError, ValueError) as error:
        return type(error)


def _values(value: object, names: list[str]) -> list[object]:
    return [getattr(value, name, "unset") for name in names]


@given(
    st.lists(st.sampled_from(sorted(SHAPES)), max_size=6),
    st.sampled_from(["record", "mutable", "mutable, no eq", "mutable, no repr"]),
    st.booleans(),
    st.integers(0, 2),
)
def test_every_shape_is_made_as_dataclasses_make_it(
    shapes: list[str], kind: str, post_init: bool, changed: int
) -> None:
    ours, theirs = _both(shapes, kind, post_init and kind != "record")  # a record has no spare slot
    if isinstance(theirs, type) and issubclass(theirs, Exception):
        assert ours is theirs  # refused alike (a field without a default after one with)
        return
    assert str(inspect.signature(ours)) == str(inspect.signature(theirs))
    assert ours.__match_args__ == theirs.__match_args__
    names = [f.name for f in dataclasses.fields(theirs)]
    assert [f.name for f in fields(ours)] == names
    arguments = _arguments(ours)
    ours_a, theirs_a = ours(*arguments), theirs(*arguments)
    assert _values(ours_a, names) == _values(theirs_a, names)
    assert getattr(ours_a, "seen", None) == getattr(theirs_a, "seen", None)
    if kind != "mutable, no repr":
        assert _outcome(lambda: repr(ours_a)) == _outcome(lambda: repr(theirs_a))
    else:
        assert vars(type(ours_a)).get("__repr__") is None
    assert is_record(ours_a)
    # another value: one argument changed, or the same again
    other = list(arguments)
    if changed and other:
        index = changed % len(other)
        other[index] = other[index] * 2
    ours_b, theirs_b = ours(*other), theirs(*other)
    assert _outcome(lambda: ours_a == ours_b) == _outcome(lambda: theirs_a == theirs_b)
    assert _outcome(lambda: ours_a != ours_b) == _outcome(lambda: theirs_a != theirs_b)
    assert (ours.__hash__ is None) is (theirs.__hash__ is None)
    if kind == "record":
        hashed = _outcome(lambda: hash(ours_a))
        assert (hashed is TypeError) is (_outcome(lambda: hash(theirs_a)) is TypeError)
        if hashed is not TypeError and _outcome(lambda: ours_a == ours_b) is True:
            assert hash(ours_a) == hash(ours_b)
    taken = [f.name for f in dataclasses.fields(theirs) if f.init]
    if taken:
        change = {taken[-1]: getattr(ours_b, taken[-1]) * 2}
        assert _values(replace(ours_a, **change), names) == _values(
            dataclasses.replace(theirs_a, **change), names
        )
    for name in (f.name for f in dataclasses.fields(theirs) if not f.init):
        with pytest.raises(ValueError, match="init=False"):
            replace(ours_a, **{name: 1})
        with pytest.raises(ValueError, match="init=False"):
            dataclasses.replace(theirs_a, **{name: 1})


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

    with pytest.raises(TypeError, match="docstring"):

        @record
        class Bare:
            a: int


def test_rpt_imports_no_dataclasses() -> None:
    """Importing dataclasses took a twentieth of a check, for nothing rpt needs."""
    done = subprocess.run(
        [sys.executable, "-c", "import sys, rpt.cli; print(sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "'dataclasses'" not in done.stdout
    assert "'inspect'" not in done.stdout
