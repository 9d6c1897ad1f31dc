//! The Secrets Manager emulator's engine tests: one binary, one module per area. Each rule cites
//! the AWS documentation page it comes from.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;
mod kms;
mod lifecycle;
mod model;
mod password;
mod policy;
mod replication;
mod rotation;
mod versions;
