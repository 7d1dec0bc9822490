"""Table geometry: where lines may break in a cell, how a header is wrapped
evenly, and how columns share the text width (labels, numbers, the rest)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rpt.document.model import Cell, Row, Table, Text, plain_text
from rpt.render.line_breaks import balanced, pieces, wrap
from rpt.render.table_layout import (
    SHIFTS,
    Slot,
    _fewest_lines,
    _Heights,
    _mend_orphans,
    _narrowest,
    _shortest,
    column_needs,
    column_widths,
    grid_slots,
    layout_columns,
)


def _table(*rows: tuple[str, ...]) -> Table:
    cells = tuple(
        Row(
            tuple(
                Cell((Text(text),), align="right" if text[:1].isdigit() else "left") for text in row
            )
        )
        for row in rows
    )
    return Table((), "", len(rows[0]), cells, (1,) * len(rows[0]))


def test_dates_numbers_and_brackets_are_not_broken() -> None:
    assert pieces("截至2023年12月31日") == ("截", "至", "2023年12月31日")
    assert pieces("满意度≥90%。") == ("满", "意", "度", "≥90%。")
    assert pieces("预算投资（万元）") == ("预", "算", "投", "资", "（万元）")
    assert pieces("做好“12333”热线") == ("做", "好", "“12333”", "热", "线")
    # where the columns are too narrow for whole dates, after the year
    assert pieces("2023年12月31日", tight=True) == ("2023年", "12月31日")


def test_wrap_breaks_as_late_as_it_can() -> None:
    assert wrap("社会保障和就业支出", 16) == [16, 2]  # 八个字, then one alone
    assert wrap("社会保障和就业支出", 18) == [18]
    # a date is not broken unless asked (tight), even wider than the cell
    assert wrap("2023年12月31日", 9) == [pytest.approx(15.2)]
    assert wrap("2023年12月31日", 9, tight=True) == [pytest.approx(6.6), pytest.approx(8.6)]


def test_headers_wrap_evenly() -> None:
    assert balanced("附属单位上缴收入", 14) == ["附属单位", "上缴收入"]
    assert balanced("本年收入合计", 10) == ["本年收", "入合计"]
    # each line nearest an even share of the text left, the longer of two as near
    assert balanced("偏差原因分析及改进措施", 8) == ["偏差原因", "分析及改", "进措施"]
    assert balanced("附属单位上缴收入", 6.9) == ["附属单", "位上缴", "收入"]
    assert balanced("偏差原因分析及改进措施", 6.75) == ["偏差原", "因分析", "及改进", "措施"]
    assert balanced("示范区化肥使用量减幅", 6.75) == ["示范区", "化肥", "使用量", "减幅"]
    assert balanced("合计", 8) == ["合计"]
    assert balanced("2023年12月31日", 9.75) == ["2023年12月31日"]  # one piece, too wide


def test_a_header_that_even_lines_cannot_hold_is_left_whole() -> None:
    """Where the lines `wrap` counts cannot each hold an even share, because a
    piece is wider than the column (2023年 is a little over six units), the text
    is left whole for the word processor; and a line ends where the next piece
    would pass the column, even when that is before its even share."""
    assert balanced("全年度2023年", 6) == ["全年度2023年"]
    assert balanced("预算（万元）决算（万元）", 10) == ["预算", "（万元）决", "算（万元）"]


def test_the_narrowest_width_for_some_lines_is_found_a_unit_at_a_time() -> None:
    """完成率100% in two lines needs a little over six units (完成率 / 100%),
    not the seven that a search in steps of two would reach."""
    assert _narrowest("完成率100%", 2) == pytest.approx(6.15)
    # no width holds a text in no line: the search stops at its whole width
    assert _narrowest("完成率", 0) == 6


def test_a_label_one_character_too_long_gets_the_room() -> None:
    """With the text width 22 units and padding 0, a 9-character label shares with
    a number; the label column gets its 18 units (and one to spare)."""
    table = _table(("社会保障和就业支出", "12.00"), ("合计", "12.00"))
    needs = column_needs(table, grid_slots(table))
    assert [(n.minimum, n.label) for n in needs] == [(5, 19), (7, 7)]
    grid, tight = layout_columns(table, needs, 10, 0, 270)
    assert grid[0] >= 190 and grid[1] >= 70 and sum(grid) == 270 and not tight


@pytest.mark.parametrize(
    ("rows", "total", "grid", "tight"),
    [
        # the minimums fill the line exactly: every column its minimum, not tight
        ((("一" * 4, "一", "一" * 2), ("一" * 6, "一", "一" * 8)), 130, [50, 30, 50], False),
        # a label that fits the line exactly gets its line (17 units of 24)
        ((("一" * 6, "一"), ("一" * 8, "一" * 6)), 240, [170, 70], False),
        # labels get their line the shortest first: 一一一 and 一 before 一一一一
        ((("一" * 4, "一" * 3, "一" * 5), ("一" * 3, "一", "一" * 2)), 217, [72, 70, 75], False),
        # no search for fewer lines unless asked for (a form that should fit its page)
        ((("一" * 2, "一" * 4), ("一" * 8, "一" * 8)), 169, [75, 94], False),
    ],
)
def test_columns_share_the_line_by_their_labels(
    rows: tuple[tuple[str, ...], ...], total: int, grid: list[int], tight: bool
) -> None:
    table = _table(*rows)
    assert layout_columns(table, column_needs(table, grid_slots(table)), 10, 0, total) == (
        grid,
        tight,
    )


@pytest.mark.parametrize(
    ("rows", "total", "grid", "tight"),
    [
        # labels that add up to the line exactly each get their line, with no
        # search for the fewest lines first
        (
            (("一" * 6, "一" * 5), ("12,345.67", "100%"), ("一" * 7, "一" * 2)),
            260,
            [150, 110],
            False,
        ),
        # tight (a date breaks after its year): the search for the fewest lines
        # measures the cells as they then break
        (
            (
                ("一" * 4, "一" * 8, "一" * 8),
                ("一" * 4, "一" * 2, "截至2023年12月31日"),
                ("一" * 4, "一" * 5, "一" * 8),
            ),
            267,
            [51, 93, 123],
            True,
        ),
        # tight: 截至2023年12月 takes three lines in 95 twips (截至 / 2023年12 /
        # 月), two in 115, where 一一一 takes two in the 50 it is left
        ((("一" * 3, "截至2023年12月"),), 165, [50, 115], True),
    ],
)
def test_a_form_that_should_fit_its_page_shares_the_line_by_its_labels(
    rows: tuple[tuple[str, ...], ...], total: int, grid: list[int], tight: bool
) -> None:
    table = _table(*rows)
    needs = column_needs(table, grid_slots(table))
    assert layout_columns(table, needs, 10, 0, total, short=True) == (grid, tight)


@pytest.mark.parametrize(("tight", "widened"), [(True, 140.0), (False, 180.0)])
def test_a_lone_character_is_looked_for_as_the_columns_break_dates(
    tight: bool, widened: float
) -> None:
    """截至2023年12月31日前 in 14 units: where a date breaks after its year (tight)
    it takes two even lines, and the column is left as it is; where a date stays
    whole, 前 is left alone on a third line, and the column takes what brings it
    back."""
    widths = [140.0, 200.0]
    texts = [["截至2023年12月31日前"], ["一"]]
    _mend_orphans(
        0, widths=widths, floor=[100.0, 100.0], texts=texts, unit=10, padding=0, tight=tight
    )
    assert widths[0] == widened and sum(widths) == 340.0


def test_a_lone_character_is_counted_out_as_the_columns_break_dates() -> None:
    """Where dates break after the year, 2023年12月31日前 in 10 units takes three
    lines (2023年 / 12月31日 / 前), one more than with its date whole; the column
    takes the one unit that brings 前 back, not the eight that would bring the
    text onto one line."""
    widths = [100.0, 200.0]
    texts = [["2023年12月31日前"], ["一"]]
    _mend_orphans(
        0, widths=widths, floor=[100.0, 100.0], texts=texts, unit=10, padding=0, tight=True
    )
    assert widths == [110.0, 190.0]


def test_a_header_in_two_lines_keeps_its_date_whole() -> None:
    """截至2023年12月31日余额 in two lines: 截至2023年12月31日 / 余额, 19.2 units
    (and one to spare), though the date alone is 15.2 units wide and a line might
    break after 2023年 in a tight table."""
    table = Table(
        (), "", 1,
        (Row((Cell((Text("截至2023年12月31日余额"),)),), header=True), Row((Cell((Text("一"),)),))),
        (1,),
    )  # fmt: skip
    [need] = column_needs(table, grid_slots(table))
    assert (need.minimum, need.header) == (17, 21)


def test_a_label_left_with_one_character_takes_room_that_exactly_suffices() -> None:
    """一一一一一 in 80 twips leaves its fifth character alone on a line; the first
    column has exactly the 20 twips above its floor that bring it back."""
    table = _table(("一" * 9, "一"), ("一" * 9, "100%"), ("一", "一" * 5))
    needs = column_needs(table, grid_slots(table))
    assert layout_columns(table, needs, 10, 0, 210) == ([110, 100], False)


def test_a_lone_character_is_looked_for_where_dates_break_after_the_year() -> None:
    """Too narrow for whole dates (their minimums add up to 29 units of 21.2),
    2023年12月 breaks after 2023年12 in 92 twips and leaves 月 alone; it takes
    the 20 twips that bring it back from the other column, whose date still
    takes two lines (2023年 / 12月31日) in 100."""
    table = Table(
        (), "", 2, (Row((Cell((Text("2023年12月"),)), Cell((Text("2023年12月31日"),)))),), (1, 1)
    )
    assert layout_columns(table, column_needs(table, grid_slots(table)), 10, 0, 212) == (
        [112, 100],
        True,
    )


def test_too_narrow_for_whole_dates_breaks_them_after_the_year() -> None:
    table = _table(("2023年12月31日", "2023年12月31日"))
    needs = column_needs(table, grid_slots(table))
    grid, tight = layout_columns(table, needs, 10, 0, 300)
    assert tight and sum(grid) == 300


def test_a_column_of_one_character_cells_may_be_one_character_wide() -> None:
    """The 类, 款 and 项 under 科目编码: the codes span all three columns."""
    table = _table(("类", "款", "项", "科目名称"), ("2", "0", "1", "一般公共服务支出"))
    needs = column_needs(table, grid_slots(table))
    assert [need.minimum for need in needs] == [3, 3, 3, 5]


def _lines(table: Table, grid: list[int], unit: int) -> int:
    """The lines of the table's rows in columns `grid` wide, a row as tall as its
    tallest cell."""
    heights = [
        max(
            len(wrap(plain_text(slot.cell.inlines), grid[slot.column] / unit - 0.25))
            for slot in row
        )
        for row in grid_slots(table)
    ]
    return sum(heights)


def test_when_labels_cannot_all_have_a_line_the_room_saves_the_most_lines() -> None:
    """Twelve characters for three columns of labels that want 20: the room goes
    where it saves lines (the long labels of the middle column wrap in two), not
    to the shortest labels first (which left the middle one six lines high)."""
    rows = [("一级指标", "促进劳动关系的和谐稳定", "效果明显")] * 2
    last = ("产出指标", "稳定劳动者的收入", "达到要求")
    table = _table(("项目", "三级指标", "结果"), *rows, last)
    needs = column_needs(table, grid_slots(table))
    grid, _ = layout_columns(table, needs, 10, 0, 240)
    assert sum(grid) == 240
    assert _lines(table, grid, 10) == 1 + 2 + 2 + 2


def test_a_header_takes_four_lines_at_most() -> None:
    """偏差原因分析及改进措施 over an empty column: its minimum holds it in four
    lines of three characters (six units, one to spare), not six lines of two,
    and the column keeps it where the others want every twip."""
    table = Table(
        (), "", 2,
        (Row((Cell((Text("说明"),)), Cell((Text("偏差原因分析及改进措施"),))), header=True),
         Row((Cell((Text("很长的说明文字" * 6),)), Cell(())))),
        (1, 1),
    )  # fmt: skip
    needs = column_needs(table, grid_slots(table))
    assert needs[1].minimum == 7
    grid, _ = layout_columns(table, needs, 10, 0, 800)
    assert grid[1] >= 70 and sum(grid) == 800
    lines = [len(wrap(plain_text(cell.inlines), width / 10 - 0.25))
             for cell, width in zip(table.rows[0].cells, grid, strict=True)]  # fmt: skip
    assert lines[1] <= 4


def test_a_number_is_never_broken_and_a_header_never_taken_for_one() -> None:
    """A body cell set right is a number (12.5万元, a figure and its unit): its
    whole width is its minimum (8.6 units, and one to spare), though a line may
    break before 万 in a label. A header set right is still a header: four lines
    at most, not the whole of it on one."""
    table = Table(
        (), "", 2,
        (Row((Cell((Text("偏差原因分析及改进措施"),), align="right"), Cell((Text("金额"),))),
             header=True),
         Row((Cell((Text("一"),)), Cell((Text("12.5万元"),), align="right")))),
        (1, 1),
    )  # fmt: skip
    assert [need.minimum for need in column_needs(table, grid_slots(table))] == [7, 10]


def test_a_column_of_two_narrow_characters_is_two_characters_wide() -> None:
    """`a1` is more than one character: its column gets the two-character floor
    (four units, and one to spare), for its minimum and for every cell on a line."""
    table = _table(("a1", "一一"))
    [first, _] = column_needs(table, grid_slots(table))
    assert (first.minimum, first.natural) == (5, 5)


def test_the_room_left_may_all_go_to_one_column() -> None:
    """Twenty twips left, and a label of three characters that two more units
    bring onto one line: it takes all of them."""
    table = _table(("一一一", "一"))
    heights = _Heights(grid_slots(table), [60.0, 30.0], 10, 0, tight=False)
    assert heights.lines == 2
    _fewest_lines(heights, total=110)
    assert heights.widths == [80.0, 30.0] and heights.lines == 1


def test_width_moves_between_columns_one_cell_spans() -> None:
    """A cell over the second and third columns keeps its width when width moves
    from one to the other; each change alone widens or narrows it. The third
    column's long label then comes down from four lines to three."""
    long = "一" * 13
    table = Table(
        (),
        "",
        3,
        (
            Row((Cell((Text("一"),)), Cell((Text(long),), colspan=2))),
            Row((Cell((Text("一"),), colspan=2), Cell((Text(long),)))),
            Row(tuple(Cell((Text("计"),)) for _ in range(3))),
        ),
        (1, 1, 1),
    )
    heights = _Heights(grid_slots(table), [30.0, 60.0, 90.0], 10, 0, tight=False)
    assert heights.lines == 2 + 4 + 1
    _shortest(heights, [30.0, 40.0, 90.0])
    assert heights.widths == [30.0, 40.0, 110.0] and heights.lines == 2 + 3 + 1


