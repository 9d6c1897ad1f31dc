//! The ESDK signature's hash (SHA-384 or SHA-256 over header and body) in a worker, so it runs on
//! another core while the calling thread drives the frames' AES-GCM; on the calling thread the hash
//! would hold the signing suites well below the unsigned ones.
//!
//! The worker runs this same wasm module (`wasm_bindgen::module()`, compiled once, shared), started
//! from a blob with no imports it can use: it only calls the four `__secplay_hash_*` exports below,
//! which touch no JS value. Bytes go over in 1 MiB buffers that are transferred, not copied, and
//! come back for reuse, so no garbage builds up; at most [`MAX_IN_FLIGHT`] are out at once.
//! Replies carry a session id, so an abandoned message can't hand its digest to the next one.
//! Anything that goes wrong while setting up means the hash runs on the calling thread instead,
//! a slice per task (`hash_slices.rs`).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, ArrayBuffer, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, MessageEvent, Url, Worker};

use crate::crypto::esdk::signature::{LocalFuture, OutsideHash, OutsideHashFactory, SignedBytesHash};
use crate::crypto::esdk::suite::SignatureAlgorithm;
use crate::crypto::esdk::EsdkError;

/// Bytes per buffer sent to the worker.
const CHUNK: u32 = 1 << 20;
/// Buffers out at once before the caller waits ([`HashPlan::backlog`]): 16 MiB.
const MAX_IN_FLIGHT: usize = 16;
/// Idle workers kept for the next message.
const POOL: usize = 2;
/// Buffers an idle worker keeps.
const IDLE_BUFFERS: usize = 2;

/// The worker's script: instantiate the module, then hash what arrives.
const SCRIPT: &str = r#"
"use strict";
let ex = null;
const stub = (name) => () => { throw new Error("secplay hash worker: " + name + " is not available here"); };
onmessage = (e) => {
  const m = e.data;
  try {
    if (m.op === "init") {
      const imports = {};
      for (const i of WebAssembly.Module.imports(m.module)) (imports[i.module] ??= {})[i.name] = stub(i.name);
      ex = new WebAssembly.Instance(m.module, imports).exports;
      postMessage({ op: "ready", id: m.id });
    } else if (m.op === "begin") {
      if (!ex.__secplay_hash_begin(m.alg)) throw new Error("unknown hash " + m.alg);
    } else if (m.op === "data") {
      const ptr = ex.__secplay_hash_buffer(m.len) >>> 0;
      if (!ptr) throw new Error("no room for " + m.len + " bytes");
      new Uint8Array(ex.memory.buffer, ptr, m.len).set(new Uint8Array(m.buf, 0, m.len));
      ex.__secplay_hash_update(m.len);
      postMessage({ op: "free", id: m.id, buf: m.buf }, [m.buf]);
    } else if (m.op === "end") {
      const n = ex.__secplay_hash_finish() >>> 0;
      if (!n) throw new Error("no hash in progress");
      const ptr = ex.__secplay_hash_buffer(n) >>> 0;
      postMessage({ op: "digest", id: m.id, digest: new Uint8Array(ex.memory.buffer, ptr, n).slice() });
    }
  } catch (err) {
    postMessage({ op: "error", id: m.id, message: String(err && err.message || err) });
  }
};
"#;

// --- the worker's side: this module instantiated again, inside the worker ---------------------

