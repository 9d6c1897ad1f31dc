//! The audit log: every call, allowed or denied, as a CloudTrail event of `kms.amazonaws.com`,
//! and the events KMS makes itself on the clock (`DeleteKey` at the end of a deletion window,
//! `RotateKey` for automatic rotations).
//!
//! As CloudTrail does, request parameters leave out plaintexts, ciphertexts, messages,
//! signatures and MACs, and the responses of cryptographic operations are not logged
//! (`responseElements: null`); other responses are logged without secrets or grant tokens.
//! Member names are camelCased as CloudTrail writes them. Filterable with [`filter`], exportable
//! as CloudTrail's `{"Records": […]}` with [`export`]. The log keeps the newest
//! [`MAX_EVENTS`] events at most (when full, the oldest tenth is dropped at once).

use serde::Deserialize;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::error::KmsError;
use super::ops::{crypto::CRYPTO_OPERATIONS, hex, uuid, Call};
use super::time::iso8601;
use super::world::World;
use crate::policy::request::{Caller, PrincipalKind};

/// Events kept at most; older ones are dropped first.
pub const MAX_EVENTS: usize = 50_000;

/// Members CloudTrail never logs.
const SECRET_MEMBERS: &[&str] = &[
    "Plaintext",
    "CiphertextBlob",
    "SourceCiphertextBlob",
    "Message",
    "Signature",
    "Mac",
    "PrivateKeyPlaintext",
    "PrivateKeyCiphertextBlob",
    "PublicKey",
    "SharedSecret",
    "SharedSecretCiphertextBlob",
    "GrantToken",
    "GrantTokens",
    "ImportToken",
    "EncryptedKeyMaterial",
];

