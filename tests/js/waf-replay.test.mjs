// The WAF log replay through the npm package in Node: AWS WAF log records (text and gzip, whole
// and in chunks) replayed through an edited web ACL; our own records through the same ACL differ
// in nothing; errors are coded. Field names:
// https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { initSync, WebAcl, LogReplayer, replayLogs } from "../../pkg/secplay.js";

initSync({ module: readFileSync(new URL("../../pkg/secplay_bg.wasm", import.meta.url)) });
const examples = readFileSync(new URL("../waf/data/aws-log-examples.jsonl", import.meta.url), "utf8");
const vis = (name) => ({ SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: name });
const b64 = (s) => Buffer.from(s).toString("base64");
const byteRule = (Name, Priority, FieldToMatch, search, Action) => ({
  Name, Priority, Action, VisibilityConfig: vis(Name),
  Statement: { ByteMatchStatement: { SearchString: b64(search), FieldToMatch, PositionalConstraint: "CONTAINS",
    TextTransformations: [{ Priority: 0, Type: "LOWERCASE" }] } },
});
const acl = (Rules) => ({
  Name: "ExampleWebACL", Id: "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", DefaultAction: { Allow: {} }, VisibilityConfig: vis("acl"),
  ARN: "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/ExampleWebACL/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", Rules,
});
// The rule of the logging-examples page's "Rate-based rule 1"
// (https://docs.aws.amazon.com/waf/latest/developerguide/logging-examples.html).
const docRate = acl([{ Name: "RateBasedRule", Priority: 1, Action: { Block: {} }, VisibilityConfig: vis("RateBasedRule"),
  Statement: { RateBasedStatement: { Limit: 100, AggregateKeyType: "CUSTOM_KEYS",
    CustomKeys: [{ Header: { Name: "dogname", TextTransformations: [{ Priority: 0, Type: "NONE" }] } }] } } }]);

test("the AWS documentation's rate-based log entry, replayed alone, is newly allowed", () => {
  const d = replayLogs(docRate, null, examples.split("\n")[0]);
  assert.equal(d.records, 1);
  assert.equal(d.newlyAllowed, 1);
  assert.deepEqual(d.perRule.find((r) => r.ruleId === "RateBasedRule"),
    { ruleId: "RateBasedRule", matchedBefore: 1, matchedAfter: 0, gained: 0, lost: 1 });
  assert.equal(d.samples[0].requestId, "Ed0AiHF_CGYF-XQ=");
  assert.equal(d.samples[0].actionLogged, "BLOCK");
  assert.equal(d.samples[0].actionNow, "ALLOW");
  // The sample's request evaluates again through WebAcl, with the trace.
  const rec = new WebAcl(docRate).evaluate(d.samples[0].request);
  assert.equal(rec.action, "ALLOW");
  assert.equal(rec.trace[0].rule, "RateBasedRule");
});

test("text, gzip bytes and any chunking give the same difference", () => {
  const whole = replayLogs(docRate, {}, examples);
  assert.equal(whole.records, 4);
  assert.deepEqual(replayLogs(docRate, {}, new TextEncoder().encode(examples)), whole);
  const gz = new Uint8Array(gzipSync(examples));
  assert.deepEqual(replayLogs(docRate, {}, gz), whole);
  for (const size of [1, 5, 333]) {
    const r = new LogReplayer(docRate);
    let p;
    for (let i = 0; i < gz.length; i += size) p = r.push(gz.subarray(i, i + size));
    assert.equal(p.encoding, "gzip");
    assert.equal(p.bytesIn, gz.length);
    assert.deepEqual(r.finish(), whole);
    r.free();
  }
  const r = new LogReplayer(docRate, undefined, { maxSamples: 1 });
  for (const line of examples.split("\n")) r.push(line + "\n");
  const d = r.finish();
  assert.equal(d.records, 4);
  assert.equal(d.samples.length, 1);
});

test("our own log records through the same web ACL differ in nothing; an added rule blocks exactly its matches", () => {
  const rules = [
    byteRule("CountAdmin", 0, { UriPath: {} }, "/admin", { Count: {} }),
    byteRule("BlockSelect", 1, { QueryString: {} }, "select", { Block: {} }),
  ];
  const waf = new WebAcl(acl(rules), {}, { trace: false });
  let log = "";
  let allowedItems = 0;
  for (let i = 0; i < 200; i++) {
    const uri = ["/admin/x", `/q?s=select+${i}`, `/item/${i}`, "/"][i % 4];
    const rec = waf.evaluate({ method: "GET", uri, headers: [["Host", "example.com"]], clientIp: `192.0.2.${i % 50}` });
    if (rec.action === "ALLOW" && uri.startsWith("/item/")) allowedItems++;
    log += JSON.stringify(rec) + "\n";
  }
  const same = replayLogs(acl(rules), {}, log);
  assert.equal(same.records, 200);
  assert.equal(same.unchanged, 200);
  assert.equal(same.newlyBlocked + same.newlyAllowed + same.labelsChanged + same.ruleChanged, 0);
  for (const r of same.perRule) assert.equal(r.matchedBefore, r.matchedAfter, r.ruleId);
  const edited = replayLogs(acl([...rules, byteRule("BlockItems", 2, { UriPath: {} }, "/item/", { Block: {} })]), {}, log);
  assert.equal(allowedItems, 50);
  assert.equal(edited.newlyBlocked, 50);
  assert.deepEqual(edited.transitions, [{ from: "ALLOW", to: "BLOCK", count: 50 }]);
  assert.equal(edited.perClient.reduce((n, c) => n + c.newlyBlocked, 0), 50);
});

test("bad lines are counted; damaged input and wrong arguments throw coded errors", () => {
  const d = replayLogs(docRate, null, "garbage\n{\"action\":\"ALLOW\"}\n" + examples);
  assert.equal(d.records, 4);
  assert.equal(d.badLines, 2);
  assert.deepEqual(d.errors.map((e) => [e.line, e.code]), [[1, "InvalidLogRecord"], [2, "InvalidLogRecord"]]);
  const code = (f) => { try { f(); } catch (e) { assert.equal(e.name, "SecplayError"); return e.code; } return "no error"; };
  const gz = new Uint8Array(gzipSync(examples));
  assert.equal(code(() => replayLogs(docRate, null, gz.subarray(0, gz.length - 3))), "InvalidGzip");
  assert.equal(code(() => replayLogs(docRate, null, "x".repeat(1024 * 1024 + 1))), "InvalidLogLine");
  assert.equal(code(() => replayLogs(docRate, null, 42)), "InvalidInput");
  assert.equal(code(() => replayLogs(docRate, null, "", { maxSamples: -1 })), "ConstraintViolation");
  assert.equal(code(() => new LogReplayer({ Name: "x" })), "MissingField");
  const r = new LogReplayer(docRate);
  r.finish();
  assert.equal(code(() => r.push("{}")), "LimitExceeded");
});
