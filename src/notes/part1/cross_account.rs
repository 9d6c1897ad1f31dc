//! §4: cross-account key sharing: the key policy lets the other account in, the other account's
//! IAM policy lets its role use that; either missing and KMS answers AccessDeniedException. The
//! policy engine names the statements that decided.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::{json, Value};

use super::kit::{caller, member, role, says, Log, ADMIN, AES, MAIN, PARTNER};
use crate::kms::World;
use crate::notes::model::{Chapter, StepOutcome, Variant};

const READER: &str = "arn:aws:iam::444455556666:role/reader";
pub const PARTNER_SID: &str = "Allow the partner account to use the key";

pub fn chapter() -> Chapter {
    Chapter {
        id: "cross-account",
        section: 4,
        title: "Share a key with another account",
        summary: "Another account's role can use a KMS key only when both sides allow it: the key policy (in the \
            key's account) names the other account, and that account's IAM policy gives its role the permission. \
            Neither is enough alone, and the other account must name the key by its ARN \
            (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html).",
        outdated: Vec::new(),
        variants: vec![
            Variant {
                id: "no-key-policy",
                removes: "kms:Decrypt from the key policy's statement for the partner account",
                fails_at: "partner-decrypt",
                error: "AccessDeniedException",
            },
            Variant {
                id: "no-iam",
                removes: "kms:Decrypt from the partner role's IAM policy",
                fails_at: "partner-decrypt",
                error: "AccessDeniedException",
            },
        ],
        run,
    }
}

fn key_policy(partner_actions: &[&str]) -> Value {
    json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
         "Principal": {"AWS": format!("arn:aws:iam::{MAIN}:root")}, "Action": "kms:*", "Resource": "*"},
        {"Sid": PARTNER_SID, "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{PARTNER}:root")},
         "Action": partner_actions, "Resource": "*"}
    ]})
}

fn identity_policy(actions: &[&str]) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Sid": "Use the main account's keys", "Effect": "Allow",
        "Action": actions, "Resource": format!("arn:aws:kms:*:{MAIN}:key/*")}]})
}

fn run(variant: Option<&str>) -> Vec<StepOutcome> {
    let mut log = Log::default();
    let mut w = World::new();
    let mut partner_actions = vec!["kms:DescribeKey", "kms:Decrypt"];
    let mut reader_actions = vec!["kms:DescribeKey", "kms:Decrypt"];
    match variant {
        Some("no-key-policy") => partner_actions.retain(|a| *a != "kms:Decrypt"),
        Some("no-iam") => reader_actions.retain(|a| *a != "kms:Decrypt"),
        _ => {}
    }
    let identity = identity_policy(&reader_actions);
    if let Err(e) = role(&mut w, READER, &identity.to_string()) {
        log.local::<()>(says("set-up", "Set up", ""), AES, None, Err(super::kit::kms_error(&e)));
        return log.steps;
    }
    let policy = key_policy(&partner_actions);
    let Some(key) = log.kms(
        &mut w,
        says(
            "create-key",
            "The owner creates a key whose policy names the partner account",
            "The first statement is the default one (the owner's IAM decides for its own principals); the second \
             lets the partner account (its root: the account, whose IAM then decides) describe the key and decrypt.",
        ),
        "CreateKey",
        caller(ADMIN, "us-east-1"),
        json!({"Description": "shared reports", "Policy": policy.to_string()}),
        None,
    ) else {
        return log.steps;
    };
    let arn = member(&key, "/KeyMetadata/Arn").to_string();
    let key_id = member(&key, "/KeyMetadata/KeyId").to_string();
    let Some(blob) = log.kms(
        &mut w,
        says("owner-encrypts", "The owner encrypts a report", "An ordinary Encrypt in the owner's account."),
        "Encrypt",
        caller(ADMIN, "us-east-1"),
        json!({"KeyId": arn, "Plaintext": B64.encode("Q3 report: revenue up 4%")}),
        None,
    ) else {
        return log.steps;
    };
    let _ = log.kms(
        &mut w,
        says(
            "partner-by-id",
            "The partner names the key by its id alone",
            "A key id (or alias) is looked up in the caller's own account and region, where there is no such key: \
             another account's key must be named by its key ARN \
             (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html).",
        ),
        "DescribeKey",
        caller(READER, "us-east-1"),
        json!({"KeyId": key_id}),
        Some("NotFoundException"),
    );
    if log.stopped() {
        return log.steps;
    }
    if log
        .kms(
            &mut w,
            says("partner-describe", "The partner describes the key by its ARN", "Allowed by both policies."),
            "DescribeKey",
            caller(READER, "us-east-1"),
            json!({"KeyId": arn}),
            None,
        )
        .is_none()
    {
        return log.steps;
    }
    let Some(plain) = log.kms(
        &mut w,
        says(
            "partner-decrypt",
            "The partner decrypts the report",
            "KMS allows a cross-account Decrypt only when the key policy allows the partner account and the \
             partner's IAM policy allows its role: remove either and the answer is AccessDeniedException.",
        ),
        "Decrypt",
        caller(READER, "us-east-1"),
        json!({"CiphertextBlob": member(&blob, "/CiphertextBlob")}),
        None,
    ) else {
        return log.steps;
    };
    let _ = plain;
    let input = json!({
        "request": {"principal": READER, "action": "kms:Decrypt", "resource": arn, "resourceAccount": MAIN, "context": {}},
        "policies": {"identity": [identity], "resource": policy},
    });
    log.evaluate(
        says(
            "deciding",
            "Which statements decided",
            "The policy engine evaluates the same request: a cross-account call needs an Allow in the key policy \
             (resource-based) and in the caller's identity policy; it lists both (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).",
        ),
        &input,
        None,
    );
    log.steps
}
