"""Inputs that are not regular files, link loops, and includes whose directories
change while the report is read: each ends in a diagnostic, never in a hang, a
traceback or a file read from outside the root."""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import deadline
from rpt.pipeline import Compilation, compile_report
from rpt.syntax import load
from rpt.syntax.read import MAX_FILE_BYTES, read_bytes

GOOD = "let 收入 = 1 万元\n收入<收入>。\n"


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays


def _directory(path: Path) -> None:
    path.mkdir()
    (path / "inside.rpti").write_text(GOOD, encoding="utf-8")


def _device(path: Path) -> None:
    """A character device node reading like /dev/zero: endless bytes."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o644, os.makedev(1, 5))
    except PermissionError:
        pytest.skip("making a device node needs root")


SPECIAL: dict[str, tuple[Callable[[Path], None], str]] = {
    "fifo": (_fifo, "a named pipe"),
    "socket": (_socket, "a socket"),
    "directory": (_directory, "a directory"),
    "device": (_device, "a character device"),
}


def _messages(result: Compilation) -> list[str]:
    return [f"{d.code.code} {d.message}" for d in result.diagnostics]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("kind", SPECIAL)
def test_a_special_main_file_is_refused_without_blocking(workdir: Path, kind: str) -> None:
    make, words = SPECIAL[kind]
    make(workdir / "main.rpt")
    with deadline():
        result = compile_report(Path("main.rpt"))
    assert result.document is None
    assert _messages(result) == [f"E104 cannot read main.rpt: it is {words}, not a regular file"]


@pytest.mark.parametrize("kind", SPECIAL)
def test_a_special_include_is_refused_without_blocking(workdir: Path, kind: str) -> None:
    make, words = SPECIAL[kind]
    make(workdir / "part.rpti")
    (workdir / "main.rpt").write_text('include "part.rpti"\n' + GOOD, encoding="utf-8")
    with deadline():
        result = compile_report(Path("main.rpt"))
    assert _messages(result) == [f"E104 cannot read part.rpti: it is {words}, not a regular file"]
    span = result.diagnostics[0].span
    assert span is not None and span.location() == "main.rpt:1:1"


def test_a_real_device_as_main_file(workdir: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    with deadline():
        result = compile_report(Path("/dev/zero"))
    assert _messages(result) == [
        "E104 cannot read /dev/zero: it is a character device, not a regular file"
    ]


def _loop(path: Path) -> None:
    other = path.with_name(path.name + ".other")
    path.symlink_to(other.name)
    other.symlink_to(path.name)


def test_a_link_loop_as_main_file(workdir: Path) -> None:
    _loop(workdir / "main.rpt")
    result = compile_report(Path("main.rpt"))
    assert _messages(result) == ["E104 cannot read main.rpt: Too many levels of symbolic links"]


def test_a_link_loop_as_include(workdir: Path) -> None:
    _loop(workdir / "part.rpti")
    (workdir / "main.rpt").write_text('include "part.rpti"\n', encoding="utf-8")
    result = compile_report(Path("main.rpt"))
    assert _messages(result) == ["E104 cannot read part.rpti: Too many levels of symbolic links"]


def test_a_link_loop_on_the_way_to_an_include(workdir: Path) -> None:
    _loop(workdir / "parts")
    (workdir / "main.rpt").write_text('include "parts/a.rpti"\n', encoding="utf-8")
    result = compile_report(Path("main.rpt"))
    assert [d.code.code for d in result.diagnostics] == ["E105"]


def test_a_link_loop_as_root(workdir: Path) -> None:
    _loop(workdir / "root")
    (workdir / "part.rpti").write_text(GOOD, encoding="utf-8")
    (workdir / "main.rpt").write_text('include "part.rpti"\n', encoding="utf-8")
    result = compile_report(Path("main.rpt"), workdir / "root")
    assert [d.code.code for d in result.diagnostics] == ["E109"]


def test_a_removed_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "main.rpt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "gone").mkdir()
    monkeypatch.chdir(tmp_path / "gone")
    (tmp_path / "gone").rmdir()
    assert compile_report(tmp_path / "main.rpt").document is not None


def test_links_inside_the_root_still_work(workdir: Path) -> None:
    (workdir / "parts").mkdir()
    (workdir / "parts" / "a.rpti").write_text(GOOD, encoding="utf-8")
    (workdir / "alias").symlink_to("parts")
    (workdir / "main.rpt").write_text('include "alias/a.rpti"\n', encoding="utf-8")
    assert compile_report(Path("main.rpt")).document is not None


def test_a_directory_swapped_for_a_link_while_reading_reads_nothing_outside(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The include is resolved while `parts` is a directory inside the root; before
    it is opened, `parts` becomes a link to a directory outside. The open, made
    from the root one directory at a time without following links, fails."""
    outside = workdir / "outside"
    outside.mkdir()
    (outside / "a.rpti").write_text("秘密<秘密>\n", encoding="utf-8")  # read, an E201
    root = workdir / "report"
    (root / "parts").mkdir(parents=True)
    (root / "parts" / "a.rpti").write_text(GOOD, encoding="utf-8")
    (root / "main.rpt").write_text('include "parts/a.rpti"\n', encoding="utf-8")
    resolve = load.resolved_below

    def swapping(directory: str, name: str) -> str:
        resolved = resolve(directory, name)
        if resolved.endswith("a.rpti") and not (root / "parts").is_symlink():
            (root / "parts").rename(root / "parts.old")
            (root / "parts").symlink_to(outside)
        return resolved

    monkeypatch.setattr(load, "resolved_below", swapping)
    result = compile_report(root / "main.rpt")
    monkeypatch.undo()
    assert (root / "parts").is_symlink()  # the swap happened
    assert [d.code.code for d in result.diagnostics] == ["E105"]


