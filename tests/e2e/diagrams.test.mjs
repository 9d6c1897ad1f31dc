// The drawings of the engines' results (issue 16 part 3) in headless Chromium, each from a known
// input: the policy decision path marks the deciding statement, the WAF flow the deciding rule (and
// the rules it never reached), the KMS audit timeline colours a denial and shows an event on focus,
// and the envelope drawings carry the real sizes of the message just made. axe runs on each drawing;
// screenshots go to target/e2e/diagram-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  assertClean, axeViolations, describeViolations, launch, serve, SEVERE, shots, watchedPage,
} from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function open(hash) {
  const w = await watchedPage(browser, server.origin);
  await w.page.goto(`${server.origin}/${hash}`);
  await w.page.waitForSelector("html[data-ready='1']");
  return w;
}

async function severe(page, selector) {
  const v = (await axeViolations(page, selector)).filter((x) => SEVERE.has(x.impact));
  assert.deepEqual(v, [], describeViolations(selector, v));
}

const KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

test("policy decision path: the deciding statement is the highlighted node", async () => {
  const { page, context, problems } = await open("#/policies");
  await page.waitForSelector("#policy-key");
  // A key policy whose second statement denies Decrypt to everyone: an explicit deny decides.
  await page.fill("#policy-key", JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" },
      { Sid: "NoDecrypt", Effect: "Deny", Principal: "*", Action: "kms:Decrypt", Resource: "*" },
    ],
  }, null, 2));
  await page.fill("#req-action", "kms:Decrypt");
  await page.fill("#req-resource", KEY);
  await page.waitForFunction(() => document.querySelector("#decision")?.dataset.decision === "explicitDeny");
  // The drawing comes in a task after the edit's (policy/view.rs `LaterParts`).
  await page.waitForSelector(".policy-later:not([aria-busy])");
  const deciding = await page.$$eval("#policy-path g.node.deciding", (gs) => gs.map((g) => [g.dataset.policy, g.dataset.statement, g.getAttribute("class")]));
  assert.deepEqual(deciding.map((d) => d.slice(0, 2)), [["resource", "1"]]);
  assert.match(deciding[0][2], /\bdeny\b/);
  assert.match(await page.getAttribute("#policy-path svg", "aria-label"), /decision explicitDeny/);
  assert.match(await page.textContent("#policy-path g.decision"), /explicit deny/);
  await severe(page, "#policy-path");
  await page.locator("#policy-path").screenshot({ path: join(shots, "diagram-policy.png") });
  assertClean(problems);
  await context.close();
});

test("WAF flow: the deciding rule is marked, later rules not reached, default action otherwise", async () => {
  const { page, context, problems } = await open("#/waf");
  await page.waitForSelector("#waf-capacity");
  await page.click("#waf-evaluate");
  await page.waitForSelector("#waf-flow svg");
  assert.deepEqual(await page.$$eval("#waf-flow g.rule.deciding", (gs) => gs.map((g) => g.dataset.rule)), ["sqli-query"]);
  assert.equal(await page.getAttribute("#waf-flow g.rule[data-rule='xss-body']", "data-outcome"), "NOT_REACHED");
  assert.match(await page.textContent("#waf-flow g.verdict"), /BLOCK by sqli-query/);
  await severe(page, "#waf-flow");
  await page.locator("#waf-flow").screenshot({ path: join(shots, "diagram-waf.png") });
  // A harmless request: no rule matches and the default action decides.
  await page.fill("#waf-request", "GET /products?id=42 HTTP/1.1\nHost: shop.example.com\n");
  await page.click("#waf-evaluate");
  await page.waitForFunction(() => document.querySelector("#waf-flow g.verdict")?.textContent.includes("ALLOW by Default_Action"));
  assert.equal((await page.$$("#waf-flow g.rule.deciding")).length, 0);
  assert.ok(await page.$("#waf-flow g.default.deciding"), "the default action is the deciding box");
  assertClean(problems);
  await context.close();
});

async function callOp(page, op, request) {
  await page.selectOption("#kms-operation", op);
  if (request !== undefined) await page.fill("#kms-request", JSON.stringify(request));
  const before = await page.$eval("#kms-audit-count", (e) => e.textContent);
  await page.click("#kms-send");
  await page.waitForFunction((b) => document.querySelector("#kms-audit-count")?.textContent !== b, before);
  return page.textContent("#kms-result");
}

