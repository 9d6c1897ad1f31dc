//! The names KMS gives key specs, key usages and algorithms, and which go together.
//!
//! This is the table DescribeKey reads (which algorithms a key lists) and CreateKey checks (which
//! usages a spec allows). It holds no key material.

use super::MaterialError;

/// A KMS key spec (`KeySpec` in the API), one per kind of key material.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeySpec {
    SymmetricDefault,
    Rsa2048,
    Rsa3072,
    Rsa4096,
    EccNistP256,
    EccNistP384,
    EccNistP521,
    EccSecgP256k1,
    EccNistEdwards25519,
    Hmac224,
    Hmac256,
    Hmac384,
    Hmac512,
    MlDsa44,
    MlDsa65,
    MlDsa87,
    MlKem512,
    MlKem768,
    MlKem1024,
    Sm2,
}

/// Every key spec, in the order the API model lists them.
pub const ALL_KEY_SPECS: [KeySpec; 20] = [
    KeySpec::Rsa2048,
    KeySpec::Rsa3072,
    KeySpec::Rsa4096,
    KeySpec::EccNistP256,
    KeySpec::EccNistP384,
    KeySpec::EccNistP521,
    KeySpec::EccSecgP256k1,
    KeySpec::SymmetricDefault,
    KeySpec::Hmac224,
    KeySpec::Hmac256,
    KeySpec::Hmac384,
    KeySpec::Hmac512,
    KeySpec::Sm2,
    KeySpec::MlDsa44,
    KeySpec::MlDsa65,
    KeySpec::MlDsa87,
    KeySpec::EccNistEdwards25519,
    KeySpec::MlKem512,
    KeySpec::MlKem768,
    KeySpec::MlKem1024,
];

impl KeySpec {
    /// Parses the API name (`RSA_2048`, `ECC_NIST_P256`, …).
    pub fn parse(s: &str) -> Result<Self, MaterialError> {
        ALL_KEY_SPECS
            .iter()
            .copied()
            .find(|spec| spec.as_str() == s)
            .ok_or_else(|| MaterialError::UnknownKeySpec(s.to_owned()))
    }

    /// The API name.
    pub fn as_str(&self) -> &'static str {
        match self {
            KeySpec::SymmetricDefault => "SYMMETRIC_DEFAULT",
            KeySpec::Rsa2048 => "RSA_2048",
            KeySpec::Rsa3072 => "RSA_3072",
            KeySpec::Rsa4096 => "RSA_4096",
            KeySpec::EccNistP256 => "ECC_NIST_P256",
            KeySpec::EccNistP384 => "ECC_NIST_P384",
            KeySpec::EccNistP521 => "ECC_NIST_P521",
            KeySpec::EccSecgP256k1 => "ECC_SECG_P256K1",
            KeySpec::EccNistEdwards25519 => "ECC_NIST_EDWARDS25519",
            KeySpec::Hmac224 => "HMAC_224",
            KeySpec::Hmac256 => "HMAC_256",
            KeySpec::Hmac384 => "HMAC_384",
            KeySpec::Hmac512 => "HMAC_512",
            KeySpec::MlDsa44 => "ML_DSA_44",
            KeySpec::MlDsa65 => "ML_DSA_65",
            KeySpec::MlDsa87 => "ML_DSA_87",
            KeySpec::MlKem512 => "ML_KEM_512",
            KeySpec::MlKem768 => "ML_KEM_768",
            KeySpec::MlKem1024 => "ML_KEM_1024",
            KeySpec::Sm2 => "SM2",
        }
    }

    /// The key usages CreateKey accepts with this spec, the default (what CreateKey picks when
    /// `KeyUsage` is absent, if it may be absent) first.
    pub fn usages(&self) -> &'static [KeyUsage] {
        match self {
            KeySpec::SymmetricDefault => &[KeyUsage::EncryptDecrypt],
            KeySpec::Rsa2048 | KeySpec::Rsa3072 | KeySpec::Rsa4096 => {
                &[KeyUsage::EncryptDecrypt, KeyUsage::SignVerify]
            }
            KeySpec::EccNistP256 | KeySpec::EccNistP384 | KeySpec::EccNistP521 => {
                &[KeyUsage::SignVerify, KeyUsage::KeyAgreement]
            }
            KeySpec::EccSecgP256k1
            | KeySpec::EccNistEdwards25519
            | KeySpec::MlDsa44
            | KeySpec::MlDsa65
            | KeySpec::MlDsa87 => &[KeyUsage::SignVerify],
            KeySpec::Hmac224 | KeySpec::Hmac256 | KeySpec::Hmac384 | KeySpec::Hmac512 => {
                &[KeyUsage::GenerateVerifyMac]
            }
            KeySpec::MlKem512 | KeySpec::MlKem768 | KeySpec::MlKem1024 => &[KeyUsage::KeyEncapsulation],
            KeySpec::Sm2 => &[KeyUsage::EncryptDecrypt, KeyUsage::SignVerify, KeyUsage::KeyAgreement],
        }
    }

    /// Whether the key is a pair (GetPublicKey answers for it).
    pub fn is_asymmetric(&self) -> bool {
        !matches!(
            self,
            KeySpec::SymmetricDefault
                | KeySpec::Hmac224
                | KeySpec::Hmac256
                | KeySpec::Hmac384
                | KeySpec::Hmac512
        )
    }

    /// Whether GenerateDataKeyPair accepts this spec as `KeyPairSpec` (the model's `DataKeyPairSpec`).
    pub fn is_data_key_pair_spec(&self) -> bool {
        matches!(
            self,
            KeySpec::Rsa2048
                | KeySpec::Rsa3072
                | KeySpec::Rsa4096
                | KeySpec::EccNistP256
                | KeySpec::EccNistP384
                | KeySpec::EccNistP521
                | KeySpec::EccSecgP256k1
                | KeySpec::Sm2
                | KeySpec::EccNistEdwards25519
                | KeySpec::MlKem512
                | KeySpec::MlKem768
                | KeySpec::MlKem1024
        )
    }
}