fn camel(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Top-level members camelCased, secrets left out; `null` when nothing is left.
fn redact(v: &Value) -> Value {
    let Some(o) = v.as_object() else { return Value::Null };
    let out: Map<String, Value> = o
        .iter()
        .filter(|(k, _)| !SECRET_MEMBERS.contains(&k.as_str()))
        .map(|(k, v)| (camel(k), v.clone()))
        .collect();
    if out.is_empty() {
        Value::Null
    } else {
        Value::Object(out)
    }
}

/// A stable made-up unique id for a principal (`AIDA…`, `AROA…`), as CloudTrail shows one.
fn principal_id(prefix: &str, arn: &str) -> String {
    let h = hex(&Sha256::digest(arn.as_bytes()));
    format!("{prefix}{}", h.get(..17).unwrap_or_default().to_ascii_uppercase())
}

fn user_identity(c: &Call<'_>) -> Value {
    let mut v = match &c.who.caller {
        Caller::Service(s) => json!({"type": "AWSService", "invokedBy": s}),
        Caller::Aws(p) => match &p.kind {
            PrincipalKind::Root => {
                json!({"type": "Root", "principalId": p.account, "arn": p.arn, "accountId": p.account})
            }
            PrincipalKind::User => json!({
                "type": "IAMUser",
                "principalId": principal_id("AIDA", &p.arn),
                "arn": p.arn,
                "accountId": p.account,
                "userName": p.arn.rsplit('/').next().unwrap_or_default(),
            }),
            PrincipalKind::AssumedRole { role_arn } => {
                let session = p.arn.rsplit('/').next().unwrap_or_default();
                json!({
                    "type": "AssumedRole",
                    "principalId": format!("{}:{session}", principal_id("AROA", role_arn)),
                    "arn": p.arn,
                    "accountId": p.account,
                    "sessionContext": {
                        "sessionIssuer": {
                            "type": "Role",
                            "principalId": principal_id("AROA", role_arn),
                            "arn": role_arn,
                            "accountId": p.account,
                            "userName": role_arn.rsplit('/').next().unwrap_or_default(),
                        },
                        "attributes": {"mfaAuthenticated": c.ctx.mfa.unwrap_or(false).to_string()},
                    },
                })
            }
            _ => {
                json!({"type": "AssumedRole", "principalId": principal_id("AROA", &p.arn), "arn": p.arn, "accountId": p.account})
            }
        },
        Caller::Anonymous => json!({"type": "Unknown"}),
    };
    if let (Some(s), Some(o)) = (&c.ctx.via_service, v.as_object_mut()) {
        o.insert("invokedBy".into(), json!(s));
    }
    v
}

/// Events dropped at once when the log is full: dropping one per call would move the whole log
/// on every call (the cost of a call doubled once the log was full).
const DROP_AT_ONCE: usize = MAX_EVENTS / 10;

fn push(w: &mut World, event: Value) {
    if w.audit.len() >= MAX_EVENTS {
        let excess = w.audit.len() + DROP_AT_ONCE - MAX_EVENTS;
        w.audit.drain(..excess.min(w.audit.len()));
    }
    w.audit.push(event);
}

/// Records one call.
pub fn record(w: &mut World, c: &Call<'_>, request: &Value, result: &Result<Value, KmsError>) {
    let read_only = c.operation.starts_with("Describe")
        || c.operation.starts_with("Get")
        || c.operation.starts_with("List")
        || CRYPTO_OPERATIONS.contains(&c.operation)
        || c.operation == "GenerateRandom";
    let mut resources: Vec<Value> = Vec::new();
    for arn in &c.resources {
        if !resources.iter().any(|r| r.get("ARN").and_then(Value::as_str) == Some(arn)) {
            let account = arn.split(':').nth(4).unwrap_or_default();
            resources.push(json!({"accountId": account, "type": "AWS::KMS::Key", "ARN": arn}));
        }
    }
    let recipient = c
        .resources
        .first()
        .and_then(|a| a.split(':').nth(4))
        .map(str::to_string)
        .or_else(|| c.who.account.clone())
        .unwrap_or_default();
    let source_ip = match (&c.ctx.source_ip, &c.ctx.via_service, &c.who.caller) {
        (_, Some(s), _) => s.clone(),
        (Some(ip), None, _) => ip.clone(),
        (None, None, Caller::Service(s)) => s.clone(),
        _ => "203.0.113.10".to_string(),
    };
    let mut e = json!({
        "eventVersion": "1.11",
        "userIdentity": user_identity(c),
        "eventTime": iso8601(w.now),
        "eventSource": "kms.amazonaws.com",
        "eventName": c.operation,
        "awsRegion": c.who.region,
        "sourceIPAddress": source_ip,
        "userAgent": "secplay-kms",
        "requestParameters": redact(request),
        "responseElements": Value::Null,
        "requestID": uuid().unwrap_or_default(),
        "eventID": uuid().unwrap_or_default(),
        "readOnly": read_only,
        "resources": resources,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": recipient,
        "eventCategory": "Management",
    });
    if let Some(o) = e.as_object_mut() {
        match result {
            Ok(v) if !CRYPTO_OPERATIONS.contains(&c.operation) && c.operation != "GenerateRandom" => {
                o.insert("responseElements".into(), redact(v));
            }
            Ok(_) => {}
            Err(err) => {
                o.insert("errorCode".into(), json!(err.code()));
                o.insert("errorMessage".into(), json!(err.to_string()));
            }
        }
    }
    push(w, e);
}

/// Records an event KMS makes on its own (clock-driven deletion and rotation).
pub fn record_service_event(w: &mut World, name: &str, key_arn: &str) {
    let parts: Vec<&str> = key_arn.split(':').collect();
    let region = parts.get(3).copied().unwrap_or_default();
    let account = parts.get(4).copied().unwrap_or_default();
    let e = json!({
        "eventVersion": "1.11",
        "userIdentity": {"accountId": account, "invokedBy": "kms.amazonaws.com"},
        "eventTime": iso8601(w.now),
        "eventSource": "kms.amazonaws.com",
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": "kms.amazonaws.com",
        "userAgent": "kms.amazonaws.com",
        "requestParameters": Value::Null,
        "responseElements": Value::Null,
        "additionalEventData": {"keyId": key_arn},
        "eventID": uuid().unwrap_or_default(),
        "readOnly": false,
        "resources": [{"accountId": account, "type": "AWS::KMS::Key", "ARN": key_arn}],
        "eventType": "AwsServiceEvent",
        "managementEvent": true,
        "recipientAccountId": account,
        "eventCategory": "Management",
    });
    push(w, e);
}

/// What [`filter`] accepts (all optional; all given must hold).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Filter {
    pub event_name: Option<String>,
    /// The caller's ARN (`userIdentity.arn`).
    pub principal: Option<String>,
    /// A key ARN among the event's resources.
    pub key_arn: Option<String>,
    pub region: Option<String>,
    /// Only failed calls (`true`) or only successful ones (`false`).
    pub errors: Option<bool>,
    pub error_code: Option<String>,
    pub read_only: Option<bool>,
    /// Epoch seconds, inclusive.
    pub since: Option<i64>,
    pub until: Option<i64>,
    /// At most this many, newest last.
    pub limit: Option<usize>,
}

