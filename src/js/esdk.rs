//! JS API of the AWS Encryption SDK engine: one-shot `esdkEncrypt` / `esdkDecrypt`, the streaming
//! `EsdkEncryptor` / `EsdkDecryptor` classes, and `esdkInspect` (the header inspector).
//!
//! The one-shot calls and the streams' `updateAsync` / `finishAsync` return Promises: their frames
//! go through WebCrypto (`opts.aead`, default `"auto"`), a window of 1 MiB at a time, so neither the
//! input nor the output is ever copied whole into wasm memory. The streams' synchronous `update`,
//! `updateInto` and `finish` use the pure-Rust cipher.
//!
//! For the signing suites the Promise-returning calls also hash the signature in a worker where
//! the page allows one (`web/hash_worker.rs`): one-shot messages from 4 MiB up, and every
//! stream whose first call is a Promise-returning one. Such a stream must then end with
//! `finishAsync` (a decryptor: take the footer through `updateAsync`/`pushAsync`); the
//! synchronous call says so instead of waiting.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::error::{js_error, to_js as err};
use super::json::{from_js, to_js};
use crate::crypto::esdk::json::AeadChoice;
use crate::crypto::esdk::{json as engine, BatchBackend, BatchDecryptor, Encryptor, EsdkError};
use crate::web::esdk_aead::{AnyAead, AnyBackend, WebCryptoBackend};
use crate::web::hash_worker::HashPlan;

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** A keyring. `key` is base64 key material (16, 24 or 32 bytes). */
export type EsdkKeyring =
  | { type: "raw-aes"; namespace: string; name: string; key: string }
  | { type: "raw-rsa"; namespace: string; name: string; padding: "pkcs1" | "oaep-mgf1";
      paddingHash?: "sha1" | "sha256" | "sha384" | "sha512"; publicKeyPem?: string; privateKeyPem?: string };
export interface EsdkOptions {
  keyrings: EsdkKeyring[];
  encryptionContext?: Record<string, string>;
  /** Default 0x0578. Decryption takes it from the message (the field is accepted and ignored). */
  suiteId?: number | string;
  /** Default 4096. Decryption takes it from the message (the field is accepted and ignored). */
  frameLength?: number;
  /** Default "REQUIRE_ENCRYPT_REQUIRE_DECRYPT". */
  commitmentPolicy?: "FORBID_ENCRYPT_ALLOW_DECRYPT" | "REQUIRE_ENCRYPT_ALLOW_DECRYPT" | "REQUIRE_ENCRYPT_REQUIRE_DECRYPT";
  maxEncryptedDataKeys?: number;
  requiredEncryptionContextKeys?: string[];
  /** Decrypt only: what to do with signed messages while streaming (default "release"). */
  signedMessages?: "release" | "buffer" | "reject";
  maxBufferedPlaintext?: number;
  maxFrameLength?: number;
  /** Which AES-GCM runs the frames of the Promise-returning calls: WebCrypto from 32 KiB up where
   * available ("auto", the default), always WebCrypto, or always the pure-Rust cipher. AES-192
   * suites always use the pure-Rust cipher (browsers' WebCrypto has no AES-192). */
  aead?: "auto" | "webcrypto" | "rust";
}
export interface EsdkHeader {
  messageVersion: 1 | 2;
  suiteId: number;
  suiteHex: string;
  suiteName: string;
  messageId: string;
  contentType: "framed" | "non-framed";
  frameLength: number;
  encryptionContext: Record<string, string>;
  encryptedDataKeys: { providerId: string; providerInfo: string; ciphertext: string }[];
  headerAuthTag: string;
  headerIv?: string;
  keyCommitment?: string;
}
export interface EsdkDecryptResult { plaintext: Uint8Array; header: EsdkHeader }
"#;

fn opts(value: JsValue) -> Result<serde_json::Value, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Err(js_error("InvalidInput", "options are required: at least `{ keyrings: [...] }`"));
    }
    from_js(value)
}

/// Bytes copied between JS and wasm per step of the Promise-returning calls.
const WINDOW: usize = 1 << 20;

