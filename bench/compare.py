"""Checks that ta-scorecard, DuckDB and pandas agree on every advisor's start and end ARR, NDR,
GRR and health at every quarter end of the trend. Exits 1 on any disagreement.

Usage: python compare.py SCORECARDS_JSON DUCKDB_CSV PANDAS_CSV
"""
import csv
import json
import math
import sys

FIELDS = ["start_arr", "end_arr", "ndr", "grr", "health_avg"]


def number(text):
    return None if text in ("", None) else float(text)


def close(a, b, field):
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or (isinstance(b, float) and math.isnan(b)):
        return (a is None or (isinstance(a, float) and math.isnan(a))) == (b is None or (isinstance(b, float) and math.isnan(b)))
    tolerance = 0.01 + 1e-9 * abs(a) if field.endswith("_arr") else 2e-6
    return abs(a - b) <= tolerance


tool = {}
for card in json.load(open(sys.argv[1]))["scorecards"]:
    for point in card["trend"]:
        tool[(card["advisor"], point["quarter"])] = {f: point.get(f) for f in FIELDS}

problems, compared = [], 0
for name, path in (("duckdb", sys.argv[2]), ("pandas", sys.argv[3])):
    seen = set()
    for row in csv.DictReader(open(path)):
        key = (row["advisor"], row["quarter"])
        seen.add(key)
        if key not in tool:
            problems.append(f"{name}: {key} not in ta-scorecard's output")
            continue
        for field in FIELDS:
            compared += 1
            if not close(tool[key][field], number(row[field]), field):
                problems.append(f"{name}: {key} {field}: ta-scorecard {tool[key][field]} vs {row[field]}")
    # Advisors on the roster without accounts exist only in ta-scorecard's output, with empty books.
    for key, values in tool.items():
        if key not in seen and values["start_arr"] not in (None, 0, 0.0):
            problems.append(f"{name}: {key} missing (ta-scorecard has start_arr {values['start_arr']})")

advisors = len({k[0] for k in tool})
if problems:
    print(f"DISAGREE: {len(problems)} differences", *problems[:20], sep="\n")
    sys.exit(1)
print(f"agree: {compared} values ({advisors} advisors × 4 quarter ends × {len(FIELDS)} metrics, vs DuckDB and pandas)")
