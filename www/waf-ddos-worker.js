// The DDoS practice page's flood worker (a module worker over the JS package in pkg/, like the
// replay worker): runs one flood scenario through FloodSimulator off the page's thread, posting
// progress about every 100 ms, and the report at the end. Cancel is the page ending the worker
// (a run is one call into the engine, so no message could get in between); the page starts a new
// one for the next run. Nothing is sent anywhere.
//
// page -> worker: { type: "run", id, acl: JSON text, scenario: JSON text, options: JSON text }
// worker -> page: { type: "progress", id, done, expected, ms }
//                 { type: "done", id, result: JSON text of the report, ms }
//                 { type: "failed", id, code, message }
import init, { FloodSimulator } from "./pkg/secplay.js";

const ready = init();

self.onmessage = (event) => {
  const msg = event.data;
  if (msg?.type === "run") run(msg);
};

async function run({ id, acl, scenario, options }) {
  let sim = null;
  try {
    await ready;
    const started = performance.now();
    sim = new FloodSimulator(acl, undefined, options);
    let lastPost = 0;
    const report = sim.run(scenario, (done, expected) => {
      const now = performance.now();
      if (now - lastPost >= 100) {
        lastPost = now;
        self.postMessage({ type: "progress", id, done, expected, ms: now - started });
      }
    });
    self.postMessage({ type: "done", id, result: JSON.stringify(report), ms: performance.now() - started });
  } catch (e) {
    self.postMessage({ type: "failed", id, code: e?.code ?? e?.name ?? "Error", message: e?.message ?? String(e) });
  } finally {
    try { sim?.free?.(); } catch { /* already freed */ }
  }
}
