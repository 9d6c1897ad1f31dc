//! Standard and Advanced tiers ("Managing parameter tiers",
//! https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html):
//! 4 KB vs 8 KB values, 10,000 standard parameters per account and Region, policies only on
//! Advanced, Intelligent-Tiering, upgrade but no downgrade; and the cost estimate.

use serde_json::json;

use crate::common::*;

#[test]
fn value_size_limits_per_tier() {
    let mut e = env();
    let four_k = "x".repeat(4096);
    e.ok("PutParameter", json!({"Name": "/s", "Value": four_k, "Type": "String"}));
    let err = e.code(
        "PutParameter",
        json!({"Name": "/s2", "Value": "x".repeat(4097), "Type": "String"}),
        "ValidationException",
    );
    assert!(err.to_string().contains("maximum parameter value of 4096 characters"), "{err}");
    let v = e.ok(
        "PutParameter",
        json!({"Name": "/a", "Value": "x".repeat(8192), "Type": "String", "Tier": "Advanced"}),
    );
    assert_eq!(v["Tier"], "Advanced");
    e.code(
        "PutParameter",
        json!({"Name": "/a2", "Value": "x".repeat(8193), "Type": "String", "Tier": "Advanced"}),
        "ValidationException",
    );
}

#[test]
fn advanced_secure_strings_up_to_8_kb_use_envelope_encryption() {
    let mut e = env();
    let big = "s".repeat(8000);
    e.ok("PutParameter", json!({"Name": "/big", "Value": big, "Type": "SecureString", "Tier": "Advanced"}));
    assert_eq!(e.audit("GenerateDataKey").len(), 1);
    assert!(e.audit("Encrypt").is_empty());
    let v = e.ok("GetParameter", json!({"Name": "/big", "WithDecryption": true}));
    assert_eq!(v["Parameter"]["Value"], big);
    assert_eq!(e.audit("Decrypt").len(), 1);
}

#[test]
fn intelligent_tiering_picks_advanced_only_when_needed() {
    let mut e = env();
    let small = e.ok(
        "PutParameter",
        json!({"Name": "/it1", "Value": "v", "Type": "String", "Tier": "Intelligent-Tiering"}),
    );
    assert_eq!(small["Tier"], "Standard");
    let big = e.ok(
        "PutParameter",
        json!({"Name": "/it2", "Value": "x".repeat(5000), "Type": "String", "Tier": "Intelligent-Tiering"}),
    );
    assert_eq!(big["Tier"], "Advanced");
    let pol = e.ok(
        "PutParameter",
        json!({"Name": "/it3", "Value": "v", "Type": "String", "Tier": "Intelligent-Tiering",
            "Policies": "[{\"Type\":\"NoChangeNotification\",\"Version\":\"1.0\",\"Attributes\":{\"After\":\"20\",\"Unit\":\"Days\"}}]"}),
    );
    assert_eq!(pol["Tier"], "Advanced");
}

#[test]
fn upgrade_but_never_downgrade() {
    let mut e = env();
    e.put("/p", "v");
    let up =
        e.ok("PutParameter", json!({"Name": "/p", "Value": "v2", "Overwrite": true, "Tier": "Advanced"}));
    assert_eq!(up["Tier"], "Advanced");
    let err = e.code(
        "PutParameter",
        json!({"Name": "/p", "Value": "v3", "Overwrite": true, "Tier": "Standard"}),
        "ValidationException",
    );
    assert!(err.to_string().contains("can't downgrade"), "{err}");
    // No tier given: an advanced parameter stays advanced.
    assert_eq!(
        e.ok("PutParameter", json!({"Name": "/p", "Value": "v4", "Overwrite": true}))["Tier"],
        "Advanced"
    );
}

#[test]
fn policies_only_on_advanced() {
    let mut e = env();
    let pol = "[{\"Type\":\"NoChangeNotification\",\"Version\":\"1.0\",\"Attributes\":{\"After\":\"20\",\"Unit\":\"Days\"}}]";
    e.code(
        "PutParameter",
        json!({"Name": "/p", "Value": "v", "Type": "String", "Policies": pol}),
        "ValidationException",
    );
    e.code(
        "PutParameter",
        json!({"Name": "/p", "Value": "v", "Type": "String", "Tier": "Standard", "Policies": pol}),
        "ValidationException",
    );
    e.ok(
        "PutParameter",
        json!({"Name": "/p", "Value": "v", "Type": "String", "Tier": "Advanced", "Policies": pol}),
    );
}

#[test]
fn ten_thousand_standard_parameters_per_account_and_region() {
    let mut e = env();
    for i in 0..10_000 {
        e.put(&format!("/n/{i}"), "v");
    }
    let err = e.code(
        "PutParameter",
        json!({"Name": "/n/one-more", "Value": "v", "Type": "String"}),
        "ParameterLimitExceeded",
    );
    assert!(err.to_string().contains("10000"), "{err}");
    // Intelligent-Tiering makes it advanced instead; another region has its own count.
    let v = e.ok(
        "PutParameter",
        json!({"Name": "/n/one-more", "Value": "v", "Type": "String", "Tier": "Intelligent-Tiering"}),
    );
    assert_eq!(v["Tier"], "Advanced");
    e.ok_as(
        "PutParameter",
        json!({"Name": "/n/x", "Value": "v", "Type": "String"}),
        json!({"principal": admin(), "region": "eu-west-1"}),
    );
}

#[test]
fn cost_estimate_charges_advanced_parameters_and_higher_throughput_calls() {
    let mut e = env();
    e.put("/s", "v");
    for i in 0..3 {
        e.ok(
            "PutParameter",
            json!({"Name": format!("/a{i}"), "Value": "v", "Type": "String", "Tier": "Advanced"}),
        );
    }
    let c = secplay::ssm::cost::estimate(&e.s, MAIN, "us-east-1", false);
    assert_eq!(c["advancedParameters"], 3);
    assert_eq!(c["standardParameters"], 1);
    assert!((c["totalUsd"].as_f64().unwrap() - 0.15).abs() < 1e-9, "{c}");
    let h = secplay::ssm::cost::estimate(&e.s, MAIN, "us-east-1", true);
    assert_eq!(h["apiInteractions"], 4);
    assert!((h["apiInteractionsUsd"].as_f64().unwrap() - 4.0 / 10_000.0 * 0.05).abs() < 1e-12, "{h}");
}
