//! The WAF engine's integration tests, one module per concern, linked as one binary.
//! Run one module with `cargo test --test waf <module>::`.

mod crs_table;
mod detectors;
mod errors;
mod eval;
mod fast_paths;
mod geo;
mod json;
mod logs;
mod managed_config;
mod parse;
mod quality;
mod robustness;
mod statements;
mod transformations;
mod verdicts;

#[path = "../shared/coraza_harness.rs"]
mod coraza_harness;
