//! JS API of the key store: the `KeyStore` class, a few lines per method over
//! `crate::keystore::KeyStore` with IndexedDB (`crate::web::keystore_idb`; in Node, which has no
//! IndexedDB, the store lives in memory for the life of the object). Methods that touch storage or
//! derive keys return Promises; a failure is a `SecplayError` whose `code` is the store's
//! (`Locked`, `WrongPassphrase`, `RecordCorrupted`, `QuotaExceeded`, `Blocked`, `VersionTooNew`,
//! …). One call at a time: a call made while another is running is refused with `Busy`.
//!
//! Tabs stay consistent: a write here tells the other tabs with the same store `changed` and a lock
//! tells them `locked` (a `BroadcastChannel`, one word, nothing secret); a tab that hears `changed`
//! re-reads the store before its next call (at once when idle) and one that hears `locked` locks.
//! `onchange` hears each, and the database taken away (`upgraded`, `deleted`).

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use zeroize::Zeroizing;

use super::args;
use super::error::js_error;
use crate::keystore::format::MAX_DATA;
use crate::keystore::sync::Event;
use crate::keystore::{ImportMode, Issue, KeyStoreError, Listing, Record};
use crate::web::keystore_idb::{WebBackend, WebCryptoPbkdf2, WebKeyStore};
use crate::web::keystore_sync::Channel;

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** What `KeyStore.put` stores: `kind` is 1-64 of a-z 0-9 . _ - (`kms-world` files it with the KMS worlds). */
export interface KeyStoreRecordInput { kind: string; name: string; data: Uint8Array; }
/** A decrypted record. Times are milliseconds since 1970. */
export interface KeyStoreRecord {
  id: string; kind: string; name: string; data: Uint8Array; createdAt: number; updatedAt: number; version: number;
}
/** A listed record: `name` and times only while unlocked; `setAside` when it failed its checks. */
export interface KeyStoreEntry {
  id: string; kind: string; version: number; setAside: boolean; name?: string; createdAt?: number; updatedAt?: number;
}
/** A record set aside at unlock, by id. */
export interface KeyStoreIssue {
  id: string; code: "RecordCorrupted" | "RecordMissing" | "RecordRolledBack" | "RecordUnknown" | "ManifestDamaged"; message: string;
}
/**
 * What `KeyStore.onchange` hears: `changed` (another tab wrote; this one has re-read the store),
 * `locked` (locked in another tab, or this tab's key no longer opens the store after a passphrase
 * change there), `upgraded` (another tab opened a newer version: reload) or `deleted` (the
 * database was deleted, e.g. site data cleared: calls now fail with `Deleted`).
 */
export interface KeyStoreChangeEvent { type: "changed" | "locked" | "upgraded" | "deleted"; }
/** What an import did. */
export interface KeyStoreImportReport { added: string[]; unchanged: string[]; conflicts: string[]; removed: string[]; }
"#;

/// The largest backup file `importBackup` reads (it is copied into wasm memory whole).
pub const MAX_BACKUP: usize = 512 << 20;

fn err(e: &KeyStoreError) -> JsValue {
    js_error(e.code(), &e.to_string())
}

fn now() -> u64 {
    let t = js_sys::Date::now();
    if t.is_finite() && t > 0.0 {
        t as u64
    } else {
        0
    }
}

fn set(o: &Object, k: &str, v: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(o, &JsValue::from_str(k), v);
}

fn issues_js(issues: &[Issue]) -> JsValue {
    issues
        .iter()
        .map(|i| {
            let o = Object::new();
            set(&o, "id", &JsValue::from_str(&i.id));
            set(&o, "code", &JsValue::from_str(i.kind.code()));
            set(&o, "message", &JsValue::from_str(&i.detail));
            JsValue::from(o)
        })
        .collect::<Array>()
        .into()
}

