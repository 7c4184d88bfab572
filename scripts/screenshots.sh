#!/usr/bin/env bash
# Regenerates the README's screenshots (docs/team-index.png, docs/advisor-page.png) from the
# bundled samples with headless Chromium (installed by scripts/ensure-chromium.sh if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || bash scripts/ensure-chromium.sh
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --quiet -- score --out "$out/out" --format html >/dev/null
shot() { # page, width, height, file
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$2,$3" \
    --screenshot="$4" "file://$out/out/$1" 2>/dev/null
}
shot index.html 1280 1000 docs/team-index.png
shot advisors/priya-shah.html 1100 1600 docs/advisor-page.png
ls -l docs/*.png
