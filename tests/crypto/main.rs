//! The crypto engine's integration tests (ESDK and envelope), one module per concern, linked as one binary.
//! Run one module with `cargo test --test crypto <module>::`.

mod envelope;
mod esdk_batch;
mod esdk_json;
mod esdk_roundtrip;
mod esdk_streaming;
mod esdk_vectors;
