//! Firewall Manager AWS WAF policies as the FMS API writes them (`fms get-policy` output or a
//! bare `Policy`), read into typed values once: scope (`ResourceType` / `ResourceTypeList`,
//! `ResourceTags` + `ExcludeResourceTags`, `IncludeMap` / `ExcludeMap`, `ResourceSetIds`),
//! `RemediationEnabled`, `DeleteUnusedFMManagedResources`, and the `WAFV2`
//! `ManagedServiceData` (a JSON string: first and last rule groups, default action,
//! `overrideCustomerWebACLAssociation`, `webACLSource`, logging). Field names, bounds and
//! patterns follow the FMS API reference (`API_Policy`, `API_ResourceTag`,
//! `API_SecurityServicePolicyData`). No scope decisions here (see `scope`).

use serde_json::Value;

use super::error::FmsError;
use super::org::{ResourceKind, KINDS};
use super::reader::{
    as_array, as_str, check_account_id, check_enum, check_fms_name, check_len, check_ou_id, check_tag, child,
    wrong, Obj,
};

/// At most this many policies in one evaluation (the playground's bound).
pub const MAX_POLICIES: usize = 50;
/// At most this many first or last rule groups in a policy (the playground's bound).
pub const MAX_GROUPS: usize = 50;
/// `ManagedServiceData` text of at most this many bytes (the playground's bound).
pub const MAX_SERVICE_DATA: usize = 64 * 1024;

/// `IncludeMap` / `ExcludeMap` (`CustomerPolicyScopeMap`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeMap {
    /// `ACCOUNT` IDs.
    pub accounts: Vec<String>,
    /// `ORG_UNIT` IDs.
    pub units: Vec<String>,
}

/// Which rule group a first/last entry runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupRef {
    /// `ruleGroupType: ManagedRuleGroup` with `managedRuleGroupIdentifier`.
    Managed {
        /// `vendorName`.
        vendor: String,
        /// `managedRuleGroupName`.
        name: String,
        /// `version`.
        version: Option<String>,
    },
    /// `ruleGroupType: RuleGroup` with `ruleGroupArn`.
    Own {
        /// `ruleGroupArn`.
        arn: String,
    },
}

/// One entry of `preProcessRuleGroups` / `postProcessRuleGroups`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FmsRuleGroup {
    /// The group.
    pub group: GroupRef,
    /// `overrideAction.type` is `COUNT`.
    pub count: bool,
    /// `excludeRules[].name`.
    pub excluded: Vec<String>,
    /// `ruleActionOverrides`: rule name → WAF action name (`Allow`, `Block`, `Count`, ...).
    pub overrides: Vec<(String, String)>,
}

impl FmsRuleGroup {
    /// The group's display name (managed name, or the last ARN segment but one).
    pub fn display_name(&self) -> String {
        match &self.group {
            GroupRef::Managed { vendor, name, .. } => format!("{vendor}#{name}"),
            GroupRef::Own { arn } => arn.rsplit('/').nth(1).unwrap_or(arn).to_owned(),
        }
    }
}

/// The `WAFV2` `ManagedServiceData`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WafPolicyData {
    /// `preProcessRuleGroups`, in evaluation order.
    pub pre: Vec<FmsRuleGroup>,
    /// `postProcessRuleGroups`, in evaluation order.
    pub post: Vec<FmsRuleGroup>,
    /// `defaultAction.type` is `BLOCK`.
    pub default_block: bool,
    /// `overrideCustomerWebACLAssociation`.
    pub override_association: bool,
    /// `webACLSource` is `RETROFIT_EXISTING`.
    pub retrofit: bool,
    /// `optimizeUnassociatedWebACL`.
    pub optimize_unassociated: bool,
    /// `loggingConfiguration` is set.
    pub logging: bool,
}

