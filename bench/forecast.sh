#!/usr/bin/env bash
# The quarter ahead's benchmark (issue 27): what the forecast and its backtest cost on top of the
# rest of `score --format csv`, at 100k and 1M accounts, without and with a health history
# (`generate --health-history`, so the forecast's classes are health bands). Each run prints its
# stage timings (TA_SCORECARD_TIMINGS=1); the forecast's cost is its two stages, and the plain
# run is the same run without them. With OLD=path/to/binary, that binary (a build from before the
# forecast) is run alternately with the current one on the plain data sets, as a direct check.
# Writes bench/work/forecast.tsv and the "The quarter ahead" section of BENCHMARKS.md.
#
#   bash bench/forecast.sh
#   FORECAST_SIZES=100000 RUNS=3 OLD=/tmp/before bash bench/forecast.sh
set -euo pipefail
source "$(dirname "$0")/release.sh"
SIZES="${FORECAST_SIZES:-100000 1000000}"
RUNS="${RUNS:-3}"
TSV="$WORK/forecast.tsv"
: > "$TSV"

# One run with timings: "wall_s peak_kib forecast_s backtest_s".
timed() {
  local data=$1 bin=$2
  TA_SCORECARD_TIMINGS=1 /usr/bin/time -f "wall %e %M" "$bin" score --data "$data" --format csv \
    --out "$WORK/out-forecast" --force 2>&1 >/dev/null |
    awk '/^time: forecast / {f=$3} /^time: backtest / {b=$3} /^wall / {w=$2; m=$3} END {print w, m, f+0, b+0}'
}

# The median run of RUNS by wall time.
median() {
  local samples=()
  for _ in $(seq "$RUNS"); do samples+=("$(timed "$@")"); done
  printf '%s\n' "${samples[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}

for N in $SIZES; do
  K=$(( N / 200 > 0 ? N / 200 : 1 ))
  for KIND in plain health; do
    DATA="$WORK/data-$N"
    FLAGS=()
    if [ "$KIND" = health ]; then DATA="$WORK/data-$N-health"; FLAGS=(--health-history); fi
    if [ ! -f "$DATA/arr.csv" ] || { [ "$KIND" = health ] && [ ! -f "$DATA/health.csv" ]; }; then
      "$BIN" generate --accounts "$N" --months 36 --advisors "$K" --seed 42 "${FLAGS[@]}" --out "$DATA" >/dev/null
    fi
    read -r WALL PEAK FORECAST BACKTEST <<<"$(median "$DATA" "$BIN")"
    OLD_WALL=""; OLD_PEAK=""; NEW_WALL=""
    if [ -n "${OLD:-}" ] && [ "$KIND" = plain ]; then
      olds=(); news=()
      for _ in $(seq "$RUNS"); do
        olds+=("$(timed "$DATA" "$OLD")"); news+=("$(timed "$DATA" "$BIN")")
      done
      read -r OLD_WALL OLD_PEAK _ _ <<<"$(printf '%s\n' "${olds[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")"
      read -r NEW_WALL _ _ _ <<<"$(printf '%s\n' "${news[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$N" "$KIND" "$WALL" "$PEAK" "$FORECAST" "$BACKTEST" \
      "$OLD_WALL" "$OLD_PEAK" "$NEW_WALL" >> "$TSV"
    echo "$N accounts ($KIND): ${WALL}s, forecast ${FORECAST}s + backtest ${BACKTEST}s${OLD_WALL:+; before the forecast ${OLD_WALL}s against ${NEW_WALL}s}"
  done
done
python3 bench/forecast_report.py "$TSV" "$RUNS" BENCHMARKS.md
echo "wrote the quarter ahead's section of BENCHMARKS.md"
