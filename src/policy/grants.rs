//! AWS KMS grants: a grant lets its grantee principal call the listed operations on one key,
//! optionally only with a given encryption context, without any policy naming the grantee.
//!
//! Read from the shape `kms list-grants` prints (`KeyId`, `GrantId`, `GranteePrincipal`,
//! `Operations`, `Constraints`). Only whether a grant covers a request is decided here; the
//! evaluation order (explicit deny and guardrails first) is in `evaluate.rs`.

use super::error::PolicyError;
use super::request::{Caller, PrincipalKind, Request};
use super::source::{Node, NodeValue};

/// A KMS grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub grant_id: Option<String>,
    /// Key ARN or key id the grant is for; `None` = the request's key.
    pub key_id: Option<String>,
    pub grantee_principal: String,
    /// Operation names, for example `Decrypt`, `GenerateDataKey`.
    pub operations: Vec<String>,
    /// `EncryptionContextSubset`: these pairs must be in the request's encryption context.
    pub context_subset: Option<Vec<(String, String)>>,
    /// `EncryptionContextEquals`: the request's encryption context must be exactly this.
    pub context_equals: Option<Vec<(String, String)>>,
}

const CONTEXT_PREFIX: &str = "kms:encryptioncontext:";

impl Grant {
    /// Whether the grant lets the caller make this request.
    pub fn covers(&self, req: &Request) -> bool {
        let Some(seg) = super::pattern::split_arn(&req.resource) else {
            return false;
        };
        if req.service() != "kms" || seg[2] != "kms" || !seg[5].starts_with("key/") {
            return false;
        }
        if let Some(k) = &self.key_id {
            let key_id = seg[5].get(4..).unwrap_or_default();
            if k != &req.resource && k != key_id {
                return false;
            }
        }
        let grantee = match &req.caller {
            Caller::Aws(p) => {
                p.arn == self.grantee_principal
                    || matches!(&p.kind, PrincipalKind::AssumedRole { role_arn } if *role_arn == self.grantee_principal)
            }
            Caller::Service(s) => s.eq_ignore_ascii_case(&self.grantee_principal),
            Caller::Anonymous => false,
        };
        if !grantee || !self.operations.iter().any(|o| o == req.action_name()) {
            return false;
        }
        let request_context: Vec<(String, &str)> = req
            .context
            .names()
            .filter_map(|n| {
                let lower = n.to_ascii_lowercase();
                let key = lower.strip_prefix(CONTEXT_PREFIX)?;
                let value = req.context.single(n)?;
                // Encryption context keys are case-sensitive; recover the spelling given.
                let original = n.get(n.len() - key.len()..).unwrap_or(key);
                Some((original.to_string(), value))
            })
            .collect();
        if let Some(subset) = &self.context_subset {
            let ok = subset.iter().all(|(k, v)| request_context.iter().any(|(rk, rv)| rk == k && rv == v));
            if !ok {
                return false;
            }
        }
        if let Some(equals) = &self.context_equals {
            let ok = equals.len() == request_context.len()
                && equals.iter().all(|(k, v)| request_context.iter().any(|(rk, rv)| rk == k && rv == v));
            if !ok {
                return false;
            }
        }
        true
    }

    /// A short name for traces.
    pub fn describe(&self) -> String {
        match &self.grant_id {
            Some(id) => format!("grant `{id}`"),
            None => format!("the grant to `{}`", self.grantee_principal),
        }
    }
}

fn err(path: &str, message: &str) -> PolicyError {
    PolicyError::InvalidRequest { message: format!("`{path}` {message}") }
}

fn pairs(node: &Node, path: &str) -> Result<Vec<(String, String)>, PolicyError> {
    let members =
        node.as_object().ok_or_else(|| err(path, "must be an object of encryption context pairs"))?;
    members
        .iter()
        .map(|m| {
            m.value
                .as_str()
                .map(|v| (m.key.clone(), v.to_string()))
                .ok_or_else(|| err(&format!("{path}.{}", m.key), "must be a string"))
        })
        .collect()
}

