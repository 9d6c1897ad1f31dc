//! CreateSecret, DescribeSecret, ListSecrets, UpdateSecret, DeleteSecret and RestoreSecret, with
//! the rules of the Secrets Manager API Reference
//! (<https://docs.aws.amazon.com/secretsmanager/latest/apireference/>), each test naming its page.

use secplay::kms::advance_clock;
use serde_json::json;

use crate::common::*;

#[test]
fn create_secret_then_get_secret_value_returns_the_string_under_awscurrent() {
    // API_CreateSecret.html: a value given at creation is the first version, labelled AWSCURRENT.
    let mut e = Env::new();
    let out =
        e.admin("CreateSecret", json!({"Name": "prod/db", "SecretString": "{\"password\":\"hunter2\"}"}));
    let arn = out["ARN"].as_str().unwrap();
    assert!(arn.starts_with(&format!("arn:aws:secretsmanager:us-east-1:{MAIN}:secret:prod/db-")), "{arn}");
    // API_CreateSecret.html: six random characters after a hyphen end the ARN.
    let suffix = arn.rsplit('-').next().unwrap();
    assert_eq!(suffix.len(), 6);
    assert!(suffix.bytes().all(|b| b.is_ascii_alphanumeric()));
    let got = e.admin("GetSecretValue", json!({"SecretId": "prod/db"}));
    assert_eq!(got["SecretString"], "{\"password\":\"hunter2\"}");
    assert_eq!(got["VersionStages"], json!(["AWSCURRENT"]));
    assert_eq!(got["VersionId"], out["VersionId"]);
    assert_eq!(got["ARN"], out["ARN"]);
}

#[test]
fn secret_binary_round_trips_as_base64() {
    // API_GetSecretValue.html: SecretBinary comes back base64-encoded over the JSON API.
    let mut e = Env::new();
    e.admin("CreateSecret", json!({"Name": "bin", "SecretBinary": "AAEC/w=="}));
    let got = e.admin("GetSecretValue", json!({"SecretId": "bin"}));
    assert_eq!(got["SecretBinary"], "AAEC/w==");
    assert!(got.get("SecretString").is_none());
}

#[test]
fn create_secret_refuses_both_string_and_binary_and_bad_names() {
    // API_CreateSecret.html: "Either SecretString or SecretBinary must have a value, but not both";
    // names use ASCII letters, numbers and /_+=.@-
    let mut e = Env::new();
    e.expect_code(
        "CreateSecret",
        json!({"Name": "x", "SecretString": "a", "SecretBinary": "AA=="}),
        admin(MAIN),
        "InvalidParameterException",
    );
    e.expect_code("CreateSecret", json!({"Name": "bad name!"}), admin(MAIN), "InvalidParameterException");
    e.expect_code("CreateSecret", json!({"Name": "x".repeat(513)}), admin(MAIN), "InvalidParameterException");
    e.expect_code("CreateSecret", json!({"Name": "x", "Bogus": 1}), admin(MAIN), "InvalidParameterException");
    e.admin("CreateSecret", json!({"Name": "a/b_c+d=e.f@g-h"}));
}

#[test]
fn create_secret_with_an_existing_name_is_resource_exists_unless_the_same_request_again() {
    // API_CreateSecret.html, ClientRequestToken: same token and value → ignored; other value → fails.
    let mut e = Env::new();
    let t = token(1);
    let first = e.admin("CreateSecret", json!({"Name": "n", "SecretString": "v", "ClientRequestToken": t}));
    assert_eq!(first["VersionId"], t);
    let again = e.admin("CreateSecret", json!({"Name": "n", "SecretString": "v", "ClientRequestToken": t}));
    assert_eq!(again["ARN"], first["ARN"]);
    assert_eq!(again["VersionId"], t);
    let versions = e.admin("ListSecretVersionIds", json!({"SecretId": "n", "IncludeDeprecated": true}));
    assert_eq!(versions["Versions"].as_array().unwrap().len(), 1, "the retry made no second version");
    e.expect_code(
        "CreateSecret",
        json!({"Name": "n", "SecretString": "other", "ClientRequestToken": t}),
        admin(MAIN),
        "ResourceExistsException",
    );
    e.expect_code(
        "CreateSecret",
        json!({"Name": "n", "SecretString": "v"}),
        admin(MAIN),
        "ResourceExistsException",
    );
}

