// ESDK browser bench (make bench-esdk-browser): secplay's ESDK engine (pkg/secplay.js, from `make pkg`)
// beside @aws-crypto/client-browser 4.2.2 in one headless Chromium run, raw AES-256 keyring, frame 4096,
// suites 0x0478 and 0x0578; WebCrypto AES-256-GCM one-shot as the ceiling. A benchmark, not a test:
// it prints figures and asserts no speed goal (it fails only if a round trip or interop check fails).
//
// Env: BENCH_MIB (large size, default 100), BENCH_SECONDS (per 1 KiB op, default 1.5), CHROMIUM.
import { createServer } from "node:http";
import { readFile, readdir, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "..", "..");
const LARGE = Number(process.env.BENCH_MIB ?? 100) * 1024 * 1024;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1.5);
const SUITES = [0x0478, 0x0578];
const MB = 1e6;

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm" };

// Static server on loopback: /pkg/ from the project's pkg/, everything else from this folder.
async function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = path.startsWith("/pkg/") ? join(root, path) : join(here, path === "/" ? "index.html" : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((ok) => server.close(ok)) };
}

// --- renderer memory: /proc/PID/status of Chromium renderers descended from this process ----------

async function procTable() {
  const table = new Map();
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const cmd = readFileSync(`/proc/${name}/cmdline`, "utf8");
      table.set(Number(name), { ppid, renderer: cmd.includes("--type=renderer") });
    } catch { /* gone */ }
  }
  return table;
}

async function ourRenderers() {
  const table = await procTable();
  const mine = (pid) => { for (let p = pid, i = 0; p > 1 && i < 64; p = table.get(p)?.ppid ?? 0, i++) if (p === process.pid) return true; return false; };
  return [...table].filter(([pid, t]) => t.renderer && mine(pid)).map(([pid]) => pid);
}

function status(pid) {
  const text = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN);
  return { rss: kib("VmRSS"), hwm: kib("VmHWM") };
}

// "5" resets VmHWM to the current RSS (Documentation/filesystems/proc.rst).
async function resetPeak(pids) {
  for (const pid of pids) await writeFile(`/proc/${pid}/clear_refs`, "5").catch(() => {});
  return new Map(pids.map((pid) => [pid, status(pid).rss]));
}

function peakDeltaMiB(base) {
  let best = 0;
  for (const [pid, rss] of base) {
    try { best = Math.max(best, status(pid).hwm - rss); } catch { /* gone */ }
  }
  return best / 1024;
}

// --- driving pages -----------------------------------------------------------------------------------

async function openPage(browser, origin) {
  const before = new Set(await ourRenderers());
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route("**/*", (route) => (route.request().url().startsWith(origin + "/") ? route.continue() : route.abort()));
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(origin + "/");
  await page.evaluate(() => window.benchReady);
  const fresh = (await ourRenderers()).filter((pid) => !before.has(pid));
  return { page, context, errors, renderers: fresh.length ? fresh : await ourRenderers() };
}

const call = (page, fn, ...args) => page.evaluate(([f, a]) => window.bench[f](...a), [fn, args]);
const gc = (page) => page.evaluate(() => { window.gc?.(); return true; });

// One large case in a fresh page: returns { encMBs, decMBs, encPeak, decPeak, encHeap, decHeap }.
async function large(browser, origin, side, suite) {
  const [encOp, decOp] = { ours: ["oursStreamEncrypt", "oursStreamDecrypt"], sink: ["oursSinkEncrypt", "oursSinkDecrypt"], peer: ["peerEncrypt", "peerDecrypt"], gcm: ["gcmEncrypt", "gcmDecrypt"], frames: ["framesEncrypt", "framesDecrypt"], worker: ["workerEncrypt", "workerDecrypt"] }[side];
  const out = {};
  for (const phase of ["enc", "dec"]) {
    const { page, context, errors, renderers } = await openPage(browser, origin);
    try {
      await call(page, "warm", side, suite);
      await call(page, "setup", LARGE);
      if (side === "worker") await call(page, "stage");
      if (phase === "dec") await call(page, "timed", encOp, suite, "pt", "ct");
      await gc(page);
      const base = await resetPeak(renderers);
      const r = phase === "enc"
        ? await call(page, "timed", encOp, suite, "pt", "ct")
        : await call(page, "timed", decOp, suite, "ct", "back");
      out[`${phase}Peak`] = peakDeltaMiB(base);
      // performance.memory (precise, counts ArrayBuffers here) after the op, output still held: a
      // cross-check of the RSS figure; it cannot be sampled mid-op (SubtleCrypto runs inside the call).
      out[`${phase}Heap`] = (r.heapAfter - r.heapBefore) / 1048576;
      out[`${phase}MBs`] = LARGE / MB / (r.ms / 1000);
      if (r.split) console.error(`${side} ${hex(suite)} ${phase}: ms reading / in the engine / writing the files: ${Object.values(r.split).map((x) => x.toFixed(0)).join(" / ")}`);
      if (phase === "enc") {
        await call(page, "timed", decOp, suite, "ct", "back");
      }
      if (!(await call(page, "check", "back"))) throw new Error(`${side} ${hex(suite)}: 100 MiB round trip differs`);
      if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
    } finally {
      await context.close();
    }
  }
  return out;
}