def test_cells_beside_each_other_over_the_same_rows_take_the_taller_ones_lines() -> None:
    """Six lines and four beside them, both over two rows of a line each: the
    rows are six lines high together, not 2 + 4 + 2."""
    table = Table(
        (),
        "",
        3,
        (
            Row(
                (
                    Cell((Text("一" * 6),), rowspan=2),
                    Cell((Text("一" * 4),), rowspan=2),
                    Cell((Text("一"),)),
                )
            ),
            Row((Cell((Text("一"),)),)),
        ),
        (1, 1, 1),
    )
    assert _Heights(grid_slots(table), [30.0, 30.0, 30.0], 10, 0, tight=False).lines == 6


def test_width_moves_beside_a_cell_spanning_rows() -> None:
    """A cell spanning the first two rows takes what lines they leave it: a move
    whose widening saves no more lines than its narrowing costs, each alone, may
    together save some (the two rows now nine lines high, not ten)."""
    table = Table(
        (),
        "",
        4,
        (
            Row(
                (
                    Cell((Text("一" * 8),), rowspan=2),
                    Cell((Text("一"),)),
                    Cell((Text("一"),)),
                    Cell((Text("一" * 9),)),
                )
            ),
            Row((Cell((Text("一" * 9),)), Cell((Text("一"),)), Cell((Text("一" * 7),)))),
            Row(tuple(Cell((Text("计"),)) for _ in range(4))),
        ),
        (1, 1, 1, 1),
    )
    heights = _Heights(grid_slots(table), [40.0, 70.0, 100.0, 40.0], 10, 0, tight=False)
    assert heights.lines == 9 + 7 + 1
    _shortest(heights, [40.0, 40.0, 100.0, 10.0])
    assert heights.widths == [40.0, 45.0, 100.0, 65.0] and heights.lines == 3 + 5 + 1


