//! Parsing AWS JSON (`get-web-acl` output or a bare `WebACL`, `get-rule-group` output or a
//! bare `RuleGroup`) into the typed model, validated against the WAFv2 model's required
//! members, bounds, patterns and enums, and against the semantic rules AWS enforces (exactly
//! one statement/action, And/Or with at least two statements, unique priorities and names,
//! statements allowed only at top level). No evaluation here.
use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::common::json_source::JsonError;

use super::error::{display_pointer, WafError, DUPLICATE, EXACTLY_ONE, ILLEGAL_COMBINATION};
use super::model::*;
use super::reader::{
    as_str, check_chars, check_entity_name, check_enum, check_items, check_label, check_len, check_range,
    child, Obj,
};

mod collect;
mod statement;

pub(crate) use collect::{parsed, Errors};
use statement::{statement, Place};
pub use statement::{COUNTRY_CODES, MAX_NESTING};

/// Parses JSON text, mapping syntax errors to a line and column.
pub fn parse_text(text: &str) -> Result<Value, WafError> {
    serde_json::from_str(text).map_err(|e| JsonError::from_serde(&e).into())
}

fn account_of(arn: &str) -> &str {
    arn.split(':').nth(4).filter(|a| !a.is_empty()).unwrap_or("000000000000")
}

/// Parses a `WebACL` or the whole `get-web-acl` output.
pub fn web_acl(value: &Value) -> Result<WebAclDef, WafError> {
    let (value, pointer) = if value.get("WebACL").is_some() {
        let o = Obj::new(value, "", &["WebACL", "LockToken", "ApplicationIntegrationURL"])?;
        (o.req("WebACL")?, "/WebACL".to_owned())
    } else {
        (value, String::new())
    };
    let o = Obj::new(
        value,
        &pointer,
        &[
            "Name",
            "Id",
            "ARN",
            "DefaultAction",
            "Description",
            "Rules",
            "VisibilityConfig",
            "DataProtectionConfig",
            "Capacity",
            "PreProcessFirewallManagerRuleGroups",
            "PostProcessFirewallManagerRuleGroups",
            "ManagedByFirewallManager",
            "LabelNamespace",
            "CustomResponseBodies",
            "CaptchaConfig",
            "ChallengeConfig",
            "TokenDomains",
            "AssociationConfig",
            "RetrofittedByFirewallManager",
            "OnSourceDDoSProtectionConfig",
            "ApplicationConfig",
        ],
    )?;
    // Each member is parsed on its own so that one bad member does not hide the others.
    let mut errs = Errors::default();
    let name = errs.ok(o.req_str("Name").and_then(|n| check_entity_name(n, &o.at("Name")).map(|()| n)));
    let name = name.unwrap_or_default();
    let id = errs.ok(o.opt_str("Id")).flatten().unwrap_or("00000000-0000-0000-0000-000000000000").to_owned();
    let arn = match errs.ok(o.opt_str("ARN")).flatten() {
        Some(a) => {
            errs.ok(check_len(a, &o.at("ARN"), 20, 2048));
            a.to_owned()
        }
        None => format!("arn:aws:wafv2:us-east-1:000000000000:regional/webacl/{name}/{id}"),
    };
    if let Some(d) = errs.ok(o.opt_str("Description")).flatten() {
        errs.ok(check_len(d, &o.at("Description"), 1, 256));
    }
    errs.ok(o.req("VisibilityConfig").and_then(|v| visibility(v, &o.at("VisibilityConfig"))));
    let default_action =
        errs.ok(o.req("DefaultAction").and_then(|v| default_action(v, &o.at("DefaultAction"))));
    let label_namespace = match errs.ok(o.opt_str("LabelNamespace")).flatten() {
        Some(ns) => {
            errs.ok(check_label(ns, &o.at("LabelNamespace")));
            ns.to_owned()
        }
        None => format!("awswaf:{}:webacl:{name}:", account_of(&arn)),
    };
    let bodies = errs.ok(response_bodies(&o)).unwrap_or_default();
    let captcha_immunity = errs.ok(immunity(&o, "CaptchaConfig")).flatten().unwrap_or(300);
    let challenge_immunity = errs.ok(immunity(&o, "ChallengeConfig")).flatten().unwrap_or(300);
    let body_limits = errs.ok(association(&o)).unwrap_or_default();
    if let Some(td) = o.opt("TokenDomains") {
        match super::reader::as_array(td, &o.at("TokenDomains")) {
            Ok(items) => {
                for (v, p) in items {
                    errs.ok(as_str(v, &p).and_then(|d| check_len(d, &p, 1, 253)));
                }
            }
            Err(e) => errs.push(e),
        }
    }
    let rules = errs.ok(rules(&o, &bodies, false)).unwrap_or_default();
    let declared_capacity = errs.ok(o.opt_i64("Capacity")).flatten();
    errs.check()?;
    let default_action = parsed(default_action, &o.at("DefaultAction"))?;
    let name = name.to_owned();
    Ok(WebAclDef {
        name,
        id,
        arn,
        default_action,
        rules,
        label_namespace,
        custom_response_bodies: bodies,
        captcha_immunity,
        challenge_immunity,
        body_limits,
        declared_capacity,
    })
}

