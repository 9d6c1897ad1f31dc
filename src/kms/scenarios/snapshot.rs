//! Scenario (c), notes §3: an encrypted EBS snapshot copied to another region (keys are regional,
//! so the copy is encrypted under a key of that region) and shared with another account, which
//! re-encrypts it under its own key: the key policy lets it in, a grant gives the operations.

use serde_json::json;

use super::{Change, Scenario, SetupPrincipal, Step, Variant, MAIN, PARTNER};

const COPIER: &str = "arn:aws:iam::444455556666:role/snapshot-copier";

pub(super) fn scenario() -> Scenario {
    let admin = format!("arn:aws:iam::{MAIN}:role/Admin");
    let partner_admin = format!("arn:aws:iam::{PARTNER}:role/Admin");
    let east =
        |p: &str| json!({"principal": p, "region": "us-east-1", "viaService": "ec2.us-east-1.amazonaws.com"});
    let west =
        |p: &str| json!({"principal": p, "region": "us-west-2", "viaService": "ec2.us-west-2.amazonaws.com"});
    let snap = json!({"aws:ebs:id": "snap-0a1b2c3d4e5f60718"});
    let copy = json!({"aws:ebs:id": "snap-0f9e8d7c6b5a49382"});
    let dst_policy = json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{MAIN}:root")},
             "Action": "kms:*", "Resource": "*"},
            {"Sid": "Partner account may describe and grant", "Effect": "Allow",
             "Principal": {"AWS": format!("arn:aws:iam::{PARTNER}:root")},
             "Action": ["kms:DescribeKey", "kms:CreateGrant"], "Resource": "*"}
        ]
    });
    Scenario {
        id: "snapshot-copy",
        title: "Copy an encrypted snapshot to another region and share it with another account",
        section: "§3 Snapshots across regions and accounts",
        summary: "A snapshot in us-east-1 is copied to us-west-2: KMS keys are regional, so EBS decrypts its data \
            key in the source region and encrypts it under a key of the destination region. The copy is shared \
            with the partner account, which re-encrypts it under its own key: the key policy lets the partner \
            in, a grant gives it the operations.",
        principals: vec![SetupPrincipal {
            arn: COPIER,
            policies: vec![(
                "copy-snapshots",
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Action": ["kms:DescribeKey", "kms:CreateGrant", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
                    "Resource": "*"}]}),
            )],
        }],
        steps: vec![
            Step {
                id: "source-key",
                operation: "CreateKey",
                caller: json!({"principal": admin, "region": "us-east-1"}),
                request: json!({"Description": "EBS volumes, us-east-1"}),
                explain: "The owner's key in us-east-1, default policy.",
                expect_error: None,
            },
            Step {
                id: "snapshot",
                operation: "GenerateDataKeyWithoutPlaintext",
                caller: east(&admin),
                request: json!({"KeyId": "${source-key/KeyMetadata/Arn}", "KeySpec": "AES_256", "EncryptionContext": snap}),
                explain: "EBS asks for a data key for the volume (via ec2) and keeps only its encrypted form with the \
                    snapshot; the snapshot id is the encryption context.",
                expect_error: None,
            },
            Step {
                id: "destination-key",
                operation: "CreateKey",
                caller: json!({"principal": admin, "region": "us-west-2"}),
                request: json!({"Description": "EBS snapshots, us-west-2", "Policy": dst_policy}),
                explain: "A key in the destination region (§3: keys are regional). Its policy lets the partner \
                    account describe it and create grants, nothing more.",
                expect_error: None,
            },
            Step {
                id: "cross-region",
                operation: "ReEncrypt",
                caller: west(&admin),
                request: json!({"CiphertextBlob": "${snapshot/CiphertextBlob}", "SourceEncryptionContext": snap,
                    "DestinationKeyId": "${destination-key/KeyMetadata/Arn}", "DestinationEncryptionContext": copy}),
                explain: "ReEncrypt cannot cross regions: called in us-west-2, the source blob names a us-east-1 \
                    key, which this region does not know.",
                expect_error: Some("InvalidCiphertextException"),
            },
            Step {
                id: "copy-read",
                operation: "Decrypt",
                caller: east(&admin),
                request: json!({"CiphertextBlob": "${snapshot/CiphertextBlob}", "EncryptionContext": snap}),
                explain: "So the copy decrypts the data key in the source region …",
                expect_error: None,
            },
            Step {
                id: "copy-write",
                operation: "Encrypt",
                caller: west(&admin),
                request: json!({"KeyId": "${destination-key/KeyMetadata/Arn}", "Plaintext": "${copy-read/Plaintext}",
                    "EncryptionContext": copy}),
                explain: "… and encrypts it under the destination region's key, for the copy's id.",
                expect_error: None,
            },
            Step {
                id: "partner-key",
                operation: "CreateKey",
                caller: json!({"principal": partner_admin, "region": "us-west-2"}),
                request: json!({"Description": "Partner's own snapshot key"}),
                explain: "The partner account's own key in us-west-2, for its copy of the shared snapshot.",
                expect_error: None,
            },
            Step {
                id: "describe",
                operation: "DescribeKey",
                caller: west(COPIER),
                request: json!({"KeyId": "${destination-key/KeyMetadata/Arn}"}),
                explain: "The partner's copier checks the shared snapshot's key: across accounts, by ARN only; the \
                    key policy (partner root) and the copier's IAM policy both allow it.",
                expect_error: None,
            },
            Step {
                id: "grant",
                operation: "CreateGrant",
                caller: west(COPIER),
                request: json!({"KeyId": "${destination-key/KeyMetadata/Arn}", "GranteePrincipal": COPIER,
                    "Operations": ["Decrypt", "ReEncryptFrom"], "Name": "snapshot-copy"}),
                explain: "EBS creates a grant for the copier: the key policy allows the partner kms:CreateGrant, and \
                    the grant carries the operations the key policy does not give.",
                expect_error: None,
            },
            Step {
                id: "reencrypt",
                operation: "ReEncrypt",
                caller: west(COPIER),
                request: json!({"CiphertextBlob": "${copy-write/CiphertextBlob}", "SourceEncryptionContext": copy,
                    "DestinationKeyId": "${partner-key/KeyMetadata/Arn}",
                    "DestinationEncryptionContext": {"aws:ebs:id": "snap-partner-0001"}}),
                explain: "The partner re-encrypts the data key under its own key: ReEncryptFrom on the shared key \
                    (through the grant), ReEncryptTo on its own (IAM). The plaintext never leaves KMS.",
                expect_error: None,
            },
            Step {
                id: "partner-decrypt",
                operation: "Decrypt",
                caller: west(COPIER),
                request: json!({"CiphertextBlob": "${reencrypt/CiphertextBlob}",
                    "EncryptionContext": {"aws:ebs:id": "snap-partner-0001"}}),
                explain: "The partner's copy now depends only on its own key: the owner could revoke the grant or \
                    change its policy without affecting it.",
                expect_error: None,
            },
        ],
        variants: vec![
            Variant {
                id: "no-create-grant",
                label: "Remove kms:CreateGrant for the partner from the key policy",
                change: Change::KeyPolicyAction {
                    step: "destination-key",
                    sid: "Partner account may describe and grant",
                    action: "kms:CreateGrant",
                },
                fails_at: "grant",
                error: "AccessDeniedException",
                explain: "Across accounts both sides must allow: the copier's IAM policy is not enough.",
            },
            Variant {
                id: "grant-without-reencrypt",
                label: "Leave ReEncryptFrom out of the grant",
                change: Change::GrantOperation { step: "grant", operation: "ReEncryptFrom" },
                fails_at: "reencrypt",
                error: "AccessDeniedException",
                explain: "Nothing on the owner's side then allows kms:ReEncryptFrom for the partner.",
            },
        ],
    }
}
