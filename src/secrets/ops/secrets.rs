//! The secret's lifecycle: CreateSecret, DescribeSecret, ListSecrets, UpdateSecret, DeleteSecret,
//! RestoreSecret, TagResource, UntagResource.
//!
//! Rules (Secrets Manager API Reference): names of 1–512 characters from ASCII letters, digits
//! and `/_+=.@-`, unique per account and region, with six random characters appended in the ARN
//! (CreateSecret, <https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html>);
//! a name still scheduled for deletion cannot be reused; DeleteSecret waits
//! `RecoveryWindowInDays` 7–30 days (default 30) on the simulated clock, or deletes at once with
//! `ForceDeleteWithoutRecovery`, never both
//! (<https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html>);
//! RestoreSecret cancels it; ListSecrets filters by prefix (`name`, `tag-key`, `tag-value`,
//! `primary-region`, `owning-service` case-sensitive, `description` not; `all` by word), with
//! `!` for negation, and leaves out secrets scheduled for deletion unless
//! `IncludePlannedDeletion` (<https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html>).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::super::crypto::{self, Target};
use super::super::error::SecretsError;
use super::super::store::{Secret, AWSCURRENT, AWSPENDING, AWSPREVIOUS};
use super::values::{add_version, read_value};
use super::{
    allow, arn_suffix, find, not_deleted, page, params, secret, secret_mut, tags, tags_json, ts, Call,
};
use crate::kms::time::DAY;

fn check_name(name: &str) -> Result<(), SecretsError> {
    let ok = name.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_+=.@-".contains(&b));
    if !ok {
        return Err(SecretsError::invalid_parameter(format!(
            "Invalid name `{name}`: a secret name can contain ASCII letters, numbers, and the characters /_+=.@-"
        )));
    }
    Ok(())
}

/// CreateSecret.
pub fn create_secret(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(
        request,
        &[
            "Name",
            "ClientRequestToken",
            "Description",
            "KmsKeyId",
            "SecretBinary",
            "SecretString",
            "Tags",
            "AddReplicaRegions",
            "ForceOverwriteReplicaSecret",
            "Type",
            "CrossAccountPrimaryARN",
        ],
    )?;
    let e = SecretsError::from_params;
    let name = p.req_str("Name", 1, 512).map_err(e)?;
    check_name(name)?;
    let token = p.str("ClientRequestToken", 32, 64).map_err(e)?;
    let description = p.str("Description", 0, 2048).map_err(e)?;
    let kms_key_id = p.str("KmsKeyId", 0, 2048).map_err(e)?.filter(|k| !k.is_empty());
    let tag_list = tags(request.get("Tags"))?.unwrap_or_default();
    for m in ["Type", "CrossAccountPrimaryARN"] {
        if p.has(m) {
            return Err(SecretsError::invalid_parameter(format!(
                "`{m}` is not modelled by this engine yet (replication, managed external secrets)"
            )));
        }
    }
    let force = p.bool("ForceOverwriteReplicaSecret").map_err(e)?.unwrap_or(false);
    let value = read_value(&p)?;
    let account = c.who.account.clone().ok_or_else(|| {
        SecretsError::invalid_request("a service principal cannot own secrets; call as an IAM principal")
    })?;
    let region = c.who.region.clone();
    if let Some(existing) =
        c.store.secrets.values().find(|s| s.name == name && s.account == account && s.region == region)
    {
        let arn = existing.arn.clone();
        if existing.is_deleted() {
            return Err(SecretsError::invalid_request(
                "You can't create this secret because a secret with this name is already scheduled for deletion.",
            ));
        }
        // The same request again (same token, same value) is a no-op.
        if let (Some(t), Some(v)) = (token, &value) {
            if existing.version(t).is_some() {
                allow(c, "CreateSecret", Some(&arn), &[])?;
                let added = add_version(c, &arn, Some(t), v, None)?;
                return Ok(json!({"ARN": arn, "Name": name, "VersionId": added.id}));
            }
        }
        return Err(SecretsError::exists(format!(
            "The operation failed because the secret {name} already exists."
        )));
    }
    let arn = format!("arn:aws:secretsmanager:{region}:{account}:secret:{name}-{}", arn_suffix()?);
    let now = c.w.now;
    let draft = Secret {
        arn: arn.clone(),
        name: name.to_string(),
        account,
        region,
        description: description.map(str::to_string),
        kms_key_id: kms_key_id.map(str::to_string),
        created: now,
        last_changed: now,
        last_accessed: None,
        deleted_date: None,
        deletion_date: None,
        tags: tag_list.clone(),
        policy: None,
        versions: Vec::new(),
        rotation: None,
        last_rotated: None,
        replicas: BTreeMap::new(),
        primary_arn: None,
        history: Vec::new(),
    };
    let mut extra: Vec<(&str, String)> = vec![];
    let tag_keys: Vec<String> = tag_list.iter().map(|(k, _)| k.clone()).collect();
    let request_tags: Vec<(String, String)> =
        tag_list.iter().map(|(k, v)| (format!("aws:RequestTag/{k}"), v.clone())).collect();
    for (k, v) in &request_tags {
        extra.push((k.as_str(), v.clone()));
    }
    if let Some(k) = kms_key_id {
        extra.push(("secretsmanager:KmsKeyId", k.to_string()));
    }
    if !tag_keys.is_empty() {
        extra.push(("aws:TagKeys", tag_keys.join(",")));
    }
    if let Some(d) = description {
        extra.push(("secretsmanager:Description", d.to_string()));
    }
    super::super::auth::authorize(c.w, c.ctx, &c.who, "CreateSecret", Some(&draft), &extra)?;
    c.store.secrets.insert(arn.clone(), draft);
    let mut out = json!({"ARN": arn, "Name": name});
    if let Some(v) = value {
        match add_version(c, &arn, token, &v, None) {
            Ok(added) => {
                if let Some(o) = out.as_object_mut() {
                    o.insert("VersionId".into(), json!(added.id));
                }
            }
            Err(err) => {
                // KMS refused: no secret is left behind.
                c.store.secrets.remove(&arn);
                return Err(err);
            }
        }
    }
    if let Some(regions) = request.get("AddReplicaRegions") {
        super::replication::add_replicas(c, &arn, regions, force)?;
        if let Some(o) = out.as_object_mut() {
            o.insert("ReplicationStatus".into(), super::replication::status_json(secret(c.store, &arn)?));
        }
    }
    Ok(out)
}

