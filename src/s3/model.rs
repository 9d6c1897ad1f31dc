//! The evaluation input besides the configuration, read into typed values: the buckets, the
//! replication role's policies, the KMS keys (inline, or from a KMS emulator world) and the objects.
//!
//! Policies are parsed once here; every later decision goes through the policy engine. Untrusted
//! counts are bounded before anything is built from them.

use std::collections::BTreeMap;

use serde_json::Value;

use super::error::S3Error;
use crate::kms::world::World;
use crate::policy::{parse_policy, parse_policy_value, Policy};

/// Most objects in one input (an inventory has no limit: it is read as a stream).
pub const MAX_OBJECTS: usize = 100_000;
/// Most destination buckets, roles or keys.
pub const MAX_ENTRIES: usize = 10_000;
/// Most tags on an object (S3's limit).
pub const MAX_OBJECT_TAGS: usize = 10;

/// An object's server-side encryption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Encryption {
    None,
    SseS3,
    SseKms,
    DsseKms,
    SseC,
}

impl Encryption {
    /// Reads `NONE`, `SSE-S3`, `SSE-KMS`, `DSSE-KMS`, `SSE-C` and the `x-amz-server-side-encryption`
    /// values `AES256`, `aws:kms`, `aws:kms:dsse`.
    pub fn parse(s: &str) -> Option<Encryption> {
        Some(match s {
            "NONE" | "NOT-SSE" => Encryption::None,
            "SSE-S3" | "AES256" => Encryption::SseS3,
            "SSE-KMS" | "aws:kms" => Encryption::SseKms,
            "DSSE-KMS" | "aws:kms:dsse" => Encryption::DsseKms,
            "SSE-C" => Encryption::SseC,
            _ => return None,
        })
    }

    /// The name used in inputs and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Encryption::None => "NONE",
            Encryption::SseS3 => "SSE-S3",
            Encryption::SseKms => "SSE-KMS",
            Encryption::DsseKms => "DSSE-KMS",
            Encryption::SseC => "SSE-C",
        }
    }

    /// SSE-KMS or DSSE-KMS.
    pub fn uses_kms(self) -> bool {
        matches!(self, Encryption::SseKms | Encryption::DsseKms)
    }
}

/// A bucket's default encryption (`get-bucket-encryption`), SSE-S3 when absent (S3's base level
/// since January 2023).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultEncryption {
    pub algorithm: Encryption,
    pub kms_key: Option<String>,
    pub bucket_key: bool,
}

/// A source or destination bucket.
#[derive(Debug, Clone)]
pub struct Bucket {
    pub name: String,
    pub account: String,
    pub region: String,
    pub versioning_enabled: bool,
    pub encryption: DefaultEncryption,
    /// `BlockedEncryptionTypes` names SSE-C.
    pub blocks_sse_c: bool,
    /// Whether `blockedEncryptionTypes` was given at all.
    pub blocked_given: bool,
    pub ownership: Option<String>,
    pub policy: Option<Policy>,
    /// The policy as given, for the memoisation check.
    pub policy_raw: Option<Value>,
}

impl Bucket {
    /// `arn:aws:s3:::<name>`.
    pub fn arn(&self) -> String {
        format!("arn:aws:s3:::{}", self.name)
    }
}

/// The replication role.
#[derive(Debug, Clone, Default)]
pub struct Role {
    pub arn: String,
    pub policies: Vec<Policy>,
    pub boundary: Option<Policy>,
    pub trust: Option<Policy>,
    pub raw: Vec<Value>,
}

/// A KMS key as S3 sees it.
#[derive(Debug, Clone)]
pub struct KeyInfo {
    pub arn: String,
    pub account: String,
    pub region: String,
    pub key_spec: String,
    pub key_usage: String,
    pub multi_region: bool,
    /// `Enabled`, `Disabled`, `PendingDeletion`, …
    pub state: String,
    pub policy: Policy,
    pub raw: Value,
    /// An AWS managed key (`aws/s3`) synthesised for objects that name no key.
    pub aws_managed: bool,
}