/// A Firewall Manager AWS WAF policy.
#[derive(Debug, Clone)]
pub struct Policy {
    /// `PolicyName`.
    pub name: String,
    /// `PolicyId`.
    pub id: Option<String>,
    /// The policy's region (from `PolicyArn`, the entry's `Region`, or the default).
    pub region: String,
    /// The resource types in scope.
    pub kinds: Vec<&'static ResourceKind>,
    /// `ResourceTags` as (key, value).
    pub tags: Vec<(String, String)>,
    /// `ExcludeResourceTags`.
    pub exclude_tags: bool,
    /// `ResourceTagLogicalOperator` is `OR` (default `AND`).
    pub tags_or: bool,
    /// `RemediationEnabled`.
    pub remediation: bool,
    /// `DeleteUnusedFMManagedResources`.
    pub delete_unused: bool,
    /// `IncludeMap`.
    pub include: Option<ScopeMap>,
    /// `ExcludeMap`.
    pub exclude: Option<ScopeMap>,
    /// `ResourceSetIds`.
    pub resource_sets: Vec<String>,
    /// The WAF policy data.
    pub waf: WafPolicyData,
    /// Notes on what was read but ignored.
    pub warnings: Vec<String>,
    /// JSON pointer of the `Policy` object.
    pub pointer: String,
}

/// Reads the policies document: an array of policies (or one), each a bare `Policy` or
/// `get-policy` output `{Policy, PolicyArn}`, optionally with the playground's `Region`.
/// `default_region` is the region of entries that carry neither.
pub fn parse_all(doc: &Value, default_region: &str) -> Result<Vec<Policy>, FmsError> {
    let items = match doc {
        Value::Array(_) => as_array(doc, "", MAX_POLICIES)?,
        other => vec![(other, String::new())],
    };
    let mut out: Vec<Policy> = Vec::new();
    for (v, p) in items {
        let policy = entry(v, &p, default_region)?;
        if out.iter().any(|q| q.name == policy.name && q.region == policy.region) {
            return Err(FmsError::invalid(
                &child(&policy.pointer, "PolicyName"),
                format!("two policies are named `{}` in {}", policy.name, policy.region),
            ));
        }
        out.push(policy);
    }
    Ok(out)
}

fn entry(v: &Value, p: &str, default_region: &str) -> Result<Policy, FmsError> {
    if v.get("Policy").is_some() {
        let o = Obj::new(v, p, &["Policy", "PolicyArn", "Region"])?;
        let mut region = o.opt_str("Region")?.map(str::to_owned);
        if let Some(arn) = o.opt_str("PolicyArn")? {
            // arn:aws:fms:us-east-1:111122223333:policy/<id>
            let parts: Vec<&str> = arn.splitn(6, ':').collect();
            match parts.as_slice() {
                ["arn", _, "fms", r, _, rest] if !r.is_empty() && rest.starts_with("policy/") => {
                    region = Some((*r).to_owned());
                }
                _ => {
                    return Err(FmsError::constraint(
                        &o.at("PolicyArn"),
                        arn,
                        "a policy ARN is arn:aws:fms:region:account-id:policy/policy-id",
                    ))
                }
            }
        }
        let region = region.unwrap_or_else(|| default_region.to_owned());
        check_region(&region, &o.at("Region"))?;
        policy(o.req("Policy")?, &o.at("Policy"), &region)
    } else {
        policy(v, p, default_region)
    }
}

/// A region name such as `eu-west-1` (lowercase letters, digits and dashes).
pub(crate) fn check_region(region: &str, pointer: &str) -> Result<(), FmsError> {
    if (4..=32).contains(&region.len())
        && region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Ok(())
    } else {
        Err(FmsError::constraint(pointer, region, "a region name such as `us-east-1`"))
    }
}

