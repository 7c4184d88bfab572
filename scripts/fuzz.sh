#!/usr/bin/env bash
# A longer fuzz pass than the bounded one in `cargo test`: arbitrary bytes, mutated valid exports
# and hostile valid books through the whole pipeline. Usage: scripts/fuzz.sh [CASES] (default 50000).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ta-scorecard/target}"
FUZZ_CASES="${1:-50000}" cargo test --test integration fuzz -- --nocapture
