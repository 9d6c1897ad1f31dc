//! Grammar checks over the raw JSON tree: the document and statement elements, their types,
//! which elements each policy type requires or forbids, duplicate keys and Sids, size limits.
//!
//! Works on the position-carrying tree, so it keeps going after the first problem and can point
//! at every one. Element values (actions, ARNs, principals, conditions) are checked in `values.rs`.

use super::values;
use super::{FindingLevel, PolicyType, Sink};
use crate::policy::source::{Member, Node, NodeValue};

use FindingLevel::{Error, Suggestion, Warning};

use crate::policy::document::STATEMENT_ELEMENTS;

/// The size limit of a policy type, in characters, and whether whitespace counts.
fn size_limit(kind: PolicyType) -> (usize, bool, &'static str) {
    match kind {
        PolicyType::Identity | PolicyType::Boundary => (6144, false, "a managed policy"),
        PolicyType::Session => (2048, false, "a session policy"),
        PolicyType::Trust => (2048, false, "a role trust policy (default quota)"),
        PolicyType::Scp | PolicyType::Rcp => (5120, true, "an SCP or RCP"),
        PolicyType::Key => (32768, true, "a key policy"),
        PolicyType::Resource => (20480, true, "a bucket policy"),
    }
}

/// Checks the whole document.
pub fn check_document(node: &Node, kind: PolicyType, text: &str, sink: &mut Sink) {
    let (limit, whitespace, what) = size_limit(kind);
    let size =
        if whitespace { text.chars().count() } else { text.chars().filter(|c| !c.is_whitespace()).count() };
    if size > limit {
        sink.add(
            Error,
            "POLICY_SIZE_EXCEEDED",
            format!("the policy has {size} characters; {what} may have at most {limit}"),
            "",
            node.span,
        );
    }
    duplicate_keys(node, "", sink);
    let Some(members) = node.as_object() else {
        sink.add(
            Error,
            "POLICY_NOT_OBJECT",
            format!("a policy must be a JSON object, found {}", node.type_name()),
            "",
            node.span,
        );
        return;
    };
    for m in members {
        if !["Version", "Id", "Statement"].contains(&m.key.as_str()) {
            unknown_element(m, "", &["Version", "Id", "Statement"], sink);
        }
    }
    let version = check_version(node, members, sink);
    if let Some(id) = find(members, "Id") {
        if id.value.as_str().is_none() {
            wrong_type(id, "/Id", "a string", sink);
        }
    }
    let Some(stmt) = find(members, "Statement") else {
        sink.add(
            Error,
            "MISSING_STATEMENT",
            "the policy has no `Statement`; add a statement object or an array of them",
            "",
            node.span,
        );
        return;
    };
    let statements: Vec<(String, &Node)> = match &stmt.value.value {
        NodeValue::Object(_) => vec![("/Statement".to_string(), &stmt.value)],
        NodeValue::Array(items) => {
            if items.is_empty() {
                sink.add(
                    Error,
                    "EMPTY_STATEMENT",
                    "`Statement` is an empty array; a policy needs at least one statement",
                    "/Statement",
                    stmt.value.span,
                );
            }
            items.iter().enumerate().map(|(i, s)| (format!("/Statement/{i}"), s)).collect()
        }
        _ => {
            wrong_type(stmt, "/Statement", "an object or an array of objects", sink);
            return;
        }
    };
    let mut sids: Vec<String> = Vec::new();
    for (path, s) in &statements {
        check_statement(s, path, kind, version.as_deref(), &mut sids, sink);
    }
}

fn find<'a>(members: &'a [Member], key: &str) -> Option<&'a Member> {
    members.iter().rev().find(|m| m.key == key)
}

fn wrong_type(m: &Member, path: &str, expected: &str, sink: &mut Sink) {
    sink.add(
        Error,
        "INVALID_ELEMENT_TYPE",
        format!("`{}` must be {expected}, found {}", m.key, m.value.type_name()),
        path,
        m.value.span,
    );
}

fn unknown_element(m: &Member, parent: &str, known: &[&str], sink: &mut Sink) {
    let hint = known
        .iter()
        .find(|k| {
            let key = m.key.to_ascii_lowercase();
            let k = k.to_ascii_lowercase();
            key == k || key == format!("{k}s") || key.trim() == k
        })
        .map(|k| format!("; did you mean `{k}`?"))
        .unwrap_or_default();
    sink.add(
        Error,
        "UNKNOWN_ELEMENT",
        format!("`{}` is not a policy element{hint}", m.key),
        &format!("{parent}/{}", m.key),
        m.key_span,
    );
}