@pytest.mark.parametrize(
    ("lengths", "widths", "floor", "made"),
    [
        (
            ((11, 7, 2), (4, 4, 13), (8, 10, 10), (14, 6, 14)),
            [70, 100, 70],
            [70, 80, 70],
            [90, 80, 70],
        ),
        (
            ((5, 5, 6, 12, 1), (16, 15, 1, 10, 5), (7, 3, 6, 7, 14), (10, 9, 15, 7, 7)),
            [40, 110, 40, 100, 40],
            [10, 100, 20, 70, 40],
            None,  # whatever the exhaustive search makes
        ),
        (
            (
                (5, 5, 6, 12, 1),
                (16, 15, 1, 10, 5),
                (7, 3, 6, 7, 14),
                (10, 9, 15, 7, 7),
                (2, 15, 6, 16, 10),
            ),
            [40, 110, 40, 100, 40],
            [10, 100, 20, 70, 40],
            [45, 110, 45, 85, 45],
        ),
    ],
)
def test_the_move_that_saves_the_most_lines_is_made_first(
    lengths: tuple[tuple[int, ...], ...],
    widths: list[int],
    floor: list[int],
    made: list[int] | None,
) -> None:
    """Of the moves that save lines, the one that saves the most, found by trying
    the widenings that may save the most first: not the first that saves any,
    nor one that passes over a widening that saves as many as the best so far,
    nor the first widening in column order."""
    rows = tuple(Row(tuple(Cell((Text("一" * n),)) for n in row)) for row in lengths)
    table = Table((), "", len(widths), rows, (1,) * len(widths))
    start = [float(w) for w in widths]
    heights = _Heights(grid_slots(table), list(start), 10, 0, tight=False)
    expected = _Heights(grid_slots(table), list(start), 10, 0, tight=False)
    floors = [float(f) for f in floor]
    while (move := _exhaustive_move(expected, floors)) is not None:
        shift, giver, taker = move
        expected.commit({taker: shift, giver: -shift})
    _shortest(heights, floors)
    assert heights.widths == expected.widths and heights.lines == expected.lines
    if made is not None:
        assert heights.widths == made


