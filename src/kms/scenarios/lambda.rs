//! Scenario (a), notes §2: an environment variable encrypted under a customer-managed key and
//! decrypted by Lambda for one function only (`kms:ViaService` and the `LambdaFunctionName`
//! encryption context in the key policy).

use serde_json::json;

use super::{b64, Change, Scenario, SetupPrincipal, Step, Variant, MAIN};

const DEVELOPER: &str = "arn:aws:iam::111122223333:role/developer";
const FUNCTION_ROLE: &str = "arn:aws:iam::111122223333:role/orders-fn-role";
/// The function's session: Lambda assumes the execution role, named after the function.
const FUNCTION_SESSION: &str = "arn:aws:sts::111122223333:assumed-role/orders-fn-role/orders";
const VIA_LAMBDA: &str = "lambda.us-east-1.amazonaws.com";

pub(super) fn scenario() -> Scenario {
    let admin = format!("arn:aws:iam::{MAIN}:role/Admin");
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{MAIN}:root")},
             "Action": "kms:*", "Resource": "*"},
            {"Sid": "Only Lambda decrypts, for the orders function", "Effect": "Allow", "Principal": {"AWS": FUNCTION_ROLE},
             "Action": ["kms:Decrypt"], "Resource": "*",
             "Condition": {"StringEquals": {"kms:ViaService": VIA_LAMBDA, "kms:EncryptionContext:LambdaFunctionName": "orders"}}}
        ]
    });
    let ec = json!({"LambdaFunctionName": "orders"});
    let function = json!({"principal": FUNCTION_SESSION, "viaService": VIA_LAMBDA});
    Scenario {
        id: "lambda-env",
        title: "Encrypt an environment variable, decrypt it in a function",
        section: "§2 KMS",
        summary: "A developer encrypts a database password under a customer-managed key before storing it as a \
            Lambda environment variable. Only Lambda, acting for the `orders` function's role, may decrypt it: \
            the key policy requires `kms:ViaService` and the `LambdaFunctionName` encryption context.",
        principals: vec![
            SetupPrincipal {
                arn: DEVELOPER,
                policies: vec![(
                    "encrypt-env",
                    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                        "Action": ["kms:Encrypt", "kms:DescribeKey"], "Resource": "*"}]}),
                )],
            },
            SetupPrincipal { arn: FUNCTION_ROLE, policies: vec![] },
        ],
        steps: vec![
            Step {
                id: "key",
                operation: "CreateKey",
                caller: json!(admin),
                request: json!({"Description": "Lambda environment variables", "Policy": policy}),
                explain: "The administrator creates a symmetric customer-managed key ($1 a month, §2). Its policy \
                    delegates to IAM and lets the function's role decrypt only through Lambda and only for `orders`.",
                expect_error: None,
            },
            Step {
                id: "alias",
                operation: "CreateAlias",
                caller: json!(admin),
                request: json!({"AliasName": "alias/orders-env", "TargetKeyId": "${key/KeyMetadata/KeyId}"}),
                explain: "An alias, so the function's configuration names `alias/orders-env` rather than a key id.",
                expect_error: None,
            },
            Step {
                id: "encrypt",
                operation: "Encrypt",
                caller: json!(DEVELOPER),
                request: json!({"KeyId": "alias/orders-env", "Plaintext": b64("postgres://orders:s3cret@db:5432/orders"),
                    "EncryptionContext": ec}),
                explain: "The developer encrypts the variable with the function's name as encryption context, as \
                    Lambda's encryption helpers do; the plaintext never reaches Lambda's configuration (§2).",
                expect_error: None,
            },
            Step {
                id: "decrypt",
                operation: "Decrypt",
                caller: function.clone(),
                request: json!({"CiphertextBlob": "${encrypt/CiphertextBlob}", "EncryptionContext": ec}),
                explain: "At cold start Lambda decrypts for the function's session: the key policy statement matches \
                    (the role, via Lambda, for `orders`). No KeyId is needed: a symmetric blob names its key.",
                expect_error: None,
            },
            Step {
                id: "direct",
                operation: "Decrypt",
                caller: json!(FUNCTION_SESSION),
                request: json!({"CiphertextBlob": "${encrypt/CiphertextBlob}", "EncryptionContext": ec}),
                explain: "The same role calling KMS directly (say, from code that leaked the blob) is refused: \
                    without `kms:ViaService` no statement allows it.",
                expect_error: Some("AccessDeniedException"),
            },
            Step {
                id: "other-function",
                operation: "Decrypt",
                caller: function,
                request: json!({"CiphertextBlob": "${encrypt/CiphertextBlob}",
                    "EncryptionContext": {"LambdaFunctionName": "billing"}}),
                explain: "Claiming another function's name is refused before any decryption: the policy's \
                    encryption-context condition does not match.",
                expect_error: Some("AccessDeniedException"),
            },
        ],
        variants: vec![
            Variant {
                id: "no-function-decrypt",
                label: "Remove kms:Decrypt from the key policy's function statement",
                change: Change::KeyPolicyAction {
                    step: "key",
                    sid: "Only Lambda decrypts, for the orders function",
                    action: "kms:Decrypt",
                },
                fails_at: "decrypt",
                error: "AccessDeniedException",
                explain: "The execution role has no identity policy for KMS: only the key policy let it decrypt.",
            },
            Variant {
                id: "no-developer-encrypt",
                label: "Remove kms:Encrypt from the developer's identity policy",
                change: Change::IdentityAction { principal: DEVELOPER, action: "kms:Encrypt" },
                fails_at: "encrypt",
                error: "AccessDeniedException",
                explain: "The default statement only delegates to IAM: the developer needs an IAM policy allowing it.",
            },
        ],
    }
}
