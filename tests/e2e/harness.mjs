// End-to-end harness: a static server over dist/ on a free loopback port, and headless Debian Chromium
// driven by playwright-core. Every request the page makes is checked: anything not addressed to this
// server is blocked and fails the test, and so does any console error or uncaught exception.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile, mkdir } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const root = fileURLToPath(new URL("../../", import.meta.url));
export const dist = join(root, "dist");
export const shots = join(root, "target", "e2e");
// Test data only: the shared conformance vectors are served under /vectors/ (never part of dist/).
export const vectors = join(root, "..", "shared", "vectors");
// Every page in both themes, for a person to judge (tests/e2e/a11y.test.mjs writes them).
export const screenshots = join(root, "target", "screenshots");
// Test tools served to the page under test from node_modules (never part of dist/, never a CDN):
// URL path → file. Same origin, so the page's Content-Security-Policy lets them run.
const TEST_ASSETS = { "/__e2e__/axe.min.js": join(root, "node_modules", "axe-core", "axe.min.js") };

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".wasm": "application/wasm", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json",
  ".ts": "text/plain",
};

export async function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = TEST_ASSETS[path] ?? (path.startsWith("/vectors/")
      ? join(vectors, path.slice("/vectors/".length))
      : join(dist, path.endsWith("/") ? path + "index.html" : path));
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => new Promise((ok) => server.close(ok)) };
}

// `extraArgs`: more Chromium switches (e.g. --enable-precise-memory-info for memory figures).
export async function launch(extraArgs = []) {
  await mkdir(shots, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", ...extraArgs],
  });
}

// A page that records what would make a test fail: foreign requests (blocked), console errors, page errors.
export async function watchedPage(browser, origin, options = {}) {
  // The service worker (www/sw.js) is off unless a test asks for it (`serviceWorkers: "allow"`,
  // tests/e2e/offline.test.mjs): requests a worker answers never reach page.route, which the
  // checks here and tests that stub a file rely on.
  const context = await browser.newContext({ colorScheme: options.colorScheme ?? "light", viewport: { width: 1200, height: 860 },
    serviceWorkers: options.serviceWorkers ?? "block" });
  const page = await context.newPage();
  return { page, context, problems: await watch(page, origin) };
}

// The same checks on a page from any context (e.g. a persistent one, whose storage is on disk).
export async function watch(page, origin) {
  const problems = { foreign: [], console: [], pageErrors: [] };
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + "/") || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    problems.foreign.push(url);
    return route.abort();
  });
  page.on("console", (msg) => { if (msg.type() === "error") problems.console.push(msg.text()); });
  page.on("pageerror", (err) => problems.pageErrors.push(String(err)));
  return problems;
}

// Fails the test on anything `watch` recorded: a request to another host, a console error, an
// uncaught exception.
export function assertClean(problems) {
  assert.deepEqual(problems.foreign, [], "the page requested another host");
  assert.deepEqual(problems.console, [], "console errors");
  assert.deepEqual(problems.pageErrors, [], "uncaught exceptions");
}

// A persistent browser context (a real profile in `userDataDir`, not a private window): its origin
// private file system is on disk, as for a user, rather than in memory.
export async function launchPersistent(userDataDir, extraArgs = [], options = {}) {
  await mkdir(shots, { recursive: true });
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    colorScheme: options.colorScheme ?? "light",
    viewport: { width: 1200, height: 860 },
    acceptDownloads: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", ...extraArgs],
  });
}

// The renderer processes of the Chromium this Node process started (its descendants), for memory
// figures read from /proc.
export async function rendererPids() {
  const { readdir } = await import("node:fs/promises");
  const procs = [];
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = await readFile(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const cmd = await readFile(`/proc/${pid}/cmdline`, "utf8");
      procs.push({ pid: Number(pid), ppid, cmd });
    } catch { /* gone */ }
  }
  const ours = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) if (!ours.has(p.pid) && ours.has(p.ppid)) { ours.add(p.pid); grew = true; }
  }
  return procs.filter((p) => ours.has(p.pid) && p.cmd.includes("--type=renderer")).map((p) => p.pid);
}

// VmRSS and VmHWM (peak) of a process, in bytes.
export async function procMemory(pid) {
  const text = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = (k) => Number(text.match(new RegExp(`^${k}:\\s+(\\d+)`, "m"))?.[1] ?? 0);
  return { rss: kib("VmRSS") * 1024, hwm: kib("VmHWM") * 1024 };
}

// axe-core (https://github.com/dequelabs/axe-core) in the page: loaded from this server's
// /__e2e__/axe.min.js (node_modules/axe-core), once per document.
export async function injectAxe(page) {
  if (await page.evaluate(() => typeof window.axe === "object")) return;
  await page.addScriptTag({ url: "/__e2e__/axe.min.js" });
}

// Runs axe over the whole document and answers its violations, each with its impact, rule id, help
// text and the elements (selectors and axe's summary of what to fix).
export async function axeViolations(page) {
  await injectAxe(page);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
    }));
  });
}

// The violations axe rates serious or critical, the ones the tests fail on.
export const SEVERE = new Set(["serious", "critical"]);

// A readable listing of violations for a failure message or the log.
export function describeViolations(where, violations) {
  return violations.map((v) => `${where}: [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
    v.nodes.slice(0, 8).map((n) => `    ${n.target}\n      ${(n.summary ?? "").replace(/\n/g, "\n      ")}`).join("\n") +
    (v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : "")).join("\n");
}

// A PNG of the whole page through the DevTools protocol (Page.captureScreenshot beyond the viewport).
export async function captureFullPage(page, path) {
  const { writeFile } = await import("node:fs/promises");
  await mkdir(screenshots, { recursive: true });
  const cdp = await page.context().newCDPSession(page);
  try {
    const { cssContentSize } = await cdp.send("Page.getLayoutMetrics");
    const width = Math.ceil(cssContentSize.width), height = Math.min(Math.ceil(cssContentSize.height), 8000);
    const { data } = await cdp.send("Page.captureScreenshot", {
      format: "png", captureBeyondViewport: true, clip: { x: 0, y: 0, width, height, scale: 1 },
    });
    await writeFile(path, Buffer.from(data, "base64"));
  } finally {
    await cdp.detach();
  }
}
