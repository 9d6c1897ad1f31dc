//! A turn of the event loop (`yield_now.js`) for the ESDK's Promise-returning calls, which would
//! otherwise hold the calling thread for a whole message: awaiting WebCrypto does not give other
//! tasks a turn in Chromium (a 5 MiB stream of `pushAsync` calls through WebCrypto measured as one
//! task), so the calls take turns themselves, after every [`TURN_BYTES`] of work ([`turn_after`]):
//! frames sealed or opened, bytes hashed. Not a timer: it waits for nothing but the tasks already
//! queued.

use std::cell::Cell;

use js_sys::Promise;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/web/yield_now.js")]
extern "C" {
    #[wasm_bindgen(js_name = yieldNow)]
    fn yield_promise() -> Promise;
}

/// Bytes of work between turns: 1 MiB is about 5 ms of SHA-384 or of WebCrypto frames on an idle
/// core, 20 ms of the pure-Rust cipher (see `docs/benchmarks.md`).
pub const TURN_BYTES: usize = 1 << 20;

thread_local! {
    /// Bytes of work since the last turn, across calls (many small calls take a turn now and then).
    static SINCE_TURN: Cell<usize> = const { Cell::new(0) };
}

/// Resolves in a later task of the event loop.
pub async fn yield_now() {
    SINCE_TURN.set(0);
    // It never rejects; if a runtime's `scheduler.yield` did, the turn has been given all the same.
    let _ = JsFuture::from(yield_promise()).await;
}

/// Count `bytes` of work done on this thread; take a turn once [`TURN_BYTES`] have been done since
/// the last one. Never waits for 0 bytes.
pub async fn turn_after(bytes: usize) {
    if bytes == 0 {
        return;
    }
    let done = SINCE_TURN.get().saturating_add(bytes);
    if done >= TURN_BYTES {
        yield_now().await;
    } else {
        SINCE_TURN.set(done);
    }
}
