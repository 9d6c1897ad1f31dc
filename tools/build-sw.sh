#!/usr/bin/env bash
# Writes the service worker (www/sw.js) into a built site: <out>/sw.js with this build's id and its
# app shell, and <out>/build.json with the same id. The id is a hash of every file of the build,
# so any change to any file (a page chunk's names are not content-hashed) gives a new worker and
# a new cache. Run by tools/build-chunks.sh after the chunks are in place (Trunk's post_build
# hook); by hand: tools/build-sw.sh <out-dir>
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: tools/build-sw.sh <out-dir>}
[ -f "$out/index.html" ] || { echo "build-sw: no index.html in $out" >&2; exit 1; }
build=$(cd "$out" && find . -type f ! -name sw.js ! -name build.json -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-20)
# The shell: what the home page loads (index.html and the top-level files beside it: the home
# module, its styles, scripts, icon and workers) and the home module's snippets. Not the page
# chunks (pages/) nor pkg/ (the JS package and the 6 MB geo database): cached when first fetched.
shell=$(cd "$out" && { echo ./; find . -maxdepth 1 -type f ! -name sw.js ! -name build.json; \
  find snippets -type f 2>/dev/null || true; } | sed 's|^\./\(.\)|\1|' | sort | sed 's/.*/"&"/' | paste -sd, -)
sed -e "s/__SECPLAY_BUILD__/$build/" -e "s|\"__SECPLAY_SHELL__\"|$shell|" www/sw.js > "$out/sw.js"
printf '{"build":"%s"}\n' "$build" > "$out/build.json"
grep -q __SECPLAY_ "$out/sw.js" && { echo "build-sw: placeholders left in sw.js" >&2; exit 1; }
echo "build-sw: build $build, $(echo "$shell" | tr ',' '\n' | wc -l) shell files"
