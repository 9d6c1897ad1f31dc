//! The one error type of KMS key material, each variant answering with an AWS exception name.

use thiserror::Error;

/// What went wrong with a key-material operation. `aws_exception` names the KMS exception the
/// emulator answers with; messages never carry key material.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum MaterialError {
    #[error("`{0}` is not a KMS key spec; use one of RSA_2048, ECC_NIST_P256, SYMMETRIC_DEFAULT, HMAC_256, ML_DSA_65, …")]
    UnknownKeySpec(String),
    #[error("`{0}` is not a KMS key usage; use ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC, KEY_AGREEMENT or ENCAPSULATE_DECAPSULATE")]
    UnknownKeyUsage(String),
    #[error("`{0}` is not an algorithm KMS knows")]
    UnknownAlgorithm(String),
    #[error("`{0}` is not a message type; use RAW, DIGEST or EXTERNAL_MU")]
    UnknownMessageType(String),
    #[error("key spec `{spec}` is not supported here: {reason}")]
    UnsupportedKeySpec { spec: &'static str, reason: &'static str },
    #[error("`{algorithm}` is not valid for a key with key spec `{spec}`")]
    IncompatibleAlgorithm { algorithm: String, spec: &'static str },
    #[error("`{operation}` is not valid for a key with key spec `{spec}`")]
    IncompatibleOperation { operation: &'static str, spec: &'static str },
    #[error("message type `{message_type}` is not valid with signing algorithm `{algorithm}`")]
    MessageTypeNotAllowed { algorithm: String, message_type: &'static str },
    #[error("a digest for `{algorithm}` must be {expected} bytes long, not {actual}")]
    DigestLength { algorithm: String, expected: usize, actual: usize },
    #[error("the message is {actual} bytes; at most {max} are allowed (sign a digest of larger messages with message type DIGEST)")]
    MessageTooLong { max: usize, actual: usize },
    #[error("the plaintext is {actual} bytes; `{algorithm}` with this key takes at most {max}")]
    PlaintextTooLong { algorithm: String, max: usize, actual: usize },
    #[error("the public key is not a DER-encoded SubjectPublicKeyInfo on the key's curve")]
    InvalidPublicKey,
    #[error("the ciphertext could not be decrypted")]
    InvalidCiphertext,
    #[error("the key material is invalid: {0}")]
    InvalidKeyMaterial(&'static str),
    #[error("key spec `{0}` is not a valid KeyPairSpec for GenerateDataKeyPair")]
    InvalidDataKeyPairSpec(&'static str),
    #[error("the random number generator failed; try again")]
    Random,
    #[error("the `{0}` key is still being made off the page's thread; the call runs again when it is ready")]
    NotReady(&'static str),
    #[error("internal error: {0}")]
    Internal(&'static str),
}

impl MaterialError {
    /// The AWS KMS exception this error answers with.
    pub fn aws_exception(&self) -> &'static str {
        match self {
            MaterialError::UnknownKeySpec(_)
            | MaterialError::UnknownKeyUsage(_)
            | MaterialError::UnknownAlgorithm(_)
            | MaterialError::UnknownMessageType(_)
            | MaterialError::MessageTypeNotAllowed { .. }
            | MaterialError::DigestLength { .. }
            | MaterialError::MessageTooLong { .. }
            | MaterialError::PlaintextTooLong { .. }
            | MaterialError::InvalidPublicKey
            | MaterialError::InvalidKeyMaterial(_)
            | MaterialError::InvalidDataKeyPairSpec(_) => "ValidationException",
            MaterialError::UnsupportedKeySpec { .. } => "UnsupportedOperationException",
            MaterialError::IncompatibleAlgorithm { .. } | MaterialError::IncompatibleOperation { .. } => {
                "InvalidKeyUsageException"
            }
            MaterialError::InvalidCiphertext => "InvalidCiphertextException",
            MaterialError::Random | MaterialError::NotReady(_) | MaterialError::Internal(_) => {
                "KMSInternalException"
            }
        }
    }
}
