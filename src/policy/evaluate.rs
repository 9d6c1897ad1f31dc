//! The AWS policy evaluation logic: which policies take part, explicit deny first, then every
//! guardrail (SCP levels, RCP levels, VPC endpoint policies), then the resource policy and the
//! caller's identity policies with their permissions boundary and session policy.
//!
//! Special cases modelled: `sts:GetCallerIdentity` is always allowed; SCPs do not apply to
//! anonymous or service-principal requests; same-account vs cross-account (both sides must
//! allow); KMS keys and role trust policies (the resource policy must allow, directly or by
//! delegating to the account); a resource policy naming the caller's user or session ARN is not
//! limited by the boundary or session policy; `Deny` + `NotPrincipal` always applies to callers
//! with a permissions boundary; KMS grants allow their grantee what the policies do not (after
//! explicit denies and guardrails). Not modelled: SCP exemptions of management accounts and
//! service-linked roles, service-specific protections, session tags beyond plain context keys.

use std::sync::Arc;

use super::document::{Effect, Policy};
use super::grants::Grant;
use super::operators::ClauseNotes;
use super::principal::PrincipalMatch;
use super::request::{Caller, PrincipalKind, Request};
use super::result::{Decision, Evaluation, MatchedStatement, PolicyKind, StepOutcome};
use super::scan::{label_all, scan, Scan, Tracer};
use super::statement::PrincipalMode;

/// Every policy that may take part in one request, parsed once. Shared (`Arc`), so a caller that
/// keeps parsed policies between requests (the KMS emulator's policy cache) builds a set without
/// copying them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicySet {
    /// All identity-based policies of the caller (user, groups, role), unioned.
    pub identity: Vec<Arc<Policy>>,
    /// The resource's policy: key policy, bucket policy, role trust policy.
    pub resource: Option<Arc<Policy>>,
    pub permissions_boundary: Option<Arc<Policy>>,
    pub session: Option<Arc<Policy>>,
    /// One list per organisation level between the caller's account and the root.
    pub scps: Vec<Vec<Arc<Policy>>>,
    /// Likewise for the resource's account.
    pub rcps: Vec<Vec<Arc<Policy>>>,
    pub vpc_endpoint: Vec<Arc<Policy>>,
    /// KMS grants on the key (an extension of the vector format: `grants` beside `policies`).
    pub grants: Vec<Grant>,
}

impl PolicySet {
    /// Every policy in the set, in evaluation-input order.
    pub fn policies(&self) -> impl Iterator<Item = &Policy> {
        self.identity
            .iter()
            .chain(self.resource.iter())
            .chain(self.permissions_boundary.iter())
            .chain(self.session.iter())
            .chain(self.scps.iter().flatten())
            .chain(self.rcps.iter().flatten())
            .chain(self.vpc_endpoint.iter())
            .map(|p| &**p)
    }

    /// The context keys the policies refer to (condition keys and policy variables), each once,
    /// in order of first use: suggestions for a request builder.
    pub fn referenced_keys(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut add = |k: &str| {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(k)) {
                out.push(k.to_string());
            }
        };
        for p in self.policies() {
            for s in &p.statements {
                for r in s.resource.iter().flat_map(|r| r.patterns.iter()) {
                    r.value.variable_keys().for_each(&mut add);
                }
                for c in &s.conditions {
                    add(&c.key);
                    for v in &c.values {
                        v.value.variable_keys().for_each(&mut add);
                    }
                }
            }
        }
        out
    }
}

/// Whether the resource's own policy must allow (a KMS key, or a role for `sts:AssumeRole*`).
fn resource_policy_required(req: &Request) -> Option<&'static str> {
    let seg = super::pattern::split_arn(&req.resource)?;
    let service = req.service();
    if service == "kms" && seg[2] == "kms" && seg[5].starts_with("key/") {
        return Some("a KMS key can be used only if its key policy allows it, directly or by delegating to the account with the root principal");
    }
    let trust_actions = [
        "AssumeRole",
        "AssumeRoleWithSAML",
        "AssumeRoleWithWebIdentity",
        "TagSession",
        "SetSourceIdentity",
        "SetContext",
    ];
    if service == "sts"
        && seg[2] == "iam"
        && seg[5].starts_with("role/")
        && trust_actions.iter().any(|a| a.eq_ignore_ascii_case(req.action_name()))
    {
        return Some("a role can be assumed only if its trust policy allows the caller");
    }
    None
}

