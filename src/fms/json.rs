//! The JSON layer the JS binding and the page call: [`evaluate`] reads the organisation and the
//! policies (objects or JSON text), assesses every resource, and for one chosen resource builds
//! the web ACL it ends up with and runs a request through it with the WAF engine. Output shapes
//! are camelCase; errors are [`FmsError`]s with a stable `code` ([`error_value`]).

use serde_json::{json, Map, Value};

use crate::common::json_source::{JsonError, MAX_SOURCE_BYTES};
use crate::waf::json::WebAcl;

use super::compliance::{self, Assessment, Association, Status};
use super::error::FmsError;
use super::merge::{self, Built};
use super::org::{self, Org};
use super::policy::{self, check_region, Policy};
use super::reader::Obj;

/// The policy creation time used in `FMManagedWebACLV2-<policy>-<timestamp>` unless
/// `options.epochMs` says otherwise: 2026-01-01T00:00:00Z.
pub const DEFAULT_EPOCH_MS: u64 = 1_767_225_600_000;
/// At most this many points on the timeline.
pub const MAX_TIMELINE: usize = 200;

/// Parsed `options`.
#[derive(Debug, Clone, Default)]
struct Options {
    at: Option<u64>,
    region: String,
    epoch_ms: u64,
    resource: Option<String>,
    request: Option<Value>,
    context: Value,
}

/// A value, or JSON text parsed (bounded in size; `serde_json` bounds nesting at 128).
fn value_or_text(v: &Value) -> Result<std::borrow::Cow<'_, Value>, FmsError> {
    match v {
        Value::String(text) => {
            if text.len() > MAX_SOURCE_BYTES {
                return Err(JsonError::TooLarge { limit: MAX_SOURCE_BYTES }.into());
            }
            let parsed: Value =
                serde_json::from_str(text).map_err(|e| FmsError::from(JsonError::from_serde(&e)))?;
            Ok(std::borrow::Cow::Owned(parsed))
        }
        other => Ok(std::borrow::Cow::Borrowed(other)),
    }
}

fn options(v: &Value) -> Result<Options, FmsError> {
    let mut o = Options {
        region: "us-east-1".to_owned(),
        epoch_ms: DEFAULT_EPOCH_MS,
        context: Value::Null,
        ..Options::default()
    };
    let v = value_or_text(v)?;
    if v.is_null() {
        return Ok(o);
    }
    let r = Obj::new(&v, "/options", &["at", "region", "epochMs", "resource", "request", "context"])?;
    o.at = r.opt_u64("at")?;
    if let Some(region) = r.opt_str("region")? {
        check_region(region, &r.at("region"))?;
        region.clone_into(&mut o.region);
    }
    o.epoch_ms = r.opt_u64("epochMs")?.unwrap_or(DEFAULT_EPOCH_MS);
    o.resource = r.opt_str("resource")?.map(str::to_owned);
    o.request = r.opt("request").cloned();
    o.context = r.opt("context").cloned().unwrap_or(Value::Null);
    if o.request.is_some() && o.resource.is_none() {
        return Err(FmsError::Options {
            pointer: r.at("request"),
            reason: "a request is evaluated at one resource; give `resource` (its ARN) too".to_owned(),
        });
    }
    Ok(o)
}

/// Reads both documents (the organisation at `/org`, the policies at `/policies`).
pub fn read(
    org_doc: &Value,
    policies_doc: &Value,
    default_region: &str,
) -> Result<(Org, Vec<Policy>), FmsError> {
    let org_doc = value_or_text(org_doc)?;
    let org = org::parse(&org_doc).map_err(|e| prefix(e, "/org"))?;
    let policies_doc = value_or_text(policies_doc)?;
    let policies = policy::parse_all(&policies_doc, default_region).map_err(|e| prefix(e, "/policies"))?;
    // Each account's own web ACLs must be ones AWS WAF accepts.
    for a in &org.accounts {
        for (i, (name, _)) in a.web_acls.iter().enumerate() {
            if let Some(built) = merge::own(&org, a, name) {
                WebAcl::new(&built.web_acl, &built.resources, &Value::Null)
                    .map_err(|e| FmsError::waf(format!("/org{}/WebACLs/{i}", a.pointer), e))?;
            }
        }
    }
    Ok((org, policies))
}

