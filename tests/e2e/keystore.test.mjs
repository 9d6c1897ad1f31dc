// Drives the key store page (#/keys) in headless Chromium: create the store, generate and store a
// key, read IndexedDB with plain calls (no key, no passphrase at rest), reload, a wrong passphrase
// refused, unlock and the key is back (and the KMS page's world, the Encryption SDK page's keyrings
// and the envelope page's key pair); a backup made here restores in another browser profile (a
// fresh context). Prints the unlock time the page measured. Screenshots in target/e2e/keys*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readFile } from "node:fs/promises";
import { assertClean, serve, launch, watch, watchedPage, shots, dist } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const PASS = "correct horse battery staple";
// A document of the page's origin that is not the app (a secure context for the raw IndexedDB tests).
const BLANK = () => `${server.origin}/pkg/package.json`;
const status = (page, s) => page.waitForSelector(`#keys-status[data-status="${s}"]`, { timeout: 60_000 });

async function unlock(page, passphrase, times) {
  const timed = page.waitForEvent("console", { predicate: (m) => /key store unlocked in/.test(m.text()), timeout: 60_000 });
  await page.fill("#keys-passphrase", passphrase);
  await page.click("#keys-unlock");
  await status(page, "unlocked");
  const ms = Number(/in (\d+) ms/.exec((await timed).text())?.[1]);
  times?.push(ms);
}

// Every value in the page's IndexedDB, read with plain IndexedDB calls, as [store, key, bytes].
const rawIdb = (page) => page.evaluate(() => new Promise((resolve, reject) => {
  const req = indexedDB.open("secplay-keystore:secplay");
  req.onerror = () => reject(req.error);
  req.onsuccess = () => {
    const db = req.result, out = [];
    const tx = db.transaction(["meta", "keyrings", "worlds"], "readonly");
    for (const name of ["meta", "keyrings", "worlds"]) {
      const os = tx.objectStore(name), keys = os.getAllKeys(), values = os.getAll();
      values.onsuccess = () => keys.result.forEach((k, i) => out.push([name, String(k), Array.from(new Uint8Array(values.result[i]))]));
    }
    tx.oncomplete = () => { db.close(); resolve(out); };
  };
}));

// The version of the stored KMS world record (0: none yet).
async function worldVersion(page) {
  const row = (await rawIdb(page)).find(([store, key]) => store === "worlds" && key === "kms/world");
  if (!row) return 0;
  const b = Buffer.from(row[2]);
  return b.readUInt32BE(6 + b[5]);
}

