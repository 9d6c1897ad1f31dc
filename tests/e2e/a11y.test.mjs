// Accessibility of the built playground (issue 16, parts 4, 6 and 7): every page the navigation
// links to, and every sub-page those pages link to (`#/waf/replay`…), is checked by axe-core in both
// themes, chosen two ways (the system's prefers-color-scheme emulated through the DevTools protocol,
// and the header's theme toggle overriding the other system setting); a serious or critical violation
// fails the test and is printed. The states the pages' buttons lead to (examples loaded, requests
// evaluated and sent) are checked too, in both themes. Every page's first interactive elements show a
// visible focus ring when reached by Tab, the theme toggle works by keyboard and is remembered, and
// the main action of two pages runs from the keyboard alone. Screenshots of every page, light and dark, go to
// target/screenshots/ (Page.captureScreenshot).
// The pages are read from the page's own navigation, so a new page is checked without an edit here.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  assertClean, axeViolations, captureFullPage, describeViolations, launch, screenshots, serve, SEVERE, watchedPage,
} from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// The four ways a theme is set: the system's (emulated), or the toggle's against the other system one.
const MODES = [
  { name: "system-light", system: "light", toggle: null, theme: "light" },
  { name: "system-dark", system: "dark", toggle: null, theme: "dark" },
  { name: "toggle-dark", system: "light", toggle: "dark", theme: "dark" },
  { name: "toggle-light", system: "dark", toggle: "light", theme: "light" },
];
const DARK_BG = "rgb(13, 17, 23)";
const LIGHT_BG = "rgb(255, 255, 255)";

// prefers-color-scheme through the DevTools protocol (what the brief asks for; Playwright's
// colorScheme option does the same underneath).
async function emulateScheme(page, scheme) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setEmulatedMedia", { features: [{ name: "prefers-color-scheme", value: scheme }] });
  return cdp;
}

