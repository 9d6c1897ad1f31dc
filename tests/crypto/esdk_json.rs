//! The JSON layer: the JS API shapes (`esdkEncrypt`/`esdkDecrypt` options, keyring objects, the
//! header description, error codes with JSON pointers), the header inspector, and every
//! keyring-based vector decrypted through it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::support;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::{json, Value};

use secplay::crypto::esdk::json;

fn aes_keyring(name: &str) -> Value {
    json!({"type": "raw-aes", "namespace": "aws-raw-vectors-persistant", "name": name, "key": support::key_material(name)})
}

fn rsa_keyring(padding: &str, hash: Option<&str>) -> Value {
    json!({"type": "raw-rsa", "namespace": "ns", "name": "rsa", "padding": padding, "paddingHash": hash,
           "publicKeyPem": support::key_material("rsa-4096-public"),
           "privateKeyPem": support::key_material("rsa-4096-private")})
}

#[test]
fn encrypt_then_decrypt_reports_the_header() {
    let opts = json!({
        "keyrings": [aes_keyring("aes-256"), rsa_keyring("oaep-mgf1", Some("sha384"))],
        "encryptionContext": {"tenant": "acme", "ключ": "значение"},
        "suiteId": 0x0478, "frameLength": 100,
    });
    let ct = json::encrypt(b"hello json", &opts).unwrap();
    for keyring in [aes_keyring("aes-256"), rsa_keyring("oaep-mgf1", Some("sha384"))] {
        let (pt, header) = json::decrypt(&ct, &json!({"keyrings": [keyring]})).unwrap();
        assert_eq!(pt, b"hello json");
        assert_eq!(header["messageVersion"], 2);
        assert_eq!(header["suiteId"], 0x0478);
        assert_eq!(header["suiteHex"], "0x0478");
        assert_eq!(header["suiteName"], "AES_256_GCM_HKDF_SHA512_COMMIT_KEY");
        assert_eq!(header["frameLength"], 100);
        assert_eq!(header["contentType"], "framed");
        assert_eq!(header["encryptionContext"], json!({"tenant": "acme", "ключ": "значение"}));
        let edks = header["encryptedDataKeys"].as_array().unwrap();
        assert_eq!(edks.len(), 2);
        assert_eq!(edks[0]["providerId"], "aws-raw-vectors-persistant");
        let info = B64.decode(edks[0]["providerInfo"].as_str().unwrap()).unwrap();
        assert_eq!(&info[..7], b"aes-256");
        assert_eq!(info.len(), 7 + 4 + 4 + 12);
        assert_eq!(B64.decode(edks[1]["providerInfo"].as_str().unwrap()).unwrap(), b"rsa");
        assert!(header["keyCommitment"].is_string());
    }
}

#[test]
fn suite_ids_policies_and_pkcs1() {
    for suite in [json!(0x0346), json!("0346"), json!("0x0346")] {
        let opts = json!({"keyrings": [rsa_keyring("pkcs1", None)], "suiteId": suite,
                          "commitmentPolicy": "FORBID_ENCRYPT_ALLOW_DECRYPT"});
        let ct = json::encrypt(b"", &opts).unwrap();
        let (pt, h) = json::decrypt(
            &ct,
            &json!({"keyrings": [rsa_keyring("pkcs1", None)],
                                                  "commitmentPolicy": "REQUIRE_ENCRYPT_ALLOW_DECRYPT"}),
        )
        .unwrap();
        assert!(pt.is_empty());
        assert_eq!(h["messageVersion"], 1);
        assert!(h["headerIv"].is_string());
        let err = json::decrypt(&ct, &json!({"keyrings": [rsa_keyring("pkcs1", None)]})).unwrap_err();
        assert_eq!(json::error_json(&err)["code"], "PolicyViolation");
    }
}

fn err_of(r: Result<impl std::fmt::Debug, secplay::crypto::esdk::EsdkError>) -> Value {
    json::error_json(&r.unwrap_err())
}

#[test]
fn option_errors_name_the_field() {
    let e = err_of(json::encrypt(b"", &json!({"keyrings": [aes_keyring("aes-256")], "frameLenght": 5})));
    assert_eq!(e["code"], "InvalidInput");
    assert!(e["message"].as_str().unwrap().contains("`/frameLenght`"), "{e}");
    let e = err_of(json::encrypt(
        b"",
        &json!({"keyrings": [{"type": "raw-aes", "namespace": "n", "name": "k", "key": "!!"}]}),
    ));
    assert!(e["message"].as_str().unwrap().contains("`/keyrings/0/key`"), "{e}");
    let e = err_of(json::encrypt(b"", &json!({"keyrings": [{"type": "kms", "keyId": "x"}]})));
    assert!(e["message"].as_str().unwrap().contains("`/keyrings/0/type`"), "{e}");
    let e = err_of(json::encrypt(b"", &json!({"keyrings": [rsa_keyring("oaep-mgf1", Some("md5"))]})));
    assert!(e["message"].as_str().unwrap().contains("md5"), "{e}");
    let e = err_of(json::encrypt(b"", &json!({"keyrings": []})));
    assert_eq!(e["code"], "InvalidInput");
    let e = err_of(json::encrypt(b"", &json!({"keyrings": [aes_keyring("aes-256")], "suiteId": 0x0999})));
    assert!(e["message"].as_str().unwrap().contains("0x0999"), "{e}");
    let e = err_of(json::encrypt(
        b"",
        &json!({"keyrings": [aes_keyring("aes-256")], "encryptionContext": {"a": 1}}),
    ));
    assert!(e["message"].as_str().unwrap().contains("`/encryptionContext/a`"), "{e}");
    let e = err_of(json::encrypt(
        b"",
        &json!({"keyrings": [aes_keyring("aes-256")], "commitmentPolicy": "NOPE"}),
    ));
    assert!(e["message"].as_str().unwrap().contains("`NOPE`"), "{e}");
    let e = err_of(json::decrypt(b"AYAAF", &json!({"keyrings": [aes_keyring("aes-256")]})));
    assert_eq!(e["code"], "Base64Input");
}