fn listing_js(l: &Listing) -> JsValue {
    let o = Object::new();
    set(&o, "id", &JsValue::from_str(&l.id));
    set(&o, "kind", &JsValue::from_str(&l.kind));
    set(&o, "version", &JsValue::from(l.version));
    set(&o, "setAside", &JsValue::from_bool(l.set_aside));
    if let Some((name, created, updated)) = &l.detail {
        set(&o, "name", &JsValue::from_str(name));
        set(&o, "createdAt", &JsValue::from_f64(*created as f64));
        set(&o, "updatedAt", &JsValue::from_f64(*updated as f64));
    }
    o.into()
}

fn record_js(r: &Record) -> JsValue {
    let o = Object::new();
    set(&o, "id", &JsValue::from_str(&r.id));
    set(&o, "kind", &JsValue::from_str(&r.kind));
    set(&o, "name", &JsValue::from_str(&r.body.name));
    set(&o, "data", &Uint8Array::from(r.body.data.as_slice()));
    set(&o, "createdAt", &JsValue::from_f64(r.body.created_at as f64));
    set(&o, "updatedAt", &JsValue::from_f64(r.body.updated_at as f64));
    set(&o, "version", &JsValue::from(r.version));
    o.into()
}

fn strings(v: &[String]) -> JsValue {
    v.iter().map(|s| JsValue::from_str(s)).collect::<Array>().into()
}

struct Shared {
    store: RefCell<Option<WebKeyStore>>,
    lock_pending: Cell<bool>,
    unlocked: Cell<bool>,
    persistent: bool,
    /// Another tab wrote: re-read before the next call, or when the running one ends.
    stale: Cell<bool>,
    /// The store is out of its slot for a re-read (a call made meanwhile waits, not `Busy`).
    catching_up: Cell<bool>,
    /// The other tabs (IndexedDB only: a store in memory is this object's alone).
    channel: RefCell<Option<Channel>>,
    onchange: RefCell<Option<js_sys::Function>>,
}

impl Shared {
    /// Tells the page's listener (a listener that throws changes nothing here).
    fn emit(&self, e: Event) {
        let f = self.onchange.borrow().clone();
        if let Some(f) = f {
            let o = Object::new();
            set(&o, "type", &JsValue::from_str(e.name()));
            let _ = f.call1(&JsValue::UNDEFINED, &o);
        }
    }

    /// Tells the other tabs.
    fn post(&self, e: Event) {
        if let Some(c) = self.channel.borrow().as_ref() {
            c.post(e);
        }
    }

    /// Forgets the key now, or when the running call ends.
    fn lock_here(&self) {
        self.unlocked.set(false);
        match self.store.try_borrow_mut().ok().and_then(|mut g| g.as_mut().map(WebKeyStore::lock)) {
            Some(()) => {}
            None => self.lock_pending.set(true),
        }
    }

    /// What another tab said, or the connection.
    fn heard(self: &Rc<Self>, e: Event) {
        match e {
            Event::Locked => {
                self.lock_here();
                self.emit(Event::Locked);
            }
            Event::Changed => {
                self.stale.set(true);
                let Some(mut store) = self.store.try_borrow_mut().ok().and_then(|mut g| g.take()) else {
                    // A call is running: it re-reads when it ends.
                    return;
                };
                let shared = self.clone();
                self.catching_up.set(true);
                wasm_bindgen_futures::spawn_local(async move {
                    let e = shared.catch_up(&mut store).await;
                    if shared.lock_pending.replace(false) {
                        store.lock();
                    }
                    shared.unlocked.set(store.is_unlocked());
                    *shared.store.borrow_mut() = Some(store);
                    shared.catching_up.set(false);
                    if let Some(e) = e {
                        shared.emit(e);
                    }
                });
            }
            Event::Upgraded | Event::Deleted => self.emit(e),
        }
    }

