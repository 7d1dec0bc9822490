"""How long the DOCX renderer takes, and how it grows with the document.

    .venv/bin/python benchmarks/bench_docx.py [--sizes 1 10 100] [--runs 3]

Renders synthetic Documents made of N copies of a section (headings, paragraphs
with figures and emphasis, a list, a 20-row table with merged cells) and prints
the time per render (best of several runs) and per block. A linear renderer
shows a flat "µs per block" column; python-docx's add_paragraph and
table.cell(r, c) would make it grow with N.
"""

from __future__ import annotations

import argparse
import datetime
import time

from rpt.document.model import (
    Block,
    Cell,
    Document,
    Emph,
    Figure,
    Heading,
    ListBlock,
    Meta,
    Paragraph,
    Row,
    Strong,
    Table,
    Text,
)
from rpt.render.docx import render_docx

META = Meta(
    title="某单位2023年度部门决算",
    subtitle="",
    organisation="某单位",
    author="",
    year=2023,
    date=datetime.date(2024, 6, 25),
    locale="zh-CN",
)


def _sentence(i: int) -> Paragraph:
    return Paragraph(
        (
            Text(f"2023年度第{i}项收入合计"),
            Figure(f"{200 + i % 97}.91万元", "收入合计", 0),
            Text("，其中："),
            Strong((Text("财政拨款收入"),)),
            Figure(f"{100 + i % 89}.53万元", "收入.财政拨款", 1),
            Text("，占"),
            Emph((Figure("99%", "收入.财政拨款 / 收入合计", 2),)),
            Text("。与上年相比有所减少，主要是因为压缩经费开支，严格控制一般性支出。"),
        )
    )


def _table(i: int) -> Table:
    header = Row(
        (
            Cell((Text("项目"),), rowspan=2, align="center"),
            Cell((Text("本年支出"),), colspan=3, align="center"),
            Cell((Text("上年"),), rowspan=2, align="center"),
            Cell((Text("增减"),), rowspan=2, align="center"),
        ),
        header=True,
    )
    subheader = Row(
        tuple(Cell((Text(t),), align="center") for t in ("合计", "基本支出", "项目支出")),
        header=True,
    )
    rows = [header, subheader]
    for r in range(18):
        number = f"{(i * 31 + r * 7) % 1000}.{r:02d}"
        rows.append(
            Row(
                (
                    Cell((Text(f"第{r + 1}类支出"),)),
                    *(Cell((Text(number),), align="right") for _ in range(5)),
                )
            )
        )
    return Table(
        caption=(Text(f"表{i} 支出决算表"),),
        unit_note="单位：万元",
        columns=6,
        rows=tuple(rows),
        widths=(20, 10, 10, 10, 10, 10),
    )


def section(i: int) -> list[Block]:
    blocks: list[Block] = [Heading(2, f"{i}、", (Text("收入支出决算总体情况说明"),))]
    for j in range(3):
        blocks.append(Heading(3, f"（{j + 1}）", (Text("具体情况"),)))
        blocks.extend(_sentence(i * 10 + j * 3 + k) for k in range(5))
    blocks.append(ListBlock(True, 1, tuple((Text(f"第{k}条措施。"),) for k in range(5))))
    blocks.append(_table(i))
    return blocks


def synthetic(size: int) -> Document:
    blocks: list[Block] = [Heading(1, "第一部分", (Text("部门决算情况说明"),))]
    for i in range(size * 10):
        blocks.extend(section(i))
    return Document(META, tuple(blocks))


def paragraphs(document: Document) -> int:
    """Word paragraphs written: blocks, list items and table cells, captions."""
    count = 0
    for block in document.blocks:
        match block:
            case ListBlock(items=items):
                count += len(items)
            case Table(rows=rows):
                count += 2 + sum(len(row.cells) for row in rows)
            case _:
                count += 1
    return count


def best_of(runs: int, document: Document) -> tuple[float, int]:
    times = []
    size = 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(render_docx(document))
        times.append(time.perf_counter() - start)
    return min(times), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 10, 100])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'size':>5} {'blocks':>7} {'paragraphs':>11} {'render ms':>10} "
        f"{'µs/block':>9} {'µs/paragraph':>13} {'docx KB':>8}"
    )
    for size in args.sizes:
        document = synthetic(size)
        seconds, length = best_of(args.runs, document)
        blocks = len(document.blocks)
        count = paragraphs(document)
        print(
            f"{size:>4}× {blocks:>7} {count:>11} {seconds * 1000:>10.1f} "
            f"{seconds * 1e6 / blocks:>9.1f} {seconds * 1e6 / count:>13.2f} {length / 1024:>8.0f}"
        )


if __name__ == "__main__":
    main()
