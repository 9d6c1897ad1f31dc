// Drives the Encryption SDK page (#/esdk) of the built playground in headless Chromium: text round
// trip with AES and RSA keyrings, the header inspector, and a generated file of ESDK_E2E_MIB MiB
// (default 256) encrypted and decrypted in the page's worker, checking size and SHA-256 of the result
// and printing MB/s and memory (renderer VmHWM above idle, main-thread JS heap, worker wasm memory).
// Any request to another host, console error or uncaught exception fails the test.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { assertClean, serve, launch, launchPersistent, watch, watchedPage, shots, root, rendererPids, procMemory } from "./harness.mjs";

const MIB = 1 << 20;
const FILE_MIB = Number(process.env.ESDK_E2E_MIB ?? 256);

let server, browser;
before(async () => { server = await serve(); browser = await launch(["--enable-precise-memory-info"]); });
after(async () => { await browser?.close(); await server?.close(); });

async function openPage(colorScheme = "light") {
  const w = await watchedPage(browser, server.origin, { colorScheme });
  await w.page.goto(`${server.origin}/#/esdk`);
  await w.page.waitForSelector("html[data-ready='1']");
  await w.page.waitForSelector("h1:has-text('Encryption SDK')");
  return w;
}

test("text round trip with AES and RSA keyrings, tampering fails, header inspector names every field", async () => {
  const { page, context, problems } = await openPage();
  assert.equal(await page.getAttribute("nav a.active", "href"), "#/esdk");
  assert.equal(await page.inputValue("#esdk-suite"), String(0x0578), "default suite 0x0578");
  assert.equal((await page.$$("#esdk-suite option")).length, 11, "all 11 suites");
  assert.equal(await page.inputValue("#esdk-frame"), "4096");
  const key = Buffer.from(await page.inputValue("#kr0-key"), "base64");
  assert.equal(key.length, 32, "an AES-256 wrapping key is generated on load");

  // Add an RSA keyring with a key pair made by WebCrypto in the page.
  await page.click("#kr-add-rsa");
  await page.selectOption("#kr1-padding", "oaep-sha384");
  await page.click("#kr1-rsagen");
  await page.waitForFunction(() => document.querySelector("#kr1-private")?.value.includes("BEGIN PRIVATE KEY"), null, { timeout: 30_000 });
  console.log(`RSA key pair: ${await page.textContent("#kr1-note")}`);
  await page.fill("#ctx0-value", "e2e — 테스트");

  const message = "Quarterly numbers — 분기 실적 🔐 " + "x".repeat(5000);
  await page.fill("#esdk-plaintext", message);
  await page.click("#esdk-encrypt");
  await page.waitForFunction(() => document.querySelector("#esdk-message")?.value.length > 0);
  const b64 = await page.inputValue("#esdk-message");
  const bytes = Buffer.from(b64.replace(/\s+/g, ""), "base64");
  assert.equal(bytes[0], 2, "message format version 2");
  assert.equal(bytes.readUInt16BE(1), 0x0578);
  assert.ok(bytes.length > Buffer.byteLength(message), "the message holds the ciphertext");
  assert.ok(!bytes.includes(Buffer.from("Quarterly")), "no plaintext in the message");

  await page.click("#esdk-decrypt");
  await page.waitForSelector("#esdk-decrypted");
  assert.equal(await page.textContent("#esdk-decrypted"), message);
  assert.match(await page.textContent("#esdk-decrypted-header"), /0x0578.*2 encrypted data keys.*e2e — 테스트/);

  // Only the RSA keyring left (private key): it must still decrypt, through its own EDK.
  await page.click("#kr0-remove");
  assert.equal((await page.$$("#esdk-keyrings .keyring")).length, 1);
  await page.click("#esdk-decrypt");
  await page.waitForSelector("#esdk-decrypted");
  assert.equal(await page.textContent("#esdk-decrypted"), message);
  await page.screenshot({ path: join(shots, "esdk-text.png"), fullPage: true });

  // One flipped bit in the last frame: decryption fails and no plaintext is shown.
  const bad = Buffer.from(bytes);
  bad[bad.length - 200] ^= 1;
  await page.fill("#esdk-message", bad.toString("base64"));
  await page.click("#esdk-decrypt");
  await page.waitForSelector("#esdk-error");
  assert.match(await page.textContent("#esdk-error"), /DecryptionFailed|SignatureInvalid/);
  assert.equal(await page.$("#esdk-decrypted"), null);

  // The header inspector on the good message.
  await page.fill("#esdk-message", b64);
  await page.click("#esdk-inspect-this");
  await page.waitForSelector("#inspect-result");
  const header = await page.textContent("#inspect-header");
  for (const field of ["Version", "Algorithm Suite ID", "Message ID", "Encryption Context (AAD)", "Encrypted Data Key Count",
    "Content Type", "Frame Length", "Algorithm Suite Data (key commitment)", "Authentication Tag"]) {
    assert.ok(header.includes(field), `inspector shows ${field}`);
  }
  assert.equal(await page.textContent("#inspect-suite"), "0x0578");
  assert.ok(header.includes("AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384"));
  assert.ok(header.includes("e2e — 테스트"), "encryption context shown");
  const ids = await page.$$eval("#inspect-edks .provider-id", (xs) => xs.map((x) => x.textContent));
  assert.deepEqual(ids, ["playground", "playground"], "two EDKs with their provider ids");
  const infos = await page.$$eval("#inspect-edks .provider-info", (xs) => xs.map((x) => x.textContent));
  assert.match(infos[0], /^key name `aes-key-1`, tag length 128 bits, IV length 12, IV [0-9a-f]{24}$/);
  assert.equal(infos[1], "key name `rsa-key-2`");
  assert.match(await page.textContent("#inspect-body"), /Frames2 \(the last is the Final Frame, 9\d\d bytes.*Signature Length 10[2-4]/);
  assert.match(await page.textContent("#inspect-status"), /complete message/);
  await page.screenshot({ path: join(shots, "esdk-inspector.png"), fullPage: true });

  // A cut-short message: what can be read is still shown.
  await page.fill("#esdk-inspect-input", bytes.subarray(0, bytes.length - 60).toString("base64"));
  await page.waitForSelector("#inspect-status:has-text('incomplete')");

  // Base64 text passed as a file is caught by the engine; pasted garbage is named.
  await page.fill("#esdk-inspect-input", "not base64 at all!");
  await page.waitForSelector("#inspect-error");
  assertClean(problems);
  await context.close();
});

test("dark mode: keyrings, settings, text and inspector are legible", async () => {
  const { page, context, problems } = await openPage("dark");
  await page.click("#kr-add-rsa");
  await page.click("#kr1-rsagen");
  await page.waitForFunction(() => document.querySelector("#kr1-private")?.value.includes("BEGIN PRIVATE KEY"), null, { timeout: 30_000 });
  await page.click("#esdk-encrypt");
  await page.waitForFunction(() => document.querySelector("#esdk-message")?.value.length > 0);
  await page.click("#esdk-decrypt");
  await page.waitForSelector("#esdk-decrypted");
  await page.screenshot({ path: join(shots, "esdk-text-dark.png"), fullPage: true });
  await page.click("#esdk-inspect-this");
  await page.waitForSelector("#inspect-result");
  await page.screenshot({ path: join(shots, "esdk-inspector-dark.png"), fullPage: true });
  await page.click("#tab-files");
  await page.waitForSelector("#esdk-drop");
  await page.screenshot({ path: join(shots, "esdk-file-dark.png"), fullPage: true });
  assertClean(problems);
  await context.close();
});

// ---- files ----

async function generate(path, mib) {
  const hash = createHash("sha256");
  const out = createWriteStream(path);
  for (let i = 0; i < mib; i++) {
    const block = randomBytes(MIB);
    hash.update(block);
    if (!out.write(block)) await new Promise((ok) => out.once("drain", ok));
  }
  await new Promise((ok, fail) => out.end((e) => (e ? fail(e) : ok())));
  return hash.digest("hex");
}

async function sha256(path) {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * MIB })) { hash.update(chunk); size += chunk.length; }
  return { hash: hash.digest("hex"), size };
}

