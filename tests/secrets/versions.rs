//! Versions and staging labels: PutSecretValue, GetSecretValue by version and label,
//! UpdateSecretVersionStage, ListSecretVersionIds, deprecated versions and the version quota.

use secplay::kms::advance_clock;
use serde_json::json;

use crate::common::*;

fn stages(e: &mut Env, id: &str) -> serde_json::Value {
    e.admin("DescribeSecret", json!({"SecretId": id}))["VersionIdsToStages"].clone()
}

#[test]
fn put_secret_value_moves_awscurrent_and_awsprevious_and_deprecates_the_oldest() {
    // API_PutSecretValue.html: without VersionStages the new version gets AWSCURRENT, and
    // AWSPREVIOUS moves to the version AWSCURRENT left. API_DescribeSecret.html: a version
    // without labels is deprecated and not listed in VersionIdsToStages.
    let mut e = Env::new();
    let v1 = e.admin("CreateSecret", json!({"Name": "p", "SecretString": "1"}))["VersionId"]
        .as_str()
        .unwrap()
        .to_string();
    let v2 = e.admin("PutSecretValue", json!({"SecretId": "p", "SecretString": "2"}));
    assert_eq!(v2["VersionStages"], json!(["AWSCURRENT"]));
    let v2 = v2["VersionId"].as_str().unwrap().to_string();
    let v3 = e.admin("PutSecretValue", json!({"SecretId": "p", "SecretString": "3"}))["VersionId"]
        .as_str()
        .unwrap()
        .to_string();
    let s = stages(&mut e, "p");
    assert_eq!(s[&v3], json!(["AWSCURRENT"]));
    assert_eq!(s[&v2], json!(["AWSPREVIOUS"]));
    assert!(s.get(&v1).is_none(), "v1 is deprecated: {s}");
    assert_eq!(
        e.admin("GetSecretValue", json!({"SecretId": "p", "VersionStage": "AWSPREVIOUS"}))["SecretString"],
        "2"
    );
    // A deprecated version is still readable by id until Secrets Manager removes it.
    assert_eq!(e.admin("GetSecretValue", json!({"SecretId": "p", "VersionId": v1}))["SecretString"], "1");
    // API_ListSecretVersionIds.html: IncludeDeprecated shows versions without labels.
    let listed = e.admin("ListSecretVersionIds", json!({"SecretId": "p"}));
    assert_eq!(listed["Versions"].as_array().unwrap().len(), 2);
    let listed = e.admin("ListSecretVersionIds", json!({"SecretId": "p", "IncludeDeprecated": true}));
    assert_eq!(listed["Versions"].as_array().unwrap().len(), 3);
}

#[test]
fn put_secret_value_with_version_stages_leaves_awscurrent_but_the_first_version_always_gets_it() {
    // API_PutSecretValue.html: "If this operation creates the first version for the secret, then
    // Secrets Manager automatically attaches the staging label AWSCURRENT to it."
    let mut e = Env::new();
    e.admin("CreateSecret", json!({"Name": "s"}));
    e.expect_code("GetSecretValue", json!({"SecretId": "s"}), admin(MAIN), "ResourceNotFoundException");
    let first =
        e.admin("PutSecretValue", json!({"SecretId": "s", "SecretString": "a", "VersionStages": ["custom"]}));
    let mut got = first["VersionStages"].as_array().unwrap().clone();
    got.sort_by_key(|v| v.as_str().unwrap().to_string());
    assert_eq!(got, [json!("AWSCURRENT"), json!("custom")]);
    let pending = e.admin(
        "PutSecretValue",
        json!({"SecretId": "s", "SecretString": "b", "VersionStages": ["AWSPENDING"]}),
    );
    assert_eq!(pending["VersionStages"], json!(["AWSPENDING"]));
    assert_eq!(e.current("s"), "a");
    assert_eq!(
        e.admin("GetSecretValue", json!({"SecretId": "s", "VersionStage": "AWSPENDING"}))["SecretString"],
        "b"
    );
    // A label is on one version at a time: `custom` moves.
    e.admin("PutSecretValue", json!({"SecretId": "s", "SecretString": "c", "VersionStages": ["custom"]}));
    assert_eq!(
        e.admin("GetSecretValue", json!({"SecretId": "s", "VersionStage": "custom"}))["SecretString"],
        "c"
    );
    assert_eq!(e.current("s"), "a");
}

#[test]
fn put_secret_value_client_request_token_is_idempotent_for_the_same_value_only() {
    // API_PutSecretValue.html: same ClientRequestToken and data → succeeds and does nothing;
    // different data → fails (ResourceExistsException).
    let mut e = Env::new();
    e.admin("CreateSecret", json!({"Name": "i", "SecretString": "a"}));
    let t = token(7);
    let one =
        e.admin("PutSecretValue", json!({"SecretId": "i", "SecretString": "b", "ClientRequestToken": t}));
    let two =
        e.admin("PutSecretValue", json!({"SecretId": "i", "SecretString": "b", "ClientRequestToken": t}));
    assert_eq!(one["VersionId"], t);
    assert_eq!(two["VersionId"], t);
    assert_eq!(
        e.admin("ListSecretVersionIds", json!({"SecretId": "i"}))["Versions"].as_array().unwrap().len(),
        2
    );
    e.expect_code(
        "PutSecretValue",
        json!({"SecretId": "i", "SecretString": "c", "ClientRequestToken": t}),
        admin(MAIN),
        "ResourceExistsException",
    );
    e.expect_code(
        "PutSecretValue",
        json!({"SecretId": "i", "SecretString": "c", "ClientRequestToken": "short"}),
        admin(MAIN),
        "InvalidParameterException",
    );
    e.expect_code("PutSecretValue", json!({"SecretId": "i"}), admin(MAIN), "InvalidParameterException");
}

