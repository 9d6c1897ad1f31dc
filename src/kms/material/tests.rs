//! Tests of KMS key material: the spec table, known answers where a standard gives them, every
//! signature checked by the crate's own verifier built from our SPKI DER (so GetPublicKey is
//! checked too), tampering, the message-type rules and the snapshot encoding.

use std::sync::OnceLock;

use pkcs8::{DecodePrivateKey, DecodePublicKey};
use sha2::Digest;

use super::spec::Hash;
use super::*;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn key(spec: KeySpec) -> &'static KeyMaterial {
    // Key generation (RSA above all) is slow; each spec's key is made once and shared.
    static KEYS: OnceLock<std::sync::Mutex<Vec<(KeySpec, &'static KeyMaterial)>>> = OnceLock::new();
    let keys = KEYS.get_or_init(Default::default);
    let mut keys = keys.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, k)) = keys.iter().find(|(s, _)| *s == spec) {
        return k;
    }
    let made: &'static KeyMaterial = Box::leak(Box::new(KeyMaterial::generate(spec).unwrap()));
    keys.push((spec, made));
    made
}

fn flip(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[at] ^= 0x01;
    out
}

// ---- the spec table ----

#[test]
fn every_key_spec_round_trips_through_its_api_name() {
    for spec in ALL_KEY_SPECS {
        assert_eq!(KeySpec::parse(spec.as_str()), Ok(spec), "{}", spec.as_str());
        assert!(!spec.usages().is_empty(), "{} has no usage", spec.as_str());
    }
    let err = KeySpec::parse("RSA_1024").unwrap_err();
    assert_eq!(err.aws_exception(), "ValidationException");
    assert!(err.to_string().contains("`RSA_1024`"), "{err}");
}

