//! Multi-region keys: ReplicateKey and UpdatePrimaryRegion, the sharing of properties between
//! related keys, and the transitional states `Creating` and `Updating`.
//!
//! Related multi-region keys have the same `mrk-` key id in several regions of one account. What
//! they share is kept in step here: key material (every version, so a ciphertext of one decrypts
//! under any other), key spec, key usage, origin and the automatic rotation schedule, which is set
//! and run on the primary only. What each key has of its own: policy, description, tags, aliases,
//! grants and key state. A replica of a key with imported material gets no material: the same
//! material must be imported into it (it is `PendingImport` until then).
//!
//! The clock and transitional states: a replica answers `Creating` in the ReplicateKey response,
//! and UpdatePrimaryRegion puts both keys in `Updating`; such a key settles at the start of the next
//! call or clock step ([`settle`]), which records a `SynchronizeMultiRegionKey` service event as
//! CloudTrail does when KMS synchronizes related keys. So a page or a test sees the transitional
//! state in the call's own response and in a snapshot taken right after, and a client that goes on
//! calling is never blocked.
//!
//! Not modelled: the eventual delay between regions, and replication into another account (AWS
//! does not allow it either).

use serde_json::{json, Value};

use super::super::auth::Ask;
use super::super::error::KmsError;
use super::super::params::Params;
use super::super::world::{check_policy, Key, KeyState, World};
use super::keys::{
    check_tags, default_key_policy, lockout_check, metadata, tag_context, MAX_KEYS_PER_REGION,
};
use super::{allow, find_key, key, key_arn, key_mut, not_pending_deletion, Call};

/// `RegionType`: `^([a-z]+-){2,3}\d+$`, 1–32 characters.
fn region_name(p: &Params<'_>, name: &str) -> Result<String, KmsError> {
    let r = p.req_str(name, 1, 32)?;
    let parts: Vec<&str> = r.split('-').collect();
    let ok = (3..=4).contains(&parts.len())
        && parts.split_last().is_some_and(|(last, rest)| {
            !last.is_empty()
                && last.bytes().all(|b| b.is_ascii_digit())
                && rest.iter().all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase()))
        });
    if !ok {
        return Err(KmsError::validation(format!(
            "1 validation error detected: Value '{r}' at '{}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([a-z]+-){{2,3}}\\d+$",
            lower_first(name)
        )));
    }
    Ok(r.to_string())
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
}

/// The ARNs of every key related to `primary` (the primary first, then its replicas).
pub fn related(w: &World, primary: &str) -> Vec<String> {
    let mut out = vec![primary.to_string()];
    out.extend(w.keys.values().filter(|k| k.primary_arn.as_deref() == Some(primary)).map(|k| k.arn.clone()));
    out
}

/// Copies the shared properties of a primary key to its replicas: material (unless the key's
/// material is imported, which each key gets by its own import) and the rotation schedule.
pub fn sync_replicas(w: &mut World, primary: &str) -> Result<(), KmsError> {
    let p = key(w, primary)?;
    if !p.multi_region || p.primary_arn.is_some() {
        return Ok(());
    }
    let (materials, period, next, external) =
        (p.materials.clone(), p.rotation_period_days, p.next_rotation, p.origin == "EXTERNAL");
    for arn in related(w, primary).into_iter().skip(1) {
        let r = key_mut(w, &arn)?;
        if !external {
            r.materials = materials.clone();
        }
        r.rotation_period_days = period;
        r.next_rotation = next;
    }
    Ok(())
}

/// Ends transitional states that are due: every key in `Creating` or `Updating` takes the state
/// it settles into. Returns the service events to record, as `(eventName, key ARN)`.
pub fn settle(w: &mut World) -> Vec<(&'static str, String)> {
    let mut events = Vec::new();
    for k in w.keys.values_mut() {
        if let Some(to) = k.settle_to.take() {
            k.state = to;
            events.push(("SynchronizeMultiRegionKey", k.arn.clone()));
        }
    }
    events
}