fn duplicate_keys(node: &Node, path: &str, sink: &mut Sink) {
    match &node.value {
        NodeValue::Object(members) => {
            for (i, m) in members.iter().enumerate() {
                if members.iter().take(i).any(|o| o.key == m.key) {
                    sink.add(
                        Error,
                        "DUPLICATE_KEY",
                        format!("`{}` appears twice in the same object; only one would be used", m.key),
                        &format!("{path}/{}", m.key),
                        m.key_span,
                    );
                }
                duplicate_keys(&m.value, &format!("{path}/{}", m.key), sink);
            }
        }
        NodeValue::Array(items) => {
            for (i, n) in items.iter().enumerate() {
                duplicate_keys(n, &format!("{path}/{i}"), sink);
            }
        }
        _ => {}
    }
}

fn check_version(node: &Node, members: &[Member], sink: &mut Sink) -> Option<String> {
    let Some(v) = find(members, "Version") else {
        sink.add(
            Warning,
            "MISSING_VERSION",
            "the policy has no `Version`; add \"Version\": \"2012-10-17\" (without it, policy variables are not substituted)",
            "",
            node.span,
        );
        return None;
    };
    match v.value.as_str() {
        Some("2012-10-17") => Some("2012-10-17".to_string()),
        Some("2008-10-17") => {
            sink.add(
                Suggestion,
                "OLD_VERSION",
                "`Version` 2008-10-17 is the old policy language; use 2012-10-17",
                "/Version",
                v.value.span,
            );
            Some("2008-10-17".to_string())
        }
        Some(other) => {
            sink.add(
                Error,
                "INVALID_VERSION",
                format!("`Version` must be `2012-10-17` (or the old `2008-10-17`), not `{other}`"),
                "/Version",
                v.value.span,
            );
            None
        }
        None => {
            wrong_type(v, "/Version", "a string", sink);
            None
        }
    }
}

/// Statement-level rules per policy type.
fn principal_rule(kind: PolicyType) -> Option<bool> {
    match kind {
        PolicyType::Resource | PolicyType::Key | PolicyType::Trust | PolicyType::Rcp => Some(true),
        PolicyType::Identity | PolicyType::Boundary | PolicyType::Session | PolicyType::Scp => Some(false),
    }
}

fn check_statement(
    node: &Node,
    path: &str,
    kind: PolicyType,
    version: Option<&str>,
    sids: &mut Vec<String>,
    sink: &mut Sink,
) {
    let Some(members) = node.as_object() else {
        sink.add(
            Error,
            "INVALID_ELEMENT_TYPE",
            format!("a statement must be an object, found {}", node.type_name()),
            path,
            node.span,
        );
        return;
    };
    for m in members {
        if !STATEMENT_ELEMENTS.contains(&m.key.as_str()) {
            unknown_element(m, path, &STATEMENT_ELEMENTS, sink);
        }
    }
    check_sid(members, path, kind, sids, sink);
    let effect = match find(members, "Effect") {
        None => {
            sink.add(
                Error,
                "MISSING_EFFECT",
                "the statement has no `Effect`; add \"Effect\": \"Allow\" or \"Deny\"",
                path,
                node.span,
            );
            None
        }
        Some(m) => match m.value.as_str() {
            Some(e @ ("Allow" | "Deny")) => Some(e),
            _ => {
                sink.add(
                    Error,
                    "INVALID_EFFECT",
                    "`Effect` must be `Allow` or `Deny` (case-sensitive)",
                    &format!("{path}/Effect"),
                    m.value.span,
                );
                None
            }
        },
    };

    // Action / NotAction.
    match pair(members, "Action", "NotAction", path, sink) {
        None => {
            sink.add(Error, "MISSING_ACTION", "the statement has no `Action` or `NotAction`", path, node.span)
        }
        Some(m) => {
            let p = format!("{path}/{}", m.key);
            for (vp, v, span) in strings(m, &p, sink) {
                values::check_action(v, kind, &vp, span, sink);
            }
        }
    }

    // Resource / NotResource.
    match pair(members, "Resource", "NotResource", path, sink) {
        None if kind != PolicyType::Trust => sink.add(
            Error,
            "MISSING_RESOURCE",
            "the statement has no `Resource` or `NotResource`; use \"Resource\": \"*\" for all resources",
            path,
            node.span,
        ),
        None => {}
        Some(m) if kind == PolicyType::Trust => sink.add(
            Error,
            "UNSUPPORTED_RESOURCE",
            format!("a role trust policy cannot have `{}`; the resource is the role itself", m.key),
            &format!("{path}/{}", m.key),
            m.key_span,
        ),
        Some(m) => {
            let p = format!("{path}/{}", m.key);
            for (vp, v, span) in strings(m, &p, sink) {
                values::check_resource(v, kind, version, &vp, span, sink);
            }
        }
    }

    // Principal / NotPrincipal.
    match (pair(members, "Principal", "NotPrincipal", path, sink), principal_rule(kind)) {
        (None, Some(true)) => sink.add(
            Error,
            "MISSING_PRINCIPAL",
            "a resource-based policy statement needs a `Principal` (or `NotPrincipal`)",
            path,
            node.span,
        ),
        (Some(m), Some(false)) => sink.add(
            Error,
            "UNSUPPORTED_PRINCIPAL",
            format!(
                "`{}` is not allowed in this policy type; the principal is whoever the policy is attached to",
                m.key
            ),
            &format!("{path}/{}", m.key),
            m.key_span,
        ),
        (Some(m), _) => {
            let p = format!("{path}/{}", m.key);
            values::check_principal(m, kind, &p, sink);
        }
        (None, _) => {}
    }

    if let Some(c) = find(members, "Condition") {
        values::check_condition(&c.value, &format!("{path}/Condition"), version, sink);
    }

    if kind == PolicyType::Rcp && effect == Some("Allow") {
        let all_star = |key: &str| {
            find(members, key).is_some_and(|m| match &m.value.value {
                NodeValue::String(s) => s == "*",
                NodeValue::Array(a) => a.len() == 1 && a.first().and_then(Node::as_str) == Some("*"),
                _ => false,
            })
        };
        // A missing Principal is reported as MISSING_PRINCIPAL; judge the rest.
        let principal_ok = find(members, "Principal").is_none() || all_star("Principal");
        if !(all_star("Action") && all_star("Resource") && principal_ok)
            || find(members, "Condition").is_some()
        {
            sink.add(
                Error,
                "RCP_ALLOW",
                "resource control policies support `Allow` only as the full-access statement (Principal, Action and Resource `*`, no condition); use `Deny` statements",
                &format!("{path}/Effect"),
                find(members, "Effect").and_then(|m| m.value.span),
            );
        }
    }
}