/// One-shot messages from this size up hash their signature in a worker (`web/hash_worker.rs`);
/// the streams always do where workers exist. The bytes of a window reach the worker only after the
/// calling thread is done with it, so a message gains only over several windows; below this size
/// the worker makes a message slower.
const HASH_WORKER_MIN: usize = 4 << 20;

/// The backend for `choice` and an input of `len` bytes (`None`: a stream, length unknown).
fn backend(choice: AeadChoice, len: Option<usize>) -> Result<AnyBackend, JsValue> {
    let web = WebCryptoBackend::available();
    match (choice, web) {
        (AeadChoice::Rust, _) => Ok(AnyBackend::Rust),
        (AeadChoice::WebCrypto, Some(w)) => Ok(AnyBackend::WebCrypto(w)),
        (AeadChoice::WebCrypto, None) => Err(js_error(
            "WebCryptoUnavailable",
            "`aead: \"webcrypto\"` but crypto.subtle is missing here (serve the page over https or from localhost)",
        )),
        (AeadChoice::Auto, Some(w)) if len.is_none_or(|n| n >= AeadChoice::AUTO_MIN) => {
            Ok(AnyBackend::WebCrypto(w))
        }
        (AeadChoice::Auto, _) => Ok(AnyBackend::Rust),
    }
}

fn choice(opts: &serde_json::Value) -> Result<AeadChoice, JsValue> {
    engine::aead_choice(opts).map_err(err::<EsdkError>)
}

fn too_large() -> JsValue {
    js_error("InvalidInput", "the message would exceed 4 GiB: use EsdkEncryptor / EsdkDecryptor")
}

/// An engine stream that can be fed through a batch cipher as well as synchronously.
trait Stream {
    fn push(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), EsdkError>;
    async fn push_batched(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), EsdkError>;
    fn end(self) -> Result<Vec<u8>, EsdkError>;
    async fn end_batched(self) -> Result<Vec<u8>, EsdkError>;
}

/// The signature's hash in a worker: decided at a stream's first batched call (the synchronous
/// calls cannot wait for a worker, so a stream begun with them hashes in place).
#[derive(Default)]
struct HashHandOff {
    decided: bool,
    plan: Option<HashPlan>,
}

impl HashHandOff {
    /// Already decided (in place) for a one-shot message too small to gain from a worker.
    fn for_len(len: usize) -> Self {
        Self { decided: len < HASH_WORKER_MIN, plan: None }
    }

    /// A worker's factory the first time (if one can be had), `None` after.
    async fn first_time(&mut self) -> Option<crate::crypto::esdk::signature::OutsideHashFactory<'static>> {
        if std::mem::replace(&mut self.decided, true) {
            return None;
        }
        self.plan = HashPlan::prepare().await;
        self.plan.as_ref().map(HashPlan::factory)
    }

    /// Let the worker catch up if it has fallen behind (bounded memory).
    async fn backlog(&self) {
        if let Some(p) = &self.plan {
            p.backlog().await;
        }
    }
}

/// An encryptor and the backend (and, once made, the cipher) of its batched calls.
struct EncStream {
    enc: Encryptor,
    backend: AnyBackend,
    aead: Option<AnyAead>,
    hash: HashHandOff,
}

impl EncStream {
    async fn aead(&mut self) -> Result<&AnyAead, EsdkError> {
        if self.aead.is_none() {
            self.aead = Some(self.backend.batch_cipher(self.enc.content_key()).await?);
        }
        if self.enc.header().suite.is_signed() {
            if let Some(factory) = self.hash.first_time().await {
                // Once output has been handed out (synchronous calls first) it stays in place.
                let _ = self.enc.hash_outside(factory);
            }
        }
        self.aead.as_ref().ok_or(EsdkError::StreamClosed)
    }
}

