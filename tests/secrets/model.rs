//! Requests and responses checked against the botocore model's shapes
//! (`../shared/vectors/aws-models/secretsmanager-2017-10-17.service-2.json`): member names and
//! types, required members, enums, length and range bounds; each error against the operation's
//! declared errors (plus `AccessDeniedException`, which every AWS API may answer).

use secplay::secrets::ops::OPERATIONS;
use serde_json::{json, Value};

use crate::common::*;

#[path = "../shared/botocore_model.rs"]
mod botocore_model;
use botocore_model::Model;

const MODEL: &str = "../shared/vectors/aws-models/secretsmanager-2017-10-17.service-2.json";

/// Runs a call, checking request, response and error against the model.
fn checked(m: &Model, e: &mut Env, op: &str, req: Value, problems: &mut Vec<String>) -> Option<Value> {
    let o = m.op(op);
    assert!(o.is_object(), "{op} is not in the model");
    m.check(o["input"]["shape"].as_str().unwrap(), &req, &format!("{op} request"), problems);
    answered(m, e, op, req, problems)
}

/// Runs a call (its request may be deliberately wrong), checking the response or the error.
fn answered(m: &Model, e: &mut Env, op: &str, req: Value, problems: &mut Vec<String>) -> Option<Value> {
    let o = m.op(op);
    match e.try_call(op, req, admin(MAIN)) {
        Ok(v) => {
            match o["output"]["shape"].as_str() {
                Some(shape) => m.check(shape, &v, &format!("{op} response"), problems),
                None if v == json!({}) => {}
                None => problems.push(format!("{op}: the model has no output but the engine answered {v}")),
            }
            Some(v)
        }
        Err(err) => {
            let declared: Vec<&str> =
                o["errors"].as_array().unwrap().iter().map(|x| x["shape"].as_str().unwrap()).collect();
            if err.code() != "AccessDeniedException" && !declared.contains(&err.code()) {
                problems.push(format!("{op}: {} is not one of its declared errors {declared:?}", err.code()));
            }
            None
        }
    }
}

#[test]
fn every_operation_is_in_the_model() {
    let m = Model::load(MODEL);
    for op in OPERATIONS {
        assert!(m.op(op).is_object(), "{op}");
    }
}

#[test]
fn requests_responses_and_errors_of_a_scenario_match_the_model() {
    let m = Model::load(MODEL);
    let mut e = Env::new();
    let mut p = Vec::new();
    let t1 = token(1);
    let created = checked(&m, &mut e, "CreateSecret", json!({"Name": "m/db", "Description": "d", "SecretString": "{\"u\":\"x\"}", "ClientRequestToken": t1, "Tags": [{"Key": "k", "Value": "v"}]}), &mut p).unwrap();
    let arn = created["ARN"].as_str().unwrap().to_string();
    checked(&m, &mut e, "CreateSecret", json!({"Name": "m/bin", "SecretBinary": "AAEC"}), &mut p).unwrap();
    checked(
        &m,
        &mut e,
        "PutSecretValue",
        json!({"SecretId": "m/db", "SecretString": "2", "VersionStages": ["AWSCURRENT", "blue"]}),
        &mut p,
    )
    .unwrap();
    checked(&m, &mut e, "GetSecretValue", json!({"SecretId": arn, "VersionStage": "AWSPREVIOUS"}), &mut p)
        .unwrap();
    checked(&m, &mut e, "GetSecretValue", json!({"SecretId": "m/bin"}), &mut p).unwrap();
    checked(&m, &mut e, "DescribeSecret", json!({"SecretId": "m/db"}), &mut p).unwrap();
    checked(
        &m,
        &mut e,
        "ListSecrets",
        json!({"MaxResults": 1, "Filters": [{"Key": "name", "Values": ["m/"]}], "SortOrder": "asc"}),
        &mut p,
    )
    .unwrap();
    checked(
        &m,
        &mut e,
        "ListSecretVersionIds",
        json!({"SecretId": "m/db", "IncludeDeprecated": true}),
        &mut p,
    )
    .unwrap();
    let holder = e.admin("GetSecretValue", json!({"SecretId": "m/db"}))["VersionId"].clone();
    checked(&m, &mut e, "UpdateSecretVersionStage", json!({"SecretId": "m/db", "VersionStage": "AWSCURRENT", "MoveToVersionId": t1, "RemoveFromVersionId": holder}), &mut p).unwrap();
    checked(
        &m,
        &mut e,
        "UpdateSecret",
        json!({"SecretId": "m/db", "Description": "e", "SecretString": "3"}),
        &mut p,
    )
    .unwrap();
    checked(
        &m,
        &mut e,
        "TagResource",
        json!({"SecretId": "m/db", "Tags": [{"Key": "a", "Value": "b"}]}),
        &mut p,
    )
    .unwrap();
    checked(&m, &mut e, "UntagResource", json!({"SecretId": "m/db", "TagKeys": ["a"]}), &mut p).unwrap();
    checked(
        &m,
        &mut e,
        "GetRandomPassword",
        json!({"PasswordLength": 20, "ExcludePunctuation": true}),
        &mut p,
    )
    .unwrap();
    checked(&m, &mut e, "DeleteSecret", json!({"SecretId": "m/bin", "RecoveryWindowInDays": 7}), &mut p)
        .unwrap();
    checked(&m, &mut e, "RestoreSecret", json!({"SecretId": "m/bin"}), &mut p).unwrap();
    checked(
        &m,
        &mut e,
        "DeleteSecret",
        json!({"SecretId": "m/bin", "ForceDeleteWithoutRecovery": true}),
        &mut p,
    )
    .unwrap();
    // Errors: each must be one the operation declares.
    for (op, req) in [
        ("GetSecretValue", json!({"SecretId": "missing"})),
        ("GetSecretValue", json!({"SecretId": "m/db", "VersionStage": "none"})),
        ("CreateSecret", json!({"Name": "m/db"})),
        ("CreateSecret", json!({"Name": "two", "SecretString": "a", "SecretBinary": "AA=="})),
        ("PutSecretValue", json!({"SecretId": "m/db", "SecretString": "x", "ClientRequestToken": t1})),
        ("DeleteSecret", json!({"SecretId": "m/db", "RecoveryWindowInDays": 3})),
        ("ListSecrets", json!({"NextToken": "bad"})),
        ("ListSecrets", json!({"Filters": [{"Key": "bogus", "Values": ["x"]}]})),
        (
            "UpdateSecretVersionStage",
            json!({"SecretId": "m/db", "VersionStage": "AWSCURRENT", "RemoveFromVersionId": t1}),
        ),
        ("GetRandomPassword", json!({"PasswordLength": 2})),
        ("RotateSecret", json!({"SecretId": "m/bin"})),
        (
            "RotateSecret",
            json!({"SecretId": "m/db", "RotationRules": {"ScheduleExpression": "rate(1 hours)"}}),
        ),
        ("PutResourcePolicy", json!({"SecretId": "m/db", "ResourcePolicy": "{"})),
        (
            "PutResourcePolicy",
            json!({"SecretId": "m/db", "ResourcePolicy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}", "BlockPublicPolicy": true}),
        ),
    ] {
        assert!(answered(&m, &mut e, op, req.clone(), &mut p).is_none(), "{op} {req} should fail");
    }
    assert!(p.is_empty(), "model mismatches:\n{}", p.join("\n"));
}
