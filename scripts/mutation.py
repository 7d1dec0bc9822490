"""Mutation testing of the core passes with mutmut: not in CI, it takes hours.

    python3 -m venv /tmp/mutation-venv
    /tmp/mutation-venv/bin/pip install mutmut==3.8.1 lark pint jinja2 python-docx \
        python-calamine xlrd pytest hypothesis markdown-it-py
    /tmp/mutation-venv/bin/python scripts/mutation.py [--max-children 2] [--incremental] \
        [MODULE ...]

mutmut names each mutant after its file's path and records which tests reach
it by the dotted names the tests import, so the two must agree: rpt's package
is `rpt`, installed from `compiler/`. This script lays out a workspace
(/tmp/rpt-mutation/MODULE, a module named dotted: `base.numbers`) where the
package is a directory `rpt/` with `grammar/`, `templates/` and `forms/` inside it, as it
is installed, copies the tests and what they read (reports/, docs/, grammar/,
templates/, forms/, README.md), and runs `mutmut run` there for each module named (by
default all of CORE), against that module's own tests. Each module's results
go to build/mutation/MODULE.txt; `mutmut show NAME` in the workspace shows a
mutant; `--summary` prints the results as a table. docs/mutation.md records the
last score and explains each surviving mutant.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKSPACE = Path("/tmp/rpt-mutation")
# The passes whose mistakes change a printed figure or a verdict, each with the
# tests that pin it: a mutant must be killed by its own pass's tests (running
# the whole suite for each of some 3000 mutants would take a day on two cores).
CORE = {
    "base.numbers": ("test_numbers.py", "test_bounds.py"),
    "base.chinese": ("test_language.py",),
    "syntax.format_words": ("test_format_matrix.py",),
    # test_rebuild: what a rebuild gives again (base/kept.py), in each pass that keeps
    "syntax.tables": (
        "test_tables.py",
        "test_golden.py",
        "test_data_tables.py",
        "test_forms.py",
        "test_rebuild.py",
    ),
    "check.units": (
        "test_units.py",
        "test_numbers.py",
        "test_generated_tables.py",
        "test_golden.py",
    ),
    "check.display": ("test_format_matrix.py", "test_language.py", "test_golden.py"),
    # the typing of expressions is reached by every compilation: its selection is
    # the tests that assert what it decides (units, kinds, precisions, messages)
    "check.expressions": (
        "test_expressions.py",
        "test_units.py",
        "test_language.py",
        "test_golden.py",
        "test_functions.py",
        "test_bounds.py::test_literals_of_different_precisions",
    ),
    "check.functions": ("test_functions.py", "test_language.py", "test_golden.py", "test_units.py"),
    "check.typecheck": (
        "test_language.py",
        "test_golden.py",
        "test_bounds.py",
        "test_expressions.py",
        "test_draft.py",
        "test_review.py",
        # the one test that reads a heading's `{attachment}` from the Document
        "test_attachments.py::test_the_document_holds_label_title_form_and_sign_off",
        "test_rebuild.py",
    ),
    "evaluation.format": ("test_numbers.py", "test_format_matrix.py", "test_language.py"),
    "evaluation.evaluate": (
        "test_bounds.py",
        "test_numbers.py",
        "test_language.py",
        "test_golden.py",
        "test_functions.py",
        "test_expressions.py",
        "test_evaluate.py",
        "test_rebuild.py",
    ),
    "evaluation.bounds": ("test_bounds.py", "test_golden.py"),
    "render.markdown": (
        "test_markdown_escape.py",
        "test_markdown_compile.py",
        "test_golden.py",
        "test_renderers.py",
        "test_list_numbering.py",
        "test_generated_tables.py",
        "test_rebuild.py",
    ),
    "render.docx": (
        "test_docx.py",
        "test_renderers.py",
        "test_docx_styles.py",
        "test_list_numbering.py",
        "test_attachments.py",
        "test_forms.py",
        "test_front_matter.py",
        "test_review.py",
    ),
    # test_attachments compiles the example in each test: the one that sizes a
    # form's columns is enough, and keeps a mutant's run under a minute
    "render.table_layout": (
        "test_table_layout.py",
        "test_docx.py",
        "test_attachments.py::test_columns_sized_for_the_fewest_lines_save_lines_and_keep_the_minimums",
    ),
    "render.line_breaks": (
        "test_table_layout.py",
        "test_docx.py",
        "test_attachments.py::test_columns_sized_for_the_fewest_lines_save_lines_and_keep_the_minimums",
    ),
}
# Tests that need rpt installed (a wheel, the console script), of no core pass;
# and the PDF renderer's (LibreOffice, a minute a mutant; render/pdf.py is no
# core pass).
DESELECT = (
    "tests/test_wheel.py",
    "tests/test_cli.py",
    # they start a new interpreter, which imports the installed rpt, not the mutants
    "tests/test_generated_tables.py::test_compiling_a_report_never_imports_lark",
    "tests/test_generated_tables.py::test_the_example_builds_without_loading_the_parser",
    "tests/test_generated_tables.py::test_every_records_init_is_compiled_ahead",
    "tests/test_generated_tables.py::test_a_check_of_the_example_loads_no_library_it_does_not_use",
    "tests/test_generated_tables.py::test_the_renderer_runs_the_compiled_templates",
    "tests/test_docx.py::test_a_build_loads_neither_lxml_nor_jinja2",
    "tests/test_renderers.py::test_every_kind_is_printed[pdf]",
    "tests/test_front_matter.py::test_the_pdf_toc_has_page_numbers",
)


def layout(module: str, incremental: bool) -> Path:
    """A workspace for one module's run, kept for `mutmut show` afterwards.

    Incremental keeps the last run's kills (mutants/**/*.meta): mutmut keeps a
    mutant's result while the hash of its function is unchanged and runs again
    every mutant of a function that changed, so a run after an edit costs only
    the edited functions' mutants and the last run's survivors, which the new
    tests may kill. A kill stands as long as the tests only grew; a survivor
    docs/mutation.md explains as equivalent stands while the module is
    unchanged."""
    workspace = WORKSPACE / module
    target = Path(*module.split(".")).with_suffix(".py")
    kept: dict[Path, bytes] = {}
    # the module as the last run mutated it: its equivalent mutants stand only
    # while it is the same (mutmut numbers a function's mutants in order, so an
    # edit gives a listed name to another mutant)
    last = workspace / "rpt" / target
    unchanged = last.exists() and last.read_bytes() == (ROOT / "compiler" / target).read_bytes()
    if incremental and (workspace / "mutants").exists():
        kept = {
            meta.relative_to(workspace): meta.read_bytes()
            for meta in (workspace / "mutants").rglob("*.meta")
        }
    if workspace.exists():
        shutil.rmtree(workspace)
    package = workspace / "rpt"
    shutil.copytree(ROOT / "compiler", package)
    shutil.copytree(ROOT / "grammar", package / "grammar")
    shutil.copytree(ROOT / "templates", package / "templates")
    shutil.copytree(ROOT / "forms", package / "forms")  # rpt.forms, as pyproject ships it
    for name in ("tests", "reports", "docs", "scripts", "grammar", "templates"):
        shutil.copytree(ROOT / name, workspace / name)
    shutil.copy(ROOT / "README.md", workspace / "README.md")
    skipped = sorted(
        f'"rpt/{path.relative_to(package).as_posix()}"'
        for path in package.rglob("*.py")
        if path.relative_to(package) != target
    )
    deselect = ", ".join(f'"--deselect", "{test}"' for test in DESELECT)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pyproject += f"""
