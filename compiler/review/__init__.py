"""Tools for reviewing a report: explain a figure, compare two versions, format
a source. Each stands on the compilation's facts (result.py)."""
