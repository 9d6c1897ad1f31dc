//! §6 S3 replication with SSE-KMS: a replication configuration as `get-bucket-replication` prints
//! it, the role's policy, the two keys and four objects (unencrypted, SSE-S3, SSE-KMS, SSE-C), each
//! judged by the S3 replication engine (`s3::evaluate_replication`): whether and how it replicates,
//! and the deciding reason when it does not. The notes' SSE-C claim is out of date.

use serde_json::{json, Value};

use super::kit::{at, fail, pretty, Step, Steps};
use crate::notes::model::{Chapter, Outdated, StepError, StepOutcome, Variant};
use crate::s3::evaluate_replication;

const SOURCE_KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1111aaaa-0000-4000-8000-000000000001";
const REPLICA_KEY: &str = "arn:aws:kms:us-west-2:111122223333:key/2222bbbb-0000-4000-8000-000000000002";
const ROLE: &str = "arn:aws:iam::111122223333:role/s3-replication";
/// "Replicating encrypted objects (SSE-S3, SSE-KMS, DSSE-KMS, SSE-C)".
const DOC_ENCRYPTED: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html";
/// The replication rate the KMS load is estimated for (objects per second, this mix of encryptions).
const OBJECTS_PER_SECOND: u32 = 8000;
/// AWS KMS "Request quotas" (shared by the symmetric cryptographic operations, per account and region).
const DOC_KMS_QUOTAS: &str = "https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html";
/// "What does Amazon S3 replicate?"
const DOC_WHAT: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-what-is-isnot-replicated.html";
/// "Blocking or unblocking SSE-C for a general purpose bucket".
const DOC_SSE_C_BLOCK: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/blocking-unblocking-s3-c-encryption-gpb.html";

pub(super) fn chapter() -> Chapter {
    Chapter {
        id: "s3-replication-kms",
        section: 6,
        title: "S3 replication of encrypted objects",
        summary: "A rule replicating src-bucket (us-east-1) to dst-bucket (us-west-2), four objects under four \
            kinds of encryption. Unencrypted and SSE-S3 objects replicate by default; SSE-KMS objects only when \
            the rule selects them, names a replica key in the destination's region, and the role may decrypt with \
            the source key and encrypt with the replica key; SSE-C objects replicate too, today.",
        outdated: vec![Outdated {
            claim: "SSE-C objects are never replicated.",
            now: "S3 replicates SSE-C objects (the replica stays SSE-C under the same customer key); what can \
                stop them now is a destination bucket that blocks SSE-C writes, which buckets created since \
                April 2026 do by default.",
            source: DOC_ENCRYPTED,
        }],
        variants: vec![
            Variant {
                id: "no-sse-kms-selection",
                removes: "the rule's SourceSelectionCriteria (SseKmsEncryptedObjects Enabled), and with it the \
                    ReplicaKmsKeyID (PutBucketReplication accepts one only with the other)",
                fails_at: "sse-kms",
                error: "SSE_KMS_NOT_SELECTED",
            },
            Variant {
                id: "no-decrypt-source",
                removes: "the role's kms:Decrypt on the source key",
                fails_at: "sse-kms",
                error: "ROLE_CANNOT_DECRYPT_SOURCE_KEY",
            },
            Variant {
                id: "no-encrypt-destination",
                removes: "the role's kms:Encrypt on the replica key",
                fails_at: "sse-kms",
                error: "ROLE_CANNOT_ENCRYPT_DESTINATION_KEY",
            },
            Variant {
                id: "destination-blocks-sse-c",
                removes: "SSE-C writes at the destination (BlockedEncryptionTypes SSE-C, the default since April 2026)",
                fails_at: "sse-c",
                error: "SSE_C_BLOCKED",
            },
        ],
        run,
    }
}

fn root_key_policy() -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]})
}

