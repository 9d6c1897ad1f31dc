//! What an evaluation returns: the decision, the statements that decided it (with positions),
//! the context keys the policies wanted but the request lacked, and a readable trace.
//!
//! Plain data; turning it into JSON is in `json.rs`.

use super::document::Effect;
use super::source::Span;

/// The IAM policy simulator's decision vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    ExplicitDeny,
    ImplicitDeny,
}

impl Decision {
    /// `allowed`, `explicitDeny` or `implicitDeny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ExplicitDeny => "explicitDeny",
            Decision::ImplicitDeny => "implicitDeny",
        }
    }
}

/// The kinds of policy that take part in an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    Identity,
    Resource,
    PermissionsBoundary,
    Session,
    Scp,
    Rcp,
    VpcEndpoint,
    /// A KMS grant (not a policy; listed so that it can be named as what decided).
    Grant,
}

impl PolicyKind {
    /// The camelCase name used in inputs and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity",
            PolicyKind::Resource => "resource",
            PolicyKind::PermissionsBoundary => "permissionsBoundary",
            PolicyKind::Session => "session",
            PolicyKind::Scp => "scp",
            PolicyKind::Rcp => "rcp",
            PolicyKind::VpcEndpoint => "vpcEndpoint",
            PolicyKind::Grant => "grant",
        }
    }
}

/// A statement that took part in the decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedStatement {
    pub kind: PolicyKind,
    /// Which policy, as a path into the input: `identity[0]`, `scps[1][0]`, `resource`.
    pub policy: String,
    pub statement_index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    /// The statement's range in its policy text, when the policy was given as text.
    pub span: Option<Span>,
}

impl MatchedStatement {
    /// `identity[0] statement 2 (Sid `X`, 14:5)`.
    pub fn describe(&self) -> String {
        let mut extra = Vec::new();
        if let Some(s) = &self.sid {
            extra.push(format!("Sid `{s}`"));
        }
        if let Some(sp) = self.span {
            extra.push(format!("line {}:{}", sp.start.line, sp.start.column));
        }
        if extra.is_empty() {
            format!("{} statement {}", self.policy, self.statement_index)
        } else {
            format!("{} statement {} ({})", self.policy, self.statement_index, extra.join(", "))
        }
    }
}

/// How a step of the trace came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepOutcome {
    /// A statement allows.
    Allow,
    /// A statement explicitly denies.
    Deny,
    /// No statement of this policy applies.
    NoMatch,
    /// The policy does not take part for this caller or request.
    Skipped,
    /// A rule of the evaluation logic (no policy of its own).
    Rule,
}

impl StepOutcome {
    /// camelCase name for the JSON layer.
    pub fn as_str(self) -> &'static str {
        match self {
            StepOutcome::Allow => "allow",
            StepOutcome::Deny => "deny",
            StepOutcome::NoMatch => "noMatch",
            StepOutcome::Skipped => "skipped",
            StepOutcome::Rule => "rule",
        }
    }
}

/// One line of the trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceStep {
    /// The policy or layer this step is about (`scps[0]`, `identity`, `decision`).
    pub subject: String,
    pub outcome: StepOutcome,
    pub message: String,
}

/// The full result of one evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub decision: Decision,
    pub matched_statements: Vec<MatchedStatement>,
    pub missing_context_keys: Vec<String>,
    pub trace: Vec<TraceStep>,
    /// Every statement that applied to the request (action, resource, principal and conditions
    /// all matched), allows and denies, in scan order; a subset of them decided
    /// ([`Evaluation::matched_statements`]). The page's decision path draws them.
    pub applied_statements: Vec<MatchedStatement>,
}
