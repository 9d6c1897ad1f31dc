//! Round trips (every suite × every keyring type × edge-case sizes), client settings on encrypt,
//! the required-encryption-context behaviour, and the tamper property: every single-bit flip and
//! every truncation of a small message of each suite is rejected.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::support;

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use secplay::crypto::esdk::{
    decrypt, encrypt, AlgorithmSuite, CommitmentPolicy, ContentType, DataKey, DecryptOptions, Decryptor,
    EncryptOptions, EncryptionContext, MessageVersion,
};
use secplay::crypto::keyring::{Keyring, MultiKeyring, RawAesKeyring, RawRsaKeyring, RsaPadding};

fn aes(bits: usize) -> RawAesKeyring {
    let name = format!("aes-{bits}");
    let key = B64.decode(support::key_material(&name)).unwrap();
    RawAesKeyring::new("aws-raw-vectors-persistant", &name, DataKey::new(key)).unwrap()
}

fn rsa(padding: RsaPadding, private: bool) -> RawRsaKeyring {
    let pem = support::key_material(if private { "rsa-4096-private" } else { "rsa-4096-public" });
    let (public, private) = if private { (None, Some(pem)) } else { (Some(pem), None) };
    RawRsaKeyring::from_pem("aws-raw-vectors-persistant", "rsa-4096-private", padding, public, private)
        .unwrap()
}

const PADDINGS: [RsaPadding; 5] = [
    RsaPadding::Pkcs1,
    RsaPadding::OaepSha1,
    RsaPadding::OaepSha256,
    RsaPadding::OaepSha384,
    RsaPadding::OaepSha512,
];

fn policy_for(suite: AlgorithmSuite) -> CommitmentPolicy {
    if suite.is_committing() {
        CommitmentPolicy::RequireEncryptRequireDecrypt
    } else {
        CommitmentPolicy::ForbidEncryptAllowDecrypt
    }
}

fn context() -> EncryptionContext {
    let mut m = BTreeMap::new();
    m.insert("purpose".to_string(), "round trip".to_string());
    m.insert("\u{1}\u{2}\u{3}".to_string(), "sorts first".to_string());
    m.insert("ключ".to_string(), "значение".to_string());
    EncryptionContext(m)
}

fn roundtrip(enc: &dyn Keyring, dec: &dyn Keyring, suite: AlgorithmSuite, frame: u32, plaintext: &[u8]) {
    let opts = EncryptOptions {
        suite: Some(suite),
        frame_length: frame,
        commitment_policy: policy_for(suite),
        encryption_context: context(),
        ..EncryptOptions::default()
    };
    let ct = encrypt(plaintext, enc, &opts).unwrap();
    let dopts = DecryptOptions {
        commitment_policy: CommitmentPolicy::RequireEncryptAllowDecrypt,
        ..DecryptOptions::default()
    };
    let out =
        decrypt(&ct, dec, &dopts).unwrap_or_else(|e| panic!("{suite:?} {} bytes: {e}", plaintext.len()));
    assert_eq!(out.plaintext, plaintext, "{suite:?}");
    let h = out.header;
    assert_eq!(h.suite, suite);
    assert_eq!(h.frame_length, frame);
    assert_eq!(h.content_type, ContentType::Framed);
    assert_eq!(h.version(), if suite.is_committing() { MessageVersion::V2 } else { MessageVersion::V1 });
    for (k, v) in &context().0 {
        assert_eq!(h.encryption_context.get(k), Some(v.as_str()));
    }
    assert_eq!(h.encryption_context.get("aws-crypto-public-key").is_some(), suite.is_signed());
    // The same message through the streaming decryptor in 7-byte chunks.
    let mut d = Decryptor::new(dec, dopts);
    let mut streamed = Vec::new();
    for c in ct.chunks(7) {
        d.update_into(c, &mut streamed).unwrap();
    }
    streamed.extend(d.finish().unwrap());
    assert_eq!(streamed, plaintext);
}

fn data(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 7 + 3) as u8).collect()
}

#[test]
fn every_suite_with_raw_aes_keyrings() {
    for suite in AlgorithmSuite::ALL {
        for bits in [128, 192, 256] {
            let k = aes(bits);
            for n in [0, 1, 127, 128, 129, 1000] {
                roundtrip(&k, &k, suite, 128, &data(n));
            }
        }
    }
}

#[test]
fn every_suite_with_raw_rsa_keyrings() {
    for suite in AlgorithmSuite::ALL {
        for padding in PADDINGS {
            roundtrip(&rsa(padding, false), &rsa(padding, true), suite, 64, &data(130));
        }
    }
}