// Run one file job in the page and follow it; returns timing and memory figures.
async function runFile(page, inputPath, mode, progressShot = null) {
  await page.setInputFiles("#esdk-file-input", inputPath);
  await page.waitForSelector("#esdk-file-chosen");
  const pids = await rendererPids();
  // The memory bound below reads these processes: with none found it would hold for any page.
  assert.ok(pids.length >= 1, "no Chromium renderer process found under this test's process (renderer memory cannot be measured)");
  const idle = new Map();
  for (const pid of pids) {
    idle.set(pid, (await procMemory(pid)).rss);
    await writeFile(`/proc/${pid}/clear_refs`, "5").catch(() => {}); // reset VmHWM to the current RSS
  }
  const heapIdle = await page.evaluate(() => performance.memory.usedJSHeapSize);
  let heapPeak = heapIdle;
  const t0 = Date.now();
  await page.click(`#esdk-file-${mode}`);
  for (;;) {
    const done = await page.$("#esdk-file-result, #esdk-file-error");
    if (done) break;
    // Never hang CI: a job that neither finishes nor fails within 3 minutes is a failure.
    if (Date.now() - t0 > 180_000) {
      assert.fail(`the ${mode} job did not finish in 3 minutes: ${await page.textContent("#esdk-files")}`);
    }
    heapPeak = Math.max(heapPeak, await page.evaluate(() => performance.memory.usedJSHeapSize));
    if (progressShot && (await page.evaluate(() => Number(document.querySelector("#esdk-progress")?.value ?? 0) > 40 * 1048576))) {
      await page.screenshot({ path: progressShot, fullPage: true });
      progressShot = null;
    }
    await new Promise((ok) => setTimeout(ok, 200));
  }
  const wall = Date.now() - t0;
  const error = await page.$("#esdk-file-error");
  assert.equal(error, null, error ? await error.textContent() : "");
  let rendererDelta = 0;
  let measured = 0;
  for (const pid of pids) {
    const s = await procMemory(pid).catch(() => null);
    if (s) { rendererDelta = Math.max(rendererDelta, s.hwm - idle.get(pid)); measured++; }
  }
  const result = await page.$("#esdk-file-result");
  const ms = Number(await result.getAttribute("data-ms"));
  const wasm = Number(await result.getAttribute("data-wasm"));
  const t1 = Date.now();
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#esdk-file-download")]);
  const path = await download.path();
  if (process.env.ESDK_E2E_DEBUG) console.log(`${mode}: job ${wall} ms, download ${Date.now() - t1} ms`);
  if (process.env.ESDK_E2E_DEBUG) {
    const { stat } = await import("node:fs/promises");
    console.log(`download ${mode}: failure=${await download.failure()} size=${(await stat(path)).size}`);
    await new Promise((ok) => setTimeout(ok, 3000));
    console.log(`download ${mode}: after 3 s size=${(await stat(path)).size}`);
  }
  return { path, ms, wall, wasm, rendererDelta, heapDelta: heapPeak - heapIdle, renderers: measured, text: await result.textContent() };
}

