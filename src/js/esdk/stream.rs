//! The stream glue of the ESDK's JS API: engine streams fed through a batch cipher (WebCrypto or
//! the pure-Rust one) a window at a time, the signature's hash handed to a worker, and where the
//! output goes. Used by the one-shot calls and by the `EsdkEncryptor` / `EsdkDecryptor` classes
//! (`pipe.rs`); no JS API of its own.

use js_sys::Uint8Array;
use wasm_bindgen::JsValue;

use super::super::error::{js_error, to_js as err};
use crate::crypto::esdk::signature::OutsideHashFactory;
use crate::crypto::esdk::{BatchBackend, BatchDecryptor, Encryptor, EsdkError};
use crate::web::esdk_aead::{AnyAead, AnyBackend};
use crate::web::hash_slices::SlicedHashPlan;
use crate::web::hash_worker::HashPlan;
use crate::web::yield_now::turn_after;

/// Bytes copied between JS and wasm per step of the Promise-returning calls.
const WINDOW: usize = 1 << 20;

/// One-shot messages from this size up hash their signature in a worker (`web/hash_worker.rs`);
/// the streams always do where workers exist. The bytes of a window reach the worker only after the
/// calling thread is done with it, so a message gains only over several windows; below this size
/// the worker makes a message slower, and the hash runs on the calling thread a slice per task
/// (`web/hash_slices.rs`), as it does wherever no worker can be had.
const HASH_WORKER_MIN: usize = 4 << 20;

/// The error of a message too large for one JS buffer.
pub(super) fn too_large() -> JsValue {
    js_error("InvalidInput", "the message would exceed 4 GiB: use EsdkEncryptor / EsdkDecryptor")
}

/// The error of a stream used after it finished or failed.
pub(super) fn closed() -> JsValue {
    js_error("StreamClosed", "this stream has finished or failed: create a new one")
}

/// An engine stream that can be fed through a batch cipher as well as synchronously.
pub(super) trait Stream {
    fn push(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), EsdkError>;
    async fn push_batched(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), EsdkError>;
    fn end(self) -> Result<Vec<u8>, EsdkError>;
    async fn end_batched(self) -> Result<Vec<u8>, EsdkError>;
}

/// Where the signature's hash runs for the Promise-returning calls.
enum HashPlace {
    /// In a worker, on another core.
    Worker(HashPlan),
    /// On the calling thread, a slice per task.
    Slices(SlicedHashPlan),
}

/// The signature's hash outside the engine: decided at a stream's first batched call (a stream
/// begun with the synchronous calls, which cannot wait, hashes in the engine).
#[derive(Default)]
pub(super) struct HashHandOff {
    decided: bool,
    /// Too small a message to gain from a worker: hash in slices straight away.
    no_worker: bool,
    place: Option<HashPlace>,
}

impl HashHandOff {
    /// For a one-shot message of `len` bytes: a worker only from [`HASH_WORKER_MIN`] up.
    pub(super) fn for_len(len: usize) -> Self {
        Self { decided: false, no_worker: len < HASH_WORKER_MIN, place: None }
    }

    /// The factory of a worker (if one can be had) or of the sliced hash the first time, `None`
    /// after.
    async fn first_time(&mut self) -> Option<OutsideHashFactory<'static>> {
        if std::mem::replace(&mut self.decided, true) {
            return None;
        }
        let worker = if self.no_worker { None } else { HashPlan::prepare().await };
        let place = match worker {
            Some(plan) => HashPlace::Worker(plan),
            None => HashPlace::Slices(SlicedHashPlan::new()),
        };
        let factory = match &place {
            HashPlace::Worker(p) => p.factory(),
            HashPlace::Slices(p) => p.factory(),
        };
        self.place = Some(place);
        Some(factory)
    }

    /// A Promise-returning call (`true`) or a synchronous one (`false`) begins.
    fn calling(&self, batched: bool) {
        if let Some(HashPlace::Slices(p)) = &self.place {
            p.defer(batched);
        }
    }

    /// After a batched call: let the worker catch up if it has fallen behind (bounded memory), or
    /// hash what waits on this thread, a slice per task.
    async fn backlog(&self) {
        match &self.place {
            Some(HashPlace::Worker(p)) => p.backlog().await,
            Some(HashPlace::Slices(p)) => p.catch_up().await,
            None => {}
        }
    }
}

