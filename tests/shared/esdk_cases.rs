//! The ESDK vectors in wasm, run by `tests/web.rs` in headless Chromium and Firefox and by
//! `tests/node.rs` in Node: the embedded subset of `../shared/vectors/esdk` (per suite and keyring
//! combination the first vector that must decrypt, and one vector of each negative category; see
//! `tools/esdk-subset.py`), decrypted three ways: one-shot in pure Rust, through WebCrypto
//! (`AnyBackend::WebCrypto`), and through the pure-Rust fallback (`AnyBackend::Rust`).
//!
//! `crypto.subtle` calls are counted, so the tests prove WebCrypto ran where it is expected and did
//! not where it is not: the AES-192 suites go to WebCrypto exactly where the runtime takes 192-bit
//! keys (Firefox and Node do, Chromium does not).
//!
//! Needs `support` (`crypto_esdk_support.rs`) as a sibling module.

use std::collections::BTreeSet;

use js_sys::{Function, Reflect};
use secplay::crypto::esdk::{decrypt, BatchDecryptor, Decryptor, SignedMessagePolicy};
use secplay::web::esdk_aead::{AnyBackend, WebCryptoBackend};
use serde_json::Value;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{self, subset, Rng};

/// How many vectors `tools/esdk-subset.py` picks from today's manifest; a shrinking subset fails here.
const SUBSET_LEN: usize = 135;

/// The suites whose data key is 24 bytes (AES-192-GCM).
const AES_192_SUITES: [&str; 3] = ["0046", "0146", "0346"];

fn embedded() -> Vec<&'static Value> {
    subset::IDS
        .iter()
        .map(|id| support::tests_by_id().get(*id).unwrap_or_else(|| panic!("{id} not in the manifest")))
        .collect()
}

fn suite_of(test: &Value) -> &str {
    test["header"]["suite"].as_str().unwrap_or("none")
}

/// Counts `crypto.subtle` calls from here on: wraps `encrypt`, `decrypt` and `importKey` on the
/// `SubtleCrypto` object once (own properties that call the original), and returns the counters.
fn subtle_counter() -> JsValue {
    let install = Function::new_no_args(
        "const s = globalThis.crypto.subtle;
         if (!s.__secplayCalls) {
           const calls = { encrypt: 0, decrypt: 0, importKey: 0 };
           for (const m of Object.keys(calls)) {
             const original = s[m].bind(s);
             s[m] = (...args) => { calls[m] += 1; return original(...args); };
           }
           Object.defineProperty(s, '__secplayCalls', { value: calls });
         }
         return s.__secplayCalls;",
    );
    install.call0(&JsValue::NULL).unwrap()
}

fn calls(counter: &JsValue, method: &str) -> u64 {
    Reflect::get(counter, &method.into()).unwrap().as_f64().unwrap() as u64
}

/// As `tests/crypto_esdk_vectors.rs`: one-shot, or streaming where the vector's policy asks for it.
fn one_shot(test: &Value) -> Result<Vec<u8>, secplay::crypto::esdk::EsdkError> {
    let ciphertext = support::read(test["ciphertext"].as_str().unwrap());
    let keyring = support::keyring_for(test);
    let opts = support::options_for(test);
    if opts.signed_messages == SignedMessagePolicy::RejectSigned {
        let mut d = Decryptor::new(&*keyring, opts);
        d.update(&ciphertext).and_then(|mut out| {
            out.extend(d.finish()?);
            Ok(out)
        })
    } else {
        decrypt(&ciphertext, &*keyring, &opts).map(|d| d.plaintext)
    }
}

/// The streaming decryptor with its frames opened by `backend`, fed in random chunks.
async fn batched(
    test: &Value,
    backend: AnyBackend,
    rng: &mut Rng,
) -> Result<Vec<u8>, secplay::crypto::esdk::EsdkError> {
    let ciphertext = support::read(test["ciphertext"].as_str().unwrap());
    let keyring = support::keyring_for(test);
    let mut d = BatchDecryptor::new(Decryptor::new(&*keyring, support::options_for(test)), backend);
    let mut out = Vec::new();
    let mut rest = &ciphertext[..];
    while !rest.is_empty() {
        let n = (rng.next() % 20_000) as usize + 1;
        let (now, later) = rest.split_at(n.min(rest.len()));
        d.update_into(now, &mut out).await?;
        rest = later;
    }
    out.extend(d.finish()?);
    Ok(out)
}

