//! Encrypt, Decrypt, ReEncrypt, data keys, random bytes, signatures, MACs and public keys, with
//! the documented error cases (wrong context, wrong key, wrong usage, limits).

use serde_json::json;

use crate::common::*;

#[test]
fn encrypt_and_decrypt_without_key_id_and_with_context() {
    let mut w = world();
    let a = admin(MAIN);
    let key = create_key(&mut w, &a, json!({}));
    let ctx = json!({"purpose": "test", "app": "x"});
    let e = ok(
        &mut w,
        "Encrypt",
        json!({"KeyId": key, "Plaintext": b64(b"hello"), "EncryptionContext": ctx}),
        a.as_str(),
    );
    assert_eq!(e["KeyId"], json!(key));
    assert_eq!(e["EncryptionAlgorithm"], "SYMMETRIC_DEFAULT");
    let ct = e["CiphertextBlob"].clone();
    let d = ok(&mut w, "Decrypt", json!({"CiphertextBlob": ct, "EncryptionContext": ctx}), a.as_str());
    assert_eq!(unb64(&d["Plaintext"]), b"hello");
    assert_eq!(d["KeyId"], json!(key));
    // The context is bound: a different or missing context fails, opaquely.
    expect_code(
        &mut w,
        "Decrypt",
        json!({"CiphertextBlob": ct, "EncryptionContext": {"purpose": "test"}}),
        a.as_str(),
        "InvalidCiphertextException",
    );
    expect_code(&mut w, "Decrypt", json!({"CiphertextBlob": ct}), a.as_str(), "InvalidCiphertextException");
    // KeyId of another key: IncorrectKeyException.
    let other = create_key(&mut w, &a, json!({}));
    expect_code(
        &mut w,
        "Decrypt",
        json!({"CiphertextBlob": ct, "EncryptionContext": ctx, "KeyId": other}),
        a.as_str(),
        "IncorrectKeyException",
    );
    ok(&mut w, "Decrypt", json!({"CiphertextBlob": ct, "EncryptionContext": ctx, "KeyId": key}), a.as_str());
    // Garbage is an invalid ciphertext.
    expect_code(
        &mut w,
        "Decrypt",
        json!({"CiphertextBlob": b64(b"garbage bytes")}),
        a.as_str(),
        "InvalidCiphertextException",
    );
    expect_code(&mut w, "Decrypt", json!({"CiphertextBlob": "***"}), a.as_str(), "SerializationException");
}