impl Stream for EncStream {
    fn push(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), EsdkError> {
        self.enc.update_into(chunk, out)
    }
    async fn push_batched(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), EsdkError> {
        self.aead().await?;
        let aead = self.aead.as_ref().ok_or(EsdkError::StreamClosed)?;
        self.enc.update_with(chunk, out, aead).await?;
        self.hash.backlog().await;
        Ok(())
    }
    fn end(self) -> Result<Vec<u8>, EsdkError> {
        self.enc.finish()
    }
    async fn end_batched(mut self) -> Result<Vec<u8>, EsdkError> {
        self.aead().await?;
        let aead = self.aead.take().ok_or(EsdkError::StreamClosed)?;
        self.enc.finish_with(&aead).await
    }
}

/// A decryptor whose batched calls open frames through the backend.
struct DecStream {
    dec: BatchDecryptor<'static, AnyBackend>,
    hash: HashHandOff,
}

impl Stream for DecStream {
    fn push(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), EsdkError> {
        self.dec.inner_mut().update_into(chunk, out)
    }
    async fn push_batched(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), EsdkError> {
        // Before the header is read the suite is unknown: a worker stands by, used if it signs.
        if self.dec.inner().header().is_none() {
            if let Some(factory) = self.hash.first_time().await {
                self.dec.inner_mut().hash_outside(factory);
            }
        }
        self.dec.update_into(chunk, out).await?;
        self.hash.backlog().await;
        Ok(())
    }
    fn end(self) -> Result<Vec<u8>, EsdkError> {
        self.dec.finish()
    }
    async fn end_batched(self) -> Result<Vec<u8>, EsdkError> {
        self.dec.finish()
    }
}

/// Where the Promise-returning calls put their output: one JS buffer of known maximum size (the
/// one-shot calls), or a list of pieces joined at the end (the streams).
enum Sink {
    Fixed { buf: Uint8Array, len: u32 },
    Pieces(Vec<Uint8Array>),
}

impl Sink {
    fn write(&mut self, bytes: &[u8]) -> Result<(), JsValue> {
        if bytes.is_empty() {
            return Ok(());
        }
        match self {
            Self::Fixed { buf, len } => {
                let n = u32::try_from(bytes.len()).map_err(|_| too_large())?;
                let end = len.checked_add(n).filter(|e| *e <= buf.length()).ok_or_else(too_large)?;
                buf.subarray(*len, end).copy_from(bytes);
                *len = end;
            }
            Self::Pieces(v) => v.push(Uint8Array::from(bytes)),
        }
        Ok(())
    }

    fn into_array(self) -> Uint8Array {
        match self {
            Self::Fixed { buf, len } => buf.subarray(0, len),
            Self::Pieces(mut v) if v.len() <= 1 => v.pop().unwrap_or_else(|| Uint8Array::new_with_length(0)),
            Self::Pieces(v) => {
                let total: u32 = v.iter().map(|p| p.length()).sum();
                let out = Uint8Array::new_with_length(total);
                let mut at = 0;
                for p in v {
                    out.set(&p, at);
                    at += p.length();
                }
                out
            }
        }
    }
}

/// Feed `input` to `stream` a window at a time through its batch cipher, output into `sink`.
async fn pump<S: Stream>(stream: &mut S, input: &Uint8Array, sink: &mut Sink) -> Result<(), JsValue> {
    pump_with(stream, input, &mut Vec::new(), |out| {
        sink.write(out)?;
        out.clear();
        Ok(())
    })
    .await
}

/// Feed `input` to `stream` a window at a time, each window's output appended to `out`, then
/// `each(out)`.
async fn pump_with<S: Stream>(
    stream: &mut S,
    input: &Uint8Array,
    out: &mut Vec<u8>,
    mut each: impl FnMut(&mut Vec<u8>) -> Result<(), JsValue>,
) -> Result<(), JsValue> {
    let len = input.length() as usize;
    let mut window = vec![0u8; WINDOW.min(len)];
    let mut at = 0usize;
    while at < len {
        let n = (len - at).min(WINDOW);
        let w = window.get_mut(..n).ok_or_else(closed)?;
        input.subarray(at as u32, (at + n) as u32).copy_to(w);
        stream.push_batched(w, out).await.map_err(err::<EsdkError>)?;
        each(out)?;
        at += n;
    }
    Ok(())
}