#[test]
fn a_secret_is_found_by_name_full_arn_and_partial_arn() {
    // troubleshoot.html#ARN_secretnamehyphen: a partial ARN leaves out the six random characters.
    let mut e = Env::new();
    let arn = e.admin("CreateSecret", json!({"Name": "app/key", "SecretString": "s"}))["ARN"]
        .as_str()
        .unwrap()
        .to_string();
    let partial = format!("arn:aws:secretsmanager:us-east-1:{MAIN}:secret:app/key");
    for id in ["app/key", arn.as_str(), partial.as_str()] {
        assert_eq!(e.admin("DescribeSecret", json!({"SecretId": id}))["ARN"], arn.as_str(), "{id}");
    }
    e.expect_code("DescribeSecret", json!({"SecretId": "app/ke"}), admin(MAIN), "ResourceNotFoundException");
    // Another region's caller does not see it.
    e.expect_code(
        "DescribeSecret",
        json!({"SecretId": arn}),
        json!({"principal": admin(MAIN), "region": "eu-west-1"}),
        "ResourceNotFoundException",
    );
}

#[test]
fn delete_secret_recovery_window_is_7_to_30_days_default_30() {
    // API_DeleteSecret.html: "The minimum recovery window is 7 days. The default recovery window
    // is 30 days"; RecoveryWindowInDays and ForceDeleteWithoutRecovery exclude each other.
    let mut e = Env::new();
    e.admin("CreateSecret", json!({"Name": "d", "SecretString": "v"}));
    for bad in [6, 31, 0] {
        e.expect_code(
            "DeleteSecret",
            json!({"SecretId": "d", "RecoveryWindowInDays": bad}),
            admin(MAIN),
            "InvalidParameterException",
        );
    }
    e.expect_code(
        "DeleteSecret",
        json!({"SecretId": "d", "RecoveryWindowInDays": 7, "ForceDeleteWithoutRecovery": true}),
        admin(MAIN),
        "InvalidParameterException",
    );
    let now = e.w.now;
    let out = e.admin("DeleteSecret", json!({"SecretId": "d"}));
    assert_eq!(out["DeletionDate"], now + 30 * DAY);
    let d = e.admin("DescribeSecret", json!({"SecretId": "d"}));
    assert_eq!(d["DeletedDate"], now);
}

#[test]
fn a_secret_scheduled_for_deletion_cannot_be_read_or_renamed_into_and_restore_brings_it_back() {
    // API_DeleteSecret.html / API_RestoreSecret.html; API_CreateSecret.html: a name scheduled for
    // deletion cannot be reused.
    let mut e = Env::new();
    e.admin("CreateSecret", json!({"Name": "r", "SecretString": "v"}));
    e.admin("DeleteSecret", json!({"SecretId": "r", "RecoveryWindowInDays": 7}));
    e.expect_code("GetSecretValue", json!({"SecretId": "r"}), admin(MAIN), "InvalidRequestException");
    e.expect_code(
        "PutSecretValue",
        json!({"SecretId": "r", "SecretString": "w"}),
        admin(MAIN),
        "InvalidRequestException",
    );
    e.expect_code(
        "CreateSecret",
        json!({"Name": "r", "SecretString": "v"}),
        admin(MAIN),
        "InvalidRequestException",
    );
    e.expect_code("DeleteSecret", json!({"SecretId": "r"}), admin(MAIN), "InvalidRequestException");
    e.admin("RestoreSecret", json!({"SecretId": "r"}));
    assert_eq!(e.current("r"), "v");
    assert!(e.admin("DescribeSecret", json!({"SecretId": "r"})).get("DeletedDate").is_none());
}

