// secplay's service worker: once the page has loaded, the playground works offline. Written into
// dist/ by tools/build-sw.sh, which replaces the build id and the shell list below (a copy of this
// file with the placeholders left in is never served).
//
// - One cache per build ("secplay-<build id>", the id a hash of every file of the build): a page
//   never mixes a home module of one build with a page chunk of another. Installing precaches the
//   app shell (index.html, the home module, its snippets, styles and scripts); page chunks
//   (pages/*), workers and pkg/ files are cached as they are first fetched, cache first.
// - A new build is a new sw.js (its id differs): the browser installs it beside the running one,
//   where it waits. The page announces the new version and reloads only when the person asks
//   (the "skip-waiting" message); nothing here reloads a page.
// - A chunk missing from this build's cache is fetched only if the server still serves this build
//   (build.json); otherwise the fetch fails with 503 and the page is told a new version is there.
// Only same-origin GETs of the build's own files are answered; anything else goes to the network
// untouched (and the page's Content-Security-Policy keeps that to this origin).
"use strict";

const BUILD = "__SECPLAY_BUILD__";
const SHELL = ["__SECPLAY_SHELL__"];
const CACHE = `secplay-${BUILD}`;
const SCOPE = new URL("./", self.location).href;

self.addEventListener("install", (event) => {
  // `reload`: from the server, never from the HTTP cache, which may hold an older build's files.
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL.map((p) => new Request(new URL(p, SCOPE).href, { cache: "reload" })))));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("secplay-") && name !== CACHE) await caches.delete(name);
    }
    // The first install takes the open pages at once, so the chunks they fetch next are cached;
    // an update is activated only when a page asks for it.
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "skip-waiting") self.skipWaiting();
  // Files the page fetched before this worker controlled it (a chunk opened on the first visit).
  if (data.type === "cache" && Array.isArray(data.urls)) {
    event.waitUntil(Promise.all(data.urls.slice(0, 64).filter(ours).map((u) => fetchAndKeep(new Request(u)).catch(() => null))));
  }
  if (data.type === "build" && event.source) event.source.postMessage({ type: "build", build: BUILD });
});

// The build's own files: anything under the scope except the test harness's and the shared
// vectors (served beside dist/ by the end-to-end tests only).
function ours(url) {
  if (!url.startsWith(SCOPE)) return false;
  const path = url.slice(SCOPE.length).split(/[?#]/)[0];
  return !path.startsWith("__e2e__/") && !path.startsWith("vectors/") && path !== "sw.js" && path !== "build.json";
}

// Whether the server still serves this build (asked at most every 10 s).
let checked = { at: 0, same: true };
async function sameBuild() {
  if (Date.now() - checked.at < 10_000) return checked.same;
  try {
    const r = await fetch(new URL("build.json", SCOPE), { cache: "no-store" });
    const same = r.ok ? (await r.json()).build === BUILD : true;
    checked = { at: Date.now(), same };
  } catch {
    checked = { at: Date.now(), same: true };
  }
  return checked.same;
}

// Fetches one of the build's files (revalidated with the server: a page chunk's name is the same
// in every build, so the HTTP cache may hold another build's) and keeps a good answer.
async function fetchAndKeep(request) {
  const response = await fetch(request, { cache: "no-cache" });
  if (response.ok && response.type === "basic" && response.status === 200) {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

async function answer(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request, { ignoreSearch: request.mode === "navigate" });
  if (hit) return hit;
  if (request.mode === "navigate") {
    const shell = await cache.match(new URL("index.html", SCOPE).href);
    if (shell) return shell;
    return fetch(request);
  }
  if (!(await sameBuild())) {
    for (const client of await self.clients.matchAll()) client.postMessage({ type: "update" });
    return new Response("this file belongs to a newer build of secplay: reload the page", { status: 503, statusText: "New build" });
  }
  return fetchAndKeep(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !ours(request.url) || request.headers.has("range")) return;
  event.respondWith(answer(request));
});
