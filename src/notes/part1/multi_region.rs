//! §5: a multi-region key and attribute-level client-side encryption of replicated table rows:
//! the KMS emulator's `multi-region` scenario (`kms::scenarios`) as a chapter, plus what a
//! database operator without `kms:Decrypt` sees of the same rows.

use serde_json::{json, Value};

use super::kit::{caller, member, role, says, scenario_run, show_rows, Log, AES};
use crate::kms::scenarios::StepResult;
use crate::kms::World;
use crate::notes::model::{Chapter, StepError, StepOutcome};

const SCENARIO: &str = "multi-region";
const DBA: &str = "arn:aws:iam::111122223333:role/dba";

pub fn chapter() -> Chapter {
    Chapter {
        id: "multi-region-attributes",
        section: 5,
        title: "Multi-region keys for attribute-level encryption",
        summary: "A primary multi-region key in us-east-1 and its replica in eu-west-1 share one key id and one \
            key material. Two attributes of each table row are encrypted on the client in us-east-1; the global \
            table copies the rows; eu-west-1 decrypts them under the replica without calling us-east-1. A \
            database operator who can read the table but has no kms:Decrypt sees only ciphertext \
            (https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html).",
        outdated: Vec::new(),
        variants: crate::notes::model::Variant::of_kms_scenario(SCENARIO),
        run,
    }
}

fn run(variant: Option<&str>) -> Vec<StepOutcome> {
    scenario_run(SCENARIO, variant, operator)
}

/// The operator's view of the replicated rows, and its Decrypt refused.
fn operator(log: &mut Log, w: &mut World, results: &[StepResult]) {
    let rows = results
        .iter()
        .rev()
        .find_map(|r| r.outcome.as_ref().ok().filter(|v| v.get("Region").is_some()))
        .cloned()
        .unwrap_or(Value::Null);
    let stored = rows.get("Rows").cloned().unwrap_or(Value::Null);
    let readable = stored
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| {
            ["ssn", "card"].iter().any(|a| r.get(*a).and_then(Value::as_str).is_some_and(|v| v.contains('-')))
        })
        .count();
    let seen = if stored.is_null() {
        Err(StepError {
            code: "ValidationException".into(),
            message: "the replicated rows are missing".into(),
        })
    } else {
        Ok((
            (),
            format!("{readable} rows with a readable ssn or card\n{}", show_rows(&json!({"Rows": stored}))),
        ))
    };
    log.local(
        says(
            "operator-reads",
            "A database operator reads the eu-west-1 table",
            "The operator can scan the table (DynamoDB permissions), so it sees every row as stored: the names in \
             clear, the ssn and card attributes as AES-GCM ciphertext. Encrypting single attributes on the client is \
             what keeps them from the database's administrators (§5).",
        ),
        AES,
        None,
        seen,
    );
    if log.stopped() {
        return;
    }
    if let Err(e) = role(
        w,
        DBA,
        &json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Action": ["dynamodb:Scan", "dynamodb:GetItem", "kms:DescribeKey"], "Resource": "*"}]})
        .to_string(),
    ) {
        log.local::<()>(says("operator-decrypt", "Set up", ""), AES, None, Err(super::kit::kms_error(&e)));
        return;
    }
    let edk = stored.pointer("/0/_dataKey").and_then(Value::as_str).unwrap_or_default().to_string();
    let replica = results
        .iter()
        .find_map(|r| {
            r.outcome.as_ref().ok().map(|v| member(v, "/ReplicaKeyMetadata/Arn")).filter(|a| !a.is_empty())
        })
        .unwrap_or_default()
        .to_string();
    log.kms(
        w,
        says(
            "operator-decrypt",
            "The operator tries to decrypt the rows' data key",
            "Decrypt needs kms:Decrypt on the replica key: the replica's default key policy lets IAM decide, and the \
             operator's IAM policy does not allow it, so KMS answers AccessDeniedException and the attributes stay \
             ciphertext (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).",
        ),
        "Decrypt",
        caller(DBA, "eu-west-1"),
        json!({"CiphertextBlob": edk, "KeyId": replica, "EncryptionContext": {"table": "customers"}}),
        Some("AccessDeniedException"),
    );
}
