//! The crypto engine's integration tests (ESDK and envelope), one module per concern, linked as one binary.
//! Run one module with `cargo test --test crypto <module>::`.

// The ESDK vector helpers (tests/shared/), loaded once for every module that reads the vectors.
#[path = "../shared/crypto_esdk_support.rs"]
mod support;

mod envelope;
mod esdk_batch;
mod esdk_json;
mod esdk_roundtrip;
mod esdk_streaming;
mod esdk_vectors;
