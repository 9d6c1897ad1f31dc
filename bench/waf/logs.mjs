// The log replay's wasm half: the 1,000,000-record gzip log `cargo run --release --bin waf-logs`
// wrote (bench/waf/target/waf-logs.jsonl.gz) through the npm package's `LogReplayer` (pkg/) in
// Node, in 1 MiB chunks given as bytes (as the page's worker gives them): once as the gzip file,
// once as its text (inflated by node:zlib outside the timing). Prints records/s (time inside push
// and finish; wall clock and the process's CPU time, which a busy machine does not inflate) and
// the wasm memory and process RSS at 10 %, 50 % and 100 % of the input: flat memory means they do
// not move. The edited ACLs are the native side's (target/waf-logs-acl.json: the bench's 20 rules
// with `block-admin` counting and `/comments` blocked, and the same without the SQLi/XSS rules).
// Usage: node bench/waf/logs.mjs   (after `make pkg` and the native run)
import { readFileSync, existsSync, openSync, readSync, closeSync, statSync } from "node:fs";
import { createGunzip } from "node:zlib";
import { createReadStream } from "node:fs";
import { performance } from "node:perf_hooks";

const here = new URL(".", import.meta.url);
const logPath = new URL("target/waf-logs.jsonl.gz", here).pathname;
const pkgUrl = new URL("../../pkg/secplay.js", here);
for (const [path, how] of [[pkgUrl.pathname, "run `make pkg`"], [logPath, "run `cargo run --release --bin waf-logs` in bench/waf first"]]) {
  if (!existsSync(path)) {
    console.error(`logs.mjs: ${path} is missing: ${how}`);
    process.exit(1);
  }
}
const { initSync, LogReplayer } = await import(pkgUrl);
const wasm = initSync({ module: readFileSync(new URL("../../pkg/secplay_bg.wasm", here)) });
const mib = (b) => (b / 1048576).toFixed(1);
const CHUNK = 1 << 20;

const aclPath = new URL("target/waf-logs-acl.json", here).pathname;
const acls = JSON.parse(readFileSync(aclPath, "utf8"));

function measure(name, acl, chunks, total) {
  const r = new LogReplayer(acl, acls.resources);
  const idle = { wasm: wasm.memory.buffer.byteLength, rss: process.memoryUsage().rss };
  let spent = 0, cpu = 0, seen = 0;
  const marks = [];
  const sample = () => `${mib(wasm.memory.buffer.byteLength)} / ${mib(process.memoryUsage().rss)}`;
  const timed = (f) => {
    const t = performance.now(), c = process.cpuUsage();
    const out = f();
    spent += performance.now() - t;
    const d = process.cpuUsage(c);
    cpu += (d.user + d.system) / 1e3;
    return out;
  };
  return (async () => {
    for await (const chunk of chunks) {
      timed(() => r.push(chunk));
      seen += chunk.length;
      while (marks.length < 2 && seen * 10 >= total * [1, 5][marks.length]) marks.push(sample());
    }
    const d = timed(() => r.finish());
    marks.push(sample());
    r.free();
    console.log(`| ${name} | ${d.records} | ${d.unchanged} / ${d.newlyBlocked} / ${d.newlyAllowed} | ${(spent / 1e3).toFixed(2)} s / ${(cpu / 1e3).toFixed(2)} s | ` +
      `${(d.records / (spent / 1e3)).toFixed(0)} / ${(d.records / (cpu / 1e3)).toFixed(0)} | ${mib(idle.wasm)} / ${mib(idle.rss)} | ${marks.join(" → ")} |`);
    return d;
  })();
}

// The gzip file in 1 MiB slices (read outside the timing).
function* fileChunks(path) {
  const fd = openSync(path, "r");
  try {
    for (;;) {
      const buf = new Uint8Array(CHUNK);
      const got = readSync(fd, buf, 0, CHUNK, null);
      if (got === 0) return;
      yield buf.subarray(0, got);
    }
  } finally {
    closeSync(fd);
  }
}

// The same log as text: node:zlib inflates (outside the timing); regrouped into 1 MiB chunks.
async function* textChunks(path) {
  let parts = [], size = 0;
  for await (const piece of createReadStream(path).pipe(createGunzip())) {
    parts.push(piece); size += piece.length;
    if (size >= CHUNK) { yield new Uint8Array(Buffer.concat(parts)); parts = []; size = 0; }
  }
  if (size) yield new Uint8Array(Buffer.concat(parts));
}

const gzSize = statSync(logPath).size;
console.log(`\nsecplay WAF log replay, wasm (pkg/, opt-level 3) in Node ${process.version}: ${logPath}, ${mib(gzSize)} MiB gzipped, 1 MiB chunks\n`);
console.log("| input | records | unchanged / newly blocked / newly allowed | push + finish: wall / CPU | records/s: wall / CPU | idle: wasm / RSS MiB | wasm / RSS MiB at 10 % → 50 % → 100 % |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
const a = await measure("20 rules, gzip file", acls.full, fileChunks(logPath), gzSize);
let textSize = 0;
for await (const c of textChunks(logPath)) textSize += c.length;
const b = await measure("20 rules, JSON lines (text)", acls.full, textChunks(logPath), textSize);
await measure("15 rules (no SQLi/XSS), JSON lines", acls.light, textChunks(logPath), textSize);
if (a.records !== b.records || a.newlyBlocked !== b.newlyBlocked) throw new Error("gzip and text replays differ");
