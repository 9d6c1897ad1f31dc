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

  // Many lines: the gutter numbers them all and scrolls with the text.
  const lines = 5000;
  // (Set as a paste would, in one input event: Playwright's fill types multi-line text slowly.)
  const setText = (text) => page.evaluate((text) => {
    const ta = document.querySelector("#waf-acl");
    const t = performance.now();
    ta.value = text;
    ta.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
    return performance.now() - t;
  }, text);
  await setText("[\n" + Array.from({ length: lines - 2 }, (_, i) => `  ${i},`).join("\n").replace(/,$/, "") + "\n]");
  await page.waitForFunction((n) => document.querySelector(".je-nums").textContent.endsWith(`\n${n}`), lines);
  const scrolled = await page.$eval("#waf-acl", (ta) => {
    ta.scrollTop = 18 * 1000;
    ta.dispatchEvent(new Event("scroll"));
    return { ta: ta.scrollTop, gutter: ta.closest(".je-box").querySelector(".je-gutter-in").scrollTop };
  });
  assert.equal(scrolled.gutter, scrolled.ta, "the gutter follows the text");

  // A megabyte: the editor still numbers it; the time one edit takes (the page's own work on
  // the text included) is printed, not asserted.
  const mb = "[\n" + Array.from({ length: 70_000 }, (_, i) => `  "${String(i).padStart(10, "0")}",`).join("\n") + '\n  "end"\n]';
  await setText(mb);
  await page.waitForFunction((n) => document.querySelector(".je-nums").textContent.endsWith(`\n${n}`), mb.split("\n").length);
  const edit = await setText(mb.replace('"end"', '"end!"'));
  console.log(`json editor: one edit of a ${(mb.length / 1e6).toFixed(2)} MB text on the WAF page took ${edit.toFixed(1)} ms (input handler, synchronous)`);

  // Tab leaves the editor.
  await page.focus("#waf-acl");
  await page.keyboard.press("Tab");
  assert.notEqual(await page.evaluate(() => document.activeElement?.id), "waf-acl", "Tab is not trapped");
  assertClean(problems);
  await context.close();
});