#[test]
fn the_simulated_clock_ends_the_recovery_window() {
    // API_DeleteSecret.html: at the end of the recovery window the secret is deleted permanently.
    let mut e = Env::new();
    e.admin("CreateSecret", json!({"Name": "c", "SecretString": "v"}));
    e.admin("DeleteSecret", json!({"SecretId": "c", "RecoveryWindowInDays": 7}));
    advance_clock(&mut e.w, 7 * DAY - 1).unwrap();
    e.admin("DescribeSecret", json!({"SecretId": "c"}));
    advance_clock(&mut e.w, 1).unwrap();
    e.expect_code("DescribeSecret", json!({"SecretId": "c"}), admin(MAIN), "ResourceNotFoundException");
    e.expect_code("RestoreSecret", json!({"SecretId": "c"}), admin(MAIN), "ResourceNotFoundException");
    // The name is free again.
    e.admin("CreateSecret", json!({"Name": "c", "SecretString": "new"}));
}

#[test]
fn force_delete_is_immediate_and_not_an_error_for_a_missing_secret() {
    // API_DeleteSecret.html, ForceDeleteWithoutRecovery: forcibly deleting an already deleted or
    // nonexistent secret does not return ResourceNotFoundException.
    let mut e = Env::new();
    e.admin("CreateSecret", json!({"Name": "f", "SecretString": "v"}));
    e.admin("DeleteSecret", json!({"SecretId": "f", "ForceDeleteWithoutRecovery": true}));
    e.expect_code("DescribeSecret", json!({"SecretId": "f"}), admin(MAIN), "ResourceNotFoundException");
    e.admin("DeleteSecret", json!({"SecretId": "f", "ForceDeleteWithoutRecovery": true}));
    e.expect_code("DeleteSecret", json!({"SecretId": "f"}), admin(MAIN), "ResourceNotFoundException");
}

fn names(v: &serde_json::Value) -> Vec<String> {
    v["SecretList"].as_array().unwrap().iter().map(|s| s["Name"].as_str().unwrap().to_string()).collect()
}

#[test]
fn list_secrets_filters_by_prefix_with_negation_and_case_rules() {
    // API_ListSecrets.html / API_Filter.html: name, tag-key, tag-value prefix and case-sensitive;
    // description prefix, not case-sensitive; `!` negates; `all` searches every attribute.
    let mut e = Env::new();
    e.admin("CreateSecret", json!({"Name": "prod/db", "Description": "Primary Database", "Tags": [{"Key": "team", "Value": "payments"}]}));
    e.admin("CreateSecret", json!({"Name": "prod/api", "Tags": [{"Key": "Team", "Value": "web"}]}));
    e.admin("CreateSecret", json!({"Name": "dev/db", "Description": "scratch"}));
    let list = |e: &mut Env, f: serde_json::Value| {
        let mut n =
            names(&e.admin("ListSecrets", json!({"Filters": f, "SortBy": "name", "SortOrder": "asc"})));
        n.sort();
        n
    };
    assert_eq!(list(&mut e, json!([{"Key": "name", "Values": ["prod/"]}])), ["prod/api", "prod/db"]);
    assert_eq!(list(&mut e, json!([{"Key": "name", "Values": ["Prod/"]}])), Vec::<String>::new());
    assert_eq!(list(&mut e, json!([{"Key": "name", "Values": ["!prod/"]}])), ["dev/db"]);
    assert_eq!(list(&mut e, json!([{"Key": "description", "Values": ["primary"]}])), ["prod/db"]);
    assert_eq!(list(&mut e, json!([{"Key": "tag-key", "Values": ["team"]}])), ["prod/db"]);
    assert_eq!(list(&mut e, json!([{"Key": "tag-value", "Values": ["pay"]}])), ["prod/db"]);
    assert_eq!(list(&mut e, json!([{"Key": "all", "Values": ["database"]}])), ["prod/db"]);
    assert_eq!(
        list(&mut e, json!([{"Key": "name", "Values": ["prod/"]}, {"Key": "tag-key", "Values": ["Team"]}])),
        ["prod/api"]
    );
    e.expect_code(
        "ListSecrets",
        json!({"Filters": [{"Key": "colour", "Values": ["x"]}]}),
        admin(MAIN),
        "InvalidParameterException",
    );
    // Another account's secrets are not listed.
    assert!(names(&e.ok("ListSecrets", json!({}), admin(PARTNER))).is_empty());
}

