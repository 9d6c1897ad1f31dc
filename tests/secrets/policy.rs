//! Resource policies (Put/Get/Delete/ValidateResourcePolicy, BlockPublicPolicy) and how they
//! combine with identity policies: Secrets Manager User Guide, "Resource-based policies"
//! (<https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_resource-policies.html>)
//! and "Access AWS Secrets Manager secrets from a different account"
//! (<https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples_cross.html>).

use serde_json::{json, Value};

use crate::common::*;

fn policy(principal: Value, action: &str, effect: &str) -> String {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": effect, "Principal": principal, "Action": action, "Resource": "*"}]}).to_string()
}

#[test]
fn put_get_delete_round_trip_and_malformed_policies_are_refused() {
    // API_PutResourcePolicy.html / API_GetResourcePolicy.html / API_DeleteResourcePolicy.html.
    let mut e = Env::new();
    e.admin("CreateSecret", json!({"Name": "p", "SecretString": "v"}));
    assert!(e.admin("GetResourcePolicy", json!({"SecretId": "p"})).get("ResourcePolicy").is_none());
    let pol = policy(
        json!({"AWS": format!("arn:aws:iam::{PARTNER}:root")}),
        "secretsmanager:GetSecretValue",
        "Allow",
    );
    e.admin("PutResourcePolicy", json!({"SecretId": "p", "ResourcePolicy": pol}));
    assert_eq!(e.admin("GetResourcePolicy", json!({"SecretId": "p"}))["ResourcePolicy"], pol.as_str());
    e.admin("DeleteResourcePolicy", json!({"SecretId": "p"}));
    assert!(e.admin("GetResourcePolicy", json!({"SecretId": "p"})).get("ResourcePolicy").is_none());
    for bad in [
        "{not json".to_string(),
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "secretsmanager:*", "Resource": "*"}]}).to_string(),
    ] {
        e.expect_code("PutResourcePolicy", json!({"SecretId": "p", "ResourcePolicy": bad}), admin(MAIN), "MalformedPolicyDocumentException");
    }
    e.expect_code(
        "PutResourcePolicy",
        json!({"SecretId": "p", "ResourcePolicy": "x".repeat(20_481)}),
        admin(MAIN),
        "InvalidParameterException",
    );
}

#[test]
fn block_public_policy_refuses_everyone_unless_a_condition_pins_the_caller() {
    // API_PutResourcePolicy.html, BlockPublicPolicy: "Specifies whether to block resource-based
    // policies that allow broad access to the secret".
    let mut e = Env::new();
    e.admin("CreateSecret", json!({"Name": "b", "SecretString": "v"}));
    let public = policy(json!("*"), "secretsmanager:GetSecretValue", "Allow");
    e.expect_code(
        "PutResourcePolicy",
        json!({"SecretId": "b", "ResourcePolicy": public, "BlockPublicPolicy": true}),
        admin(MAIN),
        "PublicPolicyException",
    );
    let v = e.admin("ValidateResourcePolicy", json!({"SecretId": "b", "ResourcePolicy": public}));
    assert_eq!(v["PolicyValidationPassed"], false);
    assert_eq!(v["ValidationErrors"][0]["CheckName"], "BLOCK_PUBLIC_POLICY");
    let pinned = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
        "Action": "secretsmanager:GetSecretValue", "Resource": "*",
        "Condition": {"StringEquals": {"aws:PrincipalAccount": PARTNER}}}]})
    .to_string();
    e.admin(
        "PutResourcePolicy",
        json!({"SecretId": "b", "ResourcePolicy": pinned, "BlockPublicPolicy": true}),
    );
    assert_eq!(
        e.admin("ValidateResourcePolicy", json!({"ResourcePolicy": pinned}))["PolicyValidationPassed"],
        true
    );
    // A condition on something else does not make it private; a negated operator does not pin.
    for cond in [
        json!({"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}),
        json!({"StringNotEquals": {"aws:PrincipalAccount": PARTNER}}),
    ] {
        let p = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
            "Action": "secretsmanager:GetSecretValue", "Resource": "*", "Condition": cond}]})
        .to_string();
        e.expect_code(
            "PutResourcePolicy",
            json!({"SecretId": "b", "ResourcePolicy": p, "BlockPublicPolicy": true}),
            admin(MAIN),
            "PublicPolicyException",
        );
    }
    // Without BlockPublicPolicy it is accepted, as the API does.
    e.admin("PutResourcePolicy", json!({"SecretId": "b", "ResourcePolicy": public}));
}

