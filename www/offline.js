// The page's side of the service worker (www/sw.js), imported by the home module's shell
// (src/bin/app/pages/offline.rs): registers sw.js from this page's own directory and reports what
// a person should know: "ready" (the app is cached: it works offline), "update" (a new build is
// installed and waiting), "unsupported" or "failed". Reloads only in applyUpdate, when asked.
let registration = null;
let reloading = false;

export function startOffline(report) {
  const sw = navigator.serviceWorker;
  if (!sw || !window.isSecureContext || !/^https?:$/.test(location.protocol)) {
    report("unsupported");
    return;
  }
  let updated = false;
  const update = () => { if (!updated) { updated = true; report("update"); } };
  sw.addEventListener("message", (e) => { if (e.data && e.data.type === "update") update(); });
  sw.addEventListener("controllerchange", () => {
    // Only a person's "Reload" (applyUpdate) swaps the worker of a controlled page.
    if (reloading) location.reload();
  });
  const watch = (worker) => {
    if (!worker) return;
    const seen = () => { if (worker.state === "installed" && sw.controller) update(); };
    seen();
    worker.addEventListener("statechange", seen);
  };
  sw.register(new URL("sw.js", document.baseURI), { scope: "./", updateViaCache: "none" }).then((reg) => {
    registration = reg;
    if (reg.waiting && sw.controller) update();
    watch(reg.installing);
    reg.addEventListener("updatefound", () => watch(reg.installing));
    return sw.ready;
  }).then((reg) => {
    // Files this page fetched before the worker controlled it (a page chunk opened first) join
    // the cache, so they too open offline.
    const urls = performance.getEntriesByType("resource").map((e) => e.name)
      .filter((u) => u.startsWith(new URL("./", document.baseURI).href));
    if (reg.active) reg.active.postMessage({ type: "cache", urls });
    report("ready");
  }).catch(() => report("failed"));
}

// Asks a waiting new build to take over, then reloads once it has (controllerchange).
export function applyUpdate() {
  const waiting = registration && registration.waiting;
  reloading = true;
  if (waiting) waiting.postMessage({ type: "skip-waiting" });
  else location.reload();
}

// Asks the browser to look for a new build now (it also does on every navigation).
export function checkForUpdate() {
  if (registration) registration.update().catch(() => {});
}
