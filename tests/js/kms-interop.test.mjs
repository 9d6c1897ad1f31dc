// The KMS emulator's asymmetric keys against an independent implementation: OpenSSL through
// node:crypto. Signatures from Sign (every signing algorithm of RSA_2048/3072/4096, the NIST and
// SECG curves and Ed25519, RAW and DIGEST messages) verify with the DER SPKI that GetPublicKey
// returns; OpenSSL's re-encodings of those signatures verify in the emulator and signatures of
// another key do not; RSA OAEP ciphertexts made by OpenSSL decrypt; GenerateDataKeyPair's PKCS#8
// private keys load and sign; DeriveSharedSecret equals OpenSSL's ECDH.
//
// Not covered here: ED25519_PH_SHA_512 (node:crypto offers pure Ed25519 only) and ML-DSA / ML-KEM
// (OpenSSL 3.5+; the test says which OpenSSL it found and skips them on older ones).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import crypto from "node:crypto";
import { initSync, Kms } from "../../pkg/secplay.js";
import { highS, derToP1363, SCALAR_BYTES } from "./ecdsa-der.mjs";

initSync({ module: readFileSync(new URL("../../pkg/secplay_bg.wasm", import.meta.url)) });
const ADMIN = "arn:aws:iam::111122223333:role/Admin";
const b64 = (bytes) => Buffer.from(bytes).toString("base64");
const unb64 = (s) => Buffer.from(s, "base64");
const MESSAGE = Buffer.from("the emulator signs, OpenSSL checks");

// KMS signing algorithm → how node:crypto verifies it.
const NODE_HASH = { SHA_256: "sha256", SHA_384: "sha384", SHA_512: "sha512" };
const DIGEST_LEN = { sha256: 32, sha384: 48, sha512: 64 };
function nodeForm(alg) {
  const hash = NODE_HASH[alg.slice(-7)];
  if (alg.startsWith("RSASSA_PSS_")) return { hash, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: DIGEST_LEN[hash] };
  if (alg.startsWith("RSASSA_PKCS1_V1_5_")) return { hash, padding: crypto.constants.RSA_PKCS1_PADDING };
  if (alg.startsWith("ECDSA_")) return { hash };
  if (alg === "ED25519_SHA_512") return { hash: null };
  throw new Error(`no node:crypto form for ${alg}`);
}

const SIGNING = {
  RSA_2048: ["RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512", "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512"],
  ECC_NIST_P256: ["ECDSA_SHA_256"],
  ECC_NIST_P384: ["ECDSA_SHA_384"],
  ECC_NIST_P521: ["ECDSA_SHA_512"],
  ECC_SECG_P256K1: ["ECDSA_SHA_256"],
  ECC_NIST_EDWARDS25519: ["ED25519_SHA_512"],
};
SIGNING.RSA_3072 = SIGNING.RSA_2048;
SIGNING.RSA_4096 = SIGNING.RSA_2048;
const NODE_CURVE = { ECC_NIST_P256: "prime256v1", ECC_NIST_P384: "secp384r1", ECC_NIST_P521: "secp521r1", ECC_SECG_P256K1: "secp256k1" };

// One world for the file: RSA key generation is the slow part, so each key is made once.
const kms = new Kms();
const keys = new Map();
function key(spec, usage) {
  const id = `${spec}/${usage}`;
  if (!keys.has(id)) {
    const arn = kms.call("CreateKey", { KeySpec: spec, KeyUsage: usage }, ADMIN).KeyMetadata.Arn;
    const pub = kms.call("GetPublicKey", { KeyId: arn }, ADMIN);
    assert.equal(pub.KeySpec, spec, `GetPublicKey of a ${spec} key names its spec`);
    assert.equal(pub.KeyUsage, usage);
    const publicKey = crypto.createPublicKey({ key: unb64(pub.PublicKey), format: "der", type: "spki" });
    keys.set(id, { arn, pub, publicKey });
  }
  return keys.get(id);
}

let symmetric;
const symmetricKey = () => (symmetric ??= kms.call("CreateKey", {}, ADMIN).KeyMetadata.Arn);

const sign = (arn, alg, message, type) =>
  unb64(kms.call("Sign", { KeyId: arn, Message: b64(message), MessageType: type, SigningAlgorithm: alg }, ADMIN).Signature);
function kmsVerifies(arn, alg, message, type, signature) {
  try {
    const r = kms.call("Verify", { KeyId: arn, Message: b64(message), MessageType: type, SigningAlgorithm: alg, Signature: b64(signature) }, ADMIN);
    return r.SignatureValid === true;
  } catch (e) {
    if (e.code === "KMSInvalidSignatureException") return false;
    throw e;
  }
}
function opensslVerifies(publicKey, alg, signature) {
  const { hash, ...opts } = nodeForm(alg);
  return crypto.verify(hash, MESSAGE, { key: publicKey, ...opts }, signature);
}

