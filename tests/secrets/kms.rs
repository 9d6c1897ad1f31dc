//! Secret values through KMS: envelope encryption with the caller's permissions through the
//! service, the AWS-managed key `aws/secretsmanager` made on first use, customer keys and their
//! policies, and the KMS audit entries each call causes. Secrets Manager User Guide, "Secret
//! encryption and decryption" (<https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html>).

use serde_json::json;

use crate::common::*;

#[test]
fn the_default_key_is_aws_secretsmanager_created_on_first_use() {
    // security-encryption.html: "If you choose the AWS managed key aws/secretsmanager and it
    // doesn't yet exist, Secrets Manager creates it and associates it with the secret."
    let mut e = Env::new();
    let aliases = e.kms("ListAliases", json!({}), admin(MAIN));
    assert!(!aliases.to_string().contains("alias/aws/secretsmanager"));
    e.admin("CreateSecret", json!({"Name": "k", "SecretString": "v"}));
    let key = e.kms("DescribeKey", json!({"KeyId": "alias/aws/secretsmanager"}), admin(MAIN));
    assert_eq!(key["KeyMetadata"]["KeyManager"], "AWS");
    // DescribeSecret omits KmsKeyId for the AWS-managed key (API_DescribeSecret.html).
    assert!(e.admin("DescribeSecret", json!({"SecretId": "k"})).get("KmsKeyId").is_none());
}

#[test]
fn each_value_is_a_generate_data_key_and_each_read_a_decrypt_through_the_service() {
    // security-encryption.html: a new data key per value (GenerateDataKey), Decrypt to read, with
    // the encryption context SecretARN and SecretVersionId, through secretsmanager.<region>.
    let mut e = Env::new();
    let out = e.admin("CreateSecret", json!({"Name": "a", "SecretString": "v"}));
    e.admin("PutSecretValue", json!({"SecretId": "a", "SecretString": "w"}));
    let gdk = e.kms_events("GenerateDataKey");
    assert_eq!(gdk.len(), 2);
    let first = &gdk[0];
    assert_eq!(first["sourceIPAddress"], "secretsmanager.us-east-1.amazonaws.com");
    assert_eq!(first["requestParameters"]["encryptionContext"]["SecretARN"], out["ARN"]);
    assert_eq!(first["requestParameters"]["encryptionContext"]["SecretVersionId"], out["VersionId"]);
    assert_eq!(first["userIdentity"]["arn"], admin(MAIN));
    assert!(first.get("errorCode").is_none());
    assert_eq!(e.current("a"), "w");
    let dec = e.kms_events("Decrypt");
    assert_eq!(dec.len(), 1);
    assert_eq!(dec[0]["sourceIPAddress"], "secretsmanager.us-east-1.amazonaws.com");
}

#[test]
fn the_store_never_holds_the_value_in_plaintext() {
    let mut e = Env::new();
    e.admin("CreateSecret", json!({"Name": "p", "SecretString": "correct horse battery staple"}));
    let dump = serde_json::to_string(&e.s).unwrap();
    assert!(!dump.contains("correct horse"), "plaintext in the store");
    assert!(!format!("{:?}", e.s).contains("correct horse"));
}

#[test]
fn a_customer_key_whose_policy_refuses_the_caller_stops_create_secret_and_leaves_nothing() {
    // security-encryption.html#security-encryption-authz: the caller needs kms:GenerateDataKey
    // and kms:Decrypt on a customer managed key (the key policy decides).
    let mut e = Env::new();
    let alice = format!("arn:aws:iam::{MAIN}:user/alice");
    principal(&mut e.w, &alice, &[allow(&["secretsmanager:*"], "*")]);
    let key = e.kms("CreateKey", json!({}), admin(MAIN))["KeyMetadata"]["Arn"].as_str().unwrap().to_string();
    // The default key policy delegates to the account's IAM: alice's policy has no kms:*.
    let err = e.expect_code(
        "CreateSecret",
        json!({"Name": "c", "SecretString": "v", "KmsKeyId": key}),
        alice.as_str(),
        "AccessDeniedException",
    );
    assert!(err.to_string().contains("Access to KMS is not allowed"), "{err}");
    e.expect_code("DescribeSecret", json!({"SecretId": "c"}), admin(MAIN), "ResourceNotFoundException");
    assert_eq!(e.kms_events("GenerateDataKey").last().unwrap()["errorCode"], "AccessDeniedException");
    // With the AWS-managed key, every principal of the account may use it through the service.
    e.ok("CreateSecret", json!({"Name": "c", "SecretString": "v"}), alice.as_str());
    assert_eq!(e.ok("GetSecretValue", json!({"SecretId": "c"}), alice.as_str())["SecretString"], "v");
}

