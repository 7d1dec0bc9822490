"""Office Open XML plumbing shared by the DOCX style templates and the DOCX renderer:
namespaces, element construction, and reading and writing the zip package so that
the same parts always give the same bytes."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterable, Mapping
from functools import cache

from lxml import etree

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


def root(name: str, prefixes: Iterable[str] = ()) -> etree._Element:
    """A part's root element declaring the namespaces its content uses; the root's
    own namespace is the default one when its prefix is not among `prefixes`."""
    prefix = name.partition(":")[0]
    nsmap: dict[str | None, str] = {p: NAMESPACES[p] for p in prefixes}
    if prefix not in nsmap:
        nsmap[None] = NAMESPACES[prefix]
    return etree.Element(qn(name), nsmap=nsmap)


def sub(
    parent: etree._Element,
    name: str,
    attributes: Mapping[str, str] | None = None,
    text: str | None = None,
) -> etree._Element:
    """Append a child element; names are prefixed (`w:val`). Built top-down so each
    element reuses the namespace declarations of its part's root. Attributes are
    set one by one, in their order: lxml takes that faster than a mapping."""
    element = etree.SubElement(parent, qn(name))
    if attributes:
        for key, value in attributes.items():
            element.set(qn(key), value)
    if text is not None:
        element.text = text
    return element


def to_bytes(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


# Where the part's serialization is cut to take the text written beside the tree.
SPLICE = "rpt: written as text"


def to_bytes_with(part: etree._Element, marker: etree._Element, text: str) -> bytes:
    """The part's bytes with `text`, XML written with the part's own prefixes, in
    place of `marker` (a comment placed in the tree where the text belongs, made
    by `splice_marker`)."""
    head, mark, tail = to_bytes(part).partition(etree.tostring(marker))
    assert mark and tail.find(mark) < 0, "the marker stands once in its part"
    return head + text.encode("utf-8") + tail


def splice_marker() -> etree._Element:
    return etree.Comment(SPLICE)


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
            archive.writestr(info, data, compresslevel=6)
    return buffer.getvalue()


def core_properties(
    title: str, creator: str, language: str, when: datetime.datetime | None
) -> bytes:
    """docProps/core.xml. `when` becomes both the created and the modified time; with
    no time the two are left out rather than filled with the time of the build."""
    properties = root("cp:coreProperties", ("cp", "dc", "dcterms", "xsi"))
    sub(properties, "dc:title", text=title)
    sub(properties, "dc:creator", text=creator)
    sub(properties, "cp:lastModifiedBy", text=creator)
    sub(properties, "cp:revision", text="1")
    sub(properties, "dc:language", text=language)
    if when is not None:
        # not strftime: its %Y writes the year 1 as `1`, and W3CDTF needs `0001`
        utc = when.astimezone(datetime.UTC)
        stamp = (
            f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}"
            f"T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z"
        )
        for name in ("dcterms:created", "dcterms:modified"):
            sub(properties, name, {"xsi:type": "dcterms:W3CDTF"}, stamp)
    return to_bytes(properties)


def with_custom_properties(
    parts: dict[str, bytes], properties: Iterable[tuple[str, str]]
) -> dict[str, bytes]:
    """The package with docProps/custom.xml holding `properties` (name, text), in
    the order given, declared in [Content_Types].xml and _rels/.rels (Word shows
    them under File › Properties › Custom). No properties, no part."""
    entries = list(properties)
    if not entries:
        return parts
    custom = root("op:Properties", ("vt",))
    for pid, (name, text) in enumerate(entries, start=2):  # ids 0 and 1 are reserved
        entry = sub(custom, "op:property", {"fmtid": CUSTOM_FMTID, "pid": str(pid), "name": name})
        sub(entry, "vt:lpwstr", text=text)
    types = etree.fromstring(parts["[Content_Types].xml"])
    sub(types, "ct:Override", {"PartName": f"/{CUSTOM_PART}", "ContentType": CUSTOM_TYPE})
    links = etree.fromstring(parts["_rels/.rels"])
    taken = {link.get("Id") for link in links}
    number = 1 + len(taken)
    while f"rId{number}" in taken:
        number += 1
    sub(
        links,
        "pr:Relationship",
        {"Id": f"rId{number}", "Type": CUSTOM_RELATIONSHIP, "Target": CUSTOM_PART},
    )
    changed = dict(parts)
    changed["[Content_Types].xml"] = to_bytes(types)
    changed["_rels/.rels"] = to_bytes(links)
    changed[CUSTOM_PART] = to_bytes(custom)
    return changed
