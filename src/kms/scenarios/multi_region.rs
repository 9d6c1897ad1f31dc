//! Scenario (e), notes §5: a multi-region key replicated to a second region, and client-side
//! encryption of single attributes of table rows that a global table replicates there; the other
//! region decrypts them under its replica, with no call back to the first region.

use serde_json::json;

use super::{Change, Scenario, SetupPrincipal, Step, Variant, MAIN};

const APP_US: &str = "arn:aws:iam::111122223333:role/app-us";
const APP_EU: &str = "arn:aws:iam::111122223333:role/app-eu";

pub(super) fn scenario() -> Scenario {
    let admin = format!("arn:aws:iam::{MAIN}:role/Admin");
    let ec = json!({"table": "customers"});
    let attributes = json!(["ssn", "card"]);
    Scenario {
        id: "multi-region",
        title: "A multi-region key for attributes of replicated table rows",
        section: "§5 Multi-region keys",
        summary: "A primary key in us-east-1 is replicated to eu-west-1 (same `mrk-` id, same material). The \
            application encrypts two attributes of each row on the client before writing; the global table \
            replicates the rows; in eu-west-1 they are decrypted under the replica, without calling us-east-1. \
            The database's administrators never see the attributes.",
        principals: vec![
            SetupPrincipal {
                arn: APP_US,
                policies: vec![(
                    "write-customers",
                    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                        "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": "arn:aws:kms:us-east-1:111122223333:key/*"}]}),
                )],
            },
            SetupPrincipal {
                arn: APP_EU,
                policies: vec![(
                    "read-customers",
                    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                        "Action": ["kms:Decrypt"], "Resource": "arn:aws:kms:eu-west-1:111122223333:key/*"}]}),
                )],
            },
        ],
        steps: vec![
            Step {
                id: "primary",
                operation: "CreateKey",
                caller: json!({"principal": admin, "region": "us-east-1"}),
                request: json!({"MultiRegion": true, "Description": "customers table attributes"}),
                explain: "A multi-region primary key: its id starts with `mrk-` (§5).",
                expect_error: None,
            },
            Step {
                id: "replica",
                operation: "ReplicateKey",
                caller: json!({"principal": admin, "region": "us-east-1"}),
                request: json!({"KeyId": "${primary/KeyMetadata/Arn}", "ReplicaRegion": "eu-west-1"}),
                explain: "A replica in eu-west-1: the same key id and material, its own policy, state and aliases \
                    (each managed independently; a replica is not a global key). $1 a month more.",
                expect_error: None,
            },
            Step {
                id: "data-key",
                operation: "GenerateDataKey",
                caller: json!({"principal": APP_US, "region": "us-east-1"}),
                request: json!({"KeyId": "${primary/KeyMetadata/Arn}", "KeySpec": "AES_256", "EncryptionContext": ec}),
                explain: "The writer in us-east-1 asks for a data key: the plaintext for its memory, the encrypted \
                    copy to store beside the rows.",
                expect_error: None,
            },
            Step {
                id: "encrypt-rows",
                operation: "Client.EncryptAttributes",
                caller: json!(APP_US),
                request: json!({"DataKey": "${data-key/Plaintext}", "EncryptedDataKey": "${data-key/CiphertextBlob}",
                    "Attributes": attributes,
                    "Rows": [
                        {"id": 1, "name": "Ada", "ssn": "078-05-1120", "card": "4111 1111 1111 1111"},
                        {"id": 2, "name": "Grace", "ssn": "219-09-9999", "card": "5500 0000 0000 0004"}
                    ]}),
                explain: "Client-side, per attribute: AES-256-GCM under the data key, the attribute name and row id \
                    as additional data. The table only ever stores ciphertext.",
                expect_error: None,
            },
            Step {
                id: "replicate",
                operation: "Client.ReplicateRows",
                caller: json!(APP_US),
                request: json!({"Rows": "${encrypt-rows/Rows}", "Region": "eu-west-1"}),
                explain: "The global table copies the rows to eu-west-1 as they are: ciphertext and encrypted data key.",
                expect_error: None,
            },
            Step {
                id: "eu-data-key",
                operation: "Decrypt",
                caller: json!({"principal": APP_EU, "region": "eu-west-1"}),
                request: json!({"CiphertextBlob": "${replicate/Rows/0/_dataKey}", "KeyId": "${replica/ReplicaKeyMetadata/Arn}",
                    "EncryptionContext": ec}),
                explain: "The reader in eu-west-1 decrypts the data key under the replica: a blob made by the primary \
                    decrypts under a related multi-region key without re-encryption (§5).",
                expect_error: None,
            },
            Step {
                id: "decrypt-rows",
                operation: "Client.DecryptAttributes",
                caller: json!(APP_EU),
                request: json!({"DataKey": "${eu-data-key/Plaintext}", "Rows": "${replicate/Rows}", "Attributes": attributes}),
                explain: "And decrypts the attributes locally.",
                expect_error: None,
            },
        ],
        variants: vec![Variant {
            id: "no-eu-decrypt",
            label: "Remove kms:Decrypt from the eu-west-1 reader's identity policy",
            change: Change::IdentityAction { principal: APP_EU, action: "kms:Decrypt" },
            fails_at: "eu-data-key",
            error: "AccessDeniedException",
            explain: "The replica's default policy delegates to IAM, and IAM now allows nothing.",
        }],
    }
}