/// The `DescribeSecret` / `ListSecrets` entry of a secret.
pub fn describe(s: &Secret) -> Value {
    let mut o = serde_json::Map::new();
    o.insert("ARN".into(), json!(s.arn));
    o.insert("Name".into(), json!(s.name));
    if let Some(d) = &s.description {
        o.insert("Description".into(), json!(d));
    }
    if let Some(k) = &s.kms_key_id {
        o.insert("KmsKeyId".into(), json!(k));
    }
    if let Some(r) = &s.rotation {
        o.insert("RotationEnabled".into(), json!(r.enabled));
        if let Some(l) = &r.lambda_arn {
            o.insert("RotationLambdaARN".into(), json!(l));
        }
        let mut rules = serde_json::Map::new();
        if let Some(d) = r.automatically_after_days {
            rules.insert("AutomaticallyAfterDays".into(), json!(d));
        }
        if let Some(e) = &r.schedule_expression {
            rules.insert("ScheduleExpression".into(), json!(e));
        }
        if let Some(d) = &r.duration {
            rules.insert("Duration".into(), json!(d));
        }
        o.insert("RotationRules".into(), Value::Object(rules));
        if let (true, Some(n)) = (r.enabled, r.next) {
            o.insert("NextRotationDate".into(), ts(n));
        }
    } else {
        o.insert("RotationEnabled".into(), json!(false));
    }
    if let Some(t) = s.last_rotated {
        o.insert("LastRotatedDate".into(), ts(t));
    }
    o.insert("LastChangedDate".into(), ts(s.last_changed));
    if let Some(t) = s.last_accessed {
        o.insert("LastAccessedDate".into(), ts(t));
    }
    if let Some(t) = s.deleted_date {
        o.insert("DeletedDate".into(), ts(t));
    }
    if !s.tags.is_empty() {
        o.insert("Tags".into(), tags_json(&s.tags));
    }
    let stages: serde_json::Map<String, Value> =
        s.versions.iter().filter(|v| !v.stages.is_empty()).map(|v| (v.id.clone(), json!(v.stages))).collect();
    o.insert("VersionIdsToStages".into(), Value::Object(stages));
    o.insert("CreatedDate".into(), ts(s.created));
    let primary_region =
        s.primary_arn.as_deref().and_then(|a| a.split(':').nth(3)).unwrap_or(&s.region).to_string();
    o.insert("PrimaryRegion".into(), json!(primary_region));
    if !s.replicas.is_empty() {
        o.insert("ReplicationStatus".into(), super::replication::status_json(s));
    }
    Value::Object(o)
}

