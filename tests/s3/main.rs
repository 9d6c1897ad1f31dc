//! The S3 replication engine's integration tests, one module per concern, linked as one binary.
//! Run one module with `cargo test --test s3 <module>::`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod cases;
mod common;
mod inventory;
mod kms_load;
mod properties;
