//! The snapshot format: a world restores exactly, damage is detected, and a stored format
//! version 1 snapshot keeps restoring.

use secplay::kms::snapshot::{restore, snapshot};
use serde_json::json;

use crate::common::*;

#[test]
fn a_world_restores_exactly_and_keeps_working() {
    let mut w = world();
    let a = admin(MAIN);
    let key = create_key(&mut w, &a, json!({"Tags": [{"TagKey": "t", "TagValue": "v"}]}));
    ok(&mut w, "CreateAlias", json!({"AliasName": "alias/snap", "TargetKeyId": key}), a.as_str());
    let ct = ok(&mut w, "Encrypt", json!({"KeyId": "alias/snap", "Plaintext": b64(b"kept")}), a.as_str())
        ["CiphertextBlob"]
        .clone();
    let bytes = snapshot(&w).unwrap();
    assert_eq!(&bytes[..8], b"SPKMSNAP");
    assert_eq!(&bytes[8..10], &[0, 1]);
    let mut back = restore(&bytes).unwrap();
    assert_eq!(snapshot(&back).unwrap(), bytes, "a restored world snapshots to the same bytes");
    let d = ok(&mut back, "Decrypt", json!({"CiphertextBlob": ct}), a.as_str());
    assert_eq!(unb64(&d["Plaintext"]), b"kept");
}

#[test]
fn damaged_snapshots_are_refused_with_a_reason() {
    let w = world();
    let bytes = snapshot(&w).unwrap();
    let check = |b: &[u8], needle: &str| {
        let e = restore(b).unwrap_err();
        assert_eq!(e.code(), "ValidationException");
        assert!(e.to_string().contains(needle), "{e}");
    };
    check(&[], "header");
    check(b"NOTASNAPxxxxxxxxxxxx", "SPKMSNAP");
    let mut v = bytes.clone();
    v[9] = 9;
    check(&v, "version 9");
    check(&bytes[..bytes.len() - 1], "length");
    let mut v = bytes.clone();
    v[20] ^= 1;
    check(&v, "checksum");
    let mut v = bytes.clone();
    v[10..14].copy_from_slice(&u32::MAX.to_be_bytes());
    check(&v, "limit");
}

/// A snapshot written by format version 1 (generate again with
/// `cargo test --test kms -- --ignored write_snapshot_v1` only when adding a new version's file).
const V1: &str = "tests/kms/data/world-v1.snap";

#[test]
fn stored_format_version_1_still_restores() {
    let bytes = std::fs::read(V1).unwrap();
    let mut w = restore(&bytes).unwrap();
    let a = admin(MAIN);
    let stored = std::fs::read_to_string("tests/kms/data/world-v1.json").unwrap();
    let facts: serde_json::Value = serde_json::from_str(&stored).unwrap();
    let d = ok(&mut w, "Decrypt", json!({"CiphertextBlob": facts["ciphertext"]}), a.as_str());
    assert_eq!(unb64(&d["Plaintext"]), b"written by format version 1");
    assert_eq!(d["KeyId"], facts["keyArn"]);
    let k = ok(&mut w, "DescribeKey", json!({"KeyId": "alias/v1"}), a.as_str());
    assert_eq!(k["KeyMetadata"]["Arn"], facts["keyArn"]);
}

#[test]
#[ignore = "writes the stored version-1 snapshot"]
fn write_snapshot_v1() {
    let mut w = world();
    let a = admin(MAIN);
    let key = create_key(&mut w, &a, json!({"Description": "format version 1"}));
    ok(&mut w, "CreateAlias", json!({"AliasName": "alias/v1", "TargetKeyId": key}), a.as_str());
    let ct = ok(
        &mut w,
        "Encrypt",
        json!({"KeyId": key, "Plaintext": b64(b"written by format version 1")}),
        a.as_str(),
    )["CiphertextBlob"]
        .clone();
    std::fs::create_dir_all("tests/kms/data").unwrap();
    std::fs::write(V1, snapshot(&w).unwrap()).unwrap();
    std::fs::write(
        "tests/kms/data/world-v1.json",
        serde_json::to_string_pretty(&json!({"keyArn": key, "ciphertext": ct})).unwrap(),
    )
    .unwrap();
}
