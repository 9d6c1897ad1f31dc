// The ESDK's AWS KMS keyrings through the npm package in Node, over a Kms instance: round trips
// through each keyring (one-shot and streaming), denials with their AWS exception name, discovery
// filters, a multi-Region key across two regions, a multi-keyring with raw AES, wrong options
// refused with InvalidInput; and interop both ways with the official AWS Encryption SDK for
// Python (tests/interop/esdk_kms_peer.py) through secplay-kms-server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { initSync, Kms, esdkEncrypt, esdkDecrypt, EsdkEncryptor, EsdkDecryptor } from "../../pkg/secplay.js";

initSync({ module: readFileSync(new URL("../../pkg/secplay_bg.wasm", import.meta.url)) });
const root = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = "111122223333";
const ADMIN = `arn:aws:iam::${MAIN}:role/Admin`;
const CONTEXT = { purpose: "esdk-kms test" };
const text = (b) => new TextDecoder().decode(b);
const bytes = (s) => new TextEncoder().encode(s);
const raw = { type: "raw-aes", namespace: "ns", name: "aes", key: Buffer.alloc(32, 5).toString("base64") };

/** A world with a key in us-east-1 and a multi-Region key replicated to us-west-2. */
function world() {
  const kms = new Kms();
  const key = kms.call("CreateKey", {}, ADMIN).KeyMetadata.Arn;
  const mrk = kms.call("CreateKey", { MultiRegion: true }, ADMIN).KeyMetadata.Arn;
  const replica = kms.call("ReplicateKey", { KeyId: mrk, ReplicaRegion: "us-west-2" }, ADMIN).ReplicaKeyMetadata.Arn;
  return { kms, key, mrk, replica };
}

const seal = (kms, keyrings, caller = ADMIN) =>
  esdkEncrypt(bytes("through KMS"), { keyrings, kms, caller, encryptionContext: CONTEXT });
const open = async (kms, keyrings, message, caller = ADMIN) =>
  text((await esdkDecrypt(message, { keyrings, kms, caller })).plaintext);

test("each KMS keyring round trips, and every call is in the audit log", async () => {
  const { kms, key, mrk, replica } = world();
  const message = await seal(kms, [{ type: "aws-kms", keyId: key }]);
  const edk = (await esdkDecrypt(message, { keyrings: [{ type: "aws-kms", keyId: key }], kms, caller: ADMIN })).header.encryptedDataKeys[0];
  assert.equal(edk.providerId, "aws-kms");
  assert.equal(Buffer.from(edk.providerInfo, "base64").toString(), key);
  assert.equal(await open(kms, [{ type: "aws-kms-discovery" }], message), "through KMS");
  assert.equal(await open(kms, [{ type: "aws-kms-discovery", discoveryFilter: { partition: "aws", accountIds: [MAIN] } }], message), "through KMS");
  const byMrk = await seal(kms, [{ type: "aws-kms-mrk", keyId: mrk }]);
  assert.equal(await open(kms, [{ type: "aws-kms-mrk", keyId: replica }], byMrk), "through KMS");
  assert.equal(await open(kms, [{ type: "aws-kms-mrk-discovery", region: "us-west-2" }], byMrk), "through KMS");
  const last = kms.auditLog({ eventName: "Decrypt" }).at(-1);
  assert.equal(last.awsRegion, "us-west-2", "the replica decrypted in its own region");
  assert.equal(last.userIdentity.arn, ADMIN);
  assert.ok(kms.auditLog({ eventName: "GenerateDataKey" }).length >= 2);
});

test("streams use the KMS keyrings too", () => {
  const { kms, key } = world();
  const enc = new EsdkEncryptor({ keyrings: [{ type: "aws-kms", keyId: key }], kms, caller: { principal: ADMIN } });
  const message = Buffer.concat([enc.update(bytes("streamed")), enc.finish()]);
  const dec = new EsdkDecryptor({ keyrings: [{ type: "aws-kms", keyId: key }], kms, caller: ADMIN });
  assert.equal(text(Buffer.concat([dec.update(message), dec.finish()])), "streamed");
});