[tool.mutmut]
source_paths = ["rpt"]
also_copy = [
    "docs", "reports", "scripts", "grammar", "templates", "README.md", "conftest.py",
    "rpt/grammar", "rpt/templates", "rpt/forms",
]
do_not_mutate = [{", ".join(skipped)}]
# a mutant that loops (`width -= 1` in a search) is stopped after six times the
# CPU time of its tests, not thirty (mutmut's default); twice stopped mutants
# that only ran all their tests (an equivalent one) and so counted them killed
timeout_multiplier = 3.0
pytest_add_cli_args = ["-p", "no:cacheprovider", {deselect}]
pytest_add_cli_args_test_selection = [{", ".join(f'"tests/{t}"' for t in CORE[module])}]
"""
    (workspace / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (workspace / "conftest.py").write_text(ORDER_TESTS.format(order=CORE[module]), encoding="utf-8")
    explained = equivalent() if unchanged else set()
    for path, meta in kept.items():
        results = json.loads(meta)
        # a kill stands (the tests only grew), and so does a survivor explained
        # as equivalent (no test can kill it: trying again would run every test
        # of the selection for nothing); anything else is tried again
        results["exit_code_by_key"] = {
            name: code if code == KILLED or (code == SURVIVED and name in explained) else None
            for name, code in results["exit_code_by_key"].items()
        }
        (workspace / path).parent.mkdir(parents=True, exist_ok=True)
        (workspace / path).write_text(json.dumps(results), encoding="utf-8")
    return workspace


KILLED = 1  # mutmut's exit code of a mutant a test failed on
SURVIVED = 0  # of one every test passed with
# mutmut hands pytest a mutant's tests sorted by name, so a test module of the
# pass itself (test_table_layout) ran after every test of test_docx before it
# could kill: the selection's own order, first listed first, makes kills cheap.
# And a test must compute what it asserts: a process that compiles again
# gives kept results (base/kept.py), so mutmut, which records the tests that
# reach each function in one process, would miss a test that got a kept result
# (every `rounds_by_the_reports_mode` case but five, for format_number) and
# never run it against that function's mutants; each test starts with nothing kept.
ORDER_TESTS = """\
import pytest