#[test]
fn in_the_same_account_a_resource_policy_alone_grants_access() {
    // IAM evaluation logic: within one account, an allow in the resource policy suffices.
    let mut e = Env::new();
    e.admin("CreateSecret", json!({"Name": "s", "SecretString": "v"}));
    let carol = format!("arn:aws:iam::{MAIN}:user/carol");
    principal(&mut e.w, &carol, &[]);
    e.expect_code("GetSecretValue", json!({"SecretId": "s"}), carol.as_str(), "AccessDeniedException");
    e.admin("PutResourcePolicy", json!({"SecretId": "s", "ResourcePolicy": policy(json!({"AWS": carol}), "secretsmanager:GetSecretValue", "Allow")}));
    assert_eq!(e.ok("GetSecretValue", json!({"SecretId": "s"}), carol.as_str())["SecretString"], "v");
    // An explicit deny in the resource policy beats the admin's identity allow.
    e.admin("PutResourcePolicy", json!({"SecretId": "s", "ResourcePolicy": policy(json!({"AWS": admin(MAIN)}), "secretsmanager:GetSecretValue", "Deny")}));
    let err = e.expect_code("GetSecretValue", json!({"SecretId": "s"}), admin(MAIN), "AccessDeniedException");
    assert!(err.to_string().contains("explicit deny"), "{err}");
}

#[test]
fn cross_account_needs_the_resource_policy_the_callers_own_policy_and_a_customer_key() {
    // auth-and-access_examples_cross.html: the secret's resource policy, the caller's identity
    // policy, and a customer managed key whose key policy lets the other account decrypt (the
    // AWS-managed aws/secretsmanager key cannot be used across accounts).
    let mut e = Env::new();
    let key_policy = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{MAIN}:root")}, "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{PARTNER}:root")}, "Action": "kms:Decrypt", "Resource": "*",
         "Condition": {"StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}}}]});
    let key = e.kms("CreateKey", json!({"Policy": key_policy.to_string()}), admin(MAIN))["KeyMetadata"]
        ["Arn"]
        .as_str()
        .unwrap()
        .to_string();
    let shared = e
        .admin("CreateSecret", json!({"Name": "shared", "SecretString": "s3cret", "KmsKeyId": key}))["ARN"]
        .as_str()
        .unwrap()
        .to_string();
    let default = e.admin("CreateSecret", json!({"Name": "default-key", "SecretString": "x"}))["ARN"]
        .as_str()
        .unwrap()
        .to_string();
    let grant = policy(
        json!({"AWS": format!("arn:aws:iam::{PARTNER}:root")}),
        "secretsmanager:GetSecretValue",
        "Allow",
    );
    // No resource policy: denied even for the partner's admin.
    e.expect_code("GetSecretValue", json!({"SecretId": shared}), admin(PARTNER), "AccessDeniedException");
    for arn in [&shared, &default] {
        e.admin("PutResourcePolicy", json!({"SecretId": arn, "ResourcePolicy": grant}));
    }
    assert_eq!(e.ok("GetSecretValue", json!({"SecretId": shared}), admin(PARTNER))["SecretString"], "s3cret");
    // The AWS-managed key's policy allows only its own account (kms:CallerAccount).
    let err = e.expect_code(
        "GetSecretValue",
        json!({"SecretId": default}),
        admin(PARTNER),
        "AccessDeniedException",
    );
    assert!(err.to_string().contains("Access to KMS is not allowed"), "{err}");
    // A partner user without an identity policy is denied: both sides must allow.
    let dave = format!("arn:aws:iam::{PARTNER}:user/dave");
    principal(&mut e.w, &dave, &[]);
    e.expect_code("GetSecretValue", json!({"SecretId": shared}), dave.as_str(), "AccessDeniedException");
    e.w.put_identity_policy(
        &dave,
        "read",
        &allow(&["secretsmanager:GetSecretValue", "kms:Decrypt"], "*").to_string(),
    )
    .unwrap();
    assert_eq!(e.ok("GetSecretValue", json!({"SecretId": shared}), dave.as_str())["SecretString"], "s3cret");
}
