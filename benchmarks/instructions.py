"""What a check, a build and a warm rebuild of the example cost, in instructions.

    .venv/bin/python benchmarks/instructions.py [--json FILE]

Each figure is the count of instructions a process executed under valgrind's
cachegrind (`valgrind --tool=cachegrind --cache-sim=no`), in millions: unlike
a time, it is the same from run to run and from a busy machine to an idle
one, so that a change's cost or gain shows at once (a CPU time on a shared
machine wanders by a tenth and more between runs, and against_pandoc.py's
ratios with it). Hash randomisation is fixed (PYTHONHASHSEED=0), as the order
of a set may change the work done. The speed targets themselves stay ratios
against pandoc (against_pandoc.py); these are their ledger.

Measured: Python starting and doing nothing; importing the command line;
`rpt check --draft`; `rpt build --to md` and `--to md,docx` of the example;
and one warm rebuild after a one-line edit (the difference between ten and
none in one process, divided by ten), as against_pandoc.py makes them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "reports" / "huaihua-2023" / "report.rpt"
# rpt's modules run from their compiled bytecode, as they do once installed
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
CHILD_ENV["PYTHONHASHSEED"] = "0"
REFS = re.compile(r"I\s+refs:\s+([\d,]+)")
# Rebuilds in one process, after one line of the main file changed each time.
WARM = """\
import os, shutil, sys, tempfile
from pathlib import Path
from rpt.pipeline import compile_report
from rpt.render.markdown import render_markdown
runs, source = int(sys.argv[1]), Path(sys.argv[2])
scratch = Path(tempfile.mkdtemp())
shutil.copytree(source.parent, scratch / "report")
main = scratch / "report" / source.name
text = main.read_text(encoding="utf-8")
compile_report(main, draft=True, facts=False)
for attempt in range(runs):
    main.write_text(text + f"\\n第{attempt}次修改。\\n", encoding="utf-8")
    render_markdown(compile_report(main, draft=True, facts=False).document)
shutil.rmtree(scratch)
os._exit(0)
"""
WARM_RUNS = 10


def instructions(command: list[str]) -> int:
    """The instructions `command` executed, under cachegrind."""
    done = subprocess.run(
        [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            *command,
        ],
        capture_output=True,
        text=True,
        env=CHILD_ENV,
        check=False,
    )
    found = REFS.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: valgrind)")
    python = sys.executable
    rpt = [python, "-m", "rpt.cli"]
    # bytecode written first, as an installed package has it
    subprocess.run([python, "-c", "import rpt.cli, rpt.render.docx"], env=CHILD_ENV, check=True)
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        out = str(Path(scratch) / "report.md")
        commands = {
            "python": [python, "-c", "pass"],
            "import rpt.cli": [python, "-c", "import rpt.cli"],
            "check": [*rpt, "check", "--draft", str(EXAMPLE)],
            "build --to md": [*rpt, "build", str(EXAMPLE), "--to", "md", "--draft", "-o", out],
            "build --to md,docx": [
                *rpt, "build", str(EXAMPLE), "--to", "md,docx", "--draft", "-o", out
            ],
        }  # fmt: skip
        for name, command in commands.items():
            figures[name] = instructions(command) / 1e6
        warm = Path(scratch) / "warm.py"
        warm.write_text(WARM, encoding="utf-8")
        none, some = (
            instructions([python, str(warm), str(runs), str(EXAMPLE)]) for runs in (0, WARM_RUNS)
        )
        figures["warm rebuild"] = (some - none) / WARM_RUNS / 1e6
    print(f"{'what':24} {'M instructions':>15}")
    for name, count in figures.items():
        print(f"{name:24} {count:15.0f}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
