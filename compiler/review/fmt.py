"""`rpt fmt`: each source file in its canonical layout (syntax/canonical.py).

A file is read as the compiler reads it (UTF-8, or GB18030 when its front
matter declares it, which the laid-out file keeps); one with a syntax error is
left alone and its diagnostics returned. Formatting needs the file alone: a
name another file declares is no concern of its layout.
"""

from __future__ import annotations

import codecs
import difflib
import os
from pathlib import Path

from ..base.codes import Code
from ..base.diagnostics import Diagnostic, Diagnostics
from ..base.record import record
from ..syntax.canonical import layout
from ..syntax.load import display_path
from ..syntax.parse import parse_file
from ..syntax.read import open_file, read_bytes, read_source


@record
class Formatted:
    """One file: its bytes as read, as laid out (None when it could not be), and
    why not."""

    path: Path
    original: bytes
    laid_out: bytes | None
    diagnostics: list[Diagnostic]

    def changed(self) -> bool:
        return self.laid_out is not None and self.laid_out != self.original

    def diff(self) -> str:
        """A unified diff from the file to its layout."""
        assert self.laid_out is not None
        name = display_path(self.path)
        old, new = (
            _text(data).splitlines(keepends=True) for data in (self.original, self.laid_out)
        )
        return "".join(difflib.unified_diff(old, new, f"{name}", f"{name} (formatted)"))


def format_file(path: Path) -> Formatted:
    diagnostics = Diagnostics()
    shown = display_path(path)
    try:
        descriptor = open_file(path)
        try:
            data = read_bytes(descriptor)
        finally:
            os.close(descriptor)
    except OSError as error:
        diagnostics.error(Code.UNREADABLE, f"cannot read {shown}: {error.strerror or error}", None)
        return Formatted(path, b"", None, diagnostics.sorted())
    source = read_source(shown, data, diagnostics)
    if source is None:
        return Formatted(path, data, None, diagnostics.sorted())
    parse_file(source, diagnostics)
    if diagnostics.has_errors():
        return Formatted(path, data, None, diagnostics.sorted())
    text = layout(source).replace("\n", _line_ending(data))
    encoding = "utf-8" if _is_utf8(data) else "gb18030"  # else it would not have been read
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    return Formatted(path, data, bom + text.encode(encoding), diagnostics.sorted())


def _line_ending(data: bytes) -> str:
    """The line ending of the file's first line, kept by the layout: a file saved
    by a Windows editor stays CRLF, and its diff shows only what changed."""
    end = data.find(b"\n")
    if end > 0 and data[end - 1 : end] == b"\r":
        return "\r\n"
    if end < 0 and b"\r" in data:
        return "\r"
    return "\n"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _text(data: bytes) -> str:
    return data.decode("utf-8") if _is_utf8(data) else data.decode("gb18030")