#[test]
fn get_secret_value_version_id_and_stage_must_name_the_same_version() {
    // API_GetSecretValue.html: VersionId and VersionStage together must match one version.
    let mut e = Env::new();
    let v1 = e.admin("CreateSecret", json!({"Name": "g", "SecretString": "1"}))["VersionId"].clone();
    e.admin("PutSecretValue", json!({"SecretId": "g", "SecretString": "2"}));
    let ok =
        e.admin("GetSecretValue", json!({"SecretId": "g", "VersionId": v1, "VersionStage": "AWSPREVIOUS"}));
    assert_eq!(ok["SecretString"], "1");
    e.expect_code(
        "GetSecretValue",
        json!({"SecretId": "g", "VersionId": v1, "VersionStage": "AWSCURRENT"}),
        admin(MAIN),
        "ResourceNotFoundException",
    );
    e.expect_code(
        "GetSecretValue",
        json!({"SecretId": "g", "VersionStage": "nope"}),
        admin(MAIN),
        "ResourceNotFoundException",
    );
}

#[test]
fn update_secret_version_stage_rolls_back_awscurrent_only_naming_its_holder() {
    // API_UpdateSecretVersionStage.html: a label attached elsewhere needs RemoveFromVersionId;
    // moving AWSCURRENT moves AWSPREVIOUS to the version it left.
    let mut e = Env::new();
    let v1 = e.admin("CreateSecret", json!({"Name": "u", "SecretString": "1"}))["VersionId"]
        .as_str()
        .unwrap()
        .to_string();
    let v2 = e.admin("PutSecretValue", json!({"SecretId": "u", "SecretString": "2"}))["VersionId"]
        .as_str()
        .unwrap()
        .to_string();
    e.expect_code(
        "UpdateSecretVersionStage",
        json!({"SecretId": "u", "VersionStage": "AWSCURRENT", "MoveToVersionId": v1}),
        admin(MAIN),
        "InvalidParameterException",
    );
    e.expect_code(
        "UpdateSecretVersionStage",
        json!({"SecretId": "u", "VersionStage": "AWSCURRENT", "MoveToVersionId": v1, "RemoveFromVersionId": v1}),
        admin(MAIN),
        "InvalidParameterException",
    );
    e.admin(
        "UpdateSecretVersionStage",
        json!({"SecretId": "u", "VersionStage": "AWSCURRENT", "MoveToVersionId": v1, "RemoveFromVersionId": v2}),
    );
    assert_eq!(e.current("u"), "1");
    let s = stages(&mut e, "u");
    assert_eq!(s[&v1], json!(["AWSCURRENT"]));
    assert_eq!(s[&v2], json!(["AWSPREVIOUS"]));
    // AWSCURRENT cannot just be removed; a custom label can.
    e.expect_code(
        "UpdateSecretVersionStage",
        json!({"SecretId": "u", "VersionStage": "AWSCURRENT", "RemoveFromVersionId": v1}),
        admin(MAIN),
        "InvalidParameterException",
    );
    e.admin(
        "UpdateSecretVersionStage",
        json!({"SecretId": "u", "VersionStage": "blue", "MoveToVersionId": v2}),
    );
    e.admin(
        "UpdateSecretVersionStage",
        json!({"SecretId": "u", "VersionStage": "blue", "RemoveFromVersionId": v2}),
    );
    e.expect_code(
        "GetSecretValue",
        json!({"SecretId": "u", "VersionStage": "blue"}),
        admin(MAIN),
        "ResourceNotFoundException",
    );
}

#[test]
fn a_version_carries_at_most_20_labels() {
    // Model: SecretVersionStagesType is a list of 1 to 20 labels.
    let mut e = Env::new();
    e.admin("CreateSecret", json!({"Name": "l", "SecretString": "1"}));
    let labels: Vec<String> = (0..21).map(|i| format!("l{i}")).collect();
    e.expect_code(
        "PutSecretValue",
        json!({"SecretId": "l", "SecretString": "2", "VersionStages": labels}),
        admin(MAIN),
        "InvalidParameterException",
    );
}

#[test]
fn beyond_100_versions_only_deprecated_versions_older_than_a_day_are_removed() {
    // reference_limits.html: "Secrets Manager removes unlabeled versions when there are more than
    // 100, but it does not remove versions created less than 24 hours ago."
    let mut e = Env::new();
    e.admin("CreateSecret", json!({"Name": "q", "SecretString": "0"}));
    for i in 1..100 {
        e.admin("PutSecretValue", json!({"SecretId": "q", "SecretString": i.to_string()}));
    }
    let count = |e: &mut Env| {
        e.admin(
            "ListSecretVersionIds",
            json!({"SecretId": "q", "IncludeDeprecated": true, "MaxResults": 100}),
        )["Versions"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(count(&mut e), 100);
    e.expect_code(
        "PutSecretValue",
        json!({"SecretId": "q", "SecretString": "x"}),
        admin(MAIN),
        "LimitExceededException",
    );
    advance_clock(&mut e.w, DAY).unwrap();
    e.admin("PutSecretValue", json!({"SecretId": "q", "SecretString": "101"}));
    assert_eq!(count(&mut e), 100, "the oldest deprecated version made room");
    assert_eq!(e.current("q"), "101");
    assert_eq!(
        e.admin("GetSecretValue", json!({"SecretId": "q", "VersionStage": "AWSPREVIOUS"}))["SecretString"],
        "99"
    );
}