/// A KMS key usage (`KeyUsage` in the API).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyUsage {
    EncryptDecrypt,
    SignVerify,
    GenerateVerifyMac,
    KeyAgreement,
    KeyEncapsulation,
}

impl KeyUsage {
    /// Parses the API name (`ENCRYPT_DECRYPT`, …).
    pub fn parse(s: &str) -> Result<Self, MaterialError> {
        [
            KeyUsage::EncryptDecrypt,
            KeyUsage::SignVerify,
            KeyUsage::GenerateVerifyMac,
            KeyUsage::KeyAgreement,
            KeyUsage::KeyEncapsulation,
        ]
        .into_iter()
        .find(|usage| usage.as_str() == s)
        .ok_or_else(|| MaterialError::UnknownKeyUsage(s.to_owned()))
    }

    /// The API name.
    pub fn as_str(&self) -> &'static str {
        match self {
            KeyUsage::EncryptDecrypt => "ENCRYPT_DECRYPT",
            KeyUsage::SignVerify => "SIGN_VERIFY",
            KeyUsage::GenerateVerifyMac => "GENERATE_VERIFY_MAC",
            KeyUsage::KeyAgreement => "KEY_AGREEMENT",
            KeyUsage::KeyEncapsulation => "ENCAPSULATE_DECAPSULATE",
        }
    }
}

/// The algorithm lists DescribeKey shows for a key; each list is empty where the usage has none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Algorithms {
    pub encryption: Vec<&'static str>,
    pub signing: Vec<&'static str>,
    pub mac: Vec<&'static str>,
    pub key_agreement: Vec<&'static str>,
    pub key_encapsulation: Vec<&'static str>,
}

