//! The ESDK's bulk AES-GCM through WebCrypto (`crypto.subtle`), which uses the CPU's AES
//! instructions off the calling thread: several times the pure-Rust cipher in wasm.
//!
//! A batch is issued at once, every frame's call started before the first is awaited, so the
//! browser works through them back to back. One JS function (`gcm_batch.js`) runs the batch from a
//! table of addresses, instead of several wasm-bindgen calls per frame (which cost a noticeable
//! share of the throughput at 4 KiB frames; see `docs/benchmarks.md`).
//! Inputs are views of wasm memory that WebCrypto copies when called; the results are copied back
//! into the engine's buffer. A tag that does not verify rejects its call; the batch then reports the
//! first such frame, like the pure-Rust backend.

use std::cell::Cell;

use js_sys::{Array, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

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

    /// Whether this WebCrypto takes 192-bit AES-GCM keys: Firefox and Node do, Chromium answers
    /// `NotSupportedError`. Asked once per thread by importing a throwaway all-zero key; the answer
    /// decides whether the AES-192 suites (0x0046, 0x0146, 0x0346) run here or in the pure-Rust cipher.
    pub async fn accepts_aes_192(&self) -> bool {
        if let Some(known) = AES_192.with(Cell::get) {
            return known;
        }
        let usages = Array::of1(&"encrypt".into());
        let probe = Uint8Array::new_with_length(24);
        let accepted = match self.subtle.import_key_with_str("raw", &probe, "AES-GCM", false, &usages) {
            Ok(p) => JsFuture::from(p).await.is_ok(),
            Err(_) => false,
        };
        AES_192.with(|c| c.set(Some(accepted)));
        accepted
    }
}

thread_local! {
    /// [`WebCryptoBackend::accepts_aes_192`]'s answer, once known (each worker asks its own).
    static AES_192: Cell<Option<bool>> = const { Cell::new(None) };
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

#[wasm_bindgen(module = "/src/web/gcm_batch.js")]
extern "C" {
    /// Starts every frame's call, then copies the results into wasm memory; resolves to -1 or
    /// the index of the first frame that failed (see the file).
    #[wasm_bindgen(js_name = gcmBatch)]
    fn gcm_batch(
        subtle: &SubtleCrypto,
        key: &CryptoKey,
        decrypt: bool,
        memory: &JsValue,
        jobs: &[u32],
    ) -> Promise;
}

/// The address of `bytes` in wasm memory (32-bit on wasm32), for [`gcm_batch`].
fn addr(bytes: &[u8]) -> u32 {
    bytes.as_ptr() as usize as u32
}

impl WebCryptoAead {
    /// Run one batch through [`gcm_batch`]: `jobs(push)` lists each frame's input and output slices
    /// (IV and AAD come from `params`); `Ok(None)` if every frame went through, `Ok(Some(i))` if
    /// frame `i` failed first.
    async fn run(&self, decrypt: bool, table: Vec<u32>) -> Result<Option<usize>, EsdkError> {
        let what = if decrypt { "decrypt" } else { "encrypt" };
        let promise = gcm_batch(&self.subtle, &self.key, decrypt, &wasm_bindgen::memory(), &table);
        drop(table);
        let bad = JsFuture::from(promise).await.map_err(|e| failed(what, &e))?;
        Ok(bad.as_f64().filter(|b| *b >= 0.0).map(|b| b as usize))
    }
}

/// Six words per frame for [`gcm_batch`]: IV, AAD (address, length), input (address, length), output.
fn row(table: &mut Vec<u32>, iv: &[u8; IV_LEN], aad: &[u8], input: &[u8], output: u32) {
    table.extend_from_slice(&[
        addr(iv),
        addr(aad),
        aad.len() as u32,
        addr(input),
        input.len() as u32,
        output,
    ]);
}

impl BatchAead for WebCryptoAead {
    async fn seal_all(&self, buf: &mut [u8], jobs: &[SealJob]) -> Result<(), EsdkError> {
        if jobs.is_empty() {
            return Ok(());
        }
        // Each frame is sealed in place: the ciphertext and tag overwrite the plaintext and the
        // room after it (WebCrypto has copied the input by then).
        let mut table = Vec::with_capacity(jobs.len() * 6);
        for j in jobs {
            let end = j.at.checked_add(j.len).filter(|e| e.saturating_add(TAG_LEN) <= buf.len());
            let input = end.and_then(|e| buf.get(j.at..e)).ok_or(EsdkError::StreamClosed)?;
            row(&mut table, &j.iv, &j.aad, input, addr(input));
        }
        match self.run(false, table).await? {
            None => Ok(()),
            Some(_) => {
                Err(EsdkError::InvalidInput("WebCrypto encrypt returned an unexpected result".to_string()))
            }
        }
    }

    async fn open_all(&self, src: &[u8], dst: &mut [u8], jobs: &[OpenJob]) -> Result<(), usize> {
        if jobs.is_empty() {
            return Ok(());
        }
        let mut table = Vec::with_capacity(jobs.len() * 6);
        for (i, j) in jobs.iter().enumerate() {
            let input = src
                .get(j.from..j.from.checked_add(j.len).and_then(|e| e.checked_add(TAG_LEN)).ok_or(i)?)
                .ok_or(i)?;
            let output = dst.get(j.to..j.to.checked_add(j.len).ok_or(i)?).ok_or(i)?;
            row(&mut table, &j.iv, &j.aad, input, addr(output));
        }
        // `dst` stays borrowed (so in place) until the results are in.
        let outcome = self.run(true, table).await;
        let _ = &dst;
        match outcome {
            Ok(None) => Ok(()),
            Ok(Some(i)) => Err(i),
            Err(_) => Err(0),
        }
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
            // The AES-192 suites go to WebCrypto only where it takes 192-bit keys (not Chromium).
            Self::WebCrypto(w) if key.len() != 24 || w.accepts_aes_192().await => {
                AnyAead::WebCrypto(w.batch_cipher(key).await?)
            }
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
