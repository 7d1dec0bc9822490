"""How long the compiler takes on the worst inputs it accepts, and on ones it refuses.

    .venv/bin/python benchmarks/bench_hostile.py

Issue 6 asks that an adversarial input ends in bounded time and memory. rpt
refuses files over 1 MB (2 MB for a report with its includes) before reading
them whole; below that, the slowest inputs are dense expressions, which cost
about one parse per line. Issue 12 adds sources that are small but ask for
huge outputs (a huge figure printed many times, a text joined to itself),
includes refused by the thousand, and named pipes where files should be. This
prints the time and peak memory (the process's maximum resident size,
interpreter included) for each case, the first diagnostic, and the size of the
Markdown written when there is one. A case still running after TIMEOUT seconds
is reported as such: a hang.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rpt.pipeline import compile_report
from rpt.syntax.read import MAX_FILE_BYTES

TIMEOUT = 60
MAIN = "hostile.rpt"
FIFO = None  # a case's file without content is made a named pipe


def cases() -> dict[str, dict[str, bytes | None]]:
    rng = random.Random(1)
    limit = MAX_FILE_BYTES - 1
    dense = "".join(
        f"let a{i} = " + " + ".join(f"a{i - 1}" if i else "1" for _ in range(20)) + "\n"
        for i in range(12000)
    )
    refs = "".join("正文" + "<a:%>" * 30 + "\n" for _ in range(8000))
    garbage = "".join(
        "".join(rng.choice("<>*|\\=()let 收入%") for _ in range(80)) + "\n" for _ in range(15000)
    )
    # the shortest declarations: as many figures as 1 MB holds, past MAX_FIGURES
    many = "".join(f"let a{i} = 1\n" for i in range(80000))
    # 10^262144, printed 2,000 times: the 16 KB that wrote 524 MB
    huge = "let a = 10 ^ 64\nlet b = a ^ 64\nlet c = b ^ 64\n" + "值<c>。\n" * 2000
    doubled = "".join(f"let t{i} = t{i - 1} + t{i - 1}\n" for i in range(1, 60))
    longest = f'let t = "{"长" * 1000}"\n' + ("<t>" * 1000 + "\n") * 50
    part = ("正文" + "字" * 300 + "\n") * 1100  # just under 1 MB
    return {
        "dense expressions, 1 MB": {MAIN: dense.encode()[:limit]},
        "80,000 declarations, 1 MB": {MAIN: many.encode()[:limit]},
        "references to nothing, 1 MB": {MAIN: refs.encode()[:limit]},
        "random syntax, 1 MB": {MAIN: garbage.encode()[:limit]},
        "10 MB of one line": {MAIN: b"x" * (10 * 1024 * 1024)},
        "10 MB of control bytes": {MAIN: bytes(range(32)) * (10 * 1024 * 1024 // 32)},
        "a huge figure 2,000 times, 16 KB": {MAIN: huge.encode()},
        "a text joined to itself 60 times": {
            MAIN: ('let t0 = "文本"\n' + doubled + "值<t59>。\n").encode()
        },
        "1,000-char figures 50,000 times": {MAIN: longest.encode()},
        "50,000 refused includes of 1 MB": {
            MAIN: b'include "part.rpti"\n' * 50000,
            "part.rpti": part.encode(),
        },
        "a named pipe as main file": {MAIN: FIFO},
        "a named pipe as include": {MAIN: b'include "pipe.rpti"\n', "pipe.rpti": FIFO},
    }


def measure(path: Path) -> None:
    """Compile one file in this process and print seconds, peak memory, diagnostics
    and the bytes of Markdown built."""
    start = time.perf_counter()
    result = compile_report(path)
    written = 0
    if result.document is not None:
        from rpt.render.markdown import render_markdown  # noqa: PLC0415  (only when built)

        written = len(render_markdown(result.document).encode("utf-8"))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    first = result.diagnostics[0].code.code if result.diagnostics else "(none)"
    print(f"{seconds:.2f} {peak:.0f} {first} {len(result.diagnostics)} {written}")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        measure(Path(sys.argv[2]))
        return
    print(f"{'input':<34} {'seconds':>8} {'peak MB':>8}  diagnostics, Markdown bytes")
    for name, files in cases().items():
        with tempfile.TemporaryDirectory() as scratch:
            for file, data in files.items():
                path = Path(scratch) / file
                if data is None:
                    os.mkfifo(path)
                else:
                    path.write_bytes(data)
            # a process per case, so that each peak is its own
            try:
                done = subprocess.run(
                    [sys.executable, __file__, "--one", str(Path(scratch) / MAIN)],
                    check=True,
                    capture_output=True,
                    text=True,
                    timeout=TIMEOUT,
                )
            except subprocess.TimeoutExpired:
                print(f"{name:<34} {'>' + str(TIMEOUT):>8} {'':>8}  still running: a hang")
                continue
            seconds, peak, first, count, written = done.stdout.split()
            print(f"{name:<34} {seconds:>8} {peak:>8}  {first} ({count}), {int(written):,}")


if __name__ == "__main__":
    main()
