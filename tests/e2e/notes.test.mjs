// The notes pages (#/notes, #/notes/<id>; src/bin/app/pages/notes/) in headless Chromium: every
// chapter the list shows is opened, revealed one step at a time and then all at once with no step
// failing unexpectedly; every variant ("Remove a permission") makes the step it names fail with the
// error it names; one "Open in the … page" link per chapter opens that page with the step's state
// (the page's fields differ from the page opened bare, and no share error is shown). Each chapter,
// all steps shown, passes axe in both themes (0 serious or critical); screenshots of every chapter,
// light and dark, go to target/screenshots/notes-<id>-run-<theme>.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  assertClean, axeViolations, captureFullPage, describeViolations, launch, screenshots, serve, SEVERE, watchedPage,
} from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// What a person could have typed or chosen on a page: every field's value in the page's host.
const fields = (page) => page.$$eval("#page input, #page textarea, #page select",
  (els) => els.filter((e) => e.id !== "theme").map((e) => `${e.id}=${e.value}`).join("\n"));

async function openPage(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await page.waitForFunction(() => {
    const host = document.querySelector("#page");
    return host && host.dataset.page && host.dataset.page !== "notes" && host.querySelector("h1");
  }, null, { timeout: 60_000 });
  await page.waitForTimeout(200);
}

async function showChapter(page, id) {
  await page.evaluate((h) => { location.hash = h; }, `#/notes/${id}`);
  await page.waitForSelector(`#page[data-page="notes"] section.notes[data-chapter="${id}"]`, { timeout: 60_000 });
}

