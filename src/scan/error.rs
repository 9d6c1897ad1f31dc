//! The one error type of the scanner, with a stable `code` per variant. Scanning itself cannot
//! fail on any input (every byte string is text to it); only options, JSON and limits can.

use thiserror::Error;

/// Every failure the scanner reports.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScanError {
    /// An option is wrong: where (a JSON pointer) and why.
    #[error("{pointer}: {message}")]
    InvalidOption {
        /// JSON pointer into the options object.
        pointer: String,
        /// What is wrong and what to do instead.
        message: String,
    },
    /// `push` after `finish`.
    #[error("the scanner has finished: create a new one to scan more")]
    Finished,
    /// Cannot happen with the built-in patterns; reported rather than panicking.
    #[error("internal error: {message}")]
    Internal {
        /// What went wrong.
        message: String,
    },
}

impl ScanError {
    /// A stable machine-readable code for the JS boundary.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidOption { .. } => "InvalidOption",
            Self::Finished => "ScannerFinished",
            Self::Internal { .. } => "Internal",
        }
    }

    pub(crate) fn option(pointer: &str, message: impl Into<String>) -> Self {
        Self::InvalidOption { pointer: pointer.to_owned(), message: message.into() }
    }
}