def _exhaustive_move(heights: _Heights, floor: list[float]) -> tuple[int, int, int] | None:
    """The move `_shortest` is to make next, found by trying every pair of
    columns: of the smallest shifts that save a line, the pair that saves the
    most (the first such, in column order), no giver under its floor."""
    count = len(heights.widths)
    for shift in (round(heights.unit * s) for s in SHIFTS):
        best: tuple[int, int, int] | None = None
        saved_best = 0
        for taker in range(count):
            for giver in range(count):
                if giver == taker or heights.widths[giver] - shift < floor[giver]:
                    continue
                saved = heights.lines - heights.trial({taker: shift, giver: -shift})
                if saved > saved_best:
                    best, saved_best = (shift, giver, taker), saved
        if best is not None:
            return best
    return None


_WORDS = st.text(alphabet="社会保障和就业支出一般公共服务", min_size=1, max_size=14)


@st.composite
def _spanned_tables(draw: st.DrawFn) -> Table:
    """Tables of two to four columns of labels, some cells spanning two or three
    rows or two columns, as forms have them (a span ends at the last row at the
    latest); many cells may span the same rows, and a row may have no cell of
    its own."""
    columns = draw(st.integers(2, 4))
    count = draw(st.integers(1, 5))
    rows: list[Row] = []
    covered: set[tuple[int, int]] = set()  # grid places a span from above covers
    for row in range(count):
        cells = []
        column = 0
        while column < columns:
            if (row, column) in covered:
                column += 1
                continue
            wide = column + 1 < columns and (row, column + 1) not in covered
            colspan = 2 if wide and draw(st.integers(0, 5)) == 0 else 1
            rowspan = min(count - row, draw(st.sampled_from((1, 1, 1, 2, 2, 3))))
            for down in range(1, rowspan):
                covered.update((row + down, c) for c in range(column, column + colspan))
            cells.append(Cell((Text(draw(_WORDS)),), colspan=colspan, rowspan=rowspan))
            column += colspan
        rows.append(Row(tuple(cells)))
    return Table((), "", columns, tuple(rows), (1,) * columns)


