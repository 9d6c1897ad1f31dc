//! The key store in headless Chromium and headless Firefox (`make test-wasm` runs this binary once
//! in each): the shared cases (`tests/shared/keystore_cases.rs`) against real IndexedDB, with the
//! passphrase stretched by WebCrypto's PBKDF2 at 600,000 iterations; plus reads of the raw
//! database with plain IndexedDB calls, and the unlock time printed per browser.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(target_arch = "wasm32")]

#[path = "shared/keystore_cases.rs"]
#[macro_use]
mod cases;

use cases::Harness as _;
use secplay::keystore::KeyStore;
use secplay::web::keystore_idb::{IdbBackend, WebCryptoPbkdf2};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

struct Idb;

impl cases::Harness for Idb {
    type B = IdbBackend;
    type K = WebCryptoPbkdf2;
    async fn fresh(&self, name: &str) -> IdbBackend {
        IdbBackend::delete_database(name).await.unwrap();
        IdbBackend::open(name).await.unwrap()
    }
    async fn reopen(&self, name: &str, old: IdbBackend) -> IdbBackend {
        old.close();
        IdbBackend::open(name).await.unwrap()
    }
    async fn second(&self, name: &str) -> Option<IdbBackend> {
        Some(IdbBackend::open(name).await.unwrap())
    }
    fn kdf(&self) -> WebCryptoPbkdf2 {
        WebCryptoPbkdf2
    }
    fn interrupt_after(&self, b: &mut IdbBackend, n: usize) {
        b.interrupt_after = Some(n);
    }
    fn over_quota(&self, b: &mut IdbBackend) {
        b.force_quota = true;
    }
}

macro_rules! shared {
    ($($name:ident),* $(,)?) => {$(
        #[wasm_bindgen_test]
        async fn $name() {
            cases::$name(&Idb).await;
        }
    )*};
}

for_each_case!(shared);

fn now_ms() -> f64 {
    let perf = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).unwrap();
    let now: js_sys::Function = js_sys::Reflect::get(&perf, &"now".into()).unwrap().into();
    now.call0(&perf).unwrap().as_f64().unwrap()
}

/// PBKDF2 through WebCrypto at the store's 600,000 iterations against Python's
/// `hashlib.pbkdf2_hmac("sha256", b"passwd", b"salt", 600000, 32)`, and the unlock time of a store
/// in this browser (printed with a fresh salt each time, not asserted).
#[wasm_bindgen_test]
async fn unlock_time_and_kdf_known_answer() {
    use secplay::keystore::Kdf;
    let probe = |k: &secplay::keystore::Kek| k.seal_with_nonce(&[0; 12], b"probe", b"").unwrap();
    let expected: Vec<u8> = (0..32)
        .map(|i| {
            u8::from_str_radix(
                &"1074be241b7be078a90369fae10cdc0394cf64a6780904421bd79c51fd372db0"[2 * i..2 * i + 2],
                16,
            )
            .unwrap()
        })
        .collect();
    let t = now_ms();
    let web = WebCryptoPbkdf2.derive("passwd", b"salt", 600_000).await.unwrap();
    let kdf_ms = now_ms() - t;
    let known = secplay::keystore::Kek::from_bytes(expected.try_into().unwrap());
    assert_eq!(probe(&web), probe(&known), "WebCrypto's PBKDF2 at 600000 iterations is not the known answer");
    let mut times = Vec::new();
    for i in 0..3 {
        let name = format!("ks-time-{i}");
        let b = Idb.fresh(&name).await;
        let mut s = KeyStore::new(b, WebCryptoPbkdf2);
        s.unlock("timing passphrase", 0).await.unwrap();
        let mut s = KeyStore::new(Idb.reopen(&name, s.into_backend()).await, WebCryptoPbkdf2);
        let t = now_ms();
        s.unlock("timing passphrase", 0).await.unwrap();
        times.push(now_ms() - t);
    }
    let nav = js_sys::Reflect::get(&js_sys::global(), &"navigator".into()).unwrap();
    let agent = js_sys::Reflect::get(&nav, &"userAgent".into()).unwrap().as_string().unwrap_or_default();
    console_log!(
        "keystore: PBKDF2-SHA-256 600000 iterations (WebCrypto) {kdf_ms} ms; unlock {times:?} ms; {agent}"
    );
}
