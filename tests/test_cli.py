"""The command line: exit codes, what is written, and what is never written."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import rpt
from rpt.cli import main

GOOD = "let 收入 = 216.53 万元\n收入为<收入>。\n"
BAD = "let 收入 = 216.53 万元\n收入为<收人>。\n"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_build_writes_markdown_next_to_the_source(workdir: Path) -> None:
    (workdir / "r.rpt").write_text(GOOD, encoding="utf-8")
    assert main(["build", "r.rpt"]) == 0
    assert (workdir / "r.md").read_text(encoding="utf-8") == "收入为216.53万元。\n"


def test_build_to_an_output_path_creates_directories(workdir: Path) -> None:
    (workdir / "r.rpt").write_text(GOOD, encoding="utf-8")
    assert main(["build", "r.rpt", "-o", "out/deep/report.md", "--to", "md"]) == 0
    assert (workdir / "out/deep/report.md").exists()


def test_errors_write_nothing_and_keep_the_previous_output(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = workdir / "r.rpt"
    source.write_text(GOOD, encoding="utf-8")
    assert main(["build", "r.rpt"]) == 0
    before = (workdir / "r.md").read_bytes()
    source.write_text(BAD, encoding="utf-8")
    assert main(["build", "r.rpt"]) == 1
    assert "error[E201]" in capsys.readouterr().err
    assert (workdir / "r.md").read_bytes() == before
    assert source.read_text(encoding="utf-8") == BAD  # sources are never touched
    assert sorted(p.name for p in workdir.iterdir()) == ["r.md", "r.rpt"]  # no temporary left


def test_check_writes_nothing(workdir: Path) -> None:
    (workdir / "r.rpt").write_text(GOOD, encoding="utf-8")
    assert main(["check", "r.rpt"]) == 0
    assert not (workdir / "r.md").exists()


def test_json_diagnostics(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "r.rpt").write_text(BAD, encoding="utf-8")
    assert main(["check", "r.rpt", "--format", "json"]) == 1
    records = json.loads(capsys.readouterr().out)
    assert records == [
        {
            "severity": "error",
            "code": "E201",
            "name": "undefined-name",
            "message": "`收人` is not declared",
            "file": "r.rpt",
            "line": 2,
            "column": 5,
            "end_line": 2,
            "end_column": 7,
            "label": "no figure has this name",
            "labels": [],
            "notes": [],
            "help": "did you mean `收入`?",
        }
    ]


def test_json_is_an_empty_list_when_clean(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "r.rpt").write_text(GOOD, encoding="utf-8")
    assert main(["check", "r.rpt", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize(
    "argv", [["build", "r.rpt", "--to", "html"], ["build", "r.rpt", "-o", "r.rpt"]]
)
def test_bad_outputs_exit_2(workdir: Path, argv: list[str]) -> None:
    (workdir / "r.rpt").write_text(GOOD, encoding="utf-8")
    assert main(argv) == 2
    assert (workdir / "r.rpt").read_text(encoding="utf-8") == GOOD


@pytest.mark.parametrize("argv", [["build"], ["frobnicate", "r.rpt"], ["check", "--format", "xml"]])
def test_bad_command_lines_exit_2(workdir: Path, argv: list[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2


def test_missing_file(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "nowhere.rpt"]) == 1
    assert "error[E104]: cannot read nowhere.rpt" in capsys.readouterr().err


def test_installed_command_runs_from_any_directory(tmp_path: Path) -> None:
    """The console script works outside the repository: grammar and templates
    travel with the installed package."""
    rpt = shutil.which("rpt", path=str(Path(sys.executable).parent))
    assert rpt is not None, "the rpt console script is installed beside the interpreter"
    (tmp_path / "r.rpt").write_text(GOOD, encoding="utf-8")
    done = subprocess.run(
        [rpt, "build", "r.rpt"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "r.md").read_text(encoding="utf-8") == "收入为216.53万元。\n"


def test_outputs_get_ordinary_permissions(workdir: Path) -> None:
    (workdir / "r.rpt").write_text(GOOD, encoding="utf-8")
    old = os.umask(0o022)
    try:
        assert main(["build", "r.rpt"]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((workdir / "r.md").stat().st_mode) == 0o644


def test_an_output_may_not_overwrite_an_included_file(workdir: Path) -> None:
    (workdir / "part.rpt").write_text("收入为<收入>。\n", encoding="utf-8")
    (workdir / "r.rpt").write_text('let 收入 = 1 万元\ninclude "part.rpt"\n', encoding="utf-8")
    assert main(["build", "r.rpt", "--to", "md", "-o", "part.rpt"]) == 2
    assert (workdir / "part.rpt").read_text(encoding="utf-8") == "收入为<收入>。\n"


@pytest.mark.parametrize(
    ("to", "output"),
    [("docx", "数据.csv"), ("md", "数据.csv"), ("md", "链接.md"), ("docx", "硬链接.docx")],
)
def test_an_output_may_not_overwrite_a_data_file(workdir: Path, to: str, output: str) -> None:
    """A workbook the report reads is one of its sources: no output replaces it,
    under its own name or through a symbolic or a hard link."""
    data = "项目,数\n甲,1\n".encode("gb18030")
    (workdir / "数据.csv").write_bytes(data)
    (workdir / "链接.md").symlink_to("数据.csv")
    os.link(workdir / "数据.csv", workdir / "硬链接.docx")
    (workdir / "r.rpt").write_text(
        'data 表 = "数据.csv" unit 万元\nlet 甲 = 表["甲", "数"]\n收入为<甲>。\n', encoding="utf-8"
    )
    assert main(["build", "r.rpt", "--to", to, "-o", output]) == 2
    assert (workdir / "数据.csv").read_bytes() == data
    assert main(["build", "r.rpt", "--to", to, "-o", f"别处.{to}"]) == 0


def test_includes_stay_under_the_root_unless_widened(workdir: Path) -> None:
    (workdir / "shared.rpt").write_text("let 收入 = 1 万元\n", encoding="utf-8")
    (workdir / "sub").mkdir()
    (workdir / "sub" / "r.rpt").write_text('include "../shared.rpt"\n<收入>\n', encoding="utf-8")
    assert main(["check", "sub/r.rpt"]) == 1
    assert main(["check", "sub/r.rpt", "--root", "."]) == 0


def test_a_killed_build_leaves_the_previous_output(workdir: Path) -> None:
    """SIGKILL a build while it works: each output is the previous one, whole."""
    source = workdir / "r.rpt"
    lines = [
        f"let s{i} = {i}.5 万元\n第{i}项为<s{i}>，累计<s{i} * 2:增减>。\n" for i in range(6000)
    ]
    source.write_text("".join(lines), encoding="utf-8")
    assert main(["build", "r.rpt", "--to", "md,docx", "-o", "out"]) == 0
    before = {name: (workdir / name).read_bytes() for name in ("out.md", "out.docx")}
    source.write_text("".join(lines).replace("第0项", "第零项"), encoding="utf-8")
    rpt = shutil.which("rpt", path=str(Path(sys.executable).parent))
    assert rpt is not None
    killed = 0
    for delay in (0.2, 0.6, 1.2):
        child = subprocess.Popen(
            [rpt, "build", "r.rpt", "--to", "md,docx", "-o", "out"], cwd=workdir
        )
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        if child.wait() != -signal.SIGKILL:
            # it ended before the signal: the outputs are the new build's, whole
            assert "第零项" in (workdir / "out.md").read_text(encoding="utf-8")
            assert zipfile.ZipFile(workdir / "out.docx").testzip() is None
            break
        killed += 1
        assert (workdir / "out.md").read_bytes() == before["out.md"]
        assert (workdir / "out.docx").read_bytes() == before["out.docx"]
    assert killed, "every build finished before it could be killed: make the report larger"


def test_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    """`rpt check --format json | head -c 1`: no traceback when the reader leaves."""
    rpt = shutil.which("rpt", path=str(Path(sys.executable).parent))
    assert rpt is not None
    lines = "".join(f"收入为<收人{i}>。\n" for i in range(300))
    (tmp_path / "r.rpt").write_text(lines, encoding="utf-8")
    done = subprocess.run(
        f"'{rpt}' check r.rpt --format json | head -c 1",
        shell=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in done.stderr


def test_the_command_leaves_its_output_whole(tmp_path: Path) -> None:
    """The console script skips the interpreter's teardown (`cli.run`): what it
    printed still reaches a file and a pipe whole, with main's exit status."""
    rpt = shutil.which("rpt", path=str(Path(sys.executable).parent))
    assert rpt is not None
    lines = "".join(f"收入为<收人{i}>。\n" for i in range(300))
    (tmp_path / "r.rpt").write_text(lines, encoding="utf-8")
    with (tmp_path / "out.json").open("wb") as out:
        done = subprocess.run(
            [rpt, "check", "r.rpt", "--format", "json"], cwd=tmp_path, stdout=out, check=False
        )
    assert done.returncode == 1
    printed = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert len(printed) == 300
    piped = subprocess.run(
        [rpt, "check", "r.rpt"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert piped.returncode == 1
    assert piped.stderr.count("error[E201]") == 300, piped.stderr[-500:]
    assert piped.stderr.endswith("\n300 errors\n")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"rpt {rpt.__version__}\n"


def test_a_batch_builds_every_report_into_a_directory(workdir: Path) -> None:
    for unit in ("一局", "二局"):
        (workdir / unit).mkdir()
        (workdir / unit / "report.rpt").write_text(GOOD.replace("216.53", "1.5"), encoding="utf-8")
    (workdir / "三局.rpt").write_text(GOOD, encoding="utf-8")
    assert main(["build", "一局/report.rpt", "三局.rpt", "--to", "md,docx", "-o", "out"]) == 0
    assert sorted(p.name for p in (workdir / "out").iterdir()) == [
        "report.docx",
        "report.md",
        "三局.docx",
        "三局.md",
    ]
    assert (workdir / "out" / "report.md").read_text(encoding="utf-8") == "收入为1.5万元。\n"
    assert main(["build", "一局/report.rpt", "二局/report.rpt"]) == 0  # each beside its source
    assert (workdir / "二局" / "report.md").exists()
    assert main(["build", "二局/report.rpt", "三局.rpt", "--to", "docx", "-o", "docx"]) == 0
    assert sorted(p.name for p in (workdir / "docx").iterdir()) == ["report.docx", "三局.docx"]


def test_a_batch_with_one_bad_report_writes_nothing(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "a.rpt").write_text(GOOD, encoding="utf-8")
    (workdir / "b.rpt").write_text(BAD, encoding="utf-8")
    (workdir / "c.rpt").write_text(BAD.replace("收人", "收八"), encoding="utf-8")
    assert main(["build", "a.rpt", "b.rpt", "c.rpt"]) == 1
    said = capsys.readouterr().err
    assert "b.rpt:2:" in said and "c.rpt:2:" in said  # every report is checked
    assert sorted(p.name for p in workdir.iterdir()) == ["a.rpt", "b.rpt", "c.rpt"]
    assert main(["check", "a.rpt", "b.rpt", "--format", "json"]) == 1
    [diagnostic] = json.loads(capsys.readouterr().out)  # one list for the batch
    assert diagnostic["file"] == "b.rpt"


@pytest.mark.parametrize(
    "argv",
    [
        ["build", "a/r.rpt", "b/r.rpt", "-o", "out"],  # two outputs out/r.md
        ["build", "a/r.rpt", "a/r.rpt"],
        ["build", "a/r.rpt", "b/r.rpt", "-o", "file.txt"],  # not a directory
    ],
)
def test_a_batch_whose_outputs_would_collide_is_refused(
    workdir: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    for unit in ("a", "b"):
        (workdir / unit).mkdir()
        (workdir / unit / "r.rpt").write_text(GOOD, encoding="utf-8")
    (workdir / "file.txt").write_text("", encoding="utf-8")
    assert main(argv) == 2
    assert "rpt: error:" in capsys.readouterr().err
    assert not (workdir / "out").exists() and not (workdir / "a" / "r.md").exists()


def test_the_collector_is_off_only_while_rpt_is_imported() -> None:
    """cli.py turns the cycle collector off for its imports and back on."""
    probe = "import gc, sys; {before}import rpt.cli; print(gc.isenabled())"
    for before, expected in (("", "True"), ("gc.disable(); ", "False")):
        done = subprocess.run(
            [sys.executable, "-c", probe.format(before=before)],
            capture_output=True,
            text=True,
            check=True,
        )
        assert done.stdout.strip() == expected


@pytest.mark.parametrize(
    "arguments",
    [
        ["build", "a.rpt", "b.rpt", "--to", "md,docx", "-o", "out", "--draft", "--root", "."],
        ["check", "a.rpt", "--format", "json"],
        ["explain", "a.rpt", "收入.合计", "--root", "r"],
        ["diff", "HEAD~1", "a.rpt", "--to", "docx", "--author", "审核"],
        ["fmt", "a.rpt", "--check"],
    ],
)
def test_a_commands_own_parser_reads_what_the_whole_parser_reads(arguments: list[str]) -> None:
    """The parser of the one command named (what a run builds) takes every
    argument as the parser of all commands takes it."""
    from rpt.cli import _parser  # noqa: PLC0415  (private: compared with itself)

    assert _parser(arguments[0]).parse_args(arguments) == _parser(None).parse_args(arguments)


def test_an_unknown_option_is_refused_naming_every_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["check", "a.rpt", "--bogus"])
    assert raised.value.code == 2
    assert "{build,check,explain,diff,fmt}" in capsys.readouterr().err
