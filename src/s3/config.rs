//! The replication configuration as `aws s3api get-bucket-replication` prints it, read into typed
//! rules, and checked as PutBucketReplication checks it.
//!
//! Reading never fails: what AWS would reject becomes a [`ConfigError`] with a JSON pointer into
//! the input, and the rules that could be read are still evaluated (each verdict then says the
//! configuration would have been rejected). AWS's own error messages are used where they are
//! known. Not checked here: versioning (the buckets are read elsewhere), Object Lock, and
//! Replication Time Control beyond its need for Metrics.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// AWS's limit on rules per configuration.
pub const MAX_RULES: usize = 1_000;
/// AWS's limit on a rule ID.
pub const MAX_RULE_ID: usize = 255;
/// Tags per filter (an object has at most 10).
pub const MAX_FILTER_TAGS: usize = 10;

/// The storage classes a replica may be given.
pub const STORAGE_CLASSES: &[&str] = &[
    "STANDARD",
    "REDUCED_REDUNDANCY",
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "GLACIER",
    "DEEP_ARCHIVE",
    "OUTPOSTS",
    "GLACIER_IR",
    "EXPRESS_ONEZONE",
];

/// What AWS would reject, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub code: &'static str,
    pub message: String,
    /// JSON pointer into the evaluation input (`/replication/Rules/0/Priority`).
    pub pointer: String,
}

/// One rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Position in `Rules`.
    pub index: usize,
    /// `ID`, or `rule <n>` when absent (AWS generates one).
    pub id: String,
    pub priority: Option<i64>,
    pub enabled: bool,
    /// V2 (`Filter`) or V1 (top-level `Prefix`).
    pub v2: bool,
    pub prefix: String,
    /// Tag filters (key, value), from `Filter.Tag` or `Filter.And.Tags`.
    pub tags: Vec<(String, String)>,
    /// `DeleteMarkerReplication.Status` = Enabled.
    pub delete_markers: bool,
    /// `SourceSelectionCriteria.SseKmsEncryptedObjects.Status` = Enabled.
    pub sse_kms: bool,
    /// `SourceSelectionCriteria.ReplicaModifications.Status` = Enabled.
    pub replica_modifications: bool,
    /// `ExistingObjectReplication.Status` = Enabled.
    pub existing: bool,
    pub destination: RuleDestination,
    /// JSON pointer of the rule.
    pub pointer: String,
}

/// A rule's `Destination`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleDestination {
    /// The bucket name from `arn:aws:s3:::<name>`.
    pub bucket: String,
    pub account: Option<String>,
    pub storage_class: Option<String>,
    /// `AccessControlTranslation.Owner` = Destination.
    pub owner_override: bool,
    pub replica_kms_key: Option<String>,
    pub replication_time: bool,
    pub metrics: bool,
}

/// The configuration: role and rules, with what AWS would reject.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    pub role: String,
    pub rules: Vec<Rule>,
    pub errors: Vec<ConfigError>,
}

impl Rule {
    /// Whether the rule's filter selects an object with this key and these tags.
    pub fn matches(&self, key: &str, tags: &[(String, String)]) -> bool {
        key.starts_with(&self.prefix)
            && self.tags.iter().all(|(k, v)| tags.iter().any(|(ok, ov)| ok == k && ov == v))
    }
}

fn status(v: Option<&Value>) -> Option<&str> {
    v.and_then(|s| s.get("Status")).and_then(Value::as_str)
}

fn read_tag(v: &Value) -> Option<(String, String)> {
    Some((v.get("Key")?.as_str()?.to_string(), v.get("Value")?.as_str()?.to_string()))
}

struct Reader<'a> {
    errors: &'a mut Vec<ConfigError>,
}

impl Reader<'_> {
    fn err(&mut self, code: &'static str, pointer: String, message: impl Into<String>) {
        self.errors.push(ConfigError { code, message: message.into(), pointer });
    }
}

