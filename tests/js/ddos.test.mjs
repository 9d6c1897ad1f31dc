// DDoS practice through the npm package in Node: floods through a web ACL's rate-based rules
// (the documented trip point, AWS's periodic check, false positives), the BP1–BP7 checklist,
// and coded errors. Rules: https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html
// and https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html ("about every 10 seconds").
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { initSync, FloodSimulator, ddosChecklist } from "../../pkg/secplay.js";

initSync({ module: readFileSync(new URL("../../pkg/secplay_bg.wasm", import.meta.url)) });
const geoBin = readFileSync(new URL("../../pkg/geo.bin", import.meta.url));
const vis = (name) => ({ SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: name });
const acl = (Rules) => ({
  Name: "t", Id: "a1b2c3d4-5678-90ab-cdef-000000000000", DefaultAction: { Allow: {} }, VisibilityConfig: vis("t"),
  ARN: "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/t/a1b2c3d4-5678-90ab-cdef-000000000000", Rules,
});
const perIp = (Limit, EvaluationWindowSec) => acl([{ Name: "PerIp", Priority: 0, Action: { Block: {} }, VisibilityConfig: vis("PerIp"),
  Statement: { RateBasedStatement: { Limit, EvaluationWindowSec, AggregateKeyType: "IP" } } }]);
const oneBot = { kind: "httpGetFlood", attackers: 1, attackerRate: 10, durationSec: 60 };

test("one address over the limit: the 101st request is the first blocked (exact model)", () => {
  const r = new FloodSimulator(perIp(100, 60), null, { rateModel: "exact" }).run(oneBot);
  assert.equal(r.totals.requests, 600);
  assert.equal(r.totals.attackAllowed, 100);
  assert.equal(r.trips[0].allowedBefore, 100);
  assert.equal(r.rules[0].keysLimited, 1);
  assert.equal(r.buckets.length, 60);
});

test("the default periodic model trips at the 20 s check and lets 200 through", () => {
  const r = new FloodSimulator(perIp(100, 60)).run(JSON.stringify(oneBot));
  assert.equal(r.rateModel, "periodic");
  assert.ok(r.trips[0].atSec >= 20 && r.trips[0].atSec < 20.1, String(r.trips[0].atSec));
  assert.equal(r.trips[0].allowedBefore, 200);
  // The chart's data: allowed per second drops to zero from the trip on.
  assert.equal(r.buckets[25].allowed, 0);
  assert.equal(r.buckets[5].allowed, 10);
});

test("onProgress is called every 1,024 requests; what it throws stops the run and comes back", () => {
  const sim = new FloodSimulator(perIp(100, 60), null, { rateModel: "exact" });
  const flood = { kind: "httpGetFlood", attackers: 1, attackerRate: 100, durationSec: 60 };
  const seen = [];
  const r = sim.run(flood, (done, expected) => seen.push([done, expected]));
  assert.deepEqual(seen, [1024, 2048, 3072, 4096, 5120].map((d) => [d, 6000]));
  assert.deepEqual(r, sim.run(flood), "watching a run does not change it");
  const stop = new Error("stop");
  assert.throws(() => sim.run(flood, (done) => { if (done >= 2048) throw stop; }), (e) => e === stop);
  assert.equal(sim.run(oneBot).totals.requests, 600, "the simulator still answers");
});

test("a botnet mixed with users under the limit catches no user; a mix adds scenarios", () => {
  const sim = new FloodSimulator(perIp(10, 60), {}, { bucketSec: 10 });
  const r = sim.run({ kind: "botnetMix", attackers: 40, users: 60, userRate: 0.1, botShare: 0.9, durationSec: 180 });
  assert.equal(r.falsePositiveUsers, 0);
  assert.equal(r.clients.attackersNeverStopped, 0);
  assert.ok(Math.abs(r.totals.attack / r.totals.requests - 0.9) < 0.02);
  const m = sim.runMix([{ kind: "loginFlood", durationSec: 60 }, { kind: "cacheBusting", attackers: 2, attackerRate: 1, durationSec: 60 }]);
  assert.equal(m.clients.attackers, 12);
  assert.equal(m.totals.distinctQueryStrings, 120);
});

test("an ASN flood with the geo database draws attackers from that ASN's ranges", () => {
  const block = acl([{ Name: "Asn", Priority: 0, Action: { Block: {} }, VisibilityConfig: vis("Asn"),
    Statement: { AsnMatchStatement: { AsnList: [16509] } } }]);
  const r = new FloodSimulator(block, null, { geoDb: geoBin }).run({ kind: "asnFlood", asn: 16509, attackers: 20, attackerRate: 1, durationSec: 10 });
  assert.deepEqual(r.addressSources, ["geo database"]);
  assert.equal(r.totals.attackAllowed, 0);
});

test("the checklist judges each practice", () => {
  const c = ddosChecklist({ entryPoints: [{ name: "box", type: "EC2" }] });
  const byId = Object.fromEntries(c.practices.map((p) => [p.id, p]));
  assert.equal(byId.BP1.status, "missing");
  assert.equal(byId.BP3.status, "notApplicable");
  assert.equal(byId.BP7.status, "missing");
  assert.match(byId.BP6.reasons[0], /load balancer/i);
  assert.ok(byId.BP1.source.startsWith("https://docs.aws.amazon.com/whitepapers/"));
});

test("errors are coded SecplayErrors", () => {
  const code = (f) => { try { f(); } catch (e) { assert.equal(e.name, "SecplayError"); return e.code; } return "none"; };
  const sim = new FloodSimulator(perIp(100, 60));
  assert.equal(code(() => sim.run({ kind: "httpGetFlood", attackers: 0 })), "ConstraintViolation");
  assert.equal(code(() => sim.run({ kind: "httpGetFlood", attackers: 100000, attackerRate: 1000, durationSec: 3600 })), "LimitExceeded");
  assert.equal(code(() => sim.run("{")), "MalformedJson");
  assert.equal(code(() => new FloodSimulator(perIp(5, 60))), "ConstraintViolation");
  assert.equal(code(() => ddosChecklist({ entryPoints: [{ name: "x", type: "MAINFRAME" }] })), "ConstraintViolation");
  // The simulator still answers after failures.
  assert.equal(sim.run(oneBot).totals.requests, 600);
});
