//! The eleven ESDK algorithm suites and what each one implies (key size, KDF, commitment, signature).
//!
//! Data only: the derivation itself lives in `kdf.rs`, signatures in `signature.rs`.

use super::error::EsdkError;

/// Which message format version a suite belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageVersion {
    /// Message format version 1 (no key commitment).
    V1,
    /// Message format version 2 (key commitment).
    V2,
}

impl MessageVersion {
    /// The version byte as serialized.
    pub fn byte(self) -> u8 {
        match self {
            Self::V1 => 1,
            Self::V2 => 2,
        }
    }

    /// Length of the message id in bytes.
    pub fn message_id_len(self) -> usize {
        match self {
            Self::V1 => 16,
            Self::V2 => 32,
        }
    }
}

/// The key derivation a suite uses to turn the plaintext data key into the content key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kdf {
    /// The data key is used as is (legacy suites 0x0014/0x0046/0x0078).
    Identity,
    /// HKDF-SHA256 (v1).
    HkdfSha256,
    /// HKDF-SHA384 (v1).
    HkdfSha384,
    /// HKDF-SHA512 with key commitment (v2).
    HkdfSha512Committing,
}

/// The ECDSA signature of a signing suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    /// ECDSA over P-256 with SHA-256.
    EcdsaP256Sha256,
    /// ECDSA over P-384 with SHA-384.
    EcdsaP384Sha384,
}

/// One of the eleven algorithm suites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlgorithmSuite {
    /// 0x0014: AES-128-GCM, no KDF.
    Aes128GcmIv12Tag16NoKdf,
    /// 0x0046: AES-192-GCM, no KDF.
    Aes192GcmIv12Tag16NoKdf,
    /// 0x0078: AES-256-GCM, no KDF.
    Aes256GcmIv12Tag16NoKdf,
    /// 0x0114: AES-128-GCM, HKDF-SHA256.
    Aes128GcmIv12Tag16HkdfSha256,
    /// 0x0146: AES-192-GCM, HKDF-SHA256.
    Aes192GcmIv12Tag16HkdfSha256,
    /// 0x0178: AES-256-GCM, HKDF-SHA256.
    Aes256GcmIv12Tag16HkdfSha256,
    /// 0x0214: AES-128-GCM, HKDF-SHA256, ECDSA P-256.
    Aes128GcmIv12Tag16HkdfSha256EcdsaP256,
    /// 0x0346: AES-192-GCM, HKDF-SHA384, ECDSA P-384.
    Aes192GcmIv12Tag16HkdfSha384EcdsaP384,
    /// 0x0378: AES-256-GCM, HKDF-SHA384, ECDSA P-384.
    Aes256GcmIv12Tag16HkdfSha384EcdsaP384,
    /// 0x0478: AES-256-GCM, HKDF-SHA512, key commitment.
    Aes256GcmHkdfSha512CommitKey,
    /// 0x0578: AES-256-GCM, HKDF-SHA512, key commitment, ECDSA P-384.
    Aes256GcmHkdfSha512CommitKeyEcdsaP384,
}

impl AlgorithmSuite {
    /// All suites, in id order.
    pub const ALL: [AlgorithmSuite; 11] = [
        Self::Aes128GcmIv12Tag16NoKdf,
        Self::Aes192GcmIv12Tag16NoKdf,
        Self::Aes256GcmIv12Tag16NoKdf,
        Self::Aes128GcmIv12Tag16HkdfSha256,
        Self::Aes192GcmIv12Tag16HkdfSha256,
        Self::Aes256GcmIv12Tag16HkdfSha256,
        Self::Aes128GcmIv12Tag16HkdfSha256EcdsaP256,
        Self::Aes192GcmIv12Tag16HkdfSha384EcdsaP384,
        Self::Aes256GcmIv12Tag16HkdfSha384EcdsaP384,
        Self::Aes256GcmHkdfSha512CommitKey,
        Self::Aes256GcmHkdfSha512CommitKeyEcdsaP384,
    ];

    /// The default suite (committing and signed).
    pub const DEFAULT: AlgorithmSuite = Self::Aes256GcmHkdfSha512CommitKeyEcdsaP384;

    /// The suite for a serialized id.
    pub fn from_id(id: u16) -> Result<Self, EsdkError> {
        Self::ALL.into_iter().find(|s| s.id() == id).ok_or(EsdkError::UnsupportedSuite(id))
    }

    /// The serialized two-byte suite id.
    pub fn id(self) -> u16 {
        match self {
            Self::Aes128GcmIv12Tag16NoKdf => 0x0014,
            Self::Aes192GcmIv12Tag16NoKdf => 0x0046,
            Self::Aes256GcmIv12Tag16NoKdf => 0x0078,
            Self::Aes128GcmIv12Tag16HkdfSha256 => 0x0114,
            Self::Aes192GcmIv12Tag16HkdfSha256 => 0x0146,
            Self::Aes256GcmIv12Tag16HkdfSha256 => 0x0178,
            Self::Aes128GcmIv12Tag16HkdfSha256EcdsaP256 => 0x0214,
            Self::Aes192GcmIv12Tag16HkdfSha384EcdsaP384 => 0x0346,
            Self::Aes256GcmIv12Tag16HkdfSha384EcdsaP384 => 0x0378,
            Self::Aes256GcmHkdfSha512CommitKey => 0x0478,
            Self::Aes256GcmHkdfSha512CommitKeyEcdsaP384 => 0x0578,
        }
    }

