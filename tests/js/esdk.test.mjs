// The ESDK engine through the npm package in Node: API shape, coded errors, streaming, and interop
// both ways with the official AWS Encryption SDK for Python (tests/interop/esdk_peer.py, run from
// the virtualenv that `make test` sets up).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { initSync, esdkEncrypt, esdkDecrypt, esdkInspect, EsdkEncryptor, EsdkDecryptor } from "../../pkg/secplay.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
initSync({ module: readFileSync(join(root, "pkg/secplay_bg.wasm")) });
const vectors = join(root, "..", "shared", "vectors", "esdk");
const keys = JSON.parse(readFileSync(join(vectors, "keys.json"), "utf8")).keys;

const SUITES = [0x0014, 0x0046, 0x0078, 0x0114, 0x0146, 0x0178, 0x0214, 0x0346, 0x0378, 0x0478, 0x0578];
const committing = (s) => s >= 0x0478;
const policyFor = (s) => (committing(s) ? "REQUIRE_ENCRYPT_REQUIRE_DECRYPT" : "FORBID_ENCRYPT_ALLOW_DECRYPT");
const aes = (bits) => ({ type: "raw-aes", namespace: "secplay-interop", name: `aes-${bits}`, key: keys[`aes-${bits}`].material, peerKey: `aes-${bits}` });
const rsa = (padding, paddingHash) => ({
  type: "raw-rsa", namespace: "secplay-interop", name: `rsa-${padding}-${paddingHash ?? "none"}`, padding, paddingHash,
  publicKeyPem: keys["rsa-4096-public"].material, privateKeyPem: keys["rsa-4096-private"].material, peerKey: "rsa-4096-private",
});
const KEYRINGS = [aes(128), aes(192), aes(256), rsa("pkcs1"), rsa("oaep-mgf1", "sha1"), rsa("oaep-mgf1", "sha256"), rsa("oaep-mgf1", "sha384"), rsa("oaep-mgf1", "sha512")];
const strip = ({ peerKey, ...k }) => k;
const CONTEXT = { purpose: "interop", "목적": "상호 운용 ✓", "emoji 🔐": "value with spaces" };
const bytesOf = (n) => new Uint8Array(n).map((_, i) => (i * 7 + 3) & 0xff);
const codeOf = (fn) => { try { fn(); } catch (e) { return e.code; } return "no error"; };
const codeOfAsync = async (fn) => { try { await fn(); } catch (e) { return e.code; } return "no error"; };

test("one-shot round trip with the defaults (0x0578, frame 4096) and the header", async () => {
  const keyrings = [strip(aes(256))];
  const pending = esdkEncrypt(bytesOf(10_000), { keyrings, encryptionContext: CONTEXT });
  assert.ok(pending instanceof Promise, "esdkEncrypt returns a Promise");
  const ct = await pending;
  const { plaintext, header } = await esdkDecrypt(ct, { keyrings });
  assert.deepEqual(plaintext, bytesOf(10_000));
  assert.equal(header.suiteId, 0x0578);
  assert.equal(header.messageVersion, 2);
  assert.equal(header.frameLength, 4096);
  assert.equal(header.encryptionContext["목적"], "상호 운용 ✓");
  assert.ok(header.encryptionContext["aws-crypto-public-key"], "signing suites store the public key");
  assert.equal(header.encryptedDataKeys[0].providerId, "secplay-interop");
  const inspected = esdkInspect(ct);
  assert.equal(JSON.stringify(inspected).includes("0x0578"), true);
});

