//! The KMS emulator: AWS KMS with its key policies, IAM, grants and SCPs enforced on every call,
//! an audit log of CloudTrail events, a cost estimate, a simulated clock, and a snapshot format.
//!
//! Pure Rust, no I/O and no web dependency. One door: [`json::call`] takes an operation name,
//! the AWS KMS JSON request and a caller, and returns the AWS KMS JSON response or a
//! [`KmsError`] named as AWS names it. The JS class (`src/js/kms.rs`), the page and the local
//! endpoint all go through it.
//!
//! - [`world`]: accounts, principals, policies, keys, aliases, grants, the clock (serde data);
//! - [`auth`]: authorization through the policy engine ([`crate::policy`]), with AWS's
//!   `AccessDeniedException` message and the evaluation trace;
//! - [`ops`]: the operations; [`params`]: request members read with the API model's constraints;
//! - [`audit`]: CloudTrail events; [`cost`]: the estimate; [`snapshot`]: the byte format;
//! - [`material`] and [`blob`]: key material and the symmetric ciphertext blob;
//! - [`esdk_client`]: the emulator as the Encryption SDK's KMS client (the KMS keyrings);
//! - [`wire`] and [`sigv4`]: the AWS JSON 1.1 wire protocol with SigV4 verification, for the
//!   local endpoint `secplay-kms-server`.
//!
//! Modelled: the operations listed in [`ops::OPERATIONS`]; key states and the key-state rules of
//! each operation as the KMS developer guide's table gives them (simplified where noted); default
//! key policy; the policy lockout safety check; rotation on the simulated clock; deletion windows;
//! grants with encryption-context constraints and grant tokens; aliases; tags and ABAC;
//! cross-account use by ARN; `kms:ViaService` (the caller's `viaService`); multi-region keys
//! ([`ops::multi_region`]: replicas, primary region changes, shared material and rotation,
//! ciphertexts decrypting under a related key of another region).
//! Imported key material ([`ops::import`]): wrapping with RSAES-OAEP and RSA-AES key wrap, import
//! tokens and material expiry on the clock, on-demand rotation to new imported material.
//! AWS-managed keys ([`ops::managed`]) made on first use through a service.
//! Not modelled: custom key stores (their operations answer `CustomKeyStoreNotFoundException`),
//! `Recipient` (Nitro Enclaves), the eventual consistency of grants, request quotas and throttling,
//! AWS-owned keys; import of asymmetric and HMAC material.

pub mod audit;
pub mod auth;
pub mod blob;
pub mod cost;
pub mod error;
pub mod esdk_client;
pub mod json;
pub mod material;
pub mod ops;
pub mod params;
pub mod scenarios;
pub mod share;
pub mod sigv4;
pub mod snapshot;
pub mod time;
pub mod wire;
pub mod world;

pub use error::KmsError;
pub use json::{advance_clock, call, new_world};
pub use world::{CallerContext, World};
