// Drives the built playground (dist/) in headless Chromium: the envelope slice end to end, routing,
// dark mode, the error screen, and the JS module from a plain page. Screenshots go to target/e2e/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertClean, serve, launch, watchedPage, shots } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test("envelope slice: type, encrypt, decrypt; tampering fails; nothing leaves the page", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  const t0 = Date.now();
  await page.goto(`${server.origin}/#/envelope`);
  await page.waitForSelector("html[data-ready='1']");
  const firstRender = await page.evaluate(() => performance.getEntriesByName("secplay:first-render")[0]?.startTime);
  assert.ok(firstRender > 0, "the app marks its first render");
  console.log(`time to first render: ${firstRender.toFixed(0)} ms after navigation start (wall ${Date.now() - t0} ms incl. launch of the page)`);

  const message = "Meet me at 7 — 일곱 시에 만나요 🔐";
  await page.fill("#message", message);
  await page.click("#encrypt");
  await page.waitForFunction(() => document.querySelector("#envelope")?.value.includes("wrappedKey"), null, { timeout: 60_000 });
  const envelope = JSON.parse(await page.inputValue("#envelope"));
  assert.equal(envelope.algorithm, "RSA-OAEP-256+A256GCM");
  assert.equal(Buffer.from(envelope.wrappedKey, "base64").length, 256, "RSA-2048 wraps to 256 bytes");
  assert.equal(Buffer.from(envelope.iv, "base64").length, 12);
  assert.equal(Buffer.from(envelope.tag, "base64").length, 16);
  assert.equal(Buffer.from(envelope.ciphertext, "base64").length, Buffer.byteLength(message));
  assert.ok(!(await page.content()).includes(Buffer.from(message).toString("base64")), "plaintext not shown as base64");

  await page.click("#decrypt");
  await page.waitForSelector("#decrypted");
  assert.equal(await page.textContent("#decrypted"), message);
  await page.screenshot({ path: join(shots, "envelope.png"), fullPage: true });

  // Flip one bit of the ciphertext in the editor: decryption must fail, with no plaintext shown.
  const ct = Buffer.from(envelope.ciphertext, "base64");
  ct[0] ^= 1;
  await page.fill("#envelope", JSON.stringify({ ...envelope, ciphertext: ct.toString("base64") }, null, 2));
  await page.click("#decrypt");
  await page.waitForSelector("#error");
  assert.match(await page.textContent("#error"), /DecryptionFailed/);
  assert.equal(await page.$("#decrypted"), null);
  await page.screenshot({ path: join(shots, "envelope-tampered.png"), fullPage: true });

  assertClean(problems);
  await context.close();
});

test("hash routing, navigation and dark mode", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin, { colorScheme: "dark" });
  await page.goto(`${server.origin}/#/no-such-page`);
  await page.waitForSelector("text=No such page");
  await page.click("nav >> text=Envelope encryption");
  await page.waitForSelector("h1:has-text('Envelope encryption')");
  assert.equal(new URL(page.url()).hash, "#/envelope");
  assert.equal(await page.getAttribute("nav a.active", "href"), "#/envelope");
  await page.goBack();
  await page.waitForSelector("text=No such page");
  await page.click("nav >> text=Overview");
  await page.waitForSelector("h1:has-text('cloud-security playground')");
  const version = await page.textContent(".version");
  assert.match(version, /^v\d+\.\d+\.\d+/);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, "rgb(13, 17, 23)", "dark theme follows the system");
  await page.screenshot({ path: join(shots, "overview-dark.png"), fullPage: true });
  assertClean(problems);
  await context.close();
});

test("a wasm that fails to load shows the error screen", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await page.route("**/*.wasm", (route) => route.fulfill({ status: 404, body: "gone" }));
  await page.goto(`${server.origin}/`);
  await page.waitForSelector("#boot-error:not([hidden])", { timeout: 15_000 });
  assert.match(await page.textContent("#boot-error"), /could not start/);
  assert.deepEqual(problems.foreign, []);
  await page.screenshot({ path: join(shots, "boot-error.png") });
  await context.close();
});

test("the JS module works from a plain page (www/embed.html)", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/embed.html`);
  await page.waitForFunction(() => document.querySelector("#result")?.textContent !== "pending", null, { timeout: 60_000 });
  assert.equal(await page.textContent("#result"), "ok", await page.textContent("#log"));
  assertClean(problems);
  await context.close();
});