/// An encryptor and the backend (and, once made, the cipher) of its batched calls.
pub(super) struct EncStream {
    pub(super) enc: Encryptor,
    pub(super) backend: AnyBackend,
    pub(super) aead: Option<AnyAead>,
    pub(super) hash: HashHandOff,
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
        self.hash.calling(false);
        self.enc.update_into(chunk, out)
    }
    async fn push_batched(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), EsdkError> {
        self.aead().await?;
        self.hash.calling(true);
        let aead = self.aead.as_ref().ok_or(EsdkError::StreamClosed)?;
        self.enc.update_with(chunk, out, aead).await?;
        self.hash.backlog().await;
        Ok(())
    }
    fn end(self) -> Result<Vec<u8>, EsdkError> {
        self.hash.calling(false);
        self.enc.finish()
    }
    async fn end_batched(mut self) -> Result<Vec<u8>, EsdkError> {
        self.aead().await?;
        self.hash.calling(true);
        let aead = self.aead.take().ok_or(EsdkError::StreamClosed)?;
        self.enc.finish_with(&aead).await
    }
}

/// A decryptor whose batched calls open frames through the backend.
pub(super) struct DecStream {
    pub(super) dec: BatchDecryptor<'static, AnyBackend>,
    pub(super) hash: HashHandOff,
}

impl Stream for DecStream {
    fn push(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), EsdkError> {
        self.hash.calling(false);
        self.dec.inner_mut().update_into(chunk, out)
    }
    async fn push_batched(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), EsdkError> {
        // Before the header is read the suite is unknown: a worker stands by, used if it signs.
        if self.dec.inner().header().is_none() {
            if let Some(factory) = self.hash.first_time().await {
                self.dec.inner_mut().hash_outside(factory);
            }
        }
        self.hash.calling(true);
        self.dec.update_into(chunk, out).await?;
        self.hash.backlog().await;
        Ok(())
    }
    fn end(self) -> Result<Vec<u8>, EsdkError> {
        self.dec.finish()
    }
    async fn end_batched(self) -> Result<Vec<u8>, EsdkError> {
        // The signature was checked when the footer came in (in `push_batched`).
        self.dec.finish()
    }
}

/// Where the Promise-returning calls put their output: one JS buffer of known maximum size (the
/// one-shot calls), or a list of pieces joined at the end (the streams).
pub(super) enum Sink {
    Fixed { buf: Uint8Array, len: u32 },
    Pieces(Vec<Uint8Array>),
}

impl Sink {
    pub(super) fn write(&mut self, bytes: &[u8]) -> Result<(), JsValue> {
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

    pub(super) fn into_array(self) -> Uint8Array {
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
pub(super) async fn pump<S: Stream>(
    stream: &mut S,
    input: &Uint8Array,
    sink: &mut Sink,
) -> Result<(), JsValue> {
    pump_with(stream, input, &mut Vec::new(), |out| {
        sink.write(out)?;
        out.clear();
        Ok(())
    })
    .await
}

/// Feed `input` to `stream` a window at a time, each window's output appended to `out`, then
/// `each(out)`. Each window counts as work done on this thread ([`turn_after`]): the event loop
/// gets a turn every 1 MiB, which awaiting WebCrypto does not give in Chromium, and the pure-Rust
/// cipher (AES-192 in Chromium, `aead: "rust"`) never would.
pub(super) async fn pump_with<S: Stream>(
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
        turn_after(n).await;
    }
    Ok(())
}