test("failures are coded errors", async () => {
  const keyrings = [strip(aes(256))];
  const ct = await esdkEncrypt(bytesOf(100), { keyrings });
  const wrong = [{ ...keyrings[0], key: keys["aes-256-wrong"].material }];
  assert.equal(await codeOfAsync(() => esdkDecrypt(ct, { keyrings: wrong })), "NoKeyringCouldDecrypt");
  const flipped = ct.slice(); flipped[flipped.length - 120] ^= 1;
  assert.match(await codeOfAsync(() => esdkDecrypt(flipped, { keyrings })), /DecryptionFailed|SignatureInvalid/);
  assert.equal(await codeOfAsync(() => esdkDecrypt(ct.slice(0, ct.length - 10), { keyrings })), "MalformedMessage");
  const b64 = new TextEncoder().encode(Buffer.from(ct).toString("base64"));
  assert.equal(await codeOfAsync(() => esdkDecrypt(b64, { keyrings })), "Base64Input");
  assert.equal(await codeOfAsync(() => esdkEncrypt(bytesOf(1), undefined)), "InvalidInput");
  assert.equal(await codeOfAsync(() => esdkEncrypt(bytesOf(1), { keyrings, suiteId: 0x0078 })), "PolicyViolation");
  assert.equal(await codeOfAsync(() => esdkEncrypt(bytesOf(1), { keyrings, aead: "fast" })), "InvalidInput");
  const enc = new EsdkEncryptor({ keyrings });
  enc.finish();
  assert.equal(codeOf(() => enc.update(bytesOf(1))), "StreamClosed");
});

test("streaming in uneven chunks releases verified frames as they arrive", () => {
  const keyrings = [strip(aes(128))];
  const data = bytesOf(300_000);
  const enc = new EsdkEncryptor({ keyrings, suiteId: 0x0478, frameLength: 4096 });
  const parts = [];
  for (let i = 0; i < data.length; i += 12_345) parts.push(enc.update(data.subarray(i, i + 12_345)));
  parts.push(enc.finish());
  const ct = Buffer.concat(parts);
  const dec = new EsdkDecryptor({ keyrings });
  const out = [];
  let releasedEarly = false;
  for (let i = 0; i < ct.length; i += 9_999) {
    const p = dec.update(ct.subarray(i, i + 9_999));
    if (p.length && i + 9_999 < ct.length) releasedEarly = true;
    out.push(p);
  }
  out.push(dec.finish());
  assert.ok(releasedEarly, "plaintext must flow before the end of the message");
  assert.deepEqual(new Uint8Array(Buffer.concat(out)), data);
});

test("updateInto/drainInto stream through one reused buffer, however small", async () => {
  const keyrings = [strip(aes(256))];
  const data = bytesOf(100_000);
  const run = (stream, input, step, outSize) => {
    const out = new Uint8Array(outSize);
    const parts = [];
    let drains = 0;
    for (let i = 0; i < input.length; i += step) {
      let n = stream.updateInto(input.subarray(i, i + step), out);
      parts.push(out.slice(0, n));
      while ((n = stream.drainInto(out)) > 0) { parts.push(out.slice(0, n)); drains++; }
    }
    parts.push(stream.finish());
    return { bytes: new Uint8Array(Buffer.concat(parts)), drains };
  };
  const enc = run(new EsdkEncryptor({ keyrings, frameLength: 1000 }), data, 7_001, 777);
  assert.ok(enc.drains > 0, "a buffer smaller than the output needs drainInto");
  assert.deepEqual((await esdkDecrypt(enc.bytes, { keyrings })).plaintext, data);
  const dec = run(new EsdkDecryptor({ keyrings }), enc.bytes, 5_003, 4096);
  assert.deepEqual(dec.bytes, data);
  // Bytes not drained come out of finish(), in order.
  const e2 = new EsdkEncryptor({ keyrings, frameLength: 100 });
  const first = new Uint8Array(10);
  const n = e2.updateInto(data.subarray(0, 5000), first);
  const rest = e2.finish();
  assert.deepEqual((await esdkDecrypt(Buffer.concat([first.subarray(0, n), rest]), { keyrings })).plaintext, data.subarray(0, 5000));
});

