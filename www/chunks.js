// The page chunks' loader (see src/bin/app/chunks.rs): the home module calls showPage when a route
// of a page chunk opens and hidePage when it closes. A chunk's module (pages/<name>.js and its
// wasm, same origin, so the CSP's 'self' covers them) is imported once and kept: its state (the
// unlocked key store, say) lives on between visits, as it did when every page was in one module.
const modules = new Map();

function load(name) {
  let loading = modules.get(name);
  if (!loading) {
    const url = new URL(`pages/${name}.js`, document.baseURI).href;
    loading = import(url).then(async (m) => {
      // Streaming: the wasm compiles off the main thread as it arrives (WebAssembly.instantiateStreaming).
      await m.default({ module_or_path: new URL(`pages/${name}_bg.wasm`, document.baseURI) });
      // The page's first render in a task of its own, not in the one that instantiated the module:
      // together they passed the 200 ms long-task budget (611 ms for the WAF chunk's #/fms on a
      // loaded machine; tests/e2e/harness.mjs).
      await new Promise((ok) => setTimeout(ok, 0));
      return m;
    });
    // A failed fetch is not remembered: opening the page again tries again.
    loading.catch(() => modules.delete(name));
    modules.set(name, loading);
  }
  return loading;
}

function say(host, cls, text, role) {
  const p = document.createElement("p");
  p.className = cls;
  if (role) p.setAttribute("role", role);
  p.textContent = text;
  host.replaceChildren(p);
}

export function showPage(name, hash, host) {
  const handle = { host, mounted: null, gone: false };
  host.hidden = false;
  host.removeAttribute("data-page");
  say(host, "hint", "Loading this page…", "status");
  load(name).then((m) => {
    if (handle.gone) return;
    host.replaceChildren();
    handle.mounted = m.mount(host, hash);
    host.setAttribute("data-page", name);
    document.documentElement.setAttribute("data-ready", "1");
  }, (err) => {
    if (handle.gone) return;
    say(host, "error", `This page's code could not be loaded (${(err && err.message) || err}). ` +
      "Check that the page is served whole (dist/pages/ beside index.html) and open the page again; nothing was sent anywhere.", "alert");
  });
  return handle;
}

export function hidePage(handle) {
  handle.gone = true;
  if (handle.mounted) {
    handle.mounted.destroy();
    handle.mounted.free();
    handle.mounted = null;
  }
  handle.host.replaceChildren();
  handle.host.removeAttribute("data-page");
  handle.host.hidden = true;
}
