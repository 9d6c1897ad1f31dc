//! The WAF engine: AWS WAFv2 web ACLs evaluated against HTTP requests, natively and in wasm.
//!
//! Parsing (`parse`, `field`, `ipset`, `regex_dialect`) turns AWS JSON into typed values once;
//! `eval` runs a request through them and writes an AWS WAF log record; `sqli` and `xss` are
//! the detectors behind SqliMatch/XssMatch; `capacity` prices rules in WCUs; `json` is the
//! JSON-in/JSON-out layer the wasm bindings wrap. Nothing here touches the web or the clock.

pub mod capacity;
pub mod ddos;
pub mod error;
pub mod eval;
pub mod examples;
pub mod field;
pub mod geo;
pub mod http_text;
pub mod ipset;
pub mod json;
pub mod jsonbody;
pub mod log;
pub mod logs;
pub mod managed;
pub mod managed_config;
pub mod model;
pub mod parse;
pub mod rate;
pub(crate) mod reader;
pub mod regex_dialect;
pub mod replay;
pub mod request;
pub mod sqli;
pub mod transform;
pub mod xss;

pub use error::WafError;
