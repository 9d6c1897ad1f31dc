// Drives the ACM page (#/acm) of the built playground in headless Chromium: the notes' examples
// (an imported chain with its expiry events, an ACM wildcard in the wrong region for CloudFront, an
// idle ACM certificate, a chain out of order, an expired certificate), a DER file dropped through
// the file input, and a broken PEM with its coded error and line. Any request to another host,
// console error or uncaught exception fails the test.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertClean, serve, launch, watchedPage, shots, root } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function openPage() {
  const w = await watchedPage(browser, server.origin);
  await w.page.goto(`${server.origin}/#/acm`);
  await w.page.waitForSelector("html[data-ready='1']");
  await w.page.waitForSelector("h1:has-text('ACM certificates')");
  return w;
}

test("the examples: fields, chain checks and the ACM timeline", async () => {
  const { page, context, problems } = await openPage();
  assert.equal(await page.getAttribute("nav a.active", "href"), "#/acm");
  // The imported three-level chain (the page opens with it): every link verifies.
  await page.waitForSelector("#acm-cert-2");
  assert.deepEqual(await page.$$eval("#acm-links td.acm-sig", (tds) => tds.map((t) => t.textContent)), ["valid", "valid", "valid"]);
  assert.match(await page.textContent("#acm-cert-0"), /E0:C4:2F:ED:56:7B:14:6E/); // openssl's SHA-256 (tests/acm/data)
  assert.match(await page.textContent("#acm-cert-0"), /RSA 2048 bits/);
  // 2027-01-10 is 24 days before expiry: the events of days 45 … 24 (22 of 45) are sent, Config rule still compliant.
  assert.match(await page.textContent("#acm-daily"), /45 × ACM Certificate Approaching Expiration \(22 already sent\)/);
  assert.equal(await page.textContent("#acm-state-config"), "Config rule COMPLIANT");
  assert.equal(await page.textContent("#acm-state-renewal"), "renewal INELIGIBLE");
  await page.screenshot({ path: join(shots, "acm.png"), fullPage: true });

  // The wildcard for CloudFront from eu-west-1: wrong region; a.shop.example.com is not covered.
  await page.click("#acm-example-1");
  await page.waitForFunction(() => document.querySelector("#acm-placements")?.textContent.includes("CloudFront"));
  assert.match(await page.textContent("#acm-placements tr.bad"), /CloudFront.*needs us-east-1: wrong region/);
  assert.match(await page.textContent("#acm-coverage li.bad"), /a\.shop\.example\.com.*one label/);
  assert.match(await page.textContent("#acm-cname"), /CNAME _[0-9a-f]{32}\.[0-9a-f]{10}\.acm-validations\.aws\./);
  // Moving the certificate to us-east-1 fixes CloudFront.
  await page.fill("#acm-region", "us-east-1");
  await page.waitForFunction(() => !document.querySelector("#acm-placements tr.bad th")?.textContent.includes("CloudFront"));

  // Idle ACM-issued certificate: renewal ineligible, with the reason.
  await page.click("#acm-example-2");
  await page.waitForFunction(() => document.querySelector("#acm-state-renewal")?.textContent === "renewal INELIGIBLE");
  assert.match(await page.textContent("#acm-eligibility"), /not in use/);
  await page.check("#acm-in-use");
  await page.waitForFunction(() => document.querySelector("#acm-state-renewal")?.textContent === "renewal ELIGIBLE");
  assert.ok(await page.$("#acm-timeline li[data-kind='Renewed']"));

  // Out of order and expired.
  await page.click("#acm-example-3");
  await page.waitForSelector("#acm-chain li[data-code='OutOfOrder']");
  await page.click("#acm-example-4");
  await page.waitForFunction(() => document.querySelector("#acm-cert-0 .acm-status")?.textContent.includes("expired"));
  assertClean(problems);
  await context.close();
});

test("a dropped DER file reads; a broken PEM shows its code and line", async () => {
  const { page, context, problems } = await openPage();
  await page.setInputFiles("#acm-file", join(root, "tests/acm/data/rsa2048.der"));
  await page.waitForFunction(() => document.querySelector("#acm-file-name")?.textContent === "rsa2048.der");
  await page.waitForFunction(() => document.querySelector("#acm-cert-0")?.textContent.includes("www.example.com"));
  assert.equal(await page.$("#acm-cert-1"), null);
  await page.fill("#acm-input", "notes\n-----BEGIN CERTIFICATE-----\nMIIB$$\n-----END CERTIFICATE-----\n");
  await page.waitForSelector("#acm-error");
  assert.match(await page.textContent("#acm-error"), /^MalformedPem line 3:/);
  assertClean(problems);
  await context.close();
});
