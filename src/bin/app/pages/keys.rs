//! The key store page (`#/keys`): create or unlock the store, what it holds (ids and kinds while
//! locked), lock now, auto-lock, change passphrase, backup and restore, and what a record looks
//! like at rest. Its state (`state`) is plain Rust for every target, tested natively; the
//! component (`view`) is the browser's, and the store's I/O is `services::keystore`.

pub mod state;

#[cfg(target_arch = "wasm32")]
mod view;

#[cfg(target_arch = "wasm32")]
pub use view::KeysPage;