from rpt.syntax import load

ORDER = {order!r}


@pytest.fixture(autouse=True)
def _nothing_kept():
    load.forget_parsed()


def _rank(nodeid):
    for rank, selected in enumerate(ORDER):
        if nodeid.startswith("tests/" + selected):
            return rank
    return len(ORDER)


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: _rank(item.nodeid))
"""


def equivalent() -> set[str]:
    """The mutants docs/mutation.md explains as equivalent: each on a line of its
    own, `- `NAME`: why`."""
    docs = ROOT / "docs" / "mutation.md"
    if not docs.exists():
        return set()
    return set(re.findall(r"^- `(rpt\.[^`]+)`", docs.read_text(encoding="utf-8"), re.M))


def summary() -> str:
    """The last results of each module, as the table in docs/mutation.md has them:
    a timeout counts as killed (the tests would hang), a mutant no test reaches
    as survived, and the score is of the mutants that are not equivalent."""
    explained = equivalent()
    rows = [
        "| module | mutants | killed | survived | equivalent | score |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for module in CORE:
        report = ROOT / "build" / "mutation" / f"{module}.txt"
        if not report.exists():
            continue
        statuses = {
            name.strip(): status.strip()
            for name, status in (
                line.rsplit(": ", 1) for line in report.read_text().splitlines() if line
            )
        }
        counts = Counter(statuses.values())
        total = len(statuses)
        killed = counts["killed"] + counts["timeout"]
        same = sum(
            1
            for name, status in statuses.items()
            if name in explained and status not in ("killed", "timeout")
        )
        survived = total - killed - same
        score = f"{100 * killed / (total - same):.1f}%" if total > same else "-"
        rows.append(f"| {module} | {total} | {killed} | {survived} | {same} | {score} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # checked below: argparse (3.11) checks an empty list against `choices` as one value
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=", ".join(CORE))
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument(
        "--incremental",
        action="store_true",
        help="keep the last run's results for the functions that did not change",
    )
    parser.add_argument(
        "--summary", action="store_true", help="print the last results as a table, run nothing"
    )
    options = parser.parse_args()
    unknown = [module for module in options.modules if module not in CORE]
    if unknown:
        parser.error(f"not a core module: {', '.join(unknown)}")
    if options.summary:
        print(summary())
        return
    mutmut = Path(sys.executable).parent / "mutmut"
    for module in options.modules or list(CORE):
        workspace = layout(module, options.incremental)
        subprocess.call(
            [str(mutmut), "run", "--max-children", str(options.max_children)], cwd=workspace
        )
        results = subprocess.run(
            [str(mutmut), "results", "--all", "true"],
            cwd=workspace,
            capture_output=True,
            text=True,
            check=True,
        )
        report = ROOT / "build" / "mutation" / f"{module}.txt"
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(results.stdout, encoding="utf-8")
        print(f"{module}: {report}")


if __name__ == "__main__":
    main()
