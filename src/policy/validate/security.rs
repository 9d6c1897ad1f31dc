//! Checks on the typed policy: grants that are broader than they look (NotPrincipal / NotResource
//! / NotAction with Allow, public access, PassRole on `*`, full admin), key-policy hazards
//! (no account delegation, nobody can change the policy) and redundancy (actions, resources or
//! whole statements already covered by others).
//!
//! Runs only when the policy parsed; grammar problems are reported by `structure.rs`.

use super::{FindingLevel, PolicyType, Sink};
use crate::policy::document::{Effect, Policy, PrincipalSpec, PrincipalType, Statement};
use crate::policy::pattern::Glob;
use crate::policy::source::{Node, NodeValue};

use FindingLevel::{SecurityWarning, Suggestion, Warning};

/// Runs every typed check.
pub fn check_policy(policy: &Policy, node: &Node, kind: PolicyType, sink: &mut Sink) {
    let stmt_nodes: Vec<&Node> = match node.get("Statement").map(|n| &n.value) {
        Some(NodeValue::Array(items)) => items.iter().collect(),
        Some(_) => node.get("Statement").into_iter().collect(),
        None => Vec::new(),
    };
    let single = !matches!(node.get("Statement").map(|n| &n.value), Some(NodeValue::Array(_)));
    let path_of = |i: usize| {
        if single {
            "/Statement".to_string()
        } else {
            format!("/Statement/{i}")
        }
    };
    for s in &policy.statements {
        let path = path_of(s.index);
        broad_grants(s, kind, &path, sink);
        redundant_values(s, &path, sink);
    }
    if kind == PolicyType::Key {
        key_policy(policy, sink);
    }
    redundant_statements(policy, &stmt_nodes, &path_of, sink);
}

fn everyone(spec: &PrincipalSpec) -> bool {
    match spec {
        PrincipalSpec::Any => true,
        PrincipalSpec::Typed(entries) => {
            entries.iter().any(|e| e.kind == PrincipalType::Aws && e.values.iter().any(|v| v.value == "*"))
        }
    }
}

fn broad_grants(s: &Statement, kind: PolicyType, path: &str, sink: &mut Sink) {
    if s.effect != Effect::Allow {
        return;
    }
    if let Some(p) = s.principal.as_ref().filter(|p| p.negated) {
        sink.add(
            SecurityWarning,
            "ALLOW_WITH_NOT_PRINCIPAL",
            "`Allow` with `NotPrincipal` grants access to every principal not listed, including anonymous callers; name the principals in `Principal` instead",
            &format!("{path}/NotPrincipal"),
            p.span,
        );
    }
    if let Some(r) = s.resource.as_ref().filter(|r| r.negated) {
        sink.add(
            SecurityWarning,
            "ALLOW_WITH_NOT_RESOURCE",
            "`Allow` with `NotResource` grants access to every resource not listed, including resources created later; list the resources in `Resource` instead",
            &format!("{path}/NotResource"),
            r.span,
        );
    }
    let all_resources =
        s.resource.as_ref().is_none_or(|r| r.negated || r.patterns.iter().any(|p| p.value.source() == "*"));
    if s.action.negated && all_resources {
        sink.add(
            SecurityWarning,
            "ALLOW_WITH_NOT_ACTION",
            "`Allow` with `NotAction` on all resources grants every action of every service except those listed, including future ones",
            &format!("{path}/NotAction"),
            s.action.span,
        );
    }
    if let Some(p) = s.principal.as_ref().filter(|p| !p.negated) {
        let public = matches!(kind, PolicyType::Resource | PolicyType::Key | PolicyType::Trust)
            && everyone(&p.spec)
            && s.conditions.is_empty();
        if public {
            let (code, msg) = if kind == PolicyType::Key {
                ("KEY_POLICY_PUBLIC_ACCESS", "a key policy statement with \"Principal\": \"*\" and no condition lets any AWS principal use the key; add a condition such as `kms:CallerAccount` or `aws:PrincipalOrgID`")
            } else {
                ("PUBLIC_ACCESS", "\"Principal\": \"*\" without a condition grants access to everyone, including anonymous callers; name principals or add a condition")
            };
            sink.add(SecurityWarning, code, msg, &format!("{path}/Principal"), p.span);
        }
    }
    if kind == PolicyType::Identity
        && !s.action.negated
        && s.action.patterns.iter().any(|a| a.value.source != "*" && a.value.matches("iam:PassRole"))
        && s.resource
            .as_ref()
            .is_some_and(|r| !r.negated && r.patterns.iter().any(|p| p.value.source() == "*"))
    {
        sink.add(
            SecurityWarning,
            "PASS_ROLE_WITH_STAR_IN_RESOURCE",
            "this statement allows `iam:PassRole` on every role, which lets the caller hand any role (and its permissions) to a service; list the roles that may be passed",
            &format!("{path}/Resource"),
            s.resource.as_ref().and_then(|r| r.span),
        );
    }
    if kind == PolicyType::Identity
        && !s.action.negated
        && s.action.patterns.iter().any(|a| a.value.source == "*")
        && s.resource
            .as_ref()
            .is_some_and(|r| !r.negated && r.patterns.iter().any(|p| p.value.source() == "*"))
        && s.conditions.is_empty()
    {
        sink.add(
            SecurityWarning,
            "FULL_ADMIN_ACCESS",
            "this statement allows every action on every resource (full administrator access); grant only the actions the principal needs",
            &format!("{path}/Action"),
            s.action.span,
        );
    }
}

