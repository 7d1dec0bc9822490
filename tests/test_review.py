"""`rpt explain` and `rpt diff` on real git repositories made here: goldens for
their text, and the JSON, exit statuses and edge cases tools rely on."""

from __future__ import annotations

import io
import json
import os
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from rpt.cli import main
from rpt.document import model
from rpt.review.redline import redline

GOLDEN = Path(__file__).parent / "golden" / "review"
UPDATE_GOLDEN = os.environ.get("RPT_UPDATE_GOLDEN") == "1"

MAIN = """\
---
title: 测试单位2023年度部门决算
year: 2023
---
include "figures.rpti"

# 收入支出决算总体情况

本年收入合计<收入合计>，其中财政拨款<收入.财政拨款>，占<收入.财政拨款 / 收入合计:%>。
比上年增加<收入合计 - 上年收入合计>。

table 收支表 "收入支出决算总表"
columns | 项目 | 决算数: 万元 |
header | 项目 | 决算数 |
row 项.拨款 | 财政拨款收入 | = 收入.财政拨款 |
row 项.其他 | 其他收入 | = 收入.其他 |
row 合计 | 合计 | = sum(项.*.决算数) |
check 合计.决算数 == 收入合计 "表内合计等于收入合计"
end
"""
FIGURES = """\
let 收入.财政拨款 = 216.53 万元
let 收入.其他 = 1.38 万元
let 收入合计 = sum(收入.*)
let 上年收入合计 = 200.00 万元
check 收入合计 == 217.91 万元 "收入合计与决算报表一致"
"""


