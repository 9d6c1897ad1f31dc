//! The app's input and output, kept out of the pages: the address bar, the offline geo database's
//! fetch, the ESDK file worker, the S3 inventory worker, the WAF log replay worker, the WAF page's web ACL checker, the Firewall Manager page's evaluator, the DDoS flood worker, WebCrypto's RSA key generation and the key
//! store. Pages call these and dispatch what
//! comes back to their reducers; nothing here decides anything about the domain.
//!
//! Browser-only (wasm32); listeners are `gloo` handles that remove themselves when dropped.

pub mod file_worker;
pub mod fms_worker;
pub mod geo;
pub mod keystore;
pub mod location;
pub mod module_worker;
pub mod s3_worker;
pub mod scan_worker;
pub mod theme;
pub mod waf_acl_worker;
pub mod waf_ddos_worker;
pub mod waf_replay_worker;
pub mod webcrypto;