/// `AssociationConfig.RequestBody`: the body inspection limit (bytes) per resource type.
fn association(o: &Obj<'_>) -> Result<BTreeMap<String, usize>, WafError> {
    let mut body_limits = BTreeMap::new();
    let Some(ac) = o.opt("AssociationConfig") else {
        return Ok(body_limits);
    };
    let ac = Obj::new(ac, &o.at("AssociationConfig"), &["RequestBody", "ChallengeJavascriptSdkInjection"])?;
    if let Some(rb) = ac.opt("RequestBody") {
        let ptr = ac.at("RequestBody");
        let map = rb
            .as_object()
            .ok_or_else(|| WafError::WrongType { pointer: ptr.clone(), expected: "an object".to_owned() })?;
        for (k, v) in map {
            let kp = child(&ptr, k);
            check_enum(k, &kp, RESOURCE_TYPES)?;
            let c = Obj::new(v, &kp, &["DefaultSizeInspectionLimit"])?;
            let lim =
                c.req_enum("DefaultSizeInspectionLimit", &["KB_8", "KB_16", "KB_32", "KB_48", "KB_64"])?;
            let kb: usize = lim.trim_start_matches("KB_").parse().unwrap_or(16);
            body_limits.insert(k.clone(), kb * 1024);
        }
    }
    Ok(body_limits)
}

/// The `AssociatedResourceType` values of the model.
pub const RESOURCE_TYPES: &[&str] = &[
    "CLOUDFRONT",
    "API_GATEWAY",
    "COGNITO_USER_POOL",
    "APP_RUNNER_SERVICE",
    "VERIFIED_ACCESS_INSTANCE",
    "AGENTCORE_GATEWAY",
    "APPLICATION_LOAD_BALANCER",
];

/// Parses a `RuleGroup` or the whole `get-rule-group` output; `pointer` locates it.
pub fn rule_group(value: &Value, pointer: &str) -> Result<RuleGroupDef, WafError> {
    let (value, pointer) = match value.get("RuleGroup") {
        Some(inner) => (inner, child(pointer, "RuleGroup")),
        None => (value, pointer.to_owned()),
    };
    let o = Obj::new(
        value,
        &pointer,
        &[
            "Name",
            "Id",
            "Capacity",
            "ARN",
            "Description",
            "Rules",
            "VisibilityConfig",
            "LabelNamespace",
            "CustomResponseBodies",
            "AvailableLabels",
            "ConsumedLabels",
            "LockToken",
        ],
    )?;
    let name = o.req_str("Name")?;
    check_entity_name(name, &o.at("Name"))?;
    let arn = o.req_str("ARN")?.to_owned();
    let capacity = o.req_i64("Capacity")?;
    check_range(capacity, &o.at("Capacity"), 1, 1500)?;
    if let Some(v) = o.opt("VisibilityConfig") {
        visibility(v, &o.at("VisibilityConfig"))?;
    }
    let label_namespace = match o.opt_str("LabelNamespace")? {
        Some(ns) => ns.to_owned(),
        None => format!("awswaf:{}:rulegroup:{name}:", account_of(&arn)),
    };
    let bodies = response_bodies(&o)?;
    let rules = rules(&o, &bodies, true)?;
    Ok(RuleGroupDef {
        name: name.to_owned(),
        arn,
        capacity: u64::try_from(capacity).unwrap_or(1),
        rules,
        label_namespace,
        custom_response_bodies: bodies,
    })
}

