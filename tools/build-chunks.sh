#!/usr/bin/env bash
# Builds the page chunks (src/bin/app/route.rs `Chunk`, the `chunk-*` bins of Cargo.toml) into
# <out>/pages/: for each, <name>.js and <name>_bg.wasm (wasm-bindgen --target web, then wasm-opt -Oz
# like the home module) and the JS snippets they import. Trunk runs it after building the home
# module (Trunk.toml's post_build hook, out = $TRUNK_STAGING_DIR); it can also be run by hand:
#   tools/build-chunks.sh <out-dir>
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-${TRUNK_STAGING_DIR:?usage: tools/build-chunks.sh <out-dir>}}
target=${CARGO_TARGET_DIR:-$PWD/target}
wasm=wasm32-unknown-unknown
chunks=$(sed -n 's/^name = "chunk-\([a-z0-9]*\)"$/\1/p' Cargo.toml)
[ -n "$chunks" ] || { echo "build-chunks: no chunk-* bin in Cargo.toml" >&2; exit 1; }
profile=release; flag=--release
if [ "${TRUNK_PROFILE:-release}" = debug ]; then profile=debug; flag=; fi
bins=()
for c in $chunks; do bins+=(--bin "chunk-$c"); done
start=$(date +%s)
# One cargo call: the chunks share the library build (the home module's, same features) and cargo
# links them in parallel.
cargo build $flag --offline --target $wasm --no-default-features --features page-chunks "${bins[@]}"
rm -rf "$target/chunks" "$out/pages"
mkdir -p "$out/pages"
for c in $chunks; do
  wasm-bindgen --target web --no-typescript --out-dir "$target/chunks/$c" --out-name "$c" "$target/$wasm/$profile/chunk-$c.wasm"
  cp "$target/chunks/$c/$c.js" "$out/pages/"
  if [ -d "$target/chunks/$c/snippets" ]; then cp -r "$target/chunks/$c/snippets" "$out/pages/"; fi
done
# wasm-opt -Oz, two at a time.
printf '%s\n' $chunks | xargs -P 2 -I{} wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$target/chunks/{}/{}_bg.wasm" -o "$out/pages/{}_bg.wasm"
echo "build-chunks: $(echo $chunks | wc -w) page chunks in $(( $(date +%s) - start )) s"
# The home page's examples gallery: share links made natively from the pages' own states
# (src/bin/app/gallery.rs), written into index.html.
cargo run --offline --quiet --bin app -- gallery "$out/index.html"
# The service worker last: its build id is a hash of every file above.
tools/build-sw.sh "$out"
