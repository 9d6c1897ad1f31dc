//! The Secrets Manager page (`#/secrets`): secrets with their versions and staging labels, any
//! operation as JSON, the clock, each secret's rotation timeline, the KMS audit entries each call
//! caused, and the notes' examples (DIGEST §9). Its state (`state`) is plain Rust for every
//! target, tested natively; the component (`view`) is the browser's.

pub mod share;
pub mod state;

#[cfg(target_arch = "wasm32")]
mod view;

#[cfg(target_arch = "wasm32")]
pub use view::SecretsPage;
