// 1,000,000 generated S3 Inventory rows (rows.mjs, the same rows as the native side) through
// `ReplicationEvaluator.push` in wasm under Node, over the built package (pkg/), in 1 MiB chunks
// given as bytes (as the page's worker gives them), with the two configurations of the native bench.
// Prints rows/s (time inside push + finish, generation excluded; by the wall clock and by the process's
// CPU time, which a busy machine does not inflate), the wasm memory and the process's
// RSS at 10 %, 50 % and 100 % of the rows: flat memory means they do not move.
//
// Usage: node bench/s3/wasm.mjs   (BENCH_ROWS: rows, default 1000000)
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { initSync, ReplicationEvaluator } from "../../pkg/secplay.js";
import { row, SCHEMA } from "./rows.mjs";

const wasm = initSync({ module: readFileSync(new URL("../../pkg/secplay_bg.wasm", import.meta.url)) });
const cases = JSON.parse(readFileSync(new URL("../../tests/s3/cases.json", import.meta.url), "utf8"));
const n = Number(process.env.BENCH_ROWS ?? 1_000_000);
const CHUNK = 1 << 20;
const mib = (b) => (b / 1048576).toFixed(1);

function input(perObject) {
  const input = structuredClone(cases.bases.base);
  delete input.objects;
  input.inventory = { fileSchema: SCHEMA };
  if (perObject) {
    const stmt = input.roles["arn:aws:iam::111122223333:role/s3-replication"].policies[0].Statement[3];
    stmt.Condition.StringLike["kms:EncryptionContext:aws:s3:arn"] =
      ["docs", "logs", "img", "backup"].map((d) => `arn:aws:s3:::src-bucket/${d}/*`);
  }
  return input;
}

function run(name, perObject) {
  const ev = new ReplicationEvaluator(input(perObject));
  const enc = new TextEncoder();
  let parts = [], size = 0, spent = 0, cpu = 0, outChars = 0;
  const marks = new Map([[n / 10, null], [n / 2, null]]);
  const sample = () => `${mib(wasm.memory.buffer.byteLength)} MiB wasm, ${mib(process.memoryUsage().rss)} MiB RSS`;
  for (let i = 0; i < n; i++) {
    const r = row(i);
    parts.push(r);
    size += r.length;
    if (size >= CHUNK || i + 1 === n) {
      const bytes = enc.encode(parts.join(""));
      parts = []; size = 0;
      const t = performance.now(), c = process.cpuUsage();
      outChars += ev.push(bytes).length;
      spent += performance.now() - t;
      const d = process.cpuUsage(c);
      cpu += (d.user + d.system) / 1e3;
    }
    if (marks.has(i + 1)) marks.set(i + 1, sample());
  }
  const t = performance.now(), c = process.cpuUsage();
  const done = ev.finish();
  spent += performance.now() - t;
  const d = process.cpuUsage(c);
  cpu += (d.user + d.system) / 1e3;
  ev.free();
  if (done.summary.rows !== n) throw new Error(`${done.summary.rows} rows read of ${n}`);
  console.log(`| ${name} | ${done.summary.evaluated} | ${(spent / 1e3).toFixed(2)} s / ${(cpu / 1e3).toFixed(2)} s | ` +
    `${(n / (spent / 1e3)).toFixed(0)} / ${(n / (cpu / 1e3)).toFixed(0)} | ` +
    `${mib(outChars)} MiB | ${[...marks.values(), sample()].join(" / ")} |`);
}

console.log(`\nsecplay S3 inventory, wasm (pkg/, opt-level 3) in Node ${process.version}: ${n} generated rows in 1 MiB chunks\n`);
console.log("| configuration | distinct evaluations | push + finish: wall / CPU | rows/s: wall / CPU | verdict CSV out | memory at 10 % / 50 % / 100 % |");
console.log("|---|---:|---:|---:|---:|---:|");
run("memoised (no policy names an object)", false);
run("per object (role condition names prefixes)", true);
