"""The same SPEC §4 metrics in pandas, as an analyst's notebook would compute them.

Usage: python metrics_pandas.py DATA_DIR OUT_CSV
"""
import sys

import numpy as np
import pandas as pd

data, out = sys.argv[1], sys.argv[2]
arr = pd.read_csv(f"{data}/arr.csv", dtype={"account_id": str, "month": str, "arr": float})
arr["m"] = arr["month"].str[:4].astype(int) * 12 + arr["month"].str[5:7].astype(int) - 1
arr = arr.groupby(["account_id", "m"], as_index=False)["arr"].sum()
accounts = pd.read_csv(f"{data}/accounts.csv", dtype=str, keep_default_na=False)
accounts["advisor"] = accounts["advisor"].str.strip().replace("", "(unassigned)")
accounts["health"] = pd.to_numeric(accounts["health_score"].replace("", np.nan))
accounts = accounts[["account_id", "advisor", "health"]]

first, last = arr["m"].min(), arr["m"].max()
evaluated = last - ((last % 12 + 1) % 3)
rows = []
for k in range(4):
    e, s = evaluated - 3 * k, evaluated - 3 * k - 12
    at = lambda month: arr.loc[arr["m"] == month, ["account_id", "arr"]].set_index("account_id")["arr"]
    book = accounts.set_index("account_id")
    book = book.assign(s=at(s).reindex(book.index).fillna(0.0), e=at(e).reindex(book.index).fillna(0.0))
    cohort = book["s"] > 0
    book["start"] = book["s"].where(cohort, 0.0)
    book["end"] = book["e"].where(cohort, 0.0)
    book["contraction"] = (book["s"] - book["e"]).where(cohort & (book["e"] > 0) & (book["e"] < book["s"]), 0.0)
    book["churn"] = book["s"].where(cohort & (book["e"] == 0), 0.0)
    book["scored"] = book["health"].where(book["e"] > 0)
    grouped = book.groupby("advisor").agg(
        start_arr=("start", "sum"), end_arr=("end", "sum"), contraction=("contraction", "sum"),
        churn=("churn", "sum"), health_avg=("scored", "mean"),
    )
    start, end = grouped["start_arr"], grouped["end_arr"]
    result = pd.DataFrame({
        "advisor": grouped.index.to_numpy(),
        "quarter": f"{e // 12}-Q{(e % 12) // 3 + 1}",
        "start_arr": start.to_numpy(),
        "end_arr": end.to_numpy(),
        "ndr": (end / start).where(start > 0).to_numpy(),
        "grr": ((start - grouped["contraction"] - grouped["churn"]) / start).where(start > 0).to_numpy(),
        "health_avg": grouped["health_avg"].to_numpy(),
    })
    if s < first:  # the window starts before the data: insufficient history
        result[["start_arr", "end_arr", "ndr", "grr"]] = np.nan
    rows.append(result)
pd.concat(rows).sort_values(["advisor", "quarter"], ascending=[True, False]).to_csv(out, index=False)
