// The S3 replication engine through the npm package in Node: the cases of tests/s3/cases.json
// (written from the S3 User Guide, each citing its page) decided as natively, a KMS instance as
// the source of keys and roles, the inventory stream, and coded errors for hostile input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { initSync, evaluateReplication, ReplicationEvaluator, Kms } from "../../pkg/secplay.js";

initSync({ module: readFileSync(new URL("../../pkg/secplay_bg.wasm", import.meta.url)) });
const corpus = JSON.parse(readFileSync(new URL("../s3/cases.json", import.meta.url), "utf8"));

const unescape = (t) => t.replaceAll("~1", "/").replaceAll("~0", "~");
function setAt(doc, pointer, value) {
  const tokens = pointer.split("/").slice(1).map(unescape);
  const last = tokens.pop();
  let cur = doc;
  for (const t of tokens) cur = cur[t] ??= {};
  if (Array.isArray(cur) && Number(last) === cur.length) cur.push(value);
  else cur[last] = value;
}
function removeAt(doc, pointer) {
  const tokens = pointer.split("/").slice(1).map(unescape);
  const last = tokens.pop();
  const parent = tokens.reduce((c, t) => c[t], doc);
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
}
function inputOf(c) {
  const input = structuredClone(corpus.bases[c.base]);
  for (const [p, v] of Object.entries(c.set ?? {})) setAt(input, p, structuredClone(v));
  for (const p of c.remove ?? []) removeAt(input, p);
  return input;
}

for (const c of corpus.cases) {
  test(`${c.id} (${c.doc})`, () => {
    const got = evaluateReplication(inputOf(c));
    assert.deepEqual(got.configurationErrors.map((e) => e.code).sort(), [...(c.expect.configurationErrors ?? [])].sort());
    (c.expect.objects ?? []).forEach((want, i) => {
      const obj = got.objects[i];
      for (const [field, w] of Object.entries(want)) {
        if (field === "sourceStatus") { assert.equal(obj.sourceStatus, w, `${c.id}: sourceStatus`); continue; }
        const d = obj.destinations.find((x) => x.bucket === field);
        const decided = d.reasons.filter((r) => r.decided);
        assert.equal(decided.length, 1, `${c.id}: one deciding reason`);
        for (const [k, wv] of Object.entries(w)) {
          if (k === "decided") assert.equal(decided[0].code, wv, `${c.id}: ${JSON.stringify(d.reasons)}`);
          else if (k === "has") for (const code of wv) assert.ok(d.reasons.some((r) => r.code === code), `${c.id}: ${code}`);
          else if (k === "trace") assert.equal(decided[0].trace.decision, wv, c.id);
          else assert.deepEqual(d[k], wv, `${c.id}: ${k}`);
        }
      }
    });
  });
}

test("input as JSON text gives the same result", () => {
  const input = inputOf(corpus.cases[0]);
  assert.deepEqual(evaluateReplication(JSON.stringify(input)), evaluateReplication(input));
});

test("a Kms instance supplies the keys and roles", () => {
  const ADMIN = "arn:aws:iam::111122223333:role/Admin";
  const kms = new Kms();
  const src = kms.call("CreateKey", {}, { principal: ADMIN, region: "us-east-1" }).KeyMetadata.Arn;
  const dst = kms.call("CreateKey", {}, { principal: ADMIN, region: "us-west-2" }).KeyMetadata.Arn;
  const input = structuredClone(corpus.bases.base);
  input.keys = [];
  input.roles = {};
  input.source.encryption = null;
  input.objects[0].kmsKeyArn = src;
  const cfg = input.replication.ReplicationConfiguration;
  cfg.Role = ADMIN;
  cfg.Rules[0].Destination.EncryptionConfiguration.ReplicaKmsKeyID = dst;
  const got = evaluateReplication(input, { kms });
  assert.equal(got.objects[0].destinations[0].outcome, "REPLICATED", JSON.stringify(got.objects[0]));
  assert.equal(got.objects[0].destinations[0].replicaEncryption.kmsKeyArn, dst);
  // The instance is unchanged and still answers.
  for (const region of ["us-east-1", "us-west-2"]) {
    assert.equal(kms.call("ListKeys", {}, { principal: ADMIN, region }).Keys.length, 1, region);
  }
  assert.throws(() => evaluateReplication(input, { kms: {} }), (e) => e.code === "InvalidInput" && /opts\.kms/.test(e.message));
});

test("an inventory streams in chunks and summarises", () => {
  const schema = "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, StorageClass, EncryptionStatus";
  let csv = "";
  for (let i = 0; i < 300; i++) {
    csv += `"src-bucket","${["docs", "logs"][i % 2]}%2Ff${i}","v${i}","true","false","${i}","${i % 7 ? "STANDARD" : "GLACIER"}","${["SSE-KMS", "SSE-S3", "NOT-SSE"][i % 3]}"\n`;
  }
  const input = structuredClone(corpus.bases.base);
  delete input.objects;
  input.inventory = { fileSchema: schema };
  input.objectsPerSecond = 100;
  const ev = new ReplicationEvaluator(input);
  let rows = ev.header();
  const bytes = new TextEncoder().encode(csv);
  for (let at = 0; at < bytes.length; at += 333) rows += ev.push(bytes.subarray(at, at + 333));
  const fin = ev.finish();
  rows += fin.csv;
  assert.equal(fin.summary.rows, 300);
  assert.equal(fin.summary.memoised, true);
  assert.ok(fin.summary.evaluated < 20, `${fin.summary.evaluated} distinct cases`);
  assert.equal(rows.trim().split("\n").length, 301);
  const whole = evaluateReplication({ ...input, inventory: { csv, fileSchema: schema } });
  assert.equal(whole.csv, rows);
  assert.ok(fin.summary.reasons.some((r) => r.code === "GLACIER_STORAGE_CLASS"));
  assert.ok(fin.kmsLoad.keys.some((k) => k.operation === "Decrypt" && k.requestsPerSecond > 0));
  assert.throws(() => ev.push(42), (e) => e.code === "InvalidInput" && /chunk/.test(e.message));

  // `rows: false`: no verdict rows, the same summary.
  const quiet = new ReplicationEvaluator(input, { rows: false });
  assert.equal(quiet.push(bytes), "");
  const fin2 = quiet.finish();
  assert.deepEqual(fin2.summary, fin.summary);
  assert.equal(fin2.csv, "");
  assert.throws(() => new ReplicationEvaluator(input, { rows: "no" }), (e) => e.code === "InvalidInput" && /opts\.rows/.test(e.message));
});

test("hostile input gets coded errors, never a trap", () => {
  const base = corpus.bases.base;
  const cases = [
    [{ ...base, objects: "x" }, "InvalidInput"],
    [{ ...base, keys: [{ arn: "arn:aws:kms:us-east-1:111122223333:key/k", policy: "{" }] }, "InvalidPolicy"],
    [{ ...base, objects: undefined, inventory: { csv: "\"a\"\n", fileSchema: "Bucket, Key" } }, "InvalidInventory"],
    ["{not json", "InvalidInput"],
  ];
  for (const [input, code] of cases) {
    assert.throws(() => evaluateReplication(input), (e) => e.name === "SecplayError" && e.code === code, code);
  }
  assert.equal(evaluateReplication(base).objects.length, 1);
});
