// The WAF page in headless Chromium: the notes' examples evaluated through the page, the rate limit
// on the simulated clock, a broken ACL with a positioned error, the SQLi/XSS explainer, and the offline
// geo database fetched lazily from the same origin.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { serve, launch, watchedPage, shots } from "./harness.mjs";
import { addressIn, asnSamples, countrySamples } from "../js/geo-sample.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test("WAF page: examples, rate limit, errors, explainer", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/waf`);
  await page.waitForSelector("#waf-capacity");
  assert.match(await page.textContent("#waf-capacity"), /Capacity: \d+ WCUs/);

  await page.click("#waf-evaluate");
  await page.waitForSelector("#waf-verdict");
  assert.match(await page.textContent("#waf-verdict"), /BLOCK by sqli-query/);
  assert.ok(await page.$("table.trace tr.hit"), "the deciding rule is marked in the trace");
  await page.screenshot({ path: join(shots, "waf.png"), fullPage: true });

  await page.click("button[data-example='ip-block-list']");
  await page.click("#waf-evaluate");
  await page.waitForFunction(() => document.querySelector("#waf-rule")?.textContent === "block-bad-sources");

  await page.click("button[data-example='rate-limit']");
  await page.click("#waf-evaluate");
  await page.waitForFunction(() => document.querySelector("#waf-verdict")?.textContent.includes("ALLOW"));
  await page.click("#waf-burst");
  await page.waitForFunction(() => document.querySelector("#waf-verdict")?.textContent.includes("blocked"));
  const verdict = await page.textContent("#waf-verdict");
  assert.match(verdict, /BLOCK by per-ip-limit/, verdict);

  // ATP configured as in the AWS documentation: the missing password blocks, and the trace marks
  // the group's rules as the playground's approximation, saying what is and isn't modelled.
  await page.click("button[data-example='atp-login']");
  await page.click("#waf-evaluate");
  await page.waitForFunction(() => document.querySelector("#waf-rule")?.textContent === "account-takeover");
  assert.match(await page.textContent("#waf-verdict"), /BLOCK/);
  const approx = await page.$$eval("table.trace .approx", (els) => els.map((e) => e.textContent));
  assert.ok(approx.some((a) => /login requests are POST to paths starting with `\/web\/login`/.test(a) && /not modelled/.test(a)), approx.join("\n"));
  assert.ok(approx.some((a) => a.includes("approximation: the playground's rule")), approx.join("\n"));
  assert.match(await page.textContent("#waf-notes"), /MissingCredential rule/);
  await page.screenshot({ path: join(shots, "waf-atp.png"), fullPage: true });

  await page.click("button[data-example='rate-limit']");
  // Replay ten minutes of sample traffic against the rate limit: a chart and the burst's source.
  await page.click("#waf-sample");
  await page.click("#waf-replay");
  await page.waitForSelector("#waf-replay-report svg.chart rect.block", { state: "attached" });
  const report = await page.textContent("#waf-replay-report");
  assert.match(report, /750 requests/);
  assert.match(report, /192\.0\.2\.7/, "the login burst's address is the top blocked one");
  assert.ok((await page.$$("#waf-replay-report svg.chart g")).length >= 10, "one bar per minute");
  await page.screenshot({ path: join(shots, "waf-replay.png"), fullPage: true });

  // Break the ACL: a rate limit below AWS's minimum of 10, reported with its line.
  const acl = await page.inputValue("#waf-acl");
  await page.fill("#waf-acl", acl.replace('"Limit": 100', '"Limit": 5'));
  await page.waitForSelector("#waf-acl-error");
  assert.match(await page.textContent("#waf-acl-error"), /ConstraintViolation.*line \d+, column \d+/s);

  // Two mistakes at once: both are listed with their places, and clicking one selects its member.
  await page.fill("#waf-acl", acl.replace('"Limit": 100', '"Limit": 5').replace(/"Name": "[^"]+"/, '"Name": "bad name!"'));
  await page.waitForSelector("#waf-acl-errors li[data-pointer$='/Limit']");
  const listed = await page.$$eval("#waf-acl-errors li", (lis) => lis.map((li) => li.dataset.pointer));
  assert.equal(listed.length, 2, JSON.stringify(listed));
  assert.match(listed[0], /\/Name$/);
  assert.match(await page.textContent("#waf-acl-error"), /\(and 1 more error\)/);
  await page.click("#waf-acl-errors li[data-pointer$='/Limit'] button");
  const selected = await page.$eval("#waf-acl", (t) => t.value.substring(t.selectionStart, t.selectionEnd));
  assert.equal(selected, '"Limit": 5');
  await page.click("#waf-acl-errors li:first-child button");
  assert.equal(await page.$eval("#waf-acl", (t) => t.value.substring(t.selectionStart, t.selectionEnd)), '"Name": "bad name!"');
  await page.screenshot({ path: join(shots, "waf-errors.png"), fullPage: true });

  await page.fill("#waf-probe", "<svg/onload=alert(1)>");
  await page.waitForFunction(() => document.querySelector("#waf-explain")?.textContent.includes("XSS: flagged"));
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: join(shots, "waf-dark.png"), fullPage: true });

  assert.deepEqual(problems.foreign, []);
  assert.deepEqual(problems.console, []);
  assert.deepEqual(problems.pageErrors, []);
  await context.close();
});