/// Encrypt a whole message. Frames go through WebCrypto from 32 KiB up (see `opts.aead`).
#[wasm_bindgen(js_name = esdkEncrypt, unchecked_return_type = "Uint8Array")]
pub async fn esdk_encrypt(
    plaintext: Uint8Array,
    #[wasm_bindgen(unchecked_param_type = "EsdkOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let o = opts(options)?;
    let len = plaintext.length() as usize;
    let backend = backend(choice(&o)?, Some(len))?;
    let enc = engine::encryptor(&o).map_err(err::<EsdkError>)?;
    let bound = u32::try_from(enc.message_len_bound(len as u64)).map_err(|_| too_large())?;
    let mut stream = EncStream { enc, backend, aead: None, hash: HashHandOff::for_len(len) };
    let mut sink = Sink::Fixed { buf: Uint8Array::new_with_length(bound), len: 0 };
    pump(&mut stream, &plaintext, &mut sink).await?;
    sink.write(&stream.end_batched().await.map_err(err::<EsdkError>)?)?;
    Ok(sink.into_array().into())
}

/// Decrypt a whole message; nothing is returned unless every check passed (tags, commitment,
/// signature). Frames go through WebCrypto from 32 KiB up (see `opts.aead`).
#[wasm_bindgen(js_name = esdkDecrypt, unchecked_return_type = "EsdkDecryptResult")]
pub async fn esdk_decrypt(
    ciphertext: Uint8Array,
    #[wasm_bindgen(unchecked_param_type = "EsdkOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let o = opts(options)?;
    let len = ciphertext.length();
    let backend = backend(choice(&o)?, Some(len as usize))?;
    let dec = engine::one_shot_decryptor(&o).map_err(err::<EsdkError>)?;
    let mut stream =
        DecStream { dec: BatchDecryptor::new(dec, backend), hash: HashHandOff::for_len(len as usize) };
    let mut sink = Sink::Fixed { buf: Uint8Array::new_with_length(len), len: 0 };
    pump(&mut stream, &ciphertext, &mut sink).await?;
    let header = stream.dec.inner().header().map(engine::header_json);
    sink.write(&stream.end_batched().await.map_err(err::<EsdkError>)?)?;
    let header = header.ok_or_else(|| err(EsdkError::Truncated { what: "the header" }))?;
    let out = Object::new();
    Reflect::set(&out, &"plaintext".into(), &sink.into_array())?;
    Reflect::set(&out, &"header".into(), &to_js(&header)?)?;
    Ok(out.into())
}

/// Describe a message (or its first bytes) without any key: header fields, frames, footer.
#[wasm_bindgen(js_name = esdkInspect)]
pub fn esdk_inspect(message: &[u8]) -> Result<JsValue, JsValue> {
    to_js(&engine::inspect(message).map_err(err::<EsdkError>)?)
}

/// Output waiting for `drainInto`: lets a caller stream through one reused buffer, so no new JS
/// buffer is made per chunk (garbage that V8 frees only after ~64 MiB of it piles up).
#[derive(Default)]
struct Ready {
    bytes: Vec<u8>,
    pos: usize,
}

impl Ready {
    /// Copy as much as fits into `out`; returns how many bytes were copied.
    fn drain_into(&mut self, out: &Uint8Array) -> u32 {
        let src = self.bytes.get(self.pos..).unwrap_or_default();
        let n = src.len().min(out.length() as usize);
        if let Some(src) = src.get(..n) {
            // Only the bytes written cross the boundary (a `&mut [u8]` parameter would copy the
            // whole buffer into wasm and back on every call).
            out.subarray(0, n as u32).copy_from(src);
        }
        self.pos += n;
        if self.pos >= self.bytes.len() {
            self.bytes.clear();
            self.pos = 0;
        }
        n as u32
    }

    /// What is left, followed by `tail`.
    fn take_with(&mut self, tail: Vec<u8>) -> Vec<u8> {
        let mut rest = self.bytes.split_off(self.pos.min(self.bytes.len()));
        self.bytes.clear();
        self.pos = 0;
        if rest.is_empty() {
            return tail;
        }
        rest.extend_from_slice(&tail);
        rest
    }
}

