//! The scanner's integration tests, one module per concern, linked as one binary.
//! Run one module with `cargo test --test scan <module>::`.

mod corpus;
mod detectors;
mod json;
mod quality;
mod streaming;
