//! Values, versions and staging labels: GetSecretValue, PutSecretValue, UpdateSecretVersionStage,
//! ListSecretVersionIds, and the version rules CreateSecret and UpdateSecret share
//! ([`add_version`]).
//!
//! Rules (Secrets Manager API Reference, PutSecretValue
//! <https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html>,
//! UpdateSecretVersionStage
//! <https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UpdateSecretVersionStage.html>,
//! quotas <https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_limits.html>):
//! a new version gets `AWSCURRENT` unless `VersionStages` says otherwise, and the first version
//! always gets it; moving `AWSCURRENT` moves `AWSPREVIOUS` to the version it left; a label is on
//! one version at a time; a `ClientRequestToken` that names an existing version is a no-op with
//! the same value and `ResourceExistsException` with another; versions without labels are
//! deprecated, and beyond 100 versions the oldest deprecated ones more than 24 hours old are
//! removed (if none can be, the new version is refused with `LimitExceededException`).

use base64::Engine as _;
use serde_json::{json, Value};
use zeroize::Zeroizing;

use super::super::crypto::{self, Target};
use super::super::error::SecretsError;
use super::super::store::{Version, AWSCURRENT};
use super::{allow, day_of, find, new_version_id, not_deleted, page, params, secret, secret_mut, ts, Call};
use crate::kms::time::DAY;

/// Versions a secret keeps before pruning deprecated ones.
pub const MAX_VERSIONS: usize = 100;
/// Staging labels one version may carry.
pub const MAX_STAGES: usize = 20;

/// A value from a request: `SecretString` or `SecretBinary`, not both.
pub struct NewValue {
    pub bytes: Zeroizing<Vec<u8>>,
    pub binary: bool,
}

/// Reads `SecretString`/`SecretBinary` (each 1–65536 bytes); `None` when neither is there.
pub fn read_value(p: &crate::kms::params::Params<'_>) -> Result<Option<NewValue>, SecretsError> {
    let s = p.str("SecretString", 1, 65_536).map_err(SecretsError::from_params)?;
    let b = p.blob("SecretBinary", 1, 65_536).map_err(SecretsError::from_params)?;
    match (s, b) {
        (Some(_), Some(_)) => Err(SecretsError::invalid_parameter(
            "You can't specify both a binary secret value and a string secret value in the same secret.",
        )),
        (Some(s), None) => {
            if s.len() > 65_536 {
                return Err(SecretsError::invalid_parameter("`SecretString` is longer than 65,536 bytes"));
            }
            Ok(Some(NewValue { bytes: Zeroizing::new(s.as_bytes().to_vec()), binary: false }))
        }
        (None, Some(b)) => Ok(Some(NewValue { bytes: b, binary: true })),
        (None, None) => Ok(None),
    }
}

/// What adding a version did: its id and whether it already existed with this value.
pub struct Added {
    pub id: String,
    pub existed: bool,
}

/// Adds a version with `value` to the secret `arn` (token = `ClientRequestToken`), with `stages`
/// (or `AWSCURRENT`); the rules of the module comment.
pub fn add_version(
    c: &mut Call<'_>,
    arn: &str,
    token: Option<&str>,
    value: &NewValue,
    stages: Option<Vec<String>>,
) -> Result<Added, SecretsError> {
    let s = secret(c.store, arn)?;
    let (region, key_id) = (s.region.clone(), s.kms_key_id.clone());
    if let Some(t) = token {
        if let Some(v) = s.version(t) {
            let sealed = v.sealed.clone();
            let old = crypto::open(
                c.w,
                c.ctx,
                Target { region: &region, secret_arn: arn, version_id: t },
                &sealed,
            )?;
            if *old == *value.bytes && sealed.binary == value.binary {
                return Ok(Added { id: t.to_string(), existed: true });
            }
            return Err(SecretsError::exists(
                "You can't modify an existing version, you can only create a new version.",
            ));
        }
    }
    let stages = stages.unwrap_or_else(|| vec![AWSCURRENT.to_string()]);
    if stages.len() > MAX_STAGES {
        return Err(SecretsError::limit_exceeded("a version carries at most 20 staging labels"));
    }
    let now = c.w.now;
    let prunable = s.versions.iter().filter(|v| v.stages.is_empty() && v.created + DAY <= now).count();
    if s.versions.len() >= MAX_VERSIONS && s.versions.len() - prunable >= MAX_VERSIONS {
        return Err(SecretsError::limit_exceeded(format!(
            "the secret has {} versions created in the last 24 hours or labelled: wait before adding more \
             (Secrets Manager removes only deprecated versions older than 24 hours)",
            s.versions.len()
        )));
    }
    let id = match token {
        Some(t) => t.to_string(),
        None => new_version_id()?,
    };
    let sealed = crypto::seal(
        c.w,
        c.ctx,
        Target { region: &region, secret_arn: arn, version_id: &id },
        key_id.as_deref(),
        &value.bytes,
        value.binary,
    )?;
    let s = secret_mut(c.store, arn)?;
    let first = s.versions.is_empty();
    s.versions.push(Version {
        id: id.clone(),
        stages: Vec::new(),
        created: now,
        last_accessed: None,
        sealed,
    });
    let mut stages = stages;
    if first && !stages.iter().any(|x| x == AWSCURRENT) {
        stages.push(AWSCURRENT.to_string());
    }
    for st in &stages {
        s.move_stage(st, &id);
    }
    s.last_changed = now;
    // A new AWSCURRENT value counts as a rotation for `AutomaticallyAfterDays` (RotationRules,
    // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotationRulesType.html).
    if s.version(&id).is_some_and(|v| v.stages.iter().any(|x| x == AWSCURRENT)) {
        if let Some(r) = s.rotation.as_mut().filter(|r| r.enabled) {
            if let Some(n) = r.automatically_after_days {
                r.next = Some(day_of(now) + n * DAY);
            }
        }
    }
    // Prune: the oldest deprecated versions more than a day old, while over the limit.
    while s.versions.len() > MAX_VERSIONS {
        let Some(i) = s.versions.iter().position(|v| v.stages.is_empty() && v.created + DAY <= now) else {
            break;
        };
        s.versions.remove(i);
    }
    Ok(Added { id, existed: false })
}