#[test]
fn every_suite_with_a_multi_keyring() {
    for suite in AlgorithmSuite::ALL {
        let multi = MultiKeyring::new(
            Some(Box::new(aes(256))),
            vec![Box::new(rsa(RsaPadding::OaepSha256, false)), Box::new(aes(128))],
        )
        .unwrap();
        roundtrip(&multi, &aes(256), suite, 16, &data(40));
        roundtrip(&multi, &aes(128), suite, 16, &data(40));
        roundtrip(&multi, &rsa(RsaPadding::OaepSha256, true), suite, 16, &data(40));
        let ct = encrypt(
            b"x",
            &multi,
            &EncryptOptions {
                suite: Some(suite),
                commitment_policy: policy_for(suite),
                ..EncryptOptions::default()
            },
        )
        .unwrap();
        let h = decrypt(
            &ct,
            &aes(128),
            &DecryptOptions {
                commitment_policy: CommitmentPolicy::RequireEncryptAllowDecrypt,
                ..DecryptOptions::default()
            },
        )
        .unwrap()
        .header;
        assert_eq!(h.encrypted_data_keys.len(), 3);
    }
}

#[test]
fn wrong_keys_and_names_cannot_decrypt() {
    let ct = encrypt(b"secret", &aes(256), &EncryptOptions::default()).unwrap();
    let other =
        RawAesKeyring::new("aws-raw-vectors-persistant", "aes-256", DataKey::new(vec![0u8; 32])).unwrap();
    for k in [&other as &dyn Keyring, &aes(128), &rsa(RsaPadding::OaepSha1, true)] {
        assert_eq!(decrypt(&ct, k, &DecryptOptions::default()).unwrap_err().code(), "NoKeyringCouldDecrypt");
    }
    let ct = encrypt(b"secret", &rsa(RsaPadding::OaepSha256, false), &EncryptOptions::default()).unwrap();
    let err = decrypt(&ct, &rsa(RsaPadding::OaepSha512, true), &DecryptOptions::default()).unwrap_err();
    assert_eq!(err.code(), "NoKeyringCouldDecrypt");
    assert!(decrypt(&ct, &rsa(RsaPadding::OaepSha256, false), &DecryptOptions::default()).is_err());
}

#[test]
fn defaults_are_suite_0578_frame_4096_and_require_require() {
    let ct = encrypt(&data(10_000), &aes(256), &EncryptOptions::default()).unwrap();
    let h = decrypt(&ct, &aes(256), &DecryptOptions::default()).unwrap().header;
    assert_eq!(h.suite.id(), 0x0578);
    assert_eq!(h.frame_length, 4096);
    // A v1 message is refused under the default policy and read under REQUIRE_ENCRYPT_ALLOW_DECRYPT.
    let v1 = encrypt(
        b"old",
        &aes(256),
        &EncryptOptions {
            commitment_policy: CommitmentPolicy::ForbidEncryptAllowDecrypt,
            ..EncryptOptions::default()
        },
    )
    .unwrap();
    assert_eq!(decrypt(&v1, &aes(256), &DecryptOptions::default()).unwrap_err().code(), "PolicyViolation");
    let allow = DecryptOptions {
        commitment_policy: CommitmentPolicy::RequireEncryptAllowDecrypt,
        ..DecryptOptions::default()
    };
    assert_eq!(decrypt(&v1, &aes(256), &allow).unwrap().header.suite.id(), 0x0378);
}

#[test]
fn encrypt_settings_are_enforced() {
    let k = aes(256);
    let forbid = EncryptOptions {
        suite: Some(AlgorithmSuite::DEFAULT),
        commitment_policy: CommitmentPolicy::ForbidEncryptAllowDecrypt,
        ..EncryptOptions::default()
    };
    assert_eq!(encrypt(b"", &k, &forbid).unwrap_err().code(), "PolicyViolation");
    let require = EncryptOptions {
        suite: Some(AlgorithmSuite::Aes256GcmIv12Tag16HkdfSha256),
        ..EncryptOptions::default()
    };
    assert_eq!(encrypt(b"", &k, &require).unwrap_err().code(), "PolicyViolation");
    let zero = EncryptOptions { frame_length: 0, ..EncryptOptions::default() };
    assert_eq!(encrypt(b"", &k, &zero).unwrap_err().code(), "InvalidInput");
    let mut reserved = EncryptOptions::default();
    reserved.encryption_context.0.insert("aws-crypto-x".into(), "y".into());
    assert_eq!(encrypt(b"", &k, &reserved).unwrap_err().code(), "InvalidEncryptionContext");
    let multi = MultiKeyring::new(Some(Box::new(aes(256))), vec![Box::new(aes(128))]).unwrap();
    let max1 = EncryptOptions { max_encrypted_data_keys: Some(1), ..EncryptOptions::default() };
    assert_eq!(encrypt(b"", &multi, &max1).unwrap_err().code(), "PolicyViolation");
    let ct = encrypt(b"", &multi, &EncryptOptions::default()).unwrap();
    let dmax1 = DecryptOptions { max_encrypted_data_keys: Some(1), ..DecryptOptions::default() };
    assert_eq!(decrypt(&ct, &aes(128), &dmax1).unwrap_err().code(), "PolicyViolation");
    let dmax2 = DecryptOptions { max_encrypted_data_keys: Some(2), ..DecryptOptions::default() };
    assert!(decrypt(&ct, &aes(128), &dmax2).is_ok());
}