#[test]
fn streaming_classes_round_trip() {
    let opts = json!({"keyrings": [aes_keyring("aes-128")], "frameLength": 10});
    let mut e = json::encryptor(&opts).unwrap();
    let mut ct = Vec::new();
    for chunk in [&b"stream"[..], b"ing ", b"through json"] {
        ct.extend(e.update(chunk).unwrap());
    }
    ct.extend(e.finish().unwrap());
    let mut d =
        json::decryptor(&json!({"keyrings": [aes_keyring("aes-128")], "signedMessages": "buffer"})).unwrap();
    let mut pt = Vec::new();
    for c in ct.chunks(5) {
        pt.extend(d.update(c).unwrap());
    }
    pt.extend(d.finish().unwrap());
    assert_eq!(pt, b"streaming through json");
    let mut d =
        json::decryptor(&json!({"keyrings": [aes_keyring("aes-128")], "signedMessages": "reject"})).unwrap();
    assert_eq!(json::error_json(&d.update(&ct).unwrap_err())["code"], "PolicyViolation");
}

#[test]
fn inspect_describes_a_message_without_keys() {
    let ct =
        json::encrypt(&[7u8; 45], &json!({"keyrings": [aes_keyring("aes-256")], "frameLength": 16})).unwrap();
    let v = json::inspect(&ct).unwrap();
    assert_eq!(v["header"]["suiteId"], 0x0578);
    assert_eq!(v["body"]["units"], 3);
    assert_eq!(v["body"]["finalFrameLength"], 13);
    assert_eq!(v["body"]["complete"], true);
    assert_eq!(v["footer"]["complete"], true);
    assert_eq!(v["complete"], true);
    let partial = json::inspect(&ct[..ct.len() - 40]).unwrap();
    assert_eq!(partial["body"]["complete"], true);
    assert_eq!(partial["footer"]["complete"], false);
    assert_eq!(partial["complete"], false);
    let partial = json::inspect(&ct[..ct.len() - 150]).unwrap();
    assert_eq!(partial["body"]["complete"], false);
    assert_eq!(partial["body"]["units"], 2);
    assert_eq!(json::error_json(&json::inspect(&ct[..10]).unwrap_err())["code"], "MalformedMessage");
}

/// Every vector that uses real keyrings, through the JSON API (static-data-key vectors excluded).
#[test]
fn vectors_through_the_json_api() {
    let mut ran = 0;
    for test in support::manifest()["tests"].as_array().unwrap() {
        let specs = test["keyrings"].as_array().unwrap();
        if specs.iter().any(|k| k["type"] == "static-dek") || test["policy"]["decryption_method"].is_string()
        {
            continue;
        }
        let keyrings: Vec<Value> = specs
            .iter()
            .map(|k| {
                let key = &support::keys()["keys"][k["key"].as_str().unwrap()];
                match k["type"].as_str().unwrap() {
                    "raw-aes" => json!({"type": "raw-aes", "namespace": k["namespace"], "name": k["name"], "key": key["material"]}),
                    _ => {
                        let pem_field = if key["type"] == "private" { "privateKeyPem" } else { "publicKeyPem" };
                        json!({"type": "raw-rsa", "namespace": k["namespace"], "name": k["name"], "padding": k["padding"],
                               "paddingHash": k["padding-hash"], pem_field: key["material"]})
                    }
                }
            })
            .collect();
        let mut opts = json!({"keyrings": keyrings, "commitmentPolicy": "REQUIRE_ENCRYPT_ALLOW_DECRYPT"});
        if !test["reproduced_encryption_context"].is_null() {
            opts["encryptionContext"] = test["reproduced_encryption_context"].clone();
        }
        if !test["required_encryption_context_keys"].is_null() {
            opts["requiredEncryptionContextKeys"] = test["required_encryption_context_keys"].clone();
        }
        if let Some(p) = test["policy"]["commitment_policy"].as_str() {
            opts["commitmentPolicy"] = json!(p);
        }
        if let Some(n) = test["policy"]["max_encrypted_data_keys"].as_u64() {
            opts["maxEncryptedDataKeys"] = json!(n);
        }
        let ct = support::read(test["ciphertext"].as_str().unwrap());
        support::check(test, json::decrypt(&ct, &opts).map(|(pt, _)| pt));
        ran += 1;
    }
    assert_eq!(ran, 498 - 46 - 1);
}

#[test]
fn one_options_object_serves_encrypt_and_decrypt() {
    let opts =
        json!({"keyrings": [aes_keyring("aes-256")], "suiteId": 0x0478, "frameLength": 64, "aead": "rust"});
    let ct = json::encrypt(&[9u8; 200], &opts).unwrap();
    // Decryption takes the suite and frame length from the message; the fields are accepted.
    let (pt, header) = json::decrypt(&ct, &opts).unwrap();
    assert_eq!(pt, vec![9u8; 200]);
    assert_eq!(header["frameLength"], 64);
    let e = err_of(json::decrypt(&ct, &json!({"keyrings": [aes_keyring("aes-256")], "aead": "fast"})));
    assert_eq!(e["code"], "InvalidInput");
}
