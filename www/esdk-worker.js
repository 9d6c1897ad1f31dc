// The Encryption SDK page's file worker (a module worker over the JS package in pkg/): encrypts or
// decrypts a File of any size with EsdkEncryptor / EsdkDecryptor, reading it in 1 MiB slices and
// writing the result to the origin private file system through a sync access handle, so neither the
// JS heap nor the wasm memory grows with the file. The frames go through WebCrypto (`updateAsync`);
// `options.aead: "rust"` keeps them in the pure-Rust cipher. Nothing is sent anywhere.
//
// page -> worker: { type: "run", id, mode: "encrypt" | "decrypt", file: File, options: JSON text }
//                 { type: "cancel", id }
// worker -> page: { type: "progress", id, done, total, ms, wasmBytes }
//                 { type: "header", id, header }   (decrypt: once the header is read)
//                 { type: "done", id, file: File, bytes, total, ms, wasmBytes }
//                 { type: "failed", id, code, message }   { type: "cancelled", id }
import init, { EsdkEncryptor, EsdkDecryptor } from "./pkg/secplay.js";

const SLICE = 1 << 20;
const OUTPUT = { encrypt: "secplay-esdk-encrypted", decrypt: "secplay-esdk-decrypted" };
const ready = init();
// One output buffer for the whole job: `pushAsync` leaves the output in wasm and `drainInto` copies it
// here, so no JS buffer is made per slice (V8 frees such buffers only after ~64 MiB of them pile up).
const OUT = new Uint8Array(SLICE);
let wasm = null;
let cancelled = new Set();

// The file in slices of at most 1 MiB. A BYOB reader refills one buffer; where a browser has no BYOB
// reader for blobs, `file.slice().arrayBuffer()` makes one buffer per slice instead.
async function* slices(file) {
  let reader = null;
  try { reader = file.stream().getReader({ mode: "byob" }); } catch { reader = null; }
  if (!reader) {
    for (let pos = 0; pos < file.size; pos += SLICE) yield new Uint8Array(await file.slice(pos, pos + SLICE).arrayBuffer());
    return;
  }
  let buf = new ArrayBuffer(SLICE);
  try {
    for (;;) {
      const { value, done } = await reader.read(new Uint8Array(buf, 0, SLICE));
      if (done) return;
      yield value;
      buf = value.buffer;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

const mb = (n) => `${(n / 1048576).toFixed(0)} MiB`;
const wasmBytes = () => (wasm?.memory?.buffer?.byteLength ?? 0);

self.onmessage = (event) => {
  const msg = event.data;
  if (msg?.type === "cancel") cancelled.add(msg.id);
  else if (msg?.type === "run") run(msg);
};

async function run({ id, mode, file, options }) {
  const started = performance.now();
  let handle = null;
  let dir = null;
  const name = OUTPUT[mode] ?? OUTPUT.encrypt;
  let stream = null;
  try {
    wasm = await ready;
    const opts = JSON.parse(options);
    stream = mode === "decrypt" ? new EsdkDecryptor(opts) : new EsdkEncryptor(opts);
    dir = await navigator.storage.getDirectory();
    // One result at a time: the previous one (its download link is gone) makes room for this one.
    for (const old of Object.values(OUTPUT)) await dir.removeEntry(old).catch(() => {});
    const need = mode === "decrypt" ? file.size : file.size * 1.02 + SLICE;
    const { quota = Infinity, usage = 0 } = (await navigator.storage.estimate?.()) ?? {};
    if (quota - usage < need) {
      throw { code: "StorageFull", message: `this site may store ${mb(quota - usage)} here, and the result needs about ${mb(need)}: free disk space (or leave a private window), then try again` };
    }
    const out = await dir.getFileHandle(name, { create: true });
    handle = await out.createSyncAccessHandle();
    handle.truncate(0);
    let at = 0;
    let lastPost = 0;
    let headerSent = false;
    const write = (bytes) => {
      let off = 0;
      while (off < bytes.length) {
        const n = handle.write(bytes.subarray(off), { at: at + off });
        // A write that makes no progress means the disk or the site's quota is full; never spin.
        if (!(n > 0)) throw { code: "StorageFull", message: `the browser stopped accepting the result after ${mb(at + off)}: its storage for this site is full; free space and try again` };
        off += n;
      }
      at += bytes.length;
    };
    let done = 0;
    for await (const chunk of slices(file)) {
      if (cancelled.has(id)) throw { cancel: true };
      await stream.pushAsync(chunk);
      let n;
      while ((n = stream.drainInto(OUT)) > 0) write(OUT.subarray(0, n));
      done += chunk.length;
      if (mode === "decrypt" && !headerSent) {
        const header = stream.header();
        if (header) { headerSent = true; self.postMessage({ type: "header", id, header }); }
      }
      const now = performance.now();
      if (now - lastPost > 100) {
        lastPost = now;
        self.postMessage({ type: "progress", id, done, total: file.size, ms: now - started, wasmBytes: wasmBytes() });
      }
    }
    if (cancelled.has(id)) throw { cancel: true };
    if (mode === "decrypt" && !headerSent) {
      const header = stream.header();
      if (header) self.postMessage({ type: "header", id, header });
    }
    write(await stream.finishAsync());
    stream.free?.();
    stream = null;
    handle.flush();
    handle.close();
    handle = null;
    const result = await out.getFile();
    if (result.size !== at) {
      // Seen in Chromium's private windows, whose file system lives in memory with a small quota.
      throw { code: "StorageFull", message: `the browser kept ${mb(result.size)} of the ${mb(at)} written: its storage for this site is full; free space and try again` };
    }
    self.postMessage({ type: "done", id, file: result, bytes: at, total: file.size, ms: performance.now() - started, wasmBytes: wasmBytes() });
  } catch (e) {
    try { stream?.free?.(); } catch { /* already freed by a failure */ }
    try { handle?.close(); } catch { /* already closed */ }
    // Partial output (plaintext of frames that verified, or a cut-short message) is not kept.
    try { await dir?.removeEntry(name); } catch { /* nothing to remove */ }
    if (e?.cancel) self.postMessage({ type: "cancelled", id });
    else self.postMessage({ type: "failed", id, code: e?.code ?? e?.name ?? "Error", message: e?.message ?? String(e) });
  } finally {
    cancelled.delete(id);
  }
}
