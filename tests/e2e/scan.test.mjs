// Drives the sensitive-data scanner page (#/scan) of the built playground in headless Chromium: the
// notes' examples with their findings highlighted in place and masked (no secret anywhere in the
// page), an edit rescanned, the Macie-shaped finding; a generated file scanned in the page's worker
// with its counts, and a bigger one cancelled while it runs. Any request to another host, console
// error or uncaught exception fails the test.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { appendFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertClean, serve, launch, watchedPage, shots } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function openPage() {
  const w = await watchedPage(browser, server.origin);
  await w.page.goto(`${server.origin}/#/scan`);
  await w.page.waitForSelector("html[data-ready='1']");
  await w.page.waitForSelector("h1:has-text('Sensitive-data scanner')");
  return w;
}

const typesIn = (page, table) => page.$$eval(`${table} tr.scan-finding`, (rows) => rows.map((r) => r.dataset.type));

test("examples are scanned with findings highlighted and masked, and edits rescan", async () => {
  const { page, context, problems } = await openPage();
  assert.equal(await page.getAttribute("nav a.active", "href"), "#/scan");
  assert.deepEqual(await typesIn(page, "#scan-findings"),
    ["EMAIL_ADDRESS", "CREDIT_CARD_NUMBER", "PHONE_NUMBER", "PHONE_NUMBER", "USA_SOCIAL_SECURITY_NUMBER"]);
  const marks = await page.$$eval("#scan-highlight mark.scan-mark", (m) => m.map((x) => x.textContent));
  assert.ok(marks.includes("**** **** **** 4242"), marks.join(" | "));
  const shown = await page.textContent("#scan-highlight");
  assert.ok(!shown.includes("4242 4242 4242 4242") && !shown.includes("123-45-6789"), "the secret is masked in place");

  await page.click("button[data-example='1']");
  await page.waitForFunction(() => document.querySelector("#scan-findings")?.textContent.includes("OPENSSH_PRIVATE_KEY"));
  assert.deepEqual(await typesIn(page, "#scan-findings"), ["AWS_ACCESS_KEY_ID", "AWS_CREDENTIALS", "JSON_WEB_TOKEN", "OPENSSH_PRIVATE_KEY"]);
  const results = await page.textContent("#scan-results");
  assert.ok(!results.includes("Zx9aQ2mN8pL4vB7cR1sT6wY3uE5iO0kJhGfDsA2q"), "the secret key never appears");
  assert.match(await page.textContent("#scan-macie"), /"type": "SensitiveData:S3Object\/Credentials"/);
  await page.screenshot({ path: join(shots, "scan.png"), fullPage: true });

  await page.click("button[data-example='3']");
  await page.waitForFunction(() => document.querySelectorAll("#scan-findings tr.scan-finding").length === 0);

  await page.fill("#scan-text", "RRN 900101-1234568 and iban GB82 WEST 1234 5698 7654 32");
  await page.waitForFunction(() => document.querySelectorAll("#scan-findings tr.scan-finding").length === 2);
  assert.deepEqual(await typesIn(page, "#scan-findings"), ["KOREA_RESIDENT_REGISTRATION_NUMBER", "IBAN"]);
  assertClean(problems);
  await context.close();
});

async function logFile(path, lines) {
  await writeFile(path, "");
  for (let start = 0; start < lines; start += 10_000) {
    const out = [];
    for (let i = start; i < Math.min(lines, start + 10_000); i++) {
      out.push(i % 100 === 0 ? `line ${i} user${i}@example.com paid with card 4242424242424242\n`
        : `line ${i} GET /index.html 200 build 1.2.${i} request ${i.toString(16).padStart(8, "0")}\n`);
    }
    await appendFile(path, out.join(""));
  }
}

test("a file is scanned in the worker with progress, and a bigger one can be cancelled", async () => {
  const { page, context, problems } = await openPage();
  const dir = await mkdtemp(join(tmpdir(), "secplay-scan-"));
  try {
    const file = join(dir, "access.log");
    await logFile(file, 100_000);
    await page.setInputFiles("#scan-file-input", file);
    await page.waitForSelector("#scan-file-done", { timeout: 120_000 });
    assert.match(await page.textContent("#scan-file-summary"), / 2000 findings/);
    const types = new Set(await typesIn(page, "#scan-file-findings"));
    assert.deepEqual([...types].sort(), ["CREDIT_CARD_NUMBER", "EMAIL_ADDRESS"]);
    console.log(`scan in the page: ${await page.textContent("#scan-file-done p")}`);

    const big = join(dir, "big.log");
    await logFile(big, 1_500_000);
    await page.setInputFiles("#scan-file-input", big);
    await page.waitForSelector("#scan-file-progress");
    await page.click("#scan-file-cancel");
    await page.waitForSelector("#scan-file-cancelled", { timeout: 60_000 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  assertClean(problems);
  await context.close();
});
