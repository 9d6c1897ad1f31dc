//! The sensitive-data scanner page (`#/scan`): paste text or pick an example and see each finding
//! highlighted in place, masked, with its type, severity and position, and the Macie-shaped
//! finding; or drop a file of any size, scanned in a module worker with progress and cancel. Its
//! state (`state`) is plain Rust for every target, tested natively; the component (`view`) is the
//! browser's.

pub mod share;
pub mod state;

#[cfg(target_arch = "wasm32")]
mod view;

#[cfg(target_arch = "wasm32")]
pub use view::ScanPage;
