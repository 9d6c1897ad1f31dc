//! Cryptographic engines: pure Rust, no web dependency, tested natively and in the browser.
//!
//! - [`envelope`]: the introductory envelope-encryption slice (AES-256-GCM data key wrapped with
//!   RSA-OAEP-SHA256), the "client-side encryption" model of the notes in its smallest form.
//!
//! Not here: the AWS Encryption SDK message format (its own module, to come), key storage, KMS.

pub mod envelope;
