"""The tables generated into the package (scripts/make_tables.py) are current,
and they are the only thing besides the report that decides a parse or a unit.

rpt used to cache both on disk (lark's tables as a pickle in the temporary
directory, pint's reading of units.txt in ~/.cache); an edited cache entry could
change a printed share. Now nothing outside the package is read: these tests
also plant such files and show that they change nothing.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
import subprocess
import sys
import tempfile
import types
from collections.abc import Iterator
from pathlib import Path

import jinja2
import lark
import pytest

from rpt.base import digest, names, pattern_codes, patterns, record_inits
from rpt.base.record import field, record
from rpt.base.resources import read_grammar
from rpt.base.source import Span
from rpt.check import units
from rpt.document import model as doc
from rpt.grammar import confusables_table, lark_parser, units_table
from rpt.pipeline import compile_report
from rpt.render import markdown, markdown_compile
from rpt.render.markdown import compiled_module_name, render_markdown
from rpt.render.markdown_compile import compiled_code
from rpt.syntax import lines
from rpt.syntax.lines import START_RULES, build_parser, grammar_digest

EXAMPLE = Path(__file__).parent.parent / "reports" / "huaihua-2023"
TEMPLATES = Path(__file__).parent.parent / "templates"
REGENERATE = "run `.venv/bin/python scripts/make_tables.py` and commit the tables"


def test_the_shipped_parser_is_made_from_this_grammar() -> None:
    assert grammar_digest(read_grammar("rpt.lark")) == lark_parser.GRAMMAR_SHA256, REGENERATE
    lines.parser.cache_clear()
    try:
        assert isinstance(lines.parser(), lark_parser.Lark)
    finally:
        lines.parser.cache_clear()


def test_compiling_a_report_never_imports_lark() -> None:
    """lark's import and table building cost more than the rest of a build's
    parsing: a build runs on the standalone module alone."""
    probe = (
        "import sys, pathlib, rpt.cli\n"
        "code = rpt.cli.main(['check', '--draft', 'report.rpt'])\n"
        "assert code == 0, code\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'lark'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=EXAMPLE, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def _loads_the_parser(folder: Path, main: str, out: Path) -> bool:
    """Whether a build of `main` in `folder` (a draft) loads the parser's module."""
    probe = (
        "import sys, rpt.cli\n"
        f"argv = ['build', '--draft', {main!r}, '--to', 'md,docx', '-o', {str(out)!r}]\n"
        "assert rpt.cli.main(argv) == 0\n"
        "print('rpt.grammar.lark_parser' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=folder, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1] == "True"


def test_the_example_builds_without_loading_the_parser(tmp_path: Path) -> None:
    """Every line of the example is of a shape the fast paths read (syntax/plain*.py),
    so a build never loads the parser's module; a line they decline loads it."""
    assert not _loads_the_parser(EXAMPLE, "report.rpt", tmp_path / "out")
    (tmp_path / "r.rpt").write_text("let a = 1 万元\n**注**：收入<a>。\n", encoding="utf-8")
    assert _loads_the_parser(tmp_path, "r.rpt", tmp_path / "out")


def test_a_check_of_the_example_loads_no_library_it_does_not_use() -> None:
    """What a check of the example needs is loaded, and not lxml (the DOCX
    writer's), OpenSSL's hashlib, importlib.resources or tempfile: each cost a
    part of every check's start."""
    probe = (
        "import sys, rpt.cli\n"
        "assert rpt.cli.main(['check', '--draft', 'report.rpt']) == 0\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=EXAMPLE, capture_output=True, text=True, check=True
    )
    loaded = set(done.stdout.split())
    assert "python_calamine" in loaded  # it read the workbook
    assert not loaded & {"lxml", "hashlib", "_hashlib", "importlib.resources", "tempfile"}


RECORD_TEXTS = (
    "import importlib, json, pkgutil, rpt\n"
    "from rpt.base import record\n"
    "for module in pkgutil.walk_packages(rpt.__path__, 'rpt.'):\n"
    "    importlib.import_module(module.name)\n"
    "print(json.dumps(sorted(set(record.WRITTEN))))\n"
)


def test_every_records_init_is_compiled_ahead() -> None:
    """compiler/base/record_inits.py holds the `__init__` of every record as this
    rpt writes it (base/record.py), and nothing else: run scripts/make_tables.py
    after changing a record's fields."""
    done = subprocess.run(
        [sys.executable, "-c", RECORD_TEXTS], capture_output=True, text=True, check=True
    )
    texts = set(json.loads(done.stdout))
    assert len(texts) > 100
    assert texts == set(record_inits.FACTORIES)


def test_a_record_whose_init_is_not_in_the_table_is_compiled_when_made() -> None:
    @record
    class Probe:
        """Fields of every kind the table's functions take."""

        a: int
        b: str = "b"
        c: list[int] = field(default_factory=list)

    made = Probe(1)
    assert (made.a, made.b, made.c) == (1, "b", [])
    assert Probe(1, "x", [2]) == Probe(1, "x", [2]) != made
    assert Probe.__init__.__code__.co_filename == "<string>"  # compiled as it was made
    assert Span.__init__.__code__.co_filename == record_inits.__file__


PATTERN_KEYS = (
    "import importlib, json, pkgutil, rpt\n"
    "from rpt.base import patterns\n"
    "for module in pkgutil.walk_packages(rpt.__path__, 'rpt.'):\n"
    "    importlib.import_module(module.name)\n"
    "print(json.dumps(sorted(set(patterns.WRITTEN))))\n"
)


def test_every_pattern_is_compiled_ahead_as_re_compiles_it() -> None:
    """compiler/base/pattern_codes.py holds each pattern given to `regex`, and
    nothing else, with the very program this Python's re makes of it: run
    scripts/make_tables.py after changing a pattern."""
    done = subprocess.run(
        [sys.executable, "-c", PATTERN_KEYS], capture_output=True, text=True, check=True
    )
    keys = {(pattern, flags) for pattern, flags in json.loads(done.stdout)}
    assert len(keys) > 40
    assert patterns.engine_version() == pattern_codes.ENGINE, REGENERATE
    assert keys == set(pattern_codes.CODES), REGENERATE
    for (pattern, flags), made in pattern_codes.CODES.items():
        assert made == patterns.program(pattern, flags), pattern


def test_a_pattern_from_the_table_is_the_one_re_makes() -> None:
    (pattern, flags), _ = next(
        (key, made) for key, made in pattern_codes.CODES.items() if made[3]
    )  # one with named groups
    ahead, made = patterns.regex(pattern, flags), re.compile(pattern, flags)
    assert ahead is not made  # not re's own: from the table
    assert (ahead.pattern, ahead.flags, ahead.groups) == (made.pattern, made.flags, made.groups)
    assert ahead.groupindex == made.groupindex
    other = patterns.regex("(?P<probe>[^\\W\\d]+)、")  # in no table: re compiles it
    assert other is re.compile("(?P<probe>[^\\W\\d]+)、")
    found = other.fullmatch("收入、")
    assert found is not None and found.group("probe") == "收入"


def test_an_edited_grammar_parses_as_written_with_the_shipped_runtime(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Until scripts/make_tables.py runs, a changed grammar is built by lark in
    memory and loaded into the shipped runtime, so its trees are the classes the
    parser's modules know."""
    grammar = read_grammar("rpt.lark")
    monkeypatch.setattr(lark_parser, "GRAMMAR_SHA256", "0" * 64)
    lines.parser.cache_clear()
    try:
        rebuilt = lines.parser()
        shipped = lark_parser.Lark_StandAlone()  # type: ignore[no-untyped-call]
        assert grammar_digest(grammar) != lark_parser.GRAMMAR_SHA256
        for text, start in _sample_lines()[:300]:
            assert _tree_or_error(rebuilt, text, start) == _tree_or_error(shipped, text, start)
        tree = rebuilt.parse("let a = 1 万元", start="line")
        assert isinstance(tree, lark_parser.Tree)
    finally:
        lines.parser.cache_clear()


def test_units_table_is_what_pint_reads_from_units_txt() -> None:
    text = read_grammar("units.txt")
    assert grammar_digest(text) == units_table.UNITS_SHA256, REGENERATE
    shipped = units._standard_defs()
    assert shipped == units.read_with_pint(text)
    assert list(shipped) == [name for name, _, _ in units_table.UNITS]


def _sample_lines() -> list[tuple[str, str]]:
    """Every line of the example report, with the start rule it is parsed from."""
    samples = []
    for path in sorted(EXAMPLE.rglob("*.rpt*")):
        in_table = False
        for raw in path.read_text(encoding="utf-8").splitlines():
            text = raw.strip()
            if not text or text == "---":
                continue
            if text.startswith("table "):
                in_table = True
                samples.append((text, "line"))
            elif in_table:
                in_table = text != "end"
                samples.append((text.split("|", 1)[0].strip() or "end", "table_line"))
                samples.extend((cell.strip(), "cell_text") for cell in text.split("|")[1:-1])
            else:
                samples.append((text, "line"))
    return samples


def _shape(node: object) -> object:
    """A tree as nested tuples: rule names, token types and texts, positions;
    alike for lark's classes and the standalone module's."""
    if isinstance(node, lark.Tree | lark_parser.Tree):
        return (str(node.data), tuple(_shape(child) for child in node.children))
    if isinstance(node, lark.Token | lark_parser.Token):
        return (node.type, str(node), node.start_pos)
    return node


def _tree_or_error(parser: lark.Lark | lark_parser.Lark, text: str, start: str) -> object:
    try:
        return _shape(parser.parse(text, start=start))
    except (lark.exceptions.UnexpectedInput, lark_parser.UnexpectedInput) as error:
        # both parsers must fail alike
        return f"{type(error).__name__} at {error.pos_in_stream}"


def test_shipped_parser_parses_like_one_built_from_the_grammar() -> None:
    shipped = lines.parser()
    fresh = build_parser(read_grammar("rpt.lark"))
    samples = _sample_lines()
    assert len(samples) > 1000
    samples += [("let x = = 1", "line"), ("1 +", "formula"), ("决算数: 万元 .2", "column_spec")]
    for text, start in samples:
        assert start in START_RULES
        assert _tree_or_error(shipped, text, start) == _tree_or_error(fresh, text, start), text


def test_files_in_the_cache_and_temporary_directories_change_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the old caches were named, filled with junk and a FIFO: the example
    still builds to the same bytes, without reading them."""
    cache, temp = tmp_path / "cache", tmp_path / "tmp"
    (cache / "rpt").mkdir(parents=True)
    temp.mkdir()
    for directory in (cache / "rpt", temp):
        (directory / "units-0.json").write_text('[["万元", "1", []]]', encoding="utf-8")
        (directory / ".lark_cache_0_1.3.1.tmp").write_bytes(b"\x80\x04junk")
    os.mkfifo(cache / "rpt" / "units-fifo.json")
    os.mkfifo(temp / ".lark_cache_fifo.tmp")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setenv("HOME", str(tmp_path))
    lines.parser.cache_clear()
    units._standard_defs.cache_clear()
    try:
        monkeypatch.chdir(EXAMPLE)
        result = compile_report(Path("report.rpt"), draft=True)
        assert result.document is not None
        golden = Path(__file__).parent / "golden" / "example" / "huaihua-2023.md"
        assert render_markdown(result.document) == golden.read_text(encoding="utf-8")
    finally:
        lines.parser.cache_clear()
        units._standard_defs.cache_clear()


def test_confusables_table_is_made_from_the_shipped_subset() -> None:
    text = read_grammar("confusables.txt")
    assert grammar_digest(text) == confusables_table.CONFUSABLES_SHA256, REGENERATE
    assert "Version: 13.0.0" in text  # Unicode's own header travels with its data
    names._prototypes.cache_clear()
    try:
        # the very table, made ready for str.translate
        assert names._prototypes() == str.maketrans(confusables_table.CONFUSABLES)
    finally:
        names._prototypes.cache_clear()


SHIPPED_TEMPLATES = (
    "markdown/block.md.j2",
    "markdown/document.md.j2",
    "markdown/inlines.md.j2",
    "markdown/table.md.j2",
)


@pytest.mark.parametrize("template", SHIPPED_TEMPLATES)
def test_compiled_templates_are_what_the_compiler_makes_of_the_shipped_ones(template: str) -> None:
    module = importlib.import_module(f"rpt.templates.compiled.{compiled_module_name(template)}")
    assert module.__file__ is not None
    assert Path(module.__file__).read_text(encoding="utf-8") == compiled_code(template), REGENERATE
    assert markdown._compiled(template) is module  # and so they are what renders


def test_every_shipped_template_has_its_compiled_module() -> None:
    shipped = sorted(
        path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.glob("markdown/*.md.j2")
    )
    assert shipped == sorted(SHIPPED_TEMPLATES)


@pytest.fixture
def fresh_templates() -> Iterator[None]:
    """Templates read and linked afresh, and again after the test."""
    markdown.forget_templates()
    yield
    markdown.forget_templates()


def test_a_compiled_template_older_than_its_source_is_not_used(
    monkeypatch: pytest.MonkeyPatch, fresh_templates: None
) -> None:
    """An edited template renders as edited, by Jinja2, before the tables are made
    anew; the templates it imports still run compiled."""
    edited = markdown.source("markdown/document.md.j2") + "edited\n"
    real = markdown.source
    monkeypatch.setattr(
        markdown, "source", lambda name: edited if name == "markdown/document.md.j2" else real(name)
    )
    markdown_compile.environment.cache_clear()
    monkeypatch.setattr(markdown_compile, "source", markdown.source)
    try:
        assert markdown._compiled("markdown/document.md.j2") is None
        assert markdown._compiled("markdown/inlines.md.j2") is not None
        document = markdown.template("markdown/document.md.j2")
        assert document.__self__.filename == "markdown/document.md.j2"  # type: ignore[attr-defined]
        block = markdown.template("markdown/block.md.j2")
        assert block.__module__ == "rpt.templates.compiled.markdown_block"
        result = compile_report(EXAMPLE / "report.rpt", draft=True)
        assert result.document is not None
        assert render_markdown(result.document).endswith("edited\n")
    finally:
        markdown_compile.environment.cache_clear()


def test_a_template_imports_one_that_jinja2_renders(
    monkeypatch: pytest.MonkeyPatch, fresh_templates: None
) -> None:
    """A compiled template importing one edited since takes the macros of Jinja2's."""
    edited = markdown.source("markdown/inlines.md.j2").replace("**{{", "__{{")
    real = markdown.source
    monkeypatch.setattr(
        markdown, "source", lambda name: edited if name == "markdown/inlines.md.j2" else real(name)
    )
    markdown_compile.environment.cache_clear()
    monkeypatch.setattr(markdown_compile, "source", markdown.source)
    try:
        block = doc.Paragraph((doc.Strong((doc.Text("粗"),)),))
        document = doc.Document(doc.Meta("", "", "", "", None, None, "zh-CN"), (block,))
        assert render_markdown(document) == "__粗**\n"
    finally:
        markdown_compile.environment.cache_clear()


def test_the_renderer_runs_the_compiled_templates(fresh_templates: None) -> None:
    """…and not Jinja2, which a build does not even import."""
    for name in SHIPPED_TEMPLATES:
        module = f"rpt.templates.compiled.{compiled_module_name(name)}"
        assert markdown.template(name).__module__ == module
    probe = (
        "import sys, rpt.cli\n"
        "arguments = ['build', '--draft', 'report.rpt', '--to', 'md', '-o', sys.argv[1]]\n"
        "assert rpt.cli.main(arguments) == 0\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    with tempfile.TemporaryDirectory() as scratch:
        done = subprocess.run(
            [sys.executable, "-c", probe, str(Path(scratch) / "out.md")],
            cwd=EXAMPLE,
            capture_output=True,
            text=True,
            check=True,
        )
    loaded = set(done.stdout.split())
    assert "rpt.templates.compiled.markdown_block" in loaded
    assert not loaded & {"jinja2", "markupsafe", "rpt.render.markdown_compile"}


@pytest.mark.parametrize("kept", [(), ("SOURCE_SHA256",), ("FORMAT",)])
def test_a_compiled_template_without_its_digest_or_format_is_not_used(
    monkeypatch: pytest.MonkeyPatch, kept: tuple[str, ...]
) -> None:
    """A module left by an older scripts/make_tables.py, which wrote no digest, or
    code for another `link`: the template is rendered from its source instead."""
    current = importlib.import_module("rpt.templates.compiled.markdown_document")
    older = types.ModuleType(current.__name__)
    for name in kept:
        setattr(older, name, getattr(current, name))
    monkeypatch.setitem(sys.modules, current.__name__, older)
    assert markdown._compiled("markdown/document.md.j2") is None
    older.FORMAT = markdown.COMPILED_FORMAT + 1  # type: ignore[attr-defined]
    older.SOURCE_SHA256 = current.SOURCE_SHA256  # type: ignore[attr-defined]
    assert markdown._compiled("markdown/document.md.j2") is None


def test_a_template_that_is_not_shipped_is_not_found() -> None:
    with pytest.raises(jinja2.TemplateNotFound) as raised:
        markdown.source("markdown/missing.md.j2")
    assert raised.value.name == "markdown/missing.md.j2"


@pytest.mark.parametrize("data", [b"", b"abc", "收入".encode() * 10_000])
def test_the_digest_of_a_file_is_hashlibs(data: bytes) -> None:
    assert digest.sha256_hex(data) == hashlib.sha256(data).hexdigest()
