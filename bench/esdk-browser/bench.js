// The bench page's side: ours (pkg/secplay.js) and the peer (build/peer.js) on the same plaintexts,
// same 256-bit raw AES key, same frame length. run.mjs calls these one case at a time so it can read the
// renderer's memory between cases. Nothing here touches the network.
import init, { esdkEncrypt, esdkDecrypt, EsdkEncryptor, EsdkDecryptor } from "/pkg/secplay.js";
import {
  buildClient, CommitmentPolicy, AlgorithmSuiteIdentifier, RawAesKeyringWebCrypto, RawAesWrappingSuiteIdentifier,
} from "./build/peer.js";

const FRAME = 4096;
const CONTEXT = { purpose: "bench", tenant: "secplay" };
const NAMESPACE = "secplay-bench";
const KEY_NAME = "aes-256";
const CHUNK = 64 * 1024;
const STREAM_CHUNK = 1 << 20;

let rawKey, ours, peer, gcmKey;
const state = {};

function base64(bytes) {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export async function ready() {
  await init();
  rawKey = crypto.getRandomValues(new Uint8Array(32));
  const wrap = RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING;
  const masterKey = await RawAesKeyringWebCrypto.importCryptoKey(rawKey, wrap);
  const keyring = new RawAesKeyringWebCrypto({ keyNamespace: NAMESPACE, keyName: KEY_NAME, masterKey, wrappingSuite: wrap });
  const client = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
  peer = { client, keyring };
  gcmKey = await crypto.subtle.importKey("raw", rawKey, "AES-GCM", false, ["encrypt", "decrypt"]);
  return true;
}

function oursOptions(suite) {
  return {
    keyrings: [{ type: "raw-aes", namespace: NAMESPACE, name: KEY_NAME, key: base64(rawKey) }],
    encryptionContext: CONTEXT, suiteId: suite, frameLength: FRAME,
    commitmentPolicy: "REQUIRE_ENCRYPT_REQUIRE_DECRYPT",
  };
}

// Decrypt takes no suite or frame length (they come from the message).
function oursDecryptOptions() {
  return {
    keyrings: [{ type: "raw-aes", namespace: NAMESPACE, name: KEY_NAME, key: base64(rawKey) }],
    commitmentPolicy: "REQUIRE_ENCRYPT_REQUIRE_DECRYPT",
  };
}

function peerSuite(suite) {
  return suite === 0x0478
    ? AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY
    : AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384;
}

export function randomBytes(n) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

function same(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// --- the operations -------------------------------------------------------------------------------

// pushAsync leaves each chunk's output in wasm; drainInto copies it straight into the result buffer.
async function gather(stream, input, capacity) {
  const out = new Uint8Array(capacity);
  let n = 0;
  for (let i = 0; i < input.length; i += STREAM_CHUNK) {
    await stream.pushAsync(input.subarray(i, Math.min(input.length, i + STREAM_CHUNK)));
    let k;
    while ((k = stream.drainInto(out.subarray(n))) > 0) n += k;
  }
  const tail = await stream.finishAsync();
  stream.free();
  out.set(tail, n);
  return out.subarray(0, n + tail.length);
}

// The output goes to an OPFS file; returns a small handle ({ file, length }) instead of the bytes.
async function toFile(stream, input, name) {
  const dir = await navigator.storage.getDirectory();
  const handle = await dir.getFileHandle(name, { create: true });
  const w = await handle.createWritable();
  let n = 0;
  const readInput = typeof input.slice === "function" && !(input instanceof Uint8Array);
  const size = readInput ? input.size : input.length;
  for (let i = 0; i < size; i += STREAM_CHUNK) {
    const end = Math.min(size, i + STREAM_CHUNK);
    const chunk = readInput ? new Uint8Array(await input.slice(i, end).arrayBuffer()) : input.subarray(i, end);
    const part = await stream.updateAsync(chunk);
    if (part.length) { await w.write(part); n += part.length; }
  }
  const tail = await stream.finishAsync();
  stream.free();
  if (tail.length) { await w.write(tail); n += tail.length; }
  await w.close();
  return { file: name, length: n };
}

async function fromFile(name) {
  const dir = await navigator.storage.getDirectory();
  return (await dir.getFileHandle(name)).getFile();
}

async function frameCalls(input, unit, call) {
  const frames = Math.ceil(input.length / unit);
  const outUnit = unit === FRAME ? FRAME + 16 : FRAME;
  const out = new Uint8Array(input.length + (outUnit - unit) * frames);
  const aad = new Uint8Array(60);
  let at = 0;
  for (let f = 0; f < frames; f += 256) {
    const calls = [];
    for (let i = f; i < Math.min(frames, f + 256); i++) {
      const iv = new Uint8Array(12);
      new DataView(iv.buffer).setUint32(8, i + 1);
      calls.push(call({ name: "AES-GCM", iv, additionalData: aad }, input.subarray(i * unit, (i + 1) * unit)));
    }
    for (const r of await Promise.all(calls)) { out.set(new Uint8Array(r), at); at += r.byteLength; }
  }
  return out.subarray(0, at);
}

// The worker sink (worker.js): made in `warm("worker")`, one job at a time.
let worker = null;
function inWorker(mode, from, to, options) {
  return new Promise((ok, fail) => {
    worker.onmessage = ({ data }) => (data.ok ? ok({ file: to, length: data.bytes, ms: data.ms }) : fail(new Error(data.error)));
    worker.postMessage({ mode, from, to, options });
  });
}

/** Put the stored plaintext in an OPFS file for the worker sink (untimed). */
export async function stage() {
  const dir = await navigator.storage.getDirectory();
  const w = await (await dir.getFileHandle("wpt", { create: true })).createWritable();
  for (let i = 0; i < state.pt.length; i += STREAM_CHUNK) await w.write(state.pt.subarray(i, i + STREAM_CHUNK));
  await w.close();
  return true;
}

const ops = {
  // ours, one shot
  async oursEncrypt(pt, suite) { return esdkEncrypt(pt, oursOptions(suite)); },
  async oursDecrypt(ct, suite) { return (await esdkDecrypt(ct, oursDecryptOptions())).plaintext; },
  // ours, streaming: 1 MiB chunks through pushAsync (frames through WebCrypto), the whole output
  // drained into one buffer as the peer returns it
  async oursStreamEncrypt(pt, suite) { return gather(new EsdkEncryptor(oursOptions(suite)), pt, pt.length + Math.ceil(pt.length / FRAME) * 32 + 65536); },
  async oursStreamDecrypt(ct) { return gather(new EsdkDecryptor(oursDecryptOptions()), ct, ct.length); },
  // ours, streaming as above with the output handed on (written to a file in the origin private
  // file system, as the playground page does) instead of kept: memory stays at a few windows
  async oursSinkEncrypt(pt, suite) { return toFile(new EsdkEncryptor(oursOptions(suite)), pt, "ct"); },
  async oursSinkDecrypt(_ct, suite) { return toFile(new EsdkDecryptor(oursDecryptOptions()), await fromFile("ct"), "back", suite); },
  // ours, streaming in a dedicated worker from one OPFS file to another (sync access handles), as
  // the playground page does: the input is read from the file, not held in the page
  async workerEncrypt(_pt, suite) { return inWorker("encrypt", "wpt", "wct", oursOptions(suite)); },
  async workerDecrypt(_ct, _suite) { return inWorker("decrypt", "wct", "wback", oursDecryptOptions()); },
  // the peer
  async peerEncrypt(pt, suite) {
    const { result } = await peer.client.encrypt(peer.keyring, pt,
      { suiteId: peerSuite(suite), encryptionContext: CONTEXT, frameLength: FRAME });
    return result;
  },
  async peerDecrypt(ct) { return (await peer.client.decrypt(peer.keyring, ct)).plaintext; },
  // a reference for any design with 4096-byte frames through WebCrypto: a plain JS loop of one
  // AES-256-GCM call per frame (a 12-byte IV and a 60-byte AAD, like a v2 message's body AAD), 256
  // frames in flight at once, each result copied into one output buffer; no message format at all
  async framesEncrypt(pt) { return frameCalls(pt, FRAME, (p, d) => crypto.subtle.encrypt(p, gcmKey, d)); },
  async framesDecrypt(ct) { return frameCalls(ct, FRAME + 16, (p, d) => crypto.subtle.decrypt(p, gcmKey, d)); },
  // the ceiling: one AES-256-GCM call over the whole plaintext
  async gcmEncrypt(pt) {
    state.iv = crypto.getRandomValues(new Uint8Array(12));
    return new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv: state.iv }, gcmKey, pt));
  },
  async gcmDecrypt(ct) {
    return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: state.iv }, gcmKey, ct));
  },
};

