//! The simulated organisation: a root, nested organizational units, accounts, and the resources
//! an AWS WAF policy can protect (ALBs, API Gateway REST stages, CloudFront distributions,
//! AppSync APIs, Cognito user pools, ...), with their regions, tags, the account's own web ACLs
//! and the moment each account joined and each resource appeared on the simulated clock.
//!
//! The document shape is the playground's (AWS has no single "describe my organisation"
//! output); its members use AWS's names (`Id`, `Name`, `Arn`, `Tags: [{Key, Value}]`, web ACLs
//! as `wafv2 get-web-acl` prints them). Everything is bounded before it is stored: at most
//! [`MAX_ACCOUNTS`] accounts, [`MAX_RESOURCES`] resources, OUs nested at most [`MAX_OU_DEPTH`]
//! deep (the AWS Organizations quota). No scope or compliance logic here (see `scope`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::error::FmsError;
use super::reader::{
    as_array, as_str, check_account_id, check_fms_name, check_len, check_ou_id, check_tag, Obj,
};

/// At most this many accounts (the playground's bound).
pub const MAX_ACCOUNTS: usize = 1000;
/// At most this many resources across the organisation (the playground's bound).
pub const MAX_RESOURCES: usize = 5000;
/// OUs nest at most five levels below the root (AWS Organizations quota "OU maximum nesting in
/// a root: five levels of OUs deep under a root").
pub const MAX_OU_DEPTH: usize = 5;
/// At most this many OUs (the playground's bound; AWS's quota is 2,000).
pub const MAX_OUS: usize = 2000;
/// At most this many tags on a resource (AWS's per-resource tag quota).
pub const MAX_TAGS: usize = 50;
/// At most this many web ACLs, rule groups, IP sets or regex pattern sets per list.
pub const MAX_WAF_DOCS: usize = 100;

/// A resource type an AWS WAF policy can protect: the CloudFormation name, the WAF
/// `AssociatedResourceType`-style name the WAF engine takes, the ARN service, and whether it is
/// global (CloudFront).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceKind {
    /// `AWS::ElasticLoadBalancingV2::LoadBalancer`, ...
    pub cfn: &'static str,
    /// What the WAF engine's `resourceType` option calls it.
    pub waf: &'static str,
    /// The ARN's service.
    pub service: &'static str,
    /// A short name for tables.
    pub short: &'static str,
}

/// The resource types of AWS WAF policies.
pub const KINDS: &[ResourceKind] = &[
    ResourceKind {
        cfn: "AWS::ElasticLoadBalancingV2::LoadBalancer",
        waf: "APPLICATION_LOAD_BALANCER",
        service: "elasticloadbalancing",
        short: "ALB",
    },
    ResourceKind {
        cfn: "AWS::ApiGateway::Stage",
        waf: "API_GATEWAY",
        service: "apigateway",
        short: "API Gateway stage",
    },
    ResourceKind {
        cfn: "AWS::CloudFront::Distribution",
        waf: "CLOUDFRONT",
        service: "cloudfront",
        short: "CloudFront distribution",
    },
    ResourceKind {
        cfn: "AWS::AppSync::GraphQLApi",
        waf: "APPSYNC",
        service: "appsync",
        short: "AppSync API",
    },
    ResourceKind {
        cfn: "AWS::Cognito::UserPool",
        waf: "COGNITO_USER_POOL",
        service: "cognito-idp",
        short: "Cognito user pool",
    },
    ResourceKind {
        cfn: "AWS::AppRunner::Service",
        waf: "APP_RUNNER_SERVICE",
        service: "apprunner",
        short: "App Runner service",
    },
    ResourceKind {
        cfn: "AWS::EC2::VerifiedAccessInstance",
        waf: "VERIFIED_ACCESS_INSTANCE",
        service: "ec2",
        short: "Verified Access instance",
    },
];