/// Reads `replication` (the `get-bucket-replication` output or its `ReplicationConfiguration`);
/// `pointer` is where it sits in the input. `source_bucket` is checked against destinations.
pub fn read_config(value: &Value, pointer: &str, source_bucket: &str) -> Config {
    let (cfg, base) = match value.get("ReplicationConfiguration") {
        Some(inner) => (inner, format!("{pointer}/ReplicationConfiguration")),
        None => (value, pointer.to_string()),
    };
    let mut errors = Vec::new();
    let mut r = Reader { errors: &mut errors };
    if !cfg.is_object() {
        r.err(
            "MALFORMED_CONFIGURATION",
            base,
            "the replication configuration must be an object with `Role` and `Rules`",
        );
        return Config { errors, ..Config::default() };
    }
    let role = match cfg.get("Role").and_then(Value::as_str) {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => {
            r.err(
                "MISSING_ROLE",
                format!("{base}/Role"),
                "the configuration needs `Role`, the IAM role S3 assumes to replicate",
            );
            String::new()
        }
    };
    let rules_ptr = format!("{base}/Rules");
    let raw_rules: &[Value] = match cfg.get("Rules") {
        Some(Value::Array(a)) => a,
        Some(_) => {
            r.err("MALFORMED_CONFIGURATION", rules_ptr, "`Rules` must be an array");
            return Config { role, rules: Vec::new(), errors };
        }
        None => &[],
    };
    if raw_rules.is_empty() {
        r.err("NO_RULES", rules_ptr.clone(), "the configuration needs at least one rule");
    }
    if raw_rules.len() > MAX_RULES {
        r.err(
            "TOO_MANY_RULES",
            rules_ptr.clone(),
            format!("a replication configuration holds at most {MAX_RULES} rules; only the first {MAX_RULES} are read"),
        );
    }
    let mut rules = Vec::new();
    for (i, raw) in raw_rules.iter().take(MAX_RULES).enumerate() {
        if let Some(rule) = read_rule(&mut r, raw, i, &format!("{rules_ptr}/{i}"), source_bucket) {
            rules.push(rule);
        }
    }
    check_rules(&mut r, &rules);
    Config { role, rules, errors }
}

