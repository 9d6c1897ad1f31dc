//! Properties: a verdict does not depend on the order of rules with distinct priorities, nor on
//! the order of the objects (every permutation of four rules; objects reversed and rotated).

use serde_json::{json, Value};

use secplay::s3::evaluate_replication;

fn scenario() -> Value {
    let mut input = super::common::base("base");
    let rule = |id: &str, prio: i64, filter: Value, sse_kms: bool, status: &str| {
        let mut r = json!({"ID": id, "Priority": prio, "Status": status, "Filter": filter,
            "DeleteMarkerReplication": {"Status": "Disabled"},
            "Destination": {"Bucket": "arn:aws:s3:::dst-bucket"}});
        if sse_kms {
            r["SourceSelectionCriteria"] = json!({"SseKmsEncryptedObjects": {"Status": "Enabled"}});
            r["Destination"]["EncryptionConfiguration"] = input_key(&super::common::base("base"));
        }
        r
    };
    let rules = vec![
        rule("all", 1, json!({"Prefix": ""}), true, "Enabled"),
        rule("docs", 5, json!({"Prefix": "docs/"}), false, "Enabled"),
        rule(
            "tagged",
            9,
            json!({"And": {"Prefix": "docs/", "Tags": [{"Key": "k", "Value": "v"}]}}),
            true,
            "Enabled",
        ),
        rule("off", 7, json!({"Prefix": "docs/x"}), true, "Disabled"),
    ];
    input["replication"]["ReplicationConfiguration"]["Rules"] = Value::Array(rules);
    let mut objects = Vec::new();
    for key in ["docs/a", "docs/x1", "logs/b", "docs/xy"] {
        for enc in ["SSE-KMS", "SSE-S3", "NONE", "SSE-C"] {
            for tagged in [false, true] {
                let mut o = json!({"key": format!("{key}-{enc}-{tagged}"), "encryption": enc});
                if tagged {
                    o["tags"] = json!({"k": "v"});
                }
                objects.push(o);
            }
        }
    }
    input["objects"] = Value::Array(objects);
    input
}

fn input_key(base: &Value) -> Value {
    base["replication"]["ReplicationConfiguration"]["Rules"][0]["Destination"]["EncryptionConfiguration"]
        .clone()
}

fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![vec![]];
    }
    let mut out = Vec::new();
    for p in permutations(n - 1) {
        for i in 0..=p.len() {
            let mut q = p.clone();
            q.insert(i, n - 1);
            out.push(q);
        }
    }
    out
}

#[test]
fn rule_order_does_not_change_any_verdict() {
    let input = scenario();
    let reference = evaluate_replication(&input, None).unwrap();
    assert!(
        reference["configurationErrors"].as_array().unwrap().is_empty(),
        "{}",
        reference["configurationErrors"]
    );
    let rules = input["replication"]["ReplicationConfiguration"]["Rules"].as_array().unwrap().clone();
    for perm in permutations(rules.len()) {
        let mut i = input.clone();
        i["replication"]["ReplicationConfiguration"]["Rules"] =
            Value::Array(perm.iter().map(|&k| rules[k].clone()).collect());
        let got = evaluate_replication(&i, None).unwrap();
        assert_eq!(got["objects"], reference["objects"], "rules in order {perm:?}");
    }
    // The scenario exercises priority: the tagged rule wins over `docs`, `docs` over `all`.
    let by_key =
        |k: &str| reference["objects"].as_array().unwrap().iter().find(|o| o["key"] == k).unwrap().clone();
    assert_eq!(by_key("docs/a-SSE-KMS-true")["destinations"][0]["ruleId"], "tagged");
    assert_eq!(by_key("docs/a-SSE-KMS-false")["destinations"][0]["ruleId"], "docs");
    assert_eq!(by_key("logs/b-SSE-KMS-false")["destinations"][0]["ruleId"], "all");
}

#[test]
fn object_order_does_not_change_any_verdict() {
    let input = scenario();
    let reference = evaluate_replication(&input, None).unwrap();
    let objects = input["objects"].as_array().unwrap().clone();
    let n = objects.len();
    for shift in [1, 7, n - 1] {
        for reverse in [false, true] {
            let mut order: Vec<Value> = (0..n).map(|i| objects[(i + shift) % n].clone()).collect();
            if reverse {
                order.reverse();
            }
            let mut i = input.clone();
            i["objects"] = Value::Array(order);
            let got = evaluate_replication(&i, None).unwrap();
            for o in got["objects"].as_array().unwrap() {
                let r =
                    reference["objects"].as_array().unwrap().iter().find(|r| r["key"] == o["key"]).unwrap();
                assert_eq!(o, r, "shift {shift}, reversed {reverse}");
            }
        }
    }
}
