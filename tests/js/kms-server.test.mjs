// secplay-kms-server from pkg/ against real clients: boto3 (tests/interop/kms_boto3.py, in .venv)
// through a scenario of every operation family and its error cases; then the state file across a
// clean stop (SIGTERM) and a kill -9 between calls, and bad input that must get AWS errors, never
// a crash.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { initSync, Kms } from "../../pkg/secplay.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
initSync({ module: readFileSync(join(root, "pkg", "secplay_bg.wasm")) });
const SERVER = join(root, "pkg", "bin", "secplay-kms-server.mjs");
const PYTHON = join(root, ".venv", "bin", "python");
const NOBODY = "arn:aws:iam::111122223333:user/nobody";

// boto3 lives in the test virtualenv (tools/setup.sh test). Without it the tests that need it skip
// with the reason, except under CI (CI=true), where a missing official client is a failure.
const CI = !!process.env.CI && !["0", "false"].includes(process.env.CI.toLowerCase());
const venvProblem = (() => {
  if (!existsSync(PYTHON)) return `${PYTHON} does not exist`;
  const r = spawnSync(PYTHON, ["-c", "import boto3; print(boto3.__version__)"], { encoding: "utf8" });
  return r.status === 0 ? null : `boto3 does not import in .venv: ${(r.stderr || "").trim().split("\n").pop()}`;
})();
/** False (after skipping `t`) when boto3 is missing outside CI; under CI a missing boto3 fails. */
function needBoto3(t) {
  if (!venvProblem) return true;
  const message = `${venvProblem}; run \`make setup-test\` (tools/setup.sh test)`;
  assert.ok(!CI, `CI must run the boto3 conformance test: ${message}`);
  t.skip(message);
  return false;
}
const ADMIN = "arn:aws:iam::111122223333:role/Admin";

/** Starts the server; resolves with the child and its JSON line. */
function start(state, args = []) {
  const child = spawn(process.execPath, [SERVER, "--port", "0", "--state", state, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => { err += d; });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const nl = out.indexOf("\n");
      if (nl >= 0) resolve({ child, info: JSON.parse(out.slice(0, nl)), stderr: () => err });
    });
    child.on("exit", (code) => reject(new Error(`the server exited (${code}) before listening: ${err}`)));
  });
}

function stop(child, signal = "SIGTERM") {
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.on("exit", (code, sig) => resolve({ code, sig }));
    child.kill(signal);
  });
}