impl ResourceKind {
    /// The kind of a CloudFormation type name.
    pub fn from_cfn(name: &str) -> Option<&'static ResourceKind> {
        KINDS.iter().find(|k| k.cfn == name)
    }

    /// Whether resources of this kind are global (CloudFront: web ACLs in us-east-1).
    pub fn is_global(&self) -> bool {
        self.waf == "CLOUDFRONT"
    }
}

/// A protected resource.
#[derive(Debug, Clone)]
pub struct Resource {
    /// `Arn`.
    pub arn: String,
    /// `Type` (or derived from the ARN's service).
    pub kind: &'static ResourceKind,
    /// The region from the ARN (`global` for CloudFront).
    pub region: String,
    /// `Tags` as key → value (a missing value is the empty string).
    pub tags: BTreeMap<String, String>,
    /// `WebACL`: the name of one of the account's own web ACLs it is associated with.
    pub web_acl: Option<String>,
    /// `CreatedAt`: seconds on the simulated clock.
    pub created_at: u64,
    /// Index of the owning account in [`Org::accounts`].
    pub account: usize,
    /// JSON pointer of the resource.
    pub pointer: String,
}

/// An account.
#[derive(Debug, Clone)]
pub struct Account {
    /// `Id` (twelve digits).
    pub id: String,
    /// `Name`.
    pub name: String,
    /// The root and OU IDs above the account, root first.
    pub path: Vec<String>,
    /// `JoinedAt`: seconds on the simulated clock.
    pub joined_at: u64,
    /// `WebACLs`: the account's own web ACLs (AWS JSON) with their names, in document order.
    pub web_acls: Vec<(String, Value)>,
    /// `RuleGroups`, `IPSets`, `RegexPatternSets` (AWS JSON) the account's rules reference.
    pub waf_resources: WafResources,
    /// `ManagedWebACLRules`: rules the account's managers added to a Firewall Manager web ACL,
    /// by policy name (WAF `Rule` JSON).
    pub managed_rules: BTreeMap<String, Vec<Value>>,
    /// JSON pointer of the account.
    pub pointer: String,
}

/// WAF documents referenced by rules (AWS JSON, as `get-rule-group`, `get-ip-set`,
/// `get-regex-pattern-set` print them).
#[derive(Debug, Clone, Default)]
pub struct WafResources {
    /// Rule groups.
    pub rule_groups: Vec<Value>,
    /// IP sets.
    pub ip_sets: Vec<Value>,
    /// Regex pattern sets.
    pub regex_pattern_sets: Vec<Value>,
}

/// An organizational unit (or the root).
#[derive(Debug, Clone)]
pub struct OrgUnit {
    /// `Id`.
    pub id: String,
    /// `Name`.
    pub name: String,
    /// Parent OU ID (`None` for the root).
    pub parent: Option<String>,
    /// Depth below the root (root = 0).
    pub depth: usize,
}

/// A Firewall Manager resource set (`ResourceSet` plus its members).
#[derive(Debug, Clone)]
pub struct ResourceSet {
    /// `Id`.
    pub id: String,
    /// `Name`.
    pub name: String,
    /// `ResourceTypeList`.
    pub types: Vec<String>,
    /// `Resources`: member ARNs.
    pub resources: BTreeSet<String>,
}

/// The organisation.
#[derive(Debug, Clone, Default)]
pub struct Org {
    /// The root and every OU, in document order.
    pub units: Vec<OrgUnit>,
    /// Accounts, in document order.
    pub accounts: Vec<Account>,
    /// Resources, in document order.
    pub resources: Vec<Resource>,
    /// `ResourceSets`.
    pub resource_sets: Vec<ResourceSet>,
    /// The administrator's `RuleGroups`, `IPSets`, `RegexPatternSets` (what policies reference).
    pub admin_waf: WafResources,
}