/// Puts `/org` or `/policies` in front of an error's pointer.
fn prefix(e: FmsError, at: &str) -> FmsError {
    let fix = |p: String| if p == "/" { at.to_owned() } else { format!("{at}{p}") };
    match e {
        FmsError::UnknownField { pointer, name, expected } => {
            FmsError::UnknownField { pointer: fix(pointer), name, expected }
        }
        FmsError::MissingField { pointer, name } => FmsError::MissingField { pointer: fix(pointer), name },
        FmsError::WrongType { pointer, expected } => FmsError::WrongType { pointer: fix(pointer), expected },
        FmsError::Constraint { pointer, value, constraint } => {
            FmsError::Constraint { pointer: fix(pointer), value, constraint }
        }
        FmsError::InvalidInput { pointer, reason } => {
            FmsError::InvalidInput { pointer: fix(pointer), reason }
        }
        FmsError::Unsupported { pointer, kind } => FmsError::Unsupported { pointer: fix(pointer), kind },
        FmsError::Limit { pointer, reason } => FmsError::Limit { pointer: fix(pointer), reason },
        other => other,
    }
}

/// `evaluateFirewallManager(org, policies, options?)`: per resource verdicts, per policy
/// summaries, the organisation's tree, a timeline, and (with `options.resource`) the resource's
/// web ACL with each rule's origin, and (with `options.request`) the WAF log record of the
/// request evaluated through it.
pub fn evaluate(org_doc: &Value, policies_doc: &Value, options_doc: &Value) -> Result<Value, FmsError> {
    let opts = options(options_doc)?;
    let (org, policies) = read(org_doc, policies_doc, &opts.region)?;
    let assessments = compliance::assess(&org, &policies);
    let exists = |a: &Assessment| opts.at.is_none_or(|t| a.since <= t);
    let mut out = Map::new();
    out.insert("at".into(), json!(opts.at));
    out.insert("warnings".into(), json!(warnings(&org, &policies)));
    out.insert("policies".into(), policies_json(&policies, &assessments, &exists, opts.epoch_ms));
    out.insert(
        "units".into(),
        Value::Array(
            org.units
                .iter()
                .map(|u| json!({"id": u.id, "name": u.name, "parent": u.parent, "depth": u.depth}))
                .collect(),
        ),
    );
    out.insert(
        "accounts".into(),
        Value::Array(
            org.accounts
                .iter()
                .map(|a| json!({"id": a.id, "name": a.name, "path": a.path, "joinedAt": a.joined_at, "exists": opts.at.is_none_or(|t| a.joined_at <= t)}))
                .collect(),
        ),
    );
    let mut resources = Vec::new();
    let mut upcoming = Vec::new();
    for a in &assessments {
        let Some(r) = org.resources.get(a.resource) else { continue };
        if exists(a) {
            resources.push(resource_json(&org, &policies, a, opts.epoch_ms));
        } else {
            upcoming.push(json!({"arn": r.arn, "since": a.since}));
        }
    }
    out.insert("resources".into(), Value::Array(resources));
    out.insert("upcoming".into(), Value::Array(upcoming));
    out.insert("timeline".into(), timeline(&assessments));
    if let Some(arn) = &opts.resource {
        let a = assessments
            .iter()
            .find(|a| org.resources.get(a.resource).is_some_and(|r| &r.arn == arn))
            .filter(|a| exists(a))
            .ok_or_else(|| FmsError::Options {
                pointer: "/options/resource".to_owned(),
                reason: format!(
                    "no resource `{}` exists at this moment of the clock",
                    super::error::shorten(arn)
                ),
            })?;
        let (merged, evaluation) = merged_and_evaluation(&org, &policies, a, &opts)?;
        out.insert("merged".into(), merged);
        if let Some(e) = evaluation {
            out.insert("evaluation".into(), e);
        }
    }
    Ok(Value::Object(out))
}

fn warnings(org: &Org, policies: &[Policy]) -> Vec<String> {
    let mut w = Vec::new();
    for p in policies {
        for note in &p.warnings {
            w.push(format!("policy `{}`: {note}", p.name));
        }
        for map in [&p.include, &p.exclude].into_iter().flatten() {
            for a in &map.accounts {
                if org.account(a).is_none() {
                    w.push(format!("policy `{}`: account {a} is not in the organisation", p.name));
                }
            }
            for u in &map.units {
                if !org.has_unit(u) {
                    w.push(format!("policy `{}`: OU {u} is not in the organisation", p.name));
                }
            }
        }
        for s in &p.resource_sets {
            if !org.resource_sets.iter().any(|r| &r.id == s) {
                w.push(format!(
                    "policy `{}`: resource set {s} is not defined in the organisation's `ResourceSets`",
                    p.name
                ));
            }
        }
    }
    for a in &org.accounts {
        for name in a.managed_rules.keys() {
            if !policies.iter().any(|p| &p.name == name) {
                w.push(format!(
                    "account {}: `ManagedWebACLRules` names policy `{name}`, which is not given",
                    a.id
                ));
            }
        }
    }
    w
}