fn policy(v: &Value, p: &str, region: &str) -> Result<Policy, FmsError> {
    let o = Obj::new(
        v,
        p,
        &[
            "PolicyId",
            "PolicyName",
            "PolicyUpdateToken",
            "SecurityServicePolicyData",
            "ResourceType",
            "ResourceTypeList",
            "ResourceTags",
            "ExcludeResourceTags",
            "RemediationEnabled",
            "DeleteUnusedFMManagedResources",
            "IncludeMap",
            "ExcludeMap",
            "ResourceSetIds",
            "PolicyDescription",
            "PolicyStatus",
            "ResourceTagLogicalOperator",
        ],
    )?;
    let name = o.req_str("PolicyName")?;
    check_fms_name(name, &o.at("PolicyName"), 1, 128)?;
    let id = o.opt_str("PolicyId")?;
    if let Some(id) = id {
        check_len(id, &o.at("PolicyId"), 36, 36)?;
    }
    if let Some(d) = o.opt_str("PolicyDescription")? {
        check_len(d, &o.at("PolicyDescription"), 0, 256)?;
    }
    o.opt_enum("PolicyStatus", &["ACTIVE", "OUT_OF_ADMIN_SCOPE"])?;
    let mut warnings = Vec::new();

    // SecurityServicePolicyData: only WAFV2 is modelled.
    let sspd = o.req("SecurityServicePolicyData")?;
    let sp = o.at("SecurityServicePolicyData");
    let so = Obj::new(sspd, &sp, &["Type", "ManagedServiceData", "PolicyOption"])?;
    let kind = so.req_str("Type")?;
    check_enum(
        kind,
        &so.at("Type"),
        &[
            "WAF",
            "WAFV2",
            "SHIELD_ADVANCED",
            "SECURITY_GROUPS_COMMON",
            "SECURITY_GROUPS_CONTENT_AUDIT",
            "SECURITY_GROUPS_USAGE_AUDIT",
            "NETWORK_FIREWALL",
            "DNS_FIREWALL",
            "THIRD_PARTY_FIREWALL",
            "IMPORT_NETWORK_FIREWALL",
            "NETWORK_ACL_COMMON",
        ],
    )?;
    if kind != "WAFV2" {
        return Err(FmsError::Unsupported { pointer: so.at("Type"), kind: kind.to_owned() });
    }
    let waf = match so.opt("ManagedServiceData") {
        // The API writes it as a JSON string; an object is taken as the same data.
        Some(Value::String(text)) => {
            let mp = so.at("ManagedServiceData");
            if text.len() > MAX_SERVICE_DATA {
                return Err(FmsError::limit(
                    &mp,
                    format!("ManagedServiceData of at most {MAX_SERVICE_DATA} bytes"),
                ));
            }
            let data: Value = serde_json::from_str(text)
                .map_err(|e| FmsError::invalid(&mp, format!("ManagedServiceData is not JSON: {e}")))?;
            service_data(&data, &mp)?
        }
        Some(other) => service_data(other, &so.at("ManagedServiceData"))?,
        None => return Err(FmsError::MissingField { pointer: sp, name: "ManagedServiceData".to_owned() }),
    };

    // ResourceType / ResourceTypeList.
    let rt = o.req_str("ResourceType")?;
    check_fms_name(rt, &o.at("ResourceType"), 1, 128)?;
    let list = o.opt_array("ResourceTypeList", KINDS.len() * 2)?;
    let kinds = if rt == "ResourceTypeList" {
        if list.is_empty() {
            return Err(FmsError::invalid(
                &o.at("ResourceTypeList"),
                "`ResourceType` is `ResourceTypeList`, so `ResourceTypeList` must name at least one type",
            ));
        }
        let mut kinds: Vec<&'static ResourceKind> = Vec::new();
        for (t, tp) in list {
            let k = kind_of(as_str(t, &tp)?, &tp)?;
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        }
        kinds
    } else {
        if !list.is_empty() {
            warnings.push(format!(
                "`ResourceTypeList` is ignored: `ResourceType` is `{rt}`, not `ResourceTypeList`"
            ));
        }
        vec![kind_of(rt, &o.at("ResourceType"))?]
    };
    let global = kinds.iter().any(|k| k.is_global());
    if global && kinds.iter().any(|k| !k.is_global()) {
        return Err(FmsError::invalid(
            &o.at("ResourceTypeList"),
            "a policy protects either CloudFront distributions (global) or regional resources, not both; make two policies",
        ));
    }
    if global && region != "us-east-1" {
        return Err(FmsError::invalid(
            &o.at("ResourceType"),
            format!("CloudFront distributions are protected by a global policy, created in us-east-1, not {region}"),
        ));
    }

    // ResourceTags: at most 8, combined with AND unless ResourceTagLogicalOperator is OR.
    let mut tags = Vec::new();
    for (t, tp) in o.opt_array("ResourceTags", 8)? {
        let to = Obj::new(t, &tp, &["Key", "Value"])?;
        let key = to.req_str("Key")?;
        check_tag(key, &to.at("Key"), 1, 128)?;
        let value = to.opt_str("Value")?.unwrap_or("");
        check_tag(value, &to.at("Value"), 0, 256)?;
        tags.push((key.to_owned(), value.to_owned()));
    }
    let tags_or = o.opt_enum("ResourceTagLogicalOperator", &["AND", "OR"])? == Some("OR");

    let include = scope_map(&o, "IncludeMap")?;
    let exclude = scope_map(&o, "ExcludeMap")?;
    if include.is_some() && exclude.is_some() {
        warnings.push("`ExcludeMap` is not evaluated: `IncludeMap` is set, and Firewall Manager then applies the policy to the included accounts only".to_owned());
    }
    let mut resource_sets = Vec::new();
    for (r, rp) in o.opt_array("ResourceSetIds", 100)? {
        let id = as_str(r, &rp)?;
        if id.len() != 22 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(FmsError::constraint(
                &rp,
                id,
                "Member must satisfy regular expression pattern: ^[a-z0-9A-Z]{22}$",
            ));
        }
        resource_sets.push(id.to_owned());
    }
    Ok(Policy {
        name: name.to_owned(),
        id: id.map(str::to_owned),
        region: region.to_owned(),
        kinds,
        tags,
        exclude_tags: o.req_bool("ExcludeResourceTags")?,
        tags_or,
        remediation: o.req_bool("RemediationEnabled")?,
        delete_unused: o.opt_bool("DeleteUnusedFMManagedResources")?.unwrap_or(false),
        include,
        exclude,
        resource_sets,
        waf,
        warnings,
        pointer: p.to_owned(),
    })
}