impl KeyInfo {
    pub fn symmetric(&self) -> bool {
        self.key_spec == "SYMMETRIC_DEFAULT" && self.key_usage == "ENCRYPT_DECRYPT"
    }
}

/// One object version to evaluate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Object {
    pub key: String,
    pub version_id: Option<String>,
    pub size: Option<u64>,
    pub tags: Vec<(String, String)>,
    pub storage_class: String,
    /// `None`: not given, so the source bucket's default encryption applies.
    pub encryption: Option<Encryption>,
    pub kms_key_arn: Option<String>,
    pub bucket_key: Option<bool>,
    pub is_replica: bool,
    pub is_delete_marker: bool,
    pub existing: bool,
}

/// The pieces of a key ARN: (region, account).
pub fn key_arn_parts(arn: &str) -> Option<(String, String)> {
    let mut it = arn.splitn(6, ':');
    let (Some("arn"), Some(_), Some("kms"), Some(region), Some(account), Some(res)) =
        (it.next(), it.next(), it.next(), it.next(), it.next(), it.next())
    else {
        return None;
    };
    (res.starts_with("key/") || res.starts_with("alias/")).then(|| (region.to_string(), account.to_string()))
}

fn str_member<'a>(v: &'a Value, name: &str, ptr: &str) -> Result<Option<&'a str>, S3Error> {
    match v.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(S3Error::input(&format!("{ptr}/{name}"), format!("`{name}` must be a string"))),
    }
}

fn req_str<'a>(v: &'a Value, name: &str, ptr: &str) -> Result<&'a str, S3Error> {
    str_member(v, name, ptr)?
        .ok_or_else(|| S3Error::input(&format!("{ptr}/{name}"), format!("`{name}` is required")))
}

fn bool_member(v: &Value, name: &str, ptr: &str) -> Result<Option<bool>, S3Error> {
    match v.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(S3Error::input(&format!("{ptr}/{name}"), format!("`{name}` must be true or false"))),
    }
}

/// A policy given as an object or as its JSON text.
pub fn read_policy(v: &Value, ptr: &str) -> Result<(Policy, Value), S3Error> {
    let bad = |e: crate::policy::PolicyError| S3Error::InvalidPolicy {
        pointer: ptr.to_string(),
        message: e.to_string(),
    };
    match v {
        Value::String(text) => {
            let p = parse_policy(text).map_err(bad)?;
            let raw = serde_json::from_str(text).unwrap_or(Value::Null);
            Ok((p, raw))
        }
        Value::Object(_) => Ok((parse_policy_value(v).map_err(bad)?, v.clone())),
        _ => Err(S3Error::input(ptr, "a policy must be an object or its JSON text")),
    }
}

fn read_default_encryption(v: Option<&Value>, ptr: &str) -> Result<DefaultEncryption, S3Error> {
    let mut d = DefaultEncryption { algorithm: Encryption::SseS3, kms_key: None, bucket_key: false };
    let Some(v) = v.filter(|v| !v.is_null()) else { return Ok(d) };
    let cfg = v.get("ServerSideEncryptionConfiguration").unwrap_or(v);
    let rule = cfg.get("Rules").and_then(Value::as_array).and_then(|r| r.first());
    let Some(rule) = rule else {
        return Err(S3Error::input(
            ptr,
            "`encryption` must be the `get-bucket-encryption` output, with `Rules`",
        ));
    };
    if let Some(by_default) = rule.get("ApplyServerSideEncryptionByDefault") {
        let alg = str_member(by_default, "SSEAlgorithm", ptr)?.unwrap_or("AES256");
        d.algorithm = match Encryption::parse(alg) {
            Some(e @ (Encryption::SseS3 | Encryption::SseKms | Encryption::DsseKms)) => e,
            _ => {
                return Err(S3Error::input(
                    &format!("{ptr}/SSEAlgorithm"),
                    format!("`{alg}` is not AES256, aws:kms or aws:kms:dsse"),
                ))
            }
        };
        d.kms_key = str_member(by_default, "KMSMasterKeyID", ptr)?.map(str::to_string);
    }
    d.bucket_key = bool_member(rule, "BucketKeyEnabled", ptr)?.unwrap_or(false);
    Ok(d)
}

