// The log replay in the page (issue 15, part 2): the 1,000,000-record gzip log that
// `cargo run --release --bin waf-logs` wrote (bench/waf/target/waf-logs.jsonl.gz) given to the WAF
// page's replay tab (#/waf/replay) of the built site (dist/) in headless Chromium, and replayed in
// its worker (www/waf-replay-worker.js: 1 MiB slices through the npm package's LogReplayer) through
// the bench's edited 20-rule ACL (target/waf-logs-acl.json, `full`). Prints records/s by the
// worker's clock (from the run message, the package's start included, to finish()) and by the
// renderer processes' CPU time (/proc: the worker is a thread of a renderer; the page's own
// rendering is counted too), the worker's wasm memory before the replay and at 10 %, 50 % and
// 100 % of the file, its JS heap (Chromium's performance.memory, where a worker has it), and the
// renderer processes' peak RSS above idle (VmHWM from /proc).
// Goals: >= 50,000 records/s, <= 64 MiB above idle. A benchmark, not a test: it asserts nothing
// but that every record was read.
// Usage: make bench-waf-page   (or: node bench/waf/page.mjs after `make dist` and the generator)
import { existsSync, readFileSync, statSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { serve, launch, watchedPage, assertClean, rendererPids, procMemory, dist } from "../../tests/e2e/harness.mjs";

const here = new URL(".", import.meta.url);
const logPath = new URL("target/waf-logs.jsonl.gz", here).pathname;
const aclPath = new URL("target/waf-logs-acl.json", here).pathname;
for (const [path, how] of [[`${dist}/waf-replay-worker.js`, "run `make dist`"], [logPath, "run `cargo run --release --bin waf-logs` in bench/waf"], [aclPath, "run the generator"]]) {
  if (!existsSync(path)) {
    console.error(`page.mjs: ${path} is missing: ${how}`);
    process.exit(1);
  }
}
const acls = JSON.parse(readFileSync(aclPath, "utf8"));
const mib = (b) => (b / 1048576).toFixed(1);
const size = statSync(logPath).size;

// CPU seconds (user + system) the renderer processes have used: the worker is a thread of one of
// them, so on a busy machine this times the replay where the wall clock mostly times waiting.
async function cpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
    if (!stat) continue;
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(f[11]) + Number(f[12]); // utime, stime
  }
  return ticks / 100; // USER_HZ
}

const server = await serve();
const browser = await launch(["--enable-precise-memory-info"]);
try {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/waf/replay`);
  await page.waitForSelector("html[data-ready='1']");
  await page.fill("#waf-replay-acl", JSON.stringify(acls.full, null, 2));
  await page.fill("#waf-replay-resources", JSON.stringify(acls.resources));
  await page.setInputFiles("#waf-replay-file", logPath);
  await page.waitForSelector("#waf-replay-chosen");
  const pids = await rendererPids();
  const idleRss = new Map();
  for (const pid of pids) {
    idleRss.set(pid, (await procMemory(pid)).rss);
    await writeFile(`/proc/${pid}/clear_refs`, "5").catch(() => {}); // VmHWM back to the current RSS
  }
  const cpu0 = await cpuSeconds(pids);
  await page.click("#waf-replay-run");
  // The worker's figures at 10 %, 50 % and 100 % of the file, read from the progress as it goes.
  const marks = [];
  let idle = null;
  for (;;) {
    const p = await page.evaluate(() => {
      const el = document.querySelector("#waf-replay-result") ?? document.querySelector("#waf-replay-progress");
      return el ? { done: el.id === "waf-replay-result", ...el.dataset } : null;
    });
    const err = await page.$("#waf-replay-error");
    if (err) throw new Error(`the replay failed: ${await err.textContent()}`);
    if (p) {
      const n = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Number(v)]));
      if (!idle && n.idleWasm > 0) idle = { wasm: n.idleWasm, heap: n.heap };
      while (marks.length < 2 && n.bytes * 10 >= size * [1, 5][marks.length] && !p.done) marks.push(n);
      if (p.done) { marks.push(n); break; }
    }
    await new Promise((ok) => setTimeout(ok, 250));
  }
  const cpu = (await cpuSeconds(pids)) - cpu0;
  let grew = 0;
  for (const pid of pids) {
    const m = await procMemory(pid).catch(() => null);
    if (m) grew = Math.max(grew, m.hwm - idleRss.get(pid));
  }
  const last = marks.at(-1);
  const expected = Number(process.env.BENCH_RECORDS ?? 1_000_000);
  const badLines = Number(await page.textContent("#waf-replay-counts tr[data-key='badLines'] td"));
  if (last.records !== expected || badLines !== 0) throw new Error(`read ${last.records} records (${badLines} bad lines), expected ${expected}`);
  const rate = last.records / (last.ms / 1e3);
  const wasmAbove = last.wasm - idle.wasm;
  const heapAbove = Math.max(0, last.heap - idle.heap);
  console.log(`\nsecplay WAF log replay in the page's worker (headless Chromium, dist/): ${mib(size)} MiB gzipped, ` +
    `${last.records} records, 20-rule edited ACL; ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load ${(await import("node:os")).loadavg()[0].toFixed(1)}\n`);
  console.log("| records/s: wall / renderer CPU | time: wall / CPU | worker wasm idle → 10 % → 50 % → 100 % (MiB) | worker JS heap idle → 10 % → 50 % → 100 % (MiB) | above idle: wasm + heap | renderer VmHWM above idle |");
  console.log("|---:|---:|---:|---:|---:|---:|");
  console.log(`| ${rate.toFixed(0)} / ${(last.records / cpu).toFixed(0)} | ${(last.ms / 1e3).toFixed(1)} s / ${cpu.toFixed(1)} s | ${[idle.wasm, ...marks.map((m) => m.wasm)].map(mib).join(" → ")} | ` +
    `${[idle.heap, ...marks.map((m) => m.heap)].map(mib).join(" → ")} | ${mib(wasmAbove + heapAbove)} MiB | ${mib(grew)} MiB |`);
  console.log(`\ngoals: >= 50,000 records/s: ${rate >= 50_000 ? "met" : "not met"} by the wall clock, ${last.records / cpu >= 50_000 ? "met" : "not met"} by CPU time; ` +
    `<= 64 MiB above idle: ${wasmAbove + heapAbove <= 64 * 1048576 ? "met" : "not met"} (worker wasm + JS heap), ${grew <= 64 * 1048576 ? "met" : "not met"} (renderer peak RSS)` +
    (last.heap === 0 ? "; the worker's JS heap is not reported (performance.memory is not exposed to workers)" : ""));
  assertClean(problems);
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
