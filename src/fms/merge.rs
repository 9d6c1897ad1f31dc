//! The web ACL a resource ends up with, as AWS WAF JSON the WAF engine reads: for a Firewall
//! Manager web ACL (`FMManagedWebACLV2-<policy>-<timestamp>`) the policy's first rule groups,
//! then the rules the account's managers added, then the policy's last rule groups; for a
//! retrofitted web ACL the same around the account's own rules; otherwise the account's own web
//! ACL unchanged. "Within each of these sets of rules, AWS WAF evaluates rules and rule groups
//! as usual, according to their priority settings within the set" (developer guide, "Rule group
//! management for AWS WAF policies"): here each set keeps its order and the merged priorities
//! are renumbered 0, 1, 2, ... across the three sets.
//!
//! Rule names: AWS names the first and last rule groups `PREFMManaged-<policy>-<timestamp>` and
//! `POSTFMManaged-…`; with several groups in a set the playground appends `-<n>` from the second
//! on (AWS does not document how it tells them apart).

use serde_json::{json, Map, Value};

use super::error::FmsError;
use super::org::{Account, Org, Resource};
use super::policy::{FmsRuleGroup, GroupRef, Policy};
use super::reader::child;

/// Which set of the merged web ACL a rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSet {
    /// The policy's first rule groups.
    First,
    /// The account's rules.
    Account,
    /// The policy's last rule groups.
    Last,
}

impl RuleSet {
    /// `first`, `account` or `last`.
    pub fn name(self) -> &'static str {
        match self {
            Self::First => "first",
            Self::Account => "account",
            Self::Last => "last",
        }
    }
}

/// One rule of the merged web ACL and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleOrigin {
    /// Rule name in the merged web ACL.
    pub name: String,
    /// Its set.
    pub set: RuleSet,
    /// Priority in the merged web ACL.
    pub priority: usize,
    /// The rule group it runs (first/last sets), or `None`.
    pub group: Option<String>,
    /// JSON pointer of its source in the organisation or policy document.
    pub source: String,
}

/// A built web ACL: AWS JSON, its WAF resources, and each rule's origin.
#[derive(Debug, Clone)]
pub struct Built {
    /// The `WebACL`.
    pub web_acl: Value,
    /// `{ruleGroups, ipSets, regexPatternSets}` for the WAF engine.
    pub resources: Value,
    /// Rules in evaluation order.
    pub rules: Vec<RuleOrigin>,
}

/// Keeps `[\w-]` and turns anything else into `-` (AWS WAF names are `^[\w\-]+$`).
fn entity(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '-' }).collect()
}

/// `FMManagedWebACLV2-<policy>-<timestamp>`, at most 128 characters.
pub fn managed_name(policy: &Policy, epoch_ms: u64) -> String {
    let ts = epoch_ms.to_string();
    let room = 128usize.saturating_sub("FMManagedWebACLV2-".len() + 1 + ts.len());
    let p: String = entity(&policy.name).chars().take(room).collect();
    format!("FMManagedWebACLV2-{p}-{ts}")
}

fn group_rule_name(prefix: &str, policy: &Policy, epoch_ms: u64, n: usize) -> String {
    let ts = epoch_ms.to_string();
    let suffix = if n == 0 { String::new() } else { format!("-{}", n + 1) };
    let room = 128usize.saturating_sub(prefix.len() + 1 + ts.len() + suffix.len());
    let p: String = entity(&policy.name).chars().take(room).collect();
    format!("{prefix}{p}-{ts}{suffix}")
}

fn visibility(name: &str) -> Value {
    let metric: String = name.chars().take(128).collect();
    json!({"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": metric})
}