/// Evaluates a request against a policy set.
pub fn evaluate(set: &PolicySet, req: &Request) -> Evaluation {
    let mut t = Tracer { steps: Vec::new(), applied: Vec::new() };
    let mut notes = ClauseNotes::default();

    if req.action.eq_ignore_ascii_case("sts:GetCallerIdentity") {
        t.step(
            "decision",
            StepOutcome::Rule,
            "sts:GetCallerIdentity is always allowed, whatever the policies say".to_string(),
        );
        return finish(Decision::Allowed, Vec::new(), notes, t);
    }

    let aws_caller = matches!(req.caller, Caller::Aws(_));
    let caller_desc = match &req.caller {
        Caller::Anonymous => "an anonymous caller".to_string(),
        Caller::Service(s) => format!("the service principal `{s}`"),
        Caller::Aws(p) => format!("`{}`", p.arn),
    };
    let same_account = req.same_account();
    t.step(
        "request",
        StepOutcome::Rule,
        format!(
            "{caller_desc} calls `{}` on `{}` (resource account {}{})",
            req.action,
            req.resource,
            req.resource_account,
            match (aws_caller, same_account) {
                (false, _) => "",
                (true, true) => ", same account",
                (true, false) => ", cross-account",
            }
        ),
    );

    let has_boundary = aws_caller && set.permissions_boundary.is_some();
    let checked = |when_absent| PrincipalMode::Checked { when_absent, caller_has_boundary: has_boundary };

    // Scan every policy that takes part.
    let identity = if aws_caller {
        let s = scan(
            &label_all("identity", &set.identity),
            PolicyKind::Identity,
            req,
            PrincipalMode::Implied,
            &mut notes,
        );
        t.scanned("identity", "identity policies", &s, req);
        Some(s)
    } else {
        t.step(
            "identity",
            StepOutcome::Skipped,
            format!("identity policies: not applicable to {caller_desc}"),
        );
        None
    };
    let boundary = match (&set.permissions_boundary, aws_caller) {
        (Some(p), true) => {
            let s = scan(
                &[("permissionsBoundary".to_string(), &**p)],
                PolicyKind::PermissionsBoundary,
                req,
                PrincipalMode::Implied,
                &mut notes,
            );
            t.scanned("permissionsBoundary", "permissions boundary", &s, req);
            Some(s)
        }
        _ => None,
    };
    let session = match (&set.session, aws_caller) {
        (Some(p), true) => {
            let s = scan(
                &[("session".to_string(), &**p)],
                PolicyKind::Session,
                req,
                PrincipalMode::Implied,
                &mut notes,
            );
            t.scanned("session", "session policy", &s, req);
            Some(s)
        }
        _ => None,
    };
    let mut scps = Vec::new();
    if aws_caller {
        let n = set.scps.len();
        for (i, level) in set.scps.iter().enumerate() {
            let subject = format!("scps[{i}]");
            let s =
                scan(&label_all(&subject, level), PolicyKind::Scp, req, PrincipalMode::Implied, &mut notes);
            t.scanned(&subject, &format!("SCP level {} of {n}", i + 1), &s, req);
            scps.push(s);
        }
    } else if !set.scps.is_empty() {
        t.step("scps", StepOutcome::Skipped, format!("SCPs: not applicable to {caller_desc}"));
    }
    let mut rcps = Vec::new();
    let n = set.rcps.len();
    for (i, level) in set.rcps.iter().enumerate() {
        let subject = format!("rcps[{i}]");
        let s = scan(
            &label_all(&subject, level),
            PolicyKind::Rcp,
            req,
            checked(PrincipalMatch::Everyone),
            &mut notes,
        );
        t.scanned(&subject, &format!("RCP level {} of {n}", i + 1), &s, req);
        rcps.push(s);
    }
    let mut vpce = Vec::new();
    for (label, p) in label_all("vpcEndpoint", &set.vpc_endpoint) {
        let s = scan(
            &[(label.clone(), p)],
            PolicyKind::VpcEndpoint,
            req,
            checked(PrincipalMatch::Everyone),
            &mut notes,
        );
        t.scanned(&label, "VPC endpoint policy", &s, req);
        vpce.push(s);
    }
    let resource = set.resource.as_ref().map(|p| {
        let s = scan(
            &[("resource".to_string(), &**p)],
            PolicyKind::Resource,
            req,
            checked(PrincipalMatch::None),
            &mut notes,
        );
        t.scanned("resource", "resource policy", &s, req);
        s
    });

    // 1. Explicit deny anywhere wins.
    let all_scans = identity
        .iter()
        .chain(boundary.iter())
        .chain(session.iter())
        .chain(scps.iter())
        .chain(rcps.iter())
        .chain(vpce.iter())
        .chain(resource.iter());
    let denies: Vec<MatchedStatement> = all_scans.flat_map(|s| s.denies.iter().cloned()).collect();
    if let Some(first) = denies.first() {
        t.step(
            "decision",
            StepOutcome::Deny,
            format!("explicit deny: {} (an explicit deny overrides every allow)", first.describe()),
        );
        return finish(Decision::ExplicitDeny, denies, notes, t);
    }

    // 2. Every guardrail level must allow.
    let mut deciding = Vec::new();
    for (i, s) in scps.iter().enumerate() {
        if !s.allowed() {
            t.step(
                &format!("scps[{i}]"),
                StepOutcome::NoMatch,
                format!("implicit deny: SCP level {} does not allow the action", i + 1),
            );
            return finish(Decision::ImplicitDeny, Vec::new(), notes, t);
        }
        deciding.extend(s.allow_statements());
    }
    for (i, s) in rcps.iter().enumerate() {
        if !s.allowed() {
            t.step(
                &format!("rcps[{i}]"),
                StepOutcome::NoMatch,
                format!("implicit deny: RCP level {} does not allow the request", i + 1),
            );
            return finish(Decision::ImplicitDeny, Vec::new(), notes, t);
        }
        deciding.extend(s.allow_statements());
    }
    for (i, s) in vpce.iter().enumerate() {
        if !s.allowed() {
            t.step(
                &format!("vpcEndpoint[{i}]"),
                StepOutcome::NoMatch,
                "implicit deny: the VPC endpoint policy does not allow the request".to_string(),
            );
            return finish(Decision::ImplicitDeny, Vec::new(), notes, t);
        }
        deciding.extend(s.allow_statements());
    }

    // 3. Resource policy and the caller's own permissions.
    let res_best = resource.as_ref().map_or(PrincipalMatch::None, Scan::best);
    let res_grant = res_best > PrincipalMatch::Account;
    let res_account = res_best >= PrincipalMatch::Account;
    let direct_kind = matches!(
        &req.caller,
        Caller::Aws(p) if matches!(p.kind, PrincipalKind::User | PrincipalKind::AssumedRole { .. } | PrincipalKind::FederatedUser)
    );
    // Grants that a permissions boundary or session policy does not limit: to the caller's own
    // user or session ARN (documented), and to everyone (`*`), which AWS does not document;
    // this follows the corpus (three `doubtful` cases) and the reasoning that a public grant
    // reaches the caller whatever its own policies say.
    let direct = resource.as_ref().is_some_and(|s| {
        s.allows
            .iter()
            .any(|(_, m)| *m == PrincipalMatch::Everyone || (direct_kind && *m == PrincipalMatch::Exact))
    });
    let boundary_ok = boundary.as_ref().is_none_or(Scan::allowed);
    let session_ok = session.as_ref().is_none_or(Scan::allowed);
    let root = matches!(&req.caller, Caller::Aws(p) if p.kind == PrincipalKind::Root);
    let identity_ok = identity.as_ref().is_some_and(Scan::allowed) || (root && same_account);
    if root && same_account {
        t.step(
            "identity",
            StepOutcome::Rule,
            "the account root user has every IAM permission in its own account".to_string(),
        );
    }
    let principal_side_ok = identity_ok && boundary_ok && session_ok;
    let resource_grant_ok = direct || (res_grant && boundary_ok && session_ok);

    let resource_statements = || resource.iter().flat_map(Scan::allow_statements).collect::<Vec<_>>();
    let principal_statements = || {
        identity
            .iter()
            .chain(boundary.iter())
            .chain(session.iter())
            .flat_map(Scan::allow_statements)
            .collect::<Vec<_>>()
    };

    if !aws_caller {
        if res_grant {
            deciding.extend(resource_statements());
            t.step(
                "decision",
                StepOutcome::Allow,
                format!("allowed: the resource policy grants access to {caller_desc}"),
            );
            return finish(Decision::Allowed, deciding, notes, t);
        }
        t.step(
            "decision",
            StepOutcome::NoMatch,
            format!("implicit deny: only a resource policy can allow {caller_desc}, and none does"),
        );
        return implicit_or_grant(set, req, deciding, notes, t);
    }

    if direct && (!boundary_ok || !session_ok) {
        t.step(
            "decision",
            StepOutcome::Rule,
            "the resource policy grants to the caller's own ARN (or to everyone), so the permissions boundary and session policy do not limit that grant".to_string(),
        );
    }
    let limit_note = |t: &mut Tracer| {
        if !boundary_ok {
            t.step(
                "permissionsBoundary",
                StepOutcome::NoMatch,
                "the permissions boundary does not allow the action, which limits identity-policy grants and resource-policy grants to roles, accounts and `*`".to_string(),
            );
        }
        if !session_ok {
            t.step(
                "session",
                StepOutcome::NoMatch,
                "the session policy does not allow the action, which limits identity-policy grants and resource-policy grants not made to the session's own ARN".to_string(),
            );
        }
    };

    if !same_account {
        t.step(
            "decision",
            StepOutcome::Rule,
            "cross-account: the resource policy must allow the caller (or its account) and the caller's own policies must allow too".to_string(),
        );
        if principal_side_ok && res_account {
            deciding.extend(resource_statements());
            deciding.extend(principal_statements());
            t.step("decision", StepOutcome::Allow, "allowed: both accounts allow the request".to_string());
            return finish(Decision::Allowed, deciding, notes, t);
        }
        limit_note(&mut t);
        let why = match (res_account, principal_side_ok) {
            (false, _) if resource.is_none() => "there is no resource policy to grant access across accounts",
            (false, _) => "the resource policy does not allow the caller or its account",
            (true, _) => "the caller's own policies do not allow the request",
        };
        t.step("decision", StepOutcome::NoMatch, format!("implicit deny: {why}"));
        return implicit_or_grant(set, req, deciding, notes, t);
    }

    if let Some(rule) = resource_policy_required(req) {
        t.step("resource", StepOutcome::Rule, rule.to_string());
        if resource_grant_ok {
            deciding.extend(resource_statements());
            t.step(
                "decision",
                StepOutcome::Allow,
                "allowed: the resource policy grants access to the caller".to_string(),
            );
            return finish(Decision::Allowed, deciding, notes, t);
        }
        if res_account && principal_side_ok {
            deciding.extend(resource_statements());
            deciding.extend(principal_statements());
            t.step(
                "decision",
                StepOutcome::Allow,
                "allowed: the resource policy delegates to the account and the caller's IAM policies allow"
                    .to_string(),
            );
            return finish(Decision::Allowed, deciding, notes, t);
        }
        limit_note(&mut t);
        let why = if resource.is_none() {
            "there is no resource policy, and IAM policies alone cannot grant access here"
        } else if res_account {
            "the resource policy delegates to the account, but the caller's IAM policies do not allow"
        } else {
            "the resource policy neither allows the caller nor delegates to its account"
        };
        t.step("decision", StepOutcome::NoMatch, format!("implicit deny: {why}"));
        return implicit_or_grant(set, req, deciding, notes, t);
    }

    if resource_grant_ok {
        deciding.extend(resource_statements());
        t.step(
            "decision",
            StepOutcome::Allow,
            "allowed: the resource policy grants access to the caller (same account)".to_string(),
        );
        return finish(Decision::Allowed, deciding, notes, t);
    }
    if principal_side_ok {
        deciding.extend(principal_statements());
        t.step(
            "decision",
            StepOutcome::Allow,
            "allowed: the caller's identity policies allow (same account)".to_string(),
        );
        return finish(Decision::Allowed, deciding, notes, t);
    }
    limit_note(&mut t);
    t.step("decision", StepOutcome::NoMatch, "implicit deny: no policy allows the request".to_string());
    implicit_or_grant(set, req, deciding, notes, t)
}

