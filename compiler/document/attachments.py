"""Attachments (附件1-2 …), written `{attachment}` after their heading: the label
is split from the title, a form's caption that repeats the title is dropped, and
a line of an attachment whose fields stand two ideographic spaces apart
(填表人：…　　填报日期：…), under a table or a remark or two under one, is the
form's sign-off line, as is a line of one field right under the table or under
such a line (填报单位：… over 填报日期：…); and a line of one field right under the
attachment's title (填报单位：…) the form's head line, so that every renderer
prints them as forms."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar, cast

from ..base.kept import Kept, position
from ..base.patterns import regex
from ..base.record import replace
from . import model as doc

# what separates the fields of a sign-off line: two ideographic spaces or more
FIELD_GAP = regex("\u3000{2,}")
LABEL_END = regex("[ \u3000]+")
# A sign-off line follows its form's table, or a remark or two under it.
SIGN_OFF_REACH = 2
# A form's head line: a label of a few characters, its colon, a value; no sentence.
HEAD_LINE = regex("[^：:。；]{1,8}：[^。；]{1,40}")


def shape_attachments(blocks: list[doc.Block]) -> list[doc.Block]:
    """The blocks with their attachments shaped (see the module's docstring)."""
    shaped: list[doc.Block] = []
    inside: int | None = None  # the level of the attachment the blocks are in
    title: str | None = None  # the attachment's title, for the block right after it
    since: int | None = None  # paragraphs since the last table, if only paragraphs
    for written in blocks:
        block = written
        after, title = title, None
        match written:
            case doc.Heading(level=level, attachment=True):
                block = _shaped(written, 0, partial(_labelled, written))
                inside, title = level, doc.plain_text(block.inlines)
            case doc.Heading(level=level) if inside is not None and level <= inside:
                inside = None
            case doc.Table(caption=caption) if after and after.startswith(
                doc.plain_text(caption) or "\n"
            ):
                block = _shaped(written, 1, partial(replace, written, caption=()))
            case doc.Paragraph(inlines=inlines) if after is not None and HEAD_LINE.fullmatch(
                doc.plain_text(inlines)
            ):
                block = _shaped(written, 2, partial(doc.SignOff, (inlines,)))
            case doc.Paragraph(inlines=inlines) if (
                inside is not None
                and since is not None
                and since <= SIGN_OFF_REACH
                and (
                    len(fields := _fields(inlines)) > 1
                    or (
                        isinstance(shaped[-1], doc.Table | doc.SignOff)
                        and HEAD_LINE.fullmatch(doc.plain_text(inlines)) is not None
                    )
                )
            ):
                block = _shaped(written, 3, partial(doc.SignOff, fields))
        match block:
            case doc.Table():
                since = 0
            case doc.Paragraph() | doc.SignOff() if since is not None:
                since += 1
            case _:
                since = None
        shaped.append(block)
    return shaped


def _shaped(written: doc.Block, how: int, make: Callable[[], B]) -> B:
    """A block shaped (`how`: which of the shapes above), or the block its
    shaping gave before: the same block, so a rebuild's renderers know it."""
    # what is kept for (written, how) is what this `make` made
    return cast(B, _kept.made(written, position(how), make, None))


_kept: Kept[doc.Block] = Kept(limit=10_000)
B = TypeVar("B", bound=doc.Block)


def _labelled(heading: doc.Heading) -> doc.Heading:
    """附件1-2 整体支出绩效自评表 → the label 附件1-2 as the heading's number, the
    rest as its text. The label is the heading's first word."""
    first = heading.inlines[0] if heading.inlines else None
    if not isinstance(first, doc.Text):
        return heading
    label, *rest = LABEL_END.split(first.text.strip(" \u3000"), maxsplit=1)
    title = (doc.Text(rest[0]),) if rest else ()
    return replace(heading, number=label, inlines=title + heading.inlines[1:])


def _fields(inlines: tuple[doc.Inline, ...]) -> tuple[tuple[doc.Inline, ...], ...]:
    """A line's fields, split at FIELD_GAP in its plain text runs."""
    fields: list[list[doc.Inline]] = [[]]
    for inline in inlines:
        if not isinstance(inline, doc.Text):
            fields[-1].append(inline)
            continue
        for index, part in enumerate(FIELD_GAP.split(inline.text)):
            if index:
                fields.append([])
            if part:
                fields[-1].append(doc.Text(part))
    return tuple(tuple(field) for field in fields if field)
