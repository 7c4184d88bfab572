#!/usr/bin/env bash
# The scale benchmark (issues 6 and 18): ta-scorecard (`score --format csv`) against a DuckDB SQL
# script and a pandas script on the same generated exports, with an agreement check, wall time
# and peak memory (median of several runs), and two floors that read arr.csv and sum ARR: the
# same Rust Polars reader, and Python Polars from PyPI (`scan_csv`).
#
#   bench/run.sh            # 10k, 100k, 200k and 1M accounts × 36 months; writes BENCHMARKS.md
#   SIZES="10000" RUNS=3 bench/run.sh
#   bench/run.sh --check    # only the agreement check on a tiny data set (what CI runs)
#   HISTORY_ONLY=1 bench/run.sh  # only the history inputs (each timed with the plain run of its size)
#   bash bench/forecast.sh       # only the quarter ahead's section (see that script)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ta-scorecard/target}"
SIZES="${SIZES:-10000 100000 200000 1000000}"
MONTHS=36
RUNS="${RUNS:-3}"
CHECK=0
if [ "${1:-}" = "--check" ]; then CHECK=1; SIZES=2000; fi

# Python tools in a virtual environment of the project's own, from PyPI.
VENV="$ROOT/bench/.venv"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import duckdb, pandas, polars" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check duckdb pandas polars
fi
PY="$VENV/bin/python"

if [ "$CHECK" = 1 ]; then
  cargo build -q
  BIN="$CARGO_TARGET_DIR/debug/ta-scorecard"
else
  cargo build -q --release
  cargo build -q --release --features bench --example floor --example to_xlsx
  BIN="$CARGO_TARGET_DIR/release/ta-scorecard"
  FLOOR="$CARGO_TARGET_DIR/release/examples/floor"
fi
WORK="${BENCH_WORK:-$ROOT/bench/work}"
mkdir -p "$WORK"
RESULTS="$WORK/results.tsv"
if [ "${HISTORY_ONLY:-0}" = 1 ]; then cp "$RESULTS" "$RESULTS.kept"; fi
: > "$RESULTS"

# Runs a command RUNS times; prints "median_seconds peak_kib" (peak of the median run).
measure() {
  measure_rounds "$(printf '%q ' "$@")"
}

