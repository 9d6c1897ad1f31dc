//! The half `EsdkEncryptor` and `EsdkDecryptor` share: a stream behind a `RefCell` that the
//! Promise-returning calls borrow until they settle, the bytes waiting for `drainInto`, and the
//! JS methods themselves (`update`, `updateInto`, `drainInto`, `finish`, `updateAsync`,
//! `finishAsync`, `pushAsync`), written once in [`StreamHandle`] and exported for both classes by
//! `stream_class!` (wasm-bindgen exports no generic or trait methods).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::future_to_promise;

use super::super::args;
use super::super::error::{js_error, to_js as err};
use super::stream::{closed, pump, pump_with, Sink, Stream};
use crate::crypto::esdk::EsdkError;

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

fn busy() -> JsValue {
    js_error(
        "StreamBusy",
        "an updateAsync/finishAsync call on this stream has not settled yet: await it first",
    )
}

/// A stream plus the bytes it has made ready but the caller has not taken yet. A failed stream
/// is dropped: every later call says `StreamClosed`.
pub(super) struct Pipe<S> {
    pub(super) inner: Option<S>,
    ready: Ready,
    /// An `updateAsync` / `finishAsync` holds the stream until its Promise settles.
    busy: bool,
}

/// A pipe shared with the Promise of an `updateAsync` / `finishAsync` call in flight.
pub(super) type Shared<S> = Rc<RefCell<Pipe<S>>>;

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

/// The JS methods common to both stream classes, with their arguments checked: a wrong type is
/// `InvalidInput` (a rejected Promise from the Promise-returning ones) and leaves the stream as it was.
pub(super) struct StreamHandle<S> {
    pipe: Shared<S>,
}

impl<S: Stream + 'static> StreamHandle<S> {
    pub(super) fn new(stream: S) -> Self {
        Self { pipe: Pipe::shared(stream) }
    }

    /// The stream, unless a Promise-returning call holds it.
    pub(super) fn borrow(&self) -> Result<std::cell::RefMut<'_, Pipe<S>>, JsValue> {
        borrow(&self.pipe)
    }

    pub(super) fn update(&self, chunk: &JsValue) -> Result<Uint8Array, JsValue> {
        let chunk = args::bytes(chunk, "chunk")?;
        self.borrow()?.update(&chunk)
    }

    pub(super) fn update_into(&self, chunk: &JsValue, out: &JsValue) -> Result<u32, JsValue> {
        let chunk = args::bytes(chunk, "chunk")?;
        let out = args::uint8_array(out, "out")?;
        self.borrow()?.update_into(&chunk, &out)
    }

    pub(super) fn drain_into(&self, out: &JsValue) -> Result<u32, JsValue> {
        let out = args::uint8_array(out, "out")?;
        Ok(self.borrow()?.ready.drain_into(&out))
    }

    pub(super) fn finish(&self) -> Result<Uint8Array, JsValue> {
        self.borrow()?.finish()
    }

    pub(super) fn update_async(&self, chunk: &JsValue) -> Promise {
        match args::uint8_array(chunk, "chunk") {
            Ok(chunk) => Pipe::update_async(&self.pipe, chunk),
            Err(e) => Promise::reject(&e),
        }
    }

    pub(super) fn finish_async(&self) -> Promise {
        Pipe::finish_async(&self.pipe)
    }

    pub(super) fn push_async(&self, chunk: &JsValue) -> Promise {
        match args::uint8_array(chunk, "chunk") {
            Ok(chunk) => Pipe::push_async(&self.pipe, chunk),
            Err(e) => Promise::reject(&e),
        }
    }
}

/// Exports the common methods for a stream class `$class { handle: StreamHandle<_> }`, with the
/// three doc comments that differ between encryption and decryption.
macro_rules! stream_class {
    ($class:ident, update: $update:literal, update_into: $update_into:literal, finish: $finish:literal) => {
        #[wasm_bindgen(js_class = $class)]
        impl $class {
            #[doc = $update]
            pub fn update(
                &self,
                #[wasm_bindgen(unchecked_param_type = "Uint8Array")] chunk: JsValue,
            ) -> Result<Uint8Array, JsValue> {
                self.handle.update(&chunk)
            }

            #[doc = $update_into]
            #[wasm_bindgen(js_name = updateInto)]
            pub fn update_into(
                &self,
                #[wasm_bindgen(unchecked_param_type = "Uint8Array")] chunk: JsValue,
                #[wasm_bindgen(unchecked_param_type = "Uint8Array")] out: JsValue,
            ) -> Result<u32, JsValue> {
                self.handle.update_into(&chunk, &out)
            }

            /// Copy more ready bytes into `out`; returns how many (0 when none are left).
            #[wasm_bindgen(js_name = drainInto)]
            pub fn drain_into(
                &self,
                #[wasm_bindgen(unchecked_param_type = "Uint8Array")] out: JsValue,
            ) -> Result<u32, JsValue> {
                self.handle.drain_into(&out)
            }

            #[doc = $finish]
            pub fn finish(&self) -> Result<Uint8Array, JsValue> {
                self.handle.finish()
            }

            /// As `update`, with the frames through WebCrypto (`opts.aead`); await each call
            /// before the next.
            #[wasm_bindgen(js_name = updateAsync, unchecked_return_type = "Promise<Uint8Array>")]
            pub fn update_async(
                &self,
                #[wasm_bindgen(unchecked_param_type = "Uint8Array")] chunk: JsValue,
            ) -> Promise {
                self.handle.update_async(&chunk)
            }

            /// As `finish`, through WebCrypto.
            #[wasm_bindgen(js_name = finishAsync, unchecked_return_type = "Promise<Uint8Array>")]
            pub fn finish_async(&self) -> Promise {
                self.handle.finish_async()
            }

            /// As `updateAsync`, but the output waits for `drainInto(out)` (a buffer you reuse)
            /// instead of coming back as a new buffer: resolves to how many bytes wait. No JS
            /// garbage per call.
            #[wasm_bindgen(js_name = pushAsync, unchecked_return_type = "Promise<number>")]
            pub fn push_async(
                &self,
                #[wasm_bindgen(unchecked_param_type = "Uint8Array")] chunk: JsValue,
            ) -> Promise {
                self.handle.push_async(&chunk)
            }
        }
    };
}
pub(super) use stream_class;
