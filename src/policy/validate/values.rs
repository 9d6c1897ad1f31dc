//! Checks of element values: action names against the modelled services' action lists, resource
//! ARNs, principals, and condition blocks (operators, keys, value types, set operators).
//!
//! Each function reports into the sink with the value's own position; none evaluates a request.

use base64::Engine as _;

use super::structure::member_strings;
use super::{FindingLevel, PolicyType, Sink};
use crate::common::date::parse_date;
use crate::common::ip::Cidr;
use crate::policy::actions::{service_actions, Completeness};
use crate::policy::condition::{BaseOp, Family, Operator, SetOp, BASE_OPS};
use crate::policy::condition_keys::{is_global, lookup, KeyType};
use crate::policy::pattern::{split_arn, Glob, Template};
use crate::policy::source::{Member, Node, NodeValue, Span};

use FindingLevel::{Error, SecurityWarning, Warning};

/// An action such as `kms:Decrypt` or `s3:Get*`.
pub fn check_action(v: &str, kind: PolicyType, path: &str, span: Option<Span>, sink: &mut Sink) {
    if v == "*" {
        return;
    }
    let Some((service, name)) = v.split_once(':') else {
        sink.add(
            Error,
            "INVALID_ACTION_FORMAT",
            format!("`{v}` is not an action; write it as `service:ActionName`, for example `s3:GetObject`"),
            path,
            span,
        );
        return;
    };
    let bad_service = service.is_empty() || !service.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let bad_name = name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'*' || b == b'?' || b == b'-' || b == b'_');
    if bad_service || bad_name {
        sink.add(
            Error,
            "INVALID_ACTION_FORMAT",
            format!("`{v}` is not a valid action: the service prefix takes letters, digits and `-`, the action name letters, digits and the wildcards `*` and `?` (list several actions as separate strings)"),
            path,
            span,
        );
        return;
    }
    let lower = service.to_ascii_lowercase();
    if kind == PolicyType::Trust && lower != "sts" {
        sink.add(
            Warning,
            "TRUST_POLICY_ACTION",
            format!("`{v}`: a role trust policy governs only STS actions such as `sts:AssumeRole`"),
            path,
            span,
        );
    }
    let Some((list, completeness)) = service_actions(&lower) else {
        return;
    };
    let glob = Glob::wild(name);
    if list.iter().any(|a| glob.matches(a, true)) {
        return;
    }
    let (level, how) = match completeness {
        Completeness::FromModel => (Error, "does not exist"),
        Completeness::Curated => (Warning, "is not in the playground's list of known actions"),
    };
    let suggestion = list
        .iter()
        .map(|a| (edit_distance(&a.to_ascii_lowercase(), &name.to_ascii_lowercase()), a))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| format!("; did you mean `{lower}:{a}`?"))
        .unwrap_or_default();
    sink.add(
        level,
        "UNKNOWN_ACTION",
        format!("the action `{v}` {how} in service `{lower}`{suggestion}"),
        path,
        span,
    );
}

/// Levenshtein distance over bytes (action names are ASCII and short).
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// A `Resource` / `NotResource` value.
pub fn check_resource(
    v: &str,
    kind: PolicyType,
    version: Option<&str>,
    path: &str,
    span: Option<Span>,
    sink: &mut Sink,
) {
    check_variables(v, version, path, span, sink);
    if kind == PolicyType::Key && v != "*" {
        sink.add(
            FindingLevel::Suggestion,
            "KEY_POLICY_RESOURCE",
            format!(
                "`{v}`: in a key policy the resource is the key itself, so this matches only if it is this key's ARN; write \"Resource\": \"*\""
            ),
            path,
            span,
        );
        return;
    }
    if v == "*" {
        return;
    }
    if let Some(problem) = arn_problem(v) {
        sink.add(Error, "INVALID_ARN", format!("`{v}` is not a valid resource ARN: {problem}"), path, span);
    }
}