fn kind_of(name: &str, pointer: &str) -> Result<&'static ResourceKind, FmsError> {
    ResourceKind::from_cfn(name).ok_or_else(|| {
        let names: Vec<&str> = KINDS.iter().map(|k| k.cfn).collect();
        FmsError::invalid(
            pointer,
            format!(
                "`{}` is not a resource type an AWS WAF policy protects; use one of: {}",
                super::error::shorten(name),
                names.join(", ")
            ),
        )
    })
}

fn scope_map(o: &Obj<'_>, name: &str) -> Result<Option<ScopeMap>, FmsError> {
    let Some(v) = o.opt(name) else { return Ok(None) };
    let mp = o.at(name);
    let m = Obj::new(v, &mp, &["ACCOUNT", "ORG_UNIT"])?;
    let mut map = ScopeMap::default();
    for (a, ap) in m.opt_array("ACCOUNT", 1000)? {
        let a = as_str(a, &ap)?;
        check_account_id(a, &ap)?;
        map.accounts.push(a.to_owned());
    }
    for (u, up) in m.opt_array("ORG_UNIT", 1000)? {
        let u = as_str(u, &up)?;
        check_ou_id(u, &up)?;
        map.units.push(u.to_owned());
    }
    Ok(Some(map))
}

fn service_data(v: &Value, p: &str) -> Result<WafPolicyData, FmsError> {
    let o = Obj::new(
        v,
        p,
        &[
            "type",
            "preProcessRuleGroups",
            "postProcessRuleGroups",
            "defaultAction",
            "overrideCustomerWebACLAssociation",
            "loggingConfiguration",
            "sampledRequestsEnabledForDefaultActions",
            "customRequestHandling",
            "customResponse",
            "tokenDomains",
            "optimizeUnassociatedWebACL",
            "webACLSource",
            "associationConfig",
            "captchaConfig",
            "challengeConfig",
        ],
    )?;
    let t = o.req_str("type")?;
    if t != "WAFV2" {
        return Err(FmsError::invalid(
            &o.at("type"),
            format!("ManagedServiceData `type` is `{t}` but the policy type is `WAFV2`"),
        ));
    }
    let da = o.req("defaultAction")?;
    let dao = Obj::new(da, &o.at("defaultAction"), &["type"])?;
    let default_block = match dao.req_str("type")? {
        "ALLOW" => false,
        "BLOCK" => true,
        other => {
            return Err(FmsError::constraint(
                &dao.at("type"),
                other,
                "Member must satisfy enum value set: [ALLOW, BLOCK]",
            ))
        }
    };
    let groups = |name: &str| -> Result<Vec<FmsRuleGroup>, FmsError> {
        o.opt_array(name, MAX_GROUPS)?.into_iter().map(|(g, gp)| rule_group(g, &gp)).collect()
    };
    if let Some(l) = o.opt("loggingConfiguration") {
        if !l.is_object() {
            return Err(wrong(&o.at("loggingConfiguration"), "an object or null"));
        }
    }
    Ok(WafPolicyData {
        pre: groups("preProcessRuleGroups")?,
        post: groups("postProcessRuleGroups")?,
        default_block,
        override_association: o.opt_bool("overrideCustomerWebACLAssociation")?.unwrap_or(false),
        retrofit: o.opt_enum("webACLSource", &["RETROFIT_EXISTING"])?.is_some(),
        optimize_unassociated: o.opt_bool("optimizeUnassociatedWebACL")?.unwrap_or(false),
        logging: o.opt("loggingConfiguration").is_some(),
    })
}

