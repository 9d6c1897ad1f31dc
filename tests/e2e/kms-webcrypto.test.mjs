// The KMS emulator's signatures and public keys against WebCrypto in headless Chromium (an
// implementation independent of both the emulator and OpenSSL). The emulator runs in Node through
// the built package (pkg/); the page, a blank document on a loopback origin (a secure context),
// imports each GetPublicKey DER SPKI into `crypto.subtle` and verifies RSA-PSS,
// RSASSA-PKCS1-v1_5, ECDSA (KMS's DER signatures converted to IEEE P1363 here) and Ed25519
// signatures, RAW and DIGEST messages alike (WebCrypto hashes the message itself). It also
// imports GenerateDataKeyPair's PKCS#8 private keys and signs with them.
//
// Not covered: secp256k1 and Ed25519ph (WebCrypto has neither), ML-DSA (not in Chromium's WebCrypto).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { launch } from "./harness.mjs";
import { initSync, Kms } from "../../pkg/secplay.js";
import { derToP1363, SCALAR_BYTES } from "../js/ecdsa-der.mjs";

initSync({ module: readFileSync(new URL("../../pkg/secplay_bg.wasm", import.meta.url)) });
const ADMIN = "arn:aws:iam::111122223333:role/Admin";
const b64 = (bytes) => Buffer.from(bytes).toString("base64");
const unb64 = (s) => Buffer.from(s, "base64");
const MESSAGE = Buffer.from("signed by the emulator, checked by WebCrypto");

const HASH = { SHA_256: "SHA-256", SHA_384: "SHA-384", SHA_512: "SHA-512" };
const CURVE = { ECC_NIST_P256: "P-256", ECC_NIST_P384: "P-384", ECC_NIST_P521: "P-521" };
// The WebCrypto import and verify parameters of a KMS signing algorithm on a key spec.
function webcrypto(spec, alg) {
  const hash = HASH[alg.slice(-7)];
  if (alg.startsWith("RSASSA_PSS_")) {
    return { importAlg: { name: "RSA-PSS", hash }, verifyAlg: { name: "RSA-PSS", saltLength: Number(hash.slice(4)) / 8 } };
  }
  if (alg.startsWith("RSASSA_PKCS1_V1_5_")) return { importAlg: { name: "RSASSA-PKCS1-v1_5", hash }, verifyAlg: { name: "RSASSA-PKCS1-v1_5" } };
  if (alg.startsWith("ECDSA_")) return { importAlg: { name: "ECDSA", namedCurve: CURVE[spec] }, verifyAlg: { name: "ECDSA", hash } };
  if (alg === "ED25519_SHA_512") return { importAlg: { name: "Ed25519" }, verifyAlg: { name: "Ed25519" } };
  throw new Error(`no WebCrypto form for ${alg}`);
}

const CASES = [
  ...["RSA_2048", "RSA_3072", "RSA_4096"].flatMap((spec) =>
    ["RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512", "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512"].map((alg) => [spec, alg])),
  ["ECC_NIST_P256", "ECDSA_SHA_256"],
  ["ECC_NIST_P384", "ECDSA_SHA_384"],
  ["ECC_NIST_P521", "ECDSA_SHA_512"],
  ["ECC_NIST_EDWARDS25519", "ED25519_SHA_512"],
];

// Everything the page checks, made in Node by the emulator: [{name, spki, sig, importAlg, verifyAlg}].
function signatureCases() {
  const kms = new Kms();
  const keys = {};
  const out = [];
  for (const [spec, alg] of CASES) {
    keys[spec] ??= kms.call("CreateKey", { KeySpec: spec, KeyUsage: "SIGN_VERIFY" }, ADMIN).KeyMetadata.Arn;
    const spki = kms.call("GetPublicKey", { KeyId: keys[spec] }, ADMIN).PublicKey;
    for (const type of alg === "ED25519_SHA_512" ? ["RAW"] : ["RAW", "DIGEST"]) {
      const hash = alg.slice(-7).replace("SHA_", "sha");
      const message = type === "DIGEST" ? createHash(hash).update(MESSAGE).digest() : MESSAGE;
      const req = { KeyId: keys[spec], Message: b64(message), MessageType: type, SigningAlgorithm: alg };
      let sig = unb64(kms.call("Sign", req, ADMIN).Signature);
      if (alg.startsWith("ECDSA_")) sig = derToP1363(sig, SCALAR_BYTES[spec]);
      out.push({ name: `${spec} ${alg} ${type}`, spki, sig: b64(sig), ...webcrypto(spec, alg) });
    }
  }
  return out;
}