fn blocked_sse_c(b: &Value, ptr: &str) -> Result<(bool, bool), S3Error> {
    // `blockedEncryptionTypes`: ["SSE-C"], "SSE-C", "NONE", or the API's {EncryptionType: [...]}.
    let from_encryption = b
        .get("encryption")
        .and_then(|e| e.get("ServerSideEncryptionConfiguration").or(Some(e)))
        .and_then(|c| c.get("Rules"))
        .and_then(Value::as_array)
        .and_then(|r| r.first())
        .and_then(|r| r.get("BlockedEncryptionTypes"));
    let v = match b.get("blockedEncryptionTypes").or(from_encryption) {
        None | Some(Value::Null) => return Ok((false, false)),
        Some(v) => v,
    };
    let list = v.get("EncryptionType").unwrap_or(v);
    let names: Vec<&str> = match list {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => {
            return Err(S3Error::input(
                &format!("{ptr}/blockedEncryptionTypes"),
                "must be a list such as [\"SSE-C\"] or [\"NONE\"]",
            ))
        }
    };
    Ok((names.contains(&"SSE-C"), true))
}

/// Reads a bucket description (`source` or one of `destinations`).
pub fn read_bucket(b: &Value, ptr: &str) -> Result<Bucket, S3Error> {
    if !b.is_object() {
        return Err(S3Error::input(ptr, "a bucket must be an object with `bucket`, `account` and `region`"));
    }
    let name = req_str(b, "bucket", ptr)?.to_string();
    let account = req_str(b, "account", ptr)?.to_string();
    let region = req_str(b, "region", ptr)?.to_string();
    let versioning = match b.get("versioning") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(v) => v.get("Status").and_then(Value::as_str),
    };
    let (blocks_sse_c, blocked_given) = blocked_sse_c(b, ptr)?;
    let (policy, policy_raw) = match b.get("bucketPolicy") {
        None | Some(Value::Null) => (None, None),
        Some(v) => {
            let v = v.get("Policy").filter(|p| p.is_string()).unwrap_or(v);
            let (p, raw) = read_policy(v, &format!("{ptr}/bucketPolicy"))?;
            (Some(p), Some(raw))
        }
    };
    Ok(Bucket {
        name,
        account,
        region,
        versioning_enabled: versioning == Some("Enabled"),
        encryption: read_default_encryption(b.get("encryption"), &format!("{ptr}/encryption"))?,
        blocks_sse_c,
        blocked_given,
        ownership: str_member(b, "ownership", ptr)?.map(str::to_string),
        policy,
        policy_raw,
    })
}

