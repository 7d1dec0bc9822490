"""Turn a file's bytes into source text, refusing what cannot be a report.

- Kind: only regular files are read, opened without blocking; a named pipe,
  a device or a directory is refused with a diagnostic instead of hanging.
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

import codecs
import errno
import os
import re
import stat
import unicodedata
from pathlib import Path

from ..base.characters import blank_out, refusals
from ..base.codes import Code
from ..base.diagnostics import Diagnostics
from ..base.source import SourceFile, Span

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


class NotAFile(OSError):
    """The name is that of something other than a regular file: a directory, a
    named pipe, a socket or a device."""


KINDS = (
    (stat.S_ISREG, "a regular file"),
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def file_kind(mode: int) -> str:
    """What a file of this mode is, in words: `a named pipe`."""
    return next((kind for test, kind in KINDS if test(mode)), "a special file")


def _regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise NotAFile(errno.EINVAL, f"it is {file_kind(mode)}, not a regular file")


def open_file(name: str | Path, *, dir_fd: int | None = None, follow: bool = True) -> int:
    """A descriptor open for reading on the regular file `name` (relative to
    `dir_fd` when given; with `follow` false, a link as the last component fails).

    Only regular files are read. The name is looked at first, because opening a
    device can act (a watchdog starts, a tape rewinds), and the open descriptor
    is checked again, because the name may have changed in between. The open
    does not block: a named pipe with no writer would otherwise wait forever.
    """
    mode = os.stat(name, dir_fd=dir_fd, follow_symlinks=follow).st_mode
    if stat.S_ISLNK(mode):
        # a link loop, or a link put in after the name was resolved: say which
        os.stat(name, dir_fd=dir_fd)
    _regular(mode)
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    descriptor = os.open(name, flags | (0 if follow else os.O_NOFOLLOW), dir_fd=dir_fd)
    try:
        _regular(os.fstat(descriptor).st_mode)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def read_data(descriptor: int, limit: int = 20 * 1024 * 1024) -> bytes:
    """At most one byte more than `limit` from an open data file."""
    chunks: list[bytes] = []
    wanted = limit + 1
    while wanted > 0:
        chunk = os.read(descriptor, min(wanted, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        wanted -= len(chunk)
    return b"".join(chunks)


def read_bytes(descriptor: int) -> bytes:
    """At most one byte more than a file may have, from an open file: a file that
    grows while it is read is never read whole."""
    chunks: list[bytes] = []
    wanted = MAX_FILE_BYTES + 1
    while wanted > 0:
        chunk = os.read(descriptor, wanted)
        if not chunk:
            break
        chunks.append(chunk)
        wanted -= len(chunk)
    return b"".join(chunks)


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


# the byte order marks of the encodings a Windows editor may save in other than
# UTF-8 and GB18030, longest first (UTF-32 LE starts as UTF-16 LE does)
WIDE_MARKS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


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
    wide = next((name for mark, name in WIDE_MARKS if data.startswith(mark)), None)
    if wide is not None:
        # Notepad's "Unicode" is UTF-16: no byte of it reads as GB18030 text either
        diagnostics.error(
            Code.UNREADABLE,
            f"{shown} is {wide} text (it starts with a {wide} byte order mark), not UTF-8",
            None,
            help="save the file as UTF-8 (in Notepad: 另存为, 编码 UTF-8); to convert: "
            f"`iconv -f {wide} -t UTF-8 {shown} > converted.rpt`",
        )
        return None
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
