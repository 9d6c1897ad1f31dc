//! Reads a policy document (JSON text or a `serde_json::Value`) into the typed [`Policy`].
//!
//! It accepts what AWS accepts for evaluation: single strings or arrays wherever AWS allows
//! them, a `Statement` object or array. It rejects what cannot be evaluated (no `Effect`, both
//! `Action` and `NotAction`, an unknown condition operator) with the element's position.
//! Softer problems (unknown members, missing `Version`) are left to validation.

use super::condition::{Condition, Operator};
use super::document::{
    ActionBlock, ActionPattern, Effect, Located, Policy, PrincipalBlock, PrincipalEntry, PrincipalSpec,
    PrincipalType, ResourceBlock, Statement,
};
use super::error::PolicyError;
use super::pattern::Template;
use super::source::{parse_json, Member, Node, NodeValue, Span};

/// Parses policy JSON text; positions refer to `text`.
pub fn parse_policy(text: &str) -> Result<Policy, PolicyError> {
    policy_from_node(&parse_json(text)?)
}

/// Parses an already-decoded policy (no positions).
pub fn parse_policy_value(value: &serde_json::Value) -> Result<Policy, PolicyError> {
    policy_from_node(&Node::from_value(value))
}

/// Where an element is, for error messages: `line:column` when known, else a JSON pointer.
pub fn location(span: Option<Span>, pointer: &str) -> String {
    match span {
        Some(s) => format!("{}:{}", s.start.line, s.start.column),
        None if pointer.is_empty() => "/".to_string(),
        None => pointer.to_string(),
    }
}

fn invalid(span: Option<Span>, pointer: &str, message: impl Into<String>) -> PolicyError {
    PolicyError::InvalidPolicy { location: location(span, pointer), message: message.into() }
}

/// Reads the typed policy from a node tree.
pub fn policy_from_node(node: &Node) -> Result<Policy, PolicyError> {
    let members = node.as_object().ok_or_else(|| invalid(node.span, "", "a policy must be a JSON object"))?;
    let version = optional_string(members, "Version", "")?;
    let id = optional_string(members, "Id", "")?;
    let variables = version.as_deref() == Some("2012-10-17");
    let stmt = find(members, "Statement").ok_or_else(|| {
        invalid(node.span, "", "missing `Statement`; add a statement object or an array of them")
    })?;
    let statements = match &stmt.value.value {
        NodeValue::Object(_) => vec![statement(&stmt.value, 0, "/Statement", variables)?],
        NodeValue::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, s)| statement(s, i, &format!("/Statement/{i}"), variables))
            .collect::<Result<Vec<_>, _>>()?,
        _ => {
            return Err(invalid(
                stmt.value.span,
                "/Statement",
                "`Statement` must be an object or an array of objects",
            ))
        }
    };
    Ok(Policy { version, id, statements, span: node.span })
}

/// The member named `key`; with duplicates the last one wins, as in most JSON readers
/// (validation reports the duplicate).
fn find<'a>(members: &'a [Member], key: &str) -> Option<&'a Member> {
    members.iter().rev().find(|m| m.key == key)
}

/// The members without those overridden by a later member of the same name.
fn unique(members: &[Member]) -> impl Iterator<Item = &Member> {
    members.iter().enumerate().filter_map(move |(i, m)| {
        let overridden = members.get(i + 1..).is_some_and(|rest| rest.iter().any(|o| o.key == m.key));
        (!overridden).then_some(m)
    })
}

fn optional_string(members: &[Member], key: &str, ptr: &str) -> Result<Option<String>, PolicyError> {
    match find(members, key) {
        None => Ok(None),
        Some(m) => match &m.value.value {
            NodeValue::String(s) => Ok(Some(s.clone())),
            _ => Err(invalid(m.value.span, &format!("{ptr}/{key}"), format!("`{key}` must be a string"))),
        },
    }
}

/// One of two mutually exclusive elements (`Action`/`NotAction` ...): the member and whether
/// it was the negated one.
fn one_of<'a>(
    members: &'a [Member],
    positive: &str,
    negative: &str,
    span: Option<Span>,
    ptr: &str,
) -> Result<Option<(&'a Member, bool)>, PolicyError> {
    match (find(members, positive), find(members, negative)) {
        (Some(_), Some(n)) => Err(invalid(
            n.key_span.or(span),
            ptr,
            format!("a statement cannot have both `{positive}` and `{negative}`"),
        )),
        (Some(p), None) => Ok(Some((p, false))),
        (None, Some(n)) => Ok(Some((n, true))),
        (None, None) => Ok(None),
    }
}

