// IndexedDB and WebCrypto PBKDF2 for the key store (src/web/keystore_idb.rs), as promises.
// I/O only: which bytes to write, and what they mean, is decided in Rust.

const fail = (name, message) => Object.assign(new Error(message), { name });
const errorOf = (e, fallback) =>
  e ? fail(e.name || fallback, e.message || String(e)) : fail(fallback, "the transaction was aborted");

// Opens (creating or upgrading) the database. `steps` is [[version, storeName], …]: every store of
// a version above the database's own is created in `upgradeneeded`, in one versionchange
// transaction (an upgrade that fails leaves the old version in place).
// `onClosed(reason)` (optional) hears when the open connection is taken away: "upgraded" (another
// tab opens a newer version: this connection closes at once so that tab is not blocked) or
// "deleted" (deleteDatabase from another tab, or the browser closed it: site data cleared).
// Blocked (an old tab keeps an older version open and does not let go) is refused at once; if
// the old tab lets go later, the connection that then opens is closed unused.
export function idbOpen(name, version, steps, onClosed) {
  return new Promise((resolve, reject) => {
    const idb = globalThis.indexedDB;
    if (!idb) return reject(fail("Unavailable", "IndexedDB is not available here"));
    let req, settled = false;
    try {
      req = idb.open(name, version);
    } catch (e) {
      return reject(errorOf(e, "OpenFailed"));
    }
    req.onupgradeneeded = (ev) => {
      const db = req.result;
      for (const [v, store] of steps) {
        if (v > ev.oldVersion && !db.objectStoreNames.contains(store)) db.createObjectStore(store);
      }
    };
    req.onblocked = () => {
      if (settled) return;
      settled = true;
      reject(fail("Blocked", "another tab keeps the database open with an older version"));
    };
    req.onerror = () => {
      if (settled) return;
      settled = true;
      reject(errorOf(req.error, "OpenFailed"));
    };
    req.onsuccess = () => {
      const db = req.result;
      if (settled) { db.close(); return; }
      settled = true;
      const closed = (reason) => {
        if (db.__secplayClosed) return;
        db.__secplayClosed = reason;
        if (typeof onClosed === "function") onClosed(reason);
      };
      // Another tab upgrades or deletes the database: let it, and fail later calls clearly.
      db.onversionchange = (ev) => { db.close(); closed(ev.newVersion === null ? "deleted" : "upgraded"); };
      db.onclose = () => closed("deleted");
      resolve(db);
    };
  });
}

export function idbClose(db) {
  db.__secplayClosed = "closed";
  db.close();
}

function transaction(db, stores, mode) {
  if (db.__secplayClosed === "upgraded") throw fail("Upgraded", "another tab opened the database with a newer version");
  if (db.__secplayClosed) throw fail("Closed", "the database was closed (deleted, or site data cleared)");
  try {
    return db.transaction(stores, mode, { durability: "strict" });
  } catch (e) {
    throw errorOf(e, "Closed");
  }
}

// Every [store, key, bytes] of `stores`, read in one transaction.
export function idbLoad(db, stores) {
  return new Promise((resolve, reject) => {
    let tx;
    try { tx = transaction(db, stores, "readonly"); } catch (e) { return reject(e); }
    const out = [];
    for (const store of stores) {
      const os = tx.objectStore(store);
      const keys = os.getAllKeys();
      const values = os.getAll();
      values.onsuccess = () => {
        keys.result.forEach((k, i) => out.push([store, String(k), new Uint8Array(values.result[i])]));
      };
    }
    tx.oncomplete = () => resolve(out);
    tx.onerror = () => reject(errorOf(tx.error, "ReadFailed"));
    tx.onabort = () => reject(errorOf(tx.error, "ReadFailed"));
  });
}

// Applies ops ([1, store, key, bytes] puts and [0, store, key] deletes) in one readwrite
// transaction: all land or none. `expect` ([store, key, bytes or null], or null) is read first in
// the same transaction: if the value at rest is not exactly those bytes, nothing is written and the
// promise rejects with "Stale" (another tab wrote meanwhile). `interruptAfter` (>= 0) aborts the
// real transaction after that many ops; `forceQuota` aborts it and reports QuotaExceededError
// (tests of both faults).
export function idbCommit(db, stores, ops, interruptAfter, forceQuota, expect) {
  return new Promise((resolve, reject) => {
    let tx;
    try { tx = transaction(db, stores, "readwrite"); } catch (e) { return reject(e); }
    let forced = null;
    tx.oncomplete = () => resolve();
    tx.onerror = (ev) => ev.preventDefault();
    tx.onabort = () => reject(forced || errorOf(tx.error, "AbortError"));
    const abort = (e) => {
      forced = forced || errorOf(e, "WriteFailed");
      try { tx.abort(); } catch { reject(forced); }
    };
    const apply = () => {
      try {
        ops.forEach(([put, store, key, bytes], i) => {
          if (i === interruptAfter) {
            forced = fail("AbortError", "the transaction was interrupted");
            throw forced;
          }
          const os = tx.objectStore(store);
          if (put) os.put(bytes, key); else os.delete(key);
        });
        if (forceQuota) {
          forced = fail("QuotaExceededError", "the quota has been exceeded");
          throw forced;
        }
      } catch (e) {
        abort(e);
      }
    };
    if (!expect) return apply();
    const [store, key, bytes] = expect;
    let req;
    try { req = tx.objectStore(store).get(key); } catch (e) { return abort(e); }
    req.onsuccess = () => {
      if (sameBytes(req.result, bytes)) return apply();
      abort(fail("Stale", "another tab changed the store meanwhile"));
    };
  });
}

// Whether a stored value (undefined when absent) is exactly `bytes` (null: absent).
function sameBytes(stored, bytes) {
  if (stored === undefined || stored === null) return bytes === null || bytes === undefined;
  if (bytes === null || bytes === undefined) return false;
  const a = stored instanceof ArrayBuffer ? new Uint8Array(stored) : new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength);
  if (a.length !== bytes.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== bytes[i]) return false;
  return true;
}

export function idbDelete(name) {
  return new Promise((resolve, reject) => {
    const req = globalThis.indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(errorOf(req.error, "DeleteFailed"));
    req.onblocked = () => reject(fail("Blocked", "another tab keeps the database open"));
  });
}

// PBKDF2-HMAC-SHA-256 through WebCrypto: 32 bytes. The caller wipes `passphrase` and the result.
export async function pbkdf2(passphrase, salt, iterations) {
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  if (!subtle) throw fail("Unavailable", "WebCrypto is not available here: serve the page over https or from localhost");
  const key = await subtle.importKey("raw", passphrase, "PBKDF2", false, ["deriveBits"]);
  const bits = await subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

// The store's BroadcastChannel (null where there is none): `onMessage` gets each message that is a
// string; anything else is ignored. Messages are one word and carry nothing secret.
export function channelOpen(name, onMessage) {
  if (typeof globalThis.BroadcastChannel !== "function") return null;
  const ch = new BroadcastChannel(name);
  ch.onmessage = (ev) => { if (typeof ev.data === "string") onMessage(ev.data); };
  return ch;
}

export function channelPost(ch, message) {
  try { ch.postMessage(message); } catch { /* closed: nobody to tell */ }
}

export function channelClose(ch) {
  ch.onmessage = null;
  ch.close();
}
