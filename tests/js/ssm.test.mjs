// Parameter Store through the npm package in Node: `new Ssm(kms)` shares the Kms instance's
// world, so SecureString reads show in the KMS audit log as Decrypt via ssm.<region>.amazonaws.com;
// errors carry the AWS exception name (and the policy trace when denied); the clock is shared.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { initSync, Kms, SecretsManager, Ssm } from "../../pkg/secplay.js";

initSync({ module: readFileSync(new URL("../../pkg/secplay_bg.wasm", import.meta.url)) });
const ADMIN = "arn:aws:iam::111122223333:role/Admin";

test("a SecureString round trip shows up in the shared KMS audit log", () => {
  const kms = new Kms();
  const ssm = new Ssm(kms);
  assert.deepEqual(ssm.call("PutParameter", { Name: "/my-department/my-app/db-password", Value: "hunter2", Type: "SecureString" }, ADMIN),
    { Version: 1, Tier: "Standard" });
  const raw = ssm.call("GetParameter", { Name: "/my-department/my-app/db-password" }, ADMIN).Parameter;
  assert.notEqual(raw.Value, "hunter2");
  const plain = ssm.call("GetParameter", { Name: "/my-department/my-app/db-password", WithDecryption: true }, { principal: ADMIN });
  assert.equal(plain.Parameter.Value, "hunter2");
  const decrypts = kms.auditLog({ eventName: "Decrypt" });
  assert.equal(decrypts.length, 1);
  assert.equal(decrypts[0].userIdentity.invokedBy, "ssm.us-east-1.amazonaws.com");
  assert.ok(kms.call("ListAliases", {}, ADMIN).Aliases.some((a) => a.AliasName === "alias/aws/ssm"));
});

test("errors carry the AWS exception name and, when denied, the trace", () => {
  const kms = new Kms();
  const ssm = new Ssm(kms);
  ssm.call("PutParameter", { Name: "/other/x", Value: "v", Type: "String" }, ADMIN);
  const app = "arn:aws:iam::111122223333:user/app";
  kms.addPrincipal(app);
  kms.putIdentityPolicy(app, "p", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ssm:GetParameter*",
    Resource: "arn:aws:ssm:us-east-1:111122223333:parameter/my-department/my-app/*" }] });
  assert.throws(() => ssm.call("GetParameter", { Name: "/other/x" }, app), (e) => {
    assert.equal(e.name, "AccessDeniedException");
    assert.equal(e.code, "AccessDeniedException");
    assert.match(e.message, /not authorized to perform: ssm:GetParameter/);
    assert.ok(Array.isArray(e.trace.trace));
    return true;
  });
  assert.throws(() => ssm.call("GetParameter", { Name: "/nope" }, ADMIN), { name: "ParameterNotFound", code: "ParameterNotFound" });
  assert.throws(() => ssm.call("PutParameter", { Name: "/other/x", Value: "v", Type: "String" }, ADMIN), { name: "ParameterAlreadyExists" });
});

test("policies fall due on the shared clock and emit EventBridge events", () => {
  const kms = new Kms();
  const ssm = new Ssm(kms);
  const policies = JSON.stringify([{ Type: "Expiration", Version: "1.0", Attributes: { Timestamp: "2026-01-11T00:00:00Z" } }]);
  ssm.call("PutParameter", { Name: "/ttl", Value: "v", Type: "String", Tier: "Advanced", Policies: policies }, ADMIN);
  // Advancing the KMS clock is enough: the store catches up on its next call.
  kms.advanceClock(11);
  assert.throws(() => ssm.call("GetParameter", { Name: "/ttl" }, ADMIN), { name: "ParameterNotFound" });
  const ev = ssm.events().filter((e) => e["detail-type"] === "Parameter Store Policy Action");
  assert.equal(ev.length, 1);
  assert.equal(ev[0].detail["policy-type"], "Expiration");
  const r = ssm.advanceClock(1);
  assert.deepEqual(r.parameterEvents, []);
  assert.equal(ssm.costEstimate({ higherThroughput: true }).apiInteractions, 2);
});

test("wrong argument types throw coded errors, never trap", () => {
  const kms = new Kms();
  for (const bad of [5, "kms", {}, null, undefined, new Uint8Array(2)]) {
    assert.throws(() => new Ssm(bad), (e) => e.code === "InvalidInput" && /`kms`/.test(e.message));
  }
  const ssm = new Ssm(kms);
  for (const bad of [() => ssm.call(5, {}, ADMIN), () => ssm.call("GetParameter", 5, ADMIN), () => ssm.call("GetParameter", {}),
    () => ssm.advanceClock("x"), () => ssm.costEstimate(7)]) {
    assert.throws(bad, (e) => typeof e.code === "string");
  }
  assert.equal(ssm.call("DescribeParameters", {}, ADMIN).Parameters.length, 0);
});

test("a call while the shared world is in use is Busy, not a panic", () => {
  const kms = new Kms();
  const ssm = new Ssm(kms);
  // Two Ssm instances over one world take turns: both see the same KMS keys.
  const other = new Ssm(kms);
  ssm.call("PutParameter", { Name: "/a", Value: "x", Type: "SecureString" }, ADMIN);
  other.call("PutParameter", { Name: "/a", Value: "y", Type: "SecureString" }, ADMIN);
  assert.equal(kms.call("ListAliases", {}, ADMIN).Aliases.filter((a) => a.AliasName === "alias/aws/ssm").length, 1);
});

test("a connected Secrets Manager answers /aws/reference/secretsmanager/ reads as the caller", () => {
  const kms = new Kms();
  const admin = "arn:aws:iam::111122223333:role/Admin";
  const ssm = new Ssm(kms);
  const sm = new SecretsManager(kms);
  sm.call("CreateSecret", { Name: "prod/db", SecretString: "v1" }, admin);
  const name = "/aws/reference/secretsmanager/prod/db";
  assert.throws(() => ssm.call("GetParameter", { Name: name, WithDecryption: true }, admin), { code: "ParameterNotFound" });
  ssm.connectSecretsManager(sm);
  const p = ssm.call("GetParameter", { Name: name, WithDecryption: true }, admin).Parameter;
  assert.equal(p.Value, "v1");
  assert.equal(p.Type, "SecureString");
  assert.equal(JSON.parse(p.SourceResult).Name, "prod/db");
  sm.call("PutSecretValue", { SecretId: "prod/db", SecretString: "v2" }, admin);
  assert.equal(ssm.call("GetParameter", { Name: `${name}:AWSPREVIOUS`, WithDecryption: true }, admin).Parameter.Value, "v1");
  assert.throws(() => ssm.connectSecretsManager(new SecretsManager(new Kms())), { code: "InvalidInput" });
  assert.throws(() => ssm.connectSecretsManager({}), { code: "InvalidInput" });
});
