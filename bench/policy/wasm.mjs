// secplay's policy evaluator in wasm (the built npm package, pkg/) on the same problems as the
// criterion bench: `evaluatePolicy(input)` at 10, 100 and 1,000 key-policy statements.
//
// Two APIs are timed. `evaluatePolicy` takes JSON in and gives JSON out: every call parses the key
// policy text, evaluates, builds the trace and converts the result to a JS object.
// `CompiledPolicies` parses the policy set once; its `decision(request)` then converts only the
// request and returns a string (the parse-once, evaluate-many shape of the criterion bench). Two input forms are timed: the whole input as JSON
// text (parsed in Rust) and as a JS object (converted by serde-wasm-bindgen, the policy inside as
// text). Compare with the native "ours JSON in/out" column of the criterion table (same work).
//
// Usage: node bench/policy/wasm.mjs INPUTS.json   (INPUTS.json from `cargo run --bin policy-inputs`)
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { initSync, evaluatePolicy, CompiledPolicies } from "../../pkg/secplay.js";

initSync({ module: readFileSync(new URL("../../pkg/secplay_bg.wasm", import.meta.url)) });
const cases = JSON.parse(readFileSync(process.argv[2] ?? 0, "utf8"));

// Times single calls for about `ms` milliseconds after a warm-up; returns sorted durations (µs).
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
const fmt = (us) => (us < 1000 ? `${us.toFixed(1)} µs` : `${(us / 1000).toFixed(2)} ms`);

console.log(`\nsecplay in wasm (Node ${process.version}), evaluatePolicy: parse + evaluate + trace + JSON out per call\n`);
console.log("| statements | input as JSON text: p50 | p90 | input as JS object: p50 | p90 | compiled set, decision: p50 | p90 |");
console.log("|---:|---:|---:|---:|---:|---:|---:|");
for (const { n, input } of cases) {
  const text = JSON.stringify(input);
  const check = evaluatePolicy(text);
  if (check.decision !== "allowed" || evaluatePolicy(input).decision !== "allowed") {
    console.error(`size ${n}: expected "allowed", got ${JSON.stringify(check.decision)}`);
    process.exit(1);
  }
  const asText = sample(() => evaluatePolicy(text), 2000);
  const asObject = sample(() => evaluatePolicy(input), 2000);
  const compiled = new CompiledPolicies({ policies: input.policies, grants: input.grants });
  if (compiled.decision(input.request) !== "allowed") {
    console.error(`size ${n}: the compiled set disagrees`);
    process.exit(1);
  }
  const pre = sample(() => compiled.decision(input.request), 2000);
  console.log(
    `| ${n} | ${fmt(at(asText, 0.5))} | ${fmt(at(asText, 0.9))} | ${fmt(at(asObject, 0.5))} | ${fmt(at(asObject, 0.9))} | ${fmt(at(pre, 0.5))} | ${fmt(at(pre, 0.9))} |`,
  );
}
