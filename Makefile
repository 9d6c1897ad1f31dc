# secplay: `make run` serves the playground, `make test` runs every test. Both install what is missing.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CARGO_TERM_COLOR ?= never
WASM := wasm32-unknown-unknown
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
PORT ?= 8080
# Tool versions (tools/setup.sh installs and checks them).
include tools/versions.env
# wasm-bindgen-test: the browser runs pick their driver from CHROMEDRIVER / GECKODRIVER (found on
# PATH or where Debian puts them; set either to override). The runner adds headless and --no-sandbox.
ifeq ($(origin CHROMEDRIVER),undefined)
CHROMEDRIVER := $(shell tools/find-driver.sh chromedriver)
endif
ifeq ($(origin GECKODRIVER),undefined)
GECKODRIVER := $(shell tools/find-driver.sh geckodriver)
endif
export WASM_BINDGEN_TEST_TIMEOUT ?= 420
# bench/ and fuzz/ are cargo workspaces of their own: `make lint` checks them in one persistent
# target directory (Cedar alone takes minutes to build the first time).
BENCH_TARGET_DIR ?= $(HOME)/.cache/secplay/bench-target
# The stages of `make test`, in order; each one's time is printed at the end.
TEST_STAGES := setup-test lint test-native test-wasm test-js test-e2e size

.PHONY: help setup setup-test pkg dist run test test-native test-wasm test-js test-e2e lint lint-extra size fuzz bench-policy bench-waf bench-waf-page bench-esdk bench-esdk-browser bench-kms bench-s3 bench-scan clean

help:
	@echo "make run    build and serve the playground on http://127.0.0.1:$(PORT)"
	@echo "make test   every test: fmt, clippy (native + wasm), cargo test, wasm tests (Chromium + Node), JS, end-to-end"
	@echo "make dist   the static site in dist/    make pkg   the JS package in pkg/    make size   wasm sizes"
	@echo "make fuzz   every fuzz target for FUZZ_SECONDS (default 60) each"
	@echo "make bench-policy   the policy engine beside Cedar, native and wasm (not part of make test)"
	@echo "make bench-waf   WAF detectors vs libinjection C, web ACL requests/s natively and in wasm"
	@echo "make bench-waf-page   the 1,000,000-record WAF log replayed in the page's worker in headless Chromium"
	@echo "make bench-esdk  the ESDK engine natively (criterion): MB/s per suite and size beside raw AES-GCM"
	@echo "make bench-esdk-browser   the ESDK engine vs @aws-crypto/client-browser in headless Chromium (BENCH_MIB=100)"
	@echo "make bench-kms   KMS calls in process (native, wasm) and the local endpoint beside moto (requests/s)"
	@echo "make bench-s3    1,000,000 S3 Inventory rows through the replication evaluator, native and wasm (rows/s, memory)"
	@echo "make bench-scan  the sensitive-data scanner beside Presidio and detect-secrets (P/R/F1), MB/s native and wasm"

setup:
	@tools/setup.sh build

setup-test:
	@tools/setup.sh test

# npm packages: setup.sh reinstalls them when package-lock.json changed and writes the stamp
# (setup runs first, and only once, even under make -j).
node_modules/.lock-stamp: package-lock.json | setup
	touch $@

# The offline geo database (src/waf/geo.rs) from the @ip-location-db npm packages; rebuilt only when
# the CSVs, the lock file (npm stamps every file 1985, so a new version shows in the lock file) or
# the generator change. Not in git: it is about 6 MB.
GEO_DB := www/generated/geo.bin
GEO_CSV := $(foreach f,geo-whois-asn-country/geo-whois-asn-country-ipv4-num geo-whois-asn-country/geo-whois-asn-country-ipv6-num asn/asn-ipv4-num asn/asn-ipv6-num,node_modules/@ip-location-db/$(f).csv)
$(GEO_CSV): node_modules/.lock-stamp ;
$(GEO_DB): $(GEO_CSV) package-lock.json tools/geo-build.mjs
	node tools/geo-build.mjs $@