#[test]
fn list_secrets_pages_and_leaves_out_planned_deletions_unless_asked() {
    // API_ListSecrets.html: MaxResults 1–100, NextToken; IncludePlannedDeletion defaults to false.
    let mut e = Env::new();
    for i in 0..5 {
        e.admin("CreateSecret", json!({"Name": format!("s{i}")}));
    }
    e.admin("DeleteSecret", json!({"SecretId": "s4"}));
    let mut seen = Vec::new();
    let mut req = json!({"MaxResults": 2, "SortBy": "name", "SortOrder": "asc"});
    loop {
        let page = e.admin("ListSecrets", req.clone());
        assert!(page["SecretList"].as_array().unwrap().len() <= 2);
        seen.extend(names(&page));
        match page.get("NextToken") {
            Some(t) => req["NextToken"] = t.clone(),
            None => break,
        }
    }
    assert_eq!(seen, ["s0", "s1", "s2", "s3"]);
    let all = e.admin("ListSecrets", json!({"IncludePlannedDeletion": true}));
    assert_eq!(names(&all).len(), 5);
    e.expect_code(
        "ListSecrets",
        json!({"NextToken": "bm90IGEgdG9rZW4="}),
        admin(MAIN),
        "InvalidNextTokenException",
    );
    e.expect_code("ListSecrets", json!({"MaxResults": 101}), admin(MAIN), "InvalidParameterException");
}

#[test]
fn update_secret_changes_the_description_and_makes_a_new_current_version() {
    // API_UpdateSecret.html: a new value becomes AWSCURRENT, as with PutSecretValue.
    let mut e = Env::new();
    let v1 = e.admin("CreateSecret", json!({"Name": "u", "SecretString": "one"}))["VersionId"].clone();
    let out = e.admin(
        "UpdateSecret",
        json!({"SecretId": "u", "Description": "now described", "SecretString": "two"}),
    );
    assert_eq!(e.current("u"), "two");
    let d = e.admin("DescribeSecret", json!({"SecretId": "u"}));
    assert_eq!(d["Description"], "now described");
    assert_eq!(d["VersionIdsToStages"][v1.as_str().unwrap()], json!(["AWSPREVIOUS"]));
    assert_eq!(d["VersionIdsToStages"][out["VersionId"].as_str().unwrap()], json!(["AWSCURRENT"]));
}

#[test]
fn tags_are_added_replaced_and_removed() {
    // API_TagResource.html / API_UntagResource.html.
    let mut e = Env::new();
    e.admin("CreateSecret", json!({"Name": "t", "Tags": [{"Key": "a", "Value": "1"}]}));
    e.admin(
        "TagResource",
        json!({"SecretId": "t", "Tags": [{"Key": "a", "Value": "2"}, {"Key": "b", "Value": "3"}]}),
    );
    let d = e.admin("DescribeSecret", json!({"SecretId": "t"}));
    assert_eq!(d["Tags"], json!([{"Key": "a", "Value": "2"}, {"Key": "b", "Value": "3"}]));
    e.admin("UntagResource", json!({"SecretId": "t", "TagKeys": ["a"]}));
    let d = e.admin("DescribeSecret", json!({"SecretId": "t"}));
    assert_eq!(d["Tags"], json!([{"Key": "b", "Value": "3"}]));
}