#[test]
fn every_key_spec_of_the_model_is_known() {
    let model: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("../shared/vectors/aws-models/kms-2014-11-01.service-2.json").unwrap(),
    )
    .unwrap();
    let names: Vec<&str> =
        model["shapes"]["KeySpec"]["enum"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    let ours: Vec<&str> = ALL_KEY_SPECS.iter().map(KeySpec::as_str).collect();
    assert_eq!(names, ours);
    let pairs: Vec<&str> = model["shapes"]["DataKeyPairSpec"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let ours: Vec<&str> =
        ALL_KEY_SPECS.iter().filter(|s| s.is_data_key_pair_spec()).map(KeySpec::as_str).collect();
    let mut sorted_model = pairs.clone();
    sorted_model.sort_unstable();
    let mut sorted_ours = ours;
    sorted_ours.sort_unstable();
    assert_eq!(sorted_model, sorted_ours);
    let usages: Vec<&str> = model["shapes"]["KeyUsageType"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for usage in usages {
        assert_eq!(KeyUsage::parse(usage).unwrap().as_str(), usage);
    }
}

#[test]
fn algorithms_are_what_describe_key_lists() {
    let rsa_enc = algorithms(KeySpec::Rsa2048, KeyUsage::EncryptDecrypt);
    assert_eq!(rsa_enc.encryption, ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]);
    assert!(rsa_enc.signing.is_empty());
    assert_eq!(algorithms(KeySpec::Rsa4096, KeyUsage::SignVerify).signing.len(), 6);
    assert_eq!(algorithms(KeySpec::EccNistP256, KeyUsage::SignVerify).signing, ["ECDSA_SHA_256"]);
    assert_eq!(algorithms(KeySpec::EccNistP521, KeyUsage::SignVerify).signing, ["ECDSA_SHA_512"]);
    assert_eq!(algorithms(KeySpec::EccSecgP256k1, KeyUsage::SignVerify).signing, ["ECDSA_SHA_256"]);
    assert_eq!(algorithms(KeySpec::EccNistP384, KeyUsage::KeyAgreement).key_agreement, ["ECDH"]);
    assert_eq!(algorithms(KeySpec::Hmac384, KeyUsage::GenerateVerifyMac).mac, ["HMAC_SHA_384"]);
    assert_eq!(algorithms(KeySpec::MlDsa65, KeyUsage::SignVerify).signing, ["ML_DSA_SHAKE_256"]);
    assert_eq!(algorithms(KeySpec::MlKem768, KeyUsage::KeyEncapsulation).key_encapsulation, ["ML_KEM"]);
    assert_eq!(
        algorithms(KeySpec::SymmetricDefault, KeyUsage::EncryptDecrypt).encryption,
        ["SYMMETRIC_DEFAULT"]
    );
    // A usage the spec does not allow lists nothing.
    assert_eq!(algorithms(KeySpec::SymmetricDefault, KeyUsage::SignVerify), Algorithms::default());
    assert_eq!(algorithms(KeySpec::EccSecgP256k1, KeyUsage::KeyAgreement), Algorithms::default());
}

#[test]
fn sm2_is_refused_as_china_regions_only() {
    let err = KeyMaterial::generate(KeySpec::Sm2).unwrap_err();
    assert_eq!(err.aws_exception(), "UnsupportedOperationException");
    assert!(err.to_string().contains("China"), "{err}");
    assert_eq!(
        generate_data_key_pair(KeySpec::Sm2).unwrap_err().aws_exception(),
        "UnsupportedOperationException"
    );
}

// ---- HMAC ----

/// RFC 4231 §4, test cases 1, 2, 3, 4, 6 and 7 (case 5 is a truncated output KMS does not offer).
#[test]
fn hmac_matches_rfc_4231() {
    let cases: [(Vec<u8>, Vec<u8>, [&str; 4]); 6] = [
        (vec![0x0b; 20], b"Hi There".to_vec(), [
            "896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22",
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
            "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
        ]),
        (b"Jefe".to_vec(), b"what do ya want for nothing?".to_vec(), [
            "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44",
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
        ]),
        (vec![0xaa; 20], vec![0xdd; 50], [
            "7fb3cb3588c6c1f6ffa9694d7d6ad2649365b0c1f65d69d1ec8333ea",
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
            "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27",
            "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb",
        ]),
        ((1..=25).collect(), vec![0xcd; 50], [
            "6c11506874013cac6a2abc1bb382627cec6a90d86efc012de7afec5a",
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
            "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb",
            "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd",
        ]),
        (vec![0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(), [
            "95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e",
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952",
            "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
        ]),
        (vec![0xaa; 131], b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".to_vec(), [
            "3a854166ac5d9f023f54d517d0b39dbd946770db9c2b95c9f6f565d1",
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
            "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e",
            "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58",
        ]),
    ];
    for (n, (key, data, expected)) in cases.iter().enumerate() {
        for (hash, want) in [Hash::Sha224, Hash::Sha256, Hash::Sha384, Hash::Sha512].into_iter().zip(expected)
        {
            let got = hmac::mac(hash, key, data).unwrap();
            assert_eq!(got, hex(want), "RFC 4231 case {} {hash:?}", [1, 2, 3, 4, 6, 7][n]);
            assert!(hmac::verify(hash, key, data, &got).unwrap());
        }
    }
}

#[test]
fn hmac_keys_mac_with_their_own_algorithm_only() {
    for (spec, algorithm, len) in [
        (KeySpec::Hmac224, "HMAC_SHA_224", 28),
        (KeySpec::Hmac256, "HMAC_SHA_256", 32),
        (KeySpec::Hmac384, "HMAC_SHA_384", 48),
        (KeySpec::Hmac512, "HMAC_SHA_512", 64),
    ] {
        let material = KeyMaterial::generate(spec).unwrap();
        assert_eq!(material.to_bytes().len(), len, "{algorithm} key length");
        let mac = material.generate_mac(algorithm, b"message").unwrap();
        assert_eq!(mac.len(), len, "{algorithm} mac length");
        assert!(material.verify_mac(algorithm, b"message", &mac).unwrap());
        assert!(!material.verify_mac(algorithm, b"messagE", &mac).unwrap(), "{algorithm}: other message");
        assert!(
            !material.verify_mac(algorithm, b"message", &flip(&mac, len - 1)).unwrap(),
            "{algorithm}: tampered"
        );
        assert!(
            !material.verify_mac(algorithm, b"message", &mac[..len - 1]).unwrap(),
            "{algorithm}: truncated"
        );
        // The same key restored from its bytes computes the same MAC.
        let restored = KeyMaterial::from_bytes(spec, &material.to_bytes()).unwrap();
        assert_eq!(restored.generate_mac(algorithm, b"message").unwrap(), mac);
    }
    let k256 = KeyMaterial::generate(KeySpec::Hmac256).unwrap();
    assert_eq!(
        k256.generate_mac("HMAC_SHA_512", b"m").unwrap_err().aws_exception(),
        "InvalidKeyUsageException"
    );
    assert_eq!(k256.generate_mac("HMAC_MD5", b"m").unwrap_err().aws_exception(), "ValidationException");
    let long = vec![0u8; MAX_MAC_MESSAGE + 1];
    assert_eq!(k256.generate_mac("HMAC_SHA_256", &long).unwrap_err().aws_exception(), "ValidationException");
    assert!(k256.generate_mac("HMAC_SHA_256", &long[1..]).is_ok());
    let aes = key(KeySpec::SymmetricDefault);
    assert_eq!(
        aes.generate_mac("HMAC_SHA_256", b"m").unwrap_err().aws_exception(),
        "InvalidKeyUsageException"
    );
}

// ---- RSA ----

const RSA_SIGNING: [&str; 6] = [
    "RSASSA_PSS_SHA_256",
    "RSASSA_PSS_SHA_384",
    "RSASSA_PSS_SHA_512",
    "RSASSA_PKCS1_V1_5_SHA_256",
    "RSASSA_PKCS1_V1_5_SHA_384",
    "RSASSA_PKCS1_V1_5_SHA_512",
];

fn digest_for(algorithm: &str, message: &[u8]) -> Vec<u8> {
    if algorithm.ends_with("256") {
        sha2::Sha256::digest(message).to_vec()
    } else if algorithm.ends_with("384") {
        sha2::Sha384::digest(message).to_vec()
    } else {
        sha2::Sha512::digest(message).to_vec()
    }
}

/// Verifies with the `rsa` crate's own verifier, from the SPKI DER we publish.
fn rsa_crate_verifies(spki: &[u8], algorithm: &str, message: &[u8], signature: &[u8]) -> bool {
    let public = ::rsa::PublicKey::from_public_key_der(spki).unwrap();
    match algorithm {
        "RSASSA_PSS_SHA_256" => public.pss_verify::<sha2::Sha256>(message, signature).is_ok(),
        "RSASSA_PSS_SHA_384" => public.pss_verify::<sha2::Sha384>(message, signature).is_ok(),
        "RSASSA_PSS_SHA_512" => public.pss_verify::<sha2::Sha512>(message, signature).is_ok(),
        "RSASSA_PKCS1_V1_5_SHA_256" => public.pkcs1v15_verify::<sha2::Sha256>(message, signature).is_ok(),
        "RSASSA_PKCS1_V1_5_SHA_384" => public.pkcs1v15_verify::<sha2::Sha384>(message, signature).is_ok(),
        "RSASSA_PKCS1_V1_5_SHA_512" => public.pkcs1v15_verify::<sha2::Sha512>(message, signature).is_ok(),
        other => panic!("not an rsa algorithm: {other}"),
    }
}

#[test]
fn rsa_signatures_verify_with_the_rsa_crate_from_our_spki() {
    let material = key(KeySpec::Rsa2048);
    let spki = material.public_key_der().unwrap();
    let message = b"the message KMS signs";
    for algorithm in RSA_SIGNING {
        let raw = material.sign(algorithm, "RAW", message).unwrap();
        assert_eq!(raw.len(), 256, "{algorithm}");
        assert!(rsa_crate_verifies(&spki, algorithm, message, &raw), "{algorithm} RAW");
        let digest = digest_for(algorithm, message);
        let over_digest = material.sign(algorithm, "DIGEST", &digest).unwrap();
        assert!(rsa_crate_verifies(&spki, algorithm, message, &over_digest), "{algorithm} DIGEST");
        assert!(material.verify(algorithm, "RAW", message, &over_digest).unwrap());
        assert!(material.verify(algorithm, "DIGEST", &digest, &raw).unwrap());
        let tampered = flip(&raw, 100);
        assert!(!rsa_crate_verifies(&spki, algorithm, message, &tampered), "{algorithm} tampered");
        assert!(!material.verify(algorithm, "RAW", message, &tampered).unwrap(), "{algorithm} tampered");
        assert!(!material.verify(algorithm, "RAW", b"another message", &raw).unwrap());
        assert!(!material.verify(algorithm, "RAW", message, &raw[..10]).unwrap(), "{algorithm} short");
    }
    // PKCS #1 v1.5 is deterministic: the same message signs the same way.
    assert_eq!(
        material.sign("RSASSA_PKCS1_V1_5_SHA_256", "RAW", message).unwrap(),
        material.sign("RSASSA_PKCS1_V1_5_SHA_256", "RAW", message).unwrap()
    );
}

#[test]
fn rsa_oaep_round_trips_and_interoperates_with_the_rsa_crate() {
    let material = key(KeySpec::Rsa2048);
    let public = ::rsa::PublicKey::from_public_key_der(&material.public_key_der().unwrap()).unwrap();
    for algorithm in ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"] {
        let ciphertext = material.rsa_encrypt(algorithm, b"secret").unwrap();
        assert_eq!(
            material.rsa_decrypt(algorithm, &ciphertext).unwrap().as_slice(),
            b"secret",
            "{algorithm}"
        );
        // Encrypted outside KMS with the downloaded public key, decrypted inside.
        let outside = if algorithm.ends_with('1') {
            public.oaep_encrypt::<sha1::Sha1>(b"from outside").unwrap()
        } else {
            public.oaep_encrypt::<sha2::Sha256>(b"from outside").unwrap()
        };
        assert_eq!(material.rsa_decrypt(algorithm, &outside).unwrap().as_slice(), b"from outside");
        for bad in [flip(&ciphertext, 7), ciphertext[1..].to_vec(), Vec::new()] {
            let err = material.rsa_decrypt(algorithm, &bad).unwrap_err();
            assert_eq!(err, MaterialError::InvalidCiphertext, "{algorithm}");
            assert_eq!(err.aws_exception(), "InvalidCiphertextException");
        }
    }
    // The other OAEP hash does not open it.
    let sha1 = material.rsa_encrypt("RSAES_OAEP_SHA_1", b"secret").unwrap();
    assert_eq!(
        material.rsa_decrypt("RSAES_OAEP_SHA_256", &sha1).unwrap_err(),
        MaterialError::InvalidCiphertext
    );
    assert_eq!(
        material.rsa_encrypt("SYMMETRIC_DEFAULT", b"x").unwrap_err().aws_exception(),
        "InvalidKeyUsageException"
    );
    assert_eq!(material.rsa_encrypt("RSAES_PKCS1", b"x").unwrap_err().aws_exception(), "ValidationException");
    assert_eq!(
        key(KeySpec::EccNistP256).rsa_encrypt("RSAES_OAEP_SHA_256", b"x").unwrap_err().aws_exception(),
        "InvalidKeyUsageException"
    );
}

