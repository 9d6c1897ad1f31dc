//! The verdicts: for one object version and each destination bucket of the configuration, which
//! rule applies, whether S3 replicates it, under which encryption and owner, and why not.
//!
//! The order of the checks follows what S3 does: the rule is chosen (filters, status, priority),
//! then what is out of scope is set aside without a status (delete markers, replicas, existing
//! objects, Glacier classes, SSE-KMS not selected), then what S3 tries and fails at shows FAILED
//! (the role's trust and permissions, the keys, blocked SSE-C, the destination bucket policy).
//! The first "no" decides; notes that did not decide are kept beside it.
//!
//! Sources (each check cites its page in [`super::reason::doc`]): the S3 User Guide pages "What
//! does Amazon S3 replicate?", "Replicating encrypted objects", "Getting replication status
//! information", "Setting up permissions", "Replicating existing objects", "Blocking or
//! unblocking SSE-C". Not modelled: S3 Object Lock, Replication Time Control timing, lifecycle
//! actions (never replicated, and not objects), source bucket policies, SCPs and VPC endpoints,
//! requester-pays, and the time a replication takes (PENDING is the status before it runs).

use std::collections::BTreeMap;
use std::rc::Rc;

use super::config::{Config, Rule};
use super::model::{aws_managed_s3_key, Bucket, Encryption, KeyInfo, Object, Role};
use super::permissions::{Checker, Outcome as CheckOutcome, Side};
use super::reason::{doc, Reason};

/// Everything an evaluation needs, read and checked.
#[derive(Debug, Clone)]
pub struct Input {
    pub config: Config,
    pub source: Bucket,
    pub destinations: Vec<Bucket>,
    pub roles: BTreeMap<String, Role>,
    pub keys: BTreeMap<String, KeyInfo>,
    pub objects_per_second: Option<f64>,
}

/// What happened at one destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    Replicated,
    /// Out of scope: S3 does not try, and the object shows no status for it.
    NotReplicated,
    /// S3 tries and fails: the source shows FAILED.
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Replicated => "REPLICATED",
            Outcome::NotReplicated => "NOT_REPLICATED",
            Outcome::Failed => "FAILED",
        }
    }
}

/// The replica's encryption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplicaEncryption {
    pub kind: Encryption,
    pub kms_key_arn: Option<String>,
    pub bucket_key: Option<bool>,
}

/// One KMS request S3 makes per replicated object (for the load estimate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KmsUse {
    pub key_arn: String,
    pub account: String,
    pub region: String,
    pub operation: &'static str,
    /// With an S3 Bucket Key the request is made per bucket-level key, not per object.
    pub bucket_key: bool,
}

/// The verdict for one destination.
#[derive(Debug, Clone, PartialEq)]
pub struct DestinationVerdict {
    pub bucket: String,
    pub rule_id: Option<String>,
    pub outcome: Outcome,
    pub replica_encryption: Option<ReplicaEncryption>,
    pub replica_owner: Option<String>,
    pub replica_storage_class: Option<String>,
    pub reasons: Vec<Reason>,
    pub kms: Vec<KmsUse>,
}

impl DestinationVerdict {
    /// The reason that decided.
    pub fn decided(&self) -> Option<&Reason> {
        self.reasons.iter().find(|r| r.decided)
    }
}

/// The verdict for one object version.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectVerdict {
    pub key: String,
    pub version_id: Option<String>,
    /// `PENDING` is never produced: the status is given as it stands once replication has run.
    pub source_status: Option<&'static str>,
    pub destinations: Vec<DestinationVerdict>,
}

/// The engine for one input: the destinations in configuration order and the permission checker.
pub struct Engine {
    input: Rc<Input>,
    checker: Checker,
    /// Indices into `input.destinations`.
    destinations: Vec<usize>,
    managed_keys: BTreeMap<String, KeyInfo>,
}

fn kms_context(region: &str, account: &str, arn: &str) -> Vec<(String, String)> {
    vec![
        ("kms:ViaService".into(), format!("s3.{region}.amazonaws.com")),
        ("kms:CallerAccount".into(), account.to_string()),
        ("kms:EncryptionContext:aws:s3:arn".into(), arn.to_string()),
        ("kms:EncryptionContextKeys".into(), "aws:s3:arn".into()),
    ]
}