async function waitFor(what, predicate) {
  for (let i = 0; i < 200; i++) {
    if (await predicate()) return;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  assert.fail(`gave up waiting for ${what}`);
}

test("key store page: create, store a key, reload, wrong passphrase, unlock, backup into another profile", async () => {
  const times = [];
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/keys`);
  await page.waitForSelector("html[data-ready='1']");
  assert.equal(await page.getAttribute("nav a.active", "href"), "#/keys");
  await status(page, "new");
  await unlock(page, PASS, times);

  await page.fill("#keys-new-name", "e2e key");
  await page.click("#keys-add");
  await page.waitForSelector('tr[data-id="aes/e2e key"]');
  assert.equal(await page.textContent('tr[data-id="aes/e2e key"] .keys-name'), "e2e key");

  // What is at rest: the raw bytes beside the decrypted metadata.
  await page.click('tr[data-id="aes/e2e key"] .keys-at-rest');
  await page.waitForSelector("#keys-decrypted");
  assert.match(await page.textContent("#keys-hex"), /^0000  53 50 4b 52 01/, "SPKR, format 1");
  assert.match(await page.textContent("#keys-decrypted"), /e2e key[\s\S]*32 bytes/);
  await page.screenshot({ path: join(shots, "keys.png"), fullPage: true });

  // The KMS page keeps its world in the unlocked store: a key created there is saved.
  await page.click('nav a[href="#/kms"]');
  await page.waitForSelector("#kms-operation");
  await waitFor("the first save of the KMS world", async () => (await worldVersion(page)) >= 1);
  await page.selectOption("#kms-operation", "CreateKey");
  await page.click("#kms-send");
  await page.waitForSelector("#kms-result");
  const arn = /"Arn": "(arn:aws:kms:[^"]+)"/.exec(await page.textContent("#kms-result"))?.[1];
  assert.ok(arn, "CreateKey answered with a key ARN");
  const saved = await worldVersion(page);
  await waitFor("the KMS world saved after CreateKey", async () => (await worldVersion(page)) > saved);
  // The Encryption SDK page saves its keyrings in the store.
  await page.click('nav a[href="#/esdk"]');
  await page.waitForSelector("#kr-save");
  const aesKey = await page.inputValue("#kr0-key");
  await page.click("#kr-save");
  await page.waitForSelector('#kr-stored:text("Saved 1 keyring")');

  // The envelope page saves its RSA key pair in the store.
  await page.click('nav a[href="#/envelope"]');
  await page.click("#keygen");
  await page.waitForSelector('#key-status:text("generated with WebCrypto")');
  const publicPem = await page.textContent("pre.pem");
  await page.click("#key-save");
  await page.waitForSelector('#key-stored:text("saved in the key store")');
  await page.click('nav a[href="#/keys"]');
  await status(page, "unlocked");

  // Plain IndexedDB: a record, the manifest and the settings; no passphrase, no name in the clear.
  const rows = await rawIdb(page);
  assert.deepEqual(rows.map(([s, k]) => `${s}/${k}`).sort(), ["keyrings/aes/e2e key", "keyrings/envelope/rsa", "keyrings/esdk/keyrings", "meta/manifest", "meta/settings", "worlds/kms/world"]);
  const all = Buffer.from(rows.flatMap(([, , b]) => b));
  assert.ok(!all.includes(Buffer.from(PASS)), "the passphrase is at rest");
  assert.ok(!all.includes(Buffer.from("e2e key")), "the record's name is at rest in the clear");
  assert.ok(!all.includes(Buffer.from(aesKey)), "the ESDK page's AES key is at rest in base64");
  assert.ok(!all.includes(Buffer.from(aesKey, "base64")), "the ESDK page's AES key is at rest");

  // Reload: locked, ids and kinds still listed, names not.
  await page.reload();
  await status(page, "locked");
  assert.equal(await page.textContent('tr[data-id="aes/e2e key"] .keys-name'), "(locked)");
  await page.fill("#keys-passphrase", "not the passphrase");
  await page.click("#keys-unlock");
  await page.waitForSelector("#keys-error");
  assert.match(await page.textContent("#keys-error"), /^WrongPassphrase/);
  await status(page, "locked");
  await unlock(page, PASS, times);
  await page.waitForSelector('tr[data-id="aes/e2e key"] .keys-name:text("e2e key")');
  await page.click('nav a[href="#/kms"]');
  await page.waitForSelector(`tr[data-key="${arn}"]`);
  await page.click('nav a[href="#/esdk"]');
  await page.waitForSelector("#kr-load");
  assert.notEqual(await page.inputValue("#kr0-key"), aesKey, "a reloaded page starts with a fresh key");
  await page.click("#kr-load");
  await page.waitForSelector('#kr-stored:text("Loaded 1 keyring")');
  assert.equal(await page.inputValue("#kr0-key"), aesKey);
  await page.click('nav a[href="#/envelope"]');
  await page.click("#key-load");
  await page.waitForSelector('#key-status:text("loaded from the key store")');
  assert.equal(await page.textContent("pre.pem"), publicPem, "the same key pair is back");
  await page.click('nav a[href="#/keys"]');
  await status(page, "unlocked");

  // A backup, downloaded.
  await page.click("#keys-backup-make");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#keys-backup-link")]);
  const backup = await readFile(await download.path());
  assert.equal(backup.subarray(0, 8).toString(), "SPKSBKUP");
  assert.ok(!backup.includes(Buffer.from("e2e key")), "the backup holds the name in the clear");

  // Lock now.
  await page.click("#keys-lock");
  await status(page, "locked");
  assertClean(problems);
  await context.close();

  // Another profile (a fresh context, its own IndexedDB): a new store, the backup merged in.
  const other = await watchedPage(browser, server.origin);
  await other.page.goto(`${server.origin}/#/keys`);
  await status(other.page, "new");
  await unlock(other.page, "another passphrase", times);
  await other.page.fill("#keys-backup-pass", PASS);
  await other.page.setInputFiles("#keys-restore", { name: "secplay.keystore-backup", mimeType: "application/octet-stream", buffer: backup });
  await other.page.waitForSelector("#keys-import-report");
  assert.match(await other.page.textContent("#keys-import-report"), /added\s*aes\/e2e key/);
  await other.page.waitForSelector('tr[data-id="aes/e2e key"] .keys-name:text("e2e key")');
  await other.page.screenshot({ path: join(shots, "keys-restored.png"), fullPage: true });
  assertClean(other.problems);
  await other.context.close();
  console.log(`key store unlock in Chromium (PBKDF2-SHA-256, 600,000 iterations): ${times.join(", ")} ms`);
});

// Two pages of one browser context share the store's IndexedDB database; what one does shows in
// the other through the store's BroadcastChannel ("changed"/"locked", nothing secret).
test("key store page in two tabs: create, put, lock, change passphrase and delete show in the other", async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 860 } });
  const [a, b] = [await context.newPage(), await context.newPage()];
  const problems = [await watch(a, server.origin), await watch(b, server.origin)];
  const messages = [];
  for (const p of [a, b]) p.on("console", (m) => messages.push(m.text()));
  for (const p of [a, b]) {
    await p.goto(`${server.origin}/#/keys`);
    await status(p, "new");
  }
  // Created in A: B, still open, now sees a locked store.
  await unlock(a, PASS);
  await status(b, "locked");
  await unlock(b, PASS);

  // A put in A appears in B, names and all.
  await a.fill("#keys-new-name", "tab key");
  await a.click("#keys-add");
  await b.waitForSelector('tr[data-id="aes/tab key"] .keys-name:text("tab key")');
  assert.match(await b.textContent("#keys-notice"), /Changed in another tab/);
  // A delete in B disappears from A.
  await b.click('tr[data-id="aes/tab key"] .keys-delete');
  await a.waitForSelector('tr[data-id="aes/tab key"]', { state: "detached" });

  // Lock in A: B is locked too, names gone.
  await a.fill("#keys-new-name", "second key");
  await a.click("#keys-add");
  await b.waitForSelector('tr[data-id="aes/second key"] .keys-name:text("second key")');
  await a.click("#keys-lock");
  await status(b, "locked");
  assert.equal(await b.textContent('tr[data-id="aes/second key"] .keys-name'), "(locked)");
  assert.match(await b.textContent("#keys-notice"), /Locked in another tab/);

  // The passphrase changed in B: A's key no longer opens the store, so A locks; the new one opens it.
  await unlock(a, PASS);
  await unlock(b, PASS);
  await b.fill("#keys-old", PASS);
  await b.fill("#keys-new", "a new passphrase");
  await b.fill("#keys-again", "a new passphrase");
  await b.click("#keys-change");
  await b.waitForSelector('#keys-notice:text("Passphrase changed")');
  await status(a, "locked");
  await a.fill("#keys-passphrase", PASS);
  await a.click("#keys-unlock");
  await a.waitForSelector("#keys-error");
  assert.match(await a.textContent("#keys-error"), /^WrongPassphrase/);
  await unlock(a, "a new passphrase");
  await a.waitForSelector('tr[data-id="aes/second key"] .keys-name:text("second key")');

  // The database deleted (as when site data is cleared) while both are open: neither blocks the
  // deletion, both say so, and A, still unlocked, can still make a backup from its memory.
  const deleted = await b.evaluate(() => new Promise((resolve) => {
    const req = indexedDB.deleteDatabase("secplay-keystore:secplay");
    req.onsuccess = () => resolve("deleted");
    req.onblocked = () => resolve("blocked");
    req.onerror = () => resolve(String(req.error));
  }));
  assert.equal(deleted, "deleted", "an open tab blocked the deletion");
  for (const p of [a, b]) await p.waitForSelector('#keys-problem[data-problem="deleted"]');
  assert.match(await a.textContent("#keys-problem"), /make a backup below now/);
  await a.screenshot({ path: join(shots, "keys-deleted.png"), fullPage: true });
  await a.click("#keys-backup-make");
  await a.waitForSelector("#keys-backup-link");
  await b.fill("#keys-new-name", "after the deletion");
  await b.click("#keys-add");
  await b.waitForSelector("#keys-error");
  assert.match(await b.textContent("#keys-error"), /^Deleted/, "a call after the deletion writes nothing");
  for (const p of problems) assertClean(p);
  assert.ok(!messages.some((m) => m.includes(PASS) || m.includes("a new passphrase")), "a passphrase was logged");
  await context.close();
});