fn visibility(v: &Value, pointer: &str) -> Result<(), WafError> {
    let o = Obj::new(v, pointer, &["SampledRequestsEnabled", "CloudWatchMetricsEnabled", "MetricName"])?;
    let mut errs = Errors::default();
    for flag in ["SampledRequestsEnabled", "CloudWatchMetricsEnabled"] {
        if errs.ok(o.opt_bool(flag)).is_some_and(|b| b.is_none()) {
            errs.push(WafError::MissingField { pointer: display_pointer(pointer), name: flag.to_owned() });
        }
    }
    errs.ok(o.req_str("MetricName").and_then(|m| {
        check_len(m, &o.at("MetricName"), 1, 255)?;
        check_chars(m, &o.at("MetricName"), r"^[\w#:\.\-/]+$", |c| {
            c.is_ascii_alphanumeric() || "_#:.-/".contains(c)
        })
    }));
    errs.check()
}

fn immunity(o: &Obj<'_>, name: &str) -> Result<Option<u64>, WafError> {
    let Some(v) = o.opt(name) else {
        return Ok(None);
    };
    let c = Obj::new(v, &o.at(name), &["ImmunityTimeProperty"])?;
    let Some(itp) = c.opt("ImmunityTimeProperty") else {
        return Ok(None);
    };
    let i = Obj::new(itp, &c.at("ImmunityTimeProperty"), &["ImmunityTime"])?;
    let t = i.req_i64("ImmunityTime")?;
    check_range(t, &i.at("ImmunityTime"), 60, 259_200)?;
    Ok(u64::try_from(t).ok())
}

fn response_bodies(o: &Obj<'_>) -> Result<BTreeMap<String, CustomResponseBody>, WafError> {
    let mut out = BTreeMap::new();
    let Some(v) = o.opt("CustomResponseBodies") else {
        return Ok(out);
    };
    let ptr = o.at("CustomResponseBodies");
    let map = v
        .as_object()
        .ok_or_else(|| WafError::WrongType { pointer: ptr.clone(), expected: "an object".to_owned() })?;
    for (k, b) in map {
        let kp = child(&ptr, k);
        check_entity_name(k, &kp)?;
        let bo = Obj::new(b, &kp, &["ContentType", "Content"])?;
        let ct = bo.req_enum("ContentType", &["TEXT_PLAIN", "TEXT_HTML", "APPLICATION_JSON"])?;
        let content = bo.req_str("Content")?;
        check_len(content, &bo.at("Content"), 1, 10_240)?;
        out.insert(
            k.clone(),
            CustomResponseBody { content_type: ct.to_owned(), content: content.to_owned() },
        );
    }
    Ok(out)
}

fn rules(
    o: &Obj<'_>,
    bodies: &BTreeMap<String, CustomResponseBody>,
    in_rule_group: bool,
) -> Result<Vec<Rule>, WafError> {
    let mut out: Vec<Rule> = Vec::new();
    let mut priorities = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut rate_rules = 0usize;
    let mut errs = Errors::default();
    for (v, p) in o.opt_array("Rules")? {
        let Some(r) = errs.ok(rule(v, &p, bodies, in_rule_group)) else {
            continue;
        };
        if !priorities.insert(r.priority) {
            errs.push(WafError::invalid(
                &child(&p, "Priority"),
                DUPLICATE,
                "RULE_PRIORITY",
                r.priority.to_string(),
            ));
        }
        if !names.insert(r.name.clone()) {
            errs.push(WafError::invalid(&child(&p, "Name"), DUPLICATE, "RULE_NAME", r.name.clone()));
        }
        if matches!(r.statement, Statement::RateBased(_)) {
            rate_rules += 1;
            let max = if in_rule_group { 4 } else { 10 };
            if rate_rules == max + 1 {
                errs.push(WafError::Limit {
                    reason: format!(
                        "at most {max} rate-based rules are allowed per {}",
                        if in_rule_group { "rule group" } else { "web ACL" }
                    ),
                });
            }
        }
        out.push(r);
    }
    out.sort_by_key(|r| r.priority);
    errs.finish(out)
}