// GenerateDataKeyPair pairs for WebCrypto: [{name, pkcs8, spki, importAlg, verifyAlg}].
function pairCases() {
  const kms = new Kms();
  const key = kms.call("CreateKey", {}, ADMIN).KeyMetadata.Arn;
  return [
    ["RSA_2048", "RSASSA_PSS_SHA_256"], ["RSA_3072", "RSASSA_PKCS1_V1_5_SHA_384"],
    ["ECC_NIST_P256", "ECDSA_SHA_256"], ["ECC_NIST_P384", "ECDSA_SHA_384"], ["ECC_NIST_P521", "ECDSA_SHA_512"],
    ["ECC_NIST_EDWARDS25519", "ED25519_SHA_512"],
  ].map(([spec, alg]) => {
    const pair = kms.call("GenerateDataKeyPair", { KeyId: key, KeyPairSpec: spec }, ADMIN);
    return { name: `${spec} pair, ${alg}`, pkcs8: pair.PrivateKeyPlaintext, spki: pair.PublicKey, ...webcrypto(spec, alg) };
  });
}

let server, browser, page;
before(async () => {
  server = createServer((_, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>kms webcrypto</title>"));
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  browser = await launch();
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  assert.equal(await page.evaluate(() => window.isSecureContext), true, "the page must be a secure context for crypto.subtle");
});
after(async () => { await browser?.close(); await new Promise((ok) => server?.close(ok) ?? ok()); });

// In the page: base64 → bytes, and one verification (with a flipped-bit twin that must fail).
const PAGE_HELPERS = `
  globalThis.unb64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  globalThis.check = async (spki, importAlg, verifyAlg, sig, message) => {
    const key = await crypto.subtle.importKey("spki", unb64(spki), importAlg, false, ["verify"]);
    const ok = await crypto.subtle.verify(verifyAlg, key, sig, message);
    const bad = sig.slice(); bad[bad.length >> 1] ^= 1;
    const tamperedOk = await crypto.subtle.verify(verifyAlg, key, bad, message);
    return { ok, tamperedOk };
  };`;

test("WebCrypto in Chromium verifies the emulator's RSA-PSS, RSASSA-PKCS1-v1_5, ECDSA and Ed25519 signatures (RAW and DIGEST)", async () => {
  const cases = signatureCases();
  const results = await page.evaluate(async ([helpers, cases, message]) => {
    (0, eval)(helpers);
    const out = {};
    for (const c of cases) {
      try {
        out[c.name] = await check(c.spki, c.importAlg, c.verifyAlg, unb64(c.sig), unb64(message));
      } catch (e) {
        out[c.name] = { error: `${e.name}: ${e.message}` };
      }
    }
    return out;
  }, [PAGE_HELPERS, cases, b64(MESSAGE)]);
  assert.equal(cases.length, 43, "3 RSA sizes × 6 algorithms × RAW/DIGEST, 3 ECDSA curves × RAW/DIGEST, Ed25519 RAW");
  assert.equal(Object.keys(results).length, cases.length, "one result per case");
  for (const [name, r] of Object.entries(results)) {
    assert.deepEqual(r, { ok: true, tamperedOk: false }, `${name}: WebCrypto says ${JSON.stringify(r)}`);
  }
});

test("GenerateDataKeyPair's PKCS#8 private keys import into WebCrypto and sign for the pair's SPKI", async () => {
  const cases = pairCases();
  const results = await page.evaluate(async ([helpers, cases, message]) => {
    (0, eval)(helpers);
    const out = {};
    for (const c of cases) {
      try {
        const priv = await crypto.subtle.importKey("pkcs8", unb64(c.pkcs8), c.importAlg, false, ["sign"]);
        const sig = new Uint8Array(await crypto.subtle.sign(c.verifyAlg, priv, unb64(message)));
        out[c.name] = await check(c.spki, c.importAlg, c.verifyAlg, sig, unb64(message));
      } catch (e) {
        out[c.name] = { error: `${e.name}: ${e.message}` };
      }
    }
    return out;
  }, [PAGE_HELPERS, cases, b64(MESSAGE)]);
  assert.equal(Object.keys(results).length, cases.length, "one result per pair");
  for (const [name, r] of Object.entries(results)) {
    assert.deepEqual(r, { ok: true, tamperedOk: false }, `${name}: WebCrypto says ${JSON.stringify(r)}`);
  }
});
