//! Key lifecycle and management: CreateKey (with the default key policy and the policy lockout
//! safety check), DescribeKey, ListKeys, UpdateKeyDescription, Enable/DisableKey,
//! Schedule/CancelKeyDeletion on the simulated clock, GetKeyLastUsage, rotation (automatic on the
//! clock and on demand; old material kept), key policies, and tags.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::super::auth::Ask;
use super::super::error::KmsError;
use super::super::params::Params;
use super::super::time::DAY;
use super::super::world::{check_policy, root_arn, Key, KeyState, World};
use super::{
    allow, crypto, find_key, grant_tokens, key, key_arn, key_mut, multi_region, not_pending_deletion, page,
    paged, random_hex, usable, uuid, Call,
};

/// Every `KeySpec` of the model.
pub const KEY_SPECS: &[&str] = &[
    "RSA_2048",
    "RSA_3072",
    "RSA_4096",
    "ECC_NIST_P256",
    "ECC_NIST_P384",
    "ECC_NIST_P521",
    "ECC_SECG_P256K1",
    "SYMMETRIC_DEFAULT",
    "HMAC_224",
    "HMAC_256",
    "HMAC_384",
    "HMAC_512",
    "SM2",
    "ECC_NIST_EDWARDS25519",
    "ML_DSA_44",
    "ML_DSA_65",
    "ML_DSA_87",
    "ML_KEM_512",
    "ML_KEM_768",
    "ML_KEM_1024",
];
/// Every `KeyUsage` of the model.
pub const KEY_USAGES: &[&str] =
    &["SIGN_VERIFY", "ENCRYPT_DECRYPT", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT", "ENCAPSULATE_DECAPSULATE"];
const ORIGINS: &[&str] = &["AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"];
/// Keys per account and region this emulator holds (AWS's quota is 100,000).
pub const MAX_KEYS_PER_REGION: usize = 10_000;
/// On-demand rotations per key.
pub const MAX_ON_DEMAND_ROTATIONS: u32 = 25;

/// The default key policy: the account's root principal gets `kms:*`, which hands the decision to
/// the account's IAM policies.
pub fn default_key_policy(account: &str) -> String {
    format!(
        "{{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {{\n    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n    \"Principal\" : {{\n      \"AWS\" : \"{}\"\n    }},\n    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  }} ]\n}}",
        root_arn(account)
    )
}

/// The deprecated `CustomerMasterKeySpec`, which names only the key specs of its time.
pub fn legacy_spec(spec: &str) -> Option<&str> {
    let newer = spec.starts_with("ML_") || spec == "ECC_NIST_EDWARDS25519";
    (!newer).then_some(spec)
}

/// `KeyMetadata` as DescribeKey returns it.
pub fn metadata(w: &World, k: &Key) -> Value {
    let mut m = json!({
        "AWSAccountId": k.account,
        "KeyId": k.key_id,
        "Arn": k.arn,
        "CreationDate": k.creation_date,
        "Enabled": k.state == KeyState::Enabled,
        "Description": k.description,
        "KeyUsage": k.key_usage,
        "KeyState": k.state.as_str(),
        "Origin": k.origin,
        "KeyManager": k.key_manager,
        "KeySpec": k.key_spec,
        "MultiRegion": k.multi_region,
    });
    let Some(o) = m.as_object_mut() else { return m };
    if let Some(s) = legacy_spec(&k.key_spec) {
        o.insert("CustomerMasterKeySpec".into(), json!(s));
    }
    if let Some(d) = k.deletion_date {
        o.insert("DeletionDate".into(), json!(d));
    }
    if let Some(d) = k.pending_window_days {
        o.insert("PendingDeletionWindowInDays".into(), json!(d));
    }
    if k.origin == "EXTERNAL" {
        o.insert(
            "ExpirationModel".into(),
            json!(if k.valid_to.is_some() { "KEY_MATERIAL_EXPIRES" } else { "KEY_MATERIAL_DOES_NOT_EXPIRE" }),
        );
        if let Some(v) = k.valid_to {
            o.insert("ValidTo".into(), json!(v));
        }
    }
    if let Some(cur) = k.current() {
        if k.key_usage == "ENCRYPT_DECRYPT" && k.is_symmetric() {
            o.insert("CurrentKeyMaterialId".into(), json!(cur.id));
        }
    }
    for (name, list) in crypto::algorithm_lists(k) {
        if !list.is_empty() {
            o.insert(name.into(), json!(list));
        }
    }
    if k.multi_region {
        let primary_arn = k.primary_arn.clone().unwrap_or_else(|| k.arn.clone());
        let region_of = |arn: &str| arn.split(':').nth(3).unwrap_or_default().to_string();
        let replicas: Vec<Value> = w
            .keys
            .values()
            .filter(|r| r.primary_arn.as_deref() == Some(primary_arn.as_str()))
            .map(|r| json!({"Arn": r.arn, "Region": r.region}))
            .collect();
        o.insert(
            "MultiRegionConfiguration".into(),
            json!({
                "MultiRegionKeyType": if k.primary_arn.is_some() { "REPLICA" } else { "PRIMARY" },
                "PrimaryKey": {"Arn": primary_arn, "Region": region_of(&primary_arn)},
                "ReplicaKeys": replicas,
            }),
        );
    }
    m
}

/// The lockout safety check: the caller must still be allowed `kms:PutKeyPolicy` under the new
/// policy, unless it bypasses the check.
pub fn lockout_check(w: &World, c: &Call<'_>, prospective: &Key) -> Result<(), KmsError> {
    match allow(w, c, &Ask::key("PutKeyPolicy", prospective)) {
        Ok(()) => Ok(()),
        Err(KmsError::AccessDenied { .. }) => Err(KmsError::malformed_policy(
            "The new key policy will not allow you to update the key policy in the future.",
        )),
        Err(e) => Err(e),
    }
}

/// Tags may not use the reserved `aws:` prefix.
pub fn check_tags(tags: &[(String, String)]) -> Result<(), KmsError> {
    if let Some((k, _)) = tags.iter().find(|(k, _)| k.starts_with("aws:")) {
        return Err(KmsError::tag(format!("Tag key `{k}` uses the reserved prefix `aws:`")));
    }
    Ok(())
}

/// Adds `aws:RequestTag/…` and `aws:TagKeys` for the tags a request sets.
pub fn tag_context<'k>(mut ask: Ask<'k>, tags: &[(String, String)]) -> Ask<'k> {
    for (k, v) in tags {
        ask = ask.with(&format!("aws:RequestTag/{k}"), v.clone());
    }
    if !tags.is_empty() {
        ask = ask.with_values("aws:TagKeys", tags.iter().map(|(k, _)| k.clone()).collect());
    }
    ask
}

