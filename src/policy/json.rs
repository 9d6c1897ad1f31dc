//! The JSON layer: plain functions over `serde_json::Value` / text in the shapes of the JS API.
//!
//! `evaluatePolicy(input)` takes exactly one case of `shared/vectors/iam/policy-eval-cases.json`
//! (`{request, policies}`); each policy may be an object or JSON text (positions then refer to
//! that text; when the whole input is given as text, positions of object policies refer to the
//! input). An optional `grants` array beside `policies` holds KMS grants in the `ListGrants`
//! shape; `request.deriveGlobalKeys: true` fills `aws:PrincipalArn` and similar keys from the
//! principal (see `Request::with_derived_keys`). The output is camelCase: `decision`, `matchedStatements`, `missingContextKeys`, `trace`.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::actions::service_actions;
use super::document::Policy;
use super::error::PolicyError;
use super::evaluate::{evaluate, PolicySet};
use super::grants::read_grant;
use super::parse::{parse_policy, policy_from_node};
use super::request::{Caller, Context, Request};
use super::result::{Evaluation, MatchedStatement};
use super::source::{parse_json, Node, NodeValue, Span};
use super::templates;
use super::validate::{validate_policy, Finding, PolicyType};

/// Evaluates one `{request, policies}` input given as a value.
pub fn evaluate_policy(input: &Value) -> Result<Value, PolicyError> {
    evaluate_node(&Node::from_value(input))
}

/// Evaluates one `{request, policies}` input given as JSON text.
pub fn evaluate_policy_str(input: &str) -> Result<Value, PolicyError> {
    evaluate_node(&parse_json(input)?)
}

fn evaluate_node(node: &Node) -> Result<Value, PolicyError> {
    let (set, req) = read_input(node)?;
    Ok(evaluation_to_json(&evaluate(&set, &req)))
}

/// Validates a policy given as text; `policy_type` is one of identity, resource, key, scp, rcp,
/// boundary, session, trust. Returns the findings as an array of objects.
pub fn validate_policy_json(policy: &str, policy_type: &str) -> Result<Value, PolicyError> {
    let kind = PolicyType::parse(policy_type)?;
    Ok(Value::Array(validate_policy(policy, kind).iter().map(finding_to_json).collect()))
}

/// The context keys the policies of an input use (`{policies}`; a `request` is ignored), as a
/// JSON array of strings: suggestions for the request builder.
pub fn referenced_context_keys(input: &Value) -> Result<Value, PolicyError> {
    let node = Node::from_value(input);
    let set = match node.get("policies") {
        None => PolicySet::default(),
        Some(p) => read_policies(p)?,
    };
    Ok(json!(set.referenced_keys()))
}

/// An error as the JS boundary reports it: `{name, code, message}`.
pub fn error_to_json(e: &PolicyError) -> Value {
    json!({"name": "PolicyError", "code": e.code(), "message": e.to_string()})
}

/// "What can this principal do on this resource": evaluates the input's request once per
/// action of `service` (for example `kms`), parsing the policies once. Returns
/// `[{action, decision}]` in the service's action order.
pub fn evaluate_actions(input: &Value, service: &str) -> Result<Value, PolicyError> {
    let (set, mut req) = read_input(&Node::from_value(input))?;
    let lower = service.to_ascii_lowercase();
    let (actions, _) = service_actions(&lower).ok_or_else(|| {
        request_error(format!(
            "the playground has no action list for `{service}`; use kms, s3, iam, sts, ssm, secretsmanager, acm or wafv2"
        ))
    })?;
    let mut out = Vec::with_capacity(actions.len());
    for a in actions {
        req.action = format!("{lower}:{a}");
        let e = evaluate(&set, &req);
        out.push(json!({"action": req.action, "decision": e.decision.as_str()}));
    }
    Ok(Value::Array(out))
}