test("notes: every chapter runs, every variant breaks its step, links open their pages with state", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  const cdp = await page.context().newCDPSession(page);
  await page.goto(`${server.origin}/#/notes`);
  await page.waitForSelector("html[data-ready='1']");
  await page.waitForSelector("#notes-index");
  assert.equal(await page.getAttribute("nav a.active", "href"), "#/notes");
  await captureFullPage(page, join(screenshots, "notes-index-light.png"));
  const chapters = await page.$$eval("#notes-index a.notes-chapter", (as) => as.map((a) => a.dataset.chapter));
  assert.ok(chapters.length >= 7, `the list shows the chapters (found ${chapters.length})`);
  for (const id of ["three-models", "envelope-kms", "key-rotation", "no-usable-policy", "snapshot-copy", "cross-account", "multi-region-attributes"]) {
    assert.ok(chapters.includes(id), `${id} is listed`);
  }

  // A bare page's fields, by route, to tell a loaded state from the default.
  const defaults = new Map();
  const rows = [];
  const severe = [];
  for (const id of chapters) {
    await showChapter(page, id);
    // One step at a time, then the rest.
    assert.equal(await page.locator("#notes-steps li").count(), 0, `${id}: no step shown before Next`);
    await page.click("#notes-next");
    await page.waitForSelector("#notes-steps li");
    assert.equal(await page.locator("#notes-steps li").count(), 1, `${id}: Next shows one step`);
    await page.click("#notes-all");
    await page.waitForSelector("#notes-all[disabled]");
    const statuses = await page.$$eval("#notes-steps li", (l) => l.map((x) => `${x.dataset.step}:${x.dataset.status}`));
    assert.ok(statuses.length >= 2, `${id}: ${statuses}`);
    assert.ok(!statuses.some((s) => s.endsWith(":failed")), `${id}: a step failed: ${statuses.join(", ")}`);
    const expected = await page.$$eval("#notes-steps li[data-status='expected'] [role='alert']", (l) => l.length);

    for (const scheme of ["light", "dark"]) {
      await cdp.send("Emulation.setEmulatedMedia", { features: [{ name: "prefers-color-scheme", value: scheme }] });
      await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
      const bad = (await axeViolations(page)).filter((v) => SEVERE.has(v.impact));
      if (bad.length) severe.push(describeViolations(`#/notes/${id} all steps [${scheme}]`, bad));
      await captureFullPage(page, join(screenshots, `notes-${id}-run-${scheme}.png`));
    }
    await cdp.send("Emulation.setEmulatedMedia", { features: [{ name: "prefers-color-scheme", value: "light" }] });

    // Every variant: the named step fails with the named code, the steps before it went as written.
    const variants = await page.$$eval("#notes-variant option", (os) => os.map((o) => o.value).filter(Boolean));
    for (const v of variants) {
      await page.selectOption("#notes-variant", v);
      await page.waitForSelector("#notes-variant-says");
      const says = await page.textContent("#notes-variant-says");
      const m = says.match(/the step `([^`]+)` should fail with (\w+)\. It does\./);
      assert.ok(m, `${id}/${v}: ${says}`);
      const last = await page.$eval("#notes-steps li:last-child", (li) => ({ step: li.dataset.step, code: li.dataset.code }));
      assert.deepEqual(last, { step: m[1], code: m[2] }, `${id}/${v}`);
      assert.equal(await page.locator("#notes-steps li:last-child [role='alert']").count(), 1, `${id}/${v}: the error is an alert`);
      const before = await page.$$eval("#notes-steps li", (l) => l.slice(0, -1).map((x) => x.dataset.status));
      assert.ok(before.every((s) => s !== "failed"), `${id}/${v}: ${before}`);
    }
    if (variants.length) {
      await page.selectOption("#notes-variant", "");
      await page.click("#notes-all");
      await page.waitForSelector("#notes-all[disabled]");
    }

    // "Open in" links: one of them, the last step's first (a chapter's end state), opens its page
    // with the step's state rather than the page's default. A link may rightly open a page as its
    // default does (the scanner's links name one of its examples, the first being the default), so
    // the others are tried, each in a fresh page, until one shows a state of its own.
    const links = await page.$$eval("#notes-steps a.notes-open", (as) => as.map((a) => a.getAttribute("href")));
    let followed = "-";
    const defaultOf = async (route) => {
      if (!defaults.has(route)) {
        const fresh = await watchedPage(browser, server.origin);
        await fresh.page.goto(`${server.origin}/${route}`);
        await fresh.page.waitForSelector("html[data-ready='1']");
        await fresh.page.waitForFunction(() => document.querySelector("#page h1"), null, { timeout: 60_000 });
        await fresh.page.waitForTimeout(200);
        defaults.set(route, await fields(fresh.page));
        assertClean(fresh.problems);
        await fresh.context.close();
      }
      return defaults.get(route);
    };
    for (const [n, href] of [...links].reverse().entries()) {
      const route = href.split("?")[0];
      const before = await defaultOf(route);
      let loaded;
      if (n === 0) {
        await page.click(`#notes-steps a.notes-open[href="${href}"]`);
        await openPage(page, href);
        assert.equal(await page.$("#share-error"), null, `${id}: ${route} refused the link`);
        loaded = await fields(page);
      } else {
        const fresh = await watchedPage(browser, server.origin);
        await fresh.page.goto(`${server.origin}/${href}`);
        await fresh.page.waitForSelector("html[data-ready='1']");
        await fresh.page.waitForFunction(() => document.querySelector("#page h1"), null, { timeout: 60_000 });
        await fresh.page.waitForTimeout(200);
        assert.equal(await fresh.page.$("#share-error"), null, `${id}: ${route} refused the link`);
        loaded = await fields(fresh.page);
        assertClean(fresh.problems);
        await fresh.context.close();
      }
      if (loaded !== before) {
        followed = route;
        break;
      }
    }
    if (links.length) assert.notEqual(followed, "-", `${id}: no step's link opened its page with the step's state`);
    rows.push(`${id.padEnd(26)} ${String(statuses.length).padStart(2)} steps (${expected} failing on purpose), ${variants.length} variants, link ${followed}`);
  }
  console.log(`notes: ${chapters.length} chapters\n${rows.join("\n")}`);
  await cdp.detach();
  assert.equal(severe.length, 0, `serious or critical accessibility violations:\n${severe.join("\n")}`);
  assertClean(problems);
  await context.close();
});

test("notes: an unknown chapter says so; steps are reached and run by keyboard", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/notes/no-such-chapter`);
  await page.waitForSelector("html[data-ready='1']");
  await page.waitForSelector("#page [role='alert']");
  assert.match(await page.textContent("#page [role='alert']"), /no chapter `no-such-chapter`/);
  await showChapter(page, "envelope-kms");
  await page.focus("#notes-variant");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "notes-next");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#notes-steps li");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "notes-all");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#notes-all[disabled]");
  assert.match(await page.textContent("#notes-steps li:last-child"), /decrypted: invoice 2026-001/);
  assertClean(problems);
  await context.close();
});
