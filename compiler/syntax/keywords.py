"""The words of the language, one table each, and what the parser makes of them.

The grammar (grammar/rpt.lark) is the authority on how a line parses; these
tables are what the Python side needs to know about the same words: which
words open a statement, the tree each line kind becomes, and the shape that
tells a statement from a prose line beginning with the same word (the plain
text fast path, the hints after a syntax error, full-width lookalikes).
tests/test_keywords.py checks the tables against the grammar both ways.
"""

from __future__ import annotations

from ..base.characters import BLANK, SPACES
from ..base.patterns import regex
from ..base.record import record


@record
class Statement:
    """A statement of a body line: its word, the grammar's terminal for it, the
    tree the parser makes of its line, and its `shape` up to the point where the
    line cannot be prose any more (`let 名称 =`): a pattern, compiled by `re`
    when a syntax error's hint first needs it, not at every start."""

    word: str
    terminal: str
    tree: str
    shape: str


STATEMENTS = (
    Statement("let", "LET", "let", f"let{BLANK}+[^=＝{SPACES}]+{BLANK}*[=＝]"),
    Statement("check", "CHECK", "check", f"check{BLANK}+[^{SPACES}]"),
    Statement("unit", "UNIT", "unit_decl", f"unit{BLANK}+[^{SPACES}]+{BLANK}*([=＝]|$)"),
    Statement("include", "INCLUDE", "include", f'include{BLANK}+["“]'),
    Statement("data", "DATA", "data_decl", f"data{BLANK}+[^=＝{SPACES}]+{BLANK}*[=＝]"),
    Statement("note", "NOTE", "note", f"note{BLANK}+"),
    Statement("table", "TABLE", "table_open", f"table{BLANK}+[^\\W\\d]"),
    # a form: a table's frame to extend (`table 公开01 like 部门决算.公开01表`), not printed
    Statement("form", "FORM", "form_open", f"form{BLANK}+[^\\W\\d]"),
)
STATEMENT_WORDS = tuple(statement.word for statement in STATEMENTS)
STATEMENT_BY_WORD = {statement.word: statement for statement in STATEMENTS}
# A line that starts with a statement word and a space is read as that statement.
STATEMENT_START = regex(f"({'|'.join(STATEMENT_WORDS)}){BLANK}")
# What else marks a line as not prose: heading, bullet, numbered item, comment.
LINE_MARK = regex(
    f"({'|'.join(STATEMENT_WORDS)}){BLANK}|#{{1,6}}(?:{BLANK}|$)|-{BLANK}|[0-9]+\\.{BLANK}|//"
)

# The trees a body line becomes (the `line` rule); parse.py handles each.
LINE_TREES = (
    "let", "check", "unit_decl", "include", "data_decl", "note", "table_open", "form_open",
    "heading", "list_item",
)  # fmt: skip
LINE_TREES_OTHER = ("comment", "prose")

# The words of lines inside `table … end`, besides `unit` and `check`; `from`
# binds the table to a data source, whose cells its `@` cells read; `number`
# gives a standard form's number (公开01表); `drop` takes rows or columns out of
# the form a table extends.
TABLE_LINE_WORDS = ("row", "header", "columns", "from", "number", "drop", "end")
# The trees a table line becomes (the `table_line` rule); parse_table.py handles each.
TABLE_LINE_TREES = (
    "row_head", "header_head", "columns_head", "table_unit", "table_from", "table_number",
    "table_drop", "table_check",
    "table_end", "comment",
)  # fmt: skip

# Words inside expressions, checks, formats and the heads of tables and rows
# (`table 甲 like 部门决算.公开01表`, `row 乙 after 甲 code 201`): never read as names.
EXPRESSION_WORDS = (
    "to", "and", "or", "not", "true", "false", "within", "exact", "in", "for", "sheet",
    "like", "after", "code",
)  # fmt: skip