fn read_rule(r: &mut Reader<'_>, raw: &Value, index: usize, ptr: &str, source_bucket: &str) -> Option<Rule> {
    if !raw.is_object() {
        r.err("MALFORMED_CONFIGURATION", ptr.to_string(), "a rule must be an object");
        return None;
    }
    let id = raw.get("ID").and_then(Value::as_str).map_or_else(|| format!("rule {index}"), str::to_string);
    if id.chars().count() > MAX_RULE_ID {
        r.err(
            "RULE_ID_TOO_LONG",
            format!("{ptr}/ID"),
            format!("a rule ID is at most {MAX_RULE_ID} characters"),
        );
    }
    let enabled = match raw.get("Status").and_then(Value::as_str) {
        Some("Enabled") => true,
        Some("Disabled") => false,
        _ => {
            r.err("INVALID_STATUS", format!("{ptr}/Status"), "`Status` must be `Enabled` or `Disabled`");
            false
        }
    };
    let priority = match raw.get("Priority") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_i64() {
            Some(p) if p >= 0 => Some(p),
            _ => {
                r.err(
                    "MALFORMED_CONFIGURATION",
                    format!("{ptr}/Priority"),
                    "`Priority` must be a whole number, 0 or more",
                );
                None
            }
        },
    };
    let filter = raw.get("Filter");
    let v2 = filter.is_some();
    let mut prefix = String::new();
    let mut tags = Vec::new();
    match filter {
        Some(f) => {
            let fptr = format!("{ptr}/Filter");
            if let Some(p) = f.get("Prefix").and_then(Value::as_str) {
                prefix = p.to_string();
            }
            if let Some(t) = f.get("Tag") {
                match read_tag(t) {
                    Some(t) => tags.push(t),
                    None => r.err(
                        "MALFORMED_CONFIGURATION",
                        format!("{fptr}/Tag"),
                        "`Tag` needs `Key` and `Value` strings",
                    ),
                }
            }
            if let Some(and) = f.get("And") {
                if let Some(p) = and.get("Prefix").and_then(Value::as_str) {
                    prefix = p.to_string();
                }
                if let Some(Value::Array(ts)) = and.get("Tags") {
                    for (j, t) in ts.iter().take(MAX_FILTER_TAGS + 1).enumerate() {
                        match read_tag(t) {
                            Some(t) => tags.push(t),
                            None => r.err(
                                "MALFORMED_CONFIGURATION",
                                format!("{fptr}/And/Tags/{j}"),
                                "a tag needs `Key` and `Value` strings",
                            ),
                        }
                    }
                }
            }
            let mut seen = BTreeSet::new();
            for (k, _) in &tags {
                if !seen.insert(k.as_str()) {
                    r.err("DUPLICATE_TAG_KEY", fptr.clone(), "Duplicate Tag Keys are not allowed.");
                }
            }
        }
        None => {
            prefix = raw.get("Prefix").and_then(Value::as_str).unwrap_or_default().to_string();
        }
    }
    if v2 && raw.get("Prefix").is_some() {
        r.err(
            "V1_V2_MIXED",
            format!("{ptr}/Prefix"),
            "a rule cannot have both a top-level `Prefix` (V1) and `Filter` (V2); move the prefix into `Filter`",
        );
    }
    let delete_markers = status(raw.get("DeleteMarkerReplication")) == Some("Enabled");
    let ssc = raw.get("SourceSelectionCriteria");
    let sse_kms = status(ssc.and_then(|s| s.get("SseKmsEncryptedObjects"))) == Some("Enabled");
    let replica_modifications = status(ssc.and_then(|s| s.get("ReplicaModifications"))) == Some("Enabled");
    let existing = status(raw.get("ExistingObjectReplication")) == Some("Enabled");
    if v2 && priority.is_none() {
        r.err(
            "PRIORITY_REQUIRED",
            format!("{ptr}/Priority"),
            "Priority must be specified for this version of Cross Region Replication configuration schema.",
        );
    }
    if v2 && raw.get("DeleteMarkerReplication").is_none() {
        r.err(
            "DELETE_MARKER_REPLICATION_REQUIRED",
            format!("{ptr}/DeleteMarkerReplication"),
            "DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema.",
        );
    }
    if delete_markers && !tags.is_empty() {
        r.err(
            "DELETE_MARKER_WITH_TAG_FILTER",
            format!("{ptr}/DeleteMarkerReplication"),
            "Delete marker replication is not supported if any Tag filter is specified.",
        );
    }
    let destination =
        read_destination(r, raw.get("Destination"), &format!("{ptr}/Destination"), source_bucket);
    if sse_kms && destination.replica_kms_key.is_none() {
        r.err(
            "MISSING_REPLICA_KMS_KEY",
            format!("{ptr}/Destination/EncryptionConfiguration"),
            "ReplicaKmsKeyID must be specified if SseKmsEncryptedObjects tag is present.",
        );
    }
    if !sse_kms && destination.replica_kms_key.is_some() {
        r.err(
            "REPLICA_KMS_KEY_WITHOUT_SSE_KMS",
            format!("{ptr}/SourceSelectionCriteria"),
            "SseKmsEncryptedObjects must be specified if EncryptionConfiguration is present.",
        );
    }
    Some(Rule {
        index,
        id,
        priority,
        enabled,
        v2,
        prefix,
        tags,
        delete_markers,
        sse_kms,
        replica_modifications,
        existing,
        destination,
        pointer: ptr.to_string(),
    })
}

