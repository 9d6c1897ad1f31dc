//! Chain checks on real chains made with `openssl ca` (`data/verify.txt` records that OpenSSL
//! verifies the same links).

use serde_json::Value;

use crate::common::*;

fn codes(v: &Value) -> Vec<String> {
    v["chain"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap().to_owned())
        .collect()
}

fn signatures(v: &Value) -> Vec<(u64, u64, String)> {
    v["chain"]["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["child"].as_u64().unwrap(),
                l["parent"].as_u64().unwrap(),
                l["signature"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_good_three_level_chain_has_only_the_root_note() {
    let v = inspect("chain3.pem");
    assert_eq!(codes(&v), ["RootIncluded"]);
    // leaf ← intermediate (ECDSA P-384 / SHA-384), intermediate ← root (RSA PKCS#1 v1.5 SHA-384),
    // root ← itself (RSA SHA-256).
    assert_eq!(
        signatures(&v),
        [(0, 1, "valid".to_owned()), (1, 2, "valid".to_owned()), (2, 2, "valid".to_owned())]
    );
    for l in v["chain"]["links"].as_array().unwrap().iter().take(2) {
        assert_eq!(l["namesMatch"], true);
        assert_eq!(l["keyIdsMatch"], true);
    }
}

#[test]
fn an_out_of_order_chain_is_named() {
    let v = inspect("chain-out-of-order.pem");
    let c = codes(&v);
    assert!(c.contains(&"LeafIsCa".to_owned()), "{c:?}");
    assert!(c.contains(&"OutOfOrder".to_owned()), "{c:?}");
    // The links are still found and verified wherever the certificates are.
    assert!(signatures(&v).contains(&(1, 0, "valid".to_owned())));
}

#[test]
fn a_missing_intermediate_is_named() {
    let v = inspect("chain-missing-intermediate.pem");
    let c = codes(&v);
    assert!(c.contains(&"MissingIntermediate".to_owned()), "{c:?}");
    assert!(!c.contains(&"OutOfOrder".to_owned()), "{c:?}");
}

#[test]
fn a_duplicate_is_named() {
    let v = inspect("chain-duplicate.pem");
    let p = &v["chain"]["problems"];
    assert!(p.as_array().unwrap().iter().any(|x| x["code"] == "Duplicate" && x["index"] == 2), "{p}");
}

#[test]
fn a_leaf_that_is_a_ca_is_flagged_even_alone() {
    let v = inspect("leaf-is-ca.pem");
    assert_eq!(codes(&v), ["LeafIsCa"]);
    assert_eq!(v["chain"]["problems"][0]["severity"], "warning");
}

#[test]
fn rsa_pss_and_ed25519_signatures_verify() {
    // ec-p256-pss-signed was signed by the root with RSASSA-PSS SHA-256, salt 32.
    let mut pem = fixture("ec-p256-pss-signed.pem");
    pem.extend(fixture("root.pem"));
    let v = secplay::acm::json::inspect(&pem, None).unwrap();
    assert_eq!(signatures(&v)[0], (0, 1, "valid".to_owned()));
    let v = inspect("ed25519.pem");
    assert_eq!(signatures(&v), [(0, 0, "valid".to_owned())]);
}

#[test]
fn a_tampered_signature_is_invalid() {
    use base64::Engine as _;
    let mut der = fixture("rsa2048.der");
    let last = der.len() - 1;
    der[last] ^= 0x01;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
    let mut text = format!("-----BEGIN CERTIFICATE-----\n{b64}\n-----END CERTIFICATE-----\n").into_bytes();
    text.extend(fixture("intermediate.pem"));
    let v = secplay::acm::json::inspect(&text, None).unwrap();
    assert_eq!(signatures(&v)[0], (0, 1, "invalid".to_owned()));
    assert!(codes(&v).contains(&"BadSignature".to_owned()));
}

#[test]
fn an_expired_member_is_an_error_at_the_given_time() {
    let mut pem = fixture("expired.pem");
    pem.extend(fixture("root.pem"));
    let v = secplay::acm::json::inspect(&pem, Some(epoch("2026-05-28T00:00:00Z"))).unwrap();
    assert!(codes(&v).contains(&"Expired".to_owned()));
    // openssl verified this link too (data/verify.txt: only "certificate has expired").
    assert_eq!(signatures(&v)[0], (0, 1, "valid".to_owned()));
}