def _laid_out(table: Table, widths: list[float], unit: int = 10) -> int:
    """The lines of the table as Word lays out its rows, from the top: a row is
    as tall as its tallest cell of one row (one line if it has none); a cell
    spanning rows gets the lines they still lack in its last row, its rows above
    being as tall as they are by then."""
    heights: list[int] = []
    slots = grid_slots(table)
    for row, row_slots in enumerate(slots):
        own = [slot for slot in row_slots if not slot.continued]
        height = max((_cell_lines(s, widths, unit) for s in own if s.cell.rowspan == 1), default=1)
        for top, above in enumerate(slots[: row + 1]):
            for slot in above:
                if not slot.continued and top + slot.cell.rowspan - 1 == row > top:
                    height = max(height, _cell_lines(slot, widths, unit) - sum(heights[top:]))
        heights.append(height)
    return sum(heights)


def _cell_lines(slot: Slot, widths: list[float], unit: int) -> int:
    span = sum(widths[slot.column : slot.column + slot.cell.colspan])
    return len(wrap(plain_text(slot.cell.inlines), span / unit - 0.25))


def _form(*rows: tuple[int | tuple[int, int], ...]) -> Table:
    """A table of cells of `n` characters, `(n, rowspan)` for one spanning rows;
    as many columns as its widest row."""
    columns = max(len(row) for row in rows)
    cells = tuple(
        Row(
            tuple(
                Cell((Text("一" * c),))
                if isinstance(c, int)
                else Cell((Text("一" * c[0]),), rowspan=c[1])
                for c in row
            )
        )
        for row in rows
    )
    return Table((), "", columns, cells, (1,) * columns)


