//! The key store's browser side: an IndexedDB [`Backend`] (database per store name, one object
//! store per [`Area`], schema upgrades from [`schema`]) and PBKDF2 through WebCrypto
//! ([`WebCryptoPbkdf2`]). I/O only: formats, keys and checks live in `crate::keystore`.
//!
//! Every write is one `readwrite` transaction over all three object stores with strict
//! durability, so a batch lands whole or not at all (a tab closed mid-write, quota exceeded).
//! A database upgraded or deleted by another tab closes this connection (so the other tab's
//! upgrade is not blocked); [`IdbBackend::open_watched`] hears it as an [`Event`], and later
//! calls fail with `Upgraded` or `Deleted` rather than writing to nothing.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;
use zeroize::Zeroize;

use crate::keystore::backend::{Area, Backend, Batch, Contents, Op};
use crate::keystore::schema::{self, Step, SCHEMA_VERSION};
use crate::keystore::sync::Event;
use crate::keystore::{Kdf, Kek, KeyStoreError};

#[wasm_bindgen(module = "/src/web/keystore_idb.js")]
extern "C" {
    #[wasm_bindgen(js_name = idbOpen, catch)]
    async fn idb_open(
        name: &str,
        version: u32,
        steps: Array,
        on_closed: &JsValue,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = idbClose)]
    fn idb_close(db: &JsValue);
    #[wasm_bindgen(js_name = idbLoad, catch)]
    async fn idb_load(db: &JsValue, stores: Array) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = idbCommit, catch)]
    async fn idb_commit(
        db: &JsValue,
        stores: Array,
        ops: Array,
        interrupt_after: i32,
        force_quota: bool,
        expect: &JsValue,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = idbDelete, catch)]
    async fn idb_delete(name: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = pbkdf2, catch)]
    async fn pbkdf2(passphrase: &Uint8Array, salt: &Uint8Array, iterations: u32) -> Result<JsValue, JsValue>;
}

fn error_name(e: &JsValue) -> (String, String) {
    let get = |k: &str| js_sys::Reflect::get(e, &JsValue::from_str(k)).ok().and_then(|v| v.as_string());
    (get("name").unwrap_or_default(), get("message").unwrap_or_else(|| "unknown error".into()))
}

/// A browser error as the key store's error.
fn to_error(e: &JsValue) -> KeyStoreError {
    let (name, message) = error_name(e);
    match name.as_str() {
        "QuotaExceededError" => KeyStoreError::QuotaExceeded,
        "Blocked" => KeyStoreError::Blocked,
        "Upgraded" => KeyStoreError::Upgraded,
        "Stale" => KeyStoreError::Stale,
        "VersionError" => KeyStoreError::VersionTooNew {
            what: "the key store database",
            found: SCHEMA_VERSION + 1,
            max: SCHEMA_VERSION,
        },
        "Closed" | "InvalidStateError" => KeyStoreError::Deleted,
        _ => KeyStoreError::Storage(format!("{name}: {message}")),
    }
}

fn store_names() -> Array {
    Area::ALL.iter().map(|a| JsValue::from_str(a.name())).collect()
}

fn area(name: &str) -> Option<Area> {
    Area::ALL.into_iter().find(|a| a.name() == name)
}

/// The IndexedDB backend of one key store (database `secplay-keystore:<name>`).
#[derive(Debug)]
pub struct IdbBackend {
    db: JsValue,
    /// Hears the connection taken away (kept as long as the connection may call it).
    _on_closed: Option<Closure<dyn FnMut(String)>>,
    /// Commits that landed through this connection (a caller compares counts to know it wrote).
    commits: u64,
    /// Tests: abort the next commit's real transaction after this many writes.
    pub interrupt_after: Option<usize>,
    /// Tests: abort the next commit and report the quota exceeded.
    pub force_quota: bool,
}

/// The database name of store `name`.
pub fn database_name(name: &str) -> String {
    format!("secplay-keystore:{name}")
}

impl IdbBackend {
    /// Opens (creating or upgrading) the database of store `name`.
    pub async fn open(name: &str) -> Result<Self, KeyStoreError> {
        Self::open_with(name, None).await
    }

    /// Opens as [`IdbBackend::open`], and calls `on_closed` with [`Event::Upgraded`] or
    /// [`Event::Deleted`] when the connection is taken away (another tab upgrades or deletes the
    /// database, or the browser clears the site's data).
    pub async fn open_watched(
        name: &str,
        on_closed: impl Fn(Event) + 'static,
    ) -> Result<Self, KeyStoreError> {
        let closure = Closure::<dyn FnMut(String)>::new(move |reason: String| {
            if let Some(e) = Event::from_connection(&reason) {
                on_closed(e);
            }
        });
        Self::open_with(name, Some(closure)).await
    }

    async fn open_with(
        name: &str,
        on_closed: Option<Closure<dyn FnMut(String)>>,
    ) -> Result<Self, KeyStoreError> {
        let steps: Array = schema::all_steps()
            .into_iter()
            .map(|(v, Step::CreateStore(a))| -> JsValue {
                Array::of2(&JsValue::from(v), &JsValue::from_str(a.name())).into()
            })
            .collect();
        let callback = on_closed.as_ref().map_or(JsValue::UNDEFINED, |c| c.as_ref().clone());
        let db = idb_open(&database_name(name), SCHEMA_VERSION, steps, &callback)
            .await
            .map_err(|e| to_error(&e))?;
        Ok(Self { db, _on_closed: on_closed, commits: 0, interrupt_after: None, force_quota: false })
    }

    /// Closes the connection (another tab may then upgrade or delete the database).
    pub fn close(&self) {
        idb_close(&self.db);
    }

