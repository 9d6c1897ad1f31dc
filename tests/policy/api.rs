#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! The typed Rust API other engines use (the KMS emulator, S3 replication): parse once,
//! evaluate many requests.

use secplay::policy::{evaluate, parse_policy, Decision, PolicySet, Request};

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

#[test]
fn replication_role_scoped_by_encryption_context() {
    let key_policy = parse_policy(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#,
    )
    .unwrap();
    let role_policy = parse_policy(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt",
            "Resource": "arn:aws:kms:us-east-1:111122223333:key/*",
            "Condition": {"StringLike": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::source-bucket/*"}}}]}"#,
    )
    .unwrap();
    let set = PolicySet {
        identity: vec![role_policy.into()],
        resource: Some(key_policy.into()),
        ..PolicySet::default()
    };
    let role = "arn:aws:sts::111122223333:assumed-role/replication-role/s3-replication";
    let object = Request::new(Some(role), "kms:Decrypt", KEY, "111122223333")
        .with_context("kms:EncryptionContext:aws:s3:arn", "arn:aws:s3:::source-bucket/photos/cat.jpg");
    assert_eq!(evaluate(&set, &object).decision, Decision::Allowed);
    // With an S3 Bucket Key the context is the bucket ARN, which `source-bucket/*` does not match.
    let bucket_key = Request::new(Some(role), "kms:Decrypt", KEY, "111122223333")
        .with_context("kms:EncryptionContext:aws:s3:arn", "arn:aws:s3:::source-bucket");
    let e = evaluate(&set, &bucket_key);
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert!(e.matched_statements.is_empty());
    // Without context the key is reported missing.
    let none = Request::new(Some(role), "kms:Decrypt", KEY, "111122223333");
    let e = evaluate(&set, &none);
    assert_eq!(e.missing_context_keys, vec!["kms:EncryptionContext:aws:s3:arn".to_string()]);
}

#[test]
fn multivalued_context_keys() {
    let p = parse_policy(
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
            "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "owner"]}}}}"#,
    )
    .unwrap();
    let set = PolicySet { identity: vec![p.into()], ..PolicySet::default() };
    let r = |keys: &[&str]| {
        Request::new(
            Some("arn:aws:iam::111122223333:user/alice"),
            "ec2:CreateTags",
            "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
            "111122223333",
        )
        .with_context_values("aws:TagKeys", keys)
    };
    assert_eq!(evaluate(&set, &r(&["env"])).decision, Decision::Allowed);
    assert_eq!(evaluate(&set, &r(&["env", "cost"])).decision, Decision::ImplicitDeny);
    assert_eq!(evaluate(&set, &r(&[])).decision, Decision::Allowed);
}
