// The Secrets Manager emulator through the npm package in Node, over a Kms instance's world:
// calls in AWS JSON, KMS's audit log showing the service's GenerateDataKey/Decrypt, coded errors
// with the policy trace, rotation and the shared clock.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { initSync, Kms, SecretsManager } from "../../pkg/secplay.js";

initSync({ module: readFileSync(new URL("../../pkg/secplay_bg.wasm", import.meta.url)) });
const ADMIN = "arn:aws:iam::111122223333:role/Admin";
const FN = "arn:aws:lambda:us-east-1:111122223333:function:rotate";

test("a secret is sealed through the shared KMS world and read back", () => {
  const kms = new Kms();
  const sm = new SecretsManager(kms);
  const created = sm.call("CreateSecret", { Name: "prod/db", SecretString: '{"password":"p"}' }, ADMIN);
  assert.match(created.ARN, /^arn:aws:secretsmanager:us-east-1:111122223333:secret:prod\/db-[A-Za-z0-9]{6}$/);
  const got = sm.call("GetSecretValue", { SecretId: "prod/db" }, { principal: ADMIN });
  assert.equal(got.SecretString, '{"password":"p"}');
  assert.deepEqual(got.VersionStages, ["AWSCURRENT"]);
  // The AWS-managed key now exists in the Kms instance, and its log shows the service's calls.
  assert.equal(kms.call("DescribeKey", { KeyId: "alias/aws/secretsmanager" }, ADMIN).KeyMetadata.KeyManager, "AWS");
  const events = kms.auditLog({}).map((e) => [e.eventName, e.sourceIPAddress]);
  assert.deepEqual(events.filter(([n]) => n === "GenerateDataKey" || n === "Decrypt"),
    [["GenerateDataKey", "secretsmanager.us-east-1.amazonaws.com"], ["Decrypt", "secretsmanager.us-east-1.amazonaws.com"]]);
});

test("errors carry the AWS exception name and, when denied, the trace", () => {
  const kms = new Kms();
  const sm = new SecretsManager(kms);
  sm.call("CreateSecret", { Name: "s", SecretString: "v" }, ADMIN);
  kms.addPrincipal("arn:aws:iam::111122223333:user/bob");
  assert.throws(() => sm.call("GetSecretValue", { SecretId: "s" }, "arn:aws:iam::111122223333:user/bob"), (e) => {
    assert.equal(e.name, "AccessDeniedException");
    assert.equal(e.code, "AccessDeniedException");
    assert.match(e.message, /secretsmanager:GetSecretValue/);
    assert.ok(Array.isArray(e.trace.trace));
    return true;
  });
  assert.throws(() => sm.call("GetSecretValue", { SecretId: "none" }, ADMIN), { name: "ResourceNotFoundException" });
  assert.throws(() => sm.call("DeleteSecret", { SecretId: "s", RecoveryWindowInDays: 3 }, ADMIN), { code: "InvalidParameterException" });
});

test("wrong argument types throw coded errors, never trap", () => {
  const kms = new Kms();
  for (const bad of [() => new SecretsManager(), () => new SecretsManager({}), () => new SecretsManager("kms"),
    () => new SecretsManager(kms).call(5, {}, ADMIN), () => new SecretsManager(kms).call("ListSecrets", {}),
    () => new SecretsManager(kms).advanceClock("x"), () => new SecretsManager(kms).putRotationFunction(FN, { failAt: "x" })]) {
    assert.throws(bad, (e) => typeof e.code === "string");
  }
});

test("rotation through the emulated function, a failure, and the shared clock", () => {
  const kms = new Kms();
  const sm = new SecretsManager(kms);
  const v1 = sm.call("CreateSecret", { Name: "db", SecretString: '{"username":"u","password":"old"}' }, ADMIN).VersionId;
  sm.putRotationFunction(FN, { failAt: "testSecret" });
  const failed = sm.call("RotateSecret", { SecretId: "db", RotationLambdaARN: FN, RotationRules: { ScheduleExpression: "rate(1 days)" } }, ADMIN);
  assert.equal(sm.call("GetSecretValue", { SecretId: "db" }, ADMIN).VersionId, v1);
  assert.equal(sm.call("GetSecretValue", { SecretId: "db", VersionStage: "AWSPENDING" }, ADMIN).VersionId, failed.VersionId);
  const h = sm.rotationHistory("db", ADMIN);
  assert.deepEqual(h.filter((e) => !e.ok).map((e) => e.step), ["testSecret", "RotationFailed"]);
  sm.putRotationFunction(FN, {});
  sm.call("UpdateSecretVersionStage", { SecretId: "db", VersionStage: "AWSPENDING", RemoveFromVersionId: failed.VersionId }, ADMIN);
  const r = sm.advanceClock(1);
  assert.deepEqual(r.events.map((e) => e.eventName), ["RotationSucceeded"]);
  assert.equal(kms.now(), r.now, "one clock");
  const cur = JSON.parse(sm.call("GetSecretValue", { SecretId: "db" }, ADMIN).SecretString);
  assert.equal(cur.username, "u");
  assert.notEqual(cur.password, "old");
});
