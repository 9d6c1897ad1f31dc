//! What Secrets Manager keeps: its secrets, each with its metadata, resource policy, tags and
//! versions, and each version's staging labels and sealed value. Plain serde data, beside the KMS
//! world it runs over (the world holds accounts, principals, keys, the clock and the audit log).
//!
//! A value is kept only sealed ([`Sealed`]): the KMS-wrapped data key and the AES-256-GCM
//! ciphertext; the engine never keeps a plaintext value or data key between calls.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Staging label of the version a read gets by default.
pub const AWSCURRENT: &str = "AWSCURRENT";
/// Staging label of the version that held `AWSCURRENT` before it.
pub const AWSPREVIOUS: &str = "AWSPREVIOUS";
/// Staging label of the version a rotation is making.
pub const AWSPENDING: &str = "AWSPENDING";

/// All secrets, in every account and region of the world.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Store {
    /// Secret ARN → secret.
    pub secrets: BTreeMap<String, Secret>,
    /// The simulated time up to which the clock's work (deletions, rotations) has run.
    #[serde(default)]
    pub ticked_to: i64,
    /// Rotation function ARN → how the emulated function behaves (not an AWS API: the
    /// playground's stand-in for deploying a Lambda function).
    #[serde(default)]
    pub functions: BTreeMap<String, RotationFunction>,
}

/// How an emulated rotation function behaves.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RotationFunction {
    /// The step at which it fails (`createSecret`, `setSecret`, `testSecret`, `finishSecret`);
    /// absent = every step succeeds.
    #[serde(default)]
    pub fail_at: Option<String>,
    /// The execution role it calls Secrets Manager as; absent = the secret's account root.
    #[serde(default)]
    pub role: Option<String>,
}

/// One entry of a secret's rotation timeline.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RotationEvent {
    pub time: i64,
    /// The version the rotation makes (its `ClientRequestToken`).
    pub version_id: String,
    /// `createSecret`, `setSecret`, `testSecret`, `finishSecret`, or `RotationStarted`,
    /// `RotationSucceeded`, `RotationFailed`, `RotationCancelled`, `RotationSkipped`.
    pub step: String,
    pub ok: bool,
    pub message: String,
}

/// One secret in one account and region.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Secret {
    pub arn: String,
    pub name: String,
    pub account: String,
    pub region: String,
    pub description: Option<String>,
    /// The key the caller named (`KmsKeyId`), as given; `None` = `alias/aws/secretsmanager`.
    pub kms_key_id: Option<String>,
    pub created: i64,
    pub last_changed: i64,
    /// Day resolution, as AWS reports it.
    pub last_accessed: Option<i64>,
    /// When DeleteSecret was called; the secret is gone for good at `deletion_date`.
    pub deleted_date: Option<i64>,
    pub deletion_date: Option<i64>,
    pub tags: Vec<(String, String)>,
    /// The resource policy as JSON text.
    pub policy: Option<String>,
    /// Versions, oldest first.
    pub versions: Vec<Version>,
    /// Rotation configuration (see [`super::rotation`]).
    #[serde(default)]
    pub rotation: Option<Rotation>,
    pub last_rotated: Option<i64>,
    /// Replica regions → status (see [`super::replication`]); a replica names its primary.
    #[serde(default)]
    pub replicas: BTreeMap<String, Replica>,
    #[serde(default)]
    pub primary_arn: Option<String>,
    /// The rotation timeline, oldest first (at most [`MAX_HISTORY`] entries).
    #[serde(default)]
    pub history: Vec<RotationEvent>,
}

/// Rotation timeline entries kept per secret.
pub const MAX_HISTORY: usize = 500;

/// One version of a secret's value.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Version {
    pub id: String,
    /// Staging labels, at most 20 per version.
    pub stages: Vec<String>,
    pub created: i64,
    pub last_accessed: Option<i64>,
    pub sealed: Sealed,
}

/// A sealed value: the data key as KMS wrapped it (a KMS ciphertext blob, decryptable only
/// through KMS's Decrypt with the secret's encryption context) and the value under that key.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sealed {
    /// The KMS key ARN the data key is wrapped under.
    pub key_arn: String,
    /// The `CiphertextBlob` of GenerateDataKey, base64.
    pub wrapped_key: String,
    /// AES-256-GCM: 12-byte nonce, then ciphertext and 16-byte tag, base64.
    pub ciphertext: String,
    /// Whether the value is `SecretBinary` (else `SecretString`).
    pub binary: bool,
}

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealed")
            .field("key_arn", &self.key_arn)
            .field("binary", &self.binary)
            .finish_non_exhaustive()
    }
}

/// A secret's rotation configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rotation {
    pub enabled: bool,
    /// The rotation function's ARN.
    pub lambda_arn: Option<String>,
    pub automatically_after_days: Option<i64>,
    pub schedule_expression: Option<String>,
    pub duration: Option<String>,
    /// When the next rotation falls due (start of its window).
    pub next: Option<i64>,
}

/// One replica of a primary secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Replica {
    pub kms_key_id: Option<String>,
    pub status: String,
    pub status_message: String,
    pub last_accessed: Option<i64>,
    /// A secret of the same name holds the region: nothing is copied there.
    #[serde(default)]
    pub name_conflict: bool,
}

impl Secret {
    /// The version carrying a staging label.
    pub fn with_stage(&self, stage: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.stages.iter().any(|s| s == stage))
    }

    /// A version by id.
    pub fn version(&self, id: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.id == id)
    }

    /// A version by id, to change.
    pub fn version_mut(&mut self, id: &str) -> Option<&mut Version> {
        self.versions.iter_mut().find(|v| v.id == id)
    }

    /// Whether DeleteSecret has been called and RestoreSecret not.
    pub fn is_deleted(&self) -> bool {
        self.deleted_date.is_some()
    }

    /// Removes `stage` from every version.
    pub fn remove_stage(&mut self, stage: &str) {
        for v in &mut self.versions {
            v.stages.retain(|s| s != stage);
        }
    }

    /// Puts `stage` on version `id` only (moving it from whichever version had it). Moving
    /// `AWSCURRENT` moves `AWSPREVIOUS` to the version `AWSCURRENT` left.
    pub fn move_stage(&mut self, stage: &str, id: &str) {
        let from = self.with_stage(stage).map(|v| v.id.clone());
        if from.as_deref() == Some(id) {
            return;
        }
        self.remove_stage(stage);
        if let Some(v) = self.version_mut(id) {
            v.stages.push(stage.to_string());
        }
        if stage == AWSCURRENT {
            if let Some(old) = from {
                self.remove_stage(AWSPREVIOUS);
                if let Some(v) = self.version_mut(&old) {
                    v.stages.push(AWSPREVIOUS.to_string());
                }
            }
        }
    }
}
