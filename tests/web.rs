//! In headless Chromium and headless Firefox (`make test-wasm` runs this binary once in each): the
//! shared engine cases (envelope, ESDK vectors through WebCrypto and the pure-Rust fallback, the IAM
//! corpus, the WAF cases; the same modules run in Node through `tests/node.rs`), plus what only a
//! browser has: WebCrypto key generation feeding the engine, and WebCrypto as an independent
//! implementation that must agree with ours on RSA-OAEP-SHA256 and AES-256-GCM.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(target_arch = "wasm32")]

#[path = "shared/envelope_cases.rs"]
mod envelope_cases;

#[path = "shared/crypto_esdk_support.rs"]
mod support;

#[path = "shared/esdk_cases.rs"]
mod esdk_cases;

#[path = "shared/policy_cases.rs"]
mod policy_cases;

#[path = "shared/coraza_harness.rs"]
mod coraza_harness;
#[path = "shared/waf_cases.rs"]
mod waf_cases;

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use secplay::crypto::envelope::{aes_gcm_open, open, seal, DataKey, KeyPair, Sealed};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn subtle() -> JsValue {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).unwrap();
    Reflect::get(&crypto, &"subtle".into()).unwrap()
}

async fn call(method: &str, args: &[JsValue]) -> JsValue {
    let s = subtle();
    let f: js_sys::Function = Reflect::get(&s, &method.into()).unwrap().dyn_into().unwrap();
    let p: Promise = f.apply(&s, &args.iter().collect::<Array>()).unwrap().dyn_into().unwrap();
    JsFuture::from(p).await.unwrap()
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

#[wasm_bindgen_test]
async fn webcrypto_key_pair_drives_the_engine() {
    let pair = secplay::web::webcrypto::generate_rsa_key_pair(2048).await.unwrap();
    assert_eq!(pair.bits(), 2048);
    let env = seal("브라우저에서 암호화".as_bytes(), &pair.public()).unwrap();
    assert_eq!(open(&env, &pair).unwrap(), "브라우저에서 암호화".as_bytes());
    let err = secplay::web::webcrypto::generate_rsa_key_pair(1000).await.unwrap_err();
    assert_eq!(err.code(), "InvalidKeySize");
}

/// WebCrypto wraps a data key with RSA-OAEP-SHA256 and encrypts with AES-256-GCM; the engine opens
/// both. Two independent implementations agreeing is the interop check.
#[wasm_bindgen_test]
async fn engine_opens_what_webcrypto_sealed() {
    let params = obj(&[
        ("name", "RSA-OAEP".into()),
        ("modulusLength", 2048.into()),
        ("publicExponent", Uint8Array::from(&[1u8, 0, 1][..]).into()),
        ("hash", "SHA-256".into()),
    ]);
    let usages: JsValue = Array::of2(&"encrypt".into(), &"decrypt".into()).into();
    let kp = call("generateKey", &[params, JsValue::TRUE, usages]).await;
    let pkcs8 = call("exportKey", &["pkcs8".into(), Reflect::get(&kp, &"privateKey".into()).unwrap()]).await;
    let pair = KeyPair::from_pkcs8(&Uint8Array::new(&pkcs8).to_vec()).unwrap();

    let data_key = [7u8; 32];
    let oaep = obj(&[("name", "RSA-OAEP".into())]);
    let wrapped = call(
        "encrypt",
        &[oaep, Reflect::get(&kp, &"publicKey".into()).unwrap(), Uint8Array::from(&data_key[..]).into()],
    )
    .await;
    let unwrapped = pair.unwrap_key(&Uint8Array::new(&wrapped).to_vec()).unwrap();
    assert_eq!(unwrapped.as_bytes(), &data_key);

    let iv = [9u8; 12];
    let aes = call(
        "importKey",
        &[
            "raw".into(),
            Uint8Array::from(&data_key[..]).into(),
            "AES-GCM".into(),
            JsValue::FALSE,
            Array::of1(&"encrypt".into()).into(),
        ],
    )
    .await;
    let gcm = obj(&[
        ("name", "AES-GCM".into()),
        ("iv", Uint8Array::from(&iv[..]).into()),
        ("additionalData", Uint8Array::from(&b"aad"[..]).into()),
    ]);
    let ct = Uint8Array::new(
        &call("encrypt", &[gcm, aes, Uint8Array::from(&b"hello from WebCrypto"[..]).into()]).await,
    )
    .to_vec();
    let (body, tag) = ct.split_at(ct.len() - 16);
    let sealed = Sealed { iv, ciphertext: body.to_vec(), tag: tag.try_into().unwrap() };
    let plain = aes_gcm_open(&DataKey::from_bytes(&data_key).unwrap(), &sealed, b"aad").unwrap();
    assert_eq!(plain, b"hello from WebCrypto");
}
