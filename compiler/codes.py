"""The catalogue of diagnostic codes. A code, once published, keeps its meaning."""

from __future__ import annotations

from enum import Enum


class Code(Enum):
    """Each member is (code, short name); the short name appears in JSON output."""

    # reading and parsing
    SYNTAX = ("E101", "syntax")
    UNCLOSED_REFERENCE = ("E102", "unclosed-reference")
    BAD_HEADER = ("E103", "bad-header")
    UNREADABLE = ("E104", "unreadable-file")
    INCLUDE_NOT_FOUND = ("E105", "include-not-found")
    INCLUDE_CYCLE = ("E106", "include-cycle")
    # names
    UNDEFINED_NAME = ("E201", "undefined-name")
    DUPLICATE_NAME = ("E202", "duplicate-name")
    CYCLE = ("E203", "cycle")
    UNKNOWN_UNIT = ("E204", "unknown-unit")
    DUPLICATE_UNIT = ("E205", "duplicate-unit")
    UNKNOWN_FUNCTION = ("E206", "unknown-function")
    EMPTY_GROUP = ("E207", "empty-group")
    # types and units
    INCOMPATIBLE_UNITS = ("E301", "incompatible-units")
    PERCENT_OF_DIMENSIONAL = ("E302", "percent-of-dimensional")
    UNKNOWN_FORMAT = ("E303", "unknown-format")
    TYPE_MISMATCH = ("E304", "type-mismatch")
    WRONG_ARGUMENTS = ("E305", "wrong-arguments")
    # evaluation
    DIVISION_BY_ZERO = ("E401", "division-by-zero")
    ARITHMETIC = ("E402", "arithmetic")
    # checks
    CHECK_FAILED = ("E501", "check-failed")
    # warnings
    FULL_WIDTH_REFERENCE = ("W101", "full-width-reference")

    @property
    def code(self) -> str:
        return self.value[0]

    @property
    def slug(self) -> str:
        return self.value[1]
