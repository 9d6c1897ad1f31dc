// The WAF page's web ACL checker (a module worker over the JS package in pkg/, like the replay and
// flood workers): builds a big web ACL from its text off the page's thread, so typing in a
// multi-megabyte ACL stays responsive, and answers what the page shows of it: the capacity report
// and whether it uses geo data, or the parse errors with their places. The page keeps showing its
// last answer ("Checking…") until the one for its newest texts comes. A newer check supersedes the
// older ones still queued: only the last one received is built. Nothing is sent anywhere.
//
// page -> worker: { type: "check", id, acl: JSON text, resources: JSON text or "" }
// worker -> page: { type: "checked", id, ms, result: JSON text of
//                   { ok: true, capacity: capacityReport(), usesGeo }
//                   or the engine's error detail { ok: false, code, message, pointer?, line?, column?, errors, more } }
//                 { type: "failed", id, code, message }   (the worker itself could not run)
import init, { WebAcl } from "./pkg/secplay.js";
import { answerNewest } from "./newest-worker.js";

answerNewest({ type: "check", what: "web ACL checker", ready: init(), answer: check });

function check({ id, acl, resources }) {
  const started = performance.now();
  let built = null;
  let result;
  try {
    built = new WebAcl(acl, resources || undefined, { trace: true });
    result = { ok: true, capacity: built.capacityReport(), usesGeo: built.usesGeo };
  } catch (e) {
    result = e?.detail ?? { ok: false, code: e?.code ?? e?.name ?? "Error", message: e?.message ?? String(e), errors: [], more: 0 };
  } finally {
    try { built?.free?.(); } catch { /* already freed */ }
  }
  return { type: "checked", id, ms: performance.now() - started, result: JSON.stringify(result) };
}