/// DescribeSecret.
pub fn describe_secret(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(request, &["SecretId"])?;
    let id = p.req_str("SecretId", 1, 2048).map_err(SecretsError::from_params)?;
    let arn = find(c, id)?;
    allow(c, "DescribeSecret", Some(&arn), &[])?;
    Ok(describe(secret(c.store, &arn)?))
}

const FILTER_KEYS: &[&str] =
    &["description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"];

/// Whether one filter value (without its `!`) matches a secret under a key.
fn matches(s: &Secret, key: &str, value: &str) -> bool {
    let lower = value.to_lowercase();
    match key {
        "description" => s.description.as_deref().is_some_and(|d| d.to_lowercase().starts_with(&lower)),
        "name" => s.name.starts_with(value),
        "tag-key" => s.tags.iter().any(|(k, _)| k.starts_with(value)),
        "tag-value" => s.tags.iter().any(|(_, v)| v.starts_with(value)),
        "primary-region" => s.region.starts_with(value),
        "owning-service" => false,
        _ => {
            // `all`: any word of any attribute starts with the value, ignoring case.
            let words = std::iter::once(s.name.as_str())
                .chain(s.description.as_deref())
                .chain(s.tags.iter().flat_map(|(k, v)| [k.as_str(), v.as_str()]))
                .flat_map(|t| t.split(|ch: char| !ch.is_alphanumeric()))
                .map(str::to_lowercase)
                .collect::<Vec<_>>();
            lower.split_whitespace().all(|w| words.iter().any(|x| x.starts_with(w)))
        }
    }
}

/// ListSecrets: the caller's account and region.
pub fn list_secrets(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(
        request,
        &["IncludePlannedDeletion", "MaxResults", "NextToken", "Filters", "SortOrder", "SortBy"],
    )?;
    let e = SecretsError::from_params;
    let planned = p.bool("IncludePlannedDeletion").map_err(e)?.unwrap_or(false);
    let order = p.enum_str("SortOrder", &["asc", "desc"]).map_err(e)?.unwrap_or("desc");
    let by = p
        .enum_str("SortBy", &["created-date", "last-accessed-date", "last-changed-date", "name"])
        .map_err(e)?
        .unwrap_or("created-date");
    let mut filters: Vec<(String, Vec<String>)> = Vec::new();
    if let Some(f) = request.get("Filters") {
        let list = f.as_array().ok_or_else(|| SecretsError::invalid_parameter("`Filters` must be a list"))?;
        if list.len() > 10 {
            return Err(SecretsError::invalid_parameter("at most 10 filters"));
        }
        for item in list {
            let key = item.get("Key").and_then(Value::as_str).unwrap_or("");
            if !FILTER_KEYS.contains(&key) {
                return Err(SecretsError::invalid_parameter(format!(
                    "`{key}` is not a filter key; use one of {}",
                    FILTER_KEYS.join(", ")
                )));
            }
            let values: Vec<String> = item
                .get("Values")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
                .unwrap_or_default();
            if values.is_empty() || values.len() > 10 || values.iter().any(|v| v.is_empty() || v.len() > 512)
            {
                return Err(SecretsError::invalid_parameter(format!(
                    "filter `{key}` needs 1 to 10 values of 1 to 512 characters"
                )));
            }
            filters.push((key.to_string(), values));
        }
    }
    allow(c, "ListSecrets", None, &[])?;
    let account = c.who.account.clone().unwrap_or_default();
    let region = c.who.region.clone();
    let mut found: Vec<&Secret> = c
        .store
        .secrets
        .values()
        .filter(|s| s.account == account && s.region == region && (planned || !s.is_deleted()))
        .filter(|s| {
            filters.iter().all(|(k, vals)| {
                vals.iter().any(|v| match v.strip_prefix('!') {
                    Some(neg) => !matches(s, k, neg),
                    None => matches(s, k, v),
                })
            })
        })
        .collect();
    found.sort_by(|a, b| match by {
        "name" => a.name.cmp(&b.name),
        "last-accessed-date" => a.last_accessed.cmp(&b.last_accessed),
        "last-changed-date" => a.last_changed.cmp(&b.last_changed),
        _ => a.created.cmp(&b.created).then(a.name.cmp(&b.name)),
    });
    if order == "desc" {
        found.reverse();
    }
    let entries: Vec<Value> = found
        .iter()
        .map(|s| {
            let mut v = describe(s);
            if let Some(o) = v.as_object_mut() {
                if let Some(m) = o.remove("VersionIdsToStages") {
                    o.insert("SecretVersionsToStages".into(), m);
                }
            }
            v
        })
        .collect();
    let (items, next) = page(&entries, &p)?;
    let mut out = json!({"SecretList": items});
    if let (Some(n), Some(o)) = (next, out.as_object_mut()) {
        o.insert("NextToken".into(), json!(n));
    }
    Ok(out)
}

