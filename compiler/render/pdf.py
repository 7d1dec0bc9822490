"""Render the Document as PDF: its DOCX printed by LibreOffice, when installed.

GB/T 9704's fonts (仿宋_GB2312, 楷体_GB2312, 黑体, 方正小标宋简体, 宋体) are not free;
LibreOffice is given a font map (fontconfig) to the free faces of the same
families, so that the PDF shows which family each style asks for: 黑体 → Noto
Sans CJK SC, 楷体 → AR PL UKai CN when installed, the others → Noto Serif CJK SC.
The PDF's metadata is made byte-stable: its creation date is the document's
(as the DOCX's is), and its file identifier a digest of its content.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..document.model import Document
from . import RenderError
from .docx import document_time, render_docx
from .docx_front import TocEntry, toc_entries

# LibreOffice's first start in a fresh profile takes some seconds; a report's
# conversion some more. Beyond this the conversion is taken as hung.
CONVERSION_SECONDS = 180
FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>黑体</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
  <alias binding="same"><family>SimHei</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
  <alias binding="same"><family>楷体_GB2312</family><prefer><family>AR PL UKai CN</family><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>仿宋_GB2312</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>方正小标宋简体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>宋体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
</fontconfig>
"""  # noqa: E501  (one alias a line reads best)
SPACE = re.compile(r"\s+")
# A heading's first line, when it wraps, holds this many characters at least.
WRAPPED = 10
DATE = re.compile(rb"/(CreationDate|ModDate)\(D:[0-9]{14}[^)]*\)")
IDENTIFIER = re.compile(rb"/ID \[ <[0-9A-F]{32}>\n<[0-9A-F]{32}> \]")
# LibreOffice's own digest of the file, taken before its dates are set.
CHECKSUM = re.compile(rb"/DocChecksum /[0-9A-F]{32}")


def soffice() -> str | None:
    """LibreOffice's command, when it is installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def render_pdf(document: Document, style: str, author: str) -> bytes:
    """The PDF; with a 目录 (`toc: yes`), printed twice: the second time with the
    page numbers of its entries as the first printing laid them out."""
    # the DOCX first: a document no renderer can print stops here the same with
    # LibreOffice installed or not
    docx = render_docx(document, style, author)
    command = soffice()
    if command is None:
        raise RenderError(
            "--to pdf needs LibreOffice: install it (Debian: libreoffice-writer-nogui, "
            "with fonts-noto-cjk), or build --to docx"
        )
    pdf = _print(command, docx)
    if document.meta.toc:
        pages = toc_pages(_page_texts(pdf), toc_entries(document))
        if any(pages):
            pdf = _print(command, render_docx(document, style, author, pages))
    return stable(pdf, document_time(document.meta))


def _print(command: str, docx: bytes) -> bytes:
    """The DOCX printed by LibreOffice, in a profile and with a font map of its own."""
    with tempfile.TemporaryDirectory(prefix="rpt-pdf-") as scratch:
        folder = Path(scratch)
        (folder / "fonts.conf").write_text(FONTS, encoding="utf-8")
        (folder / "report.docx").write_bytes(docx)
        try:
            done = subprocess.run(
                [
                    command,
                    "--headless",
                    f"-env:UserInstallation=file://{folder / 'profile'}",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder),
                    str(folder / "report.docx"),
                ],
                env={**os.environ, "FONTCONFIG_FILE": str(folder / "fonts.conf")},
                capture_output=True,
                timeout=CONVERSION_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise RenderError(f"LibreOffice did not finish within {CONVERSION_SECONDS} s") from None
        except OSError as error:
            raise RenderError(f"cannot run LibreOffice: {error.strerror or error}") from None
        pdf = folder / "report.pdf"
        if done.returncode != 0 or not pdf.exists():
            said = done.stderr.decode(errors="replace").strip().splitlines()
            reason = f": {said[-1]}" if said else ""
            raise RenderError(f"LibreOffice could not print the report{reason}")
        return pdf.read_bytes()


def _page_texts(pdf: bytes) -> list[str]:
    """Each page's text (poppler's pdftotext); none when it is not installed."""
    command = shutil.which("pdftotext")
    if command is None:
        return []
    done = subprocess.run(
        [command, "-layout", "-", "-"], input=pdf, capture_output=True, check=False
    )
    return done.stdout.decode("utf-8", errors="replace").split("\f") if done.returncode == 0 else []


def toc_pages(pages: list[str], entries: list[TocEntry]) -> tuple[str, ...]:
    """The printed page of each 目录 entry: the entries are found once in the 目录,
    in order, which ends the front matter (its pages unnumbered), then again in
    order as headings, each where a line begins as the heading does (or as much
    of it as fits a line). The report's first page after the front matter is
    page 1. Empty where not found."""
    lines = [[SPACE.sub("", line) for line in page.splitlines()] for page in pages]
    texts = ["".join(page) for page in lines]
    page = 0
    for entry in entries:  # the 目录 itself, where an entry may wrap
        key = SPACE.sub("", entry.text)
        while page < len(texts) and key not in texts[page]:
            page += 1
    front = page + 1
    found: list[str] = []
    page = front
    for entry in entries:
        key = SPACE.sub("", entry.start)
        start = page
        while page < len(lines) and not any(_begins(line, key) for line in lines[page]):
            page += 1
        if page < len(lines):
            found.append(str(page - front + 1))
        else:
            found.append("")
            page = start
    return tuple(found)


def _begins(line: str, heading: str) -> bool:
    """Whether a line of text begins a heading: all of it, or a wrapped first line."""
    return line.startswith(heading) or (len(line) >= WRAPPED and heading.startswith(line))


def stable(pdf: bytes, when: datetime.datetime | None) -> bytes:
    """The PDF with its dates set to `when` (or to none: the epoch) and its file
    identifier and checksum a digest of the rest; each keeps its length, so the
    offsets of the cross-reference table stay right."""
    stamp = (when or datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)).strftime("%Y%m%d%H%M%S")

    def dated(match: re.Match[bytes]) -> bytes:
        old = match.group(0)
        new = b"/" + match.group(1) + b"(D:" + stamp.encode() + b"Z')"
        return new.ljust(len(old), b" ") if len(new) <= len(old) else old

    pdf = DATE.sub(dated, pdf)
    rest = CHECKSUM.sub(b"", IDENTIFIER.sub(b"", pdf))
    digest = hashlib.md5(rest, usedforsecurity=False).hexdigest().upper()
    pdf = CHECKSUM.sub(f"/DocChecksum /{digest}".encode(), pdf)
    return IDENTIFIER.sub(f"/ID [ <{digest}>\n<{digest}> ]".encode(), pdf)
