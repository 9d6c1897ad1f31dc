//! Replication across regions: User Guide, "Replicate AWS Secrets Manager secrets across Regions"
//! (<https://docs.aws.amazon.com/secretsmanager/latest/userguide/create-manage-multi-region-secrets.html>),
//! API_ReplicateSecretToRegions.html, API_RemoveRegionsFromReplication.html,
//! API_StopReplicationToReplica.html.

use serde_json::json;

use crate::common::*;

fn west() -> serde_json::Value {
    json!({"principal": admin(MAIN), "region": "us-west-2"})
}

#[test]
fn a_replica_is_encrypted_under_a_key_of_its_own_region_and_follows_the_primary() {
    let mut e = Env::new();
    let arn = e.admin("CreateSecret", json!({"Name": "r", "SecretString": "one"}))["ARN"]
        .as_str()
        .unwrap()
        .to_string();
    let west_key = e.kms("CreateKey", json!({}), west())["KeyMetadata"]["Arn"].as_str().unwrap().to_string();
    let out = e.admin(
        "ReplicateSecretToRegions",
        json!({"SecretId": "r", "AddReplicaRegions": [{"Region": "us-west-2", "KmsKeyId": west_key}, {"Region": "eu-west-1"}]}),
    );
    let status = out["ReplicationStatus"].as_array().unwrap();
    assert!(status.iter().all(|s| s["Status"] == "InSync"), "{out}");
    // Same name and suffix, its own region.
    let r_arn = arn.replace(":us-east-1:", ":us-west-2:");
    let got = e.ok("GetSecretValue", json!({"SecretId": "r"}), west());
    assert_eq!(got["SecretString"], "one");
    assert_eq!(got["ARN"], r_arn.as_str());
    let d = e.ok("DescribeSecret", json!({"SecretId": "r"}), west());
    assert_eq!(d["PrimaryRegion"], "us-east-1");
    // Each replica's data key came from KMS in its region, under that region's key.
    let mut regions: Vec<String> = e
        .kms_events("GenerateDataKey")
        .iter()
        .map(|x| x["awsRegion"].as_str().unwrap().to_string())
        .collect();
    regions.sort();
    assert_eq!(regions, ["eu-west-1", "us-east-1", "us-west-2"]);
    let v = e.ok("ListSecretVersionIds", json!({"SecretId": "r"}), west());
    assert_eq!(v["Versions"][0]["KmsKeyIds"][0], west_key.as_str());
    let eu = e.ok(
        "ListSecretVersionIds",
        json!({"SecretId": "r"}),
        json!({"principal": admin(MAIN), "region": "eu-west-1"}),
    );
    assert!(eu["Versions"][0]["KmsKeyIds"][0].as_str().unwrap().starts_with("arn:aws:kms:eu-west-1:"));
    // A new value on the primary reaches the replicas; replicas are read-only.
    e.admin("PutSecretValue", json!({"SecretId": "r", "SecretString": "two"}));
    assert_eq!(e.ok("GetSecretValue", json!({"SecretId": "r"}), west())["SecretString"], "two");
    e.expect_code(
        "PutSecretValue",
        json!({"SecretId": "r", "SecretString": "x"}),
        west(),
        "InvalidRequestException",
    );
    // The primary cannot be deleted while it has replicas.
    e.expect_code("DeleteSecret", json!({"SecretId": "r"}), admin(MAIN), "InvalidRequestException");
    let out = e.admin(
        "RemoveRegionsFromReplication",
        json!({"SecretId": "r", "RemoveReplicaRegions": ["eu-west-1"]}),
    );
    assert_eq!(out["ReplicationStatus"].as_array().unwrap().len(), 1);
    e.expect_code(
        "GetSecretValue",
        json!({"SecretId": "r"}),
        json!({"principal": admin(MAIN), "region": "eu-west-1"}),
        "ResourceNotFoundException",
    );
}