/// The events matching a filter (`null` = all).
pub fn filter(w: &World, f: &Value) -> Result<Vec<Value>, KmsError> {
    let f: Filter = if f.is_null() {
        Filter::default()
    } else {
        Filter::deserialize(f).map_err(|e| KmsError::validation(format!("audit log filter: {e}")))?
    };
    let s = |e: &Value, k: &str| e.get(k).and_then(Value::as_str).map(str::to_string);
    let mut out: Vec<Value> = w
        .audit
        .iter()
        .filter(|e| f.event_name.as_ref().is_none_or(|n| s(e, "eventName").as_ref() == Some(n)))
        .filter(|e| {
            f.principal
                .as_ref()
                .is_none_or(|p| e.pointer("/userIdentity/arn").and_then(Value::as_str) == Some(p))
        })
        .filter(|e| {
            f.key_arn.as_ref().is_none_or(|k| {
                e.get("resources")
                    .and_then(Value::as_array)
                    .is_some_and(|r| r.iter().any(|x| x.get("ARN").and_then(Value::as_str) == Some(k)))
            })
        })
        .filter(|e| f.region.as_ref().is_none_or(|r| s(e, "awsRegion").as_ref() == Some(r)))
        .filter(|e| f.errors.is_none_or(|want| e.get("errorCode").is_some() == want))
        .filter(|e| f.error_code.as_ref().is_none_or(|c| s(e, "errorCode").as_ref() == Some(c)))
        .filter(|e| f.read_only.is_none_or(|r| e.get("readOnly").and_then(Value::as_bool) == Some(r)))
        .filter(|e| {
            let t = s(e, "eventTime").and_then(|t| crate::common::date::parse_date(&t)).map(|ms| ms / 1000);
            f.since.is_none_or(|since| t.is_some_and(|t| t >= since))
                && f.until.is_none_or(|u| t.is_some_and(|t| t <= u))
        })
        .cloned()
        .collect();
    if let Some(n) = f.limit {
        let skip = out.len().saturating_sub(n);
        out.drain(..skip);
    }
    Ok(out)
}

/// The whole log as a CloudTrail log file: `{"Records": […]}`.
pub fn export(w: &World) -> Value {
    json!({ "Records": w.audit })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_log_drops_its_oldest_tenth_at_once_and_keeps_the_newest() {
        let mut w = World::new();
        for i in 0..MAX_EVENTS + 1 {
            push(&mut w, json!(i));
        }
        assert_eq!(w.audit.len(), MAX_EVENTS - DROP_AT_ONCE + 1, "the oldest tenth must go in one step");
        assert_eq!(w.audit.last(), Some(&json!(MAX_EVENTS)), "the newest event must be kept");
        assert_eq!(w.audit.first(), Some(&json!(DROP_AT_ONCE)), "exactly the oldest events must go");
    }
}
