//! The WAF page. Its state and reducer (`state`: the texts, the built ACL, evaluations, replays)
//! are plain Rust for every target, tested natively; the components (`view`) are the browser's.
//! A big web ACL is checked by the page's worker (`check`), not at each edit on the page's thread.
//! The log replay tab (`#/waf/replay`) is `replay`.

pub mod check;
pub mod diagram;
pub mod replay;
pub mod share;
pub mod state;

#[cfg(target_arch = "wasm32")]
mod diagram_view;
#[cfg(target_arch = "wasm32")]
mod view;

#[cfg(target_arch = "wasm32")]
pub use view::WafPage;
