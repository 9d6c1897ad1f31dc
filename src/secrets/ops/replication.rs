//! Replication: ReplicateSecretToRegions, RemoveRegionsFromReplication, StopReplicationToReplica,
//! and keeping replicas in step with their primary.
//!
//! Rules (User Guide, "Replicate secrets across Regions",
//! <https://docs.aws.amazon.com/secretsmanager/latest/userguide/create-manage-multi-region-secrets.html>;
//! API_ReplicateSecretToRegions.html, API_StopReplicationToReplica.html): a replica has the
//! primary's name and ARN suffix in its own region, and each replica's values are encrypted under
//! a key of that region (its `KmsKeyId`, default `alias/aws/secretsmanager` there), through KMS in
//! that region as the caller; a name already taken in the region fails that replica unless
//! `ForceOverwriteReplicaSecret`; a KMS refusal fails it (`Status` `Failed`, with the reason);
//! replicas are read-only; changes to the primary's values and labels are copied to each replica;
//! a primary with replicas cannot be deleted; StopReplicationToReplica, called in the replica's
//! region, makes it a standalone secret. Replication is immediate here (AWS's is asynchronous).

use serde_json::{json, Value};

use super::super::crypto::{self, Target};
use super::super::error::SecretsError;
use super::super::store::{Replica, Secret, Version};
use super::{allow, find, params, secret, secret_mut, Call};

/// `ReplicationStatus` of a primary.
pub fn status_json(s: &Secret) -> Value {
    Value::Array(
        s.replicas
            .iter()
            .map(|(region, r)| {
                let mut v = json!({"Region": region, "Status": r.status, "StatusMessage": r.status_message});
                if let (Some(k), Some(o)) = (&r.kms_key_id, v.as_object_mut()) {
                    o.insert("KmsKeyId".into(), json!(k));
                }
                v
            })
            .collect(),
    )
}

fn replica_arn(primary: &Secret, region: &str) -> String {
    primary.arn.replacen(&format!(":{}:", primary.region), &format!(":{region}:"), 1)
}

/// Copies the primary's labelled versions to the replica in `region` (re-sealing new versions
/// under the replica's key through KMS in that region). Returns the replica's status.
fn copy_to(c: &mut Call<'_>, primary_arn: &str, region: &str) -> Result<(), SecretsError> {
    let p = secret(c.store, primary_arn)?.clone();
    let r_arn = replica_arn(&p, region);
    let key = p.replicas.get(region).and_then(|r| r.kms_key_id.clone());
    let existing: Vec<Version> = c.store.secrets.get(&r_arn).map(|r| r.versions.clone()).unwrap_or_default();
    let mut versions = Vec::new();
    for v in p.versions.iter().filter(|v| !v.stages.is_empty()) {
        let sealed = match existing.iter().find(|x| x.id == v.id) {
            Some(x) => x.sealed.clone(),
            None => {
                let plain = crypto::open(
                    c.w,
                    c.ctx,
                    Target { region: &p.region, secret_arn: primary_arn, version_id: &v.id },
                    &v.sealed,
                )?;
                crypto::seal(
                    c.w,
                    c.ctx,
                    Target { region, secret_arn: &r_arn, version_id: &v.id },
                    key.as_deref(),
                    &plain,
                    v.sealed.binary,
                )?
            }
        };
        versions.push(Version { sealed, ..v.clone() });
    }
    let now = c.w.now;
    let replica = c.store.secrets.entry(r_arn.clone()).or_insert_with(|| Secret {
        arn: r_arn.clone(),
        region: region.to_string(),
        kms_key_id: key.clone(),
        created: now,
        deleted_date: None,
        deletion_date: None,
        policy: None,
        rotation: None,
        last_rotated: None,
        last_accessed: None,
        replicas: Default::default(),
        history: Vec::new(),
        versions: Vec::new(),
        primary_arn: None,
        ..p.clone()
    });
    replica.versions = versions;
    replica.description = p.description.clone();
    replica.tags = p.tags.clone();
    replica.last_changed = now;
    replica.primary_arn = Some(primary_arn.to_string());
    Ok(())
}

/// After a change to a primary's values or labels: copies it to every replica; a failure marks
/// that replica `Failed` with the reason.
pub fn sync(c: &mut Call<'_>, arn: &str) {
    let regions: Vec<String> = match c.store.secrets.get(arn) {
        Some(s) if s.primary_arn.is_none() => {
            s.replicas.iter().filter(|(_, r)| !r.name_conflict).map(|(k, _)| k.clone()).collect()
        }
        _ => return,
    };
    for region in regions {
        let result = copy_to(c, arn, &region);
        if let Some(r) = c.store.secrets.get_mut(arn).and_then(|s| s.replicas.get_mut(&region)) {
            match result {
                Ok(()) => {
                    r.status = "InSync".into();
                    r.status_message = "Replication succeeded".into();
                }
                Err(e) => {
                    r.status = "Failed".into();
                    r.status_message = format!("Replication failed: {e}");
                }
            }
        }
    }
}

/// `InvalidRequestException` for a write to a replica.
pub fn not_replica(s: &Secret) -> Result<(), SecretsError> {
    if s.primary_arn.is_some() {
        return Err(SecretsError::invalid_request(
            "Operation not permitted on a replica secret. Call must be made in primary secret's region.",
        ));
    }
    Ok(())
}