test("key store page: another tab's upgrade is not blocked by this one, and this one says so", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/keys`);
  await status(page, "new");
  await unlock(page, PASS);
  // A newer secplay in another tab opens the database at a higher version.
  const other = await context.newPage();
  await other.goto(BLANK());
  const opened = await other.evaluate(() => new Promise((resolve) => {
    const req = indexedDB.open("secplay-keystore:secplay", 2);
    req.onsuccess = () => { const v = req.result.version; req.result.close(); resolve(v); };
    req.onblocked = () => resolve("blocked");
    req.onerror = () => resolve(String(req.error));
  }));
  assert.equal(opened, 2, "the open page blocked the upgrade");
  await page.waitForSelector('#keys-problem[data-problem="upgraded"]');
  assert.match(await page.textContent("#keys-problem"), /Reload this page/);
  // Reloaded, this (older) secplay refuses the newer database rather than misreading it.
  await page.reload();
  await page.waitForSelector("#keys-error");
  assert.match(await page.textContent("#keys-error"), /^VersionTooNew/);
  assertClean(problems);
  await context.close();
});

// The page's own schema is version 1, so no real page can be an older version holding it: the
// blocked path is driven here through the key store's IndexedDB module itself (the file the page
// and the package load), with a plain connection that, like an old tab, never lets go.
test("key store IndexedDB module: blocked by a connection that will not close, refused at once, nothing leaked", async () => {
  const { readdir } = await import("node:fs/promises");
  const snippets = join(dist, "pkg", "snippets");
  const dir = (await readdir(snippets)).find((d) => d.startsWith("secplay-"));
  assert.ok(dir, "no snippets of the package in dist/pkg");
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await page.goto(BLANK());
  const result = await page.evaluate(async (url) => {
    const idb = await import(url);
    const old = await new Promise((ok) => { const r = indexedDB.open("blk", 1); r.onsuccess = () => ok(r.result); });
    const closedEvents = [];
    const blocked = await idb.idbOpen("blk", 2, [[1, "meta"], [2, "keyrings"]], (why) => closedEvents.push(why))
      .then(() => "opened", (e) => e.name);
    old.close();
    // The refused request completes once the old connection is gone; its connection must be closed
    // unused, or it would block the next upgrade.
    await new Promise((ok) => setTimeout(ok, 200));
    const next = await idb.idbOpen("blk", 3, [[3, "worlds"]], () => {}).then((db) => { const v = db.version; idb.idbClose(db); return v; }, (e) => e.name);
    return { blocked, next, closedEvents };
  }, `/pkg/snippets/${dir}/src/web/keystore_idb.js`);
  assert.deepEqual(result, { blocked: "Blocked", next: 3, closedEvents: [] });
  assertClean(problems);
  await context.close();
});

// The package's KeyStore in two pages: `onchange` hears the other page's put and lock.
test("KeyStore (package) in two pages: onchange hears changed and locked", async () => {
  const context = await browser.newContext();
  const pages = [await context.newPage(), await context.newPage()];
  const problems = [];
  for (const p of pages) {
    problems.push(await watch(p, server.origin));
    await p.goto(BLANK());
    await p.evaluate(async () => {
      const m = await import("/pkg/secplay.js");
      await m.default({ module_or_path: "/pkg/secplay_bg.wasm" });
      window.ks = await m.KeyStore.open("js-tabs");
      window.events = [];
      window.ks.onchange = (e) => window.events.push(e.type);
    });
  }
  const [a, b] = pages;
  const events = (p, n) => p.waitForFunction((k) => window.events.length >= k, n).then(() => p.evaluate(() => window.events.splice(0)));
  await a.evaluate(() => ks.unlock("js passphrase"));
  assert.deepEqual(await events(b, 1), ["changed"], "creating the store is a change");
  await b.evaluate(() => ks.unlock("js passphrase"));
  await a.evaluate(() => ks.put("k1", { kind: "raw-aes-keyring", name: "one", data: new Uint8Array(32).fill(7) }));
  assert.deepEqual(await events(b, 1), ["changed"]);
  const got = await b.evaluate(async () => { const r = await ks.get("k1"); return [r.name, Array.from(r.data)]; });
  assert.deepEqual(got, ["one", Array(32).fill(7)]);
  await a.evaluate(() => ks.lock());
  assert.deepEqual(await events(b, 1), ["locked"]);
  assert.equal(await b.evaluate(() => ks.isUnlocked()), false);
  assert.equal(await b.evaluate(() => ks.get("k1").then(() => "read", (e) => e.code)), "Locked");
  assert.deepEqual(await a.evaluate(() => window.events), [], "a tab does not hear itself");
  for (const p of problems) assertClean(p);
  await context.close();
});

// A kept KMS world that does not read (here: one byte of it flipped at rest) is reported on the KMS
// page, and the page's fresh world is never saved over it.
test("KMS page: a kept world that does not read is reported and never overwritten", async () => {
  const { page, context, problems } = await watchedPage(browser, server.origin);
  await page.goto(`${server.origin}/#/keys`);
  await status(page, "new");
  await unlock(page, PASS);
  await page.click('nav a[href="#/kms"]');
  await page.waitForSelector("#kms-operation");
  await waitFor("the first save of the KMS world", async () => (await worldVersion(page)) >= 1);
  const flipped = await page.evaluate(() => new Promise((resolve, reject) => {
    const req = indexedDB.open("secplay-keystore:secplay");
    req.onsuccess = () => {
      const db = req.result, tx = db.transaction("worlds", "readwrite"), os = tx.objectStore("worlds");
      const get = os.get("kms/world");
      get.onsuccess = () => {
        const b = new Uint8Array(get.result);
        b[b.length - 1] ^= 1;
        os.put(b, "kms/world");
      };
      tx.oncomplete = () => { db.close(); resolve(true); };
      tx.onerror = () => reject(tx.error);
    };
  }));
  assert.ok(flipped);
  const before = (await rawIdb(page)).find(([s, k]) => s === "worlds" && k === "kms/world")[2];
  await page.click('nav a[href="#/keys"]');
  await page.reload();
  await status(page, "locked");
  await unlock(page, PASS);
  await page.waitForSelector('#keys-issues:has-text("kms/world")');
  await page.click('nav a[href="#/kms"]');
  await page.waitForSelector('#kms-kept-problem[data-problem="unreadable"]');
  assert.match(await page.textContent("#kms-kept-problem"), /RecordCorrupted[\s\S]*Nothing was overwritten/);
  await page.selectOption("#kms-operation", "CreateKey");
  await page.click("#kms-send");
  await page.waitForSelector("#kms-result");
  await new Promise((ok) => setTimeout(ok, 2_500));
  const after = (await rawIdb(page)).find(([s, k]) => s === "worlds" && k === "kms/world")[2];
  assert.deepEqual(after, before, "the page saved its fresh world over the kept one");
  await page.screenshot({ path: join(shots, "kms-kept-unreadable.png"), fullPage: true });
  assertClean(problems);
  await context.close();
});
