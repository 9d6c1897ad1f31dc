#!/usr/bin/env bash
# Runs every fuzz target for a while (default 60 s each) and prints the executions each one ran.
#   tools/fuzz.sh [SECONDS] [TARGET...]
# cargo-fuzz needs nightly flags; on this stable-only machine RUSTC_BOOTSTRAP=1 lets stable rustc
# accept them (the sanitizer runtimes ship with the stable toolchain). Seeds come from ../shared/vectors.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH" RUSTC_BOOTSTRAP=1
secs=${1:-60}; shift || true
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.2 --locked
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cd fuzz && cargo fuzz list)

seed() {  # seed <target> : one file per interesting input from the shared vectors
  local dir="fuzz/corpus/$1"; mkdir -p "$dir"
  [ -n "$(ls -A "$dir" 2>/dev/null)" ] && return
  case "$1" in
    policy_*) python3 - "$dir" <<'PY'
import json, sys, hashlib, pathlib
out = pathlib.Path(sys.argv[1])
cases = json.load(open("../shared/vectors/iam/policy-eval-cases.json"))["cases"]
def put(obj):
    b = json.dumps(obj, indent=1).encode()
    (out / hashlib.sha1(b).hexdigest()).write_bytes(b)
for c in cases:
    put({"request": c["request"], "policies": c["policies"]})
    for p in c["policies"].get("identity", []):
        put(p)
PY
    ;;
    esdk_*) for f in ../shared/vectors/esdk/generated/python-esdk-4.0.7/ciphertexts/*; do cp "$f" "$dir/"; done
            # Real messages under the target's own keyring (needs `make pkg`), so mutations get past the keyring.
            [ -f pkg/secplay.js ] && node --input-type=module -e '
              import { readFileSync, writeFileSync } from "node:fs";
              import { initSync, esdkEncrypt } from "./pkg/secplay.js";
              initSync({ module: readFileSync("pkg/secplay_bg.wasm") });
              const keyrings = [{ type: "raw-aes", namespace: "fuzz", name: "k", key: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=" }];
              for (const suiteId of [0x0014, 0x0178, 0x0378, 0x0478, 0x0578])
                for (const n of [0, 100, 300])
                  writeFileSync(`'"$dir"'/own-${suiteId}-${n}`, await esdkEncrypt(new Uint8Array(n).fill(7), { keyrings, suiteId, frameLength: 128,
                    commitmentPolicy: suiteId < 0x0478 ? "FORBID_ENCRYPT_ALLOW_DECRYPT" : "REQUIRE_ENCRYPT_REQUIRE_DECRYPT" }));' ;;
    waf) cp ../shared/vectors/waf/sample-get-web-acl.json "$dir/"
         head -n 300 ../shared/vectors/waf/sqli.txt | split -l 1 - "$dir/sqli-"
         head -n 300 ../shared/vectors/waf/xss.txt | split -l 1 - "$dir/xss-" ;;
    waf_geo) # The empty database and a small real one (the first rows of each CSV), so mutations reach
             # the tables rather than dying at the magic bytes.
             printf 'SPGD\001\000\000\000\000\000' > "$dir/empty"
             [ -f node_modules/@ip-location-db/asn/package.json ] && node --input-type=module -e '
               import { writeFileSync } from "node:fs";
               import { readTables, encode } from "./tools/geo-build.mjs";
               writeFileSync("'"$dir"'/small", encode(readTables().map((t) => t.slice(0, 40)), "fuzz seed").bytes);' ;;
    waf_logs) # The AWS WAF log fixtures, as text and as gzip (one and two members), each after the
              # byte that picks the chunk size (fuzz/fuzz_targets/waf_logs.rs).
              for f in tests/waf/data/aws-log-examples*.jsonl*; do
                { printf '\007'; cat "$f"; } > "$dir/$(basename "$f")"
              done ;;
    keystore) # A record and a backup made by the package, so mutations get past the magic bytes.
              [ -f pkg/secplay.js ] && node --input-type=module -e '
                import { readFileSync, writeFileSync } from "node:fs";
                import { initSync, KeyStore } from "./pkg/secplay.js";
                initSync({ module: readFileSync("pkg/secplay_bg.wasm") });
                const ks = await KeyStore.open("fuzz");
                await ks.unlock("fuzz seed");
                await ks.put("k", { kind: "raw-aes-keyring", name: "k", data: new Uint8Array(32).fill(7) });
                writeFileSync("'"$dir"'/record", await ks.rawRecord("k"));
                writeFileSync("'"$dir"'/backup", ks.exportBackup());' ;;
    kms_wire) # Requests in the target's own framing (fuzz/fuzz_targets/kms_wire.rs): a first byte with
              # the low bit set asks the target to sign, so mutations reach the operations.
              for op in 'CreateKey {"Description":"d","KeySpec":"ECC_NIST_P256","KeyUsage":"SIGN_VERIFY"}' 'ListKeys {}' \
                        'GenerateRandom {"NumberOfBytes":32}' 'Encrypt {"KeyId":"alias/none","Plaintext":"aGk="}' 'ListAliases {"Limit":5}'; do
                printf '\001POST /\r\nX-Amz-Target: TrentService.%s\r\nContent-Type: application/x-amz-json-1.1\r\n\r\n%s' \
                  "${op%% *}" "${op#* }" > "$dir/${op%% *}"
              done
              printf '\000POST /\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIAAAAAAAAAAAAAAAAA/20260528/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=%064d\r\n\r\n{}' 0 > "$dir/unsigned" ;;
    acm_pem) cp tests/acm/data/*.pem tests/acm/data/*.der "$dir/" ;;
    fms) # The page's example and the test organisation, whole and as options with a request.
         # Minified, so they fit in -max_len.
         for f in src/fms/examples/org.json src/fms/examples/policies.json tests/fms/org.json; do
           python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1])), separators=(",", ":")))' "$f" \
             > "$dir/$(echo "$f" | tr / -)"
         done
         printf '{"at":600,"resource":"arn:aws:elasticloadbalancing:eu-west-1:222222222222:loadbalancer/app/shop/50dc6c495c0c9188","request":{"uri":"/admin"}}' > "$dir/options" ;;
    *) printf '{"algorithm":"RSA-OAEP-256+A256GCM","wrappedKey":"","iv":"","ciphertext":"","tag":""}' > "$dir/seed" ;;
  esac
}

for t in "${targets[@]}"; do
  seed "$t"
  (cd fuzz && cargo fuzz build -O "$t" >/dev/null)
  log=$(mktemp)
  (cd fuzz && cargo fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=4096 -print_final_stats=1) >"$log" 2>&1 \
    || { tail -40 "$log"; echo "fuzz: $t FAILED"; exit 1; }
  execs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
  printf 'fuzz %-22s %10s execs in %ss, no crash\n' "$t" "$execs" "$secs"
done
