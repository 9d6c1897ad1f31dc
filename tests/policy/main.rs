//! The policy engine's integration tests, one module per concern, linked as one binary.
//! Run one module with `cargo test --test policy <module>::`.

mod api;
mod json;
mod no_value;
mod properties;
mod validate;
mod vectors;
