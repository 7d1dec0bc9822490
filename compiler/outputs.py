"""Naming a build's outputs, and writing them: all of them or none, and never
over anything but a regular file.

- A regular file (or a name not yet taken) is replaced by rename: its new
  content goes to a temporary file beside it first, so a failed or interrupted
  build leaves the previous output whole. The new file has the mode the old one
  had, or the one a plain write would give it.
- A name that is a link is written where the link points, as a plain write
  would: the link stays a link. (A file reached by a name that is not its path,
  such as /dev/stdout on a deleted file, can only be written plainly.)
- A character device or a named pipe (`/dev/null`, `/dev/stdout` in a pipe) gets
  a plain write, and its errors are reported (`/dev/full` is full). It is
  opened without blocking, so a pipe no process reads fails instead of hanging.
- Anything else (a directory, a socket, a block device) is refused.
- With several outputs, every temporary is written, then every plain write
  made, before any output is renamed, and the renames are not interrupted by
  SIGINT, SIGTERM or SIGHUP: an output is never new beside another that is old
  (unless a rename itself fails, on an immutable file, which is reported).
"""

from __future__ import annotations

import errno
import os
import signal
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .base.record import record
from .render import RENDERERS
from .syntax.load import real_path
from .syntax.read import file_kind

# The temporary's name does not grow with the output's: a name near the system's
# limit (255 bytes) must not fail only because its temporary is longer.
TEMPORARY_PREFIX = ".rpt-"
TEMPORARY_SUFFIX = ".tmp"
# What ends a build from outside; held while the outputs are renamed into place.
STOPPING = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


class NamingError(Exception):
    """Outputs that cannot be named so: said in one line, before anything is compiled."""


class OutputError(Exception):
    """An output cannot be written; `path` is the output as it was named."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason


class Stopped(BaseException):
    """SIGTERM or SIGHUP ended the build. Like KeyboardInterrupt for SIGINT, it
    unwinds the stack, so that the temporaries are removed on the way."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, _frame: object) -> None:
    raise Stopped(signum)


