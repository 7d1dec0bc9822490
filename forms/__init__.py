"""The standard forms shipped with rpt: national.rpti holds the nine public
tables of the 部门决算 as `form` definitions, subjects.txt the 政府收支分类科目
codes their `code` rows may name."""
