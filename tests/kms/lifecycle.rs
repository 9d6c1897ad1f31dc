//! Key lifecycle: CreateKey, DescribeKey, ListKeys, descriptions, enable/disable, deletion on the
//! simulated clock, rotation, key policies and tags, with the documented error cases.

use secplay::kms::advance_clock;
use serde_json::json;

use crate::common::*;

#[test]
fn create_and_describe_a_symmetric_key() {
    let mut w = world();
    let a = admin(MAIN);
    let v = ok(&mut w, "CreateKey", json!({"Description": "app secrets"}), a.as_str());
    let m = &v["KeyMetadata"];
    assert_eq!(m["KeySpec"], "SYMMETRIC_DEFAULT");
    assert_eq!(m["KeyUsage"], "ENCRYPT_DECRYPT");
    assert_eq!(m["KeyState"], "Enabled");
    assert_eq!(m["Enabled"], true);
    assert_eq!(m["AWSAccountId"], MAIN);
    assert_eq!(m["Origin"], "AWS_KMS");
    assert_eq!(m["KeyManager"], "CUSTOMER");
    assert_eq!(m["EncryptionAlgorithms"], json!(["SYMMETRIC_DEFAULT"]));
    let arn = m["Arn"].as_str().unwrap();
    assert!(arn.starts_with("arn:aws:kms:us-east-1:111122223333:key/"), "{arn}");
    let id = m["KeyId"].as_str().unwrap();
    assert_eq!(id.len(), 36);
    let d = ok(&mut w, "DescribeKey", json!({"KeyId": id}), a.as_str());
    assert_eq!(d["KeyMetadata"]["Description"], "app secrets");
    let d2 = ok(&mut w, "DescribeKey", json!({"KeyId": arn}), a.as_str());
    assert_eq!(d, d2);
}

#[test]
fn the_default_key_policy_delegates_to_the_account() {
    let mut w = world();
    let arn = create_key(&mut w, &admin(MAIN), json!({}));
    let p = ok(&mut w, "GetKeyPolicy", json!({"KeyId": arn}), admin(MAIN).as_str());
    assert_eq!(p["PolicyName"], "default");
    let doc: serde_json::Value = serde_json::from_str(p["Policy"].as_str().unwrap()).unwrap();
    assert_eq!(doc["Statement"][0]["Principal"]["AWS"], root(MAIN));
    assert_eq!(doc["Statement"][0]["Action"], "kms:*");
    let l = ok(&mut w, "ListKeyPolicies", json!({"KeyId": arn}), admin(MAIN).as_str());
    assert_eq!(l["PolicyNames"], json!(["default"]));
}

