//! Client settings for encrypt and decrypt: commitment policy, EDK limit, frame length, encryption
//! context rules, and how a streaming decryptor treats signed messages.
//!
//! Plain configuration types with defaults that match the AWS Encryption SDK.

use super::context::EncryptionContext;
use super::error::EsdkError;
use super::suite::AlgorithmSuite;

/// Default frame length of written messages.
pub const DEFAULT_FRAME_LENGTH: u32 = 4096;
/// Default largest frame (or non-framed body) a streaming decryptor buffers: 64 MiB.
pub const DEFAULT_MAX_FRAME_LENGTH: u32 = 64 * 1024 * 1024;

/// The key commitment policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CommitmentPolicy {
    /// Write only non-committing (v1) suites; read anything.
    ForbidEncryptAllowDecrypt,
    /// Write only committing (v2) suites; read anything.
    RequireEncryptAllowDecrypt,
    /// Write and read only committing suites (the default).
    #[default]
    RequireEncryptRequireDecrypt,
}

impl CommitmentPolicy {
    /// From the AWS names (`REQUIRE_ENCRYPT_REQUIRE_DECRYPT`, …).
    pub fn from_name(name: &str) -> Result<Self, EsdkError> {
        match name {
            "FORBID_ENCRYPT_ALLOW_DECRYPT" => Ok(Self::ForbidEncryptAllowDecrypt),
            "REQUIRE_ENCRYPT_ALLOW_DECRYPT" => Ok(Self::RequireEncryptAllowDecrypt),
            "REQUIRE_ENCRYPT_REQUIRE_DECRYPT" => Ok(Self::RequireEncryptRequireDecrypt),
            other => Err(EsdkError::InvalidInput(format!(
                "unknown commitment policy `{other}`: use FORBID_ENCRYPT_ALLOW_DECRYPT, REQUIRE_ENCRYPT_ALLOW_DECRYPT or REQUIRE_ENCRYPT_REQUIRE_DECRYPT"
            ))),
        }
    }

    /// The AWS name.
    pub fn name(self) -> &'static str {
        match self {
            Self::ForbidEncryptAllowDecrypt => "FORBID_ENCRYPT_ALLOW_DECRYPT",
            Self::RequireEncryptAllowDecrypt => "REQUIRE_ENCRYPT_ALLOW_DECRYPT",
            Self::RequireEncryptRequireDecrypt => "REQUIRE_ENCRYPT_REQUIRE_DECRYPT",
        }
    }

    /// The suite used when the caller names none.
    pub fn default_suite(self) -> AlgorithmSuite {
        match self {
            Self::ForbidEncryptAllowDecrypt => AlgorithmSuite::Aes256GcmIv12Tag16HkdfSha384EcdsaP384,
            _ => AlgorithmSuite::DEFAULT,
        }
    }

    /// May a message with this suite be written?
    pub fn check_encrypt(self, suite: AlgorithmSuite) -> Result<(), EsdkError> {
        match (self, suite.is_committing()) {
            (Self::ForbidEncryptAllowDecrypt, true) => Err(EsdkError::PolicyViolation(format!(
                "suite `0x{:04x}` commits to its key, which FORBID_ENCRYPT_ALLOW_DECRYPT forbids",
                suite.id()
            ))),
            (Self::RequireEncryptAllowDecrypt | Self::RequireEncryptRequireDecrypt, false) => {
                Err(EsdkError::PolicyViolation(format!(
                    "suite `0x{:04x}` does not commit to its key, which {} forbids: use 0x0478 or 0x0578, or relax the policy",
                    suite.id(),
                    self.name()
                )))
            }
            _ => Ok(()),
        }
    }

    /// May a message with this suite be read?
    pub fn check_decrypt(self, suite: AlgorithmSuite) -> Result<(), EsdkError> {
        if self == Self::RequireEncryptRequireDecrypt && !suite.is_committing() {
            return Err(EsdkError::PolicyViolation(format!(
                "the message uses non-committing suite `0x{:04x}`, which REQUIRE_ENCRYPT_REQUIRE_DECRYPT refuses: use REQUIRE_ENCRYPT_ALLOW_DECRYPT to read it",
                suite.id()
            )));
        }
        Ok(())
    }
}