fn statement(node: &Node, index: usize, ptr: &str, variables: bool) -> Result<Statement, PolicyError> {
    let members =
        node.as_object().ok_or_else(|| invalid(node.span, ptr, "a statement must be a JSON object"))?;
    let sid = optional_string(members, "Sid", ptr)?;
    let effect = match find(members, "Effect") {
        None => return Err(invalid(node.span, ptr, "missing `Effect`; use `Allow` or `Deny`")),
        Some(m) => match m.value.as_str() {
            Some("Allow") => Effect::Allow,
            Some("Deny") => Effect::Deny,
            _ => {
                return Err(invalid(
                    m.value.span,
                    &format!("{ptr}/Effect"),
                    "`Effect` must be `Allow` or `Deny`",
                ))
            }
        },
    };
    let principal = match one_of(members, "Principal", "NotPrincipal", node.span, ptr)? {
        None => None,
        Some((m, negated)) => Some(principal(m, negated, &format!("{ptr}/{}", m.key))?),
    };
    let action = match one_of(members, "Action", "NotAction", node.span, ptr)? {
        None => return Err(invalid(node.span, ptr, "missing `Action`; add `Action` or `NotAction`")),
        Some((m, negated)) => {
            let items = strings(&m.value, &format!("{ptr}/{}", m.key), &m.key)?;
            ActionBlock {
                negated,
                patterns: items
                    .into_iter()
                    .map(|l| Located { value: ActionPattern::new(&l.value), span: l.span })
                    .collect(),
                span: m.value.span,
            }
        }
    };
    let resource = match one_of(members, "Resource", "NotResource", node.span, ptr)? {
        None => None,
        Some((m, negated)) => {
            let items = strings(&m.value, &format!("{ptr}/{}", m.key), &m.key)?;
            Some(ResourceBlock {
                negated,
                patterns: items
                    .into_iter()
                    .map(|l| Located { value: Template::parse(&l.value, variables), span: l.span })
                    .collect(),
                span: m.value.span,
            })
        }
    };
    let conditions = match find(members, "Condition") {
        None => Vec::new(),
        Some(m) => conditions(&m.value, &format!("{ptr}/Condition"), variables)?,
    };
    Ok(Statement { index, sid, effect, principal, action, resource, conditions, span: node.span })
}

/// A string or an array of strings.
fn strings(node: &Node, ptr: &str, what: &str) -> Result<Vec<Located<String>>, PolicyError> {
    let one = |n: &Node, p: &str| match &n.value {
        NodeValue::String(s) => Ok(Located { value: s.clone(), span: n.span }),
        _ => Err(invalid(n.span, p, format!("`{what}` values must be strings, found {}", n.type_name()))),
    };
    match &node.value {
        NodeValue::Array(items) => {
            items.iter().enumerate().map(|(i, n)| one(n, &format!("{ptr}/{i}"))).collect()
        }
        _ => Ok(vec![one(node, ptr)?]),
    }
}

fn principal(m: &Member, negated: bool, ptr: &str) -> Result<PrincipalBlock, PolicyError> {
    let spec = match &m.value.value {
        NodeValue::String(s) if s == "*" => PrincipalSpec::Any,
        NodeValue::Object(entries) => {
            let mut out = Vec::with_capacity(entries.len());
            for e in unique(entries) {
                let kind = match e.key.as_str() {
                    "AWS" => PrincipalType::Aws,
                    "Service" => PrincipalType::Service,
                    "Federated" => PrincipalType::Federated,
                    "CanonicalUser" => PrincipalType::CanonicalUser,
                    other => PrincipalType::Other(other.to_string()),
                };
                let values = strings(&e.value, &format!("{ptr}/{}", e.key), &m.key)?;
                out.push(PrincipalEntry { kind, values });
            }
            PrincipalSpec::Typed(out)
        }
        _ => {
            return Err(invalid(
                m.value.span,
                ptr,
                format!(
                "`{}` must be `\"*\"` or an object such as {{\"AWS\": \"arn:aws:iam::111122223333:root\"}}",
                m.key
            ),
            ))
        }
    };
    Ok(PrincipalBlock { negated, spec, span: m.value.span })
}