def test_a_refused_include_is_not_read(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Too large alone, or past the total: refused on the file's size, unread."""
    reads: list[int] = []
    read = read_bytes

    def counting(descriptor: int) -> bytes:
        data = read(descriptor)
        reads.append(len(data))
        return data

    monkeypatch.setattr("rpt.syntax.load.read_bytes", counting)
    with (workdir / "huge.rpti").open("wb") as huge:
        huge.truncate(100 * MAX_FILE_BYTES)  # sparse: 100 MB that take no disk
    part = ("正文" + "字" * 998 + "\n") * (MAX_FILE_BYTES * 2 // 3 // 3001)  # two fit
    (workdir / "part.rpti").write_text(part, encoding="utf-8")
    includes = 'include "huge.rpti"\n' * 1000 + 'include "part.rpti"\n' * 1000
    (workdir / "main.rpt").write_text(includes, encoding="utf-8")
    result = compile_report(Path("main.rpt"))
    assert {d.code.code for d in result.diagnostics} == {"E107"}
    assert len(reads) == 1 + 2  # the main file and the two parts that fit


def test_a_name_below_a_resolved_directory_resolves_as_realpath_resolves_it(
    workdir: Path,
) -> None:
    """resolved_below skips realpath for plain names with no link in them: every
    other name (links, dots, empty parts, absolute, missing) comes out alike."""
    directory = os.path.realpath(workdir)
    (workdir / "a" / "b").mkdir(parents=True)
    (workdir / "a" / "b" / "f").write_text("", encoding="utf-8")
    (workdir / "ln").symlink_to(workdir / "a")
    (workdir / "a" / "dead").symlink_to("nowhere")
    names = ["a/b/f", "a", "ln/b/f", "ln", "a/dead", "a/./b", "a/../a/b/f", "a//b", "a/b/", "/etc"]
    for name in [*names, "missing", "a/missing/x", ""]:
        assert load.resolved_below(directory, name) == load.resolved(os.path.join(directory, name))
