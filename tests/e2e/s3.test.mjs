// Drives the S3 replication page (#/s3) of the built playground in headless Chromium: an example
// from the notes with its verdict, the deciding reason and its documentation link and policy trace;
// a broken configuration with its configuration error code; and a generated S3 Inventory report
// evaluated in the page's worker with a summary, and another cancelled while it runs. Any request to another host, console
// error or uncaught exception fails the test.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { appendFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertClean, serve, launch, watchedPage, shots, rendererPids, procMemory } from "./harness.mjs";

// S3_E2E_ROWS: rows of the generated report (default 20,000; 1,000,000 gives the page's figure).
const ROWS = Number(process.env.S3_E2E_ROWS ?? 20_000);

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function openPage() {
  const w = await watchedPage(browser, server.origin);
  await w.page.goto(`${server.origin}/#/s3`);
  await w.page.waitForSelector("html[data-ready='1']");
  await w.page.waitForSelector("h1:has-text('S3 replication')");
  return w;
}

test("examples give verdicts with reasons, doc links and traces; a broken configuration shows its code", async () => {
  const { page, context, problems } = await openPage();
  assert.equal(await page.getAttribute("nav a.active", "href"), "#/s3");
  assert.match(await page.textContent("#s3-notes-outdated"), /SSE-C objects never replicate/);
  assert.ok((await page.$$(".examples button.example")).length >= 7, "the notes' seven examples");

  // Cross-region SSE-KMS (the page opens with it): replicated under the replica key.
  await page.waitForSelector("#s3-objects tr.s3-row");
  const first = await page.textContent("#s3-objects tr.s3-row[data-index='0']");
  assert.match(first, /COMPLETED/);
  assert.match(first, /REPLICATED/);
  assert.match(await page.textContent("#s3-diagram"), /SSE-KMS arn:aws:kms:us-west-2:111122223333:key\/2222bbbb/);

  // Bucket Keys: the object with a Bucket Key fails, and the reason says why, with its page.
  await page.click("button[data-example='bucket-keys']");
  await page.waitForFunction(() => document.querySelector("#s3-objects tr.s3-row[data-index='1']")?.textContent.includes("FAILED"));
  await page.click("#s3-objects tr.s3-row[data-index='1']");
  const decided = page.locator("#s3-reasons li.s3-reason.decided").first();
  assert.equal(await decided.getAttribute("data-code"), "ROLE_CANNOT_DECRYPT_SOURCE_KEY");
  assert.match(await decided.locator("a.doc").getAttribute("href"), /^https:\/\/docs\.aws\.amazon\.com\/AmazonS3\//);
  await decided.locator("details.s3-trace summary").click();
  assert.match(await decided.locator("details.s3-trace").textContent(), /kms:Decrypt on .*1111aaaa.* → implicitDeny/s);
  assert.match(await decided.locator("details.s3-trace").textContent(), /kms:EncryptionContext:aws:s3:arn = arn:aws:s3:::src-bucket/);
  assert.ok(await page.$("#s3-reasons li.s3-reason[data-code='BUCKET_KEY_CONTEXT']"), "the Bucket Key note is among the reasons");
  await page.screenshot({ path: join(shots, "s3.png"), fullPage: true });

  // Cross-account: the replica belongs to the destination account.
  await page.click("button[data-example='cross-account-owner']");
  await page.waitForFunction(() => document.querySelector("#s3-diagram")?.textContent.includes("owned by 444455556666"));

  // A broken configuration: a V2 rule without its Priority.
  const config = await page.inputValue("#s3-replication");
  await page.fill("#s3-replication", config.replace(/"Priority": 1,\s*/, ""));
  await page.waitForSelector("#s3-config-errors li[data-code='PRIORITY_REQUIRED']");
  assert.match(await page.textContent("#s3-config-errors"), / at \/replication\//, "the error says where");
  // Text that is not JSON says where.
  await page.fill("#s3-keys", "[{");
  await page.waitForSelector("#s3-error");
  assert.match(await page.textContent("#s3-error"), /MalformedJson.*KMS keys/s);
  assertClean(problems);
  await context.close();
});

// A report of `rows` rows in the page's default fileSchema (Bucket, Key, VersionId, IsLatest,
// IsDeleteMarker, Size, LastModifiedDate, StorageClass, ReplicationStatus, EncryptionStatus,
// BucketKeyStatus), written in 10,000-row pieces.
async function report(path, rows) {
  await writeFile(path, "");
  for (let start = 0; start < rows; start += 10_000) {
    const lines = [];
    for (let i = start; i < Math.min(rows, start + 10_000); i++) {
      const enc = ["SSE-KMS", "SSE-S3", "NOT-SSE", "SSE-C"][i % 4];
      const cls = i % 10 === 9 ? "GLACIER" : "STANDARD";
      const prefix = ["docs", "logs", "img"][i % 3];
      lines.push(`src-bucket,${prefix}/file-${i}.txt,v${i},true,false,${i},2026-01-01T00:00:00.000Z,${cls},,${enc},DISABLED\n`);
    }
    await appendFile(path, lines.join(""));
  }
}

test("an S3 Inventory report is evaluated in the worker with a summary, and a run can be cancelled", async () => {
  const { page, context, problems } = await openPage();
  const dir = await mkdtemp(join(tmpdir(), "secplay-s3-"));
  try {
    const csv = join(dir, "inventory.csv");
    await report(csv, ROWS);
    await page.setInputFiles("#s3-inventory-file", csv);
    await page.waitForSelector("#s3-inventory-chosen");
    // The renderers' peak memory above idle while the report runs (the worker lives in the renderer).
    const pids = await rendererPids();
    assert.ok(pids.length >= 1, "no Chromium renderer process found (its memory cannot be measured)");
    const idle = new Map();
    for (const pid of pids) {
      idle.set(pid, (await procMemory(pid)).rss);
      await writeFile(`/proc/${pid}/clear_refs`, "5").catch(() => {}); // VmHWM back to the current RSS
    }
    await page.click("#s3-inventory-run");
    await page.waitForSelector("#s3-inventory-summary", { timeout: 300_000 });
    let grew = 0;
    for (const pid of pids) {
      const m = await procMemory(pid).catch(() => null);
      if (m) grew = Math.max(grew, m.hwm - idle.get(pid));
    }
    console.log(`renderer VmHWM +${(grew / 1048576).toFixed(1)} MiB above idle for ${ROWS} rows`);
    assert.ok(grew < 64 * 1048576, `the renderer grew ${(grew / 1048576).toFixed(1)} MiB above idle`);
    assert.equal(await page.getAttribute("#s3-inventory-summary", "data-rows"), String(ROWS));
    const outcomes = await page.textContent("#s3-inventory-outcomes");
    assert.match(outcomes, /dst-bucket.*REPLICATED/s);
    const reasons = await page.textContent("#s3-inventory-reasons");
    assert.match(reasons, /GLACIER_STORAGE_CLASS/);
    assert.match(await page.getAttribute("#s3-inventory-download", "href"), /^data:text\/csv/);
    console.log(`inventory in the page: ${await page.textContent("#s3-inventory-summary p")}`);
    await page.screenshot({ path: join(shots, "s3-inventory.png"), fullPage: true });

    // A larger report, cancelled while it runs.
    const big = join(dir, "big.csv");
    await report(big, 400_000);
    await page.setInputFiles("#s3-inventory-file", big);
    await page.click("#s3-inventory-run");
    await page.waitForSelector("#s3-inventory-progress");
    await page.click("#s3-inventory-cancel");
    await page.waitForSelector("#s3-inventory-cancelled", { timeout: 60_000 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  assertClean(problems);
  await context.close();
});
