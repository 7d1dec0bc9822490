"""The catalogue of diagnostic codes. A code, once published, keeps its meaning."""

from __future__ import annotations

from enum import Enum


class Code(Enum):
    """Each member is (code, short name, what raises it); the short name appears in
    JSON output, the description in docs/errors.md."""

    # reading and parsing
    SYNTAX = ("E101", "syntax", "a line, cell or table does not parse")
    UNCLOSED_REFERENCE = ("E102", "unclosed-reference", "`<` opens a reference that never closes")
    BAD_HEADER = ("E103", "bad-header", "an unknown or invalid front matter line")
    UNREADABLE = (
        "E104",
        "unreadable-file",
        "a file cannot be read, is not a regular file (a pipe, a device, a directory), "
        "or is not UTF-8 (GBK is recognised)",
    )
    INCLUDE_NOT_FOUND = ("E105", "include-not-found", "an included file does not exist")
    INCLUDE_CYCLE = ("E106", "include-cycle", "a file includes itself, directly or through others")
    LIMIT_EXCEEDED = (
        "E107",
        "limit-exceeded",
        "an input beyond rpt's bounds: size, line length, nesting, include depth, "
        "number of figures or dependencies, length of a printed figure or of the document",
    )
    OUTSIDE_ROOT = (
        "E109",
        "outside-root",
        "an include that reaches outside the project's directory",
    )
    CONTROL_CHARACTER = (
        "E108",
        "control-character",
        "an invisible control character that no document can hold",
    )
    INVISIBLE_CHARACTER = (
        "E110",
        "invisible-character",
        "a character that displays as something other than what it is: zero-width and "
        "other invisible characters, bidirectional controls, line and paragraph separators",
    )
    # names
    UNDEFINED_NAME = ("E201", "undefined-name", "a name no figure has (with did-you-mean)")
    DUPLICATE_NAME = ("E202", "duplicate-name", "a figure declared twice")
    CYCLE = ("E203", "cycle", "figures defined in terms of themselves (the loop is shown)")
    UNKNOWN_UNIT = ("E204", "unknown-unit", "a unit not defined")
    DUPLICATE_UNIT = ("E205", "duplicate-unit", "a unit defined twice")
    UNKNOWN_FUNCTION = ("E206", "unknown-function", "a function that does not exist")
    EMPTY_GROUP = ("E207", "empty-group", "a group or pattern that matches no figure")
    CONFUSABLE_NAME = (
        "E208",
        "confusable-name",
        "two different names that look alike (Cyrillic а and Latin a, 0 and O …)",
    )
    BAD_UNIT = (
        "E209",
        "bad-unit",
        "a unit declared as zero times another (or with more digits than rpt computes with)",
    )
    # types and units
    INCOMPATIBLE_UNITS = (
        "E301",
        "incompatible-units",
        "adding, comparing or converting across dimensions",
    )
    PERCENT_OF_DIMENSIONAL = (
        "E302",
        "percent-of-dimensional",
        "a value with a unit printed as a percent",
    )
    UNKNOWN_FORMAT = ("E303", "unknown-format", "a format word rpt does not know")
    TYPE_MISMATCH = (
        "E304",
        "type-mismatch",
        "a text where a number is needed, a number where a condition is",
    )
    WRONG_ARGUMENTS = ("E305", "wrong-arguments", "a function called with the wrong arguments")
    UNFORMATTED_RATIO = (
        "E306",
        "unformatted-ratio",
        "a ratio of two quantities printed without saying how (`:%` or `:num`)",
    )
    POINTS_AS_PERCENT = (
        "E307",
        "points-as-percent",
        "a difference of two rates printed as a percent instead of in 百分点",
    )
    # evaluation
    DIVISION_BY_ZERO = ("E401", "division-by-zero", "a division by a figure that is zero")
    ARITHMETIC = ("E402", "arithmetic", "a number too large, or an operation with no exact result")
    MIXED_CHANGES = (
        "E403",
        "mixed-changes",
        "figures under one change word (<a、b:增减>) that change in different directions",
    )
    # checks
    CHECK_FAILED = ("E501", "check-failed", "a check that does not hold (both sides' values shown)")
    INAPPLICABLE_CHECK = (
        "E502",
        "inapplicable-check",
        "a table check that cannot be decided where it applies (a row with text, "
        "a row without a number, a column it names that has none)",
    )
    # data files
    BAD_DATA = (
        "E601",
        "bad-data",
        "a data file that cannot be read as a workbook or CSV: not one, encrypted, damaged, "
        "or too large once unpacked",
    )
    UNKNOWN_SHEET = ("E602", "unknown-sheet", "a sheet the workbook does not have")
    CELL_NOT_FOUND = (
        "E603",
        "cell-not-found",
        "a row label, column header or cell address the data has no cell for",
    )
    AMBIGUOUS_CELL = (
        "E604",
        "ambiguous-cell",
        "a row label or column header that names more than one cell",
    )
    NOT_A_NUMBER = (
        "E605",
        "not-a-number",
        "a data cell read as a figure that holds text, is empty, or is a formula "
        "saved without its value",
    )
    UNKNOWN_DATA = ("E606", "unknown-data", "`名[…]` where no data source has that name")
    # final builds
    PLACEHOLDER = (
        "E701",
        "placeholder",
        "a figure not available yet (`?`) in a final build; a draft build prints it marked",
    )
    # forms
    UNKNOWN_FORM = (
        "E801",
        "unknown-form",
        "`like` names a form that neither rpt nor the report has, or forms that extend "
        "each other in a loop",
    )
    FORM_MISMATCH = (
        "E802",
        "form-mismatch",
        "a change to a form that does not fit it: a row, column, header row or `after` the "
        "form lacks, a `columns` line that leaves out, reorders or reformats the form's "
        "columns, a `~` with nothing to keep, a form declared twice",
    )
    UNKNOWN_SUBJECT = (
        "E803",
        "unknown-subject",
        "`code` names a 科目 not in rpt's lists, or stands in a table without 类/款/项 or "
        "经济分类 columns",
    )
    # warnings
    UNCONFIRMED_CHECK = (
        "W501",
        "unconfirmed-check",
        "a check that fails for the printed figures, though values that round to them "
        "could satisfy it",
    )
    SHARES_NOT_100 = (
        "W502",
        "shares-not-100",
        "the printed shares of a group (share()) do not add up to 100%",
    )
    HIDDEN_DIGITS = (
        "W601",
        "hidden-digits",
        "a data cell that stores more digits than its number format shows: the figure "
        "is the stored value, which a reader of the sheet does not see",
    )
    FULL_WIDTH_REFERENCE = (
        "W101",
        "full-width-reference",
        "`＜名字＞` in prose around a figure's name",
    )

    @property
    def code(self) -> str:
        return self.value[0]

    @property
    def slug(self) -> str:
        return self.value[1]

    @property
    def summary(self) -> str:
        return self.value[2]
