"""Read one table of a data file: a sheet of a workbook (.xlsx, .xls, .ods) or
a CSV file, as a grid of cells whose numbers are exact.

Workbooks are read by python-calamine (one well-kept reader for all three
formats, the old `.xls` the reporting system still exports included). A
workbook stores a number as a binary double, so 0.1 + 0.2 is saved as
0.30000000000000004; Excel shows and compares numbers at 15 significant
digits, and so does rpt: a cell's number is its double rounded to 15
significant digits, as a Decimal (0.3). A number saved as text ("216.53",
"1,234.50", as some exports write amounts) is read as the number it shows;
`—`, `-`, `/`, `无` and a blank are empty. A CSV file is UTF-8 (with or without
BOM) or, failing that, GB18030, as Chinese Windows tools save it. The number
formats of the cells (what they show, number_format.py) are read from the
.xlsx package's XML (by the standard library's parser: loading lxml, which the
DOCX writer needs, cost a twentieth of a check), for .xls by xlrd,
and for .ods from its number styles (ods_formats.py); calamine gives none.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from decimal import ROUND_HALF_EVEN, Context, Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from ..base.codes import Code
from ..base.patterns import regex
from ..base.record import field, record
from .number_format import BUILT_IN

if TYPE_CHECKING:
    import python_calamine

# Excel's precision: what it shows and compares a number at
SIGNIFICANT_DIGITS = 15
_CONTEXT = Context(prec=SIGNIFICANT_DIGITS + 330)  # room for a double's whole exponent range
# A workbook is a zip of XML; one that unpacks to more than this, or that
# compresses a part more than this many times over, is no export of a
# reporting system but a bomb.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PARTS = 10_000
MAX_RATIO = 1000
MAX_CELLS = 2_000_000
EMPTY_MARKS = frozenset({"", "—", "——", "-", "－", "/", "无", "…", "……"})
NUMBER_TEXT = regex(r"[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class DataError(Exception):
    """A data file that cannot be read as a table: the code, what is wrong, a hint."""

    def __init__(self, code: Code, message: str, help: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.help = code, message, help


@record
class Cell:
    """A cell: its exact number, its text, or None when empty; and what it shows."""

    value: Decimal | str | None
    shown: str


@record
class Sheet:
    """One table of a data file. `rows[r][c]` is the cell at address `top + r`,
    `left + c` (zero-based, as `address()` writes them); `unsaved` holds the
    addresses of formula cells saved without their value, `formats` the number
    format of each number cell that has one other than General (calamine
    reads no formats: they come from each kind of file's own parts)."""

    file: str
    name: str
    rows: tuple[tuple[Cell, ...], ...]
    top: int = 0
    left: int = 0
    unsaved: frozenset[str] = frozenset()
    formats: Mapping[str, str] = field(default_factory=dict, hash=False)

    def address(self, row: int, column: int) -> str:
        """`E10` for rows[row][column]."""
        return column_letters(self.left + column) + str(self.top + row + 1)


def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# A process that compiles again (a watch mode, an editor) reads the same sheets
# of unchanged files: each is kept by the file's content, as read this time, and
# a changed file is other content. A sheet is never changed once read.
KEPT_SHEETS = 32


@lru_cache(maxsize=KEPT_SHEETS)
def read_sheet(content: bytes, file: str, sheet: str | None) -> Sheet:
    """The table `sheet` of the data file (a workbook's first sheet when None)."""
    lower = file.lower()
    if lower.endswith((".csv", ".txt")):
        if sheet is not None:
            raise DataError(Code.UNKNOWN_SHEET, f"{file} is a CSV file: it has no sheets")
        return _csv(content, file)
    if content.startswith(ZIP_MAGIC):
        _check_zip(content, file)
    elif content.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in content:
            raise DataError(
                Code.BAD_DATA,
                f"{file} is encrypted",
                "save it without a password (rpt reads no password-protected workbook)",
            )
    else:
        raise DataError(
            Code.BAD_DATA,
            f"{file} is not a workbook (.xlsx, .xls, .ods) nor a CSV file",
            "a CSV file's name ends in .csv",
        )
    return _workbook(content, file, sheet)


NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}
CELL, VALUE, FORMULA = (f"{{{NS['m']}}}{tag}" for tag in "cvf")
# a sheet's cells as its XML writes them (`_scannable` says when it does so plainly):
# the start of each cell, its attributes (as usually written, or in any way),
# its value and formula
SHEET_NAMESPACE = f'xmlns="{NS["m"]}"'.encode()
CELL_START = regex(r"<c\b([^>]*)>")
PLAIN_CELL = regex(r' r="([^"]*)"(?: s="([^"]*)")?(?: t="([^"]*)")?')
CELL_ATTRIBUTE = regex(r"(?<![\w:.-])([rst])\s*=\s*[\"']([^\"']*)[\"']")
CELL_VALUE = regex(r"<v\b[^>]*?(?:/>|>(.*?)</v>)", re.DOTALL)
CELL_FORMULA = regex(r"<f[\s/>]")
# a cell whose start tag holds a reference (`r="&#65;1"`): read by the parser
SPELLED_CELL = regex(r"<c\b[^>]*&")
FEED = 16 * 1024  # bytes of a sheet's XML parsed at a time
# A report reads many sheets of one workbook (the example, thirteen): each
# workbook is opened once, by its content. A few are kept, for a process that
# compiles again (a benchmark, an editor); a changed file is other content.
OPEN_WORKBOOKS = 4


