"""docs/errors.md is generated from the code catalogue and the golden corpus, and a
test keeps it so: every code, a minimal failing example, its exact diagnostic."""

from __future__ import annotations

from pathlib import Path

from conftest import UPDATE_GOLDEN
from rpt.base.codes import Code

ROOT = Path(__file__).parent.parent
DOC = ROOT / "docs" / "errors.md"
CORPUS = Path(__file__).parent / "golden" / "errors"

INTRO = """\
# Error catalogue

Every diagnostic rpt gives has a stable code. This page lists them all, each with
a minimal report that raises it and the diagnostic exactly as `rpt check` prints
it. It is generated from `compiler/base/codes.py` and the golden corpus under
`tests/golden/errors/` by `tests/test_errors_doc.py`, which fails when the page
and the compiler disagree (regenerate with `RPT_UPDATE_GOLDEN=1`).

Exit status: 0 when there are no errors (warnings allowed), 1 with errors, 2 for
a wrong command line, 128 + N when signal N stopped the build. `--format json`
prints the same diagnostics as JSON, in UTF-8.

What is wrong with the command rather than the report is one line
`rpt: error: …` and exit status 2: an output that cannot be written (a
directory, a socket, `/dev/full`, a named pipe no process reads; a regular
file is replaced, a device or a pipe written plainly), a `--root` that is not a
directory, a malformed `SOURCE_DATE_EPOCH` with `--to docx`, a standard output
that is closed or full under `--format json`. A file that is not a regular file
is E104 below, whether it is the main file or an include. Everything echoed (file
names, source lines, messages) is printed with what would act on a terminal
escaped: `\\x1b`, `\\u202e`, and `\\xff` for a byte of a name that is not UTF-8.

| code | name | raised when |
|---|---|---|
"""


def _example(code: Code) -> str:
    [directory] = [d for d in CORPUS.iterdir() if d.name.split("-")[0] == code.code]
    case = min(directory.glob("*.rpt"), key=lambda p: (p.stat().st_size, p.name))
    data = case.read_bytes()
    try:
        source = data.decode("utf-8")
        saved = ""
    except UnicodeDecodeError:
        source = data.decode("gb18030")
        saved = " (saved in GB18030; shown decoded)"
    if len(source) > 1200:
        source = source[:1200] + "…(cut here: the file goes on)\n"
    output = case.with_suffix(".txt").read_text(encoding="utf-8")
    return (
        f"## {code.code} {code.slug}\n\n{code.summary[0].upper()}{code.summary[1:]}.\n\n"
        f"`{directory.name}/{case.name}`{saved}:\n\n```rpt\n{source}```\n\n```text\n{output}```\n"
    )


def render() -> str:
    table = "".join(
        f"| [{c.code}](#{c.code.lower()}-{c.slug}) | {c.slug} | {c.summary} |\n" for c in Code
    )
    return INTRO + table + "\n" + "\n".join(_example(code) for code in Code)


def test_errors_doc_is_current() -> None:
    text = render()
    if UPDATE_GOLDEN:
        DOC.write_text(text, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == text
