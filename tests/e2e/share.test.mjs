// Share links on every page that has one (src/bin/app/share.rs and each page's `share` module):
// change something, press "Share link", open the link in a fresh browser context and find the
// same thing; a secret typed into a page (a secret value, a scanned text) does not come back from
// the link; a damaged link says why and leaves the page usable. The policy page's own link test
// is in policy.test.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { assertClean, serve, launch, watchedPage } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// route, what to do before sharing, and what the fresh page must show.
const PAGES = [
  { route: "waf", set: (p) => p.fill("#waf-ip", "198.51.100.7"), check: async (p) => assert.equal(await p.inputValue("#waf-ip"), "198.51.100.7") },
  { route: "s3", set: (p) => p.fill("#s3-rate", "250"), check: async (p) => assert.equal(await p.inputValue("#s3-rate"), "250") },
  { route: "acm", set: (p) => p.fill("#acm-hosts", "shared.example.com"), check: async (p) => assert.equal(await p.inputValue("#acm-hosts"), "shared.example.com") },
  {
    route: "ssm",
    set: (p) => p.fill("#ssm-request", '{"Name": "/shared/x", "Type": "SecureString", "Value": "hunter2"}'),
    check: async (p) => {
      const r = await p.inputValue("#ssm-request");
      assert.match(r, /\/shared\/x/);
      assert.doesNotMatch(r, /hunter2/, "a SecureString value came back from the link");
    },
  },
  {
    route: "secrets",
    set: (p) => p.fill("#sm-request", '{"Name": "prod/db", "SecretString": "hunter2"}'),
    check: async (p) => {
      const r = await p.inputValue("#sm-request");
      assert.match(r, /prod\/db/);
      assert.doesNotMatch(r, /hunter2/, "a secret value came back from the link");
    },
  },
  {
    route: "scan",
    set: (p) => p.fill("#scan-text", "card 4111 1111 1111 1111"),
    check: async (p) => {
      await p.waitForSelector("#share-left-out");
      assert.doesNotMatch(await p.inputValue("#scan-text"), /4111/, "a scanned text came back from the link");
    },
  },
  {
    route: "esdk",
    set: async (p) => { await p.click("#tab-inspect"); await p.fill("#esdk-inspect-input", "AYAA"); },
    check: async (p) => {
      assert.equal(await p.getAttribute("#tab-inspect", "aria-selected"), "true");
      assert.equal(await p.inputValue("#esdk-inspect-input"), "AYAA");
    },
  },
  { route: "fms", set: (p) => p.fill("#fms-request", "GET /shared HTTP/1.1\nHost: shop.example.com\n"), check: async (p) => assert.match(await p.inputValue("#fms-request"), /GET \/shared/) },
  { route: "envelope", set: (p) => p.fill("#envelope", '{"shared": 1}'), check: async (p) => assert.equal(await p.inputValue("#envelope"), '{"shared": 1}') },
];

const keyArns = (p) => p.$$eval("#kms-world tr[data-key]", (rows) => rows.map((r) => r.dataset.key).sort());

async function share(page) {
  await page.click("#share");
  await page.waitForSelector("#share-url");
  const url = await page.inputValue("#share-url");
  assert.equal(new URL(page.url()).hash, new URL(url).hash, "the address bar holds the link too");
  return url;
}

for (const { route, set, check } of PAGES) {
  test(`share link: #/${route} opens in a fresh page as it was shared`, async () => {
    const a = await watchedPage(browser, server.origin);
    await a.page.goto(`${server.origin}/#/${route}`);
    await a.page.waitForSelector("#share");
    await set(a.page);
    const url = await share(a.page);
    assert.match(url, new RegExp(`#/${route}\\?s=v1\\.[A-Za-z0-9_-]+$`));
    assertClean(a.problems);
    await a.context.close();

    const b = await watchedPage(browser, server.origin);
    await b.page.goto(url);
    await b.page.waitForSelector("#share");
    assert.equal(await b.page.$("#share-error"), null);
    await check(b.page);
    assertClean(b.problems);
    await b.context.close();
  });
}

test("share link: #/kms carries the world's keys (with new material), never their material", async () => {
  const a = await watchedPage(browser, server.origin);
  await a.page.goto(`${server.origin}/#/kms`);
  await a.page.waitForSelector("#kms-send");
  await a.page.click("#kms-send");
  await a.page.waitForSelector("#kms-world tr[data-key]");
  const keys = await keyArns(a.page);
  assert.equal(keys.length, 1);
  const url = await share(a.page);
  await a.context.close();

  const b = await watchedPage(browser, server.origin);
  await b.page.goto(url);
  await b.page.waitForSelector("#kms-notice");
  assert.match(await b.page.textContent("#kms-notice"), /new key material/);
  assert.deepEqual(await keyArns(b.page), keys);
  assertClean(b.problems);
  await b.context.close();
});

// A world with RSA keys: a link carries no material, and RSA material is too slow to make on the
// page's thread (RSA_4096: seconds in wasm; a link may need 20 versions). The page shows the
// world at once, has WebCrypto make the material, then the keys sign (the long-task watch fails
// this test if any of it froze the page).
test("share link: #/kms with RSA keys opens at once and makes their material off the page's thread", async () => {
  const a = await watchedPage(browser, server.origin);
  await a.page.goto(`${server.origin}/#/kms`);
  await a.page.waitForSelector("#kms-send");
  for (const spec of ["RSA_4096", "RSA_2048"]) {
    await a.page.selectOption("#kms-operation", "CreateKey");
    await a.page.fill("#kms-request", JSON.stringify({ KeySpec: spec, KeyUsage: "SIGN_VERIFY" }));
    const n = (await keyArns(a.page)).length;
    await a.page.click("#kms-send");
    await a.page.waitForFunction((n) => document.querySelectorAll("#kms-world tr[data-key]").length === n + 1, n, { timeout: 60_000 });
  }
  const keys = await keyArns(a.page);
  const url = await share(a.page);
  assertClean(a.problems);
  await a.context.close();

  const b = await watchedPage(browser, server.origin);
  await b.page.goto(url);
  await b.page.waitForSelector("#kms-world tr[data-key]");
  assert.deepEqual(await keyArns(b.page), keys, "the world shows while its material is made");
  await b.page.waitForFunction(() => document.querySelector("#kms-notice")?.textContent.includes("new key material"), null, { timeout: 60_000 });
  assert.equal(await b.page.$("#kms-furnishing"), null);
  for (const arn of keys) {
    await b.page.selectOption("#kms-operation", "Sign");
    await b.page.fill("#kms-request", JSON.stringify({ KeyId: arn, Message: "aGVsbG8=", SigningAlgorithm: "RSASSA_PSS_SHA_256" }));
    const before = await b.page.textContent("#kms-audit-count");
    await b.page.click("#kms-send");
    await b.page.waitForFunction((t) => document.querySelector("#kms-audit-count")?.textContent !== t, before);
    assert.match(await b.page.textContent("#kms-result"), /"Signature"/, `${arn} signs with its new material`);
  }
  assertClean(b.problems);
  await b.context.close();
});

test("share link: a damaged link says why and the page still works", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/waf?s=v1.AAAA`);
  await page.waitForSelector("#share-error");
  assert.match(await page.textContent("#share-error"), /could not be opened.*damaged/s);
  await page.click("#waf-evaluate");
  await page.waitForSelector("#waf-verdict");
  await page.goto(`${server.origin}/#/s3?s=v9.AAAA`);
  await page.reload();
  await page.waitForSelector("#share-error");
  assert.match(await page.textContent("#share-error"), /format `v9`/);
  assertClean(problems);
  await context.close();
});
