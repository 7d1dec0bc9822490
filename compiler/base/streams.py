"""The standard streams of the `rpt` command, which may be closed or fail: a
build's result is its exit status and its outputs, never a traceback about a
stream."""

from __future__ import annotations

import errno
import os
import sys
from typing import TextIO


def discard(stream: TextIO) -> None:
    """Point a failing standard stream at /dev/null: what is left in its buffer
    would fail again at exit, and make Python exit with status 120."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        os.dup2(null, stream.fileno())
    except (OSError, ValueError):
        pass  # a stream without a descriptor of its own (under a test)
    finally:
        os.close(null)


def print_out(text: str) -> None:
    """Text on standard output, in UTF-8 whatever the locale (JSON is UTF-8, and
    a report's names are Chinese); raises OSError when it cannot be written."""
    stream = sys.stdout
    if stream is None:
        raise OSError(errno.EBADF, "standard output is closed")
    binary = getattr(stream, "buffer", None)  # none when a caller put a StringIO there
    try:
        stream.flush()
        if binary is None:
            stream.write(text)
        else:
            binary.write(text.encode("utf-8"))
        stream.flush()
    except BrokenPipeError:
        raise  # the reader left: main ends quietly
    except (OSError, ValueError) as error:
        discard(stream)
        raise OSError(getattr(error, "errno", None) or errno.EIO, reason(error)) from None


def reason(error: BaseException) -> str:
    return (error.strerror if isinstance(error, OSError) else None) or str(error)


def open_standard_streams() -> None:
    """Open /dev/null on whichever of descriptors 0, 1 and 2 is closed. Otherwise the
    first file rpt opens would take the number, and whatever a library prints
    to standard error would land in it. Python has already seen the stream as
    closed (sys.stderr is None), so rpt knows not to print there."""
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            opened = os.open(os.devnull, os.O_RDWR)
            if opened != descriptor:
                os.dup2(opened, descriptor)
                os.close(opened)
