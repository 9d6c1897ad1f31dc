// What the main thread does on the first open of each page chunk's page: for every route given
// (default: one page of every chunk, and the pages the long-task budget found), a fresh browser
// context opens the home page, waits for it, then navigates to the route (`navigate to`) or loads
// it directly (`--load`), with a Chromium performance trace (CDP Tracing) running. Prints each
// main-thread task over `--min` ms (default 30) with what it was made of: script evaluation,
// wasm compilation (lazy or not), microtasks (yew's render), timers, style/layout/paint, and the
// time left in V8 itself. Needs `make dist`. Nothing leaves the machine.
//   node tools/trace-first-open.mjs [--load] [--min 30] [--runs 1] [--json out.jsonl] [#/acm …]
import { writeFile, appendFile } from "node:fs/promises";
import { serve, launch } from "../tests/e2e/harness.mjs";

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const opt = (name, d) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : d; };
const MIN = Number(opt("--min", 30));
const RUNS = Number(opt("--runs", 1));
const JSON_OUT = opt("--json", null);
const routes = args.filter((a, i) => a.startsWith("#") && !["--min", "--runs", "--json"].includes(args[i - 1]));
const ROUTES = routes.length ? routes : ["#/acm", "#/fms", "#/notes", "#/notes/kms-key-policy-lockout",
  "#/policies", "#/s3", "#/waf", "#/waf/replay", "#/waf/ddos", "#/scan", "#/kms", "#/envelope", "#/esdk", "#/ssm",
  "#/secrets", "#/keys"];

const CATEGORIES = ["toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "v8.execute",
  "v8.wasm", "disabled-by-default-v8.wasm.detailed", "blink.user_timing", "loading"];

// Trace events of a CDP session, from Tracing.start to Tracing.tracingComplete.
async function traced(cdp, work) {
  const events = [];
  cdp.on("Tracing.dataCollected", (e) => events.push(...e.value));
  await cdp.send("Tracing.start", { transferMode: "ReportEvents", traceConfig: { includedCategories: CATEGORIES } });
  await work();
  const done = new Promise((ok) => cdp.once("Tracing.tracingComplete", ok));
  await cdp.send("Tracing.end");
  await done;
  return events;
}

// The renderer main thread's tasks over MIN ms, each with its parts (complete events nested in it,
// by name, self time of the outermost of each name).
function tasks(events) {
  const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain"
    && events.some((x) => x.pid === e.pid && x.tid === e.tid && x.name === "RunTask" && x.dur > 1000));
  if (!main) return [];
  const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === "X" && e.dur !== undefined);
  const top = mine.filter((e) => e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask");
  const out = [];
  for (const t of top) {
    if (t.dur / 1000 < MIN) continue;
    const inside = mine.filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur);
    const parts = {};
    // Outermost occurrences only (a FunctionCall inside a FunctionCall counts once).
    for (const e of inside) {
      const outer = inside.some((o) => o !== e && o.name === e.name && o.ts <= e.ts && o.ts + o.dur >= e.ts + e.dur
        && (o.ts < e.ts || o.dur > e.dur));
      if (!outer) parts[e.name] = (parts[e.name] ?? 0) + e.dur / 1000;
    }
    const named = Object.entries(parts).filter(([, ms]) => ms >= 1).sort((a, b) => b[1] - a[1])
      .map(([n, ms]) => `${n} ${ms.toFixed(1)}`);
    const wasmLazy = inside.filter((e) => /wasm/i.test(e.name) && /[Ll]azy/.test(e.name));
    out.push({ ms: Math.round(t.dur / 1000), at: Math.round(t.ts / 1000), parts: named,
      lazyCompiles: wasmLazy.length, lazyMs: Math.round(wasmLazy.reduce((s, e) => s + e.dur, 0) / 1000) });
  }
  return out;
}

const server = await serve();
const browser = await launch();
if (JSON_OUT) await writeFile(JSON_OUT, "");
try {
  for (let run = 0; run < RUNS; run++) {
    for (const route of ROUTES) {
      const context = await browser.newContext({ viewport: { width: 1200, height: 860 }, serviceWorkers: "block" });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      let t0 = 0;
      const events = await traced(cdp, async () => {
        if (flag("--load")) {
          await page.goto(`${server.origin}/${route}`);
        } else {
          await page.goto(`${server.origin}/#/`);
          await page.waitForSelector("html[data-ready='1']");
          await page.waitForTimeout(300);
          t0 = Date.now();
          await page.evaluate((h) => { document.documentElement.removeAttribute("data-ready"); location.hash = h; }, route);
        }
        await page.waitForSelector("#page[data-page]", { timeout: 60_000 });
        await page.waitForTimeout(1500);
      });
      const found = tasks(events);
      const longest = found.reduce((m, t) => Math.max(m, t.ms), 0);
      console.log(`${route} (${flag("--load") ? "page load" : "navigate to"}): longest task ${longest} ms`);
      for (const t of found) {
        console.log(`  ${t.ms} ms at ${t.at}: ${t.parts.slice(0, 12).join(", ")}` +
          (t.lazyCompiles ? ` [lazy wasm compiles: ${t.lazyCompiles}, ${t.lazyMs} ms]` : ""));
      }
      if (JSON_OUT) await appendFile(JSON_OUT, JSON.stringify({ route, run, longest, tasks: found, wall: t0 ? Date.now() - t0 : null }) + "\n");
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
