"""Outputs and standard streams: only regular files are replaced, every output
of a build or none, nothing left behind by a signal, and a closed, full or
non-UTF-8 stdout or stderr never turns into a traceback."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import kept
from rpt.cli import main
from rpt.outputs import TEMPORARY_PREFIX

GOOD = "let 收入 = 216.53 万元\n收入为<收入>。\n"
BAD = "let 收入 = 216.53 万元\n收入为<收人>。\n"
MARKDOWN = "收入为216.53万元。\n"
RPT = shutil.which("rpt", path=str(Path(sys.executable).parent))


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.rpt").write_text(GOOD, encoding="utf-8")
    return tmp_path


def _temporaries(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(TEMPORARY_PREFIX))


def _rpt(
    command: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run rpt through the shell, for redirections such as `2>&-` (descriptor 2 closed)."""
    assert RPT is not None, "the rpt console script is installed beside the interpreter"
    return subprocess.run(
        f"'{RPT}' {command}", shell=True, cwd=cwd, env=env, capture_output=True, check=False
    )


# ------------------------------------------------------------ what may be replaced


def test_dev_null_stays_a_device(workdir: Path) -> None:
    with kept("/dev/null") as null:
        assert main(["build", "r.rpt", "-o", str(null)]) == 0
    assert not _temporaries(null.parent)


