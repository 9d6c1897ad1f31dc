//! The KMS page (`#/kms`): the emulator's world (accounts, regions, keys), any operation from a
//! form or as raw JSON, the audit log, the clock, the cost estimate, the snapshot, and the notes'
//! scenarios step by step. Its state (`state`, with the request templates in `templates`) is plain
//! Rust for every target, tested natively; the component (`view`) is the browser's.

pub mod diagram;
pub mod kept;
pub mod share;
pub mod state;
pub mod templates;

#[cfg(target_arch = "wasm32")]
mod diagram_view;
#[cfg(target_arch = "wasm32")]
pub mod view;

#[cfg(target_arch = "wasm32")]
pub use view::KmsPage;