def _git(repo: Path, *arguments: str) -> str:
    return subprocess.run(
        ["git", *arguments], cwd=repo, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with the report committed once, as the working directory;
    names and dates fixed so that commit ids are the same on every run."""
    for variable, value in {
        "GIT_AUTHOR_NAME": "rpt",
        "GIT_AUTHOR_EMAIL": "rpt@example.org",
        "GIT_COMMITTER_NAME": "rpt",
        "GIT_COMMITTER_EMAIL": "rpt@example.org",
        "GIT_AUTHOR_DATE": "2024-06-25T10:00:00+08:00",
        "GIT_COMMITTER_DATE": "2024-06-25T10:00:00+08:00",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }.items():
        monkeypatch.setenv(variable, value)
    (tmp_path / "main.rpt").write_text(MAIN, encoding="utf-8")
    (tmp_path / "figures.rpti").write_text(FIGURES, encoding="utf-8")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "决算初稿")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _edit(repo: Path, name: str, old: str, new: str) -> None:
    path = repo / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _run(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(arguments)
    out, err = capsys.readouterr()
    return status, out, err


def _golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if UPDATE_GOLDEN:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- explain


def test_explain_golden(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(["explain", "main.rpt", "收入合计", "收支表.合计.决算数"], capsys)
    assert (status, err) == (0, "")
    _golden("explain", out)


def test_explain_json(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(["explain", "main.rpt", "收入合计", "--format", "json"], capsys)
    assert status == 0
    data = json.loads(out)
    [figure] = data["figures"]
    assert figure["value"] == "217.91" and figure["unit"] == "万元"
    assert figure["kind"] == "money"
    assert [i["name"] for i in figure["inputs"]] == ["收入.财政拨款", "收入.其他"]
    assert figure["inputs"][0]["value"] == "216.53"
    assert (figure["file"], figure["line"]) == ("figures.rpti", 3)
    assert {c["check"] for c in figure["checks"]} >= {"收入合计 == 217.91 万元"}
    assert [p["text"] for p in figure["printed"] if p["direct"]] == ["217.91万元"]
    assert data["diagnostics"] == []


def test_explain_an_unknown_name_suggests_one(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(["explain", "main.rpt", "收入总计"], capsys)
    assert (status, out) == (2, "")
    assert "did you mean `收入合计`?" in err


def test_explain_a_report_whose_check_fails(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The figures still explain, with their printed text; the status says errors."""
    _edit(repo, "figures.rpti", "1.38 万元", "1.83 万元")
    status, out, err = _run(["explain", "main.rpt", "收入合计"], capsys)
    assert status == 1
    assert "error[E501]" in err
    assert "failed      收入合计 == 217.91 万元" in out
    assert "218.36万元" in out


# ---------------------------------------------------------------- diff


def test_diff_of_an_edited_literal_golden(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(repo, "figures.rpti", "let 收入.其他 = 1.38 万元", "let 收入.其他 = 1.83 万元")
    status, out, err = _run(["diff", "main.rpt"], capsys)
    assert status == 1
    assert "error[E501]" in err  # the check that now fails, shown with its reasons
    _golden("diff-literal", out)


def test_diff_without_a_change_of_meaning(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(repo, "figures.rpti", "let 收入合计 = sum(收入.*)", "let 收入合计 = sum(收入.*)  ")
    (repo / "figures.rpti").write_text(
        (repo / "figures.rpti").read_text(encoding="utf-8") + "// 注释\n", encoding="utf-8"
    )
    status, out, _ = _run(["diff", "main.rpt"], capsys)
    assert status == 0
    assert out.endswith("no change in what the report says\n")


def test_diff_of_prose_added_figures_and_two_revisions(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(repo, "main.rpt", "比上年增加", "较上年增加")
    _edit(repo, "figures.rpti", "let 上年收入合计", "let 人数 = 14 人\nlet 上年收入合计")
    _git(repo, "commit", "-q", "-am", "措辞")
    status, out, _ = _run(["diff", "HEAD~1", "HEAD", "main.rpt"], capsys)
    assert status == 1
    _golden("diff-prose", out)


def test_diff_json(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(repo, "figures.rpti", "let 上年收入合计 = 200.00 万元", "let 上年收入合计 = 210.00 万元")
    status, out, _ = _run(["diff", "main.rpt", "--format", "json"], capsys)
    assert status == 1
    data = json.loads(out)
    assert data["changed"] is True
    [cause] = data["causes"]
    assert (cause["figure"], cause["old"], cause["new"]) == (
        "上年收入合计",
        "200.00 万元",
        "210.00 万元",
    )
    assert [f["difference"] for f in cause["figures"]] == ["+10 万元"]
    [text] = cause["text"]
    assert (text["old"], text["new"]) == ("比上年增加17.91万元。", "比上年增加7.91万元。")
    assert data["old"]["errors"] == data["new"]["errors"] == 0


def test_diff_when_a_revision_has_errors(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An include gone: the diagnostics are shown, and what still compiles is compared."""
    (repo / "figures.rpti").unlink()
    status, out, err = _run(["diff", "main.rpt"], capsys)
    assert status == 1
    assert "working tree has 10 errors" in out
    assert "收入.财政拨款 removed (it was 216.53 万元)" in out
    assert "error[E105]: cannot read figures.rpti" in err


def test_diff_when_a_revision_does_not_compile(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "main.rpt").rename(repo / "moved.rpt")
    status, out, err = _run(["diff", "main.rpt"], capsys)
    assert status == 1
    assert "cannot be compared" in out
    assert "cannot read main.rpt" in err


def test_diff_names_the_old_files_by_revision(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(repo, "figures.rpti", "1.38 万元", "1.83 万元")
    _git(repo, "commit", "-q", "-am", "改错")
    status, out, err = _run(["diff", "HEAD", "HEAD~1", "main.rpt"], capsys)
    assert status == 1
    assert "--> HEAD:figures.rpti:5:7" in err  # the edited version's failing check
    assert "HEAD (" in out and "has 1 error" in out and "HEAD~1 (" in out


def test_diff_leaves_the_repository_as_it_was(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(repo, "figures.rpti", "1.38 万元", "1.83 万元")
    before = (_git(repo, "status", "--porcelain"), _git(repo, "rev-parse", "HEAD"))
    files = sorted(p.name for p in repo.rglob("*") if ".git" not in p.parts)
    _run(["diff", "HEAD", "main.rpt"], capsys)
    assert (_git(repo, "status", "--porcelain"), _git(repo, "rev-parse", "HEAD")) == before
    assert sorted(p.name for p in repo.rglob("*") if ".git" not in p.parts) == files


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["diff", "nope", "main.rpt"], "`nope` is not a commit"),
        (["diff", "--", "-x", "main.rpt"], "`-x` is not a revision"),
        (["diff", "a", "b", "c", "main.rpt"], "at most two revisions"),
    ],
)
def test_diff_refuses_what_is_not_a_revision(
    repo: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    status, out, err = _run(arguments, capsys)
    assert (status, out) == (2, "")
    assert message in err


def test_diff_outside_a_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "main.rpt").write_text("let a = 1 万元\n<a>\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, _, err = _run(["diff", "main.rpt"], capsys)
    assert status == 2
    assert "not a git repository" in err


# ---------------------------------------------------------------- redline


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _tracked(docx_bytes: bytes) -> tuple[list[str], list[str], Any]:
    """The inserted and deleted texts of a DOCX, and its document.xml tree."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    inserted = ["".join(t.text or "" for t in i.iter(f"{W}t")) for i in root.iter(f"{W}ins")]
    deleted = ["".join(t.text or "" for t in d.iter(f"{W}delText")) for d in root.iter(f"{W}del")]
    return [t for t in inserted if t], [t for t in deleted if t], root


def test_redline_docx_tracks_the_changes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(repo, "figures.rpti", "let 收入.其他 = 1.38 万元", "let 收入.其他 = 1.83 万元")
    _edit(repo, "figures.rpti", "== 217.91 万元", "== 218.36 万元")
    _edit(repo, "main.rpt", "比上年增加", "比上年共增加")
    _edit(repo, "main.rpt", "\ntable 收支表", "\n新增一段说明。\n\ntable 收支表")
    status, _, err = _run(
        ["diff", "main.rpt", "--to", "docx", "-o", "redline.docx", "--author", "审核人"], capsys
    )
    assert status == 1 and "wrote redline.docx" in err
    inserted, deleted, root = _tracked((repo / "redline.docx").read_bytes())
    assert "218.36" in inserted and "217.91" in deleted  # a number replaced whole
    assert "1.83" in inserted and "1.38" in deleted
    assert "共" in inserted
    assert "新增一段说明。" in inserted
    authors = {e.get(f"{W}author") for e in root.iter(f"{W}ins", f"{W}del")}
    assert authors == {"审核人"}
    ids = [e.get(f"{W}id") for e in root.iter(f"{W}ins", f"{W}del")]
    assert len(ids) == len(set(ids))  # each change its own id
    # the added paragraph's mark is tracked too: rejecting it removes the paragraph
    marks = [p for p in root.iter(f"{W}p") if p.find(f"{W}pPr/{W}rPr/{W}ins") is not None]
    assert ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in marks] == ["新增一段说明。"]


def test_redline_markdown(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(repo, "main.rpt", "比上年增加", "较上年增加")
    status, _, _ = _run(["diff", "main.rpt", "--to", "md", "-o", "redline.md"], capsys)
    assert status == 1
    assert "<del>比</del><ins>较</ins>上年增加17.91万元。" in (repo / "redline.md").read_text(
        encoding="utf-8"
    )


def test_a_redline_needs_an_output(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(["diff", "main.rpt", "--to", "docx"], capsys)
    assert status == 2 and "-o FILE" in err


def _meta() -> model.Meta:
    return model.Meta("", "", "", "", None, None, "zh-CN")


def _paragraph(text: str) -> model.Paragraph:
    return model.Paragraph((model.Text(text),))


def test_redline_pairs_blocks_and_compares_words() -> None:
    old = model.Document(_meta(), (_paragraph("收入217.91万元。"), _paragraph("删去的段落。")))
    new = model.Document(
        _meta(), (_paragraph("收入218.36万元。"), model.Heading(1, "一、", (model.Text("新"),)))
    )
    blocks = redline(old, new).blocks
    assert blocks[0] == model.Paragraph(
        (
            model.Text("收入"),
            model.Deleted((model.Text("217.91"),)),
            model.Inserted((model.Text("218.36"),)),
            model.Text("万元。"),
        )
    )
    assert blocks[1] == model.Paragraph((model.Deleted((model.Text("删去的段落。"),)),))
    assert blocks[2] == model.Heading(1, "一、", (model.Inserted((model.Text("新"),)),))


def test_redline_keeps_emphasis_and_unchanged_blocks() -> None:
    same = _paragraph("不变。")
    old = model.Document(_meta(), (same, model.Paragraph((model.Strong((model.Text("甲乙"),)),))))
    new = model.Document(_meta(), (same, model.Paragraph((model.Strong((model.Text("甲丙"),)),))))
    assert redline(old, new).blocks == (
        same,
        model.Paragraph(
            (
                model.Strong((model.Text("甲"),)),
                model.Deleted((model.Strong((model.Text("乙"),)),)),
                model.Inserted((model.Strong((model.Text("丙"),)),)),
            )
        ),
    )


def _table(*cells: str) -> model.Table:
    rows = tuple(model.Row((model.Cell((model.Text(c),)),)) for c in cells)
    return model.Table((), "", 1, rows, (4,))


def test_redline_of_tables() -> None:
    old = model.Document(_meta(), (_table("1.38", "2"),))
    same_shape = redline(old, model.Document(_meta(), (_table("1.83", "2"),))).blocks
    [table] = same_shape
    assert isinstance(table, model.Table)
    assert table.rows[0].cells[0].inlines == (
        model.Deleted((model.Text("1.38"),)),
        model.Inserted((model.Text("1.83"),)),
    )
    assert table.rows[1].cells[0].inlines == (model.Text("2"),)
    reshaped = redline(old, model.Document(_meta(), (_table("1.83", "2", "3"),))).blocks
    assert [type(b) for b in reshaped] == [model.Table, model.Table]  # deleted, then inserted
    first, second = reshaped
    assert isinstance(first, model.Table) and isinstance(second, model.Table)
    assert all(isinstance(c.cells[0].inlines[0], model.Deleted) for c in first.rows)
    assert all(isinstance(c.cells[0].inlines[0], model.Inserted) for c in second.rows)