# The npm-ready package: ESM for browsers and Node 20 (initSync), with TypeScript types, and the
# geo database (geo.bin, its licences in geo-LICENSE.txt), and the local KMS endpoint `secplay-kms-server`
# (bin/, from src/js/bin/). Built with the `pkg` cargo profile
# (release at opt-level 3: the WAF and ESDK run ~1.6x faster than at "z"); the page's own wasm
# (Trunk, `release`) stays size-optimised. A file target: rebuilt only when a library source, the
# manifest, the lock file or the geo database changed (package.json is written last).
LIB_SRC := $(shell find src -type f -not -path 'src/bin/*') Cargo.toml Cargo.lock
PKG := pkg/package.json
pkg: $(PKG)
$(PKG): $(LIB_SRC) $(GEO_DB) tools/pkg-json.mjs | setup
	cargo build --profile pkg --lib --target $(WASM)
	rm -rf pkg $(TARGET_DIR)/size/pkg
	wasm-bindgen --target web --out-dir $(TARGET_DIR)/size/pkg --out-name secplay $(TARGET_DIR)/$(WASM)/pkg/secplay.wasm
	mkdir -p pkg
	cp $(TARGET_DIR)/size/pkg/secplay.js $(TARGET_DIR)/size/pkg/secplay.d.ts $(TARGET_DIR)/size/pkg/secplay_bg.wasm.d.ts pkg/
	cp -r $(TARGET_DIR)/size/pkg/snippets pkg/
	wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
	  --enable-reference-types --enable-multivalue $(TARGET_DIR)/size/pkg/secplay_bg.wasm -o pkg/secplay_bg.wasm
	cp $(GEO_DB) $(dir $(GEO_DB))geo-LICENSE.txt pkg/
	mkdir -p pkg/bin
	cp src/js/bin/secplay-kms-server.mjs pkg/bin/
	node tools/pkg-json.mjs

# The static site: deployable to any static host as is. A file target like the package: a second
# `make run` with nothing changed serves at once.
DIST := dist/index.html
dist: $(DIST)
$(DIST): $(PKG) $(shell find src www -type f) index.html Trunk.toml Cargo.toml tools/build-chunks.sh tools/build-sw.sh | setup
	trunk build --release
	touch $@

run: $(DIST)
	@echo "secplay: http://127.0.0.1:$(PORT)/  (Ctrl-C stops)"
	python3 -m http.server $(PORT) --bind 127.0.0.1 --directory dist

lint: lint-extra
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --all-targets --target $(WASM) -- -D warnings
	cargo clippy --target $(WASM) --no-default-features --features page-chunks --bins -- -D warnings

# bench/* and fuzz/ compile against today's library, with their lock files as committed.
lint-extra:
	for d in bench/esdk bench/waf bench/policy bench/kms bench/s3 bench/scan fuzz; do \
	  (cd $$d && CARGO_TARGET_DIR=$(BENCH_TARGET_DIR) cargo check --locked --quiet --all-targets) || { echo "lint: $$d does not compile"; exit 1; }; \
	done

test-native:
	cargo test

# The shared engine cases in headless Chromium and headless Firefox (tests/web.rs, once per browser;
# tests/keystore_web.rs: the key store on real IndexedDB)
# and in Node (tests/node.rs). The runner takes GECKODRIVER over CHROMEDRIVER, so each run sets one.
test-wasm:
	@test -n "$(CHROMEDRIVER)" || { echo "test-wasm: no chromedriver (run make setup-test)"; exit 1; }
	@test -n "$(GECKODRIVER)" || { echo "test-wasm: no geckodriver (run make setup-test)"; exit 1; }
	cargo test --target $(WASM) --test node
	env -u GECKODRIVER CHROMEDRIVER=$(CHROMEDRIVER) cargo test --target $(WASM) --test web --test keystore_web --test esdk_hash_web
	env -u CHROMEDRIVER GECKODRIVER=$(GECKODRIVER) cargo test --target $(WASM) --test web --test keystore_web --test esdk_hash_web

