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