// --- what run.mjs calls ---------------------------------------------------------------------------

/** Make a plaintext of `size` bytes and keep it (and nothing else) in the page. */
export function setup(size) {
  for (const k of Object.keys(state)) delete state[k];
  state.pt = randomBytes(size);
  return size;
}

/** Run one op on the stored input (`pt` or `ct`), keep its output, return ms and heap figures. */
export async function timed(op, suite, input, output) {
  const before = performance.memory?.usedJSHeapSize ?? 0;
  const t0 = performance.now();
  const result = await ops[op](state[input], suite);
  const ms = performance.now() - t0;
  state[output] = result;
  const after = performance.memory?.usedJSHeapSize ?? 0;
  return { ms, bytes: result.length, heapBefore: before, heapAfter: after, split: result?.ms };
}

/** Drop a stored value so its memory can go. */
export function drop(name) { delete state[name]; return true; }

/** Does the stored plaintext equal the stored `name`? */
export async function check(name) {
  const v = state[name];
  if (!v?.file) return same(state.pt, v);
  // An OPFS file: compare it with the plaintext a slice at a time.
  const file = await fromFile(v.file);
  if (file.size !== state.pt.length) return false;
  for (let i = 0; i < file.size; i += STREAM_CHUNK) {
    const part = new Uint8Array(await file.slice(i, Math.min(file.size, i + STREAM_CHUNK)).arrayBuffer());
    if (!same(state.pt.subarray(i, i + part.length), part)) return false;
  }
  return true;
}