/// CreateKey.
pub fn create_key(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(
        request,
        &[
            "Policy",
            "Description",
            "KeyUsage",
            "CustomerMasterKeySpec",
            "KeySpec",
            "Origin",
            "CustomKeyStoreId",
            "BypassPolicyLockoutSafetyCheck",
            "Tags",
            "MultiRegion",
            "XksKeyId",
        ],
    )?;
    let policy = p.str("Policy", 1, 32_768)?;
    let description = p.str("Description", 0, 8192)?.unwrap_or_default();
    let usage = p.enum_str("KeyUsage", KEY_USAGES)?;
    let cmk_spec = p.enum_str("CustomerMasterKeySpec", KEY_SPECS)?;
    let spec = p.enum_str("KeySpec", KEY_SPECS)?;
    let origin = p.enum_str("Origin", ORIGINS)?.unwrap_or("AWS_KMS");
    let store = p.str("CustomKeyStoreId", 1, 64)?;
    let bypass = p.bool("BypassPolicyLockoutSafetyCheck")?.unwrap_or(false);
    let tags = p.tags("Tags")?.unwrap_or_default();
    let multi_region = p.bool("MultiRegion")?.unwrap_or(false);
    let xks = p.str("XksKeyId", 1, 128)?;
    if spec.is_some() && cmk_spec.is_some() {
        return Err(KmsError::validation(
            "You cannot specify both KeySpec and CustomerMasterKeySpec; use KeySpec",
        ));
    }
    let spec = spec.or(cmk_spec).unwrap_or("SYMMETRIC_DEFAULT");
    let usage =
        usage.unwrap_or(if spec.starts_with("HMAC_") { "GENERATE_VERIFY_MAC" } else { "ENCRYPT_DECRYPT" });
    if store.is_some() || xks.is_some() || origin == "AWS_CLOUDHSM" || origin == "EXTERNAL_KEY_STORE" {
        return Err(KmsError::custom_key_store_not_found(
            "custom key stores (CloudHSM and external) are not modelled by this emulator",
        ));
    }
    if spec == "SM2" {
        return Err(KmsError::validation("KeySpec SM2 is supported only in China Regions"));
    }
    crypto::check_spec_usage(spec, usage)?;
    if origin == "EXTERNAL" && spec != "SYMMETRIC_DEFAULT" {
        return Err(KmsError::unsupported(format!(
            "this emulator imports symmetric key material only; KeySpec {spec} with Origin EXTERNAL is not modelled"
        )));
    }
    check_tags(&tags)?;
    let account = c.who.account.clone().ok_or_else(|| {
        KmsError::validation("a service principal cannot create keys here; call as a principal of an account")
    })?;
    let region = c.who.region.clone();

    let ask = Ask::any("CreateKey")
        .with("kms:KeySpec", spec)
        .with("kms:CustomerMasterKeySpec", spec)
        .with("kms:KeyUsage", usage)
        .with("kms:CustomerMasterKeyUsage", usage)
        .with("kms:KeyOrigin", origin)
        .with("kms:MultiRegion", multi_region.to_string())
        .with("kms:BypassPolicyLockoutSafetyCheck", bypass.to_string());
    allow(w, c, &tag_context(ask, &tags))?;

    let in_region = w.keys.values().filter(|k| k.account == account && k.region == region).count();
    if in_region >= MAX_KEYS_PER_REGION {
        return Err(KmsError::limit_exceeded(format!(
            "this emulator holds at most {MAX_KEYS_PER_REGION} keys per account and region"
        )));
    }
    let key_id = if multi_region { format!("mrk-{}", random_hex(16)?) } else { uuid()? };
    let arn = key_arn(&region, &account, &key_id);
    let policy_text = match policy {
        Some(t) => {
            check_policy(t)?;
            t.to_string()
        }
        None => default_key_policy(&account),
    };
    let materials =
        if origin == "EXTERNAL" { Vec::new() } else { vec![crypto::new_material(spec, w.now, "INITIAL")?] };
    let k = Key {
        arn: arn.clone(),
        key_id,
        account,
        region,
        description: description.to_string(),
        key_spec: spec.to_string(),
        key_usage: usage.to_string(),
        origin: origin.to_string(),
        key_manager: "CUSTOMER".into(),
        creation_date: w.now,
        state: if origin == "EXTERNAL" { KeyState::PendingImport } else { KeyState::Enabled },
        deletion_date: None,
        pending_window_days: None,
        policy: policy_text,
        tags: tags.into_iter().collect(),
        rotation_period_days: None,
        next_rotation: None,
        materials,
        on_demand_rotations: 0,
        grants: Vec::new(),
        multi_region,
        primary_arn: None,
        last_used: None,
        valid_to: None,
        settle_to: None,
    };
    if policy.is_some() && !bypass {
        lockout_check(w, c, &k)?;
    }
    c.resources.push(arn.clone());
    let out = json!({ "KeyMetadata": metadata(w, &k) });
    w.keys.insert(arn, k);
    Ok(out)
}

