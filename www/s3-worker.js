// The S3 replication page's inventory worker (a module worker over the JS package in pkg/): reads an
// S3 Inventory CSV report of any size in 1 MiB slices through ReplicationEvaluator, so neither the JS
// heap nor the wasm memory grows with the file (the engine holds one line and the counts). It asks for
// no verdict rows (`rows: false`: a row string per slice would be garbage the renderer holds until
// V8 collects it, about +90 MiB over a million rows); the summary (counts per destination, outcome, reason, source
// status and prefix, with its CSV) comes back at the end. Nothing is sent anywhere.
//
// page -> worker: { type: "run", id, file: File, input: JSON text (the evaluation input with
//                   `inventory: { fileSchema }`) }      { type: "cancel", id }
// worker -> page: { type: "progress", id, done, total, ms, wasmBytes }
//                 { type: "done", id, result: JSON text of finish(), total, ms, wasmBytes }
//                 { type: "failed", id, code, message }   { type: "cancelled", id }
import init, { ReplicationEvaluator } from "./pkg/secplay.js";

const SLICE = 1 << 20;
const ready = init();
let wasm = null;
const cancelled = new Set();
const wasmBytes = () => (wasm?.memory?.buffer?.byteLength ?? 0);
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

async function run({ id, file, input }) {
  const started = performance.now();
  let evaluator = null;
  try {
    wasm = await ready;
    evaluator = new ReplicationEvaluator(JSON.parse(input), { rows: false });
    let done = 0;
    let lastPost = 0;
    for await (const chunk of slices(file)) {
      if (cancelled.has(id)) throw { cancel: true };
      evaluator.push(chunk);
      done += chunk.length;
      const now = performance.now();
      if (now - lastPost > 100) {
        lastPost = now;
        self.postMessage({ type: "progress", id, done, total: file.size, ms: now - started, wasmBytes: wasmBytes() });
        await pause();
      }
    }
    if (cancelled.has(id)) throw { cancel: true };
    const result = evaluator.finish();
    delete result.csv;
    self.postMessage({ type: "done", id, result: JSON.stringify(result), total: file.size, ms: performance.now() - started, wasmBytes: wasmBytes() });
  } catch (e) {
    if (e?.cancel) self.postMessage({ type: "cancelled", id });
    else self.postMessage({ type: "failed", id, code: e?.code ?? e?.name ?? "Error", message: e?.message ?? String(e) });
  } finally {
    try { evaluator?.free?.(); } catch { /* already freed */ }
    cancelled.delete(id);
  }
}
