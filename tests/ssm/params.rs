//! PutParameter and GetParameter(s): types, overwrite rules, data types, allowed patterns,
//! selectors (API reference: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html).

use serde_json::json;

use crate::common::*;

#[test]
fn put_then_get_a_string_and_a_string_list() {
    let mut e = env();
    assert_eq!(e.put("/app/url", "https://example.com"), json!({"Version": 1, "Tier": "Standard"}));
    e.ok("PutParameter", json!({"Name": "/app/hosts", "Value": "a,b,c", "Type": "StringList"}));
    let p = &e.ok("GetParameter", json!({"Name": "/app/url"}))["Parameter"];
    assert_eq!(p["Value"], "https://example.com");
    assert_eq!(p["Type"], "String");
    assert_eq!(p["Version"], 1);
    assert_eq!(p["DataType"], "text");
    assert_eq!(p["ARN"], format!("arn:aws:ssm:us-east-1:{MAIN}:parameter/app/url"));
    let l = &e.ok("GetParameter", json!({"Name": "/app/hosts"}))["Parameter"];
    assert_eq!(l["Value"], "a,b,c");
    assert_eq!(l["Type"], "StringList");
}

#[test]
fn existing_name_needs_overwrite_and_versions_count_up() {
    let mut e = env();
    e.put("/a", "1");
    e.code("PutParameter", json!({"Name": "/a", "Value": "2", "Type": "String"}), "ParameterAlreadyExists");
    let v = e.ok("PutParameter", json!({"Name": "/a", "Value": "2", "Overwrite": true}));
    assert_eq!(v["Version"], 2);
    assert_eq!(e.ok("GetParameter", json!({"Name": "/a"}))["Parameter"]["Value"], "2");
    assert_eq!(e.ok("GetParameter", json!({"Name": "/a:1"}))["Parameter"]["Value"], "1");
    assert_eq!(e.ok("GetParameter", json!({"Name": "/a:1"}))["Parameter"]["Selector"], ":1");
    e.code("GetParameter", json!({"Name": "/a:3"}), "ParameterVersionNotFound");
    e.code("GetParameter", json!({"Name": "/b"}), "ParameterNotFound");
}

#[test]
fn overwrite_keeps_the_type_and_refuses_tags() {
    // HierarchyTypeMismatchException: "you can't change a parameter from a String type to a
    // SecureString type" (https://docs.aws.amazon.com/botocore/latest/reference/services/ssm/client/exceptions/HierarchyTypeMismatchException.html).
    let mut e = env();
    e.put("/a", "1");
    e.code(
        "PutParameter",
        json!({"Name": "/a", "Value": "2", "Type": "SecureString", "Overwrite": true}),
        "HierarchyTypeMismatchException",
    );
    let err = e.code(
        "PutParameter",
        json!({"Name": "/a", "Value": "2", "Overwrite": true, "Tags": [{"Key": "k", "Value": "v"}]}),
        "ValidationException",
    );
    assert!(err.to_string().contains("tags and overwrite"), "{err}");
    e.code("PutParameter", json!({"Name": "/new", "Value": "x"}), "ValidationException");
}

#[test]
fn names_follow_the_naming_constraints() {
    // https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html
    let mut e = env();
    for bad in ["/aws/x", "ssm-thing", "/AWS/x", "a b", "no/leading/slash", "/x//y"] {
        e.code("PutParameter", json!({"Name": bad, "Value": "v", "Type": "String"}), "ValidationException");
    }
    e.put("flat-name_1.0", "ok");
    let deep: String = (1..=15).map(|i| format!("/l{i}")).collect();
    e.put(&deep, "15 levels");
    let too_deep: String = (1..=16).map(|i| format!("/l{i}")).collect();
    e.code(
        "PutParameter",
        json!({"Name": too_deep, "Value": "v", "Type": "String"}),
        "HierarchyLevelLimitExceededException",
    );
    let long = format!("/{}", "n".repeat(1011));
    e.code("PutParameter", json!({"Name": long, "Value": "v", "Type": "String"}), "ValidationException");
}

#[test]
fn aws_ec2_image_data_type_checks_the_ami_format() {
    // https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-data-types.html
    let mut e = env();
    let ok = e.ok("PutParameter", json!({"Name": "/ami", "Value": "ami-0abcdef1234567890", "Type": "String", "DataType": "aws:ec2:image"}));
    assert_eq!(ok["Version"], 1);
    assert_eq!(e.ok("GetParameter", json!({"Name": "/ami"}))["Parameter"]["DataType"], "aws:ec2:image");
    e.code(
        "PutParameter",
        json!({"Name": "/ami2", "Value": "not-an-ami", "Type": "String", "DataType": "aws:ec2:image"}),
        "ValidationException",
    );
    e.code("PutParameter", json!({"Name": "/ami3", "Value": "ami-12345678", "Type": "SecureString", "DataType": "aws:ec2:image"}), "ValidationException");
    // Never changed to or from aws:ec2:image.
    e.code(
        "PutParameter",
        json!({"Name": "/ami", "Value": "text now", "Overwrite": true, "DataType": "text"}),
        "ValidationException",
    );
    e.code(
        "PutParameter",
        json!({"Name": "/ami4", "Value": "x", "Type": "String", "DataType": "aws:unknown"}),
        "ValidationException",
    );
}

