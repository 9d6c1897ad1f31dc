//! The ACM engine's tests: one binary, one module per area. Fixtures in `data/` were made once
//! with OpenSSL 3.0 (`openssl ca`); beside each PEM is `openssl x509 -text -fingerprint` output
//! (`*.openssl.txt`), which the inspector is checked against field by field. Documented ACM
//! rules cite the AWS page they come from.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod chain;
mod common;
mod inspect;
mod model;
mod names;
mod pem;
mod timeline;
