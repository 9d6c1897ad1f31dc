//! Cryptographic engines: pure Rust, no web dependency, tested natively and in the browser.
//!
//! - [`envelope`]: the introductory envelope-encryption slice (AES-256-GCM data key wrapped with
//!   RSA-OAEP-SHA256), the "client-side encryption" model of the notes in its smallest form.
//! - [`esdk`]: the AWS Encryption SDK message format (v1/v2, all 11 suites, streaming).
//! - [`keyring`]: the keyrings that wrap ESDK data keys (raw AES, raw RSA, multi; KMS to come).
//!
//! Not here: key storage, the KMS emulator.

pub mod envelope;
pub mod esdk;
pub mod keyring;
