//! §1: the three encryption models side by side — in flight (TLS), server-side at rest (the server
//! encrypts with a KMS data key), client-side (envelope encryption with the Encryption SDK and a
//! KMS keyring) — and who can read what in each, with the real engines.

use std::cell::RefCell;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::json;

use super::kit::{allow_kms, caller, hex_head, member, open, role, says, seal, Log, ADMIN, AES, ESDK, MAIN};
use crate::crypto::esdk::{self, AlgorithmSuite, DecryptOptions, EncryptOptions};
use crate::crypto::keyring::AwsKmsKeyring;
use crate::kms::esdk_client::WorldClient;
use crate::kms::json::read_caller;
use crate::kms::World;
use crate::notes::model::{Chapter, StepError, StepOutcome, Variant};

const SERVER: &str = "arn:aws:iam::111122223333:role/server";
const CLIENT: &str = "arn:aws:iam::111122223333:role/client";
/// An outsider with a stolen disk: full rights in its own account, none on this account's keys.
const THIEF: &str = "arn:aws:iam::444455556666:role/Admin";
pub const SECRET: &str = "card 4111 1111 1111 1111, exp 12/29";

pub fn chapter() -> Chapter {
    Chapter {
        id: "three-models",
        section: 1,
        title: "Three encryption models: who can read what",
        summary: "In flight, TLS protects the data between two ends, and each end reads it. At rest on the server, \
            the server encrypts with a data key from KMS: whoever the key policy lets decrypt (the server, its \
            operator) reads it, a disk thief does not. Client-side, the client encrypts before sending: the server \
            stores only ciphertext it cannot decrypt (https://docs.aws.amazon.com/encryption-sdk/latest/developer-guide/introduction.html).",
        outdated: Vec::new(),
        variants: vec![Variant {
            id: "server-no-decrypt",
            removes: "kms:Decrypt from the server role's IAM policy",
            fails_at: "server-decrypt",
            error: "AccessDeniedException",
        }],
        run,
    }
}

