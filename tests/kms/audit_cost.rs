//! The audit log (CloudTrail events for every call, allowed or denied, secrets left out) and the
//! cost estimate.

use secplay::kms::{advance_clock, audit, cost};
use serde_json::{json, Value};

use crate::common::*;

#[test]
fn every_call_is_a_cloudtrail_event_without_secrets() {
    let mut w = world();
    let a = admin(MAIN);
    let key = create_key(&mut w, &a, json!({}));
    let ct = ok(
        &mut w,
        "Encrypt",
        json!({"KeyId": key, "Plaintext": b64(b"top secret"), "EncryptionContext": {"k": "v"}}),
        a.as_str(),
    )["CiphertextBlob"]
        .clone();
    w.add_principal("arn:aws:iam::111122223333:user/bob", None).unwrap();
    let _ = fails(
        &mut w,
        "Decrypt",
        json!({"CiphertextBlob": ct, "EncryptionContext": {"k": "v"}}),
        "arn:aws:iam::111122223333:user/bob",
    );
    let events = audit::filter(&w, &Value::Null).unwrap();
    assert_eq!(events.len(), 3);
    let enc = &events[1];
    assert_eq!(enc["eventSource"], "kms.amazonaws.com");
    assert_eq!(enc["eventName"], "Encrypt");
    assert_eq!(enc["awsRegion"], "us-east-1");
    assert_eq!(enc["eventVersion"], "1.11");
    assert_eq!(enc["readOnly"], true);
    assert_eq!(enc["eventCategory"], "Management");
    assert_eq!(enc["requestParameters"]["keyId"], json!(key));
    assert_eq!(enc["requestParameters"]["encryptionContext"], json!({"k": "v"}));
    assert!(enc["requestParameters"].get("plaintext").is_none());
    assert_eq!(enc["responseElements"], Value::Null);
    assert_eq!(enc["resources"][0]["ARN"], json!(key));
    assert_eq!(enc["userIdentity"]["type"], "AssumedRole");
    let text = serde_json::to_string(&events).unwrap();
    assert!(!text.contains(&b64(b"top secret")), "the plaintext leaked into the audit log");
    assert!(!text.contains(ct.as_str().unwrap()), "the ciphertext is logged");
    let denied = &events[2];
    assert_eq!(denied["errorCode"], "AccessDeniedException");
    assert_eq!(denied["userIdentity"]["type"], "IAMUser");
    assert_eq!(denied["userIdentity"]["userName"], "bob");
    assert!(denied["errorMessage"]
        .as_str()
        .unwrap()
        .starts_with("User: arn:aws:iam::111122223333:user/bob is not authorized"));
    let errors = audit::filter(&w, &json!({"errors": true})).unwrap();
    assert_eq!(errors.len(), 1);
    let creates = audit::filter(&w, &json!({"eventName": "CreateKey"})).unwrap();
    assert_eq!(creates[0]["responseElements"]["keyMetadata"]["Arn"], json!(key));
    assert_eq!(audit::filter(&w, &json!({"keyArn": key, "limit": 1})).unwrap().len(), 1);
    assert_eq!(audit::export(&w)["Records"].as_array().unwrap().len(), 3);
    assert!(audit::filter(&w, &json!({"colour": 1})).is_err());
    ok(&mut w, "ScheduleKeyDeletion", json!({"KeyId": key, "PendingWindowInDays": 7}), a.as_str());
    advance_clock(&mut w, 8 * 86_400).unwrap();
    let deleted = audit::filter(&w, &json!({"eventName": "DeleteKey"})).unwrap();
    assert_eq!(deleted[0]["eventType"], "AwsServiceEvent");
}

#[test]
fn cost_estimate_counts_keys_and_requests() {
    let mut w = world();
    let a = admin(MAIN);
    let key = create_key(&mut w, &a, json!({}));
    for _ in 0..3 {
        ok(&mut w, "Encrypt", json!({"KeyId": key, "Plaintext": b64(b"x")}), a.as_str());
    }
    ok(&mut w, "RotateKeyOnDemand", json!({"KeyId": key}), a.as_str());
    ok(&mut w, "RotateKeyOnDemand", json!({"KeyId": key}), a.as_str());
    ok(&mut w, "RotateKeyOnDemand", json!({"KeyId": key}), a.as_str());
    advance_clock(&mut w, 730 * 3600).unwrap();
    let e = cost::estimate(&w, &json!({"symmetric": 1_020_000, "asymmetric": 10_000})).unwrap();
    assert_eq!(e["pricesAsOf"], cost::PRICES_AS_OF);
    let main = e["accounts"].as_array().unwrap().iter().find(|x| x["account"] == MAIN).unwrap();
    // $1 for the key and $1 for each of its first two rotations (the third is free), for one month.
    assert_eq!(main["keys"][0]["monthly"], 3.0);
    assert_eq!(main["simulated"]["keys"], 3.0);
    // 1,000,000 billed symmetric requests at $0.03 per 10,000 = $3; 10,000 asymmetric at $0.15.
    assert_eq!(e["projection"]["requestCost"], 3.15);
    assert!(cost::estimate(&w, &json!({"gold": 1})).is_err());
}
