// Drives the Parameter Store page (#/ssm) in headless Chromium: the notes' examples one click
// away (path-based IAM with SecureString decrypted through KMS via SSM, the denial outside the
// path with its policy trace, labels, public parameters, an expiration policy on the clock), a
// PutParameter typed in, the parameter tree. Screenshots in target/e2e/ssm*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertClean, serve, launch, watchedPage, shots } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const text = (page, sel) => page.textContent(sel);

async function example(page, id) {
  await page.click(`#ssm-examples button[data-example="${id}"]`);
  await page.waitForSelector(`#ssm-examples button.active[data-example="${id}"]`);
  await page.click("#ssm-send");
  await page.waitForSelector("#ssm-result");
  return text(page, "#ssm-result");
}

test("Parameter Store page: the notes' examples, KMS audit entries, a denial's trace, the clock", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/ssm`);
  await page.waitForSelector("html[data-ready='1']");
  await page.waitForSelector("#ssm-examples");
  assert.equal(await page.getAttribute("nav a.active", "href"), "#/ssm");

  // Path-based IAM: the my-app user reads its subtree, the SecureString decrypted by KMS via SSM.
  const subtree = await example(page, "path-iam");
  assert.match(subtree, /correct horse battery staple/);
  assert.doesNotMatch(subtree, /not for my-app/);
  assert.equal(await page.getAttribute("#ssm-kms-audit tbody tr", "data-event"), "Decrypt");
  assert.match(await text(page, "#ssm-kms-audit"), /ssm\.us-east-1\.amazonaws\.com/);
  assert.match(await text(page, "#ssm-kms-audit"), /PARAMETER_ARN/);
  assert.ok(await page.$('#ssm-tree li[data-name="/my-department/my-app/db-password"]'), "the tree lists the parameter");
  await page.screenshot({ path: join(shots, "ssm.png"), fullPage: true });

  // Outside the path: AccessDeniedException with the trace, and no KMS call.
  const denied = await example(page, "path-denied");
  assert.equal(await text(page, "#ssm-error-code"), "AccessDeniedException");
  assert.match(denied, /my-app is not authorized to perform: ssm:GetParameter/);
  assert.ok((await page.$$("#ssm-trace li")).length > 0, "the denial shows the policy trace");
  assert.ok(await page.$("#ssm-kms-none"));
  await page.screenshot({ path: join(shots, "ssm-denied.png"), fullPage: true });

  // Labels, public parameters, the standard tier's limit, the Secrets Manager reference.
  const labelled = await example(page, "labels");
  assert.match(labelled, /"Value": "canary"/);
  assert.match(labelled, /"Selector": ":prod"/);
  assert.match(await example(page, "public"), /US East \(N\. Virginia\)/);
  await example(page, "tiers");
  assert.equal(await text(page, "#ssm-error-code"), "ValidationException");
  // The reference is Secrets Manager's GetSecretValue as the caller: its Decrypt is in the KMS log.
  const secret = await example(page, "secrets-reference");
  assert.match(secret, /correct horse/);
  assert.match(secret, /"Type": "SecureString"/);
  assert.match(await text(page, "#ssm-kms-audit"), /secretsmanager\.us-east-1\.amazonaws\.com/);

  // The expiration policy: the notification already fired; one more day deletes the parameter.
  await example(page, "expiration");
  assert.match(await text(page, "#ssm-events"), /ExpirationNotification on \/my-department\/my-app\/temp-token/);
  await page.fill("#ssm-days", "1");
  await page.click("#ssm-advance");
  await page.waitForFunction(() => /Expiration on/.test(document.querySelector("#ssm-events li")?.textContent ?? ""));
  assert.equal(await page.$('#ssm-tree li[data-name="/my-department/my-app/temp-token"]'), null);
  await page.screenshot({ path: join(shots, "ssm-clock.png"), fullPage: true });

  // A PutParameter typed in, then picked from the tree and read back.
  await page.click("#ssm-reset");
  await page.selectOption("#ssm-operation", "PutParameter");
  await page.fill("#ssm-request", JSON.stringify({ Name: "/typed/in", Value: "hello", Type: "SecureString" }));
  await page.click("#ssm-send");
  await page.waitForSelector('#ssm-tree li[data-name="/typed/in"]');
  // The first SecureString of the account: KMS makes alias/aws/ssm (CreateKey), then Encrypt.
  assert.ok(await page.$('#ssm-kms-audit tr[data-event="Encrypt"]'), "the put encrypted through KMS");
  await page.click('#ssm-tree li[data-name="/typed/in"] a');
  await page.click("#ssm-send");
  await page.waitForFunction(() => /"Value": "hello"/.test(document.querySelector("#ssm-response")?.textContent ?? ""));
  assert.match(await text(page, "#ssm-cost"), /1 standard parameters/);
  assertClean(problems);
  await context.close();
});
