//! secplay: a cloud-security playground that runs in the browser.
//!
//! The engines are pure Rust and know nothing of the web: they compile and test natively.
//! [`common`] holds the readers they share, so that each format is read one way. [`keystore`] keeps
//! keyrings and KMS worlds at rest under a passphrase (its logic only; IndexedDB is in [`web`]).
//! The web layers are thin and compiled only for `wasm32`:
//! - `js`: the `#[wasm_bindgen]` API of the npm package (feature `js-api`, on by default; the page is
//!   built without it, since it calls the engines directly);
//! - [`web`]: browser services (WebCrypto) shared by the JS API and the yew app in `src/bin/app/`.

pub mod acm;
pub mod common;
pub mod crypto;
pub mod fms;
pub mod keystore;
pub mod kms;
pub mod notes;
pub mod policy;
pub mod s3;
pub mod scan;
pub mod secrets;
pub mod ssm;
pub mod waf;

#[cfg(all(target_arch = "wasm32", feature = "js-api"))]
pub mod js;
#[cfg(target_arch = "wasm32")]
pub mod web;

/// The crate version, shown in the page header and exported to JS.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
