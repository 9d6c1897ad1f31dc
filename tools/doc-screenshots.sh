#!/usr/bin/env bash
# The README's screenshots, made small: each argument names a PNG the end-to-end tests saved under
# target/ (`screenshots/policies-dark`: tests/e2e/a11y.test.mjs's every page, light and dark;
# `e2e/esdk-file`: a page mid-action from the other e2e tests), without .png. Each is cut to the first
# 1500 px of the page, scaled to 800 px wide and written as a 64-colour PNG (ImageMagick) to
# docs/screenshots/ under its base name, so each stays far under 200 KB.
# Run `make dist && node --test --test-concurrency=1 tests/e2e/` first. Without arguments: the
# README's set.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v convert >/dev/null || { echo "doc-screenshots: needs ImageMagick's convert (apt-get install imagemagick)"; exit 1; }
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(screenshots/policies-light screenshots/policies-dark e2e/envelope e2e/esdk-file
  e2e/keys e2e/waf e2e/acm e2e/scan)
mkdir -p docs/screenshots
for n in "${names[@]}"; do
  src="target/$n.png"
  [ -f "$src" ] || { echo "doc-screenshots: $src missing (run the end-to-end tests first)"; exit 1; }
  out="docs/screenshots/$(basename "$n").png"
  convert "$src" -crop 1200x1500+0+0 +repage -resize 800x -strip -dither None -colors 64 "PNG8:$out"
  echo "$out: $(stat -c %s "$out") bytes"
done
