// The JSON editors (src/bin/app/pages/json_editor.rs) in headless Chromium: a broken policy is
// underlined on the right line and Format refuses it with the position; the WAF web ACL editor
// marks the error's line in the gutter and underlines its characters at their place, points the
// textarea at the error text (aria-invalid, aria-describedby), formats, keeps its line numbers
// with the text as it scrolls, lets Tab leave, and stays axe-clean. Screenshot:
// target/e2e/json-editor.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertClean, axeViolations, describeViolations, serve, launch, watchedPage, shots, SEVERE } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// A comma missing at the end of line 2: the reader stops at line 3, column 3.
const BROKEN = '{\n  "Version": "2012-10-17"\n  "Statement": []\n}';

test("a broken key policy is underlined on its line; Format keeps it and says where", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/policies`);
  await page.waitForSelector("#policy-key");
  await page.fill("#policy-key", BROKEN);
  // The underline sits on the third line of the copy behind the textarea.
  await page.waitForSelector("#editor-key .mk-error");
  const line = await page.$eval("#editor-key .mk-error", (el) => {
    const lines = [...document.querySelectorAll("#editor-key .ed-line")];
    return lines.indexOf(el.closest(".ed-line")) + 1;
  });
  assert.equal(line, 3);
  assert.equal(await page.getAttribute("#policy-key", "aria-invalid"), "true");
  assert.equal(await page.getAttribute("#policy-key", "aria-describedby"), "findings-key");
  assert.match(await page.textContent("#findings-key"), /3:3/);

  await page.click("#policy-key-format");
  await page.waitForSelector("#policy-key-format-note");
  assert.match(await page.textContent("#policy-key-format-note"), /the text is kept: line 3, column 3/);
  assert.equal(await page.inputValue("#policy-key"), BROKEN, "a broken text is not changed");

  const compact = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}';
  await page.fill("#policy-key", compact);
  await page.click("#policy-key-format");
  await page.waitForFunction(() => document.querySelector("#policy-key").value.includes('\n  "Version": "2012-10-17",'));
  assert.deepEqual(JSON.parse(await page.inputValue("#policy-key")), JSON.parse(compact));
  assert.equal(await page.getAttribute("#policy-key", "aria-invalid"), null);
  assertClean(problems);
  await context.close();
});

test("the WAF web ACL editor: gutter mark, underline in place, described error, Format, scrolling, Tab, axe", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/waf`);
  await page.waitForSelector("#waf-acl");
  await page.fill("#waf-acl", BROKEN);
  await page.waitForSelector("#waf-acl-json-error");
  assert.match(await page.textContent("#waf-acl-json-error"), /line 3, column 3: expected `,` or `}`/);
  assert.equal(await page.getAttribute("#waf-acl", "aria-invalid"), "true");
  assert.equal(await page.getAttribute("#waf-acl", "aria-describedby"), "waf-acl-json-error");
  const box = await page.$eval("#waf-acl", (ta) => {
    const r = ta.getBoundingClientRect();
    const u = ta.parentElement.querySelector(".je-under").getBoundingClientRect();
    const mark = ta.closest(".je-box").querySelector(".je-errline");
    return { top: u.top - r.top, left: u.left - r.left, text: ta.parentElement.querySelector(".je-under").textContent,
      mark: Number(mark.dataset.line), markTop: mark.getBoundingClientRect().top - r.top };
  });
  assert.equal(box.mark, 3, "the gutter marks line 3");
  assert.equal(box.text, '"Statement"', "the underline covers the unexpected member name");
  // Line 3 starts 2 line heights (18 px) below the first, under 6 px of padding; column 3 is 2
  // characters in from the 8 px padding.
  assert.ok(Math.abs(box.top - (6 + 2 * 18)) <= 2, `underline at ${box.top}px`);
  assert.ok(Math.abs(box.markTop - (6 + 2 * 18)) <= 2, `gutter mark at ${box.markTop}px`);
  const ch = await page.$eval("#waf-acl", (ta) => {
    const probe = document.createElement("span");
    const cs = getComputedStyle(ta);
    probe.style.fontFamily = cs.fontFamily;
    probe.style.fontSize = cs.fontSize;
    probe.style.whiteSpace = "pre";
    probe.textContent = "0000000000";
    document.body.append(probe);
    const w = probe.getBoundingClientRect().width / 10;
    probe.remove();
    return w;
  });
  assert.ok(Math.abs(box.left - (8 + 2 * ch)) <= 2, `underline at ${box.left}px, a character is ${ch}px`);
  const severe = (await axeViolations(page)).filter((v) => SEVERE.has(v.impact));
  assert.deepEqual(severe, [], describeViolations("waf with a JSON error", severe));
  await page.screenshot({ path: join(shots, "json-editor.png") });

  // An error the WAF reports with its JSON pointer: its button selects the member it points at.
  await page.fill("#waf-acl", '{\n  "Name": "a",\n  "DefaultAction": "block",\n  "Rules": [],\n' +
    '  "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "a"}\n}');
  await page.waitForSelector("#waf-acl-error-select");
  await page.click("#waf-acl-error-select");
  const selected = await page.$eval("#waf-acl", (ta) => ta.value.slice(ta.selectionStart, ta.selectionEnd));
  assert.ok(selected.length > 0 && '"DefaultAction": "block"'.includes(selected.trim()) || selected.includes("block"), `selected ${JSON.stringify(selected)}`);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "waf-acl");

  // Format: a compact ACL comes back one member per line, the same JSON.
  const acl = { Name: "a", DefaultAction: { Allow: {} }, Rules: [], VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: "a" } };
  await page.fill("#waf-acl", JSON.stringify(acl));
  await page.waitForSelector("#waf-acl-json-error", { state: "detached" });
  await page.click("#waf-acl-format");
  await page.waitForFunction(() => document.querySelector("#waf-acl").value.split("\n").length > 5);
  assert.deepEqual(JSON.parse(await page.inputValue("#waf-acl")), acl);

  // Many lines: the gutter numbers them all and stays beside them as the box scrolls (the
  // textarea is as tall as its text and never scrolls inside it).
  const lines = 5000;
  // (Set as a paste would, in one input event: Playwright's fill types multi-line text slowly.)
  const setText = (text) => page.evaluate((text) => {
    const ta = document.querySelector("#waf-acl");
    ta.value = text;
    ta.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
  }, text);
  await setText("[\n" + Array.from({ length: lines - 2 }, (_, i) => `  ${i},`).join("\n").replace(/,$/, "") + "\n]");
  await page.waitForFunction((n) => document.querySelector("#waf-acl").closest(".je-box").querySelector(".je-nums").textContent.endsWith(`\n${n}`), lines);
  const scrolled = await page.$eval("#waf-acl", (ta) => {
    const box = ta.closest(".je-scroll");
    box.scrollTop = 18 * 1000;
    const nums = ta.closest(".je-box").querySelector(".je-nums");
    return { box: box.scrollTop, ta: ta.scrollTop, taTop: ta.getBoundingClientRect().top, numsTop: nums.getBoundingClientRect().top };
  });
  assert.equal(scrolled.box, 18 * 1000);
  assert.equal(scrolled.ta, 0, "the textarea does not scroll inside its box");
  assert.equal(scrolled.numsTop, scrolled.taTop, "the numbers start where the text does");

  // A megabyte pasted (a paste event, as the browser sends one): the textarea holds a window of
  // its 70,003 lines, the gutter numbers that window, scrolling moves it, and an edit in it lands
  // at its place in the whole text. The time the paste took (the page's own work on the text
  // included) is printed, not asserted.
  const mb = "[\n" + Array.from({ length: 70_000 }, (_, i) => `  "${String(i).padStart(10, "0")}",`).join("\n") + '\n  "end"\n]';
  const total = mb.split("\n").length;
  const pasteMs = await page.evaluate((text) => {
    const ta = document.querySelector("#waf-acl");
    ta.focus();
    ta.select();
    const data = new DataTransfer();
    data.setData("text/plain", text);
    const t = performance.now();
    ta.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    return performance.now() - t;
  }, mb);
  console.log(`json editor: pasting a ${(mb.length / 1e6).toFixed(2)} MB, ${total}-line text into the WAF editor took ${pasteMs.toFixed(1)} ms (paste handler, synchronous)`);
  await page.waitForFunction((n) => document.querySelector("#waf-acl").closest(".je").dataset.lines === String(n), total);
  await page.waitForFunction((n) => document.querySelector("#waf-acl").closest(".je-box").querySelector(".je-nums").textContent.endsWith(`\n${n}`), total);
  const end = await page.$eval("#waf-acl", (ta) => ({ length: ta.value.length, last: ta.value.split("\n").pop(),
    caret: ta.selectionStart, focused: document.activeElement === ta, scroll: ta.closest(".je-scroll").scrollTop }));
  assert.ok(end.length < 100_000, `the textarea holds a window, not ${end.length} characters`);
  assert.equal(end.last, "]", "the window is where the paste ended");
  assert.ok(end.focused && end.caret === end.length, `the caret is after the pasted text: ${JSON.stringify(end)}`);
  assert.ok(end.scroll > 18 * 60_000, `scrolled to the caret: ${end.scroll}`);
  assert.equal(await page.$("#waf-acl-json-error"), null, "the pasted text is JSON");
  assert.match(await page.textContent("#waf-acl-window"), new RegExp(`^${total} lines`));

  // Scrolled to value 35,000 (line 35,002): the window moves there.
  await page.$eval("#waf-acl", (ta) => { ta.closest(".je-scroll").scrollTop = 18 * 35_000; });
  await page.waitForFunction(() => document.querySelector("#waf-acl").value.includes('"0000035000"'));
  // An edit there, typed: the whole text stops being JSON at that line, marked where it is.
  await page.$eval("#waf-acl", (ta) => {
    const at = ta.value.indexOf('"0000035000"') + '"0000035000"'.length;
    ta.setSelectionRange(at, at);
  });
  await page.keyboard.type("x");
  await page.waitForSelector("#waf-acl-json-error");
  assert.match(await page.textContent("#waf-acl-json-error"), /line 35002, column 15/);
  const placed = await page.$eval("#waf-acl", (ta) => {
    const first = Number(ta.closest(".je-box").querySelector(".je-nums").textContent.split("\n")[0]);
    const mark = ta.closest(".je-box").querySelector(".je-under").getBoundingClientRect();
    return { first, top: mark.top - ta.getBoundingClientRect().top, lines: ta.closest(".je").dataset.lines };
  });
  assert.equal(placed.lines, String(total), "one character typed: the same lines");
  assert.ok(Math.abs(placed.top - (6 + (35_002 - placed.first) * 18)) <= 2, `underline at ${placed.top}px below line ${placed.first}`);
  // Undone by hand: the whole text is JSON again, so the edit went in at its place and nowhere else.
  await page.keyboard.press("Backspace");
  await page.waitForSelector("#waf-acl-json-error", { state: "detached" });

  // Tab leaves the editor.
  await page.focus("#waf-acl");
  await page.keyboard.press("Tab");
  assert.notEqual(await page.evaluate(() => document.activeElement?.id), "waf-acl", "Tab is not trapped");
  assertClean(problems);
  await context.close();
});
