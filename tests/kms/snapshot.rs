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

/// A hand-made world whose clock is outside 1970–9999 is refused (dates computed from it could
/// overflow), and a rotation schedule far behind catches up a bounded number of times.
#[test]
fn hostile_clocks_are_bounded() {
    use secplay::kms::{advance_clock, time::MAX_TIME};
    let mut w = world();
    w.now = MAX_TIME + 1;
    let e = restore(&snapshot(&w).unwrap()).unwrap_err();
    assert!(e.to_string().contains("clock"), "{e}");
    let mut w = world();
    w.now = MAX_TIME - 10;
    let mut w = restore(&snapshot(&w).unwrap()).unwrap();
    assert_eq!(advance_clock(&mut w, 86_400).unwrap_err().code(), "ValidationException");

    let mut w = world();
    let arn = create_key(&mut w, &admin(MAIN), serde_json::json!({}));
    ok(
        &mut w,
        "EnableKeyRotation",
        serde_json::json!({"KeyId": arn, "RotationPeriodInDays": 90}),
        admin(MAIN),
    );
    w.keys.get_mut(&arn).unwrap().next_rotation = Some(i64::MIN / 2);
    let r = advance_clock(&mut w, 1).unwrap();
    let n = r["events"].as_array().unwrap().len();
    assert_eq!(n, secplay::kms::ops::keys::MAX_CATCH_UP_ROTATIONS as usize, "bounded catch-up");
    assert!(w.keys[&arn].next_rotation.unwrap() > w.now, "the schedule resumes from now");
}
