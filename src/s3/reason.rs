//! The reasons a verdict gives: a stable code, a message, the S3 User Guide page that documents
//! the behaviour, and for permission reasons the policy engine's evaluation (with its trace).
//!
//! The codes are stable API; messages are for people and may change.

use crate::policy::Evaluation;

/// The S3 User Guide pages the rules come from (and the KMS page for the quotas).
pub mod doc {
    /// "What does Amazon S3 replicate?"
    pub const WHAT_IS_REPLICATED: &str =
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-what-is-isnot-replicated.html";
    /// "Replicating encrypted objects (SSE-S3, SSE-KMS, DSSE-KMS, SSE-C)"
    pub const ENCRYPTED: &str =
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html";
    /// "Getting replication status information"
    pub const STATUS: &str = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-status.html";
    /// "Setting up permissions" for replication
    pub const PERMISSIONS: &str =
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html";
    /// "Replicating existing objects with Batch Replication"
    pub const EXISTING: &str =
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-batch.html";
    /// "Replication configuration file elements" (rules, filters, priority)
    pub const CONFIG: &str =
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html";
    /// "Replicating delete markers between buckets"
    pub const DELETE_MARKERS: &str =
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-marker-replication.html";
    /// "Replicating metadata changes with replica modification sync"
    pub const REPLICA_MODIFICATIONS: &str =
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-for-metadata-changes.html";
    /// "Changing the replica owner"
    pub const OWNER: &str =
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html";
    /// "Controlling ownership of objects" (Object Ownership)
    pub const OWNERSHIP: &str =
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html";
    /// "Blocking or unblocking SSE-C for a general purpose bucket"
    pub const SSE_C_BLOCK: &str =
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/blocking-unblocking-s3-c-encryption-gpb.html";
    /// "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys"
    pub const BUCKET_KEYS: &str = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html";
    /// "Setting default server-side encryption behavior for Amazon S3 buckets"
    pub const DEFAULT_ENCRYPTION: &str =
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html";
    /// AWS KMS Developer Guide, "Request quotas"
    pub const KMS_QUOTAS: &str =
        "https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html";
}

/// One reason of a verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    /// Stable code (`NO_MATCHING_RULE`, …).
    pub code: &'static str,
    pub message: String,
    /// The documentation page the behaviour is taken from.
    pub doc: &'static str,
    /// The permission check that decided, for permission reasons: the request and its evaluation.
    pub check: Option<Box<Check>>,
    /// Whether this reason decided the verdict (exactly one per verdict does).
    pub decided: bool,
}

/// A permission check made through the policy engine.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub action: String,
    pub resource: String,
    /// The context keys S3 sends with the request, as sent.
    pub context: Vec<(String, String)>,
    pub evaluation: Evaluation,
}

impl Reason {
    /// A reason that did not decide the verdict (a note beside it).
    pub fn note(code: &'static str, doc: &'static str, message: impl Into<String>) -> Reason {
        Reason { code, message: message.into(), doc, check: None, decided: false }
    }

    /// The reason that decided the verdict.
    pub fn decisive(code: &'static str, doc: &'static str, message: impl Into<String>) -> Reason {
        Reason { code, message: message.into(), doc, check: None, decided: true }
    }

    /// Attaches a permission check.
    pub fn with_check(mut self, check: Check) -> Reason {
        self.check = Some(Box::new(check));
        self
    }
}

