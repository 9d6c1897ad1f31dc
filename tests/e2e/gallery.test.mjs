// The home page's examples gallery (src/bin/app/pages/gallery.rs): every card opens its page with
// its example loaded, through the page's own share link (made at build time from the page's
// state), and the home page with the gallery is axe-clean. Screenshot: target/e2e/gallery.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertClean, axeViolations, describeViolations, serve, launch, watchedPage, shots, SEVERE } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// What each card promises, checked on the page it opens.
const CARDS = {
  "policy-deny": async (page) => {
    await page.waitForSelector("#decision");
    assert.equal(await page.inputValue("#req-principal"), "arn:aws:iam::111122223333:role/Intern");
    assert.equal(await page.getAttribute("#decision", "data-decision"), "implicitDeny");
  },
  "waf-sqli": async (page) => {
    await page.waitForSelector("#waf-acl");
    assert.match(await page.inputValue("#waf-acl"), /sqli-query/);
    assert.match(await page.inputValue("#waf-request"), /UNION%20SELECT/);
    await page.click("#waf-evaluate");
    await page.waitForSelector("#waf-verdict");
    assert.match(await page.textContent("#waf-verdict"), /BLOCK by sqli-query/);
  },
  "s3-sse-c": async (page) => {
    await page.waitForSelector("#s3-verdicts");
    assert.match(await page.inputValue("#s3-objects"), /SSE-C/);
    await page.waitForFunction(() => document.querySelector("#s3-verdicts")?.textContent.includes("SSE_C_BLOCKED"));
  },
  "kms-world": async (page) => {
    await page.waitForSelector("#kms-world tr[data-key]");
    assert.ok((await page.$$("#kms-world tr[data-key]")).length >= 2, "the scenario's keys are in the world");
  },
  "acm-timeline": async (page) => {
    await page.waitForSelector("#acm-timeline li");
    assert.match(await page.inputValue("#acm-input"), /BEGIN CERTIFICATE/);
  },
  "scan-ticket": async (page) => {
    await page.waitForSelector("#scan-text");
    assert.match(await page.inputValue("#scan-text"), /Ticket #48213/);
  },
};

test("the gallery's cards open their pages with the example loaded", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/`);
  await page.waitForSelector(".gallery-card");
  const ids = await page.$$eval(".gallery-card", (cards) => cards.map((c) => c.dataset.example));
  assert.deepEqual(ids.sort(), Object.keys(CARDS).sort());
  const severe = (await axeViolations(page)).filter((v) => SEVERE.has(v.impact));
  assert.deepEqual(severe, [], describeViolations("overview", severe));
  await page.screenshot({ path: join(shots, "gallery.png"), fullPage: true });

  for (const [id, check] of Object.entries(CARDS)) {
    await page.goto(`${server.origin}/#/`);
    await page.waitForSelector(`#example-${id}`);
    const href = await page.getAttribute(`#example-${id}`, "href");
    assert.match(href, /^#\/[a-z0-9]+\?s=v\d+\./, `${id}: a share link`);
    await page.click(`#example-${id}`);
    await page.waitForFunction((h) => location.hash === h, href);
    await check(page);
    assert.equal(await page.$("#share-error"), null, `${id}: the link opened without an error`);
  }
  assertClean(problems);
  await context.close();
});