fn check_sid(members: &[Member], path: &str, kind: PolicyType, sids: &mut Vec<String>, sink: &mut Sink) {
    let Some(m) = find(members, "Sid") else {
        return;
    };
    let Some(sid) = m.value.as_str() else {
        wrong_type(m, &format!("{path}/Sid"), "a string", sink);
        return;
    };
    let strict = matches!(
        kind,
        PolicyType::Identity | PolicyType::Boundary | PolicyType::Session | PolicyType::Scp | PolicyType::Rcp
    );
    if strict && !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
        sink.add(
            Error,
            "INVALID_SID",
            format!("`{sid}`: in this policy type a Sid may contain only letters A-Z, a-z and digits"),
            &format!("{path}/Sid"),
            m.value.span,
        );
    }
    if !sid.is_empty() && sids.iter().any(|s| s == sid) {
        sink.add(
            Error,
            "DUPLICATE_SID",
            format!("the Sid `{sid}` is used by an earlier statement; Sids must be unique"),
            &format!("{path}/Sid"),
            m.value.span,
        );
    }
    sids.push(sid.to_string());
}

/// The one present member of a mutually exclusive pair, reporting when both are present.
fn pair<'a>(members: &'a [Member], a: &str, b: &str, path: &str, sink: &mut Sink) -> Option<&'a Member> {
    match (find(members, a), find(members, b)) {
        (Some(x), Some(y)) => {
            let code = match a {
                "Action" => "ACTION_AND_NOTACTION",
                "Resource" => "RESOURCE_AND_NOTRESOURCE",
                _ => "PRINCIPAL_AND_NOTPRINCIPAL",
            };
            sink.add(
                Error,
                code,
                format!("a statement cannot have both `{a}` and `{b}`"),
                &format!("{path}/{b}"),
                y.key_span,
            );
            Some(x)
        }
        (Some(x), None) | (None, Some(x)) => Some(x),
        (None, None) => None,
    }
}

/// The string values of a string-or-array element, reporting wrong types and empty arrays.
fn strings<'a>(
    m: &'a Member,
    path: &str,
    sink: &mut Sink,
) -> Vec<(String, &'a str, Option<crate::policy::source::Span>)> {
    let mut out = Vec::new();
    match &m.value.value {
        NodeValue::String(s) => out.push((path.to_string(), s.as_str(), m.value.span)),
        NodeValue::Array(items) => {
            if items.is_empty() {
                sink.add(
                    Error,
                    "EMPTY_ARRAY",
                    format!("`{}` is an empty array; list at least one value", m.key),
                    path,
                    m.value.span,
                );
            }
            for (i, n) in items.iter().enumerate() {
                match n.as_str() {
                    Some(s) => out.push((format!("{path}/{i}"), s, n.span)),
                    None => sink.add(
                        Error,
                        "INVALID_ELEMENT_TYPE",
                        format!("`{}` values must be strings, found {}", m.key, n.type_name()),
                        &format!("{path}/{i}"),
                        n.span,
                    ),
                }
            }
        }
        _ => wrong_type(m, path, "a string or an array of strings", sink),
    }
    out
}

/// Exposed for `values.rs`: the string values of a member.
pub(super) fn member_strings<'a>(
    m: &'a Member,
    path: &str,
    sink: &mut Sink,
) -> Vec<(String, &'a str, Option<crate::policy::source::Span>)> {
    strings(m, path, sink)
}
