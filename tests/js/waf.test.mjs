// The WAF engine through the npm package in Node: a web ACL built from AWS JSON evaluates requests
// into AWS log records; rate limiting on the simulated clock; detectors; transformations; errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  initSync, WebAcl, GeoDatabase, loadGeoDatabase, detectSqli, detectXss, explainSqli, applyTransformations,
} from "../../pkg/secplay.js";
import { countrySamples, asnSamples } from "./geo-sample.mjs";

initSync({ module: readFileSync(new URL("../../pkg/secplay_bg.wasm", import.meta.url)) });
const vis = (name) => ({ SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: name });
const ipSetArn = "arn:aws:wafv2:us-east-1:111122223333:regional/ipset/blocklist/11111111-2222-3333-4444-555555555555";
const acl = {
  WebACL: {
    Name: "notes-examples", Id: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", DefaultAction: { Allow: {} }, Capacity: 0,
    ARN: "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/notes-examples/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    VisibilityConfig: vis("acl"),
    Rules: [
      { Name: "block-list", Priority: 0, Action: { Block: {} }, VisibilityConfig: vis("ip"),
        Statement: { IPSetReferenceStatement: { ARN: ipSetArn } } },
      { Name: "geo", Priority: 1, Action: { Block: {} }, VisibilityConfig: vis("geo"),
        Statement: { GeoMatchStatement: { CountryCodes: ["KP"] } } },
      { Name: "sqli-query", Priority: 2, Action: { Block: {} }, VisibilityConfig: vis("sqli"),
        Statement: { SqliMatchStatement: { FieldToMatch: { QueryString: {} }, SensitivityLevel: "LOW",
          TextTransformations: [{ Priority: 0, Type: "URL_DECODE" }, { Priority: 1, Type: "HTML_ENTITY_DECODE" }] } } },
      { Name: "xss-body", Priority: 3, Action: { Block: {} }, VisibilityConfig: vis("xss"),
        Statement: { XssMatchStatement: { FieldToMatch: { Body: { OversizeHandling: "MATCH" } },
          TextTransformations: [{ Priority: 0, Type: "NONE" }] } } },
      { Name: "rate", Priority: 4, Action: { Block: {} }, VisibilityConfig: vis("rate"),
        Statement: { RateBasedStatement: { Limit: 10, EvaluationWindowSec: 60, AggregateKeyType: "IP" } } },
    ],
  },
};
const resources = { ipSets: [{ IPSet: { Name: "blocklist", Id: "11111111-2222-3333-4444-555555555555", ARN: ipSetArn,
  IPAddressVersion: "IPV4", Addresses: ["203.0.113.0/24"] } }] };
const req = (uri, clientIp = "192.0.2.10", extra = {}) => ({ method: "GET", uri, headers: [["Host", "example.com"]], clientIp, ...extra });

test("a web ACL from AWS JSON evaluates requests into AWS log records", () => {
  const waf = new WebAcl(acl, resources, { resourceType: "APPLICATION_LOAD_BALANCER" });
  assert.ok(waf.capacity() > 0);
  const ok = waf.evaluate(req("/products?id=42"));
  assert.equal(ok.action, "ALLOW");
  assert.equal(ok.terminatingRuleId, "Default_Action");
  const blocked = waf.evaluate(req("/", "203.0.113.9"));
  assert.equal(blocked.action, "BLOCK");
  assert.equal(blocked.terminatingRuleId, "block-list");
  assert.equal(waf.evaluate(req("/", "192.0.2.1", { country: "KP" })).terminatingRuleId, "geo");
  const sqli = waf.evaluate(req("/search?q=1%27%20OR%20%271%27%3D%271"));
  assert.equal(sqli.terminatingRuleId, "sqli-query");
  assert.ok(sqli.terminatingRuleMatchDetails.length > 0, JSON.stringify(sqli));
  const xss = waf.evaluate({ ...req("/comment"), method: "POST", body: "<script>alert(document.cookie)</script>" });
  assert.equal(xss.terminatingRuleId, "xss-body");
});

test("rate-based rule on the simulated clock", () => {
  const waf = new WebAcl(JSON.stringify(acl), resources);
  const t0 = Date.UTC(2026, 10, 28, 12, 0, 0);
  const actions = [];
  for (let i = 0; i < 15; i++) actions.push(waf.evaluate(req("/", "198.51.100.5"), { timestamp: t0 + i * 1000 }).action);
  assert.equal(actions[0], "ALLOW");
  assert.equal(actions.at(-1), "BLOCK", actions.join(","));
  const later = waf.evaluate(req("/", "198.51.100.5"), { timestamp: t0 + 5 * 60_000 });
  assert.equal(later.action, "ALLOW", "the window has passed");
  const report = waf.replay(Array.from({ length: 20 }, (_, i) => ({ ...req("/", "198.51.100.77"), timestamp: t0 + i * 100 })));
  assert.ok(JSON.stringify(report).includes("rate"));
});

test("detectors and transformations", () => {
  assert.equal(detectSqli("1' OR '1'='1"), true);
  assert.equal(detectSqli("O'Brien"), false);
  assert.equal(detectXss("<img src=x onerror=alert(1)>"), true);
  assert.equal(detectXss("I <3 rust"), false);
  assert.equal(explainSqli("1 UNION SELECT password FROM users").sqli, true);
  assert.equal(applyTransformations("%3Cscript%3E", [{ Type: "URL_DECODE", Priority: 0 }, { Type: "LOWERCASE", Priority: 1 }]), "<script>");
});

