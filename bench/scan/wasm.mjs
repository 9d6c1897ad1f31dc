// The scanner in wasm under Node over the built package (pkg/): the throughput text written by
// scan-bench, scanned with `SensitiveDataScanner` in 1 MiB chunks (as the page's worker does) and
// with one `scanSensitiveData` call; MB/s, best of 5 each.
//
// Usage: node bench/scan/wasm.mjs <out-dir>
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { initSync, scanSensitiveData, SensitiveDataScanner } from "../../pkg/secplay.js";

initSync({ module: readFileSync(new URL("../../pkg/secplay_bg.wasm", import.meta.url)) });
const dir = process.argv[2] ?? "target";
const bytes = readFileSync(`${dir}/scan-throughput.txt`);
const mb = bytes.length / 1e6;
const opts = { maxFindings: 0 };

// Best of 5, wall and CPU time (the machine may be shared: wall time counts other jobs' turns too).
function best(f) {
  let t = Infinity, cpu = Infinity, out;
  for (let i = 0; i < 5; i++) {
    const s = performance.now(), c = process.cpuUsage();
    out = f();
    const d = process.cpuUsage(c);
    t = Math.min(t, (performance.now() - s) / 1000);
    cpu = Math.min(cpu, (d.user + d.system) / 1e6);
  }
  return [t, cpu, out];
}
const [ts, cs, rs] = best(() => {
  const s = new SensitiveDataScanner(opts);
  for (let i = 0; i < bytes.length; i += 1 << 20) s.push(bytes.subarray(i, i + (1 << 20)));
  return s.finish();
});
const [t1, c1, r1] = best(() => scanSensitiveData(bytes, opts));
const n = (r) => Object.values(r.counts).reduce((a, b) => a + b, 0);
console.log(`wasm (Node ${process.version}): ${mb.toFixed(1)} MB, ${n(rs)} findings`);
const line = (t, c) => `wall ${t.toFixed(3)} s = ${(mb / t).toFixed(1)} MB/s, CPU ${c.toFixed(3)} s = ${(mb / c).toFixed(1)} MB/s`;
console.log(`  SensitiveDataScanner, 1 MiB chunks: best of 5: ${line(ts, cs)}`);
console.log(`  scanSensitiveData, one call:        best of 5: ${line(t1, c1)} (${n(r1)} findings)`);