impl Account {
    /// The account's own web ACL `name`: its index in `WebACLs` and its JSON.
    pub fn web_acl(&self, name: &str) -> Option<(usize, &Value)> {
        self.web_acls.iter().enumerate().find(|(_, (n, _))| n == name).map(|(i, (_, v))| (i, v))
    }
}

impl Org {
    /// Whether an account ID is in the organisation.
    pub fn account(&self, id: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.id == id)
    }

    /// Whether an OU (or root) ID is in the organisation.
    pub fn has_unit(&self, id: &str) -> bool {
        self.units.iter().any(|u| u.id == id)
    }
}

/// Reads the organisation document.
pub fn parse(doc: &Value) -> Result<Org, FmsError> {
    let o = Obj::new(doc, "", &["Root", "ResourceSets", "RuleGroups", "IPSets", "RegexPatternSets"])?;
    let mut org = Org { admin_waf: waf_resources(&o)?, ..Org::default() };
    let root = o.req("Root")?;
    unit(&mut org, root, &o.at("Root"), None, 0)?;
    for (v, p) in o.opt_array("ResourceSets", 100)? {
        org.resource_sets.push(resource_set(v, &p)?);
    }
    let mut seen = BTreeSet::new();
    for r in &org.resources {
        if !seen.insert(r.arn.as_str()) {
            return Err(FmsError::invalid(&r.pointer, format!("resource `{}` is listed twice", r.arn)));
        }
    }
    Ok(org)
}

fn waf_resources(o: &Obj<'_>) -> Result<WafResources, FmsError> {
    let list = |name: &str| -> Result<Vec<Value>, FmsError> {
        Ok(o.opt_array(name, MAX_WAF_DOCS)?.into_iter().map(|(v, _)| v.clone()).collect())
    };
    Ok(WafResources {
        rule_groups: list("RuleGroups")?,
        ip_sets: list("IPSets")?,
        regex_pattern_sets: list("RegexPatternSets")?,
    })
}

fn unit(org: &mut Org, v: &Value, p: &str, parent: Option<&OrgUnit>, depth: usize) -> Result<(), FmsError> {
    if depth > MAX_OU_DEPTH {
        return Err(FmsError::limit(
            p,
            format!("OUs nest at most {MAX_OU_DEPTH} levels below the root (AWS Organizations quota)"),
        ));
    }
    let o = Obj::new(v, p, &["Id", "Name", "Accounts", "OrganizationalUnits"])?;
    let id = o.req_str("Id")?;
    check_ou_id(id, &o.at("Id"))?;
    if parent.is_none() != id.starts_with("r-") {
        let what =
            if parent.is_none() { "the root's ID starts with `r-`" } else { "an OU's ID starts with `ou-`" };
        return Err(FmsError::constraint(&o.at("Id"), id, what));
    }
    if org.has_unit(id) {
        return Err(FmsError::invalid(&o.at("Id"), format!("OU `{id}` appears twice")));
    }
    if org.units.len() >= MAX_OUS {
        return Err(FmsError::limit(p, format!("at most {MAX_OUS} OUs")));
    }
    let name = o.opt_str("Name")?.unwrap_or(if parent.is_none() { "Root" } else { id });
    check_len(name, &o.at("Name"), 1, 128)?;
    let me =
        OrgUnit { id: id.to_owned(), name: name.to_owned(), parent: parent.map(|u| u.id.clone()), depth };
    let mut path: Vec<String> = Vec::new();
    let mut cur = me.parent.clone();
    while let Some(pid) = cur {
        path.push(pid.clone());
        cur = org.units.iter().find(|u| u.id == pid).and_then(|u| u.parent.clone());
    }
    path.reverse();
    path.push(me.id.clone());
    org.units.push(me.clone());
    for (av, ap) in o.opt_array("Accounts", MAX_ACCOUNTS)? {
        account(org, av, &ap, &path)?;
    }
    for (uv, up) in o.opt_array("OrganizationalUnits", MAX_OUS)? {
        unit(org, uv, &up, Some(&me), depth + 1)?;
    }
    Ok(())
}