/** Best time of `reps` runs of op on a fresh `size`-byte input (1 MiB case); verifies the round trip. */
export async function throughput(side, suite, size, reps) {
  const pt = randomBytes(size);
  const enc = side === "ours" ? ops.oursEncrypt : ops.peerEncrypt;
  const dec = side === "ours" ? ops.oursDecrypt : ops.peerDecrypt;
  let ct, encMs = Infinity, decMs = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    ct = await enc(pt, suite);
    encMs = Math.min(encMs, performance.now() - t0);
  }
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const back = await dec(ct, suite);
    decMs = Math.min(decMs, performance.now() - t0);
    if (!same(pt, back)) throw new Error(`${side} ${suite.toString(16)}: round trip differs`);
  }
  return { encMs, decMs };
}

/** Operations per second for `seconds` each way on `size`-byte messages (1 KiB case). */
export async function opsPerSecond(side, suite, size, seconds) {
  const pt = randomBytes(size);
  const enc = side === "ours" ? ops.oursEncrypt : ops.peerEncrypt;
  const dec = side === "ours" ? ops.oursDecrypt : ops.peerDecrypt;
  const ct = await enc(pt, suite);
  if (!same(pt, await dec(ct, suite))) throw new Error(`${side} ${suite.toString(16)}: round trip differs`);
  const count = async (fn, input) => {
    let n = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < seconds * 1000) { await fn(input, suite); n++; t = performance.now(); }
    return n / ((t - t0) / 1000);
  };
  return { enc: await count(enc, pt), dec: await count(dec, ct) };
}

/** Interop: each side decrypts the other's message (and its own) for `suite`. */
export async function interop(suite, size) {
  const pt = randomBytes(size);
  const fromOurs = await ops.oursEncrypt(pt, suite);
  const fromOursStream = await ops.oursStreamEncrypt(pt, suite);
  const fromPeer = await ops.peerEncrypt(pt, suite);
  return {
    oursOwn: same(pt, await ops.oursDecrypt(fromOurs, suite)),
    oursStreamOwn: same(pt, await ops.oursStreamDecrypt(fromOursStream, suite)),
    peerOwn: same(pt, await ops.peerDecrypt(fromPeer, suite)),
    oursReadsPeer: same(pt, await ops.oursDecrypt(fromPeer, suite)) && same(pt, await ops.oursStreamDecrypt(fromPeer, suite)),
    peerReadsOurs: same(pt, await ops.peerDecrypt(fromOurs, suite)) && same(pt, await ops.peerDecrypt(fromOursStream, suite)),
  };
}

/** Warm-up before timing: run `side`'s encrypt and decrypt (or WebCrypto's) on 1 MiB a few times. */
export async function warm(side, suite) {
  const pt = randomBytes(1 << 20);
  const pairs = {
    ours: [ops.oursStreamEncrypt, ops.oursStreamDecrypt], sink: [ops.oursStreamEncrypt, ops.oursStreamDecrypt],
    peer: [ops.peerEncrypt, ops.peerDecrypt],
    gcm: [ops.gcmEncrypt, ops.gcmDecrypt],
    frames: [ops.framesEncrypt, ops.framesDecrypt],
  };
  if (side === "worker") {
    worker = new Worker("./worker.js", { type: "module" });
    const dir = await navigator.storage.getDirectory();
    const w = await (await dir.getFileHandle("wpt", { create: true })).createWritable();
    await w.write(pt); await w.close();
    for (let r = 0; r < 3; r++) {
      await inWorker("encrypt", "wpt", "wct", oursOptions(suite));
      await inWorker("decrypt", "wct", "wback", oursDecryptOptions());
    }
    return true;
  }
  const [enc, dec] = pairs[side];
  for (let r = 0; r < 3; r++) {
    if (!same(pt, await dec(await enc(pt, suite), suite))) throw new Error(`${side}: warm-up round trip differs`);
  }
  if (side === "ours" || side === "sink") await ops.oursDecrypt(await ops.oursEncrypt(pt, suite), suite);
  return true;
}
