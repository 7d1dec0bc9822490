"""A sheet's cells found by pattern (workbook._scan_cells, for plainly written
XML) are the cells the XML parser finds: the same unsaved formulas and number
formats, on every workbook of the repository and on generated sheets."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rpt.data import workbook

ROOT = Path(__file__).resolve().parent.parent
WORKBOOKS = sorted(
    p
    for p in ROOT.rglob("*.xlsx")
    if not {".venv", "build"} & set(p.relative_to(ROOT).parts) and zipfile.is_zipfile(p)
)  # fake.xlsx, of the E601 corpus, is no package
STYLES = {"0": "General", "1": "0.00%", "2": "#,##0.00"}
NAMESPACE = workbook.NS["m"]


def _parsed(xml: bytes, styles: dict[str, str]) -> tuple[set[str], dict[str, str]]:
    unsaved: set[str] = set()
    formats: dict[str, str] = {}
    parser: ElementTree.XMLPullParser[ElementTree.Element] = ElementTree.XMLPullParser(("end",))
    parser.feed(xml)
    parser.close()
    workbook._read_cells(parser.read_events(), styles, unsaved, formats)
    return unsaved, formats


def _scanned(xml: bytes, styles: dict[str, str]) -> tuple[set[str], dict[str, str]] | None:
    text = workbook._scannable(xml)
    if text is None:
        return None
    unsaved: set[str] = set()
    formats: dict[str, str] = {}
    workbook._scan_cells(text, styles, unsaved, formats)
    return unsaved, formats


def test_the_repositorys_workbooks_are_scanned_as_parsed() -> None:
    assert WORKBOOKS
    scanned = 0
    for path in WORKBOOKS:
        package, parts, styles = workbook._xlsx_layout(path.read_bytes())
        for target in parts.values():
            part = target if target.startswith("xl/") else f"xl/{target}"
            xml = package.read(part)
            found = _scanned(xml, styles)
            if found is not None:
                scanned += 1
                assert found == _parsed(xml, styles), (path, part)
    assert scanned  # the pattern path is the one the example takes


def _attribute(name: str, value: str, quote: str, space: str) -> str:
    return f" {name}{space}={space}{quote}{value}{quote}"


cells = st.builds(
    lambda address, style, kind, order, quote, space, value, formula, closed: (
        "<c"
        + "".join(
            _attribute(name, text, quote, space)
            for name, text in sorted(
                [("r", address), ("s", style), ("t", kind)], key=lambda a: order.index(a[0])
            )
            if text is not None
        )
        + (
            "/>"
            if closed
            else ">"
            + (
                "<f>SUM(A1:A2)</f>"
                if formula == "f"
                else '<f t="shared" si="0"/>'
                if formula
                else ""
            )
            + {
                "none": "",
                "empty": "<v/>",
                "pair": "<v></v>",
                "number": "<v>12.5</v>",
                "inline": "<is><t>&#25910;&amp;</t></is>",
            }[value]
            + "</c>"
        )
    ),
    st.sampled_from(["A1", "B2", "AA10", None]),
    st.sampled_from(["0", "1", "2", "9", None]),
    st.sampled_from(["n", "s", "str", "e", "b", "inlineStr", None]),
    st.permutations(["r", "s", "t"]),
    st.sampled_from(['"', "'"]),
    st.sampled_from(["", " "]),
    st.sampled_from(["none", "empty", "pair", "number", "inline"]),
    st.sampled_from(["", "f", "shared"]),
    st.booleans(),
)


@given(st.lists(cells, max_size=8), st.booleans())
def test_generated_sheets_are_scanned_as_parsed(row: list[str], prefixed: bool) -> None:
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NAMESPACE}"'
        + (
            ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
            if prefixed
            else ""
        )
        + '><sheetData><row r="1">'
        + "".join(row)
        + "</row></sheetData></worksheet>"
    ).encode()
    found = _scanned(xml, STYLES)
    assert found is not None
    assert found == _parsed(xml, STYLES)


@pytest.mark.parametrize(
    "twist",
    [
        '<!-- <c r="Z9"><f>1</f></c> -->',
        '<![CDATA[<c r="Z9"><f>1</f></c>]]>',
        '<c r="&#65;1"><f>1</f></c>',
        '<c r="A1" s="&#49;"><v>1</v></c>',
    ],
)
def test_a_sheet_that_could_hide_or_spell_a_cell_otherwise_is_parsed(twist: str) -> None:
    xml = f'<worksheet xmlns="{NAMESPACE}"><sheetData><row>{twist}</row></sheetData></worksheet>'
    assert _scanned(xml.encode(), STYLES) is None
