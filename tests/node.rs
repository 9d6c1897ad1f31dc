//! The shared envelope cases, compiled to wasm and run in Node 20 (`make test-wasm`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[cfg(target_arch = "wasm32")]
#[path = "shared/envelope_cases.rs"]
mod envelope_cases;