fn closed() -> JsValue {
    js_error("StreamClosed", "this stream has finished or failed: create a new one")
}

fn busy() -> JsValue {
    js_error(
        "StreamBusy",
        "an updateAsync/finishAsync call on this stream has not settled yet: await it first",
    )
}

/// A stream plus the bytes it has made ready but the caller has not taken yet. A failed stream
/// is dropped: every later call says `StreamClosed`.
struct Pipe<S> {
    inner: Option<S>,
    ready: Ready,
    /// An `updateAsync` / `finishAsync` holds the stream until its Promise settles.
    busy: bool,
}

/// A pipe shared with the Promise of an `updateAsync` / `finishAsync` call in flight.
type Shared<S> = Rc<RefCell<Pipe<S>>>;

impl<S: Stream + 'static> Pipe<S> {
    fn shared(stream: S) -> Shared<S> {
        Rc::new(RefCell::new(Self { inner: Some(stream), ready: Ready::default(), busy: false }))
    }

    fn push(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
        let stream = self.inner.as_mut().ok_or_else(closed)?;
        stream.push(chunk, &mut self.ready.bytes).map_err(|e| {
            self.inner = None;
            err(e)
        })
    }

    fn update(&mut self, chunk: &[u8]) -> Result<Uint8Array, JsValue> {
        self.push(chunk)?;
        Ok(Uint8Array::from(&self.ready.take_with(Vec::new())[..]))
    }

    fn update_into(&mut self, chunk: &[u8], out: &Uint8Array) -> Result<u32, JsValue> {
        self.push(chunk)?;
        Ok(self.ready.drain_into(out))
    }

    fn finish(&mut self) -> Result<Uint8Array, JsValue> {
        let stream = self.inner.take().ok_or_else(closed)?;
        let out = self.ready.take_with(stream.end().map_err(err::<EsdkError>)?);
        Ok(Uint8Array::from(&out[..]))
    }

    /// Whatever is ready first, then this call's output.
    fn sink(&mut self) -> Result<Sink, JsValue> {
        let mut sink = Sink::Pieces(Vec::new());
        sink.write(&self.ready.take_with(Vec::new()))?;
        Ok(sink)
    }

    /// Take the stream (and what is ready) out for a Promise-returning call.
    fn lend(pipe: &Shared<S>) -> Result<(S, Sink), JsValue> {
        let sink = borrow(pipe)?.sink()?;
        Ok((Self::lend_keeping_ready(pipe)?, sink))
    }

    /// Put the stream back (or, after a failure, leave it closed).
    fn give_back(pipe: &Shared<S>, stream: Option<S>) {
        if let Ok(mut p) = pipe.try_borrow_mut() {
            p.inner = stream;
            p.busy = false;
        }
    }

    /// `pushAsync`: the output stays in `ready` for `drainInto`; resolves to how many bytes wait.
    fn push_async(pipe: &Shared<S>, chunk: Uint8Array) -> Promise {
        let pipe = Rc::clone(pipe);
        future_to_promise(async move {
            // The output is appended straight to what waits for `drainInto` (no copy in between);
            // `drainInto` is refused while this call holds the stream.
            let mut stream = Self::lend_keeping_ready(&pipe)?;
            let mut ready =
                pipe.try_borrow_mut().map(|mut p| std::mem::take(&mut p.ready.bytes)).unwrap_or_default();
            let r = pump_with(&mut stream, &chunk, &mut ready, |_| Ok(())).await;
            if let Ok(mut p) = pipe.try_borrow_mut() {
                p.ready.bytes = ready;
            }
            Self::give_back(&pipe, r.is_ok().then_some(stream));
            r?;
            let p = borrow(&pipe)?;
            Ok(JsValue::from(p.ready.bytes.len().saturating_sub(p.ready.pos) as f64))
        })
    }

    /// Take the stream out for a Promise-returning call, leaving what is ready in place.
    fn lend_keeping_ready(pipe: &Shared<S>) -> Result<S, JsValue> {
        let mut p = borrow(pipe)?;
        let stream = p.inner.take().ok_or_else(closed)?;
        p.busy = true;
        Ok(stream)
    }

    fn update_async(pipe: &Shared<S>, chunk: Uint8Array) -> Promise {
        let pipe = Rc::clone(pipe);
        future_to_promise(async move {
            let (mut stream, mut sink) = Self::lend(&pipe)?;
            let r = pump(&mut stream, &chunk, &mut sink).await;
            Self::give_back(&pipe, r.is_ok().then_some(stream));
            r.map(|()| sink.into_array().into())
        })
    }

    fn finish_async(pipe: &Shared<S>) -> Promise {
        let pipe = Rc::clone(pipe);
        future_to_promise(async move {
            let (stream, mut sink) = Self::lend(&pipe)?;
            let r = stream.end_batched().await;
            Self::give_back(&pipe, None);
            sink.write(&r.map_err(err::<EsdkError>)?)?;
            Ok(sink.into_array().into())
        })
    }
}