test("WAF page: the offline geo database is fetched only for a geo rule and a request without a country", async () => {
  // Expected answers come from the CSV rows in node_modules, not from the database under test.
  const blocked = addressIn("IR");
  const [allowed] = countrySamples(5).filter((s) => s.country !== "IR" && s.country !== "KP");
  const { page, context, problems } = await watchedPage(browser, server.origin);
  const fetched = [];
  page.on("request", (r) => { if (r.url().endsWith("/geo.bin")) fetched.push(r.url()); });
  await page.goto(`${server.origin}/#/waf`);
  await page.waitForSelector("#waf-capacity");
  await page.click("#waf-evaluate");
  await page.waitForSelector("#waf-verdict");
  await page.click("button[data-example='rate-limit']");
  await page.click("#waf-evaluate");
  await page.waitForFunction(() => document.querySelector("#waf-rule")?.textContent === "Default_Action");
  assert.equal(await page.$("#waf-geo"), null, "no geo rule: no database line");

  await page.click("button[data-example='geo-block']");
  await page.click("#waf-evaluate");
  await page.waitForFunction(() => document.querySelector("#waf-rule")?.textContent === "block-countries");
  assert.match(await page.textContent("#waf-geo-origin"), /Client country KP \(supplied with the request\)/);
  assert.equal(await page.getAttribute("#waf-geo", "data-status"), "not-loaded");
  assert.deepEqual(fetched, [], "the country came with the request: nothing fetched");

  await page.fill("#waf-country", "");
  await page.fill("#waf-ip", blocked.ip);
  await page.click("#waf-evaluate");
  await page.waitForSelector("#waf-geo[data-status='ready']");
  await page.waitForFunction((c) => document.querySelector("#waf-geo-origin")?.textContent
    .includes(`Client country ${c} (from the offline database)`), blocked.country);
  assert.equal(await page.textContent("#waf-rule"), "block-countries");
  assert.match(await page.textContent("#waf-geo-attribution"), /geo-whois-asn-country \(CC0.*ip-location-db asn \(CC-BY-4\.0/);

  await page.fill("#waf-ip", allowed.ip);
  await page.click("#waf-evaluate");
  await page.waitForFunction((c) => document.querySelector("#waf-geo-origin")?.textContent
    .includes(`Client country ${c} (from the offline database)`), allowed.country);
  assert.equal(await page.textContent("#waf-rule"), "Default_Action");

  // The same rule as an AsnMatch on the ASN the asn CSV gives an address: the page has no ASN
  // field, so the database answers (already loaded: nothing more is fetched).
  const [byAsn] = asnSamples(1);
  const doc = JSON.parse(await page.inputValue("#waf-acl"));
  doc.Rules[0].Statement = { AsnMatchStatement: { AsnList: [byAsn.asn] } };
  await page.fill("#waf-acl", JSON.stringify(doc, null, 2));
  await page.fill("#waf-ip", byAsn.ip);
  await page.click("#waf-evaluate");
  await page.waitForFunction((a) => document.querySelector("#waf-geo-origin")?.textContent
    .includes(`ASN ${a} (from the offline database)`), byAsn.asn);
  assert.equal(await page.textContent("#waf-rule"), "block-countries");
  assert.equal(fetched.length, 1, `fetched once, from this origin: ${fetched}`);
  assert.ok(fetched[0].startsWith(server.origin));
  await page.screenshot({ path: join(shots, "waf-geo.png"), fullPage: true });

  assert.deepEqual(problems.foreign, []);
  assert.deepEqual(problems.console, []);
  assert.deepEqual(problems.pageErrors, []);
  await context.close();
});

// A big web ACL (its resources holding an IP set of 10,000 addresses, AWS's largest) is checked by
// the page's worker (www/waf-acl-worker.js), not on the page's thread at each edit: the page says
// "Checking…" with the last answer until the worker's comes, places a big text's error as it
// places a small one's, and evaluates the big ACL (built then, once). The long-task budget
// (harness.mjs) fails this test if an edit takes the page's thread over 200 ms.
test("WAF page: a big web ACL is checked by the worker; its errors are placed; it evaluates", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/waf`);
  await page.click("button[data-example='ip-block-list']");
  await page.waitForSelector("#waf-capacity");
  const capacity = await page.textContent("#waf-capacity");
  // Set as a paste would, in one input event; says whether "Checking…" showed right after it.
  const paste = (id, text) => page.evaluate(async ([id, text]) => {
    const ta = document.querySelector(id);
    ta.value = text;
    ta.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
    const shown = () => document.querySelector("#waf-acl-checking") !== null;
    return shown() || (await Promise.resolve(), shown());
  }, [id, text]);
  const resources = JSON.parse(await page.inputValue("#waf-resources"));
  const addresses = Array.from({ length: 10_000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.0/24`);
  resources.ipSets[0].Addresses = [...addresses.slice(0, 9_998), ...resources.ipSets[0].Addresses];
  const big = JSON.stringify(resources, null, 2);
  assert.ok(big.length > 64 * 1024, `${big.length} bytes`);
  assert.equal(await paste("#waf-resources", big), true, "the page says it is checking");
  await page.waitForSelector("#waf-acl-checking", { state: "detached" });
  assert.equal(await page.textContent("#waf-capacity"), capacity, "the worker's capacity is the page's");
  assert.equal(await page.$("#waf-acl-error"), null);

  // An error in the web ACL beside big resources: placed on its line, its member selectable.
  const acl = await page.inputValue("#waf-acl");
  const broken = acl.replace(/"Name": "[^"]+"/, '"Name": "bad name!"');
  assert.notEqual(broken, acl);
  await paste("#waf-acl", broken);
  await page.waitForSelector("#waf-acl-error");
  await page.waitForSelector("#waf-acl-checking", { state: "detached" });
  const line = broken.slice(0, broken.indexOf('"Name": "bad name!"')).split("\n").length;
  assert.match(await page.textContent("#waf-acl-error"), new RegExp(`\\(web ACL, line ${line}, column \\d+\\)`));
  assert.equal(await page.isDisabled("#waf-evaluate"), true);
  await page.click("#waf-acl-error-select");
  assert.equal(await page.$eval("#waf-acl", (t) => t.value.substring(t.selectionStart, t.selectionEnd)), '"Name": "bad name!"');

  // Two edits in a row: the newest text's answer is the one shown.
  await paste("#waf-acl", acl.replace(/"Name": "[^"]+"/, '"Name": "also bad!"'));
  await paste("#waf-acl", acl);
  await page.waitForSelector("#waf-acl-error", { state: "detached" });
  await page.waitForSelector("#waf-acl-checking", { state: "detached" });
  assert.equal(await page.textContent("#waf-capacity"), capacity);

  // The big ACL evaluates: the forwarded address is one of the 10,000.
  await page.click("#waf-evaluate");
  await page.waitForFunction(() => document.querySelector("#waf-rule")?.textContent === "block-bad-sources");
  assert.deepEqual(problems.foreign, []);
  assert.deepEqual(problems.console, []);
  assert.deepEqual(problems.pageErrors, []);
  await context.close();
});
