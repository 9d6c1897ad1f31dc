//! The Secrets Manager emulator: secrets with versions and staging labels, values sealed through
//! the KMS emulator's real operations, access decided by the policy engine, deletion on the
//! simulated clock.
//!
//! Pure Rust, no I/O and no web dependency. It runs over the KMS emulator's [`World`] (accounts,
//! regions, principals and their policies, keys, the clock `world.now`, the audit log): each value
//! is sealed with a data key from KMS `GenerateDataKey` and opened with KMS `Decrypt`, called as the
//! caller through the service (`kms:ViaService = secretsmanager.<region>.amazonaws.com`), so the key
//! policy decides and KMS's audit log shows each call. Its own state is a [`Store`] beside the world.
//! One door: [`json::call`].
//!
//! - [`store`]: secrets, versions, labels (serde data); [`crypto`]: sealing through KMS;
//! - [`auth`]: `secretsmanager:*` authorization (identity policies and the resource policy);
//! - [`ops`]: the operations; [`password`]: GetRandomPassword; [`error`]: the exceptions.
//!
//! Modelled: the operations in [`ops::OPERATIONS`] with the rules their modules cite, resource
//! policies evaluated with identity policies (cross-account needs both, and a customer key),
//! rotation through an emulated function on a schedule ([`schedule`]) on the simulated clock,
//! replicas in other regions under their own region's keys.
//! Not modelled (yet): managed rotation, BatchGetSecretValue, managed external secrets,
//! cross-account replicas, throttling and the eventual consistency AWS warns of.
//!
//! [`World`]: crate::kms::World

pub mod auth;
pub mod crypto;
pub mod error;
pub mod json;
pub mod ops;
pub mod password;
pub mod schedule;
pub mod ssm_reference;
pub mod store;

pub use error::SecretsError;
pub use json::{advance_clock, call, put_rotation_function, rotation_history, tick};
pub use store::Store;
