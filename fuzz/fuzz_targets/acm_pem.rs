//! Arbitrary bytes as a certificate input (PEM text or DER): the reader, the X.509 decoder, the
//! chain checks and the ACM view answer (mostly with a coded error) and never panic; whatever
//! reads holds at most ten certificates, each with well-formed fingerprints.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secplay::acm::json;
use secplay::acm::pem::MAX_CERTS;

fuzz_target!(|data: &[u8]| {
    match json::inspect(data, None) {
        Ok(v) => {
            let certs = v["certificates"].as_array().expect("a certificates array");
            assert!(!certs.is_empty() && certs.len() <= MAX_CERTS);
            for c in certs {
                assert_eq!(c["sha256"].as_str().map(str::len), Some(95), "32 bytes as colon hex");
            }
            let t = json::timeline(data, &serde_json::json!({"type": "AMAZON_ISSUED", "hosts": ["a.example.com"]}))
                .expect("what inspects also has a timeline");
            assert!(t["events"].is_array());
        }
        Err(e) => assert!(!e.code().is_empty() && !e.to_string().is_empty()),
    }
});