/// KMS's documented RSA plaintext limits (OAEP SHA-1 / SHA-256): RSA_2048 214 / 190,
/// RSA_3072 342 / 318, RSA_4096 470 / 446.
#[test]
fn rsa_plaintext_limits_are_kms_limits() {
    for (spec, sha1, sha256) in
        [(KeySpec::Rsa2048, 214, 190), (KeySpec::Rsa3072, 342, 318), (KeySpec::Rsa4096, 470, 446)]
    {
        let material = key(spec);
        for (algorithm, max) in [("RSAES_OAEP_SHA_1", sha1), ("RSAES_OAEP_SHA_256", sha256)] {
            assert_eq!(material.rsa_max_plaintext(algorithm).unwrap(), max, "{} {algorithm}", spec.as_str());
            let at_limit = vec![0x42; max];
            let ciphertext = material.rsa_encrypt(algorithm, &at_limit).unwrap();
            assert_eq!(material.rsa_decrypt(algorithm, &ciphertext).unwrap().as_slice(), at_limit.as_slice());
            let err = material.rsa_encrypt(algorithm, &vec![0x42; max + 1]).unwrap_err();
            assert_eq!(err.aws_exception(), "ValidationException", "{} {algorithm}", spec.as_str());
            assert!(err.to_string().contains(&format!("at most {max}")), "{err}");
        }
    }
}