thread_local! {
    static RUNNING: RefCell<Option<SignedBytesHash>> = const { RefCell::new(None) };
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Worker side: start a hash (256 or 384); false for anything else.
#[doc(hidden)]
#[wasm_bindgen(js_name = __secplay_hash_begin, skip_typescript)]
pub fn hash_begin(alg: u32) -> bool {
    let alg = match alg {
        256 => SignatureAlgorithm::EcdsaP256Sha256,
        384 => SignatureAlgorithm::EcdsaP384Sha384,
        _ => return false,
    };
    RUNNING.with(|r| *r.borrow_mut() = Some(SignedBytesHash::new(alg)));
    true
}

/// Worker side: the address of a buffer of `len` bytes (at most [`CHUNK`]) to write into; 0 if
/// `len` is larger.
#[doc(hidden)]
#[wasm_bindgen(js_name = __secplay_hash_buffer, skip_typescript)]
pub fn hash_buffer(len: u32) -> u32 {
    if len > CHUNK {
        return 0;
    }
    INPUT.with(|b| {
        let mut b = b.borrow_mut();
        b.resize(len as usize, 0);
        b.as_ptr() as u32
    })
}

/// Worker side: hash the first `len` bytes of the buffer.
#[doc(hidden)]
#[wasm_bindgen(js_name = __secplay_hash_update, skip_typescript)]
pub fn hash_update(len: u32) {
    INPUT.with(|b| {
        let b = b.borrow();
        let bytes = b.get(..len as usize).unwrap_or_default();
        RUNNING.with(|r| {
            if let Some(h) = r.borrow_mut().as_mut() {
                h.update(bytes);
            }
        });
    });
}

/// Worker side: end the hash; the digest is left in the buffer. Returns its length (0: none).
#[doc(hidden)]
#[wasm_bindgen(js_name = __secplay_hash_finish, skip_typescript)]
pub fn hash_finish() -> u32 {
    let Some(digest) = RUNNING.with(|r| r.borrow_mut().take()).map(SignedBytesHash::finish) else {
        return 0;
    };
    INPUT.with(|b| *b.borrow_mut() = digest.clone());
    digest.len() as u32
}

// --- the calling side ----------------------------------------------------------------------------

/// Replies from a worker, and who waits for them.
#[derive(Default)]
struct Inbox {
    /// Buffers back from the worker, ready for reuse.
    free: Vec<ArrayBuffer>,
    /// Buffers at the worker.
    out: usize,
    /// The session whose replies count; others' are dropped.
    session: u32,
    /// Resolves the pending `ready` / `digest` wait (with the reply) or rejects it.
    reply: Option<(Function, Function)>,
    /// Resolves a wait for a buffer to come back.
    room: Option<Function>,
    /// The worker failed: no more sessions on it.
    broken: bool,
}

/// A worker and its handlers.
struct HashWorker {
    worker: Worker,
    inbox: Rc<RefCell<Inbox>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(JsValue)>,
}

/// How long a worker may take to load the module before the engine hashes in place instead.
const READY_MS: i32 = 10_000;
/// How long the digest may take once the last bytes are sent (at most [`MAX_IN_FLIGHT`] MiB are
/// still to hash then): a worker that stops answering fails the message instead of hanging it.
const DIGEST_MS: i32 = 30_000;

/// `promise`, or a rejection after `ms` milliseconds.
fn within(promise: Promise, ms: i32) -> Promise {
    let timer = Promise::new(&mut |_, reject| {
        let set_timeout = Reflect::get(&js_sys::global(), &"setTimeout".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok());
        let why = message(&[("message", "no answer in time".into())]);
        if let Some(f) = set_timeout {
            let fire = reject.bind1(&JsValue::UNDEFINED, &why);
            let _ = f.call2(&JsValue::UNDEFINED, &fire, &ms.into());
        }
    });
    Promise::race(&Array::of2(&promise, &timer))
}

thread_local! {
    static IDLE: RefCell<Vec<HashWorker>> = const { RefCell::new(Vec::new()) };
    static NEXT_SESSION: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
    /// A worker failed to start here once (say, the page's CSP forbids blob: workers): don't retry.
    static UNAVAILABLE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn field(v: &JsValue, name: &str) -> JsValue {
    Reflect::get(v, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

fn message(fields: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in fields {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o
}

impl HashWorker {
    /// An idle worker, or a new one once it has loaded the module; `None` where workers or the
    /// module are unavailable (Node, an old browser) or setting up failed.
    async fn acquire() -> Option<Self> {
        if let Some(w) = IDLE.with(|p| p.borrow_mut().pop()) {
            return Some(w);
        }
        let has_worker = Reflect::has(&js_sys::global(), &"Worker".into()).unwrap_or(false);
        let module = wasm_bindgen::module();
        if !has_worker || UNAVAILABLE.get() || !module.is_instance_of::<js_sys::WebAssembly::Module>() {
            return None;
        }
        let started = async {
            let w = Self::spawn().ok()?;
            let session = w.begin_session();
            let ready = w.wait_reply();
            let init = message(&[("op", "init".into()), ("id", session.into()), ("module", module)]);
            if w.worker.post_message(&init).is_err() || JsFuture::from(within(ready, READY_MS)).await.is_err()
            {
                w.worker.terminate();
                return None;
            }
            Some(w)
        }
        .await;
        if started.is_none() {
            UNAVAILABLE.set(true);
        }
        started
    }

    fn spawn() -> Result<Self, JsValue> {
        let parts = Array::of1(&SCRIPT.into());
        let bag = BlobPropertyBag::new();
        bag.set_type("text/javascript");
        let blob = Blob::new_with_str_sequence_and_options(&parts, &bag)?;
        let url = Url::create_object_url_with_blob(&blob)?;
        let worker = Worker::new(&url);
        let _ = Url::revoke_object_url(&url);
        let worker = worker?;
        let inbox = Rc::new(RefCell::new(Inbox::default()));
        let sink = Rc::clone(&inbox);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let data = e.data();
            let Ok(mut inbox) = sink.try_borrow_mut() else { return };
            let op = field(&data, "op").as_string().unwrap_or_default();
            if op == "free" {
                if let Ok(buf) = field(&data, "buf").dyn_into::<ArrayBuffer>() {
                    inbox.free.push(buf);
                }
                inbox.out = inbox.out.saturating_sub(1);
                if let Some(room) = inbox.room.take() {
                    let _ = room.call0(&JsValue::UNDEFINED);
                }
                return;
            }
            let id = field(&data, "id").as_f64().unwrap_or(-1.0);
            if id != f64::from(inbox.session) {
                return;
            }
            if op == "error" {
                inbox.broken = true;
            }
            if let Some((resolve, reject)) = inbox.reply.take() {
                let _ = if op == "error" {
                    reject.call1(&JsValue::UNDEFINED, &data)
                } else {
                    resolve.call1(&JsValue::UNDEFINED, &data)
                };
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // A worker that cannot start (a page's CSP without `worker-src blob:`) or that dies fails
        // whoever waits on it, so nothing hangs; setting up then falls back to the in-place hash.
        let sink = Rc::clone(&inbox);
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            if let Some(ev) = e.dyn_ref::<web_sys::Event>() {
                ev.prevent_default();
            }
            let Ok(mut inbox) = sink.try_borrow_mut() else { return };
            inbox.broken = true;
            let why = message(&[("message", "the hash worker failed to start or stopped".into())]);
            if let Some((_, reject)) = inbox.reply.take() {
                let _ = reject.call1(&JsValue::UNDEFINED, &why);
            }
            if let Some(room) = inbox.room.take() {
                let _ = room.call0(&JsValue::UNDEFINED);
            }
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Self { worker, inbox, _on_message: on_message, _on_error: on_error })
    }

    fn begin_session(&self) -> u32 {
        let id = NEXT_SESSION.with(|n| {
            let id = n.get();
            n.set(id.wrapping_add(1).max(1));
            id
        });
        if let Ok(mut inbox) = self.inbox.try_borrow_mut() {
            inbox.session = id;
            inbox.reply = None;
        }
        id
    }

    /// A Promise of the current session's next `ready` / `digest` reply.
    fn wait_reply(&self) -> Promise {
        let inbox = Rc::clone(&self.inbox);
        Promise::new(&mut |resolve, reject| {
            if let Ok(mut i) = inbox.try_borrow_mut() {
                i.reply = Some((resolve, reject));
            }
        })
    }

    fn release(self) {
        // An idle worker keeps two buffers for its next message, not the whole backlog's worth.
        if let Ok(mut i) = self.inbox.try_borrow_mut() {
            i.free.truncate(IDLE_BUFFERS);
        }
        let healthy = self.inbox.try_borrow().map(|i| !i.broken).unwrap_or(false);
        if healthy && IDLE.with(|p| p.borrow().len()) < POOL {
            IDLE.with(|p| p.borrow_mut().push(self));
        } else {
            self.worker.terminate();
        }
    }
}

/// One message's hash in a worker: the engine's [`OutsideHash`]. Bytes gather in wasm memory
/// (the decryptor hands them over a frame at a time) and cross to JS a buffer at a time.
pub struct HashSession {
    worker: Option<HashWorker>,
    session: u32,
    staging: Vec<u8>,
    /// The first failure; reported by `digest`.
    failed: Option<String>,
}

impl HashSession {
    fn start(worker: HashWorker, alg: SignatureAlgorithm) -> Self {
        let session = worker.begin_session();
        let bits = match alg {
            SignatureAlgorithm::EcdsaP256Sha256 => 256,
            SignatureAlgorithm::EcdsaP384Sha384 => 384,
        };
        let posted = worker.worker.post_message(&message(&[
            ("op", "begin".into()),
            ("id", session.into()),
            ("alg", bits.into()),
        ]));
        let failed = posted.err().map(|_| "the hash worker took no message".to_string());
        Self { worker: Some(worker), session, staging: Vec::with_capacity(CHUNK as usize), failed }
    }

    /// Hand what has gathered to the worker, in a buffer that came back from it (or a new one).
    fn send(&mut self) {
        let Some(w) = self.worker.as_ref() else { return };
        if self.staging.is_empty() || self.failed.is_some() {
            return;
        }
        let reused = w.inbox.try_borrow_mut().ok().and_then(|mut i| i.free.pop());
        let buf = reused.unwrap_or_else(|| ArrayBuffer::new(CHUNK));
        let len = self.staging.len() as u32;
        Uint8Array::new_with_byte_offset_and_length(&buf, 0, len).copy_from(&self.staging);
        self.staging.clear();
        let msg = message(&[
            ("op", "data".into()),
            ("id", self.session.into()),
            ("len", len.into()),
            ("buf", buf.clone().into()),
        ]);
        if w.worker.post_message_with_transfer(&msg, &Array::of1(&buf)).is_err() {
            self.failed.get_or_insert_with(|| "the hash worker took no data".to_string());
        } else if let Ok(mut i) = w.inbox.try_borrow_mut() {
            i.out += 1;
        }
    }
}

impl OutsideHash for HashSession {
    fn update(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() && self.failed.is_none() {
            let room = (CHUNK as usize).saturating_sub(self.staging.len());
            let (now, later) = bytes.split_at(room.min(bytes.len()));
            self.staging.extend_from_slice(now);
            bytes = later;
            if self.staging.len() >= CHUNK as usize {
                self.send();
            }
        }
    }

    fn digest(mut self: Box<Self>) -> LocalFuture<Result<Vec<u8>, EsdkError>> {
        Box::pin(async move {
            self.send();
            let worker = self.worker.take().ok_or(EsdkError::StreamClosed)?;
            let fail = |why: String| {
                EsdkError::InvalidInput(format!("the signature's hash failed in its worker: {why}"))
            };
            let broken = worker.inbox.try_borrow().map(|i| i.broken).unwrap_or(true);
            if let Some(why) = self.failed.take().or_else(|| broken.then(|| "it stopped".to_string())) {
                worker.worker.terminate();
                return Err(fail(why));
            }
            let reply = worker.wait_reply();
            let end = message(&[("op", "end".into()), ("id", self.session.into())]);
            if worker.worker.post_message(&end).is_err() {
                worker.worker.terminate();
                return Err(fail("it took no message".to_string()));
            }
            match JsFuture::from(within(reply, DIGEST_MS)).await {
                Ok(data) => {
                    let digest = Uint8Array::new(&field(&data, "digest")).to_vec();
                    worker.release();
                    Ok(digest)
                }
                Err(e) => {
                    worker.worker.terminate();
                    Err(fail(
                        field(&e, "message").as_string().unwrap_or_else(|| "no reason given".to_string()),
                    ))
                }
            }
        })
    }
}

impl Drop for HashSession {
    fn drop(&mut self) {
        // Abandoned mid-message: the next session's `begin` resets the worker's hash.
        if let Some(w) = self.worker.take() {
            w.release();
        }
    }
}

/// A worker made ready before the engine knows the suite: the factory the engine calls once the
/// header says which hash is needed. Unused, the worker goes back to the pool.
pub struct HashPlan {
    worker: Rc<RefCell<Option<HashWorker>>>,
    inbox: Rc<RefCell<Inbox>>,
}

impl HashPlan {
    /// A plan with a worker, or `None` where none can be had (then the engine hashes in place).
    pub async fn prepare() -> Option<Self> {
        let w = HashWorker::acquire().await?;
        let inbox = Rc::clone(&w.inbox);
        Some(Self { worker: Rc::new(RefCell::new(Some(w))), inbox })
    }

    /// The engine's factory; it hands the worker to the first signed message that asks.
    pub fn factory(&self) -> OutsideHashFactory<'static> {
        let slot = Rc::clone(&self.worker);
        Box::new(move |alg| {
            let w = slot.try_borrow_mut().ok()?.take()?;
            Some(Box::new(HashSession::start(w, alg)) as Box<dyn OutsideHash>)
        })
    }

    /// Wait until the worker has caught up to at most [`MAX_IN_FLIGHT`] buffers (bounded memory
    /// when the calling thread outruns the hash).
    pub async fn backlog(&self) {
        loop {
            let wait = {
                let Ok(mut i) = self.inbox.try_borrow_mut() else { return };
                if i.out < MAX_IN_FLIGHT || i.broken {
                    return;
                }
                let slot = &mut i.room;
                Promise::new(&mut |resolve, _| *slot = Some(resolve))
            };
            let _ = JsFuture::from(wait).await;
        }
    }
}

impl Drop for HashPlan {
    fn drop(&mut self) {
        if let Some(w) = self.worker.try_borrow_mut().ok().and_then(|mut s| s.take()) {
            w.release();
        }
    }
}
