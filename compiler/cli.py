"""The `rpt` command: `rpt build` and `rpt check`.

Exit status: 0 success, 1 the report has errors, 2 the command line is wrong or
an output cannot be written, 128 + N when signal N stopped it (130 for Ctrl-C).
Nothing is written when there are errors; how outputs are written is in
outputs.py. Messages are printed escaped (diagnostics.printable), and a closed
or full standard error loses them without failing the build.
"""

from __future__ import annotations

import gc

# Importing rpt makes some hundred thousand objects and no garbage: the cycle
# collector's passes over them cost a tenth of the imports. It is off until
# the end of this module's imports (see below), not for the build.
_COLLECTING = gc.isenabled()
gc.disable()

import argparse
import os
import signal
import stat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__
from .base.diagnostics import (
    Diagnostic,
    Severity,
    escaped_json,
    printable_block,
    render_all_json,
    render_all_text,
)
from .base.diagnostics import to_json as diagnostic_json
from .base.kept import nothing_kept
from .base.names import normal
from .base.record import mutable
from .base.streams import discard, open_standard_streams, print_out, reason
from .base.suggest import did_you_mean
from .outputs import (
    NamingError,
    OutputError,
    Stopped,
    name_outputs,
    same_file,
    stoppable,
    write_outputs,
)
from .pipeline import Compilation, compile_report
from .render import RENDERERS, RenderError, RenderOptions
from .render.style_templates import available_styles
from .syntax.read import file_kind

if TYPE_CHECKING:
    from .review.revisions import Version

# What the imports made lives as long as the process: moved out of the
# collector's sight, later collections need not walk it again.
gc.freeze()
if _COLLECTING:
    gc.enable()

# The review tools (explain, diff, fmt) are imported by their subcommands only:
# a build does not pay for loading them.


class UsageError(Exception):
    pass


