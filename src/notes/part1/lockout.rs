//! §2/§4: a key with no usable policy. KMS refuses a key policy that would lock its creator out
//! (the policy lockout safety check) unless told to bypass it; bypassed, the key is usable only by
//! whom the policy names, and nobody can manage it any more, not even the account's administrator.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::{json, Value};

use super::kit::{allow_kms, caller, member, role, says, Log, ADMIN, AES, MAIN};
use crate::kms::World;
use crate::notes::model::{Chapter, StepOutcome, Variant};

const APP: &str = "arn:aws:iam::111122223333:role/app";

pub fn chapter() -> Chapter {
    Chapter {
        id: "no-usable-policy",
        section: 4,
        title: "A key whose policy names nobody who can manage it",
        summary: "Every KMS key has exactly one key policy, and without a statement that lets someone in, nobody — not \
            even the account's root — can use or manage it. The default policy avoids this by delegating to the \
            account's IAM. KMS also refuses, at CreateKey and PutKeyPolicy, a policy that would not let the caller \
            change the policy again, unless BypassPolicyLockoutSafetyCheck is set \
            (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).",
        outdated: Vec::new(),
        variants: vec![Variant {
            id: "no-bypass",
            removes: "BypassPolicyLockoutSafetyCheck from the second CreateKey",
            fails_at: "create-bypassed",
            error: "MalformedPolicyDocumentException",
        }],
        run,
    }
}

/// A key policy that lets only the application encrypt and decrypt: no administrator, no root.
fn app_only_policy() -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Sid": "App may use the key", "Effect": "Allow",
        "Principal": {"AWS": APP}, "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*"}]})
}

fn run(variant: Option<&str>) -> Vec<StepOutcome> {
    let mut log = Log::default();
    let mut w = World::new();
    if let Err(e) = role(&mut w, APP, &allow_kms(MAIN, &["kms:Encrypt", "kms:Decrypt"])) {
        log.local::<()>(says("set-up", "Set up", ""), AES, None, Err(super::kit::kms_error(&e)));
        return log.steps;
    }
    let admin = caller(ADMIN, "us-east-1");
    let policy = app_only_policy().to_string();
    let _ = log.kms(
        &mut w,
        says(
            "create-checked",
            "The administrator creates a key with an application-only policy",
            "The policy lets only the application use the key and nobody call PutKeyPolicy. KMS's lockout safety \
             check refuses it: the caller could never change the policy again \
             (https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html).",
        ),
        "CreateKey",
        admin.clone(),
        json!({"Description": "app only", "Policy": policy}),
        Some("MalformedPolicyDocumentException"),
    );
    if log.stopped() {
        return log.steps;
    }
    let mut request =
        json!({"Description": "app only", "Policy": policy, "BypassPolicyLockoutSafetyCheck": true});
    if variant == Some("no-bypass") {
        if let Some(o) = request.as_object_mut() {
            o.remove("BypassPolicyLockoutSafetyCheck");
        }
    }
    let Some(key) = log.kms(
        &mut w,
        says(
            "create-bypassed",
            "The same request with BypassPolicyLockoutSafetyCheck",
            "With the check bypassed KMS creates the key as asked. AWS warns not to do this indiscriminately: the \
             key may become unmanageable.",
        ),
        "CreateKey",
        admin.clone(),
        request,
        None,
    ) else {
        return log.steps;
    };
    let arn = member(&key, "/KeyMetadata/Arn").to_string();
    if log
        .kms(
            &mut w,
            says(
                "app-encrypts",
                "The application can still use it",
                "The key policy names the application's role, and the application's IAM policy allows it too.",
            ),
            "Encrypt",
            caller(APP, "us-east-1"),
            json!({"KeyId": arn, "Plaintext": B64.encode("still usable")}),
            None,
        )
        .is_none()
    {
        return log.steps;
    }
    let _ = log.kms(
        &mut w,
        says(
            "admin-describe",
            "The administrator cannot even describe it",
            "The administrator's IAM policy allows everything, but IAM policies count for a KMS key only when its \
             key policy delegates to the account (the root statement of the default policy). This one does not.",
        ),
        "DescribeKey",
        admin.clone(),
        json!({"KeyId": arn}),
        Some("AccessDeniedException"),
    );
    if log.stopped() {
        return log.steps;
    }
    let _ = log.kms(
        &mut w,
        says(
            "admin-fix",
            "Nor put a better policy on it",
            "PutKeyPolicy is refused for the same reason: nobody can manage the key now. On AWS only AWS Support can \
             help (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).",
        ),
        "PutKeyPolicy",
        admin,
        json!({"KeyId": arn, "PolicyName": "default", "Policy": json!({"Version": "2012-10-17", "Statement": [{
            "Sid": "Enable IAM User Permissions", "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{MAIN}:root")}, "Action": "kms:*", "Resource": "*"}]}).to_string()}),
        Some("AccessDeniedException"),
    );
    log.steps
}
