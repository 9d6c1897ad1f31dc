// The ESDK engine in headless Chromium through the built package: one vector per suite x keyring
// type, decrypted in the page through WebCrypto and through the pure-Rust cipher, plus a streaming
// round trip in chunks. Every `crypto.subtle` call of the page is counted (by algorithm and key
// length), so each case shows which cipher really ran: WebCrypto where it is asked for, none where
// the pure-Rust cipher is, and the pure-Rust fallback for AES-192 (Chromium's WebCrypto has none).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, watchedPage } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// Wraps the page's SubtleCrypto methods with counters before any script runs: `window.subtleCalls`
// maps e.g. "decrypt AES-GCM-256" or "importKey AES-GCM" to a count. Workers are not counted.
async function countSubtleCalls(page) {
  await page.addInitScript(() => {
    const calls = (window.subtleCalls = {});
    const proto = SubtleCrypto.prototype;
    for (const name of ["encrypt", "decrypt", "importKey", "exportKey", "generateKey", "digest", "sign", "verify", "deriveBits", "deriveKey", "wrapKey", "unwrapKey"]) {
      const real = proto[name];
      if (typeof real !== "function") continue;
      proto[name] = function (...args) {
        const alg = typeof args[0] === "string" ? args[0] : args[0]?.name;
        let tag = `${name} ${alg}`;
        if (name === "encrypt" || name === "decrypt") tag += `-${args[1]?.algorithm?.length}`;
        if (name === "importKey") tag = `${name} ${typeof args[2] === "string" ? args[2] : args[2]?.name}`;
        calls[tag] = (calls[tag] ?? 0) + 1;
        return real.apply(this, args);
      };
    }
  });
}

