// The load budgets of the built page (dist/): what the home page fetches before it is usable, gzipped,
// at most 600 KiB; each page's first-visit cost (its chunk and anything else it fetches on opening);
// the first render under 1 s from a local server and under 4 s under Chromium's network throttling
// (1.6 Mbps down, 750 kbps up, 150 ms RTT: Lighthouse's "slow 4G"). The server here gzips like a real
// static host does, so throttled bytes are the gzipped ones. Figures are printed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { gzipSync } from "node:zlib";
import { assertClean, launch, watch, dist } from "./harness.mjs";

const HOME_BUDGET = 600 * 1024;
const LOCAL_RENDER_MS = 1000;
const THROTTLED_RENDER_MS = 4000;
const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm",
  ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json",
};

// dist/ over loopback, each file gzipped (-9) once and sent with Content-Encoding: gzip.
const gzipped = new Map();
async function gz(file) {
  if (!gzipped.has(file)) gzipped.set(file, gzipSync(await readFile(file), { level: 9 }));
  return gzipped.get(file);
}
function serveGzip() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = join(dist, path.endsWith("/") ? path + "index.html" : path);
    try {
      const body = await gz(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "content-encoding": "gzip",
        "cache-control": "no-store" });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok({
    origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((done) => server.close(done)),
  })));
}

let server, browser;
before(async () => { server = await serveGzip(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;

// A fresh context (empty cache) whose same-origin responses are recorded, with their gzipped size.
async function recorded() {
  const context = await browser.newContext({ viewport: { width: 1200, height: 860 } });
  const page = await context.newPage();
  const problems = await watch(page, server.origin);
  const fetched = [];
  page.on("requestfinished", async (request) => {
    const url = new URL(request.url());
    if (url.origin !== server.origin) return;
    const path = url.pathname.endsWith("/") ? url.pathname + "index.html" : url.pathname;
    fetched.push({ path, bytes: (await gz(join(dist, normalize(path)))).length });
  });
  return { context, page, problems, fetched };
}
const total = (list) => list.reduce((n, f) => n + f.bytes, 0);
// requestfinished handlers are async (they gzip): let them land.
const settle = (page) => page.waitForTimeout(200);

test("budget: the home page loads at most 600 KiB gzipped before it is usable; each page's first visit", async () => {
  const { context, page, problems, fetched } = await recorded();
  await page.goto(`${server.origin}/`);
  await page.waitForSelector("html[data-ready='1']");
  await settle(page);
  const home = [...fetched];
  const routes = await page.$$eval("nav a", (as) => as.map((a) => a.getAttribute("href")));
  await context.close();
  console.log("home page, fetched before usable (gzip -9):");
  for (const f of home) console.log(`  ${f.path.padEnd(40)} ${kib(f.bytes).padStart(11)}`);
  const homeBytes = total(home);
  console.log(`  ${"total".padEnd(40)} ${kib(homeBytes).padStart(11)}  (budget ${kib(HOME_BUDGET)})`);
  assert.ok(home.some((f) => f.path.endsWith(".wasm")), "the home page loads its wasm");
  assert.ok(!home.some((f) => f.path.includes("/pages/")), "no page chunk is loaded by the home page");

  // Each page opened from the home page in a fresh context: what its first visit adds.
  console.log("first visit of each page, after the home page (gzip -9):");
  const chunksSeen = new Map();
  for (const href of routes.filter((h) => h !== "#/")) {
    const r = await recorded();
    await r.page.goto(`${server.origin}/`);
    await r.page.waitForSelector("html[data-ready='1']");
    await settle(r.page);
    const before = r.fetched.length;
    await r.page.click(`nav a[href="${href}"]`);
    await r.page.waitForSelector("#page[data-page]", { timeout: 60_000 });
    await settle(r.page);
    // What the home page had not fetched (a late favicon, say, is the home page's).
    const added = r.fetched.slice(before).filter((f) => !r.fetched.slice(0, before).some((h) => h.path === f.path) && !home.some((h) => h.path === f.path));
    const chunk = await r.page.getAttribute("#page", "data-page");
    console.log(`  ${href.padEnd(14)} chunk ${chunk.padEnd(9)} ${kib(total(added)).padStart(11)}  (${added.map((f) => f.path.split("/").pop()).join(", ")})`);
    assert.ok(added.some((f) => f.path === `/pages/${chunk}_bg.wasm`), `${href} loads its chunk's wasm`);
    assert.equal(await r.page.$("#page [role='alert']"), null, `${href} shows no error`);
    chunksSeen.set(chunk, (chunksSeen.get(chunk) ?? 0) + 1);
    assertClean(r.problems);
    await r.context.close();
  }
  console.log(`home page: ${kib(homeBytes)} gzipped; ${chunksSeen.size} page chunks for ${routes.length - 1} pages`);
  assert.ok(homeBytes <= HOME_BUDGET, `the home page loads ${kib(homeBytes)} gzipped, over the ${kib(HOME_BUDGET)} budget`);
  assertClean(problems);
});

// The first render (the shell's performance mark, from navigation start) of the home page in a
// fresh context, `runs` times; the median is checked, every run printed.
async function firstRender(label, throttle, budget, runs = 3) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 860 } });
    const page = await context.newPage();
    const problems = await watch(page, server.origin);
    if (throttle) {
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", throttle);
    }
    await page.goto(`${server.origin}/`);
    await page.waitForSelector("html[data-ready='1']", { timeout: 60_000 });
    times.push(await page.evaluate(() => performance.getEntriesByName("secplay:first-render")[0]?.startTime));
    assertClean(problems);
    await context.close();
  }
  const median = [...times].sort((a, b) => a - b)[Math.floor(runs / 2)];
  console.log(`first render, ${label}: ${times.map((t) => t.toFixed(0)).join(", ")} ms; median ${median.toFixed(0)} ms (budget ${budget} ms)`);
  assert.ok(median > 0, "the app marks its first render");
  assert.ok(median < budget, `first render ${label}: median ${median.toFixed(0)} ms, over ${budget} ms`);
}

test("budget: first render under 1 s from a local server", async () => {
  await firstRender("local server", null, LOCAL_RENDER_MS);
});

test("budget: first render under 4 s at 1.6 Mbps / 150 ms RTT", async () => {
  await firstRender("1.6 Mbps, 150 ms RTT", {
    offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8,
  }, THROTTLED_RENDER_MS);
});
