//! The ESDK signature's hash on the calling thread, in slices: what the Promise-returning calls use
//! when the hash does not go to a worker (`hash_worker.rs`) — a page whose CSP forbids blob:
//! workers, Node, a one-shot message too small to gain from a worker.
//!
//! The engine hands the signed bytes over as it writes or reads them (a whole window, or a whole
//! frame however long). During a Promise-returning call they wait in a queue, and the stream glue
//! hashes them [`SLICE`] bytes per task, giving the event loop a turn between slices, so no task
//! hashes more than one slice. Slicing, not a worker, because this is the path for where a worker
//! cannot be had (or costs more than it saves). The synchronous calls cannot wait: during them the
//! bytes are hashed at once, as the engine would. Either way the digest is the same SHA-256/384
//! over the same bytes in the same order ([`SignedBytesHash`], which the worker also runs).

use std::cell::RefCell;
use std::rc::Rc;

use crate::crypto::esdk::signature::{LocalFuture, OutsideHash, OutsideHashFactory, SignedBytesHash};
use crate::crypto::esdk::EsdkError;
use crate::web::yield_now::{turn_after, TURN_BYTES};

/// Bytes hashed per slice: [`TURN_BYTES`], about 5 ms of SHA-384 on an idle core (see
/// `docs/benchmarks.md`), far below the 50 ms that makes a long task.
pub const SLICE: usize = TURN_BYTES;

/// The hash and the bytes waiting for it.
#[derive(Default)]
struct Queue {
    hash: Option<SignedBytesHash>,
    /// Bytes not yet hashed start at `pending[pos]`.
    pending: Vec<u8>,
    pos: usize,
    /// A Promise-returning call is running: queue, don't hash.
    deferring: bool,
    /// The factory has handed the hash to a message.
    taken: bool,
}

impl Queue {
    /// Bytes waiting.
    fn waiting(&self) -> usize {
        self.pending.len().saturating_sub(self.pos)
    }

    /// Hash up to `max` waiting bytes; returns whether any are left.
    fn hash_some(&mut self, max: usize) -> bool {
        let end = self.pos.saturating_add(max).min(self.pending.len());
        if let (Some(h), Some(bytes)) = (self.hash.as_mut(), self.pending.get(self.pos..end)) {
            h.update(bytes);
        }
        self.pos = end;
        if self.pos >= self.pending.len() {
            self.pending.clear();
            self.pos = 0;
            return false;
        }
        true
    }
}

/// The calling thread's hash for one stream or one-shot call: made before the engine knows the
/// suite, handed to the first signed message that asks ([`SlicedHashPlan::factory`]).
#[derive(Default)]
pub struct SlicedHashPlan {
    queue: Rc<RefCell<Queue>>,
}

impl SlicedHashPlan {
    /// A plan; nothing is hashed until the engine asks for the hash.
    pub fn new() -> Self {
        Self::default()
    }

    /// The engine's factory; the first signed message that asks gets the hash.
    pub fn factory(&self) -> OutsideHashFactory<'static> {
        let queue = Rc::clone(&self.queue);
        Box::new(move |alg| {
            let mut q = queue.try_borrow_mut().ok()?;
            if q.taken {
                return None;
            }
            q.taken = true;
            q.hash = Some(SignedBytesHash::new(alg));
            Some(Box::new(SlicedHash { queue: Rc::clone(&queue), lost: false }) as Box<dyn OutsideHash>)
        })
    }

    /// `true` while a Promise-returning call runs (bytes wait for [`SlicedHashPlan::catch_up`]),
    /// `false` for a synchronous one (bytes are hashed at once; any still waiting first).
    pub fn defer(&self, on: bool) {
        if let Ok(mut q) = self.queue.try_borrow_mut() {
            q.deferring = on;
            if !on {
                q.hash_some(usize::MAX);
            }
        }
    }

    /// Hash every waiting byte, a slice per task.
    pub async fn catch_up(&self) {
        catch_up(&self.queue).await;
    }
}

/// Hash what waits, [`SLICE`] bytes at a time, each slice counted as work done on this thread
/// ([`turn_after`]: a slice is [`TURN_BYTES`], so there is a turn of the event loop after each
/// one). A last slice of up to an eighth more goes with the one before: an encrypted window is its
/// 1 MiB of plaintext plus the frames' IVs and tags, and a slice for that remainder alone would be
/// wasted. Nothing waiting, nothing to wait for (a synchronous call's digest completes at once).
async fn catch_up(queue: &Rc<RefCell<Queue>>) {
    loop {
        let (hashed, more) = match queue.try_borrow_mut() {
            Ok(mut q) => {
                let n = if q.waiting() <= SLICE + SLICE / 8 { q.waiting() } else { SLICE };
                (n, q.hash_some(n))
            }
            Err(_) => (0, false),
        };
        turn_after(hashed).await;
        if !more {
            return;
        }
    }
}

/// One message's hash on the calling thread: the engine's [`OutsideHash`].
struct SlicedHash {
    queue: Rc<RefCell<Queue>>,
    /// Bytes could not be queued (the queue was borrowed: never expected, single-threaded and
    /// nothing held across a turn): the digest fails rather than sign or check the wrong hash.
    lost: bool,
}

impl OutsideHash for SlicedHash {
    fn update(&mut self, bytes: &[u8]) {
        let Ok(mut q) = self.queue.try_borrow_mut() else {
            self.lost = true;
            return;
        };
        if q.deferring {
            q.pending.extend_from_slice(bytes);
        } else {
            q.hash_some(usize::MAX);
            if let Some(h) = q.hash.as_mut() {
                h.update(bytes);
            }
        }
    }

    fn digest(self: Box<Self>) -> LocalFuture<Result<Vec<u8>, EsdkError>> {
        Box::pin(async move {
            catch_up(&self.queue).await;
            let lost =
                || EsdkError::InvalidInput("the signature's hash lost track of the message".to_string());
            let mut q = self.queue.try_borrow_mut().map_err(|_| lost())?;
            // Whatever is still waiting (nothing, unless a slice could not be taken) goes in now.
            q.hash_some(usize::MAX);
            match q.hash.take() {
                Some(h) if !self.lost => Ok(h.finish()),
                _ => Err(lost()),
            }
        })
    }
}
