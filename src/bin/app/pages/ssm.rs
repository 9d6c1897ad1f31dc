//! The Parameter Store page (`#/ssm`): the notes' examples one click away, the parameter tree,
//! any operation as raw JSON as any principal, the response or the AWS error with its policy
//! trace, the KMS audit entries each call caused, the clock and the EventBridge events of
//! parameter policies, and the cost estimate. Its state (`state`, with the examples in
//! `examples`) is plain Rust for every target, tested natively; the component (`view`) is the
//! browser's.

pub mod examples;
pub mod share;
pub mod state;

#[cfg(target_arch = "wasm32")]
mod view;

#[cfg(target_arch = "wasm32")]
pub use view::SsmPage;