test("a KMS error inside a keyring surfaces with its AWS exception name", async () => {
  const { kms, key } = world();
  const app = `arn:aws:iam::${MAIN}:role/App`;
  kms.addPrincipal(app);
  kms.putIdentityPolicy(app, "kms", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Encrypt"], Resource: "*" }] });
  const message = await seal(kms, [{ type: "aws-kms", keyId: key }], app);
  await assert.rejects(open(kms, [{ type: "aws-kms", keyId: key }], message, app), (e) => {
    assert.equal(e.code, "AccessDeniedException", e.message);
    assert.match(e.message, /kms:Decrypt/);
    return true;
  });
  assert.equal(kms.auditLog({ errors: true }).at(-1).errorCode, "AccessDeniedException");
  kms.call("DisableKey", { KeyId: key }, ADMIN);
  await assert.rejects(seal(kms, [{ type: "aws-kms", keyId: key }]), { code: "DisabledException" });
});

test("a discovery filter excludes other accounts and partitions", async () => {
  const { kms, key } = world();
  const message = await seal(kms, [{ type: "aws-kms", keyId: key }]);
  for (const discoveryFilter of [{ partition: "aws", accountIds: ["444455556666"] }, { partition: "aws-cn", accountIds: [MAIN] }]) {
    await assert.rejects(open(kms, [{ type: "aws-kms-discovery", discoveryFilter }], message), { code: "NoKeyringCouldDecrypt" });
  }
  await assert.rejects(seal(kms, [{ type: "aws-kms-discovery" }]), { code: "InvalidKeyring" });
});

test("a multi-keyring with aws-kms and raw-aes decrypts with either", async () => {
  const { kms, key } = world();
  for (const keyrings of [[{ type: "aws-kms", keyId: key }, raw], [raw, { type: "aws-kms", keyId: key }]]) {
    const message = await seal(kms, keyrings);
    assert.equal(await open(kms, [{ type: "aws-kms", keyId: key }], message), "through KMS");
    assert.equal(text((await esdkDecrypt(message, { keyrings: [raw] })).plaintext), "through KMS");
  }
});

test("a message outlives its Kms: a restored snapshot decrypts it", async () => {
  const { kms, key } = world();
  const message = await seal(kms, [{ type: "aws-kms", keyId: key }]);
  const again = Kms.restore(kms.snapshot());
  assert.equal(await open(again, [{ type: "aws-kms", keyId: key }], message), "through KMS");
});

test("wrong kms, caller or keyring options are InvalidInput errors, never traps", async () => {
  const { kms, key } = world();
  const keyrings = [{ type: "aws-kms", keyId: key }];
  const bad = [
    { keyrings },
    { keyrings, kms: {}, caller: ADMIN },
    { keyrings, kms: 5, caller: ADMIN },
    { keyrings, kms: "kms", caller: ADMIN },
    { keyrings, kms: { call() { return {}; } }, caller: ADMIN },
    { keyrings, kms },
    { keyrings, caller: ADMIN },
    { keyrings, kms, caller: 7 },
    { keyrings, kms, caller: { principal: ADMIN, nope: 1 } },
    { keyrings: [{ type: "aws-kms" }], kms, caller: ADMIN },
    { keyrings: [{ type: "aws-kms", keyId: "" }], kms, caller: ADMIN },
    { keyrings: [{ type: "aws-kms", keyId: key, extra: 1 }], kms, caller: ADMIN },
    { keyrings: [{ type: "aws-kms", keyId: key, grantTokens: [5] }], kms, caller: ADMIN },
    { keyrings: [{ type: "aws-kms-discovery", discoveryFilter: { partition: "aws", accountIds: [] } }], kms, caller: ADMIN },
    { keyrings: [{ type: "aws-kms-mrk-discovery" }], kms, caller: ADMIN },
  ];
  for (const [i, opts] of bad.entries()) {
    await assert.rejects(esdkEncrypt(bytes("x"), opts), (e) => {
      assert.equal(e.code, "InvalidInput", `case ${i}: ${e.code} ${e.message}`);
      return true;
    });
    assert.throws(() => new EsdkDecryptor(opts), { code: "InvalidInput" }, `case ${i} (decryptor)`);
  }
  // The instance still works afterwards.
  assert.equal(await open(kms, keyrings, await seal(kms, keyrings)), "through KMS");
});

// --- interop with the Python ESDK through secplay-kms-server -----------------------------------

const freePort = () => new Promise((resolve, reject) => {
  const s = createServer();
  s.on("error", reject);
  s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

/** Starts the server of the package; resolves with its JSON line and the child. */
async function startServer(bin, state) {
  const port = await freePort();
  const child = spawn(process.execPath, [bin, "--port", String(port), "--state", state], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => { err += d; });
  const info = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`the server printed no JSON line: ${err}`)), 30_000);
    child.stdout.on("data", (d) => {
      out += d;
      const line = out.split("\n").find((l) => l.trim().startsWith("{"));
      if (line) { clearTimeout(timer); resolve(JSON.parse(line)); }
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`the server exited (${code}): ${err}`)); });
  });
  return { info, child };
}

