#!/usr/bin/env bash
# Installs what `make run` / `make test` need, only what is missing, so a second run takes seconds.
#
#   tools/setup.sh build   wasm target, wasm-bindgen-cli (exactly the crate's version), trunk, npm packages
#   tools/setup.sh test    the above, plus Debian chromium, chromium-driver, firefox-esr, fonts,
#                          geckodriver (crates.io) and the Python venv (ESDK, boto3)
#
# The versions live in tools/versions.env; this script checks them against Cargo.lock and
# package-lock.json and against what is installed. Debian packages go through sudo when not root.
# Nothing here downloads from anywhere but crates.io, npm, PyPI and Debian (see ../shared/TOOLCHAIN.md).
set -euo pipefail
cd "$(dirname "$0")/.."

want=${1:-build}
# shellcheck source=versions.env
. tools/versions.env
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] %s\n' "$*" >&2; exit 1; }
t0=$(date +%s)

# Root runs apt-get itself; anyone else through sudo.
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The wasm-bindgen CLI must match the crate in Cargo.lock to the patch version.
wb_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock
}
binaryen_locked() {
  node -e 'const l = require("./package-lock.json"); console.log(l.packages["node_modules/binaryen"].version)'
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

WB=$(wb_version)
if [ -z "$WB" ]; then die "cannot read the wasm-bindgen version from Cargo.lock"; fi
if [ "$WB" != "$WASM_BINDGEN_VERSION" ]; then
  die "Cargo.lock has wasm-bindgen $WB but tools/versions.env says $WASM_BINDGEN_VERSION: make them agree"
fi
if ! grep -qx "wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" Trunk.toml \
  || ! grep -qx "wasm_opt = \"version_${BINARYEN_VERSION%%.*}\"" Trunk.toml; then
  die "Trunk.toml's [tools] must name wasm-bindgen $WASM_BINDGEN_VERSION and binaryen version_${BINARYEN_VERSION%%.*} (tools/versions.env)"
fi
if [ "$(binaryen_locked)" != "$BINARYEN_VERSION" ]; then
  die "package-lock.json has binaryen $(binaryen_locked) but tools/versions.env says $BINARYEN_VERSION: make them agree"
fi
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
# typescript, axe-core (the e2e accessibility checks), and the @ip-location-db CSVs the WAF's offline geo database is built from (`make pkg`).
# Reinstalled only when package-lock.json changed.
if [ ! -f node_modules/.lock-stamp ] || ! cmp -s package-lock.json node_modules/.lock-stamp; then
  say "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.lock-stamp
fi
if [ "$(node_modules/.bin/wasm-opt --version | awk '{print $3}')" != "${BINARYEN_VERSION%%.*}" ]; then
  die "node_modules/.bin/wasm-opt is not binaryen $BINARYEN_VERSION: remove node_modules and run again"
fi

# Trunk runs cargo --offline (Trunk.toml): have every crate in the lock file downloaded first.
cargo fetch --locked --quiet

if [ "$want" = test ]; then
  # Chromium + its driver for the browser tests; Noto CJK and emoji so screenshots of Korean text are legible.
  missing=()
  for p in chromium chromium-driver firefox-esr fonts-noto-cjk fonts-noto-color-emoji; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi

  # The drivers are found (tools/find-driver.sh), not assumed at one path.
  chromedriver=$(tools/find-driver.sh chromedriver) || die "no chromedriver found: install Debian's chromium-driver"
  browser=$(command -v chromium || command -v chromium-browser || true)
  driver_major=$("$chromedriver" --version | awk '{print $2}' | cut -d. -f1)
  browser_major=$("${browser:-chromium}" --version 2>/dev/null | awk '{print $2}' | cut -d. -f1)
  if [ "$driver_major" != "$browser_major" ]; then
    die "$chromedriver is for Chromium $driver_major but the browser is $browser_major: install the matching pair"
  fi
  if [ "$driver_major" != "$CHROMIUM_MAJOR" ]; then
    say "note: Chromium $driver_major here, the tests were last run with $CHROMIUM_MAJOR (tools/versions.env)"
  fi
  firefox_major=$(firefox-esr --version 2>/dev/null | awk '{print $3}' | cut -d. -f1)
  if [ -z "$firefox_major" ] || [ "$firefox_major" -lt "$FIREFOX_MIN_MAJOR" ]; then
    die "Firefox ${firefox_major:-is missing}: geckodriver $GECKODRIVER_VERSION needs $FIREFOX_MIN_MAJOR or later"
  fi
  if [ "$(geckodriver --version 2>/dev/null | awk 'NR == 1 {print $2}')" != "$GECKODRIVER_VERSION" ]; then
    say "installing geckodriver $GECKODRIVER_VERSION (about 12 minutes, once)"
    cargo install geckodriver --version "$GECKODRIVER_VERSION" --locked --force
  fi
fi

if [ "$want" = test ]; then
  # The official AWS Encryption SDK for Python, the interop peer of tests/js/esdk.test.mjs.
  if ! .venv/bin/python -c 'import aws_encryption_sdk; assert aws_encryption_sdk.__version__ == "4.0.7"' 2>/dev/null; then
    say "installing the Python ESDK 4.0.7 into .venv"
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check aws-encryption-sdk==4.0.7
  fi
  # boto3, the client of the local KMS endpoint in tests/js/kms-server.test.mjs (the ESDK depends on
  # it; pinned to one version so the conformance test always meets the same botocore model).
  if ! .venv/bin/python -c 'import boto3; assert boto3.__version__ == "1.44.8"' 2>/dev/null; then
    say "installing boto3 1.44.8 into .venv"
    .venv/bin/pip install --quiet --disable-pip-version-check boto3==1.44.8
  fi
fi

say "ready ($(( $(date +%s) - t0 )) s)"
