"""Turns bench/work/results.tsv into BENCHMARKS.md: the table, the agreement, the floor, the
goals and the fitted growth exponent."""
import math
import os
import platform
import sys

rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
runs = sys.argv[2]
mb = lambda kib: float(kib) / 1024
print("# Benchmarks\n")
print(f"`bench/run.sh` on {os.cpu_count()} cores, {platform.machine()}, median of {runs} runs (wall time; peak RSS of that run).")
print("Each data set is `ta-scorecard generate --accounts N --months 36 --advisors N/200 --seed 42`;")
print("every tool computes the SPEC §4 metrics per advisor at the evaluated quarter and the trend's four quarter ends.\n")
print("ta-scorecard runs `score --format csv`. The floors read arr.csv and sum its ARR column, nothing else: the")
print("Rust one with the Polars reader ta-scorecard uses (`bench/floor.rs`), the Python one with Polars from PyPI")
print("(`bench/floor_polars.py`, `scan_csv`).\n")
print("| accounts | ARR rows | arr.csv | ta-scorecard | DuckDB | pandas | Rust floor | Python Polars floor | ta ÷ Python floor | ta vs DuckDB | pandas ÷ ta | ta peak memory ÷ arr.csv |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for n, rows_, size, ta_s, ta_k, dk_s, dk_k, pd_s, pd_k, fl_s, fl_k, k, agree, pf_s, pf_k in rows:
    ta, dk, pdt, fl, pf = map(float, (ta_s, dk_s, pd_s, fl_s, pf_s))
    print(
        f"| {int(n):,} | {int(rows_):,} | {int(size) / 1e6:.0f} MB | {ta:.2f} s, {mb(ta_k):.0f} MB | {dk:.2f} s, {mb(dk_k):.0f} MB "
        f"| {pdt:.2f} s, {mb(pd_k):.0f} MB | {fl:.2f} s, {mb(fl_k):.0f} MB | {pf:.2f} s, {mb(pf_k):.0f} MB | {ta / pf:.1f}× "
        f"| {ta / dk:.2f}× | {pdt / ta:.1f}× | {float(ta_k) * 1024 / int(size):.2f}× |"
    )
print("\n## Agreement\n")
for r in rows:
    print(f"- {int(r[0]):,} accounts: {r[12]}")
if len(rows) >= 2:
    xs = [math.log(float(r[1])) for r in rows]
    ys = [math.log(float(r[3])) for r in rows]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    print(f"\n## Growth\n\nta-scorecard's wall time grows as ARR rows^{slope:.2f} (least-squares fit of log time on log rows).")

# The full run with pages (pages.tsv: size, seconds, KiB, pages) and the history inputs
# (history.tsv: size, input, seconds, KiB, arr.csv bytes, and the plain run timed in the same
# rounds when bench/run.sh wrote it; else the table's plain run), each read once.
full_run = open(sys.argv[3]).read().split() if len(sys.argv) > 3 and os.path.exists(sys.argv[3]) else None
history = []
if len(sys.argv) > 6 and os.path.exists(sys.argv[6]):
    for line in open(sys.argv[6]):
        n, what, seconds, kib, size, *plain = line.rstrip("\n").split("\t")
        plain = float(plain[0]) if plain else next(float(r[3]) for r in rows if r[0] == n)
        history.append((n, what, float(seconds), kib, int(size), plain))

print("\n## Goals (issue 30)\n")
verdict = lambda ok: "met" if ok else "**missed**"
# Issue 30's limits by size: (× DuckDB, × the Python Polars floor, peak memory × arr.csv); 10k and
# 100k are held to the wall time they had when it was filed (BENCHMARKS.md at 25c0f2a).
limits = {1_000_000: (0.5, 3.0, 1.0), 200_000: (0.6, None, 2.0)}
before = {10_000: 0.15, 100_000: 1.16}
for n, rows_, size, ta_s, ta_k, dk_s, dk_k, pd_s, pd_k, fl_s, fl_k, k, agree, pf_s, pf_k in rows:
    ta, dk, pdt, fl, pf = map(float, (ta_s, dk_s, pd_s, fl_s, pf_s))
    memory = float(ta_k) * 1024 / int(size)
    goals = []
    if int(n) in limits:
        duck, floor, peak = limits[int(n)]
        goals.append(f"≤ {duck}× DuckDB {verdict(ta <= duck * dk)} ({ta / dk:.2f}×)")
        if floor:
            goals.append(f"≤ {floor:.0f}× the Python Polars floor {verdict(ta <= floor * pf)} ({ta / pf:.1f}×)")
        goals.append(f"peak memory ≤ {peak:.0f}× arr.csv {verdict(memory <= peak)} ({memory:.2f}×)")
    if int(n) in before:
        goals.append(f"no slower than when issue 30 was filed ({before[int(n)]:.2f} s) {verdict(ta <= before[int(n)] * 1.05)} ({ta:.2f} s)")
    if goals:
        print(f"- {int(n):,} accounts: " + "; ".join(goals))
if len(rows) >= 2:
    print(f"- linear growth: {verdict(slope <= 1.1)} (exponent {slope:.2f})")
if full_run:
    n, seconds, kib, pages = full_run
    csv_only = next(float(r[3]) for r in rows if r[0] == n)
    print(
        f"- {int(n):,} accounts, the default formats (every page, chart and the workbook) ≤ 2× the csv-only run: "
        f"{verdict(float(seconds) <= 2 * csv_only)} ({float(seconds) / csv_only:.1f}×: {float(seconds):.1f} s against {csv_only:.2f} s)"
    )
# Issue 18's limit for the history inputs: at most 1.5× the plain run of the same size.
for n, what, seconds, kib, size, plain in history:
    print(f"- {int(n):,} accounts, {what}: ≤ 1.5× the plain run {verdict(seconds <= 1.5 * plain)} ({seconds / plain:.2f}×)")
print("- the forecast and its backtest: see The quarter ahead (issue 27's limit, marked there)")

if full_run:
    n, seconds, kib, pages = full_run
    metrics_only = next(float(r[3]) for r in rows if r[0] == n)
    per_page = (float(seconds) - metrics_only) / int(pages) * 1000
    print(
        f"\n## Pages\n\nA full run with pages and charts for {int(n):,} accounts and {int(pages):,} advisors "
        f"(every default format: HTML and Markdown with five charts as SVG and PNG each, CSV, JSON and scorecards.xlsx with every account; on {os.cpu_count()} cores): {float(seconds):.1f} s, "
        f"{float(kib) / 1024:.0f} MB peak; {per_page:.1f} ms per advisor page beyond the metrics-only run."
    )

if len(sys.argv) > 7 and os.path.exists(sys.argv[7]):
    n, seconds, kib, size = open(sys.argv[7]).read().split()
    print(
        f"\nscorecards.xlsx alone for {int(n):,} accounts (`--format xlsx`; the Accounts sheet holds every account, "
        f"written by one thread): {float(seconds):.1f} s, {float(kib) / 1024:.0f} MB peak, {int(size) / 1e6:.0f} MB."
    )

if len(sys.argv) > 5 and os.path.exists(sys.argv[5]):
    n, size, seconds, kib, agree = open(sys.argv[5]).read().rstrip("\n").split("\t")
    csv_run = next(float(r[3]) for r in rows if r[0] == n)
    print(
        f"\n## Spreadsheets\n\nThe {int(n):,}-account data set as one workbook (`bench/to_xlsx.rs`: sheets accounts, "
        f"advisors, and arr wide, one column per month; {int(size) / 1e6:.0f} MB): `score --data book.xlsx` takes "
        f"{float(seconds):.2f} s and {float(kib) / 1024:.0f} MB ({float(seconds) / csv_run:.1f}× the CSV run). {agree}"
    )

if len(sys.argv) > 8 and os.path.exists(sys.argv[8]):
    print(
        "\n## Parquet inputs\n\nThe same data sets with arr as a warehouse unloads it (`generate --parquet`: months "
        "`DATE`, amounts `DECIMAL(18,2)`, zstd), scored with `score --format csv`, against the CSV run and two floors "
        "that read arr.parquet whole and sum its ARR column (`bench/floor.rs` with ta-scorecard's Polars, "
        "`bench/floor_polars.py` with Polars from PyPI). The whole run also reads accounts.csv and computes and "
        "writes every scorecard, which the floors do not; arr's own stage (`TA_SCORECARD_TIMINGS=1`) is what the "
        "file's format changes.\n"
    )
    print(
        "| accounts | arr.parquet | ta-scorecard | ÷ CSV run | Rust floor | Python Polars floor | run ÷ Python floor "
        "| arr's stage: Parquet, CSV | Parquet stage ÷ Python floor | outputs |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    verdicts = []
    for line in open(sys.argv[8]):
        n, size, s, k, fs, fk, ps, pk, stage, csv_stage, same = line.rstrip("\n").split("\t")
        if int(n) == 1_000_000:
            verdicts = [
                f"the whole run {verdict(float(s) <= 1.5 * float(ps))} ({float(s) / float(ps):.1f}×)",
                f"arr's stage {verdict(float(stage) <= 1.5 * float(ps))} ({float(stage) / float(ps):.2f}×)",
            ]
        csv_run = next(float(r[3]) for r in rows if r[0] == n)
        print(
            f"| {int(n):,} | {int(size) / 1e6:.0f} MB | {float(s):.2f} s, {mb(k):.0f} MB | {float(s) / csv_run:.2f}× "
            f"| {float(fs):.2f} s, {mb(fk):.0f} MB | {float(ps):.2f} s, {mb(pk):.0f} MB | {float(s) / float(ps):.1f}× "
            f"| {float(stage):.2f} s, {float(csv_stage):.2f} s | {float(stage) / float(ps):.2f}× | {same} |"
        )
    print(
        "\nGoal (issue 31): at 1M, `score --format csv` from arr.parquet at most 1.5× a plain read-and-sum of the "
        "same file. Read as the whole run, it cannot be met by reading faster: the run's other stages alone take "
        "several times the floor. Read as the part of the run the format changes (arr's stage), it is the "
        "\"Parquet stage ÷ Python floor\" column."
    )
    if verdicts:
        print(f"\nAt 1,000,000 accounts, against the Python Polars floor: " + "; ".join(verdicts) + ".")

if history:
    print(
        "\n## History inputs\n\nThe same data sets with each account in USD, EUR or GBP (a `currency` column and "
        "rates.csv, `generate --currencies EUR,GBP`), scored in constant currency at each window's end rates "
        "(SPEC §10); with a ledger handing 20% of the accounts over once in the last year "
        "(`generate --hand-overs 0.2`, ownership.csv, SPEC §9); and with a health score per account each quarter "
        "(`generate --health-history`, health.csv, SPEC §11: every quarter end scored with the health it had then, "
        "and the forecast's classes health bands). Each against the plain run of the same size, "
        "timed in the same rounds (goal: at most 1.5×).\n"
    )
    print("| accounts | input | ta-scorecard | ÷ plain run | arr.csv | peak memory ÷ arr.csv |\n|---:|---|---:|---:|---:|---:|")
    for n, what, seconds, kib, size, plain in history:
        print(
            f"| {int(n):,} | {what} | {seconds:.2f} s, {mb(kib):.0f} MB | {seconds / plain:.2f}× "
            f"| {size / 1e6:.0f} MB | {float(kib) * 1024 / size:.2f}× |"
        )

if len(sys.argv) > 4 and os.path.exists(sys.argv[4]):
    import re

    stage = r"(.*?)\s+([\d.]+) s(?:\s+(\d+) MB resident)?(?:\s+([\d.]+) cores)?$"
    stages = [re.match(stage, line.strip()) for line in open(sys.argv[4])]
    largest = int(rows[-1][0])
    print(
        f"\n## Profile\n\nWhere the metrics-only run of {largest:,} accounts spends its time "
        "(`TA_SCORECARD_TIMINGS=1 ta-scorecard score ...` prints each stage's wall time, the resident "
        "memory as it ends, and the CPU time it took over its wall time, which is how many of the cores "
        "it kept busy on average, the input fingerprints' thread included, to stderr):\n"
    )
    print("| stage | seconds | resident after (MB) | cores busy |\n|---|---:|---:|---:|")
    for stage in filter(None, stages):
        print(f"| {stage[1]} | {float(stage[2]):.2f} | {stage[3] or ''} | {stage[4] or ''} |")

if len(sys.argv) > 9 and os.path.exists(sys.argv[9]):
    # Sections this report does not write, kept from the last one: the book plan's (bench/plan.sh),
    # the release build's (bench/build.sh) and the comparison with an earlier commit
    # (bench/versus.sh), each measured by its own script.
    import section

    last = open(sys.argv[9]).read()
    for title in ("Planning books", "Release build", "Against an earlier commit"):
        kept = section.find(last, title)
        if kept:
            print("\n" + kept.rstrip("\n"))
