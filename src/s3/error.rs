//! The S3 replication engine's one error type, with a stable `code` for the JSON and JS layers.
//!
//! Only failures to read the input live here (a member of the wrong type, a policy that does not
//! parse, an inventory row that is not CSV). What AWS would reject in the replication
//! configuration is not an error but a `configurationErrors` entry, and an object that does not
//! replicate is a verdict with reasons.

use thiserror::Error;

/// Everything that can go wrong reading an evaluation input.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum S3Error {
    /// A member is missing or has the wrong type or value; `pointer` is a JSON pointer into the input.
    #[error("invalid input at `{pointer}`: {message}")]
    InvalidInput { pointer: String, message: String },
    /// A policy document (role, key or bucket policy) does not parse.
    #[error("invalid policy at `{pointer}`: {message}")]
    InvalidPolicy { pointer: String, message: String },
    /// The input holds more of something than the engine accepts.
    #[error("too many {what} at `{pointer}` (at most {limit}); split the input")]
    TooMany { pointer: String, what: &'static str, limit: usize },
    /// An S3 Inventory CSV row could not be read.
    #[error("inventory line {line}: {message}")]
    Inventory { line: u64, message: String },
}

impl S3Error {
    /// A stable machine-readable code for the JS boundary.
    pub fn code(&self) -> &'static str {
        match self {
            S3Error::InvalidInput { .. } => "InvalidInput",
            S3Error::InvalidPolicy { .. } => "InvalidPolicy",
            S3Error::TooMany { .. } => "TooLarge",
            S3Error::Inventory { .. } => "InvalidInventory",
        }
    }

    pub(crate) fn input(pointer: &str, message: impl Into<String>) -> S3Error {
        S3Error::InvalidInput { pointer: pointer.to_string(), message: message.into() }
    }
}