@contextmanager
def stoppable() -> Iterator[None]:
    """SIGTERM and SIGHUP raise Stopped for the duration (their default would end
    the process on the spot, leaving its temporaries behind)."""
    previous = {signum: signal.signal(signum, _stop) for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@record
class _Output:
    """Where one output goes: `place` is the file to replace by rename, or None
    for a plain write to `path` (a device or a pipe)."""

    path: Path
    data: bytes
    place: Path | None


def name_outputs(
    files: list[Path], output: Path | None, formats: list[str]
) -> list[tuple[Path, list[tuple[str, Path]]]]:
    """Each report and its outputs; with several reports, `-o` names a directory
    and each report's outputs are named after its main file."""
    if len(files) == 1:
        return [(files[0], _targets(files[0], output, formats, exact=output is not None))]
    if output is not None and output.exists() and not output.is_dir():
        raise NamingError(f"-o {output} must be a directory when several reports are built")
    batch = [
        (file, _targets(file, output / file.name if output else None, formats, exact=False))
        for file in files
    ]
    written: dict[Path, Path] = {}
    for file, targets in batch:
        for _, path in targets:
            other = written.setdefault(path.absolute(), file)
            if other is not file:
                raise NamingError(f"{other} and {file} would both write {path}")
    return batch


def _targets(
    file: Path, output: Path | None, formats: list[str], *, exact: bool
) -> list[tuple[str, Path]]:
    """Each format's output: `output` itself when `exact` and one format is asked
    for, else `output` (or the report's main file) with each format's suffix."""
    unknown = [f for f in formats if f not in RENDERERS]
    if unknown or not formats:
        raise NamingError(
            f"unknown output format {', '.join(unknown) or '(none)'}; choose from "
            + ", ".join(RENDERERS)
        )
    targets = []
    for name in formats:
        suffix = RENDERERS[name].suffix
        if output is not None and exact and len(formats) == 1:
            path = output
        else:
            named = file if output is None else output
            if not named.name or named.name == "..":  # `rpt build .`, `-o /`
                raise NamingError(f"no output can be named after {named}: give -o a file name")
            path = named.with_suffix(suffix)
        if same_file(path, file):
            raise NamingError(f"the output {path} would overwrite the source")
        targets.append((name, path))
    return targets


def same_file(a: Path | str, b: Path | str) -> bool:
    """Whether two names reach one file (through links, or as hard links)."""
    try:
        first, second = os.stat(a), os.stat(b)
    except OSError:
        return False
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def write_outputs(outputs: Sequence[tuple[Path, bytes]]) -> None:
    """Write every output, or leave every one as it was and raise OutputError."""
    planned = [_plan(path, data) for path, data in outputs]
    temporaries: list[tuple[Path, _Output]] = []
    try:
        for output in planned:
            if output.place is not None:
                _write_temporary(output, temporaries)
        for output in planned:
            if output.place is None:
                _write_plainly(output)
        try:
            with _held():
                while temporaries:
                    temporary, output = temporaries[0]
                    assert output.place is not None
                    try:
                        os.replace(temporary, output.place)
                    except OSError as error:
                        raise _error(output.path, error) from None
                    temporaries.pop(0)
        except (KeyboardInterrupt, Stopped):
            if temporaries:
                raise
            # every output is in place: the signal came too late to stop the build
    finally:
        for temporary, _ in temporaries:
            temporary.unlink(missing_ok=True)


def _error(path: Path, error: OSError) -> OutputError:
    return OutputError(path, error.strerror or str(error))


def _plan(path: Path, data: bytes) -> _Output:
    try:
        named = os.stat(path)
    except FileNotFoundError:
        # a new file, or a link to one not made yet: created where the link points
        return _Output(path, data, real_path(path))
    except OSError as error:
        raise _error(path, error) from None
    if stat.S_ISREG(named.st_mode):
        place = real_path(path)
        try:
            found = os.stat(place)
        except OSError:
            found = None
        if found is not None and (found.st_dev, found.st_ino) == (named.st_dev, named.st_ino):
            return _Output(path, data, place)
        return _Output(path, data, None)  # reached by a name that is not its path
    if stat.S_ISCHR(named.st_mode) or stat.S_ISFIFO(named.st_mode):
        return _Output(path, data, None)
    raise OutputError(
        path, f"it is {file_kind(named.st_mode)}; rpt writes only to files, devices and pipes"
    )


def _permissions(place: Path) -> int:
    """The mode the output gets: the one the file has, or what `open` would give."""
    try:
        return stat.S_IMODE(os.stat(place).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _write_temporary(output: _Output, temporaries: list[tuple[Path, _Output]]) -> None:
    """Write the output to a new temporary file beside its place, listed in
    `temporaries` from the moment it exists."""
    import tempfile  # noqa: PLC0415  (a check writes nothing: loaded by a build)

    place = output.place
    assert place is not None
    try:
        place.parent.mkdir(parents=True, exist_ok=True)
        mode = _permissions(place)
        # held, so that no signal comes between the file's creation and its listing
        with _held():
            handle, name = tempfile.mkstemp(
                prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX, dir=place.parent
            )
            temporaries.append((Path(name), output))
            stream = os.fdopen(handle, "wb")
        with stream:
            stream.write(output.data)
            stream.flush()
            os.fchmod(stream.fileno(), mode)
            os.fsync(stream.fileno())
    except OSError as error:
        raise _error(output.path, error) from None


def _write_plainly(output: _Output) -> None:
    # O_TRUNC matters only for a regular file: devices and pipes ignore it
    flags = os.O_WRONLY | os.O_TRUNC | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    try:
        descriptor = os.open(output.path, flags)
    except OSError as error:
        if error.errno == errno.ENXIO:
            raise OutputError(output.path, "it is a named pipe that no process reads") from None
        raise _error(output.path, error) from None
    try:
        os.set_blocking(descriptor, True)  # now wait for a slow reader, as a plain write does
        view = memoryview(output.data)
        while view:
            view = view[os.write(descriptor, view) :]
    except OSError as error:
        raise _error(output.path, error) from None
    finally:
        os.close(descriptor)


@contextmanager
def _held() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP held for the duration. One that comes meanwhile
    takes effect at the end, its handler raising there; one already due when the
    hold begins raises before anything is done (pthread_sigmask runs the handlers
    of the signals it finds)."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, ())
    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