/// Reads `roles`, and adds the KMS world's roles that `roles` does not describe.
pub fn read_roles(v: Option<&Value>, world: Option<&World>) -> Result<BTreeMap<String, Role>, S3Error> {
    let mut out = BTreeMap::new();
    if let Some(v) = v.filter(|v| !v.is_null()) {
        let map = v
            .as_object()
            .ok_or_else(|| S3Error::input("/roles", "`roles` must be an object keyed by role ARN"))?;
        if map.len() > MAX_ENTRIES {
            return Err(S3Error::TooMany { pointer: "/roles".into(), what: "roles", limit: MAX_ENTRIES });
        }
        for (arn, r) in map {
            let ptr = format!("/roles/{}", arn.replace('~', "~0").replace('/', "~1"));
            let mut role = Role { arn: arn.clone(), ..Role::default() };
            match r.get("policies") {
                None | Some(Value::Null) => {}
                Some(Value::Array(ps)) => {
                    for (i, p) in ps.iter().enumerate() {
                        let (p, raw) = read_policy(p, &format!("{ptr}/policies/{i}"))?;
                        role.policies.push(p);
                        role.raw.push(raw);
                    }
                }
                Some(_) => {
                    return Err(S3Error::input(&format!("{ptr}/policies"), "`policies` must be an array"))
                }
            }
            for (name, slot) in
                [("permissionsBoundary", &mut role.boundary), ("trustPolicy", &mut role.trust)]
            {
                if let Some(p) = r.get(name).filter(|p| !p.is_null()) {
                    let (p, raw) = read_policy(p, &format!("{ptr}/{name}"))?;
                    *slot = Some(p);
                    role.raw.push(raw);
                }
            }
            out.insert(arn.clone(), role);
        }
    }
    if let Some(w) = world {
        for acct in w.accounts.values() {
            for (arn, p) in &acct.principals {
                if out.contains_key(arn) {
                    continue;
                }
                let mut role = Role { arn: arn.clone(), ..Role::default() };
                for (name, text) in &p.policies {
                    let ptr = format!("kms world: {arn} policy {name}");
                    let (pol, raw) = read_policy(&Value::String(text.clone()), &ptr)?;
                    role.policies.push(pol);
                    role.raw.push(raw);
                }
                if let Some(b) = &p.permissions_boundary {
                    let (pol, raw) =
                        read_policy(&Value::String(b.clone()), &format!("kms world: {arn} boundary"))?;
                    role.boundary = Some(pol);
                    role.raw.push(raw);
                }
                out.insert(arn.clone(), role);
            }
        }
    }
    Ok(out)
}

/// Reads `keys`, and adds the KMS world's keys that `keys` does not describe.
pub fn read_keys(v: Option<&Value>, world: Option<&World>) -> Result<BTreeMap<String, KeyInfo>, S3Error> {
    let mut out = BTreeMap::new();
    if let Some(v) = v.filter(|v| !v.is_null()) {
        let arr = v.as_array().ok_or_else(|| S3Error::input("/keys", "`keys` must be an array"))?;
        if arr.len() > MAX_ENTRIES {
            return Err(S3Error::TooMany { pointer: "/keys".into(), what: "keys", limit: MAX_ENTRIES });
        }
        for (i, k) in arr.iter().enumerate() {
            let ptr = format!("/keys/{i}");
            if !k.is_object() {
                return Err(S3Error::input(&ptr, "a key must be an object with `arn` and `policy`"));
            }
            let arn = req_str(k, "arn", &ptr)?.to_string();
            let (region, account) = key_arn_parts(&arn).ok_or_else(|| {
                S3Error::input(&format!("{ptr}/arn"), format!("`{arn}` is not a KMS key ARN"))
            })?;
            let policy_v = k
                .get("policy")
                .ok_or_else(|| S3Error::input(&format!("{ptr}/policy"), "`policy` is required"))?;
            let (policy, raw) = read_policy(policy_v, &format!("{ptr}/policy"))?;
            let enabled = bool_member(k, "enabled", &ptr)?.unwrap_or(true);
            let state = match str_member(k, "keyState", &ptr)? {
                Some(s) => s.to_string(),
                None if enabled => "Enabled".to_string(),
                None => "Disabled".to_string(),
            };
            out.insert(
                arn.clone(),
                KeyInfo {
                    arn,
                    account,
                    region,
                    key_spec: str_member(k, "keySpec", &ptr)?.unwrap_or("SYMMETRIC_DEFAULT").to_string(),
                    key_usage: str_member(k, "keyUsage", &ptr)?.unwrap_or("ENCRYPT_DECRYPT").to_string(),
                    multi_region: bool_member(k, "multiRegion", &ptr)?.unwrap_or(false),
                    state,
                    policy,
                    raw,
                    aws_managed: false,
                },
            );
        }
    }
    if let Some(w) = world {
        for (arn, k) in &w.keys {
            if out.contains_key(arn) {
                continue;
            }
            let (policy, raw) =
                read_policy(&Value::String(k.policy.clone()), &format!("kms world: key {arn}"))?;
            out.insert(
                arn.clone(),
                KeyInfo {
                    arn: arn.clone(),
                    account: k.account.clone(),
                    region: k.region.clone(),
                    key_spec: k.key_spec.clone(),
                    key_usage: k.key_usage.clone(),
                    multi_region: k.multi_region,
                    state: k.state.as_str().to_string(),
                    policy,
                    raw,
                    aws_managed: false,
                },
            );
        }
    }
    Ok(out)
}