#[test]
fn a_name_taken_in_the_region_fails_the_replica_unless_overwritten() {
    let mut e = Env::new();
    e.admin("CreateSecret", json!({"Name": "n", "SecretString": "primary"}));
    e.ok("CreateSecret", json!({"Name": "n", "SecretString": "local"}), west());
    let out = e.admin(
        "ReplicateSecretToRegions",
        json!({"SecretId": "n", "AddReplicaRegions": [{"Region": "us-west-2"}]}),
    );
    assert_eq!(out["ReplicationStatus"][0]["Status"], "Failed");
    assert_eq!(e.ok("GetSecretValue", json!({"SecretId": "n"}), west())["SecretString"], "local");
    let out = e.admin(
        "ReplicateSecretToRegions",
        json!({"SecretId": "n", "AddReplicaRegions": [{"Region": "us-west-2"}], "ForceOverwriteReplicaSecret": true}),
    );
    assert_eq!(out["ReplicationStatus"][0]["Status"], "InSync");
    assert_eq!(e.ok("GetSecretValue", json!({"SecretId": "n"}), west())["SecretString"], "primary");
    e.expect_code(
        "ReplicateSecretToRegions",
        json!({"SecretId": "n", "AddReplicaRegions": [{"Region": "us-east-1"}]}),
        admin(MAIN),
        "InvalidParameterException",
    );
    e.expect_code(
        "ReplicateSecretToRegions",
        json!({"SecretId": "n", "AddReplicaRegions": [{"Region": "mars-1"}]}),
        admin(MAIN),
        "InvalidParameterException",
    );
}

#[test]
fn a_kms_refusal_in_the_replica_region_marks_that_replica_failed() {
    let mut e = Env::new();
    let carol = format!("arn:aws:iam::{MAIN}:user/carol");
    principal(&mut e.w, &carol, &[allow(&["secretsmanager:*"], "*")]);
    let west_key = e.kms("CreateKey", json!({}), west())["KeyMetadata"]["Arn"].as_str().unwrap().to_string();
    e.ok("CreateSecret", json!({"Name": "k", "SecretString": "v"}), carol.as_str());
    let out = e.ok(
        "ReplicateSecretToRegions",
        json!({"SecretId": "k", "AddReplicaRegions": [{"Region": "us-west-2", "KmsKeyId": west_key}]}),
        carol.as_str(),
    );
    assert_eq!(out["ReplicationStatus"][0]["Status"], "Failed");
    assert!(out["ReplicationStatus"][0]["StatusMessage"]
        .as_str()
        .unwrap()
        .contains("Access to KMS is not allowed"));
}

#[test]
fn stop_replication_promotes_the_replica_to_a_standalone_secret() {
    let mut e = Env::new();
    e.admin(
        "CreateSecret",
        json!({"Name": "s", "SecretString": "v", "AddReplicaRegions": [{"Region": "us-west-2"}]}),
    );
    e.expect_code(
        "StopReplicationToReplica",
        json!({"SecretId": "s"}),
        admin(MAIN),
        "InvalidRequestException",
    );
    e.ok("StopReplicationToReplica", json!({"SecretId": "s"}), west());
    let d = e.ok("DescribeSecret", json!({"SecretId": "s"}), west());
    assert_eq!(d["PrimaryRegion"], "us-west-2");
    e.ok("PutSecretValue", json!({"SecretId": "s", "SecretString": "own"}), west());
    assert_eq!(e.current("s"), "v");
    assert!(e.admin("DescribeSecret", json!({"SecretId": "s"})).get("ReplicationStatus").is_none());
    e.admin("DeleteSecret", json!({"SecretId": "s"}));
}

#[test]
fn a_rotation_of_the_primary_reaches_its_replicas() {
    let mut e = Env::new();
    e.admin(
        "CreateSecret",
        json!({"Name": "rot", "SecretString": "v", "AddReplicaRegions": [{"Region": "us-west-2"}]}),
    );
    let out = e.admin(
        "RotateSecret",
        json!({"SecretId": "rot", "RotationLambdaARN": "arn:aws:lambda:us-east-1:111122223333:function:f"}),
    );
    let got = e.ok("GetSecretValue", json!({"SecretId": "rot"}), west());
    assert_eq!(got["VersionId"], out["VersionId"]);
    assert_eq!(got["VersionStages"], json!(["AWSCURRENT"]));
}
