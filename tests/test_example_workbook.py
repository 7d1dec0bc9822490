"""The example report reads its amounts from reports/huaihua-2023/决算报表.xlsx:
the committed workbook is what scripts/make_example_workbook.py writes, and the
report's sources type by hand only the amounts that are in no table."""

from __future__ import annotations

import importlib.util
import io
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import openpyxl

from rpt.base.diagnostics import Diagnostics
from rpt.syntax import tree as ast
from rpt.syntax import walks
from rpt.syntax.load import Loader
from rpt.syntax.tables import expand_tables

ROOT = Path(__file__).parent.parent
REPORT = ROOT / "reports" / "huaihua-2023"
WORKBOOK = REPORT / "决算报表.xlsx"
MONEY = frozenset({"元", "万元", "亿元"})
# 上年 totals (2), the 年初预算 by 科目 (5) and the workers' wages recovered (7)
MOST_TYPED_AMOUNTS = 20


def _script() -> ModuleType:
    path = ROOT / "scripts" / "make_example_workbook.py"
    spec = importlib.util.spec_from_file_location("make_example_workbook", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _cells(content: bytes) -> dict[str, object]:
    """Every sheet's cells (value and number format) and merged ranges. Not the
    bytes: they depend on openpyxl's way of writing XML and on zlib's deflate,
    which a fresh clone's versions may do differently; the cells are what the
    report reads, and the committed file is what its digest records."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheets: dict[str, object] = {}
    for sheet in book.worksheets:
        cells = {
            cell.coordinate: (cell.value, cell.number_format)
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        }
        merged = sorted(str(cells_range) for cells_range in sheet.merged_cells.ranges)
        sheets[sheet.title] = (cells, merged)
    return sheets


def test_committed_workbook_is_what_the_script_writes() -> None:
    written = _script().workbook_bytes()
    assert _cells(written) == _cells(WORKBOOK.read_bytes()), (
        "reports/huaihua-2023/决算报表.xlsx is stale: run scripts/make_example_workbook.py"
    )


def test_script_writes_the_same_bytes_twice() -> None:
    script = _script()
    assert script.workbook_bytes() == script.workbook_bytes()


def typed_amounts(main: Path) -> list[tuple[str, Decimal, str]]:
    """The money literals of a report: a number in a money unit in a `let` or a
    table row (a row's bare number takes its column's unit), not read from a
    data file. Each as the figure it is in, its value and its unit."""
    diagnostics = Diagnostics()
    module = Loader(diagnostics).load(main)
    assert module is not None and not diagnostics.has_errors()
    amounts = []
    for item in expand_tables(module, diagnostics).items:
        if isinstance(item, ast.Let):
            for node in walks.walk(item.expr):
                if (
                    isinstance(node, ast.Number)
                    and node.unit is not None
                    and node.unit.name in MONEY
                    and node.cell is None
                ):
                    amounts.append((item.name, node.value, node.unit.name))
    return amounts


def test_the_example_types_few_amounts() -> None:
    amounts = typed_amounts(REPORT / "report.rpt")
    assert 0 < len(amounts) <= MOST_TYPED_AMOUNTS, amounts
    # each typed amount is one no table of the workbook has: its figure says so
    names = {name.split(".")[0] for name, _, _ in amounts}
    assert names == {"上年", "年初预算", "欠薪协调", "跨省执法", "冬季行动", "全年", "农民工维权"}


def test_typed_amounts_counts_lets_and_table_cells(tmp_path: Path) -> None:
    main = tmp_path / "report.rpt"
    main.write_text(
        "let 甲 = 1.5 万元\n"
        "let 乙 = 甲 + 2 万元\n"
        "let 丙 = 3 人\n"
        "table 表\n"
        "columns | 项目 | 金额: 万元 | 人数: 人 |\n"
        "row 一 | 一 | 4 | 5 |\n"
        "row 二 | 二 | = 甲 | 6 |\n"
        "end\n",
        encoding="utf-8",
    )
    found = sorted((name, str(value)) for name, value, _ in typed_amounts(main))
    assert found == [("乙", "2"), ("甲", "1.5"), ("表.一.金额", "4")]
