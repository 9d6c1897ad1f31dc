//! The one error type of the WAF engine, with a stable `code` per variant.
//!
//! Messages follow AWS's own wording where AWS has one (botocore's parameter validation, the
//! `WAFInvalidParameterException` reasons, the model constraint messages), prefixed with a JSON
//! pointer so a UI can underline the place. This is not where validation happens (see `parse`).

use thiserror::Error;

use crate::common::json_source::JsonError;

/// Every failure the engine reports.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WafError {
    /// The input is not JSON at all (worded as the policy engine's `MalformedJson`).
    #[error("malformed json at {line}:{column}: {message}")]
    MalformedJson {
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// What the JSON reader said.
        message: String,
    },
    /// A member the WAFv2 model does not have (botocore: "Unknown parameter in ...").
    #[error("{pointer}: unknown parameter `{name}`, must be one of: {expected}")]
    UnknownField {
        /// JSON pointer of the object holding the member.
        pointer: String,
        /// The unknown member name.
        name: String,
        /// The members the model allows here.
        expected: String,
    },
    /// A required member is absent (botocore: "Missing required parameter in ...").
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
    /// A model constraint (length, range, pattern, enum) is violated.
    #[error("{pointer}: value `{value}` failed to satisfy constraint: {constraint}")]
    Constraint {
        /// Where.
        pointer: String,
        /// The offending value (shortened).
        value: String,
        /// AWS's constraint text, e.g. "Member must have value greater than or equal to 10".
        constraint: String,
    },
    /// A semantic rule AWS enforces (`WAFInvalidParameterException`).
    #[error("{pointer}: error reason: {reason}, field: {field}, parameter: {parameter}")]
    InvalidParameter {
        /// Where.
        pointer: String,
        /// AWS's reason text.
        reason: String,
        /// AWS's field name, e.g. `OR_STATEMENT`.
        field: String,
        /// The parameter AWS names.
        parameter: String,
    },
    /// A regular expression uses a construct AWS WAF does not support, or does not compile.
    #[error("{pointer}: unsupported regular expression `{pattern}`: {reason}")]
    Regex {
        /// Where.
        pointer: String,
        /// The pattern (shortened).
        pattern: String,
        /// Which construct and what to do instead.
        reason: String,
    },
    /// A statement references an IP set, regex pattern set or rule group that was not supplied.
    #[error("{pointer}: {kind} `{arn}` was not supplied; pass its `{command}` output in `resources.{slot}`")]
    MissingResource {
        /// Where the reference is.
        pointer: String,
        /// "IP set", "regex pattern set" or "rule group".
        kind: &'static str,
        /// The referenced ARN.
        arn: String,
        /// The CLI command that prints it.
        command: &'static str,
        /// The resources member that carries it.
        slot: &'static str,
    },
    /// A request given to `evaluate` is malformed.
    #[error("{pointer}: invalid request: {reason}")]
    Request {
        /// Where in the request.
        pointer: String,
        /// What is wrong.
        reason: String,
    },
    /// Bytes given as the offline geo/ASN database are not one (see `geo`).
    #[error("invalid geo database: {reason}")]
    GeoDatabase {
        /// What is wrong and what to do.
        reason: String,
    },
    /// A line of a WAF log given to the log replay cannot be read at all (too long to be a log
    /// record); lines that are merely not records are counted, not raised.
    #[error("log line {line}: {reason}")]
    LogLine {
        /// 1-based line number in the (decompressed) log.
        line: u64,
        /// What is wrong and what to do.
        reason: String,
    },
    /// A gzip log file is damaged or is not gzip (bad header, deflate data, CRC or length).
    #[error("invalid gzip log: {reason}")]
    Gzip {
        /// What is wrong.
        reason: String,
    },
    /// An AWS quota is exceeded (`WAFLimitsExceededException`).
    #[error("limit exceeded: {reason}")]
    Limit {
        /// Which limit.
        reason: String,
    },
    /// A flood run stopped by its caller's progress callback.
    #[error("the run was stopped after {requests} requests")]
    Stopped {
        /// Requests simulated before it stopped.
        requests: u64,
    },
    /// Several independent errors found in one document (parsing goes on past the first).
    /// `code`, `pointer` and the start of the message are the first error's, so a caller that
    /// reads one error still reads the first; `all()` lists them (at most [`MAX_ERRORS`]) and
    /// `more` counts those left out.
    #[error("{} (and {} more {})", first_of(.errors), .errors.len().saturating_sub(1) + .more, if .errors.len().saturating_sub(1) + .more == 1 { "error" } else { "errors" })]
    Several {
        /// The errors in document order, at least two, at most [`MAX_ERRORS`].
        errors: Vec<WafError>,
        /// How many more were found and not kept.
        more: usize,
    },
}