    /// The suite's name in the AWS specification.
    pub fn aws_name(self) -> &'static str {
        match self {
            Self::Aes128GcmIv12Tag16NoKdf => "AES_128_GCM_IV12_TAG16_NO_KDF",
            Self::Aes192GcmIv12Tag16NoKdf => "AES_192_GCM_IV12_TAG16_NO_KDF",
            Self::Aes256GcmIv12Tag16NoKdf => "AES_256_GCM_IV12_TAG16_NO_KDF",
            Self::Aes128GcmIv12Tag16HkdfSha256 => "AES_128_GCM_IV12_TAG16_HKDF_SHA256",
            Self::Aes192GcmIv12Tag16HkdfSha256 => "AES_192_GCM_IV12_TAG16_HKDF_SHA256",
            Self::Aes256GcmIv12Tag16HkdfSha256 => "AES_256_GCM_IV12_TAG16_HKDF_SHA256",
            Self::Aes128GcmIv12Tag16HkdfSha256EcdsaP256 => "AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256",
            Self::Aes192GcmIv12Tag16HkdfSha384EcdsaP384 => "AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384",
            Self::Aes256GcmIv12Tag16HkdfSha384EcdsaP384 => "AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384",
            Self::Aes256GcmHkdfSha512CommitKey => "AES_256_GCM_HKDF_SHA512_COMMIT_KEY",
            Self::Aes256GcmHkdfSha512CommitKeyEcdsaP384 => "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384",
        }
    }

    /// The message format version this suite is written with.
    pub fn message_version(self) -> MessageVersion {
        if self.is_committing() {
            MessageVersion::V2
        } else {
            MessageVersion::V1
        }
    }

    /// AES key length in bytes (also the plaintext data key length).
    pub fn key_len(self) -> usize {
        match self {
            Self::Aes128GcmIv12Tag16NoKdf
            | Self::Aes128GcmIv12Tag16HkdfSha256
            | Self::Aes128GcmIv12Tag16HkdfSha256EcdsaP256 => 16,
            Self::Aes192GcmIv12Tag16NoKdf
            | Self::Aes192GcmIv12Tag16HkdfSha256
            | Self::Aes192GcmIv12Tag16HkdfSha384EcdsaP384 => 24,
            _ => 32,
        }
    }

    /// The key derivation function.
    pub fn kdf(self) -> Kdf {
        match self {
            Self::Aes128GcmIv12Tag16NoKdf | Self::Aes192GcmIv12Tag16NoKdf | Self::Aes256GcmIv12Tag16NoKdf => {
                Kdf::Identity
            }
            Self::Aes128GcmIv12Tag16HkdfSha256
            | Self::Aes192GcmIv12Tag16HkdfSha256
            | Self::Aes256GcmIv12Tag16HkdfSha256
            | Self::Aes128GcmIv12Tag16HkdfSha256EcdsaP256 => Kdf::HkdfSha256,
            Self::Aes192GcmIv12Tag16HkdfSha384EcdsaP384 | Self::Aes256GcmIv12Tag16HkdfSha384EcdsaP384 => {
                Kdf::HkdfSha384
            }
            Self::Aes256GcmHkdfSha512CommitKey | Self::Aes256GcmHkdfSha512CommitKeyEcdsaP384 => {
                Kdf::HkdfSha512Committing
            }
        }
    }

    /// Whether the suite commits to its key (message format v2).
    pub fn is_committing(self) -> bool {
        self.kdf() == Kdf::HkdfSha512Committing
    }

    /// The signature algorithm, if the suite signs.
    pub fn signature(self) -> Option<SignatureAlgorithm> {
        match self {
            Self::Aes128GcmIv12Tag16HkdfSha256EcdsaP256 => Some(SignatureAlgorithm::EcdsaP256Sha256),
            Self::Aes192GcmIv12Tag16HkdfSha384EcdsaP384
            | Self::Aes256GcmIv12Tag16HkdfSha384EcdsaP384
            | Self::Aes256GcmHkdfSha512CommitKeyEcdsaP384 => Some(SignatureAlgorithm::EcdsaP384Sha384),
            _ => None,
        }
    }

    /// Whether the suite signs its messages.
    pub fn is_signed(self) -> bool {
        self.signature().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_properties_match_the_spec_table() {
        let table = [
            (0x0014, 16, false, false),
            (0x0046, 24, false, false),
            (0x0078, 32, false, false),
            (0x0114, 16, false, false),
            (0x0146, 24, false, false),
            (0x0178, 32, false, false),
            (0x0214, 16, false, true),
            (0x0346, 24, false, true),
            (0x0378, 32, false, true),
            (0x0478, 32, true, false),
            (0x0578, 32, true, true),
        ];
        for (id, key_len, committing, signed) in table {
            let s = AlgorithmSuite::from_id(id).unwrap();
            assert_eq!(
                (s.id(), s.key_len(), s.is_committing(), s.is_signed()),
                (id, key_len, committing, signed)
            );
        }
        assert_eq!(AlgorithmSuite::from_id(0x0579), Err(EsdkError::UnsupportedSuite(0x0579)));
    }
}