# Times commands given as quoted command lines (printf %q) against each other: RUNS rounds, each
# running every command once in turn, so the machine's drift (up to 30% within an hour) reaches
# all of them alike. Prints one "median_seconds peak_kib" line per command, in order.
measure_rounds() {
  local out="$WORK/time.txt" i samples=()
  for _ in $(seq "$RUNS"); do
    i=0
    for command in "$@"; do
      eval "/usr/bin/time -f '%e %M' -o '$out' $command" >/dev/null 2>"$WORK/stderr.txt" || { cat "$WORK/stderr.txt" >&2; return 1; }
      samples[i]+="$(cat "$out")"$'\n'
      i=$((i + 1))
    done
  done
  for ((i = 0; i < $#; i++)); do
    printf '%s' "${samples[i]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
  done
}
q() { printf '%q ' "$@"; }

HISTORY_ONLY="${HISTORY_ONLY:-0}"
[ "$HISTORY_ONLY" = 1 ] && [ -s "$RESULTS.kept" ] && cp "$RESULTS.kept" "$RESULTS"
for N in $SIZES; do
  [ "$HISTORY_ONLY" = 1 ] && break
  K=$(( N / 200 > 0 ? N / 200 : 1 ))
  DATA="$WORK/data-$N"
  if [ ! -f "$DATA/arr.csv" ]; then
    "$BIN" generate --accounts "$N" --months "$MONTHS" --advisors "$K" --seed 42 --out "$DATA" >/dev/null
  fi
  OUT="$WORK/out-$N"
  "$BIN" score --data "$DATA" --format csv,json --out "$OUT" --force >/dev/null 2>&1
  "$PY" bench/metrics_duckdb.py "$DATA" "$WORK/duckdb-$N.csv"
  "$PY" bench/metrics_pandas.py "$DATA" "$WORK/pandas-$N.csv"
  AGREE=$("$PY" bench/compare.py "$OUT/scorecards.json" "$WORK/duckdb-$N.csv" "$WORK/pandas-$N.csv")
  echo "$N accounts: $AGREE"
  [ "$CHECK" = 1 ] && continue

  ROWS=$(( $(wc -l < "$DATA/arr.csv") - 1 ))
  BYTES=$(stat -c %s "$DATA/arr.csv")
  mapfile -t TIMES < <(measure_rounds "$(q "$BIN" score --data "$DATA" --format csv --out "$OUT" --force)" \
    "$(q "$PY" bench/metrics_duckdb.py "$DATA" "$WORK/duckdb-$N.csv")" "$(q "$PY" bench/metrics_pandas.py "$DATA" "$WORK/pandas-$N.csv")" \
    "$(q "$FLOOR" "$DATA/arr.csv")" "$(q "$PY" bench/floor_polars.py "$DATA/arr.csv")")
  read -r TA_S TA_K <<<"${TIMES[0]}"
  read -r DK_S DK_K <<<"${TIMES[1]}"
  read -r PD_S PD_K <<<"${TIMES[2]}"
  read -r FL_S FL_K <<<"${TIMES[3]}"
  read -r PF_S PF_K <<<"${TIMES[4]}"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$N" "$ROWS" "$BYTES" "$TA_S" "$TA_K" "$DK_S" "$DK_K" "$PD_S" "$PD_K" "$FL_S" "$FL_K" "$K" "$AGREE" "$PF_S" "$PF_K" >> "$RESULTS"
  echo "$N accounts: ta-scorecard ${TA_S}s, DuckDB ${DK_S}s, pandas ${PD_S}s, floors ${FL_S}s (Rust) ${PF_S}s (Python Polars)"
done

[ "$CHECK" = 1 ] && exit 0
# Parquet inputs (issue 31): the same data sets of 100k accounts and more with arr as a warehouse
# unloads it (`generate --parquet`: months DATE, amounts DECIMAL(18,2)), against the CSV run, the
# two floors that read arr.parquet whole and sum its ARR, and arr's own stage in the run.
[ "$HISTORY_ONLY" = 1 ] || rm -f "$WORK/parquet.tsv"
for N in $SIZES; do
  { [ "$HISTORY_ONLY" = 1 ] || [ "$N" -lt 100000 ]; } && continue
  K=$(( N / 200 ))
  DATA="$WORK/data-$N-parquet"
  if [ ! -f "$DATA/arr.parquet" ]; then
    "$BIN" generate --accounts "$N" --months "$MONTHS" --advisors "$K" --seed 42 --parquet --out "$DATA" >/dev/null
  fi
  OUT="$WORK/out-$N-parquet"
  mapfile -t TIMES < <(measure_rounds "$(q "$BIN" score --data "$DATA" --format csv --out "$OUT" --force)" \
    "$(q "$FLOOR" "$DATA/arr.parquet")" "$(q "$PY" bench/floor_polars.py "$DATA/arr.parquet")")
  read -r PQ_S PQ_K <<<"${TIMES[0]}"
  read -r PQF_S PQF_K <<<"${TIMES[1]}"
  read -r PQP_S PQP_K <<<"${TIMES[2]}"
  PQ_ARR=$(TA_SCORECARD_TIMINGS=1 "$BIN" score --data "$DATA" --format csv --out "$OUT" --force 2>&1 >/dev/null \
    | sed -n 's/^time: arr.parquet *\([0-9.]*\) s.*/\1/p')
  CSV_ARR=$(TA_SCORECARD_TIMINGS=1 "$BIN" score --data "$WORK/data-$N" --format csv --out "$WORK/out-$N" --force 2>&1 >/dev/null \
    | sed -n 's/^time: arr.csv *\([0-9.]*\) s.*/\1/p')
  SAME=$(cmp -s "$OUT/scorecards.csv" "$WORK/out-$N/scorecards.csv" && echo "scorecards.csv identical to the CSV run's" || echo "**scorecards.csv differs from the CSV run's**")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$N" "$(stat -c %s "$DATA/arr.parquet")" "$PQ_S" "$PQ_K" \
    "$PQF_S" "$PQF_K" "$PQP_S" "$PQP_K" "$PQ_ARR" "$CSV_ARR" "$SAME" >> "$WORK/parquet.tsv"
  echo "$N accounts from arr.parquet: ${PQ_S}s (arr ${PQ_ARR}s), floors ${PQF_S}s (Rust) ${PQP_S}s (Python Polars); $SAME"
done
# Spreadsheets (skipped with HISTORY_ONLY, whose report keeps the last full run's): the 100k data set as one workbook (arr wide, one column per month), read by score
# and checked against the same DuckDB and pandas results.
XLSX_N=100000
[ "$HISTORY_ONLY" = 1 ] || rm -f "$WORK/xlsx.tsv"
if [ "$HISTORY_ONLY" != 1 ] && printf '%s\n' $SIZES | grep -qx "$XLSX_N"; then
  BOOK="$WORK/book-$XLSX_N.xlsx"
  [ -f "$BOOK" ] || "$CARGO_TARGET_DIR/release/examples/to_xlsx" "$WORK/data-$XLSX_N" "$BOOK"
  read -r XL_S XL_K <<<"$(measure "$BIN" score --data "$BOOK" --format csv,json --out "$WORK/out-xlsx" --force)"
  XL_AGREE=$("$PY" bench/compare.py "$WORK/out-xlsx/scorecards.json" "$WORK/duckdb-$XLSX_N.csv" "$WORK/pandas-$XLSX_N.csv")
  printf '%s\t%s\t%s\t%s\t%s\n' "$XLSX_N" "$(stat -c %s "$BOOK")" "$XL_S" "$XL_K" "$XL_AGREE" > "$WORK/xlsx.tsv"
  echo "$XLSX_N accounts as .xlsx: ${XL_S}s; $XL_AGREE"
fi
# History inputs (issue 18): the same sizes with accounts in USD, EUR and GBP, a currency column
# and rates.csv (SPEC §10), scored in constant currency; with ownership history (SPEC §9): a
# ledger handing 20% of the accounts over once in the last year; and with health history (SPEC
# §11): health.csv, a score per account each quarter (the data bench/forecast.sh uses). Each timed
# round by round against the plain run of the same size, whose time they are set against.
rm -f "$WORK/history.tsv"
for N in $SIZES; do
  K=$(( N / 200 > 0 ? N / 200 : 1 ))
  FX="$WORK/data-$N-currencies"
  if [ ! -f "$FX/rates.csv" ]; then
    "$BIN" generate --accounts "$N" --months "$MONTHS" --advisors "$K" --seed 42 --currencies EUR,GBP --out "$FX" >/dev/null
  fi
  HO="$WORK/data-$N-handovers"
  if [ ! -f "$HO/ownership.csv" ]; then
    "$BIN" generate --accounts "$N" --months "$MONTHS" --advisors "$K" --seed 42 --hand-overs 0.2 --out "$HO" >/dev/null
  fi
  HH="$WORK/data-$N-health"
  if [ ! -f "$HH/health.csv" ]; then
    "$BIN" generate --accounts "$N" --months "$MONTHS" --advisors "$K" --seed 42 --health-history --out "$HH" >/dev/null
  fi
  mapfile -t TIMES < <(measure_rounds "$(q "$BIN" score --data "$WORK/data-$N" --format csv --out "$WORK/out-$N" --force)" \
    "$(q "$BIN" score --data "$FX" --format csv --out "$WORK/out-$N-currencies" --force)" \
    "$(q "$BIN" score --data "$HO" --format csv --out "$WORK/out-$N-handovers" --force)" \
    "$(q "$BIN" score --data "$HH" --format csv --out "$WORK/out-$N-health" --force)")
  read -r PL_S _ <<<"${TIMES[0]}"
  read -r FX_S FX_K <<<"${TIMES[1]}"
  read -r HO_S HO_K <<<"${TIMES[2]}"
  read -r HH_S HH_K <<<"${TIMES[3]}"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$N" "currencies" "$FX_S" "$FX_K" "$(stat -c %s "$FX/arr.csv")" "$PL_S" >> "$WORK/history.tsv"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$N" "ownership (20% handed over)" "$HO_S" "$HO_K" "$(stat -c %s "$HO/arr.csv")" "$PL_S" >> "$WORK/history.tsv"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$N" "health history" "$HH_S" "$HH_K" "$(stat -c %s "$HH/arr.csv")" "$PL_S" >> "$WORK/history.tsv"
  echo "$N accounts: plain ${PL_S}s, in three currencies ${FX_S}s, with 20% handed over ${HO_S}s, with health history ${HH_S}s"
done
# Pages and charts for every advisor of the largest data set: one full run against the metrics-only median.
LARGEST=$(printf '%s\n' $SIZES | sort -n | tail -1)
if [ "$HISTORY_ONLY" != 1 ]; then
/usr/bin/time -f "%e %M" -o "$WORK/pages-time.txt" "$BIN" score --data "$WORK/data-$LARGEST" --out "$WORK/pages-$LARGEST" --force >/dev/null 2>&1
read -r PAGES_S PAGES_K < "$WORK/pages-time.txt"
PAGES=$(ls "$WORK/pages-$LARGEST/advisors/"*.html | wc -l)
printf '%s\t%s\t%s\t%s\n' "$LARGEST" "$PAGES_S" "$PAGES_K" "$PAGES" > "$WORK/pages.tsv"
# scorecards.xlsx alone (every account on the Accounts sheet), once.
/usr/bin/time -f "%e %M" -o "$WORK/workbook-time.txt" "$BIN" score --data "$WORK/data-$LARGEST" --format xlsx --out "$WORK/workbook-$LARGEST" --force >/dev/null 2>&1
printf '%s\t%s\t%s\n' "$LARGEST" "$(cat "$WORK/workbook-time.txt" | tr ' ' '\t')" "$(stat -c %s "$WORK/workbook-$LARGEST/scorecards.xlsx")" > "$WORK/workbook.tsv"
# Where the time goes: one metrics-only run of the largest data set with stage timings.
TA_SCORECARD_TIMINGS=1 "$BIN" score --data "$WORK/data-$LARGEST" --format csv --out "$WORK/out-$LARGEST" --force 2>&1 >/dev/null \
  | sed -n 's/^time: //p' > "$WORK/profile.txt"
fi
# The sections other scripts write (bench/plan.sh, bench/build.sh, bench/versus.sh) are kept from
# the last report.
[ -f BENCHMARKS.md ] && cp BENCHMARKS.md "$WORK/BENCHMARKS.last.md"
"$PY" bench/report.py "$RESULTS" "$RUNS" "$WORK/pages.tsv" "$WORK/profile.txt" "$WORK/xlsx.tsv" "$WORK/history.tsv" "$WORK/workbook.tsv" "$WORK/parquet.tsv" "$WORK/BENCHMARKS.last.md" > BENCHMARKS.md
echo "wrote BENCHMARKS.md"
# The quarter ahead: the forecast's cost at 100k and 1M (its own section of BENCHMARKS.md).
FORECAST_SIZES="$(printf '%s\n' $SIZES | awk '$1 >= 100000' | tr '\n' ' ')"
if [ "$HISTORY_ONLY" != 1 ] && [ -n "$FORECAST_SIZES" ]; then
  FORECAST_SIZES="$FORECAST_SIZES" RUNS="$RUNS" BENCH_WORK="$WORK" bash bench/forecast.sh
fi
