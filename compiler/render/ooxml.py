"""Office Open XML plumbing shared by the DOCX style templates and the DOCX renderer:
namespaces, XML written as text, and reading and writing the zip package so that
the same parts always give the same bytes.

The renderer writes its parts as text, without lxml (whose import cost a tenth
of a build): what it writes is what lxml writes for the same elements, with the
escapes of libxml2 (`xml_text`, `xml_attribute`), so that a part is the same
bytes. It changes the template's parts by inserting text into them, which gives
what lxml would write for the changed tree because the template's parts are as
lxml writes them (ooxml_tree.to_bytes, which docx_template.py writes them with;
a test checks that each shipped part is so).
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterable, Mapping
from functools import cache
from xml.etree import ElementTree

from ..base.patterns import regex

NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xml": "http://www.w3.org/XML/1998/namespace",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "op": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
}
# The format id every custom document property carries (the user-defined set).
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
CUSTOM_PART = "docProps/custom.xml"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_RELATIONSHIP = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)

# The zip epoch: every entry carries this time, whenever and wherever it is built.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Unix, so that an entry's header does not depend on the building machine's OS.
ZIP_UNIX = 3


@cache
def qn(name: str) -> str:
    """`w:p` → `{http://…/main}p`: a prefixed name in Clark notation. Unprefixed
    names (the attributes of package parts) are in no namespace."""
    prefix, colon, local = name.partition(":")
    if not colon:
        return name
    return f"{{{NAMESPACES[prefix]}}}{local}"


# Characters XML 1.0 cannot carry; a report could contain them, Word must not.
NOT_XML = regex("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What lxml writes at the head of each part.
DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"


def checked(text: str) -> str:
    """`text`, when XML can carry it; else ValueError, as lxml raises it for a
    string it is given to write."""
    if NOT_XML.search(text):
        raise ValueError(f"XML cannot carry the characters of {text!r}")
    return text


def opening(name: str, prefixes: Iterable[str] = ()) -> str:
    """The start tag of a part's root declaring the namespaces its content uses,
    in lxml's order (ooxml_tree.root): `prefixes`, then the root's own as the
    default one when its prefix is not among them (and its name unprefixed)."""
    prefix, _, local = name.partition(":")
    declared = [f' xmlns:{p}="{NAMESPACES[p]}"' for p in prefixes]
    if prefix in prefixes:
        return f"<{name}{''.join(declared)}>"
    return f'<{local}{"".join(declared)} xmlns="{NAMESPACES[prefix]}">'


def xml_text(text: str) -> str:
    """Text escaped for an element's content, as libxml2 writes it (so that the
    bytes are the ones lxml gave): `&`, `<`, `>`, and a carriage return, which a
    parser would read as a line feed."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def xml_attribute(value: str) -> str:
    """A value escaped for a double-quoted attribute, as libxml2 writes it: also
    the quote, and the whitespace a parser would read as spaces."""
    for character, reference in ATTRIBUTE_REFERENCES:
        value = value.replace(character, reference)
    return value


ATTRIBUTE_REFERENCES = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("\n", "&#10;"),
    ("\r", "&#13;"),
    ("\t", "&#9;"),
)


def read_package(data: bytes) -> dict[str, bytes]:
    """The parts of a zip package by name, in the order they are stored."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


# zlib's fastest level: the example's document part deflates in half the time
# level 6 takes, into a file a quarter larger (42 KB, not 33 KB).
DEFLATE_LEVEL = 1


def write_package(parts: Mapping[str, bytes]) -> bytes:
    """Zip the parts in the given order with fixed entry metadata.

    zipfile stamps entries with the current time and the building OS; both are
    fixed here. Deflate output depends only on the zlib in use and the level,
    which is fixed too.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.create_system = ZIP_UNIX
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=DEFLATE_LEVEL)
    return buffer.getvalue()


def core_properties(
    title: str, creator: str, language: str, when: datetime.datetime | None
) -> bytes:
    """docProps/core.xml. `when` becomes both the created and the modified time; with
    no time the two are left out rather than filled with the time of the build."""
    parts = [
        DECLARATION,
        opening("cp:coreProperties", ("cp", "dc", "dcterms", "xsi")),
        f"<dc:title>{xml_text(checked(title))}</dc:title>",
        f"<dc:creator>{xml_text(checked(creator))}</dc:creator>",
        f"<cp:lastModifiedBy>{xml_text(creator)}</cp:lastModifiedBy>",
        "<cp:revision>1</cp:revision>",
        f"<dc:language>{xml_text(checked(language))}</dc:language>",
    ]
    if when is not None:
        # not strftime: its %Y writes the year 1 as `1`, and W3CDTF needs `0001`
        utc = when.astimezone(datetime.UTC)
        stamp = (
            f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}"
            f"T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z"
        )
        for name in ("dcterms:created", "dcterms:modified"):
            parts.append(f'<{name} xsi:type="dcterms:W3CDTF">{stamp}</{name}>')
    parts.append("</cp:coreProperties>")
    return "".join(parts).encode("utf-8")


def inserted(part: bytes, before: bytes, text: str) -> bytes:
    """The part with `text` written before the first `before` in it."""
    head, found, tail = part.partition(before)
    assert found, f"the part holds {before!r}"
    return head + text.encode("utf-8") + found + tail


def with_custom_properties(
    parts: dict[str, bytes], properties: Iterable[tuple[str, str]]
) -> dict[str, bytes]:
    """The package with docProps/custom.xml holding `properties` (name, text), in
    the order given, declared in [Content_Types].xml and _rels/.rels (Word shows
    them under File › Properties › Custom). No properties, no part."""
    entries = list(properties)
    if not entries:
        return parts
    custom = [DECLARATION, opening("op:Properties", ("vt",))]
    for pid, (name, text) in enumerate(entries, start=2):  # ids 0 and 1 are reserved
        custom.append(
            f'<property fmtid="{CUSTOM_FMTID}" pid="{pid}" name="{xml_attribute(checked(name))}">'
            f"<vt:lpwstr>{xml_text(checked(text))}</vt:lpwstr></property>"
        )
    custom.append("</Properties>")
    links = parts["_rels/.rels"]
    taken = {link.get("Id") for link in ElementTree.fromstring(links)}
    number = 1 + len(taken)
    while f"rId{number}" in taken:
        number += 1
    changed = dict(parts)
    changed["[Content_Types].xml"] = inserted(
        parts["[Content_Types].xml"],
        b"</Types>",
        f'<Override PartName="/{CUSTOM_PART}" ContentType="{CUSTOM_TYPE}"/>',
    )
    changed["_rels/.rels"] = inserted(
        links,
        b"</Relationships>",
        f'<Relationship Id="rId{number}" Type="{CUSTOM_RELATIONSHIP}" Target="{CUSTOM_PART}"/>',
    )
    changed[CUSTOM_PART] = "".join(custom).encode("utf-8")
    return changed
