// The scanner page's file worker (a module worker over the JS package in pkg/): reads a file of any
// size in 1 MiB slices through SensitiveDataScanner, whose memory stays bounded (a fixed window),
// and posts progress after each slice; the report (findings masked, the Macie-shaped finding)
// comes back at the end. Nothing is sent anywhere.
//
// page -> worker: { type: "run", id, file: File }      { type: "cancel", id }
// worker -> page: { type: "progress", id, done, total, ms }
//                 { type: "done", id, result: JSON text of finish(), total, ms }
//                 { type: "failed", id, code, message }   { type: "cancelled", id }
import init, { SensitiveDataScanner } from "./pkg/secplay.js";

const SLICE = 1 << 20;
const ready = init();
const cancelled = new Set();
const pause = () => new Promise((ok) => setTimeout(ok, 0));

self.onmessage = (event) => {
  const msg = event.data;
  if (msg?.type === "cancel") cancelled.add(msg.id);
  else if (msg?.type === "run") run(msg);
};

async function run({ id, file }) {
  const started = performance.now();
  let scanner = null;
  try {
    await ready;
    scanner = new SensitiveDataScanner({ maxFindings: 5000 });
    let done = 0;
    for (let pos = 0; pos < file.size; pos += SLICE) {
      if (cancelled.has(id)) throw { cancel: true };
      const slice = new Uint8Array(await file.slice(pos, pos + SLICE).arrayBuffer());
      scanner.push(slice);
      done += slice.length;
      self.postMessage({ type: "progress", id, done, total: file.size, ms: performance.now() - started });
      await pause();
    }
    if (cancelled.has(id)) throw { cancel: true };
    const result = JSON.stringify(scanner.finish());
    self.postMessage({ type: "done", id, result, total: file.size, ms: performance.now() - started });
  } catch (e) {
    if (e?.cancel) self.postMessage({ type: "cancelled", id });
    else self.postMessage({ type: "failed", id, code: e?.code ?? "WorkerFailed", message: String(e?.message ?? e) });
  } finally {
    scanner?.free();
    cancelled.delete(id);
  }
}