#[test]
fn encrypt_limits() {
    let mut w = world();
    let a = admin(MAIN);
    let key = create_key(&mut w, &a, json!({}));
    ok(&mut w, "Encrypt", json!({"KeyId": key, "Plaintext": b64(&[7u8; 4096])}), a.as_str());
    expect_code(
        &mut w,
        "Encrypt",
        json!({"KeyId": key, "Plaintext": b64(&[7u8; 4097])}),
        a.as_str(),
        "ValidationException",
    );
    expect_code(&mut w, "Encrypt", json!({"KeyId": key, "Plaintext": ""}), a.as_str(), "ValidationException");
    expect_code(&mut w, "Encrypt", json!({"KeyId": key}), a.as_str(), "ValidationException");
    expect_code(
        &mut w,
        "Encrypt",
        json!({"KeyId": key, "Plaintext": b64(b"x"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"}),
        a.as_str(),
        "InvalidKeyUsageException",
    );
    let tokens: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
    expect_code(
        &mut w,
        "Encrypt",
        json!({"KeyId": key, "Plaintext": b64(b"x"), "GrantTokens": tokens}),
        a.as_str(),
        "ValidationException",
    );
    expect_code(
        &mut w,
        "Encrypt",
        json!({"KeyId": key, "Plaintext": b64(b"x"), "GrantTokens": ["nope"]}),
        a.as_str(),
        "InvalidGrantTokenException",
    );
    expect_code(
        &mut w,
        "Encrypt",
        json!({"KeyId": key, "Plaintext": b64(b"x"), "DryRun": true}),
        a.as_str(),
        "DryRunOperationException",
    );
}

#[test]
fn re_encrypt_moves_a_ciphertext_between_keys() {
    let mut w = world();
    let a = admin(MAIN);
    let k1 = create_key(&mut w, &a, json!({}));
    let k2 = create_key(&mut w, &a, json!({}));
    let ct = ok(
        &mut w,
        "Encrypt",
        json!({"KeyId": k1, "Plaintext": b64(b"move me"), "EncryptionContext": {"a": "1"}}),
        a.as_str(),
    )["CiphertextBlob"]
        .clone();
    let r = ok(
        &mut w,
        "ReEncrypt",
        json!({"CiphertextBlob": ct, "SourceEncryptionContext": {"a": "1"}, "DestinationKeyId": k2, "DestinationEncryptionContext": {"b": "2"}}),
        a.as_str(),
    );
    assert_eq!(r["SourceKeyId"], json!(k1));
    assert_eq!(r["KeyId"], json!(k2));
    let d = ok(
        &mut w,
        "Decrypt",
        json!({"CiphertextBlob": r["CiphertextBlob"], "EncryptionContext": {"b": "2"}}),
        a.as_str(),
    );
    assert_eq!(unb64(&d["Plaintext"]), b"move me");
    assert_eq!(d["KeyId"], json!(k2));
    expect_code(
        &mut w,
        "ReEncrypt",
        json!({"CiphertextBlob": ct, "DestinationKeyId": k2}),
        a.as_str(),
        "InvalidCiphertextException",
    );
}

#[test]
fn data_keys_and_random() {
    let mut w = world();
    let a = admin(MAIN);
    let key = create_key(&mut w, &a, json!({}));
    let g = ok(&mut w, "GenerateDataKey", json!({"KeyId": key, "KeySpec": "AES_256"}), a.as_str());
    let dk = unb64(&g["Plaintext"]);
    assert_eq!(dk.len(), 32);
    let d = ok(&mut w, "Decrypt", json!({"CiphertextBlob": g["CiphertextBlob"]}), a.as_str());
    assert_eq!(unb64(&d["Plaintext"]), dk);
    let g = ok(&mut w, "GenerateDataKey", json!({"KeyId": key, "NumberOfBytes": 64}), a.as_str());
    assert_eq!(unb64(&g["Plaintext"]).len(), 64);
    let g = ok(
        &mut w,
        "GenerateDataKeyWithoutPlaintext",
        json!({"KeyId": key, "KeySpec": "AES_128"}),
        a.as_str(),
    );
    assert!(g.get("Plaintext").is_none());
    assert_eq!(
        unb64(
            &ok(&mut w, "Decrypt", json!({"CiphertextBlob": g["CiphertextBlob"]}), a.as_str())["Plaintext"]
        )
        .len(),
        16
    );
    expect_code(&mut w, "GenerateDataKey", json!({"KeyId": key}), a.as_str(), "ValidationException");
    expect_code(
        &mut w,
        "GenerateDataKey",
        json!({"KeyId": key, "KeySpec": "AES_256", "NumberOfBytes": 32}),
        a.as_str(),
        "ValidationException",
    );
    expect_code(
        &mut w,
        "GenerateDataKey",
        json!({"KeyId": key, "NumberOfBytes": 1025}),
        a.as_str(),
        "ValidationException",
    );
    let r = ok(&mut w, "GenerateRandom", json!({"NumberOfBytes": 1024}), a.as_str());
    assert_eq!(unb64(&r["Plaintext"]).len(), 1024);
    expect_code(&mut w, "GenerateRandom", json!({"NumberOfBytes": 0}), a.as_str(), "ValidationException");
    let hmac = create_key(&mut w, &a, json!({"KeySpec": "HMAC_256"}));
    expect_code(
        &mut w,
        "GenerateDataKey",
        json!({"KeyId": hmac, "KeySpec": "AES_256"}),
        a.as_str(),
        "InvalidKeyUsageException",
    );
}

#[test]
fn macs_generate_and_verify() {
    let mut w = world();
    let a = admin(MAIN);
    let key = create_key(&mut w, &a, json!({"KeySpec": "HMAC_256"}));
    let m = ok(
        &mut w,
        "GenerateMac",
        json!({"KeyId": key, "Message": b64(b"msg"), "MacAlgorithm": "HMAC_SHA_256"}),
        a.as_str(),
    );
    let v = ok(
        &mut w,
        "VerifyMac",
        json!({"KeyId": key, "Message": b64(b"msg"), "MacAlgorithm": "HMAC_SHA_256", "Mac": m["Mac"]}),
        a.as_str(),
    );
    assert_eq!(v["MacValid"], true);
    expect_code(
        &mut w,
        "VerifyMac",
        json!({"KeyId": key, "Message": b64(b"other"), "MacAlgorithm": "HMAC_SHA_256", "Mac": m["Mac"]}),
        a.as_str(),
        "KMSInvalidMacException",
    );
    expect_code(
        &mut w,
        "GenerateMac",
        json!({"KeyId": key, "Message": b64(b"msg"), "MacAlgorithm": "HMAC_SHA_512"}),
        a.as_str(),
        "InvalidKeyUsageException",
    );
    let sym = create_key(&mut w, &a, json!({}));
    expect_code(
        &mut w,
        "GenerateMac",
        json!({"KeyId": sym, "Message": b64(b"msg"), "MacAlgorithm": "HMAC_SHA_256"}),
        a.as_str(),
        "InvalidKeyUsageException",
    );
    expect_code(
        &mut w,
        "Encrypt",
        json!({"KeyId": key, "Plaintext": b64(b"x")}),
        a.as_str(),
        "InvalidKeyUsageException",
    );
    expect_code(&mut w, "GetPublicKey", json!({"KeyId": key}), a.as_str(), "UnsupportedOperationException");
}

#[test]
fn signatures_and_public_keys() {
    let mut w = world();
    let a = admin(MAIN);
    let key = create_key(&mut w, &a, json!({"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"}));
    let d = ok(&mut w, "DescribeKey", json!({"KeyId": key}), a.as_str());
    assert_eq!(d["KeyMetadata"]["SigningAlgorithms"], json!(["ECDSA_SHA_256"]));
    let s = ok(
        &mut w,
        "Sign",
        json!({"KeyId": key, "Message": b64(b"doc"), "SigningAlgorithm": "ECDSA_SHA_256"}),
        a.as_str(),
    );
    let v = ok(
        &mut w,
        "Verify",
        json!({"KeyId": key, "Message": b64(b"doc"), "SigningAlgorithm": "ECDSA_SHA_256", "Signature": s["Signature"]}),
        a.as_str(),
    );
    assert_eq!(v["SignatureValid"], true);
    expect_code(
        &mut w,
        "Verify",
        json!({"KeyId": key, "Message": b64(b"forged"), "SigningAlgorithm": "ECDSA_SHA_256", "Signature": s["Signature"]}),
        a.as_str(),
        "KMSInvalidSignatureException",
    );
    expect_code(
        &mut w,
        "Sign",
        json!({"KeyId": key, "Message": b64(b"doc"), "SigningAlgorithm": "RSASSA_PSS_SHA_256"}),
        a.as_str(),
        "InvalidKeyUsageException",
    );
    expect_code(
        &mut w,
        "Sign",
        json!({"KeyId": key, "Message": b64(b"doc")}),
        a.as_str(),
        "ValidationException",
    );
    let p = ok(&mut w, "GetPublicKey", json!({"KeyId": key}), a.as_str());
    assert_eq!(p["KeySpec"], "ECC_NIST_P256");
    assert_eq!(p["KeyUsage"], "SIGN_VERIFY");
    assert!(!unb64(&p["PublicKey"]).is_empty());
    expect_code(
        &mut w,
        "Encrypt",
        json!({"KeyId": key, "Plaintext": b64(b"x")}),
        a.as_str(),
        "InvalidKeyUsageException",
    );
}

#[test]
fn rsa_encryption_needs_key_id_to_decrypt() {
    let mut w = world();
    let a = admin(MAIN);
    let key = create_key(&mut w, &a, json!({"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"}));
    expect_code(
        &mut w,
        "Encrypt",
        json!({"KeyId": key, "Plaintext": b64(b"x")}),
        a.as_str(),
        "InvalidKeyUsageException",
    );
    let e = ok(
        &mut w,
        "Encrypt",
        json!({"KeyId": key, "Plaintext": b64(b"rsa"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"}),
        a.as_str(),
    );
    expect_code(
        &mut w,
        "Decrypt",
        json!({"CiphertextBlob": e["CiphertextBlob"], "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"}),
        a.as_str(),
        "ValidationException",
    );
    let d = ok(
        &mut w,
        "Decrypt",
        json!({"CiphertextBlob": e["CiphertextBlob"], "EncryptionAlgorithm": "RSAES_OAEP_SHA_256", "KeyId": key}),
        a.as_str(),
    );
    assert_eq!(unb64(&d["Plaintext"]), b"rsa");
}

#[test]
fn data_key_pairs_under_a_symmetric_key() {
    let mut w = world();
    let a = admin(MAIN);
    let key = create_key(&mut w, &a, json!({}));
    let g =
        ok(&mut w, "GenerateDataKeyPair", json!({"KeyId": key, "KeyPairSpec": "ECC_NIST_P256"}), a.as_str());
    let private = unb64(&g["PrivateKeyPlaintext"]);
    let d = ok(&mut w, "Decrypt", json!({"CiphertextBlob": g["PrivateKeyCiphertextBlob"]}), a.as_str());
    assert_eq!(unb64(&d["Plaintext"]), private);
    assert!(!unb64(&g["PublicKey"]).is_empty());
    let g = ok(
        &mut w,
        "GenerateDataKeyPairWithoutPlaintext",
        json!({"KeyId": key, "KeyPairSpec": "ECC_NIST_P256"}),
        a.as_str(),
    );
    assert!(g.get("PrivateKeyPlaintext").is_none());
    expect_code(
        &mut w,
        "GenerateDataKeyPair",
        json!({"KeyId": key, "KeyPairSpec": "AES_256"}),
        a.as_str(),
        "ValidationException",
    );
}
