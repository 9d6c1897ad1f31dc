//! The Firewall Manager engine: AWS WAF policies applied across a simulated organisation.
//!
//! `org` reads the organisation (root, nested OUs, accounts, protected resources with regions,
//! tags and their own web ACLs, on a simulated clock); `policy` reads FMS policies as the FMS API
//! writes them; `scope` decides whether a resource is in a policy's scope and why not;
//! `compliance` says whether it is compliant and which web ACL it ends up with; `merge` builds
//! that web ACL (first rule groups, the account's rules, last rule groups) for the WAF engine;
//! `json` is the JSON-in/JSON-out layer the JS binding and the page call. Pure: no web, no clock
//! of its own. Only `WAFV2` policies are modelled.

pub mod compliance;
pub mod error;
pub mod examples;
pub mod json;
pub mod merge;
pub mod org;
pub mod policy;
pub(crate) mod reader;
pub mod scope;

pub use error::FmsError;
