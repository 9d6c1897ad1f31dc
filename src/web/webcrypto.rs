//! RSA key generation through WebCrypto (`crypto.subtle.generateKey`), which does the work off the
//! calling thread, so the page never freezes. Works wherever `globalThis.crypto.subtle` exists: a
//! page, a worker, and Node 20. The engine then imports the PKCS#8 result: generation is the only
//! step delegated; every use of the key runs in the Rust engine.

use js_sys::{Array, ArrayBuffer, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::crypto::envelope::{KeyPair, RSA_BITS};

/// Why WebCrypto could not give us a key.
#[derive(Debug, thiserror::Error)]
pub enum WebCryptoError {
    /// `crypto.subtle` is missing (an insecure `http:` origin other than localhost, or an old runtime).
    #[error("WebCrypto is not available here: serve the page over https or from localhost")]
    Unavailable,
    /// The runtime refused or failed.
    #[error("WebCrypto failed: {0}")]
    Failed(String),
    /// The generated key did not import (should not happen; reported rather than hidden).
    #[error("{0}")]
    Import(#[from] crate::crypto::envelope::EnvelopeError),
}

impl WebCryptoError {
    /// A stable code for the JS boundary.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unavailable => "WebCryptoUnavailable",
            Self::Failed(_) => "WebCryptoFailed",
            Self::Import(e) => e.code(),
        }
    }
}

fn describe(v: &JsValue) -> String {
    v.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| v.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

fn get(target: &JsValue, key: &str) -> Result<JsValue, WebCryptoError> {
    let v = Reflect::get(target, &JsValue::from_str(key)).map_err(|_| WebCryptoError::Unavailable)?;
    if v.is_undefined() || v.is_null() {
        return Err(WebCryptoError::Unavailable);
    }
    Ok(v)
}

fn subtle() -> Result<JsValue, WebCryptoError> {
    get(&get(&js_sys::global(), "crypto")?, "subtle")
}

async fn call(subtle: &JsValue, method: &str, args: &Array) -> Result<JsValue, WebCryptoError> {
    let f: Function = get(subtle, method)?.dyn_into().map_err(|_| WebCryptoError::Unavailable)?;
    let promise: Promise = f
        .apply(subtle, args)
        .map_err(|e| WebCryptoError::Failed(describe(&e)))?
        .dyn_into()
        .map_err(|_| WebCryptoError::Failed(format!("{method} did not return a promise")))?;
    JsFuture::from(promise).await.map_err(|e| WebCryptoError::Failed(describe(&e)))
}

fn set(obj: &Object, key: &str, value: &JsValue) -> Result<(), WebCryptoError> {
    Reflect::set(obj, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|e| WebCryptoError::Failed(describe(&e)))
}

/// Generate an RSA-OAEP-SHA256 key pair of `bits` with WebCrypto and import it into the engine.
pub async fn generate_rsa_key_pair(bits: usize) -> Result<KeyPair, WebCryptoError> {
    let der = generate_rsa_pkcs8(bits).await?;
    Ok(KeyPair::from_pkcs8(&der)?)
}

/// Generate an RSA key of `bits` (2048, 3072 or 4096; public exponent 65537) with WebCrypto: its
/// private key as PKCS #8 DER, for the engine to import (the KMS pool: `kms::material::supply`).
pub async fn generate_rsa_pkcs8(bits: usize) -> Result<zeroize::Zeroizing<Vec<u8>>, WebCryptoError> {
    if !RSA_BITS.contains(&bits) {
        return Err(crate::crypto::envelope::EnvelopeError::KeySize(bits).into());
    }
    let subtle = subtle()?;
    let params = Object::new();
    set(&params, "name", &"RSA-OAEP".into())?;
    set(&params, "modulusLength", &JsValue::from_f64(bits as f64))?;
    set(&params, "publicExponent", &Uint8Array::from(&[1u8, 0, 1][..]).into())?;
    set(&params, "hash", &"SHA-256".into())?;
    let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
    let pair =
        call(&subtle, "generateKey", &Array::of3(&params.into(), &JsValue::TRUE, &usages.into())).await?;
    let private = get(&pair, "privateKey")?;
    let der = call(&subtle, "exportKey", &Array::of2(&"pkcs8".into(), &private)).await?;
    let der: ArrayBuffer =
        der.dyn_into().map_err(|_| WebCryptoError::Failed("exportKey returned no bytes".into()))?;
    Ok(zeroize::Zeroizing::new(Uint8Array::new(&der).to_vec()))
}