/// ReplicateKey: a replica of a primary multi-region key in another region of the same account,
/// with its own policy (the default key policy unless given), description and tags.
pub fn replicate_key(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(
        request,
        &["KeyId", "ReplicaRegion", "Policy", "BypassPolicyLockoutSafetyCheck", "Description", "Tags"],
    )?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let replica_region = region_name(&p, "ReplicaRegion")?;
    let policy = p.str("Policy", 1, 32_768)?;
    let bypass = p.bool("BypassPolicyLockoutSafetyCheck")?.unwrap_or(false);
    let description = p.str("Description", 0, 8192)?.unwrap_or_default();
    let tags = p.tags("Tags")?.unwrap_or_default();
    check_tags(&tags)?;
    let arn = find_key(w, c, id, false)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("ReplicateKey", k).with("kms:ReplicaRegion", replica_region.as_str()))?;
    // The replica is created in the replica region: the caller needs kms:CreateKey (and
    // kms:TagResource for tags) there too.
    allow(w, c, &tag_context(Ask::any("CreateKey"), &tags))?;
    if !k.multi_region {
        return Err(KmsError::unsupported(format!(
            "{} is not a multi-Region key; only keys created with MultiRegion true can be replicated",
            k.arn
        )));
    }
    if k.primary_arn.is_some() {
        return Err(KmsError::unsupported(format!(
            "{} is a replica key; call ReplicateKey on the primary key (see DescribeKey's MultiRegionConfiguration)",
            k.arn
        )));
    }
    not_pending_deletion(k)?;
    if matches!(k.state, KeyState::Creating | KeyState::Updating) {
        return Err(KmsError::invalid_state(format!("{} is {}.", k.arn, k.state.as_str())));
    }
    if replica_region == k.region {
        return Err(KmsError::validation(format!(
            "the replica region `{replica_region}` is the primary key's own region; name another region"
        )));
    }
    if !w.regions.contains(&replica_region) {
        return Err(KmsError::unsupported(format!(
            "the region `{replica_region}` is not in this world; add it or replicate to one of {}",
            w.regions.join(", ")
        )));
    }
    let replica_arn = key_arn(&replica_region, &k.account, &k.key_id);
    if w.keys.contains_key(&replica_arn) {
        return Err(KmsError::already_exists(format!(
            "{replica_arn} already exists: a multi-Region key has at most one replica in each region"
        )));
    }
    let in_region = w.keys.values().filter(|x| x.account == k.account && x.region == replica_region).count();
    if in_region >= MAX_KEYS_PER_REGION {
        return Err(KmsError::limit_exceeded(format!(
            "this emulator holds at most {MAX_KEYS_PER_REGION} keys per account and region"
        )));
    }
    let policy_text = match policy {
        Some(t) => {
            check_policy(t)?;
            t.to_string()
        }
        None => default_key_policy(&k.account),
    };
    let external = k.origin == "EXTERNAL";
    let replica = Key {
        arn: replica_arn.clone(),
        region: replica_region,
        description: description.to_string(),
        creation_date: w.now,
        state: KeyState::Creating,
        settle_to: Some(if external { KeyState::PendingImport } else { KeyState::Enabled }),
        deletion_date: None,
        pending_window_days: None,
        policy: policy_text,
        tags: tags.into_iter().collect(),
        materials: if external { Vec::new() } else { k.materials.clone() },
        valid_to: None,
        on_demand_rotations: 0,
        grants: Vec::new(),
        primary_arn: Some(k.arn.clone()),
        last_used: None,
        ..k.clone()
    };
    if policy.is_some() && !bypass {
        lockout_check(w, c, &replica)?;
    }
    c.resources.push(replica_arn.clone());
    let out = json!({
        "ReplicaKeyMetadata": metadata(w, &replica),
        "ReplicaPolicy": replica.policy,
        "ReplicaTags": replica.tags.iter().map(|(t, v)| json!({"TagKey": t, "TagValue": v})).collect::<Vec<_>>(),
    });
    w.keys.insert(replica_arn, replica);
    Ok(out)
}

/// UpdatePrimaryRegion: makes the replica in `PrimaryRegion` the primary key, and the current
/// primary a replica. Both keys are `Updating` until they settle; the caller needs
/// `kms:UpdatePrimaryRegion` on both.
pub fn update_primary_region(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId", "PrimaryRegion"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let region = region_name(&p, "PrimaryRegion")?;
    let arn = find_key(w, c, id, false)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("UpdatePrimaryRegion", k).with("kms:PrimaryRegion", region.as_str()))?;
    if !k.multi_region {
        return Err(KmsError::unsupported(format!("{} is not a multi-Region key", k.arn)));
    }
    if k.primary_arn.is_some() {
        return Err(KmsError::unsupported(format!(
            "{} is a replica key; call UpdatePrimaryRegion in the region of the primary key",
            k.arn
        )));
    }
    let new_arn = key_arn(&region, &k.account, &k.key_id);
    if region == k.region {
        return Err(KmsError::validation(format!("`{region}` is already the primary region of {}", k.arn)));
    }
    let Some(new) = w.keys.get(&new_arn) else {
        return Err(KmsError::not_found(format!(
            "{} has no replica in `{region}`; replicate it there first (ReplicateKey)",
            k.arn
        )));
    };
    c.resources.push(new_arn.clone());
    allow(w, c, &Ask::key("UpdatePrimaryRegion", new).with("kms:PrimaryRegion", region.as_str()))?;
    for x in [k, new] {
        match x.state {
            KeyState::Disabled => return Err(KmsError::disabled(format!("{} is disabled.", x.arn))),
            KeyState::Enabled | KeyState::PendingImport => {}
            other => return Err(KmsError::invalid_state(format!("{} is {}.", x.arn, other.as_str()))),
        }
    }
    let all = related(w, &arn);
    for a in &all {
        let x = key_mut(w, a)?;
        x.primary_arn = (*a != new_arn).then(|| new_arn.clone());
        if *a == arn || *a == new_arn {
            x.settle_to = Some(x.state);
            x.state = KeyState::Updating;
        }
    }
    Ok(json!({}))
}
