//! ACM certificates: read a PEM certificate or chain (or DER), show what it says, check the chain,
//! and show the ACM view of it (which names it covers, its renewal and expiry timeline on a
//! simulated clock, the DNS validation record, where it must live for each service, export).
//!
//! Pure Rust, no web: [`json`] is the one door the JS API (`src/js/acm.rs`) and the page use.
//! X.509 decoding is RustCrypto's `x509-cert`; signatures use the crate's RSA, ECDSA and Ed25519.
//! Not modelled: requesting, importing and deleting certificates as API calls (there is no ACM
//! world with state), private CAs, certificate transparency logs, revocation (OCSP/CRL fetching
//! would need the network).

pub mod chain;
pub mod error;
pub mod inspect;
pub mod json;
pub mod names;
pub mod oids;
pub mod pem;
pub mod timeline;
pub mod verify;

pub use error::AcmError;