    /// Deletes the database of store `name` (everything in it).
    pub async fn delete_database(name: &str) -> Result<(), KeyStoreError> {
        idb_delete(&database_name(name)).await.map(|_| ()).map_err(|e| to_error(&e))
    }
}

impl Backend for IdbBackend {
    async fn load(&mut self) -> Result<Contents, KeyStoreError> {
        let rows = idb_load(&self.db, store_names()).await.map_err(|e| to_error(&e))?;
        let mut contents = Contents::default();
        for row in Array::from(&rows).iter() {
            let row = Array::from(&row);
            let (Some(a), Some(id)) = (row.get(0).as_string().and_then(|s| area(&s)), row.get(1).as_string())
            else {
                continue;
            };
            let bytes = row.get(2).dyn_into::<Uint8Array>().map(|b| b.to_vec()).unwrap_or_default();
            contents.items.insert((a, id), bytes);
        }
        Ok(contents)
    }

    async fn commit(&mut self, batch: Batch) -> Result<(), KeyStoreError> {
        let ops: Array = batch
            .ops
            .iter()
            .map(|op| -> JsValue {
                match op {
                    Op::Put(a, id, bytes) => {
                        let arr =
                            Array::of3(&JsValue::TRUE, &JsValue::from_str(a.name()), &JsValue::from_str(id));
                        arr.push(&Uint8Array::from(bytes.as_slice()));
                        arr.into()
                    }
                    Op::Delete(a, id) => {
                        Array::of3(&JsValue::FALSE, &JsValue::from_str(a.name()), &JsValue::from_str(id))
                            .into()
                    }
                }
            })
            .collect();
        let interrupt = self.interrupt_after.take().and_then(|n| i32::try_from(n).ok()).unwrap_or(-1);
        let quota = std::mem::take(&mut self.force_quota);
        let expect: JsValue = batch.expect.as_ref().map_or(JsValue::NULL, |e| {
            let bytes = e.bytes.as_deref().map_or(JsValue::NULL, |b| Uint8Array::from(b).into());
            Array::of3(&JsValue::from_str(e.area.name()), &JsValue::from_str(&e.id), &bytes).into()
        });
        idb_commit(&self.db, store_names(), ops, interrupt, quota, &expect)
            .await
            .map_err(|e| to_error(&e))?;
        self.commits = self.commits.saturating_add(1);
        Ok(())
    }
}

/// PBKDF2-HMAC-SHA-256 through WebCrypto's `deriveBits` (native code: several times faster than
/// the same loop in wasm). The passphrase's bytes and the derived bits are overwritten in JS
/// memory once read; the `CryptoKey` made of the passphrase is non-extractable and dropped.
#[derive(Debug, Clone, Copy, Default)]
pub struct WebCryptoPbkdf2;

impl Kdf for WebCryptoPbkdf2 {
    async fn derive(&self, passphrase: &str, salt: &[u8], iterations: u32) -> Result<Kek, KeyStoreError> {
        let pass = Uint8Array::from(passphrase.as_bytes());
        let result = pbkdf2(&pass, &Uint8Array::from(salt), iterations).await;
        pass.fill(0, 0, pass.length());
        let bits =
            result.map_err(|e| KeyStoreError::Crypto(format!("PBKDF2 failed: {}", error_name(&e).1)))?;
        let bits = Uint8Array::from(bits);
        let mut out = [0u8; 32];
        if bits.length() != 32 {
            return Err(KeyStoreError::Crypto("PBKDF2 returned the wrong length".into()));
        }
        bits.copy_to(&mut out);
        bits.fill(0, 0, bits.length());
        let k = Kek::from_bytes(out);
        out.zeroize();
        Ok(k)
    }
}

/// IndexedDB where the runtime has it; memory where it has not (Node), for the life of the object.
#[derive(Debug)]
pub enum WebBackend {
    /// A page or a worker.
    Idb(IdbBackend),
    /// Node: nothing persists.
    Memory(crate::keystore::MemoryBackend),
}

impl WebBackend {
    /// Opens store `name`: its IndexedDB database, or memory without IndexedDB.
    pub async fn open(name: &str) -> Result<Self, KeyStoreError> {
        Self::open_watched(name, |_| {}).await
    }

    /// Opens as [`WebBackend::open`]; `on_closed` hears the IndexedDB connection taken away
    /// ([`IdbBackend::open_watched`]).
    pub async fn open_watched(
        name: &str,
        on_closed: impl Fn(Event) + 'static,
    ) -> Result<Self, KeyStoreError> {
        let has_idb = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("indexedDB"))
            .map(|v| !v.is_undefined() && !v.is_null())
            .unwrap_or(false);
        if has_idb {
            IdbBackend::open_watched(name, on_closed).await.map(Self::Idb)
        } else {
            Ok(Self::Memory(crate::keystore::MemoryBackend::new()))
        }
    }

    /// Commits that landed so far (compare before and after a call to know whether it wrote).
    pub fn commits(&self) -> u64 {
        match self {
            Self::Idb(b) => b.commits,
            Self::Memory(b) => b.commits as u64,
        }
    }

    /// Whether the bytes persist (IndexedDB).
    pub fn persistent(&self) -> bool {
        matches!(self, Self::Idb(_))
    }
}

impl Backend for WebBackend {
    async fn load(&mut self) -> Result<Contents, KeyStoreError> {
        match self {
            Self::Idb(b) => b.load().await,
            Self::Memory(b) => b.load().await,
        }
    }
    async fn commit(&mut self, batch: Batch) -> Result<(), KeyStoreError> {
        match self {
            Self::Idb(b) => b.commit(batch).await,
            Self::Memory(b) => b.commit(batch).await,
        }
    }
}

/// The key store the JS API and the page use.
pub type WebKeyStore = crate::keystore::KeyStore<WebBackend, WebCryptoPbkdf2>;
