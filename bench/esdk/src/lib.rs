//! Options and data shared by the ESDK benchmark: a raw AES keyring and deterministic plaintext.

use serde_json::{json, Value};

fn keyrings() -> Value {
    json!([{"type": "raw-aes", "namespace": "bench", "name": "aes-256", "key": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}])
}

/// Options for `secplay::crypto::esdk::json::encrypt`: one raw AES-256 keyring, frame 4096.
pub fn encrypt_options(suite: u16) -> Value {
    json!({"keyrings": keyrings(), "suiteId": suite, "frameLength": 4096, "encryptionContext": {"purpose": "bench"}})
}

/// Options for `decrypt` / `decryptor` (decryption takes no suite or frame length: the message says).
pub fn decrypt_options() -> Value {
    json!({"keyrings": keyrings()})
}

/// `len` bytes of a fixed pattern.
pub fn plaintext(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i.wrapping_mul(131) >> 3) as u8).collect()
}
