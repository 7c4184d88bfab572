# Sourced by the benchmark scripts that time the release build (bench/forecast.sh, bench/plan.sh):
# from the project folder, builds it into the shared cache and sets BIN (the binary) and WORK (the
# folder for generated data and results, created).
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ta-scorecard/target}"
cargo build -q --release
BIN="$CARGO_TARGET_DIR/release/ta-scorecard"
WORK="${BENCH_WORK:-$PWD/bench/work}"
mkdir -p "$WORK"
