// The ACM engine through the npm package in Node: the same fixtures as tests/acm (made with
// openssl, their `openssl x509 -text` output beside them), PEM text and DER bytes, the ACM
// timeline with its cited figures, and coded errors for hostile input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { initSync, inspectCertificate, acmTimeline } from "../../pkg/secplay.js";

initSync({ module: readFileSync(new URL("../../pkg/secplay_bg.wasm", import.meta.url)) });
const data = (name) => readFileSync(new URL(`../acm/data/${name}`, import.meta.url));
const text = (name) => data(name).toString("utf8");
const openssl = (stem, key) =>
  text(`${stem}.openssl.txt`).split("\n").map((l) => l.trim()).find((l) => l.startsWith(key))?.slice(key.length).trim();
const day = 86400;
const expiry = Date.parse("2027-02-03T00:00:00Z") / 1000; // rsa2048.pem's notAfter

test("PEM text: fingerprints, subject and key match openssl's output", () => {
  for (const stem of ["rsa2048", "ec-p384", "ed25519", "wildcard"]) {
    const c = inspectCertificate(text(`${stem}.pem`)).certificates[0];
    assert.equal(c.sha256, openssl(stem, "sha256 Fingerprint="), stem);
    assert.equal(c.sha1, openssl(stem, "sha1 Fingerprint="), stem);
    assert.equal(c.subject, openssl(stem, "Subject:"), stem);
    assert.equal(c.signatureAlgorithm.name, openssl(stem, "Signature Algorithm:"), stem);
  }
});

test("DER bytes read as the same certificate", () => {
  const a = inspectCertificate(data("rsa2048.der"), { at: 1780000000 }).certificates[0];
  const b = inspectCertificate(text("rsa2048.pem"), { at: 1780000000 }).certificates[0];
  assert.equal(a.sha256, b.sha256);
  assert.deepEqual(a.sans, { dns: ["www.example.com", "example.com"], ip: ["192.0.2.10", "2001:db8::1"],
    email: ["admin@example.com"], uri: ["https://example.com/id"] });
  assert.equal(a.status, "valid");
});

test("validity defaults to now: the 2023 certificate is expired", () => {
  assert.equal(inspectCertificate(text("expired.pem")).certificates[0].status, "expired");
});

test("chains: a good chain verifies every link; an out-of-order one is named", () => {
  const good = inspectCertificate(text("chain3.pem"), { at: 1780000000 });
  assert.deepEqual(good.chain.links.map((l) => l.signature), ["valid", "valid", "valid"]);
  assert.deepEqual(good.chain.problems.map((p) => p.code), ["RootIncluded"]);
  const bad = inspectCertificate(text("chain-out-of-order.pem"), { at: 1780000000 });
  assert.ok(bad.chain.problems.some((p) => p.code === "OutOfOrder"));
});

// https://docs.aws.amazon.com/acm/latest/userguide/supported-events.html (45 days, daily),
// https://docs.aws.amazon.com/config/latest/developerguide/acm-certificate-expiration-check.html (14 days)
test("imported: daily expiry events from 45 days before, the Config rule at 14", () => {
  const t = acmTimeline(text("rsa2048.pem"), { now: expiry - 20 * day });
  const daily = t.events.filter((e) => e.kind === "ApproachingExpiration");
  assert.equal(daily.length, 45);
  assert.equal(daily[0].at, expiry - 45 * day);
  assert.equal(daily[0].eventBridge["detail-type"], "ACM Certificate Approaching Expiration");
  assert.equal(t.events.find((e) => e.kind === "ConfigRuleNonCompliant").at, expiry - 14 * day);
  assert.equal(t.state.daysToExpiry, 20);
  assert.equal(t.state.configRule, "COMPLIANT");
  assert.equal(t.state.expiryEventsActive, true);
  assert.equal(t.describeCertificate.Certificate.Type, "IMPORTED");
});

// https://docs.aws.amazon.com/acm/latest/userguide/managed-renewal.html (eligibility),
// https://docs.aws.amazon.com/acm/latest/userguide/renew-private-cert.html (60 days)
test("ACM-issued: renewal starts 60 days before; not in use means ineligible", () => {
  const t = acmTimeline(data("rsa2048.der"), { type: "AMAZON_ISSUED", now: expiry - 100 * day });
  assert.equal(t.events[0].kind, "ManagedRenewalStarts");
  assert.equal(t.events[0].at, expiry - 60 * day);
  const idle = acmTimeline(data("rsa2048.der"), { type: "AMAZON_ISSUED", inUse: false, now: expiry - 100 * day });
  assert.equal(idle.state.renewalEligibility, "INELIGIBLE");
  assert.equal(idle.events.at(-1).eventBridge["detail-type"], "ACM Certificate Expired");
});

// https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html
test("CloudFront needs us-east-1", () => {
  const t = acmTimeline(text("wildcard.pem"), { region: "eu-west-1", hosts: ["example.com", "a.b.example.com"] });
  assert.equal(t.placements.find((p) => p.service === "CloudFront").ok, false);
  assert.equal(t.coverage[0].coveredBy, "example.com");
  assert.equal(t.coverage[1].coveredBy, null);
});

test("hostile input: coded errors, never a trap", () => {
  const code = (f) => { try { f(); } catch (e) { return [e.name, e.code, e.message]; } assert.fail("no error"); };
  assert.deepEqual(code(() => inspectCertificate("")).slice(0, 2), ["SecplayError", "NoCertificate"]);
  const [, c1, m1] = code(() => inspectCertificate("x\n-----BEGIN CERTIFICATE-----\nAAA$\n-----END CERTIFICATE-----\n"));
  assert.equal(c1, "MalformedPem");
  assert.match(m1, /^line 3:/);
  assert.equal(code(() => inspectCertificate(data("rsa2048.der").subarray(0, 500)))[1], "MalformedDer");
  assert.equal(code(() => inspectCertificate(text("ed25519.pem").repeat(11)))[1], "TooLarge");
  assert.equal(code(() => acmTimeline(text("rsa2048.pem"), { daysBeforeExpiry: 46 }))[1], "InvalidOption");
  assert.equal(code(() => inspectCertificate(42))[1], "InvalidInput");
  // The module still answers.
  assert.equal(inspectCertificate(text("ed25519.pem")).certificates.length, 1);
});