// ---- ECDSA and ECDH ----

macro_rules! ecdsa_case {
    ($name:ident, $spec:expr, $krate:ident, $algorithm:expr) => {
        #[test]
        fn $name() {
            use $krate::ecdsa::signature::Verifier;
            let material = key($spec);
            let spki = material.public_key_der().unwrap();
            let verifier = $krate::ecdsa::VerifyingKey::from_public_key_der(&spki).unwrap();
            let message = b"the message KMS signs";
            let raw = material.sign($algorithm, "RAW", message).unwrap();
            // KMS returns DER (SEQUENCE of two INTEGERs).
            assert_eq!(raw[0], 0x30, "DER sequence");
            let signature = $krate::ecdsa::Signature::from_der(&raw).unwrap();
            assert!(verifier.verify(message, &signature).is_ok(), "RAW signature");
            let digest = digest_for($algorithm, message);
            let over_digest = material.sign($algorithm, "DIGEST", &digest).unwrap();
            let signature = $krate::ecdsa::Signature::from_der(&over_digest).unwrap();
            assert!(verifier.verify(message, &signature).is_ok(), "DIGEST signature");
            assert!(material.verify($algorithm, "RAW", message, &over_digest).unwrap());
            assert!(material.verify($algorithm, "DIGEST", &digest, &raw).unwrap());
            let tampered = flip(&raw, raw.len() - 2);
            assert!(!material.verify($algorithm, "RAW", message, &tampered).unwrap(), "tampered");
            assert!(!material.verify($algorithm, "RAW", b"another", &raw).unwrap(), "other message");
            assert!(!material.verify($algorithm, "RAW", message, b"not der").unwrap(), "garbage");
            // The snapshot bytes bring back the same key.
            let restored = KeyMaterial::from_bytes($spec, &material.to_bytes()).unwrap();
            assert_eq!(restored.public_key_der().unwrap(), spki);
            assert!(restored.verify($algorithm, "RAW", message, &raw).unwrap());
        }
    };
}

ecdsa_case!(ecdsa_p256_verifies_with_the_p256_crate, KeySpec::EccNistP256, p256, "ECDSA_SHA_256");
ecdsa_case!(ecdsa_p384_verifies_with_the_p384_crate, KeySpec::EccNistP384, p384, "ECDSA_SHA_384");
ecdsa_case!(ecdsa_p521_verifies_with_the_p521_crate, KeySpec::EccNistP521, p521, "ECDSA_SHA_512");
ecdsa_case!(ecdsa_secp256k1_verifies_with_the_k256_crate, KeySpec::EccSecgP256k1, k256, "ECDSA_SHA_256");

