//! The Parameter Store engine's tests: one binary, one module per area. Each documented rule
//! cites the AWS page it comes from.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod access;
mod common;
mod labels;
mod model;
mod params;
mod paths;
mod policies;
mod references;
mod tags;
mod tiers;