class _ArgumentParser(argparse.ArgumentParser):
    """argparse, printing its errors as rpt prints messages: they echo arguments."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        _say(f"{self.prog}: error: {message}")
        sys.exit(2)


def _parser(command: str | None) -> argparse.ArgumentParser:
    """The command line's parser: of every command, or only of `command` (making
    the parser of each took a hundredth of a check)."""
    parser = _ArgumentParser(
        prog="rpt",
        description="Compile .rpt reports: every figure computed, unit-checked, rounded right.",
    )
    parser.add_argument("--version", action="version", version=f"rpt {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (summary, arguments) in _ARGUMENTS.items():
        if command in (None, name):
            arguments(commands.add_parser(name, help=summary))
    return parser


def _build_arguments(build: argparse.ArgumentParser) -> None:
    build.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="the main .rpt file; several build as one batch (each unit's report), all or none",
    )
    build.add_argument(
        "-o",
        "--output",
        type=Path,
        help="output file (with several formats: its extension is replaced per format; "
        "with several reports: a directory); default: next to FILE",
    )
    build.add_argument(
        "--to", default="md", help="output formats, comma separated: " + ", ".join(RENDERERS)
    )
    build.add_argument(
        "--style",
        metavar="NAME",
        help="the DOCX style set, overriding the report's `style:` ("
        + ", ".join(available_styles())
        + ")",
    )
    _draft_argument(build)
    _report_arguments(build)


def _check_arguments(check: argparse.ArgumentParser) -> None:
    check.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="the main .rpt file (or several)"
    )
    _draft_argument(check)
    _report_arguments(check)


def _draft_argument(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--draft",
        action="store_true",
        help="a draft for review: notes to reviewers printed, figures not available "
        "yet (`?`) printed marked instead of refused",
    )


def _explain_arguments(explain: argparse.ArgumentParser) -> None:
    explain.add_argument("file", type=Path, help="the main .rpt file")
    explain.add_argument(
        "names", nargs="+", metavar="NAME", help="a figure or a table cell (表.行.列)"
    )
    _report_arguments(explain)


def _diff_arguments(diff: argparse.ArgumentParser) -> None:
    diff.add_argument(
        "arguments",
        nargs="+",
        metavar="[REV1 [REV2]] FILE",
        help="the revisions to compare (REV2 default: the working tree; REV1: HEAD) "
        "and the main .rpt file",
    )
    diff.add_argument(
        "--to",
        choices=list(RENDERERS),
        help="also write a redline: the new version with its changes tracked (docx: "
        "Word's tracked changes, to accept or reject)",
    )
    diff.add_argument("-o", "--output", type=Path, help="the redline's file (with --to)")
    diff.add_argument(
        "--author", default="rpt", help="the name the redline's tracked changes carry"
    )
    _report_arguments(diff)


def _fmt_arguments(fmt: argparse.ArgumentParser) -> None:
    fmt.add_argument("files", nargs="+", type=Path, metavar="FILE", help=".rpt or .rpti files")
    fmt.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a file is not laid out"
    )
    fmt.add_argument("--diff", action="store_true", help="print the changes; write nothing")


def _report_arguments(sub: argparse.ArgumentParser) -> None:
    """The options of every command that compiles a report."""
    sub.add_argument(
        "--root",
        type=Path,
        metavar="DIR",
        help="the directory includes may read from (default: the main file's directory)",
    )
    sub.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="how diagnostics are printed (json: for editors and CI)",
    )


# each command: its line in `rpt --help`, and what its parser takes
_ARGUMENTS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "build": ("check a report and write its outputs", _build_arguments),
    "check": ("check a report without writing anything", _check_arguments),
    "explain": (
        "show figures: value, definition, inputs, checks, where printed",
        _explain_arguments,
    ),
    "diff": (
        "what changed in the report's figures, checks and text between two git "
        "revisions (default: HEAD and the working tree)",
        _diff_arguments,
    ),
    "fmt": ("lay out source files canonically", _fmt_arguments),
}


def _check_style(style: str | None) -> None:
    if style is not None and style not in available_styles():
        raise UsageError(
            f"unknown style `{style}`; available styles: " + ", ".join(available_styles())
        )


def _check_root(root: Path | None) -> None:
    if root is None:
        return
    try:
        mode = os.stat(root).st_mode
    except OSError as error:
        raise UsageError(f"--root {root}: {error.strerror or error}") from None
    if not stat.S_ISDIR(mode):
        raise UsageError(f"--root {root}: it is {file_kind(mode)}, not a directory")


def _check_environment(formats: list[str]) -> None:
    if "pdf" in formats:
        from .render.pdf import soffice  # noqa: PLC0415  (imported when asked for)

        if soffice() is None:
            raise UsageError(
                "--to pdf needs LibreOffice: install it (Debian: libreoffice-writer-nogui, "
                "with fonts-noto-cjk), or build --to docx"
            )
    if "docx" in formats or "pdf" in formats:
        from .render.docx import source_date_epoch  # noqa: PLC0415  (imported when asked for)

        try:
            source_date_epoch()
        except ValueError as error:
            value = os.environ.get("SOURCE_DATE_EPOCH", "")
            raise UsageError(f"{error}; it is `{value}`") from None


def _say(text: str) -> None:
    """Print a message on standard error, each line made printable: messages echo
    file names and arguments. With stderr closed or failing the message is lost,
    and the exit status still tells what happened."""
    stream = sys.stderr
    if stream is None:  # started with descriptor 2 closed
        return
    try:
        stream.write(printable_block(text) + "\n")
        stream.flush()
    except (OSError, ValueError):
        discard(stream)


def _print_json(diagnostics: list[Diagnostic]) -> None:
    print_out(render_all_json(diagnostics))


@mutable
class _Progress:
    """How far a build went: a signal after its outputs are written changes nothing."""

    written: bool = False


# A compilation makes trees of small objects without cycles, which reference
# counting frees; the cycle collector's passes over them and over everything
# imported took a tenth of a build. Imported objects are set aside (freeze) and
# collections made rare, not disabled: a stray cycle is still collected.
GC_THRESHOLDS = (20_000, 50, 1_000)


def main(argv: Sequence[str] | None = None) -> int:
    open_standard_streams()
    progress = _Progress()
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        with stoppable(), nothing_kept():  # one compilation: nothing to keep for the next
            return _run(argv, progress)
    except KeyboardInterrupt:
        if progress.written:
            return 0
        # the outputs are written by rename, so an interrupted build changed nothing
        _say("rpt: interrupted; nothing was written")
        return 130
    except Stopped as stopped:
        if progress.written:
            return 0
        _say(f"rpt: stopped by {signal.Signals(stopped.signum).name}; nothing was written")
        return 128 + stopped.signum
    except BrokenPipeError:
        # `rpt check --format json | head`: the reader left; that is not an error of ours
        if sys.stdout is not None:
            discard(sys.stdout)
        return 0
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _run(argv: Sequence[str] | None, progress: _Progress) -> int:
    given = sys.argv[1:] if argv is None else list(argv)
    command = given[0] if given and given[0] in _ARGUMENTS else None
    args, unknown = _parser(command).parse_known_args(given)
    if unknown:  # refused as the whole command line's parser refuses it, naming every command
        _parser(None).parse_args(given)
    return COMMANDS[args.command](args, progress)


def _build(args: argparse.Namespace, progress: _Progress) -> int:
    """`rpt build`: check the reports, then write each asked-for output of every
    one, all or none. Each report is compiled, rendered and let go before the
    next: a batch needs the memory of its largest report."""
    try:
        formats = [f.strip() for f in args.to.split(",") if f.strip()]
        batch = name_outputs(args.files, args.output, formats)
        _check_style(args.style)
        _check_environment(formats)
        _check_root(args.root)
    except (UsageError, NamingError) as error:
        _say(f"rpt: error: {error}")
        return 2
    diagnostics: list[Diagnostic] = []
    outputs: list[tuple[Path, bytes]] = []
    failed = False
    for file, targets in batch:
        result = compile_report(file, args.root, draft=args.draft, facts=False)
        diagnostics += result.diagnostics
        if args.format == "text" and result.diagnostics:
            _say(render_all_text(result.diagnostics).removesuffix("\n"))
        failed = failed or result.document is None
        if failed:
            continue  # nothing will be written: the others are only checked
        assert result.document is not None and result.settings is not None  # no errors
        for _, path in targets:
            if any(same_file(path, read) for read in result.inputs):
                _say(f"rpt: error: the output {path} would overwrite a source file")
                return 2
        options = RenderOptions(style=args.style or result.settings.style)
        try:
            outputs += [
                (path, RENDERERS[name].render(result.document, options)) for name, path in targets
            ]
        except RenderError as error:
            _say(f"rpt: error: {error}")
            return 2
    status = _report_json(diagnostics) if args.format == "json" else None
    if status is not None or failed:
        return status or 1
    try:
        write_outputs(outputs)
    except OutputError as error:
        _say(f"rpt: error: cannot write {error.path}: {error.reason}")
        return 2
    progress.written = True
    if args.format == "text":
        for path, _ in outputs:
            _say(f"wrote {path}")
    return 0


def _check(args: argparse.Namespace, progress: _Progress) -> int:
    """`rpt check`: compile the reports and print their diagnostics; write nothing."""
    try:
        _check_root(args.root)
    except UsageError as error:
        _say(f"rpt: error: {error}")
        return 2
    diagnostics: list[Diagnostic] = []
    failed = False
    for file in args.files:
        result = compile_report(file, args.root, draft=args.draft, facts=False)
        diagnostics += result.diagnostics
        if args.format == "text" and result.diagnostics:
            _say(render_all_text(result.diagnostics).removesuffix("\n"))
        failed = failed or result.document is None
    status = _report_json(diagnostics) if args.format == "json" else None
    return status or (1 if failed else 0)


def _report_json(diagnostics: list[Diagnostic]) -> int | None:
    """Print the diagnostics as JSON, one list for every report; 2 when they cannot be."""
    try:
        _print_json(diagnostics)
    except BrokenPipeError:
        raise
    except OSError as error:
        _say(f"rpt: error: cannot write the diagnostics to standard output: {reason(error)}")
        return 2
    return None


def _report(result: Compilation, form: str) -> int | None:
    """Print the diagnostics as `--format` asks; the exit status when the command
    ends here (1 for a report with errors, 2 for unwritable JSON), else None."""
    if form == "json":
        return _report_json(result.diagnostics) or (1 if result.document is None else None)
    if result.diagnostics:
        _say(render_all_text(result.diagnostics).removesuffix("\n"))
    return 1 if result.document is None else None


def _explain(args: argparse.Namespace, progress: _Progress) -> int:
    """`rpt explain`: each named figure as explain.py tells it; 2 for a name the
    report does not have, 1 when the report has errors (what could be computed
    is still explained)."""
    from .review.explain import explain, render_text  # noqa: PLC0415
    from .review.explain import to_json as explain_json  # noqa: PLC0415

    try:
        _check_root(args.root)
    except UsageError as error:
        _say(f"rpt: error: {error}")
        return 2
    result = compile_report(args.file, args.root, draft=True)  # notes and placeholders too
    if result.facts is None:
        return _report(result, args.format) or 1
    facts = result.facts
    names = [normal(name) for name in args.names]
    for name in names:
        if name not in facts.figures:
            hint = did_you_mean(name, list(facts.figures))
            _say(f"rpt: error: the report has no figure `{name}`" + (f"; {hint}" if hint else ""))
            return 2
    explanations = [explain(facts, name) for name in names]
    if args.format == "json":
        document = {
            "figures": [explain_json(e, facts) for e in explanations],
            "diagnostics": [diagnostic_json(d) for d in result.diagnostics],
        }
        text = escaped_json(document)
    else:
        if result.diagnostics:
            _say(render_all_text(result.diagnostics).removesuffix("\n"))
        text = "\n".join(printable_block(render_text(e, facts)) for e in explanations)
    try:
        print_out(text)
    except BrokenPipeError:
        raise
    except OSError as error:
        _say(f"rpt: error: cannot write to standard output: {reason(error)}")
        return 2
    return 1 if result.document is None else 0


def _diff(args: argparse.Namespace, progress: _Progress) -> int:
    """`rpt diff`: 0 when the two versions say the same, 1 when they differ (or one
    does not compile), 2 when a revision cannot be read."""
    from .review.diff import compare  # noqa: PLC0415
    from .review.diff_report import render_text as render_diff  # noqa: PLC0415
    from .review.diff_report import to_json as diff_json  # noqa: PLC0415
    from .review.revisions import RevisionError, compile_version  # noqa: PLC0415

    *revisions, file = args.arguments
    if len(revisions) > 2:
        _say("rpt: error: diff takes at most two revisions and a file")
        return 2
    old_revision = revisions[0] if revisions else "HEAD"
    new_revision = revisions[1] if len(revisions) == 2 else None
    try:
        _check_root(args.root)
        old = compile_version(Path(file), old_revision, args.root)
        new = compile_version(Path(file), new_revision, args.root)
    except (UsageError, RevisionError) as error:
        _say(f"rpt: error: {error}")
        return 2
    if args.to is not None and args.output is None:
        _say("rpt: error: a redline (--to) needs a file to write it to: -o FILE")
        return 2
    changes = None
    if old.compilation.facts is not None and new.compilation.facts is not None:
        changes = compare(
            old.compilation.facts,
            new.compilation.facts,
            old.compilation.preview,
            new.compilation.preview,
        )
    if args.format == "json":
        text = escaped_json(diff_json(changes, old, new))
    else:
        for version in (old, new):
            errors = [d for d in version.compilation.diagnostics if d.severity is Severity.ERROR]
            if errors:
                _say(f"{version.label}:\n" + render_all_text(errors).removesuffix("\n"))
        text = printable_block(render_diff(changes, old, new))
    try:
        print_out(text)
    except BrokenPipeError:
        raise
    except OSError as error:
        _say(f"rpt: error: cannot write to standard output: {reason(error)}")
        return 2
    if args.to is not None:
        status = _redline(old, new, args)
        if status:
            return status
        progress.written = True
    return 0 if changes is not None and changes.empty() else 1


def _redline(old: Version, new: Version, args: argparse.Namespace) -> int:
    """Write the redline of `--to` into `-o`: 0, or 2 when it cannot be made."""
    from .review.redline import redline  # noqa: PLC0415

    before, after = old.compilation.preview, new.compilation.preview
    for version, document in ((old, before), (new, after)):
        if document is None:
            _say(f"rpt: error: no redline: {version.label} has figures without a value")
            return 2
    assert before is not None and after is not None and new.compilation.settings is not None
    if any(same_file(args.output, read) for read in new.compilation.inputs):
        _say(f"rpt: error: the output {args.output} would overwrite a source file")
        return 2
    options = RenderOptions(style=new.compilation.settings.style, author=args.author)
    data = RENDERERS[args.to].render(redline(before, after), options)
    try:
        write_outputs([(args.output, data)])
    except OutputError as error:
        _say(f"rpt: error: cannot write {error.path}: {error.reason}")
        return 2
    if args.format == "text":
        _say(f"wrote {args.output}")
    return 0


def _fmt(args: argparse.Namespace, progress: _Progress) -> int:
    """`rpt fmt`: 0 when every file is (now) laid out, 1 when `--check` finds one
    that is not or a file has syntax errors (left as it is), 2 when one cannot
    be written."""
    from .review.fmt import format_file  # noqa: PLC0415

    results = [format_file(path) for path in args.files]
    status = 0
    for result in results:
        if result.diagnostics:
            _say(render_all_text(result.diagnostics).removesuffix("\n"))
        if result.laid_out is None:
            status = 1
    changed = [result for result in results if result.changed()]
    if args.diff:
        try:
            print_out("".join(printable_block(result.diff()) for result in changed))
        except BrokenPipeError:
            raise
        except OSError as error:
            _say(f"rpt: error: cannot write to standard output: {reason(error)}")
            return 2
    if args.check or args.diff:
        for result in changed:
            _say(f"would lay out {result.path}")
        return 1 if status or (args.check and changed) else 0
    try:
        write_outputs([(r.path, r.laid_out) for r in changed if r.laid_out is not None])
    except OutputError as error:
        _say(f"rpt: error: cannot write {error.path}: {error.reason}")
        return 2
    progress.written = True
    for result in changed:
        _say(f"laid out {result.path}")
    return status


COMMANDS: dict[str, Callable[[argparse.Namespace, _Progress], int]] = {
    "build": _build,
    "check": _check,
    "explain": _explain,
    "diff": _diff,
    "fmt": _fmt,
}


def run() -> NoReturn:
    """The `rpt` command: `main`, then leave without the interpreter's teardown
    (freeing each object took a sixth of a build). The outputs are written and
    renamed into place by now, and the standard streams are flushed here."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            try:
                stream.flush()
            except (OSError, ValueError):
                discard(stream)
    os._exit(code)


if __name__ == "__main__":
    run()
