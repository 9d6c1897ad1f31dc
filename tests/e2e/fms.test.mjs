// Drives the Firewall Manager page (#/fms) in headless Chromium: the notes' example (the status
// table, a SQL injection blocked by the policy's last rule group at the shop's load balancer, the
// merged web ACL's three sets), another resource's web ACL, the clock bringing a new account in
// and "add an account" covering it at once, and an edited policy text refused with its code.
// Every evaluation runs in the page's worker (www/fms-worker.js): meanwhile the page shows its
// last result, busy, with "Evaluating…".
// Screenshots in target/e2e/fms*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertClean, serve, launch, watchedPage, shots } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const SHOP = "arn:aws:elasticloadbalancing:eu-west-1:222222222222:loadbalancer/app/shop/50dc6c495c0c9188";
const PAY = "arn:aws:elasticloadbalancing:eu-west-1:333333333333:loadbalancer/app/pay/9a8b7c6d5e4f3a2b";
const NEW_TEAM = "arn:aws:elasticloadbalancing:eu-west-1:555555555555:loadbalancer/app/newapp/7e1b2c3d4e5f6a7b";
const row = (arn) => `#fms-status tr[data-arn="${arn}"]`;

test("Firewall Manager page: status table, merged web ACL, a request through it, the clock", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/fms`);
  await page.waitForSelector("html[data-ready='1']");
  await page.waitForSelector("#fms-status");
  assert.equal(await page.getAttribute("nav a.active", "href"), "#/fms");

  // The example: the shop's ALB gets the FMS web ACL; the SQL injection is blocked in the last set.
  assert.equal(await page.getAttribute(row(SHOP), "data-status"), "Compliant");
  assert.equal(await page.getAttribute(row(PAY), "data-status"), "Non-compliant");
  assert.match(await page.textContent(row(PAY)), /overrideCustomerWebACLAssociation/);
  assert.equal(await page.getAttribute("#fms-verdict", "data-action"), "BLOCK");
  assert.equal(await page.getAttribute("#fms-verdict", "data-set"), "last");
  const sets = await page.$$eval("#fms-rules li", (lis) => lis.map((li) => li.dataset.set));
  assert.deepEqual(sets, ["first", "account", "last"]);
  assert.match(await page.textContent("#fms-webacl"), /^FMManagedWebACLV2-baseline-regional-\d+$/);
  await page.screenshot({ path: join(shots, "fms.png"), fullPage: true });

  // /admin at the shop: the account's own rule, between the two sets.
  await page.fill("#fms-request", "GET /admin/users HTTP/1.1\nHost: shop.example.com\nUser-Agent: curl/8.5.0\n");
  await page.waitForSelector('#fms-verdict[data-set="account"]');

  // The payments ALB keeps its own web ACL: only its own rule.
  await page.click(row(PAY));
  await page.waitForFunction(() => document.querySelector("#fms-webacl")?.textContent.includes("payments-own"));
  assert.deepEqual(await page.$$eval("#fms-rules li", (lis) => lis.map((li) => li.dataset.set)), ["account"]);

  // The clock: the new team's account joins at t=600 and is covered at once (remediation on).
  assert.equal(await page.$(row(NEW_TEAM)), null);
  assert.match(await page.textContent("#fms-upcoming"), /newapp/);
  // Each evaluation is the page's worker's: while it runs, the page says so and keeps showing the
  // last result (the table, the request being typed), marked busy.
  const meanwhile = await page.evaluate(() => new Promise((ok) => {
    const seen = new MutationObserver(() => {
      if (!document.querySelector("#fms-evaluating")) return;
      seen.disconnect();
      ok({
        status: document.querySelector("#fms-evaluating").getAttribute("role"),
        busy: document.querySelector("#fms-results")?.getAttribute("aria-busy"),
        table: Boolean(document.querySelector("#fms-status")),
        request: Boolean(document.querySelector("#fms-request")),
        working: Boolean(document.querySelector("#fms-working")),
      });
    });
    seen.observe(document.body, { childList: true, subtree: true, attributes: true });
    document.querySelector("#fms-advance").click();
  }));
  assert.deepEqual(meanwhile, { status: "status", busy: "true", table: true, request: true, working: false });
  await page.click("#fms-advance");
  await page.waitForSelector(row(NEW_TEAM));
  assert.equal(await page.$("#fms-evaluating"), null);
  assert.equal(await page.getAttribute("#fms-results", "aria-busy"), null);
  assert.equal(await page.getAttribute(row(NEW_TEAM), "data-status"), "Compliant");
  assert.match(await page.textContent("#fms-time"), /t=600s/);

  // Add an account now: its load balancer is in the table, compliant, with the FMS web ACL.
  const before = (await page.$$("#fms-status tbody tr")).length;
  await page.click("#fms-add-account");
  await page.waitForFunction((n) => document.querySelectorAll("#fms-status tbody tr").length === n + 1, before);
  assert.match(await page.textContent("#fms-events"), /joined Prod/);
  const added = await page.$$eval("#fms-status tbody tr", (trs) => trs.map((t) => [t.dataset.arn, t.dataset.status]));
  const fresh = added.find(([arn]) => arn.includes(":666"));
  assert.ok(fresh, `no new account's resource in ${JSON.stringify(added)}`);
  assert.equal(fresh[1], "Compliant");
  await page.screenshot({ path: join(shots, "fms-clock.png"), fullPage: true });

  // An edited policy text AWS would refuse: the error with its code; the example brings it back.
  await page.fill("#fms-policies-text", '[{"Policy": {"PolicyName": "x"}}]');
  await page.waitForSelector('#fms-error[data-code="MissingField"]');
  await page.click("#fms-example");
  await page.waitForSelector("#fms-status");
  assertClean(problems);
  await context.close();
});