for (const [spec, algs] of Object.entries(SIGNING)) {
  test(`${spec}: GetPublicKey is a DER SPKI OpenSSL reads, listing the key's signing algorithms`, () => {
    const { pub, publicKey } = key(spec, "SIGN_VERIFY");
    assert.deepEqual([...pub.SigningAlgorithms].sort(), [...algs, ...(spec === "ECC_NIST_EDWARDS25519" ? ["ED25519_PH_SHA_512"] : [])].sort());
    if (spec.startsWith("RSA_")) {
      assert.equal(publicKey.asymmetricKeyType, "rsa");
      assert.equal(publicKey.asymmetricKeyDetails.modulusLength, Number(spec.slice(4)));
    } else if (spec === "ECC_NIST_EDWARDS25519") {
      assert.equal(publicKey.asymmetricKeyType, "ed25519");
    } else {
      assert.equal(publicKey.asymmetricKeyType, "ec");
      assert.equal(publicKey.asymmetricKeyDetails.namedCurve, NODE_CURVE[spec]);
    }
    // Re-exported by OpenSSL, the SPKI is byte for byte what the emulator gave.
    assert.deepEqual(publicKey.export({ format: "der", type: "spki" }), unb64(pub.PublicKey));
  });

  for (const alg of algs) {
    const types = alg === "ED25519_SHA_512" ? ["RAW"] : ["RAW", "DIGEST"];
    for (const type of types) {
      test(`${spec} ${alg} ${type}: the emulator's signature verifies with OpenSSL`, () => {
        const { arn, publicKey } = key(spec, "SIGN_VERIFY");
        const hash = nodeForm(alg).hash;
        // A DIGEST message is the hash of the message, so OpenSSL checks it over the message.
        const message = type === "DIGEST" ? crypto.createHash(hash).update(MESSAGE).digest() : MESSAGE;
        const sig = sign(arn, alg, message, type);
        assert.ok(opensslVerifies(publicKey, alg, sig), `OpenSSL rejects the ${alg} ${type} signature`);
        const tampered = Buffer.from(sig);
        tampered[tampered.length >> 1] ^= 1;
        assert.equal(opensslVerifies(publicKey, alg, tampered), false, "OpenSSL accepts a tampered signature");
        assert.ok(kmsVerifies(arn, alg, message, type, sig), "the emulator rejects its own signature");
      });
    }
  }
}

for (const spec of ["ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1"]) {
  const alg = SIGNING[spec][0];
  test(`${spec}: OpenSSL's re-encodings of a signature verify in the emulator, another key's signature does not`, () => {
    const { arn, publicKey } = key(spec, "SIGN_VERIFY");
    const sig = sign(arn, alg, MESSAGE, "RAW");
    const hash = nodeForm(alg).hash;
    // P1363 through OpenSSL and back to DER: the same signature, as OpenSSL encodes it.
    const p1363 = derToP1363(sig, SCALAR_BYTES[spec]);
    assert.ok(crypto.verify(hash, MESSAGE, { key: publicKey, dsaEncoding: "ieee-p1363" }, p1363), "OpenSSL rejects the P1363 form");
    // The high-S twin (n − s) is valid ECDSA; OpenSSL accepts it, and AWS KMS, whose secp256k1
    // signatures are not low-S normalized, accepts it too.
    const twin = highS(sig, spec);
    assert.ok(crypto.verify(hash, MESSAGE, publicKey, twin), "OpenSSL rejects the high-S twin (wrong curve order?)");
    assert.ok(kmsVerifies(arn, alg, MESSAGE, "RAW", twin), `the emulator rejects the high-S twin of its ${spec} signature`);
    // A signature OpenSSL makes with a key of the same curve is refused as invalid.
    const { privateKey } = crypto.generateKeyPairSync("ec", { namedCurve: NODE_CURVE[spec] });
    const other = crypto.sign(hash, MESSAGE, privateKey);
    assert.equal(kmsVerifies(arn, alg, MESSAGE, "RAW", other), false, "the emulator accepts another key's signature");
  });
}

test("RSA and Ed25519: signatures OpenSSL makes with another key are refused by Verify", () => {
  const rsa = key("RSA_2048", "SIGN_VERIFY");
  const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  for (const alg of SIGNING.RSA_2048) {
    const { hash, ...opts } = nodeForm(alg);
    const sig = crypto.sign(hash, MESSAGE, { key: privateKey, ...opts });
    assert.equal(kmsVerifies(rsa.arn, alg, MESSAGE, "RAW", sig), false, `${alg}: another key's signature verified`);
  }
  const ed = key("ECC_NIST_EDWARDS25519", "SIGN_VERIFY");
  const other = crypto.sign(null, MESSAGE, crypto.generateKeyPairSync("ed25519").privateKey);
  assert.equal(kmsVerifies(ed.arn, "ED25519_SHA_512", MESSAGE, "RAW", other), false);
});

