// ECDSA signature encodings for the KMS interop tests: AWS KMS returns DER (`ECDSA-Sig-Value`,
// SEQUENCE of two INTEGERs, RFC 3279 §2.2.3); WebCrypto takes IEEE P1363 (r ‖ s, each the
// curve's field size). Plain functions over Uint8Array, usable in Node and in a page.

/** The curve order n of each KMS ECC key spec (SEC 2 / FIPS 186-5), for high-S variants. */
export const CURVE_ORDER = {
  ECC_NIST_P256: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  ECC_NIST_P384:
    0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  ECC_NIST_P521:
    0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
  ECC_SECG_P256K1: 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n,
};

/** Bytes of each scalar in P1363 form per key spec. */
export const SCALAR_BYTES = { ECC_NIST_P256: 32, ECC_NIST_P384: 48, ECC_NIST_P521: 66, ECC_SECG_P256K1: 32 };

function readLength(der, at) {
  const first = der[at];
  if (first < 0x80) return [first, at + 1];
  const n = first & 0x7f;
  if (n === 0 || n > 2) throw new Error(`DER length of ${n} bytes is not expected here`);
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + der[at + 1 + i];
  return [len, at + 1 + n];
}

const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** Parses a DER ECDSA signature into its two integers; throws on anything else. */
export function derToRs(der) {
  if (der[0] !== 0x30) throw new Error("an ECDSA DER signature starts with SEQUENCE (0x30)");
  let [seqLen, at] = readLength(der, 1);
  if (at + seqLen !== der.length) throw new Error("DER SEQUENCE length does not match the signature length");
  const ints = [];
  for (let k = 0; k < 2; k++) {
    if (der[at] !== 0x02) throw new Error("an ECDSA DER signature holds two INTEGERs");
    const [len, start] = readLength(der, at + 1);
    ints.push(BigInt("0x" + (toHex(der.subarray(start, start + len)) || "0")));
    at = start + len;
  }
  if (at !== der.length) throw new Error("trailing bytes after the two INTEGERs");
  return { r: ints[0], s: ints[1] };
}

function intBytes(x) {
  let hex = x.toString(16);
  if (hex.length % 2) hex = "0" + hex;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = "00" + hex;
  return Uint8Array.from(hex.match(/../g), (h) => parseInt(h, 16));
}

function derLength(n) {
  return n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
}

/** Encodes two integers as a DER ECDSA signature. */
export function rsToDer({ r, s }) {
  const body = [];
  for (const x of [r, s]) {
    const b = intBytes(x);
    body.push(0x02, ...derLength(b.length), ...b);
  }
  return Uint8Array.from([0x30, ...derLength(body.length), ...body]);
}

/** DER → IEEE P1363 (r ‖ s, each `size` bytes, big-endian). */
export function derToP1363(der, size) {
  const { r, s } = derToRs(der);
  const out = new Uint8Array(2 * size);
  for (const [x, off] of [[r, 0], [s, size]]) {
    const hex = x.toString(16).padStart(2 * size, "0");
    if (hex.length > 2 * size) throw new Error(`an integer is longer than ${size} bytes`);
    out.set(Uint8Array.from(hex.match(/../g), (h) => parseInt(h, 16)), off);
  }
  return out;
}

/** The same signature with s replaced by n − s (valid for a verifier that does not insist on low S). */
export function highS(der, spec) {
  const { r, s } = derToRs(der);
  return rsToDer({ r, s: CURVE_ORDER[spec] - s });
}
