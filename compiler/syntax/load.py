"""Read the main file and the files it includes into one `Module`.

Includes must stay inside a root directory (by default the main file's): a report
taken from elsewhere cannot make rpt read the rest of the disk into a document.
An include's path is resolved and checked against the root, then the file is
opened from a descriptor on the root one directory at a time, following no link,
so a directory swapped for a link after the check fails to open rather than
leading outside. Every refusal (outside the root, a cycle, too deep, too large)
comes before the file is read.
"""

from __future__ import annotations

import errno
import os
import stat
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from pathlib import Path

from ..base.codes import Code
from ..base.diagnostics import Diagnostic, Diagnostics
from ..base.digest import sha256_hex
from ..base.kept import Kept, forget_kept
from ..base.record import field, mutable, record, replace
from ..base.source import SourceFile, Span
from . import tree as ast
from .parse import parse_file
from .read import MAX_FILE_BYTES, MAX_TOTAL_BYTES, open_file, read_bytes, read_data, read_source

MAX_INCLUDE_DEPTH = 32
# The final-accounts system's workbook of some thirty tables is well under 1 MB;
# a data file twenty times that is no export of it.
MAX_DATA_BYTES = 20 * 1024 * 1024
MAX_TOTAL_DATA_BYTES = 64 * 1024 * 1024

_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC

# A process that compiles again (a watch mode, an editor, a batch of reports
# sharing parts) reads most files to the text it read before: their syntax trees
# are kept, by name and text, up to this much text: twenty times the example's,
# some 30 MB of trees.
PARSED_TEXT_KEPT = 1024 * 1024


@record
class Parsed:
    """One file's parse, kept for the next read of the same bytes under the same
    name: the source its spans point into, its syntax tree, the diagnostics the
    reading and the parse gave (given again at every reuse)."""

    source: SourceFile
    file: ast.File
    diagnostics: tuple[Diagnostic, ...]
    dropped: int


_parsed: OrderedDict[tuple[str, bytes], Parsed] = OrderedDict()
# each data source of a kept tree with its file's bytes, as last read
_read_sources: Kept[ast.DataSource] = Kept(limit=10_000)
_parsed_text = 0


def forget_parsed() -> None:
    """Drop every kept parse, and all the passes made of the trees (tests; a
    process that wants its memory back)."""
    global _parsed_text  # noqa: PLW0603  (the cache is the module's, see PARSED_TEXT_KEPT)
    _parsed.clear()
    _parsed_text = 0
    forget_kept()


def _keep(key: tuple[str, bytes], parsed: Parsed) -> None:
    global _parsed_text  # noqa: PLW0603
    if key in _parsed:
        _parsed_text -= len(_parsed[key].source.text)
    _parsed[key] = parsed
    _parsed_text += len(parsed.source.text)
    while _parsed_text > PARSED_TEXT_KEPT and len(_parsed) > 1:
        _, old = _parsed.popitem(last=False)
        _parsed_text -= len(old.source.text)


def display_path(path: Path | str) -> str:
    """The path as diagnostics show it: relative to the working directory when below it."""
    text = os.fspath(path)
    if os.path.isabs(text) and os.path.normpath(text) == text:
        # a resolved path (each include's is): the same answer without pathlib
        try:
            below = os.path.join(os.getcwd(), "")
        except OSError:  # the working directory was removed
            return text
        if text.startswith(below):
            return text[len(below) :]
        return "." if text == below[:-1] else text
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except (ValueError, OSError):  # OSError: the working directory was removed
        return str(path)


def resolved(path: Path | str) -> str:
    """The absolute path with every link resolved. A link loop stays as it is, for
    the open to report (`Path.resolve` raises RuntimeError on one), and so does a
    name that changes while it is resolved (realpath then raises, a link having
    gone between lstat and readlink): the open finds what is there."""
    try:
        return os.path.realpath(path)
    except OSError:
        return os.path.abspath(path)