/// DescribeKey.
pub fn describe_key(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId", "GrantTokens"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    grant_tokens(w, &p)?;
    let arn = find_key(w, c, id, true)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("DescribeKey", k))?;
    Ok(json!({ "KeyMetadata": metadata(w, k) }))
}

/// ListKeys: the keys of the caller's account in the region called.
pub fn list_keys(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["Limit", "Marker"])?;
    allow(w, c, &Ask::any("ListKeys"))?;
    let account = c.who.account.clone().unwrap_or_default();
    let all: Vec<Value> = w
        .keys
        .values()
        .filter(|k| k.account == account && k.region == c.who.region)
        .map(|k| json!({"KeyId": k.key_id, "KeyArn": k.arn}))
        .collect();
    let (items, next) = page(&all, &p, 100)?;
    Ok(paged(json!({ "Keys": items }), next))
}

/// UpdateKeyDescription.
pub fn update_key_description(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId", "Description"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let description = p.str("Description", 0, 8192)?.ok_or_else(|| {
        KmsError::validation("1 validation error detected: Value null at 'description' failed to satisfy constraint: Member must not be null")
    })?;
    let arn = find_key(w, c, id, false)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("UpdateKeyDescription", k))?;
    not_pending_deletion(k)?;
    key_mut(w, &arn)?.description = description.to_string();
    Ok(json!({}))
}