fn conditions(node: &Node, ptr: &str, variables: bool) -> Result<Vec<Condition>, PolicyError> {
    let ops = node.as_object().ok_or_else(|| invalid(node.span, ptr, "`Condition` must be an object"))?;
    let mut out = Vec::new();
    for op in unique(ops) {
        let operator = Operator::parse(&op.key)
            .ok_or_else(|| invalid(op.key_span, ptr, format!("unknown condition operator `{}`", op.key)))?;
        let op_ptr = format!("{ptr}/{}", op.key);
        let keys = op.value.as_object().ok_or_else(|| {
            invalid(
                op.value.span,
                &op_ptr,
                format!("the value of `{}` must be an object of condition keys", op.key),
            )
        })?;
        for k in unique(keys) {
            let values = condition_values(&k.value, &format!("{op_ptr}/{}", k.key))?;
            out.push(Condition {
                operator,
                operator_source: op.key.clone(),
                operator_span: op.key_span,
                key: k.key.clone(),
                key_lower: k.key.to_ascii_lowercase(),
                key_span: k.key_span,
                values: values
                    .into_iter()
                    .map(|l| Located { value: Template::parse(&l.value, variables), span: l.span })
                    .collect(),
            });
        }
    }
    Ok(out)
}

/// Condition values: strings, numbers or booleans, single or in an array.
fn condition_values(node: &Node, ptr: &str) -> Result<Vec<Located<String>>, PolicyError> {
    let one = |n: &Node, p: &str| {
        let text = match &n.value {
            NodeValue::String(s) => s.clone(),
            NodeValue::Number(s) => s.clone(),
            NodeValue::Bool(b) => b.to_string(),
            _ => {
                return Err(invalid(
                    n.span,
                    p,
                    format!("condition values must be strings, numbers or booleans, found {}", n.type_name()),
                ))
            }
        };
        Ok(Located { value: text, span: n.span })
    };
    match &node.value {
        NodeValue::Array(items) => {
            items.iter().enumerate().map(|(i, n)| one(n, &format!("{ptr}/{i}"))).collect()
        }
        _ => Ok(vec![one(node, ptr)?]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_statement_object_and_strings() {
        let p = parse_policy(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
        )
        .unwrap();
        assert_eq!(p.statements.len(), 1);
        assert_eq!(p.statements[0].action.patterns.len(), 1);
        assert!(p.variables_enabled());
    }

    #[test]
    fn errors_point_at_the_element() {
        let e = parse_policy("{\"Statement\": [\n {\"Effect\": \"allow\", \"Action\": \"*\"}]}").unwrap_err();
        assert_eq!(
            e,
            PolicyError::InvalidPolicy {
                location: "2:13".into(),
                message: "`Effect` must be `Allow` or `Deny`".into()
            }
        );
        let e = parse_policy_value(&serde_json::json!({"Statement": [{"Effect": "Allow"}]})).unwrap_err();
        assert!(matches!(e, PolicyError::InvalidPolicy { ref location, .. } if location == "/Statement/0"));
        let e = parse_policy(
            r#"{"Statement":{"Effect":"Allow","Action":"*","Condition":{"StringEqual":{"a":"b"}}}}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("unknown condition operator `StringEqual`"));
    }

    #[test]
    fn duplicate_members_last_one_wins_like_serde_json() {
        let text = r#"{"Statement":{"Effect":"Deny","Effect":"Allow","Action":"*",
            "Condition":{"StringEquals":{"k":"a","k":"b"},"StringEquals":{"j":"c"}}}}"#;
        let from_text = parse_policy(text).unwrap();
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let from_value = parse_policy_value(&value).unwrap();
        for p in [&from_text, &from_value] {
            let s = &p.statements[0];
            assert_eq!(s.effect, Effect::Allow);
            assert_eq!(s.conditions.len(), 1);
            assert_eq!(s.conditions[0].key, "j");
        }
    }

    #[test]
    fn condition_values_accept_numbers_and_bools() {
        let p = parse_policy(
            r#"{"Statement":{"Effect":"Deny","Action":"*","Condition":{"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"s3:max-keys":[10, "20"]}}}}"#,
        )
        .unwrap();
        let c = &p.statements[0].conditions;
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].values[0].value.source(), "false");
        assert_eq!(c[1].values[0].value.source(), "10");
    }
}