    /// Re-reads the store if another tab wrote; says what to tell the listener.
    async fn catch_up(&self, store: &mut WebKeyStore) -> Option<Event> {
        if !self.stale.replace(false) {
            return None;
        }
        if !store.is_unlocked() {
            return Some(Event::Changed);
        }
        match store.refresh().await {
            // The passphrase was changed there: this tab's key no longer opens the store.
            Err(KeyStoreError::Locked) => Some(Event::Locked),
            _ => Some(Event::Changed),
        }
    }
}

/// A passphrase-protected store of keyrings and KMS worlds in IndexedDB.
#[wasm_bindgen]
pub struct KeyStore {
    shared: Rc<Shared>,
}

impl KeyStore {
    /// Runs `f` on the store taken out for the call (so no borrow spans an await); `Busy` if
    /// another call has it.
    fn run<F, Fut>(&self, f: F) -> Promise
    where
        F: FnOnce(WebKeyStore) -> Fut + 'static,
        Fut: std::future::Future<Output = (WebKeyStore, Result<JsValue, KeyStoreError>)> + 'static,
    {
        let shared = self.shared.clone();
        future_to_promise(async move {
            let mut store = loop {
                if let Some(s) = shared.store.borrow_mut().take() {
                    break s;
                }
                if !shared.catching_up.get() {
                    return Err(err(&KeyStoreError::Busy));
                }
                // Another tab's change is being read: a moment, not a refusal.
                let _ = wasm_bindgen_futures::JsFuture::from(sleep(5)).await;
            };
            let before = shared.catch_up(&mut store).await;
            let commits = store.backend_mut().commits();
            let (mut store, result) = f(store).await;
            let wrote = store.backend_mut().commits() != commits;
            let after = shared.catch_up(&mut store).await;
            if shared.lock_pending.replace(false) {
                store.lock();
            }
            store.touch(now());
            shared.unlocked.set(store.is_unlocked());
            *shared.store.borrow_mut() = Some(store);
            if wrote {
                shared.post(Event::Changed);
            }
            for e in [before, after].into_iter().flatten() {
                shared.emit(e);
            }
            result.map_err(|e| err(&e))
        })
    }

    fn with<T>(&self, f: impl FnOnce(&mut WebKeyStore) -> T) -> Result<T, JsValue> {
        let mut guard = self.shared.store.try_borrow_mut().map_err(|_| err(&KeyStoreError::Busy))?;
        let store = guard.as_mut().ok_or_else(|| err(&KeyStoreError::Busy))?;
        store.touch(now());
        Ok(f(store))
    }
}

#[wasm_bindgen]
impl KeyStore {
    /// Opens (creating when new) the store called `name`, locked.
    #[wasm_bindgen(unchecked_return_type = "Promise<KeyStore>")]
    pub fn open(#[wasm_bindgen(unchecked_param_type = "string")] name: JsValue) -> Promise {
        future_to_promise(async move {
            let name = args::string(&name, "name")?;
            if name.is_empty() || name.len() > 128 {
                return Err(js_error("InvalidInput", "`name` must be 1 to 128 characters"));
            }
            // The connection's and the channel's callbacks reach the store once it exists, and
            // never keep it alive.
            let link: Rc<RefCell<Weak<Shared>>> = Rc::new(RefCell::new(Weak::new()));
            let to = link.clone();
            let backend = WebBackend::open_watched(&name, move |e| {
                if let Some(s) = to.borrow().upgrade() {
                    s.heard(e);
                }
            })
            .await
            .map_err(|e| err(&e))?;
            let persistent = backend.persistent();
            let store = WebKeyStore::new(backend, WebCryptoPbkdf2);
            let shared = Rc::new(Shared {
                store: RefCell::new(Some(store)),
                lock_pending: Cell::new(false),
                unlocked: Cell::new(false),
                persistent,
                stale: Cell::new(false),
                catching_up: Cell::new(false),
                channel: RefCell::new(None),
                onchange: RefCell::new(None),
            });
            *link.borrow_mut() = Rc::downgrade(&shared);
            if persistent {
                let to = Rc::downgrade(&shared);
                *shared.channel.borrow_mut() = Channel::open(&name, move |e| {
                    if let Some(s) = to.upgrade() {
                        s.heard(e);
                    }
                });
            }
            Ok(KeyStore { shared }.into())
        })
    }