// After a hash change: the nav marks the page, and two frames have painted.
async function settle(page, hash) {
  await page.waitForFunction((h) => {
    const main = document.querySelector("main");
    return main && main.querySelector("h1") && (location.hash === h || location.hash === h.replace(/^#\/$/, ""));
  }, hash, { timeout: 30_000 });
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  await page.waitForTimeout(250);
}

// Links that name a page (`#/kms`, `#/waf/replay`), not a share link's state (`#/policies?s=…`).
const PAGE_LINK = /^#\/[a-z0-9-]*(\/[a-z0-9-]+)*$/;

async function navLinks(page) {
  return page.$$eval("nav a[href^='#/']", (as) => as.map((a) => a.getAttribute("href")));
}
async function inPageLinks(page) {
  return page.$$eval("main a[href^='#/']", (as) => as.map((a) => a.getAttribute("href")));
}

const slug = (hash) => hash.replace(/^#\/?/, "").replace(/[^a-z0-9]+/gi, "-") || "overview";

// Tab from the top of the document up to `limit` times; for each element focused, whether a focus
// indicator shows: its own outline or box-shadow, or a :focus-within ring on a near ancestor (the
// policy editor's textarea sits inside a framed box that lights up).
async function tabThrough(page, limit) {
  await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  await page.focus("body").catch(() => {});
  const seen = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    // Read after a frame: a date field moves the focus among its parts within the key's handling.
    const info = await page.evaluate(async () => {
      await new Promise((ok) => requestAnimationFrame(ok));
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const ring = (e) => {
        const cs = getComputedStyle(e);
        return (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 1) || cs.boxShadow !== "none";
      };
      // Focus on a part inside the browser's own control (a date field's calendar button): the host
      // does not match :focus and the browser draws that part's ring (styled in style.css).
      let visible = ring(el) || !el.matches(":focus");
      for (let a = el.parentElement, up = 0; !visible && a && up < 3; a = a.parentElement, up++) {
        visible = a.matches(":focus-within") && ring(a);
      }
      const name = el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).split(" ").join(".") : ""}`;
      const cs = getComputedStyle(el);
      const style = `outline ${cs.outlineStyle} ${cs.outlineWidth}, box-shadow ${cs.boxShadow}`;
      return { name, text: (el.textContent ?? "").trim().slice(0, 30), visible, style };
    });
    if (!info) break;
    if (seen.length && seen[0].name === info.name && seen[0].text === info.text) break; // wrapped around
    seen.push(info);
  }
  return seen;
}

test("axe: every page in both themes, by the system setting and by the toggle; focus is visible", async () => {
  const severe = [];
  const rows = [];
  const focusProblems = [];
  let pagesChecked = [];
  for (const mode of MODES) {
    const { page, context, problems } = await watchedPage(browser, server.origin);
    const cdp = await emulateScheme(page, mode.system);
    await page.goto(`${server.origin}/#/`);
    await page.waitForSelector("html[data-ready='1']");
    if (mode.toggle) await page.selectOption("#theme", mode.toggle);
    // The pages: the nav's, then any page a page links to, each once.
    const queue = [...(await navLinks(page)), "#/no-such-page"];
    assert.ok(queue.length >= 10, `the nav lists the pages (found ${queue.length})`);
    const done = new Set();
    while (queue.length) {
      const hash = queue.shift();
      if (done.has(hash)) continue;
      done.add(hash);
      await page.evaluate((h) => { location.hash = h; }, hash);
      await settle(page, hash);
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(bg, mode.theme === "dark" ? DARK_BG : LIGHT_BG, `${hash} ${mode.name}: the page's background`);
      for (const link of await inPageLinks(page)) if (PAGE_LINK.test(link) && !done.has(link)) queue.push(link);

      const t0 = performance.now();
      const violations = await axeViolations(page);
      const ms = performance.now() - t0;
      const bad = violations.filter((v) => SEVERE.has(v.impact));
      const rest = violations.filter((v) => !SEVERE.has(v.impact));
      rows.push(`${mode.name.padEnd(13)} ${hash.padEnd(22)} serious/critical ${String(bad.length).padStart(2)}  ` +
        `moderate/minor ${String(rest.length).padStart(2)} (${rest.map((v) => v.id).join(", ") || "-"})  axe ${ms.toFixed(0)} ms`);
      if (bad.length) severe.push(describeViolations(`${hash} [${mode.name}]`, bad));

      if (!mode.toggle) {
        await captureFullPage(page, join(screenshots, `${slug(hash)}-${mode.theme}.png`));
        // Focus rings: checked once per page (the light pass), on the first 25 stops of the Tab order.
        if (mode.theme === "light") {
          const stops = await tabThrough(page, 25);
          for (const f of stops) if (!f.visible) focusProblems.push(`${hash}: ${f.name} "${f.text}" (${f.style})`);
        }
      }
    }
    pagesChecked = [...done];
    await cdp.detach();
    assertClean(problems);
    await context.close();
  }
  console.log(`axe-core on ${pagesChecked.length} pages × ${MODES.length} theme modes:\n${rows.join("\n")}`);
  console.log(`screenshots: ${screenshots}`);
  const failures = [
    ...(severe.length ? [`serious or critical accessibility violations:\n${severe.join("\n")}`] : []),
    ...(focusProblems.length ? [`reached by Tab with no visible focus indicator:\n  ${focusProblems.join("\n  ")}`] : []),
  ];
  assert.equal(failures.length, 0, failures.join("\n"));
});

// Buttons the sweep below leaves alone: they start long work (key generation, files, bursts), leave
// the page's state (downloads, deletes, resets) or need a permission (the clipboard).
const SWEEP_SKIP = /generat|new key|file|download|delete|remove|clear|reset|burst|cancel|copy|share|save|load/i;
const SWEEP_MAX = 12;

test("axe after actions: each page's buttons pressed in turn (examples, evaluate, send…), both themes", async () => {
  const severe = new Map();
  const rows = [];
  for (const scheme of ["light", "dark"]) {
    const { page, context, problems } = await watchedPage(browser, server.origin);
    const cdp = await emulateScheme(page, scheme);
    await page.goto(`${server.origin}/#/`);
    await page.waitForSelector("html[data-ready='1']");
    for (const hash of await navLinks(page)) {
      await page.evaluate((h) => { location.hash = h; }, hash);
      await settle(page, hash);
      // Only buttons a person can see (the WAF page keeps its hidden tab mounted).
      const labels = await page.$$eval("main button:not([disabled])", (bs) => bs.map((b) => (b.checkVisibility() ? `${b.id} ${b.textContent.trim()}` : "\u0000hidden")));
      const chosen = labels.map((label, i) => ({ label, i })).filter((b) => !b.label.startsWith("\u0000") && !SWEEP_SKIP.test(b.label)).slice(0, SWEEP_MAX);
      let pressed = 0;
      for (const b of chosen) {
        // Located again each time: a press may re-render the page; one that went away is skipped.
        const button = page.locator("main button:not([disabled])").nth(b.i);
        if ((await button.count()) === 0 || `${await button.getAttribute("id") ?? ""} ${(await button.textContent()).trim()}` !== b.label) continue;
        await button.click();
        pressed++;
        await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
        await page.waitForTimeout(150);
        for (const v of (await axeViolations(page)).filter((v) => SEVERE.has(v.impact))) {
          const key = `${hash} ${scheme} ${v.id} ${v.nodes.map((n) => n.target).join()}`;
          if (!severe.has(key)) severe.set(key, `after pressing "${b.label.trim()}": ${describeViolations(`${hash} [${scheme}]`, [v])}`);
        }
      }
      rows.push(`${scheme.padEnd(6)} ${hash.padEnd(14)} pressed ${pressed} of ${labels.length} buttons`);
    }
    await cdp.detach();
    assertClean(problems);
    await context.close();
  }
  console.log(rows.join("\n"));
  assert.equal(severe.size, 0, `serious or critical accessibility violations:\n${[...severe.values()].join("\n")}`);
});

test("theme toggle: reached by Tab, changed by keyboard, announced, remembered, and back to the system", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  const cdp = await emulateScheme(page, "light");
  await page.goto(`${server.origin}/#/`);
  await page.waitForSelector("html[data-ready='1']");
  assert.equal(await page.inputValue("#theme"), "system", "no choice stored: follow the system");
  assert.equal(await page.getAttribute("#theme", "aria-label") ?? await page.textContent("label[for='theme']"), "Theme");

  const stops = await tabThrough(page, 10);
  const at = stops.findIndex((s) => s.name === "#theme");
  assert.ok(at >= 0, `the toggle is in the Tab order near the top (stops: ${stops.map((s) => s.name).join(", ")})`);
  assert.ok(stops[at].visible, "the toggle shows its focus");
  // Back onto it and choose Dark with the keyboard (a closed <select> takes arrow keys).
  await page.focus("#theme");
  await page.keyboard.press("ArrowDown"); // Light
  await page.keyboard.press("ArrowDown"); // Dark
  await page.waitForFunction(() => document.documentElement.dataset.theme === "dark");
  assert.equal(await page.inputValue("#theme"), "dark");
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), DARK_BG);
  assert.equal(await page.getAttribute("#theme-status", "role"), "status", "a live region");
  assert.equal(await page.textContent("#theme-status"), "Dark theme on");
  assert.equal(await page.evaluate(() => localStorage.getItem("secplay-theme")), "dark");
  await captureFullPage(page, join(screenshots, "theme-toggle-dark.png"));

  // Remembered: after a reload the theme is dark before the app has started (www/theme.js).
  await page.route("**/*.wasm", (route) => route.abort());
  await page.reload({ waitUntil: "domcontentloaded" });
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark", "applied before the wasm runs");
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), DARK_BG);
  await page.unroute("**/*.wasm");
  await page.reload();
  await page.waitForSelector("html[data-ready='1']");
  assert.equal(await page.inputValue("#theme"), "dark", "the toggle shows the remembered choice");

  // Back to System with the keyboard: nothing stored, the system (now dark, then light) decides.
  await page.focus("#theme");
  await page.keyboard.press("Home");
  await page.waitForFunction(() => !document.documentElement.hasAttribute("data-theme"));
  assert.equal(await page.textContent("#theme-status"), "Theme follows the system setting");
  assert.equal(await page.evaluate(() => localStorage.getItem("secplay-theme")), null);
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), LIGHT_BG);
  await cdp.send("Emulation.setEmulatedMedia", { features: [{ name: "prefers-color-scheme", value: "dark" }] });
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), DARK_BG);
  await cdp.detach();
  // The aborted wasm load above is the test's own doing; anything else must be clean.
  problems.console = problems.console.filter((m) => !/wasm|net::ERR_FAILED|WebAssembly/i.test(m));
  problems.pageErrors = problems.pageErrors.filter((m) => !/wasm|WebAssembly|Failed to fetch/i.test(m));
  assertClean(problems);
  await context.close();
});