fn rule(
    v: &Value,
    pointer: &str,
    bodies: &BTreeMap<String, CustomResponseBody>,
    in_rule_group: bool,
) -> Result<Rule, WafError> {
    let o = Obj::new(
        v,
        pointer,
        &[
            "Name",
            "Priority",
            "Statement",
            "Action",
            "OverrideAction",
            "RuleLabels",
            "VisibilityConfig",
            "CaptchaConfig",
            "ChallengeConfig",
        ],
    )?;
    let mut errs = Errors::default();
    let name = errs.ok(o.req_str("Name").and_then(|n| check_entity_name(n, &o.at("Name")).map(|()| n)));
    let priority = errs.ok(o
        .req_i64("Priority")
        .and_then(|p| check_range(p, &o.at("Priority"), 0, i64::from(i32::MAX)).map(|()| p)));
    errs.ok(o.req("VisibilityConfig").and_then(|v| visibility(v, &o.at("VisibilityConfig"))));
    let place = Place { depth: 0, in_rule_group, in_scope_down: false };
    let statement = errs.ok(o.req("Statement").and_then(|s| statement(s, &o.at("Statement"), place)));
    // Whether the statement is a rule-group one, read from the JSON so that the action is
    // checked even when the statement itself has errors.
    let is_group = o.opt("Statement").and_then(Value::as_object).is_some_and(|m| {
        m.contains_key("RuleGroupReferenceStatement") || m.contains_key("ManagedRuleGroupStatement")
    });
    let action = errs.ok(action(&o, pointer, bodies, is_group));
    let mut labels = Vec::new();
    match o.opt_array("RuleLabels") {
        Ok(items) => {
            for (lv, lp) in items {
                if let Some(n) = errs.ok(rule_label(lv, &lp)) {
                    labels.push(n);
                }
            }
        }
        Err(e) => errs.push(e),
    }
    let captcha_immunity = errs.ok(immunity(&o, "CaptchaConfig")).flatten();
    let challenge_immunity = errs.ok(immunity(&o, "ChallengeConfig")).flatten();
    errs.check()?;
    Ok(Rule {
        name: parsed(name, &o.at("Name"))?.to_owned(),
        priority: parsed(priority, &o.at("Priority"))?,
        statement: parsed(statement, &o.at("Statement"))?,
        action: parsed(action, pointer)?,
        labels,
        captcha_immunity,
        challenge_immunity,
        pointer: pointer.to_owned(),
    })
}

fn action(
    o: &Obj<'_>,
    pointer: &str,
    bodies: &BTreeMap<String, CustomResponseBody>,
    is_group: bool,
) -> Result<RuleActionKind, WafError> {
    Ok(match (o.opt("Action"), o.opt("OverrideAction")) {
        (Some(a), None) => {
            if is_group {
                return Err(WafError::invalid(
                    &o.at("Action"),
                    EXACTLY_ONE,
                    "RULE",
                    "Rule: a rule-group statement takes OverrideAction, not Action",
                ));
            }
            RuleActionKind::Action(rule_action(a, &o.at("Action"), bodies)?)
        }
        (None, Some(a)) => {
            if !is_group {
                return Err(WafError::invalid(
                    &o.at("OverrideAction"),
                    EXACTLY_ONE,
                    "RULE",
                    "Rule: OverrideAction is only for rule-group statements; use Action",
                ));
            }
            let ap = o.at("OverrideAction");
            let ao = Obj::new(a, &ap, &["Count", "None"])?;
            match ao.present().as_slice() {
                ["Count"] => RuleActionKind::Override {
                    count: true,
                    insert_headers: request_handling(ao.req("Count")?, &ao.at("Count"))?,
                },
                ["None"] => {
                    Obj::new(ao.req("None")?, &ao.at("None"), &[])?;
                    RuleActionKind::Override { count: false, insert_headers: Vec::new() }
                }
                _ => return Err(WafError::invalid(&ap, EXACTLY_ONE, "OVERRIDE_ACTION", "OverrideAction")),
            }
        }
        _ => return Err(WafError::invalid(pointer, EXACTLY_ONE, "RULE", "Rule")),
    })
}

fn rule_label(lv: &Value, lp: &str) -> Result<String, WafError> {
    let lo = Obj::new(lv, lp, &["Name"])?;
    let n = lo.req_str("Name")?;
    check_label(n, &lo.at("Name"))?;
    let parts: Vec<&str> = n.split(':').collect();
    if parts.len() > 5 || parts.iter().any(|s| s.len() > 128) {
        return Err(WafError::invalid(
            &lo.at("Name"),
            ILLEGAL_COMBINATION,
            "RULE_LABEL",
            format!("{n} (at most 5 namespace levels of at most 128 characters)"),
        ));
    }
    const RESERVED: &[&str] =
        &["aws", "waf", "awswaf", "managed", "rulegroup", "webacl", "regexpatternset", "ipset"];
    if let Some(word) = parts.iter().find(|s| RESERVED.contains(s)) {
        return Err(WafError::invalid(
            &lo.at("Name"),
            ILLEGAL_COMBINATION,
            "RULE_LABEL",
            format!("{n} (`{word}` is a reserved word)"),
        ));
    }
    Ok(n.to_owned())
}