/// EnableKey / DisableKey.
pub fn set_enabled(
    w: &mut World,
    c: &mut Call<'_>,
    request: &Value,
    enable: bool,
) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let arn = find_key(w, c, id, false)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key(if enable { "EnableKey" } else { "DisableKey" }, k))?;
    match k.state {
        KeyState::Enabled | KeyState::Disabled => {}
        _ => {
            return Err(KmsError::invalid_state(format!("{} is {}.", k.arn, k.state.as_str())));
        }
    }
    key_mut(w, &arn)?.state = if enable { KeyState::Enabled } else { KeyState::Disabled };
    Ok(json!({}))
}

/// ScheduleKeyDeletion: 7–30 days (default 30) on the simulated clock.
pub fn schedule_key_deletion(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId", "PendingWindowInDays"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let days = p.int("PendingWindowInDays", 1, 365)?.unwrap_or(30);
    let arn = find_key(w, c, id, false)?;
    let k = key(w, &arn)?;
    allow(
        w,
        c,
        &Ask::key("ScheduleKeyDeletion", k)
            .with("kms:ScheduleKeyDeletionPendingWindowInDays", days.to_string()),
    )?;
    if !(7..=30).contains(&days) {
        return Err(KmsError::validation(format!(
            "PendingWindowInDays must be between 7 and 30 (got {days})"
        )));
    }
    not_pending_deletion(k)?;
    let replicas = w.keys.values().any(|r| r.primary_arn.as_deref() == Some(arn.as_str()));
    let when = w.now + days * DAY;
    let k = key_mut(w, &arn)?;
    k.state = if replicas { KeyState::PendingReplicaDeletion } else { KeyState::PendingDeletion };
    k.deletion_date = Some(when);
    k.pending_window_days = u32::try_from(days).ok();
    Ok(json!({"KeyId": arn, "DeletionDate": when, "KeyState": k.state.as_str(), "PendingWindowInDays": days}))
}

/// CancelKeyDeletion: the key comes back disabled.
pub fn cancel_key_deletion(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let arn = find_key(w, c, id, false)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("CancelKeyDeletion", k))?;
    if !matches!(k.state, KeyState::PendingDeletion | KeyState::PendingReplicaDeletion) {
        return Err(KmsError::invalid_state(format!("{} is not pending deletion.", k.arn)));
    }
    let k = key_mut(w, &arn)?;
    k.state = KeyState::Disabled;
    k.deletion_date = None;
    k.pending_window_days = None;
    Ok(json!({"KeyId": arn}))
}