@lru_cache(maxsize=OPEN_WORKBOOKS)
def _check_zip(content: bytes, file: str) -> None:
    try:
        parts = _package(content).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise DataError(Code.BAD_DATA, f"{file} is damaged: it is not a whole workbook") from None
    unpacked = sum(part.file_size for part in parts)
    ratio = max((p.file_size / max(p.compress_size, 1) for p in parts), default=0)
    if len(parts) > MAX_PARTS or unpacked > MAX_UNPACKED_BYTES or ratio > MAX_RATIO:
        raise DataError(
            Code.BAD_DATA,
            f"{file} unpacks to {unpacked:,} bytes in {len(parts):,} parts, more than a "
            f"workbook rpt reads ({MAX_UNPACKED_BYTES:,} bytes, each part compressed at most "
            f"{MAX_RATIO} times)",
        )


@lru_cache(maxsize=OPEN_WORKBOOKS)
def _package(content: bytes) -> zipfile.ZipFile:
    """A workbook's zip, opened once: checked, then read."""
    return zipfile.ZipFile(io.BytesIO(content))


def _workbook(content: bytes, file: str, wanted: str | None) -> Sheet:
    import python_calamine as calamine  # noqa: PLC0415  (imported when a report has data)

    try:
        book = _calamine(content)
        names = list(book.sheet_names)
        name = _sheet_name(file, wanted, names)
        sheet = book.get_sheet_by_name(name)
        if sheet.height * sheet.width > MAX_CELLS:
            raise DataError(
                Code.BAD_DATA,
                f"the sheet {name} of {file} has {sheet.height * sheet.width:,} cells; "
                f"rpt reads at most {MAX_CELLS:,}",
            )
        values = sheet.to_python(skip_empty_area=True)
        top, left = sheet.start or (0, 0)
    except calamine.PasswordError:
        raise DataError(Code.BAD_DATA, f"{file} is encrypted") from None
    except calamine.CalamineError as error:
        raise DataError(Code.BAD_DATA, f"{file} cannot be read as a workbook: {error}") from None
    rows = tuple(tuple(map(_cell, row)) for row in values)
    if content.startswith(OLE_MAGIC):
        return Sheet(file, name, rows, top, left, formats=_xls_formats(content, name))
    if not content.startswith(ZIP_MAGIC):
        return Sheet(file, name, rows, top, left)
    if b"application/vnd.oasis.opendocument.spreadsheet" in content[:100]:
        return Sheet(file, name, rows, top, left, formats=_ods(content, name))
    unsaved, formats = _xlsx_cells(content, name)
    return Sheet(file, name, rows, top, left, unsaved, formats)


@lru_cache(maxsize=OPEN_WORKBOOKS)
def _calamine(content: bytes) -> python_calamine.CalamineWorkbook:
    import python_calamine as calamine  # noqa: PLC0415  (imported when a report has data)

    return calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))


def _sheet_name(file: str, wanted: str | None, names: list[str]) -> str:
    """The sheet a data source names: by its whole name, or by the start of it
    when one sheet's name starts so (`Z01` for `Z01 收入支出决算总表(财决01表)`,
    as the reporting system names its sheets); the first sheet when none is named."""
    if wanted is None:
        if not names:
            raise DataError(Code.BAD_DATA, f"{file} has no sheets")
        return names[0]
    if wanted in names:
        return wanted
    starting = [name for name in names if name.startswith(wanted)]
    if len(starting) == 1:
        return starting[0]
    if starting:
        raise DataError(
            Code.UNKNOWN_SHEET,
            f"{len(starting)} sheets of {file} start with `{wanted}`: " + ", ".join(starting),
            "name the sheet in full",
        )
    from ..base.suggest import did_you_mean  # noqa: PLC0415

    hint = did_you_mean(wanted, names) or "sheets: " + ", ".join(names)
    raise DataError(Code.UNKNOWN_SHEET, f"{file} has no sheet `{wanted}`", hint)