impl Engine {
    /// Prepares the engine; `memo` memoises permission decisions per bucket when no policy can
    /// tell the objects of a bucket apart (for inventories).
    pub fn new(input: Rc<Input>, memo: bool) -> Engine {
        let role = input.roles.get(&input.config.role);
        let mut checker = Checker::new(&input.config.role, role.cloned());
        if memo {
            let mut raws = role.map(|r| r.raw.iter().collect::<Vec<_>>()).unwrap_or_default();
            raws.extend(input.destinations.iter().filter_map(|b| b.policy_raw.as_ref()));
            raws.extend(input.keys.values().map(|k| &k.raw));
            checker.memo = !raws.into_iter().any(super::permissions::object_dependent);
        }
        let mut destinations: Vec<usize> = Vec::new();
        for rule in &input.config.rules {
            if let Some(i) = input.destinations.iter().position(|b| b.name == rule.destination.bucket) {
                if !destinations.contains(&i) {
                    destinations.push(i);
                }
            }
        }
        Engine { input, checker, destinations, managed_keys: BTreeMap::new() }
    }

    /// Whether permission decisions are memoised.
    pub fn memoised(&self) -> bool {
        self.checker.memo
    }

    /// The destination buckets, in configuration order.
    pub fn destination_names(&self) -> Vec<String> {
        self.destinations
            .iter()
            .filter_map(|i| self.input.destinations.get(*i))
            .map(|b| b.name.clone())
            .collect()
    }

    /// The verdict for one object version.
    pub fn evaluate(&mut self, obj: &Object) -> ObjectVerdict {
        let input = Rc::clone(&self.input);
        let mut out = Vec::with_capacity(self.destinations.len());
        for dest in self.destinations.clone().iter().filter_map(|i| input.destinations.get(*i)) {
            let mut v = self.destination(obj, dest);
            if !self.input.config.errors.is_empty() {
                for r in &mut v.reasons {
                    r.decided = false;
                }
                let codes: Vec<&str> = self.input.config.errors.iter().map(|e| e.code).collect();
                v.reasons.insert(
                    0,
                    Reason::decisive(
                        "CONFIGURATION_REJECTED",
                        doc::CONFIG,
                        format!(
                            "PutBucketReplication would reject this configuration ({}), so nothing replicates; the other reasons say what would happen once it is fixed",
                            codes.join(", ")
                        ),
                    ),
                );
                v.outcome = Outcome::NotReplicated;
                v.replica_encryption = None;
                v.replica_owner = None;
                v.replica_storage_class = None;
                v.kms.clear();
            }
            out.push(v);
        }
        let source_status = if obj.is_delete_marker {
            None
        } else if out.iter().any(|d| d.outcome == Outcome::Failed) {
            Some("FAILED")
        } else if out.iter().any(|d| d.outcome == Outcome::Replicated) {
            Some("COMPLETED")
        } else {
            None
        };
        ObjectVerdict {
            key: obj.key.clone(),
            version_id: obj.version_id.clone(),
            source_status,
            destinations: out,
        }
    }