/// GetKeyLastUsage.
pub fn get_key_last_usage(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let arn = find_key(w, c, id, true)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("GetKeyLastUsage", k))?;
    let mut out =
        json!({"KeyId": k.arn, "TrackingStartDate": k.creation_date, "KeyCreationDate": k.creation_date});
    if let (Some(t), Some(o)) = (k.last_used, out.as_object_mut()) {
        let last = w.audit.iter().rev().find(|e| {
            e.get("errorCode").is_none()
                && e.get("resources").and_then(Value::as_array).is_some_and(|r| {
                    r.iter().any(|x| x.get("ARN").and_then(Value::as_str) == Some(k.arn.as_str()))
                })
                && crypto::CRYPTO_OPERATIONS
                    .contains(&e.get("eventName").and_then(Value::as_str).unwrap_or(""))
        });
        let mut usage = json!({"Timestamp": t});
        if let (Some(e), Some(u)) = (last, usage.as_object_mut()) {
            u.insert("Operation".into(), e.get("eventName").cloned().unwrap_or(Value::Null));
            u.insert("CloudTrailEventId".into(), e.get("eventID").cloned().unwrap_or(Value::Null));
            u.insert("KmsRequestId".into(), e.get("requestID").cloned().unwrap_or(Value::Null));
        }
        o.insert("KeyLastUsage".into(), usage);
    }
    Ok(out)
}

fn rotatable(k: &Key) -> Result<(), KmsError> {
    if !k.is_symmetric() || k.origin != "AWS_KMS" {
        return Err(KmsError::unsupported(format!(
            "{} does not support automatic rotation: only symmetric encryption keys with KMS-made material rotate automatically",
            k.arn
        )));
    }
    Ok(())
}

/// EnableKeyRotation: period 90–2,560 days (default 365).
pub fn enable_key_rotation(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId", "RotationPeriodInDays"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let period = p.int("RotationPeriodInDays", 90, 2560)?.unwrap_or(365);
    let arn = find_key(w, c, id, false)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("EnableKeyRotation", k).with("kms:RotationPeriodInDays", period.to_string()))?;
    usable(k)?;
    rotatable(k)?;
    if k.primary_arn.is_some() {
        return Err(KmsError::unsupported("rotation of a multi-region key is set on its primary key"));
    }
    let now = w.now;
    let k = key_mut(w, &arn)?;
    k.rotation_period_days = u32::try_from(period).ok();
    k.next_rotation = Some(now + period * DAY);
    multi_region::sync_replicas(w, &arn)?;
    Ok(json!({}))
}

/// DisableKeyRotation.
pub fn disable_key_rotation(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let arn = find_key(w, c, id, false)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("DisableKeyRotation", k))?;
    usable(k)?;
    rotatable(k)?;
    if k.primary_arn.is_some() {
        return Err(KmsError::unsupported("rotation of a multi-region key is set on its primary key"));
    }
    let k = key_mut(w, &arn)?;
    k.rotation_period_days = None;
    k.next_rotation = None;
    multi_region::sync_replicas(w, &arn)?;
    Ok(json!({}))
}

/// GetKeyRotationStatus.
pub fn get_key_rotation_status(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let arn = find_key(w, c, id, true)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("GetKeyRotationStatus", k))?;
    not_pending_deletion(k)?;
    if !k.is_symmetric() {
        return Err(KmsError::unsupported(format!("{} is not a symmetric encryption key", k.arn)));
    }
    let mut out = json!({"KeyId": k.arn, "KeyRotationEnabled": k.rotation_period_days.is_some()});
    if let Some(o) = out.as_object_mut() {
        if let Some(d) = k.rotation_period_days {
            o.insert("RotationPeriodInDays".into(), json!(d));
        }
        if let Some(n) = k.next_rotation {
            o.insert("NextRotationDate".into(), json!(n));
        }
    }
    Ok(out)
}

/// Adds a new material version to a key (a rotation); a multi-region primary's replicas get it too.
pub fn rotate(w: &mut World, arn: &str, rotation_type: &str, at: i64) -> Result<(), KmsError> {
    let spec = key(w, arn)?.key_spec.clone();
    let m = crypto::new_material(&spec, at, rotation_type)?;
    let k = key_mut(w, arn)?;
    k.materials.push(m);
    multi_region::sync_replicas(w, arn)
}