# a sheet repeats its values (zeros, empty cells, labels): each is made a Cell
# once, the same immutable Cell for each (`typed`: 1, 1.0 and True are not one)
@lru_cache(maxsize=65_536, typed=True)
def _cell(value: object) -> Cell:
    match value:
        case bool():
            return Cell(str(value).upper(), str(value).upper())
        case int() | float():
            number = excel_number(value)
            return Cell(number, plain(number))
        case str():
            text = value.strip()
            if text in EMPTY_MARKS:
                return Cell(None, text)
            if NUMBER_TEXT.fullmatch(text):
                return Cell(Decimal(text.replace(",", "")), text)
            return Cell(text, text)
        case datetime.datetime() | datetime.date() | datetime.time():
            return Cell(value.isoformat(), value.isoformat())
        case datetime.timedelta():
            return Cell(str(value), str(value))
    return Cell(str(value), str(value))


def excel_number(value: float) -> Decimal:
    """A stored double as the number Excel shows: its exact binary value rounded
    to 15 significant digits (rounding its shortest decimal form instead would
    round twice)."""
    number = Decimal(float(value))
    if not number or not number.is_finite():
        return Decimal(0)
    quantum = Decimal(1).scaleb(number.adjusted() - SIGNIFICANT_DIGITS + 1)
    return number.quantize(quantum, rounding=ROUND_HALF_EVEN, context=_CONTEXT)


def plain(number: Decimal) -> str:
    """A Decimal written out without exponent: 2165300, 0.3."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _xlsx_cells(content: bytes, sheet: str) -> tuple[frozenset[str], dict[str, str]]:
    """What calamine does not say about an .xlsx sheet's cells: those that hold
    a formula but no saved value (a workbook written by a program that does not
    calculate, such as openpyxl, and never opened in Excel; calamine reads them
    as empty, rpt says what they are), and each number cell's number format."""
    try:
        package, parts, styles = _xlsx_layout(content)
        target = parts.get(sheet, "")
        part = target if target.startswith("xl/") else f"xl/{target}"
        unsaved: set[str] = set()
        formats: dict[str, str] = {}
        xml = package.read(part)
        plain_xml = _scannable(xml)
        if plain_xml is not None:
            _scan_cells(plain_xml, styles, unsaved, formats)
            return frozenset(unsaved), formats
        # fed as iterparse reads a file, part by part, each cell cleared once read
        # (iterparse does so too, but defines a class at each call, which costs more)
        parser: ElementTree.XMLPullParser[ElementTree.Element] = ElementTree.XMLPullParser(("end",))
        for start in range(0, len(xml), FEED):
            parser.feed(xml[start : start + FEED])
            _read_cells(parser.read_events(), styles, unsaved, formats)
        parser.close()
        _read_cells(parser.read_events(), styles, unsaved, formats)
        return frozenset(unsaved), formats
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, ValueError):
        return frozenset(), {}  # a layout calamine read and this does not: no finding, no harm


def _scannable(xml: bytes) -> str | None:
    """The sheet's XML as text when its cells can be read by pattern, as
    `_scan_cells` does: UTF-8, one namespace (the sheet's, unprefixed), no
    comment or CDATA that could hide or mimic a cell, no reference spelling a
    cell's attribute; else None, and the XML
    parser reads it (it costs ten times as much: a report reads many sheets)."""
    if b"<!--" in xml or b"<![CDATA[" in xml or xml.count(b"xmlns=") != 1:
        return None
    if SHEET_NAMESPACE not in xml or xml.count(NS["m"].encode()) != 1:
        return None
    try:
        text = xml.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if SPELLED_CELL.search(text) else text


def _scan_cells(
    xml: str, styles: dict[str, str], unsaved: set[str], formats: dict[str, str]
) -> None:
    """What `_read_cells` finds, found by pattern in the text of a sheet's XML:
    a cell's attributes are read only when it holds a value or a formula."""
    find = xml.find
    for start in CELL_START.finditer(xml):
        attributes = start.group(1)
        if attributes.endswith("/"):
            continue  # <c …/> holds neither
        inner = xml[start.end() : find("</c>", start.end())]
        value = CELL_VALUE.search(inner)
        if value is not None and value.group(1):
            address, style, kind = _cell_attributes(attributes)
            code = styles.get(style)
            if code is not None and kind == "n":
                formats[address] = code
        elif CELL_FORMULA.search(inner):
            unsaved.add(_cell_attributes(attributes)[0])


def _cell_attributes(attributes: str) -> tuple[str, str, str]:
    """A cell's address, style and type, from its start tag's attributes."""
    written = PLAIN_CELL.fullmatch(attributes)  # as Excel, WPS and openpyxl write them
    if written is not None:
        address, style, kind = written.groups()
        return address, style or "0", kind or "n"
    named = dict(CELL_ATTRIBUTE.findall(attributes))
    return named.get("r", ""), named.get("s", "0"), named.get("t", "n")


