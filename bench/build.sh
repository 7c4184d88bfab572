#!/usr/bin/env bash
# The release build's cost (issue 31): a clean `cargo build --release --locked` of this checkout's
# commit and of a commit before it (by default the last one before Parquet), each from its own
# clone into an empty target folder, one after the other (crates already downloaded). Writes
# bench/work/build.tsv and the "Release build" section of BENCHMARKS.md. About 20 minutes on 2
# cores; bench/run.sh keeps the section it finds.
#
#   bash bench/build.sh
#   BEFORE=<commit> bash bench/build.sh
#   REPORT_ONLY=1 bash bench/build.sh   # the section again from bench/work/build.tsv
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
if [ -z "${BEFORE:-}" ]; then BEFORE="6a9464a^" BEFORE_NOTE=", the last commit before Parquet"; fi
WORK="${BENCH_WORK:-$ROOT/bench/work}"
mkdir -p "$WORK"
TSV="$WORK/build.tsv"
[ "${REPORT_ONLY:-0}" = 1 ] || : > "$TSV"
for REV in "$BEFORE" HEAD; do
  [ "${REPORT_ONLY:-0}" = 1 ] && break
  SHA=$(git rev-parse --short "$REV")
  DIR="$WORK/build-$SHA"
  rm -rf "$DIR"
  git clone -q "$ROOT" "$DIR/src"
  git -C "$DIR/src" checkout -q "$SHA"
  cargo fetch -q --locked --manifest-path "$DIR/src/Cargo.toml"
  START=$(date +%s%N)
  CARGO_TARGET_DIR="$DIR/target" cargo build -q --release --locked --manifest-path "$DIR/src/Cargo.toml"
  SECONDS_TAKEN=$(( ($(date +%s%N) - START) / 1000000000 ))
  CRATES=$(grep -c '^name = ' "$DIR/src/Cargo.lock")
  FEATURES=$(sed -n 's/^polars = .*features = \[\(.*\)\].*/\1/p' "$DIR/src/Cargo.toml" | tr -d '"')
  WHAT=$([ "$REV" = HEAD ] && echo "this checkout" || echo "before ($REV${BEFORE_NOTE:-})")
  printf '%s\t%s\t%s\t%s\t%s\n' "$SHA" "$WHAT" "$SECONDS_TAKEN" "$CRATES" "$FEATURES" >> "$TSV"
  echo "$SHA: ${SECONDS_TAKEN}s, $CRATES crates"
  rm -rf "$DIR"
done
python3 - "$TSV" BENCHMARKS.md <<'EOF'
import sys

sys.path.insert(0, "bench")
import section

tsv, path = sys.argv[1], sys.argv[2]
rows = [line.rstrip("\n").split("\t") for line in open(tsv) if line.strip()]
out = ["## Release build\n"]
out.append(
    "`bash bench/build.sh`: a clean `cargo build --release --locked` of each commit from its own clone into an "
    "empty target folder, one after the other on the same machine (crates already downloaded). Polars' `parquet` "
    "feature turns on every codec of polars-parquet (brotli, gzip, lz4, snappy, zstd: polars-io asks for "
    "`polars-parquet/compression` and offers no narrower choice), so the codecs cannot be cut to snappy and zstd "
    "without patching Polars; every other Polars feature that Parquet does not need (cloud and async reading, IPC, "
    "JSON) stays off.\n"
)
out.append("| commit | what | release build | crates in Cargo.lock | polars features |\n|---|---|---:|---:|---|")
for sha, subject, seconds, crates, features in rows:
    s = float(seconds)
    out.append(f"| {sha} | {subject} | {int(s // 60)} min {s % 60:.0f} s | {crates} | {features} |")
if len(rows) == 2:
    out.append(f"\nThe later build takes {float(rows[1][2]) / float(rows[0][2]):.2f}× the earlier.")
section.put(path, out)
EOF
echo "wrote the release build's section of BENCHMARKS.md"