/// What DescribeKey lists for a key of `spec` created with `usage` (empty lists for a pair that
/// CreateKey refuses).
pub fn algorithms(spec: KeySpec, usage: KeyUsage) -> Algorithms {
    let mut out = Algorithms::default();
    if !spec.usages().contains(&usage) {
        return out;
    }
    match (spec, usage) {
        (KeySpec::SymmetricDefault, _) => out.encryption = vec!["SYMMETRIC_DEFAULT"],
        (KeySpec::Rsa2048 | KeySpec::Rsa3072 | KeySpec::Rsa4096, KeyUsage::EncryptDecrypt) => {
            out.encryption = vec!["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]
        }
        (KeySpec::Rsa2048 | KeySpec::Rsa3072 | KeySpec::Rsa4096, _) => {
            out.signing = vec![
                "RSASSA_PKCS1_V1_5_SHA_256",
                "RSASSA_PKCS1_V1_5_SHA_384",
                "RSASSA_PKCS1_V1_5_SHA_512",
                "RSASSA_PSS_SHA_256",
                "RSASSA_PSS_SHA_384",
                "RSASSA_PSS_SHA_512",
            ]
        }
        (
            KeySpec::EccNistP256 | KeySpec::EccNistP384 | KeySpec::EccNistP521 | KeySpec::Sm2,
            KeyUsage::KeyAgreement,
        ) => out.key_agreement = vec!["ECDH"],
        (KeySpec::EccNistP256 | KeySpec::EccSecgP256k1, _) => out.signing = vec!["ECDSA_SHA_256"],
        (KeySpec::EccNistP384, _) => out.signing = vec!["ECDSA_SHA_384"],
        (KeySpec::EccNistP521, _) => out.signing = vec!["ECDSA_SHA_512"],
        (KeySpec::EccNistEdwards25519, _) => out.signing = vec!["ED25519_SHA_512", "ED25519_PH_SHA_512"],
        (KeySpec::Hmac224, _) => out.mac = vec!["HMAC_SHA_224"],
        (KeySpec::Hmac256, _) => out.mac = vec!["HMAC_SHA_256"],
        (KeySpec::Hmac384, _) => out.mac = vec!["HMAC_SHA_384"],
        (KeySpec::Hmac512, _) => out.mac = vec!["HMAC_SHA_512"],
        (KeySpec::MlDsa44 | KeySpec::MlDsa65 | KeySpec::MlDsa87, _) => out.signing = vec!["ML_DSA_SHAKE_256"],
        (KeySpec::MlKem512 | KeySpec::MlKem768 | KeySpec::MlKem1024, _) => {
            out.key_encapsulation = vec!["ML_KEM"]
        }
        (KeySpec::Sm2, KeyUsage::EncryptDecrypt) => out.encryption = vec!["SM2PKE"],
        (KeySpec::Sm2, _) => out.signing = vec!["SM2DSA"],
    }
    out
}

/// How Sign and Verify treat `Message` (`MessageType` in the API).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageType {
    /// The message itself (0–4,096 bytes); the algorithm hashes it.
    Raw,
    /// A digest of the message, as long as the algorithm's hash output.
    Digest,
    /// ML-DSA's 64-byte representative μ (FIPS 204 §6.2).
    ExternalMu,
}

/// The longest RAW message Sign and Verify accept; larger messages go as a DIGEST (or EXTERNAL_MU).
pub const MAX_RAW_MESSAGE: usize = 4096;

impl MessageType {
    /// Parses the API name; an absent `MessageType` is RAW.
    pub fn parse(s: &str) -> Result<Self, MaterialError> {
        match s {
            "" | "RAW" => Ok(MessageType::Raw),
            "DIGEST" => Ok(MessageType::Digest),
            "EXTERNAL_MU" => Ok(MessageType::ExternalMu),
            other => Err(MaterialError::UnknownMessageType(other.to_owned())),
        }
    }

    /// The API name.
    pub fn as_str(&self) -> &'static str {
        match self {
            MessageType::Raw => "RAW",
            MessageType::Digest => "DIGEST",
            MessageType::ExternalMu => "EXTERNAL_MU",
        }
    }
}

/// The hash functions the RSA, ECDSA and HMAC algorithms name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hash {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    pub(crate) fn output_len(self) -> usize {
        match self {
            Hash::Sha1 => 20,
            Hash::Sha224 => 28,
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }

    pub(crate) fn digest(self, message: &[u8]) -> Vec<u8> {
        use sha2::Digest;
        match self {
            Hash::Sha1 => sha1::Sha1::digest(message).to_vec(),
            Hash::Sha224 => sha2::Sha224::digest(message).to_vec(),
            Hash::Sha256 => sha2::Sha256::digest(message).to_vec(),
            Hash::Sha384 => sha2::Sha384::digest(message).to_vec(),
            Hash::Sha512 => sha2::Sha512::digest(message).to_vec(),
        }
    }
}