def test_dev_full_is_an_error(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with kept("/dev/full") as full:
        assert main(["build", "r.rpt", "-o", str(full)]) == 2
    message = capsys.readouterr().err
    assert message == "rpt: error: cannot write /dev/full: No space left on device\n"


def test_a_pipe_no_process_reads_fails_at_once(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(workdir / "pipe")
    start = time.monotonic()
    assert main(["build", "r.rpt", "-o", "pipe"]) == 2
    assert time.monotonic() - start < 5
    assert "it is a named pipe that no process reads" in capsys.readouterr().err
    assert stat.S_ISFIFO((workdir / "pipe").stat().st_mode)


def test_a_pipe_with_a_reader_gets_the_output(workdir: Path) -> None:
    os.mkfifo(workdir / "pipe")
    received: list[bytes] = []

    def read() -> None:
        with (workdir / "pipe").open("rb") as pipe:
            received.append(pipe.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        for _ in range(500):  # until the reader has the pipe open
            if main(["build", "r.rpt", "-o", "pipe"]) == 0:
                break
            time.sleep(0.01)
    finally:
        reader.join(timeout=10)
        if reader.is_alive():  # nothing came: release the reader's open
            os.close(os.open(workdir / "pipe", os.O_WRONLY | os.O_NONBLOCK))
    assert received == [MARKDOWN.encode("utf-8")]


def test_stdout_as_output_in_a_pipe(workdir: Path) -> None:
    stdout = Path("/dev/stdout")
    if not stdout.is_symlink():
        pytest.skip("no /dev/stdout link here")
    link = os.readlink(stdout)
    try:
        done = _rpt("build r.rpt -o /dev/stdout | cat", workdir)
    finally:
        if not stdout.is_symlink():  # replaced by a file: put the link back, then fail
            spare = stdout.with_name(".stdout.restored")
            spare.symlink_to(link)
            spare.replace(stdout)
            pytest.fail("/dev/stdout was replaced by a file")
    assert done.stdout.decode("utf-8") == MARKDOWN


@pytest.mark.parametrize("kind", ["directory", "socket"])
def test_a_directory_or_a_socket_is_refused(
    workdir: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    target = workdir / "out.md"
    if kind == "directory":
        target.mkdir()
    else:
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(target))
    assert main(["build", "r.rpt", "-o", "out.md"]) == 2
    assert f"cannot write out.md: it is a {kind}" in capsys.readouterr().err
    assert target.is_dir() if kind == "directory" else stat.S_ISSOCK(target.stat().st_mode)


def test_a_link_is_written_through(workdir: Path) -> None:
    (workdir / "real.md").write_text("old\n", encoding="utf-8")
    (workdir / "out.md").symlink_to("real.md")
    (workdir / "dangling.md").symlink_to("made/new.md")
    assert main(["build", "r.rpt", "-o", "out.md"]) == 0
    assert main(["build", "r.rpt", "-o", "dangling.md"]) == 0
    assert (workdir / "out.md").is_symlink() and (workdir / "dangling.md").is_symlink()
    assert (workdir / "real.md").read_text(encoding="utf-8") == MARKDOWN
    assert (workdir / "made" / "new.md").read_text(encoding="utf-8") == MARKDOWN


def test_a_link_loop_as_output_or_root(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "loop").symlink_to("loop.other")
    (workdir / "loop.other").symlink_to("loop")
    assert main(["build", "r.rpt", "-o", "loop"]) == 2
    assert main(["build", "r.rpt", "--root", "loop"]) == 2
    assert main(["check", "r.rpt", "--root", "r.rpt"]) == 2
    assert capsys.readouterr().err == (
        "rpt: error: cannot write loop: Too many levels of symbolic links\n"
        "rpt: error: --root loop: Too many levels of symbolic links\n"
        "rpt: error: --root r.rpt: it is a regular file, not a directory\n"
    )


def test_a_hard_link_to_the_source_is_not_overwritten(workdir: Path) -> None:
    os.link(workdir / "r.rpt", workdir / "alias.md")
    assert main(["build", "r.rpt", "-o", "alias.md"]) == 2
    assert (workdir / "r.rpt").read_text(encoding="utf-8") == GOOD


@pytest.mark.parametrize(
    "argv", [["build", "/"], ["build", "."], ["build", "r.rpt", "--to", "md,docx", "-o", "/"]]
)
def test_a_name_no_output_can_be_named_after(
    workdir: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert main(argv) == 2
    assert "rpt: error: no output can be named after" in capsys.readouterr().err


def test_a_name_at_the_length_limit(workdir: Path) -> None:
    """The temporary's name does not grow with the output's."""
    name = "报" * 83 + ".md"  # 252 bytes in UTF-8: the limit is 255
    assert main(["build", "r.rpt", "-o", name]) == 0
    assert (workdir / name).read_text(encoding="utf-8") == MARKDOWN


# ------------------------------------------------------------------ all or nothing


def test_several_outputs_are_written_all_or_none(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Word document cannot be written (it is /dev/full): the Markdown,
    whose temporary was already written, stays the old one."""
    (workdir / "out.md").write_text("old\n", encoding="utf-8")
    (workdir / "out.docx").symlink_to("/dev/full")
    with kept("/dev/full"):
        assert main(["build", "r.rpt", "--to", "md,docx", "-o", "out"]) == 2
    assert "cannot write out.docx: No space left on device" in capsys.readouterr().err
    assert (workdir / "out.md").read_text(encoding="utf-8") == "old\n"
    assert not _temporaries(workdir)


def test_the_previous_outputs_stay_when_one_is_refused(workdir: Path) -> None:
    (workdir / "out.md").write_text("old\n", encoding="utf-8")
    (workdir / "out.docx").mkdir()
    assert main(["build", "r.rpt", "--to", "md,docx", "-o", "out"]) == 2
    assert (workdir / "out.md").read_text(encoding="utf-8") == "old\n"
    assert not _temporaries(workdir)


# A slow disk or terminal waits in short sleeps: a signal that lands after the
# interpreter's last look for one and before a long sleep begins would only be
# seen when the sleep ends (a real fsync returns; a minute's sleep would not).
SLOW_FSYNC = """
import os, sys, time
from rpt.cli import main
synced = os.fsync
def slow(descriptor):  # an output written to a slow disk
    for _ in range(600):
        time.sleep(0.1)
    synced(descriptor)
os.fsync = slow
sys.exit(main(sys.argv[1:]))
"""


def _interrupted_while_writing(workdir: Path, signum: int, *argv: str) -> tuple[int, str]:
    """Run `rpt build` on a slow disk and send it `signum` once it has begun
    writing its outputs: its exit status and what it said."""
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_FSYNC, "build", *argv],
        cwd=workdir,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while not _temporaries(workdir) and time.monotonic() < deadline:
            assert child.poll() is None, "the build ended before it wrote"
            time.sleep(0.01)
        assert _temporaries(workdir), "the build never started writing"
        child.send_signal(signum)
        status = child.wait(timeout=30)
    finally:
        child.kill()
    assert child.stderr is not None
    return status, child.stderr.read().decode()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_while_writing_leaves_no_temporary_and_the_old_outputs(
    workdir: Path, signum: signal.Signals
) -> None:
    for name in ("out.md", "out.docx"):
        (workdir / name).write_text("old\n", encoding="utf-8")
    status, said = _interrupted_while_writing(
        workdir, signum, "r.rpt", "--to", "md,docx", "-o", "out"
    )
    assert said.endswith("nothing was written\n")
    assert status == 128 + signum
    assert not _temporaries(workdir)
    for name in ("out.md", "out.docx"):
        assert (workdir / name).read_text(encoding="utf-8") == "old\n"


@pytest.mark.parametrize("build", ["fails", "is interrupted", "succeeds"])
def test_a_hard_link_to_the_previous_output_keeps_the_previous_bytes(
    workdir: Path, build: str
) -> None:
    """An output is replaced by rename, never rewritten in place: whatever the
    build does, another name for the previous output (a copy kept by `ln`, a
    backup by hard links) still holds the previous bytes."""
    output, kept_copy = workdir / "out.md", workdir / "kept.md"
    output.write_bytes(b"old\n")
    os.link(output, kept_copy)
    if build == "fails":
        (workdir / "r.rpt").write_text(BAD, encoding="utf-8")
        assert main(["build", "r.rpt", "-o", "out.md"]) == 1
    elif build == "is interrupted":
        status, _ = _interrupted_while_writing(workdir, signal.SIGTERM, "r.rpt", "-o", "out.md")
        assert status == 128 + signal.SIGTERM
    else:
        assert main(["build", "r.rpt", "-o", "out.md"]) == 0
    assert kept_copy.read_bytes() == b"old\n"
    if build == "succeeds":
        assert output.read_text(encoding="utf-8") == MARKDOWN
        assert not output.samefile(kept_copy)  # a new file under the old name
        assert os.stat(kept_copy).st_nlink == 1
    else:
        assert output.samefile(kept_copy)  # untouched: still the one file, both names
        assert output.read_bytes() == b"old\n"
    assert not _temporaries(workdir)


SLOW_MESSAGES = """
import sys, time
from rpt import cli
said = cli._say
def slow(text):  # a terminal that takes its time
    said(text)
    if text.startswith("wrote"):
        for _ in range(600):
            time.sleep(0.1)
cli._say = slow
sys.exit(cli.main(sys.argv[1:]))
"""


def test_a_signal_once_the_outputs_are_written_changes_nothing(workdir: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_MESSAGES, "build", "r.rpt", "--to", "md,docx"],
        cwd=workdir,
        stderr=subprocess.PIPE,
    )
    try:
        assert child.stderr is not None
        assert child.stderr.readline().startswith(b"wrote")
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=30) == 0
    finally:
        child.kill()
    assert (workdir / "r.md").read_text(encoding="utf-8") == MARKDOWN


# ---------------------------------------------------------------- standard streams


def test_closed_stderr_still_builds(workdir: Path) -> None:
    done = _rpt("build r.rpt 2>&-", workdir)
    assert done.returncode == 0
    assert (workdir / "r.md").read_text(encoding="utf-8") == MARKDOWN
    (workdir / "r.rpt").write_text(BAD, encoding="utf-8")
    assert _rpt("build r.rpt 2>&-", workdir).returncode == 1


def test_full_stderr_still_builds(workdir: Path) -> None:
    with kept("/dev/full"):
        assert _rpt("build r.rpt 2>/dev/full", workdir).returncode == 0
    assert (workdir / "r.md").read_text(encoding="utf-8") == MARKDOWN


def test_closed_streams_do_not_end_up_in_the_output(workdir: Path) -> None:
    """With 1 and 2 closed, the first files opened would take their numbers."""
    assert _rpt("build r.rpt --to md,docx >&- 2>&-", workdir).returncode == 0
    assert (workdir / "r.md").read_text(encoding="utf-8") == MARKDOWN


@pytest.mark.parametrize("redirect", [">&-", ">/dev/full"])
def test_json_to_a_closed_or_full_stdout_is_an_error(workdir: Path, redirect: str) -> None:
    with kept("/dev/full"):
        done = _rpt(f"build r.rpt --format json {redirect}", workdir)
    assert done.returncode == 2
    assert done.stderr.decode().startswith(
        "rpt: error: cannot write the diagnostics to standard output: "
    )
    assert b"Traceback" not in done.stderr
    assert not (workdir / "r.md").exists()


def test_json_is_utf8_whatever_the_locale(workdir: Path) -> None:
    (workdir / "r.rpt").write_text(BAD, encoding="utf-8")
    done = _rpt(
        "check r.rpt --format json", workdir, env=os.environ | {"PYTHONIOENCODING": "latin-1"}
    )
    assert done.returncode == 1, done.stderr
    [record] = json.loads(done.stdout.decode("utf-8"))
    assert record["message"] == "`收人` is not declared"


def test_json_with_a_file_name_that_is_not_utf8(workdir: Path) -> None:
    name = b"r\xff.rpt"
    (workdir / os.fsdecode(name)).write_text(BAD, encoding="utf-8")
    assert RPT is not None
    done = subprocess.run(
        [RPT.encode(), b"check", name, b"--format", b"json"],
        cwd=workdir,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    [record] = json.loads(done.stdout.decode("utf-8"))
    assert record["file"] == "r\\xff.rpt"


def test_an_escape_in_an_argument_is_printed_escaped(workdir: Path) -> None:
    done = _rpt("build r.rpt --to \"$(printf 'md\\033[2J')\"", workdir)
    assert done.returncode == 2
    assert b"\x1b" not in done.stderr
    assert b"unknown output format md\\x1b[2J" in done.stderr