/// What is wrong with an ARN pattern, if anything.
fn arn_problem(v: &str) -> Option<String> {
    if !v.starts_with("arn:") {
        return Some("an ARN starts with `arn:` (or use `*` for all resources)".to_string());
    }
    let Some([_, partition, service, _, account, resource]) = split_arn(v) else {
        return Some(
            "an ARN has six colon-separated parts: arn:partition:service:region:account:resource".to_string(),
        );
    };
    if !["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "*"].contains(&partition)
        && !partition.contains(['*', '?', '$'])
    {
        return Some(format!("`{partition}` is not an AWS partition"));
    }
    if service.is_empty() {
        return Some("the service part is empty".to_string());
    }
    let literal_account = !account.contains(['*', '?', '$']);
    if literal_account
        && !account.is_empty()
        && account != "aws"
        && !(account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some(format!("the account `{account}` is not a 12-digit account id"));
    }
    if resource.is_empty() {
        return Some("the resource part is empty".to_string());
    }
    None
}

/// Policy variables: only substituted under Version 2012-10-17.
fn check_variables(v: &str, version: Option<&str>, path: &str, span: Option<Span>, sink: &mut Sink) {
    let t = Template::parse(v, true);
    if t.has_variables() && version != Some("2012-10-17") {
        sink.add(
            Warning,
            "VARIABLE_WITH_OLD_VERSION",
            format!("`{v}` uses a policy variable, which is substituted only under \"Version\": \"2012-10-17\"; otherwise it is matched literally"),
            path,
            span,
        );
    }
}

/// A `Principal` / `NotPrincipal` element.
pub fn check_principal(m: &Member, kind: PolicyType, path: &str, sink: &mut Sink) {
    match &m.value.value {
        NodeValue::String(s) if s == "*" => {}
        NodeValue::Object(entries) => {
            if kind == PolicyType::Rcp {
                sink.add(
                    Error,
                    "RCP_PRINCIPAL",
                    "a resource control policy must use \"Principal\": \"*\" (limit principals with conditions)",
                    path,
                    m.value.span,
                );
            }
            for e in entries {
                let p = format!("{path}/{}", e.key);
                let known = ["AWS", "Service", "Federated", "CanonicalUser"];
                if !known.contains(&e.key.as_str()) {
                    sink.add(
                        Error,
                        "INVALID_PRINCIPAL_TYPE",
                        format!(
                            "`{}` is not a principal type; use AWS, Service, Federated or CanonicalUser",
                            e.key
                        ),
                        &p,
                        e.key_span,
                    );
                    continue;
                }
                for (vp, v, span) in member_strings(e, &p, sink) {
                    principal_value(&e.key, v, &vp, span, sink);
                }
            }
        }
        NodeValue::String(s) => sink.add(
            Error,
            "INVALID_PRINCIPAL",
            format!("`{s}`: a principal given as a string must be `*`; write {{\"AWS\": \"{s}\"}} to name an IAM principal"),
            path,
            m.value.span,
        ),
        _ => sink.add(
            Error,
            "INVALID_ELEMENT_TYPE",
            format!("`{}` must be `\"*\"` or an object, found {}", m.key, m.value.type_name()),
            path,
            m.value.span,
        ),
    }
}

fn principal_value(kind: &str, v: &str, path: &str, span: Option<Span>, sink: &mut Sink) {
    match kind {
        "AWS" => {
            if v == "*" || (v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit())) {
                return;
            }
            let problem = match split_arn(v) {
                None => Some("it is neither `*`, a 12-digit account id nor an IAM/STS ARN"),
                Some([_, _, service, ..]) if service != "iam" && service != "sts" => {
                    Some("principal ARNs are IAM or STS ARNs")
                }
                Some(_) if v.contains(['*', '?']) => Some(
                    "wildcards are not allowed in principal ARNs; use `*` with a condition on `aws:PrincipalArn` (ArnLike)",
                ),
                Some([_, _, _, _, account, _])
                    if !(account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())) =>
                {
                    Some("the account part is not a 12-digit account id")
                }
                Some(_) => None,
            };
            if let Some(p) = problem {
                sink.add(
                    Error,
                    "INVALID_PRINCIPAL",
                    format!("`{v}` is not a valid AWS principal: {p}"),
                    path,
                    span,
                );
            }
        }
        "Service" => {
            let ok = v == "*"
                || (v.ends_with(".amazonaws.com")
                    || v.ends_with(".amazonaws.com.cn")
                    || v.ends_with(".amazon.com"))
                    && !v.contains('*');
            if !ok {
                sink.add(
                    Warning,
                    "INVALID_SERVICE_PRINCIPAL",
                    format!("`{v}` does not look like a service principal such as `lambda.amazonaws.com`"),
                    path,
                    span,
                );
            }
        }
        _ => {}
    }
}

