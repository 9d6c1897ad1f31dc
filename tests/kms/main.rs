//! The KMS emulator's engine tests: one binary, one module per area. Authorization cases cite
//! the KMS developer guide page they come from.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod aliases;
mod audit_cost;
mod authz;
mod common;
mod crypto;
mod grants;
mod lifecycle;
mod model;
mod multi_region;
mod snapshot;