/// Most errors one parse reports; the rest are counted ("and N more").
pub const MAX_ERRORS: usize = 100;

fn first_of(errors: &[WafError]) -> String {
    errors.first().map_or_else(|| "no error".to_owned(), ToString::to_string)
}

impl From<JsonError> for WafError {
    fn from(e: JsonError) -> Self {
        match e {
            JsonError::Malformed { line, column, message } => Self::MalformedJson { line, column, message },
            JsonError::TooLarge { limit } => {
                Self::Limit { reason: format!("JSON text of at most {limit} bytes") }
            }
        }
    }
}

impl WafError {
    /// A stable machine-readable code for the JS boundary.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MalformedJson { .. } => "MalformedJson",
            Self::UnknownField { .. } => "UnknownField",
            Self::MissingField { .. } => "MissingField",
            Self::WrongType { .. } => "WrongType",
            Self::Constraint { .. } => "ConstraintViolation",
            Self::InvalidParameter { .. } => "InvalidParameter",
            Self::Regex { .. } => "UnsupportedRegex",
            Self::MissingResource { .. } => "MissingResource",
            Self::Request { .. } => "InvalidRequest",
            Self::Limit { .. } => "LimitExceeded",
            Self::GeoDatabase { .. } => "InvalidGeoDatabase",
            Self::LogLine { .. } => "InvalidLogLine",
            Self::Gzip { .. } => "InvalidGzip",
            Self::Stopped { .. } => "Stopped",
            Self::Several { errors, .. } => errors.first().map_or("InvalidParameter", WafError::code),
        }
    }

    /// The JSON pointer the error refers to, when it has one.
    pub fn pointer(&self) -> Option<&str> {
        match self {
            Self::MalformedJson { .. }
            | Self::Limit { .. }
            | Self::GeoDatabase { .. }
            | Self::LogLine { .. }
            | Self::Gzip { .. }
            | Self::Stopped { .. } => None,
            Self::UnknownField { pointer, .. }
            | Self::MissingField { pointer, .. }
            | Self::WrongType { pointer, .. }
            | Self::Constraint { pointer, .. }
            | Self::InvalidParameter { pointer, .. }
            | Self::Regex { pointer, .. }
            | Self::MissingResource { pointer, .. }
            | Self::Request { pointer, .. } => Some(pointer),
            Self::Several { errors, .. } => errors.first().and_then(WafError::pointer),
        }
    }

    /// Every error this one stands for, in document order: itself, or the list of `Several`.
    pub fn all(&self) -> &[WafError] {
        match self {
            Self::Several { errors, .. } => errors,
            one => std::slice::from_ref(one),
        }
    }

    /// How many errors were found beyond those `all()` lists.
    pub fn more(&self) -> usize {
        match self {
            Self::Several { more, .. } => *more,
            _ => 0,
        }
    }

    pub(crate) fn invalid(pointer: &str, reason: &str, field: &str, parameter: impl Into<String>) -> Self {
        Self::InvalidParameter {
            pointer: display_pointer(pointer),
            reason: reason.to_owned(),
            field: field.to_owned(),
            parameter: parameter.into(),
        }
    }

    pub(crate) fn constraint(pointer: &str, value: impl Into<String>, constraint: String) -> Self {
        Self::Constraint { pointer: display_pointer(pointer), value: shorten(&value.into()), constraint }
    }

    pub(crate) fn request(pointer: &str, reason: impl Into<String>) -> Self {
        Self::Request { pointer: display_pointer(pointer), reason: reason.into() }
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

/// AWS reason for "exactly one of" violations.
pub(crate) const EXACTLY_ONE: &str =
    "You have used none or multiple values for a field that requires exactly one value.";
/// AWS reason for an And/Or with fewer than two statements.
pub(crate) const THRESHOLD: &str = "You haven't met a minimum requirement for a threshold setting. Examples include a rule group capacity setting that's too low and an OR statement with only one nested statement.";
/// AWS reason for invalid combinations.
pub(crate) const ILLEGAL_COMBINATION: &str = "The parameter contains formatting that isn't valid.";
/// Reason for duplicated unique values such as rule priorities and names.
pub(crate) const DUPLICATE: &str = "A duplicate value was found for a field that must be unique.";
