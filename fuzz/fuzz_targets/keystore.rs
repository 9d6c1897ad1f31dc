//! Arbitrary bytes as the key store's formats at rest and its backup file: a record (read while
//! locked and decrypted), the manifest, the settings, a backup's header, a whole backup and its
//! decrypted payload all answer (mostly with an error) and never panic. And any input, used as a
//! record's name and data, seals and opens back to itself under its id, and not under another.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secplay::keystore::backup;
use secplay::keystore::format::{self, Body, RecordHeader, Settings, MAX_NAME};
use secplay::keystore::Kek;

fuzz_target!(|data: &[u8]| {
    let kek = Kek::from_bytes([7u8; 32]);
    if let Ok(h) = format::record_header("k", data) {
        assert!(format::check_kind(&h.kind).is_ok(), "a readable record has a valid kind");
    }
    let _ = format::decode_record(&kek, "k", data);
    let _ = format::decode_manifest(&kek, data);
    let _ = Settings::decode(data);
    let _ = backup::header(data);
    let _ = backup::open(data, &kek);
    if let Ok(records) = backup::parse_payload(data) {
        assert!(records.len() <= backup::MAX_RECORDS as usize);
    }

    // At most MAX_NAME bytes once invalid UTF-8 becomes U+FFFD (3 bytes each).
    let split = (data.len() / 2).min(MAX_NAME / 3);
    let (name, rest) = data.split_at(split);
    let body = Body {
        created_at: 1,
        updated_at: 2,
        name: String::from_utf8_lossy(name).into_owned(),
        data: rest.to_vec(),
    };
    let header = RecordHeader { kind: "raw-aes-keyring".into(), version: 3 };
    let Ok(sealed) = format::encode_record(&kek, "k", &header, &body) else { return };
    let (h, b) = format::decode_record(&kek, "k", &sealed).expect("a sealed record opens under its id");
    assert_eq!((h, b), (header, body));
    assert!(format::decode_record(&kek, "other", &sealed).is_err(), "another id must not open it");
});
