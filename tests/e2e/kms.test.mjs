// Drives the KMS page (#/kms) in headless Chromium: a key created from the form, Encrypt and Decrypt
// through the templates, the audit log's rows and filter, another principal denied with the policy
// trace, the clock, a snapshot downloaded and restored, and each of the notes' scenarios run to its
// end, plus one variant to its failing step. Screenshots in target/e2e/kms*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readFile } from "node:fs/promises";
import { assertClean, serve, launch, watchedPage, shots } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const text = (page, sel) => page.textContent(sel);

// Picks an operation (its template fills the request) and calls it; returns the response or error card's text.
async function callOp(page, op, request) {
  await page.selectOption("#kms-operation", op);
  if (request !== undefined) await page.fill("#kms-request", JSON.stringify(request));
  const before = await page.$eval("#kms-audit-count", (e) => e.textContent);
  await page.click("#kms-send");
  await page.waitForFunction((b) => document.querySelector("#kms-audit-count")?.textContent !== b, before);
  return text(page, "#kms-result");
}

test("KMS page: form calls, audit log, a denial with its trace, the clock, a snapshot", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/kms`);
  await page.waitForSelector("html[data-ready='1']");
  await page.waitForSelector("#kms-operation");
  assert.equal(await page.getAttribute("nav a.active", "href"), "#/kms");
  assert.equal(await page.inputValue("#kms-principal"), "arn:aws:iam::111122223333:role/Admin");

  // CreateKey from its template; the key appears in us-east-1, Enabled.
  const created = await callOp(page, "CreateKey");
  const arn = /"Arn": "(arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f-]+)"/.exec(created)?.[1];
  assert.ok(arn, `CreateKey answered ${created}`);
  await page.waitForSelector(`tr[data-key="${arn}"] td[data-state="Enabled"]`);

  // Encrypt with the template (it names the new key), then Decrypt (it carries the ciphertext).
  await page.selectOption("#kms-operation", "Encrypt");
  assert.ok((await page.inputValue("#kms-request")).includes(arn), "the Encrypt template names the new key");
  const enc = await callOp(page, "Encrypt");
  assert.match(enc, /"CiphertextBlob": "/);
  const dec = await callOp(page, "Decrypt");
  assert.match(dec, /"Plaintext": "aGVsbG8sIEtNUw=="/, dec);

  // The audit log: newest first, one row per call.
  assert.equal(await text(page, "#kms-audit-count"), "3 events");
  assert.equal(await page.getAttribute("#kms-audit tbody tr:first-child", "data-event"), "Decrypt");

  // Another account's administrator is refused: AccessDeniedException with the evaluation's trace.
  await page.fill("#kms-principal", "arn:aws:iam::444455556666:role/Admin");
  await page.dispatchEvent("#kms-principal", "change");
  const denied = await callOp(page, "Encrypt", { KeyId: arn, Plaintext: "aGk=" });
  assert.match(await text(page, "#kms-error-code"), /^AccessDeniedException$/, denied);
  assert.match(denied, /444455556666:role\/Admin is not authorized to perform: kms:Encrypt/);
  assert.ok((await page.$$("#kms-trace li")).length > 0, "the denial shows the policy trace");
  assert.ok(await page.$("#kms-trace li.decisive"), "the deciding line of the trace is marked");
  assert.equal(await page.getAttribute("#kms-result .decision", "data-decision"), "implicitDeny");
  await page.screenshot({ path: join(shots, "kms-denied.png"), fullPage: true });

  // The audit log's "errors only" filter keeps the denial alone.
  await page.check("#kms-errors-only");
  await page.waitForFunction(() => document.querySelector("#kms-audit-count")?.textContent === "1 event");
  assert.equal(await page.textContent("#kms-audit tbody tr td:last-child"), "AccessDeniedException");
  await page.uncheck("#kms-errors-only");
  await page.fill("#kms-filter-event", "CreateKey");
  await page.waitForFunction(() => document.querySelector("#kms-audit-count")?.textContent === "1 event");
  await page.fill("#kms-filter-event", "");

  // Back as the owner: schedule the key's deletion, advance the clock past the window.
  await page.fill("#kms-principal", "arn:aws:iam::111122223333:role/Admin");
  await page.dispatchEvent("#kms-principal", "change");
  await callOp(page, "ScheduleKeyDeletion", { KeyId: arn, PendingWindowInDays: 7 });
  await page.waitForSelector(`tr[data-key="${arn}"] td[data-state="PendingDeletion"]`);
  assert.match(await text(page, "#kms-now"), /^2026-01-01/);
  await page.fill("#kms-days", "8");
  await page.click("#kms-advance");
  await page.waitForFunction(() => document.querySelector("#kms-now")?.textContent.startsWith("2026-01-09"));
  assert.match(await text(page, "#kms-notice"), /DeleteKey/);
  assert.equal(await page.$(`tr[data-key="${arn}"]`), null, "the key is gone after its window");
  assert.match(await text(page, "#kms-cost"), /Simulated usage so far: \$\d/);

  // A snapshot downloads as a file (no key material in any address) and restores into a fresh world.
  await callOp(page, "CreateKey");
  await page.click("#kms-snapshot");
  const href = await page.getAttribute("#kms-snapshot-link", "href");
  assert.match(href, /^blob:/);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#kms-snapshot-link")]);
  const file = join(shots, "kms-world.snapshot");
  await download.saveAs(file);
  assert.ok((await readFile(file)).length > 100);
  assert.ok(!page.url().includes("key/"), "the address holds no world");
  await page.click("#kms-reset");
  await page.waitForFunction(() => document.querySelectorAll("tr[data-key]").length === 0);
  await page.setInputFiles("#kms-restore", file);
  await page.waitForFunction(() => document.querySelector("#kms-notice")?.textContent.includes("Restored the snapshot's world: 1 key."));
  assert.equal((await page.$$("tr[data-key]")).length, 1, "the deleted key stays deleted, the new one is back");

  // An RSA_4096 key from the form: made by WebCrypto off the page's thread (the long-task watch
  // fails this test if it were made in the reducer: seconds in wasm), then the call runs once.
  const events = parseInt(await text(page, "#kms-audit-count"), 10);
  const rsa = await callOp(page, "CreateKey", { KeySpec: "RSA_4096", KeyUsage: "SIGN_VERIFY" });
  assert.match(rsa, /"KeySpec": "RSA_4096"/, rsa);
  assert.equal(await text(page, "#kms-audit-count"), `${events + 1} events`, "one CreateKey logged, not one per attempt");
  assert.equal(await page.$("#kms-making"), null, "nothing waits any more");

  await page.screenshot({ path: join(shots, "kms.png"), fullPage: true });
  assertClean(problems);
  await context.close();
});

const SCENARIOS = ["lambda-env", "public-key", "snapshot-copy", "ami-sharing", "multi-region"];

test("KMS page: each of the notes' scenarios runs to its end, and a variant stops at its failing step", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/kms`);
  await page.waitForSelector("#kms-scenario");
  const offered = await page.$$eval("#kms-scenario option", (os) => os.map((o) => o.value));
  for (const id of SCENARIOS) {
    assert.ok(offered.includes(id), `scenario ${id} is missing from the page`);
    await page.selectOption("#kms-scenario", id);
    await page.click("#kms-start");
    await page.waitForSelector("#kms-steps li[data-status='pending']");
    // One step by hand, then the rest.
    await page.click("#kms-next");
    await page.waitForSelector("#kms-steps li:first-child[data-status='done']");
    await page.click("#kms-run-all");
    await page.waitForSelector("#kms-scenario-end");
    const end = await text(page, "#kms-scenario-end");
    const steps = (await page.$$("#kms-steps li")).length;
    assert.equal(end, `Finished after ${steps} of ${steps} steps, each as documented.`, `${id}: ${end}`);
    assert.equal(await page.$("#kms-steps li[data-status='unexpected']"), null, `${id}: a step did not do as documented`);
    assert.equal(await page.$("#kms-steps li[data-status='pending']"), null, `${id}: a step did not run`);
    await page.screenshot({ path: join(shots, `kms-scenario-${id}.png`), fullPage: true });
  }

  // AMI sharing without kms:CreateGrant in the key policy: the grant step fails, nothing after it runs.
  await page.selectOption("#kms-scenario", "ami-sharing");
  await page.selectOption("#kms-variant", { label: "Remove kms:CreateGrant from the key policy" });
  await page.click("#kms-start");
  await page.click("#kms-run-all");
  await page.waitForSelector("#kms-scenario-end");
  assert.equal(await page.getAttribute("#kms-steps li[data-step='grant']", "data-status"), "failed");
  assert.match(await text(page, "#kms-steps li[data-step='grant'] .step-error"), /AccessDeniedException/);
  assert.equal(await page.getAttribute("#kms-steps li[data-step='reencrypt']", "data-status"), "pending");
  assert.match(await text(page, "#kms-scenario-end"), /Finished after 5 of 7 steps, each as documented/);
  assert.equal(await text(page, "#kms-error-code"), "AccessDeniedException");
  assert.ok((await page.$$("#kms-trace li")).length > 0, "the failing step's denial shows its trace");
  await page.screenshot({ path: join(shots, "kms-variant.png"), fullPage: true });

  assertClean(problems);
  await context.close();
});