fn default_action(v: &Value, pointer: &str) -> Result<RuleAction, WafError> {
    let o = Obj::new(v, pointer, &["Block", "Allow"])?;
    match o.present().as_slice() {
        ["Allow"] => Ok(RuleAction::Allow(request_handling(o.req("Allow")?, &o.at("Allow"))?)),
        ["Block"] => Ok(RuleAction::Block(block(o.req("Block")?, &o.at("Block"), None)?)),
        _ => Err(WafError::invalid(pointer, EXACTLY_ONE, "DEFAULT_ACTION", "DefaultAction")),
    }
}

/// Parses a `RuleAction`.
pub(crate) fn rule_action(
    v: &Value,
    pointer: &str,
    bodies: &BTreeMap<String, CustomResponseBody>,
) -> Result<RuleAction, WafError> {
    let o = Obj::new(v, pointer, &["Block", "Allow", "Count", "Captcha", "Challenge"])?;
    let present = o.present();
    let [kind] = present.as_slice() else {
        return Err(WafError::invalid(pointer, EXACTLY_ONE, "RULE_ACTION", "RuleAction"));
    };
    let inner = o.req(kind)?;
    let ip = o.at(kind);
    Ok(match *kind {
        "Block" => RuleAction::Block(block(inner, &ip, Some(bodies))?),
        "Allow" => RuleAction::Allow(request_handling(inner, &ip)?),
        "Count" => RuleAction::Count(request_handling(inner, &ip)?),
        "Captcha" => RuleAction::Captcha(request_handling(inner, &ip)?),
        _ => RuleAction::Challenge(request_handling(inner, &ip)?),
    })
}

fn block(
    v: &Value,
    pointer: &str,
    bodies: Option<&BTreeMap<String, CustomResponseBody>>,
) -> Result<Option<CustomResponse>, WafError> {
    let o = Obj::new(v, pointer, &["CustomResponse"])?;
    let Some(cr) = o.opt("CustomResponse") else {
        return Ok(None);
    };
    let cp = o.at("CustomResponse");
    let c = Obj::new(cr, &cp, &["ResponseCode", "CustomResponseBodyKey", "ResponseHeaders"])?;
    let code = c.req_i64("ResponseCode")?;
    check_range(code, &c.at("ResponseCode"), 200, 599)?;
    let body_key = c.opt_str("CustomResponseBodyKey")?.map(str::to_owned);
    if let (Some(k), Some(bodies)) = (&body_key, bodies) {
        if !bodies.contains_key(k) {
            return Err(WafError::invalid(
                &c.at("CustomResponseBodyKey"),
                "The referenced item doesn't exist.",
                "CUSTOM_RESPONSE_BODY_KEY",
                k.clone(),
            ));
        }
    }
    let headers = match c.opt("ResponseHeaders") {
        Some(h) => headers(h, &c.at("ResponseHeaders"))?,
        None => Vec::new(),
    };
    Ok(Some(CustomResponse { code: u16::try_from(code).unwrap_or(403), body_key, headers }))
}

fn request_handling(v: &Value, pointer: &str) -> Result<Vec<(String, String)>, WafError> {
    let o = Obj::new(v, pointer, &["CustomRequestHandling"])?;
    let Some(h) = o.opt("CustomRequestHandling") else {
        return Ok(Vec::new());
    };
    let ho = Obj::new(h, &o.at("CustomRequestHandling"), &["InsertHeaders"])?;
    headers(ho.req("InsertHeaders")?, &ho.at("InsertHeaders"))
}

fn headers(v: &Value, pointer: &str) -> Result<Vec<(String, String)>, WafError> {
    let items = super::reader::as_array(v, pointer)?;
    check_items(items.len(), pointer, 1, 100)?;
    let mut out = Vec::new();
    for (h, p) in items {
        let o = Obj::new(h, &p, &["Name", "Value"])?;
        let n = o.req_str("Name")?;
        check_len(n, &o.at("Name"), 1, 64)?;
        check_chars(n, &o.at("Name"), "^[a-zA-Z0-9._$-]+$", |c| {
            c.is_ascii_alphanumeric() || "._$-".contains(c)
        })?;
        let val = o.req_str("Value")?;
        check_len(val, &o.at("Value"), 1, 255)?;
        out.push((n.to_owned(), val.to_owned()));
    }
    Ok(out)
}