test-js: $(PKG)
	node --test tests/js/*.test.mjs
	tsc -p tests/js/tsconfig.json

test-e2e: $(DIST)
	node --test --test-concurrency=1 tests/e2e/*.test.mjs

test:
	@start=$$(date +%s); times=""; \
	for stage in $(TEST_STAGES); do \
	  t=$$(date +%s); \
	  $(MAKE) --no-print-directory $$stage || { echo "make test: $$stage failed after $$(( $$(date +%s) - t )) s"; exit 1; }; \
	  times="$$times$$(printf '  %-12s %5d s' $$stage $$(( $$(date +%s) - t )))"$$'\n'; \
	done; \
	printf 'make test: stage times\n%s' "$$times"; \
	echo "make test: all green in $$(( $$(date +%s) - start )) s"

size:
	@tools/size.sh "$(TARGET_DIR)"

# Not part of `make test` (time): FUZZ_SECONDS per target, default 60.
fuzz: pkg
	tools/fuzz.sh $(or $(FUZZ_SECONDS),60)

# Not part of `make test`: the policy engine beside cedar-policy (bench/policy, its own cargo
# workspace; the first release build of Cedar takes minutes). BENCH_JOBS is cargo's -j (default 1).
BENCH_JOBS ?= 1
bench-policy: pkg
	cd bench/policy && cargo run --release -j $(BENCH_JOBS) --quiet --bin policy-inputs > $(TARGET_DIR)/policy-inputs.json
	cd bench/policy && cargo bench -j $(BENCH_JOBS) --bench policy
	node bench/policy/wasm.mjs $(TARGET_DIR)/policy-inputs.json

# Not part of `make test` (a benchmark, minutes): bench/waf is its own Cargo project. Fetches
# libinjection's C source from PyPI into bench/waf/target (never committed); without it the
# table shows n/a for the C library. The Rust port libinjectionrs (crates.io) is a third column.
# Then the log replay: a generated 1,000,000-record WAF log (gzip, about 43 MB, in bench/waf/target)
# replayed natively and in wasm (BENCH_RECORDS changes the count).
bench-waf: pkg
	bench/waf/fetch-libinjection.sh || echo "bench-waf: libinjection C source unavailable; comparing without it"
	cd bench/waf && cargo bench -j $(BENCH_JOBS) --bench waf
	node bench/waf/wasm.mjs
	cd bench/waf && cargo run --release -j $(BENCH_JOBS) --quiet --bin waf-logs
	node bench/waf/logs.mjs

# Not part of `make test` (a benchmark, minutes): the generated 1,000,000-record WAF log (written by
# the generator of bench-waf when missing) replayed in the page's worker (#/waf/replay) in headless
# Chromium: records/s and the worker's memory.
bench-waf-page: $(DIST)
	test -f bench/waf/target/waf-logs.jsonl.gz || (cd bench/waf && cargo run --release -j $(BENCH_JOBS) --quiet --bin waf-logs)
	node bench/waf/page.mjs

# Not part of `make test`: the ESDK engine natively (bench/esdk, its own cargo workspace).
bench-esdk:
	cd bench/esdk && cargo bench -j $(BENCH_JOBS) --bench esdk

# Not part of `make test` (a benchmark, minutes): bench/esdk-browser is its own npm project (the peer,
# esbuild, playwright-core; its node_modules stay there). Ours is pkg/; the peer is bundled by esbuild.
bench-esdk-browser: pkg
	cd bench/esdk-browser && npm ci --no-audit --no-fund && node build.mjs && node run.mjs

# Not part of `make test` (a benchmark, about a minute): the KMS emulator in process with enforcement
# on (bench/kms, its own cargo workspace, then wasm in Node), and the local endpoint beside moto in
# server mode (PyPI, pinned in bench/kms/requirements.txt, in its own virtualenv bench/kms/.venv,
# never the test one). BENCH_MS per in-process operation, BENCH_SECONDS per endpoint.
KMS_BENCH_VENV := bench/kms/.venv/.installed
$(KMS_BENCH_VENV): bench/kms/requirements.txt
	python3 -m venv bench/kms/.venv
	bench/kms/.venv/bin/pip install --quiet --disable-pip-version-check -r bench/kms/requirements.txt
	touch $@
bench-kms: pkg $(KMS_BENCH_VENV)
	cd bench/kms && cargo run --release -j $(BENCH_JOBS) --quiet --bin kms-inprocess
	node bench/kms/wasm.mjs
	node bench/kms/endpoint.mjs

# Not part of `make test` (a benchmark, about a minute): 1,000,000 generated S3 Inventory rows through
# the streaming replication evaluator natively (bench/s3, its own cargo workspace) and in wasm in
# Node over pkg/: rows/s and memory at 10 %, 50 % and 100 % of the rows. BENCH_ROWS changes the count.
bench-s3: pkg
	cd bench/s3 && cargo run --release -j $(BENCH_JOBS) --quiet --bin s3-inventory
	node bench/s3/wasm.mjs

# Not part of `make test` (a benchmark, a few minutes): the labelled set (tests/scan/corpus.rs) through
# ours (bench/scan, its own cargo workspace) and through Presidio's pattern recognizers and
# detect-secrets (PyPI, pinned in bench/scan/requirements.txt, in their own virtualenv
# bench/scan/.venv); precision/recall/F1 per type, then MB/s natively and in wasm in Node over pkg/.
SCAN_BENCH_VENV := bench/scan/.venv/.installed
$(SCAN_BENCH_VENV): bench/scan/requirements.txt
	python3 -m venv bench/scan/.venv
	bench/scan/.venv/bin/pip install --quiet --disable-pip-version-check -r bench/scan/requirements.txt
	touch $@
bench-scan: pkg $(SCAN_BENCH_VENV)
	cd bench/scan && cargo run --release -j $(BENCH_JOBS) --quiet --bin scan-bench -- $(TARGET_DIR)/scan-bench
	bench/scan/.venv/bin/python bench/scan/peers.py $(TARGET_DIR)/scan-bench
	node bench/scan/wasm.mjs $(TARGET_DIR)/scan-bench

clean:
	rm -rf dist pkg www/generated target bench/policy/target bench/waf/target bench/esdk/target bench/kms/target bench/s3/target bench/scan/target bench/kms/.venv bench/scan/.venv bench/esdk-browser/node_modules bench/esdk-browser/build
