// The KeyStore class of the package in Node 20, where there is no IndexedDB: the store lives in
// memory for the life of the object, with the same formats, checks and errors as in a browser
// (the browser runs, on real IndexedDB, are tests/keystore_web.rs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as pkg from "../../pkg/secplay.js";

pkg.initSync({ module: readFileSync(new URL("../../pkg/secplay_bg.wasm", import.meta.url)) });

const key = new Uint8Array(32).map((_, i) => i * 7);
const rejects = async (p, code) => {
  await assert.rejects(p, (e) => {
    assert.equal(e.name, "SecplayError");
    assert.equal(e.code, code, e.message);
    return true;
  });
};

test("a new store takes its first passphrase, keeps records, and locks", async () => {
  const ks = await pkg.KeyStore.open("node-a");
  assert.equal(ks.isPersistent(), false, "Node has no IndexedDB: the store is in memory");
  assert.equal(ks.isUnlocked(), false);
  await rejects(ks.get("x"), "Locked");
  assert.deepEqual(await ks.unlock("first passphrase"), []);
  assert.equal(ks.isUnlocked(), true);
  await ks.put("esdk/aes", { kind: "raw-aes-keyring", name: "my key", data: key });
  const r = await ks.get("esdk/aes");
  assert.deepEqual([r.kind, r.name, r.data, r.version], ["raw-aes-keyring", "my key", key, 1]);
  assert.equal(typeof r.createdAt, "number");
  ks.lock();
  assert.equal(ks.isUnlocked(), false);
  const locked = await ks.list();
  assert.deepEqual(locked, [{ id: "esdk/aes", kind: "raw-aes-keyring", version: 1, setAside: false }], "names show while locked");
  await rejects(ks.unlock("not it"), "WrongPassphrase");
  await ks.unlock("first passphrase");
  const raw = await ks.rawRecord("esdk/aes");
  assert.equal(new TextDecoder().decode(raw.subarray(0, 4)), "SPKR");
  assert.ok(!Buffer.from(raw).includes(Buffer.from(key)), "the key is at rest in the clear");
});

test("backup into another store, merge then replace; change passphrase", async () => {
  const a = await pkg.KeyStore.open("node-b");
  await a.unlock("pass a");
  await a.put("k1", { kind: "raw-aes-keyring", name: "one", data: key });
  await a.put("w", { kind: "kms-world", name: "world", data: new Uint8Array([1, 2, 3]) });
  const backup = a.exportBackup();
  const b = await pkg.KeyStore.open("node-c");
  await b.unlock("pass b");
  await b.put("k1", { kind: "raw-aes-keyring", name: "other", data: new Uint8Array(32) });
  await rejects(b.importBackup(backup, "wrong", "merge"), "BadBackup");
  await rejects(b.importBackup(backup, "pass a", "upsert"), "InvalidInput");
  assert.deepEqual(await b.importBackup(backup, "pass a", "merge"), { added: ["w"], unchanged: [], conflicts: ["k1"], removed: [] });
  await b.importBackup(backup, "pass a", "replace");
  assert.deepEqual((await b.get("k1")).data, key);
  await rejects(b.changePassphrase("wrong", "new"), "WrongPassphrase");
  await b.changePassphrase("pass b", "new b");
  b.lock();
  await rejects(b.unlock("pass b"), "WrongPassphrase");
  await b.unlock("new b");
  assert.deepEqual((await b.get("w")).data, new Uint8Array([1, 2, 3]));
  await b.setAutoLockMinutes(1);
  assert.equal(b.autoLockMinutes(), 1);
  assert.equal(b.lockIfIdle(), false);
});

test("one call at a time, lock during a call, and the error codes a caller branches on", async () => {
  const ks = await pkg.KeyStore.open("node-d");
  const unlocking = ks.unlock("pass d");
  await rejects(ks.list(), "Busy");
  ks.lock();
  assert.equal(ks.isUnlocked(), false, "locked while the unlock still runs");
  assert.deepEqual(await unlocking, []);
  assert.equal(ks.isUnlocked(), false, "the lock asked for during the unlock held");
  await ks.unlock("pass d");
  await rejects(ks.get("nope"), "NotFound");
  await rejects(ks.unlock(""), "BadPassphrase");
  await rejects(ks.put("x", { kind: "Not A Kind", name: "x", data: key }), "InvalidInput");
  await ks.put("x", { kind: "raw-aes-keyring", name: "x", data: key });
  const backup = ks.exportBackup();
  const newer = backup.slice();
  newer[9] = 2;
  await rejects(ks.importBackup(newer, "pass d", "merge"), "VersionTooNew");
  const flipped = backup.slice();
  flipped[flipped.length - 1] ^= 1;
  await rejects(ks.importBackup(flipped, "pass d", "merge"), "BadBackup");
  assert.deepEqual(await ks.importBackup(backup, "pass d", "merge"), { added: [], unchanged: ["x"], conflicts: [], removed: [] });
  ks.lock();
  assert.throws(() => ks.exportBackup(), (e) => e.code === "Locked");
});

test("onchange takes a function or null; a store in memory is this object's alone, so it hears nothing", async () => {
  const a = await pkg.KeyStore.open("node-e");
  const b = await pkg.KeyStore.open("node-e");
  assert.equal(a.onchange, null);
  const heard = [];
  const f = (e) => heard.push(e.type);
  b.onchange = f;
  assert.equal(b.onchange, f);
  assert.throws(() => { b.onchange = "not a function"; }, (e) => e.code === "InvalidInput");
  assert.equal(b.onchange, f, "a refused listener leaves the old one");
  await a.unlock("pass e");
  await a.put("k", { kind: "raw-aes-keyring", name: "k", data: key });
  a.lock();
  await new Promise((ok) => setTimeout(ok, 50));
  assert.deepEqual(heard, [], "two stores in Node's memory share nothing");
  b.onchange = null;
  assert.equal(b.onchange, null);
});
