//! The ACM page (`#/acm`): paste or drop a certificate or chain; its fields colour-coded, the
//! chain's problems, and the ACM view (names covered, renewal and expiry timeline on a chosen
//! date, the validation CNAME, where it must live for each service, export). Its state (`state`)
//! is plain Rust for every target, tested natively; the component (`view`) is the browser's.

pub mod share;
pub mod state;

#[cfg(target_arch = "wasm32")]
mod view;

#[cfg(target_arch = "wasm32")]
pub use view::AcmPage;
