//! Readers shared by the engines, one module per format, so that the policy engine and the WAF
//! read each format one way, in one place. Pure Rust with no engine knowledge: the engines map
//! these results into their own errors and types.

pub mod date;
pub mod entity;
pub mod ip;
pub(crate) mod json_cursor;
pub mod json_source;
