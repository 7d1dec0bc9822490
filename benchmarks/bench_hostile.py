"""How long the compiler takes on the worst inputs it accepts, and on ones it refuses.

    .venv/bin/python benchmarks/bench_hostile.py

Issue 6 asks that an adversarial input ends in bounded time and memory. rpt
refuses files over 1 MB (2 MB for a report with its includes) before reading
them whole; below that, the slowest inputs are dense expressions, which cost
about one parse per line. This prints the time and peak memory (the process's
maximum resident size, interpreter included) for each case.
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rpt.pipeline import compile_report
from rpt.read import MAX_FILE_BYTES


def cases() -> dict[str, bytes]:
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
    return {
        "dense expressions, 1 MB": dense.encode()[:limit],
        "80,000 declarations, 1 MB": many.encode()[:limit],
        "references to nothing, 1 MB": refs.encode()[:limit],
        "random syntax, 1 MB": garbage.encode()[:limit],
        "10 MB of one line": b"x" * (10 * 1024 * 1024),
        "10 MB of control bytes": bytes(range(32)) * (10 * 1024 * 1024 // 32),
    }


def measure(path: Path) -> None:
    """Compile one file in this process and print seconds, peak memory, diagnostics."""
    start = time.perf_counter()
    result = compile_report(path)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    first = result.diagnostics[0].code.code if result.diagnostics else "(none)"
    print(f"{seconds:.2f} {peak:.0f} {first} {len(result.diagnostics)}")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        measure(Path(sys.argv[2]))
        return
    with tempfile.TemporaryDirectory() as scratch:
        print(f"{'input':<30} {'seconds':>8} {'peak MB':>8}  diagnostics")
        for name, data in cases().items():
            path = Path(scratch) / "hostile.rpt"
            path.write_bytes(data)
            # a process per case, so that each peak is its own
            done = subprocess.run(
                [sys.executable, __file__, "--one", str(path)],
                check=True,
                capture_output=True,
                text=True,
            )
            seconds, peak, first, count = done.stdout.split()
            print(f"{name:<30} {seconds:>8} {peak:>8}  {first} ({count})")


if __name__ == "__main__":
    main()