/// A signing algorithm (`SigningAlgorithmSpec`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SigningAlgorithm {
    RsaPss(Hash),
    RsaPkcs1(Hash),
    Ecdsa(Hash),
    Ed25519,
    Ed25519Ph,
    MlDsa,
    Sm2Dsa,
}

impl SigningAlgorithm {
    pub(crate) fn parse(s: &str) -> Result<Self, MaterialError> {
        Ok(match s {
            "RSASSA_PSS_SHA_256" => SigningAlgorithm::RsaPss(Hash::Sha256),
            "RSASSA_PSS_SHA_384" => SigningAlgorithm::RsaPss(Hash::Sha384),
            "RSASSA_PSS_SHA_512" => SigningAlgorithm::RsaPss(Hash::Sha512),
            "RSASSA_PKCS1_V1_5_SHA_256" => SigningAlgorithm::RsaPkcs1(Hash::Sha256),
            "RSASSA_PKCS1_V1_5_SHA_384" => SigningAlgorithm::RsaPkcs1(Hash::Sha384),
            "RSASSA_PKCS1_V1_5_SHA_512" => SigningAlgorithm::RsaPkcs1(Hash::Sha512),
            "ECDSA_SHA_256" => SigningAlgorithm::Ecdsa(Hash::Sha256),
            "ECDSA_SHA_384" => SigningAlgorithm::Ecdsa(Hash::Sha384),
            "ECDSA_SHA_512" => SigningAlgorithm::Ecdsa(Hash::Sha512),
            "ED25519_SHA_512" => SigningAlgorithm::Ed25519,
            "ED25519_PH_SHA_512" => SigningAlgorithm::Ed25519Ph,
            "ML_DSA_SHAKE_256" => SigningAlgorithm::MlDsa,
            "SM2DSA" => SigningAlgorithm::Sm2Dsa,
            other => return Err(MaterialError::UnknownAlgorithm(other.to_owned())),
        })
    }

    /// The digest length a DIGEST message must have, and whether the message type is allowed at all.
    pub(crate) fn check_message(
        self,
        algorithm: &str,
        message_type: MessageType,
        message: &[u8],
    ) -> Result<(), MaterialError> {
        let refuse = || MaterialError::MessageTypeNotAllowed {
            algorithm: algorithm.to_owned(),
            message_type: message_type.as_str(),
        };
        match message_type {
            MessageType::Raw => {
                if self == SigningAlgorithm::Ed25519Ph {
                    return Err(refuse());
                }
                if message.len() > MAX_RAW_MESSAGE {
                    return Err(MaterialError::MessageTooLong {
                        max: MAX_RAW_MESSAGE,
                        actual: message.len(),
                    });
                }
            }
            MessageType::Digest => {
                let expected = match self {
                    SigningAlgorithm::RsaPss(h)
                    | SigningAlgorithm::RsaPkcs1(h)
                    | SigningAlgorithm::Ecdsa(h) => h.output_len(),
                    SigningAlgorithm::Ed25519Ph => Hash::Sha512.output_len(),
                    SigningAlgorithm::Sm2Dsa => 32,
                    SigningAlgorithm::Ed25519 | SigningAlgorithm::MlDsa => return Err(refuse()),
                };
                if message.len() != expected {
                    return Err(MaterialError::DigestLength {
                        algorithm: algorithm.to_owned(),
                        expected,
                        actual: message.len(),
                    });
                }
            }
            MessageType::ExternalMu => {
                if self != SigningAlgorithm::MlDsa {
                    return Err(refuse());
                }
                if message.len() != 64 {
                    return Err(MaterialError::DigestLength {
                        algorithm: algorithm.to_owned(),
                        expected: 64,
                        actual: message.len(),
                    });
                }
            }
        }
        Ok(())
    }
}
