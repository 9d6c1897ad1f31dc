// The WAF page's log replay worker (a module worker over the JS package in pkg/): reads an AWS WAF
// log of any size (JSON lines, gzip as AWS delivers it to S3, or a CloudWatch Logs export) in 1 MiB
// slices through LogReplayer, so neither the JS heap nor the wasm memory grows with the file (the
// engine holds the line being read, the inflater's window and bounded counts). The difference
// (counts, per rule, per client, samples) comes back at the end. Nothing is sent anywhere.
//
// page -> worker: { type: "run", id, file: File or Blob, acl: JSON text, resources: JSON text or "",
//                   options: JSON text (LogReplayer's options) }      { type: "cancel", id }
// worker -> page: { type: "progress", id, done, total, records, badLines, ms, wasmBytes, heapBytes, idleWasmBytes }
//                 { type: "done", id, result: JSON text of finish(), and the progress fields }
//                 { type: "failed", id, code, message }   { type: "cancelled", id }
import init, { LogReplayer } from "./pkg/secplay.js";

const SLICE = 1 << 20;
const ready = init();
let wasm = null;
const cancelled = new Set();
const wasmBytes = () => (wasm?.memory?.buffer?.byteLength ?? 0);
// Chromium's non-standard `performance.memory` (0 where a browser does not have it).
const heapBytes = () => (self.performance?.memory?.usedJSHeapSize ?? 0);

// The file in slices of at most 1 MiB. A BYOB reader refills one buffer, so no buffer is made per
// slice; where a browser has no BYOB reader for blobs, `file.slice().arrayBuffer()` makes one per slice.
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

// Lets a `cancel` message in between two slices.
const pause = () => new Promise((ok) => setTimeout(ok, 0));

self.onmessage = (event) => {
  const msg = event.data;
  if (msg?.type === "cancel") cancelled.add(msg.id);
  else if (msg?.type === "run") run(msg);
};

async function run({ id, file, acl, resources, options }) {
  const started = performance.now();
  let replayer = null;
  try {
    wasm = await ready;
    const idleWasmBytes = wasmBytes();
    replayer = new LogReplayer(acl, resources || undefined, options ? JSON.parse(options) : undefined);
    let done = 0;
    let lastPost = 0;
    let p = { records: 0, badLines: 0 };
    const progress = (type, extra) => ({
      type, id, done, total: file.size, records: p.records, badLines: p.badLines,
      ms: performance.now() - started, wasmBytes: wasmBytes(), heapBytes: heapBytes(), idleWasmBytes, ...extra,
    });
    self.postMessage(progress("progress"));
    for await (const chunk of slices(file)) {
      if (cancelled.has(id)) throw { cancel: true };
      p = replayer.push(chunk);
      done += chunk.length;
      const now = performance.now();
      if (now - lastPost > 100) {
        lastPost = now;
        self.postMessage(progress("progress"));
        await pause();
      }
    }
    if (cancelled.has(id)) throw { cancel: true };
    const result = replayer.finish();
    p = { records: result.records, badLines: result.badLines };
    self.postMessage(progress("done", { result: JSON.stringify(result) }));
  } catch (e) {
    if (e?.cancel) self.postMessage({ type: "cancelled", id });
    else self.postMessage({ type: "failed", id, code: e?.code ?? e?.name ?? "Error", message: e?.message ?? String(e) });
  } finally {
    try { replayer?.free?.(); } catch { /* already freed */ }
    cancelled.delete(id);
  }
}