#[test]
fn ecdsa_refuses_the_other_curves_hashes() {
    let p256 = key(KeySpec::EccNistP256);
    for algorithm in
        ["ECDSA_SHA_384", "ECDSA_SHA_512", "RSASSA_PSS_SHA_256", "ED25519_SHA_512", "ML_DSA_SHAKE_256"]
    {
        let err = p256.sign(algorithm, "RAW", b"m").unwrap_err();
        assert_eq!(err.aws_exception(), "InvalidKeyUsageException", "{algorithm}");
    }
    assert_eq!(p256.sign("ECDSA_SHA_1", "RAW", b"m").unwrap_err().aws_exception(), "ValidationException");
    assert_eq!(
        key(KeySpec::SymmetricDefault).sign("ECDSA_SHA_256", "RAW", b"m").unwrap_err().aws_exception(),
        "InvalidKeyUsageException"
    );
}

#[test]
fn ecdh_agrees_with_the_p256_crate_and_between_kms_keys() {
    use p256::elliptic_curve::Generate;
    use pkcs8::EncodePublicKey;
    let ours = key(KeySpec::EccNistP256);
    let peer = p256::SecretKey::try_generate_from_rng(&mut getrandom::SysRng).unwrap();
    let peer_spki = peer.public_key().to_public_key_der().unwrap();
    let ours_public = p256::PublicKey::from_public_key_der(&ours.public_key_der().unwrap()).unwrap();
    let expected = peer.diffie_hellman(&ours_public);
    let shared = ours.derive_shared_secret("ECDH", peer_spki.as_bytes()).unwrap();
    assert_eq!(shared.as_slice(), expected.raw_secret_bytes().as_slice());
    // Two KMS keys (P-384, P-521) reach the same secret from either side.
    for spec in [KeySpec::EccNistP384, KeySpec::EccNistP521] {
        let a = KeyMaterial::generate(spec).unwrap();
        let b = KeyMaterial::generate(spec).unwrap();
        let ab = a.derive_shared_secret("ECDH", &b.public_key_der().unwrap()).unwrap();
        let ba = b.derive_shared_secret("ECDH", &a.public_key_der().unwrap()).unwrap();
        assert_eq!(ab, ba, "{}", spec.as_str());
    }
    // A peer on another curve, or not a key at all, is a bad public key.
    let p384_peer = key(KeySpec::EccNistP384).public_key_der().unwrap();
    for bad in [p384_peer.as_slice(), b"nonsense".as_slice(), &[]] {
        let err = ours.derive_shared_secret("ECDH", bad).unwrap_err();
        assert_eq!(err, MaterialError::InvalidPublicKey);
        assert_eq!(err.aws_exception(), "ValidationException");
    }
    assert_eq!(
        ours.derive_shared_secret("ECDHE", peer_spki.as_bytes()).unwrap_err().aws_exception(),
        "ValidationException"
    );
    let k256 = key(KeySpec::EccSecgP256k1);
    assert_eq!(
        k256.derive_shared_secret("ECDH", &p384_peer).unwrap_err().aws_exception(),
        "InvalidKeyUsageException"
    );
}

// ---- message types ----

#[test]
fn message_type_rules_follow_the_model() {
    let p256 = key(KeySpec::EccNistP256);
    let err = p256.sign("ECDSA_SHA_256", "DIGEST", &[0; 31]).unwrap_err();
    assert_eq!(err.aws_exception(), "ValidationException");
    assert!(err.to_string().contains("32 bytes long, not 31"), "{err}");
    assert_eq!(
        p256.verify("ECDSA_SHA_256", "DIGEST", &[0; 33], b"sig").unwrap_err().aws_exception(),
        "ValidationException"
    );
    let raw_limit = vec![7u8; MAX_RAW_MESSAGE];
    assert!(p256.sign("ECDSA_SHA_256", "RAW", &raw_limit).is_ok());
    let err = p256.sign("ECDSA_SHA_256", "RAW", &[7u8; MAX_RAW_MESSAGE + 1]).unwrap_err();
    assert_eq!(err, MaterialError::MessageTooLong { max: 4096, actual: 4097 });
    assert_eq!(err.aws_exception(), "ValidationException");
    // An absent MessageType is RAW.
    let signature = p256.sign("ECDSA_SHA_256", "", b"m").unwrap();
    assert!(p256.verify("ECDSA_SHA_256", "RAW", b"m", &signature).unwrap());
    assert_eq!(
        p256.sign("ECDSA_SHA_256", "EXTERNAL_MU", &[0; 64]).unwrap_err().aws_exception(),
        "ValidationException"
    );
    assert_eq!(
        p256.sign("ECDSA_SHA_256", "HASHED", b"m").unwrap_err().aws_exception(),
        "ValidationException"
    );
    let rsa = key(KeySpec::Rsa2048);
    assert_eq!(
        rsa.sign("RSASSA_PSS_SHA_384", "DIGEST", &[0; 32]).unwrap_err().aws_exception(),
        "ValidationException"
    );
    assert!(rsa.sign("RSASSA_PSS_SHA_384", "DIGEST", &[0; 48]).is_ok());
}