def resolved_below(directory: str, name: str) -> str:
    """resolved(os.path.join(directory, name)) of a `directory` resolved already:
    a relative name none of whose parts is a link (or `.` or `..`) is itself
    there. realpath would look at every directory above it again, for each
    include."""
    parts = name.split(os.sep)
    if os.path.isabs(name) or any(part in ("", os.curdir, os.pardir) for part in parts):
        return resolved(os.path.join(directory, name))
    target = directory
    try:
        for part in parts:
            target = os.path.join(target, part)
            if stat.S_ISLNK(os.lstat(target).st_mode):
                return resolved(os.path.join(directory, name))
    except (OSError, ValueError):  # missing, or a name no system call takes
        return resolved(os.path.join(directory, name))
    return target


def real_path(path: Path | str) -> Path:
    return Path(resolved(path))


@mutable
class Loader:
    """Reads a report and its includes, which must stay inside `root` (by default
    the main file's directory)."""

    diagnostics: Diagnostics
    root: Path | None = None
    # how diagnostics name a file: relative to the working directory, or (for
    # a report compiled from a git revision) as `REV:path`
    show: Callable[[Path | str], str] = display_path
    sources: list[SourceFile] = field(default_factory=list)
    total: int = 0
    # each data file read, named from the main file's directory, with its SHA-256
    data_files: list[tuple[str, str]] = field(default_factory=list)
    data_total: int = 0
    # the real path of every file read, sources and data: what no output may be
    inputs: list[str] = field(default_factory=list)
    _root_descriptor: int | None = field(default=None, init=False, repr=False)
    # each data file read, by its real path: its bytes and their SHA-256
    _data_read: dict[str, tuple[bytes, str]] = field(default_factory=dict, init=False, repr=False)

    def load(self, path: Path) -> ast.Module | None:
        real = real_path(path)
        if self.root is None:
            self.root = real.parent
        parsed = self._read(partial(open_file, path), path, None)
        if parsed is None:
            return None
        return self._module(parsed.file, str(real))

    def load_text(self, text: str, path: Path) -> ast.Module:
        """A main file given as text; `path` names it and anchors its includes."""
        real = real_path(path)
        if self.root is None:
            self.root = real.parent
        parsed = self._parsed(self.show(path), text.encode("utf-8", "surrogatepass"))
        if parsed is None:
            return ast.Module((), ())
        return self._module(parsed.file, str(real))

    def _module(self, parsed: ast.File, real: str) -> ast.Module:
        try:
            items = self._expand(parsed.items, real, [real])
        finally:
            if self._root_descriptor is not None:
                os.close(self._root_descriptor)
                self._root_descriptor = None
        return ast.Module(parsed.header, tuple(items))

    def _read(
        self, open_: Callable[[], int], path: Path | str, at: Span | None, real: str | None = None
    ) -> Parsed | None:
        """The file at `path`, opened by `open_`, read and parsed; `real` is its
        real path when known (an include's target, opened without following a link)."""
        try:
            descriptor = open_()
            try:
                size = os.fstat(descriptor).st_size
                if not self._fits(path, size, at):
                    return None
                data = read_bytes(descriptor)
            finally:
                os.close(descriptor)
        except OSError as error:
            missing = isinstance(error, FileNotFoundError | NotADirectoryError)
            self.diagnostics.error(
                Code.INCLUDE_NOT_FOUND if at and missing else Code.UNREADABLE,
                f"cannot read {self.show(path)}: {error.strerror or error}",
                at,
                "included here" if at else "",
            )
            return None
        if len(data) != size and not self._fits(path, len(data), at):
            return None  # the file grew after it was measured
        self.total += len(data)
        self.inputs.append(resolved(path) if real is None else real)
        return self._parsed(self.show(path), data)

    def _parsed(self, shown: str, data: bytes) -> Parsed | None:
        """A file's bytes read and parsed, or as they were before under this name
        (the kept trees' spans point into the kept source). A text with refused
        characters is never kept (their diagnostics point into the new read)."""
        key = (shown, data)
        kept = _parsed.get(key)
        if kept is None:
            found = Diagnostics()
            source = read_source(shown, data, found)
            if source is None:
                for diagnostic in found.items:
                    self.diagnostics.add(diagnostic)
                self.diagnostics.dropped += found.dropped
                return None
            kept = Parsed(source, parse_file(source, found), tuple(found.items), found.dropped)
            if not source.blanked:
                _keep(key, kept)
        else:
            _parsed.move_to_end(key)
        for diagnostic in kept.diagnostics:
            self.diagnostics.add(diagnostic)
        self.diagnostics.dropped += kept.dropped
        self.sources.append(kept.source)
        return kept

    def _fits(self, path: Path | str, size: int, at: Span | None) -> bool:
        """Whether `size` more bytes stay within the limits, reported when not."""
        if size > MAX_FILE_BYTES:
            self.diagnostics.error(
                Code.LIMIT_EXCEEDED,
                f"{self.show(path)} is larger than {MAX_FILE_BYTES:,} bytes, "
                "the most rpt reads from one file",
                at,
                "not included" if at else "",
                help="split the report into several files joined by `include`",
            )
            return False
        if self.total + size > MAX_TOTAL_BYTES:
            self.diagnostics.error(
                Code.LIMIT_EXCEEDED,
                f"the report's files come to more than {MAX_TOTAL_BYTES:,} bytes",
                at,
                "the limit is passed here" if at else "",
                help="rpt refuses inputs this large so that a build ends in bounded time",
            )
            return False
        return True

    def _open_inside_root(self, target: str) -> int:
        """Open `target`, a resolved path below the root, from the root's descriptor
        one component at a time, following no link."""
        assert self.root is not None
        if self._root_descriptor is None:
            try:
                self._root_descriptor = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)
            except OSError as error:
                raise OSError(
                    error.errno or errno.EINVAL,
                    f"the directory includes are read from, {self.show(self.root)}, "
                    f"cannot be opened: {error.strerror or error}",
                ) from None
        relative = target[len(os.path.join(self.root, "")) :] or "."
        *directories, name = relative.split(os.sep)
        current = self._root_descriptor
        try:
            for directory in directories:
                below = os.open(directory, _DIRECTORY, dir_fd=current)
                if current != self._root_descriptor:
                    os.close(current)
                current = below
            return open_file(name, dir_fd=current, follow=False)
        finally:
            if current != self._root_descriptor:
                os.close(current)

    def _data(self, item: ast.DataSource, directory: str, root: str, report: str) -> ast.DataSource:
        """A data source with its file's bytes, read under the rules of includes:
        inside the root, a regular file, opened without following a link, bounded.
        `report` is the main file's directory, which the record of the file names
        it from."""
        target = resolved_below(directory, item.path)
        if not (target + os.sep).startswith(root):
            where = self.show(self.root or ".")
            self.diagnostics.error(
                Code.OUTSIDE_ROOT,
                f"`{item.path}` lies outside the directory rpt may read "
                f"({'the report’s directory' if where == '.' else where})",
                item.path_span,
                "not read",
                help="keep data files beside the report, or allow a wider directory "
                "with `rpt build --root DIR`",
            )
            return item
        # a workbook several sources read is read once: all see the same bytes
        before = self._data_read.get(target)
        if before is not None:
            data, size = before[0], len(before[0])
        else:
            try:
                descriptor = self._open_inside_root(target)
                try:
                    size = os.fstat(descriptor).st_size
                    data = b"" if size > MAX_DATA_BYTES else read_data(descriptor)
                finally:
                    os.close(descriptor)
            except OSError as error:
                self.diagnostics.error(
                    Code.BAD_DATA,
                    f"cannot read {self.show(target)}: {error.strerror or error}",
                    item.path_span,
                    "this data file",
                )
                return item
        self.data_total += max(size, len(data))
        if size > MAX_DATA_BYTES or len(data) > MAX_DATA_BYTES:
            self.diagnostics.error(
                Code.LIMIT_EXCEEDED,
                f"{self.show(target)} is larger than {MAX_DATA_BYTES:,} bytes, "
                "the most rpt reads from one data file",
                item.path_span,
                "this data file",
            )
            return item
        if self.data_total > MAX_TOTAL_DATA_BYTES:
            self.diagnostics.error(
                Code.LIMIT_EXCEEDED,
                f"the report's data files come to more than {MAX_TOTAL_DATA_BYTES:,} bytes",
                item.path_span,
                "the limit is passed here",
            )
            return item
        # the output names the file as the report does, whatever the working
        # directory, and once however many of its sheets the report reads
        self.inputs.append(target)
        if before is None:
            before = self._data_read[target] = (data, sha256_hex(data))
        read = (os.path.relpath(target, report), before[1])
        if read not in self.data_files:
            self.data_files.append(read)
        shown = self.show(target)
        found = _read_sources.get(item, None, self.diagnostics)
        if found is not None and found.content == data and found.path == shown:
            return found  # the same item again: what later passes kept of it still holds
        return _read_sources.put(
            item, None, replace(item, content=data, path=shown), self.diagnostics
        )

    def _expand(self, items: tuple[ast.Item, ...], path: str, chain: list[str]) -> list[ast.Item]:
        """The items with their includes spliced in; `path` is the real path of the
        file they come from, `chain` the files being included. Paths are strings
        here: a report may hold tens of thousands of includes, and pathlib's
        objects cost more than the system calls."""
        assert self.root is not None
        root = os.path.join(self.root, "")  # with a trailing separator
        directory = os.path.dirname(path)
        result: list[ast.Item] = []
        for item in items:
            if isinstance(item, ast.DataSource):
                result.append(self._data(item, directory, root, os.path.dirname(chain[0])))
                continue
            if not isinstance(item, ast.Include):
                result.append(item)
                continue
            target = resolved_below(directory, item.path)
            if not (target + os.sep).startswith(root):
                where = self.show(self.root)
                self.diagnostics.error(
                    Code.OUTSIDE_ROOT,
                    f"`{item.path}` lies outside the directory rpt may read "
                    f"({'the report’s directory' if where == '.' else where})",
                    item.span,
                    "not included",
                    help="keep included files beside the report, or allow a wider directory "
                    "with `rpt build --root DIR`",
                )
                continue
            if target in chain:
                cycle = " → ".join(self.show(p) for p in [*chain[chain.index(target) :], target])
                self.diagnostics.error(
                    Code.INCLUDE_CYCLE,
                    "this include makes a cycle",
                    item.span,
                    "includes a file that is already being included",
                    notes=(f"cycle: {cycle}",),
                )
                continue
            if len(chain) >= MAX_INCLUDE_DEPTH:
                self.diagnostics.error(
                    Code.LIMIT_EXCEEDED,
                    f"includes nest deeper than {MAX_INCLUDE_DEPTH} files",
                    item.span,
                    "not included",
                    help="include the parts from the main file, side by side, "
                    "rather than each from the one before",
                )
                continue
            opened = partial(self._open_inside_root, target)
            read = self._read(opened, target, item.span, real=target)
            if read is None:
                continue
            source, parsed = read.source, read.file
            if any(entry.key != "encoding" for entry in parsed.header):
                self.diagnostics.error(
                    Code.BAD_HEADER,
                    "only the main file may have front matter",
                    parsed.header[0].key_span,
                    f"in {source.path}, included from {self.show(path)}",
                    help="move these settings into the main file",
                )
            result.extend(self._expand(parsed.items, target, [*chain, target]))
        return result
