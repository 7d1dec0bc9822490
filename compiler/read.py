"""Turn a file's bytes into source text, refusing what cannot be a report.

- Size: a file over `MAX_FILE_BYTES` is refused before anything else is done,
  so an adversarial input ends in bounded time and memory.
- Encoding: UTF-8, with or without a BOM. A file from a Chinese Windows tool is
  usually GBK/GB18030: it is read as such when its front matter says
  `encoding: gb18030` (or gbk); otherwise the diagnostic says what it looks like
  and how to convert it, and where the first undecodable byte is.
- Line ends: CRLF and CR become LF.
- Normal form: the text is read in Unicode NFC, so that canonically equivalent
  spellings (a letter and a combining accent, or the precomposed letter) are
  one text; a CJK compatibility ideograph becomes its unified ideograph.
- Characters that cannot be printed or that display as something other than
  what they are (controls, invisible and bidirectional characters, line
  separators: see characters.py) are reported and replaced by a space, which
  keeps every column in place and lets the rest of the line be checked.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .characters import blank_out, refusals
from .codes import Code
from .diagnostics import Diagnostics
from .source import SourceFile, Span

# About 16 times the seed report; the densest hostile file of this size takes ~12 s.
MAX_FILE_BYTES = 1024 * 1024
# All files of one report together, includes counted.
MAX_TOTAL_BYTES = 2 * 1024 * 1024
MAX_LINE_CHARS = 20_000
MAX_REPORTED_REFUSALS = 20

ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "gb18030": "gb18030",
    "gbk": "gb18030",
    "gb2312": "gb18030",
}
# front matter is ASCII in every one of these encodings, so it can be read before decoding
DECLARED = re.compile(rb"^encoding[ \t]*:[ \t]*([A-Za-z0-9-]+)[ \t]*\r?$", re.M)


def read_bytes(path: Path) -> bytes:
    """At most one byte more than a file may have: a huge file (or /dev/zero) is
    never read whole."""
    with path.open("rb") as stream:
        return stream.read(MAX_FILE_BYTES + 1)


def read_source(shown: str, data: bytes, diagnostics: Diagnostics) -> SourceFile | None:
    """The text of a file named `shown` in diagnostics; None after an error that
    leaves nothing to check."""
    if len(data) > MAX_FILE_BYTES:
        diagnostics.error(
            Code.LIMIT_EXCEEDED,
            f"{shown} is larger than {MAX_FILE_BYTES:,} bytes, the most rpt reads from one file",
            None,
            help="split the report into several files joined by `include`",
        )
        return None
    text = _decode(shown, data, diagnostics)
    if text is None:
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not unicodedata.is_normalized("NFC", text):
        # canonically equivalent spellings are one text: `é` typed as e and a
        # combining accent is `é`, and a name written either way is one name
        text = unicodedata.normalize("NFC", text)
    refused = refusals(text)
    if refused:
        text = blank_out(text)
    source = SourceFile(shown, text, tuple(refusal.offset for refusal in refused))
    for refusal in refused[:MAX_REPORTED_REFUSALS]:
        diagnostics.error(
            refusal.code,
            refusal.message,
            Span(source, refusal.offset, refusal.offset + 1),
            "here (shown as a space)",
            help=refusal.help,
        )
    if len(refused) > MAX_REPORTED_REFUSALS:
        diagnostics.error(
            refused[MAX_REPORTED_REFUSALS].code,
            f"{len(refused) - MAX_REPORTED_REFUSALS} more such characters in {shown}",
            None,
        )
    return source


def _decode(shown: str, data: bytes, diagnostics: Diagnostics) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = error.start
    front = data[: data.find(b"\n---", 3) + 1] if data.startswith(b"---") else b""
    declared = DECLARED.search(front)
    if declared is not None:
        name = declared.group(1).decode("ascii").lower()
        encoding = ENCODINGS.get(name)
        if encoding is not None and encoding != "utf-8":
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                bad = error.start
    line = data.count(b"\n", 0, bad) + 1
    column = bad - (data.rfind(b"\n", 0, bad) + 1) + 1
    try:
        data.decode("gb18030")
        guess = "; it looks like GBK/GB18030 text, as Chinese Windows tools save it"
    except UnicodeDecodeError:
        guess = ""
    diagnostics.error(
        Code.UNREADABLE,
        f"{shown} is not UTF-8: byte {bad} (0x{data[bad]:02x}, line {line}, byte {column} "
        f"of the line) is not valid UTF-8{guess}",
        None,
        help="save the file as UTF-8, or declare `encoding: gb18030` in its front matter; "
        f"to convert: `iconv -f GB18030 -t UTF-8 {shown} > converted.rpt`",
    )
    return None
