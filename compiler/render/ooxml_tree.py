"""Office Open XML parts built as lxml elements: how docx_template.py writes a
style template's parts (the renderer writes text, see ooxml.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lxml import etree

from .ooxml import NAMESPACES, qn


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