/// A `Condition` block.
pub fn check_condition(node: &Node, path: &str, version: Option<&str>, sink: &mut Sink) {
    let Some(ops) = node.as_object() else {
        sink.add(
            Error,
            "INVALID_ELEMENT_TYPE",
            format!("`Condition` must be an object, found {}", node.type_name()),
            path,
            node.span,
        );
        return;
    };
    for op in ops {
        let op_path = format!("{path}/{}", op.key);
        let Some(operator) = Operator::parse(&op.key) else {
            sink.add(Error, "UNKNOWN_OPERATOR", unknown_operator_message(&op.key), &op_path, op.key_span);
            continue;
        };
        let Some(keys) = op.value.as_object() else {
            sink.add(
                Error,
                "INVALID_ELEMENT_TYPE",
                format!("the value of `{}` must be an object of condition keys", op.key),
                &op_path,
                op.value.span,
            );
            continue;
        };
        if keys.is_empty() {
            sink.add(
                Warning,
                "EMPTY_CONDITION",
                format!("`{}` lists no condition keys", op.key),
                &op_path,
                op.value.span,
            );
        }
        for k in keys {
            check_clause(operator, &op.key, k, &format!("{op_path}/{}", k.key), version, sink);
        }
    }
}

fn unknown_operator_message(name: &str) -> String {
    let base = name.rsplit(':').next().unwrap_or(name);
    let trimmed = base.strip_suffix("IfExists").unwrap_or(base);
    if trimmed == "Null" && base != trimmed {
        return "`NullIfExists` does not exist: `Null` already tests whether the key is present".to_string();
    }
    let hint = BASE_OPS
        .iter()
        .map(|(n, _)| *n)
        .find(|n| n.eq_ignore_ascii_case(trimmed) || n.eq_ignore_ascii_case(&format!("{trimmed}s")))
        .map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_default();
    format!("`{name}` is not a condition operator{hint}")
}

fn check_clause(op: Operator, op_name: &str, k: &Member, path: &str, version: Option<&str>, sink: &mut Sink) {
    let values: Vec<(String, String, Option<Span>)> = match &k.value.value {
        NodeValue::Array(items) => {
            if items.is_empty() {
                sink.add(
                    Error,
                    "EMPTY_ARRAY",
                    format!("the condition key `{}` has no values", k.key),
                    path,
                    k.value.span,
                );
            }
            items.iter().enumerate().filter_map(|(i, n)| scalar(n, &format!("{path}/{i}"), sink)).collect()
        }
        _ => scalar(&k.value, path, sink).into_iter().collect(),
    };
    let family = op.base.family();
    for (vp, v, span) in &values {
        check_variables(v, version, vp, *span, sink);
        if Template::parse(v, true).has_variables() {
            continue;
        }
        if let Some(problem) = value_problem(op.base, v) {
            sink.add(
                Error,
                "INVALID_CONDITION_VALUE",
                format!("`{v}` is not a valid value for `{op_name}`: {problem}"),
                vp,
                *span,
            );
        }
        if family == Family::String
            && !matches!(op.base, BaseOp::StringLike | BaseOp::StringNotLike)
            && v.contains(['*', '?'])
        {
            sink.add(
                Warning,
                "WILDCARD_WITHOUT_LIKE",
                format!("`{v}` contains a wildcard, but `{op_name}` compares literally; use `StringLike` to match patterns"),
                vp,
                *span,
            );
        }
    }
    check_key(op, op_name, k, path, sink);
}

