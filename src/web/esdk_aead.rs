//! The ESDK's bulk AES-GCM through WebCrypto (`crypto.subtle`), which uses the CPU's AES
//! instructions off the calling thread: several times the pure-Rust cipher in wasm.
//!
//! A batch is issued at once, every frame's call started before the first is awaited, so the
//! browser works through them back to back. Inputs are views of wasm memory that WebCrypto copies
//! when called; nothing allocates in wasm between taking a view and the call that copies it.
//! Results are copied back into the engine's buffer in order. A tag that does not verify rejects
//! its call; the batch then reports the first such frame, like the pure-Rust backend.

use js_sys::{Array, ArrayBuffer, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesGcmParams, CryptoKey, SubtleCrypto};

use crate::crypto::esdk::aead::{GcmCipher, IV_LEN, TAG_LEN};
use crate::crypto::esdk::{BatchAead, BatchBackend, DataKey, EsdkError, OpenJob, SealJob};

/// Makes WebCrypto AES-GCM ciphers; available wherever `globalThis.crypto.subtle` is (pages,
/// workers, Node 20).
#[derive(Debug, Clone)]
pub struct WebCryptoBackend {
    subtle: SubtleCrypto,
}

impl WebCryptoBackend {
    /// `None` where WebCrypto is missing (an insecure origin, an old runtime).
    pub fn available() -> Option<Self> {
        let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).ok()?;
        let subtle = Reflect::get(&crypto, &"subtle".into()).ok()?;
        if subtle.is_undefined() || subtle.is_null() {
            return None;
        }
        Some(Self { subtle: subtle.unchecked_into() })
    }
}

fn failed(what: &str, e: &JsValue) -> EsdkError {
    let detail = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| "unknown error".to_owned());
    EsdkError::InvalidInput(format!("WebCrypto {what} failed: {detail}"))
}

impl BatchBackend for WebCryptoBackend {
    type Aead = WebCryptoAead;

    async fn batch_cipher(&self, key: &DataKey) -> Result<WebCryptoAead, EsdkError> {
        let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
        let bytes = Uint8Array::from(key.as_bytes());
        let promise = self
            .subtle
            .import_key_with_str("raw", &bytes, "AES-GCM", false, &usages)
            .map_err(|e| failed("importKey", &e));
        // The key bytes must not linger in the JS heap: overwrite the copy once it is imported.
        let imported = match promise {
            Ok(p) => JsFuture::from(p).await.map_err(|e| failed("importKey", &e)),
            Err(e) => Err(e),
        };
        bytes.fill(0, 0, bytes.length());
        let key: CryptoKey = imported?.unchecked_into();
        Ok(WebCryptoAead { subtle: self.subtle.clone(), key })
    }
}

/// AES-GCM under one non-extractable WebCrypto key.
#[derive(Debug, Clone)]
pub struct WebCryptoAead {
    subtle: SubtleCrypto,
    key: CryptoKey,
}

/// A frame's parameters, built before any view of wasm memory is taken.
struct Params {
    iv: [u8; IV_LEN],
    aad: Vec<u8>,
}

impl WebCryptoAead {
    /// Start one call per frame (`encrypt` or `decrypt`) on `data(i)`, all before awaiting any.
    fn start<'a>(
        &self,
        decrypt: bool,
        params: &mut [Params],
        data: impl Fn(usize) -> Option<&'a [u8]>,
    ) -> Result<Array, EsdkError> {
        let calls = Array::new_with_length(u32::try_from(params.len()).unwrap_or(u32::MAX));
        for (i, p) in params.iter_mut().enumerate() {
            // The tag length is WebCrypto's default, 128 bits (TAG_LEN).
            let alg = AesGcmParams::new_with_u8_slice("AES-GCM", &mut p.iv);
            alg.set_additional_data_u8_slice(&mut p.aad);
            let bytes = data(i).ok_or(EsdkError::StreamClosed)?;
            let call = if decrypt {
                self.subtle.decrypt_with_object_and_u8_array(&alg, &self.key, bytes)
            } else {
                self.subtle.encrypt_with_object_and_u8_array(&alg, &self.key, bytes)
            };
            let call = call.map_err(|e| failed(if decrypt { "decrypt" } else { "encrypt" }, &e))?;
            calls.set(i as u32, call.into());
        }
        Ok(calls)
    }
}

