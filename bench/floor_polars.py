"""The read-and-sum floor with Python Polars from PyPI (issue 18): scan arr.csv and sum its ARR
column, nothing else. Prints the sum, so the work cannot be skipped."""
import sys

import polars as pl

print(f"{pl.scan_csv(sys.argv[1]).select(pl.col('arr').sum()).collect().item():.2f}")
