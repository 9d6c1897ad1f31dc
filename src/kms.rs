//! The KMS emulator: AWS KMS keys, their material and their ciphertexts, as a pure-Rust engine.

pub mod blob;
pub mod material;