#[wasm_bindgen_test]
fn the_subset_covers_every_suite() {
    let tests = embedded();
    assert_eq!(tests.len(), SUBSET_LEN, "tools/esdk-subset.py picked a different subset");
    let suites: BTreeSet<&str> = tests.iter().map(|t| suite_of(t)).filter(|s| *s != "none").collect();
    assert_eq!(suites.len(), 11, "suites in the subset: {suites:?}");
    let failures = tests.iter().filter(|t| t["expect"] == "failure").count();
    assert!(failures >= 20, "only {failures} negative vectors embedded");
}

#[wasm_bindgen_test]
fn every_embedded_vector_one_shot() {
    let tests = embedded();
    for test in &tests {
        support::check(test, one_shot(test));
    }
}

/// The probe's answer is WebCrypto's own: the test imports a 192-bit key itself. In the two
/// browsers the answer is pinned (Firefox takes AES-192, Chromium does not), so a browser that
/// changes its mind is noticed.
#[wasm_bindgen_test]
async fn the_aes_192_probe_matches_webcrypto() {
    let web = WebCryptoBackend::available().expect("WebCrypto is available here");
    let probed = web.accepts_aes_192().await;
    let subtle =
        Reflect::get(&Reflect::get(&js_sys::global(), &"crypto".into()).unwrap(), &"subtle".into()).unwrap();
    let import: Function = Reflect::get(&subtle, &"importKey".into()).unwrap().into();
    let args = js_sys::Array::of5(
        &"raw".into(),
        &js_sys::Uint8Array::new_with_length(24).into(),
        &"AES-GCM".into(),
        &JsValue::FALSE,
        &js_sys::Array::of1(&"decrypt".into()).into(),
    );
    let promise: js_sys::Promise = import.apply(&subtle, &args).unwrap().into();
    let direct = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
    assert_eq!(probed, direct, "the probe says {probed}, importKey says {direct}");
    let agent = Reflect::get(&js_sys::global(), &"navigator".into())
        .ok()
        .and_then(|n| Reflect::get(&n, &"userAgent".into()).ok())
        .and_then(|a| a.as_string())
        .unwrap_or_default();
    if agent.contains("Firefox/") {
        assert!(probed, "Firefox took AES-192 keys ({agent})");
    } else if agent.contains("Chrome/") {
        assert!(!probed, "Chromium refused AES-192 keys ({agent})");
    }
}

/// Every embedded vector through WebCrypto: the same outcome as one-shot, `crypto.subtle.decrypt`
/// called for the AES-128/256 suites, and for the AES-192 suites exactly where the runtime takes
/// 192-bit keys.
#[wasm_bindgen_test]
async fn every_embedded_vector_through_webcrypto() {
    let web = WebCryptoBackend::available().expect("WebCrypto is available here");
    let aes_192 = web.accepts_aes_192().await;
    let counter = subtle_counter();
    let mut rng = Rng(0x0B20_75E5);
    let (mut calls_192, mut calls_other) = (0, 0);
    for test in embedded() {
        let before = calls(&counter, "decrypt");
        let outcome = batched(test, AnyBackend::WebCrypto(web.clone()), &mut rng).await;
        let made = calls(&counter, "decrypt") - before;
        support::check(test, outcome);
        if test["expect"] == "success" {
            if AES_192_SUITES.contains(&suite_of(test)) {
                calls_192 += made;
            } else {
                calls_other += made;
            }
        }
    }
    assert!(calls_other > 0, "WebCrypto never decrypted an AES-128/256 frame");
    if aes_192 {
        assert!(calls_192 > 0, "this WebCrypto takes AES-192, yet the AES-192 suites ran in Rust");
    } else {
        assert_eq!(calls_192, 0, "this WebCrypto refuses AES-192, yet it was called for those suites");
    }
}

/// The pure-Rust fallback opens the same vectors with the same outcomes and never calls WebCrypto.
#[wasm_bindgen_test]
async fn every_embedded_vector_through_the_rust_fallback() {
    let counter = subtle_counter();
    let before = (calls(&counter, "decrypt"), calls(&counter, "importKey"));
    let mut rng = Rng(0x0F41_1BAC);
    for test in embedded() {
        support::check(test, batched(test, AnyBackend::Rust, &mut rng).await);
    }
    let after = (calls(&counter, "decrypt"), calls(&counter, "importKey"));
    assert_eq!(before, after, "the Rust backend called crypto.subtle (decrypt, importKey)");
}