// ---- Ed25519 ----

/// RFC 8032 §7.1, tests 1 and 2: pure Ed25519 is deterministic, so the signatures are known.
#[test]
fn ed25519_matches_rfc_8032() {
    let cases = [
        (
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        ),
        (
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
        ),
    ];
    for (n, (seed, message, signature)) in cases.iter().enumerate() {
        let material = KeyMaterial::from_bytes(KeySpec::EccNistEdwards25519, &hex(seed)).unwrap();
        let got = material.sign("ED25519_SHA_512", "RAW", &hex(message)).unwrap();
        assert_eq!(got, hex(signature), "RFC 8032 test {}", n + 1);
        assert!(material.verify("ED25519_SHA_512", "RAW", &hex(message), &got).unwrap());
    }
}

#[test]
fn ed25519_signatures_verify_with_the_dalek_crate_from_our_spki() {
    let material = key(KeySpec::EccNistEdwards25519);
    let spki = material.public_key_der().unwrap();
    let verifier = ed25519_dalek::VerifyingKey::from_public_key_der(&spki).unwrap();
    let message = b"the message KMS signs";
    let raw = material.sign("ED25519_SHA_512", "RAW", message).unwrap();
    let signature = ed25519_dalek::Signature::from_slice(&raw).unwrap();
    assert!(verifier.verify_strict(message, &signature).is_ok());
    assert!(!material.verify("ED25519_SHA_512", "RAW", message, &flip(&raw, 5)).unwrap());
    // ED25519_PH_SHA_512 takes a SHA-512 digest and hashes it once more (Ed25519ph, empty context).
    let digest = sha2::Sha512::digest(message);
    let ph = material.sign("ED25519_PH_SHA_512", "DIGEST", &digest).unwrap();
    let signature = ed25519_dalek::Signature::from_slice(&ph).unwrap();
    assert!(verifier.verify_prehashed(sha2::Sha512::new().chain_update(digest), None, &signature).is_ok());
    assert!(material.verify("ED25519_PH_SHA_512", "DIGEST", &digest, &ph).unwrap());
    assert!(!material.verify("ED25519_PH_SHA_512", "DIGEST", &digest, &raw).unwrap());
    // Each algorithm takes one message type.
    for (algorithm, message_type, message) in
        [("ED25519_SHA_512", "DIGEST", &digest[..]), ("ED25519_PH_SHA_512", "RAW", &b"m"[..])]
    {
        let err = material.sign(algorithm, message_type, message).unwrap_err();
        assert_eq!(err.aws_exception(), "ValidationException", "{algorithm} {message_type}");
    }
    assert_eq!(
        material.sign("ED25519_PH_SHA_512", "DIGEST", &digest[..32]).unwrap_err().aws_exception(),
        "ValidationException"
    );
}

// ---- ML-DSA ----

macro_rules! ml_dsa_case {
    ($name:ident, $spec:expr, $params:ty, $signature_len:expr) => {
        #[test]
        fn $name() {
            let material = key($spec);
            let spki = material.public_key_der().unwrap();
            let verifier = ::ml_dsa::VerifyingKey::<$params>::from_public_key_der(&spki).unwrap();
            let message = b"the message KMS signs";
            let raw = material.sign("ML_DSA_SHAKE_256", "RAW", message).unwrap();
            assert_eq!(raw.len(), $signature_len);
            let signature = ::ml_dsa::Signature::<$params>::try_from(raw.as_slice()).unwrap();
            assert!(verifier.verify_with_context(message, &[], &signature), "RAW signature");
            assert!(material.verify("ML_DSA_SHAKE_256", "RAW", message, &raw).unwrap());
            assert!(!material.verify("ML_DSA_SHAKE_256", "RAW", message, &flip(&raw, 40)).unwrap());
            assert!(!material.verify("ML_DSA_SHAKE_256", "RAW", b"another", &raw).unwrap());
            // EXTERNAL_MU: μ computed outside (FIPS 204 §6.2, empty context); the signature is an
            // ordinary ML-DSA signature of the message.
            let mu = verifier
                .compute_mu(
                    |h| {
                        sha2::digest::Update::update(h, message);
                        Ok(())
                    },
                    &[],
                )
                .unwrap();
            let over_mu = material.sign("ML_DSA_SHAKE_256", "EXTERNAL_MU", &mu).unwrap();
            let signature = ::ml_dsa::Signature::<$params>::try_from(over_mu.as_slice()).unwrap();
            assert!(verifier.verify_with_context(message, &[], &signature), "EXTERNAL_MU signature");
            assert!(material.verify("ML_DSA_SHAKE_256", "EXTERNAL_MU", &mu, &raw).unwrap());
            assert!(material.verify("ML_DSA_SHAKE_256", "RAW", message, &over_mu).unwrap());
            assert_eq!(
                material.sign("ML_DSA_SHAKE_256", "EXTERNAL_MU", &mu[..63]).unwrap_err().aws_exception(),
                "ValidationException"
            );
            assert_eq!(
                material.sign("ML_DSA_SHAKE_256", "DIGEST", &[0; 64]).unwrap_err().aws_exception(),
                "ValidationException"
            );
            assert_eq!(
                material
                    .sign("ML_DSA_SHAKE_256", "RAW", &[0; MAX_RAW_MESSAGE + 1])
                    .unwrap_err()
                    .aws_exception(),
                "ValidationException"
            );
            let restored = KeyMaterial::from_bytes($spec, &material.to_bytes()).unwrap();
            assert_eq!(restored.public_key_der().unwrap(), spki);
        }
    };
}

