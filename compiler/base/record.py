"""`record` and `mutable`: how rpt declares its data types."""

from __future__ import annotations

import dataclasses
import inspect
import sys
import typing
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, cast, dataclass_transform, overload

from . import record_inits
from .patterns import regex

T = TypeVar("T")

# Every method text written for a record or a mutable dataclass in this process,
# found ahead or not: what scripts/make_tables.py writes into record_inits.py.
WRITTEN: list[str] = []
# Whether records are made here (below) rather than by dataclasses; a test makes
# every record both ways and compares them.
MADE_HERE = True

MISSING: Any = dataclasses.MISSING
_FACTORY = getattr(dataclasses, "_HAS_DEFAULT_FACTORY", None)  # a parameter left to its factory
# what dataclasses.fields() and replace() take a Field to be: a field, a class variable
_FIELD = getattr(dataclasses, "_FIELD", None)
_CLASSVAR = getattr(dataclasses, "_FIELD_CLASSVAR", None)
_EXEC = getattr(dataclasses, "_create_fn", None)  # the function that compiles methods
# the first name of an annotation written as text, as dataclasses reads it
_FIRST_NAME = regex(r"^(?:\s*(\w+)\s*\.)?\s*(\w+)")


@dataclass_transform(frozen_default=True)
def record(cls: type[T]) -> type[T]:
    """A dataclass with slots whose fields are compared, hashed and shown, and
    frozen for mypy, which rejects every assignment to a field (CI runs it
    strict).

    rpt defines some 140 of these at each start and builds thousands of nodes
    for each report, and three costs of dataclasses are avoided. Run-time
    freezing doubles the time to define a class and slows every construction.
    Making the class took a sixth of the imports of a check: here, for the
    shapes rpt uses (fields with defaults, factories, `init=False` and class
    variables), the class is made as dataclasses would make it, without its
    general machinery (MADE_HERE); any other shape is left to dataclasses. And
    dataclasses compile each generated method from source: here `__init__` is
    compiled ahead (record_inits.py, written by scripts/make_tables.py), and
    equality, hashing and repr are the same three functions for every record,
    reading the fields the dataclass would (those with compare, hash and repr
    set), so they mean what dataclasses' would.
    """
    fields = _fields(cls) if MADE_HERE else None
    made: Any = _by_dataclasses(cls) if fields is None else _make(cls, fields)
    fields = list(dataclasses.fields(made))
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


def _fields(cls: type) -> list[dataclasses.Field[Any]] | None:
    """The fields dataclasses would find in `cls`, class variables included, in
    order; None for a class of a shape left to dataclasses (which refuses some)."""
    if (
        None in (_FACTORY, _FIELD, _CLASSVAR)
        or type(cls) is not type
        or cls.__bases__ != (object,)
        or not cls.__doc__  # dataclasses would write one
        or any(name in cls.__dict__ for name in ("__init__", "__post_init__", "__slots__"))
    ):
        return None
    annotations = inspect.get_annotations(cls)
    fields: list[dataclasses.Field[Any]] = []
    for name, annotation in annotations.items():
        kind = _kind(cls, annotation)
        if kind is None:
            return None
        default = getattr(cls, name, MISSING)
        field = cast(
            "dataclasses.Field[Any]",
            default
            if isinstance(default, dataclasses.Field)
            else dataclasses.field(default=default),
        )
        field.name, field.type = name, annotation
        field._field_type = kind  # type: ignore[attr-defined]
        if kind is _FIELD:
            if field.kw_only is True or field.default.__class__.__hash__ is None:
                return None  # keyword-only, or a mutable default dataclasses refuses
            field.kw_only = False
        elif field.default_factory is not MISSING or field.kw_only is not MISSING:
            return None
        fields.append(field)
    declared = {f.name for f in fields}
    if any(
        isinstance(value, dataclasses.Field) and name not in declared
        for name, value in cls.__dict__.items()
    ):
        return None  # a field() without an annotation: dataclasses refuses it
    seen_default = False
    for field in _init_fields(fields):
        if field.default is not MISSING or field.default_factory is not MISSING:
            seen_default = True
        elif seen_default:
            return None  # a field without a default after one with: refused
    return fields


def _kind(cls: type, annotation: object) -> object | None:
    """A field or a class variable, told apart as dataclasses does by the first
    name of the annotation's text, looked up in the class's module; None for an
    InitVar or a KW_ONLY marker, left to dataclasses."""
    if not isinstance(annotation, str):
        return None
    found = _FIRST_NAME.match(annotation)
    if found is None:
        return _FIELD
    module = sys.modules[cls.__module__].__dict__
    prefix, name = found.groups()
    named = module.get(name)
    classvar = named is typing.ClassVar or getattr(named, "__origin__", None) is typing.ClassVar
    if (not prefix or module.get(prefix) is typing) and classvar:
        return _CLASSVAR
    marker = named is dataclasses.InitVar or named is dataclasses.KW_ONLY
    if (not prefix or module.get(prefix) is dataclasses) and (
        marker or isinstance(named, dataclasses.InitVar)
    ):
        return None
    return _FIELD