test("KMS audit timeline: outcomes per principal, a deletion marked, focus shows the event", async () => {
  const { page, context, problems } = await open("#/kms");
  await page.waitForSelector("#kms-operation");
  const created = await callOp(page, "CreateKey");
  const arn = /"Arn": "(arn:aws:kms:[^"]+)"/.exec(created)?.[1];
  assert.ok(arn, created);
  await page.fill("#kms-principal", "arn:aws:iam::444455556666:role/Admin");
  await page.dispatchEvent("#kms-principal", "change");
  await callOp(page, "Encrypt", { KeyId: arn, Plaintext: "aGk=" });
  await page.fill("#kms-principal", "arn:aws:iam::111122223333:role/Admin");
  await page.dispatchEvent("#kms-principal", "change");
  await callOp(page, "ScheduleKeyDeletion", { KeyId: arn, PendingWindowInDays: 7 });
  await page.fill("#kms-days", "8");
  await page.click("#kms-advance");
  await page.waitForFunction(() => document.querySelector("#kms-timeline g.ev[data-event='DeleteKey']"));
  const events = await page.$$eval("#kms-timeline g.ev", (gs) => gs.map((g) => [g.dataset.event, g.getAttribute("class")]));
  assert.deepEqual(events.map((e) => e[0]), ["CreateKey", "Encrypt", "ScheduleKeyDeletion", "DeleteKey"]);
  assert.match(events[1][1], /\bdeny\b/, "the other account's call was denied");
  assert.match(events[0][1], /\ballow\b/);
  assert.equal(await page.$$eval("#kms-timeline line.mark.deletion", (l) => l.length), 2);
  assert.equal(await page.$$eval("#kms-timeline g.lane", (l) => l.length), 3, "two administrators and KMS itself");
  await page.focus("#kms-timeline g.ev[data-event='Encrypt']");
  assert.match(await page.textContent("#kms-timeline-detail"), /Encrypt by \S*444455556666\S* .*AccessDeniedException/);
  await severe(page, "#kms-timeline");
  await page.locator("#kms-timeline").screenshot({ path: join(shots, "diagram-kms.png") });
  assertClean(problems);
  await context.close();
});

test("envelope drawings: the real sizes of the message just made", async () => {
  const { page, context, problems } = await open("#/envelope");
  await page.fill("#message", "Meet me at seven.");
  await page.click("#encrypt");
  await page.waitForSelector("#envelope-diagram svg", { timeout: 60_000 });
  const sizes = await page.$$eval("#envelope-diagram g.seg text:last-child", (ts) => ts.map((t) => t.textContent));
  assert.deepEqual(sizes, ["256 B", "12 B", "17 B", "16 B"]);
  assert.match(await page.textContent("#envelope-diagram g.wrap"), /256 bytes/);
  await severe(page, "#envelope-diagram");
  await page.locator("#envelope-diagram").screenshot({ path: join(shots, "diagram-envelope.png") });

  await page.goto(`${server.origin}/#/esdk`);
  await page.waitForSelector("h1:has-text('Encryption SDK')");
  await page.fill("#esdk-frame", "1024");
  await page.fill("#esdk-plaintext", "x".repeat(3000));
  await page.click("#esdk-encrypt");
  await page.waitForSelector("#esdk-diagram svg");
  const b64 = await page.inputValue("#esdk-message");
  const length = Buffer.from(b64.replace(/\s+/g, ""), "base64").length;
  const caption = await page.textContent("#esdk-diagram text.caption");
  assert.equal(caption, `the message, byte by byte: ${length.toLocaleString("en-US")} bytes`);
  const names = await page.$$eval("#esdk-diagram g.seg text:first-of-type", (ts) => ts.map((t) => t.textContent));
  assert.deepEqual(names.slice(1), ["frame 1", "frame 2", "final frame 3", "signature"]);
  assert.equal((await page.$$("#esdk-diagram g.wrap")).length, 1, "one keyring, one wrapped data key");
  await severe(page, "#esdk-diagram");
  await page.locator("#esdk-diagram").screenshot({ path: join(shots, "diagram-esdk.png") });
  assertClean(problems);
  await context.close();
});
