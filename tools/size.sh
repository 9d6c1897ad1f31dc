#!/usr/bin/env bash
# Prints the wasm sizes of the app (dist/) and of the JS package (pkg/): raw wasm-bindgen output,
# after wasm-opt -Oz, and gzipped (-9), in bytes and KiB.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-target}
row() { awk -v n="$1" -v b="$2" 'BEGIN { printf "%-34s %10d B  %8.1f KiB\n", n, b, b / 1024 }'; }
gz() { gzip -9 -c "$1" | wc -c; }
echo "wasm sizes"
if [ -f "$target/wasm32-unknown-unknown/release/app.wasm" ] && compgen -G "dist/app-*_bg.wasm" >/dev/null; then
  mkdir -p "$target/size/app"
  wasm-bindgen --target web --out-dir "$target/size/app" --out-name app "$target/wasm32-unknown-unknown/release/app.wasm"
  opt=$(ls dist/app-*_bg.wasm | head -1)
  row "app (page): raw" "$(wc -c < "$target/size/app/app_bg.wasm")"
  row "app (page): wasm-opt -Oz" "$(wc -c < "$opt")"
  row "app (page): wasm-opt -Oz + gzip" "$(gz "$opt")"
fi
if [ -f pkg/secplay_bg.wasm ]; then
  row "pkg (JS API): raw" "$(wc -c < "$target/size/pkg/secplay_bg.wasm")"
  row "pkg (JS API): wasm-opt -Oz" "$(wc -c < pkg/secplay_bg.wasm)"
  row "pkg (JS API): wasm-opt -Oz + gzip" "$(gz pkg/secplay_bg.wasm)"
fi
