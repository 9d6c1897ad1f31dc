// The KMS emulator through the npm package in Node: calls in AWS JSON, coded errors with the
// policy trace, type-checked arguments, the audit log, the clock and snapshots.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { initSync, Kms } from "../../pkg/secplay.js";

initSync({ module: readFileSync(new URL("../../pkg/secplay_bg.wasm", import.meta.url)) });
const ADMIN = "arn:aws:iam::111122223333:role/Admin";
const b64 = (s) => Buffer.from(s).toString("base64");

test("encrypt and decrypt in AWS JSON", () => {
  const kms = new Kms();
  const key = kms.call("CreateKey", {}, ADMIN).KeyMetadata.Arn;
  const ct = kms.call("Encrypt", { KeyId: key, Plaintext: b64("hi"), EncryptionContext: { a: "b" } }, ADMIN).CiphertextBlob;
  const pt = kms.call("Decrypt", { CiphertextBlob: ct, EncryptionContext: { a: "b" } }, { principal: ADMIN });
  assert.equal(Buffer.from(pt.Plaintext, "base64").toString(), "hi");
  assert.equal(pt.KeyId, key);
});

test("errors carry the AWS exception name and, when denied, the trace", () => {
  const kms = new Kms();
  const key = kms.call("CreateKey", {}, ADMIN).KeyMetadata.Arn;
  kms.addPrincipal("arn:aws:iam::111122223333:user/bob");
  assert.throws(() => kms.call("Encrypt", { KeyId: key, Plaintext: b64("x") }, "arn:aws:iam::111122223333:user/bob"), (e) => {
    assert.equal(e.name, "AccessDeniedException");
    assert.equal(e.code, "AccessDeniedException");
    assert.match(e.message, /is not authorized to perform: kms:Encrypt/);
    assert.ok(Array.isArray(e.trace.trace));
    return true;
  });
  assert.throws(() => kms.call("DescribeKey", { KeyId: "alias/none" }, ADMIN), { name: "NotFoundException" });
});

test("wrong argument types throw coded errors, never trap", () => {
  const kms = new Kms();
  for (const bad of [() => kms.call(5, {}, ADMIN), () => kms.call("ListKeys", 5, ADMIN), () => kms.call("ListKeys", {}),
    () => kms.advanceClock("x"), () => kms.addAccount(1), () => Kms.restore("x"), () => kms.auditLog(7)]) {
    assert.throws(bad, (e) => typeof e.code === "string");
  }
  kms.call("ListKeys", {}, ADMIN);
});

test("audit log, clock and snapshot", () => {
  const kms = new Kms();
  const key = kms.call("CreateKey", {}, ADMIN).KeyMetadata.Arn;
  kms.call("ScheduleKeyDeletion", { KeyId: key, PendingWindowInDays: 7 }, ADMIN);
  const bytes = kms.snapshot();
  assert.ok(bytes instanceof Uint8Array);
  const r = kms.advanceClock(8);
  assert.equal(r.events[0].eventName, "DeleteKey");
  assert.equal(kms.auditLog({ eventName: "CreateKey" }).length, 1);
  const back = Kms.restore(bytes);
  assert.equal(back.call("DescribeKey", { KeyId: key }, ADMIN).KeyMetadata.KeyState, "PendingDeletion");
  assert.equal(typeof kms.costEstimate().pricesAsOf, "string");
});