fn borrow<S>(pipe: &Shared<S>) -> Result<std::cell::RefMut<'_, Pipe<S>>, JsValue> {
    let p = pipe.try_borrow_mut().map_err(|_| busy())?;
    if p.busy {
        return Err(busy());
    }
    Ok(p)
}

/// Streaming encryption: `update(chunk)` returns the bytes ready so far, `finish()` the rest.
/// Memory stays at about one frame (or one 1 MiB window) whatever the message size.
#[wasm_bindgen(js_name = EsdkEncryptor)]
pub struct EsdkEncryptor {
    pipe: Shared<EncStream>,
}

#[wasm_bindgen(js_class = EsdkEncryptor)]
impl EsdkEncryptor {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "EsdkOptions")] options: JsValue,
    ) -> Result<Self, JsValue> {
        let o = opts(options)?;
        let backend = backend(choice(&o)?, None)?;
        let enc = engine::encryptor(&o).map_err(err::<EsdkError>)?;
        Ok(Self { pipe: Pipe::shared(EncStream { enc, backend, aead: None, hash: HashHandOff::default() }) })
    }

    /// Push plaintext; returns ciphertext bytes that are ready (possibly none).
    pub fn update(&self, chunk: &[u8]) -> Result<Uint8Array, JsValue> {
        borrow(&self.pipe)?.update(chunk)
    }

    /// Push plaintext and copy the message bytes that are ready into `out` (a buffer you reuse);
    /// returns how many were copied. If more were ready than fit, call `drainInto(out)` until it
    /// returns 0 before the next `updateInto`. `finish()` returns anything not yet drained.
    #[wasm_bindgen(js_name = updateInto)]
    pub fn update_into(&self, chunk: &[u8], out: &Uint8Array) -> Result<u32, JsValue> {
        borrow(&self.pipe)?.update_into(chunk, out)
    }

    /// Copy more ready bytes into `out`; returns how many (0 when none are left).
    #[wasm_bindgen(js_name = drainInto)]
    pub fn drain_into(&self, out: &Uint8Array) -> Result<u32, JsValue> {
        Ok(borrow(&self.pipe)?.ready.drain_into(out))
    }

    /// End the message: the final frame and, for signed suites, the footer. A signing stream begun
    /// with a Promise-returning call hashes in a worker and must end with `finishAsync`.
    pub fn finish(&self) -> Result<Uint8Array, JsValue> {
        borrow(&self.pipe)?.finish()
    }

    /// As `update`, with the frames sealed through WebCrypto (`opts.aead`); await each call
    /// before the next.
    #[wasm_bindgen(js_name = updateAsync, unchecked_return_type = "Promise<Uint8Array>")]
    pub fn update_async(&self, chunk: Uint8Array) -> Promise {
        Pipe::update_async(&self.pipe, chunk)
    }

    /// As `finish`, through WebCrypto.
    #[wasm_bindgen(js_name = finishAsync, unchecked_return_type = "Promise<Uint8Array>")]
    pub fn finish_async(&self) -> Promise {
        Pipe::finish_async(&self.pipe)
    }

    /// As `updateAsync`, but the output waits for `drainInto(out)` (a buffer you reuse) instead of
    /// coming back as a new buffer: resolves to how many bytes wait. No JS garbage per call.
    #[wasm_bindgen(js_name = pushAsync, unchecked_return_type = "Promise<number>")]
    pub fn push_async(&self, chunk: Uint8Array) -> Promise {
        Pipe::push_async(&self.pipe, chunk)
    }
}