/// A policy template by name, with its parameters; returns `{policyType, policy}` where
/// `policy` is JSON text. Names: `defaultKeyPolicy` (account), `consoleKeyPolicy` (account,
/// administrators, users), `crossAccountKeyPolicy` (account, externalAccount),
/// `crossAccountIdentityPolicy` (keyArn), `parameterStorePathPolicy` (region, account, path, keyArn).
pub fn policy_template(name: &str, params: &Value) -> Result<Value, PolicyError> {
    let text = |k: &str| -> Result<&str, PolicyError> {
        params
            .get(k)
            .and_then(Value::as_str)
            .ok_or_else(|| request_error(format!("template `{name}` needs the string parameter `{k}`")))
    };
    let list = |k: &str| -> Result<Vec<&str>, PolicyError> {
        match params.get(k) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().ok_or_else(|| request_error(format!("`{k}` must be an array of ARNs"))))
                .collect(),
            Some(_) => Err(request_error(format!("`{k}` must be an array of ARNs"))),
        }
    };
    let (kind, policy) = match name {
        "defaultKeyPolicy" => ("key", templates::default_key_policy(text("account")?)?),
        "consoleKeyPolicy" => (
            "key",
            templates::console_key_policy(
                text("account")?,
                &list("administrators")?,
                &list("users")?,
            )?,
        ),
        "crossAccountKeyPolicy" => (
            "key",
            templates::cross_account_key_policy(text("account")?, text("externalAccount")?)?,
        ),
        "crossAccountIdentityPolicy" => (
            "identity",
            templates::cross_account_identity_policy(text("keyArn")?)?,
        ),
        "parameterStorePathPolicy" => (
            "identity",
            templates::parameter_store_path_policy(
                text("region")?,
                text("account")?,
                text("path")?,
                text("keyArn")?,
            )?,
        ),
        other => {
            return Err(request_error(format!(
                "unknown template `{other}`; use defaultKeyPolicy, consoleKeyPolicy, crossAccountKeyPolicy, crossAccountIdentityPolicy or parameterStorePathPolicy"
            )))
        }
    };
    Ok(json!({"policyType": kind, "policy": policy}))
}

fn finding_to_json(f: &Finding) -> Value {
    json!({
        "findingType": f.level.as_str(),
        "issueCode": f.code,
        "message": f.message,
        "location": {
            "path": f.path,
            "range": span_to_json(f.span),
        },
    })
}

fn request_error(message: impl Into<String>) -> PolicyError {
    PolicyError::InvalidRequest { message: message.into() }
}

/// Reads the typed policy set and request from an input tree.
pub fn read_input(node: &Node) -> Result<(PolicySet, Request), PolicyError> {
    if node.as_object().is_none() {
        return Err(request_error("the input must be an object with `request` and `policies`"));
    }
    let request = node.get("request").ok_or_else(|| request_error("missing `request`"))?;
    let req = read_request(request)?;
    Ok((read_set(node)?, req))
}

