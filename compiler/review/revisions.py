"""A report as it was at a git revision: its files read out of git into a
private directory, compiled there, and named `REV:path` in diagnostics.
Versions are compiled as drafts: what reviewers compare includes their notes.

Only git's object store is read (`git ls-tree`, `git cat-file`): no checkout,
no hooks, no change to the repository or the working tree.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from ..base.record import record
from ..pipeline import Compilation, compile_report

# A report's directory holds its sources and data; a revision's copy of it
# larger than this is not a report's (and would fill the temporary directory).
MAX_REVISION_BYTES = 256 * 1024 * 1024
WORKING_TREE = "working tree"


class RevisionError(Exception):
    """A revision that cannot be read: not a git repository, an unknown revision."""


@record
class Version:
    """One side of a comparison: what it is called and its compilation."""

    label: str
    compilation: Compilation


def compile_version(file: Path, revision: str | None, root: Path | None) -> Version:
    """The report `file` at `revision` (None: the working tree, as it is on disk)."""
    if revision is None:
        return Version(WORKING_TREE, compile_report(file, root, draft=True))
    if revision.startswith("-") or not revision.strip():
        raise RevisionError(f"`{revision}` is not a revision")
    top = Path(_git(file.resolve().parent, "rev-parse", "--show-toplevel").decode().strip())
    commit = _commit(top, revision)
    main = file.resolve().relative_to(top)
    base = (root.resolve() if root else file.resolve().parent).relative_to(top)
    with tempfile.TemporaryDirectory(prefix="rpt-revision-") as scratch:
        _materialise(top, commit, base, Path(scratch))
        copy = Path(scratch)

        def show(path: Path | str) -> str:
            try:
                return f"{revision}:{Path(path).relative_to(copy).as_posix()}"
            except ValueError:
                return str(path)

        compilation = compile_report(copy / main, copy / base, show, draft=True)
    return Version(f"{revision} ({commit[:10]})", compilation)


def _commit(top: Path, revision: str) -> str:
    try:
        found = _git(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except RevisionError:
        raise RevisionError(f"`{revision}` is not a commit of {top}") from None
    return found.decode().strip()


def _materialise(top: Path, commit: str, base: Path, into: Path) -> None:
    """Write the files below `base` at `commit` into `into`, keeping their paths."""
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", base.as_posix())
    entries = []
    for line in listing.split(b"\0"):
        if not line:
            continue
        meta, _, path = line.partition(b"\t")
        mode, kind, object_id = meta.split(b" ")
        if kind == b"blob":  # submodules (commits) hold no file of this report
            entries.append((mode, object_id.decode(), os.fsdecode(path)))
    contents = _blobs(top, [blob for _, blob, _ in entries])
    total = 0
    for mode, blob, name in entries:
        data = contents[blob]
        total += len(data)
        if total > MAX_REVISION_BYTES:
            raise RevisionError(
                f"the report's directory at {commit[:10]} holds more than "
                f"{MAX_REVISION_BYTES // (1024 * 1024)} MB"
            )
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if mode == b"120000":  # a link, as git stores it: its target's text
            os.symlink(os.fsdecode(data), target)
        else:
            target.write_bytes(data)


def _blobs(top: Path, shas: list[str]) -> dict[str, bytes]:
    """The contents of git objects, read in one `git cat-file --batch`."""
    if not shas:
        return {}
    output = _git(top, "cat-file", "--batch", stdin="".join(f"{sha}\n" for sha in shas))
    contents: dict[str, bytes] = {}
    position = 0
    for sha in shas:
        end = output.index(b"\n", position)
        header = output[position:end].split(b" ")
        size = int(header[2])
        contents[sha] = output[end + 1 : end + 1 + size]
        position = end + 1 + size + 1  # the content, then a newline
    return contents


def _git(where: Path, *arguments: str, stdin: str | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(where), *arguments],
            input=stdin.encode() if stdin is not None else None,
            capture_output=True,
            check=False,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
        )
    except OSError as error:
        raise RevisionError(f"cannot run git: {error.strerror or error}") from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise RevisionError(message[-1] if message else f"git {arguments[0]} failed")
    return done.stdout
