"""`record` and `mutable`: how rpt declares its data types, with `field`,
`fields` and `replace`.

They mean what a frozen dataclass with slots and a plain dataclass mean (the
same `__init__`, equality, hashing, repr and match arguments; tests/
test_record.py compares them with dataclasses over every shape of class), and
mypy reads them as dataclasses (`dataclass_transform`; `field` and `replace`
are dataclasses' own for it, so their arguments are checked as theirs). They
are made here, not by dataclasses, because importing dataclasses (with inspect,
ast, dis and tokenize, used by nothing else) and letting it make rpt's 180
classes took a sixth of the instructions of `rpt check`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from operator import attrgetter
from reprlib import recursive_repr
from typing import TYPE_CHECKING, Any, TypeVar, dataclass_transform, overload

from . import record_inits
from .patterns import regex

T = TypeVar("T")
__all__ = ["MISSING", "Field", "field", "fields", "is_record", "mutable", "record", "replace"]

# Every `__init__` text written for a record or a mutable class in this process,
# found ahead or not: what scripts/make_tables.py writes into record_inits.py.
WRITTEN: list[str] = []
# the first name of an annotation written as text, as dataclasses reads it
_FIRST_NAME = regex(r"^(?:\s*(\w+)\s*\.)?\s*(\w+)")


class _Marker:
    """A parameter's absence, printed as dataclasses prints its own."""

    __slots__ = ("_shown",)

    def __init__(self, shown: str) -> None:
        self._shown = shown

    def __repr__(self) -> str:
        return self._shown


MISSING: Any = _Marker("<dataclasses.MISSING>")
# the default of a parameter left to its factory, as inspect.signature shows it
_FACTORY: Any = _Marker("<factory>")


class Field:
    """One declared field: its name and annotation (text), default or factory,
    and whether `__init__` takes it and equality, hashing and repr read it."""

    __slots__ = ("compare", "default", "default_factory", "hash", "init", "name", "repr", "type")

    def __init__(
        self,
        default: Any,
        default_factory: Any,
        *,
        init: bool,
        repr: bool,
        hash: bool | None,
        compare: bool,
    ) -> None:
        self.name, self.type = "", ""
        self.default, self.default_factory = default, default_factory
        self.init, self.repr, self.hash, self.compare = init, repr, hash, compare

    def __repr__(self) -> str:
        return f"Field(name={self.name!r}, default={self.default!r}, init={self.init!r})"


def _field(
    *,
    default: Any = MISSING,
    default_factory: Any = MISSING,
    init: bool = True,
    repr: bool = True,
    hash: bool | None = None,
    compare: bool = True,
) -> Any:
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, init=init, repr=repr, hash=hash, compare=compare)


def _replace(obj: T, /, **changes: Any) -> T:
    cls = obj.__class__
    known: tuple[Field, ...] | None = getattr(cls, "__record_fields__", None)
    if known is None:
        raise TypeError("replace() should be called on record instances")
    for f in known:
        if not f.init:
            if f.name in changes:
                raise ValueError(
                    f"field {f.name} is declared with init=False, it cannot be specified "
                    "with replace()"
                )
        elif f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    made: T = cls(**changes)
    return made


if TYPE_CHECKING:
    # mypy checks a call of these against the class's fields, as dataclasses'
    from dataclasses import field, replace
else:
    field, replace = _field, _replace


def fields(cls_or_record: object) -> tuple[Field, ...]:
    """The fields of a record or mutable class (or of one of its values), in
    order, class variables left out."""
    found: tuple[Field, ...] = getattr(cls_or_record, "__record_fields__")  # noqa: B009
    return found


def is_record(value: object) -> bool:
    """Whether `value` is a record or a mutable value (not a class)."""
    return not isinstance(value, type) and hasattr(type(value), "__record_fields__")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    """A class with slots whose fields are compared, hashed and shown, and
    frozen for mypy, which rejects every assignment to a field (CI runs it
    strict): what `dataclass(frozen=True, slots=True)` makes, without the
    run-time freezing, which doubled the time to define a class and slowed
    every construction. rpt builds thousands of these for each report."""
    if not cls.__doc__:  # dataclasses would write one; rpt's data types say what they hold
        raise TypeError(f"record {cls.__qualname__} has no docstring")
    declared = _fields(cls)
    names = tuple(f.name for f in declared)
    namespace = dict(cls.__dict__)
    for name in (*names, "__dict__", "__weakref__"):
        namespace.pop(name, None)
    namespace["__slots__"] = names
    namespace.update(_methods(cls, declared, eq=True, repr=True))
    hashed = _reader(tuple(f.name for f in declared if f.compare if f.hash is not False))

    def __hash__(self: object) -> int:
        return hash(hashed(self))

    namespace["__hash__"] = __hash__
    made = type(cls.__name__, cls.__bases__, namespace)
    made.__qualname__ = cls.__qualname__
    result: type[T] = made
    return result


