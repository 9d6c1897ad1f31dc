//! The playground's pages, one module each: `state` (a plain-Rust reducer, every target, tested
//! natively) beside the components that render it (wasm32). A new page is one more module here,
//! one more [`crate::route::Route`] and one arm in the shell.

pub mod acm;
pub mod diagram;
#[cfg(target_arch = "wasm32")]
pub mod diagram_view;
pub mod envelope;
pub mod esdk;
#[cfg(target_arch = "wasm32")]
pub mod file_drop;
pub mod fms;
pub mod gallery;
pub mod json_editor;
pub mod keys;
pub mod kms;
#[cfg(target_arch = "wasm32")]
pub mod later;
pub mod notes;
#[cfg(target_arch = "wasm32")]
pub mod offline;
#[cfg(target_arch = "wasm32")]
pub mod overview;
pub mod policy;
pub mod s3;
pub mod scan;
pub mod secrets;
#[cfg(target_arch = "wasm32")]
pub mod share_bar;
pub mod ssm;
pub mod theme;
pub mod waf;
pub mod waf_ddos;
