"""The format-neutral document: what every renderer consumes, and nothing else.

Figures are already printed (rounded, with units and words); headings already
carry their numbers. A renderer decides only how things look.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Text:
    kind: ClassVar[str] = "text"
    text: str


@dataclass(frozen=True)
class Figure:
    """A printed figure; `source` is the expression it came from, for reviewers."""

    kind: ClassVar[str] = "figure"
    text: str
    source: str


@dataclass(frozen=True)
class Strong:
    kind: ClassVar[str] = "strong"
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Emph:
    kind: ClassVar[str] = "emph"
    children: tuple[Inline, ...]


Inline = Text | Figure | Strong | Emph


@dataclass(frozen=True)
class Heading:
    """`number` is the printed heading number (`三、`), empty when unnumbered."""

    kind: ClassVar[str] = "heading"
    level: int
    number: str
    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class ListBlock:
    kind: ClassVar[str] = "list"
    ordered: bool
    start: int
    items: tuple[tuple[Inline, ...], ...]


Block = Heading | Paragraph | ListBlock


@dataclass(frozen=True)
class Meta:
    title: str
    subtitle: str
    organisation: str
    author: str
    year: int | None
    date: datetime.date | None
    locale: str


@dataclass(frozen=True)
class Document:
    meta: Meta
    blocks: tuple[Block, ...]


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The inline run as plain text, emphasis dropped."""
    parts = []
    for inline in inlines:
        match inline:
            case Text(text=text) | Figure(text=text):
                parts.append(text)
            case Strong(children=children) | Emph(children=children):
                parts.append(plain_text(children))
    return "".join(parts)