fn account(org: &mut Org, v: &Value, p: &str, path: &[String]) -> Result<(), FmsError> {
    let o = Obj::new(
        v,
        p,
        &[
            "Id",
            "Name",
            "JoinedAt",
            "Resources",
            "WebACLs",
            "RuleGroups",
            "IPSets",
            "RegexPatternSets",
            "ManagedWebACLRules",
        ],
    )?;
    let id = o.req_str("Id")?;
    check_account_id(id, &o.at("Id"))?;
    if org.account(id).is_some() {
        return Err(FmsError::invalid(
            &o.at("Id"),
            format!("account `{id}` appears twice; an account belongs to one OU"),
        ));
    }
    if org.accounts.len() >= MAX_ACCOUNTS {
        return Err(FmsError::limit(p, format!("at most {MAX_ACCOUNTS} accounts")));
    }
    let name = o.opt_str("Name")?.unwrap_or(id);
    check_len(name, &o.at("Name"), 1, 50)?;
    let mut web_acls: Vec<(String, Value)> = Vec::new();
    for (w, wp) in o.opt_array("WebACLs", MAX_WAF_DOCS)? {
        let inner = w.get("WebACL").unwrap_or(w);
        let wname = inner.get("Name").map(|n| as_str(n, &format!("{wp}/Name"))).transpose()?;
        let Some(wname) = wname else {
            return Err(FmsError::MissingField { pointer: wp, name: "Name".to_owned() });
        };
        if web_acls.iter().any(|(n, _)| n == wname) {
            return Err(FmsError::invalid(&wp, format!("web ACL `{wname}` appears twice in the account")));
        }
        web_acls.push((wname.to_owned(), w.clone()));
    }
    let mut managed_rules = BTreeMap::new();
    if let Some(m) = o.opt("ManagedWebACLRules") {
        let mp = o.at("ManagedWebACLRules");
        let map =
            m.as_object().ok_or_else(|| super::reader::wrong(&mp, "an object of policy name → rules"))?;
        for (policy, rules) in map {
            let rp = super::reader::child(&mp, policy);
            let list = as_array(rules, &rp, 100)?.into_iter().map(|(r, _)| r.clone()).collect();
            managed_rules.insert(policy.clone(), list);
        }
    }
    let index = org.accounts.len();
    let joined_at = o.opt_u64("JoinedAt")?.unwrap_or(0);
    for (rv, rp) in o.opt_array("Resources", MAX_RESOURCES)? {
        if org.resources.len() >= MAX_RESOURCES {
            return Err(FmsError::limit(&rp, format!("at most {MAX_RESOURCES} resources")));
        }
        let r = resource(rv, &rp, id, index, &web_acls)?;
        org.resources.push(r);
    }
    org.accounts.push(Account {
        id: id.to_owned(),
        name: name.to_owned(),
        path: path.to_vec(),
        joined_at,
        web_acls,
        waf_resources: waf_resources(&o)?,
        managed_rules,
        pointer: p.to_owned(),
    });
    Ok(())
}