@pytest.mark.parametrize(
    ("table", "lines"),
    [
        # five lines over three rows whose third lacks nothing, beside four
        # lines over the first two: the rows are 1, 3 and 1 high, not 1, 3 and 3
        # (the cell that ends lower is given its lines after the other, which
        # comes first whatever its column)
        (_form(((5, 3), 1, (4, 2)), (1,), (1, 1)), 5),
        # four lines over four rows, five over the middle two: those are given
        # their lines first (1, 1, 4, 1), and the four then lack none
        (_form(((6, 4), 1), ((5, 2),), (), (1,)), 7),
        # a cell spanning the second and third rows counts their lines, not the
        # first row's: lacking one line, or two
        (_form((1, 1), ((3, 2), 1), (1,)), 4),
        (_form((1, 1), ((4, 2), 1), (1,)), 5),
        # the lines a cell lacks go to its last row: a cell below that spans it
        # counts them (1, 3, 1: three lines more fit), not the first row's
        (_form(((4, 2), 1), ((3, 2),), (1,)), 5),
        # and over three rows to the third, which the cell below spans
        (_form(((5, 3), 1), (1,), ((4, 2),), (1,)), 6),
        # two cells over the first three rows that each lack lines: the third
        # row takes both lacks, one after the other (2 + 2, 5 lines high), and
        # the cell below over it and the fourth row lacks one line more
        (_form(((5, 3), (7, 3), 1), (1,), ((7, 2),), (1, 1)), 9),
        # a row of no cell of its own, only cells spanning it, is one line high
        (_form(((1, 2), (1, 2)), ()), 2),
    ],
)
def test_cells_spanning_rows_take_the_lines_their_rows_lack(table: Table, lines: int) -> None:
    """Columns 30 twips wide hold one character a line: a cell of n characters
    takes n lines."""
    widths = [30.0] * table.columns
    assert _Heights(grid_slots(table), widths, 10, 0, tight=False).lines == lines
    assert _laid_out(table, widths) == lines