/// A first/last group as a web ACL rule.
fn group_rule(g: &FmsRuleGroup, name: &str, priority: usize) -> Value {
    let excluded: Vec<Value> = g.excluded.iter().map(|n| json!({"Name": n})).collect();
    let overrides: Vec<Value> =
        g.overrides.iter().map(|(n, a)| json!({"Name": n, "ActionToUse": {a.as_str(): {}}})).collect();
    let mut stmt = Map::new();
    let statement = match &g.group {
        GroupRef::Managed { vendor, name, version } => {
            stmt.insert("VendorName".into(), json!(vendor));
            stmt.insert("Name".into(), json!(name));
            if let Some(v) = version {
                stmt.insert("Version".into(), json!(v));
            }
            if !excluded.is_empty() {
                stmt.insert("ExcludedRules".into(), Value::Array(excluded));
            }
            if !overrides.is_empty() {
                stmt.insert("RuleActionOverrides".into(), Value::Array(overrides));
            }
            json!({"ManagedRuleGroupStatement": stmt})
        }
        GroupRef::Own { arn } => {
            stmt.insert("ARN".into(), json!(arn));
            if !excluded.is_empty() {
                stmt.insert("ExcludedRules".into(), Value::Array(excluded));
            }
            if !overrides.is_empty() {
                stmt.insert("RuleActionOverrides".into(), Value::Array(overrides));
            }
            json!({"RuleGroupReferenceStatement": stmt})
        }
    };
    let override_action = if g.count { json!({"Count": {}}) } else { json!({"None": {}}) };
    json!({
        "Name": name,
        "Priority": priority,
        "Statement": statement,
        "OverrideAction": override_action,
        "VisibilityConfig": visibility(name),
    })
}

/// An account's rules sorted by their `Priority`, each with its source pointer.
fn sorted_rules(rules: &[Value], pointer: &str) -> Result<Vec<(Value, String)>, FmsError> {
    let mut list = Vec::with_capacity(rules.len());
    for (i, r) in rules.iter().enumerate() {
        let p = child(pointer, &i.to_string());
        let prio = r
            .get("Priority")
            .and_then(Value::as_i64)
            .ok_or_else(|| FmsError::MissingField { pointer: p.clone(), name: "Priority".to_owned() })?;
        list.push((prio, r.clone(), p));
    }
    list.sort_by_key(|(prio, _, _)| *prio);
    Ok(list.into_iter().map(|(_, r, p)| (r, p)).collect())
}

fn policy_source(policy: &Policy, set: &str, i: usize) -> String {
    format!("{}/SecurityServicePolicyData/ManagedServiceData#{set}/{i}", policy.pointer)
}

/// The WAF resources the account's and the administrator's rules reference.
fn waf_resources(org: &Org, account: &Account) -> Value {
    let join = |a: &[Value], b: &[Value]| -> Value { Value::Array(a.iter().chain(b).cloned().collect()) };
    json!({
        "ruleGroups": join(&org.admin_waf.rule_groups, &account.waf_resources.rule_groups),
        "ipSets": join(&org.admin_waf.ip_sets, &account.waf_resources.ip_sets),
        "regexPatternSets": join(&org.admin_waf.regex_pattern_sets, &account.waf_resources.regex_pattern_sets),
    })
}

/// The account's own web ACL (the inner `WebACL` of `get-web-acl` output), unchanged.
pub fn own(org: &Org, account: &Account, name: &str) -> Option<Built> {
    let (index, doc) = account.web_acl(name)?;
    let acl = doc.get("WebACL").unwrap_or(doc).clone();
    let src = format!("{}/WebACLs/{index}", account.pointer);
    let mut rules = Vec::new();
    if let Some(list) = acl.get("Rules").and_then(Value::as_array) {
        let mut named: Vec<(i64, String)> = list
            .iter()
            .map(|r| {
                let prio = r.get("Priority").and_then(Value::as_i64).unwrap_or(0);
                let name = r.get("Name").and_then(Value::as_str).unwrap_or("").to_owned();
                (prio, name)
            })
            .collect();
        named.sort_by_key(|(p, _)| *p);
        for (i, (_, n)) in named.into_iter().enumerate() {
            rules.push(RuleOrigin {
                name: n,
                set: RuleSet::Account,
                priority: i,
                group: None,
                source: src.clone(),
            });
        }
    }
    Some(Built { web_acl: acl, resources: waf_resources(org, account), rules })
}

