//! Matching a `Principal` / `NotPrincipal` element against the caller.
//!
//! The result says *how* the caller was named, because evaluation treats the cases differently:
//! an account (`123456789012` or `arn:aws:iam::123456789012:root`) delegates to that account's
//! IAM policies; the exact user or session ARN is a direct grant that a permissions boundary or
//! session policy does not limit; a role ARN covers that role's sessions.

use super::document::{PrincipalBlock, PrincipalSpec, PrincipalType};
use super::request::{Caller, PrincipalKind};

/// How a principal element named the caller, from weakest to strongest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PrincipalMatch {
    /// The caller is not named.
    None,
    /// The caller's account is named: delegation to that account's IAM policies.
    Account,
    /// `"*"`, `{"AWS": "*"}`, or a `NotPrincipal` that does not list the caller.
    Everyone,
    /// A service principal or federated provider equal to the caller.
    Service,
    /// The role ARN of the caller's role session (or the role itself).
    Role,
    /// The caller's own ARN (user, session, federated user, root).
    Exact,
}

impl PrincipalMatch {
    /// A short description for traces.
    pub fn describe(self) -> &'static str {
        match self {
            PrincipalMatch::None => "does not name the caller",
            PrincipalMatch::Account => "names the caller's account",
            PrincipalMatch::Everyone => "applies to every principal",
            PrincipalMatch::Service => "names the calling service",
            PrincipalMatch::Role => "names the caller's role",
            PrincipalMatch::Exact => "names the caller's ARN",
        }
    }
}

/// Matches one principal value of a given type.
fn match_value(kind: &PrincipalType, value: &str, caller: &Caller) -> PrincipalMatch {
    match kind {
        PrincipalType::Aws => match caller {
            _ if value == "*" => PrincipalMatch::Everyone,
            Caller::Aws(p) => {
                if value == p.arn {
                    return PrincipalMatch::Exact;
                }
                if let PrincipalKind::AssumedRole { role_arn } = &p.kind {
                    if value == role_arn {
                        return PrincipalMatch::Role;
                    }
                }
                if account_of(value) == Some(p.account.as_str()) {
                    PrincipalMatch::Account
                } else {
                    PrincipalMatch::None
                }
            }
            _ => PrincipalMatch::None,
        },
        PrincipalType::Service | PrincipalType::Federated => match caller {
            _ if value == "*" => PrincipalMatch::Everyone,
            Caller::Service(s) if s.eq_ignore_ascii_case(value) => PrincipalMatch::Service,
            Caller::Aws(p) if p.arn == value => PrincipalMatch::Service,
            _ => PrincipalMatch::None,
        },
        PrincipalType::CanonicalUser => match caller {
            _ if value == "*" => PrincipalMatch::Everyone,
            Caller::Service(s) if s == value => PrincipalMatch::Exact,
            _ => PrincipalMatch::None,
        },
        PrincipalType::Other(_) => PrincipalMatch::None,
    }
}

/// The account an AWS principal value stands for when it names a whole account.
fn account_of(value: &str) -> Option<&str> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value);
    }
    let seg = super::pattern::split_arn(value)?;
    match seg {
        [_, _, "iam", "", account, "root"] => Some(account),
        _ => None,
    }
}

/// How a `Principal` element names the caller (the strongest of its values).
pub fn match_principal(spec: &PrincipalSpec, caller: &Caller) -> PrincipalMatch {
    match spec {
        PrincipalSpec::Any => PrincipalMatch::Everyone,
        PrincipalSpec::Typed(entries) => entries
            .iter()
            .flat_map(|e| e.values.iter().map(move |v| match_value(&e.kind, &v.value, caller)))
            .max()
            .unwrap_or(PrincipalMatch::None),
    }
}

/// Applies a `Principal` or `NotPrincipal` block. A `NotPrincipal` statement applies to callers
/// it does not list, reported as [`PrincipalMatch::Everyone`].
pub fn match_block(block: &PrincipalBlock, caller: &Caller) -> PrincipalMatch {
    let m = match_principal(&block.spec, caller);
    if block.negated {
        if m == PrincipalMatch::None {
            PrincipalMatch::Everyone
        } else {
            PrincipalMatch::None
        }
    } else {
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse::parse_policy;

    fn block(p: &str) -> PrincipalBlock {
        let text = format!(r#"{{"Statement":{{"Effect":"Allow","Action":"*",{p}}}}}"#);
        parse_policy(&text).unwrap().statements[0].principal.clone().unwrap()
    }

    #[test]
    fn kinds_of_match() {
        let session = Caller::classify(Some("arn:aws:sts::123456789012:assumed-role/r/s"));
        let user = Caller::classify(Some("arn:aws:iam::123456789012:user/u"));
        let anon = Caller::classify(None);
        let b = block(r#""Principal":{"AWS":"arn:aws:iam::123456789012:role/r"}"#);
        assert_eq!(match_block(&b, &session), PrincipalMatch::Role);
        assert_eq!(match_block(&b, &user), PrincipalMatch::None);
        let b = block(r#""Principal":{"AWS":["123456789012"]}"#);
        assert_eq!(match_block(&b, &user), PrincipalMatch::Account);
        let b = block(
            r#""Principal":{"AWS":["arn:aws:iam::123456789012:root","arn:aws:iam::123456789012:user/u"]}"#,
        );
        assert_eq!(match_block(&b, &user), PrincipalMatch::Exact);
        let b = block(r#""Principal":"*""#);
        assert_eq!(match_block(&b, &anon), PrincipalMatch::Everyone);
        let b = block(r#""NotPrincipal":"*""#);
        assert_eq!(match_block(&b, &anon), PrincipalMatch::None);
        let b = block(r#""NotPrincipal":{"AWS":"arn:aws:iam::123456789012:user/u"}"#);
        assert_eq!(match_block(&b, &anon), PrincipalMatch::Everyone);
        assert_eq!(match_block(&b, &user), PrincipalMatch::None);
        let svc = Caller::classify(Some("lambda.amazonaws.com"));
        let b = block(r#""Principal":{"Service":["lambda.amazonaws.com"]}"#);
        assert_eq!(match_block(&b, &svc), PrincipalMatch::Service);
        assert_eq!(match_block(&b, &user), PrincipalMatch::None);
    }
}