/** Runs Python with boto3 and the server's credentials; returns stdout, failing with its output. */
function python(info, code, env = {}) {
  const r = spawnSync(PYTHON, code, {
    encoding: "utf8",
    timeout: 300_000,
    env: {
      ...process.env, KMS_ENDPOINT: info.endpoint, KMS_REGION: info.region,
      KMS_ADMIN_KEY_ID: info.accessKeyId, KMS_ADMIN_SECRET: info.secretAccessKey, KMS_ADMIN_ARN: ADMIN, ...env,
    },
  });
  assert.equal(r.status, 0, `python failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const DECRYPT = `
import base64, json, os, boto3
kms = boto3.client("kms", endpoint_url=os.environ["KMS_ENDPOINT"], region_name=os.environ["KMS_REGION"],
                   aws_access_key_id=os.environ["KMS_ADMIN_KEY_ID"], aws_secret_access_key=os.environ["KMS_ADMIN_SECRET"])
r = json.loads(os.environ["KMS_CIPHERTEXT"])
print(kms.decrypt(CiphertextBlob=base64.b64decode(r["ciphertext"]), EncryptionContext=r["context"])["Plaintext"].decode())
`;

const ENCRYPT = `
import base64, json, boto3, os
kms = boto3.client("kms", endpoint_url=os.environ["KMS_ENDPOINT"], region_name=os.environ["KMS_REGION"],
                   aws_access_key_id=os.environ["KMS_ADMIN_KEY_ID"], aws_secret_access_key=os.environ["KMS_ADMIN_SECRET"])
key = kms.create_key(Description="survives kill -9")["KeyMetadata"]["KeyId"]
kms.create_alias(AliasName="alias/kill", TargetKeyId=key)
ct = kms.encrypt(KeyId="alias/kill", Plaintext=b"still here", EncryptionContext={"a": "b"})["CiphertextBlob"]
print(json.dumps({"ciphertext": base64.b64encode(ct).decode(), "context": {"a": "b"}}))
`;

const tmp = () => mkdtempSync(join(tmpdir(), "secplay-kms-server-"));

test("boto3 runs every operation family and its error cases; the state outlives a clean stop", async (t) => {
  if (!needBoto3(t)) return;
  const dir = tmp();
  const state = join(dir, "world.kms");
  // A world with a user that has no permissions, made with the JS API: the state file is a snapshot.
  const kms = new Kms();
  kms.addPrincipal(NOBODY);
  const nobody = kms.createAccessKey(NOBODY);
  writeFileSync(state, kms.snapshot());

  const { child, info } = await start(state);
  t.after(() => child.kill("SIGKILL"));
  assert.match(info.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(info.region, "us-east-1");
  assert.equal(info.account, "111122223333");
  assert.match(info.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.equal(info.secretAccessKey.length, 40);
  const out = join(dir, "results.json");
  const stdout = python(info, [join(root, "tests", "interop", "kms_boto3.py")], {
    KMS_NOBODY_KEY_ID: nobody.accessKeyId, KMS_NOBODY_SECRET: nobody.secretAccessKey, KMS_NOBODY_ARN: NOBODY, KMS_OUT: out,
  });
  for (const step of ["keys_lifecycle", "imported_material", "multi_region", "grants", "policies", "rotation", "errors"]) assert.match(stdout, new RegExp(`^ok ${step}$`, "m"));
  assert.deepEqual(await stop(child), { code: 0, sig: null });

  // The state file is a snapshot: it restores, with the calls audited from the peer's address and
  // no secret anywhere in the audit log.
  const saved = Kms.restore(readFileSync(state));
  const events = saved.auditLog({});
  assert.ok(events.length > 50, `only ${events.length} events were kept`);
  // Every call of a client carries the peer's address; KMS's own events (SynchronizeMultiRegionKey
  // after ReplicateKey and UpdatePrimaryRegion) come from kms.amazonaws.com, as in CloudTrail.
  const own = events.filter((e) => e.sourceIPAddress === "kms.amazonaws.com");
  assert.ok(own.every((e) => e.eventName === "SynchronizeMultiRegionKey"), JSON.stringify(own.map((e) => e.eventName)));
  assert.ok(events.filter((e) => !own.includes(e)).every((e) => e.sourceIPAddress === "127.0.0.1"), "an event without the peer's address");
  const text = JSON.stringify(events);
  assert.ok(!text.includes(info.secretAccessKey) && !text.includes(nobody.secretAccessKey), "a secret reached the audit log");
  assert.ok(events.some((e) => e.errorCode === "AccessDeniedException" && e.userIdentity?.arn === NOBODY));

  // Restarted on the same file: the same credentials, and the old ciphertext decrypts.
  const again = await start(state);
  t.after(() => again.child.kill("SIGKILL"));
  assert.equal(again.info.accessKeyId, info.accessKeyId);
  assert.equal(python(again.info, ["-c", DECRYPT], { KMS_CIPHERTEXT: readFileSync(out, "utf8") }).trim(), "secret payload");
  assert.deepEqual(await stop(again.child, "SIGINT"), { code: 0, sig: null });
});

test("a kill -9 between calls loses nothing that was answered", async (t) => {
  if (!needBoto3(t)) return;
  const dir = tmp();
  const state = join(dir, "world.kms");
  const { child, info } = await start(state);
  t.after(() => child.kill("SIGKILL"));
  const made = python(info, ["-c", ENCRYPT]);
  assert.deepEqual(await stop(child, "SIGKILL"), { code: null, sig: "SIGKILL" });
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith(".tmp")), [], "a temporary state file was left behind");
  const again = await start(state);
  t.after(() => again.child.kill("SIGKILL"));
  assert.equal(python(again.info, ["-c", DECRYPT], { KMS_CIPHERTEXT: made }).trim(), "still here");
  await stop(again.child);
});

/** One raw HTTP exchange. */
function raw(endpoint, { method = "POST", path = "/", headers = {}, body = "" } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(`${endpoint}${path}`, { method, headers }, (res) => {
      let text = "";
      res.on("data", (d) => { text += d; });
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

test("bad input gets AWS errors and the server keeps serving", async (t) => {
  const state = join(tmp(), "world.kms");
  const { child, info, stderr } = await start(state);
  t.after(() => child.kill("SIGKILL"));
  const cases = [
    [{}, 400, "MissingAuthenticationTokenException"],
    [{ method: "GET", path: "/x?y" }, 400, "MissingAuthenticationTokenException"],
    [{ headers: { authorization: "AWS4-HMAC-SHA256 nonsense" } }, 400, "IncompleteSignatureException"],
    [{ headers: { authorization: "AWS4-HMAC-SHA256 Credential=AKIAAAAAAAAAAAAAAAAA/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=" + "0".repeat(64) } }, 400, "UnrecognizedClientException"],
    [{ headers: { authorization: `AWS4-HMAC-SHA256 Credential=${info.accessKeyId}/20260101/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`, "x-amz-date": "20260101T000000Z" } }, 400, "InvalidSignatureException"],
    [{ body: Buffer.alloc((1 << 20) + 10, 32) }, 413, "RequestEntityTooLargeException"],
  ];
  for (const [req, status, type] of cases) {
    const r = await raw(info.endpoint, req);
    assert.equal(r.status, status, `${JSON.stringify(req).slice(0, 200)}: ${r.text}`);
    assert.equal(JSON.parse(r.text).__type, type, r.text);
    assert.equal(r.headers["content-type"], "application/x-amz-json-1.1");
  }
  // Not HTTP at all: a plain 400 and the connection closed (read to its end, or 'close' never comes).
  const { connect } = await import("node:net");
  const answer = await new Promise((resolve) => {
    let got = "";
    const s = connect(Number(new URL(info.endpoint).port), "127.0.0.1", () => s.end("\x00\x01 garbage\r\n\r\n"));
    s.on("data", (d) => { got += d; });
    s.on("close", () => resolve(got));
    s.on("error", () => resolve(got));
  });
  assert.match(answer, /^HTTP\/1\.1 400 /);
  // Still serving, signed calls included (through boto3 when the virtualenv has it).
  if (needBoto3(t)) assert.ok(python(info, ["-c", ENCRYPT]).length > 0);
  assert.equal(child.exitCode, null, `the server died: ${stderr()}`);
  assert.deepEqual(await stop(child), { code: 0, sig: null });
});