fn policies_json(
    policies: &[Policy],
    assessments: &[Assessment],
    exists: &dyn Fn(&Assessment) -> bool,
    epoch_ms: u64,
) -> Value {
    let group_names = |gs: &[policy::FmsRuleGroup]| -> Vec<Value> {
        gs.iter().map(|g| json!({"name": g.display_name(), "overrideAction": if g.count { "COUNT" } else { "NONE" }})).collect()
    };
    Value::Array(
        policies
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let (mut inscope, mut ok, mut bad) = (0, 0, 0);
                for a in assessments.iter().filter(|a| exists(a)) {
                    match a.statuses.get(i) {
                        Some(Status::Compliant(_)) => {
                            inscope += 1;
                            ok += 1;
                        }
                        Some(Status::NonCompliant(..)) => {
                            inscope += 1;
                            bad += 1;
                        }
                        _ => {}
                    }
                }
                json!({
                    "policyName": p.name,
                    "policyId": p.id,
                    "region": p.region,
                    "resourceTypes": p.kinds.iter().map(|k| k.cfn).collect::<Vec<_>>(),
                    "remediationEnabled": p.remediation,
                    "deleteUnusedFMManagedResources": p.delete_unused,
                    "overrideCustomerWebACLAssociation": p.waf.override_association,
                    "webACLSource": if p.waf.retrofit { Some("RETROFIT_EXISTING") } else { None },
                    "defaultAction": if p.waf.default_block { "BLOCK" } else { "ALLOW" },
                    "webAclName": merge::managed_name(p, epoch_ms),
                    "firstRuleGroups": group_names(&p.waf.pre),
                    "lastRuleGroups": group_names(&p.waf.post),
                    "inScope": inscope,
                    "compliant": ok,
                    "nonCompliant": bad,
                })
            })
            .collect(),
    )
}

fn resource_json(org: &Org, policies: &[Policy], a: &Assessment, epoch_ms: u64) -> Value {
    let Some(r) = org.resources.get(a.resource) else { return Value::Null };
    let account = org.accounts.get(r.account);
    let per: Vec<Value> = a
        .statuses
        .iter()
        .zip(policies)
        .map(|(s, p)| match s {
            Status::OutOfScope(reasons) => json!({
                "policyName": p.name, "inScope": false,
                "reasons": reasons.iter().map(|x| json!({"code": x.kind.code(), "message": x.message})).collect::<Vec<_>>(),
            }),
            Status::Compliant(m) => json!({"policyName": p.name, "inScope": true, "compliant": true, "message": m}),
            Status::NonCompliant(v, m) => {
                json!({"policyName": p.name, "inScope": true, "compliant": false, "violation": v, "message": m})
            }
        })
        .collect();
    let in_scope = a.statuses.iter().any(|s| !matches!(s, Status::OutOfScope(_)));
    let compliant = in_scope.then(|| a.statuses.iter().all(|s| !matches!(s, Status::NonCompliant(..))));
    json!({
        "arn": r.arn,
        "type": r.kind.cfn,
        "kind": r.kind.short,
        "region": r.region,
        "accountId": account.map(|x| x.id.as_str()),
        "accountName": account.map(|x| x.name.as_str()),
        "path": account.map(|x| x.path.clone()),
        "tags": r.tags,
        "since": a.since,
        "ownWebAcl": r.web_acl,
        "webAcl": association_json(policies, &a.association, epoch_ms),
        "inScope": in_scope,
        "compliant": compliant,
        "policies": per,
    })
}

fn association_json(policies: &[Policy], assoc: &Association, epoch_ms: u64) -> Value {
    let pname = |i: &usize| policies.get(*i).map(|p| p.name.clone());
    match assoc {
        Association::None => json!({"source": "none", "name": null}),
        Association::Own(n) => json!({"source": "own", "name": n}),
        Association::Managed(i) => json!({
            "source": "firewall-manager",
            "name": policies.get(*i).map(|p| merge::managed_name(p, epoch_ms)),
            "policyName": pname(i),
        }),
        Association::Retrofitted(i, n) => json!({"source": "retrofitted", "name": n, "policyName": pname(i)}),
    }
}