const hex = (s) => "0x" + s.toString(16).padStart(4, "0");
const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? (a / b).toFixed(2) + "×" : "n/a");

async function main() {
  const server = await serve();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--enable-precise-memory-info",
      "--js-flags=--expose-gc"],
  });
  const rows = [];
  const row = (...cells) => { rows.push(cells); };
  try {
    console.error(`chromium ${browser.version()}; large size ${LARGE / 1048576} MiB`);
    // Correctness first: each side reads its own messages and the other's.
    {
      const { page, context, errors } = await openPage(browser, server.origin);
      for (const suite of SUITES) {
        for (const size of [1024, 1 << 20]) {
          const r = await call(page, "interop", suite, size);
          console.error(`interop ${hex(suite)} ${size} B: ${JSON.stringify(r)}`);
          if (!Object.values(r).every(Boolean)) throw new Error(`interop failed for ${hex(suite)}: ${JSON.stringify(r)}`);
        }
      }
      if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
      await context.close();
    }
    for (const suite of SUITES) {
      const s = hex(suite);
      // 1 KiB: ops/s (one-shot API on both sides), in one page, warmed up.
      {
        const { page, context } = await openPage(browser, server.origin);
        await call(page, "opsPerSecond", "ours", suite, 1024, 0.3);
        await call(page, "opsPerSecond", "peer", suite, 1024, 0.3);
        const o = await call(page, "opsPerSecond", "ours", suite, 1024, SECONDS);
        const p = await call(page, "opsPerSecond", "peer", suite, 1024, SECONDS);
        row(s, "1 KiB encrypt (ops/s)", fmt(o.enc, 0), fmt(p.enc, 0), ratio(o.enc, p.enc));
        row(s, "1 KiB decrypt (ops/s)", fmt(o.dec, 0), fmt(p.dec, 0), ratio(o.dec, p.dec));
        // 1 MiB: MB/s, best of 5 (one-shot API on both sides).
        await call(page, "throughput", "ours", suite, 1 << 20, 2);
        await call(page, "throughput", "peer", suite, 1 << 20, 2);
        const o1 = await call(page, "throughput", "ours", suite, 1 << 20, 5);
        const p1 = await call(page, "throughput", "peer", suite, 1 << 20, 5);
        const mbs = (ms) => (1 << 20) / MB / (ms / 1000);
        row(s, "1 MiB encrypt (MB/s)", fmt(mbs(o1.encMs)), fmt(mbs(p1.encMs)), ratio(p1.encMs, o1.encMs));
        row(s, "1 MiB decrypt (MB/s)", fmt(mbs(o1.decMs)), fmt(mbs(p1.decMs)), ratio(p1.decMs, o1.decMs));
        await context.close();
      }
      console.error(`${s}: small sizes done; ${LARGE / 1048576} MiB next`);
      const o = await large(browser, server.origin, "ours", suite);
      const sk = await large(browser, server.origin, "sink", suite);
      const wk = await large(browser, server.origin, "worker", suite);
      const p = await large(browser, server.origin, "peer", suite);
      const L = `${LARGE / 1048576} MiB`;
      row(s, `${L} encrypt (MB/s)`, fmt(o.encMBs), fmt(p.encMBs), ratio(o.encMBs, p.encMBs));
      row(s, `${L} decrypt (MB/s)`, fmt(o.decMBs), fmt(p.decMBs), ratio(o.decMBs, p.decMBs));
      row(s, `${L} encrypt peak RSS (+MiB)`, fmt(o.encPeak), fmt(p.encPeak), ratio(o.encPeak, p.encPeak));
      row(s, `${L} decrypt peak RSS (+MiB)`, fmt(o.decPeak), fmt(p.decPeak), ratio(o.decPeak, p.decPeak));
      row(s, `${L} encrypt, output to an OPFS file (MB/s)`, fmt(sk.encMBs), fmt(p.encMBs), ratio(sk.encMBs, p.encMBs));
      row(s, `${L} decrypt, output to an OPFS file (MB/s)`, fmt(sk.decMBs), fmt(p.decMBs), ratio(sk.decMBs, p.decMBs));
      row(s, `${L} encrypt, output to an OPFS file, peak RSS (+MiB)`, fmt(sk.encPeak), fmt(p.encPeak), ratio(sk.encPeak, p.encPeak));
      row(s, `${L} decrypt, output to an OPFS file, peak RSS (+MiB)`, fmt(sk.decPeak), fmt(p.decPeak), ratio(sk.decPeak, p.decPeak));
      row(s, `${L} encrypt, file to file in a worker (MB/s)`, fmt(wk.encMBs), fmt(p.encMBs), ratio(wk.encMBs, p.encMBs));
      row(s, `${L} decrypt, file to file in a worker (MB/s)`, fmt(wk.decMBs), fmt(p.decMBs), ratio(wk.decMBs, p.decMBs));
      row(s, `${L} encrypt, file to file in a worker, peak RSS (+MiB)`, fmt(wk.encPeak), fmt(p.encPeak), ratio(wk.encPeak, p.encPeak));
      row(s, `${L} decrypt, file to file in a worker, peak RSS (+MiB)`, fmt(wk.decPeak), fmt(p.decPeak), ratio(wk.decPeak, p.decPeak));
      console.error(`${s} JS heap after the op, output held (+MiB): ours enc ${fmt(o.encHeap)} dec ${fmt(o.decHeap)}, ` +
        `peer enc ${fmt(p.encHeap)} dec ${fmt(p.decHeap)}`);
    }
    const g = await large(browser, server.origin, "gcm", 0);
    const fr = await large(browser, server.origin, "frames", 0);
    const L = `${LARGE / 1048576} MiB`;
    row("WebCrypto AES-256-GCM, a plain JS loop of one call per 4096-byte frame (no message format)", `${L} encrypt / decrypt (MB/s)`, `${fmt(fr.encMBs)} / ${fmt(fr.decMBs)}`, "", "");
    row("WebCrypto AES-256-GCM, a plain JS loop of one call per 4096-byte frame (no message format)", `${L} encrypt / decrypt peak RSS (+MiB)`, `${fmt(fr.encPeak)} / ${fmt(fr.decPeak)}`, "", "");
    row("WebCrypto AES-256-GCM one-shot", `${L} encrypt / decrypt (MB/s)`, `${fmt(g.encMBs)} / ${fmt(g.decMBs)}`, "", "");
    row("WebCrypto AES-256-GCM one-shot", `${L} encrypt / decrypt peak RSS (+MiB)`, `${fmt(g.encPeak)} / ${fmt(g.decPeak)}`, "", "");
  } finally {
    await browser.close();
    await server.close();
  }
  const head = ["suite", "case", "ours", "peer", "ours/peer"];
  console.log(`\nESDK in headless Chromium ${new Date().toISOString().slice(0, 10)}: ours = secplay (one-shot at 1 KiB and 1 MiB, ` +
    `EsdkEncryptor/EsdkDecryptor pushAsync + drainInto in 1 MiB chunks at ${LARGE / 1048576} MiB, the output gathered in one buffer, or updateAsync with the output written to an OPFS file); peer = @aws-crypto/client-browser 4.2.2; frame 4096, raw AES-256 keyring.\n`);
  console.log(`| ${head.join(" | ")} |`);
  console.log(`|${head.map(() => "---").join("|")}|`);
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
}

main().catch((e) => { console.error(e); process.exit(1); });
