//! Scenario (b), notes §2: encrypting outside AWS with a downloaded public key. `GetPublicKey`
//! hands out the SPKI; the client encrypts with RSAES-OAEP itself (no KMS call, no request
//! charge); only a principal allowed `kms:Decrypt` on the key can read the result.

use serde_json::json;

use super::{Change, Scenario, SetupPrincipal, Step, Variant, MAIN};

const PUBLISHER: &str = "arn:aws:iam::111122223333:user/onprem-publisher";
const RECEIVER: &str = "arn:aws:iam::111122223333:role/receiver";

pub(super) fn scenario() -> Scenario {
    let admin = format!("arn:aws:iam::{MAIN}:role/Admin");
    let allow = |actions: &[&str]| json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]});
    Scenario {
        id: "public-key",
        title: "Encrypt outside AWS with a downloaded public key",
        section: "§2 KMS",
        summary:
            "An RSA key pair in KMS: its public key can be downloaded and used anywhere, its private key \
            never leaves KMS. An on-premises publisher encrypts with the public key offline; a role in AWS \
            decrypts through KMS.",
        principals: vec![
            SetupPrincipal { arn: PUBLISHER, policies: vec![("public-key", allow(&["kms:GetPublicKey"]))] },
            SetupPrincipal { arn: RECEIVER, policies: vec![("decrypt", allow(&["kms:Decrypt"]))] },
        ],
        steps: vec![
            Step {
                id: "key",
                operation: "CreateKey",
                caller: json!(admin),
                request: json!({"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT",
                    "Description": "Inbound reports from the data centre"}),
                explain: "An asymmetric RSA key for encryption (§2: RSA and ECC pairs, the public half \
                    downloadable). Default key policy: IAM decides.",
                expect_error: None,
            },
            Step {
                id: "public",
                operation: "GetPublicKey",
                caller: json!(PUBLISHER),
                request: json!({"KeyId": "${key/KeyMetadata/Arn}"}),
                explain:
                    "The publisher downloads the public key (DER SubjectPublicKeyInfo) and the algorithms it \
                    may be used with. This is the last KMS call on its side.",
                expect_error: None,
            },
            Step {
                id: "seal",
                operation: "Client.RsaOaepEncrypt",
                caller: json!(PUBLISHER),
                request: json!({"PublicKey": "${public/PublicKey}", "Plaintext": "Q3 revenue: 4.2M",
                    "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"}),
                explain:
                    "Outside AWS: RSAES-OAEP with SHA-256 done by the client's own library (here the `rsa` \
                    crate in the page). KMS sees nothing: no audit event, no charge.",
                expect_error: None,
            },
            Step {
                id: "open",
                operation: "Decrypt",
                caller: json!(RECEIVER),
                request: json!({"KeyId": "${key/KeyMetadata/Arn}", "CiphertextBlob": "${seal/CiphertextBlob}",
                    "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"}),
                explain: "Inside AWS the receiver decrypts with the private key, which never leaves KMS. An \
                    asymmetric Decrypt must name the key and the algorithm.",
                expect_error: None,
            },
            Step {
                id: "wrong-algorithm",
                operation: "Decrypt",
                caller: json!(RECEIVER),
                request: json!({"KeyId": "${key/KeyMetadata/Arn}", "CiphertextBlob": "${seal/CiphertextBlob}",
                    "EncryptionAlgorithm": "RSAES_OAEP_SHA_1"}),
                explain: "Naming the wrong OAEP hash fails opaquely, as any wrong ciphertext does.",
                expect_error: Some("InvalidCiphertextException"),
            },
        ],
        variants: vec![
            Variant {
                id: "no-get-public-key",
                label: "Remove kms:GetPublicKey from the publisher's identity policy",
                change: Change::IdentityAction { principal: PUBLISHER, action: "kms:GetPublicKey" },
                fails_at: "public",
                error: "AccessDeniedException",
                explain: "Downloading a public key is an authorized, audited call like any other.",
            },
            Variant {
                id: "no-decrypt",
                label: "Remove kms:Decrypt from the receiver's identity policy",
                change: Change::IdentityAction { principal: RECEIVER, action: "kms:Decrypt" },
                fails_at: "open",
                error: "AccessDeniedException",
                explain:
                    "Anyone may encrypt with the public key, but decrypting needs kms:Decrypt on the key.",
            },
        ],
    }
}