/// How a streaming decryptor handles messages of signing suites.
///
/// The ESDK rule: a frame's plaintext is authenticated by its own tag, but the signature covers
/// the whole message and is only checked at the end. The ESDK's streaming decrypt releases
/// tag-verified frames before the signature is checked (the caller must discard the output if
/// the final check fails); its "decrypt unsigned" mode refuses signed messages outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignedMessagePolicy {
    /// Release each regular frame once its tag verifies; the final frame (or the single block of a
    /// non-framed body) is held until the signature verifies, and the update that reads the footer
    /// fails with `SignatureInvalid` if it does not. Released plaintext "MUST NOT be considered
    /// signed data until this operation finishes successfully" (the spec's streaming rule): the
    /// caller must discard its output on failure. Memory stays bounded by one frame.
    #[default]
    ReleaseBeforeSignature,
    /// Hold all plaintext of a signed message until the signature verifies, up to this many bytes.
    BufferUntilVerified(u64),
    /// Refuse signed messages ("streaming unsigned-only"); unsigned messages stream normally.
    RejectSigned,
}

/// Options for decrypting.
#[derive(Debug, Clone)]
pub struct DecryptOptions {
    /// Commitment policy (default REQUIRE_ENCRYPT_REQUIRE_DECRYPT).
    pub commitment_policy: CommitmentPolicy,
    /// Refuse messages with more EDKs than this (checked before the EDKs are read).
    pub max_encrypted_data_keys: Option<u16>,
    /// The reproduced encryption context: entries stored in the message must match; entries not
    /// stored are authenticated (the required-encryption-context behaviour).
    pub reproduced_encryption_context: Option<EncryptionContext>,
    /// Keys that must be present in the reproduced encryption context.
    pub required_encryption_context_keys: Vec<String>,
    /// Largest frame (or non-framed body) this decryptor will buffer.
    pub max_frame_length: u32,
    /// What to do with signed messages when streaming.
    pub signed_messages: SignedMessagePolicy,
}

impl Default for DecryptOptions {
    fn default() -> Self {
        Self {
            commitment_policy: CommitmentPolicy::default(),
            max_encrypted_data_keys: None,
            reproduced_encryption_context: None,
            required_encryption_context_keys: Vec::new(),
            max_frame_length: DEFAULT_MAX_FRAME_LENGTH,
            signed_messages: SignedMessagePolicy::default(),
        }
    }
}

/// Options for encrypting.
#[derive(Debug, Clone)]
pub struct EncryptOptions {
    /// Suite; `None` means the policy's default (0x0578 unless FORBID_ENCRYPT_ALLOW_DECRYPT).
    pub suite: Option<AlgorithmSuite>,
    /// Frame length in bytes (default 4096).
    pub frame_length: u32,
    /// Commitment policy (default REQUIRE_ENCRYPT_REQUIRE_DECRYPT).
    pub commitment_policy: CommitmentPolicy,
    /// Refuse to write more EDKs than this.
    pub max_encrypted_data_keys: Option<u16>,
    /// The encryption context.
    pub encryption_context: EncryptionContext,
    /// Context keys authenticated but not stored (the caller must reproduce them at decrypt).
    pub required_encryption_context_keys: Vec<String>,
}

impl Default for EncryptOptions {
    fn default() -> Self {
        Self {
            suite: None,
            frame_length: DEFAULT_FRAME_LENGTH,
            commitment_policy: CommitmentPolicy::default(),
            max_encrypted_data_keys: None,
            encryption_context: EncryptionContext::new(),
            required_encryption_context_keys: Vec::new(),
        }
    }
}