#[test]
fn a_disabled_key_makes_reads_a_decryption_failure() {
    let mut e = Env::new();
    let key = e.kms("CreateKey", json!({}), admin(MAIN))["KeyMetadata"]["Arn"].as_str().unwrap().to_string();
    e.admin("CreateSecret", json!({"Name": "d", "SecretString": "v", "KmsKeyId": key}));
    e.kms("DisableKey", json!({"KeyId": key}), admin(MAIN));
    e.expect_code("GetSecretValue", json!({"SecretId": "d"}), admin(MAIN), "DecryptionFailure");
    e.expect_code(
        "PutSecretValue",
        json!({"SecretId": "d", "SecretString": "w"}),
        admin(MAIN),
        "EncryptionFailure",
    );
    e.kms("EnableKey", json!({"KeyId": key}), admin(MAIN));
    assert_eq!(e.current("d"), "v");
}

#[test]
fn update_secret_kms_key_id_re_encrypts_the_labelled_versions() {
    // API_UpdateSecret.html, KmsKeyId: AWSCURRENT, AWSPENDING and AWSPREVIOUS are re-encrypted
    // under the new key.
    let mut e = Env::new();
    let old = e.kms("CreateKey", json!({}), admin(MAIN))["KeyMetadata"]["Arn"].as_str().unwrap().to_string();
    e.admin("CreateSecret", json!({"Name": "r", "SecretString": "1", "KmsKeyId": old}));
    e.admin("PutSecretValue", json!({"SecretId": "r", "SecretString": "2"}));
    e.admin("PutSecretValue", json!({"SecretId": "r", "SecretString": "3"}));
    let key = e.kms("CreateKey", json!({}), admin(MAIN))["KeyMetadata"]["Arn"].as_str().unwrap().to_string();
    e.admin("UpdateSecret", json!({"SecretId": "r", "KmsKeyId": key}));
    let versions = e.admin("ListSecretVersionIds", json!({"SecretId": "r", "IncludeDeprecated": true}));
    for v in versions["Versions"].as_array().unwrap() {
        let labelled = v.get("VersionStages").is_some();
        assert_eq!(v["KmsKeyIds"][0] == key.as_str(), labelled, "{v}");
    }
    assert_eq!(e.admin("DescribeSecret", json!({"SecretId": "r"}))["KmsKeyId"], key.as_str());
    // Disabling the old key no longer matters for the current value.
    e.kms("DisableKey", json!({"KeyId": old}), admin(MAIN));
    assert_eq!(e.current("r"), "3");
}

#[test]
fn identity_policies_decide_per_secret_and_deny_carries_the_trace() {
    // auth-and-access_examples.html: identity policies grant secretsmanager actions per secret ARN.
    let mut e = Env::new();
    let a = e.admin("CreateSecret", json!({"Name": "team-a/db", "SecretString": "a"}))["ARN"]
        .as_str()
        .unwrap()
        .to_string();
    e.admin("CreateSecret", json!({"Name": "team-b/db", "SecretString": "b"}));
    let bob = format!("arn:aws:iam::{MAIN}:user/bob");
    principal(
        &mut e.w,
        &bob,
        &[allow(
            &["secretsmanager:GetSecretValue"],
            &format!("arn:aws:secretsmanager:us-east-1:{MAIN}:secret:team-a/*"),
        )],
    );
    assert_eq!(e.ok("GetSecretValue", json!({"SecretId": a}), bob.as_str())["SecretString"], "a");
    let err = e.expect_code(
        "GetSecretValue",
        json!({"SecretId": "team-b/db"}),
        bob.as_str(),
        "AccessDeniedException",
    );
    assert!(err.to_string().contains("secretsmanager:GetSecretValue"), "{err}");
    assert!(err.to_json()["trace"]["decision"].is_string(), "{}", err.to_json());
    e.expect_code("DescribeSecret", json!({"SecretId": a}), bob.as_str(), "AccessDeniedException");
    e.expect_code(
        "GetSecretValue",
        json!({"SecretId": "x"}),
        "arn:aws:iam::111122223333:user/nobody",
        "UnrecognizedClientException",
    );
}

#[test]
fn another_account_without_a_resource_policy_is_denied_even_by_arn() {
    // IAM cross-account evaluation: the secret's account must allow (resource policy) as well.
    let mut e = Env::new();
    let arn = e.admin("CreateSecret", json!({"Name": "x", "SecretString": "v"}))["ARN"]
        .as_str()
        .unwrap()
        .to_string();
    e.expect_code("GetSecretValue", json!({"SecretId": arn}), admin(PARTNER), "AccessDeniedException");
    // By name it is not even found: names resolve in the caller's own account.
    e.expect_code("GetSecretValue", json!({"SecretId": "x"}), admin(PARTNER), "ResourceNotFoundException");
}
