//! The WAF page's log replay tab (`#/waf/replay`): an AWS WAF log (a file, gzip or not, or a
//! CloudWatch export, or the built-in example) replayed in a worker through an edited web ACL,
//! with progress and cancel; the difference against what AWS logged (counts, per rule, per
//! client, unjudged rules) and samples that open with the WAF engine's trace. Its state (`state`)
//! and example (`example`) are plain Rust for every target, tested natively; the component
//! (`view`) is the browser's.

pub mod example;
pub mod state;

#[cfg(target_arch = "wasm32")]
mod view;

#[cfg(target_arch = "wasm32")]
pub use view::ReplayTab;