/// UpdateSecret: description, key, and (as PutSecretValue does) a new `AWSCURRENT` value.
pub fn update_secret(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(
        request,
        &[
            "SecretId",
            "ClientRequestToken",
            "Description",
            "KmsKeyId",
            "SecretBinary",
            "SecretString",
            "Type",
        ],
    )?;
    let e = SecretsError::from_params;
    let id = p.req_str("SecretId", 1, 2048).map_err(e)?;
    let token = p.str("ClientRequestToken", 32, 64).map_err(e)?;
    let description = p.str("Description", 0, 2048).map_err(e)?;
    let kms_key_id = p.str("KmsKeyId", 0, 2048).map_err(e)?;
    if p.has("Type") {
        return Err(SecretsError::invalid_parameter("`Type` (managed external secrets) is not modelled"));
    }
    let value = read_value(&p)?;
    let arn = find(c, id)?;
    allow(c, "UpdateSecret", Some(&arn), &[])?;
    not_deleted(secret(c.store, &arn)?)?;
    super::replication::not_replica(secret(c.store, &arn)?)?;
    if let Some(k) = kms_key_id {
        let new_key = (!k.is_empty()).then(|| k.to_string());
        rekey(c, &arn, new_key)?;
    }
    let now = c.w.now;
    let s = secret_mut(c.store, &arn)?;
    if let Some(d) = description {
        s.description = Some(d.to_string());
    }
    s.last_changed = now;
    let mut out = json!({"ARN": arn, "Name": s.name});
    if let Some(v) = value {
        let added = add_version(c, &arn, token, &v, None)?;
        if let Some(o) = out.as_object_mut() {
            o.insert("VersionId".into(), json!(added.id));
        }
    }
    super::replication::sync(c, &arn);
    Ok(out)
}

/// A new key for the secret: the `AWSCURRENT`, `AWSPENDING` and `AWSPREVIOUS` versions are
/// re-encrypted under it where the caller may decrypt them and use the new key; where not, they
/// stay under their old key (UpdateSecret's `KmsKeyId`,
/// <https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UpdateSecret.html>).
fn rekey(c: &mut Call<'_>, arn: &str, key: Option<String>) -> Result<(), SecretsError> {
    let s = secret_mut(c.store, arn)?;
    s.kms_key_id = key.clone();
    let region = s.region.clone();
    let labelled: Vec<(String, super::super::store::Sealed)> = s
        .versions
        .iter()
        .filter(|v| v.stages.iter().any(|x| [AWSCURRENT, AWSPENDING, AWSPREVIOUS].contains(&x.as_str())))
        .map(|v| (v.id.clone(), v.sealed.clone()))
        .collect();
    for (vid, sealed) in labelled {
        let t = Target { region: &region, secret_arn: arn, version_id: &vid };
        let Ok(plain) = crypto::open(c.w, c.ctx, t, &sealed) else { continue };
        let Ok(new) = crypto::seal(c.w, c.ctx, t, key.as_deref(), &plain, sealed.binary) else {
            continue;
        };
        if let Some(v) = secret_mut(c.store, arn)?.version_mut(&vid) {
            v.sealed = new;
        }
    }
    Ok(())
}

