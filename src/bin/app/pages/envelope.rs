//! The envelope-encryption page. Its state (`state`: the message, the key pair, the envelope and
//! what opening it gave) is plain Rust for every target, tested natively; the component (`view`)
//! is the browser's.

pub mod diagram;
pub mod share;
pub mod state;

#[cfg(target_arch = "wasm32")]
pub mod diagram_view;
#[cfg(target_arch = "wasm32")]
mod view;

#[cfg(target_arch = "wasm32")]
pub use view::EnvelopePage;
