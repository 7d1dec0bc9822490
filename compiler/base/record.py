"""`record`: how rpt declares its data types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True)
def record(cls: type[T]) -> type[T]:
    """A dataclass whose fields are compared, hashed and shown, with slots, and
    frozen for mypy, which rejects every assignment to a field (CI runs it
    strict). It is not frozen at run time as well: dataclasses' run-time
    freezing doubles the time to define a class and slows every construction,
    and rpt defines some 140 of these at each start and builds thousands of
    nodes for each report."""
    return dataclass(unsafe_hash=True, slots=True)(cls)