/// DeleteSecret.
pub fn delete_secret(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(request, &["SecretId", "RecoveryWindowInDays", "ForceDeleteWithoutRecovery"])?;
    let e = SecretsError::from_params;
    let id = p.req_str("SecretId", 1, 2048).map_err(e)?;
    let window = p.int("RecoveryWindowInDays", i64::MIN, i64::MAX).map_err(e)?;
    let force = p.bool("ForceDeleteWithoutRecovery").map_err(e)?.unwrap_or(false);
    if force && window.is_some() {
        return Err(SecretsError::invalid_parameter(
            "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
        ));
    }
    let days = window.unwrap_or(30);
    if !(7..=30).contains(&days) {
        return Err(SecretsError::invalid_parameter(
            "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).",
        ));
    }
    let arn = match find(c, id) {
        Ok(a) => a,
        // A forced deletion of a secret that is already gone is not an error.
        Err(_) if force => return Ok(json!({"Name": id, "DeletionDate": ts(c.w.now)})),
        Err(err) => return Err(err),
    };
    allow(c, "DeleteSecret", Some(&arn), &[])?;
    let now = c.w.now;
    let s = secret_mut(c.store, &arn)?;
    if !s.replicas.is_empty() {
        return Err(SecretsError::invalid_request(
            "You can't delete a primary secret that is replicated to other Regions: remove the replicas \
             first (RemoveRegionsFromReplication).",
        ));
    }
    if s.primary_arn.is_some() {
        return Err(SecretsError::invalid_request(
            "A replica is deleted from its primary: call RemoveRegionsFromReplication in the primary's region.",
        ));
    }
    let name = s.name.clone();
    if force {
        c.store.secrets.remove(&arn);
        return Ok(json!({"ARN": arn, "Name": name, "DeletionDate": ts(now)}));
    }
    if s.is_deleted() {
        return Err(SecretsError::invalid_request(
            "You can't perform this operation on the secret because it was already scheduled for deletion.",
        ));
    }
    let when = now + days * DAY;
    s.deleted_date = Some(now);
    s.deletion_date = Some(when);
    Ok(json!({"ARN": arn, "Name": name, "DeletionDate": ts(when)}))
}

/// RestoreSecret.
pub fn restore_secret(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(request, &["SecretId"])?;
    let id = p.req_str("SecretId", 1, 2048).map_err(SecretsError::from_params)?;
    let arn = find(c, id)?;
    allow(c, "RestoreSecret", Some(&arn), &[])?;
    let now = c.w.now;
    let s = secret_mut(c.store, &arn)?;
    s.deleted_date = None;
    s.deletion_date = None;
    s.last_changed = now;
    Ok(json!({"ARN": arn, "Name": s.name}))
}

/// TagResource.
pub fn tag_resource(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(request, &["SecretId", "Tags"])?;
    let id = p.req_str("SecretId", 1, 2048).map_err(SecretsError::from_params)?;
    let new =
        tags(request.get("Tags"))?.ok_or_else(|| SecretsError::invalid_parameter("`Tags` is required"))?;
    let arn = find(c, id)?;
    let keys: Vec<String> = new.iter().map(|(k, _)| k.clone()).collect();
    allow(c, "TagResource", Some(&arn), &[("aws:TagKeys", keys.join(","))])?;
    let s = secret_mut(c.store, &arn)?;
    for (k, v) in new {
        match s.tags.iter_mut().find(|(x, _)| *x == k) {
            Some(t) => t.1 = v,
            None => s.tags.push((k, v)),
        }
    }
    if s.tags.len() > 50 {
        return Err(SecretsError::invalid_parameter("a secret has at most 50 tags"));
    }
    Ok(json!({}))
}

/// UntagResource.
pub fn untag_resource(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(request, &["SecretId", "TagKeys"])?;
    let id = p.req_str("SecretId", 1, 2048).map_err(SecretsError::from_params)?;
    let keys = p
        .str_list("TagKeys", 50, 1, 128)
        .map_err(SecretsError::from_params)?
        .ok_or_else(|| SecretsError::invalid_parameter("`TagKeys` is required"))?;
    let arn = find(c, id)?;
    allow(c, "UntagResource", Some(&arn), &[("aws:TagKeys", keys.join(","))])?;
    let s = secret_mut(c.store, &arn)?;
    s.tags.retain(|(k, _)| !keys.contains(k));
    Ok(json!({}))
}

/// Removes secrets whose recovery window has ended (the clock's work).
pub fn purge_deleted(store: &mut super::super::store::Store, now: i64) -> Vec<String> {
    let gone: Vec<String> = store
        .secrets
        .values()
        .filter(|s| s.deletion_date.is_some_and(|d| d <= now))
        .map(|s| s.arn.clone())
        .collect();
    for a in &gone {
        store.secrets.remove(a);
    }
    gone
}
