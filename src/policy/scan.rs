//! Scanning a group of policies for the statements that apply to a request, and the trace
//! that records what each group said.
//!
//! Used by `evaluate.rs`, which decides; this file only collects allows and denies and words
//! the trace lines.

use std::sync::Arc;

use super::document::{Effect, Policy};
use super::operators::ClauseNotes;
use super::principal::PrincipalMatch;
use super::request::Request;
use super::result::{MatchedStatement, PolicyKind, StepOutcome, TraceStep};
use super::statement::{statement_applies, PrincipalMode};

/// What one policy (or one group of policies) says about the request.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    pub(crate) allows: Vec<(MatchedStatement, PrincipalMatch)>,
    pub(crate) denies: Vec<MatchedStatement>,
}

impl Scan {
    pub(crate) fn allowed(&self) -> bool {
        !self.allows.is_empty()
    }

    pub(crate) fn best(&self) -> PrincipalMatch {
        self.allows.iter().map(|(_, m)| *m).max().unwrap_or(PrincipalMatch::None)
    }

    pub(crate) fn allow_statements(&self) -> impl Iterator<Item = MatchedStatement> + '_ {
        self.allows.iter().map(|(s, _)| s.clone())
    }
}

pub(crate) fn scan(
    policies: &[(String, &Policy)],
    kind: PolicyKind,
    req: &Request,
    mode: PrincipalMode,
    notes: &mut ClauseNotes,
) -> Scan {
    let mut out = Scan::default();
    for (label, policy) in policies {
        for stmt in &policy.statements {
            let Some(m) = statement_applies(stmt, req, mode, notes) else {
                continue;
            };
            let ms = MatchedStatement {
                kind,
                policy: label.clone(),
                statement_index: stmt.index,
                sid: stmt.sid.clone(),
                effect: stmt.effect,
                span: stmt.span,
            };
            match stmt.effect {
                Effect::Allow => out.allows.push((ms, m)),
                Effect::Deny => out.denies.push(ms),
            }
        }
    }
    out
}

/// Builds trace steps and the result as the evaluation goes.
pub(crate) struct Tracer {
    pub(crate) steps: Vec<TraceStep>,
    /// Every statement that applied to the request, in scan order (allows and denies).
    pub(crate) applied: Vec<MatchedStatement>,
}

impl Tracer {
    pub(crate) fn step(&mut self, subject: &str, outcome: StepOutcome, message: String) {
        self.steps.push(TraceStep { subject: subject.to_string(), outcome, message });
    }

    /// Records what a scanned policy group said.
    pub(crate) fn scanned(&mut self, subject: &str, title: &str, s: &Scan, req: &Request) {
        self.applied.extend(s.allows.iter().map(|(a, _)| a.clone()).chain(s.denies.iter().cloned()));
        if let Some(d) = s.denies.first() {
            self.step(subject, StepOutcome::Deny, format!("{title}: explicitly denied by {}", d.describe()));
        } else if let Some((a, m)) = s.allows.first() {
            let resource_side =
                matches!(a.kind, PolicyKind::Resource | PolicyKind::Rcp | PolicyKind::VpcEndpoint);
            let how = if resource_side { format!("; its principal {}", m.describe()) } else { String::new() };
            self.step(subject, StepOutcome::Allow, format!("{title}: allowed by {}{how}", a.describe()));
        } else {
            self.step(
                subject,
                StepOutcome::NoMatch,
                format!("{title}: no statement allows `{}` on `{}`", req.action, req.resource),
            );
        }
    }
}

pub(crate) fn label_all<'a>(prefix: &str, ps: &'a [Arc<Policy>]) -> Vec<(String, &'a Policy)> {
    ps.iter().enumerate().map(|(i, p)| (format!("{prefix}[{i}]"), &**p)).collect()
}
