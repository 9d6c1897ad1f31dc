// Drives the WAF page's log replay tab (#/waf/replay) of the built playground in headless Chromium:
// the built-in example log (36 records made from the AWS documentation's log examples) replayed to
// the figures its edits imply; a gzip log made here with node:zlib replayed in the page's worker with
// progress, its figures checked against `replayLogs` of the JS package (pkg/) on the same bytes; a
// larger replay cancelled while it runs; a sample opened with the WAF engine's trace. Any request to
// another host, console error or uncaught exception fails the test.
// Log format: https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { assertClean, serve, launch, watchedPage, shots, root } from "./harness.mjs";

// WAF_REPLAY_E2E_RECORDS: records of the uploaded log (default 100,000).
const RECORDS = Number(process.env.WAF_REPLAY_E2E_RECORDS ?? 100_000);
const DOC_LINES = readFileSync(join(root, "tests/waf/data/aws-log-examples.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));

let server, browser, pkg;
before(async () => {
  server = await serve();
  browser = await launch();
  pkg = await import(join(root, "pkg/secplay.js"));
  pkg.initSync({ module: await readFile(join(root, "pkg/secplay_bg.wasm")) });
});
after(async () => { await browser?.close(); await server?.close(); });

async function openTab(hash = "#/waf/replay") {
  const w = await watchedPage(browser, server.origin);
  await w.page.goto(`${server.origin}/${hash}`);
  await w.page.waitForSelector("html[data-ready='1']");
  await w.page.waitForSelector("h1:has-text('WAF')");
  return w;
}

// `n` records cycling through the four documented ones, 50 ms apart, from 500 addresses, with
// a few dog names so the rate-based rule has several keys; every 1,000th line is not JSON.
function log(n) {
  const lines = [];
  const t0 = DOC_LINES[0].timestamp;
  for (let i = 0; i < n; i++) {
    const r = structuredClone(DOC_LINES[i % 4]);
    r.timestamp = t0 + i * 50;
    r.httpRequest.requestId = `${r.httpRequest.requestId}-${i}`;
    r.httpRequest.clientIp = `203.0.113.${i % 250}`;
    if (i % 2) r.httpRequest.clientIp = `2001:db8::${(i % 250).toString(16)}`;
    for (const h of r.httpRequest.headers) if (h.name === "dogname") h.value = ["ella", "rex", "fido", "max"][i % 7 % 4];
    lines.push(i % 1000 === 999 ? "{not json" : JSON.stringify(r));
  }
  return gzipSync(lines.join("\n") + "\n");
}

const COUNTS = ["records", "unchanged", "newlyBlocked", "newlyAllowed", "otherChanges", "labelsChanged", "unjudged", "badLines"];

async function counts(page) {
  const out = {};
  for (const k of COUNTS) out[k] = Number(await page.textContent(`#waf-replay-counts tr[data-key='${k}'] td`));
  return out;
}

test("the example log replays to the expected figures, and a sample opens with its trace", async () => {
  const { page, context, problems } = await openTab("#/waf");
  // The replay is a tab of the WAF page, which stays the active navigation entry.
  await page.click("#waf-tab-replay");
  await page.waitForSelector("#waf-replay-example", { state: "visible" });
  assert.equal(await page.getAttribute("nav.side a.active", "href"), "#/waf");
  assert.equal(await page.isVisible("#waf-acl"), false, "the evaluate tab is hidden");
  await page.click("#waf-replay-example");
  await page.waitForSelector("#waf-replay-result");
  // The figures the example's edits imply (see src/bin/app/pages/waf/replay/example.rs and its
  // native test): 10 `ella` records under the lowered rate limit newly allowed, the 11th and 12th
  // `rex` records newly blocked, the 6 Known Bad Inputs blocks newly allowed (group left out), the
  // 6 CAPTCHAs now CHALLENGEs.
  const c = await counts(page);
  // 18 records lose a label (12 the documented rate-based placeholder label, 6 the managed
  // group's); 26 reach the body rule, which a log cannot judge.
  assert.deepEqual(c, { records: 36, unchanged: 12, newlyBlocked: 2, newlyAllowed: 16, otherChanges: 6, labelsChanged: 18, unjudged: 26, badLines: 0 });
  const rate = await page.textContent("#waf-replay-rules tr[data-rule='RateBasedRule']");
  assert.match(rate.replace(/\s+/g, " "), /RateBasedRule\s*12\s*4\s*2\s*10/);
  assert.match(await page.textContent("#waf-replay-unjudged"), /BodyTooLarge: inspects the request body/);
  assert.ok((await page.$$("#waf-replay-clients tr[data-client]")).length >= 9, "one row per client address");

  // A CHALLENGE sample: the trace of the ACL the replay ran with, the deciding rule marked.
  const row = page.locator("#waf-replay-samples tr.sample", { hasText: "CHALLENGE" }).first();
  await row.locator("button.sample-open").click();
  await page.waitForSelector("#waf-replay-trace");
  assert.match(await page.textContent("#waf-replay-verdict"), /CHALLENGE by CaptchaLogin/);
  assert.ok(await page.$("#waf-replay-trace table.trace tr.hit"), "the deciding rule is marked in the trace");
  assert.match(await page.textContent("#waf-replay-log"), /"terminatingRuleId": "CaptchaLogin"/);
  await page.screenshot({ path: join(shots, "waf-replay.png"), fullPage: true });
  assertClean(problems);
  await context.close();
});

test("an uploaded gzip log replays in the worker with progress, as replayLogs does; a larger one is cancelled", async () => {
  const { page, context, problems } = await openTab();
  const dir = await mkdtemp(join(tmpdir(), "secplay-waf-replay-"));
  try {
    const gz = log(RECORDS);
    const path = join(dir, "waf-log.jsonl.gz");
    await writeFile(path, gz);
    await page.setInputFiles("#waf-replay-file", path);
    await page.waitForSelector("#waf-replay-chosen");
    // Every progress the page shows, kept as it changes.
    await page.evaluate(() => {
      window.__seen = [];
      new MutationObserver(() => {
        const p = document.querySelector("#waf-replay-progress");
        if (p) window.__seen.push(Number(p.dataset.records));
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.click("#waf-replay-run");
    await page.waitForSelector("#waf-replay-result", { timeout: 300_000 });
    const seen = await page.evaluate(() => window.__seen);
    assert.ok(seen.some((n) => n > 0 && n < RECORDS), `progress in between: ${seen.slice(0, 10)}`);
    const acl = JSON.parse(await page.inputValue("#waf-replay-acl"));
    const expected = pkg.replayLogs(acl, null, gz, { maxSamples: 50 });
    const c = await counts(page);
    for (const k of COUNTS) assert.equal(c[k], expected[k], k);
    assert.equal(c.records + c.badLines, RECORDS);
    assert.equal(c.badLines, Math.floor(RECORDS / 1000));
    for (const r of expected.perRule) {
      const cells = await page.$$eval(`#waf-replay-rules tr[data-rule='${r.ruleId}'] td.num`, (tds) => tds.map((t) => Number(t.textContent)));
      assert.deepEqual(cells, [r.matchedBefore, r.matchedAfter, r.gained, r.lost], r.ruleId);
    }
    const clients = await page.$$eval("#waf-replay-clients tr[data-client]", (trs) => trs.map((tr) =>
      [tr.dataset.client, ...[...tr.querySelectorAll("td.num")].map((t) => Number(t.textContent))]));
    assert.deepEqual(clients, expected.perClient.map((x) => [x.clientIp, x.records, x.changed, x.newlyBlocked, x.newlyAllowed]));
    const result = page.locator("#waf-replay-result");
    const ms = Number(await result.getAttribute("data-ms"));
    console.log(`waf replay in the page: ${await page.textContent("#waf-replay-done")} (${Math.round(RECORDS / (ms / 1e3))} records/s)`);

    // A larger log, cancelled while it runs.
    const big = join(dir, "big.jsonl.gz");
    await writeFile(big, Buffer.concat([gz, gz, gz, gz, gz])); // gzip members one after another
    await page.setInputFiles("#waf-replay-file", big);
    await page.click("#waf-replay-run");
    await page.waitForSelector("#waf-replay-progress");
    await page.click("#waf-replay-cancel");
    await page.waitForSelector("#waf-replay-cancelled", { timeout: 60_000 });
    assert.equal(await page.$("#waf-replay-result"), null);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  assertClean(problems);
  await context.close();
});