/// The engine's input with a variant applied: everything as AWS prints or writes it.
fn input(variant: Option<&str>) -> Value {
    let mut rule = json!({
        "ID": "all", "Priority": 1, "Status": "Enabled", "Filter": {"Prefix": ""},
        "DeleteMarkerReplication": {"Status": "Disabled"},
        "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
        "Destination": {"Bucket": "arn:aws:s3:::dst-bucket",
            "EncryptionConfiguration": {"ReplicaKmsKeyID": REPLICA_KEY}}
    });
    if variant == Some("no-sse-kms-selection") {
        if let Some(r) = rule.as_object_mut() {
            r.remove("SourceSelectionCriteria");
        }
        if let Some(d) = rule.get_mut("Destination").and_then(Value::as_object_mut) {
            d.remove("EncryptionConfiguration");
        }
    }
    let mut statements = vec![
        json!({"Sid": "SourceBucket", "Effect": "Allow", "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
            "Resource": "arn:aws:s3:::src-bucket"}),
        json!({"Sid": "SourceObjects", "Effect": "Allow",
            "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
            "Resource": "arn:aws:s3:::src-bucket/*"}),
        json!({"Sid": "Destination", "Effect": "Allow",
            "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], "Resource": "arn:aws:s3:::dst-bucket/*"}),
    ];
    if variant != Some("no-decrypt-source") {
        statements.push(
            json!({"Sid": "DecryptSource", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": SOURCE_KEY,
            "Condition": {"StringLike": {"kms:ViaService": "s3.us-east-1.amazonaws.com",
                "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::src-bucket/*"]}}}),
        );
    }
    let encrypt = if variant == Some("no-encrypt-destination") {
        json!(["kms:GenerateDataKey"])
    } else {
        json!(["kms:Encrypt", "kms:GenerateDataKey"])
    };
    statements.push(
        json!({"Sid": "EncryptDestination", "Effect": "Allow", "Action": encrypt, "Resource": REPLICA_KEY,
        "Condition": {"StringLike": {"kms:ViaService": "s3.us-west-2.amazonaws.com",
            "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::dst-bucket/*"]}}}),
    );
    let blocked =
        if variant == Some("destination-blocks-sse-c") { json!(["SSE-C"]) } else { json!(["NONE"]) };
    json!({
        "replication": {"ReplicationConfiguration": {"Role": ROLE, "Rules": [rule]}},
        "source": {"bucket": "src-bucket", "account": "111122223333", "region": "us-east-1", "versioning": "Enabled"},
        "destinations": [{"bucket": "dst-bucket", "account": "111122223333", "region": "us-west-2",
            "versioning": "Enabled", "blockedEncryptionTypes": blocked}],
        "roles": {ROLE: {"policies": [{"Version": "2012-10-17", "Statement": statements}]}},
        "keys": [{"arn": SOURCE_KEY, "policy": root_key_policy()}, {"arn": REPLICA_KEY, "policy": root_key_policy()}],
        "objects": [
            {"key": "logs/plain.txt", "encryption": "NONE"},
            {"key": "docs/a.txt", "encryption": "SSE-S3"},
            {"key": "docs/b.txt", "encryption": "SSE-KMS", "kmsKeyArn": SOURCE_KEY},
            {"key": "docs/c.bin", "encryption": "SSE-C"}
        ],
        "objectsPerSecond": OBJECTS_PER_SECOND
    })
}

/// The S3 page's share document: each of its texts as the page holds them.
fn page_doc(input: &Value) -> Value {
    let mut doc = serde_json::Map::new();
    for member in ["replication", "source", "destinations", "roles", "keys", "objects"] {
        doc.insert(member.to_owned(), Value::String(pretty(input.get(member).unwrap_or(&Value::Null))));
    }
    doc.insert("objectsPerSecond".to_owned(), Value::String(OBJECTS_PER_SECOND.to_string()));
    Value::Object(doc)
}

fn run(variant: Option<&str>) -> Vec<StepOutcome> {
    let mut steps = Steps::default();
    let _ = play(&mut steps, variant);
    steps.into_vec()
}

fn play(steps: &mut Steps, variant: Option<&str>) -> Option<()> {
    let input = input(variant);
    let doc = page_doc(&input);
    let link = |s: Step| s.link("#/s3", doc.clone());
    let config = link(Step::new(
        "configuration",
        "S3 replication engine",
        "PutBucketReplication: one rule, src-bucket to dst-bucket",
        format!(
            "S3 checks the configuration as PutBucketReplication does (versioning on both buckets, a role, rule \
             IDs and priorities). The rule selects SSE-KMS objects (SourceSelectionCriteria) and names the \
             replica key in us-west-2 (ReplicaKmsKeyID): notes §6, {DOC_ENCRYPTED}"
        ),
    ));
    let out = match evaluate_replication(&input, None) {
        Ok(out) => out,
        Err(e) => return steps.push(config, Err(fail(e.code(), e.to_string()))),
    };
    let errors = out.get("configurationErrors").and_then(Value::as_array).cloned().unwrap_or_default();
    let config_result = match errors.first() {
        Some(e) => Err(fail(
            e.get("code").and_then(Value::as_str).unwrap_or("CONFIGURATION_REJECTED"),
            e.get("message").and_then(Value::as_str).unwrap_or_default(),
        )),
        None => Ok(format!(
            "accepted; destinations: {}",
            out.get("destinations").map(Value::to_string).unwrap_or_default()
        )),
    };
    steps.push(config, config_result)?;
    let objects = out.get("objects").and_then(Value::as_array).cloned().unwrap_or_default();
    let explained: [(&'static str, &str, String); 4] = [
        ("unencrypted", "logs/plain.txt, not encrypted", format!(
            "Unencrypted objects replicate by default; the replica takes the destination's default encryption \
             (SSE-S3 for every bucket since January 2023): notes §6, {DOC_WHAT}")),
        ("sse-s3", "docs/a.txt, SSE-S3", format!(
            "SSE-S3 objects replicate by default, and stay SSE-S3: notes §6, {DOC_WHAT}")),
        ("sse-kms", "docs/b.txt, SSE-KMS under the source key", format!(
            "An SSE-KMS object replicates only when the rule selects SSE-KMS objects and names a replica key; S3, \
             as the role, decrypts it with the source key (kms:Decrypt) and encrypts the replica under the replica \
             key (kms:Encrypt), with the object's ARN as encryption context: notes §6, {DOC_ENCRYPTED}")),
        ("sse-c", "docs/c.bin, SSE-C", format!(
            "The notes say SSE-C objects never replicate; S3 replicates them today, unless the destination blocks \
             SSE-C writes ({DOC_SSE_C_BLOCK}): {DOC_ENCRYPTED}")),
    ];
    for ((id, title, explain), object) in explained.into_iter().zip(objects.iter()) {
        let step = link(Step::new(id, "S3 replication engine", format!("Replicate {title}"), explain));
        steps.push(step, verdict(object))?;
    }
    let step = link(Step::new(
        "kms-load",
        "S3 replication engine",
        format!("KMS requests at {OBJECTS_PER_SECOND} objects a second"),
        format!(
            "Each SSE-KMS object replicated costs a kms:Decrypt in the source region and a kms:Encrypt (or \
             GenerateDataKey) in the destination's, counted against the account's KMS request quota there; a \
             busy bucket may need S3 Bucket Keys or a quota increase (notes §6): {DOC_KMS_QUOTAS}"
        ),
    ));
    let regions: Vec<String> = at(&out, "/kmsLoad/regions")
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            format!(
                "{} {:.0} requests/s of {}/s",
                at(r, "/region").as_str().unwrap_or("?"),
                at(r, "/requestsPerSecond").as_f64().unwrap_or(0.0),
                at(r, "/quota")
            )
        })
        .collect();
    let r = if regions.is_empty() {
        Err(fail("NoKmsLoad", "no KMS requests were counted"))
    } else {
        Ok(regions.join("; "))
    };
    steps.push(step, r)
}

/// An object's verdict at its (only) destination: how it replicates, or the deciding reason.
fn verdict(object: &Value) -> Result<String, StepError> {
    let dest = object.pointer("/destinations/0").cloned().unwrap_or(Value::Null);
    let reasons = dest.get("reasons").and_then(Value::as_array).cloned().unwrap_or_default();
    let decided = reasons
        .iter()
        .find(|r| r.get("decided").and_then(Value::as_bool) == Some(true))
        .or_else(|| reasons.first())
        .cloned()
        .unwrap_or(Value::Null);
    let code = decided.get("code").and_then(Value::as_str).unwrap_or("UNKNOWN");
    let message = decided.get("message").and_then(Value::as_str).unwrap_or_default();
    if dest.get("replicated").and_then(Value::as_bool) != Some(true) {
        return Err(fail(code, message));
    }
    let kind = dest.pointer("/replicaEncryption/type").and_then(Value::as_str).unwrap_or("none");
    let key = dest.pointer("/replicaEncryption/kmsKeyArn").and_then(Value::as_str);
    let codes: Vec<&str> = reasons.iter().filter_map(|r| r.get("code").and_then(Value::as_str)).collect();
    Ok(match key {
        Some(k) => format!("replicated to dst-bucket as {kind} under {k} ({})", codes.join(", ")),
        None => format!("replicated to dst-bucket as {kind} ({})", codes.join(", ")),
    })
}