/// Adds replicas (`[{Region, KmsKeyId?}]`) to the primary `arn`.
pub fn add_replicas(c: &mut Call<'_>, arn: &str, regions: &Value, force: bool) -> Result<(), SecretsError> {
    let list = regions.as_array().filter(|l| !l.is_empty()).ok_or_else(|| {
        SecretsError::invalid_parameter("`AddReplicaRegions` must be a list of {Region, KmsKeyId?}")
    })?;
    let p = secret(c.store, arn)?;
    not_replica(p)?;
    let (name, account, home) = (p.name.clone(), p.account.clone(), p.region.clone());
    let mut wanted = Vec::new();
    for item in list {
        let region = item.get("Region").and_then(Value::as_str).unwrap_or("");
        let key = item.get("KmsKeyId").and_then(Value::as_str).filter(|k| !k.is_empty());
        if !c.w.regions.iter().any(|r| r == region) || region == home {
            return Err(SecretsError::invalid_parameter(format!(
                "`{region}` is not another region of this world ({})",
                c.w.regions.join(", ")
            )));
        }
        wanted.push((region.to_string(), key.map(str::to_string)));
    }
    for (region, key) in wanted {
        let taken = c
            .store
            .secrets
            .values()
            .find(|s| {
                s.name == name
                    && s.account == account
                    && s.region == region
                    && s.primary_arn.as_deref() != Some(arn)
            })
            .map(|s| s.arn.clone());
        let mut status = Replica {
            kms_key_id: key,
            status: "InProgress".into(),
            status_message: String::new(),
            last_accessed: None,
            name_conflict: false,
        };
        if let Some(t) = taken {
            if !force {
                status.status = "Failed".into();
                status.status_message =
                    "Replication failed: Secret with this name already exists in this region.".into();
                status.name_conflict = true;
                secret_mut(c.store, arn)?.replicas.insert(region, status);
                continue;
            }
            c.store.secrets.remove(&t);
        }
        secret_mut(c.store, arn)?.replicas.insert(region, status);
    }
    sync(c, arn);
    Ok(())
}

/// ReplicateSecretToRegions.
pub fn replicate_secret_to_regions(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(request, &["SecretId", "AddReplicaRegions", "ForceOverwriteReplicaSecret"])?;
    let id = p.req_str("SecretId", 1, 2048).map_err(SecretsError::from_params)?;
    let force = p.bool("ForceOverwriteReplicaSecret").map_err(SecretsError::from_params)?.unwrap_or(false);
    let regions = request.get("AddReplicaRegions").cloned().unwrap_or(Value::Null);
    let arn = find(c, id)?;
    allow(c, "ReplicateSecretToRegions", Some(&arn), &[])?;
    super::not_deleted(secret(c.store, &arn)?)?;
    add_replicas(c, &arn, &regions, force)?;
    Ok(json!({"ARN": arn, "ReplicationStatus": status_json(secret(c.store, &arn)?)}))
}

/// RemoveRegionsFromReplication: the replicas are deleted at once.
pub fn remove_regions_from_replication(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(request, &["SecretId", "RemoveReplicaRegions"])?;
    let id = p.req_str("SecretId", 1, 2048).map_err(SecretsError::from_params)?;
    let regions = p
        .str_list("RemoveReplicaRegions", 64, 1, 128)
        .map_err(SecretsError::from_params)?
        .filter(|r| !r.is_empty())
        .ok_or_else(|| SecretsError::invalid_parameter("`RemoveReplicaRegions` needs at least one region"))?;
    let arn = find(c, id)?;
    allow(c, "RemoveRegionsFromReplication", Some(&arn), &[])?;
    let s = secret(c.store, &arn)?;
    not_replica(s)?;
    for r in &regions {
        if !s.replicas.contains_key(r) {
            return Err(SecretsError::invalid_parameter(format!("the secret has no replica in `{r}`")));
        }
    }
    let arns: Vec<String> = regions.iter().map(|r| replica_arn(s, r)).collect();
    let s = secret_mut(c.store, &arn)?;
    for r in &regions {
        s.replicas.remove(r);
    }
    for a in arns {
        c.store.secrets.remove(&a);
    }
    Ok(json!({"ARN": arn, "ReplicationStatus": status_json(secret(c.store, &arn)?)}))
}

/// StopReplicationToReplica: called in the replica's region, makes it standalone.
pub fn stop_replication_to_replica(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(request, &["SecretId"])?;
    let id = p.req_str("SecretId", 1, 2048).map_err(SecretsError::from_params)?;
    let arn = find(c, id)?;
    allow(c, "StopReplicationToReplica", Some(&arn), &[])?;
    let s = secret_mut(c.store, &arn)?;
    let Some(primary) = s.primary_arn.take() else {
        return Err(SecretsError::invalid_request(
            "The secret is not a replica: call this in a replica's region.",
        ));
    };
    let region = s.region.clone();
    if let Some(p) = c.store.secrets.get_mut(&primary) {
        p.replicas.remove(&region);
    }
    Ok(json!({"ARN": arn}))
}
