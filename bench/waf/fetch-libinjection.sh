#!/usr/bin/env bash
# Fetches libinjection's C source (BSD-3-Clause) for the benchmark from PyPI's libinjection-python
# sdist into target/libinjection/ (git-ignored; never committed). build.rs compiles it if present.
set -euo pipefail
cd "$(dirname "$0")"
VERSION=1.1.6
SHA256=6f848d07421fb672439fb4552349548a74a9a169efa3e45a0f5703c9eed4710f
DIR=target/libinjection
SRC="$DIR/libinjection-python-$VERSION/libinjection/src"
if [[ -f "$SRC/libinjection_sqli.c" ]]; then
  echo "libinjection $VERSION source already in $SRC"
  exit 0
fi
mkdir -p "$DIR"
# Source only for this package; its build requirements (setuptools, wheel) may come as wheels, which
# pip needs to read the sdist's metadata (`--no-binary :all:` would build setuptools from source).
pip download --quiet --no-deps --no-binary libinjection-python "libinjection-python==$VERSION" -d "$DIR"
echo "$SHA256  $DIR/libinjection-python-$VERSION.tar.gz" | sha256sum --check --quiet
tar -xzf "$DIR/libinjection-python-$VERSION.tar.gz" -C "$DIR"
echo "libinjection $VERSION source in $SRC"
