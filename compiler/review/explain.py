"""`rpt explain`: one figure as a reviewer asks about it — how it prints, its
exact value and unit, its definition, the tree of its inputs down to the
literals, the checks that read it, and every place it is printed."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..base.numbers import exact_text
from ..base.record import record
from ..result import Facts, FigureRecord


@record
class Input:
    """A node of a figure's input tree: the figure, and its own inputs — unless
    it was shown higher in the tree already (`repeated`), where they are."""

    figure: FigureRecord
    inputs: tuple[Input, ...]
    repeated: bool


@record
class Explanation:
    """Everything `explain` says of one figure."""

    figure: FigureRecord
    tree: tuple[Input, ...]


def explain(facts: Facts, name: str) -> Explanation:
    """The explanation of the figure `name`, which must be one of `facts`."""
    shown: set[str] = set()

    def tree(names: tuple[str, ...]) -> tuple[Input, ...]:
        nodes = []
        for input_name in names:
            record = facts.figures.get(input_name)
            if record is None:
                continue  # a figure whose declaration failed: its error is reported
            repeated = input_name in shown
            shown.add(input_name)
            below = () if repeated else tree(record.inputs)
            nodes.append(Input(record, below, repeated))
        return tuple(nodes)

    figure = facts.figures[name]
    shown.add(name)
    return Explanation(figure, tree(figure.inputs))


def value_text(record: FigureRecord) -> str:
    """A figure's exact value with its unit (`217.91 万元`), as the author writes it."""
    value = record.value
    match value:
        case None:
            return "no value (it failed; see the diagnostics)"
        case bool():
            return "true" if value else "false"
        case Fraction():
            return f"{exact_text(value)} {record.unit}".rstrip()
        case str():
            return f'"{value}"'
        case tuple():
            return "、".join(exact_text(item) for item in value) + f" {record.unit}".rstrip()
    raise AssertionError(f"a value of an unknown kind: {value!r}")


def render_text(explanation: Explanation, facts: Facts) -> str:
    figure = explanation.figure
    kind = figure.kind.value if figure.kind else "unknown kind"
    lines = [
        f"{figure.name} = {figure.definition}",
        f"  declared at  {figure.span.location()}",
        f"  value        {value_text(figure)} ({kind})",
    ]
    lines.extend(f"  read from    {cell.describe()}" for cell in figure.cells)
    printed = sorted({p.text for p in figure.printed if p.direct and p.text is not None})
    if printed:
        lines.append("  prints as    " + ", ".join(printed))
    if explanation.tree:
        lines.append("  inputs")
        lines.extend(_tree_lines(explanation.tree, "    "))
    if figure.checks:
        lines.append("  checks")
        for index in figure.checks:
            check = facts.checks[index]
            where = f" ({check.where})" if check.where else ""
            lines.append(
                f"    {check.outcome.value:<11} {check.source}{where}  {check.span.location()}"
            )
    if figure.used_by:
        lines.append("  used by      " + ", ".join(figure.used_by))
    if figure.printed:
        lines.append("  printed at")
        for place in figure.printed:
            text = place.text if place.text is not None else "(not printed: the report has errors)"
            how = "" if place.direct else f"  in <{' '.join(place.span.text()[1:-1].split())}>"
            lines.append(f"    {place.span.location()}  {text}{how}")
    else:
        lines.append("  printed at   nowhere")
    return "\n".join(lines) + "\n"


def _tree_lines(nodes: tuple[Input, ...], indent: str) -> list[str]:
    lines = []
    for node in nodes:
        figure = node.figure
        literal = figure.inputs == ()
        definition = "" if literal or node.repeated else f" = {figure.definition}"
        lines.append(
            f"{indent}{figure.name}{definition}: {value_text(figure)}"
            f"  {figure.span.location()}" + ("  (its inputs above)" if node.repeated else "")
        )
        lines.extend(f"{indent}  read from {cell.describe()}" for cell in figure.cells)
        lines.extend(_tree_lines(node.inputs, indent + "  "))
    return lines


def to_json(explanation: Explanation, facts: Facts) -> dict[str, Any]:
    """The explanation as JSON: exact values as strings, places as file, line, column."""

    def node(entry: Input) -> dict[str, Any]:
        data = _figure_json(entry.figure)
        data["repeated"] = entry.repeated
        data["inputs"] = [node(child) for child in entry.inputs]
        return data

    figure = explanation.figure
    data = _figure_json(figure)
    data["inputs"] = [node(child) for child in explanation.tree]
    data["used_by"] = list(figure.used_by)
    data["checks"] = [
        {
            "check": facts.checks[index].source,
            "where": facts.checks[index].where,
            "outcome": facts.checks[index].outcome.value,
            **_place(facts.checks[index].span.location()),
        }
        for index in figure.checks
    ]
    data["printed"] = [
        {"text": place.text, "direct": place.direct, "reference": place.span.text()}
        | _place(place.span.location())
        for place in figure.printed
    ]
    return data


def _figure_json(figure: FigureRecord) -> dict[str, Any]:
    value = figure.value
    exact: Any
    match value:
        case Fraction():
            exact = exact_text(value)
        case tuple():
            exact = [exact_text(item) for item in value]
        case _:
            exact = value
    return {
        "name": figure.name,
        "definition": figure.definition,
        "value": exact,
        "unit": figure.unit,
        "kind": figure.kind.name.lower() if figure.kind else None,
        "cells": [
            {"file": c.file, "sheet": c.sheet, "cell": c.address, "shown": c.shown}
            for c in figure.cells
        ],
    } | _place(figure.span.location())


def _place(location: str) -> dict[str, Any]:
    file, line, column = location.rsplit(":", 2)
    return {"file": file, "line": int(line), "column": int(column)}
