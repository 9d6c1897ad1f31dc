//! AWS-managed keys: created on first use through a service, usable only through that service
//! in that account, readable by the account, unchangeable, free, rotating yearly.
//!
//! From the KMS developer guide, "AWS managed keys"
//! (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key) and
//! "Key policies for AWS managed keys" (…/key-policy-default.html): the policy allows use through
//! the service for principals of the account (`kms:ViaService`, `kms:CallerAccount`) and
//! `Describe*`, `Get*`, `List*` to the account; you cannot change or delete these keys.

use secplay::kms::{advance_clock, audit, cost, World};
use serde_json::{json, Value};

use crate::common::*;

const S3: &str = "s3.us-east-1.amazonaws.com";

fn via(principal: &str, service: &str) -> Value {
    json!({"principal": principal, "viaService": service})
}

/// Encrypts under `alias/aws/s3` through S3 as the main account's admin; returns the response.
fn first_use(w: &mut World) -> Value {
    ok(w, "GenerateDataKey", json!({"KeyId": "alias/aws/s3", "KeySpec": "AES_256"}), via(&admin(MAIN), S3))
}

#[test]
fn the_first_call_through_the_service_creates_the_key() {
    let mut w = world();
    expect_code(&mut w, "DescribeKey", json!({"KeyId": "alias/aws/s3"}), admin(MAIN), "NotFoundException");
    let r = first_use(&mut w);
    let arn = r["KeyId"].as_str().unwrap().to_string();
    let m = ok(&mut w, "DescribeKey", json!({"KeyId": "alias/aws/s3"}), admin(MAIN))["KeyMetadata"].clone();
    assert_eq!(m["Arn"], arn.as_str());
    assert_eq!(m["KeyManager"], "AWS");
    assert_eq!(m["KeyState"], "Enabled");
    let rot = ok(&mut w, "GetKeyRotationStatus", json!({"KeyId": arn}), admin(MAIN));
    assert_eq!(rot["KeyRotationEnabled"], true);
    assert_eq!(rot["RotationPeriodInDays"], 365);
    let created = audit::filter(&w, &json!({"eventName": "CreateKey", "keyArn": arn})).unwrap();
    assert_eq!(created.len(), 1, "the creation is a service event");
    // The same alias through the same service finds the same key.
    assert_eq!(first_use(&mut w)["KeyId"], arn.as_str());
    // Another service's call does not create the S3 key, and names nothing there.
    let mut w2 = world();
    expect_code(
        &mut w2,
        "Encrypt",
        json!({"KeyId": "alias/aws/s3", "Plaintext": b64(b"x")}),
        via(&admin(MAIN), "lambda.us-east-1.amazonaws.com"),
        "NotFoundException",
    );
}

#[test]
fn only_calls_through_the_service_in_the_account_may_use_it() {
    let mut w = world();
    let arn = first_use(&mut w)["KeyId"].as_str().unwrap().to_string();
    let ct = ok(&mut w, "Encrypt", json!({"KeyId": arn, "Plaintext": b64(b"obj")}), via(&admin(MAIN), S3));
    // Directly (not through S3), even the account's administrator is denied.
    let e = expect_code(
        &mut w,
        "Decrypt",
        json!({"CiphertextBlob": ct["CiphertextBlob"]}),
        admin(MAIN),
        "AccessDeniedException",
    );
    assert!(e.to_string().contains("kms:Decrypt"), "{e}");
    let d = ok(&mut w, "Decrypt", json!({"CiphertextBlob": ct["CiphertextBlob"]}), via(&admin(MAIN), S3));
    assert_eq!(unb64(&d["Plaintext"]), b"obj");
    // Through another service: denied.
    expect_code(
        &mut w,
        "Decrypt",
        json!({"CiphertextBlob": ct["CiphertextBlob"]}),
        via(&admin(MAIN), "ec2.us-east-1.amazonaws.com"),
        "AccessDeniedException",
    );
    // Another account, through S3 and by ARN: kms:CallerAccount does not match.
    expect_code(
        &mut w,
        "Encrypt",
        json!({"KeyId": arn, "Plaintext": b64(b"x")}),
        via(&admin(PARTNER), S3),
        "AccessDeniedException",
    );
    // The account may read its metadata and policy.
    let p = ok(&mut w, "GetKeyPolicy", json!({"KeyId": arn}), admin(MAIN));
    assert!(p["Policy"].as_str().unwrap().contains(S3));
    ok(&mut w, "ListResourceTags", json!({"KeyId": arn}), admin(MAIN));
}

#[test]
fn nobody_can_change_or_delete_it() {
    let mut w = world();
    let arn = first_use(&mut w)["KeyId"].as_str().unwrap().to_string();
    let open = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": root(MAIN)}, "Action": "kms:*", "Resource": "*"}]})
    .to_string();
    for (op, req) in [
        ("PutKeyPolicy", json!({"KeyId": arn, "Policy": open, "BypassPolicyLockoutSafetyCheck": true})),
        ("ScheduleKeyDeletion", json!({"KeyId": arn})),
        ("DisableKey", json!({"KeyId": arn})),
        ("DisableKeyRotation", json!({"KeyId": arn})),
        ("UpdateKeyDescription", json!({"KeyId": arn, "Description": "mine"})),
        ("TagResource", json!({"KeyId": arn, "Tags": [{"TagKey": "a", "TagValue": "b"}]})),
    ] {
        expect_code(&mut w, op, req.clone(), admin(MAIN), "AccessDeniedException");
        expect_code(&mut w, op, req, via(&admin(MAIN), S3), "AccessDeniedException");
    }
    expect_code(
        &mut w,
        "CreateAlias",
        json!({"AliasName": "alias/aws/mine", "TargetKeyId": arn}),
        admin(MAIN),
        "NotAuthorizedException",
    );
}

#[test]
fn it_is_free_and_rotates_every_year() {
    let mut w = world();
    let arn = first_use(&mut w)["KeyId"].as_str().unwrap().to_string();
    advance_clock(&mut w, 366 * 86_400).unwrap();
    let rot = ok(&mut w, "ListKeyRotations", json!({"KeyId": arn}), admin(MAIN));
    assert_eq!(rot["Rotations"].as_array().unwrap().len(), 1, "{rot}");
    assert_eq!(rot["Rotations"][0]["RotationType"], "AUTOMATIC");
    let e = cost::estimate(&w, &Value::Null).unwrap();
    let key = e["accounts"][0]["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["keyArn"] == arn.as_str())
        .unwrap()
        .clone();
    assert_eq!(key["monthly"], 0.0, "AWS-managed keys are free: {key}");
}