/// Every reason code the engine produces, with what it means: the README's table and the tests'
/// coverage check read this list.
pub const REASON_CODES: &[(&str, &str)] = &[
    ("REPLICATED", "the object replicates to this destination"),
    (
        "CONFIGURATION_REJECTED",
        "AWS would reject the configuration at PutBucketReplication, so nothing replicates",
    ),
    ("NO_MATCHING_RULE", "no rule for this destination matches the object's key and tags"),
    ("RULE_DISABLED", "the matching rule is disabled"),
    ("HIGHER_PRIORITY_RULE", "another matching rule for the same destination has a higher priority"),
    ("DELETE_MARKER_NOT_REPLICATED", "a delete marker under a rule without DeleteMarkerReplication"),
    ("DELETE_MARKER_REPLICATED", "a delete marker replicated (V1 rule, or DeleteMarkerReplication Enabled)"),
    ("OBJECT_IS_REPLICA", "the object is itself a replica: replicas are not replicated again"),
    ("EXISTING_OBJECT", "the object existed before the configuration and ExistingObjectReplication is off"),
    (
        "EXISTING_OBJECT_REPLICATION",
        "an existing object, replicated because the rule enables ExistingObjectReplication",
    ),
    ("GLACIER_STORAGE_CLASS", "objects in S3 Glacier Flexible Retrieval or Deep Archive are not replicated"),
    ("SSE_KMS_NOT_SELECTED", "an SSE-KMS or DSSE-KMS object under a rule without SseKmsEncryptedObjects"),
    ("SSE_C_REPLICATED", "SSE-C objects replicate (since late 2022; the notes say they never do)"),
    ("SSE_C_BLOCKED", "the destination blocks SSE-C writes, so the replication request is refused"),
    ("ROLE_NOT_DESCRIBED", "the rule's role is not described in `roles` (nor in the KMS world)"),
    ("ROLE_NOT_ASSUMABLE", "the role's trust policy does not let s3.amazonaws.com assume it"),
    (
        "ROLE_CANNOT_READ_SOURCE",
        "the role may not read the source bucket's configuration or the object version",
    ),
    ("ROLE_CANNOT_REPLICATE", "the role's own policies do not allow writing the replica"),
    (
        "DESTINATION_BUCKET_POLICY_DENIES",
        "the destination bucket policy denies or, across accounts, does not allow",
    ),
    (
        "OWNER_OVERRIDE_NOT_ALLOWED",
        "owner override is configured but s3:ObjectOwnerOverrideToBucketOwner is not allowed",
    ),
    (
        "REPLICA_OWNED_BY_DESTINATION",
        "the replica is owned by the destination account (owner override or BucketOwnerEnforced)",
    ),
    (
        "REPLICA_OWNED_BY_SOURCE_ACCOUNT",
        "across accounts without owner override, the replica stays owned by the source account",
    ),
    ("KEY_NOT_DESCRIBED", "a KMS key the object needs is not described in `keys` (nor in the KMS world)"),
    ("SOURCE_KEY_DISABLED", "the source object's KMS key is not enabled, so it cannot be decrypted"),
    ("ROLE_CANNOT_DECRYPT_SOURCE_KEY", "the role's policies do not allow kms:Decrypt on the source key"),
    (
        "SOURCE_KEY_POLICY_DENIES",
        "the source key's policy denies kms:Decrypt to the role, or does not allow it",
    ),
    ("MISSING_REPLICA_KMS_KEY", "the rule has no ReplicaKmsKeyID for SSE-KMS objects"),
    ("DESTINATION_KEY_WRONG_REGION", "the replica key is not in the destination bucket's region"),
    ("DESTINATION_KEY_NOT_SYMMETRIC", "the replica key is not a symmetric encryption key"),
    ("DESTINATION_KEY_DISABLED", "the replica key is not enabled"),
    (
        "ROLE_CANNOT_ENCRYPT_DESTINATION_KEY",
        "the role's policies do not allow kms:Encrypt (or GenerateDataKey) on the destination key",
    ),
    ("DESTINATION_KEY_POLICY_DENIES", "the destination key's policy denies the role, or does not allow it"),
    (
        "MRK_TREATED_AS_SINGLE_REGION",
        "a multi-Region key is treated as a single-Region key: the replica is re-encrypted",
    ),
    ("REENCRYPTED_WITH_REPLICA_KEY", "the replica is encrypted under ReplicaKmsKeyID, not the source key"),
    (
        "DESTINATION_DEFAULT_ENCRYPTION",
        "an unencrypted object takes the destination bucket's default encryption",
    ),
    (
        "BUCKET_KEY_CONTEXT",
        "with S3 Bucket Keys the encryption context is the bucket ARN, not the object ARN",
    ),
    ("STORAGE_CLASS_OVERRIDE", "the rule sets the replica's storage class"),
];

/// Every configuration error code, with its meaning.
pub const CONFIGURATION_CODES: &[(&str, &str)] = &[
    ("MALFORMED_CONFIGURATION", "the configuration is not the shape AWS accepts (MalformedXML)"),
    ("MISSING_ROLE", "the configuration has no Role"),
    ("NO_RULES", "the configuration has no rule"),
    ("TOO_MANY_RULES", "more than 1,000 rules"),
    ("RULE_ID_TOO_LONG", "a rule ID longer than 255 characters"),
    ("DUPLICATE_RULE_ID", "two rules with the same ID"),
    ("INVALID_STATUS", "a Status other than Enabled or Disabled"),
    ("V1_V2_MIXED", "rules with a top-level Prefix (V1) beside rules with Filter (V2)"),
    ("PRIORITY_REQUIRED", "a V2 rule without Priority"),
    ("DELETE_MARKER_REPLICATION_REQUIRED", "a V2 rule without DeleteMarkerReplication"),
    ("DUPLICATE_PRIORITY", "two rules with the same Priority"),
    ("DELETE_MARKER_WITH_TAG_FILTER", "DeleteMarkerReplication enabled on a rule that filters by tag"),
    ("DUPLICATE_TAG_KEY", "a filter names the same tag key twice"),
    ("OVERLAPPING_PREFIXES", "V1 rules whose prefixes overlap"),
    ("MISSING_REPLICA_KMS_KEY", "SseKmsEncryptedObjects enabled without ReplicaKmsKeyID"),
    ("REPLICA_KMS_KEY_WITHOUT_SSE_KMS", "ReplicaKmsKeyID without SseKmsEncryptedObjects"),
    ("MISSING_DESTINATION", "a rule without Destination.Bucket"),
    ("INVALID_DESTINATION_BUCKET", "a Destination.Bucket that is not an S3 bucket ARN"),
    ("DESTINATION_IS_SOURCE", "a rule that replicates the bucket into itself"),
    ("OWNER_OVERRIDE_WITHOUT_ACCOUNT", "AccessControlTranslation without Destination.Account"),
    ("INVALID_STORAGE_CLASS", "a Destination.StorageClass S3 does not know"),
    ("RTC_WITHOUT_METRICS", "ReplicationTime enabled without Metrics"),
    ("SOURCE_NOT_VERSIONED", "versioning is not Enabled on the source bucket"),
    ("DESTINATION_NOT_VERSIONED", "versioning is not Enabled on a destination bucket"),
];