/// RotateKeyOnDemand (at most 25 per key).
pub fn rotate_key_on_demand(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let arn = find_key(w, c, id, false)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("RotateKeyOnDemand", k))?;
    usable(k)?;
    rotatable(k)?;
    if k.primary_arn.is_some() {
        return Err(KmsError::unsupported("rotate a multi-region key on its primary key"));
    }
    if k.on_demand_rotations >= MAX_ON_DEMAND_ROTATIONS {
        return Err(KmsError::limit_exceeded(format!(
            "{} has reached the limit of {MAX_ON_DEMAND_ROTATIONS} on-demand rotations",
            k.arn
        )));
    }
    let now = w.now;
    rotate(w, &arn, "ON_DEMAND", now)?;
    key_mut(w, &arn)?.on_demand_rotations += 1;
    Ok(json!({"KeyId": arn}))
}

/// ListKeyRotations (`IncludeKeyMaterial`: `ROTATIONS_ONLY` by default, or `ALL_KEY_MATERIAL`).
pub fn list_key_rotations(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId", "IncludeKeyMaterial", "Limit", "Marker"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let all_material = p.enum_str("IncludeKeyMaterial", &["ALL_KEY_MATERIAL", "ROTATIONS_ONLY"])?
        == Some("ALL_KEY_MATERIAL");
    let arn = find_key(w, c, id, false)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("ListKeyRotations", k))?;
    if !k.is_symmetric() {
        return Err(KmsError::unsupported(format!("{} is not a symmetric encryption key", k.arn)));
    }
    let n = k.materials.len();
    let rows: Vec<Value> = k
        .materials
        .iter()
        .enumerate()
        .filter(|(_, m)| all_material || m.rotation_type != "INITIAL")
        .map(|(i, m)| {
            let mut r = json!({
                "KeyId": k.arn,
                "KeyMaterialId": m.id,
                "KeyMaterialState": if i + 1 == n { "CURRENT" } else { "NON_CURRENT" },
            });
            if let Some(o) = r.as_object_mut() {
                if m.rotation_type != "INITIAL" {
                    o.insert("RotationDate".into(), json!(m.created));
                    o.insert("RotationType".into(), json!(m.rotation_type));
                }
            }
            r
        })
        .collect();
    let (items, next) = page(&rows, &p, 100)?;
    Ok(paged(json!({"Rotations": items}), next))
}

/// PutKeyPolicy (policy name `default` only; the lockout safety check unless bypassed).
pub fn put_key_policy(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId", "PolicyName", "Policy", "BypassPolicyLockoutSafetyCheck"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let name = p.str("PolicyName", 1, 128)?.unwrap_or("default");
    let policy = p.req_str("Policy", 1, 32_768)?;
    let bypass = p.bool("BypassPolicyLockoutSafetyCheck")?.unwrap_or(false);
    let arn = find_key(w, c, id, false)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("PutKeyPolicy", k).with("kms:BypassPolicyLockoutSafetyCheck", bypass.to_string()))?;
    if name != "default" {
        return Err(KmsError::not_found(format!("the only key policy name is `default` (got `{name}`)")));
    }
    not_pending_deletion(k)?;
    check_policy(policy)?;
    if !bypass {
        let mut prospective = k.clone();
        prospective.policy = policy.to_string();
        lockout_check(w, c, &prospective)?;
    }
    key_mut(w, &arn)?.policy = policy.to_string();
    Ok(json!({}))
}

/// GetKeyPolicy.
pub fn get_key_policy(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId", "PolicyName"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let name = p.str("PolicyName", 1, 128)?.unwrap_or("default");
    let arn = find_key(w, c, id, false)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("GetKeyPolicy", k))?;
    if name != "default" {
        return Err(KmsError::not_found(format!("the only key policy name is `default` (got `{name}`)")));
    }
    Ok(json!({"Policy": k.policy, "PolicyName": "default"}))
}

/// ListKeyPolicies.
pub fn list_key_policies(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId", "Limit", "Marker"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let arn = find_key(w, c, id, false)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("ListKeyPolicies", k))?;
    let (items, next) = page(&["default".to_string()], &p, 100)?;
    Ok(paged(json!({"PolicyNames": items}), next))
}

