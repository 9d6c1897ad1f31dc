//! Scenario (d), notes §7: launching an AMI shared by another account whose snapshots are
//! encrypted under a customer-managed key. The launching account needs, on that key,
//! `kms:DescribeKey`, `kms:ReEncrypt*`, `kms:CreateGrant` and `kms:Decrypt`; each variant removes
//! one of them from the key policy and shows the step that then fails.

use serde_json::json;

use super::{Change, Scenario, SetupPrincipal, Step, Variant, MAIN, PARTNER};

const LAUNCHER: &str = "arn:aws:iam::444455556666:role/launcher";
const AUTOSCALING: &str =
    "arn:aws:iam::444455556666:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";
const SHARE_SID: &str = "Allow the partner account to launch the AMI";
const VIA_EC2: &str = "ec2.us-east-1.amazonaws.com";

pub(super) fn scenario() -> Scenario {
    let admin = format!("arn:aws:iam::{MAIN}:role/Admin");
    let partner_admin = format!("arn:aws:iam::{PARTNER}:role/Admin");
    let launcher = json!({"principal": LAUNCHER, "viaService": VIA_EC2});
    let ec = json!({"aws:ebs:id": "snap-0ami0root0volume1"});
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{MAIN}:root")},
             "Action": "kms:*", "Resource": "*"},
            {"Sid": SHARE_SID, "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{PARTNER}:root")},
             "Action": ["kms:DescribeKey", "kms:ReEncrypt*", "kms:CreateGrant", "kms:Decrypt"], "Resource": "*"}
        ]
    });
    let variant = |id, action: &'static str, fails_at, explain| Variant {
        id,
        label: match action {
            "kms:DescribeKey" => "Remove kms:DescribeKey from the key policy",
            "kms:CreateGrant" => "Remove kms:CreateGrant from the key policy",
            "kms:ReEncrypt*" => "Remove kms:ReEncrypt* from the key policy",
            _ => "Remove kms:Decrypt from the key policy",
        },
        change: Change::KeyPolicyAction { step: "ami-key", sid: SHARE_SID, action },
        fails_at,
        error: "AccessDeniedException",
        explain,
    };
    Scenario {
        id: "ami-sharing",
        title: "Share an AMI with encrypted snapshots",
        section: "§7 AMI sharing with KMS",
        summary: "The owner shares an AMI whose root snapshot is encrypted under its customer-managed key: besides \
            the launch permission, its key policy must let the other account use the key. The partner's launcher \
            then needs DescribeKey, CreateGrant, ReEncrypt* and Decrypt on it. Remove one and see which step fails.",
        principals: vec![SetupPrincipal {
            arn: LAUNCHER,
            policies: vec![(
                "launch-shared-amis",
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Action": ["kms:DescribeKey", "kms:ReEncrypt*", "kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"],
                    "Resource": "*"}]}),
            )],
        }],
        steps: vec![
            Step {
                id: "ami-key",
                operation: "CreateKey",
                caller: json!(admin),
                request: json!({"Description": "AMI snapshots", "Policy": policy}),
                explain: "The owner's key: its policy names the partner account's root for the four permissions \
                    §7 lists, so the partner's IAM can pass them on.",
                expect_error: None,
            },
            Step {
                id: "snapshot",
                operation: "GenerateDataKeyWithoutPlaintext",
                caller: json!({"principal": admin, "viaService": VIA_EC2}),
                request: json!({"KeyId": "${ami-key/KeyMetadata/Arn}", "KeySpec": "AES_256", "EncryptionContext": ec}),
                explain: "The AMI's root snapshot: its data key, encrypted under the owner's key.",
                expect_error: None,
            },
            Step {
                id: "launch-key",
                operation: "CreateKey",
                caller: json!(partner_admin),
                request: json!({"Description": "Partner's EBS key"}),
                explain: "The partner's own key, for the volumes of the instances it launches.",
                expect_error: None,
            },
            Step {
                id: "describe",
                operation: "DescribeKey",
                caller: launcher.clone(),
                request: json!({"KeyId": "${ami-key/KeyMetadata/Arn}"}),
                explain: "On launch EC2 first describes the snapshot's key (it must exist and be enabled).",
                expect_error: None,
            },
            Step {
                id: "grant",
                operation: "CreateGrant",
                caller: launcher.clone(),
                request: json!({"KeyId": "${ami-key/KeyMetadata/Arn}", "GranteePrincipal": AUTOSCALING,
                    "Operations": ["Decrypt", "ReEncryptFrom", "DescribeKey"], "Name": "autoscaling-launch"}),
                explain: "Auto Scaling launches on the partner's behalf: the launcher grants its service-linked role \
                    the use of the owner's key (kms:CreateGrant).",
                expect_error: None,
            },
            Step {
                id: "reencrypt",
                operation: "ReEncrypt",
                caller: launcher.clone(),
                request: json!({"CiphertextBlob": "${snapshot/CiphertextBlob}", "SourceEncryptionContext": ec,
                    "DestinationKeyId": "${launch-key/KeyMetadata/Arn}",
                    "DestinationEncryptionContext": {"aws:ebs:id": "vol-0partner0root01"}}),
                explain: "Launching with its own key, the volume's data key is re-encrypted from the owner's key to \
                    the partner's (kms:ReEncryptFrom there, kms:ReEncryptTo here).",
                expect_error: None,
            },
            Step {
                id: "decrypt",
                operation: "Decrypt",
                caller: launcher,
                request: json!({"CiphertextBlob": "${snapshot/CiphertextBlob}", "EncryptionContext": ec}),
                explain: "Launching under the owner's key instead, EC2 decrypts the data key to attach the volume \
                    (kms:Decrypt).",
                expect_error: None,
            },
        ],
        variants: vec![
            variant("no-describe", "kms:DescribeKey", "describe", "EC2 cannot even check the key."),
            variant("no-create-grant", "kms:CreateGrant", "grant", "Auto Scaling could not launch the AMI."),
            variant("no-reencrypt", "kms:ReEncrypt*", "reencrypt", "The volume cannot move to the partner's key."),
            variant("no-decrypt", "kms:Decrypt", "decrypt", "The volume's data key cannot be decrypted."),
        ],
    }
}
