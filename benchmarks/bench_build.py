"""How long a build takes, and how it grows with the report.

    .venv/bin/python benchmarks/bench_build.py [--sizes 1 10 100]

Builds the example report, then synthetic reports made of N copies of a section
with its own figures, formulas, checks and references, and prints the time per
build (best of several runs) and the time per 1000 source lines. A linear
compiler shows a flat "ms per 1000 lines" column.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from against_pandoc import example_lines, synthetic  # shared by the benchmarks
from rpt.pipeline import compile_report, compile_source
from rpt.render.markdown import render_markdown
from rpt.syntax.lines import _parse

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "reports" / "huaihua-2023" / "report.rpt"


def best_of(runs: int, action: object) -> float:
    """The best time of several runs, each from a cold parse cache (a report's
    lines are parsed once per build; a warm cache would flatter repeated runs)."""
    assert callable(action)
    times = []
    for _ in range(runs):
        _parse.cache_clear()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def best_of_processes(runs: int, command: list[str]) -> float:
    """The best wall time of several runs of `command`, each a new process."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[10, 100, 1000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        markdown = Path(scratch) / "report.md"
        rpt = [sys.executable, "-m", "rpt.cli"]
        check = best_of_processes(args.runs, [*rpt, "check", "--draft", str(EXAMPLE)])
        print(f"cold `rpt check` of the example, new process: {check * 1000:.0f} ms")
        # the example is a draft: its public tables leave open what the source did not give
        build_command = [*rpt, "build", str(EXAMPLE), "--to", "md,docx", "--draft"]
        build_command += ["-o", str(markdown)]
        cold = best_of_processes(args.runs, build_command)
        print(f"cold `rpt build --to md,docx` of the example, new process: {cold * 1000:.0f} ms")
        # design.md's speed bar: pandoc turning the same Markdown into a DOCX
        if shutil.which("pandoc"):
            pandoc = ["pandoc", str(markdown), "-o", str(Path(scratch) / "pandoc.docx")]
            bar = best_of_processes(args.runs, pandoc)
            size = markdown.stat().st_size // 1024
            print(f"pandoc, the same {size} KB Markdown to DOCX: {bar * 1000:.0f} ms")

    def build_example() -> None:
        result = compile_report(EXAMPLE, draft=True)  # the example is a draft
        assert result.document is not None
        render_markdown(result.document)

    warm = best_of(args.runs, build_example)
    print(f"warm build of the example ({example_lines()} lines): {warm * 1000:.1f} ms")

    print(f"{'sections':>9} {'lines':>7} {'build ms':>9} {'ms/1000 lines':>14}")
    for size in args.sizes:
        text = synthetic(size)
        lines = text.count("\n")

        def build(text: str = text) -> None:
            result = compile_source(text)
            assert result.document is not None, result.diagnostics[:3]
            render_markdown(result.document)

        seconds = best_of(args.runs, build)
        print(f"{size:>9} {lines:>7} {seconds * 1000:>9.1f} {seconds * 1e6 / lines:>14.2f}")


if __name__ == "__main__":
    main()
