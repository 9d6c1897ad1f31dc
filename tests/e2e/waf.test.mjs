// The WAF page in headless Chromium: the notes' examples evaluated through the page, the rate limit
// on the simulated clock, a broken ACL with a positioned error, the SQLi/XSS explainer.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { serve, launch, watchedPage, shots } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test("WAF page: examples, rate limit, errors, explainer", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/waf`);
  await page.waitForSelector("#waf-capacity");
  assert.match(await page.textContent("#waf-capacity"), /Capacity: \d+ WCUs/);

  await page.click("#waf-evaluate");
  await page.waitForSelector("#waf-verdict");
  assert.match(await page.textContent("#waf-verdict"), /BLOCK by sqli-query/);
  assert.ok(await page.$("table.trace tr.hit"), "the deciding rule is marked in the trace");
  await page.screenshot({ path: join(shots, "waf.png"), fullPage: true });

  await page.click("button[data-example='ip-block-list']");
  await page.click("#waf-evaluate");
  await page.waitForFunction(() => document.querySelector("#waf-rule")?.textContent === "block-bad-sources");

  await page.click("button[data-example='rate-limit']");
  await page.click("#waf-evaluate");
  await page.waitForFunction(() => document.querySelector("#waf-verdict")?.textContent.includes("ALLOW"));
  await page.click("#waf-burst");
  await page.waitForFunction(() => document.querySelector("#waf-verdict")?.textContent.includes("blocked"));
  const verdict = await page.textContent("#waf-verdict");
  assert.match(verdict, /BLOCK by per-ip-limit/, verdict);

  // Replay ten minutes of sample traffic against the rate limit: a chart and the burst's source.
  await page.click("#waf-sample");
  await page.click("#waf-replay");
  await page.waitForSelector("#waf-replay-report svg.chart rect.block", { state: "attached" });
  const report = await page.textContent("#waf-replay-report");
  assert.match(report, /750 requests/);
  assert.match(report, /192\.0\.2\.7/, "the login burst's address is the top blocked one");
  assert.ok((await page.$$("#waf-replay-report svg.chart g")).length >= 10, "one bar per minute");
  await page.screenshot({ path: join(shots, "waf-replay.png"), fullPage: true });

  // Break the ACL: a rate limit below AWS's minimum of 10, reported with its line.
  const acl = await page.inputValue("#waf-acl");
  await page.fill("#waf-acl", acl.replace('"Limit": 100', '"Limit": 5'));
  await page.waitForSelector("#waf-acl-error");
  assert.match(await page.textContent("#waf-acl-error"), /ConstraintViolation.*line \d+, column \d+/s);

  await page.fill("#waf-probe", "<svg/onload=alert(1)>");
  await page.waitForFunction(() => document.querySelector("#waf-explain")?.textContent.includes("XSS: flagged"));
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: join(shots, "waf-dark.png"), fullPage: true });

  assert.deepEqual(problems.foreign, []);
  assert.deepEqual(problems.console, []);
  assert.deepEqual(problems.pageErrors, []);
  await context.close();
});
