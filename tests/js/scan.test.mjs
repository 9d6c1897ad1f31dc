// The sensitive-data scanner through the npm package in Node: the same findings as natively for
// the documented cases, streaming in odd chunks equals one call, utf16 offsets index the JS
// string, secrets never appear in the output, and coded errors for bad options.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { initSync, scanSensitiveData, SensitiveDataScanner } from "../../pkg/secplay.js";

initSync({ module: readFileSync(new URL("../../pkg/secplay_bg.wasm", import.meta.url)) });

const SECRET = "Zx9aQ2mN8pL4vB7cR1sT6wY3uE5iO0kJhGfDsA2q";
const TEXT = [
  "한국어 note 😀: visa 4242 4242 4242 4242",
  `aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}`,
  "IBAN GB82 WEST 1234 5698 7654 32, SSN 123-45-6789, RRN 210304-3123451",
  "call +44 20 7946 0958 or mail jane.doe@example.com; DOB: 1985-07-14",
].join("\n");

test("scanSensitiveData finds each type with Macie ids and JS string positions", () => {
  const r = scanSensitiveData(TEXT);
  const types = r.findings.map((f) => f.type);
  assert.deepEqual(types, [
    "CREDIT_CARD_NUMBER", "AWS_ACCESS_KEY_ID", "AWS_CREDENTIALS", "IBAN", "USA_SOCIAL_SECURITY_NUMBER",
    "KOREA_RESIDENT_REGISTRATION_NUMBER", "PHONE_NUMBER", "EMAIL_ADDRESS", "DATE_OF_BIRTH",
  ]);
  const email = r.findings.find((f) => f.type === "EMAIL_ADDRESS");
  assert.equal(TEXT.slice(email.start.utf16, email.end.utf16), "jane.doe@example.com");
  assert.equal(email.start.line, 5);
  const card = r.findings[0];
  assert.equal(TEXT.slice(card.start.utf16, card.end.utf16), "4242 4242 4242 4242");
  assert.equal(card.masked, "**** **** **** 4242");
  assert.equal(r.finding.type, "SensitiveData:S3Object/Multiple");
  assert.equal(r.finding.severity.description, "High");
  const cats = r.finding.classificationDetails.result.sensitiveData.map((s) => s.category);
  assert.deepEqual(cats, ["CREDENTIALS", "FINANCIAL_INFORMATION", "PERSONAL_INFORMATION"]);
});

test("no secret appears anywhere in the report", () => {
  const out = JSON.stringify(scanSensitiveData(TEXT));
  for (const s of [SECRET, "4242 4242 4242 4242", "123-45-6789", "GB82 WEST 1234 5698 7654 32", "210304-3123451"]) {
    assert.ok(!out.includes(s), s);
  }
});

test("streaming in odd chunks (bytes and text) gives the same report", () => {
  const whole = scanSensitiveData(TEXT);
  const bytes = new TextEncoder().encode(TEXT.repeat(50));
  const s = new SensitiveDataScanner();
  let last;
  for (let i = 0; i < bytes.length; i += 997) last = s.push(bytes.subarray(i, i + 997));
  assert.equal(last.bytesScanned, bytes.length);
  const r = s.finish();
  assert.equal(r.bytesScanned, bytes.length);
  assert.equal(r.counts.EMAIL_ADDRESS, 50);
  // The same findings at the same places (excerpts differ at the end: more text follows there).
  const key = (f) => `${f.type} ${f.start.byte}-${f.end.byte} ${f.masked}`;
  assert.deepEqual(r.findings.slice(0, whole.findings.length).map(key), whole.findings.map(key));
  assert.deepEqual(scanSensitiveData(bytes).findings, r.findings);
});

test("bad options and a finished scanner are coded errors", () => {
  assert.throws(() => scanSensitiveData("x", { types: ["NOPE"] }), { name: "SecplayError", code: "InvalidOption" });
  assert.throws(() => scanSensitiveData("x", { maxFindings: 1e9 }), { code: "InvalidOption" });
  assert.throws(() => scanSensitiveData(42), { code: "InvalidInput" });
  const s = new SensitiveDataScanner({ types: ["EMAIL_ADDRESS"] });
  s.push("a.b@example.com");
  assert.deepEqual(s.finish().counts, { EMAIL_ADDRESS: 1 });
  assert.throws(() => s.push("x"), { code: "ScannerFinished" });
});

test("invalid UTF-8 bytes are scanned, not refused", () => {
  const b = new Uint8Array([0xff, 0xfe, ...new TextEncoder().encode(" mail a.b@example.com")]);
  assert.deepEqual(scanSensitiveData(b).findings.map((f) => f.type), ["EMAIL_ADDRESS"]);
});