def _init_fields(fields: list[dataclasses.Field[Any]]) -> list[dataclasses.Field[Any]]:
    return [f for f in fields if f._field_type is _FIELD and f.init]  # type: ignore[attr-defined]


def _make(cls: type, fields: list[dataclasses.Field[Any]]) -> type:
    """The class dataclasses(slots=True, eq=False, repr=False) makes of `cls`."""
    names = tuple(f.name for f in fields if f._field_type is _FIELD)  # type: ignore[attr-defined]
    namespace = dict(cls.__dict__)
    for name in (*names, "__dict__", "__weakref__"):
        namespace.pop(name, None)
    namespace["__slots__"] = names
    namespace["__dataclass_params__"] = vars(_Options)["__dataclass_params__"]
    namespace["__dataclass_fields__"] = {f.name: f for f in fields}
    namespace["__match_args__"] = namespace.get(
        "__match_args__", tuple(f.name for f in _init_fields(fields))
    )
    init = _init(cls, [f for f in fields if f._field_type is _FIELD])  # type: ignore[attr-defined]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    namespace["__init__"] = init
    made = type(cls.__name__, cls.__bases__, namespace)
    made.__qualname__ = cls.__qualname__
    return made


def _init(cls: type, fields: list[dataclasses.Field[Any]]) -> Callable[..., None]:
    """`__init__`, as dataclasses writes it for these fields: the same
    parameters, defaults and assignments."""
    types = {f"_type_{f.name}": f.type for f in fields}
    defaults: dict[str, object] = {}
    params, body = [], []
    for f in fields:
        default = f"_dflt_{f.name}"
        if f.default_factory is not MISSING:
            defaults[default] = f.default_factory
            if f.init:
                body.append(
                    f"self.{f.name}={default}() if {f.name} is _HAS_DEFAULT_FACTORY else {f.name}"
                )
            else:
                body.append(f"self.{f.name}={default}()")
        elif f.default is not MISSING:
            defaults[default] = f.default
            body.append(f"self.{f.name}={f.name if f.init else default}")
        elif f.init:
            body.append(f"self.{f.name}={f.name}")
        if f.init:
            params.append(
                f"{f.name}:_type_{f.name}"
                + (
                    ""
                    if f.default is MISSING and f.default_factory is MISSING
                    else f"=_dflt_{f.name}"
                    if f.default is not MISSING
                    else "=_HAS_DEFAULT_FACTORY"
                )
            )
    local_vars = {**types, **defaults, "_HAS_DEFAULT_FACTORY": _FACTORY}
    lines = "\n".join(f"  {line}" for line in body or ["pass"])
    text = (
        f"def __create_fn__({', '.join(local_vars)}):\n"
        f" def __init__({','.join(['self', *params])})->None:\n{lines}\n"
        " return __init__"
    )
    WRITTEN.append(text)
    factory = record_inits.FACTORIES.get(text)
    if factory is None:
        namespace: dict[str, Any] = {}
        exec(text, sys.modules[cls.__module__].__dict__, namespace)  # as dataclasses does
        factory = namespace["__create_fn__"]
    made: Callable[..., None] = factory(**local_vars)
    return made


@overload
def mutable(cls: type[T], /) -> type[T]: ...
@overload
def mutable(*, eq: bool = True, repr: bool = True) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
def mutable(cls: type[T] | None = None, /, *, eq: bool = True, repr: bool = True) -> Any:
    """`dataclasses.dataclass`, with the same options, for the data types whose
    fields change (the state of a pass): made by dataclasses, each method it
    writes taken compiled ahead from record_inits.py when that is its very text.
    Compiling `__init__`, `__eq__` and `__repr__` of the twenty of these cost
    more at each start than making all the records."""

    def made(cls: type[T]) -> type[T]:
        return _by_dataclasses(cls, eq=eq, repr=repr)

    return made if cls is None else made(cls)


def _by_dataclasses(cls: type[T], **options: bool) -> type[T]:
    """The class as `dataclasses.dataclass(**options)` makes it (a record's by
    default), taking each method from the table when dataclasses writes one the
    table has."""
    options = options or {"slots": True, "eq": False, "repr": False}
    if _EXEC is None:  # a Python whose dataclasses compile otherwise
        return dataclasses.dataclass(**options)(cls)
    setattr(dataclasses, "_create_fn", _create_fn)  # noqa: B010  (a private name)
    try:
        return dataclasses.dataclass(**options)(cls)
    finally:
        setattr(dataclasses, "_create_fn", _EXEC)  # noqa: B010


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


def _reader(names: tuple[str, ...]) -> Callable[[object], object]:
    """The fields `names` of an object, as one value to compare or hash."""
    if not names:
        return lambda _: ()
    return attrgetter(*names)


@_by_dataclasses
class _Options:
    """A dataclass made with the options of every record, for their
    `__dataclass_params__`."""
