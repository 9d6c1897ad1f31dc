//! §2: envelope encryption with a KMS key: GenerateDataKey, encrypt locally, drop the plaintext
//! data key, keep the wrapped key beside the data, Decrypt the wrapped key later to read it.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::json;

use super::kit::{
    allow_kms, caller, hex_head, member, open, role, says, seal, without, Log, ADMIN, AES, MAIN,
};
use crate::kms::World;
use crate::notes::model::{Chapter, StepOutcome, Variant};

const APP: &str = "arn:aws:iam::111122223333:role/app";
const TEXT: &str = "invoice 2026-001: 1,250.00 EUR to ACME";

pub fn chapter() -> Chapter {
    Chapter {
        id: "envelope-kms",
        section: 2,
        title: "Envelope encryption with a KMS key",
        summary: "A symmetric KMS key never leaves KMS, and Encrypt takes at most 4 KiB. So an application asks KMS \
            for a data key, encrypts its data locally with it, forgets the plaintext data key and stores the \
            encrypted data key beside the data; to read, it asks KMS to decrypt that small blob \
            (https://docs.aws.amazon.com/kms/latest/developerguide/kms-cryptography.html#enveloping).",
        outdated: Vec::new(),
        variants: vec![
            Variant {
                id: "no-generate-data-key",
                removes: "kms:GenerateDataKey from the application's IAM policy",
                fails_at: "data-key",
                error: "AccessDeniedException",
            },
            Variant {
                id: "no-decrypt",
                removes: "kms:Decrypt from the application's IAM policy",
                fails_at: "unwrap",
                error: "AccessDeniedException",
            },
            Variant {
                id: "other-context",
                removes: "the same encryption context at Decrypt (the reader names another invoice)",
                fails_at: "unwrap",
                error: "InvalidCiphertextException",
            },
        ],
        run,
    }
}

fn run(variant: Option<&str>) -> Vec<StepOutcome> {
    let mut log = Log::default();
    let mut w = World::new();
    let mut actions = vec!["kms:GenerateDataKey", "kms:Decrypt"];
    match variant {
        Some("no-generate-data-key") => actions = without(&actions, &["kms:GenerateDataKey"]),
        Some("no-decrypt") => actions = without(&actions, &["kms:Decrypt"]),
        _ => {}
    }
    if let Err(e) = role(&mut w, APP, &allow_kms(MAIN, &actions)) {
        log.local::<()>(says("set-up", "Set up", ""), AES, None, Err(super::kit::kms_error(&e)));
        return log.steps;
    }
    let context = json!({"invoice": "2026-001"});
    let Some(key) = log.kms(
        &mut w,
        says(
            "create-key",
            "The administrator creates a KMS key",
            "A symmetric encryption key (AES-256 in KMS's HSMs) with the default key policy: the account's IAM \
             policies decide who may use it (§2, §4).",
        ),
        "CreateKey",
        caller(ADMIN, "us-east-1"),
        json!({"Description": "invoices"}),
        None,
    ) else {
        return log.steps;
    };
    let arn = member(&key, "/KeyMetadata/Arn").to_string();
    let Some(dk) = log.kms(
        &mut w,
        says(
            "data-key",
            "The application asks for a data key",
            "GenerateDataKey returns the data key twice: in plaintext, for the application's memory, and encrypted \
             under the KMS key, to store. The encryption context is bound to the encrypted copy \
             (https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html).",
        ),
        "GenerateDataKey",
        caller(APP, "us-east-1"),
        json!({"KeyId": arn, "KeySpec": "AES_256", "EncryptionContext": context}),
        None,
    ) else {
        return log.steps;
    };
    let plaintext_key = member(&dk, "/Plaintext").to_string();
    let wrapped = member(&dk, "/CiphertextBlob").to_string();
    let Some(stored) = log.local(
        says(
            "encrypt-locally",
            "Encrypt the invoice locally and drop the plaintext data key",
            "The data is encrypted outside KMS (AES-256-GCM under the data key); the application then forgets the \
             plaintext key. What it stores is the ciphertext and the encrypted data key: neither is readable without \
             a call to KMS (§1, §2).",
        ),
        AES,
        None,
        seal(&plaintext_key, TEXT, "invoice 2026-001").map(|sealed| {
            let shown = format!(
                "stored: ciphertext {}\nstored: encrypted data key {} bytes\nplaintext data key: dropped",
                hex_head(&sealed),
                B64.decode(&wrapped).map(|b| b.len()).unwrap_or(0)
            );
            (sealed, shown)
        }),
    ) else {
        return log.steps;
    };
    drop(plaintext_key);
    let read_context =
        if variant == Some("other-context") { json!({"invoice": "2026-002"}) } else { context };
    let Some(unwrapped) = log.kms(
        &mut w,
        says(
            "unwrap",
            "Later: KMS decrypts the stored data key",
            "Decrypt takes the encrypted data key (it names its KMS key) and the same encryption context; a different \
             context fails with InvalidCiphertextException. The call is authorized and audited: a key policy or IAM \
             change revokes reading at once (https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html).",
        ),
        "Decrypt",
        caller(APP, "us-east-1"),
        json!({"CiphertextBlob": wrapped, "EncryptionContext": read_context}),
        None,
    ) else {
        return log.steps;
    };
    let key = member(&unwrapped, "/Plaintext").to_string();
    log.local(
        says(
            "decrypt-locally",
            "Decrypt the invoice locally",
            "With the data key back in memory, the application opens the ciphertext; the GCM tag proves nothing was \
             changed.",
        ),
        AES,
        None,
        open(&key, &stored, "invoice 2026-001").map(|text| ((), format!("decrypted: {text}"))),
    );
    log.steps
}
