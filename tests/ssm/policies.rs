//! Parameter policies on the simulated clock ("Assigning parameter policies in Parameter Store",
//! https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-policies.html).

use secplay::kms::time::DAY;
use secplay::ssm::advance;
use serde_json::{json, Value};

use crate::common::*;

fn put_with(e: &mut Env, name: &str, policies: Value) -> Value {
    e.ok("PutParameter", json!({"Name": name, "Value": "v", "Type": "String", "Tier": "Advanced", "Policies": policies.to_string()}))
}

#[test]
fn expiration_deletes_and_notifications_fire_on_the_clock() {
    let mut e = env();
    // The clock starts at 2026-01-01T00:00:00Z; the parameter expires 30 days later.
    put_with(
        &mut e,
        "/ttl",
        json!([
            {"Type": "Expiration", "Version": "1.0", "Attributes": {"Timestamp": "2026-01-31T00:00:00.000Z"}},
            {"Type": "ExpirationNotification", "Version": "1.0", "Attributes": {"Before": "5", "Unit": "Days"}},
            {"Type": "NoChangeNotification", "Version": "1.0", "Attributes": {"After": "10", "Unit": "Days"}}
        ]),
    );
    let d = e.ok("DescribeParameters", json!({}));
    let statuses: Vec<_> = d["Parameters"][0]["Policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["PolicyStatus"].clone())
        .collect();
    assert_eq!(statuses, vec![json!("Pending"); 3]);
    let kinds = |v: &Value| -> Vec<String> {
        v["parameterEvents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["detail"]["policy-type"].as_str().unwrap().to_string())
            .collect()
    };
    let a = advance(&mut e.s, &mut e.w, 9 * DAY).unwrap();
    assert!(kinds(&a).is_empty());
    let b = advance(&mut e.s, &mut e.w, DAY).unwrap();
    assert_eq!(kinds(&b), ["NoChangeNotification"]);
    let c = advance(&mut e.s, &mut e.w, 15 * DAY).unwrap();
    assert_eq!(kinds(&c), ["ExpirationNotification"]);
    assert_eq!(c["parameterEvents"][0]["detail-type"], "Parameter Store Policy Action");
    assert_eq!(c["parameterEvents"][0]["time"], "2026-01-26T00:00:00Z");
    e.ok("GetParameter", json!({"Name": "/ttl"}));
    let f = advance(&mut e.s, &mut e.w, 5 * DAY).unwrap();
    assert_eq!(kinds(&f), ["Expiration"]);
    e.code("GetParameter", json!({"Name": "/ttl"}), "ParameterNotFound");
}

#[test]
fn a_change_resets_no_change_notification() {
    let mut e = env();
    put_with(
        &mut e,
        "/nc",
        json!([{"Type": "NoChangeNotification", "Version": "1.0", "Attributes": {"After": "48", "Unit": "Hours"}}]),
    );
    advance(&mut e.s, &mut e.w, DAY).unwrap();
    e.ok("PutParameter", json!({"Name": "/nc", "Value": "v2", "Overwrite": true, "Policies": json!([{"Type": "NoChangeNotification", "Version": "1.0", "Attributes": {"After": "48", "Unit": "Hours"}}]).to_string()}));
    let a = advance(&mut e.s, &mut e.w, DAY + 3600).unwrap();
    assert_eq!(a["parameterEvents"].as_array().unwrap().len(), 0);
    let b = advance(&mut e.s, &mut e.w, DAY).unwrap();
    assert_eq!(b["parameterEvents"].as_array().unwrap().len(), 1);
}

#[test]
fn policy_errors() {
    let mut e = env();
    let put = |e: &mut Env, p: Value, code: &str| {
        e.code("PutParameter", json!({"Name": "/p", "Value": "v", "Type": "String", "Tier": "Advanced", "Policies": p.to_string()}), code);
    };
    put(
        &mut e,
        json!([{"Type": "Rotation", "Version": "1.0", "Attributes": {}}]),
        "InvalidPolicyTypeException",
    );
    put(
        &mut e,
        json!([{"Type": "Expiration", "Version": "1.0", "Attributes": {"Timestamp": "tomorrow"}}]),
        "InvalidPolicyAttributeException",
    );
    put(
        &mut e,
        json!([{"Type": "Expiration", "Version": "1.0", "Attributes": {"Timestamp": "2025-01-01T00:00:00Z"}}]),
        "InvalidPolicyAttributeException",
    );
    put(
        &mut e,
        json!([{"Type": "NoChangeNotification", "Version": "1.0", "Attributes": {"After": "2", "Unit": "Weeks"}}]),
        "InvalidPolicyAttributeException",
    );
    let two = json!({"Type": "NoChangeNotification", "Version": "1.0", "Attributes": {"After": "2", "Unit": "Days"}});
    put(&mut e, json!([two.clone(), two.clone()]), "IncompatiblePolicyException");
    put(&mut e, Value::Array(vec![two; 11]), "PoliciesLimitExceededException");
}

#[test]
fn a_notification_already_due_when_written_fires_at_once() {
    let mut e = env();
    // Expires in one day, notify two days before: the notification is due at once.
    put_with(
        &mut e,
        "/soon",
        json!([
            {"Type": "Expiration", "Version": "1.0", "Attributes": {"Timestamp": "2026-01-02T00:00:00Z"}},
            {"Type": "ExpirationNotification", "Version": "1.0", "Attributes": {"Before": "2", "Unit": "Days"}}
        ]),
    );
    let kinds: Vec<_> = e.s.events.iter().map(|v| v["detail-type"].as_str().unwrap().to_string()).collect();
    assert_eq!(kinds, ["Parameter Store Change", "Parameter Store Policy Action"]);
}
