"""How `rpt diff` prints what changed: text for a reviewer, JSON for tools."""

from __future__ import annotations

from typing import Any

from ..base.diagnostics import Severity
from ..base.diagnostics import to_json as diagnostic_json
from .diff import Cause, Changes, CheckChange, FigureChange, TextChange
from .revisions import Version


def render_text(changes: Changes | None, old: Version, new: Version) -> str:
    lines = [f"rpt diff: {old.label} → {new.label}"]
    for version in (old, new):
        errors = _errors(version)
        if errors:
            lines.append(f"  {version.label} has {errors} error{'s' if errors != 1 else ''}")
    if changes is None:
        lines.append("the versions cannot be compared: one does not compile (see its diagnostics)")
        return "\n".join(lines) + "\n"
    if changes.empty():
        lines.append("no change in what the report says")
        return "\n".join(lines) + "\n"
    for cause in changes.causes:
        lines.append("")
        lines.extend(_cause(cause))
    if changes.other_figures or changes.other_checks:
        lines.append("")
        lines.append("changed with no figure edited (front matter, settings):")
        lines.extend(_figures(changes.other_figures))
        lines.extend(_checks(changes.other_checks))
    if changes.other_text:
        lines.append("")
        lines.append(f"text edited ({len(changes.other_text)}):")
        lines.extend(_texts(changes.other_text))
    if not changes.text_compared:
        lines.append("")
        lines.append("printed text not compared: a version has figures without a value")
    return "\n".join(lines) + "\n"


def _errors(version: Version) -> int:
    return sum(d.severity is Severity.ERROR for d in version.compilation.diagnostics)


def _cause(cause: Cause) -> list[str]:
    if cause.old_definition is None:
        head = f"{cause.name} added: {cause.new_definition}"
    elif cause.new_definition is None:
        head = f"{cause.name} removed (it was {cause.old_definition})"
    else:
        head = f"{cause.name} changed: {cause.old_definition} → {cause.new_definition}"
    lines = [f"{head}  {cause.location}"]
    if cause.figures:
        lines.append(f"  figures that moved ({len(cause.figures)}):")
        lines.extend(_figures(cause.figures))
    if cause.checks:
        lines.append(f"  checks whose outcome changed ({len(cause.checks)}):")
        lines.extend(_checks(cause.checks))
    if cause.text:
        lines.append(f"  printed text that changed ({len(cause.text)}):")
        lines.extend(_texts(cause.text))
    return lines


def _figures(figures: tuple[FigureChange, ...] | list[FigureChange]) -> list[str]:
    return [
        f"    {f.name}: {f.old} → {f.new}" + (f" ({f.difference})" if f.difference else "")
        for f in figures
    ]


def _checks(checks: tuple[CheckChange, ...] | list[CheckChange]) -> list[str]:
    lines = []
    for check in checks:
        where = f" ({check.where})" if check.where else ""
        old = check.old.value if check.old else "absent"
        new = check.new.value if check.new else "absent"
        at = f"  {check.location}" if check.location else ""
        lines.append(f"    {check.source}{where}: {old} → {new}{at}")
    return lines


def _texts(texts: tuple[TextChange, ...] | list[TextChange]) -> list[str]:
    lines = []
    for text in texts:
        lines.append(f"    {text.context}:")
        if text.old is not None:
            lines.append(f"      - {text.old}")
        if text.new is not None:
            lines.append(f"      + {text.new}")
    return lines


def to_json(changes: Changes | None, old: Version, new: Version) -> dict[str, Any]:
    def version(v: Version) -> dict[str, Any]:
        return {
            "version": v.label,
            "compiles": v.compilation.facts is not None,
            "errors": _errors(v),
            "diagnostics": [diagnostic_json(d) for d in v.compilation.diagnostics],
        }

    data: dict[str, Any] = {"old": version(old), "new": version(new)}
    if changes is None:
        data["changed"] = None
        return data
    data["changed"] = not changes.empty()
    data["causes"] = [
        {
            "figure": c.name,
            "old": c.old_definition,
            "new": c.new_definition,
            "location": c.location,
            "figures": [_figure(f) for f in c.figures],
            "checks": [_check(k) for k in c.checks],
            "text": [_text(t) for t in c.text],
        }
        for c in changes.causes
    ]
    data["other"] = {
        "figures": [_figure(f) for f in changes.other_figures],
        "checks": [_check(k) for k in changes.other_checks],
        "text": [_text(t) for t in changes.other_text],
    }
    data["text_compared"] = changes.text_compared
    return data


def _figure(change: FigureChange) -> dict[str, Any]:
    return {
        "figure": change.name,
        "old": change.old,
        "new": change.new,
        "difference": change.difference,
        "location": change.location,
    }


def _check(change: CheckChange) -> dict[str, Any]:
    return {
        "check": change.source,
        "where": change.where,
        "old": change.old.value if change.old else None,
        "new": change.new.value if change.new else None,
        "location": change.location,
    }


def _text(change: TextChange) -> dict[str, Any]:
    return {"context": change.context, "old": change.old, "new": change.new}