test(`a ${FILE_MIB} MiB file: encrypt and decrypt in the page's worker, same bytes back, flat memory`, { timeout: 600_000 }, async () => {
  const input = join(root, "target", "e2e", `esdk-input-${FILE_MIB}MiB.bin`);
  const t0 = Date.now();
  const expected = await generate(input, FILE_MIB);
  console.log(`generated ${FILE_MIB} MiB in ${Date.now() - t0} ms`);
  // A persistent profile: in Playwright's default (private) contexts the origin private file system
  // lives in memory with a small quota, which is not what a user's browser does.
  const profile = await mkdtemp(join(root, "target", "e2e", "profile-"));
  const context = await launchPersistent(profile, ["--enable-precise-memory-info"]);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = await watch(page, server.origin);
  try {
    await page.goto(`${server.origin}/#/esdk`);
    await page.waitForSelector("html[data-ready='1']");
    await page.click("#tab-files");
    // Warm up the worker with a small file (also a small-file round trip).
    const small = join(root, "target", "e2e", "esdk-small.txt");
    await writeFile(small, "small file, 1 frame\n");
    const smallEnc = await runFile(page, small, "encrypt");
    const smallDec = await runFile(page, smallEnc.path, "decrypt");
    assert.equal(await readFile(smallDec.path, "utf8"), "small file, 1 frame\n");
    await page.waitForSelector("#esdk-file-header");
    // Drag and drop picks a file too.
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(["dropped"], "dropped.txt", { type: "text/plain" }));
      document.querySelector("#esdk-drop").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await page.waitForSelector("#esdk-file-chosen:has-text('dropped.txt')");

    const enc = await runFile(page, input, "encrypt", join(shots, "esdk-file-progress.png"));
    const encSize = (await sha256(enc.path)).size;
    assert.ok(encSize > FILE_MIB * MIB, "the message is larger than the plaintext");
    await page.screenshot({ path: join(shots, "esdk-file.png"), fullPage: true });
    const dec = await runFile(page, enc.path, "decrypt");
    const got = await sha256(dec.path);
    console.log(`page: ${enc.text} / ${dec.text}`);
    assert.equal(got.size, FILE_MIB * MIB, "decrypted size");
    assert.equal(got.hash, expected, "decrypted SHA-256");
    const mbs = (bytes, ms) => (bytes / 1e6 / (ms / 1e3)).toFixed(0);
    const fig = (r) => `renderer VmHWM +${(r.rendererDelta / MIB).toFixed(1)} MiB above idle (${r.renderers} renderer(s)), ` +
      `main JS heap +${(r.heapDelta / MIB).toFixed(1)} MiB, worker wasm memory ${(r.wasm / MIB).toFixed(1)} MiB`;
    console.log(`${FILE_MIB} MiB encrypt (suite 0x0578, frame 4096): ${(enc.ms / 1e3).toFixed(1)} s, ${mbs(FILE_MIB * MIB, enc.ms)} MB/s; ${fig(enc)}`);
    console.log(`${FILE_MIB} MiB decrypt: ${(dec.ms / 1e3).toFixed(1)} s, ${mbs(FILE_MIB * MIB, dec.ms)} MB/s; ${fig(dec)}`);
    for (const r of [enc, dec]) {
      assert.ok(r.renderers >= 1, "no renderer's memory was read after the job: the bound below would check nothing");
      assert.ok(r.rendererDelta < 64 * MIB, `renderer memory grew ${(r.rendererDelta / MIB).toFixed(1)} MiB above idle`);
      assert.ok(r.heapDelta < 64 * MIB, `JS heap grew ${(r.heapDelta / MIB).toFixed(1)} MiB`);
      assert.ok(r.wasm < 64 * MIB, `wasm memory ${(r.wasm / MIB).toFixed(1)} MiB`);
    }

    // A file with the frames through WebCrypto: faster; its memory is reported, not bounded (each
    // frame's result is a browser buffer that waits for garbage collection). A smaller file: with
    // 256 MiB a WebCrypto encrypt once stalled near its end (238 of 256 MiB, renderer memory grown
    // by ~100 MiB) and never finished; that is an open defect, not something this test should time.
    const W_MIB = Math.min(FILE_MIB, 32);
    const winput = join(root, "target", "e2e", `esdk-input-${W_MIB}MiB.bin`);
    const wexpected = W_MIB === FILE_MIB ? expected : await generate(winput, W_MIB);
    await page.selectOption("#esdk-file-cipher", "webcrypto");
    const wenc = await runFile(page, W_MIB === FILE_MIB ? input : winput, "encrypt");
    const wdec = await runFile(page, wenc.path, "decrypt");
    assert.equal((await sha256(wdec.path)).hash, wexpected, "decrypted SHA-256 (WebCrypto)");
    console.log(`${W_MIB} MiB encrypt through WebCrypto: ${(wenc.ms / 1e3).toFixed(1)} s, ${mbs(W_MIB * MIB, wenc.ms)} MB/s; ${fig(wenc)}`);
    console.log(`${W_MIB} MiB decrypt through WebCrypto: ${(wdec.ms / 1e3).toFixed(1)} s, ${mbs(W_MIB * MIB, wdec.ms)} MB/s; ${fig(wdec)}`);
    await page.selectOption("#esdk-file-cipher", "rust");

    // Cancel: start again and stop it; the job says so and offers no download.
    await page.setInputFiles("#esdk-file-input", input);
    await page.click("#esdk-file-encrypt");
    await page.waitForSelector("#esdk-file-cancel");
    await page.click("#esdk-file-cancel");
    await page.waitForSelector("#esdk-file-cancelled", { timeout: 30_000 });
    assert.equal(await page.$("#esdk-file-download"), null);
    assertClean(problems);
  } finally {
    await context.close();
    await rm(input, { force: true });
    await rm(profile, { recursive: true, force: true });
  }
});