fn read_destination(
    r: &mut Reader<'_>,
    raw: Option<&Value>,
    ptr: &str,
    source_bucket: &str,
) -> RuleDestination {
    let mut d = RuleDestination::default();
    let Some(raw) = raw.filter(|v| v.is_object()) else {
        r.err("MISSING_DESTINATION", ptr.to_string(), "a rule needs `Destination` with `Bucket`");
        return d;
    };
    match raw.get("Bucket").and_then(Value::as_str) {
        None => r.err("MISSING_DESTINATION", format!("{ptr}/Bucket"), "a rule needs `Destination.Bucket`"),
        Some(arn) => match arn.strip_prefix("arn:aws:s3:::").filter(|n| valid_bucket_name(n)) {
            Some(name) => {
                if name == source_bucket {
                    r.err(
                        "DESTINATION_IS_SOURCE",
                        format!("{ptr}/Bucket"),
                        "Destination bucket cannot be the same as the source bucket.",
                    );
                }
                d.bucket = name.to_string();
            }
            None => r.err(
                "INVALID_DESTINATION_BUCKET",
                format!("{ptr}/Bucket"),
                format!("`{arn}` is not a bucket ARN (`arn:aws:s3:::<bucket>`)"),
            ),
        },
    }
    d.account = raw.get("Account").and_then(Value::as_str).map(str::to_string);
    if let Some(sc) = raw.get("StorageClass").and_then(Value::as_str) {
        if !STORAGE_CLASSES.contains(&sc) {
            r.err(
                "INVALID_STORAGE_CLASS",
                format!("{ptr}/StorageClass"),
                format!("`{sc}` is not an S3 storage class"),
            );
        }
        d.storage_class = Some(sc.to_string());
    }
    d.owner_override =
        raw.get("AccessControlTranslation").and_then(|a| a.get("Owner")).and_then(Value::as_str)
            == Some("Destination");
    if d.owner_override && d.account.is_none() {
        r.err(
            "OWNER_OVERRIDE_WITHOUT_ACCOUNT",
            format!("{ptr}/Account"),
            "`AccessControlTranslation` needs `Account`, the destination bucket owner's account id",
        );
    }
    d.replica_kms_key = raw
        .get("EncryptionConfiguration")
        .and_then(|e| e.get("ReplicaKmsKeyID"))
        .and_then(Value::as_str)
        .map(str::to_string);
    d.replication_time = status(raw.get("ReplicationTime")) == Some("Enabled");
    d.metrics = status(raw.get("Metrics")) == Some("Enabled");
    if d.replication_time && !d.metrics {
        r.err(
            "RTC_WITHOUT_METRICS",
            format!("{ptr}/Metrics"),
            "S3 Replication Time Control needs `Metrics` with `Status: Enabled`",
        );
    }
    d
}

/// A bucket name as S3 allows it (3–63 of lowercase letters, digits, `.` and `-`).
pub fn valid_bucket_name(name: &str) -> bool {
    (3..=63).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
}

fn check_rules(r: &mut Reader<'_>, rules: &[Rule]) {
    let v1 = rules.iter().filter(|x| !x.v2).count();
    if v1 > 0 && v1 < rules.len() {
        if let Some(first) = rules.iter().find(|x| !x.v2) {
            r.err(
                "V1_V2_MIXED",
                first.pointer.clone(),
                "rules with a top-level `Prefix` (V1) cannot be mixed with rules that use `Filter` (V2)",
            );
        }
    }
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    let mut priorities: BTreeMap<i64, &str> = BTreeMap::new();
    for rule in rules {
        if let Some(prev) = ids.insert(rule.id.as_str(), rule.index) {
            r.err(
                "DUPLICATE_RULE_ID",
                format!("{}/ID", rule.pointer),
                format!("rule ID `{}` is also used by rule {prev}; IDs must be unique", rule.id),
            );
        }
        if let Some(p) = rule.priority {
            if let Some(prev) = priorities.insert(p, rule.id.as_str()) {
                r.err(
                    "DUPLICATE_PRIORITY",
                    format!("{}/Priority", rule.pointer),
                    format!(
                        "Found duplicate priority {p} (rules `{prev}` and `{}`); priorities must be unique",
                        rule.id
                    ),
                );
            }
        }
    }
    // V1 rules may not overlap (V2 rules resolve overlaps by priority).
    let v1_rules: Vec<&Rule> = rules.iter().filter(|x| !x.v2).collect();
    for (i, a) in v1_rules.iter().enumerate() {
        for b in v1_rules.iter().skip(i + 1) {
            if a.destination.bucket == b.destination.bucket
                && (a.prefix.starts_with(&b.prefix) || b.prefix.starts_with(&a.prefix))
            {
                r.err(
                    "OVERLAPPING_PREFIXES",
                    format!("{}/Prefix", b.pointer),
                    format!(
                        "Found overlapping prefixes '{}' and '{}' for same destination bucket",
                        a.prefix, b.prefix
                    ),
                );
            }
        }
    }
}