#[test]
fn allowed_pattern_is_enforced() {
    let mut e = env();
    e.ok(
        "PutParameter",
        json!({"Name": "/port", "Value": "8080", "Type": "String", "AllowedPattern": "^\\d+$"}),
    );
    e.code(
        "PutParameter",
        json!({"Name": "/port2", "Value": "80a", "Type": "String", "AllowedPattern": "^\\d+$"}),
        "ParameterPatternMismatchException",
    );
    e.code(
        "PutParameter",
        json!({"Name": "/port3", "Value": "80", "Type": "String", "AllowedPattern": "(["}),
        "InvalidAllowedPatternException",
    );
}

#[test]
fn key_id_only_for_secure_string() {
    let mut e = env();
    e.code(
        "PutParameter",
        json!({"Name": "/k", "Value": "v", "Type": "String", "KeyId": "alias/aws/ssm"}),
        "ValidationException",
    );
}

#[test]
fn get_parameters_lists_unknown_names_and_versions_as_invalid() {
    let mut e = env();
    e.put("/a", "1");
    e.put("/b", "2");
    let v = e.ok("GetParameters", json!({"Names": ["/a", "/b:1", "/nope", "/a:9"]}));
    let names: Vec<_> =
        v["Parameters"].as_array().unwrap().iter().map(|p| p["Name"].as_str().unwrap()).collect();
    assert_eq!(names, ["/a", "/b"]);
    assert_eq!(v["InvalidParameters"], json!(["/nope", "/a:9"]));
    let names: Vec<String> = (0..11).map(|i| format!("/n{i}")).collect();
    e.code("GetParameters", json!({"Names": names}), "ValidationException");
}

#[test]
fn deletes_one_or_many() {
    let mut e = env();
    e.put("/a", "1");
    e.put("/b", "2");
    e.ok("DeleteParameter", json!({"Name": "/a"}));
    e.code("DeleteParameter", json!({"Name": "/a"}), "ParameterNotFound");
    let v = e.ok("DeleteParameters", json!({"Names": ["/b", "/c"]}));
    assert_eq!(v, json!({"DeletedParameters": ["/b"], "InvalidParameters": ["/c"]}));
    // A new parameter of a deleted name starts at version 1 again.
    assert_eq!(e.put("/a", "again")["Version"], 1);
}

#[test]
fn public_parameters_are_readable_and_reserved() {
    let mut e = env();
    let p = e
        .ok("GetParameter", json!({"Name": "/aws/service/global-infrastructure/regions/us-east-1/longName"}));
    assert_eq!(p["Parameter"]["Value"], "US East (N. Virginia)");
    assert_eq!(
        p["Parameter"]["ARN"],
        "arn:aws:ssm:us-east-1::parameter/aws/service/global-infrastructure/regions/us-east-1/longName"
    );
    let ami = e.ok(
        "GetParameter",
        json!({"Name": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"}),
    );
    assert_eq!(ami["Parameter"]["DataType"], "aws:ec2:image");
    let regions = e.ok("GetParametersByPath", json!({"Path": "/aws/service/global-infrastructure/regions"}));
    assert!(regions["Parameters"].as_array().unwrap().iter().any(|p| p["Value"] == "eu-west-1"));
    e.code(
        "PutParameter",
        json!({"Name": "/aws/service/mine", "Value": "v", "Type": "String"}),
        "ValidationException",
    );
}

#[test]
fn secrets_manager_references_answer_a_clear_error_until_wired() {
    let mut e = env();
    e.code("GetParameter", json!({"Name": "/aws/reference/secretsmanager/db"}), "ValidationException");
    let err = e.code(
        "GetParameter",
        json!({"Name": "/aws/reference/secretsmanager/db", "WithDecryption": true}),
        "ParameterNotFound",
    );
    assert!(err.to_string().contains("not connected"), "{err}");
}

#[test]
fn change_events_are_emitted() {
    // https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-cwe.html
    let mut e = env();
    e.put("/a", "1");
    e.ok("PutParameter", json!({"Name": "/a", "Value": "2", "Overwrite": true}));
    e.ok("DeleteParameter", json!({"Name": "/a"}));
    let ops: Vec<_> =
        e.s.events.iter().map(|v| v["detail"]["operation"].as_str().unwrap().to_string()).collect();
    assert_eq!(ops, ["Create", "Update", "Delete"]);
    assert_eq!(e.s.events[0]["detail-type"], "Parameter Store Change");
    assert_eq!(e.s.events[0]["source"], "aws.ssm");
}