/// The `aws/s3` AWS managed key of an account and region: its key policy lets principals of
/// that account use it through S3 in that region, and no one else.
pub fn aws_managed_s3_key(account: &str, region: &str) -> Option<KeyInfo> {
    let arn = format!("arn:aws:kms:{region}:{account}:alias/aws/s3");
    let raw = serde_json::json!({
        "Version": "2012-10-17",
        "Id": "auto-s3-2",
        "Statement": [{
            "Sid": "Allow access through S3 for all principals in the account that are authorized to use S3",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            "Resource": "*",
            "Condition": {"StringEquals": {"kms:CallerAccount": account, "kms:ViaService": format!("s3.{region}.amazonaws.com")}}
        }]
    });
    // A fixed document that parses; `None` would only mean the policy parser changed.
    let policy = parse_policy_value(&raw).ok()?;
    Some(KeyInfo {
        arn,
        account: account.to_string(),
        region: region.to_string(),
        key_spec: "SYMMETRIC_DEFAULT".into(),
        key_usage: "ENCRYPT_DECRYPT".into(),
        multi_region: false,
        state: "Enabled".into(),
        policy,
        raw,
        aws_managed: true,
    })
}

/// Reads one object of `objects`.
pub fn read_object(o: &Value, ptr: &str) -> Result<Object, S3Error> {
    if !o.is_object() {
        return Err(S3Error::input(ptr, "an object must be an object with `key`"));
    }
    let key = req_str(o, "key", ptr)?.to_string();
    let size = match o.get("size") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .ok_or_else(|| S3Error::input(&format!("{ptr}/size"), "`size` must be a whole number"))?,
        ),
    };
    let mut tags = Vec::new();
    match o.get("tags") {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            if m.len() > MAX_OBJECT_TAGS {
                return Err(S3Error::TooMany {
                    pointer: format!("{ptr}/tags"),
                    what: "tags",
                    limit: MAX_OBJECT_TAGS,
                });
            }
            for (k, v) in m {
                let v = v
                    .as_str()
                    .ok_or_else(|| S3Error::input(&format!("{ptr}/tags"), "tag values must be strings"))?;
                tags.push((k.clone(), v.to_string()));
            }
        }
        Some(_) => {
            return Err(S3Error::input(&format!("{ptr}/tags"), "`tags` must be an object {key: value}"))
        }
    }
    let encryption = match str_member(o, "encryption", ptr)? {
        None => None,
        Some(e) => Some(Encryption::parse(e).ok_or_else(|| {
            S3Error::input(
                &format!("{ptr}/encryption"),
                format!("`{e}` is not NONE, SSE-S3, SSE-KMS, DSSE-KMS or SSE-C"),
            )
        })?),
    };
    Ok(Object {
        key,
        version_id: str_member(o, "versionId", ptr)?.map(str::to_string),
        size,
        tags,
        storage_class: str_member(o, "storageClass", ptr)?.unwrap_or("STANDARD").to_string(),
        encryption,
        kms_key_arn: str_member(o, "kmsKeyArn", ptr)?.map(str::to_string),
        bucket_key: bool_member(o, "bucketKeyEnabled", ptr)?,
        is_replica: bool_member(o, "isReplica", ptr)?.unwrap_or(false),
        is_delete_marker: bool_member(o, "isDeleteMarker", ptr)?.unwrap_or(false),
        existing: bool_member(o, "existing", ptr)?.unwrap_or(false),
    })
}
