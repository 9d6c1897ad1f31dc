//! A turn of the event loop (`yield_now.js`): the ESDK's Promise-returning calls await it between
//! slices of work that would otherwise hold the calling thread for long (the signature's hash in
//! place, frames through the pure-Rust cipher). Not a timer: it waits for nothing but the tasks
//! already queued.

use js_sys::Promise;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/web/yield_now.js")]
extern "C" {
    #[wasm_bindgen(js_name = yieldNow)]
    fn yield_promise() -> Promise;
}

/// Resolves in a later task of the event loop.
pub async fn yield_now() {
    // It never rejects; if a runtime's `scheduler.yield` did, the turn has been given all the same.
    let _ = JsFuture::from(yield_promise()).await;
}