/// TagResource.
pub fn tag_resource(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId", "Tags"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let tags = p.tags("Tags")?.ok_or_else(|| {
        KmsError::validation("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null")
    })?;
    check_tags(&tags)?;
    let arn = find_key(w, c, id, false)?;
    let k = key(w, &arn)?;
    allow(w, c, &tag_context(Ask::key("TagResource", k), &tags))?;
    not_pending_deletion(k)?;
    let mut merged: BTreeMap<String, String> = k.tags.clone();
    merged.extend(tags);
    if merged.len() > 50 {
        return Err(KmsError::tag("too many tags: a key has at most 50"));
    }
    key_mut(w, &arn)?.tags = merged;
    Ok(json!({}))
}

/// UntagResource.
pub fn untag_resource(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId", "TagKeys"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let keys = p.str_list("TagKeys", 50, 1, 128)?.ok_or_else(|| {
        KmsError::validation("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null")
    })?;
    let arn = find_key(w, c, id, false)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("UntagResource", k).with_values("aws:TagKeys", keys.clone()))?;
    not_pending_deletion(k)?;
    let k = key_mut(w, &arn)?;
    for t in &keys {
        k.tags.remove(t);
    }
    Ok(json!({}))
}

/// ListResourceTags.
pub fn list_resource_tags(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId", "Limit", "Marker"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let arn = find_key(w, c, id, false)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("ListResourceTags", k))?;
    let rows: Vec<Value> = k.tags.iter().map(|(t, v)| json!({"TagKey": t, "TagValue": v})).collect();
    let (items, next) = page(&rows, &p, 50)?;
    Ok(paged(json!({"Tags": items}), next))
}

/// Runs what the clock owes: deletions whose date has come (with their aliases and grants)
/// and automatic rotations that are due. Returns what happened, as `(eventName, key ARN)`.
pub fn run_clock(w: &mut World) -> Vec<(&'static str, String)> {
    let now = w.now;
    let mut events = multi_region::settle(w);
    let due: Vec<String> = w
        .keys
        .values()
        .filter(|k| k.state == KeyState::PendingDeletion && k.deletion_date.is_some_and(|d| d <= now))
        .map(|k| k.arn.clone())
        .collect();
    for arn in due {
        if let Some(k) = w.keys.remove(&arn) {
            let ids: Vec<String> = k.grants.iter().map(|g| g.grant_id.clone()).collect();
            w.grant_tokens.retain(|_, g| !ids.contains(g));
            w.aliases.retain(|_, a| {
                !(a.target_key_id == k.key_id && a.account == k.account && a.region == k.region)
            });
            events.push(("DeleteKey", arn));
        }
    }
    // A primary waiting for its replicas starts its own waiting period once the last is deleted.
    let waiting: Vec<String> = w
        .keys
        .values()
        .filter(|k| k.state == KeyState::PendingReplicaDeletion)
        .filter(|k| !w.keys.values().any(|r| r.primary_arn.as_deref() == Some(k.arn.as_str())))
        .map(|k| k.arn.clone())
        .collect();
    for arn in waiting {
        if let Ok(k) = key_mut(w, &arn) {
            k.state = KeyState::PendingDeletion;
            k.deletion_date = Some(now + i64::from(k.pending_window_days.unwrap_or(30)) * DAY);
        }
    }
    let rotations: Vec<String> = w
        .keys
        .values()
        .filter(|k| k.next_rotation.is_some_and(|t| t <= now) && k.state == KeyState::Enabled)
        .filter(|k| k.primary_arn.is_none())
        .map(|k| k.arn.clone())
        .collect();
    for arn in rotations {
        // After a long jump a key rotates once per period that passed, each dated when it fell due.
        while let Some((due, period)) = w
            .keys
            .get(&arn)
            .and_then(|k| Some((k.next_rotation?, k.rotation_period_days?)))
            .filter(|(due, _)| *due <= now)
        {
            if rotate(w, &arn, "AUTOMATIC", due).is_err() {
                break;
            }
            if let Ok(k) = key_mut(w, &arn) {
                k.next_rotation = Some(due + i64::from(period.max(1)) * DAY);
            }
            events.push(("RotateKey", arn.clone()));
        }
    }
    events
}