/// The Firewall Manager web ACL of `policy` in `account` (or the account's own web ACL
/// `retrofit` retrofitted), for `resource`.
pub fn managed(
    org: &Org,
    policy: &Policy,
    policy_index: usize,
    account: &Account,
    resource: &Resource,
    retrofit: Option<&str>,
    epoch_ms: u64,
) -> Result<Built, FmsError> {
    let mut origins = Vec::new();
    let mut rules = Vec::new();
    for (i, g) in policy.waf.pre.iter().enumerate() {
        let name = group_rule_name("PREFMManaged-", policy, epoch_ms, i);
        rules.push(group_rule(g, &name, rules.len()));
        origins.push(RuleOrigin {
            name,
            set: RuleSet::First,
            priority: origins.len(),
            group: Some(g.display_name()),
            source: policy_source(policy, "preProcessRuleGroups", i),
        });
    }
    let (mut base, account_rules) = match retrofit {
        Some(name) => {
            let (index, doc) = account.web_acl(name).ok_or_else(|| {
                FmsError::invalid(&resource.pointer, format!("the account has no web ACL named `{name}`"))
            })?;
            let acl = doc.get("WebACL").unwrap_or(doc).clone();
            let list = acl.get("Rules").and_then(Value::as_array).cloned().unwrap_or_default();
            let src = format!("{}/WebACLs/{index}/Rules", account.pointer);
            (acl, sorted_rules(&list, &src)?)
        }
        None => {
            let name = managed_name(policy, epoch_ms);
            let scope = if resource.kind.is_global() { "global" } else { "regional" };
            let region = if resource.kind.is_global() { "us-east-1" } else { resource.region.as_str() };
            let id = format!(
                "f0000000-0000-4000-8000-{:06x}{:06x}",
                policy_index % 0x100_0000,
                resource.account % 0x100_0000
            );
            let default = if policy.waf.default_block { json!({"Block": {}}) } else { json!({"Allow": {}}) };
            let acl = json!({
                "Name": name,
                "Id": id,
                "ARN": format!("arn:aws:wafv2:{region}:{}:{scope}/webacl/{name}/{id}", account.id),
                "DefaultAction": default,
                "VisibilityConfig": visibility(&name),
                "ManagedByFirewallManager": true,
            });
            let list = account.managed_rules.get(&policy.name).cloned().unwrap_or_default();
            let src = child(&format!("{}/ManagedWebACLRules", account.pointer), &policy.name);
            (acl, sorted_rules(&list, &src)?)
        }
    };
    for (mut r, src) in account_rules {
        let name = r.get("Name").and_then(Value::as_str).unwrap_or("").to_owned();
        if let Some(o) = r.as_object_mut() {
            o.insert("Priority".into(), json!(rules.len()));
        }
        rules.push(r);
        origins.push(RuleOrigin {
            name,
            set: RuleSet::Account,
            priority: origins.len(),
            group: None,
            source: src,
        });
    }
    for (i, g) in policy.waf.post.iter().enumerate() {
        let name = group_rule_name("POSTFMManaged-", policy, epoch_ms, i);
        rules.push(group_rule(g, &name, rules.len()));
        origins.push(RuleOrigin {
            name,
            set: RuleSet::Last,
            priority: origins.len(),
            group: Some(g.display_name()),
            source: policy_source(policy, "postProcessRuleGroups", i),
        });
    }
    if let Some(o) = base.as_object_mut() {
        o.insert("Rules".into(), Value::Array(rules));
        if retrofit.is_some() {
            o.insert("RetrofittedByFirewallManager".into(), json!(true));
        }
    }
    Ok(Built { web_acl: base, resources: waf_resources(org, account), rules: origins })
}
