#!/usr/bin/env bash
# Installs what `make run` / `make test` need, only what is missing, so a second run takes seconds.
#
#   tools/setup.sh build   wasm target, wasm-bindgen-cli (exactly the crate's version), trunk, npm packages
#   tools/setup.sh test    the above, plus Debian chromium, chromium-driver, fonts, and the Python ESDK venv
#
# Nothing here downloads from anywhere but crates.io, npm and Debian (see ../shared/TOOLCHAIN.md).
set -euo pipefail
cd "$(dirname "$0")/.."

want=${1:-build}
TRUNK_VERSION=0.21.14
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '[setup] %s\n' "$*"; }
t0=$(date +%s)

# The wasm-bindgen CLI must match the crate in Cargo.lock to the patch version.
wb_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

WB=$(wb_version)
if [ -z "$WB" ]; then echo "[setup] cannot read the wasm-bindgen version from Cargo.lock" >&2; exit 1; fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB" ] \
  || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $WB (a few minutes, once)"
  # Not --locked: its published lock file pins a crate version this registry lacks.
  cargo install wasm-bindgen-cli --version "$WB" --force
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 12 minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

# npm devDependencies: binaryen (a wasm-opt that reads current wasm-bindgen output), playwright-core,
# typescript, and the @ip-location-db CSVs the WAF's offline geo database is built from (`make pkg`).
# Reinstalled only when package-lock.json changed.
if [ ! -f node_modules/.lock-stamp ] || ! cmp -s package-lock.json node_modules/.lock-stamp; then
  say "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.lock-stamp
fi

# Trunk runs cargo --offline (Trunk.toml): have every crate in the lock file downloaded first.
cargo fetch --locked --quiet

if [ "$want" = test ]; then
  # Chromium + its driver for the browser tests; Noto CJK and emoji so screenshots of Korean text are legible.
  missing=()
  for p in chromium chromium-driver fonts-noto-cjk fonts-noto-color-emoji; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

if [ "$want" = test ]; then
  # The official AWS Encryption SDK for Python, the interop peer of tests/js/esdk.test.mjs.
  if ! .venv/bin/python -c 'import aws_encryption_sdk; assert aws_encryption_sdk.__version__ == "4.0.7"' 2>/dev/null; then
    say "installing the Python ESDK 4.0.7 into .venv"
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check aws-encryption-sdk==4.0.7
  fi
fi

say "ready ($(( $(date +%s) - t0 )) s)"
