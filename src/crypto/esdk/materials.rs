//! Cryptographic materials passed between the message layer and keyrings: the plaintext data key,
//! encrypted data keys (EDKs), and the encryption/decryption materials records.
//!
//! Plain data with zeroizing key storage; no cryptography happens here.

use zeroize::Zeroizing;

use super::context::EncryptionContext;
use super::error::EsdkError;
use super::suite::AlgorithmSuite;

/// A plaintext data key (or any other secret key bytes), wiped on drop, redacted in `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct DataKey(Zeroizing<Vec<u8>>);

impl DataKey {
    /// Wrap key bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// A fresh random key of `len` bytes.
    pub fn random(len: usize) -> Result<Self, EsdkError> {
        let mut k = Zeroizing::new(vec![0u8; len]);
        getrandom::fill(&mut k).map_err(|_| EsdkError::RandomUnavailable)?;
        Ok(Self(k))
    }

    /// The key bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Key length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the key is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DataKey({} bytes, redacted)", self.0.len())
    }
}

/// One encrypted data key as stored in a header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptedDataKey {
    /// Key provider id (the keyring namespace for raw keyrings), UTF-8.
    pub provider_id: String,
    /// Key provider info (binary; for raw AES: key name ‖ tag bits ‖ IV length ‖ IV).
    pub provider_info: Vec<u8>,
    /// The wrapped data key.
    pub ciphertext: Vec<u8>,
}

/// What keyrings see and fill in on encrypt.
#[derive(Debug)]
pub struct EncryptionMaterials {
    /// The suite the message will use.
    pub suite: AlgorithmSuite,
    /// The full encryption context (stored and authenticate-only entries).
    pub encryption_context: EncryptionContext,
    /// The plaintext data key, once a keyring generated it.
    pub data_key: Option<DataKey>,
    /// The encrypted data keys added so far.
    pub encrypted_data_keys: Vec<EncryptedDataKey>,
}

/// What keyrings see and fill in on decrypt.
#[derive(Debug)]
pub struct DecryptionMaterials {
    /// The message's suite.
    pub suite: AlgorithmSuite,
    /// The full encryption context (stored plus reproduced authenticate-only entries).
    pub encryption_context: EncryptionContext,
    /// The plaintext data key, once a keyring decrypted one EDK.
    pub data_key: Option<DataKey>,
}
