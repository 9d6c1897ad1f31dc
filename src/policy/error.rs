//! The policy engine's one error type, with a stable `code` for the JSON layer.
//!
//! Only failures to read input live here (malformed JSON, a policy element AWS would reject,
//! a malformed request). An evaluation never fails: a request that no policy allows is an
//! `implicitDeny` decision, not an error.

use thiserror::Error;

/// Everything that can go wrong reading a policy or an evaluation request.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PolicyError {
    /// The text is not JSON.
    #[error("malformed json at {line}:{column}: {message}")]
    MalformedJson { line: u32, column: u32, message: String },
    /// The text is too large to be a policy or an evaluation input.
    #[error("input is larger than {limit} bytes")]
    TooLarge { limit: usize },
    /// A policy element is missing or has a value AWS would reject.
    #[error("invalid policy at {location}: {message}")]
    InvalidPolicy { location: String, message: String },
    /// The evaluation request (principal, action, resource, context) is malformed.
    #[error("invalid request: {message}")]
    InvalidRequest { message: String },
    /// The `policyType` given to validation is not one of the known kinds.
    #[error("unknown policy type `{0}`; use identity, resource, key, scp, rcp, boundary, session or trust")]
    UnknownPolicyType(String),
}

impl PolicyError {
    /// A stable machine-readable code for the JS boundary.
    pub fn code(&self) -> &'static str {
        match self {
            PolicyError::MalformedJson { .. } => "MalformedJson",
            PolicyError::TooLarge { .. } => "TooLarge",
            PolicyError::InvalidPolicy { .. } => "InvalidPolicy",
            PolicyError::InvalidRequest { .. } => "InvalidRequest",
            PolicyError::UnknownPolicyType(_) => "UnknownPolicyType",
        }
    }
}
