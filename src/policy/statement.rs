//! Whether one statement applies to a request: action, resource, principal and conditions.
//!
//! Actions match case-insensitively, resources case-sensitively and ARN-aware; `NotAction` /
//! `NotResource` / `NotPrincipal` invert their element; all condition clauses must hold. The
//! effect of an applying statement (allow or deny) is combined in `evaluate.rs`, not here.

use super::document::{Effect, Statement};
use super::operators::{eval_condition, ClauseNotes};
use super::principal::{match_block, PrincipalMatch};
use super::request::Request;

/// How the statement's principal element is treated, by policy type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalMode {
    /// Identity policies, boundaries, session policies, SCPs: the caller is implied.
    Implied,
    /// Resource-side policies (resource policy, RCP, VPC endpoint policy): the element is checked.
    Checked {
        /// What a statement without a principal element matches.
        when_absent: PrincipalMatch,
        /// The caller has a permissions boundary: a `Deny` with `NotPrincipal` then always
        /// applies (documented under NotPrincipal).
        caller_has_boundary: bool,
    },
}

/// Whether the statement's action element covers the action.
pub fn action_matches(stmt: &Statement, action: &str) -> bool {
    let any = stmt.action.patterns.iter().any(|p| p.value.matches(action));
    any != stmt.action.negated
}

/// Whether the statement's resource element covers the resource (no element: it does).
pub fn resource_matches(stmt: &Statement, req: &Request, notes: &mut ClauseNotes) -> bool {
    let Some(block) = &stmt.resource else {
        return true;
    };
    let mut any = false;
    for p in &block.patterns {
        match p.value.resolve_glob(&req.context, true) {
            Ok(g) => {
                if g.matches_resource(&req.resource) {
                    any = true;
                    break;
                }
            }
            // A variable without a value: this pattern matches nothing.
            Err(key) => notes.missing.push(key),
        }
    }
    any != block.negated
}

/// If the statement applies to the request, how it named the caller; `None` otherwise.
/// Condition keys the request lacks are recorded in `notes` when the conditions are reached.
pub fn statement_applies(
    stmt: &Statement,
    req: &Request,
    mode: PrincipalMode,
    notes: &mut ClauseNotes,
) -> Option<PrincipalMatch> {
    if !action_matches(stmt, &req.action) || !resource_matches(stmt, req, notes) {
        return None;
    }
    let principal = match mode {
        PrincipalMode::Implied => PrincipalMatch::Exact,
        PrincipalMode::Checked { when_absent, caller_has_boundary } => match &stmt.principal {
            None => when_absent,
            Some(b) if b.negated && stmt.effect == Effect::Deny && caller_has_boundary => {
                PrincipalMatch::Everyone
            }
            Some(b) => match_block(b, &req.caller),
        },
    };
    if principal == PrincipalMatch::None {
        return None;
    }
    // Evaluate every clause (no short-circuit) so that all absent keys are reported.
    let mut all = true;
    for c in &stmt.conditions {
        all &= eval_condition(c, &req.context, notes);
    }
    all.then_some(principal)
}
