"""Shared helpers: compile a source text in a scratch directory."""

from __future__ import annotations

import os
import signal
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from rpt.document.model import Document
from rpt.pipeline import Compilation, compile_report

UPDATE_GOLDEN = os.environ.get("RPT_UPDATE_GOLDEN") == "1"


@pytest.fixture
def compile_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Compilation]]:
    """Write `text` to main.rpt (and `files` beside it) and compile it from that directory."""
    monkeypatch.chdir(tmp_path)

    def run(text: str, **files: str) -> Compilation:
        for name, content in files.items():
            (tmp_path / name).write_text(content, encoding="utf-8")
        main = tmp_path / "main.rpt"
        main.write_text(text, encoding="utf-8")
        return compile_report(Path("main.rpt"))

    yield run


def compiled_document(directory: Path, text: str) -> Document:
    """The Document of `text` compiled as `directory`/main.rpt, which must have no errors."""
    (directory / "main.rpt").write_text(text, encoding="utf-8")
    result = compile_report(directory / "main.rpt")
    assert result.document is not None, result.diagnostics
    return result.document


@contextmanager
def kept(path: str) -> Iterator[Path]:
    """A device node that must stay one. Should a build replace it (the bug these
    tests catch, and we run as root), it is put back before the test fails: other
    programs on the machine write to /dev/null too."""
    device = Path(path)
    if not device.exists():
        pytest.skip(f"no {path} here")
    before = device.stat()
    try:
        yield device
    finally:
        after = device.lstat()
        if (after.st_mode, after.st_rdev) != (before.st_mode, before.st_rdev):
            spare = device.with_name(f".{device.name}.restored")
            os.mknod(spare, before.st_mode, before.st_rdev)
            os.chmod(spare, stat.S_IMODE(before.st_mode))
            spare.replace(device)
            pytest.fail(f"{path} was replaced by a {stat.filemode(after.st_mode)} file")


class Hung(Exception):
    pass


@contextmanager
def deadline(seconds: float = 5) -> Iterator[None]:
    """Fail instead of hanging: SIGALRM interrupts a blocking open or read (PEP 475
    retries a system call only when the handler returns)."""

    def expire(_signum: int, _frame: object) -> None:
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
