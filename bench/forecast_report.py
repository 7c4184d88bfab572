"""Writes bench/work/forecast.tsv as the "The quarter ahead" section of BENCHMARKS.md, replacing
the section when it is there and appending it otherwise (bench/run.sh rewrites the rest)."""
import sys

import section

tsv, runs, path = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [line.rstrip("\n").split("\t") for line in open(tsv) if line.strip()]
mb = lambda kib: float(kib) / 1024
out = ["## The quarter ahead\n"]
out.append(
    f"`bash bench/forecast.sh`, median of {runs} runs of `score --format csv` with stage timings "
    "(`TA_SCORECARD_TIMINGS=1`). The forecast's cost is its two stages (the forecast with its "
    "calibration, and the backtest's four forecasts); the plain run is the same run less those "
    "stages. `health` data sets add `generate --health-history`, so the classes are health bands. "
    "Goal (issue 27): the forecast and its backtest cost at most 1.3× the plain run at 1M.\n"
)
out.append("| accounts | data | score | forecast | backtest | ÷ plain run | goal (stages) | peak memory |")
out.append("|---:|---|---:|---:|---:|---:|---|---:|")
direct = []
for n, kind, wall, peak, forecast, backtest, old_wall, old_peak, new_wall in (r + [""] * (9 - len(r)) for r in rows):
    wall, forecast, backtest = float(wall), float(forecast), float(backtest)
    ratio = wall / (wall - forecast - backtest)
    goal = ("met" if ratio <= 1.3 else "missed") if int(n) >= 1_000_000 else "–"
    out.append(
        f"| {int(n):,} | {kind} | {wall:.2f} s | {forecast:.2f} s | {backtest:.2f} s | {ratio:.2f}× | {goal} "
        f"| {mb(peak):.0f} MB |"
    )
    if old_wall:
        direct.append(
            f"- {int(n):,} accounts: {float(old_wall):.2f} s ({mb(old_peak):.0f} MB) before the forecast, "
            f"{float(new_wall):.2f} s with it: {float(new_wall) / float(old_wall):.2f}×"
            + ((" (goal " + ("met" if float(new_wall) / float(old_wall) <= 1.3 else "missed") + ")") if int(n) >= 1_000_000 else "")
            + "."
        )
if direct:
    out.append(
        "\nThe same plain runs against a build from before the forecast (`OLD=…`), the two binaries "
        "alternated run by run (the machine's speed drifts). It also counts what the rest of the run "
        "spends on the forecast (its scorecard fields, sections and forecast.csv) and the memory the "
        "forecast leaves behind, and what the rest of the run has gained since that build (the "
        "metrics stage's one group-by per trend point: 0.62 → 0.38 s at 1M), so it can read below "
        "the stages' figure:\n"
    )
    out.extend(direct)
section.put(path, out)
