//! Arbitrary bytes as an envelope (JSON) and as keys: every input must give a value or an error,
//! never a panic, and a forged envelope must never open.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secplay::crypto::envelope::{open, Envelope, KeyPair, PublicKey};
use std::sync::OnceLock;

fn pair() -> Option<&'static KeyPair> {
    static PAIR: OnceLock<Option<KeyPair>> = OnceLock::new();
    PAIR.get_or_init(|| KeyPair::generate(2048).ok()).as_ref()
}

fuzz_target!(|data: &[u8]| {
    let _ = PublicKey::from_spki(data);
    let _ = KeyPair::from_pkcs8(data);
    if let (Ok(env), Some(pair)) = (serde_json::from_slice::<Envelope>(data), pair()) {
        assert!(open(&env, pair).is_err(), "a forged envelope opened");
    }
});
