// The WAF benchmark's wasm half: the same 20-rule web ACL (10,000-entry IP set, SQLi + XSS on query
// and body) and the same requests as the native bench (read from target/waf-bench-input.json, which
// `cargo bench` writes), evaluated through the npm package (`make pkg`) in Node: requests/s.
// Usage: node bench/waf/wasm.mjs [seconds]   (after `make pkg`; SECPLAY_PKG=dir uses another build)
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const inputPath = join(here, 'target', 'waf-bench-input.json');
const pkgDir = process.env.SECPLAY_PKG ?? join(root, 'pkg');
const pkgPath = join(pkgDir, 'secplay.js');
for (const [path, how] of [[pkgPath, 'run `make pkg`'], [inputPath, 'run `cargo bench` in bench/waf first']]) {
  if (!existsSync(path)) {
    console.error(`wasm.mjs: ${path} is missing: ${how}`);
    process.exit(1);
  }
}
const seconds = Number(process.argv[2] ?? 3);
const { initSync, WebAcl } = await import(pkgPath);
initSync({ module: readFileSync(join(pkgDir, 'secplay_bg.wasm')) });
const input = JSON.parse(readFileSync(inputPath, 'utf8'));
const acl = new WebAcl(input.webAcl, input.resources, input.options);
const requests = input.requests;

let blocked = 0;
for (const r of requests) blocked += acl.evaluate(r).action === 'BLOCK' ? 1 : 0;
console.log(`wasm: web ACL with ${input.webAcl.Rules.length} rules, ${acl.capacity()} WCUs; ${requests.length} requests, ${blocked} blocked`);

// Warm up, then run whole batches for `seconds`.
const batch = () => { for (const r of requests) acl.evaluate(r); };
for (let i = 0; i < 2; i++) batch();
const runs = [];
const end = performance.now() + seconds * 1000;
while (performance.now() < end) {
  const t0 = performance.now();
  batch();
  runs.push(performance.now() - t0);
}
runs.sort((a, b) => a - b);
const median = runs[Math.floor(runs.length / 2)];
const rps = requests.length / (median / 1000);
console.log(`wasm (Node ${process.version}): ${Math.round(rps)} requests/s (${(median * 1000 / requests.length).toFixed(2)} µs per request, median of ${runs.length} batches)`);
console.log(`goal: >= 50,000 requests/s in wasm: ${rps >= 50000 ? 'met' : `not met (${(50000 / rps).toFixed(2)}x short)`}`);

// For comparison only (the goal is per-request evaluate): the same requests as one `replay` batch,
// which crosses the JS boundary once and keeps per-rule counts (median of 5 runs).
const replays = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  acl.replay(requests);
  replays.push(performance.now() - t0);
}
replays.sort((a, b) => a - b);
const batchRps = requests.length / (replays[2] / 1000);
console.log(`wasm replay (one batch of ${requests.length}): ${Math.round(batchRps)} requests/s`);

// Side by side with the native figure of the same run of `make bench-waf`, if there is one.
const est = join(here, 'target', 'criterion', 'acl', 'native evaluate', 'new', 'estimates.json');
if (existsSync(est)) {
  const ns = JSON.parse(readFileSync(est, 'utf8')).mean.point_estimate;
  const native = requests.length / (ns / 1e9);
  console.log('\n| 20-rule web ACL | requests/s | µs per request |\n|---|---|---|');
  console.log(`| native (criterion) | ${Math.round(native)} | ${(ns / requests.length / 1000).toFixed(2)} |`);
  console.log(`| wasm (Node) | ${Math.round(rps)} | ${(median * 1000 / requests.length).toFixed(2)} |`);
  console.log(`wasm / native: ${(rps / native).toFixed(2)}x`);
}
