//! The S3 replication encryption rules engine: for each object version and each destination of a
//! replication configuration, whether S3 replicates it, under which rule, encryption, key and
//! owner, the statuses the source and replica show, and why not — each "no" naming the rule or
//! the policy statement that decided (the policy engine's trace).
//!
//! Pure Rust over the policy engine ([`crate::policy`]: role, key, bucket and trust policies) and
//! the KMS emulator's key model ([`crate::kms::world`]: keys may come from a world or be described
//! inline). One door: [`json::evaluate_replication`] (JSON in, JSON out) and, for S3 Inventory
//! reports read as a stream, [`json::ReplicationEvaluator`]. The JS API (`src/js/s3.rs`) is a few
//! lines over them.
//!
//! - [`config`]: the configuration as `get-bucket-replication` prints it, checked as
//!   PutBucketReplication checks it;
//! - [`model`]: buckets, role, keys and objects; [`permissions`]: the checks S3 makes;
//! - [`evaluate`]: the verdicts; [`reason`]: the reason codes and the pages they come from;
//! - [`kms_load`]: the KMS requests per second against the quotas; [`inventory`]: the CSV stream.
//!
//! Follows AWS's current documented behaviour where the notes differ: SSE-C objects replicate
//! (since late 2022), buckets created since April 2026 block SSE-C by default, and S3 Bucket Keys
//! change the encryption context to the bucket ARN. Not modelled: Object Lock, Replication Time
//! Control timing, lifecycle, source bucket policies, SCPs, VPC endpoints, requester pays, S3 on
//! Outposts, directory buckets, and how long replication takes.

pub mod config;
pub mod error;
pub mod evaluate;
pub mod inventory;
pub mod json;
pub mod kms_load;
pub mod model;
pub mod permissions;
pub mod reason;

pub use error::S3Error;
pub use evaluate::{Engine, Input, ObjectVerdict, Outcome};
pub use json::{evaluate_replication, ReplicationEvaluator};
