#!/usr/bin/env bash
# Prints the wasm sizes of the page (dist/) and of the JS package (pkg/): raw wasm-bindgen output,
# after wasm-opt -Oz, and gzipped (-9), in bytes and KiB. The page is its home module (what the first
# visit loads, with index.html, its JS and CSS) and one page chunk per group of pages, fetched the first
# time one of them is opened (src/bin/app/chunks.rs); tests/e2e/budget.test.mjs checks the budget.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-target}
row() { awk -v n="$1" -v b="$2" 'BEGIN { printf "%-46s %10d B  %8.1f KiB\n", n, b, b / 1024 }'; }
gz() { gzip -9 -c "$1" | wc -c; }
echo "wasm sizes"
if [ -f "$target/wasm32-unknown-unknown/release/app.wasm" ] && compgen -G "dist/app-*_bg.wasm" >/dev/null; then
  mkdir -p "$target/size/app"
  wasm-bindgen --target web --out-dir "$target/size/app" --out-name app "$target/wasm32-unknown-unknown/release/app.wasm"
  opt=$(ls dist/app-*_bg.wasm | head -1)
  row "home module: raw" "$(wc -c < "$target/size/app/app_bg.wasm")"
  row "home module: wasm-opt -Oz" "$(wc -c < "$opt")"
  row "home module: wasm-opt -Oz + gzip" "$(gz "$opt")"
  first=0
  for f in dist/index.html dist/boot.js dist/app-*.js dist/style-*.css "$opt" $(find dist/snippets -name '*.js' 2>/dev/null); do
    first=$(( first + $(gz "$f") ))
  done
  row "home page first load (html+js+css+wasm), gzip" "$first"
  chunks=0
  for w in dist/pages/*_bg.wasm; do
    [ -f "$w" ] || continue
    c=$(basename "$w" _bg.wasm)
    raw="$target/chunks/$c/${c}_bg.wasm"
    [ -f "$raw" ] && row "chunk $c: raw" "$(wc -c < "$raw")"
    row "chunk $c: wasm-opt -Oz" "$(wc -c < "$w")"
    g=$(( $(gz "$w") + $(gz "dist/pages/$c.js") ))
    row "chunk $c: wasm-opt -Oz + gzip (+ its js)" "$g"
    chunks=$(( chunks + g ))
  done
  row "all page chunks, gzip" "$chunks"
fi
if [ -f pkg/secplay_bg.wasm ]; then
  row "pkg (JS API): raw" "$(wc -c < "$target/size/pkg/secplay_bg.wasm")"
  row "pkg (JS API): wasm-opt -Oz" "$(wc -c < pkg/secplay_bg.wasm)"
  row "pkg (JS API): wasm-opt -Oz + gzip" "$(gz pkg/secplay_bg.wasm)"
fi
