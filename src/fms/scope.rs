//! Whether a resource is in a policy's scope, and every reason it is not: resource type, region
//! (CloudFront only for the global policy in us-east-1), accounts (`IncludeMap` wins over
//! `ExcludeMap`; an OU stands for every account in it and in its child OUs), resource sets, and
//! resource tags (all tags must match with `AND`, one with `OR`; a tag matches only with the same
//! key and the same value, `""` included). From the FMS API reference (`API_Policy`,
//! `API_ResourceTag`) and the developer guide's "Firewall Manager policy scope".

use super::org::{Account, Org, Resource};
use super::policy::{Policy, ScopeMap};

/// Why a resource is out of a policy's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutOfScope {
    /// The policy does not protect the resource's type.
    ResourceType,
    /// The resource is in another region than the policy.
    Region,
    /// `IncludeMap` is set and names neither the account nor an OU above it.
    AccountNotIncluded,
    /// `ExcludeMap` names the account or an OU above it.
    AccountExcluded,
    /// `ResourceSetIds` is set and no named set holds the resource.
    NotInResourceSet,
    /// `ResourceTags` with `ExcludeResourceTags: false` and the resource lacks them.
    TagsMissing,
    /// `ResourceTags` with `ExcludeResourceTags: true` and the resource has them.
    TagsExcluded,
}

impl OutOfScope {
    /// A stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::ResourceType => "RESOURCE_TYPE",
            Self::Region => "REGION",
            Self::AccountNotIncluded => "ACCOUNT_NOT_INCLUDED",
            Self::AccountExcluded => "ACCOUNT_EXCLUDED",
            Self::NotInResourceSet => "NOT_IN_RESOURCE_SET",
            Self::TagsMissing => "TAGS_MISSING",
            Self::TagsExcluded => "TAGS_EXCLUDED",
        }
    }
}

/// One reason with its explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The kind.
    pub kind: OutOfScope,
    /// What, in words.
    pub message: String,
}

/// Every reason `resource` (of `account`) is out of `policy`'s scope; empty means in scope.
pub fn check(org: &Org, policy: &Policy, account: &Account, resource: &Resource) -> Vec<Reason> {
    let mut out = Vec::new();
    let mut add = |kind, message: String| out.push(Reason { kind, message });
    if !policy.kinds.iter().any(|k| k.cfn == resource.kind.cfn) {
        let names: Vec<&str> = policy.kinds.iter().map(|k| k.cfn).collect();
        add(
            OutOfScope::ResourceType,
            format!("the policy protects {}, not {}", names.join(", "), resource.kind.cfn),
        );
    }
    let region_ok = if resource.kind.is_global() {
        policy.region == "us-east-1"
    } else {
        resource.region == policy.region
    };
    if !region_ok {
        let theirs =
            if resource.kind.is_global() { "global (us-east-1)".to_owned() } else { resource.region.clone() };
        add(OutOfScope::Region, format!("the policy is in {}, the resource in {theirs}", policy.region));
    }
    match (&policy.include, &policy.exclude) {
        (Some(inc), _) => {
            if matched(inc, account).is_none() {
                add(
                    OutOfScope::AccountNotIncluded,
                    format!("`IncludeMap` names neither account {} nor an OU above it", account.id),
                );
            }
        }
        (None, Some(exc)) => {
            if let Some(by) = matched(exc, account) {
                add(OutOfScope::AccountExcluded, format!("`ExcludeMap` names {by}"));
            }
        }
        (None, None) => {}
    }
    if !policy.resource_sets.is_empty() {
        let member = org
            .resource_sets
            .iter()
            .filter(|s| policy.resource_sets.contains(&s.id))
            .any(|s| s.resources.contains(&resource.arn));
        if !member {
            add(
                OutOfScope::NotInResourceSet,
                format!("no resource set of the policy ({}) holds it", policy.resource_sets.join(", ")),
            );
        }
    }
    if !policy.tags.is_empty() {
        let has = |(k, v): &(String, String)| resource.tags.get(k) == Some(v);
        let matches = if policy.tags_or { policy.tags.iter().any(has) } else { policy.tags.iter().all(has) };
        let shown: Vec<String> = policy.tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let op = if policy.tags_or { "one of" } else { "all of" };
        if policy.exclude_tags && matches {
            add(OutOfScope::TagsExcluded, format!("it has {op} the excluded tags {}", shown.join(", ")));
        } else if !policy.exclude_tags && !matches {
            add(OutOfScope::TagsMissing, format!("it lacks {op} the tags {}", shown.join(", ")));
        }
    }
    out
}

/// What in `map` names `account`: the account itself, or an OU (or root) on its path.
fn matched(map: &ScopeMap, account: &Account) -> Option<String> {
    if map.accounts.contains(&account.id) {
        return Some(format!("account {}", account.id));
    }
    account.path.iter().find(|u| map.units.contains(u)).map(|u| format!("{u}, above account {}", account.id))
}