fn scalar(n: &Node, path: &str, sink: &mut Sink) -> Option<(String, String, Option<Span>)> {
    let text = match &n.value {
        NodeValue::String(s) | NodeValue::Number(s) => s.clone(),
        NodeValue::Bool(b) => b.to_string(),
        _ => {
            sink.add(
                Error,
                "INVALID_ELEMENT_TYPE",
                format!("condition values must be strings, numbers or booleans, found {}", n.type_name()),
                path,
                n.span,
            );
            return None;
        }
    };
    Some((path.to_string(), text, n.span))
}

/// What is wrong with a literal value for an operator family.
fn value_problem(base: BaseOp, v: &str) -> Option<&'static str> {
    let ok = match base.family() {
        Family::String => true,
        Family::Numeric => v.trim().parse::<f64>().is_ok(),
        Family::Date => parse_date(v).is_some(),
        Family::Bool | Family::Null => v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false"),
        Family::Binary => base64::engine::general_purpose::STANDARD.decode(v.trim()).is_ok(),
        Family::Ip => Cidr::parse(v).is_ok(),
        Family::Arn => v == "*" || split_arn(v).is_some(),
    };
    if ok {
        return None;
    }
    Some(match base.family() {
        Family::Numeric => "expected a number",
        Family::Date => "expected an ISO 8601 date such as 2026-01-31T00:00:00Z or epoch seconds",
        Family::Bool | Family::Null => "expected `true` or `false`",
        Family::Binary => "expected base64",
        Family::Ip => "expected an IPv4 or IPv6 address or CIDR range",
        Family::Arn => "expected an ARN (arn:partition:service:region:account:resource)",
        Family::String => "",
    })
}

fn check_key(op: Operator, op_name: &str, k: &Member, path: &str, sink: &mut Sink) {
    let Some(known) = lookup(&k.key) else {
        if is_global(&k.key) {
            sink.add(
                Warning,
                "UNKNOWN_GLOBAL_CONDITION_KEY",
                format!("`{}` is not a global condition key; check the spelling (keys such as `aws:SourceIp`, `aws:PrincipalOrgID`)", k.key),
                path,
                k.key_span,
            );
        }
        return;
    };
    let family = op.base.family();
    let compatible = matches!(
        (known.kind, family),
        (_, Family::Null)
            | (KeyType::String, Family::String)
            | (KeyType::Arn, Family::String | Family::Arn)
            | (KeyType::Ip, Family::Ip)
            | (KeyType::Date, Family::Date)
            | (KeyType::Numeric, Family::Numeric)
            | (KeyType::Bool, Family::Bool)
    );
    if !compatible {
        let want = match known.kind {
            KeyType::String => "a String operator",
            KeyType::Arn => "an Arn or String operator",
            KeyType::Ip => "IpAddress / NotIpAddress",
            KeyType::Date => "a Date operator",
            KeyType::Numeric => "a Numeric operator",
            KeyType::Bool => "Bool",
        };
        sink.add(
            Warning,
            "MISMATCHED_OPERATOR_TYPE",
            format!(
                "`{}` holds a {:?} value; `{op_name}` will not compare it as intended, use {want}",
                k.key, known.kind
            ),
            path,
            k.key_span,
        );
    }
    match (op.set, known.multi) {
        (Some(SetOp::ForAllValues), false) => sink.add(
            SecurityWarning,
            "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
            format!("`{}` is single-valued; `ForAllValues:` is also true when the key is absent, which can allow more than intended. Drop the qualifier", k.key),
            path,
            k.key_span,
        ),
        (Some(SetOp::ForAnyValue), false) => sink.add(
            Warning,
            "FORANYVALUE_WITH_SINGLE_VALUED_KEY",
            format!("`{}` is single-valued; drop the `ForAnyValue:` qualifier", k.key),
            path,
            k.key_span,
        ),
        (None, true) if family != Family::Null => sink.add(
            Warning,
            "MISSING_SET_OPERATOR",
            format!("`{}` is multivalued; use `ForAllValues:` or `ForAnyValue:` with `{op_name}`", k.key),
            path,
            k.key_span,
        ),
        _ => {}
    }
}
