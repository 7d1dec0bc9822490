"""Data sources: the tables of workbooks and CSV files a report reads its
figures from, each number knowing the cell it came from."""