ml_dsa_case!(ml_dsa_44_verifies_with_the_ml_dsa_crate, KeySpec::MlDsa44, ::ml_dsa::MlDsa44, 2420);
ml_dsa_case!(ml_dsa_65_verifies_with_the_ml_dsa_crate, KeySpec::MlDsa65, ::ml_dsa::MlDsa65, 3309);
ml_dsa_case!(ml_dsa_87_verifies_with_the_ml_dsa_crate, KeySpec::MlDsa87, ::ml_dsa::MlDsa87, 4627);

// ---- ML-KEM ----

macro_rules! ml_kem_case {
    ($name:ident, $spec:expr, $params:ty, $ciphertext_len:expr) => {
        #[test]
        fn $name() {
            let material = key($spec);
            let (secret, ciphertext) = material.encapsulate("ML_KEM").unwrap();
            assert_eq!((secret.len(), ciphertext.len()), (32, $ciphertext_len));
            assert_eq!(material.decapsulate("ML_KEM", &ciphertext).unwrap(), secret);
            // Encapsulated outside with the public key from GetPublicKey, decapsulated inside.
            let spki = material.public_key_der().unwrap();
            let public = ::ml_kem::EncapsulationKey::<$params>::from_public_key_der(&spki).unwrap();
            let (outside_ct, outside_secret) = public.encapsulate_deterministic(&[9u8; 32].into());
            let inside = material.decapsulate("ML_KEM", outside_ct.as_slice()).unwrap();
            assert_eq!(inside.as_slice(), outside_secret.as_slice());
            // A tampered ciphertext decapsulates to an unrelated secret (implicit rejection).
            assert_ne!(material.decapsulate("ML_KEM", &flip(&ciphertext, 3)).unwrap(), secret);
            let err = material.decapsulate("ML_KEM", &ciphertext[1..]).unwrap_err();
            assert_eq!(err.aws_exception(), "InvalidCiphertextException");
            assert_eq!(
                material.encapsulate("ML_KEM_768").unwrap_err().aws_exception(),
                "ValidationException"
            );
            let restored = KeyMaterial::from_bytes($spec, &material.to_bytes()).unwrap();
            assert_eq!(restored.decapsulate("ML_KEM", &ciphertext).unwrap(), secret);
        }
    };
}

ml_kem_case!(ml_kem_512_interoperates_with_the_ml_kem_crate, KeySpec::MlKem512, ::ml_kem::MlKem512, 768);
ml_kem_case!(ml_kem_768_interoperates_with_the_ml_kem_crate, KeySpec::MlKem768, ::ml_kem::MlKem768, 1088);
ml_kem_case!(ml_kem_1024_interoperates_with_the_ml_kem_crate, KeySpec::MlKem1024, ::ml_kem::MlKem1024, 1568);

#[test]
fn only_ml_kem_keys_encapsulate() {
    let err = key(KeySpec::EccNistP256).encapsulate("ML_KEM").unwrap_err();
    assert_eq!(err.aws_exception(), "InvalidKeyUsageException");
}

// ---- GetPublicKey, snapshot bytes, import ----

#[test]
fn symmetric_keys_have_no_public_key() {
    for spec in [KeySpec::SymmetricDefault, KeySpec::Hmac256] {
        let err = KeyMaterial::generate(spec).unwrap().public_key_der().unwrap_err();
        assert_eq!(err.aws_exception(), "InvalidKeyUsageException", "{}", spec.as_str());
    }
}