/// Streaming decryption: `update(chunk)` returns plaintext of frames whose tags verified;
/// `finish()` checks the message is complete (and its signature) and returns what is left.
#[wasm_bindgen(js_name = EsdkDecryptor)]
pub struct EsdkDecryptor {
    pipe: Shared<DecStream>,
}

#[wasm_bindgen(js_class = EsdkDecryptor)]
impl EsdkDecryptor {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "EsdkOptions")] options: JsValue,
    ) -> Result<Self, JsValue> {
        let o = opts(options)?;
        let backend = backend(choice(&o)?, None)?;
        let dec = engine::decryptor(&o).map_err(err::<EsdkError>)?;
        let dec = BatchDecryptor::new(dec, backend);
        Ok(Self { pipe: Pipe::shared(DecStream { dec, hash: HashHandOff::default() }) })
    }

    /// Push ciphertext; returns verified plaintext that is ready (possibly none). A signed message
    /// whose stream began with a Promise-returning call is hashed in a worker: its footer must
    /// come through `updateAsync` / `pushAsync`.
    pub fn update(&self, chunk: &[u8]) -> Result<Uint8Array, JsValue> {
        borrow(&self.pipe)?.update(chunk)
    }

    /// The header, once enough bytes have arrived to read it.
    #[wasm_bindgen(unchecked_return_type = "EsdkHeader | undefined")]
    pub fn header(&self) -> Result<JsValue, JsValue> {
        let pipe = borrow(&self.pipe)?;
        match pipe.inner.as_ref().and_then(|d| d.dec.inner().header()) {
            Some(h) => to_js(&engine::header_json(h)),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Push message bytes and copy the verified plaintext bytes that are ready into `out` (a buffer
    /// you reuse); returns how many were copied. If more were ready than fit, call `drainInto(out)`
    /// until it returns 0 before the next `updateInto`. `finish()` returns anything not yet drained.
    #[wasm_bindgen(js_name = updateInto)]
    pub fn update_into(&self, chunk: &[u8], out: &Uint8Array) -> Result<u32, JsValue> {
        borrow(&self.pipe)?.update_into(chunk, out)
    }

    /// Copy more ready bytes into `out`; returns how many (0 when none are left).
    #[wasm_bindgen(js_name = drainInto)]
    pub fn drain_into(&self, out: &Uint8Array) -> Result<u32, JsValue> {
        Ok(borrow(&self.pipe)?.ready.drain_into(out))
    }

    /// End of input: fails if the message is incomplete or its signature does not verify.
    pub fn finish(&self) -> Result<Uint8Array, JsValue> {
        borrow(&self.pipe)?.finish()
    }

    /// As `update`, with the frames opened through WebCrypto (`opts.aead`); await each call
    /// before the next.
    #[wasm_bindgen(js_name = updateAsync, unchecked_return_type = "Promise<Uint8Array>")]
    pub fn update_async(&self, chunk: Uint8Array) -> Promise {
        Pipe::update_async(&self.pipe, chunk)
    }

    /// As `finish`.
    #[wasm_bindgen(js_name = finishAsync, unchecked_return_type = "Promise<Uint8Array>")]
    pub fn finish_async(&self) -> Promise {
        Pipe::finish_async(&self.pipe)
    }

    /// As `updateAsync`, but the plaintext waits for `drainInto(out)` (a buffer you reuse) instead
    /// of coming back as a new buffer: resolves to how many bytes wait. No JS garbage per call.
    #[wasm_bindgen(js_name = pushAsync, unchecked_return_type = "Promise<number>")]
    pub fn push_async(&self, chunk: Uint8Array) -> Promise {
        Pipe::push_async(&self.pipe, chunk)
    }
}
