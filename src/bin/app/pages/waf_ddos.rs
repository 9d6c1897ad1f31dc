//! The DDoS practice page (`#/waf/ddos`), a WAF sub-page: a flood scenario run through a web
//! ACL's rate-based rules, charted, with the users it caught; and the BP1–BP7 checklist. Its
//! state (`state`) is plain Rust for every target, tested natively; the component (`view`) is
//! the browser's.

pub mod state;

#[cfg(target_arch = "wasm32")]
mod view;

#[cfg(target_arch = "wasm32")]
pub use view::DdosPage;
