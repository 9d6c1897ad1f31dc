//! Arbitrary bytes as an ESDK message under a fixed raw AES keyring: the header inspector, one-shot
//! decryption and the streaming decryptor (fed in two pieces) must never panic or allocate what a
//! hostile length asks for, and one-shot and streaming decryption must agree: the same plaintext,
//! or both a failure. Seeds include real messages under this keyring (tools/fuzz.sh), so mutations
//! reach frame, footer and signature handling, not just the header.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secplay::crypto::esdk::json as esdk;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let _ = esdk::inspect(data);
    let opts = json!({
        "keyrings": [{"type": "raw-aes", "namespace": "fuzz", "name": "k", "key": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}],
        "commitmentPolicy": "REQUIRE_ENCRYPT_ALLOW_DECRYPT",
    });
    let one_shot = esdk::decrypt(data, &opts).map(|(plaintext, _)| plaintext);
    // Valid options: if this failed, the target would test nothing.
    let mut d = esdk::decryptor(&opts).expect("the fuzz keyring is valid");
    let (a, b) = data.split_at(data.len() / 2);
    let streamed = (|| {
        let mut out = d.update(a)?;
        out.extend(d.update(b)?);
        out.extend(d.finish()?);
        Ok::<_, secplay::crypto::esdk::EsdkError>(out)
    })();
    match (one_shot, streamed) {
        (Ok(p), Ok(s)) => assert_eq!(p, s, "one-shot and streaming plaintexts differ"),
        (Ok(_), Err(e)) => panic!("one-shot decrypted what streaming rejected: {e}"),
        (Err(e), Ok(_)) => panic!("streaming decrypted what one-shot rejected: {e}"),
        (Err(_), Err(_)) => {}
    }
});
