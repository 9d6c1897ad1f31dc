// The built npm package (pkg/) in Node 20: import, initSync, round trips, errors with stable codes,
// and interop with Node's own crypto (OpenSSL), an implementation independent of ours.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createDecipheriv, createPrivateKey, privateDecrypt, constants } from "node:crypto";
import {
  initSync, version, generateDataKey, aesGcmEncrypt, aesGcmDecrypt, generateRsaKeyPair, envelopeSeal, envelopeOpen,
} from "../../pkg/secplay.js";

const pkgDir = new URL("../../pkg/", import.meta.url);
initSync({ module: readFileSync(new URL("secplay_bg.wasm", pkgDir)) });
const manifest = JSON.parse(readFileSync(new URL("package.json", pkgDir), "utf8"));

function codeOf(fn) {
  try { fn(); } catch (e) { assert.equal(e.name, "SecplayError"); return e.code; }
  assert.fail("expected a thrown SecplayError");
}

test("the package describes itself", () => {
  assert.equal(version(), manifest.version);
  assert.equal(manifest.type, "module");
  assert.equal(manifest.types, "secplay.d.ts");
});

test("AES-256-GCM round trip, fresh IVs, tamper detection", () => {
  const key = generateDataKey();
  assert.equal(key.length, 32);
  assert.notDeepEqual(key, generateDataKey());
  const msg = new TextEncoder().encode("plaintext ✓");
  const a = aesGcmEncrypt(key, msg, new Uint8Array([1, 2]));
  const b = aesGcmEncrypt(key, msg, new Uint8Array([1, 2]));
  assert.notDeepEqual(a.iv, b.iv);
  assert.deepEqual(aesGcmDecrypt(key, a, new Uint8Array([1, 2])), msg);
  a.ciphertext[0] ^= 1;
  assert.equal(codeOf(() => aesGcmDecrypt(key, a, new Uint8Array([1, 2]))), "DecryptionFailed");
});

test("hostile arguments throw coded errors, not traps", () => {
  assert.equal(codeOf(() => aesGcmEncrypt(new Uint8Array(31), new Uint8Array(1))), "MalformedEnvelope");
  assert.equal(codeOf(() => aesGcmDecrypt(generateDataKey(), { iv: new Uint8Array(3), ciphertext: new Uint8Array(0), tag: new Uint8Array(16) })), "MalformedEnvelope");
  assert.equal(codeOf(() => aesGcmDecrypt(generateDataKey(), { iv: "nope" })), "MalformedEnvelope");
  assert.equal(codeOf(() => envelopeSeal(42, "x")), "InvalidInput");
  assert.equal(codeOf(() => envelopeSeal("hi", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")), "InvalidKey");
  assert.equal(codeOf(() => envelopeOpen({ nonsense: true }, "x")), "MalformedEnvelope");
});

test("envelope seal/open with a WebCrypto key pair; tampering and the wrong key fail", async () => {
  const { publicKeyPem, privateKeyPem, bits } = await generateRsaKeyPair();
  assert.equal(bits, 2048);
  assert.match(publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
  const env = envelopeSeal("봉투 암호화", publicKeyPem);
  assert.equal(env.algorithm, "RSA-OAEP-256+A256GCM");
  assert.equal(new TextDecoder().decode(envelopeOpen(env, privateKeyPem)), "봉투 암호화");
  const tampered = { ...env, tag: Buffer.from(Buffer.from(env.tag, "base64").map((b, i) => (i === 0 ? b ^ 1 : b))).toString("base64") };
  assert.equal(codeOf(() => envelopeOpen(tampered, privateKeyPem)), "DecryptionFailed");
  const other = await generateRsaKeyPair();
  assert.equal(codeOf(() => envelopeOpen(env, other.privateKeyPem)), "DecryptionFailed");
  await assert.rejects(generateRsaKeyPair(1024), (e) => e.code === "InvalidKeySize");
});

test("OpenSSL (node:crypto) opens our envelope: RSA-OAEP-SHA256 unwrap, then AES-256-GCM", async () => {
  const { publicKeyPem, privateKeyPem } = await generateRsaKeyPair(3072);
  const env = envelopeSeal("interop with OpenSSL", publicKeyPem);
  const wrapped = Buffer.from(env.wrappedKey, "base64");
  const dataKey = privateDecrypt(
    { key: createPrivateKey(privateKeyPem), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
    wrapped,
  );
  assert.equal(dataKey.length, 32);
  const decipher = createDecipheriv("aes-256-gcm", dataKey, Buffer.from(env.iv, "base64"));
  // The AAD binds the algorithm label and the wrapped key (see src/crypto/envelope.rs).
  decipher.setAAD(Buffer.concat([Buffer.from("RSA-OAEP-256+A256GCM\0"), wrapped]));
  decipher.setAuthTag(Buffer.from(env.tag, "base64"));
  const plain = Buffer.concat([decipher.update(Buffer.from(env.ciphertext, "base64")), decipher.final()]);
  assert.equal(plain.toString(), "interop with OpenSSL");
});
