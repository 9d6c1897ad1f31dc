//! The request being authorised: who calls (typed from the principal ARN), what action on which
//! resource in which account, and the request context keys.
//!
//! This file only models and classifies the request; matching and evaluation live elsewhere.

use std::collections::HashMap;

/// Who makes the request, classified from the principal string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// An unsigned request.
    Anonymous,
    /// An AWS service principal such as `lambda.amazonaws.com`.
    Service(String),
    /// An IAM or STS principal ARN.
    Aws(AwsPrincipal),
}

/// An IAM/STS principal: its ARN, account and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsPrincipal {
    pub arn: String,
    pub account: String,
    pub kind: PrincipalKind,
}

/// The kind of IAM/STS principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalKind {
    /// `arn:aws:iam::ACCOUNT:root`.
    Root,
    /// `arn:aws:iam::ACCOUNT:user/...`.
    User,
    /// `arn:aws:iam::ACCOUNT:role/...` (used directly as the caller).
    Role,
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`; `role_arn` is the role's IAM ARN.
    AssumedRole { role_arn: String },
    /// `arn:aws:sts::ACCOUNT:federated-user/NAME`.
    FederatedUser,
    /// Any other ARN (for example a web-identity or SAML provider).
    Other,
}

impl Caller {
    /// Classifies a principal string (`None` = anonymous).
    pub fn classify(principal: Option<&str>) -> Caller {
        let Some(p) = principal else {
            return Caller::Anonymous;
        };
        let Some(seg) = super::pattern::split_arn(p) else {
            return Caller::Service(p.to_string());
        };
        let [_, partition, service, _, account, resource] = seg;
        let kind = match (service, resource) {
            ("iam", "root") => PrincipalKind::Root,
            ("iam", r) if r.starts_with("user/") => PrincipalKind::User,
            ("iam", r) if r.starts_with("role/") => PrincipalKind::Role,
            ("sts", r) if r.starts_with("assumed-role/") => {
                let rest = r.get("assumed-role/".len()..).unwrap_or_default();
                // STS session ARNs carry the role name without its path.
                let role = rest.split_once('/').map_or(rest, |(role, _)| role);
                PrincipalKind::AssumedRole { role_arn: format!("arn:{partition}:iam::{account}:role/{role}") }
            }
            ("sts", r) if r.starts_with("federated-user/") => PrincipalKind::FederatedUser,
            _ => PrincipalKind::Other,
        };
        Caller::Aws(AwsPrincipal { arn: p.to_string(), account: account.to_string(), kind })
    }

    /// The caller's account, when it has one.
    pub fn account(&self) -> Option<&str> {
        match self {
            Caller::Aws(p) => Some(&p.account),
            _ => None,
        }
    }
}

/// Request context keys. Names are case-insensitive; values are single or multivalued.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    entries: HashMap<String, ContextValue>,
}

/// A context value: the values and whether it was given as a list (a multivalued key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextValue {
    pub name: String,
    pub values: Vec<String>,
    pub multi: bool,
}

impl Context {
    /// Adds or replaces a key.
    pub fn insert(&mut self, name: &str, values: Vec<String>, multi: bool) {
        self.entries
            .insert(name.to_ascii_lowercase(), ContextValue { name: name.to_string(), values, multi });
    }

    /// Looks a key up, ignoring case.
    pub fn get(&self, name: &str) -> Option<&ContextValue> {
        if let Some(v) = self.entries.get(name) {
            return Some(v);
        }
        self.entries.get(&name.to_ascii_lowercase())
    }

    /// The value of a single-valued key.
    pub fn single(&self, name: &str) -> Option<&str> {
        let v = self.get(name)?;
        match v.values.as_slice() {
            [one] if !v.multi => Some(one),
            _ => None,
        }
    }

    /// The key names as given.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.values().map(|v| v.name.as_str())
    }
}

/// One authorisation request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub caller: Caller,
    /// `service:Action` as called.
    pub action: String,
    /// One concrete resource ARN, or `*` for actions without resource-level permissions.
    pub resource: String,
    /// The account that owns the resource.
    pub resource_account: String,
    pub context: Context,
}

impl Request {
    /// A request with an empty context; `principal` `None` is an anonymous caller.
    pub fn new(principal: Option<&str>, action: &str, resource: &str, resource_account: &str) -> Request {
        Request {
            caller: Caller::classify(principal),
            action: action.to_string(),
            resource: resource.to_string(),
            resource_account: resource_account.to_string(),
            context: Context::default(),
        }
    }

    /// Adds a single-valued context key.
    pub fn with_context(mut self, key: &str, value: &str) -> Request {
        self.context.insert(key, vec![value.to_string()], false);
        self
    }

    /// Adds a multivalued context key (such as `aws:TagKeys`).
    pub fn with_context_values(mut self, key: &str, values: &[&str]) -> Request {
        self.context.insert(key, values.iter().map(|v| v.to_string()).collect(), true);
        self
    }

    /// Fills the global keys AWS derives from the caller and the resource, where the context
    /// does not already give them: `aws:PrincipalArn` (the role ARN for a role session),
    /// `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:username` (IAM users),
    /// `aws:PrincipalIsAWSService` and `aws:ResourceAccount`. Opt-in: the conformance vectors
    /// treat the context as complete.
    pub fn with_derived_keys(mut self) -> Request {
        let mut add = |k: &str, v: String| {
            if self.context.get(k).is_none() {
                self.context.insert(k, vec![v], false);
            }
        };
        match &self.caller {
            Caller::Aws(p) => {
                let arn = match &p.kind {
                    PrincipalKind::AssumedRole { role_arn } => role_arn.clone(),
                    _ => p.arn.clone(),
                };
                let kind = match p.kind {
                    PrincipalKind::Root => "Account",
                    PrincipalKind::User => "User",
                    PrincipalKind::FederatedUser => "FederatedUser",
                    PrincipalKind::AssumedRole { .. } | PrincipalKind::Role => "AssumedRole",
                    PrincipalKind::Other => "WebIdentityUser",
                };
                add("aws:PrincipalArn", arn);
                add("aws:PrincipalAccount", p.account.clone());
                add("aws:PrincipalType", kind.to_string());
                add("aws:PrincipalIsAWSService", "false".to_string());
                if p.kind == PrincipalKind::User {
                    let name = p.arn.rsplit('/').next().unwrap_or_default();
                    add("aws:username", name.to_string());
                }
            }
            Caller::Service(s) => {
                add("aws:PrincipalIsAWSService", "true".to_string());
                add("aws:PrincipalServiceName", s.clone());
            }
            Caller::Anonymous => add("aws:PrincipalType", "Anonymous".to_string()),
        }
        let account = self.resource_account.clone();
        if !account.is_empty() {
            add("aws:ResourceAccount", account);
        }
        self
    }

    /// Same account: the caller's account owns the resource.
    pub fn same_account(&self) -> bool {
        self.caller.account() == Some(self.resource_account.as_str())
    }

    /// The service prefix of the action, lower-cased.
    pub fn service(&self) -> String {
        self.action.split_once(':').map_or("", |(s, _)| s).to_ascii_lowercase()
    }

    /// The action name after the service prefix.
    pub fn action_name(&self) -> &str {
        self.action.split_once(':').map_or("", |(_, a)| a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_principals() {
        let c = Caller::classify(Some("arn:aws:sts::123:assumed-role/r/s"));
        match c {
            Caller::Aws(p) => {
                assert_eq!(p.account, "123");
                assert_eq!(p.kind, PrincipalKind::AssumedRole { role_arn: "arn:aws:iam::123:role/r".into() });
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            Caller::classify(Some("lambda.amazonaws.com")),
            Caller::Service("lambda.amazonaws.com".into())
        );
        assert_eq!(Caller::classify(None), Caller::Anonymous);
    }

    #[test]
    fn derived_keys_fill_only_what_is_missing() {
        let r = Request::new(
            Some("arn:aws:sts::123456789012:assumed-role/app/s1"),
            "s3:GetObject",
            "arn:aws:s3:::b/k",
            "123456789012",
        )
        .with_context("aws:PrincipalAccount", "given")
        .with_derived_keys();
        assert_eq!(r.context.single("aws:PrincipalArn"), Some("arn:aws:iam::123456789012:role/app"));
        assert_eq!(r.context.single("aws:PrincipalAccount"), Some("given"));
        assert_eq!(r.context.single("aws:PrincipalType"), Some("AssumedRole"));
        assert_eq!(r.context.single("aws:username"), None);
        let u = Request::new(
            Some("arn:aws:iam::123456789012:user/path/alice"),
            "s3:GetObject",
            "*",
            "123456789012",
        )
        .with_derived_keys();
        assert_eq!(u.context.single("aws:username"), Some("alice"));
        assert_eq!(u.context.single("aws:ResourceAccount"), Some("123456789012"));
    }

    #[test]
    fn context_ignores_case() {
        let mut c = Context::default();
        c.insert("aws:SourceIp", vec!["1.2.3.4".into()], false);
        assert_eq!(c.single("AWS:sourceip"), Some("1.2.3.4"));
        c.insert("aws:TagKeys", vec!["a".into()], true);
        assert_eq!(c.single("aws:tagkeys"), None);
        assert_eq!(c.get("aws:tagkeys").unwrap().values.len(), 1);
    }
}
