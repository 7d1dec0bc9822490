"""Read the main file and the files it includes into one `Module`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import syntax as ast
from .codes import Code
from .diagnostics import Diagnostics
from .parse import parse_file
from .read import MAX_TOTAL_BYTES, read_bytes, read_source
from .source import SourceFile, Span

MAX_INCLUDE_DEPTH = 32


def display_path(path: Path) -> str:
    """The path as diagnostics show it: relative to the working directory when below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass
class Loader:
    """Reads a report and its includes. Includes must stay inside `root` (by default
    the main file's directory): a report taken from elsewhere cannot make rpt read
    the rest of the disk into a document."""

    diagnostics: Diagnostics
    root: Path | None = None
    sources: list[SourceFile] = field(default_factory=list)
    total: int = 0

    def load(self, path: Path) -> ast.Module | None:
        if self.root is None:
            self.root = path.resolve().parent
        source = self._read(path, None)
        if source is None:
            return None
        return self._module(source, path)

    def load_text(self, text: str, path: Path) -> ast.Module:
        """A main file given as text; `path` names it and anchors its includes."""
        if self.root is None:
            self.root = path.resolve().parent
        source = read_source(
            display_path(path), text.encode("utf-8", "surrogatepass"), self.diagnostics
        )
        if source is None:
            return ast.Module((), ())
        self.sources.append(source)
        return self._module(source, path)

    def _module(self, source: SourceFile, path: Path) -> ast.Module:
        parsed = parse_file(source, self.diagnostics)
        items = self._expand(parsed.items, path.resolve(), [path.resolve()])
        return ast.Module(parsed.header, tuple(items))

    def _read(self, path: Path, at: Span | None) -> SourceFile | None:
        try:
            data = read_bytes(path)
        except OSError as error:
            self.diagnostics.error(
                Code.INCLUDE_NOT_FOUND if at else Code.UNREADABLE,
                f"cannot read {display_path(path)}: {error.strerror or error}",
                at,
                "included here" if at else "",
            )
            return None
        self.total += len(data)
        if self.total > MAX_TOTAL_BYTES:
            self.diagnostics.error(
                Code.LIMIT_EXCEEDED,
                f"the report's files come to more than {MAX_TOTAL_BYTES:,} bytes",
                at,
                "the limit is passed here" if at else "",
                help="rpt refuses inputs this large so that a build ends in bounded time",
            )
            return None
        source = read_source(display_path(path), data, self.diagnostics)
        if source is not None:
            self.sources.append(source)
        return source

    def _expand(self, items: tuple[ast.Item, ...], path: Path, chain: list[Path]) -> list[ast.Item]:
        result: list[ast.Item] = []
        for item in items:
            if not isinstance(item, ast.Include):
                result.append(item)
                continue
            target = (path.parent / item.path).resolve()
            assert self.root is not None
            if not target.is_relative_to(self.root):
                where = display_path(self.root)
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
                cycle = " → ".join(display_path(p) for p in [*chain[chain.index(target) :], target])
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
            source = self._read(target, item.span)
            if source is None:
                continue
            parsed = parse_file(source, self.diagnostics)
            if any(entry.key != "encoding" for entry in parsed.header):
                self.diagnostics.error(
                    Code.BAD_HEADER,
                    "only the main file may have front matter",
                    parsed.header[0].key_span,
                    f"in {source.path}, included from {display_path(path)}",
                    help="move these settings into the main file",
                )
            result.extend(self._expand(parsed.items, target, [*chain, target]))
        return result
