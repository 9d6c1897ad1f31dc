//! The Firewall Manager page (`#/fms`): an organisation (OUs, accounts, resources) and FMS AWS WAF
//! policies as JSON, the example from the notes, the per resource status table, a resource's
//! merged web ACL with a request evaluated through it, and a clock on which accounts and
//! resources appear (remediation covers them at once, or reports them). Its state (`state`) is
//! plain Rust for every target, tested natively; the evaluation runs in a worker (`worker`: its
//! messages and answers; `services::fms_worker`: the worker), on the page's thread only when the
//! worker cannot; the component (`view`) is the browser's.

pub mod share;
pub mod state;
pub mod worker;

#[cfg(target_arch = "wasm32")]
mod view;

#[cfg(target_arch = "wasm32")]
pub use view::FmsPage;