for (const spec of ["RSA_2048", "RSA_3072", "RSA_4096"]) {
  for (const [alg, oaepHash] of [["RSAES_OAEP_SHA_1", "sha1"], ["RSAES_OAEP_SHA_256", "sha256"]]) {
    test(`${spec} ${alg}: OpenSSL's OAEP ciphertext under the GetPublicKey key decrypts in the emulator`, () => {
      const { arn, pub, publicKey } = key(spec, "ENCRYPT_DECRYPT");
      assert.ok(pub.EncryptionAlgorithms.includes(alg));
      const plaintext = crypto.randomBytes(32);
      const ct = crypto.publicEncrypt({ key: publicKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, plaintext);
      const out = kms.call("Decrypt", { KeyId: arn, CiphertextBlob: b64(ct), EncryptionAlgorithm: alg }, ADMIN);
      assert.deepEqual(unb64(out.Plaintext), plaintext);
      assert.equal(out.EncryptionAlgorithm, alg);
    });
  }
}

const PAIR_SIGN = {
  RSA_2048: "RSASSA_PSS_SHA_256",
  RSA_3072: "RSASSA_PKCS1_V1_5_SHA_384",
  RSA_4096: "RSASSA_PSS_SHA_512",
  ECC_NIST_P256: "ECDSA_SHA_256",
  ECC_NIST_P384: "ECDSA_SHA_384",
  ECC_NIST_P521: "ECDSA_SHA_512",
  ECC_SECG_P256K1: "ECDSA_SHA_256",
  ECC_NIST_EDWARDS25519: "ED25519_SHA_512",
};
for (const [spec, alg] of Object.entries(PAIR_SIGN)) {
  test(`GenerateDataKeyPair ${spec}: the PKCS#8 private key loads in OpenSSL and signs for the pair's public key`, () => {
    const pair = kms.call("GenerateDataKeyPair", { KeyId: symmetricKey(), KeyPairSpec: spec }, ADMIN);
    const privateKey = crypto.createPrivateKey({ key: unb64(pair.PrivateKeyPlaintext), format: "der", type: "pkcs8" });
    const publicKey = crypto.createPublicKey({ key: unb64(pair.PublicKey), format: "der", type: "spki" });
    // The public key OpenSSL derives from the private key is the pair's, byte for byte.
    assert.deepEqual(crypto.createPublicKey(privateKey).export({ format: "der", type: "spki" }), unb64(pair.PublicKey));
    const { hash, ...opts } = nodeForm(alg);
    const sig = crypto.sign(hash, MESSAGE, { key: privateKey, ...opts });
    assert.ok(crypto.verify(hash, MESSAGE, { key: publicKey, ...opts }, sig));
    // The encrypted copy decrypts to the same PKCS#8 bytes.
    const back = kms.call("Decrypt", { CiphertextBlob: pair.PrivateKeyCiphertextBlob }, ADMIN);
    assert.deepEqual(unb64(back.Plaintext), unb64(pair.PrivateKeyPlaintext));
  });
}

for (const spec of ["ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521"]) {
  test(`${spec} ECDH: DeriveSharedSecret equals OpenSSL's ECDH with the same public keys`, () => {
    const { arn, pub, publicKey } = key(spec, "KEY_AGREEMENT");
    assert.deepEqual(pub.KeyAgreementAlgorithms, ["ECDH"]);
    const mine = crypto.generateKeyPairSync("ec", { namedCurve: NODE_CURVE[spec] });
    const peer = mine.publicKey.export({ format: "der", type: "spki" });
    const out = kms.call("DeriveSharedSecret", { KeyId: arn, KeyAgreementAlgorithm: "ECDH", PublicKey: b64(peer) }, ADMIN);
    const expected = crypto.diffieHellman({ privateKey: mine.privateKey, publicKey });
    assert.deepEqual(unb64(out.SharedSecret), expected);
  });
}

const [major, minor] = process.versions.openssl.split(".").map(Number);
const hasMlDsa = major > 3 || (major === 3 && minor >= 5);
test(`ML-DSA with OpenSSL (needs 3.5+, this Node has ${process.versions.openssl})`, { skip: !hasMlDsa && `OpenSSL ${process.versions.openssl} has no ML-DSA` }, () => {
  const { arn, pub } = key("ML_DSA_65", "SIGN_VERIFY");
  const publicKey = crypto.createPublicKey({ key: unb64(pub.PublicKey), format: "der", type: "spki" });
  const sig = sign(arn, "ML_DSA_SHAKE_256", MESSAGE, "RAW");
  assert.ok(crypto.verify(null, MESSAGE, publicKey, sig));
});
