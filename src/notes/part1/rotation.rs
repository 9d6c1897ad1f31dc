//! §2: key rotation: automatic rotation on a period, rotation on demand, ciphertexts made under
//! the old material still decrypting, new ones using the new material.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::json;

use super::kit::{allow_kms, caller, member, role, says, Log, AES, MAIN};
use crate::kms::World;
use crate::notes::model::{Chapter, Outdated, StepOutcome, Variant};

const KEY_ADMIN: &str = "arn:aws:iam::111122223333:role/key-admin";
const APP: &str = "arn:aws:iam::111122223333:role/app";
const ADMIN_ACTIONS: [&str; 5] = [
    "kms:CreateKey",
    "kms:EnableKeyRotation",
    "kms:RotateKeyOnDemand",
    "kms:ListKeyRotations",
    "kms:DescribeKey",
];

pub fn chapter() -> Chapter {
    Chapter {
        id: "key-rotation",
        section: 2,
        title: "Key rotation: old ciphertexts still decrypt",
        summary: "Rotating a KMS key gives it new key material; its id, ARN, policy and aliases stay. KMS keeps every \
            earlier material, and each ciphertext names the material it was made with, so old data decrypts without \
            re-encryption while new data uses the new material \
            (https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html).",
        outdated: vec![
            Outdated {
                claim: "A customer managed key with rotation enabled rotates once a year.",
                now: "The rotation period is chosen when rotation is enabled, from 90 to 2560 days (365 by default); \
                      AWS managed keys still rotate every year.",
                source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html",
            },
            Outdated {
                claim: "Rotation happens only on the schedule (or, for imported material, by pointing an alias at a \
                        new key).",
                now: "RotateKeyOnDemand rotates a symmetric key at once, whether or not automatic rotation is on, \
                      without changing its schedule; keys with imported material can be rotated on demand to newly \
                      imported material.",
                source: "https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys-on-demand.html",
            },
        ],
        variants: vec![Variant {
            id: "no-rotate-on-demand",
            removes: "kms:RotateKeyOnDemand from the key administrator's IAM policy",
            fails_at: "rotate-now",
            error: "AccessDeniedException",
        }],
        run,
    }
}

fn run(variant: Option<&str>) -> Vec<StepOutcome> {
    let mut log = Log::default();
    let mut w = World::new();
    let admin_actions: Vec<&str> = ADMIN_ACTIONS
        .iter()
        .copied()
        .filter(|a| !(variant == Some("no-rotate-on-demand") && *a == "kms:RotateKeyOnDemand"))
        .collect();
    let admin_policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": admin_actions, "Resource": "*"}]})
    .to_string();
    let set_up = role(&mut w, KEY_ADMIN, &admin_policy)
        .and_then(|()| role(&mut w, APP, &allow_kms(MAIN, &["kms:Encrypt", "kms:Decrypt"])));
    if let Err(e) = set_up {
        log.local::<()>(says("set-up", "Set up", ""), AES, None, Err(super::kit::kms_error(&e)));
        return log.steps;
    }
    let admin = caller(KEY_ADMIN, "us-east-1");
    let app = caller(APP, "us-east-1");
    let Some(key) = log.kms(
        &mut w,
        says(
            "create-key",
            "The key administrator creates a key",
            "A symmetric encryption key, default key policy.",
        ),
        "CreateKey",
        admin.clone(),
        json!({"Description": "orders"}),
        None,
    ) else {
        return log.steps;
    };
    let arn = member(&key, "/KeyMetadata/Arn").to_string();
    let first_material = member(&key, "/KeyMetadata/CurrentKeyMaterialId").to_string();
    let Some(old) = log.kms(
        &mut w,
        says(
            "encrypt-old",
            "Encrypt a record before the rotation",
            "The ciphertext blob records the key and the key material it was made under; Decrypt reports that \
             material as `KeyMaterialId`.",
        ),
        "Encrypt",
        app.clone(),
        json!({"KeyId": arn, "Plaintext": B64.encode("order 17: shipped")}),
        None,
    ) else {
        return log.steps;
    };
    if log
        .kms(
            &mut w,
            says(
                "enable-rotation",
                "Enable automatic rotation every 90 days",
                "EnableKeyRotation with RotationPeriodInDays (90 to 2560, 365 if absent): KMS makes new material on \
                 that period from now on (https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html).",
            ),
            "EnableKeyRotation",
            admin.clone(),
            json!({"KeyId": arn, "RotationPeriodInDays": 90}),
            None,
        )
        .is_none()
    {
        return log.steps;
    }
    if log
        .kms(
            &mut w,
            says(
                "rotate-now",
                "Rotate on demand",
                "RotateKeyOnDemand makes new material now, without waiting for the period and without changing the \
                 schedule; it needs kms:RotateKeyOnDemand \
                 (https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys-on-demand.html).",
            ),
            "RotateKeyOnDemand",
            admin.clone(),
            json!({"KeyId": arn}),
            None,
        )
        .is_none()
    {
        return log.steps;
    }
    if log.kms(
        &mut w,
        says(
            "list-rotations",
            "List the key's rotations",
            "ListKeyRotations shows each material with its rotation date and type (AUTOMATIC or ON_DEMAND).",
        ),
        "ListKeyRotations",
        admin,
        json!({"KeyId": arn}),
        None,
    ).is_none() {
        return log.steps;
    }
    let Some(new) = log.kms(
        &mut w,
        says(
            "encrypt-new",
            "Encrypt a record after the rotation",
            "New ciphertexts use the current (new) material: its KeyMaterialId differs from the first one's.",
        ),
        "Encrypt",
        app.clone(),
        json!({"KeyId": arn, "Plaintext": B64.encode("order 18: paid")}),
        None,
    ) else {
        return log.steps;
    };
    let Some(old_back) = log.kms(
        &mut w,
        says(
            "decrypt-old",
            "Decrypt the record made before the rotation",
            "KMS picks the old material from the blob: nothing had to be re-encrypted, and the application did not \
             change (it names the same key ARN).",
        ),
        "Decrypt",
        app.clone(),
        json!({"CiphertextBlob": member(&old, "/CiphertextBlob")}),
        None,
    ) else {
        return log.steps;
    };
    let Some(new_back) = log.kms(
        &mut w,
        says("decrypt-new", "Decrypt the record made after it", "The same call; KMS uses the new material."),
        "Decrypt",
        app,
        json!({"CiphertextBlob": member(&new, "/CiphertextBlob")}),
        None,
    ) else {
        return log.steps;
    };
    let text = B64.decode(member(&old_back, "/Plaintext")).ok().and_then(|b| String::from_utf8(b).ok());
    let summary = format!(
        "first material: {first_material}\nold record's material: {}\nnew record's material: {}\nold record decrypts to: {}",
        member(&old_back, "/KeyMaterialId"),
        member(&new_back, "/KeyMaterialId"),
        text.as_deref().unwrap_or("(not text)")
    );
    log.local(
        says("compare", "Compare the materials", "Same key, two materials, both usable for decryption."),
        AES,
        None,
        Ok::<_, crate::notes::model::StepError>(((), summary)),
    );
    log.steps
}