/// `policies` and `grants` of an input object (a missing `policies` is an empty set).
fn read_set(node: &Node) -> Result<PolicySet, PolicyError> {
    let mut set = match node.get("policies") {
        None => PolicySet::default(),
        Some(p) => read_policies(p)?,
    };
    match node.get("grants").map(|g| &g.value) {
        None | Some(NodeValue::Null) => {}
        Some(NodeValue::Array(items)) => {
            set.grants = items
                .iter()
                .enumerate()
                .map(|(i, g)| read_grant(g, &format!("grants[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
        }
        Some(_) => return Err(request_error("`grants` must be an array of KMS grants")),
    }
    Ok(set)
}

/// A policy set read once and evaluated for many requests (parse once, evaluate many): the
/// JS `CompiledPolicies` class. Built from `{policies, grants?}` (an evaluation input without
/// its `request`); positions refer to the text the policies were given in.
#[derive(Debug, Clone)]
pub struct CompiledPolicies {
    set: PolicySet,
}

impl CompiledPolicies {
    /// From a value.
    pub fn new(input: &Value) -> Result<Self, PolicyError> {
        Self::from_node(&Node::from_value(input))
    }

    /// From JSON text.
    pub fn from_text(input: &str) -> Result<Self, PolicyError> {
        Self::from_node(&parse_json(input)?)
    }

    fn from_node(node: &Node) -> Result<Self, PolicyError> {
        if node.as_object().is_none() {
            return Err(request_error("the input must be an object with `policies`"));
        }
        Ok(Self { set: read_set(node)? })
    }

    /// The full result (decision, deciding statements, missing keys, trace) for one request,
    /// given in the `request` shape of an evaluation input.
    pub fn evaluate(&self, request: &Value) -> Result<Value, PolicyError> {
        let req = read_request(&Node::from_value(request))?;
        Ok(evaluation_to_json(&evaluate(&self.set, &req)))
    }

    /// Only the decision (`allowed`, `explicitDeny`, `implicitDeny`): no result object to build.
    pub fn decision(&self, request: &Value) -> Result<&'static str, PolicyError> {
        let req = read_request(&Node::from_value(request))?;
        Ok(evaluate(&self.set, &req).decision.as_str())
    }
}

fn string_field(node: &Node, key: &str) -> Result<String, PolicyError> {
    match node.get(key) {
        Some(n) => n
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| request_error(format!("`request.{key}` must be a string"))),
        None => Err(request_error(format!("missing `request.{key}`"))),
    }
}

fn read_request(node: &Node) -> Result<Request, PolicyError> {
    if node.as_object().is_none() {
        return Err(request_error("`request` must be an object"));
    }
    let anonymous = matches!(node.get("anonymous").map(|n| &n.value), Some(NodeValue::Bool(true)));
    let principal = match node.get("principal").map(|n| &n.value) {
        None | Some(NodeValue::Null) => None,
        Some(NodeValue::String(s)) => Some(s.clone()),
        Some(_) => return Err(request_error("`request.principal` must be a string or null")),
    };
    let caller = if anonymous { Caller::Anonymous } else { Caller::classify(principal.as_deref()) };
    let action = string_field(node, "action")?;
    if !action.contains(':') {
        return Err(request_error(format!(
            "`request.action` must look like `service:Action`, got `{action}`"
        )));
    }
    let resource = string_field(node, "resource")?;
    let resource_account = match node.get("resourceAccount") {
        Some(_) => string_field(node, "resourceAccount")?,
        None => super::pattern::split_arn(&resource)
            .map(|s| s[4].to_string())
            .filter(|a| !a.is_empty())
            .or_else(|| caller.account().map(str::to_string))
            .unwrap_or_default(),
    };
    let mut context = Context::default();
    if let Some(c) = node.get("context") {
        let members = c.as_object().ok_or_else(|| request_error("`request.context` must be an object"))?;
        for m in members {
            let scalar = |n: &Node| match &n.value {
                NodeValue::String(s) => Ok(s.clone()),
                NodeValue::Number(s) => Ok(s.clone()),
                NodeValue::Bool(b) => Ok(b.to_string()),
                _ => Err(request_error(format!(
                    "context key `{}` must be a string or an array of strings",
                    m.key
                ))),
            };
            match &m.value.value {
                NodeValue::Array(items) => {
                    let values = items.iter().map(scalar).collect::<Result<Vec<_>, _>>()?;
                    context.insert(&m.key, values, true);
                }
                _ => context.insert(&m.key, vec![scalar(&m.value)?], false),
            }
        }
    }
    let req = Request { caller, action, resource, resource_account, context };
    let derive = matches!(node.get("deriveGlobalKeys").map(|n| &n.value), Some(NodeValue::Bool(true)));
    Ok(if derive { req.with_derived_keys() } else { req })
}

/// A policy given as an object, or as JSON text (then positions refer to that text).
fn read_policy(node: &Node, path: &str) -> Result<Policy, PolicyError> {
    let r = match &node.value {
        NodeValue::String(text) => parse_policy(text),
        _ => policy_from_node(node),
    };
    r.map_err(|e| match e {
        PolicyError::InvalidPolicy { location, message } => {
            PolicyError::InvalidPolicy { location: format!("{path} {location}"), message }
        }
        PolicyError::MalformedJson { line, column, message } => {
            PolicyError::MalformedJson { line, column, message: format!("in {path}: {message}") }
        }
        other => other,
    })
}

fn read_list(node: &Node, path: &str) -> Result<Vec<Arc<Policy>>, PolicyError> {
    match &node.value {
        NodeValue::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, p)| read_policy(p, &format!("{path}[{i}]")).map(Arc::new))
            .collect(),
        _ => Err(request_error(format!("`policies.{path}` must be an array"))),
    }
}