fn resource(
    v: &Value,
    p: &str,
    account_id: &str,
    account: usize,
    web_acls: &[(String, Value)],
) -> Result<Resource, FmsError> {
    let o = Obj::new(v, p, &["Arn", "Type", "Tags", "WebACL", "CreatedAt"])?;
    let arn = o.req_str("Arn")?;
    check_len(arn, &o.at("Arn"), 1, 1024)?;
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let (service, region, arn_account) = match parts.as_slice() {
        ["arn", _partition, service, region, acct, rest] if !rest.is_empty() => (*service, *region, *acct),
        _ => {
            return Err(FmsError::constraint(
                &o.at("Arn"),
                arn,
                "an ARN is arn:partition:service:region:account-id:resource",
            ))
        }
    };
    let kind = match o.opt_str("Type")? {
        Some(t) => ResourceKind::from_cfn(t).ok_or_else(|| {
            let names: Vec<&str> = KINDS.iter().map(|k| k.cfn).collect();
            FmsError::constraint(
                &o.at("Type"),
                t,
                format!("Member must satisfy enum value set: [{}]", names.join(", ")),
            )
        })?,
        None => KINDS.iter().find(|k| k.service == service).ok_or_else(|| {
            FmsError::invalid(
                &o.at("Arn"),
                format!("no AWS WAF resource type has ARN service `{service}`; give `Type`"),
            )
        })?,
    };
    if kind.service != service {
        return Err(FmsError::invalid(
            &o.at("Arn"),
            format!("a {} ARN has service `{}`, not `{service}`", kind.cfn, kind.service),
        ));
    }
    // API Gateway stage ARNs carry no account; the others must name the one listing them.
    if !arn_account.is_empty() && arn_account != account_id {
        return Err(FmsError::invalid(
            &o.at("Arn"),
            format!("the ARN names account `{arn_account}` but the resource is listed under account `{account_id}`"),
        ));
    }
    let region = if kind.is_global() {
        "global".to_owned()
    } else if region.is_empty() {
        return Err(FmsError::invalid(&o.at("Arn"), format!("a {} ARN names its region", kind.short)));
    } else {
        region.to_owned()
    };
    let mut tags = BTreeMap::new();
    for (t, tp) in o.opt_array("Tags", MAX_TAGS)? {
        let to = Obj::new(t, &tp, &["Key", "Value"])?;
        let key = to.req_str("Key")?;
        check_tag(key, &to.at("Key"), 1, 128)?;
        let value = to.opt_str("Value")?.unwrap_or("");
        check_tag(value, &to.at("Value"), 0, 256)?;
        if tags.insert(key.to_owned(), value.to_owned()).is_some() {
            return Err(FmsError::invalid(&to.at("Key"), format!("tag key `{key}` appears twice")));
        }
    }
    let web_acl = o.opt_str("WebACL")?;
    if let Some(w) = web_acl {
        if !web_acls.iter().any(|(n, _)| n == w) {
            return Err(FmsError::invalid(
                &o.at("WebACL"),
                format!("the account has no web ACL named `{w}`; add it to the account's `WebACLs`"),
            ));
        }
    }
    Ok(Resource {
        arn: arn.to_owned(),
        kind,
        region,
        tags,
        web_acl: web_acl.map(str::to_owned),
        created_at: o.opt_u64("CreatedAt")?.unwrap_or(0),
        account,
        pointer: p.to_owned(),
    })
}

fn resource_set(v: &Value, p: &str) -> Result<ResourceSet, FmsError> {
    let o = Obj::new(
        v,
        p,
        &[
            "Id",
            "Name",
            "Description",
            "ResourceTypeList",
            "Resources",
            "UpdateToken",
            "LastUpdateTime",
            "ResourceSetStatus",
        ],
    )?;
    let id = o.req_str("Id")?;
    if id.len() != 22 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(FmsError::constraint(
            &o.at("Id"),
            id,
            "Member must satisfy regular expression pattern: ^[a-z0-9A-Z]{22}$",
        ));
    }
    let name = o.req_str("Name")?;
    check_fms_name(name, &o.at("Name"), 1, 128)?;
    let mut types = Vec::new();
    for (t, tp) in o.opt_array("ResourceTypeList", 10)? {
        let t = as_str(t, &tp)?;
        check_fms_name(t, &tp, 1, 128)?;
        types.push(t.to_owned());
    }
    let mut resources = BTreeSet::new();
    for (r, rp) in o.opt_array("Resources", MAX_RESOURCES)? {
        resources.insert(as_str(r, &rp)?.to_owned());
    }
    Ok(ResourceSet { id: id.to_owned(), name: name.to_owned(), types, resources })
}