test("interop both ways with the Python ESDK's KMS providers through secplay-kms-server", async (t) => {
  // The server is the package's bin (pkg/package.json `bin`); SECPLAY_KMS_SERVER names another
  // server script to run instead (e.g. that of another build).
  const pkgJson = JSON.parse(readFileSync(join(root, "pkg", "package.json"), "utf8"));
  const binPath = pkgJson.bin?.["secplay-kms-server"];
  const server = process.env.SECPLAY_KMS_SERVER ?? (binPath && join(root, "pkg", binPath));
  assert.ok(server && existsSync(server), `no secplay-kms-server in the package (pkg/package.json bin: ${JSON.stringify(pkgJson.bin)}); run \`make pkg\``);
  // The Python ESDK lives in the test virtualenv (tools/setup.sh test): without it this part skips
  // with the reason, except under CI (CI=true), where a missing peer is a failure.
  const python = join(root, ".venv", "bin", "python");
  const probe = existsSync(python) ? spawnSync(python, ["-c", "import aws_encryption_sdk, boto3"], { encoding: "utf8" }) : null;
  if (probe?.status !== 0) {
    const why = probe ? `the Python ESDK does not import in .venv: ${(probe.stderr || "").trim().split("\n").pop()}` : `${python} does not exist`;
    const message = `${why}; run \`make setup-test\` (tools/setup.sh test)`;
    const ci = !!process.env.CI && !["0", "false"].includes(process.env.CI.toLowerCase());
    assert.ok(!ci, `CI must run the Python ESDK interop: ${message}`);
    t.skip(message);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "esdk-kms-"));
  const state = join(dir, "world.snapshot");
  const { info, child } = await startServer(server, state);
  t.after(() => child.kill());
  const regions = [info.region ?? "us-east-1", info.region === "us-west-2" ? "us-east-1" : "us-west-2"];
  const peer = (phase, plan) => {
    writeFileSync(join(dir, `${phase}.json`), JSON.stringify(plan));
    const out = execFileSync(python, [join(root, "tests", "interop", "esdk_kms_peer.py"), phase, join(dir, `${phase}.json`)],
      { encoding: "utf8", maxBuffer: 1 << 24, env: { ...process.env, AWS_EC2_METADATA_DISABLED: "true" } });
    return out.trim().split("\n").map((l) => JSON.parse(l));
  };
  const base = { endpoint: info.endpoint, accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey, account: info.account, regions };
  const cases = [
    { id: "single", key: "single", provider: "strict" },
    { id: "single-discovery", key: "single", provider: "discovery" },
    { id: "mrk", key: "mrk", provider: "mrk" },
  ].map((c) => {
    const plaintext = join(dir, `${c.id}.plain`);
    writeFileSync(plaintext, bytes(`interop ${c.id} `.repeat(300)));
    return { ...c, plaintext, encryptionContext: CONTEXT, theirs: join(dir, `${c.id}.theirs`), ours: join(dir, `${c.id}.ours`) };
  });

  // Python creates the keys over the endpoint and encrypts under them.
  const [first, ...encrypted] = peer("encrypt", { ...base, cases });
  const keys = first.keys;
  assert.ok(keys?.mrkReplica, `the peer made no keys: ${JSON.stringify(first)}`);
  const failures = encrypted.filter((r) => r.encrypt !== "ok").map((r) => `${r.id}: Python could not encrypt: ${r.encrypt}`);
  assert.deepEqual(failures, []);

  // Ours, over the server's world as its state file holds it (the snapshot format).
  const kms = Kms.restore(readFileSync(state));
  const caller = { principal: `arn:aws:iam::${info.account}:role/Admin`, region: regions[0] };
  const ourKeyring = { single: { type: "aws-kms", keyId: keys.single }, mrk: { type: "aws-kms-mrk", keyId: keys.mrkReplica } };
  let weRead = 0;
  for (const c of cases) {
    const theirs = readFileSync(c.theirs);
    const keyrings = c.provider === "discovery" ? [{ type: "aws-kms-discovery", discoveryFilter: { partition: "aws", accountIds: [info.account] } }] : [ourKeyring[c.key]];
    const { plaintext, header } = await esdkDecrypt(theirs, { keyrings, kms, caller });
    assert.deepEqual(Buffer.from(plaintext), readFileSync(c.plaintext), c.id);
    assert.equal(header.encryptionContext.purpose, CONTEXT.purpose);
    weRead++;
    const encKeyring = c.key === "mrk" ? { type: "aws-kms-mrk", keyId: keys.mrk } : { type: "aws-kms", keyId: keys.single };
    writeFileSync(c.ours, await esdkEncrypt(readFileSync(c.plaintext), { keyrings: [encKeyring], kms, caller, encryptionContext: CONTEXT }));
  }

  // Python decrypts ours through the server (the MRK one with the replica in the other region).
  const decrypted = peer("decrypt", { ...base, keys, cases });
  const theyFailed = decrypted.filter((r) => r.decrypt !== "ok").map((r) => `${r.id}: Python could not decrypt ours: ${r.decrypt}`);
  assert.deepEqual(theyFailed, []);
  t.diagnostic(`KMS interop: we decrypted ${weRead} of Python's messages, Python decrypted ${decrypted.length} of ours`);
  assert.equal(decrypted.length, cases.length);
});