    fn pick_rule<'i>(
        input: &'i Input,
        obj: &Object,
        dest: &Bucket,
        reasons: &mut Vec<Reason>,
    ) -> Option<&'i Rule> {
        let tags: &[(String, String)] = if obj.is_delete_marker { &[] } else { &obj.tags };
        let mut matching: Vec<&'i Rule> = input
            .config
            .rules
            .iter()
            .filter(|r| r.destination.bucket == dest.name && r.matches(&obj.key, tags))
            .collect();
        // Higher number, higher priority; V1 rules (no priority) in configuration order.
        matching.sort_by(|a, b| {
            b.priority.unwrap_or(-1).cmp(&a.priority.unwrap_or(-1)).then(a.index.cmp(&b.index))
        });
        let chosen = matching.iter().copied().find(|r| r.enabled);
        let Some(chosen) = chosen else {
            if let Some(disabled) = matching.first() {
                reasons.push(Reason::decisive(
                    "RULE_DISABLED",
                    doc::CONFIG,
                    format!("rule `{}` matches `{}` but its Status is Disabled", disabled.id, obj.key),
                ));
            } else {
                reasons.push(Reason::decisive(
                    "NO_MATCHING_RULE",
                    doc::CONFIG,
                    format!(
                        "no rule for `{}` matches `{}`{}",
                        dest.name,
                        obj.key,
                        if obj.is_delete_marker {
                            " (a delete marker has no tags, so tag filters never match it)"
                        } else {
                            ""
                        }
                    ),
                ));
            }
            return None;
        };
        for other in matching.iter().filter(|r| r.index != chosen.index) {
            if !other.enabled && other.priority > chosen.priority {
                reasons.push(Reason::note(
                    "RULE_DISABLED",
                    doc::CONFIG,
                    format!(
                        "rule `{}` has a higher priority but is disabled, so `{}` applies",
                        other.id, chosen.id
                    ),
                ));
            } else if other.enabled {
                reasons.push(Reason::note(
                    "HIGHER_PRIORITY_RULE",
                    doc::CONFIG,
                    format!(
                        "rule `{}` also matches, but rule `{}` has the higher priority ({})",
                        other.id,
                        chosen.id,
                        chosen.priority.map_or_else(|| "first in order".to_string(), |p| p.to_string())
                    ),
                ));
            }
        }
        Some(chosen)
    }

    fn find_key(&mut self, id: &str, default_region: &str, default_account: &str) -> Option<KeyInfo> {
        if let Some(k) = self.input.keys.get(id) {
            return Some(k.clone());
        }
        let bare = id.strip_prefix("key/").unwrap_or(id);
        if !id.starts_with("arn:") && !id.starts_with("alias/") {
            let arn = format!("arn:aws:kms:{default_region}:{default_account}:key/{bare}");
            if let Some(k) = self.input.keys.get(&arn) {
                return Some(k.clone());
            }
        }
        let managed =
            id == "alias/aws/s3" || (id.starts_with("arn:aws:kms:") && id.ends_with(":alias/aws/s3"));
        if managed {
            let (region, account) = super::model::key_arn_parts(id)
                .unwrap_or_else(|| (default_region.to_string(), default_account.to_string()));
            return self.managed_key(&account, &region);
        }
        None
    }

    fn managed_key(&mut self, account: &str, region: &str) -> Option<KeyInfo> {
        let id = format!("{account}/{region}");
        if let Some(k) = self.managed_keys.get(&id) {
            return Some(k.clone());
        }
        let k = aws_managed_s3_key(account, region)?;
        self.managed_keys.insert(id, k.clone());
        Some(k)
    }

    fn key_check(
        &mut self,
        key: &KeyInfo,
        action: &str,
        via_region: &str,
        context_arn: &str,
        memo_scope: &str,
    ) -> CheckOutcome {
        let ctx = kms_context(via_region, self.checker.role_account(), context_arn);
        let set_id = format!("key:{}", key.arn);
        self.checker.check(&set_id, Some(&key.policy), action, &key.arn, &key.account, ctx, memo_scope)
    }

    fn destination(&mut self, obj: &Object, dest: &Bucket) -> DestinationVerdict {
        let input = Rc::clone(&self.input);
        let mut reasons = Vec::new();
        let rule = Self::pick_rule(&input, obj, dest, &mut reasons);
        let mut v = DestinationVerdict {
            bucket: dest.name.clone(),
            rule_id: rule.map(|r| r.id.clone()),
            outcome: Outcome::NotReplicated,
            replica_encryption: None,
            replica_owner: None,
            replica_storage_class: None,
            reasons,
            kms: Vec::new(),
        };
        let Some(rule) = rule else { return v };
        match self.decide(obj, dest, rule, &mut v) {
            Ok(()) => {
                v.outcome = Outcome::Replicated;
                let what = if obj.is_delete_marker { "the delete marker" } else { "the object" };
                v.reasons.insert(
                    0,
                    Reason::decisive(
                        if obj.is_delete_marker { "DELETE_MARKER_REPLICATED" } else { "REPLICATED" },
                        if obj.is_delete_marker { doc::DELETE_MARKERS } else { doc::STATUS },
                        format!(
                            "rule `{}` replicates {what} to `{}`{}",
                            rule.id,
                            dest.name,
                            if obj.is_delete_marker { "" } else { "; the replica shows REPLICA, the source COMPLETED once every destination succeeded" }
                        ),
                    ),
                );
            }
            Err((outcome, reason)) => {
                v.outcome = outcome;
                v.reasons.insert(0, reason);
                v.replica_encryption = None;
                v.replica_owner = None;
                v.replica_storage_class = None;
                v.kms.clear();
            }
        }
        v
    }

    /// The checks after the rule is chosen; `Err` carries the outcome and the deciding reason.
    fn decide(
        &mut self,
        obj: &Object,
        dest: &Bucket,
        rule: &Rule,
        v: &mut DestinationVerdict,
    ) -> Result<(), (Outcome, Reason)> {
        let input = Rc::clone(&self.input);
        let src = &input.source;
        let not = |code, doc, msg: String| Err((Outcome::NotReplicated, Reason::decisive(code, doc, msg)));
        let fail = |code, doc, msg: String| (Outcome::Failed, Reason::decisive(code, doc, msg));

        // Out of scope: S3 does not try.
        if obj.is_delete_marker {
            if rule.v2 && !rule.delete_markers {
                return not(
                    "DELETE_MARKER_NOT_REPLICATED",
                    doc::DELETE_MARKERS,
                    format!("rule `{}` does not enable DeleteMarkerReplication, so delete markers stay in the source", rule.id),
                );
            }
            if !rule.v2 {
                v.reasons.push(Reason::note(
                    "DELETE_MARKER_REPLICATED",
                    doc::DELETE_MARKERS,
                    "a V1 rule (top-level Prefix) replicates delete markers made by user actions",
                ));
            }
        }
        if obj.is_replica {
            let extra = if rule.replica_modifications {
                "; ReplicaModifications is enabled, so metadata changes made to replicas are synced back, but the replica itself is not re-replicated"
            } else {
                ""
            };
            return not(
                "OBJECT_IS_REPLICA",
                doc::WHAT_IS_REPLICATED,
                format!("the object is a replica (status REPLICA) made by another rule; replicas are not replicated again (use S3 Batch Replication){extra}"),
            );
        }
        if obj.existing {
            if !rule.existing {
                return not(
                    "EXISTING_OBJECT",
                    doc::EXISTING,
                    format!("the object existed before the configuration and rule `{}` does not enable ExistingObjectReplication; replicate it with S3 Batch Replication", rule.id),
                );
            }
            v.reasons.push(Reason::note(
                "EXISTING_OBJECT_REPLICATION",
                doc::EXISTING,
                "an existing object, replicated because the rule enables ExistingObjectReplication",
            ));
        }
        if !obj.is_delete_marker && matches!(obj.storage_class.as_str(), "GLACIER" | "DEEP_ARCHIVE") {
            return not(
                "GLACIER_STORAGE_CLASS",
                doc::WHAT_IS_REPLICATED,
                format!("objects in the `{}` storage class (S3 Glacier Flexible Retrieval / Deep Archive) are not replicated; restore a copy first", obj.storage_class),
            );
        }
        let enc = if obj.is_delete_marker {
            Encryption::None
        } else {
            obj.encryption.unwrap_or(src.encryption.algorithm)
        };
        if enc.uses_kms() && !rule.sse_kms {
            return not(
                "SSE_KMS_NOT_SELECTED",
                doc::ENCRYPTED,
                format!("the object is {} and rule `{}` does not set SourceSelectionCriteria.SseKmsEncryptedObjects to Enabled, so S3 skips it", enc.as_str(), rule.id),
            );
        }

        // S3 tries: from here a "no" is FAILED.
        if let Some(t) = self.checker.trust() {
            if !t.allowed {
                return Err(fail(
                    "ROLE_NOT_ASSUMABLE",
                    doc::PERMISSIONS,
                    format!(
                        "the trust policy of `{}` does not let s3.amazonaws.com assume it",
                        input.config.role
                    ),
                )
                .with_check(t.check));
            }
        }
        let role_known = input.roles.contains_key(&input.config.role);
        if !role_known {
            v.reasons.push(Reason::note(
                "ROLE_NOT_DESCRIBED",
                doc::PERMISSIONS,
                format!(
                    "role `{}` is not described in `roles`; it is evaluated with no policies",
                    input.config.role
                ),
            ));
        }
        let object_arn = format!("{}/{}", src.arn(), obj.key);
        let memo_src = format!("{}/*", src.arn());
        let src_set = format!("source:{}", src.name);
        let mut src_actions: Vec<(&str, String)> =
            vec![("s3:GetReplicationConfiguration", src.arn()), ("s3:ListBucket", src.arn())];
        if !obj.is_delete_marker {
            src_actions.push(("s3:GetObjectVersionForReplication", object_arn.clone()));
            src_actions.push(("s3:GetObjectVersionAcl", object_arn.clone()));
            if !obj.tags.is_empty() {
                src_actions.push(("s3:GetObjectVersionTagging", object_arn.clone()));
            }
        }
        for (action, resource) in src_actions {
            let scope = if resource == object_arn { memo_src.clone() } else { resource.clone() };
            let o = self.checker.check(&src_set, None, action, &resource, &src.account, Vec::new(), &scope);
            if !o.allowed {
                return Err(fail(
                    "ROLE_CANNOT_READ_SOURCE",
                    doc::PERMISSIONS,
                    format!(
                        "the role may not `{action}` on `{resource}` ({})",
                        o.check.evaluation.decision.as_str()
                    ),
                )
                .with_check(o.check));
            }
        }

        // Encryption.
        let dest_obj_arn = format!("{}/{}", dest.arn(), obj.key);
        let memo_dst = format!("{}/*", dest.arn());
        match enc {
            Encryption::SseC => {
                if dest.blocks_sse_c {
                    return Err(fail(
                        "SSE_C_BLOCKED",
                        doc::SSE_C_BLOCK,
                        format!("`{}` blocks SSE-C (BlockedEncryptionTypes), so S3 refuses the replication request with 403 AccessDenied", dest.name),
                    ));
                }
                let extra = if dest.blocked_given {
                    ""
                } else {
                    "; `blockedEncryptionTypes` is not given for the destination: buckets created since April 2026 block SSE-C by default"
                };
                v.reasons.push(Reason::note(
                    "SSE_C_REPLICATED",
                    doc::ENCRYPTED,
                    format!("SSE-C objects replicate (since late 2022; the notes say they never do); the replica is SSE-C under the same customer key{extra}"),
                ));
                v.replica_encryption =
                    Some(ReplicaEncryption { kind: Encryption::SseC, kms_key_arn: None, bucket_key: None });
            }
            Encryption::SseS3 => {
                v.replica_encryption =
                    Some(ReplicaEncryption { kind: Encryption::SseS3, kms_key_arn: None, bucket_key: None });
            }
            Encryption::None => {
                if !obj.is_delete_marker {
                    self.destination_default(dest, &dest_obj_arn, &memo_dst, v)?;
                }
            }
            Encryption::SseKms | Encryption::DsseKms => {
                self.kms_object(obj, enc, dest, rule, &object_arn, &dest_obj_arn, v)?;
            }
        }

        // Writing the replica.
        let dst_set = format!("dest:{}", dest.name);
        let mut dst_actions =
            vec![if obj.is_delete_marker { "s3:ReplicateDelete" } else { "s3:ReplicateObject" }];
        if !obj.tags.is_empty() && !obj.is_delete_marker {
            dst_actions.push("s3:ReplicateTags");
        }
        for action in dst_actions {
            let o = self.checker.check(
                &dst_set,
                dest.policy.as_ref(),
                action,
                &dest_obj_arn,
                &dest.account,
                Vec::new(),
                &memo_dst,
            );
            if !o.allowed {
                let (code, who) =
                    match (o.side, dest.policy.is_some(), dest.account == self.checker.role_account()) {
                        (Side::Role, _, _) => {
                            ("ROLE_CANNOT_REPLICATE", "the role's policies do not allow".to_string())
                        }
                        (Side::Resource, false, false) => (
                            "DESTINATION_BUCKET_POLICY_DENIES",
                            format!(
                                "`{}` is in another account and has no bucket policy allowing",
                                dest.name
                            ),
                        ),
                        (Side::Resource, _, _) => (
                            "DESTINATION_BUCKET_POLICY_DENIES",
                            format!("the bucket policy of `{}` does not allow", dest.name),
                        ),
                    };
                return Err(fail(
                    code,
                    doc::PERMISSIONS,
                    format!(
                        "{who} `{action}` on `{dest_obj_arn}` ({})",
                        o.check.evaluation.decision.as_str()
                    ),
                )
                .with_check(o.check));
            }
        }

        // Ownership.
        let enforced = dest.ownership.as_deref() == Some("BucketOwnerEnforced");
        if rule.destination.owner_override {
            let o = self.checker.check(
                &dst_set,
                dest.policy.as_ref(),
                "s3:ObjectOwnerOverrideToBucketOwner",
                &dest_obj_arn,
                &dest.account,
                Vec::new(),
                &memo_dst,
            );
            if !o.allowed {
                return Err(fail(
                    "OWNER_OVERRIDE_NOT_ALLOWED",
                    doc::OWNER,
                    format!(
                        "rule `{}` sets AccessControlTranslation (owner override), but {} `s3:ObjectOwnerOverrideToBucketOwner`",
                        rule.id,
                        if o.side == Side::Role { "the role's policies do not allow".to_string() } else { format!("the bucket policy of `{}` does not allow", dest.name) }
                    ),
                )
                .with_check(o.check));
            }
        }
        if !obj.is_delete_marker {
            if rule.destination.owner_override || enforced {
                v.replica_owner = Some(dest.account.clone());
                if dest.account != src.account {
                    v.reasons.push(Reason::note(
                        "REPLICA_OWNED_BY_DESTINATION",
                        if enforced { doc::OWNERSHIP } else { doc::OWNER },
                        format!(
                            "the replica is owned by the destination account {} ({})",
                            dest.account,
                            if enforced {
                                "Object Ownership BucketOwnerEnforced: ACLs are disabled"
                            } else {
                                "owner override"
                            }
                        ),
                    ));
                }
            } else {
                v.replica_owner = Some(src.account.clone());
                if dest.account != src.account {
                    v.reasons.push(Reason::note(
                        "REPLICA_OWNED_BY_SOURCE_ACCOUNT",
                        doc::OWNER,
                        format!(
                            "across accounts without owner override the replica stays owned by the source account {}; set AccessControlTranslation or BucketOwnerEnforced on `{}`",
                            src.account, dest.name
                        ),
                    ));
                }
            }
            let class = rule.destination.storage_class.clone().unwrap_or_else(|| obj.storage_class.clone());
            if let Some(sc) = &rule.destination.storage_class {
                v.reasons.push(Reason::note(
                    "STORAGE_CLASS_OVERRIDE",
                    doc::CONFIG,
                    format!("the replica is stored as `{sc}`"),
                ));
            }
            v.replica_storage_class = Some(class);
        }
        Ok(())
    }

    /// An unencrypted object: the replica takes the destination's default encryption.
    fn destination_default(
        &mut self,
        dest: &Bucket,
        dest_obj_arn: &str,
        memo_dst: &str,
        v: &mut DestinationVerdict,
    ) -> Result<(), (Outcome, Reason)> {
        let d = &dest.encryption;
        v.reasons.push(Reason::note(
            "DESTINATION_DEFAULT_ENCRYPTION",
            doc::DEFAULT_ENCRYPTION,
            format!(
                "the object is not encrypted, so the replica takes `{}`'s default encryption ({})",
                dest.name,
                d.algorithm.as_str()
            ),
        ));
        if !d.algorithm.uses_kms() {
            v.replica_encryption =
                Some(ReplicaEncryption { kind: d.algorithm, kms_key_arn: None, bucket_key: None });
            return Ok(());
        }
        let key_id = d.kms_key.clone().unwrap_or_else(|| "alias/aws/s3".to_string());
        let Some(key) = self.find_key(&key_id, &dest.region, &dest.account) else {
            return Err((
                Outcome::Failed,
                Reason::decisive(
                    "KEY_NOT_DESCRIBED",
                    doc::ENCRYPTED,
                    format!("the destination's default key `{key_id}` is not described in `keys`; add it (its ARN and policy)"),
                ),
            ));
        };
        let bucket_key = d.bucket_key && d.algorithm == Encryption::SseKms;
        let ctx_arn = if bucket_key { dest.arn() } else { dest_obj_arn.to_string() };
        let scope = if bucket_key { dest.arn() } else { memo_dst.to_string() };
        let o = self.key_check(&key, "kms:GenerateDataKey", &dest.region, &ctx_arn, &scope);
        if !o.allowed {
            return Err(key_denied(
                &o,
                "ROLE_CANNOT_ENCRYPT_DESTINATION_KEY",
                "DESTINATION_KEY_POLICY_DENIES",
                "kms:GenerateDataKey",
                &key.arn,
            ));
        }
        v.kms.push(KmsUse {
            key_arn: key.arn.clone(),
            account: key.account.clone(),
            region: key.region.clone(),
            operation: "GenerateDataKey",
            bucket_key,
        });
        v.replica_encryption = Some(ReplicaEncryption {
            kind: d.algorithm,
            kms_key_arn: Some(key.arn),
            bucket_key: Some(bucket_key),
        });
        Ok(())
    }

    /// An SSE-KMS or DSSE-KMS object: decrypt under the source key, re-encrypt under ReplicaKmsKeyID.
    #[allow(clippy::too_many_arguments)]
    fn kms_object(
        &mut self,
        obj: &Object,
        enc: Encryption,
        dest: &Bucket,
        rule: &Rule,
        object_arn: &str,
        dest_obj_arn: &str,
        v: &mut DestinationVerdict,
    ) -> Result<(), (Outcome, Reason)> {
        let input = Rc::clone(&self.input);
        let src = &input.source;
        let fail = |code, doc, msg: String| (Outcome::Failed, Reason::decisive(code, doc, msg));
        // The source key.
        let src_key_id = obj
            .kms_key_arn
            .clone()
            .or_else(|| src.encryption.algorithm.uses_kms().then(|| src.encryption.kms_key.clone()).flatten())
            .unwrap_or_else(|| "alias/aws/s3".to_string());
        let Some(src_key) = self.find_key(&src_key_id, &src.region, &src.account) else {
            return Err(fail(
                "KEY_NOT_DESCRIBED",
                doc::ENCRYPTED,
                format!("the object's key `{src_key_id}` is not described in `keys`; add it (its ARN and policy) or pass the KMS world"),
            ));
        };
        if src_key.state != "Enabled" {
            return Err(fail(
                "SOURCE_KEY_DISABLED",
                doc::ENCRYPTED,
                format!(
                    "the source key `{}` is {}, so S3 cannot decrypt the object",
                    src_key.arn, src_key.state
                ),
            ));
        }
        let src_bucket_key = enc == Encryption::SseKms && obj.bucket_key.unwrap_or(src.encryption.bucket_key);
        let (ctx, scope) = if src_bucket_key {
            v.reasons.push(Reason::note(
                "BUCKET_KEY_CONTEXT",
                doc::BUCKET_KEYS,
                format!("the source object uses an S3 Bucket Key: kms:Decrypt is asked with encryption context `aws:s3:arn` = `{}` (the bucket, not the object)", src.arn()),
            ));
            (src.arn(), src.arn())
        } else {
            (object_arn.to_string(), format!("{}/*", src.arn()))
        };
        let o = self.key_check(&src_key, "kms:Decrypt", &src.region, &ctx, &scope);
        if !o.allowed {
            return Err(key_denied(
                &o,
                "ROLE_CANNOT_DECRYPT_SOURCE_KEY",
                "SOURCE_KEY_POLICY_DENIES",
                "kms:Decrypt",
                &src_key.arn,
            ));
        }
        // The replica key.
        let Some(replica_id) = rule.destination.replica_kms_key.clone() else {
            return Err(fail(
                "MISSING_REPLICA_KMS_KEY",
                doc::ENCRYPTED,
                format!("rule `{}` selects SSE-KMS objects but names no ReplicaKmsKeyID", rule.id),
            ));
        };
        let Some(dst_key) = self.find_key(&replica_id, &dest.region, &dest.account) else {
            return Err(fail(
                "KEY_NOT_DESCRIBED",
                doc::ENCRYPTED,
                format!("the replica key `{replica_id}` is not described in `keys`; add it (its ARN and policy) or pass the KMS world"),
            ));
        };
        if dst_key.region != dest.region {
            return Err(fail(
                "DESTINATION_KEY_WRONG_REGION",
                doc::ENCRYPTED,
                format!(
                    "the replica key `{}` is in {}, but `{}` is in {}: ReplicaKmsKeyID must be a key in the destination bucket's Region{}",
                    dst_key.arn,
                    dst_key.region,
                    dest.name,
                    dest.region,
                    if dst_key.multi_region { " (a multi-Region key's replica in that Region has its own ARN: name that one)" } else { "" }
                ),
            ));
        }
        if !dst_key.symmetric() {
            return Err(fail(
                "DESTINATION_KEY_NOT_SYMMETRIC",
                doc::ENCRYPTED,
                format!(
                    "the replica key `{}` is {} / {}: S3 supports only symmetric encryption keys",
                    dst_key.arn, dst_key.key_spec, dst_key.key_usage
                ),
            ));
        }
        if dst_key.state != "Enabled" {
            return Err(fail(
                "DESTINATION_KEY_DISABLED",
                doc::ENCRYPTED,
                format!("the replica key `{}` is {}", dst_key.arn, dst_key.state),
            ));
        }
        if dst_key.multi_region || src_key.multi_region {
            v.reasons.push(Reason::note(
                "MRK_TREATED_AS_SINGLE_REGION",
                doc::ENCRYPTED,
                "S3 treats multi-Region keys as single-Region keys: the replica is decrypted and re-encrypted, never moved under shared key material",
            ));
        }
        let replica_bucket_key = enc == Encryption::SseKms
            && (dest.encryption.bucket_key || obj.bucket_key.unwrap_or(src.encryption.bucket_key));
        let (ctx, scope) = if replica_bucket_key {
            v.reasons.push(Reason::note(
                "BUCKET_KEY_CONTEXT",
                doc::BUCKET_KEYS,
                format!("the replica uses an S3 Bucket Key: the destination key is asked with `aws:s3:arn` = `{}`, and its policy must also allow kms:Decrypt", dest.arn()),
            ));
            (dest.arn(), dest.arn())
        } else {
            (dest_obj_arn.to_string(), format!("{}/*", dest.arn()))
        };
        let mut ops = vec!["kms:Encrypt"];
        if replica_bucket_key {
            ops.push("kms:Decrypt");
        }
        for op in ops {
            let o = self.key_check(&dst_key, op, &dest.region, &ctx, &scope);
            if !o.allowed {
                return Err(key_denied(
                    &o,
                    "ROLE_CANNOT_ENCRYPT_DESTINATION_KEY",
                    "DESTINATION_KEY_POLICY_DENIES",
                    op,
                    &dst_key.arn,
                ));
            }
        }
        v.kms.push(KmsUse {
            key_arn: src_key.arn.clone(),
            account: src_key.account.clone(),
            region: src_key.region.clone(),
            operation: "Decrypt",
            bucket_key: src_bucket_key,
        });
        v.kms.push(KmsUse {
            key_arn: dst_key.arn.clone(),
            account: dst_key.account.clone(),
            region: dst_key.region.clone(),
            operation: "Encrypt",
            bucket_key: replica_bucket_key,
        });
        if dst_key.arn != src_key.arn {
            v.reasons.push(Reason::note(
                "REENCRYPTED_WITH_REPLICA_KEY",
                doc::ENCRYPTED,
                format!(
                    "the replica is {} under the replica key `{}`, not the source key",
                    enc.as_str(),
                    dst_key.arn
                ),
            ));
        }
        v.replica_encryption = Some(ReplicaEncryption {
            kind: enc,
            kms_key_arn: Some(dst_key.arn),
            bucket_key: (enc == Encryption::SseKms).then_some(replica_bucket_key),
        });
        Ok(())
    }
}

fn key_denied(
    o: &CheckOutcome,
    role_code: &'static str,
    key_code: &'static str,
    action: &str,
    key: &str,
) -> (Outcome, Reason) {
    let (code, who) = match o.side {
        Side::Role => (role_code, "the role's policies do not allow"),
        Side::Resource => (key_code, "the key policy does not allow"),
    };
    let how = match o.check.evaluation.decision {
        crate::policy::Decision::ExplicitDeny => "explicitly denied",
        _ => "not allowed",
    };
    (
        Outcome::Failed,
        Reason::decisive(
            code,
            doc::ENCRYPTED,
            format!("{who} `{action}` on `{key}` with the context S3 sends ({how})"),
        )
        .with_check(o.check.clone()),
    )
}

/// Attaching a permission check to a failed verdict.
trait WithCheck {
    fn with_check(self, check: super::reason::Check) -> Self;
}

impl WithCheck for (Outcome, Reason) {
    fn with_check(self, check: super::reason::Check) -> Self {
        (self.0, self.1.with_check(check))
    }
}