// On a page whose CSP forbids blob: workers (embed.html), the package's one try to start a hash
// worker is reported on the console; that report is expected (the hash then runs in place), once at
// most. Any other console error fails the test.
function assertNoConsoleErrors(problems, workersAllowed) {
  const blocked = problems.console.filter((m) => /(Refused to create|Creating) a worker from 'blob:.*Content Security Policy/.test(m));
  assert.ok(workersAllowed ? blocked.length === 0 : blocked.length <= 1, `blocked workers reported: ${JSON.stringify(blocked)}`);
  assert.deepEqual(problems.console.filter((m) => !blocked.includes(m)), [], "console errors");
}

// The AES key length of an ESDK suite, from its id's low byte (0x14 AES-128, 0x46 AES-192, 0x78 AES-256).
const keyBits = (suiteHex) => ({ 0x14: 128, 0x46: 192, 0x78: 256 })[parseInt(suiteHex, 16) & 0xff];

test("one vector per suite x keyring decrypts in Chromium; streaming round trip", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await countSubtleCalls(page);
  await page.goto(`${server.origin}/embed.html`);
  await page.waitForFunction(() => document.querySelector("#result")?.textContent === "ok", null, { timeout: 60_000 });
  // The vector helpers are plain JS shared with the Node tests; the page gets their output as data.
  const helper = await import("../js/esdk-vectors.mjs");
  const manifest = await (await fetch(`${server.origin}/vectors/esdk/manifest.json`)).json();
  const keys = (await (await fetch(`${server.origin}/vectors/esdk/keys.json`)).json()).keys;
  const sample = helper.onePerSuiteAndKeyring(manifest.tests).map(([key, t]) => ({ key, t, keyrings: helper.jsKeyrings(t, keys) }));
  assert.ok(sample.length >= 60, `only ${sample.length} suite x keyring pairs`);
  const outcomes = await page.evaluate(async (sample) => {
    const m = await import("./pkg/secplay.js"); // already initialised by embed.html's own import
    const bytes = async (p) => new Uint8Array(await (await fetch(`/vectors/esdk/${p}`)).arrayBuffer());
    const out = [];
    // The AES-GCM calls (per key length) made by `f`.
    const gcmCalls = async (op, f) => {
      const before = { ...window.subtleCalls };
      await f();
      const d = {};
      for (const [k, n] of Object.entries(window.subtleCalls)) {
        if (k.startsWith(`${op} AES-GCM-`) && n !== (before[k] ?? 0)) d[k.slice(op.length + 9)] = n - (before[k] ?? 0);
      }
      return d;
    };
    for (const { key, t, keyrings } of sample) {
      // Each vector through both frame ciphers: WebCrypto and the pure-Rust one.
      for (const aead of ["webcrypto", "rust"]) {
        let result = { key: `${key} ${aead}`, suite: t.header.suite, aead, ok: false };
        try {
          result.calls = await gcmCalls("decrypt", async () => {
            const { plaintext, header } = await m.esdkDecrypt(await bytes(t.ciphertext), { keyrings, commitmentPolicy: "REQUIRE_ENCRYPT_ALLOW_DECRYPT", aead });
            const expected = await bytes(t.plaintext);
            const same = plaintext.length === expected.length && plaintext.every((b, i) => b === expected[i]);
            Object.assign(result, { ok: same && header.suiteHex === `0x${t.header.suite}`, why: same ? header.suiteHex : "plaintext differs" });
          });
        } catch (e) {
          result.why = `${e.code}: ${e.message}`;
        }
        out.push(result);
      }
    }
    // Streaming: 1 MiB through EsdkEncryptor/EsdkDecryptor in uneven chunks.
    const keyring = [{ type: "raw-aes", namespace: "ns", name: "k", key: btoa(String.fromCharCode(...new Uint8Array(32).fill(7))) }];
    const data = new Uint8Array(1 << 20).map((_, i) => (i * 131) & 0xff);
    const enc = new m.EsdkEncryptor({ keyrings: keyring, encryptionContext: { purpose: "e2e" } });
    const parts = [];
    // Synchronous and WebCrypto calls interleaved on one stream (a stream's Promise-returning calls
    // default to WebCrypto: `aead: "auto"` with no length known).
    const sealed = await gcmCalls("encrypt", async () => {
      for (let i = 0, k = 0; i < data.length; i += 70001, k++) {
        const chunk = data.subarray(i, i + 70001);
        parts.push(k % 2 ? enc.update(chunk) : await enc.updateAsync(chunk));
      }
      parts.push(await enc.finishAsync());
    });
    const dec = new m.EsdkDecryptor({ keyrings: keyring });
    let got = [];
    const opened = await gcmCalls("decrypt", async () => {
      for (const [k, p] of parts.entries()) got.push(k % 2 ? await dec.updateAsync(p) : dec.update(p));
    });
    const header = dec.header();
    got.push(dec.finish());
    const joined = new Uint8Array(got.reduce((n, p) => n + p.length, 0));
    let o = 0; for (const p of got) { joined.set(p, o); o += p.length; }
    out.push({ key: "streaming 1 MiB", ok: header?.encryptionContext?.purpose === "e2e" && joined.length === data.length && joined.every((b, i) => b === data[i]), why: JSON.stringify(header), sealed, opened });
    return out;
  }, sample);
  const failed = outcomes.filter((o) => !o.ok);
  assert.deepEqual(failed, [], `failed in Chromium: ${JSON.stringify(failed)}`);
  // Which cipher ran, from the counted crypto.subtle calls: `aead: "rust"` makes none; `"webcrypto"`
  // opens every frame through WebCrypto with the suite's key length, except AES-192, which
  // Chromium's WebCrypto refuses, so those frames go through the pure-Rust cipher (no call).
  const wrongPath = [];
  let viaWebCrypto = 0;
  let aes192 = 0;
  for (const o of outcomes.filter((o) => o.aead)) {
    const bits = keyBits(o.suite);
    const got = Object.keys(o.calls);
    if (o.aead === "rust" || bits === 192) {
      if (got.length) wrongPath.push(`${o.key}: expected the pure-Rust cipher, saw crypto.subtle ${JSON.stringify(o.calls)}`);
      aes192 += o.aead === "webcrypto" ? 1 : 0;
    } else if (!(got.length === 1 && got[0] === String(bits) && o.calls[bits] >= 1)) {
      wrongPath.push(`${o.key}: expected AES-GCM-${bits} decrypt calls, saw ${JSON.stringify(o.calls)}`);
    } else {
      viaWebCrypto++;
    }
  }
  assert.deepEqual(wrongPath, [], "a cipher other than the one asked for ran");
  const pairs = outcomes.filter((o) => o.aead === "webcrypto").length;
  assert.ok(viaWebCrypto > 0 && aes192 > 0, `${viaWebCrypto} pairs through WebCrypto, ${aes192} AES-192 pairs`);
  assert.equal(viaWebCrypto + aes192, pairs);
  const stream = outcomes.find((o) => o.key === "streaming 1 MiB");
  assert.ok(stream.sealed["256"] >= 1 && stream.opened["256"] >= 1, `streaming: Promise-returning calls did not reach WebCrypto: sealed ${JSON.stringify(stream.sealed)}, opened ${JSON.stringify(stream.opened)}`);
  console.log(`ESDK in Chromium: ${pairs} suite x keyring vectors decrypted twice: with aead "webcrypto" ${viaWebCrypto} through WebCrypto and ${aes192} AES-192 ones through the pure-Rust fallback (Chromium has no AES-192), with aead "rust" all ${pairs} without a crypto.subtle call; streaming 1 MiB round trip ok (${stream.sealed["256"]} frames sealed and ${stream.opened["256"]} opened by WebCrypto)`);
  assert.deepEqual(problems.foreign, []);
  assertNoConsoleErrors(problems, false);
  assert.deepEqual(problems.pageErrors, []);
  await context.close();
});

