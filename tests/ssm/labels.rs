//! Versions, history and labels (LabelParameterVersion rules:
//! https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_LabelParameterVersion.html;
//! 100 versions: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html#API_PutParameter_Errors).

use serde_json::{json, Value};

use crate::common::*;

fn three_versions(e: &mut Env) {
    e.put("/l", "v1");
    e.ok("PutParameter", json!({"Name": "/l", "Value": "v2", "Overwrite": true}));
    e.ok("PutParameter", json!({"Name": "/l", "Value": "v3", "Overwrite": true}));
}

#[test]
fn a_label_selects_a_version_and_moves_between_versions() {
    let mut e = env();
    three_versions(&mut e);
    let v = e.ok("LabelParameterVersion", json!({"Name": "/l", "ParameterVersion": 1, "Labels": ["prod"]}));
    assert_eq!(v, json!({"ParameterVersion": 1}));
    assert_eq!(e.ok("GetParameter", json!({"Name": "/l:prod"}))["Parameter"]["Value"], "v1");
    assert_eq!(e.ok("GetParameter", json!({"Name": "/l:prod"}))["Parameter"]["Selector"], ":prod");
    // Moving the label to version 2 takes it off version 1.
    e.ok("LabelParameterVersion", json!({"Name": "/l", "ParameterVersion": 2, "Labels": ["prod"]}));
    assert_eq!(e.ok("GetParameter", json!({"Name": "/l:prod"}))["Parameter"]["Value"], "v2");
    let h = e.ok("GetParameterHistory", json!({"Name": "/l"}));
    assert!(h["Parameters"][0].get("Labels").is_none());
    assert_eq!(h["Parameters"][1]["Labels"], json!(["prod"]));
    // Without a version: the latest.
    assert_eq!(
        e.ok("LabelParameterVersion", json!({"Name": "/l", "Labels": ["latest-ok"]}))["ParameterVersion"],
        3
    );
    e.code("GetParameter", json!({"Name": "/l:nolabel"}), "ParameterVersionNotFound");
    e.code(
        "LabelParameterVersion",
        json!({"Name": "/l", "ParameterVersion": 9, "Labels": ["x"]}),
        "ParameterVersionNotFound",
    );
    e.code("LabelParameterVersion", json!({"Name": "/none", "Labels": ["x"]}), "ParameterNotFound");
}

#[test]
fn labels_breaking_the_rules_come_back_invalid() {
    let mut e = env();
    three_versions(&mut e);
    let long = "a".repeat(101);
    let v = e.ok("LabelParameterVersion", json!({"Name": "/l", "Labels": ["ok.label-1_x", "1starts-with-digit", "awsname", "SSMname", "has space"]}));
    assert_eq!(v["InvalidLabels"], json!(["1starts-with-digit", "awsname", "SSMname", "has space"]));
    e.code("LabelParameterVersion", json!({"Name": "/l", "Labels": [long]}), "ValidationException");
}

#[test]
fn at_most_ten_labels_per_version() {
    let mut e = env();
    three_versions(&mut e);
    let ten: Vec<String> = (0..10).map(|i| format!("l{i}")).collect();
    e.ok("LabelParameterVersion", json!({"Name": "/l", "ParameterVersion": 1, "Labels": ten}));
    e.code(
        "LabelParameterVersion",
        json!({"Name": "/l", "ParameterVersion": 1, "Labels": ["eleventh"]}),
        "ParameterVersionLabelLimitExceeded",
    );
    // Re-attaching one it already has is fine.
    e.ok("LabelParameterVersion", json!({"Name": "/l", "ParameterVersion": 1, "Labels": ["l0"]}));
    let u =
        e.ok("UnlabelParameterVersion", json!({"Name": "/l", "ParameterVersion": 1, "Labels": ["l0", "zz"]}));
    assert_eq!(u, json!({"RemovedLabels": ["l0"], "InvalidLabels": ["zz"]}));
}

#[test]
fn history_keeps_100_versions_and_a_labelled_oldest_blocks_the_101st() {
    let mut e = env();
    e.put("/h", "0");
    for i in 1..100 {
        e.ok("PutParameter", json!({"Name": "/h", "Value": i.to_string(), "Overwrite": true}));
    }
    let versions = |e: &mut Env| -> Vec<i64> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut req = json!({"Name": "/h", "MaxResults": 50});
            if let Some(t) = &token {
                req["NextToken"] = json!(t);
            }
            let v = e.ok("GetParameterHistory", req);
            out.extend(v["Parameters"].as_array().unwrap().iter().map(|p| p["Version"].as_i64().unwrap()));
            match v.get("NextToken").and_then(Value::as_str) {
                Some(t) => token = Some(t.to_string()),
                None => return out,
            }
        }
    };
    assert_eq!(versions(&mut e).len(), 100);
    e.ok("PutParameter", json!({"Name": "/h", "Value": "101st", "Overwrite": true}));
    let v = versions(&mut e);
    assert_eq!((v.len(), v[0], v[99]), (100, 2, 101));
    e.code("GetParameter", json!({"Name": "/h:1"}), "ParameterVersionNotFound");
    e.ok("LabelParameterVersion", json!({"Name": "/h", "ParameterVersion": 2, "Labels": ["keep"]}));
    let err = e.code(
        "PutParameter",
        json!({"Name": "/h", "Value": "102nd", "Overwrite": true}),
        "ParameterMaxVersionLimitExceeded",
    );
    assert!(err.to_string().contains("Version 2, the oldest version, can't be deleted"), "{err}");
}
