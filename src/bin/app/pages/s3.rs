//! The S3 replication page (`#/s3`): a replication configuration, its buckets, role and keys as
//! AWS prints them; per object and destination the verdict and its reasons (documentation links,
//! policy traces); the source → destinations view with the key each replica uses; the notes'
//! examples; and an S3 Inventory report evaluated in a worker. Its state (`state`) is plain Rust
//! for every target, tested natively; the component (`view`) is the browser's.

pub mod share;
pub mod state;

#[cfg(target_arch = "wasm32")]
mod view;

#[cfg(target_arch = "wasm32")]
pub use view::S3Page;
