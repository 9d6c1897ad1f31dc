//! Arbitrary bytes as an ESDK message: the header inspector, one-shot decryption and the streaming
//! decryptor fed in two pieces must all answer with a value or an error, never panic or allocate
//! what a hostile length asks for; and no forged message may decrypt.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let _ = secplay::crypto::esdk::json::inspect(data);
    let opts = json!({
        "keyrings": [{"type": "raw-aes", "namespace": "fuzz", "name": "k", "key": "AAECAwQFBgcICRAREhMUFRYXGBkgISIjJCUmJygp"}],
        "commitmentPolicy": "REQUIRE_ENCRYPT_ALLOW_DECRYPT",
    });
    assert!(secplay::crypto::esdk::json::decrypt(data, &opts).is_err(), "a forged message decrypted");
    if let Ok(mut d) = secplay::crypto::esdk::json::decryptor(&opts) {
        let (a, b) = data.split_at(data.len() / 2);
        if d.update(a).is_ok() && d.update(b).is_ok() {
            let _ = d.finish();
        }
    }
});