// The playground's page allows blob: workers (its CSP has `worker-src 'self' blob:`); embed.html's
// CSP does not, like many pages that might embed the package: there the hash stays in place.
for (const [pageName, workersAllowed] of [["index.html", true], ["embed.html", false]]) test(`signed messages on ${pageName}: the signature hashed in a worker ${workersAllowed ? "" : "(blocked by CSP: in place) "}agrees with the in-place hash`, async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await countSubtleCalls(page);
  // Count the hash workers (blob: URLs) the package starts and the digests they send back.
  await page.addInitScript(() => {
    const Real = window.Worker;
    window.blobWorkers = 0;
    window.digests = 0;
    window.Worker = class extends Real {
      constructor(url, opts) {
        super(url, opts);
        if (String(url).startsWith("blob:")) {
          window.blobWorkers++;
          this.addEventListener("message", (e) => { if (e.data?.op === "digest") window.digests++; });
        }
      }
    };
  });
  await page.goto(`${server.origin}/${pageName}`);
  const outcomes = await page.evaluate(async (workersAllowed) => {
    const m = await import("./pkg/secplay.js");
    await m.default();
    const keyrings = [{ type: "raw-aes", namespace: "ns", name: "k", key: btoa(String.fromCharCode(...new Uint8Array(32).fill(9))) }];
    // Plain loops: a callback per byte (`every`, `map`) over 5 MiB is itself a long task on a loaded machine.
    const same = (a, b) => { if (a.length !== b.length) return false; for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false; return true; };
    const pattern = (size) => { const p = new Uint8Array(size); for (let i = 0; i < size; i++) p[i] = (i * 29 + size) & 0xff; return p; };
    const join = (parts) => { const o = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let at = 0; for (const p of parts) { o.set(p, at); at += p.length; } return o; };
    // In place, synchronously: the synchronous calls hash in the engine, on this thread, with the
    // pure-Rust cipher, all they are given in one call: a page that hands them megabytes at once holds
    // its thread that long, by their nature. This test calls them knowingly, 256 KiB per call with a
    // turn of the event loop between calls, as a page using them on large data should.
    const PIECE = 256 * 1024;
    const turn = () => new Promise((resolve) => setTimeout(resolve, 0));
    const inPieces = async (s, input) => {
      const parts = [];
      for (let i = 0; i < input.length; i += PIECE) { parts.push(s.update(input.subarray(i, i + PIECE))); await turn(); }
      parts.push(s.finish());
      return join(parts);
    };
    const syncEncrypt = (pt, opts) => inPieces(new m.EsdkEncryptor(opts), pt);
    const syncDecrypt = (ct, opts) => inPieces(new m.EsdkDecryptor(opts), ct);
    // The Promise-returning calls hash on this thread too (a slice per task, web/hash_slices.rs)
    // for one-shot messages under 4 MiB, and for everything where no worker can start (embed.html).
    // In a worker: pushAsync + drainInto through one reused buffer (streams, where workers can start).
    const streamed = async (s, input) => {
      const buf = new Uint8Array(1 << 16); const parts = [];
      for (let i = 0; i < input.length; i += 300_007) {
        await s.pushAsync(input.subarray(i, i + 300_007));
        let n; while ((n = s.drainInto(buf)) > 0) parts.push(buf.slice(0, n));
      }
      parts.push(await s.finishAsync());
      return join(parts);
    };
    const out = [];
    const check = (key, ok, why = "") => out.push({ key, ok: !!ok, why });
    for (const [suiteId, commitmentPolicy] of [[0x0578, "REQUIRE_ENCRYPT_REQUIRE_DECRYPT"], [0x0378, "FORBID_ENCRYPT_ALLOW_DECRYPT"], [0x0214, "FORBID_ENCRYPT_ALLOW_DECRYPT"]]) {
      const opts = { keyrings, suiteId, commitmentPolicy, encryptionContext: { case: "hash worker" } };
      // 3 MiB + 5: a one-shot message hashed on this thread over several 1 MiB slices, under 4 MiB.
      for (const size of [0, 1, 600 * 1024, 3 * 1048576 + 5, 5 * 1048576 + 17]) {
        const pt = pattern(size);
        const key = `0x${suiteId.toString(16)} ${size} B`;
        // Where the one-shot calls hash this message: in a worker from 4 MiB where one can start.
        const oneShot = workersAllowed && size >= 4 << 20 ? "worker" : "slices";
        const stream = workersAllowed ? "worker" : "slices";
        try {
          const viaWorker = await m.esdkEncrypt(pt, opts);
          check(`${key}: signed by esdkEncrypt (${oneShot}), read synchronously`, same(await syncDecrypt(viaWorker, opts), pt));
          const inPlace = await syncEncrypt(pt, opts);
          check(`${key}: signed synchronously, read by esdkDecrypt (${oneShot})`, same((await m.esdkDecrypt(inPlace, opts)).plaintext, pt));
          const streamedCt = await streamed(new m.EsdkEncryptor(opts), pt);
          check(`${key}: signed by a stream (${stream}), read synchronously and by a stream`, same(await syncDecrypt(streamedCt, opts), pt) && same(await streamed(new m.EsdkDecryptor(opts), streamedCt), pt));
          check(`${key}: signed by a stream (${stream}), read by esdkDecrypt (${oneShot})`, same((await m.esdkDecrypt(streamedCt, opts)).plaintext, pt));
          check(`${key}: signed by esdkEncrypt (${oneShot}), read by a stream (${stream})`, same(await streamed(new m.EsdkDecryptor(opts), viaWorker), pt));
          if (size > 1) {
            // A flipped signature byte, or a flipped body byte, fails the message.
            const badSig = viaWorker.slice(); badSig[badSig.length - 3] ^= 1;
            const bodyAt = Math.floor(viaWorker.length / 2);
            const badBody = viaWorker.slice(); badBody[bodyAt] ^= 0x20;
            for (const [what, bad, code] of [["signature", badSig, "SignatureInvalid"], ["body", badBody, "DecryptionFailed"]]) {
              try { await m.esdkDecrypt(bad, opts); check(`${key}: bad ${what} accepted`, false); }
              catch (e) { check(`${key}: bad ${what}`, e.code === code, `${e.code}: ${e.message}`); }
              try { await streamed(new m.EsdkDecryptor(opts), bad); check(`${key}: bad ${what} accepted by a stream`, false); }
              catch (e) { check(`${key}: bad ${what} in a stream`, e.code === code, `${e.code}: ${e.message}`); }
            }
          }
        } catch (e) {
          check(key, false, `${e.code}: ${e.message}`);
        }
      }
    }
    // A stream that hashes in a worker cannot end synchronously: a clear error, not a bad message.
    // Without a worker it hashes in place and may.
    const e = new m.EsdkEncryptor({ keyrings });
    const head = await e.updateAsync(new Uint8Array(1000));
    try {
      const ct = join([head, e.finish()]);
      check("sync finish after async updates", !workersAllowed && same(await syncDecrypt(ct, { keyrings }), new Uint8Array(1000)), "finished synchronously");
    } catch (err) {
      check("sync finish after async updates", workersAllowed && err.code === "InvalidInput" && /Promise-returning/.test(err.message), `${err.code}: ${err.message}`);
    }
    return { out, workers: window.blobWorkers, digests: window.digests, subtle: window.subtleCalls };
  }, workersAllowed);
  const failed = outcomes.out.filter((o) => !o.ok);
  assert.deepEqual(failed, [], `failed in Chromium: ${JSON.stringify(failed)}`);
  if (workersAllowed) {
    // The worker really hashed (every stream, one-shot messages from 4 MiB; one digest each), and
    // workers come from a pool rather than one per message.
    assert.ok(outcomes.digests >= 30, `${outcomes.digests} digests from hash workers`);
    assert.ok(outcomes.workers >= 1 && outcomes.workers <= 4, `${outcomes.workers} hash workers started`);
  } else {
    assert.equal(outcomes.digests, 0, "a worker hashed despite the CSP");
    // One refused worker is enough to stop trying on this page.
    assert.ok(outcomes.workers <= 1, `${outcomes.workers} hash workers tried despite the CSP`);
  }
  // The one-shot calls from 32 KiB and the streams seal and open their frames through WebCrypto
  // (`aead: "auto"`), with the suites' AES-256 and AES-128 keys.
  const subtle = outcomes.subtle;
  for (const tag of ["encrypt AES-GCM-256", "decrypt AES-GCM-256", "encrypt AES-GCM-128", "decrypt AES-GCM-128"]) {
    assert.ok(subtle[tag] >= 1, `no ${tag} call: ${JSON.stringify(subtle)}`);
  }
  console.log(`ESDK signature hash on ${pageName}: ${outcomes.out.length} checks over 3 signing suites, ${outcomes.workers} worker(s) started, ${outcomes.digests} digests from workers; crypto.subtle ${JSON.stringify(subtle)}`);
  assert.deepEqual(problems.foreign, []);
  // The CSP report of the blocked worker is the expected fallback, not a page error.
  assertNoConsoleErrors(problems, workersAllowed);
  assert.deepEqual(problems.pageErrors, []);
  await context.close();
});
