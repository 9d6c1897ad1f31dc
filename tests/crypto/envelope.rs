//! Native run of the shared envelope cases (see `envelope_cases.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "../shared/envelope_cases.rs"]
mod envelope_cases;
