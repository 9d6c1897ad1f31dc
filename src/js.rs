//! The JavaScript API of the npm package (`make pkg`): a few lines per function over the engines.
//!
//! Every function returns a value or throws an `Error` whose `name` is `SecplayError` and whose
//! `code` is stable (see [`error`]); nothing here panics. The yew app calls the same engine code.
//!
//! Exported functions take their arguments as `JsValue` (with `unchecked_param_type` so that
//! `secplay.d.ts` stays precise) and check them with [`args`] before anything else: a wrong type
//! is `InvalidInput`, never a trap or a silent default, and JSON-like values are bounded in depth
//! before conversion. `tests/js/boundary.test.mjs` holds every export to this; a new export needs
//! an entry there.

pub mod acm;
pub mod args;
pub mod ddos;
pub mod envelope;
pub mod error;
pub mod esdk;
pub mod fms;
pub mod json;
pub mod keystore;
pub mod kms;
pub mod policy;
pub mod s3;
pub mod scan;
pub mod secrets;
pub mod ssm;
pub mod waf;
pub mod waf_replay;

use wasm_bindgen::prelude::*;

/// The package version.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_owned()
}