fn names_account(spec: &PrincipalSpec) -> bool {
    match spec {
        PrincipalSpec::Any => false,
        PrincipalSpec::Typed(entries) => entries.iter().any(|e| {
            e.kind == PrincipalType::Aws
                && e.values.iter().any(|v| {
                    let v = v.value.as_str();
                    (v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()))
                        || (v.starts_with("arn:") && v.ends_with(":root"))
                })
        }),
    }
}

fn key_policy(policy: &Policy, sink: &mut Sink) {
    let allows = || {
        policy
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow && s.principal.as_ref().is_some_and(|p| !p.negated))
    };
    let covers = |s: &&Statement, action: &str| {
        s.action.patterns.iter().any(|a| a.value.matches(action)) != s.action.negated
    };
    if !allows()
        .any(|s| s.principal.as_ref().is_some_and(|p| names_account(&p.spec)) && covers(&s, "kms:Decrypt"))
    {
        sink.add(
            Warning,
            "KEY_POLICY_WITHOUT_ACCOUNT_ACCESS",
            "no statement delegates the key to its account (Principal `arn:aws:iam::ACCOUNT:root`), so IAM policies cannot grant access to this key; the default key policy includes such a statement",
            "/Statement",
            policy.span,
        );
    }
    if !allows().any(|s| covers(&s, "kms:PutKeyPolicy")) {
        sink.add(
            Warning,
            "KEY_POLICY_LOCKOUT_RISK",
            "no statement allows `kms:PutKeyPolicy`, so nobody can change this key policy later and the key may become unmanageable",
            "/Statement",
            policy.span,
        );
    }
}

/// Whether every string matched by pattern `b` is matched by pattern `a` (sound for patterns
/// whose only wildcard is `*`; others are compared literally).
fn covers(a: &str, b: &str, ignore_case: bool) -> bool {
    if a == b || (ignore_case && a.eq_ignore_ascii_case(b)) {
        return true;
    }
    !a.contains('?') && a.contains('*') && Glob::wild(a).matches(b, ignore_case)
}

fn redundant_values(s: &Statement, path: &str, sink: &mut Sink) {
    let acts = &s.action.patterns;
    for (i, b) in acts.iter().enumerate() {
        let by = acts.iter().enumerate().find(|(j, a)| {
            *j != i
                && covers(&a.value.source, &b.value.source, true)
                && (!covers(&b.value.source, &a.value.source, true) || *j < i)
        });
        if let Some((_, a)) = by {
            sink.add(
                Suggestion,
                "REDUNDANT_ACTION",
                format!(
                    "`{}` is already covered by `{}` in the same statement",
                    b.value.source, a.value.source
                ),
                &format!("{path}/{}/{i}", if s.action.negated { "NotAction" } else { "Action" }),
                b.span,
            );
        }
    }
    let Some(r) = &s.resource else { return };
    for (i, b) in r.patterns.iter().enumerate() {
        if b.value.has_variables() {
            continue;
        }
        let by = r.patterns.iter().enumerate().find(|(j, a)| {
            *j != i
                && !a.value.has_variables()
                && covers(a.value.source(), b.value.source(), false)
                && (!covers(b.value.source(), a.value.source(), false) || *j < i)
        });
        if let Some((_, a)) = by {
            sink.add(
                Suggestion,
                "REDUNDANT_RESOURCE",
                format!(
                    "`{}` is already covered by `{}` in the same statement",
                    b.value.source(),
                    a.value.source()
                ),
                &format!("{path}/{}/{i}", if r.negated { "NotResource" } else { "Resource" }),
                b.span,
            );
        }
    }
}

/// The statement's JSON without `Sid` and `Action`, to compare the rest.
fn scope(node: &Node) -> serde_json::Value {
    let mut v = node.to_value();
    if let Some(o) = v.as_object_mut() {
        o.remove("Sid");
        o.remove("Action");
    }
    v
}

fn redundant_statements(
    policy: &Policy,
    nodes: &[&Node],
    path_of: &dyn Fn(usize) -> String,
    sink: &mut Sink,
) {
    let scopes: Vec<serde_json::Value> = nodes.iter().map(|n| scope(n)).collect();
    for (j, b) in policy.statements.iter().enumerate() {
        if b.action.negated {
            continue;
        }
        let by = policy.statements.iter().enumerate().find(|(i, a)| {
            *i != j
                && !a.action.negated
                && a.effect == b.effect
                && scopes.get(*i).is_some()
                && scopes.get(*i) == scopes.get(j)
                && b.action.patterns.iter().all(|bp| {
                    a.action
                        .patterns
                        .iter()
                        .any(|ap| covers(&ap.value.source, &bp.value.source, true))
                })
                // Two identical statements: report only the later one.
                && !(a.action.patterns.iter().all(|ap| {
                    b.action
                        .patterns
                        .iter()
                        .any(|bp| covers(&bp.value.source, &ap.value.source, true))
                }) && *i > j)
        });
        if let Some((i, _)) = by {
            sink.add(
                Suggestion,
                "REDUNDANT_STATEMENT",
                format!("statement {j} grants nothing beyond statement {i} (same effect, principal, resources and conditions); remove it or merge them"),
                &path_of(j),
                b.span,
            );
        }
    }
}
