//! AWS WAF logs as replay input: read a log as AWS writes it (JSON lines; gzip as delivered to
//! S3; CloudWatch Logs exports; the playground's own records), run each request through an
//! edited web ACL, and report the difference against what AWS logged — per rule, label and
//! client, with samples. Streaming throughout: chunks in, bounded state, a summary out.
//!
//! `reader` splits bytes into lines (inflating gzip with `gzip`), `record` reads a line,
//! `replay` compares and counts, `unjudged` says which rules a log cannot judge, `json` is the
//! JSON layer the JS API wraps. Pure Rust; nothing here touches the web.

pub mod gzip;
pub mod json;
pub mod reader;
pub mod record;
pub mod replay;
pub mod unjudged;

pub use json::LogReplayer;
pub use reader::LogReader;
pub use replay::{Limits, Replay, ReplayDiff};
