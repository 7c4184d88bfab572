#!/usr/bin/env bash
# The book plan's benchmark (issue 28): `plan` on generated books of 10k, 100k and 1M accounts
# where a fifth of the advisors are listed at a level their book was not built for
# (`generate --misfits 0.2`), with the default --time-limit of 10 s. Records the wall time, the
# peak memory, whether the plan is proven optimal and how many books fit before and after.
# Writes bench/work/plan.tsv and the "Planning books" section of BENCHMARKS.md.
#
#   bash bench/plan.sh
#   PLAN_SIZES=10000 bash bench/plan.sh
set -euo pipefail
source "$(dirname "$0")/release.sh"
SIZES="${PLAN_SIZES:-10000 100000 1000000}"
LIMIT="${TIME_LIMIT:-10}"
TSV="$WORK/plan.tsv"
: > "$TSV"
for N in $SIZES; do
  K=$(( N / 200 > 0 ? N / 200 : 1 ))
  DATA="$WORK/data-$N-misfits"
  if [ ! -f "$DATA/arr.csv" ]; then
    "$BIN" generate --accounts "$N" --months 36 --advisors "$K" --seed 42 --misfits 0.2 --out "$DATA" >/dev/null
  fi
  OUT=$( { /usr/bin/time -f "wall %e %M" "$BIN" plan --data "$DATA" --out "$WORK/out-plan" --force \
    --time-limit "$LIMIT" >"$WORK/plan.stdout"; } 2>&1 | grep '^wall ')
  read -r _ WALL PEAK <<<"$OUT"
  # "Book plan …: F of A advisors' books fit their level before, G after." and "… Proven optimal."
  read -r BEFORE ADVISORS AFTER <<<"$(sed -n 's/.*: \([0-9]*\) of \([0-9]*\) advisors.* before, \([0-9]*\) after\./\1 \2 \3/p' "$WORK/plan.stdout")"
  MOVES=$(sed -n 's/^\([0-9]*\) hand-overs.*/\1/p' "$WORK/plan.stdout")
  PROVEN=$(grep -q 'Proven optimal' "$WORK/plan.stdout" && echo yes || echo no)
  # "N books still below: X proven unable to fit within the limits, Y not ruled out (…)."
  UNABLE=$(sed -n 's/.* still below: \([0-9]*\) proven unable.*/\1/p' "$WORK/plan.stdout")
  OPEN=$(sed -n 's/.* still below: .*, \([0-9]*\) not ruled out.*/\1/p' "$WORK/plan.stdout")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$N" "$WALL" "$PEAK" "$ADVISORS" "$BEFORE" "$AFTER" \
    "$MOVES" "$PROVEN" "$LIMIT" "${UNABLE:-0}" "${OPEN:-0}" >> "$TSV"
  echo "$N accounts: ${WALL}s, $BEFORE → $AFTER of $ADVISORS books fit (${UNABLE:-0} cannot, ${OPEN:-0} open), $MOVES moves, proven: $PROVEN"
done
python3 bench/plan_report.py "$TSV" BENCHMARKS.md
echo "wrote the planning section of BENCHMARKS.md"