/// Copy one call's result into `dst`, which must be exactly its size.
fn copy_result(result: &JsValue, dst: &mut [u8]) -> Result<(), EsdkError> {
    let buf: &ArrayBuffer = result.dyn_ref().ok_or(EsdkError::StreamClosed)?;
    let view = Uint8Array::new(buf);
    if view.length() as usize != dst.len() {
        return Err(EsdkError::InvalidInput("WebCrypto returned an unexpected length".to_string()));
    }
    view.copy_to(dst);
    Ok(())
}

impl BatchAead for WebCryptoAead {
    async fn seal_all(&self, buf: &mut [u8], jobs: &[SealJob]) -> Result<(), EsdkError> {
        if jobs.is_empty() {
            return Ok(());
        }
        let mut params: Vec<Params> = jobs.iter().map(|j| Params { iv: j.iv, aad: j.aad.clone() }).collect();
        let view: &[u8] = buf;
        let calls = self.start(false, &mut params, |i| {
            let j = jobs.get(i)?;
            view.get(j.at..j.at.checked_add(j.len)?)
        })?;
        let results = JsFuture::from(Promise::all(&calls)).await.map_err(|e| failed("encrypt", &e))?;
        let results: Array = results.unchecked_into();
        for (i, j) in jobs.iter().enumerate() {
            let end = j.at.saturating_add(j.len).saturating_add(TAG_LEN);
            let dst = buf.get_mut(j.at..end).ok_or(EsdkError::StreamClosed)?;
            copy_result(&results.get(i as u32), dst)?;
        }
        Ok(())
    }

    async fn open_all(&self, src: &[u8], dst: &mut [u8], jobs: &[OpenJob]) -> Result<(), usize> {
        if jobs.is_empty() {
            return Ok(());
        }
        let mut params: Vec<Params> = jobs.iter().map(|j| Params { iv: j.iv, aad: j.aad.clone() }).collect();
        let calls = self
            .start(true, &mut params, |i| {
                let j = jobs.get(i)?;
                src.get(j.from..j.from.checked_add(j.len)?.checked_add(TAG_LEN)?)
            })
            .map_err(|_| 0usize)?;
        // Settle every call (a rejected one is a tag that did not verify), then report the first.
        let settled = JsFuture::from(Promise::all_settled(&calls)).await.map_err(|_| 0usize)?;
        let settled: Array = settled.unchecked_into();
        for (i, j) in jobs.iter().enumerate() {
            let outcome = settled.get(i as u32);
            // Only a fulfilled call verified its tag; a rejected one has no value to copy.
            let status = Reflect::get(&outcome, &"status".into()).map_err(|_| i)?;
            if status.as_string().as_deref() != Some("fulfilled") {
                return Err(i);
            }
            let value = Reflect::get(&outcome, &"value".into()).map_err(|_| i)?;
            let out = dst.get_mut(j.to..j.to.saturating_add(j.len)).ok_or(i)?;
            copy_result(&value, out).map_err(|_| i)?;
        }
        Ok(())
    }
}

/// WebCrypto where it helps, the pure-Rust cipher otherwise: one type for the JS layer.
#[derive(Debug, Clone)]
pub enum AnyBackend {
    /// RustCrypto `aes-gcm` in wasm.
    Rust,
    /// `crypto.subtle`.
    WebCrypto(WebCryptoBackend),
}

/// The cipher an [`AnyBackend`] makes.
pub enum AnyAead {
    /// RustCrypto `aes-gcm` in wasm.
    Rust(GcmCipher),
    /// `crypto.subtle`.
    WebCrypto(WebCryptoAead),
}

impl BatchBackend for AnyBackend {
    type Aead = AnyAead;

    async fn batch_cipher(&self, key: &DataKey) -> Result<AnyAead, EsdkError> {
        Ok(match self {
            // Chromium's WebCrypto has no AES-192 (NotSupportedError), so the 0x0046/0x0146/0x0346
            // suites always run in Rust.
            Self::WebCrypto(w) if key.len() != 24 => AnyAead::WebCrypto(w.batch_cipher(key).await?),
            _ => AnyAead::Rust(GcmCipher::new(key.as_bytes())?),
        })
    }
}

impl BatchAead for AnyAead {
    async fn seal_all(&self, buf: &mut [u8], jobs: &[SealJob]) -> Result<(), EsdkError> {
        match self {
            Self::Rust(c) => c.seal_all(buf, jobs).await,
            Self::WebCrypto(c) => c.seal_all(buf, jobs).await,
        }
    }

    async fn open_all(&self, src: &[u8], dst: &mut [u8], jobs: &[OpenJob]) -> Result<(), usize> {
        match self {
            Self::Rust(c) => c.open_all(src, dst, jobs).await,
            Self::WebCrypto(c) => c.open_all(src, dst, jobs).await,
        }
    }
}