/// The labels of a version.
fn stages_json(stages: &[String]) -> Value {
    json!(stages)
}

/// GetSecretValue.
pub fn get_secret_value(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(request, &["SecretId", "VersionId", "VersionStage"])?;
    let id = p.req_str("SecretId", 1, 2048).map_err(SecretsError::from_params)?;
    let version_id = p.str("VersionId", 32, 64).map_err(SecretsError::from_params)?;
    let stage = p.str("VersionStage", 1, 256).map_err(SecretsError::from_params)?;
    let arn = find(c, id)?;
    let mut extra = Vec::new();
    if let Some(v) = version_id {
        extra.push(("secretsmanager:VersionId", v.to_string()));
    }
    if let Some(st) = stage {
        extra.push(("secretsmanager:VersionStage", st.to_string()));
    }
    allow(c, "GetSecretValue", Some(&arn), &extra)?;
    let s = secret(c.store, &arn)?;
    not_deleted(s)?;
    let v = match (version_id, stage) {
        (Some(vid), st) => s.version(vid).filter(|v| st.is_none_or(|st| v.stages.iter().any(|x| x == st))),
        (None, st) => s.with_stage(st.unwrap_or(AWSCURRENT)),
    }
    .ok_or_else(|| {
        SecretsError::not_found(format!(
            "Secrets Manager can't find the specified secret value for {}",
            match (version_id, stage) {
                (Some(v), Some(st)) => format!("VersionId: {v} and staging label: {st}"),
                (Some(v), None) => format!("VersionId: {v}"),
                (None, st) => format!("staging label: {}", st.unwrap_or(AWSCURRENT)),
            }
        ))
    })?;
    let (vid, sealed, stages, created, region) =
        (v.id.clone(), v.sealed.clone(), v.stages.clone(), v.created, s.region.clone());
    let plain =
        crypto::open(c.w, c.ctx, Target { region: &region, secret_arn: &arn, version_id: &vid }, &sealed)?;
    let now = c.w.now;
    let s = secret_mut(c.store, &arn)?;
    s.last_accessed = Some(day_of(now));
    if let Some(v) = s.version_mut(&vid) {
        v.last_accessed = Some(day_of(now));
    }
    let mut out = json!({
        "ARN": arn, "Name": s.name, "VersionId": vid, "VersionStages": stages_json(&stages), "CreatedDate": ts(created),
    });
    if let Some(o) = out.as_object_mut() {
        if sealed.binary {
            o.insert("SecretBinary".into(), json!(base64::engine::general_purpose::STANDARD.encode(&*plain)));
        } else {
            let text = String::from_utf8(plain.to_vec())
                .map_err(|_| SecretsError::decryption_failure("the stored string is not UTF-8"))?;
            o.insert("SecretString".into(), json!(text));
        }
    }
    Ok(out)
}

/// PutSecretValue.
pub fn put_secret_value(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(
        request,
        &["SecretId", "ClientRequestToken", "SecretBinary", "SecretString", "VersionStages", "RotationToken"],
    )?;
    let id = p.req_str("SecretId", 1, 2048).map_err(SecretsError::from_params)?;
    let token = p.str("ClientRequestToken", 32, 64).map_err(SecretsError::from_params)?;
    let stages = p.str_list("VersionStages", MAX_STAGES, 1, 256).map_err(SecretsError::from_params)?;
    if stages.as_ref().is_some_and(Vec::is_empty) {
        return Err(SecretsError::invalid_parameter("`VersionStages` needs at least one label"));
    }
    p.str("RotationToken", 36, 256).map_err(SecretsError::from_params)?;
    let value = read_value(&p)?.ok_or_else(|| {
        SecretsError::invalid_parameter("You must provide either SecretString or SecretBinary.")
    })?;
    let arn = find(c, id)?;
    allow(c, "PutSecretValue", Some(&arn), &[])?;
    not_deleted(secret(c.store, &arn)?)?;
    super::replication::not_replica(secret(c.store, &arn)?)?;
    let added = add_version(c, &arn, token, &value, stages)?;
    super::replication::sync(c, &arn);
    let s = secret(c.store, &arn)?;
    let stages = s.version(&added.id).map(|v| v.stages.clone()).unwrap_or_default();
    Ok(json!({"ARN": arn, "Name": s.name, "VersionId": added.id, "VersionStages": stages}))
}