test("invalid web ACLs get AWS-style coded errors with positions", () => {
  const codeOf = (fn) => { try { fn(); } catch (e) { return e; } return null; };
  const oneStatementOr = structuredClone(acl);
  oneStatementOr.WebACL.Rules[1].Statement = { OrStatement: { Statements: [{ GeoMatchStatement: { CountryCodes: ["KP"] } }] } };
  assert.equal(codeOf(() => new WebAcl(oneStatementOr, resources)).code, "InvalidParameter");
  assert.equal(codeOf(() => new WebAcl(acl)).code, "MissingResource");
  const text = JSON.stringify(acl, null, 2).replace('"Limit": 10', '"Limit": 1');
  const e = codeOf(() => new WebAcl(text, resources));
  assert.equal(e.code, "ConstraintViolation");
  assert.ok(e.detail?.line > 1, JSON.stringify(e.detail));
  assert.equal(codeOf(() => detectSqli("x", "MEDIUM")).code, "ConstraintViolation");
});

test("every error of a web ACL comes back in detail.errors, each with its pointer, line and column", () => {
  const codeOf = (fn) => { try { fn(); } catch (e) { return e; } return null; };
  const bad = structuredClone(acl);
  bad.WebACL.Description = "";
  bad.WebACL.Rules[0].Name = "bad name!";
  bad.WebACL.Rules[1].Statement = { OrStatement: { Statements: [{ GeoMatchStatement: { CountryCodes: ["KP"] } }] } };
  const text = JSON.stringify(bad, null, 2);
  const e = codeOf(() => new WebAcl(text, resources));
  assert.equal(e.name, "SecplayError");
  // The first error's fields, as before.
  assert.equal(e.code, "ConstraintViolation");
  assert.equal(e.detail.pointer, "/WebACL/Description");
  assert.match(e.message, /\(and 2 more errors\)$/);
  assert.deepEqual(e.detail.errors.map((x) => [x.code, x.pointer]), [
    ["ConstraintViolation", "/WebACL/Description"],
    ["ConstraintViolation", "/WebACL/Rules/0/Name"],
    ["InvalidParameter", "/WebACL/Rules/1/Statement/OrStatement"],
  ]);
  assert.equal(e.detail.more, 0);
  const lines = text.split("\n");
  for (const x of e.detail.errors) {
    const last = x.pointer.split("/").pop();
    assert.ok(lines[x.line - 1].includes(`"${last}"`), `${x.pointer} at line ${x.line}`);
  }
});

test("the offline geo database (pkg/geo.bin) answers as its CSV rows say and feeds GeoMatch/AsnMatch", () => {
  const manifest = JSON.parse(readFileSync(new URL("../../pkg/package.json", import.meta.url), "utf8"));
  assert.ok(manifest.files.includes("geo.bin") && manifest.files.includes("geo-LICENSE.txt"), "shipped to npm users");
  assert.match(readFileSync(new URL("../../pkg/geo-LICENSE.txt", import.meta.url), "utf8"), /db-ip\.com/i);
  const bytes = readFileSync(new URL("../../pkg/geo.bin", import.meta.url));
  const db = loadGeoDatabase(bytes);
  assert.ok(db instanceof GeoDatabase);
  assert.match(db.source, /geo-whois-asn-country .*CC0-1\.0.*asn .*CC-BY-4\.0/);
  assert.ok(db.stats().ipv4Country > 100_000, JSON.stringify(db.stats()));
  const countries = countrySamples(5);
  for (const { ip, country } of countries) assert.equal(db.lookup(ip).country, country, ip);
  for (const { ip, asn } of asnSamples(5)) assert.equal(db.lookup(ip).asn, asn, ip);
  assert.deepEqual(db.lookup("::1"), {});
  assert.equal(db.lookup(`::ffff:${countries[0].ip}`).country, countries[0].country);

  const { ip, country } = countries[0];
  const geoAcl = structuredClone(acl);
  geoAcl.WebACL.Rules[1].Statement = { GeoMatchStatement: { CountryCodes: [country] } };
  const withDb = new WebAcl(geoAcl, resources, { geoDb: bytes });
  assert.equal(withDb.usesGeo, true);
  assert.equal(withDb.needsGeoDatabase(req("/", ip)), true);
  assert.equal(withDb.needsGeoDatabase(req("/", ip, { country: "FR" })), false);
  assert.equal(new WebAcl(acl, resources).needsGeoDatabase(req("/", ip, { country: "FR" })), false);
  const rec = withDb.evaluate(req("/", ip));
  assert.equal(rec.terminatingRuleId, "geo", JSON.stringify(rec.trace));
  assert.deepEqual([rec.httpRequest.country, rec.geo.countrySource], [country, "database"]);
  const other = country === "ZZ" ? "AQ" : "ZZ";
  assert.equal(withDb.evaluate(req("/", ip, { country: other })).action, "ALLOW", "the request's country wins");
  const without = new WebAcl(geoAcl, resources);
  assert.equal(without.evaluate(req("/", ip)).geo.countrySource, "unknown");
  without.setGeoDatabase(db);
  assert.equal(without.evaluate(req("/", ip)).terminatingRuleId, "geo");
  without.clearGeoDatabase();
  assert.equal(without.evaluate(req("/", ip)).action, "ALLOW");

  const codeOf = (fn) => { try { fn(); } catch (e) { return e.code; } return null; };
  assert.equal(codeOf(() => loadGeoDatabase(bytes.subarray(0, 1000))), "InvalidGeoDatabase");
  assert.equal(codeOf(() => new WebAcl(acl, resources, { geoDb: "geo.bin" })), "WrongType");
  assert.equal(codeOf(() => db.lookup("not an ip")), "InvalidRequest");
});
