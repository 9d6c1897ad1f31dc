//! The AWS Encryption SDK page. Its state (`state`: the page's tabs, the keyrings, the message
//! settings, the text panel and the file jobs) is plain Rust for every target, tested natively; the
//! components are the browser's, and the file worker is `services::file_worker`.

pub mod diagram;
pub mod share;
pub mod state;

#[cfg(target_arch = "wasm32")]
mod files;
#[cfg(target_arch = "wasm32")]
mod inspect;
#[cfg(target_arch = "wasm32")]
mod keyring;
#[cfg(target_arch = "wasm32")]
mod settings;
#[cfg(target_arch = "wasm32")]
mod text;
#[cfg(target_arch = "wasm32")]
mod view;

#[cfg(target_arch = "wasm32")]
use state::{decode_message, Failure};
#[cfg(target_arch = "wasm32")]
pub use view::EsdkPage;
#[cfg(target_arch = "wasm32")]
use view::{checkbox_value, failure_view, input_value, select_value, textarea_value};