    /// Whether the store keeps its bytes across reloads (IndexedDB), or in memory (Node).
    #[wasm_bindgen(js_name = isPersistent)]
    pub fn is_persistent(&self) -> bool {
        self.shared.persistent
    }

    /// Unlocks with `passphrase` (a new, empty store takes it as its passphrase); resolves to the
    /// records set aside.
    #[wasm_bindgen(unchecked_return_type = "Promise<KeyStoreIssue[]>")]
    pub fn unlock(&self, #[wasm_bindgen(unchecked_param_type = "string")] passphrase: JsValue) -> Promise {
        let p = args::string(&passphrase, "passphrase").map(Zeroizing::new);
        self.run(move |mut s| async move {
            let r = match p {
                Ok(p) => s.unlock(&p, now()).await.map(|i| issues_js(&i)),
                Err(e) => Err(invalid(&e)),
            };
            (s, r)
        })
    }

    /// Forgets the key and every decrypted record (at once, or when the running call ends), here
    /// and in the other tabs with this store.
    pub fn lock(&self) {
        self.shared.lock_here();
        self.shared.post(Event::Locked);
    }

    /// The listener of changes made elsewhere ([`KeyStoreChangeEvent`]), or `null`.
    #[wasm_bindgen(getter, unchecked_return_type = "((event: KeyStoreChangeEvent) => void) | null")]
    pub fn onchange(&self) -> JsValue {
        self.shared.onchange.borrow().as_ref().map_or(JsValue::NULL, |f| f.clone().into())
    }

    /// Sets the listener (`null` removes it).
    #[wasm_bindgen(setter)]
    pub fn set_onchange(
        &self,
        #[wasm_bindgen(unchecked_param_type = "((event: KeyStoreChangeEvent) => void) | null")] f: JsValue,
    ) -> Result<(), JsValue> {
        let f = if f.is_null() || f.is_undefined() {
            None
        } else {
            Some(
                f.dyn_into::<js_sys::Function>()
                    .map_err(|v| args::wrong_type("onchange", "a function or null", &v))?,
            )
        };
        *self.shared.onchange.borrow_mut() = f;
        Ok(())
    }

    /// Whether the key is held.
    #[wasm_bindgen(js_name = isUnlocked)]
    pub fn is_unlocked(&self) -> bool {
        self.shared
            .store
            .try_borrow()
            .ok()
            .and_then(|g| g.as_ref().map(WebKeyStore::is_unlocked))
            // Mid-call the store is out of its slot: the state as of the last call, or a lock since.
            .unwrap_or_else(|| self.shared.unlocked.get())
    }

    /// Locks if idle for the auto-lock time; says whether it locked (call it on a timer).
    #[wasm_bindgen(js_name = lockIfIdle)]
    pub fn lock_if_idle(&self) -> bool {
        let Ok(mut g) = self.shared.store.try_borrow_mut() else { return false };
        let locked = g.as_mut().is_some_and(|s| s.lock_if_idle(now()));
        drop(g);
        if locked {
            self.shared.unlocked.set(false);
            self.shared.post(Event::Locked);
        }
        locked
    }

    /// Idle minutes before the store locks itself (0: never).
    #[wasm_bindgen(js_name = autoLockMinutes)]
    pub fn auto_lock_minutes(&self) -> Result<u32, JsValue> {
        self.with(|s| s.auto_lock_minutes())?.map_err(|e| err(&e))
    }