fn timeline(assessments: &[Assessment]) -> Value {
    // Each resource's standing once: (since, in scope of a policy, non-compliant under one).
    let standing: Vec<(u64, bool, bool)> = assessments
        .iter()
        .map(|a| {
            let in_scope = a.statuses.iter().any(|s| !matches!(s, Status::OutOfScope(_)));
            let bad = a.statuses.iter().any(|s| matches!(s, Status::NonCompliant(..)));
            (a.since, in_scope, bad)
        })
        .collect();
    let mut times: Vec<u64> = standing.iter().map(|s| s.0).collect();
    times.push(0);
    times.sort_unstable();
    times.dedup();
    times.truncate(MAX_TIMELINE);
    Value::Array(
        times
            .into_iter()
            .map(|t| {
                let (mut n, mut inscope, mut ok, mut bad) = (0, 0, 0, 0);
                for &(_, in_scope, nc) in standing.iter().filter(|s| s.0 <= t) {
                    n += 1;
                    if in_scope {
                        inscope += 1;
                        if nc {
                            bad += 1;
                        } else {
                            ok += 1;
                        }
                    }
                }
                json!({"at": t, "resources": n, "inScope": inscope, "compliant": ok, "nonCompliant": bad})
            })
            .collect(),
    )
}

fn merged_and_evaluation(
    org: &Org,
    policies: &[Policy],
    a: &Assessment,
    opts: &Options,
) -> Result<(Value, Option<Value>), FmsError> {
    let r = org
        .resources
        .get(a.resource)
        .ok_or_else(|| FmsError::invalid("/options/resource", "unknown resource"))?;
    let account = org
        .accounts
        .get(r.account)
        .ok_or_else(|| FmsError::invalid("/options/resource", "unknown account"))?;
    let built: Option<Built> = match &a.association {
        Association::None => None,
        Association::Own(n) => merge::own(org, account, n),
        Association::Managed(i) | Association::Retrofitted(i, _) => {
            let p = policies.get(*i).ok_or_else(|| FmsError::invalid("/policies", "unknown policy"))?;
            let retro = match &a.association {
                Association::Retrofitted(_, n) => Some(n.as_str()),
                _ => None,
            };
            Some(merge::managed(org, p, *i, account, r, retro, opts.epoch_ms)?)
        }
    };
    let assoc = association_json(policies, &a.association, opts.epoch_ms);
    let Some(built) = built else {
        let merged = json!({"resource": r.arn, "webAcl": assoc, "rules": [], "document": null});
        let evaluation = opts.request.as_ref().map(|_| {
            json!({"record": null, "action": "ALLOW", "set": null, "note": "no web ACL is associated: the request reaches the resource uninspected"})
        });
        return Ok((merged, evaluation));
    };
    let rules: Vec<Value> = built
        .rules
        .iter()
        .map(|o| json!({"name": o.name, "set": o.set.name(), "priority": o.priority, "ruleGroup": o.group, "source": o.source}))
        .collect();
    let waf_opts = json!({"resourceType": r.kind.waf});
    let mut acl = WebAcl::new(&built.web_acl, &built.resources, &waf_opts).map_err(|e| {
        // Name the rule's source when the WAF engine points into the merged rules.
        let context = e
            .pointer()
            .and_then(|p| p.strip_prefix("/Rules/"))
            .and_then(|rest| rest.split('/').next())
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| built.rules.get(n))
            .map_or_else(
                || format!("the web ACL of {}", r.arn),
                |o| format!("rule `{}` ({} set, from {})", o.name, o.set.name(), o.source),
            );
        FmsError::waf(context, e)
    })?;
    let merged = json!({
        "resource": r.arn,
        "webAcl": assoc,
        "rules": rules,
        "capacity": acl.capacity(),
        "document": built.web_acl,
    });
    let evaluation = match &opts.request {
        None => None,
        Some(req) => {
            let record = acl
                .evaluate(req, &opts.context)
                .map_err(|e| FmsError::waf(format!("the request at {}", r.arn), e))?;
            let term = record.get("terminatingRuleId").and_then(Value::as_str).unwrap_or("");
            let set = if term == "Default_Action" {
                Some("default")
            } else {
                built.rules.iter().find(|o| o.name == term).map(|o| o.set.name())
            };
            let action = record.get("action").cloned().unwrap_or(Value::Null);
            Some(json!({"record": record, "action": action, "set": set}))
        }
    };
    Ok((merged, evaluation))
}

/// An error as the JS boundary shows it: `{ok: false, code, message, pointer?}`.
pub fn error_value(e: &FmsError) -> Value {
    let mut m = Map::new();
    m.insert("ok".to_owned(), Value::Bool(false));
    m.insert("code".to_owned(), Value::String(e.code().to_owned()));
    m.insert("message".to_owned(), Value::String(e.to_string()));
    if let Some(p) = e.pointer() {
        m.insert("pointer".to_owned(), Value::String(p.to_owned()));
    }
    if let FmsError::Waf { source, .. } = e {
        m.insert("wafCode".to_owned(), Value::String(source.code().to_owned()));
    }
    Value::Object(m)
}
