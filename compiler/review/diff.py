"""`rpt diff`: what a change of the sources did to the report's meaning.

Two compilations are compared figure by figure, check by check, and printed
sentence by printed sentence (table cell by table cell). Each change is put
under the input changes that caused it: the figures whose definitions were
edited, added or removed, found by walking each moved figure's inputs. Printed
text that changed with no figure moving is an edit of the prose.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from fractions import Fraction
from typing import assert_never

from ..base.numbers import exact_text
from ..base.record import field, mutable, record
from ..document import model as doc
from ..evaluation.evaluate import Outcome
from ..result import CheckRecord, Facts, FigureRecord
from .explain import value_text

# a sentence ends after these (a Chinese text has no spaces to split at)
SENTENCE_END = re.compile(r"(?<=[。；！？])|(?<=[.;!?])\s+")


@record
class FigureChange:
    """A figure whose value (or unit) differs: as printed, or its exact value
    where it is not printed; `difference` for two numbers in one unit."""

    name: str
    old: str
    new: str
    difference: str | None
    location: str


@record
class CheckChange:
    """A check whose outcome differs (None: the check is not in that version);
    `source` is its message when it has one, else what it checks."""

    source: str
    where: str
    old: Outcome | None
    new: Outcome | None
    location: str


@record
class TextChange:
    """A printed sentence, list item, heading or table cell whose text differs
    (None: not in that version); `context` says where it stands."""

    context: str
    old: str | None
    new: str | None


@mutable
class Cause:
    """An input change — a figure defined anew, added or removed — with what it moved."""

    name: str
    old_definition: str | None
    new_definition: str | None
    location: str
    figures: list[FigureChange] = field(default_factory=list)
    checks: list[CheckChange] = field(default_factory=list)
    text: list[TextChange] = field(default_factory=list)


@record
class Changes:
    """Everything that differs in meaning between two versions. `causes` in
    source order of the new version; what no input change explains is under
    `other_*` (prose edits, settings); `text_compared` is False when a version
    could not print (its figures failed), so its text was not compared."""

    causes: tuple[Cause, ...]
    other_figures: tuple[FigureChange, ...]
    other_checks: tuple[CheckChange, ...]
    other_text: tuple[TextChange, ...]
    text_compared: bool

    def empty(self) -> bool:
        return (
            not (self.causes or self.other_figures or self.other_checks or self.other_text)
            and self.text_compared
        )


def compare(
    old: Facts, new: Facts, old_document: doc.Document | None, new_document: doc.Document | None
) -> Changes:
    causes = _causes(old, new)
    moved = {
        name: _figure_change(old.figures.get(name), new.figures.get(name))
        for name in {*old.figures, *new.figures}
        if _moved(old.figures.get(name), new.figures.get(name))
    }
    blame = _Blame(old, new, causes)
    other_figures: list[FigureChange] = []
    for name in [*new.figures, *(n for n in old.figures if n not in new.figures)]:
        if name in moved:
            found = blame.of_figures((name,))
            for cause in found:
                causes[cause].figures.append(moved[name])
            if not found:
                other_figures.append(moved[name])
    other_checks: list[CheckChange] = []
    for change, figures in _check_changes(old, new):
        found = blame.of_figures(figures)
        for cause in found:
            causes[cause].checks.append(change)
        if not found:
            other_checks.append(change)
    other_text: list[TextChange] = []
    compared = old_document is not None and new_document is not None
    if old_document is not None and new_document is not None:
        for edit, refs_old, refs_new in _text_changes(old_document, new_document):
            names = blame.printed(refs_old, refs_new, moved)
            found = blame.of_figures(names)
            for cause in found:
                causes[cause].text.append(edit)
            if not found:
                other_text.append(edit)
    kept = tuple(c for c in causes.values() if c.figures or c.checks or c.text or _edited(c))
    return Changes(kept, tuple(other_figures), tuple(other_checks), tuple(other_text), compared)


def _edited(cause: Cause) -> bool:
    """An input added or removed is a change of meaning even when nothing reads it."""
    return cause.old_definition is None or cause.new_definition is None


def _causes(old: Facts, new: Facts) -> dict[str, Cause]:
    """The figures whose definition differs, or that one version lacks."""
    causes: dict[str, Cause] = {}
    for name in [*new.figures, *(n for n in old.figures if n not in new.figures)]:
        before, after = old.figures.get(name), new.figures.get(name)
        if before is not None and after is not None and before.definition == after.definition:
            continue
        record = after or before
        assert record is not None
        causes[name] = Cause(
            name,
            before.definition if before else None,
            after.definition if after else None,
            record.span.location(),
        )
    return causes


def _moved(before: FigureRecord | None, after: FigureRecord | None) -> bool:
    if before is None or after is None:
        return False  # added or removed: a cause of its own
    return (before.value, before.unit) != (after.value, after.unit)


def _figure_change(before: FigureRecord | None, after: FigureRecord | None) -> FigureChange:
    assert before is not None and after is not None
    difference = None
    if (
        isinstance(before.value, Fraction)
        and isinstance(after.value, Fraction)
        and before.unit == after.unit
    ):
        delta = after.value - before.value
        sign = "+" if delta > 0 else ""
        difference = f"{sign}{exact_text(delta)} {after.unit}".rstrip()
    return FigureChange(
        after.name, _shown(before), _shown(after), difference, after.span.location()
    )


def _shown(record: FigureRecord) -> str:
    """A figure as the reader sees it where it is printed by itself, else exactly."""
    for place in record.printed:
        if place.direct and place.text is not None:
            return place.text
    return value_text(record)


class _Blame:
    """Which input changes a moved figure, a check or a printed place goes back to."""

    def __init__(self, old: Facts, new: Facts, causes: dict[str, Cause]) -> None:
        self.old, self.new, self.causes = old, new, causes
        self.memo: dict[str, frozenset[str]] = {}
        self.names_old = _printed_names(old)
        self.names_new = _printed_names(new)

    def of_figures(self, names: tuple[str, ...] | frozenset[str] | set[str]) -> list[str]:
        found: set[str] = set()
        for name in names:
            found |= self._roots(name)
        return [cause for cause in self.causes if cause in found]

    def _roots(self, name: str) -> frozenset[str]:
        known = self.memo.get(name)
        if known is not None:
            return known
        self.memo[name] = frozenset()  # a cycle (reported as an error) ends here
        roots = {name} if name in self.causes else set()
        for facts in (self.new, self.old):
            record = facts.figures.get(name)
            if record is not None:
                for input_name in record.inputs:
                    roots |= self._roots(input_name)
        self.memo[name] = frozenset(roots)
        return self.memo[name]

    def printed(
        self, refs_old: set[int], refs_new: set[int], moved: dict[str, FigureChange]
    ) -> set[str]:
        """The figures printed by these references that moved or are causes."""
        names = set()
        for refs, table in ((refs_old, self.names_old), (refs_new, self.names_new)):
            for ref in refs:
                names |= {n for n in table.get(ref, ()) if n in moved or n in self.causes}
        return names


def _printed_names(facts: Facts) -> dict[int, set[str]]:
    """For each prose reference, the figures it reads."""
    names: dict[int, set[str]] = {}
    for figure in facts.figures.values():
        for place in figure.printed:
            names.setdefault(place.ref, set()).add(figure.name)
    return names


def _check_changes(old: Facts, new: Facts) -> list[tuple[CheckChange, tuple[str, ...]]]:
    """Checks paired by what they say (a table check's copy also by its row);
    those whose outcome differs, each with the figures it reads."""

    def key(check: CheckRecord) -> tuple[str, str]:
        return (" ".join(check.source.split()), check.where)

    remaining = Counter(key(c) for c in old.checks)
    old_by_key: dict[tuple[str, str], list[CheckRecord]] = {}
    for check in old.checks:
        old_by_key.setdefault(key(check), []).append(check)
    changes = []
    for check in new.checks:
        k = key(check)
        before = old_by_key.get(k)
        if before and remaining[k] > 0:
            previous = before[len(before) - remaining[k]]
            remaining[k] -= 1
            if previous.outcome is not check.outcome:
                change = CheckChange(
                    _said(check), check.where, previous.outcome, check.outcome, _at(check)
                )
                changes.append((change, check.figures))
        else:
            change = CheckChange(_said(check), check.where, None, check.outcome, _at(check))
            changes.append((change, check.figures))
    for k, count in remaining.items():
        for previous in old_by_key[k][len(old_by_key[k]) - count :]:
            change = CheckChange(_said(previous), previous.where, previous.outcome, None, "")
            changes.append((change, previous.figures))
    return changes


def _said(check: CheckRecord) -> str:
    return check.message or check.source


def _at(check: CheckRecord) -> str:
    return check.span.location()


# ---------------------------------------------------------------- printed text


@record
class _Unit:
    """A printed sentence, list item, heading or table cell, with the references in it."""

    context: str
    text: str
    refs: frozenset[int]


def _text_changes(
    old: doc.Document, new: doc.Document
) -> list[tuple[TextChange, set[int], set[int]]]:
    before, after = _units(old), _units(new)
    matcher = difflib.SequenceMatcher(
        None, [u.text for u in before], [u.text for u in after], autojunk=False
    )
    changes = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = before[i1:i2], after[j1:j2]
        for index in range(max(len(olds), len(news))):
            a = olds[index] if index < len(olds) else None
            b = news[index] if index < len(news) else None
            shown = b if b is not None else a
            assert shown is not None
            change = TextChange(shown.context, a.text if a else None, b.text if b else None)
            changes.append((change, set(a.refs) if a else set(), set(b.refs) if b else set()))
    return changes


def _units(document: doc.Document) -> list[_Unit]:
    units: list[_Unit] = []
    heading = "the beginning"
    tables = 0
    for block in document.blocks:
        match block:
            case doc.Heading(number=number, inlines=inlines):
                text, refs = _flat(inlines)
                heading = doc.number_prefix(number, document.meta.locale) + text
                units.append(_Unit("heading", heading, frozenset(refs)))
            case doc.Paragraph(inlines=inlines):
                units.extend(_sentences(inlines, f"under {heading}"))
            case doc.Note(inlines=inlines):
                units.extend(_sentences(inlines, f"a note to reviewers under {heading}"))
            case doc.ListBlock(items=items):
                for item in items:
                    text, refs = _flat(item)
                    units.append(_Unit(f"a list item under {heading}", text, frozenset(refs)))
            case doc.Table():
                tables += 1
                units.extend(_cells(block, tables))
            case doc.SignOff(fields=fields):
                for field in fields:
                    text, refs = _flat(field)
                    units.append(_Unit("sign-off line", text, frozenset(refs)))
            case _:
                assert_never(block)
    return units


def _flat(inlines: tuple[doc.Inline, ...]) -> tuple[str, list[int]]:
    text = doc.plain_text(inlines)
    return text, [figure.ref for figure in doc.figures_in(inlines)]


def _sentences(inlines: tuple[doc.Inline, ...], context: str) -> list[_Unit]:
    """A paragraph cut into sentences, each with the references printed in it."""
    pieces: list[tuple[str, int | None]] = []

    def walk(runs: tuple[doc.Inline, ...]) -> None:
        for inline in runs:
            match inline:
                case doc.Text(text=text):
                    pieces.append((text, None))
                case doc.Figure(text=text, ref=ref):
                    pieces.append((text, ref))
                case doc.Placeholder(text=text):
                    pieces.append((text, None))
                case doc.Strong(children=children) | doc.Emph(children=children):
                    walk(children)
                case doc.Inserted(children=children):
                    walk(children)
                case doc.Deleted():
                    pass  # documents compared are never redlines; as they read now
                case _:
                    assert_never(inline)

    walk(inlines)
    units: list[_Unit] = []
    text, refs = "", set()
    for piece, ref in pieces:
        if ref is not None:
            text += piece
            refs.add(ref)
            continue
        parts = SENTENCE_END.split(piece)
        for index, part in enumerate(parts):
            text += part
            if index < len(parts) - 1 and text.strip():
                units.append(_Unit(context, text.strip(), frozenset(refs)))
                text, refs = "", set()
    if text.strip():
        units.append(_Unit(context, text.strip(), frozenset(refs)))
    return units


def _cells(table: doc.Table, number: int) -> list[_Unit]:
    """A table's caption, unit note and cells, each cell named by its row's first
    cell and its column's header (`收支表 · 合计 · 决算数`)."""
    caption = doc.plain_text(table.caption) or f"table {number}"
    units = [_Unit(f"the caption of table {number}", caption, frozenset())]
    if table.unit_note:
        units.append(_Unit(f"the unit note of {caption}", table.unit_note, frozenset()))
    headers: dict[int, str] = {}
    grid, covering = _grid(table)
    for (row, column), cell in covering.items():
        text = doc.plain_text(cell.inlines)
        if table.rows[row].header and text and column not in headers:
            headers[column] = text
    for (row, column), cell in grid.items():
        if table.rows[row].header:
            context = f"{caption}, header"
        else:
            first = covering.get((row, 0))
            row_name = (doc.plain_text(first.inlines) if first else "") or f"row {row + 1}"
            column_name = headers.get(column) or f"column {column + 1}"
            context = f"{caption} · {row_name} · {column_name}"
        text, refs = _flat(cell.inlines)
        units.append(_Unit(context, text, frozenset(refs)))
    return units


def _grid(
    table: doc.Table,
) -> tuple[dict[tuple[int, int], doc.Cell], dict[tuple[int, int], doc.Cell]]:
    """Each cell at the grid row and column where it starts; and for every grid
    position, the cell that covers it (a merged cell covers several)."""
    covering: dict[tuple[int, int], doc.Cell] = {}
    placed: dict[tuple[int, int], doc.Cell] = {}
    for r, row in enumerate(table.rows):
        column = 0
        for cell in row.cells:
            while (r, column) in covering:
                column += 1
            placed[(r, column)] = cell
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    covering[(r + dr, column + dc)] = cell
            column += cell.colspan
    return placed, covering
