// Offline (www/sw.js, www/offline.js, src/bin/app/pages/offline.rs) in headless Chromium with the
// service worker allowed: once loaded the header says "Works offline"; offline, a reload and a
// page visited before still work; a new build on the server (a new build id in sw.js) is
// announced with a Reload button, never applied by itself, and Reload brings it in. The server
// here serves dist/ and can pretend a new build was deployed. Screenshot: target/e2e/offline-update.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { assertClean, axeViolations, describeViolations, dist, launch, root, watch, shots, SEVERE } from "./harness.mjs";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm",
  ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json",
};

// dist/ as built, or, once `deployed` is set, as if a new build had been deployed: sw.js and
// build.json carry another build id (every other file stays: enough for the browser to see a
// new worker, which is all this test needs).
let deployed = false;
function serveBuilds() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = path === "/__e2e__/axe.min.js" ? join(root, "node_modules", "axe-core", "axe.min.js")
      : join(dist, path.endsWith("/") ? path + "index.html" : path);
    try {
      let body = await readFile(file);
      if (deployed && (path === "/sw.js" || path === "/build.json")) {
        body = Buffer.from(body.toString("utf8").replace(/[0-9a-f]{20}/, (id) => `${id}-next`));
      }
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
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
before(async () => { server = await serveBuilds(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const cacheNames = (page) => page.evaluate(() => caches.keys());

test("works offline once loaded; a new build is announced and applied only on Reload", async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 860 }, serviceWorkers: "allow" });
  const page = await context.newPage();
  const problems = await watch(page, server.origin);
  await page.goto(`${server.origin}/`);
  await page.waitForSelector("html[data-ready='1']");
  await page.waitForSelector("#offline-ready", { timeout: 30_000 });
  assert.equal(await page.textContent("#offline-ready"), "Works offline");
  assert.equal(await page.getAttribute("#offline", "aria-live"), "polite");
  const [cache] = await cacheNames(page);
  assert.match(cache, /^secplay-[0-9a-f]{20}$/, "one cache, named by the build id");
  const build = JSON.parse(await (await fetch(`${server.origin}/build.json`)).text()).build;
  assert.equal(cache, `secplay-${build}`, "the cache is this build's");

  // A page chunk opened while online is cached as it is fetched.
  await page.goto(`${server.origin}/#/waf`);
  await page.waitForSelector("#page[data-page='waf'] #waf-acl");
  await page.waitForFunction(async () => !!(await caches.match(new URL("pages/waf_bg.wasm", document.baseURI).href)));

  // Offline: the reload comes from the cache, and so does the page visited before.
  await context.setOffline(true);
  await page.goto(`${server.origin}/#/`);
  await page.reload();
  await page.waitForSelector("html[data-ready='1']");
  await page.waitForSelector(".gallery-card, nav a");
  await page.click("nav a[href='#/waf']");
  await page.waitForSelector("#page[data-page='waf'] #waf-acl");
  await page.fill("#waf-request", "GET /?id=1%27%20OR%201=1-- HTTP/1.1\nHost: x\n");
  await page.click("#waf-evaluate");
  await page.waitForSelector("#waf-verdict");
  await context.setOffline(false);

  // A new build: announced, not applied.
  deployed = true;
  await page.goto(`${server.origin}/#/`);
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
  await page.waitForSelector("#offline-update", { timeout: 30_000 });
  assert.match(await page.textContent("#offline"), /A new version is available — Reload/);
  assert.equal(await page.getAttribute("#offline-reload", "type"), "button");
  const severe = (await axeViolations(page)).filter((v) => SEVERE.has(v.impact));
  assert.deepEqual(severe, [], describeViolations("update announced", severe));
  await page.screenshot({ path: join(shots, "offline-update.png") });
  // The new build is installed beside the running one (its cache filled) and waits: this page
  // was not reloaded and its worker still serves the old cache.
  await page.evaluate(() => { window.__notReloaded = true; });
  await page.waitForTimeout(500);
  assert.deepEqual((await cacheNames(page)).sort(), [cache, `secplay-${build}-next`].sort());
  assert.equal(await page.evaluate(() => window.__notReloaded), true, "the page did not reload by itself");
  assert.equal(await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => !!r.waiting)), true);

  // Reload: the new worker takes over, the page reloads once, the old cache is gone.
  await Promise.all([page.waitForEvent("load"), page.click("#offline-reload")]);
  await page.waitForSelector("html[data-ready='1']");
  await page.waitForFunction((old) => caches.keys().then((k) => k.length === 1 && k[0] !== old), cache);
  assert.equal((await cacheNames(page))[0], `secplay-${build}-next`);
  await page.waitForSelector("#offline-ready");
  assert.equal(await page.$("#offline-update"), null);
  assertClean(problems);
  await context.close();
});
