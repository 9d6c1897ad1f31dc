//! The "Key policies" page. Its state (`state`), share links (`share`), templates (`presets`) and
//! what the engine says about the state (`analysis`) are plain Rust for every target, tested
//! natively; the components (`view`, `editor`, `results`) are the browser's.

pub mod analysis;
pub mod diagram;
pub mod presets;
pub mod share;
pub mod state;

#[cfg(target_arch = "wasm32")]
mod diagram_view;
#[cfg(target_arch = "wasm32")]
mod editor;
#[cfg(target_arch = "wasm32")]
mod results;
#[cfg(target_arch = "wasm32")]
mod view;

#[cfg(target_arch = "wasm32")]
pub use view::PolicyPage;
