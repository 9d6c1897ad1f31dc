// The ESDK engine in headless Chromium through the built package: one vector per suite x keyring
// type (68 pairs), decrypted in the page, plus a streaming round trip in chunks.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, watchedPage } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test("one vector per suite x keyring decrypts in Chromium; streaming round trip", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
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
    for (const { key, t, keyrings } of sample) {
      // Each vector through both frame ciphers: WebCrypto and the pure-Rust one.
      for (const aead of ["webcrypto", "rust"]) {
        try {
          const { plaintext, header } = await m.esdkDecrypt(await bytes(t.ciphertext), { keyrings, commitmentPolicy: "REQUIRE_ENCRYPT_ALLOW_DECRYPT", aead });
          const expected = await bytes(t.plaintext);
          const same = plaintext.length === expected.length && plaintext.every((b, i) => b === expected[i]);
          out.push({ key: `${key} ${aead}`, ok: same && header.suiteHex === `0x${t.header.suite}`, why: same ? header.suiteHex : "plaintext differs" });
        } catch (e) {
          out.push({ key: `${key} ${aead}`, ok: false, why: `${e.code}: ${e.message}` });
        }
      }
    }
    // Streaming: 1 MiB through EsdkEncryptor/EsdkDecryptor in uneven chunks.
    const keyring = [{ type: "raw-aes", namespace: "ns", name: "k", key: btoa(String.fromCharCode(...new Uint8Array(32).fill(7))) }];
    const data = new Uint8Array(1 << 20).map((_, i) => (i * 131) & 0xff);
    const enc = new m.EsdkEncryptor({ keyrings: keyring, encryptionContext: { purpose: "e2e" } });
    const parts = [];
    // Synchronous and WebCrypto calls interleaved on one stream.
    for (let i = 0, k = 0; i < data.length; i += 70001, k++) {
      const chunk = data.subarray(i, i + 70001);
      parts.push(k % 2 ? enc.update(chunk) : await enc.updateAsync(chunk));
    }
    parts.push(await enc.finishAsync());
    const dec = new m.EsdkDecryptor({ keyrings: keyring });
    let got = [];
    for (const [k, p] of parts.entries()) got.push(k % 2 ? await dec.updateAsync(p) : dec.update(p));
    const header = dec.header();
    got.push(dec.finish());
    const joined = new Uint8Array(got.reduce((n, p) => n + p.length, 0));
    let o = 0; for (const p of got) { joined.set(p, o); o += p.length; }
    out.push({ key: "streaming 1 MiB", ok: header?.encryptionContext?.purpose === "e2e" && joined.length === data.length && joined.every((b, i) => b === data[i]), why: JSON.stringify(header) });
    return out;
  }, sample);
  const failed = outcomes.filter((o) => !o.ok);
  assert.deepEqual(failed, [], `failed in Chromium: ${JSON.stringify(failed)}`);
  console.log(`ESDK in Chromium: ${(outcomes.length - 1) / 2} suite x keyring vectors decrypted through WebCrypto and through the pure-Rust cipher (AES-192 suites in Rust either way: Chromium has no AES-192), streaming round trip ok`);
  assert.deepEqual(problems.foreign, []);
  assert.deepEqual(problems.pageErrors, []);
  await context.close();
});

// The playground's page allows blob: workers (its CSP has `worker-src 'self' blob:`); embed.html's
// CSP does not, like many pages that might embed the package: there the hash stays in place.
for (const [pageName, workersAllowed] of [["index.html", true], ["embed.html", false]]) test(`signed messages on ${pageName}: the signature hashed in a worker ${workersAllowed ? "" : "(blocked by CSP: in place) "}agrees with the in-place hash`, async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
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
    const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
    const join = (parts) => { const o = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let at = 0; for (const p of parts) { o.set(p, at); at += p.length; } return o; };
    // In place: the synchronous calls always hash in the engine.
    const syncEncrypt = (pt, opts) => { const e = new m.EsdkEncryptor(opts); return join([e.update(pt), e.finish()]); };
    const syncDecrypt = (ct, opts) => { const d = new m.EsdkDecryptor(opts); return join([d.update(ct), d.finish()]); };
    // In a worker: pushAsync + drainInto through one reused buffer.
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
      for (const size of [0, 1, 600 * 1024, 5 * 1048576 + 17]) {
        const pt = new Uint8Array(size).map((_, i) => (i * 29 + size) & 0xff);
        const key = `0x${suiteId.toString(16)} ${size} B`;
        try {
          const viaWorker = await m.esdkEncrypt(pt, opts);
          check(`${key}: worker-signed, read in place`, same(syncDecrypt(viaWorker, opts), pt));
          const inPlace = syncEncrypt(pt, opts);
          check(`${key}: signed in place, read by the worker`, same((await m.esdkDecrypt(inPlace, opts)).plaintext, pt));
          const streamedCt = await streamed(new m.EsdkEncryptor(opts), pt);
          check(`${key}: streams both ways`, same(syncDecrypt(streamedCt, opts), pt) && same(await streamed(new m.EsdkDecryptor(opts), streamedCt), pt));
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
      check("sync finish after async updates", !workersAllowed && same(syncDecrypt(ct, { keyrings }), new Uint8Array(1000)), "finished synchronously");
    } catch (err) {
      check("sync finish after async updates", workersAllowed && err.code === "InvalidInput" && /Promise-returning/.test(err.message), `${err.code}: ${err.message}`);
    }
    return { out, workers: window.blobWorkers, digests: window.digests };
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
  console.log(`ESDK signature hash on ${pageName}: ${outcomes.out.length} checks over 3 signing suites, ${outcomes.workers} worker(s) started, ${outcomes.digests} digests from workers`);
  assert.deepEqual(problems.foreign, []);
  // The CSP report of the blocked worker is the expected fallback, not a page error.
  assert.deepEqual(problems.pageErrors, []);
  await context.close();
});