def _read_cells(
    events: Iterator[tuple[Any, ...]],  # ("end", an Element): what was asked for
    styles: dict[str, str],
    unsaved: set[str],
    formats: dict[str, str],
) -> None:
    """The cells of `events` (the elements of a sheet, as each ends): each saved
    without its value to `unsaved`, each number's format to `formats`."""
    for _, cell in events:
        if cell.tag != CELL:
            continue
        saved, formula = "", False
        for child in cell:  # not find(): this loop runs for every cell of the sheet
            if child.tag == VALUE:
                saved = child.text or ""
            elif child.tag == FORMULA:
                formula = True
        address = cell.get("r", "")
        if formula and not saved:
            unsaved.add(address)
        code = styles.get(cell.get("s", "0"))
        if code is not None and saved and cell.get("t", "n") == "n":
            formats[address] = code
        cell.clear()


@lru_cache(maxsize=OPEN_WORKBOOKS)
def _xlsx_layout(content: bytes) -> tuple[zipfile.ZipFile, dict[str, str], dict[str, str]]:
    """An .xlsx package opened: each sheet's part, and the number format of each
    cell style."""
    package = _package(content)
    book = ElementTree.fromstring(package.read("xl/workbook.xml"))
    links = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    ids = {s.get("name"): s.get(f"{{{NS['r']}}}id") for s in book.iterfind("m:sheets/m:sheet", NS)}
    targets = {r.get("Id"): r.get("Target") for r in links.iterfind("p:Relationship", NS)}
    parts = {
        str(name): (targets.get(ref) or "").lstrip("/")
        for name, ref in ids.items()
        if name is not None
    }
    return package, parts, _styles(package, NS)


def _ods(content: bytes, sheet: str) -> dict[str, str]:
    from lxml import etree  # noqa: PLC0415  (ods_formats reads with it)

    from .ods_formats import ods_formats  # noqa: PLC0415  (imported when a report reads .ods)

    try:
        return ods_formats(content, sheet)
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError, ArithmeticError):
        return {}  # a layout calamine read and this does not: no finding, no harm


def _xls_formats(content: bytes, sheet: str) -> dict[str, str]:
    """The number format of each number cell of an old-format .xls sheet, other
    than General. calamine reads no formats; xlrd, the reader of .xls alone,
    does, and is asked for nothing else: the values are calamine's, as for
    every kind of workbook."""
    import xlrd  # noqa: PLC0415  (imported when a report reads an .xls file)

    try:
        book = xlrd.open_workbook(
            file_contents=content, formatting_info=True, on_demand=True, logfile=io.StringIO()
        )
        cells = book.sheet_by_name(sheet)
        formats: dict[str, str] = {}
        for row in range(cells.nrows):
            for column, cell in enumerate(cells.row(row)):
                if cell.ctype != xlrd.XL_CELL_NUMBER:
                    continue
                code = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
                if code.lower() != "general":
                    formats[column_letters(column) + str(row + 1)] = code
        return formats
    # xlrd raises errors of its own and of struct, zlib … on a damaged file;
    # one calamine read and xlrd does not: no finding, no harm
    except Exception:
        return {}


def _styles(package: zipfile.ZipFile, ns: dict[str, str]) -> dict[str, str]:
    """Each cell style (by its index, as a cell's `s` names it) whose number
    format shows plain numbers: the format's code."""
    if "xl/styles.xml" not in package.namelist():
        return {}
    styles = ElementTree.fromstring(package.read("xl/styles.xml"))
    custom = {
        int(f.get("numFmtId", "-1")): f.get("formatCode", "")
        for f in styles.iterfind("m:numFmts/m:numFmt", ns)
    }
    codes = {}
    for index, xf in enumerate(styles.iterfind("m:cellXfs/m:xf", ns)):
        number = int(xf.get("numFmtId", "0"))
        code = custom.get(number, BUILT_IN.get(number))
        if code is not None:
            codes[str(index)] = code
    return codes


def _csv(content: bytes, file: str) -> Sheet:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError:
            raise DataError(
                Code.BAD_DATA,
                f"{file} is neither UTF-8 nor GB18030 text",
                "save the CSV file as UTF-8",
            ) from None
    import csv  # noqa: PLC0415  (only for a CSV file)

    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise DataError(Code.BAD_DATA, f"{file} is not a CSV file: {error}") from None
    if sum(len(line) for line in lines) > MAX_CELLS:
        raise DataError(Code.BAD_DATA, f"{file} has more than {MAX_CELLS:,} cells")
    rows = tuple(tuple(map(_cell, line)) for line in lines)
    return Sheet(file, "", rows)