#[test]
fn every_supported_spec_restores_from_its_bytes() {
    for spec in ALL_KEY_SPECS {
        if spec == KeySpec::Sm2 {
            continue;
        }
        let material = key(spec);
        let bytes = material.to_bytes();
        assert!(!bytes.is_empty(), "{}", spec.as_str());
        let restored = KeyMaterial::from_bytes(spec, &bytes).unwrap();
        assert_eq!(restored.spec(), spec);
        assert_eq!(restored.to_bytes(), bytes, "{}", spec.as_str());
        if spec.is_asymmetric() {
            assert_eq!(
                restored.public_key_der().unwrap(),
                material.public_key_der().unwrap(),
                "{}",
                spec.as_str()
            );
        }
        // Bytes cut short are refused with a validation error, never a panic.
        let short = &bytes[..bytes.len() - 1];
        let err = KeyMaterial::from_bytes(spec, short).unwrap_err();
        assert_eq!(err.aws_exception(), "ValidationException", "{}", spec.as_str());
    }
    assert!(KeyMaterial::from_bytes(KeySpec::Rsa3072, &key(KeySpec::Rsa2048).to_bytes()).is_err());
}

#[test]
fn imported_symmetric_material_is_256_bits() {
    let material = KeyMaterial::import_symmetric(&[0x11; 32]).unwrap();
    assert_eq!(material.spec(), KeySpec::SymmetricDefault);
    assert_eq!(material.to_bytes().as_slice(), &[0x11; 32]);
    for len in [0, 16, 31, 33, 64] {
        let err = KeyMaterial::import_symmetric(&vec![0; len]).unwrap_err();
        assert_eq!(err.aws_exception(), "ValidationException", "{len} bytes");
    }
}

#[test]
fn debug_output_never_shows_the_secret() {
    let material = KeyMaterial::import_symmetric(&[0xab; 32]).unwrap();
    let shown = format!("{material:?}");
    assert!(shown.contains("<redacted>") && shown.contains("SYMMETRIC_DEFAULT"), "{shown}");
    assert!(!shown.to_lowercase().contains("ab, ab") && !shown.contains("171"), "{shown}");
}

// ---- GenerateDataKeyPair ----

#[test]
fn data_key_pairs_are_pkcs8_and_spki_that_the_crates_load() {
    for spec in ALL_KEY_SPECS.into_iter().filter(|s| s.is_data_key_pair_spec() && *s != KeySpec::Sm2) {
        // RSA pairs are slow to make; one size checks the RSA path.
        if matches!(spec, KeySpec::Rsa3072 | KeySpec::Rsa4096) {
            continue;
        }
        let (private, public) = generate_data_key_pair(spec).unwrap();
        use pkcs8::EncodePublicKey;
        let derived = match spec {
            KeySpec::Rsa2048 => {
                ::rsa::PrivateKey::from_pkcs8_der(&private).unwrap().to_public_key().to_public_key_der()
            }
            KeySpec::EccNistP256 => {
                p256::SecretKey::from_pkcs8_der(&private).unwrap().public_key().to_public_key_der()
            }
            KeySpec::EccNistP384 => {
                p384::SecretKey::from_pkcs8_der(&private).unwrap().public_key().to_public_key_der()
            }
            KeySpec::EccNistP521 => {
                p521::SecretKey::from_pkcs8_der(&private).unwrap().public_key().to_public_key_der()
            }
            KeySpec::EccSecgP256k1 => {
                k256::SecretKey::from_pkcs8_der(&private).unwrap().public_key().to_public_key_der()
            }
            KeySpec::EccNistEdwards25519 => ed25519_dalek::SigningKey::from_pkcs8_der(&private)
                .unwrap()
                .verifying_key()
                .to_public_key_der(),
            KeySpec::MlKem512 => ::ml_kem::DecapsulationKey::<::ml_kem::MlKem512>::from_pkcs8_der(&private)
                .unwrap()
                .encapsulation_key()
                .to_public_key_der(),
            KeySpec::MlKem768 => ::ml_kem::DecapsulationKey::<::ml_kem::MlKem768>::from_pkcs8_der(&private)
                .unwrap()
                .encapsulation_key()
                .to_public_key_der(),
            KeySpec::MlKem1024 => ::ml_kem::DecapsulationKey::<::ml_kem::MlKem1024>::from_pkcs8_der(&private)
                .unwrap()
                .encapsulation_key()
                .to_public_key_der(),
            other => panic!("unexpected data key pair spec {}", other.as_str()),
        };
        assert_eq!(derived.unwrap().as_bytes(), public.as_slice(), "{}", spec.as_str());
    }
    for spec in [KeySpec::SymmetricDefault, KeySpec::Hmac256, KeySpec::MlDsa65] {
        let err = generate_data_key_pair(spec).unwrap_err();
        assert_eq!(err.aws_exception(), "ValidationException", "{}", spec.as_str());
    }
}