/// UpdateSecretVersionStage.
pub fn update_secret_version_stage(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(request, &["SecretId", "VersionStage", "RemoveFromVersionId", "MoveToVersionId"])?;
    let id = p.req_str("SecretId", 1, 2048).map_err(SecretsError::from_params)?;
    let stage = p.req_str("VersionStage", 1, 256).map_err(SecretsError::from_params)?;
    let remove = p.str("RemoveFromVersionId", 32, 64).map_err(SecretsError::from_params)?;
    let move_to = p.str("MoveToVersionId", 32, 64).map_err(SecretsError::from_params)?;
    let arn = find(c, id)?;
    allow(c, "UpdateSecretVersionStage", Some(&arn), &[("secretsmanager:VersionStage", stage.to_string())])?;
    super::replication::not_replica(secret(c.store, &arn)?)?;
    let s = secret_mut(c.store, &arn)?;
    not_deleted(s)?;
    let holder = s.with_stage(stage).map(|v| v.id.clone());
    if let Some(r) = remove {
        if holder.as_deref() != Some(r) {
            return Err(SecretsError::invalid_parameter(format!(
                "The staging label {stage} is not attached to the version {r} given in RemoveFromVersionId."
            )));
        }
    }
    match move_to {
        Some(m) => {
            let target = s.version(m).ok_or_else(|| {
                SecretsError::invalid_parameter(format!("The secret has no version {m} (MoveToVersionId)."))
            })?;
            if holder.as_deref().is_some_and(|h| h != m) && remove.is_none() {
                return Err(SecretsError::invalid_parameter(format!(
                    "The staging label {stage} is currently attached to version {}, so you must \
                     explicitly reference that version in RemoveFromVersionId.",
                    holder.unwrap_or_default()
                )));
            }
            if !target.stages.iter().any(|x| x == stage) && target.stages.len() >= MAX_STAGES {
                return Err(SecretsError::limit_exceeded("a version carries at most 20 staging labels"));
            }
            s.move_stage(stage, m);
        }
        None => {
            let Some(r) = remove else {
                return Err(SecretsError::invalid_parameter(
                    "Specify RemoveFromVersionId, MoveToVersionId or both.",
                ));
            };
            if stage == AWSCURRENT {
                return Err(SecretsError::invalid_parameter(
                    "You can't remove the staging label AWSCURRENT from a version without moving it to \
                     another version (MoveToVersionId).",
                ));
            }
            if let Some(v) = s.version_mut(r) {
                v.stages.retain(|x| x != stage);
            }
        }
    }
    s.last_changed = c.w.now;
    let name = s.name.clone();
    super::replication::sync(c, &arn);
    Ok(json!({"ARN": arn, "Name": name}))
}

/// ListSecretVersionIds.
pub fn list_secret_version_ids(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(request, &["SecretId", "MaxResults", "NextToken", "IncludeDeprecated"])?;
    let id = p.req_str("SecretId", 1, 2048).map_err(SecretsError::from_params)?;
    let deprecated = p.bool("IncludeDeprecated").map_err(SecretsError::from_params)?.unwrap_or(false);
    let arn = find(c, id)?;
    allow(c, "ListSecretVersionIds", Some(&arn), &[])?;
    let s = secret(c.store, &arn)?;
    let all: Vec<Value> = s
        .versions
        .iter()
        .rev()
        .filter(|v| deprecated || !v.stages.is_empty())
        .map(|v| {
            let mut e =
                json!({"VersionId": v.id, "CreatedDate": ts(v.created), "KmsKeyIds": [v.sealed.key_arn]});
            if let Some(o) = e.as_object_mut() {
                if !v.stages.is_empty() {
                    o.insert("VersionStages".into(), stages_json(&v.stages));
                }
                if let Some(a) = v.last_accessed {
                    o.insert("LastAccessedDate".into(), ts(a));
                }
            }
            e
        })
        .collect();
    let (items, next) = page(&all, &p)?;
    let mut out = json!({"ARN": arn, "Name": s.name, "Versions": items});
    if let (Some(n), Some(o)) = (next, out.as_object_mut()) {
        o.insert("NextToken".into(), json!(n));
    }
    Ok(out)
}
