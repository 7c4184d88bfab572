"""Runs bench/metrics.sql in DuckDB on a data folder and writes the metrics as CSV.

Usage: python metrics_duckdb.py DATA_DIR OUT_CSV
"""
import os
import sys

import duckdb

data, out = sys.argv[1], sys.argv[2]
sql = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics.sql")).read()
con = duckdb.connect()
con.execute(f"COPY ({sql.replace('{data}', data)}) TO '{out}' (HEADER, DELIMITER ',')")
