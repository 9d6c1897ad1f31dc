// Drives the Secrets Manager page (#/secrets) in headless Chromium: a secret created from the
// form with the KMS GenerateDataKey it caused, a read, the notes' examples (rotation on the clock,
// a failed rotation leaving AWSPENDING, a replica promoted) with their versions, labels and
// rotation timeline. Screenshots in target/e2e/secrets*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertClean, serve, launch, watchedPage, shots } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test("Secrets Manager page: form calls, labels, the KMS entries, the examples", async () => {
  const { page, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/secrets`);
  await page.waitForSelector("html[data-ready='1']");
  await page.waitForSelector("#sm-operation");
  assert.equal(await page.getAttribute("nav a.active", "href"), "#/secrets");

  // CreateSecret from its template: one version under AWSCURRENT, sealed by a GenerateDataKey
  // made through the service.
  await page.click("#sm-send");
  await page.waitForSelector('tr[data-of="prod/db"][data-labels="AWSCURRENT"]');
  assert.match(await page.textContent("#sm-answer"), /arn:aws:secretsmanager:us-east-1:111122223333:secret:prod\/db-/);
  const via = await page.textContent('#sm-kms-audit tr[data-event="GenerateDataKey"]');
  assert.match(via, /secretsmanager\.us-east-1\.amazonaws\.com/);

  // GetSecretValue: the value, and a Decrypt in the KMS entries.
  await page.selectOption("#sm-operation", "GetSecretValue");
  await page.click("#sm-send");
  await page.waitForSelector('#sm-kms-audit tr[data-event="Decrypt"]');
  assert.match(await page.textContent("#sm-answer"), /initial/);
  // An error shows its AWS code.
  await page.selectOption("#sm-operation", "DeleteSecret");
  await page.fill("#sm-request", '{"SecretId": "prod/db", "RecoveryWindowInDays": 3}');
  await page.locator("#sm-request").dispatchEvent("change");
  await page.click("#sm-send");
  await page.waitForSelector('#sm-answer[data-code="InvalidParameterException"]');
  await page.screenshot({ path: join(shots, "secrets.png"), fullPage: true });

  // Example 1: rotation on the clock → AWSCURRENT and AWSPREVIOUS, a successful timeline.
  await page.click("#sm-example-0");
  await page.waitForSelector('#sm-timeline tr[data-step="RotationSucceeded"]');
  await page.waitForSelector('tr[data-of="prod/db"][data-labels="AWSPREVIOUS"]');
  await page.waitForSelector('tr[data-of="prod/db"][data-labels="AWSCURRENT"]');
  assert.equal(await page.locator('#sm-steps li[data-ok="false"]').count(), 0);
  await page.screenshot({ path: join(shots, "secrets-rotation.png"), fullPage: true });

  // Example 2: setSecret fails → AWSPENDING stays on the new version, AWSCURRENT unchanged.
  await page.click("#sm-example-1");
  await page.waitForSelector('#sm-timeline tr[data-step="setSecret"][data-ok="false"]');
  await page.waitForSelector('tr[data-of="prod/db"][data-labels="AWSPENDING"]');
  await page.waitForSelector('tr[data-of="prod/db"][data-labels="AWSCURRENT"]');
  assert.equal(await page.locator('#sm-steps li[data-ok="false"]').count(), 1, "only the refused new rotation fails");
  await page.screenshot({ path: join(shots, "secrets-failed-rotation.png"), fullPage: true });

  // Example 3: the replica in us-west-2, read-only until promoted.
  await page.click("#sm-example-2");
  await page.waitForSelector("#sm-steps li");
  const oks = await page.$$eval("#sm-steps li", (l) => l.map((x) => x.dataset.ok));
  assert.deepEqual(oks, ["true", "true", "false", "true", "true"]);
  await page.selectOption("#sm-region", "us-west-2");
  await page.waitForSelector('tr[data-secret="prod/db"]');
  await page.screenshot({ path: join(shots, "secrets-replica.png"), fullPage: true });
  assertClean(problems);
});
