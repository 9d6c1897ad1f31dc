//! The envelope slice's behaviour, written once and run three ways: natively (`cargo test`), in Node
//! (`tests/node.rs`) and in headless Chromium (`tests/web.rs`) through `#[path]` includes. It lives in a
//! subfolder so that cargo does not also build it as a test target of its own.

use secplay::crypto::envelope::{
    aes_gcm_open, aes_gcm_seal, open, seal, DataKey, Envelope, EnvelopeError, KeyPair, PublicKey, Sealed,
};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

use std::sync::OnceLock;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// One 2048-bit pair per test binary: generation is the slow part.
fn pair() -> &'static KeyPair {
    static PAIR: OnceLock<KeyPair> = OnceLock::new();
    PAIR.get_or_init(|| KeyPair::generate(2048).unwrap())
}

fn flip(field: &str, bit: usize) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut bytes = b64.decode(field).unwrap();
    bytes[bit / 8] ^= 1 << (bit % 8);
    b64.encode(bytes)
}

/// McGrew & Viega, "The Galois/Counter Mode of Operation", test case 16 (AES-256, 96-bit IV, AAD).
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn aes_256_gcm_known_answer() {
    let key = DataKey::from_bytes(&hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"))
        .unwrap();
    let sealed = Sealed {
        iv: hex("cafebabefacedbaddecaf888").try_into().unwrap(),
        ciphertext: hex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"),
        tag: hex("76fc6ece0f4e1768cddf8853bb2d551b").try_into().unwrap(),
    };
    let aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    let plain = aes_gcm_open(&key, &sealed, &aad).unwrap();
    assert_eq!(
        plain,
        hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")
    );
    // The same key, IV and AAD with one changed AAD byte must not verify.
    let mut bad_aad = aad.clone();
    bad_aad[0] ^= 1;
    assert_eq!(aes_gcm_open(&key, &sealed, &bad_aad), Err(EnvelopeError::DecryptionFailed));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn aes_gcm_round_trip_uses_fresh_ivs() {
    let key = DataKey::generate().unwrap();
    let a = aes_gcm_seal(&key, b"same message", b"").unwrap();
    let b = aes_gcm_seal(&key, b"same message", b"").unwrap();
    assert_ne!(a.iv, b.iv, "two seals must not reuse an IV");
    assert_ne!(a.ciphertext, b.ciphertext);
    assert_eq!(aes_gcm_open(&key, &a, b"").unwrap(), b"same message");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn envelope_round_trips_every_size() {
    let public = pair().public();
    for len in [0usize, 1, 15, 16, 17, 4096, 100_000] {
        let msg: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
        let env = seal(&msg, &public).unwrap();
        assert_eq!(open(&env, pair()).unwrap(), msg, "length {len}");
    }
    let env = seal("안녕하세요, envelope ✉".as_bytes(), &public).unwrap();
    assert_eq!(open(&env, pair()).unwrap(), "안녕하세요, envelope ✉".as_bytes());
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_single_bit_flip_is_rejected() {
    let env = seal(b"attack at dawn", &pair().public()).unwrap();
    type Field = fn(&mut Envelope) -> &mut String;
    let fields: [(&str, Field); 4] = [
        ("wrappedKey", |e| &mut e.wrapped_key),
        ("iv", |e| &mut e.iv),
        ("ciphertext", |e| &mut e.ciphertext),
        ("tag", |e| &mut e.tag),
    ];
    for (name, get) in fields {
        let mut probe = env.clone();
        let bits = {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD.decode(get(&mut probe).as_str()).unwrap().len() * 8
        };
        // Every bit of the small fields; a stride through the 2048-bit wrapped key.
        let step = if bits > 256 { 61 } else { 1 };
        for bit in (0..bits).step_by(step) {
            let mut tampered = env.clone();
            let f = get(&mut tampered);
            *f = flip(f, bit);
            assert_eq!(open(&tampered, pair()), Err(EnvelopeError::DecryptionFailed), "{name} bit {bit}");
        }
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_wrapped_key_cannot_be_moved_to_another_envelope() {
    let public = pair().public();
    let a = seal(b"message a", &public).unwrap();
    let b = seal(b"message b", &public).unwrap();
    let swapped = Envelope { wrapped_key: b.wrapped_key.clone(), ..a.clone() };
    assert_eq!(open(&swapped, pair()), Err(EnvelopeError::DecryptionFailed));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn another_private_key_cannot_open() {
    let other = KeyPair::generate(2048).unwrap();
    let env = seal(b"for pair() only", &pair().public()).unwrap();
    assert_eq!(open(&env, &other), Err(EnvelopeError::DecryptionFailed));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn keys_round_trip_through_pem() {
    let pem = pair().private_pem().unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    let again = KeyPair::from_pkcs8(pem.as_bytes()).unwrap();
    assert_eq!(again.bits(), 2048);
    let public_pem = pair().public().to_pem().unwrap();
    let public = PublicKey::from_spki(public_pem.as_bytes()).unwrap();
    let env = seal(b"via PEM", &public).unwrap();
    assert_eq!(open(&env, &again).unwrap(), b"via PEM");
    assert!(!format!("{:?}", pair()).contains("PRIVATE"), "Debug must not print the key");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn hostile_input_gets_a_clear_error() {
    assert_eq!(KeyPair::generate(1024).unwrap_err().code(), "InvalidKeySize");
    assert_eq!(
        KeyPair::from_pkcs8(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")
            .unwrap_err()
            .code(),
        "InvalidKey"
    );
    assert_eq!(PublicKey::from_spki(&[0x30, 0x82, 0xff, 0xff]).unwrap_err().code(), "InvalidKey");
    let env = seal(b"x", &pair().public()).unwrap();
    let wrong_alg = Envelope { algorithm: "A128CBC".into(), ..env.clone() };
    assert_eq!(open(&wrong_alg, pair()).unwrap_err().code(), "MalformedEnvelope");
    let not_b64 = Envelope { iv: "%%%".into(), ..env.clone() };
    assert_eq!(open(&not_b64, pair()).unwrap_err().code(), "MalformedEnvelope");
    let short_tag = Envelope { tag: "AAAA".into(), ..env };
    assert_eq!(open(&short_tag, pair()).unwrap_err().code(), "MalformedEnvelope");
    assert_eq!(DataKey::from_bytes(&[0; 31]).unwrap_err().code(), "MalformedEnvelope");
}