/// Reads one grant in the `ListGrants` shape.
pub fn read_grant(node: &Node, path: &str) -> Result<Grant, PolicyError> {
    if node.as_object().is_none() {
        return Err(err(path, "must be an object in the shape `kms list-grants` prints"));
    }
    let text = |key: &str| node.get(key).and_then(Node::as_str).map(str::to_string);
    let grantee_principal =
        text("GranteePrincipal").ok_or_else(|| err(path, "needs a `GranteePrincipal`"))?;
    let operations = match node.get("Operations").map(|n| &n.value) {
        Some(NodeValue::Array(items)) => items
            .iter()
            .map(|n| {
                n.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| err(&format!("{path}.Operations"), "must list strings"))
            })
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err(err(path, "needs `Operations`, an array of operation names")),
    };
    let (mut subset, mut equals) = (None, None);
    if let Some(c) = node.get("Constraints") {
        if let Some(s) = c.get("EncryptionContextSubset") {
            subset = Some(pairs(s, &format!("{path}.Constraints.EncryptionContextSubset"))?);
        }
        if let Some(e) = c.get("EncryptionContextEquals") {
            equals = Some(pairs(e, &format!("{path}.Constraints.EncryptionContextEquals"))?);
        }
    }
    Ok(Grant {
        grant_id: text("GrantId"),
        key_id: text("KeyId"),
        grantee_principal,
        operations,
        context_subset: subset,
        context_equals: equals,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::request::Context;
    use crate::policy::source::parse_json;

    fn request(principal: &str, action: &str, ctx: &[(&str, &str)]) -> Request {
        let mut context = Context::default();
        for (k, v) in ctx {
            context.insert(k, vec![v.to_string()], false);
        }
        Request {
            caller: Caller::classify(Some(principal)),
            action: action.into(),
            resource: "arn:aws:kms:us-east-1:111122223333:key/k1".into(),
            resource_account: "111122223333".into(),
            context,
        }
    }

    #[test]
    fn grant_matching() {
        let g = read_grant(
            &parse_json(
                r#"{"KeyId": "k1", "GrantId": "g1", "GranteePrincipal": "arn:aws:iam::444455556666:role/app",
                    "Operations": ["Decrypt", "GenerateDataKey"],
                    "Constraints": {"EncryptionContextSubset": {"Department": "IT"}}}"#,
            )
            .unwrap(),
            "grants[0]",
        )
        .unwrap();
        let session = "arn:aws:sts::444455556666:assumed-role/app/s";
        assert!(g.covers(&request(
            session,
            "kms:Decrypt",
            &[("kms:EncryptionContext:Department", "IT"), ("kms:EncryptionContext:x", "y")]
        )));
        assert!(!g.covers(&request(session, "kms:Decrypt", &[("kms:EncryptionContext:Department", "HR")])));
        assert!(!g.covers(&request(session, "kms:Decrypt", &[])));
        assert!(!g.covers(&request(session, "kms:Encrypt", &[("kms:EncryptionContext:Department", "IT")])));
        assert!(!g.covers(&request(
            "arn:aws:iam::444455556666:user/u",
            "kms:Decrypt",
            &[("kms:EncryptionContext:Department", "IT")]
        )));
        let mut eq = g.clone();
        eq.context_subset = None;
        eq.context_equals = Some(vec![("Department".into(), "IT".into())]);
        assert!(eq.covers(&request(session, "kms:Decrypt", &[("kms:EncryptionContext:Department", "IT")])));
        assert!(!eq.covers(&request(
            session,
            "kms:Decrypt",
            &[("kms:EncryptionContext:Department", "IT"), ("kms:EncryptionContext:x", "y")]
        )));
        assert!(read_grant(&parse_json(r#"{"Operations": []}"#).unwrap(), "g").is_err());
    }
}