#[test]
fn required_encryption_context_is_authenticated_but_not_stored() {
    let k = aes(256);
    let opts = EncryptOptions {
        encryption_context: context(),
        required_encryption_context_keys: vec!["purpose".to_string()],
        ..EncryptOptions::default()
    };
    let ct = encrypt(b"payload", &k, &opts).unwrap();
    // Without the reproduced context the keyring's AAD (full context) differs.
    assert!(decrypt(&ct, &k, &DecryptOptions::default()).is_err());
    let mut reproduced = EncryptionContext::new();
    reproduced.0.insert("purpose".into(), "round trip".into());
    let good = DecryptOptions {
        reproduced_encryption_context: Some(reproduced.clone()),
        required_encryption_context_keys: vec!["purpose".into()],
        ..DecryptOptions::default()
    };
    let out = decrypt(&ct, &k, &good).unwrap();
    assert_eq!(out.plaintext, b"payload");
    assert_eq!(out.header.encryption_context.get("purpose"), None);
    // A stored entry reproduced with another value is a mismatch.
    let mut wrong = reproduced.clone();
    wrong.0.insert("ключ".into(), "другое".into());
    let bad = DecryptOptions { reproduced_encryption_context: Some(wrong), ..DecryptOptions::default() };
    assert_eq!(decrypt(&ct, &k, &bad).unwrap_err().code(), "EncryptionContextMismatch");
    // A required key missing from the reproduced context.
    let missing = DecryptOptions {
        required_encryption_context_keys: vec!["purpose".into()],
        ..DecryptOptions::default()
    };
    assert_eq!(decrypt(&ct, &k, &missing).unwrap_err().code(), "EncryptionContextMismatch");
}

/// Every single-bit flip and every truncation of a small multi-frame message of each suite.
#[test]
fn tamper_every_bit_and_every_truncation_of_each_suite() {
    let k = aes(256);
    let allow = DecryptOptions {
        commitment_policy: CommitmentPolicy::RequireEncryptAllowDecrypt,
        ..DecryptOptions::default()
    };
    let mut checked = 0usize;
    for suite in AlgorithmSuite::ALL {
        let mut ec = EncryptionContext::new();
        ec.0.insert("k".into(), "v".into());
        let opts = EncryptOptions {
            suite: Some(suite),
            frame_length: 16,
            commitment_policy: policy_for(suite),
            encryption_context: ec,
            ..EncryptOptions::default()
        };
        let ct = encrypt(&data(40), &k, &opts).unwrap();
        assert_eq!(decrypt(&ct, &k, &allow).unwrap().plaintext, data(40));
        for bit in 0..ct.len() * 8 {
            let mut t = ct.clone();
            t[bit / 8] ^= 1 << (bit % 8);
            assert!(decrypt(&t, &k, &allow).is_err(), "{suite:?}: flip of bit {bit} accepted");
            checked += 1;
        }
        for len in 0..ct.len() {
            assert!(decrypt(&ct[..len], &k, &allow).is_err(), "{suite:?}: truncation to {len} accepted");
            checked += 1;
        }
    }
    assert!(checked > 11 * 8 * 150);
}

fn code<T>(r: Result<T, secplay::crypto::esdk::EsdkError>) -> &'static str {
    r.map(|_| ()).unwrap_err().code()
}

#[test]
fn keyring_configuration_errors() {
    assert_eq!(code(RawAesKeyring::new("aws-kms", "k", DataKey::new(vec![0; 32]))), "InvalidKeyring");
    assert_eq!(code(RawAesKeyring::new("ns", "k", DataKey::new(vec![0; 20]))), "InvalidKeyring");
    let pem = support::key_material("rsa-4096-private");
    assert_eq!(code(RawRsaKeyring::from_pem("ns", "k", RsaPadding::Pkcs1, None, None)), "InvalidKeyring");
    assert_eq!(
        code(RawRsaKeyring::from_pem("ns", "k", RsaPadding::Pkcs1, Some(pem), None)),
        "InvalidKeyring"
    );
    assert_eq!(
        code(RawRsaKeyring::from_pem(
            "ns",
            "k",
            RsaPadding::Pkcs1,
            None,
            Some("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
        )),
        "InvalidKeyring"
    );
    assert_eq!(
        code(RawRsaKeyring::from_pem("aws-kms", "k", RsaPadding::Pkcs1, None, Some(pem))),
        "InvalidKeyring"
    );
    // A public-only RSA keyring encrypts but cannot decrypt.
    let public = rsa(RsaPadding::OaepSha512, false);
    let ct = encrypt(b"x", &public, &EncryptOptions::default()).unwrap();
    assert_eq!(
        decrypt(&ct, &public, &DecryptOptions::default()).unwrap_err().code(),
        "NoKeyringCouldDecrypt"
    );
}