fn rule_group(v: &Value, p: &str) -> Result<FmsRuleGroup, FmsError> {
    let o = Obj::new(
        v,
        p,
        &[
            "ruleGroupArn",
            "overrideAction",
            "managedRuleGroupIdentifier",
            "ruleGroupType",
            "excludeRules",
            "ruleActionOverrides",
            "sampledRequestsEnabled",
            "managedRuleGroupConfigs",
        ],
    )?;
    let ty = o.opt_enum("ruleGroupType", &["RuleGroup", "ManagedRuleGroup"])?;
    let group = match (ty, o.opt("managedRuleGroupIdentifier"), o.opt_str("ruleGroupArn")?) {
        (Some("ManagedRuleGroup") | None, Some(id), _) => {
            let io = Obj::new(
                id,
                &o.at("managedRuleGroupIdentifier"),
                &["vendorName", "managedRuleGroupName", "version", "versionEnabled"],
            )?;
            let vendor = io.req_str("vendorName")?;
            check_len(vendor, &io.at("vendorName"), 1, 128)?;
            let name = io.req_str("managedRuleGroupName")?;
            check_len(name, &io.at("managedRuleGroupName"), 1, 128)?;
            GroupRef::Managed {
                vendor: vendor.to_owned(),
                name: name.to_owned(),
                version: io.opt_str("version")?.map(str::to_owned),
            }
        }
        (Some("RuleGroup") | None, None, Some(arn)) => {
            check_len(arn, &o.at("ruleGroupArn"), 20, 2048)?;
            GroupRef::Own { arn: arn.to_owned() }
        }
        (Some("ManagedRuleGroup"), None, _) => {
            return Err(FmsError::MissingField {
                pointer: p.to_owned(),
                name: "managedRuleGroupIdentifier".to_owned(),
            })
        }
        _ => {
            return Err(FmsError::MissingField { pointer: p.to_owned(), name: "ruleGroupArn".to_owned() });
        }
    };
    let count = match o.opt("overrideAction") {
        None => false,
        Some(a) => {
            let ao = Obj::new(a, &o.at("overrideAction"), &["type"])?;
            match ao.req_str("type")? {
                "NONE" => false,
                "COUNT" => true,
                other => {
                    return Err(FmsError::constraint(
                        &ao.at("type"),
                        other,
                        "Member must satisfy enum value set: [NONE, COUNT]",
                    ))
                }
            }
        }
    };
    let mut excluded = Vec::new();
    for (e, ep) in o.opt_array("excludeRules", 100)? {
        let eo = Obj::new(e, &ep, &["name"])?;
        excluded.push(eo.req_str("name")?.to_owned());
    }
    let mut overrides = Vec::new();
    for (r, rp) in o.opt_array("ruleActionOverrides", 100)? {
        let ro = Obj::new(r, &rp, &["name", "actionToUse"])?;
        let name = ro.req_str("name")?.to_owned();
        let ap = ro.at("actionToUse");
        let action = ro.req("actionToUse")?.as_object().ok_or_else(|| wrong(&ap, "an object"))?;
        let mut keys = action.keys();
        let (Some(k), None) = (keys.next(), keys.next()) else {
            return Err(FmsError::invalid(
                &ap,
                "exactly one action: allow, block, count, captcha or challenge",
            ));
        };
        let waf = match k.to_ascii_lowercase().as_str() {
            "allow" => "Allow",
            "block" => "Block",
            "count" => "Count",
            "captcha" => "Captcha",
            "challenge" => "Challenge",
            _ => {
                return Err(FmsError::constraint(
                    &child(&ap, k),
                    k,
                    "Member must satisfy enum value set: [allow, block, count, captcha, challenge]",
                ))
            }
        };
        overrides.push((name, waf.to_owned()));
    }
    Ok(FmsRuleGroup { group, count, excluded, overrides })
}
