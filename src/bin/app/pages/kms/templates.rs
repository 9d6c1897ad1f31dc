//! A sensible request per operation, for the page's form: the AWS KMS JSON request with the
//! key the caller most likely means and, where one fits, the last ciphertext the page produced.
//!
//! Plain data; what a template names need not exist (the engine answers as AWS would).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::{json, Value};

/// What a template may use from the page.
#[derive(Debug, Default, Clone, Copy)]
pub struct Context<'a> {
    /// The key ARN the caller most likely means (its account and region's newest key).
    pub key: Option<&'a str>,
    /// That key's policy text.
    pub policy: Option<&'a str>,
    /// The last `CiphertextBlob` a call returned.
    pub ciphertext: Option<&'a str>,
    /// The calling principal.
    pub principal: &'a str,
    /// Another region of the world (for ReplicateKey).
    pub other_region: Option<&'a str>,
}

/// The request template of an operation.
pub fn template(operation: &str, c: &Context<'_>) -> Value {
    let key = c.key.unwrap_or("alias/create-a-key-first");
    let text = |s: &str| B64.encode(s);
    let ec = json!({"purpose": "playground"});
    let blob = c.ciphertext.unwrap_or("");
    match operation {
        "CreateKey" => {
            json!({"Description": "made in the playground", "KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT"})
        }
        "Encrypt" => json!({"KeyId": key, "Plaintext": text("hello, KMS"), "EncryptionContext": ec}),
        "Decrypt" => json!({"CiphertextBlob": blob, "EncryptionContext": ec}),
        "ReEncrypt" => json!({"CiphertextBlob": blob, "SourceEncryptionContext": ec, "DestinationKeyId": key,
            "DestinationEncryptionContext": ec}),
        "GenerateDataKey" | "GenerateDataKeyWithoutPlaintext" => {
            json!({"KeyId": key, "KeySpec": "AES_256", "EncryptionContext": ec})
        }
        "GenerateDataKeyPair" | "GenerateDataKeyPairWithoutPlaintext" => {
            json!({"KeyId": key, "KeyPairSpec": "ECC_NIST_P256", "EncryptionContext": ec})
        }
        "GenerateRandom" => json!({"NumberOfBytes": 32}),
        "Sign" => json!({"KeyId": key, "Message": text("message to sign"), "MessageType": "RAW",
            "SigningAlgorithm": "ECDSA_SHA_256"}),
        "Verify" => json!({"KeyId": key, "Message": text("message to sign"), "MessageType": "RAW",
            "SigningAlgorithm": "ECDSA_SHA_256", "Signature": ""}),
        "GenerateMac" => json!({"KeyId": key, "Message": text("message"), "MacAlgorithm": "HMAC_SHA_256"}),
        "VerifyMac" => {
            json!({"KeyId": key, "Message": text("message"), "MacAlgorithm": "HMAC_SHA_256", "Mac": ""})
        }
        "DeriveSharedSecret" => json!({"KeyId": key, "KeyAgreementAlgorithm": "ECDH", "PublicKey": ""}),
        "Decapsulate" => json!({"KeyId": key, "Ciphertext": ""}),
        "CreateAlias" | "UpdateAlias" => json!({"AliasName": "alias/my-key", "TargetKeyId": key}),
        "DeleteAlias" => json!({"AliasName": "alias/my-key"}),
        "ListKeys" | "ListAliases" => json!({}),
        "ScheduleKeyDeletion" => json!({"KeyId": key, "PendingWindowInDays": 7}),
        "EnableKeyRotation" => json!({"KeyId": key, "RotationPeriodInDays": 365}),
        "PutKeyPolicy" => json!({"KeyId": key, "PolicyName": "default",
            "Policy": c.policy.unwrap_or(r#"{"Version":"2012-10-17","Statement":[]}"#)}),
        "GetKeyPolicy" => json!({"KeyId": key, "PolicyName": "default"}),
        "UpdateKeyDescription" => json!({"KeyId": key, "Description": "a new description"}),
        "CreateGrant" => json!({"KeyId": key, "GranteePrincipal": "arn:aws:iam::444455556666:role/Admin",
            "Operations": ["Decrypt", "DescribeKey"]}),
        "RetireGrant" | "RevokeGrant" => json!({"KeyId": key, "GrantId": ""}),
        "ListRetirableGrants" => json!({"RetiringPrincipal": c.principal}),
        "TagResource" => json!({"KeyId": key, "Tags": [{"TagKey": "team", "TagValue": "payments"}]}),
        "UntagResource" => json!({"KeyId": key, "TagKeys": ["team"]}),
        "ReplicateKey" => json!({"KeyId": key, "ReplicaRegion": c.other_region.unwrap_or("us-west-2")}),
        "UpdatePrimaryRegion" => {
            json!({"KeyId": key, "PrimaryRegion": c.other_region.unwrap_or("us-west-2")})
        }
        "GetParametersForImport" => json!({"KeyId": key, "WrappingAlgorithm": "RSAES_OAEP_SHA_256",
            "WrappingKeySpec": "RSA_2048"}),
        _ => json!({"KeyId": key}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_an_object_template_naming_the_key_it_needs() {
        let c = Context {
            key: Some("arn:aws:kms:us-east-1:111122223333:key/k"),
            principal: "p",
            ..Context::default()
        };
        for op in secplay::kms::ops::OPERATIONS {
            let t = template(op, &c);
            assert!(t.is_object(), "{op}");
            if t.get("KeyId").is_some() {
                assert_eq!(t["KeyId"], "arn:aws:kms:us-east-1:111122223333:key/k", "{op}");
            }
        }
        assert_eq!(template("Decrypt", &Context { ciphertext: Some("AAA"), ..c })["CiphertextBlob"], "AAA");
    }
}
