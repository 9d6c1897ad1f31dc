//! Policy validation in the manner of IAM Access Analyzer's `ValidatePolicy`: findings at four
//! levels (ERROR, SECURITY_WARNING, WARNING, SUGGESTION) with an issue code, a message and a
//! location (JSON path and line:column range).
//!
//! It checks a policy on its own, for a given policy type; it does not evaluate requests.

use super::error::PolicyError;
use super::parse::policy_from_node;
use super::source::{parse_json, Pos, Span};

mod security;
mod structure;
mod values;

/// Access Analyzer's finding levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FindingLevel {
    Error,
    SecurityWarning,
    Warning,
    Suggestion,
}

impl FindingLevel {
    /// The name as Access Analyzer prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingLevel::Error => "ERROR",
            FindingLevel::SecurityWarning => "SECURITY_WARNING",
            FindingLevel::Warning => "WARNING",
            FindingLevel::Suggestion => "SUGGESTION",
        }
    }
}

/// The kind of policy being validated; the rules differ between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyType {
    Identity,
    Resource,
    Key,
    Scp,
    Rcp,
    Boundary,
    Session,
    Trust,
}

impl PolicyType {
    /// Parses the JS API's name.
    pub fn parse(s: &str) -> Result<PolicyType, PolicyError> {
        Ok(match s {
            "identity" => PolicyType::Identity,
            "resource" => PolicyType::Resource,
            "key" => PolicyType::Key,
            "scp" => PolicyType::Scp,
            "rcp" => PolicyType::Rcp,
            "boundary" => PolicyType::Boundary,
            "session" => PolicyType::Session,
            "trust" => PolicyType::Trust,
            other => return Err(PolicyError::UnknownPolicyType(other.to_string())),
        })
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub level: FindingLevel,
    /// A stable issue code such as `MISSING_VERSION`.
    pub code: &'static str,
    pub message: String,
    /// JSON pointer of the element (`/Statement/0/Effect`).
    pub path: String,
    pub span: Option<Span>,
}

/// Collects findings during a validation run.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    findings: Vec<Finding>,
}

impl Sink {
    pub(crate) fn add(
        &mut self,
        level: FindingLevel,
        code: &'static str,
        message: impl Into<String>,
        path: &str,
        span: Option<Span>,
    ) {
        self.findings.push(Finding {
            level,
            code,
            message: message.into(),
            path: if path.is_empty() { "/".to_string() } else { path.to_string() },
            span,
        });
    }
}

/// Validates policy text for a policy type. Findings come in document order, each with the
/// JSON pointer and the line:column range of the element it is about.
pub fn validate_policy(text: &str, policy_type: PolicyType) -> Vec<Finding> {
    let mut sink = Sink::default();
    let node = match parse_json(text) {
        Ok(n) => n,
        Err(e) => {
            let span = match &e {
                PolicyError::MalformedJson { line, column, .. } => {
                    let pos = Pos { line: *line, column: *column, offset: 0 };
                    Some(Span { start: pos, end: pos })
                }
                _ => None,
            };
            let code = match e {
                PolicyError::TooLarge { .. } => "POLICY_SIZE_EXCEEDED",
                _ => "MALFORMED_JSON",
            };
            sink.add(FindingLevel::Error, code, e.to_string(), "", span);
            return sink.findings;
        }
    };
    structure::check_document(&node, policy_type, text, &mut sink);
    if let Ok(policy) = policy_from_node(&node) {
        security::check_policy(&policy, &node, policy_type, &mut sink);
    }
    sink.findings
}
