// The Firewall Manager page's evaluator (a module worker over the JS package in pkg/, like the WAF
// page's web ACL checker): evaluates the organisation against the policies off the page's thread,
// so the page's first open and each edit (a request typed, the clock moved, an account added) do
// not compile and run the engine on the page's thread. It does what the page's own fallback does
// (`FmsState::evaluate` in src/bin/app/pages/fms/state.rs): the selected resource with the parsed
// request; the organisation without it when the engine says the resource does not exist at this
// moment; when the request does not parse, the organisation without it, and if the selected
// resource exists the request's error. The page keeps showing its last result ("Evaluating…")
// until the one for its newest texts comes. A newer evaluation supersedes the older ones still
// queued: only the last one received runs. Nothing is sent anywhere.
//
// page -> worker: { type: "evaluate", id, org: JSON text, policies: JSON text, request: raw HTTP
//                   text, clock: seconds, selected: ARN or null }
// worker -> page: { type: "evaluated", id, ms, result: JSON text of
//                   { ok: true, value: evaluateFirewallManager(…) }
//                   or { ok: false, code, message, pointer? } }
//                 { type: "failed", id, code, message }   (the worker itself could not run)
import init, { evaluateFirewallManager, parseRequestText } from "./pkg/secplay.js";
import { answerNewest } from "./newest-worker.js";

/// The client address of the request (`CLIENT_IP` in state.rs).
const CLIENT_IP = "192.0.2.44";

answerNewest({ type: "evaluate", what: "Firewall Manager evaluator", ready: init(), answer: evaluate });

// The engine's error as the page reads it.
const problem = (e) => {
  const out = { ok: false, code: e?.code ?? e?.name ?? "Error", message: e?.message ?? String(e) };
  if (typeof e?.pointer === "string") out.pointer = e.pointer;
  return out;
};

function organisation(org, policies, options) {
  try {
    return { ok: true, value: evaluateFirewallManager(org, policies, options) };
  } catch (e) {
    return problem(e);
  }
}

function evaluate({ id, org, policies, request, clock, selected }) {
  const started = performance.now();
  const options = { at: clock };
  let result = null;
  if (typeof selected === "string") {
    let parsed = null;
    let unread = null;
    try {
      parsed = parseRequestText(request, CLIENT_IP);
    } catch (e) {
      unread = e;
    }
    if (unread) {
      result = organisation(org, policies, options);
      const exists = result.ok && (result.value?.resources ?? []).some((r) => r?.arn === selected);
      if (exists) result = { ok: false, code: unread?.code ?? unread?.name ?? "Error", message: `request: ${unread?.message ?? unread}` };
    } else {
      try {
        result = { ok: true, value: evaluateFirewallManager(org, policies, { ...options, resource: selected, request: parsed }) };
      } catch (e) {
        // The resource does not exist at this moment: the organisation without it, below.
        if (e?.pointer !== "/options/resource") result = problem(e);
      }
    }
  }
  result ??= organisation(org, policies, options);
  return { type: "evaluated", id, ms: performance.now() - started, result: JSON.stringify(result) };
}
