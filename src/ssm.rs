//! AWS Systems Manager Parameter Store over the KMS emulator's world: parameters with paths,
//! versions and labels, String / StringList / SecureString (encrypted through the KMS engine as
//! the caller, via `ssm.<region>.amazonaws.com`, under `alias/aws/ssm` or a customer key),
//! Standard and Advanced tiers with their limits, parameter policies on the simulated clock with
//! EventBridge-shaped events, path-based access checked by the policy engine, AWS's public
//! parameters, and a cost estimate.
//!
//! Pure Rust, no I/O. One door: [`json::call`] takes the [`Store`], the KMS [`World`] (accounts,
//! principals, keys, clock, audit log), an operation name, the AWS SSM JSON request and a caller,
//! and returns the AWS JSON response or an [`SsmError`] named as AWS names it.
//!
//! - [`store`]: the parameters and their versions (serde data); [`names`]: naming rules;
//! - [`ops`]: the operations ([`ops::OPERATIONS`]); [`auth`]: `ssm:*` authorization;
//! - [`crypto`]: SecureString through KMS; [`policies`] and [`events`]: parameter policies;
//! - [`public`]: `/aws/service/…` and the Secrets Manager reference seam; [`cost`]: the estimate.
//!
//! Not modelled: shared (cross-account) parameters and resource policies, the default-tier and
//! throughput service settings, tags of other resource types than parameters, parameter
//! references in SSM documents, throttling, snapshots of the store (the KMS snapshot carries the
//! KMS world only).

pub mod auth;
pub mod cost;
pub mod crypto;
pub mod error;
pub mod events;
pub mod json;
pub mod names;
pub mod ops;
pub mod policies;
pub mod public;
pub mod store;

pub use error::SsmError;
pub use json::{advance, call, call_with};
pub use store::Store;

#[cfg(doc)]
use crate::kms::World;
