"""The `rpt` command: `rpt build` and `rpt check`.

Exit status: 0 success, 1 the report has errors, 2 the command line is wrong or
an output cannot be written. Nothing is written when there are errors, and every
output is written to a temporary file first and renamed over the target, so a
failed or interrupted build leaves the previous output as it was.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .diagnostics import Diagnostic, render_all_json, render_all_text
from .document import Document
from .pipeline import compile_report
from .style_templates import available_styles

# Each renderer is imported when its format is asked for: `rpt check` needs
# neither, and jinja2 and lxml with their modules take about 60 ms to import.


def _markdown(document: Document) -> bytes:
    from .render_markdown import render_markdown  # noqa: PLC0415  (see above)

    return render_markdown(document).encode("utf-8")


def _docx(document: Document) -> bytes:
    from .render_docx import render_docx  # noqa: PLC0415  (see above)

    return render_docx(document)


RENDERERS: dict[str, tuple[str, Callable[[Document], bytes]]] = {
    "md": (".md", _markdown),
    "docx": (".docx", _docx),
}


class UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rpt",
        description="Compile .rpt reports: every figure computed, unit-checked, rounded right.",
    )
    parser.add_argument("--version", action="version", version=f"rpt {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="check a report and write its outputs")
    build.add_argument("file", type=Path, help="the main .rpt file")
    build.add_argument(
        "-o",
        "--output",
        type=Path,
        help="output file (with several formats: its extension is replaced per format); "
        "default: next to FILE",
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
    check = commands.add_parser("check", help="check a report without writing anything")
    check.add_argument("file", type=Path, help="the main .rpt file")
    for sub in (build, check):
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
    return parser


def _targets(file: Path, output: Path | None, formats: list[str]) -> list[tuple[str, Path]]:
    unknown = [f for f in formats if f not in RENDERERS]
    if unknown or not formats:
        raise UsageError(
            f"unknown output format {', '.join(unknown) or '(none)'}; choose from "
            + ", ".join(RENDERERS)
        )
    targets = []
    for name in formats:
        suffix = RENDERERS[name][0]
        if output is None:
            path = file.with_suffix(suffix)
        elif len(formats) == 1:
            path = output
        else:
            path = output.with_suffix(suffix)
        if path.resolve() == file.resolve():
            raise UsageError(f"the output {path} would overwrite the source")
        targets.append((name, path))
    return targets


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it into place.

    The file gets the mode the target already has, or the one a plain `open`
    would give it (mkstemp's 0600 would hide a published report from a web server).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fchmod(stream.fileno(), mode)
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _check_style(style: str | None) -> None:
    if style is not None and style not in available_styles():
        raise UsageError(
            f"unknown style `{style}`; available styles: " + ", ".join(available_styles())
        )


def _with_style(document: Document, style: str | None) -> Document:
    if style is None:
        return document
    return dataclasses.replace(document, meta=dataclasses.replace(document.meta, style=style))


def _report(diagnostics: list[Diagnostic], fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(render_all_json(diagnostics))
    elif diagnostics:
        sys.stderr.write(render_all_text(diagnostics))


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _run(argv)
    except KeyboardInterrupt:
        # the outputs are written by rename, so an interrupted build changed nothing
        sys.stderr.write("rpt: interrupted; nothing was written\n")
        return 130
    except BrokenPipeError:
        # `rpt check --format json | head`: the reader left; that is not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _run(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            formats = [f.strip() for f in args.to.split(",") if f.strip()]
            targets = _targets(args.file, args.output, formats)
            _check_style(args.style)
        else:
            targets = []
    except UsageError as error:
        sys.stderr.write(f"rpt: error: {error}\n")
        return 2
    result = compile_report(args.file, args.root)
    _report(result.diagnostics, args.format)
    if result.document is None:
        return 1
    sources = {Path(source).resolve() for source in result.sources}
    for _, path in targets:
        if path.resolve() in sources:
            sys.stderr.write(f"rpt: error: the output {path} would overwrite a source file\n")
            return 2
    document = _with_style(result.document, getattr(args, "style", None))
    outputs = [(path, RENDERERS[name][1](document)) for name, path in targets]
    for path, data in outputs:
        try:
            write_atomically(path, data)
        except OSError as error:
            sys.stderr.write(f"rpt: error: cannot write {path}: {error.strerror or error}\n")
            return 2
        if args.format == "text":
            sys.stderr.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