// Presses Tab until the element `selector` has the focus (at most `limit` presses): the keyboard
// path a user takes, not a jump.
async function tabTo(page, selector, limit = 120) {
  for (let i = 0; i < limit; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i;
    await page.keyboard.press("Tab");
  }
  assert.fail(`${selector} was not reached by ${limit} Tab presses`);
}

// Runs axe on the page as the action left it, in light and then dark (emulated), failing on serious
// or critical violations.
async function axeBothThemes(page, cdp, where) {
  const found = [];
  for (const scheme of ["light", "dark"]) {
    await cdp.send("Emulation.setEmulatedMedia", { features: [{ name: "prefers-color-scheme", value: scheme }] });
    const bad = (await axeViolations(page)).filter((v) => SEVERE.has(v.impact));
    if (bad.length) found.push(describeViolations(`${where} [${scheme}]`, bad));
    await captureFullPage(page, join(screenshots, `${slug(where)}-result-${scheme}.png`));
  }
  assert.equal(found.length, 0, `serious or critical accessibility violations:\n${found.join("\n")}`);
}

test("keyboard only: envelope encryption, Tab to Encrypt and Decrypt, Enter runs them; results pass axe", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  const cdp = await emulateScheme(page, "light");
  await page.goto(`${server.origin}/#/envelope`);
  await page.waitForSelector("html[data-ready='1']");
  await page.focus("body");
  const presses = await tabTo(page, "#message");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("keyboard only");
  await tabTo(page, "#encrypt");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("#envelope")?.value.includes("wrappedKey"), null, { timeout: 60_000 });
  await tabTo(page, "#decrypt");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#decrypted");
  assert.equal(await page.textContent("#decrypted"), "keyboard only");
  console.log(`envelope: the plaintext is ${presses} Tab presses from the top`);
  await axeBothThemes(page, cdp, "#/envelope");
  await cdp.detach();
  assertClean(problems);
  await context.close();
});

test("keyboard only: WAF, Tab to Evaluate and Replay, Enter runs them; results pass axe", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  const cdp = await emulateScheme(page, "light");
  await page.goto(`${server.origin}/#/waf`);
  await page.waitForSelector("#waf-capacity");
  await page.focus("body");
  const presses = await tabTo(page, "#waf-evaluate");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#waf-verdict");
  assert.match(await page.textContent("#waf-verdict"), /BLOCK by sqli-query/);
  await tabTo(page, "#waf-sample");
  await page.keyboard.press("Enter");
  await tabTo(page, "#waf-replay");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#waf-replay-report svg.chart rect.block", { state: "attached" });
  assert.match(await page.textContent("#waf-replay-report"), /750 requests/);
  console.log(`WAF: Evaluate is ${presses} Tab presses from the top`);
  await axeBothThemes(page, cdp, "#/waf");
  await cdp.detach();
  assertClean(problems);
  await context.close();
});