@overload
def mutable(cls: type[T], /) -> type[T]: ...
@overload
def mutable(*, eq: bool = True, repr: bool = True) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(field_specifiers=(field,))
def mutable(cls: type[T] | None = None, /, *, eq: bool = True, repr: bool = True) -> Any:
    """What `dataclasses.dataclass` makes, with the same options, for the data
    types whose fields change (the state of a pass): no slots, defaults left as
    class attributes, unhashable when compared."""

    def made(cls: type[T]) -> type[T]:
        declared = _fields(cls)
        methods = _methods(cls, declared, eq=eq, repr=repr)
        if eq:
            methods["__hash__"] = None
        for f in declared:
            if f.default is not MISSING:
                setattr(cls, f.name, f.default)
            elif f.name in cls.__dict__:
                delattr(cls, f.name)
        for name, value in methods.items():
            if name not in cls.__dict__:  # a method the class writes itself stays
                setattr(cls, name, value)
        return cls

    return made if cls is None else made(cls)


def _methods(cls: type, declared: tuple[Field, ...], *, eq: bool, repr: bool) -> dict[str, Any]:
    """`__init__`, `__match_args__`, the fields and, as asked, `__eq__` and
    `__repr__` of `cls`. Equality and repr are the same two functions for
    every class, reading the fields the dataclass would (those with compare
    and repr set)."""
    init = _init(cls, declared)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    methods: dict[str, Any] = {
        "__init__": init,
        "__record_fields__": declared,
        "__match_args__": cls.__dict__.get(
            "__match_args__", tuple(f.name for f in declared if f.init)
        ),
    }
    if eq:
        compared = _reader(tuple(f.name for f in declared if f.compare))

        def __eq__(self: object, other: object) -> bool:
            if other.__class__ is self.__class__:
                return bool(compared(self) == compared(other))
            return NotImplemented

        methods["__eq__"] = __eq__
    if repr:
        shown = tuple(f.name for f in declared if f.repr)

        @recursive_repr()
        def __repr__(self: object) -> str:
            values = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
            return f"{type(self).__qualname__}({values})"

        methods["__repr__"] = __repr__
    return methods


def _fields(cls: type) -> tuple[Field, ...]:
    """The fields of `cls`, class variables left out, in order; a TypeError or
    ValueError for a shape dataclasses would refuse or that rpt does not use
    (inherited fields, a metaclass, keyword-only fields, InitVar)."""
    if type(cls) is not type or any(hasattr(base, "__record_fields__") for base in cls.__bases__):
        raise TypeError(f"{cls.__qualname__}: fields are not inherited, nor metaclasses used")
    if any(name in cls.__dict__ for name in ("__init__", "__slots__")):
        raise TypeError(f"{cls.__qualname__}: __init__ and __slots__ are made here")
    # the class's own annotations, as inspect.get_annotations reads them (not imported)
    annotations: dict[str, object] = cls.__dict__.get("__annotations__", {})  # noqa: RUF063
    declared: list[Field] = []
    for name, annotation in annotations.items():
        if not isinstance(annotation, str):
            raise TypeError(f"{cls.__qualname__}: annotations are read as text (__future__)")
        default = cls.__dict__.get(name, MISSING)
        if _is_classvar(cls, annotation):
            if isinstance(default, Field):
                raise TypeError(f"field {name} cannot have a default factory")
            continue
        found = (
            default
            if isinstance(default, Field)
            else Field(default, MISSING, init=True, repr=True, hash=None, compare=True)
        )
        found.name, found.type = name, annotation
        if found.default.__class__.__hash__ is None:
            raise ValueError(
                f"mutable default {type(found.default)} for field {name} is not allowed: "
                "use default_factory"
            )
        declared.append(found)
    for name, value in cls.__dict__.items():
        if isinstance(value, Field) and name not in annotations:
            raise TypeError(f"{name!r} is a field but has no type annotation")
    seen_default = False
    for f in declared:
        if not f.init:
            continue
        if f.default is not MISSING or f.default_factory is not MISSING:
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
    return tuple(declared)


def _is_classvar(cls: type, annotation: str) -> bool:
    """Whether the annotation declares a class variable, told as dataclasses
    tells it: by its first name, looked up in the class's module."""
    found = _FIRST_NAME.match(annotation)
    if found is None:
        return False
    prefix, name = found.groups()
    module = sys.modules[cls.__module__].__dict__
    if name in ("InitVar", "KW_ONLY"):
        raise TypeError(f"{cls.__qualname__}: {name} is not used by rpt's data types")
    named = module.get(name)
    typing = sys.modules["typing"]
    classvar = named is typing.ClassVar or getattr(named, "__origin__", None) is typing.ClassVar
    return classvar and (not prefix or module.get(prefix) is typing)


def _init(cls: type, declared: tuple[Field, ...]) -> Callable[..., None]:
    """`__init__`, as dataclasses writes it for these fields: the same
    parameters, defaults and assignments, then `__post_init__` if there is one."""
    types = {f"_type_{f.name}": f.type for f in declared}
    defaults: dict[str, object] = {}
    params, body = [], []
    for f in declared:
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
    if "__post_init__" in cls.__dict__:
        body.append("self.__post_init__()")
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
        # compiled as dataclasses compiles it: without this module's __future__
        # import, the annotations are the fields' own, not the names standing for them
        code = compile(text, "<string>", "exec", dont_inherit=True)
        exec(code, sys.modules[cls.__module__].__dict__, namespace)
        factory = namespace["__create_fn__"]
    made: Callable[..., None] = factory(**local_vars)
    return made


def _reader(names: tuple[str, ...]) -> Callable[[object], object]:
    """The fields `names` of an object, as one value to compare or hash."""
    if not names:
        return lambda _: ()
    return attrgetter(*names)
