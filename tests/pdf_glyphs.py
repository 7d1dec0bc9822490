"""Which glyph of a font a PDF shows for a character, and which glyph a face of
an installed font collection maps it to: enough to tell whether LibreOffice drew
the Simplified Chinese forms (骨, 直, 收) or the Japanese ones, which the free
Noto CJK faces hold side by side in one file, one CFF table shared by all.

The PDF's subsets all bear the shared table's name (NotoSerifCJKjp-…), so the
name says nothing; their glyphs are named by CID (cid45042), and in the Noto
CJK collections a glyph's index is its CID."""

from __future__ import annotations

import re
import struct
import zlib
from collections import defaultdict
from pathlib import Path

_STREAM = re.compile(rb"(\d+) 0 obj\s*(<<(?:[^<>]|<<[^<>]*>>)*>>)\s*stream\r?\n")
_FONT = re.compile(
    rb"\d+ 0 obj\s*<</Type/Font/Subtype/Type1/BaseFont/(\S+)\s(.*?)>>\s*endobj", re.S
)
_CHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _streams(pdf: bytes) -> dict[int, bytes]:
    found = {}
    for match in _STREAM.finditer(pdf):
        data = pdf[match.end() : pdf.index(b"endstream", match.end())]
        found[int(match.group(1))] = (
            zlib.decompress(data) if b"FlateDecode" in match.group(2) else data
        )
    return found


def _ref(body: bytes, key: bytes) -> int:
    found = re.search(rb"/" + key + rb" (\d+) 0 R", body)
    assert found, key
    return int(found.group(1))


def _unicode(cmap: bytes) -> dict[int, str]:
    """A ToUnicode CMap: code → text."""
    codes: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in _CHAR.findall(block):
            codes[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for first, last, text in _RANGE.findall(block):
            start = bytes.fromhex(text.decode()).decode("utf-16-be")
            for offset, code in enumerate(range(int(first, 16), int(last, 16) + 1)):
                codes[code] = start[:-1] + chr(ord(start[-1]) + offset)
    return codes


def shown_glyphs(pdf: bytes) -> dict[str, set[tuple[str, int]]]:
    """Each character the PDF's Type 1 subsets show: (subset name, CID) pairs."""
    streams = _streams(pdf)
    shown: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for match in _FONT.finditer(pdf):
        name, body = match.group(1).decode(), match.group(2)
        descriptor = re.search(rb"%d 0 obj\s*<<(.*?)>>" % _ref(body, b"FontDescriptor"), pdf, re.S)
        assert descriptor
        program = streams[_ref(descriptor.group(1), b"FontFile")]
        glyphs = {
            int(code): int(cid) for code, cid in re.findall(rb"dup (\d+) /cid(\d+) put", program)
        }
        for code, text in _unicode(streams[_ref(body, b"ToUnicode")]).items():
            if code in glyphs:
                shown[text].add((name.split("+")[-1], glyphs[code]))
    return shown


def face_glyph(path: Path, index: int, char: str) -> int:
    """The glyph face `index` of a font collection (.ttc) maps `char` to: its
    Unicode cmap (platform 3, encoding 10, format 12)."""
    data = path.read_bytes()
    assert data[:4] == b"ttcf"
    (face,) = struct.unpack_from(">I", data, 12 + 4 * index)
    (tables,) = struct.unpack_from(">H", data, face + 4)
    records = {
        data[face + 12 + 16 * i : face + 16 + 16 * i]: struct.unpack_from(
            ">I", data, face + 20 + 16 * i
        )[0]
        for i in range(tables)
    }
    cmap = records[b"cmap"]
    (count,) = struct.unpack_from(">H", data, cmap + 2)
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        (form,) = struct.unpack_from(">H", data, cmap + offset)
        if (platform, encoding, form) == (3, 10, 12):
            (groups,) = struct.unpack_from(">I", data, cmap + offset + 12)
            for group in range(groups):
                first, last, glyph = struct.unpack_from(
                    ">III", data, cmap + offset + 16 + 12 * group
                )
                if first <= ord(char) <= last:
                    return int(glyph) + ord(char) - int(first)
            raise KeyError(char)
    raise ValueError(f"{path}:{index} has no format 12 Unicode cmap")
