#!/usr/bin/env bash
# Prints the path of a WebDriver binary for the wasm tests: `chromedriver` or `geckodriver`.
# An explicit CHROMEDRIVER / GECKODRIVER wins; then PATH (with ~/.cargo/bin, where geckodriver is
# installed); then the places Debian and Ubuntu packages put them. Prints nothing (status 1) if none.
set -euo pipefail
name=${1:?usage: tools/find-driver.sh chromedriver|geckodriver}
case "$name" in
  chromedriver) explicit=${CHROMEDRIVER:-}; fallbacks=(/usr/bin/chromedriver /usr/lib/chromium/chromedriver /usr/lib/chromium-browser/chromedriver /snap/bin/chromium.chromedriver) ;;
  geckodriver) explicit=${GECKODRIVER:-}; fallbacks=("$HOME/.cargo/bin/geckodriver" /usr/bin/geckodriver /usr/local/bin/geckodriver) ;;
  *) echo "find-driver: unknown driver $name" >&2; exit 2 ;;
esac
if [ -n "$explicit" ] && [ -x "$explicit" ]; then echo "$explicit"; exit 0; fi
if found=$(PATH="$HOME/.cargo/bin:$PATH" command -v "$name"); then echo "$found"; exit 0; fi
for f in "${fallbacks[@]}"; do
  if [ -x "$f" ]; then echo "$f"; exit 0; fi
done
exit 1
