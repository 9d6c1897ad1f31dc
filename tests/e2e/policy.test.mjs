// Drives the "Key policies" page (#/policies) in headless Chromium: a template, a request and its
// decision with the deciding statement tinted in the editor, a broken policy with a positioned
// finding, every KMS action at once, share links (same state in a fresh page; damaged links give a
// message), light and dark screenshots in target/e2e/policy*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertClean, serve, launch, watchedPage, shots } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const decision = (page) => page.getAttribute("#decision", "data-decision");
// The decision path and the table of every KMS action are made in a task after the edit's (view.rs
// `LaterParts`): busy until then.
const settled = (page) => page.waitForSelector(".policy-later:not([aria-busy])");
const FIELDS = ["#policy-key", "#policy-scp", "#req-principal", "#req-action", "#req-resource", "#req-account"];

async function snapshot(page) {
  const out = {};
  for (const f of FIELDS) out[f] = await page.inputValue(f);
  out.identity = await page.$$eval("textarea[id^='policy-identity-']", (els) => els.map((e) => e.value));
  out.context = await page.$$eval(".ctx-row", (rows) => rows.map((r) => [...r.querySelectorAll("input")].map((i) => i.value)));
  return out;
}

test("key policies: template, decision with highlighted statement, findings in place, share link", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/policies`);
  await page.waitForSelector("html[data-ready='1']");
  await page.waitForSelector("#policy-key");
  assert.equal(await page.getAttribute("nav a.active", "href"), "#/policies");

  // The cross-account template: both sides allow, so two statements decide, in two editors.
  await page.click("#tpl-cross-account");
  await page.waitForFunction(() => document.querySelector("#req-principal")?.value.includes("444455556666"));
  assert.equal(await decision(page), "allowed");
  assert.match(await page.textContent("#matched"), /key policy.*Allow an external account to use this key/s);
  assert.match(await page.textContent("#matched"), /identity policy 1.*AllowUseOfTheSharedKey/s);

  // The default key policy delegates to IAM: App's identity policy decides.
  await page.click("#tpl-default");
  await page.waitForFunction(() => document.querySelector("#policy-key")?.value.includes("key-default-1"));
  assert.equal(await decision(page), "allowed");
  assert.match(await page.textContent("#matched"), /identity policy 1/);

  // Parameter Store: Decrypt only through SSM. Without kms:ViaService the request is denied, and
  // the page names the missing key.
  await page.click("#tpl-parameter-store");
  await page.waitForFunction(() => document.querySelector("#policy-identity-0")?.value.includes("/my-department/my-app/*"));
  assert.deepEqual(await page.$$eval(".ctx-row input", (els) => els.map((e) => e.value)), ["kms:ViaService", "ssm.us-east-1.amazonaws.com"]);
  assert.equal(await decision(page), "allowed");
  await page.click(".ctx-row button");
  assert.equal(await decision(page), "implicitDeny");
  assert.match(await page.textContent("#missing"), /kms:ViaService/);
  await page.click("#missing >> text=kms:ViaService");
  await page.fill(".ctx-row .ctx-value", "ssm.us-east-1.amazonaws.com");
  assert.equal(await decision(page), "allowed");
  await page.fill("#req-action", "ssm:GetParameter");
  await page.fill("#req-resource", "arn:aws:ssm:us-east-1:111122223333:parameter/my-department/my-app/db-password");
  assert.equal(await decision(page), "allowed");
  await page.fill("#req-resource", "arn:aws:ssm:us-east-1:111122223333:parameter/my-department/other-app/db-password");
  assert.equal(await decision(page), "implicitDeny");

  // The console template: App is a key user, so the key policy alone allows Decrypt.
  await page.click("#tpl-console");
  await page.waitForFunction(() => document.querySelector("#policy-key")?.value.includes("Allow use of the key"));
  assert.equal(await page.$("#policy-identity-0"), null, "the console template needs no IAM policy");
  await page.fill("#req-action", "kms:Decrypt");
  assert.equal(await decision(page), "allowed");
  assert.match(await page.textContent("#decision"), /Allowed/);
  // The deciding statement is tinted in the key-policy editor, over exactly its text.
  const tinted = await page.$$eval("#editor-key .mk-allow", (els) => els.map((e) => e.textContent).join("\n"));
  assert.match(tinted, /"Sid": "Allow use of the key"/);
  assert.doesNotMatch(tinted, /Key Administrators/, "only the deciding statement is tinted");
  const tintedLines = await page.$$eval("#editor-key .ed-num.num-allow", (els) => els.map((e) => Number(e.textContent)));
  assert.ok(tintedLines.length >= 5, `the statement spans several lines: ${tintedLines}`);
  // The tint sits under the statement's characters: its top is level with the textarea line that holds the Sid.
  const geometry = await page.evaluate(() => {
    const ta = document.querySelector("#policy-key");
    const line = ta.value.split("\n").findIndex((l) => l.includes("Allow use of the key"));
    const mark = [...document.querySelectorAll("#editor-key .mk-allow")].find((e) => e.textContent.includes("Allow use of the key"));
    const lineBox = mark.closest(".ed-line").getBoundingClientRect();
    const taTop = ta.getBoundingClientRect().top + parseFloat(getComputedStyle(ta).paddingTop);
    return { line, expected: taTop + line * 18, actual: lineBox.top };
  });
  assert.ok(Math.abs(geometry.expected - geometry.actual) < 1.5, JSON.stringify(geometry));
  const trace = await page.textContent("#trace");
  assert.match(trace, /key policy/);
  await page.screenshot({ path: join(shots, "policy.png"), fullPage: true });

  // What can App do on the key: key-user actions yes, administration no.
  await settled(page);
  const cell = (a) => page.getAttribute(`#actions-table td[data-action='${a}']`, "class");
  assert.equal(await cell("kms:Decrypt"), "allowed");
  assert.equal(await cell("kms:GenerateDataKey"), "allowed");
  assert.equal(await cell("kms:ScheduleKeyDeletion"), "implicitDeny");
  assert.match(await page.textContent("#actions-summary"), /^\d+ of \d+ KMS actions allowed/);

  // How long one edit takes to re-validate, re-evaluate and re-render (with all 57 KMS actions):
  // a figure for the notes, not an assertion.
  const perEdit = await page.evaluate(async () => {
    const input = document.querySelector("#req-action");
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) {
      input.value = i % 2 ? "kms:Decrypt" : "kms:Encrypt";
      input.dispatchEvent(new InputEvent("input", { bubbles: true }));
      await new Promise((r) => setTimeout(r, 0));
      if (!document.querySelector("#decision-card")) throw new Error("no decision after an edit");
    }
    return (performance.now() - t0) / 20;
  });
  console.log(`one edit of the console template, evaluated and rendered: ${perEdit.toFixed(1)} ms`);

  // An administrative action for the same principal: implicit deny.
  await page.fill("#req-action", "kms:ScheduleKeyDeletion");
  assert.equal(await decision(page), "implicitDeny");
  assert.equal(await page.$("#editor-key .mk-allow"), null, "no statement decided, none is tinted");

  // Break the JSON (drop the comma that ends line 2): a positioned ERROR on line 3, underlined there.
  const good = await page.inputValue("#policy-key");
  const lines = good.split("\n");
  assert.ok(lines[1].endsWith(","), lines[1]);
  const broken = [lines[0], lines[1].slice(0, -1), ...lines.slice(2)].join("\n");
  await page.fill("#policy-key", broken);
  await page.waitForSelector("#findings-key li.mk-error");
  const finding = await page.textContent("#findings-key li.mk-error");
  assert.match(finding, /ERROR/);
  assert.match(finding, /MALFORMED_JSON/);
  assert.match(finding, /\b3:\d+\b/, `the finding has a line:column on line 3: ${finding}`);
  assert.ok(await page.$("#editor-key .ed-num.num-error"), "the line is marked in the gutter");
  assert.ok(await page.$("#editor-key .mk-error"), "the position is underlined");
  assert.match(await page.textContent("#eval-error"), /malformed json/);
  // The finding's position leads to its line: the editor scrolls back up to line 3.
  assert.ok(await page.$eval("#editor-key", (e) => e.scrollTop) > 100, "typing left the editor scrolled down");
  await page.click("#findings-key li.mk-error .pos");
  const top = await page.$eval("#editor-key", (e) => e.scrollTop);
  assert.ok(top <= 36, `scrolled to line 3: scrollTop ${top}`);
  await page.screenshot({ path: join(shots, "policy-finding.png"), fullPage: true });

  // Mend it: the decision is back.
  await page.fill("#policy-key", good);
  await page.fill("#req-action", "kms:Decrypt");
  assert.equal(await decision(page), "allowed");

  // A context key and a second identity policy, so that the share link carries every kind of field.
  await page.click("#add-identity");
  await page.fill("#policy-identity-0", JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "kms:Decrypt", Resource: "*", Condition: { StringNotEquals: { "aws:RequestedRegion": "us-east-1" } } }] }, null, 2));
  await page.waitForSelector("#suggestions >> text=aws:RequestedRegion");
  await page.click("#suggestions >> text=aws:RequestedRegion");
  await page.fill(".ctx-row .ctx-value", "eu-west-1");
  assert.equal(await decision(page), "explicitDeny");
  assert.ok(await page.$("#editor-identity-0 .mk-deny"), "the deny statement is tinted");
  // An SCP at the organisation root that forbids deleting keys: every account's principals lose it.
  await page.click("summary:has-text('Service control policy')");
  await page.fill("#policy-scp", JSON.stringify({ Version: "2012-10-17", Statement: [
    { Sid: "AllowAll", Effect: "Allow", Action: "*", Resource: "*" },
    { Sid: "NoKeyDeletion", Effect: "Deny", Action: "kms:ScheduleKeyDeletion", Resource: "*" }] }, null, 2));
  await settled(page);
  assert.equal(await page.getAttribute("#actions-table td[data-action='kms:ScheduleKeyDeletion']", "class"), "explicitDeny");
  await page.fill("#req-action", "kms:ScheduleKeyDeletion");
  assert.equal(await decision(page), "explicitDeny");
  assert.match(await page.$$eval("#editor-scp .mk-deny", (els) => els.map((e) => e.textContent).join("")), /"Sid": "NoKeyDeletion"/);
  assert.match(await page.textContent("#matched"), /service control policy.*NoKeyDeletion/s);
  await page.fill("#req-action", "kms:Decrypt");
  assert.equal(await decision(page), "explicitDeny");
  const before = await snapshot(page);

  await page.click("#share");
  const url = await page.inputValue("#share-url");
  assert.match(url, /#\/policies\?s=v1\.[A-Za-z0-9_-]+$/);
  assert.equal(new URL(page.url()).hash, new URL(url).hash, "the address bar holds the link too");
  assertClean(problems);
  await context.close();

  // A fresh page opens the link with the same state and the same decision.
  const fresh = await watchedPage(browser, server.origin, { colorScheme: "dark" });
  await fresh.page.goto(url);
  await fresh.page.waitForSelector("#policy-key");
  assert.deepEqual(await snapshot(fresh.page), before);
  assert.equal(await decision(fresh.page), "explicitDeny");
  assert.equal(await fresh.page.$("#share-error"), null);
  await fresh.page.fill("#req-action", "kms:Decrypt");
  await fresh.page.screenshot({ path: join(shots, "policy-dark.png"), fullPage: true });
  // On a phone-sized screen long lines wrap; the textarea and the marked copy behind it must wrap
  // them alike (the textarea never needs to scroll inside its box), or the marks would drift.
  await fresh.page.setViewportSize({ width: 420, height: 860 });
  const fit = await fresh.page.$$eval(".ed", (boxes) => boxes.map((b) => {
    const ta = b.querySelector("textarea");
    const wrapped = [...b.querySelectorAll(".ed-line")].filter((l) => l.getBoundingClientRect().height > 19).length;
    return { id: ta.id, overflow: ta.scrollHeight - ta.clientHeight, wrapped };
  }));
  assert.ok(fit.some((f) => f.wrapped > 0), `some lines wrap at 420 px: ${JSON.stringify(fit)}`);
  for (const f of fit) assert.ok(f.overflow <= 1, `the textarea wraps like its marks: ${JSON.stringify(f)}`);
  await fresh.page.screenshot({ path: join(shots, "policy-narrow.png"), fullPage: false });
  assertClean(fresh.problems);
  await fresh.context.close();
});

