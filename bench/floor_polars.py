"""The read-and-sum floor with Python Polars from PyPI (issues 18 and 31): scan arr.csv and sum
its ARR column, nothing else; or read arr.parquet whole (every column, as ta-scorecard reads the
three it needs) and sum its ARR column. Prints the sum, so the work cannot be skipped."""
import sys

import polars as pl

path = sys.argv[1]
if path.endswith(".parquet"):
    total = pl.read_parquet(path).get_column("arr").cast(pl.Float64).sum()
else:
    total = pl.scan_csv(path).select(pl.col("arr").sum()).collect().item()
print(f"{total:.2f}")