/// The policies do not allow: a KMS grant still may. The guardrails and explicit denies were
/// already checked, so a covering grant allows.
fn implicit_or_grant(
    set: &PolicySet,
    req: &Request,
    mut deciding: Vec<MatchedStatement>,
    notes: ClauseNotes,
    mut t: Tracer,
) -> Evaluation {
    let Some((i, g)) = set.grants.iter().enumerate().find(|(_, g)| g.covers(req)) else {
        return finish(Decision::ImplicitDeny, Vec::new(), notes, t);
    };
    if let Some(last) = t.steps.pop() {
        let reason = last.message.strip_prefix("implicit deny: ").unwrap_or(&last.message).to_string();
        t.step("decision", StepOutcome::NoMatch, format!("the policies alone do not allow: {reason}"));
    }
    let subject = format!("grants[{i}]");
    deciding.push(MatchedStatement {
        kind: PolicyKind::Grant,
        policy: subject.clone(),
        statement_index: 0,
        sid: g.grant_id.clone(),
        effect: Effect::Allow,
        span: None,
    });
    t.step(
        &subject,
        StepOutcome::Allow,
        format!(
            "allowed by {}: it gives `{}` the operation `{}` on this key",
            g.describe(),
            g.grantee_principal,
            req.action_name()
        ),
    );
    finish(Decision::Allowed, deciding, notes, t)
}

fn finish(decision: Decision, matched: Vec<MatchedStatement>, notes: ClauseNotes, t: Tracer) -> Evaluation {
    let mut missing: Vec<String> = Vec::new();
    for k in notes.missing {
        if !missing.iter().any(|m| m.eq_ignore_ascii_case(&k)) {
            missing.push(k);
        }
    }
    Evaluation {
        decision,
        matched_statements: matched,
        missing_context_keys: missing,
        trace: t.steps,
        applied_statements: t.applied,
    }
}
