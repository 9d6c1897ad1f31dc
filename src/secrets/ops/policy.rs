//! Resource policies: PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy and
//! ValidateResourcePolicy, with `BlockPublicPolicy`.
//!
//! A policy must parse and pass the policy engine's Access Analyzer-style validation for resource
//! policies with no error (else `MalformedPolicyDocumentException`), at most 20,480 characters
//! (<https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutResourcePolicy.html>).
//! With `BlockPublicPolicy` (the default in the console; here as in the API, off unless set)
//! a policy that grants broad access is refused with `PublicPolicyException`
//! (<https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_resource-policies.html>).
//! AWS decides "broad" with automated reasoning (Zelkova); this engine's reading, stated here so a
//! user can check it: an `Allow` statement whose principal is everyone (`"*"` or `{"AWS": "*"}`)
//! is public unless a condition pins the caller with a positive operator on one of
//! `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`,
//! `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceVpc`, `aws:SourceVpce`, `aws:userid` (and no
//! value of it is a wildcard).

use serde_json::{json, Value};

use super::super::error::SecretsError;
use super::{allow, find, params, secret, secret_mut, Call};
use crate::policy::{validate_policy, FindingLevel, PolicyType};

/// The longest policy text accepted.
pub const MAX_POLICY: usize = 20_480;

const PINNING_KEYS: &[&str] = &[
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:userid",
];

fn everyone(principal: &Value) -> bool {
    match principal {
        Value::String(s) => s == "*",
        Value::Object(o) => o.get("AWS").is_some_and(|a| match a {
            Value::String(s) => s == "*",
            Value::Array(items) => items.iter().any(|i| i == "*"),
            _ => false,
        }),
        _ => false,
    }
}

/// Whether a condition block pins the caller (see the module comment).
fn pins_caller(condition: Option<&Value>) -> bool {
    let Some(Value::Object(ops)) = condition else { return false };
    ops.iter().any(|(op, keys)| {
        let positive = !op.contains("Not") && !op.ends_with("IfExists") && op != "Null";
        positive
            && keys.as_object().is_some_and(|k| {
                k.iter().any(|(key, vals)| {
                    let no_wildcard = match vals {
                        Value::String(s) => !s.contains('*'),
                        Value::Array(a) => a.iter().all(|v| v.as_str().is_some_and(|s| !s.contains('*'))),
                        _ => false,
                    };
                    PINNING_KEYS.contains(&key.to_ascii_lowercase().as_str()) && no_wildcard
                })
            })
    })
}

/// The statements (by index) that make a policy public.
pub fn public_statements(policy: &Value) -> Vec<usize> {
    let statements = match policy.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect::<Vec<_>>(),
        Some(s @ Value::Object(_)) => vec![s],
        _ => Vec::new(),
    };
    statements
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s.get("Effect").and_then(Value::as_str) == Some("Allow")
                && s.get("Principal").is_some_and(everyone)
                && !pins_caller(s.get("Condition"))
        })
        .map(|(i, _)| i)
        .collect()
}

/// What ValidateResourcePolicy reports: `(passed, [{CheckName, ErrorMessage}])`.
pub fn validate(text: &str) -> (bool, Vec<Value>) {
    let mut errors: Vec<Value> = validate_policy(text, PolicyType::Resource)
        .into_iter()
        .filter(|f| f.level == FindingLevel::Error)
        .map(|f| json!({"CheckName": f.code, "ErrorMessage": format!("{} ({})", f.message, f.path)}))
        .collect();
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        for i in public_statements(&v) {
            errors.push(json!({
                "CheckName": "BLOCK_PUBLIC_POLICY",
                "ErrorMessage": format!("statement {i} grants access to everyone: name principals or pin them with a condition such as aws:PrincipalAccount or aws:PrincipalOrgID"),
            }));
        }
    }
    (errors.is_empty(), errors)
}

fn policy_text<'a>(p: &crate::kms::params::Params<'a>) -> Result<&'a str, SecretsError> {
    p.req_str("ResourcePolicy", 1, MAX_POLICY).map_err(SecretsError::from_params)
}

/// PutResourcePolicy.
pub fn put_resource_policy(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(request, &["SecretId", "ResourcePolicy", "BlockPublicPolicy"])?;
    let id = p.req_str("SecretId", 1, 2048).map_err(SecretsError::from_params)?;
    let text = policy_text(&p)?;
    let block = p.bool("BlockPublicPolicy").map_err(SecretsError::from_params)?.unwrap_or(false);
    let arn = find(c, id)?;
    allow(c, "PutResourcePolicy", Some(&arn), &[("secretsmanager:BlockPublicPolicy", block.to_string())])?;
    let findings: Vec<String> = validate_policy(text, PolicyType::Resource)
        .into_iter()
        .filter(|f| f.level == FindingLevel::Error)
        .map(|f| format!("{}: {} at {}", f.code, f.message, f.path))
        .collect();
    if !findings.is_empty() {
        return Err(SecretsError::malformed_policy(format!(
            "This resource policy contains an unsupported or malformed element: {}",
            findings.join("; ")
        )));
    }
    if block {
        let v: Value = serde_json::from_str(text)
            .map_err(|e| SecretsError::malformed_policy(format!("the policy is not JSON: {e}")))?;
        let public = public_statements(&v);
        if !public.is_empty() {
            return Err(SecretsError::public_policy(format!(
                "BlockPublicPolicy: statement {} grants public access to the secret; name principals or \
                 pin them with a condition such as aws:PrincipalAccount",
                public.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")
            )));
        }
    }
    let now = c.w.now;
    let s = secret_mut(c.store, &arn)?;
    s.policy = Some(text.to_string());
    s.last_changed = now;
    Ok(json!({"ARN": arn, "Name": s.name}))
}

/// GetResourcePolicy.
pub fn get_resource_policy(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(request, &["SecretId"])?;
    let id = p.req_str("SecretId", 1, 2048).map_err(SecretsError::from_params)?;
    let arn = find(c, id)?;
    allow(c, "GetResourcePolicy", Some(&arn), &[])?;
    let s = secret(c.store, &arn)?;
    let mut out = json!({"ARN": arn, "Name": s.name});
    if let (Some(pol), Some(o)) = (&s.policy, out.as_object_mut()) {
        o.insert("ResourcePolicy".into(), json!(pol));
    }
    Ok(out)
}

/// DeleteResourcePolicy.
pub fn delete_resource_policy(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(request, &["SecretId"])?;
    let id = p.req_str("SecretId", 1, 2048).map_err(SecretsError::from_params)?;
    let arn = find(c, id)?;
    allow(c, "DeleteResourcePolicy", Some(&arn), &[])?;
    let now = c.w.now;
    let s = secret_mut(c.store, &arn)?;
    s.policy = None;
    s.last_changed = now;
    Ok(json!({"ARN": arn, "Name": s.name}))
}

/// ValidateResourcePolicy (`SecretId` optional).
pub fn validate_resource_policy(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(request, &["SecretId", "ResourcePolicy"])?;
    let id = p.str("SecretId", 1, 2048).map_err(SecretsError::from_params)?;
    let text = policy_text(&p)?;
    let arn = id.map(|i| find(c, i)).transpose()?;
    allow(c, "ValidateResourcePolicy", arn.as_deref(), &[])?;
    let (passed, errors) = validate(text);
    let mut out = json!({"PolicyValidationPassed": passed});
    if let (false, Some(o)) = (errors.is_empty(), out.as_object_mut()) {
        o.insert("ValidationErrors".into(), Value::Array(errors));
    }
    Ok(out)
}
