//! The one error type of the ESDK engine and its keyrings, with a stable `code` for the JS layer.
//!
//! This is not a place for logic: it only names what went wrong. Decryption failures are opaque on
//! purpose (a wrong key, a flipped tag bit and a wrong encryption context look the same), so the
//! engine cannot be used as a padding or tag oracle.

/// Everything that can go wrong while encrypting, decrypting or configuring a keyring.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EsdkError {
    /// The bytes are not an ESDK message (or not a complete one); `at` is a byte offset.
    #[error("malformed message at byte {at}: {reason}")]
    Malformed {
        /// Byte offset from the start of the message.
        at: u64,
        /// What was wrong there.
        reason: String,
    },
    /// The message ended before it was complete.
    #[error("the message ends early ({what} is incomplete): check that the whole message was passed")]
    Truncated {
        /// Which part was cut off.
        what: &'static str,
    },
    /// The input looks like a base64 text of a message rather than its bytes.
    #[error("the input looks base64-encoded (it starts with `{prefix}`): decode it to bytes first")]
    Base64Input {
        /// The first characters seen.
        prefix: String,
    },
    /// The message uses a suite id this engine does not know.
    #[error("unknown algorithm suite `0x{0:04x}`")]
    UnsupportedSuite(u16),
    /// The message or request breaks a client setting (commitment policy, EDK limit, streaming mode).
    #[error("policy violation: {0}")]
    PolicyViolation(String),
    /// No keyring could decrypt any of the message's encrypted data keys.
    #[error("no keyring could decrypt any of the {edks} encrypted data key(s): check the keyrings' key material, namespace and name, and the encryption context")]
    NoKeyringCouldDecrypt {
        /// How many encrypted data keys the message carries.
        edks: usize,
    },
    /// The key commitment stored in a v2 header does not match the derived one.
    #[error("key commitment mismatch: the message was not made with this data key")]
    CommitmentMismatch,
    /// Authentication failed (header or a frame): the message was altered, or the key or context differs.
    #[error("decryption failed: the {0} did not authenticate (the message was altered, or the key or encryption context differs)")]
    DecryptionFailed(&'static str),
    /// The ECDSA signature in the footer does not verify.
    #[error("the message signature is invalid: discard any plaintext already released")]
    SignatureInvalid,
    /// A reproduced encryption context disagrees with the message, or a required key is missing.
    #[error("encryption context mismatch: {0}")]
    EncryptionContextMismatch(String),
    /// An encryption context that cannot be used (reserved key, too large, not serializable).
    #[error("invalid encryption context: {0}")]
    InvalidEncryptionContext(String),
    /// A keyring's configuration is unusable (bad key size, unreadable PEM, unknown padding).
    #[error("invalid keyring: {0}")]
    InvalidKeyring(String),
    /// A request option is out of range or unknown.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// A keyring could not wrap the data key.
    #[error("a keyring could not encrypt the data key: {0}")]
    EncryptFailed(String),
    /// A KMS keyring's call to AWS KMS failed, or KMS's answer broke the keyring's checks.
    /// `exception` is the AWS exception name (`AccessDeniedException`, …), `KmsResponseInvalid`,
    /// or `KmsError` for a name the engine does not know (the message keeps it); on decrypt the
    /// message lists every attempt.
    #[error("AWS KMS: {message}")]
    Kms {
        /// The AWS exception name (the first attempt's, on decrypt), the error's code.
        exception: &'static str,
        /// What failed.
        message: String,
    },
    /// The platform random number generator failed.
    #[error("the random number generator is unavailable")]
    RandomUnavailable,
    /// A streaming object was used after it failed or finished.
    #[error("this stream has already failed or finished: start a new one")]
    StreamClosed,
}

impl EsdkError {
    /// A stable identifier of the error kind, used as the JS `Error.code`; for a KMS failure the
    /// AWS exception name.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed { .. } | Self::Truncated { .. } | Self::UnsupportedSuite(_) => "MalformedMessage",
            Self::Base64Input { .. } => "Base64Input",
            Self::PolicyViolation(_) => "PolicyViolation",
            Self::NoKeyringCouldDecrypt { .. } => "NoKeyringCouldDecrypt",
            Self::CommitmentMismatch => "CommitmentMismatch",
            Self::DecryptionFailed(_) => "DecryptionFailed",
            Self::SignatureInvalid => "SignatureInvalid",
            Self::EncryptionContextMismatch(_) => "EncryptionContextMismatch",
            Self::InvalidEncryptionContext(_) => "InvalidEncryptionContext",
            Self::InvalidKeyring(_) => "InvalidKeyring",
            Self::InvalidInput(_) => "InvalidInput",
            Self::EncryptFailed(_) => "EncryptFailed",
            Self::Kms { exception, .. } => exception,
            Self::RandomUnavailable => "RandomUnavailable",
            Self::StreamClosed => "StreamClosed",
        }
    }

    pub(crate) fn malformed(at: usize, reason: impl Into<String>) -> Self {
        Self::Malformed { at: at as u64, reason: reason.into() }
    }
}
