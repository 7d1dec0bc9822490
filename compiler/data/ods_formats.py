"""The number formats of an .ods sheet's cells, written as the codes of
number_format.py (`#,##0.00`, `0.0%`, `#,##0;(#,##0)`), so that an OpenDocument
workbook's cells are compared with what they show as an Excel workbook's are.

An .ods number style is a sequence of parts: literal text, one number (its
decimals, grouping, a display factor such as 1000 for 千), a `%` in a
percentage style, and conditions that hand some values to another style
(`value()>=0`: non-negative numbers print otherwise than negative ones). A
style with any other part (dates, times, currencies, fractions, scientific
notation, conditions of another kind) gets no code, and its cells are not
compared: nothing is claimed of what rpt does not read.
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

from lxml import etree

from .workbook import column_letters

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
}
NUMBER_STYLES = ("number-style", "percentage-style")
NUMBER_CELLS = ("float", "percentage")
# Repeated rows and columns are how a sheet says "and so on to the edge"; past
# these, nothing is a cell rpt reads (calamine's bounds are far inside), and a
# number repeated over more cells than this is no table's figure.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_REPEATED = 10_000


def ods_formats(content: bytes, sheet: str) -> dict[str, str]:
    """Each number cell's format code (address → code) of the sheet named `sheet`."""
    package = zipfile.ZipFile(io.BytesIO(content))
    document = etree.fromstring(package.read("content.xml"))
    styles = [document]
    if "styles.xml" in package.namelist():
        styles.append(etree.fromstring(package.read("styles.xml")))
    codes = _codes(styles)
    cell_codes = {
        _attribute(style, "style", "name"): codes.get(_attribute(style, "style", "data-style-name"))
        for part in styles
        for style in part.iter(_name("style", "style"))
    }
    for table in document.iter(_name("table", "table")):
        if _attribute(table, "table", "name") == sheet:
            return _cells(table, cell_codes)
    return {}


def _cells(table: etree._Element, cell_codes: dict[str | None, str | None]) -> dict[str, str]:
    defaults: list[str | None] = []  # each column's default cell style
    for column in table.iter(_name("table", "table-column")):
        repeat = int(_attribute(column, "table", "number-columns-repeated") or 1)
        style = _attribute(column, "table", "default-cell-style-name")
        defaults.extend([style] * min(repeat, MAX_COLUMNS - len(defaults)))
    formats: dict[str, str] = {}
    row_number = 0
    for row in table.iter(_name("table", "table-row")):
        rows = int(_attribute(row, "table", "number-rows-repeated") or 1)
        column_number = 0
        for cell in row:
            if cell.tag not in (_name("table", "table-cell"), _name("table", "covered-table-cell")):
                continue
            columns = int(_attribute(cell, "table", "number-columns-repeated") or 1)
            kind = _attribute(cell, "office", "value-type")
            if kind in NUMBER_CELLS:
                default = defaults[column_number] if column_number < len(defaults) else None
                code = cell_codes.get(_attribute(cell, "table", "style-name") or default)
                if code is not None and rows * columns <= MAX_REPEATED:
                    for r in range(row_number, min(row_number + rows, MAX_ROWS)):
                        for c in range(column_number, min(column_number + columns, MAX_COLUMNS)):
                            formats[f"{column_letters(c)}{r + 1}"] = code
            column_number += columns
        row_number += rows
        if row_number >= MAX_ROWS:
            break
    return formats


def _codes(parts: list[etree._Element]) -> dict[str | None, str | None]:
    """Each number style's code, or None when it has a part the codes do not say."""
    found = {
        _attribute(style, "style", "name"): style
        for part in parts
        for kind in NUMBER_STYLES
        for style in part.iter(_name("number", kind))
    }
    codes: dict[str | None, str | None] = {}
    for name, style in found.items():
        own = _code(style)
        maps = list(style.iter(_name("style", "map")))
        if not maps:
            codes[name] = own
            continue
        # `value()>=0` → the other style for non-negative values, this one for negative
        if len(maps) > 1 or _attribute(maps[0], "style", "condition") != "value()>=0":
            codes[name] = None
            continue
        positive = found.get(_attribute(maps[0], "style", "apply-style-name"))
        code = _code(positive) if positive is not None else None
        codes[name] = None if own is None or code is None else f"{code};{own}"
    return codes


def _code(style: etree._Element) -> str | None:
    percentage = style.tag == _name("number", "percentage-style")
    code = ""
    for part in style:
        if part.tag == _name("number", "text"):
            text = part.text or ""
            if percentage and text == "%":
                code += "%"
            elif text:
                code += '"' + text.replace('"', "") + '"'
        elif part.tag == _name("number", "number"):
            code += _number(part)
        elif part.tag == _name("style", "map"):
            continue
        else:
            return None
    return code or None


def _number(part: etree._Element) -> str:
    decimals = int(_attribute(part, "number", "decimal-places") or 0)
    least = int(_attribute(part, "number", "min-decimal-places") or decimals)
    whole = "0" * max(1, int(_attribute(part, "number", "min-integer-digits") or 1))
    if _attribute(part, "number", "grouping") == "true":
        whole = "#,##" + whole if len(whole) < 4 else whole
    fraction = "." + "0" * least + "#" * (decimals - least) if decimals else ""
    factor = int(Decimal(_attribute(part, "number", "display-factor") or 1))
    thousands = ""
    while factor >= 1000 and factor % 1000 == 0:
        thousands, factor = thousands + ",", factor // 1000
    return whole + fraction + thousands


def _name(prefix: str, local: str) -> str:
    return f"{{{NS[prefix]}}}{local}"


def _attribute(element: etree._Element, prefix: str, local: str) -> str | None:
    value = element.get(_name(prefix, local))
    return None if value is None else str(value)
