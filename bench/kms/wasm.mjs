// In-process KMS calls with enforcement on, in wasm under Node, over the built package (pkg/):
// the same world as the native bench (scenario.json: a user with an identity policy, a key with a
// 10-statement policy) and the same calls (Encrypt, Decrypt, GenerateDataKey) through
// `Kms.call`, which adds the JS boundary (request and response converted between JS objects and
// the engine's JSON) to what the native bench times. Prints p50 / p99 per call in µs.
//
// Usage: node bench/kms/wasm.mjs   (BENCH_MS: time per operation, default 2000)
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { initSync, Kms } from "../../pkg/secplay.js";

initSync({ module: readFileSync(new URL("../../pkg/secplay_bg.wasm", import.meta.url)) });
const s = JSON.parse(readFileSync(new URL("./scenario.json", import.meta.url), "utf8"));
const budget = Number(process.env.BENCH_MS ?? 2000);

// Times single calls for about `ms` milliseconds after a warm-up; sorted durations (µs).
function sample(f, ms) {
  const warm = performance.now() + ms / 4;
  while (performance.now() < warm) f();
  const out = [];
  const end = performance.now() + ms;
  while (performance.now() < end || out.length < 20) {
    const t = performance.now();
    f();
    out.push((performance.now() - t) * 1000);
  }
  return out.sort((a, b) => a - b);
}
const at = (xs, q) => xs[Math.min(xs.length - 1, Math.floor(xs.length * q))];

const kms = new Kms();
kms.addPrincipal(s.principal, s.principalTags);
kms.putIdentityPolicy(s.principal, "use-keys", s.identityPolicy);
// Inside the network the key policy allows (its last statements deny calls from elsewhere).
const admin = { principal: "arn:aws:iam::111122223333:role/Admin", sourceIp: "10.0.0.1" };
const key = kms.call("CreateKey", { Policy: JSON.stringify(s.keyPolicy) }, admin).KeyMetadata.Arn;
const ec = s.encryptionContext;
const enc = { KeyId: key, Plaintext: s.plaintext, EncryptionContext: ec };
const dec = { CiphertextBlob: kms.call("Encrypt", enc, s.caller).CiphertextBlob, EncryptionContext: ec };
const gdk = { KeyId: key, KeySpec: "AES_256", EncryptionContext: ec };

console.log(`\nsecplay KMS in process, wasm in Node ${process.version}: 10-statement key policy + identity policy, enforcement on\n`);
console.log("| operation | p50 | p99 | calls |");
console.log("|---|---:|---:|---:|");
for (const [op, req] of [["Encrypt", enc], ["Decrypt", dec], ["GenerateDataKey", gdk]]) {
  kms.call(op, req, s.caller); // fails loudly (AccessDeniedException …) before anything is timed
  const xs = sample(() => kms.call(op, req, s.caller), budget);
  console.log(`| ${op} | ${at(xs, 0.5).toFixed(1)} µs | ${at(xs, 0.99).toFixed(1)} µs | ${xs.length} |`);
}
