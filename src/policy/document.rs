//! The typed policy document: what a policy says, parsed once, with source positions.
//!
//! These types hold the grammar (Version, Id, Statement, Sid, Effect, Principal/NotPrincipal,
//! Action/NotAction, Resource/NotResource, Condition). Reading JSON into them is in `parse.rs`;
//! deciding whether a statement applies is in `statement.rs`.

/// The elements of a statement, in the order AWS documents and prints them.
pub const STATEMENT_ELEMENTS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// The top-level elements of a policy document, in AWS's order.
pub const DOCUMENT_ELEMENTS: [&str; 3] = ["Version", "Id", "Statement"];

use super::condition::Condition;
use super::pattern::{Glob, Template};
use super::source::Span;

/// A policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// `Version` as written (`2012-10-17`, `2008-10-17`), if present.
    pub version: Option<String>,
    pub id: Option<String>,
    pub statements: Vec<Statement>,
    /// The whole document's range in the text it was read from.
    pub span: Option<Span>,
}

impl Policy {
    /// Policy variables are substituted only under `Version` 2012-10-17.
    pub fn variables_enabled(&self) -> bool {
        self.version.as_deref() == Some("2012-10-17")
    }
}

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub span: Option<Span>,
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    /// The word as AWS writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// Position in the `Statement` array (0 for a single statement object).
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub principal: Option<PrincipalBlock>,
    pub action: ActionBlock,
    /// Absent in role trust policies (the resource is the role itself).
    pub resource: Option<ResourceBlock>,
    /// Condition clauses; all must hold.
    pub conditions: Vec<Condition>,
    pub span: Option<Span>,
}

/// `Principal` or `NotPrincipal`.
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalBlock {
    /// True for `NotPrincipal`.
    pub negated: bool,
    pub spec: PrincipalSpec,
    pub span: Option<Span>,
}

/// The value of a principal element.
#[derive(Debug, Clone, PartialEq)]
pub enum PrincipalSpec {
    /// `"*"`: everyone, including anonymous callers.
    Any,
    /// `{"AWS": ..., "Service": ..., ...}`.
    Typed(Vec<PrincipalEntry>),
}

/// The principal types AWS accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalType {
    Aws,
    Service,
    Federated,
    CanonicalUser,
    /// Any other member name (AWS rejects the policy; kept for validation).
    Other(String),
}

/// One principal type and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalEntry {
    pub kind: PrincipalType,
    pub values: Vec<Located<String>>,
}

/// `Action` or `NotAction`.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionBlock {
    /// True for `NotAction`.
    pub negated: bool,
    pub patterns: Vec<Located<ActionPattern>>,
    pub span: Option<Span>,
}

/// An action pattern such as `kms:ReEncrypt*` (case-insensitive, `*` and `?`).
#[derive(Debug, Clone, PartialEq)]
pub struct ActionPattern {
    pub source: String,
    pub glob: Glob,
}

impl ActionPattern {
    /// Parses an action pattern.
    pub fn new(source: &str) -> ActionPattern {
        ActionPattern { source: source.to_string(), glob: Glob::wild(source) }
    }

    /// Whether the pattern matches an action, ignoring case.
    pub fn matches(&self, action: &str) -> bool {
        self.glob.matches(action, true)
    }
}

/// `Resource` or `NotResource`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceBlock {
    /// True for `NotResource`.
    pub negated: bool,
    pub patterns: Vec<Located<Template>>,
    pub span: Option<Span>,
}
