#!/usr/bin/env bash
# This checkout against an earlier commit, the two release binaries run alternately round by round
# on the same data sets (the machine's speed drifts by up to 30% within an hour, so a comparison
# of two full benchmarks taken at different hours says little). `score --format csv` on the plain
# data sets and on the ones with hand-overs and with health history that bench/run.sh generated; the medians and the peak
# memory of each go to bench/work/versus.tsv and the "Against an earlier commit" section of
# BENCHMARKS.md, which bench/run.sh keeps. About 10 minutes on 2 cores.
#
#   bash bench/versus.sh <commit>                 # 10k, 200k and 1M accounts
#   SIZES="10000 100000" bash bench/versus.sh <commit>
#   REPORT_ONLY=1 bash bench/versus.sh            # the section again from bench/work/versus.tsv
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ta-scorecard/target}"
WORK="${BENCH_WORK:-$PWD/bench/work}"
TSV="$WORK/versus.tsv"
SIZES=${SIZES:-10000 200000 1000000}

# One timing: "seconds peak_kib".
run() {
  local bin=$1 data=$2 out="$WORK/versus-out"
  rm -rf "$out"
  /usr/bin/time -f '%e %M' -o "$WORK/versus-time.txt" "$bin" score --data "$data" --format csv --out "$out" \
    >/dev/null 2>"$WORK/versus-stderr.txt" || { cat "$WORK/versus-stderr.txt" >&2; return 1; }
  cat "$WORK/versus-time.txt"
}

# Builds both binaries and times them, round by round, into $TSV.
measure() {
  BEFORE=${1:?usage: bash bench/versus.sh <commit>}
  SHA=$(git rev-parse --short "$BEFORE")
  HEAD_SHA=$(git rev-parse --short HEAD)
  for size in $SIZES; do
    [ -d "$WORK/data-$size" ] || { echo "no $WORK/data-$size: run bash bench/run.sh first" >&2; exit 1; }
  done

  # The earlier commit built from a worktree into the shared target folder, then this checkout's
  # crate cleaned and built again (cargo would otherwise take the other build's binary as fresh).
  TREE="$WORK/versus-$SHA"
  rm -rf "$TREE"
  git worktree add -q --detach "$TREE" "$SHA"
  trap 'git worktree remove --force "$TREE" 2>/dev/null || true' EXIT
  (cd "$TREE" && cargo build -q --release --locked)
  cp "$CARGO_TARGET_DIR/release/ta-scorecard" "$WORK/ta-$SHA"
  cargo clean -q --release -p ta-scorecard
  cargo build -q --release --locked
  cp "$CARGO_TARGET_DIR/release/ta-scorecard" "$WORK/ta-$HEAD_SHA"

  : > "$TSV"
  for size in $SIZES; do
    for kind in "" -handovers -health; do
      data="$WORK/data-$size$kind"
      [ -d "$data" ] || continue
      rounds=$([ "$size" -le 10000 ] && echo 9 || echo 5)
      for round in $(seq "$rounds"); do
        for rev in "$SHA" "$HEAD_SHA"; do
          printf '%s\t%s\t%s\t%s\n' "$size" "${kind#-}" "$rev" "$(run "$WORK/ta-$rev" "$data")" >> "$TSV"
        done
      done
      echo "$size accounts ${kind#-}: $rounds rounds"
    done
  done
}
[ "${REPORT_ONLY:-0}" = 1 ] || measure "$@"

python3 - "$TSV" BENCHMARKS.md <<'EOF'
import sys

sys.path.insert(0, "bench")
import section

tsv, path = sys.argv[1:3]
# Each round runs the earlier commit, then this checkout.
revs = [line.split("\t")[2] for line in open(tsv)][:2]
before, after = revs
runs = {}
for line in open(tsv):
    size, kind, rev, timing = line.rstrip("\n").split("\t")
    seconds, kib = timing.split()
    runs.setdefault((int(size), kind), {}).setdefault(rev, []).append((float(seconds), int(kib)))
out = ["## Against an earlier commit\n"]
out.append(
    f"`bash bench/versus.sh {before}`: `score --format csv` by this checkout ({after}) and by {before}, the two "
    "binaries run alternately round by round on the same data sets; medians, and the peak memory of the median "
    "run.\n"
)
out.append(f"| accounts | data | {before} | {after} | {after} ÷ {before} | peak {before} | peak {after} |")
out.append("|---:|---|---:|---:|---:|---:|---:|")
for (size, kind), by_rev in sorted(runs.items()):
    def median(rev):
        timings = sorted(by_rev[rev])
        return timings[(len(timings) - 1) // 2]
    (old, old_kib), (new, new_kib) = median(before), median(after)
    rounds = len(by_rev[after])
    data = {"handovers": "with 20% handed over", "health": "with health history"}.get(kind, "plain")
    out.append(
        f"| {size:,} | {data} ({rounds} rounds) | {old:.2f} s | {new:.2f} s | {new / old:.2f}× | "
        f"{old_kib / 1024:.0f} MB | {new_kib / 1024:.0f} MB |"
    )
section.put(path, out)
EOF
echo "wrote the section Against an earlier commit of BENCHMARKS.md"