fn run(variant: Option<&str>) -> Vec<StepOutcome> {
    let mut log = Log::default();
    let cell = RefCell::new(World::new());
    let server_actions: &[&str] = if variant == Some("server-no-decrypt") {
        &["kms:GenerateDataKey"]
    } else {
        &["kms:GenerateDataKey", "kms:Decrypt"]
    };
    let client_policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]});
    let set_up = {
        let mut w = cell.borrow_mut();
        role(&mut w, SERVER, &allow_kms(MAIN, server_actions))
            .and_then(|()| role(&mut w, CLIENT, &client_policy.to_string()))
    };
    if let Err(e) = set_up {
        log.local::<()>(says("set-up", "Set up", ""), AES, None, Err(super::kit::kms_error(&e)));
        return log.steps;
    }

    // 1. In flight.
    let tls_key = B64.encode([7u8; 32].map(|b| b ^ 0x5a));
    let in_flight = seal(&tls_key, SECRET, "TLS record").map(|record| {
        let text = format!(
            "browser: reads it (it wrote it)\nWi-Fi, ISP, any router on the path (a man in the middle): {}\n\
             load balancer where TLS ends: reads it\nserver: reads it, and stores it as it is unless it encrypts it",
            hex_head(&record)
        );
        ((), text)
    });
    if log
        .local(
            says(
                "in-flight",
                "In flight: TLS between the browser and the server",
                "TLS encrypts each record with a session key only the two ends know (AES-GCM here, as TLS 1.3 does), \
                 so nobody on the path can read or change it; at each end the data is plaintext again (§1).",
            ),
            AES,
            None,
            in_flight,
        )
        .is_none()
    {
        return log.steps;
    }

    // 2. Server-side at rest.
    let Some(server_key) = log.kms(
        &mut cell.borrow_mut(),
        says(
            "server-key",
            "At rest: the service's KMS key",
            "The service encrypts what it stores under a KMS key of its account (like SSE-KMS).",
        ),
        "CreateKey",
        caller(ADMIN, "us-east-1"),
        json!({"Description": "storage service"}),
        None,
    ) else {
        return log.steps;
    };
    let server_arn = member(&server_key, "/KeyMetadata/Arn").to_string();
    let context = json!({"object": "orders/17"});
    let Some(dk) = log.kms(
        &mut cell.borrow_mut(),
        says(
            "server-data-key",
            "The server asks KMS for a data key",
            "Server-side encryption: the server receives the plaintext from the client and a data key from KMS \
             (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html).",
        ),
        "GenerateDataKey",
        caller(SERVER, "us-east-1"),
        json!({"KeyId": server_arn, "KeySpec": "AES_256", "EncryptionContext": context}),
        None,
    ) else {
        return log.steps;
    };
    let edk = member(&dk, "/CiphertextBlob").to_string();
    let Some(on_disk) = log.local(
        says(
            "server-stores",
            "The server writes ciphertext to its disk",
            "It encrypts with the data key, drops the plaintext key and stores the ciphertext with the encrypted data key.",
        ),
        AES,
        None,
        seal(member(&dk, "/Plaintext"), SECRET, "orders/17").map(|s| {
            let t = format!("on the disk: {} and the encrypted data key ({} base64 characters)", hex_head(&s), edk.len());
            (s, t)
        }),
    ) else {
        return log.steps;
    };
    let _ = log.kms(
        &mut cell.borrow_mut(),
        says(
            "disk-thief",
            "A thief with the disk asks KMS to decrypt the data key",
            "The disk holds only ciphertext and a data key encrypted under a KMS key that never leaves KMS; the \
             thief's credentials are not allowed by the key policy, so KMS refuses and the data stays unreadable.",
        ),
        "Decrypt",
        caller(THIEF, "us-east-1"),
        json!({"CiphertextBlob": edk, "KeyId": server_arn, "EncryptionContext": context}),
        Some("AccessDeniedException"),
    );
    if log.stopped() {
        return log.steps;
    }
    let Some(plain_key) = log.kms(
        &mut cell.borrow_mut(),
        says(
            "server-decrypt",
            "The server decrypts the data key to serve a read",
            "The server (and so its operator) can read the data whenever its role may call kms:Decrypt: server-side \
             encryption protects against a lost disk, not against the server.",
        ),
        "Decrypt",
        caller(SERVER, "us-east-1"),
        json!({"CiphertextBlob": edk, "EncryptionContext": context}),
        None,
    ) else {
        return log.steps;
    };
    if log
        .local(
            says("server-reads", "The server reads the stored data", "Decrypted on the server."),
            AES,
            None,
            open(member(&plain_key, "/Plaintext"), &on_disk, "orders/17")
                .map(|t| ((), format!("the server reads: {t}"))),
        )
        .is_none()
    {
        return log.steps;
    }

    // 3. Client-side.
    let client_key_policy = json!({"Version": "2012-10-17", "Statement": [{"Sid": "Only the client", "Effect": "Allow",
        "Principal": {"AWS": CLIENT}, "Action": "kms:*", "Resource": "*"}]});
    let Some(client_key) = log.kms(
        &mut cell.borrow_mut(),
        says(
            "client-key",
            "Client-side: the client's own KMS key",
            "The client's key policy names only the client's role: the server's IAM permissions do not reach it \
             (a key policy that does not delegate to the account ignores IAM).",
        ),
        "CreateKey",
        caller(CLIENT, "us-east-1"),
        json!({"Description": "client-side encryption", "Policy": client_key_policy.to_string()}),
        None,
    ) else {
        return log.steps;
    };
    let client_arn = member(&client_key, "/KeyMetadata/Arn").to_string();
    let options = EncryptOptions {
        suite: Some(AlgorithmSuite::Aes256GcmHkdfSha512CommitKey),
        ..EncryptOptions::default()
    };
    let message = esdk_call(&cell, CLIENT, &client_arn, |k| esdk::encrypt(SECRET.as_bytes(), k, &options));
    let Some(message) = log.local(
        says(
            "client-encrypts",
            "The client encrypts with the Encryption SDK before sending",
            "Envelope encryption on the client: a data key from the client's KMS key, the data encrypted locally; \
             the server receives one message holding the ciphertext and the encrypted data key \
             (https://docs.aws.amazon.com/encryption-sdk/latest/developer-guide/how-it-works.html).",
        ),
        ESDK,
        None,
        message.map(|m| {
            let t = format!("the server stores: {}", hex_head(&m));
            (m, t)
        }),
    ) else {
        return log.steps;
    };
    let server_try =
        esdk_call(&cell, SERVER, &client_arn, |k| esdk::decrypt(&message, k, &DecryptOptions::default()));
    log.local(
        says(
            "server-cannot-read",
            "The server tries to decrypt what it stores",
            "The message's data key is encrypted under the client's key, whose policy does not allow the server: \
             the server holds ciphertext it can never read.",
        ),
        ESDK,
        Some("AccessDeniedException"),
        server_try.map(|_| ((), "the server read it".to_string())),
    );
    if log.stopped() {
        return log.steps;
    }
    let client_read =
        esdk_call(&cell, CLIENT, &client_arn, |k| esdk::decrypt(&message, k, &DecryptOptions::default()));
    log.local(
        says("client-reads", "The client decrypts its own data", "Only the client's role can read it back."),
        ESDK,
        None,
        client_read.map(|d| ((), format!("the client reads: {}", String::from_utf8_lossy(&d.plaintext)))),
    );
    log.steps
}

/// Runs `f` with an AWS KMS keyring for `key` calling the world as `principal`.
fn esdk_call<T>(
    cell: &RefCell<World>,
    principal: &str,
    key: &str,
    f: impl FnOnce(&AwsKmsKeyring<'_>) -> Result<T, esdk::EsdkError>,
) -> Result<T, StepError> {
    let err = |e: esdk::EsdkError| StepError { code: e.code().to_string(), message: e.to_string() };
    let ctx = read_caller(&caller(principal, "us-east-1"))
        .map_err(|e| StepError { code: e.code().to_string(), message: e.to_string() })?;
    let keyring = AwsKmsKeyring::new(key, Box::new(WorldClient::new(cell, ctx)), Vec::new()).map_err(err)?;
    f(&keyring).map_err(err)
}
