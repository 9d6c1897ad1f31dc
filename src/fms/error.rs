//! The one error type of the Firewall Manager engine, with a stable `code` per variant.
//!
//! Reading errors name a JSON pointer into the organisation or policy document (`/org/...`,
//! `/policies/0/...`), so a UI can underline the place. Errors of the WAF engine met while
//! building or evaluating a merged web ACL are carried with their own code.

use thiserror::Error;

use crate::common::json_source::JsonError;
use crate::waf::WafError;

/// Every failure the engine reports.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FmsError {
    /// The input is not JSON at all.
    #[error("malformed json at {line}:{column}: {message}")]
    MalformedJson {
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// What the JSON reader said.
        message: String,
    },
    /// A member the model does not have.
    #[error("{pointer}: unknown parameter `{name}`, must be one of: {expected}")]
    UnknownField {
        /// JSON pointer of the object holding the member.
        pointer: String,
        /// The unknown member name.
        name: String,
        /// The members allowed here.
        expected: String,
    },
    /// A required member is absent.
    #[error("{pointer}: missing required parameter `{name}`")]
    MissingField {
        /// JSON pointer of the object missing the member.
        pointer: String,
        /// The missing member name.
        name: String,
    },
    /// A value of the wrong JSON type.
    #[error("{pointer}: invalid type, expected {expected}")]
    WrongType {
        /// Where.
        pointer: String,
        /// What the model wants there.
        expected: String,
    },
    /// A model constraint (length, pattern, enum) is violated.
    #[error("{pointer}: value `{value}` failed to satisfy constraint: {constraint}")]
    Constraint {
        /// Where.
        pointer: String,
        /// The offending value (shortened).
        value: String,
        /// The constraint, in the API reference's words.
        constraint: String,
    },
    /// A semantic rule Firewall Manager enforces (`InvalidInputException`), or an inconsistency
    /// in the simulated organisation (a duplicate account, an ARN in the wrong account).
    #[error("{pointer}: {reason}")]
    InvalidInput {
        /// Where.
        pointer: String,
        /// What is wrong and what to do.
        reason: String,
    },
    /// A policy type other than `WAFV2` (only AWS WAF policies are modelled).
    #[error("{pointer}: policy type `{kind}` is not modelled; only `WAFV2` (AWS WAF) policies are")]
    Unsupported {
        /// Where.
        pointer: String,
        /// The `SecurityServicePolicyData.Type`.
        kind: String,
    },
    /// A size bound of the playground (accounts, resources, nesting) is exceeded.
    #[error("{pointer}: limit exceeded: {reason}")]
    Limit {
        /// Where.
        pointer: String,
        /// Which limit.
        reason: String,
    },
    /// An option or request given to the evaluation is wrong (an unknown resource ARN).
    #[error("{pointer}: {reason}")]
    Options {
        /// Where in the options.
        pointer: String,
        /// What is wrong.
        reason: String,
    },
    /// The WAF engine refused a web ACL the organisation builds (an account's own web ACL, or
    /// the merged one), or a request to evaluate.
    #[error("{context}: {source}")]
    Waf {
        /// Which web ACL or request.
        context: String,
        /// The WAF engine's error.
        source: Box<WafError>,
    },
}

impl From<JsonError> for FmsError {
    fn from(e: JsonError) -> Self {
        match e {
            JsonError::Malformed { line, column, message } => Self::MalformedJson { line, column, message },
            JsonError::TooLarge { limit } => {
                Self::Limit { pointer: "/".to_owned(), reason: format!("JSON text of at most {limit} bytes") }
            }
        }
    }
}

impl FmsError {
    /// A stable machine-readable code for the JS boundary.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MalformedJson { .. } => "MalformedJson",
            Self::UnknownField { .. } => "UnknownField",
            Self::MissingField { .. } => "MissingField",
            Self::WrongType { .. } => "WrongType",
            Self::Constraint { .. } => "ConstraintViolation",
            Self::InvalidInput { .. } => "InvalidInput",
            Self::Unsupported { .. } => "UnsupportedPolicyType",
            Self::Limit { .. } => "LimitExceeded",
            Self::Options { .. } => "InvalidOptions",
            Self::Waf { .. } => "WafError",
        }
    }

    /// The JSON pointer the error refers to, when it has one.
    pub fn pointer(&self) -> Option<&str> {
        match self {
            Self::MalformedJson { .. } | Self::Waf { .. } => None,
            Self::UnknownField { pointer, .. }
            | Self::MissingField { pointer, .. }
            | Self::WrongType { pointer, .. }
            | Self::Constraint { pointer, .. }
            | Self::InvalidInput { pointer, .. }
            | Self::Unsupported { pointer, .. }
            | Self::Limit { pointer, .. }
            | Self::Options { pointer, .. } => Some(pointer),
        }
    }

    pub(crate) fn invalid(pointer: &str, reason: impl Into<String>) -> Self {
        Self::InvalidInput { pointer: display_pointer(pointer), reason: reason.into() }
    }

    pub(crate) fn constraint(pointer: &str, value: &str, constraint: impl Into<String>) -> Self {
        Self::Constraint {
            pointer: display_pointer(pointer),
            value: shorten(value),
            constraint: constraint.into(),
        }
    }

    pub(crate) fn limit(pointer: &str, reason: impl Into<String>) -> Self {
        Self::Limit { pointer: display_pointer(pointer), reason: reason.into() }
    }

    pub(crate) fn waf(context: impl Into<String>, source: WafError) -> Self {
        Self::Waf { context: context.into(), source: Box::new(source) }
    }
}

/// Shortens a user value for an error message (at most 60 characters).
pub(crate) fn shorten(value: &str) -> String {
    if value.chars().count() <= 60 {
        value.to_owned()
    } else {
        let mut s: String = value.chars().take(57).collect();
        s.push_str("...");
        s
    }
}

/// The root pointer is shown as `/` rather than as an empty string.
pub(crate) fn display_pointer(pointer: &str) -> String {
    if pointer.is_empty() {
        "/".to_owned()
    } else {
        pointer.to_owned()
    }
}