fn read_levels(node: &Node, path: &str) -> Result<Vec<Vec<Arc<Policy>>>, PolicyError> {
    match &node.value {
        NodeValue::Array(levels) => {
            levels.iter().enumerate().map(|(i, l)| read_list(l, &format!("{path}[{i}]"))).collect()
        }
        _ => Err(request_error(format!(
            "`policies.{path}` must be an array of arrays (one per organisation level)"
        ))),
    }
}

fn read_policies(node: &Node) -> Result<PolicySet, PolicyError> {
    let members = node.as_object().ok_or_else(|| request_error("`policies` must be an object"))?;
    let mut set = PolicySet::default();
    for m in members {
        let v = &m.value;
        if v.value == NodeValue::Null {
            continue;
        }
        match m.key.as_str() {
            "identity" => set.identity = read_list(v, "identity")?,
            "resource" => set.resource = Some(Arc::new(read_policy(v, "resource")?)),
            "permissionsBoundary" => {
                set.permissions_boundary = Some(Arc::new(read_policy(v, "permissionsBoundary")?))
            }
            "session" => set.session = Some(Arc::new(read_policy(v, "session")?)),
            "scps" => set.scps = read_levels(v, "scps")?,
            "rcps" => set.rcps = read_levels(v, "rcps")?,
            "vpcEndpoint" => set.vpc_endpoint = read_list(v, "vpcEndpoint")?,
            other => {
                return Err(request_error(format!(
                    "unknown policy kind `{other}`; use identity, resource, permissionsBoundary, session, scps, rcps or vpcEndpoint"
                )))
            }
        }
    }
    Ok(set)
}

fn span_to_json(span: Option<Span>) -> Value {
    match span {
        None => Value::Null,
        Some(s) => json!({
            "start": {"line": s.start.line, "column": s.start.column},
            "end": {"line": s.end.line, "column": s.end.column},
        }),
    }
}

fn statement_to_json(m: &MatchedStatement) -> Value {
    let mut o = Map::new();
    o.insert("policyType".into(), m.kind.as_str().into());
    o.insert("policy".into(), m.policy.clone().into());
    o.insert("statementIndex".into(), m.statement_index.into());
    o.insert("sid".into(), m.sid.clone().map_or(Value::Null, Value::String));
    o.insert("effect".into(), m.effect.as_str().into());
    o.insert("range".into(), span_to_json(m.span));
    Value::Object(o)
}

/// The camelCase output of an evaluation.
pub fn evaluation_to_json(e: &Evaluation) -> Value {
    json!({
        "decision": e.decision.as_str(),
        "matchedStatements": e.matched_statements.iter().map(statement_to_json).collect::<Vec<_>>(),
        "missingContextKeys": e.missing_context_keys,
        "trace": e.trace.iter().map(|s| json!({
            "subject": s.subject,
            "outcome": s.outcome.as_str(),
            "message": s.message,
        })).collect::<Vec<_>>(),
    })
}
