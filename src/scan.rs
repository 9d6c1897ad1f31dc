//! The sensitive-data scanner: pattern detectors with validation (checksums, issuer ranges,
//! keywords), Macie-style, over text that arrives in chunks.
//!
//! `detect` finds and validates candidates in a window of bytes (with `checks` behind it);
//! `stream` moves fixed windows over the input so memory stays bounded and findings across chunk
//! boundaries are kept; `mask` decides what a finding shows; `macie` shapes the report as an
//! Amazon Macie sensitive data finding; `json` is the JSON-in/JSON-out layer the JS API wraps.
//! It is not Macie: no machine learning, no file formats beyond text, no S3.

pub mod checks;
pub mod detect;
pub mod error;
pub mod json;
pub mod kind;
pub mod macie;
pub mod mask;
pub mod stream;

pub use error::ScanError;
pub use kind::{Category, Kind, Severity};
pub use stream::{scan, Finding, Options, Report, Scanner};