    /// Sets the auto-lock time in minutes (0: never; at most 10080).
    #[wasm_bindgen(js_name = setAutoLockMinutes, unchecked_return_type = "Promise<void>")]
    pub fn set_auto_lock_minutes(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] minutes: JsValue,
    ) -> Promise {
        let m = args::optional_u32(Some(minutes.clone()), "minutes")
            .and_then(|m| m.ok_or_else(|| args::wrong_type("minutes", "a whole number", &minutes)));
        self.run(move |mut s| async move {
            let r = match m {
                Ok(m) => s.set_auto_lock_minutes(m).await.map(|()| JsValue::UNDEFINED),
                Err(e) => Err(invalid(&e)),
            };
            (s, r)
        })
    }

    /// Stores `record` under `id` (new or replacing).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn put(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "KeyStoreRecordInput")] record: JsValue,
    ) -> Promise {
        let input = (|| -> Result<(String, String, String, Vec<u8>), JsValue> {
            let id = args::string(&id, "id")?;
            args::object(&record, "record")?;
            let field = |k: &str| Reflect::get(&record, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
            let kind = args::string(&field("kind"), "record.kind")?;
            let name = args::string(&field("name"), "record.name")?;
            let data = args::uint8_array(&field("data"), "record.data")?;
            if data.length() as usize > MAX_DATA {
                return Err(js_error(
                    "InvalidInput",
                    &format!("`record.data` must be at most {MAX_DATA} bytes"),
                ));
            }
            let data = data.to_vec();
            Ok((id, kind, name, data))
        })();
        self.run(move |mut s| async move {
            let r = match input {
                Ok((id, kind, name, data)) => {
                    let data = Zeroizing::new(data);
                    s.put(&id, &kind, &name, &data, now()).await.map(|()| JsValue::UNDEFINED)
                }
                Err(e) => Err(invalid(&e)),
            };
            (s, r)
        })
    }

    /// The record `id`.
    #[wasm_bindgen(unchecked_return_type = "Promise<KeyStoreRecord>")]
    pub fn get(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        let id = args::string(&id, "id");
        self.run(move |s| async move {
            let r = match id {
                Ok(id) => s.get(&id).map(record_js),
                Err(e) => Err(invalid(&e)),
            };
            (s, r)
        })
    }

    /// Every record: ids and kinds while locked, with names and times once unlocked.
    #[wasm_bindgen(unchecked_return_type = "Promise<KeyStoreEntry[]>")]
    pub fn list(&self) -> Promise {
        self.run(|mut s| async move {
            let r = s.list().await.map(|l| l.iter().map(listing_js).collect::<Array>().into());
            (s, r)
        })
    }

    /// Re-reads storage (another tab changed it); resolves to the records set aside.
    #[wasm_bindgen(unchecked_return_type = "Promise<KeyStoreIssue[]>")]
    pub fn refresh(&self) -> Promise {
        self.run(|mut s| async move {
            let r = s.refresh().await.map(|i| issues_js(&i));
            (s, r)
        })
    }

    /// The bytes of `id` exactly as stored (what is at rest), or `undefined`.
    #[wasm_bindgen(js_name = rawRecord, unchecked_return_type = "Promise<Uint8Array | undefined>")]
    pub fn raw_record(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        let id = args::string(&id, "id");
        self.run(move |mut s| async move {
            let r = match id {
                Ok(id) => s
                    .raw(&id)
                    .await
                    .map(|b| b.map_or(JsValue::UNDEFINED, |b| Uint8Array::from(b.as_slice()).into())),
                Err(e) => Err(invalid(&e)),
            };
            (s, r)
        })
    }

    /// Deletes the record `id` (also one set aside).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        let id = args::string(&id, "id");
        self.run(move |mut s| async move {
            let r = match id {
                Ok(id) => s.delete(&id).await.map(|()| JsValue::UNDEFINED),
                Err(e) => Err(invalid(&e)),
            };
            (s, r)
        })
    }

    /// The whole store as one encrypted backup file (opens with the current passphrase).
    #[wasm_bindgen(js_name = exportBackup)]
    pub fn export_backup(&self) -> Result<Uint8Array, JsValue> {
        self.with(|s| s.export_backup())?.map(|b| Uint8Array::from(b.as_slice())).map_err(|e| err(&e))
    }

    /// Imports a backup made under `passphrase`: `"merge"` keeps records present in both (listed as
    /// conflicts when they differ), `"replace"` makes the store the backup.
    #[wasm_bindgen(js_name = importBackup, unchecked_return_type = "Promise<KeyStoreImportReport>")]
    pub fn import_backup(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] passphrase: JsValue,
        #[wasm_bindgen(unchecked_param_type = "\"merge\" | \"replace\"")] mode: JsValue,
    ) -> Promise {
        let input = (|| -> Result<_, JsValue> {
            let b = args::uint8_array(&bytes, "bytes")?;
            if b.length() as usize > MAX_BACKUP {
                return Err(js_error("InvalidInput", &format!("`bytes` must be at most {MAX_BACKUP} bytes")));
            }
            let b = Zeroizing::new(b.to_vec());
            let p = Zeroizing::new(args::string(&passphrase, "passphrase")?);
            let m = match args::string(&mode, "mode")?.as_str() {
                "merge" => ImportMode::Merge,
                "replace" => ImportMode::Replace,
                other => {
                    return Err(js_error(
                        "InvalidInput",
                        &format!("`mode` must be \"merge\" or \"replace\", got `{other}`"),
                    ))
                }
            };
            Ok((b, p, m))
        })();
        self.run(move |mut s| async move {
            let r = match input {
                Ok((b, p, m)) => s.import_backup(&b, &p, m).await.map(|r| {
                    let o = Object::new();
                    set(&o, "added", &strings(&r.added));
                    set(&o, "unchanged", &strings(&r.unchanged));
                    set(&o, "conflicts", &strings(&r.conflicts));
                    set(&o, "removed", &strings(&r.removed));
                    o.into()
                }),
                Err(e) => Err(invalid(&e)),
            };
            (s, r)
        })
    }

    /// Re-wraps every record under `newPassphrase` in one transaction (interrupted: `old` still
    /// opens everything).
    #[wasm_bindgen(js_name = changePassphrase, unchecked_return_type = "Promise<void>")]
    pub fn change_passphrase(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] old: JsValue,
        #[wasm_bindgen(js_name = newPassphrase, unchecked_param_type = "string")] new: JsValue,
    ) -> Promise {
        let input = args::string(&old, "old")
            .map(Zeroizing::new)
            .and_then(|o| Ok((o, Zeroizing::new(args::string(&new, "newPassphrase")?))));
        self.run(move |mut s| async move {
            let r = match input {
                Ok((o, n)) => s.change_passphrase(&o, &n, now()).await.map(|()| JsValue::UNDEFINED),
                Err(e) => Err(invalid(&e)),
            };
            (s, r)
        })
    }
}

/// A promise that resolves after `ms` milliseconds (the runtime's `setTimeout`).
fn sleep(ms: i32) -> Promise {
    Promise::new(&mut |resolve, _| {
        let set_timeout = Reflect::get(&js_sys::global(), &JsValue::from_str("setTimeout"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        match set_timeout {
            Some(f) => {
                let _ = f.call2(&JsValue::UNDEFINED, &resolve, &JsValue::from(ms));
            }
            None => {
                let _ = resolve.call0(&JsValue::UNDEFINED);
            }
        }
    })
}

fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map_or_else(|| "invalid input".to_owned(), |e| String::from(e.message()))
}

/// An argument error carried through the store's error type (its code stays `InvalidInput`).
fn invalid(e: &JsValue) -> KeyStoreError {
    KeyStoreError::InvalidInput(describe(e))
}