test("damaged share links give a message, never a crash", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  const cases = [
    ["v1.%%%not-base64", /not base64url/],
    ["v1.AAAA", /does not inflate/],
    ["v9.AAAA", /format `v9`/],
    ["nodot", /no version prefix/],
  ];
  for (const [s, message] of cases) {
    await page.goto(`${server.origin}/#/policies?s=${s}`);
    await page.reload();
    await page.waitForSelector("#share-error");
    assert.match(await page.textContent("#share-error"), message);
    // The page still works, with the console template.
    assert.match(await page.inputValue("#policy-key"), /Allow use of the key/);
    assert.equal(await decision(page), "allowed");
  }
  // A well-formed link whose fields have the wrong types.
  const { deflateRawSync } = await import("node:zlib");
  const bad = deflateRawSync(Buffer.from(JSON.stringify({ keyPolicy: 7 }))).toString("base64url");
  await page.goto(`${server.origin}/#/policies?s=v1.${bad}`);
  await page.reload();
  await page.waitForSelector("#share-error");
  assert.match(await page.textContent("#share-error"), /`keyPolicy` must be a string/);
  await page.screenshot({ path: join(shots, "policy-bad-link.png") });
  // A good link opened in the same tab (only the fragment changes): it loads, the message goes.
  const keyPolicy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Everyone in the account", Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" }] }, null, 2);
  const identity = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:Encrypt", Resource: "*" }] }, null, 2);
  const good = deflateRawSync(Buffer.from(JSON.stringify({ keyPolicy, identity: [identity], action: "kms:Encrypt",
    principal: "arn:aws:iam::111122223333:user/alice", resource: "arn:aws:kms:us-east-1:111122223333:key/k1" }))).toString("base64url");
  await page.goto(`${server.origin}/#/policies?s=v1.${good}`);
  await page.waitForFunction(() => document.querySelector("#req-principal")?.value.endsWith("user/alice"));
  assert.equal(await page.$("#share-error"), null);
  assert.equal(await page.inputValue("#policy-key"), keyPolicy);
  assert.equal(await page.inputValue("#policy-identity-0"), identity);
  assert.equal(await decision(page), "allowed");
  await settled(page);
  assert.equal(await page.getAttribute("#actions-table td[data-action='kms:Decrypt']", "class"), "implicitDeny");
  assertClean(problems);
  await context.close();
});