#[test]
fn key_spec_and_usage_must_fit() {
    let mut w = world();
    let a = admin(MAIN);
    expect_code(
        &mut w,
        "CreateKey",
        json!({"KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "SIGN_VERIFY"}),
        a.as_str(),
        "ValidationException",
    );
    expect_code(&mut w, "CreateKey", json!({"KeySpec": "NOPE"}), a.as_str(), "ValidationException");
    expect_code(
        &mut w,
        "CreateKey",
        json!({"KeySpec": "SM2", "KeyUsage": "SIGN_VERIFY"}),
        a.as_str(),
        "ValidationException",
    );
    expect_code(
        &mut w,
        "CreateKey",
        json!({"KeySpec": "HMAC_256", "CustomerMasterKeySpec": "HMAC_256"}),
        a.as_str(),
        "ValidationException",
    );
    expect_code(
        &mut w,
        "CreateKey",
        json!({"CustomKeyStoreId": "cks-1234567890abcdef0"}),
        a.as_str(),
        "CustomKeyStoreNotFoundException",
    );
    expect_code(&mut w, "CreateKey", json!({"Description": 5}), a.as_str(), "SerializationException");
    expect_code(&mut w, "CreateKey", json!({"Colour": "blue"}), a.as_str(), "ValidationException");
    let hmac = ok(&mut w, "CreateKey", json!({"KeySpec": "HMAC_256"}), a.as_str());
    assert_eq!(hmac["KeyMetadata"]["KeyUsage"], "GENERATE_VERIFY_MAC");
    assert_eq!(hmac["KeyMetadata"]["MacAlgorithms"], json!(["HMAC_SHA_256"]));
}

#[test]
fn unknown_keys_and_aliases_are_not_found() {
    let mut w = world();
    let a = admin(MAIN);
    let e = expect_code(
        &mut w,
        "DescribeKey",
        json!({"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab"}),
        a.as_str(),
        "NotFoundException",
    );
    assert!(e.to_string().contains("does not exist"), "{e}");
    expect_code(&mut w, "DescribeKey", json!({"KeyId": "alias/none"}), a.as_str(), "NotFoundException");
    expect_code(&mut w, "DescribeKey", json!({}), a.as_str(), "ValidationException");
}

#[test]
fn list_keys_pages_through_the_region() {
    let mut w = world();
    let a = admin(MAIN);
    for _ in 0..3 {
        create_key(&mut w, &a, json!({}));
    }
    create_key(&mut w, &a, json!({})); // a fourth
    let other_region = json!({"principal": a, "region": "eu-west-1"});
    create_key(&mut w, &a, json!({}));
    let _ = ok(&mut w, "CreateKey", json!({}), other_region.clone());
    let p1 = ok(&mut w, "ListKeys", json!({"Limit": 2}), a.as_str());
    assert_eq!(p1["Keys"].as_array().unwrap().len(), 2);
    assert_eq!(p1["Truncated"], true);
    let p2 = ok(&mut w, "ListKeys", json!({"Limit": 10, "Marker": p1["NextMarker"]}), a.as_str());
    assert_eq!(p2["Keys"].as_array().unwrap().len(), 3);
    assert_eq!(p2["Truncated"], false);
    let eu = ok(&mut w, "ListKeys", json!({}), other_region);
    assert_eq!(eu["Keys"].as_array().unwrap().len(), 1);
    expect_code(&mut w, "ListKeys", json!({"Marker": "zzz"}), a.as_str(), "InvalidMarkerException");
    expect_code(&mut w, "ListKeys", json!({"Limit": 0}), a.as_str(), "ValidationException");
}

#[test]
fn disabled_keys_refuse_cryptography_but_describe() {
    let mut w = world();
    let a = admin(MAIN);
    let arn = create_key(&mut w, &a, json!({}));
    ok(&mut w, "DisableKey", json!({"KeyId": arn}), a.as_str());
    let d = ok(&mut w, "DescribeKey", json!({"KeyId": arn}), a.as_str());
    assert_eq!(d["KeyMetadata"]["KeyState"], "Disabled");
    expect_code(
        &mut w,
        "Encrypt",
        json!({"KeyId": arn, "Plaintext": b64(b"x")}),
        a.as_str(),
        "DisabledException",
    );
    ok(&mut w, "EnableKey", json!({"KeyId": arn}), a.as_str());
    ok(&mut w, "Encrypt", json!({"KeyId": arn, "Plaintext": b64(b"x")}), a.as_str());
    ok(&mut w, "UpdateKeyDescription", json!({"KeyId": arn, "Description": "new"}), a.as_str());
    let d = ok(&mut w, "DescribeKey", json!({"KeyId": arn}), a.as_str());
    assert_eq!(d["KeyMetadata"]["Description"], "new");
}

#[test]
fn deletion_waits_for_its_window_on_the_clock() {
    let mut w = world();
    let a = admin(MAIN);
    let arn = create_key(&mut w, &a, json!({}));
    ok(&mut w, "CreateAlias", json!({"AliasName": "alias/doomed", "TargetKeyId": arn}), a.as_str());
    expect_code(
        &mut w,
        "ScheduleKeyDeletion",
        json!({"KeyId": arn, "PendingWindowInDays": 6}),
        a.as_str(),
        "ValidationException",
    );
    expect_code(
        &mut w,
        "ScheduleKeyDeletion",
        json!({"KeyId": arn, "PendingWindowInDays": 31}),
        a.as_str(),
        "ValidationException",
    );
    let s = ok(&mut w, "ScheduleKeyDeletion", json!({"KeyId": arn, "PendingWindowInDays": 7}), a.as_str());
    assert_eq!(s["KeyState"], "PendingDeletion");
    assert_eq!(s["PendingWindowInDays"], 7);
    assert_eq!(s["DeletionDate"], json!(w.now + 7 * 86_400));
    expect_code(
        &mut w,
        "Encrypt",
        json!({"KeyId": arn, "Plaintext": b64(b"x")}),
        a.as_str(),
        "KMSInvalidStateException",
    );
    expect_code(&mut w, "ScheduleKeyDeletion", json!({"KeyId": arn}), a.as_str(), "KMSInvalidStateException");
    // Cancelled, the key comes back disabled.
    let c = ok(&mut w, "CancelKeyDeletion", json!({"KeyId": arn}), a.as_str());
    assert_eq!(c["KeyId"], json!(arn));
    assert_eq!(
        ok(&mut w, "DescribeKey", json!({"KeyId": arn}), a.as_str())["KeyMetadata"]["KeyState"],
        "Disabled"
    );
    expect_code(&mut w, "CancelKeyDeletion", json!({"KeyId": arn}), a.as_str(), "KMSInvalidStateException");
    ok(&mut w, "ScheduleKeyDeletion", json!({"KeyId": arn, "PendingWindowInDays": 7}), a.as_str());
    let r = advance_clock(&mut w, 6 * 86_400).unwrap();
    assert_eq!(r["events"], json!([]));
    ok(&mut w, "DescribeKey", json!({"KeyId": arn}), a.as_str());
    let r = advance_clock(&mut w, 86_400).unwrap();
    assert_eq!(r["events"][0]["eventName"], "DeleteKey");
    expect_code(&mut w, "DescribeKey", json!({"KeyId": arn}), a.as_str(), "NotFoundException");
    expect_code(&mut w, "DescribeKey", json!({"KeyId": "alias/doomed"}), a.as_str(), "NotFoundException");
}

#[test]
fn automatic_rotation_follows_the_clock_and_old_ciphertexts_decrypt() {
    let mut w = world();
    let a = admin(MAIN);
    let arn = create_key(&mut w, &a, json!({}));
    let ct = ok(&mut w, "Encrypt", json!({"KeyId": arn, "Plaintext": b64(b"before")}), a.as_str())
        ["CiphertextBlob"]
        .clone();
    expect_code(
        &mut w,
        "EnableKeyRotation",
        json!({"KeyId": arn, "RotationPeriodInDays": 89}),
        a.as_str(),
        "ValidationException",
    );
    expect_code(
        &mut w,
        "EnableKeyRotation",
        json!({"KeyId": arn, "RotationPeriodInDays": 2561}),
        a.as_str(),
        "ValidationException",
    );
    ok(&mut w, "EnableKeyRotation", json!({"KeyId": arn, "RotationPeriodInDays": 90}), a.as_str());
    let s = ok(&mut w, "GetKeyRotationStatus", json!({"KeyId": arn}), a.as_str());
    assert_eq!(s["KeyRotationEnabled"], true);
    assert_eq!(s["RotationPeriodInDays"], 90);
    assert_eq!(s["NextRotationDate"], json!(w.now + 90 * 86_400));
    let r = advance_clock(&mut w, 181 * 86_400).unwrap();
    let names: Vec<_> = r["events"].as_array().unwrap().iter().map(|e| e["eventName"].clone()).collect();
    assert_eq!(names, vec![json!("RotateKey"), json!("RotateKey")]);
    let rot = ok(&mut w, "ListKeyRotations", json!({"KeyId": arn}), a.as_str());
    let rows = rot["Rotations"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r["RotationType"] == "AUTOMATIC"));
    let all = ok(
        &mut w,
        "ListKeyRotations",
        json!({"KeyId": arn, "IncludeKeyMaterial": "ALL_KEY_MATERIAL"}),
        a.as_str(),
    );
    assert_eq!(all["Rotations"].as_array().unwrap().len(), 3);
    let d = ok(&mut w, "Decrypt", json!({"CiphertextBlob": ct}), a.as_str());
    assert_eq!(unb64(&d["Plaintext"]), b"before");
    ok(&mut w, "DisableKeyRotation", json!({"KeyId": arn}), a.as_str());
    assert_eq!(
        ok(&mut w, "GetKeyRotationStatus", json!({"KeyId": arn}), a.as_str())["KeyRotationEnabled"],
        false
    );
}

#[test]
fn on_demand_rotation_is_limited_and_keeps_old_material() {
    let mut w = world();
    let a = admin(MAIN);
    let arn = create_key(&mut w, &a, json!({}));
    let ct = ok(&mut w, "Encrypt", json!({"KeyId": arn, "Plaintext": b64(b"old")}), a.as_str())
        ["CiphertextBlob"]
        .clone();
    let first = ok(&mut w, "DescribeKey", json!({"KeyId": arn}), a.as_str())["KeyMetadata"]
        ["CurrentKeyMaterialId"]
        .clone();
    for _ in 0..25 {
        ok(&mut w, "RotateKeyOnDemand", json!({"KeyId": arn}), a.as_str());
    }
    expect_code(&mut w, "RotateKeyOnDemand", json!({"KeyId": arn}), a.as_str(), "LimitExceededException");
    let now = ok(&mut w, "DescribeKey", json!({"KeyId": arn}), a.as_str())["KeyMetadata"]
        ["CurrentKeyMaterialId"]
        .clone();
    assert_ne!(first, now);
    let d = ok(&mut w, "Decrypt", json!({"CiphertextBlob": ct}), a.as_str());
    assert_eq!(d["KeyMaterialId"], first);
    assert_eq!(unb64(&d["Plaintext"]), b"old");
    // Asymmetric keys do not rotate.
    let hmac = create_key(&mut w, &a, json!({"KeySpec": "HMAC_256"}));
    expect_code(
        &mut w,
        "RotateKeyOnDemand",
        json!({"KeyId": hmac}),
        a.as_str(),
        "UnsupportedOperationException",
    );
    expect_code(
        &mut w,
        "EnableKeyRotation",
        json!({"KeyId": hmac}),
        a.as_str(),
        "UnsupportedOperationException",
    );
}

#[test]
fn put_key_policy_has_a_lockout_safety_check() {
    let mut w = world();
    let a = admin(MAIN);
    let arn = create_key(&mut w, &a, json!({}));
    let nobody = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/someone-else"}, "Action": "kms:*", "Resource": "*"}]});
    w.add_principal("arn:aws:iam::111122223333:user/someone-else", None).unwrap();
    expect_code(
        &mut w,
        "PutKeyPolicy",
        json!({"KeyId": arn, "Policy": nobody.to_string()}),
        a.as_str(),
        "MalformedPolicyDocumentException",
    );
    expect_code(
        &mut w,
        "PutKeyPolicy",
        json!({"KeyId": arn, "Policy": "{not json"}),
        a.as_str(),
        "MalformedPolicyDocumentException",
    );
    expect_code(
        &mut w,
        "CreateKey",
        json!({"Policy": nobody.to_string()}),
        a.as_str(),
        "MalformedPolicyDocumentException",
    );
    ok(
        &mut w,
        "PutKeyPolicy",
        json!({"KeyId": arn, "Policy": nobody.to_string(), "BypassPolicyLockoutSafetyCheck": true}),
        a.as_str(),
    );
    // Now locked out: even the account's administrators cannot use or manage the key.
    expect_code(&mut w, "DescribeKey", json!({"KeyId": arn}), a.as_str(), "AccessDeniedException");
    expect_code(
        &mut w,
        "PutKeyPolicy",
        json!({"KeyId": arn, "Policy": nobody.to_string()}),
        a.as_str(),
        "AccessDeniedException",
    );
}

#[test]
fn tags_are_listed_bounded_and_aws_prefix_is_reserved() {
    let mut w = world();
    let a = admin(MAIN);
    let arn = create_key(&mut w, &a, json!({"Tags": [{"TagKey": "team", "TagValue": "blue"}]}));
    ok(
        &mut w,
        "TagResource",
        json!({"KeyId": arn, "Tags": [{"TagKey": "env", "TagValue": "prod"}]}),
        a.as_str(),
    );
    let t = ok(&mut w, "ListResourceTags", json!({"KeyId": arn}), a.as_str());
    assert_eq!(
        t["Tags"],
        json!([{"TagKey": "env", "TagValue": "prod"}, {"TagKey": "team", "TagValue": "blue"}])
    );
    ok(&mut w, "UntagResource", json!({"KeyId": arn, "TagKeys": ["team"]}), a.as_str());
    let t = ok(&mut w, "ListResourceTags", json!({"KeyId": arn}), a.as_str());
    assert_eq!(t["Tags"].as_array().unwrap().len(), 1);
    expect_code(
        &mut w,
        "TagResource",
        json!({"KeyId": arn, "Tags": [{"TagKey": "aws:x", "TagValue": "y"}]}),
        a.as_str(),
        "TagException",
    );
    let many: Vec<_> = (0..51).map(|i| json!({"TagKey": format!("k{i}"), "TagValue": "v"})).collect();
    expect_code(&mut w, "TagResource", json!({"KeyId": arn, "Tags": many}), a.as_str(), "TagException");
}

#[test]
fn unknown_callers_and_operations_are_refused() {
    let mut w = world();
    expect_code(
        &mut w,
        "ListKeys",
        json!({}),
        "arn:aws:iam::111122223333:user/ghost",
        "UnrecognizedClientException",
    );
    expect_code(
        &mut w,
        "ListKeys",
        json!({}),
        json!({"principal": admin(MAIN), "region": "mars-1"}),
        "UnrecognizedClientException",
    );
    expect_code(
        &mut w,
        "ListKeys",
        json!({}),
        json!({"principal": admin(MAIN), "colour": 1}),
        "SerializationException",
    );
    expect_code(&mut w, "FlyToTheMoon", json!({}), admin(MAIN).as_str(), "UnknownOperationException");
    expect_code(
        &mut w,
        "CreateCustomKeyStore",
        json!({}),
        admin(MAIN).as_str(),
        "CustomKeyStoreNotFoundException",
    );
    expect_code(&mut w, "ListKeys", json!([1, 2]), admin(MAIN).as_str(), "SerializationException");
}
