//! The AWS Encryption SDK (ESDK) message format: every suite, v1 and v2 messages, streaming.
//!
//! Pure Rust, no web dependency. Keyrings live in `crate::crypto::keyring`; the JSON shapes of the
//! JS API live in `json.rs`. Reads framed and non-framed bodies, writes framed ones. Signed
//! messages and streaming: see [`SignedMessagePolicy`].
//!
//! ```
//! use secplay::crypto::esdk::{decrypt, encrypt, DataKey, DecryptOptions, Decryptor, EncryptOptions};
//! use secplay::crypto::keyring::RawAesKeyring;
//!
//! let keyring = RawAesKeyring::new("my-namespace", "my-key", DataKey::new(vec![1u8; 32]))?;
//! let message = encrypt(b"hello", &keyring, &EncryptOptions::default())?; // suite 0x0578, frames of 4096
//! assert_eq!(decrypt(&message, &keyring, &DecryptOptions::default())?.plaintext, b"hello");
//!
//! // Streaming: push any chunk sizes; plaintext comes out frame by frame once each tag verifies.
//! let mut d = Decryptor::new(&keyring, DecryptOptions::default());
//! let mut plaintext = Vec::new();
//! for chunk in message.chunks(3) {
//!     d.update_into(chunk, &mut plaintext)?;
//! }
//! plaintext.extend(d.finish()?); // fails if the message was cut short or its signature is bad
//! assert_eq!(plaintext, b"hello");
//! # Ok::<(), secplay::crypto::esdk::EsdkError>(())
//! ```

pub mod aead;
pub mod body;
pub mod context;
pub mod decrypt;
pub mod encrypt;
pub mod error;
pub mod header;
pub mod json;
pub mod kdf;
pub mod materials;
pub mod options;
pub(crate) mod reader;
pub mod signature;
pub mod suite;

pub use aead::{BatchAead, BatchBackend, OpenJob, SealJob};
pub use context::EncryptionContext;
pub use decrypt::{decrypt, BatchDecryptor, Decrypted, Decryptor};
pub use encrypt::{encrypt, Encryptor};
pub use error::EsdkError;
pub use header::{ContentType, Header, ParsedHeader};
pub use materials::{DataKey, DecryptionMaterials, EncryptedDataKey, EncryptionMaterials};
pub use options::{CommitmentPolicy, DecryptOptions, EncryptOptions, SignedMessagePolicy};
pub use suite::{AlgorithmSuite, MessageVersion};
