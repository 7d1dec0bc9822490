"""A redline: the new version's Document with what changed since the old one
marked as inserted and deleted text, for sign-off in Word's tracked changes.

Blocks are paired in order (difflib); a paired paragraph, heading, list item
or table cell is compared by words (a CJK character is a word, a number with
its decimals one word), so `217.91万元` → `218.36万元` reads as one number
replaced, not as scattered digits. What cannot be paired is deleted whole or
inserted whole; a table whose shape changed is deleted and inserted whole.
"""

from __future__ import annotations

import difflib
import re
from typing import assert_never

from ..base.record import replace
from ..document import model as doc

# a number with its sign, separators and decimals; a Latin word; a space run; else a character
WORD = re.compile(r"[-+]?[0-9][0-9,.]*%?|[A-Za-z]+|\s+|.", re.S)

Token = tuple[str, frozenset[str]]  # a word and the marks (strong, emph) it is printed with


def redline(old: doc.Document, new: doc.Document) -> doc.Document:
    blocks: list[doc.Block] = []
    matcher = difflib.SequenceMatcher(
        None, [_key(b) for b in old.blocks], [_key(b) for b in new.blocks], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = old.blocks[i1:i2], new.blocks[j1:j2]
        if tag == "equal":
            blocks.extend(after)
            continue
        for a, b in _aligned(before, after):
            if a is not None and b is not None:
                blocks.extend(_paired(a, b))
            elif a is not None:
                blocks.append(_whole(a, doc.Deleted))
            elif b is not None:
                blocks.append(_whole(b, doc.Inserted))
    return doc.Document(new.meta, tuple(blocks))


# Blocks this alike (difflib's ratio of their texts) are one block revised;
# less alike, one was taken out and another put in.
MIN_LIKENESS = 0.3
# beyond this many pairs to weigh, changed blocks are paired by kind in order
MAX_ALIGNED_PAIRS = 10_000


def _aligned(
    before: tuple[doc.Block, ...], after: tuple[doc.Block, ...]
) -> list[tuple[doc.Block | None, doc.Block | None]]:
    """The changed blocks of one place paired in order so that the pairs are as
    alike as they can be (an alignment by dynamic programming); a block left
    unpaired was deleted or inserted."""
    if len(before) * len(after) > MAX_ALIGNED_PAIRS:
        likeness = [[1.0 if a.kind == b.kind else 0.0 for b in after] for a in before]
    else:
        texts_a, texts_b = [_key(a) for a in before], [_key(b) for b in after]
        likeness = [
            [
                difflib.SequenceMatcher(None, x, y, autojunk=False).ratio()
                if a.kind == b.kind
                else 0.0
                for b, y in zip(after, texts_b, strict=True)
            ]
            for a, x in zip(before, texts_a, strict=True)
        ]
    n, m = len(before), len(after)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            pair = likeness[i][j] + best[i + 1][j + 1] if likeness[i][j] >= MIN_LIKENESS else -1.0
            best[i][j] = max(pair, best[i + 1][j], best[i][j + 1])
    pairs: list[tuple[doc.Block | None, doc.Block | None]] = []
    i = j = 0
    while i < n or j < m:
        if (
            i < n
            and j < m
            and likeness[i][j] >= MIN_LIKENESS
            and (best[i][j] == likeness[i][j] + best[i + 1][j + 1])
        ):
            pairs.append((before[i], after[j]))
            i, j = i + 1, j + 1
        elif i < n and (j == m or best[i][j] == best[i + 1][j]):
            pairs.append((before[i], None))
            i += 1
        else:
            pairs.append((None, after[j]))
            j += 1
    return pairs


def _key(block: doc.Block) -> str:
    return block.kind + "\0" + "\0".join(doc.plain_text(run) for run in doc.block_inlines(block))


def _paired(a: doc.Block, b: doc.Block) -> list[doc.Block]:
    """Two blocks of one kind in one place: compared when they have one shape."""
    match a, b:
        case doc.Paragraph(inlines=x), doc.Paragraph(inlines=y):
            return [doc.Paragraph(_changed(x, y))]
        case doc.Note(inlines=x), doc.Note(inlines=y):
            return [doc.Note(_changed(x, y))]
        case doc.Heading(level=level, inlines=x), doc.Heading(
            level=other, number=n, inlines=y, attachment=attachment
        ) if level == other:
            return [doc.Heading(level, n, _changed(x, y), attachment)]
        case doc.ListBlock(items=x), doc.ListBlock(
            ordered=ordered, start=start, items=y, numbering=numbering
        ):
            return [doc.ListBlock(ordered, start, _items(x, y), numbering)]
        case doc.SignOff(fields=x), doc.SignOff(fields=y):
            return [doc.SignOff(_items(x, y))]
        case doc.Table(), doc.Table() if _shape(a) == _shape(b):
            return [_table(a, b)]
    return [_whole(a, doc.Deleted), _whole(b, doc.Inserted)]


def _whole(block: doc.Block, change: type[doc.Inserted] | type[doc.Deleted]) -> doc.Block:
    """A block added or taken out: all its text tracked."""

    def marked(inlines: tuple[doc.Inline, ...]) -> tuple[doc.Inline, ...]:
        return (change(inlines),) if inlines else ()

    match block:
        case doc.Heading(level=level, number=number, inlines=inlines, attachment=attachment):
            return doc.Heading(level, number, marked(inlines), attachment)
        case doc.Paragraph(inlines=inlines):
            return doc.Paragraph(marked(inlines))
        case doc.Note(inlines=inlines):
            return doc.Note(marked(inlines))
        case doc.ListBlock(ordered=ordered, start=start, items=items, numbering=numbering):
            return doc.ListBlock(ordered, start, tuple(marked(i) for i in items), numbering)
        case doc.Table():
            rows = tuple(
                doc.Row(
                    tuple(
                        doc.Cell(marked(c.inlines), c.colspan, c.rowspan, c.align)
                        for c in row.cells
                    ),
                    row.header,
                )
                for row in block.rows
            )
            return replace(block, caption=marked(block.caption), rows=rows)
        case doc.SignOff(fields=fields):
            return doc.SignOff(tuple(marked(field) for field in fields))
        case _:
            assert_never(block)


def _items(
    old: tuple[tuple[doc.Inline, ...], ...], new: tuple[tuple[doc.Inline, ...], ...]
) -> tuple[tuple[doc.Inline, ...], ...]:
    matcher = difflib.SequenceMatcher(
        None, [doc.plain_text(i) for i in old], [doc.plain_text(i) for i in new], autojunk=False
    )
    items: list[tuple[doc.Inline, ...]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            items.extend(new[j1:j2])
            continue
        for index in range(max(i2 - i1, j2 - j1)):
            a = old[i1 + index] if i1 + index < i2 else ()
            b = new[j1 + index] if j1 + index < j2 else ()
            items.append(_changed(a, b))
    return tuple(items)


def _shape(table: doc.Table) -> tuple[tuple[tuple[int, int], ...], ...]:
    return tuple(tuple((c.colspan, c.rowspan) for c in row.cells) for row in table.rows)


def _table(old: doc.Table, new: doc.Table) -> doc.Table:
    """Two tables of one shape: compared cell by cell."""
    rows = tuple(
        doc.Row(
            tuple(
                doc.Cell(_changed(a.inlines, b.inlines), b.colspan, b.rowspan, b.align)
                for a, b in zip(x.cells, y.cells, strict=True)
            ),
            y.header,
        )
        for x, y in zip(old.rows, new.rows, strict=True)
    )
    caption = _changed(old.caption, new.caption)
    return replace(new, caption=caption, rows=rows)


def _changed(old: tuple[doc.Inline, ...], new: tuple[doc.Inline, ...]) -> tuple[doc.Inline, ...]:
    """The new text with the words the old one had instead marked deleted, and
    its own new words inserted."""
    if doc.plain_text(old) == doc.plain_text(new):
        return new
    before, after = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    parts: list[tuple[str, frozenset[str], str]] = []  # text, marks, change
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.extend((word, marks, "") for word, marks in after[j1:j2])
            continue
        parts.extend((word, marks, "deleted") for word, marks in before[i1:i2])
        parts.extend((word, marks, "inserted") for word, marks in after[j1:j2])
    return _rebuilt(parts)


def _tokens(inlines: tuple[doc.Inline, ...]) -> list[Token]:
    tokens: list[Token] = []

    def walk(runs: tuple[doc.Inline, ...], marks: frozenset[str]) -> None:
        for inline in runs:
            match inline:
                case doc.Text(text=text) | doc.Figure(text=text) | doc.Placeholder(text=text):
                    tokens.extend((word, marks) for word in WORD.findall(text))
                case doc.Strong(children=children):
                    walk(children, marks | {"strong"})
                case doc.Emph(children=children):
                    walk(children, marks | {"emph"})
                case doc.Inserted(children=children):
                    walk(children, marks)
                case doc.Deleted():
                    pass
                case _:
                    assert_never(inline)

    walk(inlines, frozenset())
    return tokens


def _rebuilt(parts: list[tuple[str, frozenset[str], str]]) -> tuple[doc.Inline, ...]:
    """Runs of words with the same marks and change, as nested inlines."""
    inlines: list[doc.Inline] = []
    index = 0
    while index < len(parts):
        _, marks, change = parts[index]
        end = index
        while end < len(parts) and parts[end][1:] == (marks, change):
            end += 1
        node: doc.Inline = doc.Text("".join(word for word, _, _ in parts[index:end]))
        if "emph" in marks:
            node = doc.Emph((node,))
        if "strong" in marks:
            node = doc.Strong((node,))
        if change == "inserted":
            node = doc.Inserted((node,))
        elif change == "deleted":
            node = doc.Deleted((node,))
        inlines.append(node)
        index = end
    return tuple(inlines)
