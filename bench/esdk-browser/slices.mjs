// How long the ESDK's Promise-returning calls hold the page's thread (node bench/esdk-browser/slices.mjs,
// after `make dist`): a benchmark, not a test; it prints figures and asserts no speed.
//
// In headless Chromium over dist/ (the e2e harness's server and browser):
// 1. one slice of the signature's hash on the page's thread (src/web/hash_slices.rs): SHA-384 and
//    SHA-256 over 1 MiB through the module's own hash exports (the code a slice runs), median and
//    worst of 40;
// 2. one turn of the event loop as src/web/yield_now.js gives it (scheduler.yield in Chromium);
// 3. esdkEncrypt / esdkDecrypt of BENCH_MIB (default 16) MiB, suite 0x0578, frames through WebCrypto
//    and through the pure-Rust cipher, on embed.html (its CSP forbids blob: workers, so the hash runs
//    in slices) and on index.html (the hash in a worker): MB/s, and the call's tasks of 50 ms and more
//    (the longtask API's threshold).
import { serve, launch } from "../../tests/e2e/harness.mjs";

const MIB = Number(process.env.BENCH_MIB ?? 16);
const server = await serve();
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(`${server.origin}/embed.html`);
  await page.waitForFunction(() => document.querySelector("#result")?.textContent !== "pending", null, { timeout: 60_000 });
  const micro = await page.evaluate(async () => {
    const m = await import("./pkg/secplay.js");
    const ex = await m.default();
    const slice = 1 << 20;
    const out = {};
    for (const alg of [384, 256]) {
      ex.__secplay_hash_begin(alg);
      const ptr = ex.__secplay_hash_buffer(slice) >>> 0;
      new Uint8Array(ex.memory.buffer, ptr, slice).forEach((_, i, a) => { a[i] = i * 131; });
      const ms = [];
      for (let i = 0; i < 40; i++) {
        const t = performance.now();
        ex.__secplay_hash_update(slice);
        ms.push(performance.now() - t);
      }
      ex.__secplay_hash_finish();
      ms.sort((a, b) => a - b);
      out[`SHA-${alg} over 1 MiB (ms, median / worst of 40)`] = `${ms[20].toFixed(2)} / ${ms[39].toFixed(2)}`;
    }
    // The turn src/web/yield_now.js takes here.
    const turn = typeof scheduler?.yield === "function" ? () => scheduler.yield() : () => new Promise((r) => setTimeout(r, 0));
    const t = performance.now();
    for (let i = 0; i < 2000; i++) await turn();
    out[`one turn of the event loop (µs, ${typeof scheduler?.yield === "function" ? "scheduler.yield" : "setTimeout"}, mean of 2000)`] = (((performance.now() - t) / 2000) * 1000).toFixed(1);
    return out;
  });
  await page.close();
  const rows = [];
  for (const pageName of ["embed.html", "index.html"]) {
    const p = await browser.newPage();
    await p.goto(`${server.origin}/${pageName}`);
    for (const aead of ["webcrypto", "rust"]) {
      rows.push(await p.evaluate(async ({ mib, aead, pageName }) => {
        const m = await import("./pkg/secplay.js");
        await m.default();
        const keyrings = [{ type: "raw-aes", namespace: "ns", name: "k", key: btoa(String.fromCharCode(...new Uint8Array(32).fill(5))) }];
        const opts = { keyrings, suiteId: 0x0578, aead };
        const pt = new Uint8Array(mib << 20);
        for (let i = 0; i < pt.length; i++) pt[i] = i & 0xff;
        await new Promise((ok) => setTimeout(ok, 100)); // the input's making is not the call's task
        // The call's long tasks (50 ms and over: the longtask API's threshold), count and longest.
        const watch = async (f) => {
          const seen = [];
          const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) seen.push(e.duration); });
          obs.observe({ type: "longtask" });
          const t = performance.now();
          const r = await f();
          const ms = performance.now() - t;
          await new Promise((ok) => setTimeout(ok, 50));
          obs.disconnect();
          return { r, ms, worst: seen.length ? `${seen.length}, longest ${Math.max(...seen).toFixed(0)} ms` : "none" };
        };
        const enc = await watch(() => m.esdkEncrypt(pt, opts));
        const dec = await watch(() => m.esdkDecrypt(enc.r, opts));
        if (dec.r.plaintext.length !== pt.length) throw new Error("round trip failed");
        const mbs = (ms) => ((mib * 1048576) / 1e6 / (ms / 1000)).toFixed(1);
        return `${pageName} (${pageName === "embed.html" ? "hash in slices" : "hash in a worker"}), frames ${aead}: encrypt ${mbs(enc.ms)} MB/s, tasks ≥ 50 ms: ${enc.worst}; decrypt ${mbs(dec.ms)} MB/s, tasks ≥ 50 ms: ${dec.worst}`;
      }, { mib: MIB, aead, pageName }));
    }
    await p.close();
  }
  console.log(`ESDK calls and the page's thread, headless Chromium, ${MIB} MiB, suite 0x0578:`);
  for (const [k, v] of Object.entries(micro)) console.log(`  ${k}: ${v}`);
  for (const r of rows) console.log(`  ${r}`);
} finally {
  await browser.close();
  await server.close();
}