@given(table=_spanned_tables(), units=st.lists(st.integers(2, 14), min_size=4, max_size=4))
@settings(max_examples=300, deadline=None)
def test_the_lines_of_a_table_are_those_word_lays_out_row_by_row(
    table: Table, units: list[int]
) -> None:
    """However many cells span the same rows, end on one row or start on it,
    and in whatever order they come: the table's lines are those of its rows
    laid out from the top."""
    widths = [float(10 * units[c]) for c in range(table.columns)]
    assert _Heights(grid_slots(table), widths, 10, 0, tight=False).lines == _laid_out(table, widths)


@given(
    table=_spanned_tables(),
    units=st.lists(st.integers(2, 14), min_size=4, max_size=4),
    floors=st.integers(0, 3),
)
@settings(max_examples=400, deadline=None)
def test_making_a_form_shorter_tries_every_move_that_could_save_a_line(
    table: Table, units: list[int], floors: int
) -> None:
    """The search of `_shortest` prunes: it tries a pair of columns only where
    the widening alone saves more lines than the best move found so far. Step by
    step it makes the move an exhaustive search of every pair makes, and so the
    table as short; no column goes under its floor."""
    unit, padding = 10, 0
    widths = [float(unit * units[column]) for column in range(table.columns)]
    floor = [w - unit * floors * (c % 2) for c, w in enumerate(widths)]
    heights = _Heights(grid_slots(table), widths, unit, padding, tight=False)
    expected = _Heights(grid_slots(table), list(widths), unit, padding, tight=False)
    moves = []
    while (move := _exhaustive_move(expected, floor)) is not None:
        shift, giver, taker = move
        expected.commit({taker: shift, giver: -shift})
        moves.append(move)
        assert len(moves) < 200
    _shortest(heights, floor)
    assert heights.widths == expected.widths and heights.lines == expected.lines
    assert all(w >= f for w, f in zip(heights.widths, floor, strict=True))


@given(
    table=_spanned_tables(),
    units=st.lists(st.integers(2, 14), min_size=4, max_size=4),
    changes=st.lists(st.tuples(st.integers(0, 3), st.integers(-3, 3)), min_size=1, max_size=3),
)
@settings(max_examples=200, deadline=None)
def test_a_trial_measures_what_the_table_would_measure_in_those_widths(
    table: Table, units: list[int], changes: list[tuple[int, int]]
) -> None:
    """`trial` and `commit` measure again only the cells over the columns they
    change: the lines and row heights are those of the table measured whole in
    the new widths."""
    widths = [float(10 * units[c]) for c in range(table.columns)]
    change: dict[int, float] = {}
    for column, units_more in changes:
        if column < table.columns and widths[column] + 10 * units_more > 0:
            change[column] = float(10 * units_more)
    changed = [w + change.get(c, 0.0) for c, w in enumerate(widths)]
    heights = _Heights(grid_slots(table), list(widths), 10, 0, tight=False)
    whole = _Heights(grid_slots(table), changed, 10, 0, tight=False)
    assert heights.trial(change) == whole.lines
    heights.commit(change)
    assert (heights.widths, heights.heights, heights.lines) == (
        whole.widths,
        whole.heights,
        whole.lines,
    )


def test_a_column_fixed_at_its_minimum_stays_fixed_when_another_is() -> None:
    """The first column falls short of its minimum; fixed at it, it leaves the
    second less room, which then falls short too: both keep their minimums and
    the third takes the rest."""
    assert column_widths([1, 3, 6], [30, 25, 0], 100) == [30, 25, 45]
