//! RSA key generation for the pages: WebCrypto's `generateKey` (off the main thread, through
//! `secplay::web::webcrypto`) run as a task of the page, its answer and duration handed to a
//! callback that dispatches it. I/O only; the key is the engine's `KeyPair`.

use secplay::crypto::envelope::KeyPair;
use secplay::web::webcrypto::{generate_rsa_key_pair, WebCryptoError};

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Generates an RSA-OAEP key pair of `bits` and calls `done` with it (or why not) and the
/// milliseconds it took.
pub fn generate_rsa(bits: usize, done: impl FnOnce(Result<KeyPair, WebCryptoError>, f64) + 'static) {
    wasm_bindgen_futures::spawn_local(async move {
        let start = now_ms();
        let result = generate_rsa_key_pair(bits).await;
        done(result, now_ms() - start);
    });
}