test("interop both ways with the official Python ESDK: every suite x keyring x size, both AEAD backends", async (t) => {
  const python = join(root, ".venv", "bin", "python");
  assert.ok(existsSync(python), "the Python ESDK virtualenv is missing: run `make test` (tools/setup.sh test)");
  const dir = join(root, "target", "interop");
  mkdirSync(dir, { recursive: true });
  const cases = [];
  for (const suiteId of SUITES) {
    for (const [k, kr] of KEYRINGS.entries()) {
      // Half the keyrings seal their frames through WebCrypto, half through the pure-Rust cipher.
      const aead = k % 2 ? "rust" : "webcrypto";
      for (const size of [0, 1, 4096, 10_000]) {
        const id = `${suiteId.toString(16).padStart(4, "0")}-${kr.name}-${size}`;
        const plaintext = bytesOf(size);
        writeFileSync(join(dir, `${id}.plain`), plaintext);
        const ct = await esdkEncrypt(plaintext, { keyrings: [strip(kr)], suiteId, frameLength: 4096, encryptionContext: CONTEXT, commitmentPolicy: policyFor(suiteId), aead });
        writeFileSync(join(dir, `${id}.ours`), ct);
        cases.push({ id, suiteId, frameLength: 4096, size, kr, ours: true });
      }
    }
    // Shapes only the peer writes: non-framed bodies and small frames.
    for (const frameLength of [0, 128]) {
      const id = `${suiteId.toString(16).padStart(4, "0")}-aes-256-frame${frameLength}`;
      writeFileSync(join(dir, `${id}.plain`), bytesOf(1000));
      cases.push({ id, suiteId, frameLength, size: 1000, kr: aes(256), ours: false });
    }
  }
  const plan = {
    keys: join(vectors, "keys.json"),
    cases: cases.map((c) => ({
      id: c.id, suiteId: c.suiteId, frameLength: c.frameLength, encryptionContext: CONTEXT,
      keyring: { type: c.kr.type, namespace: c.kr.namespace, name: c.kr.name, key: c.kr.peerKey, padding: c.kr.padding, paddingHash: c.kr.paddingHash },
      plaintext: join(dir, `${c.id}.plain`), theirs: join(dir, `${c.id}.theirs`), ...(c.ours ? { ours: join(dir, `${c.id}.ours`) } : {}),
    })),
  };
  writeFileSync(join(dir, "plan.json"), JSON.stringify(plan));
  const started = Date.now();
  const out = execFileSync(python, [join(root, "tests", "interop", "esdk_peer.py"), join(dir, "plan.json")], { encoding: "utf8", maxBuffer: 1 << 26 });
  const results = new Map(out.trim().split("\n").map((l) => JSON.parse(l)).map((r) => [r.id, r]));
  let theyRead = 0, weRead = 0;
  const failures = [];
  for (const c of cases) {
    const r = results.get(c.id);
    if (!r) { failures.push(`${c.id}: no result from the peer`); continue; }
    if (c.ours) { if (r.decrypt === "ok") theyRead++; else failures.push(`${c.id}: Python could not decrypt ours: ${r.decrypt}`); }
    if (r.encrypt !== "ok") { failures.push(`${c.id}: Python could not encrypt: ${r.encrypt}`); continue; }
    try {
      const aead = weRead % 2 ? "rust" : "webcrypto";
      const { plaintext, header } = await esdkDecrypt(readFileSync(join(dir, `${c.id}.theirs`)), { keyrings: [strip(c.kr)], commitmentPolicy: "REQUIRE_ENCRYPT_ALLOW_DECRYPT", aead });
      assert.deepEqual(plaintext, bytesOf(c.size));
      assert.equal(header.encryptionContext["목적"], CONTEXT["목적"]);
      assert.equal(header.suiteId, c.suiteId);
      weRead++;
    } catch (e) {
      failures.push(`${c.id}: we could not decrypt theirs: ${e.code ?? ""} ${e.message}`);
    }
  }
  t.diagnostic(`interop: Python decrypted ${theyRead} of our messages, we decrypted ${weRead} of theirs (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  console.log(`ESDK interop with aws-encryption-sdk (Python): ours->theirs ${theyRead}, theirs->ours ${weRead}`);
  assert.deepEqual(failures, []);
  assert.equal(theyRead, SUITES.length * KEYRINGS.length * 4);
  assert.equal(weRead, cases.length);
});

test("the WebCrypto and pure-Rust backends write messages each other reads, for every suite", async () => {
  const data = bytesOf(200_000);
  for (const suiteId of SUITES) {
    const base = { keyrings: [strip(aes(192))], suiteId, frameLength: 3000, encryptionContext: CONTEXT, commitmentPolicy: policyFor(suiteId) };
    for (const [w, r] of [["webcrypto", "rust"], ["rust", "webcrypto"], ["auto", "auto"]]) {
      const ct = await esdkEncrypt(data, { ...base, aead: w });
      const { plaintext } = await esdkDecrypt(ct, { keyrings: base.keyrings, commitmentPolicy: "REQUIRE_ENCRYPT_ALLOW_DECRYPT", aead: r });
      assert.deepEqual(plaintext, data, `0x${suiteId.toString(16)} ${w} -> ${r}`);
    }
  }
});

test("a tampered frame fails through WebCrypto too, and a stream refuses overlapping async calls", async () => {
  const keyrings = [strip(aes(256))];
  const ct = await esdkEncrypt(bytesOf(100_000), { keyrings, suiteId: 0x0478, aead: "webcrypto" });
  for (const at of [ct.length - 20, Math.floor(ct.length / 2), 400]) {
    const bad = ct.slice(); bad[at] ^= 0x40;
    assert.equal(await codeOfAsync(() => esdkDecrypt(bad, { keyrings, aead: "webcrypto" })), "DecryptionFailed", `byte ${at}`);
  }
  // An empty final frame (an empty message; other writers also end frame-exact plaintexts with one)
  // still has a tag, and a bad one must fail through WebCrypto too.
  const empty = await esdkEncrypt(new Uint8Array(0), { keyrings, suiteId: 0x0478, aead: "webcrypto" });
  for (const at of [empty.length - 1, empty.length - 16]) {
    const bad = empty.slice(); bad[at] ^= 1;
    assert.equal(await codeOfAsync(() => esdkDecrypt(bad, { keyrings, aead: "webcrypto" })), "DecryptionFailed", `empty message, byte ${at}`);
  }
  assert.equal((await esdkDecrypt(empty, { keyrings, aead: "webcrypto" })).plaintext.length, 0);
  const dec = new EsdkDecryptor({ keyrings, aead: "webcrypto" });
  const bad = ct.slice(); bad[Math.floor(ct.length / 2)] ^= 1;
  assert.equal(await codeOfAsync(() => dec.updateAsync(bad)), "DecryptionFailed");
  assert.equal(await codeOfAsync(() => dec.updateAsync(ct)), "StreamClosed");
  const enc = new EsdkEncryptor({ keyrings, aead: "webcrypto" });
  const first = enc.updateAsync(bytesOf(50_000));
  assert.equal(await codeOfAsync(() => enc.updateAsync(bytesOf(1))), "StreamBusy");
  assert.equal(codeOf(() => enc.update(bytesOf(1))), "StreamBusy");
  await first;
});

test("updateAsync/finishAsync stream through WebCrypto, mixed with the synchronous calls", async () => {
  for (const suiteId of [0x0478, 0x0578, 0x0014]) {
    const keyrings = [strip(aes(128))];
    const commitmentPolicy = policyFor(suiteId);
    const data = bytesOf(3_000_000);
    const enc = new EsdkEncryptor({ keyrings, suiteId, frameLength: 4096, commitmentPolicy, aead: "webcrypto" });
    const parts = [];
    for (let i = 0, k = 0; i < data.length; i += 333_333, k++) {
      const chunk = data.subarray(i, i + 333_333);
      parts.push(k % 3 === 1 ? enc.update(chunk) : await enc.updateAsync(chunk));
    }
    parts.push(await enc.finishAsync());
    const ct = new Uint8Array(Buffer.concat(parts));
    const dec = new EsdkDecryptor({ keyrings, commitmentPolicy, aead: "webcrypto" });
    const out = [];
    for (let i = 0, k = 0; i < ct.length; i += 1_000_003, k++) {
      const chunk = ct.subarray(i, i + 1_000_003);
      out.push(k % 2 ? dec.update(chunk) : await dec.updateAsync(chunk));
    }
    assert.equal(dec.header().suiteId, suiteId);
    out.push(await dec.finishAsync());
    assert.deepEqual(new Uint8Array(Buffer.concat(out)), data, `0x${suiteId.toString(16)}`);
  }
});
