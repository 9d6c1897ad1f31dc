#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! Validation: one test per check (the finding's issue code and level), clean policies that
//! produce no findings, and the positions findings carry.

use secplay::policy::{validate_policy, validate_policy_json, PolicyType};

fn kind(name: &str) -> PolicyType {
    PolicyType::parse(name).unwrap()
}

/// Asserts that validating `text` as `policy_type` yields `code` at `level` with a position.
fn expect(code: &str, level: &str, policy_type: &str, text: &str) {
    let findings = validate_policy(text, kind(policy_type));
    let f = findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} finding; got {findings:#?}"));
    assert_eq!(f.level.as_str(), level, "{f:#?}");
    assert!(f.span.is_some(), "{code} has no position");
    assert!(!f.message.is_empty() && !f.message.ends_with('.'), "{}", f.message);
}

macro_rules! checks {
    ($($name:ident: $code:literal, $level:literal, $kind:literal, $text:expr;)*) => {
        $(
            #[test]
            fn $name() {
                expect($code, $level, $kind, $text);
            }
        )*
    };
}

const V: &str = r#""Version": "2012-10-17""#;

fn identity(stmt: &str) -> String {
    format!("{{{V}, \"Statement\": [{stmt}]}}")
}

checks! {
    malformed_json: "MALFORMED_JSON", "ERROR", "identity", "{\"Version\": \"2012-10-17\",\n \"Statement\": [}";
    policy_not_object: "POLICY_NOT_OBJECT", "ERROR", "identity", "[1, 2]";
    policy_size_exceeded: "POLICY_SIZE_EXCEEDED", "ERROR", "scp",
        &identity(&format!(r#"{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["{}"]}}"#, "arn:aws:s3:::b/x\", \"".repeat(400)));
    duplicate_key: "DUPLICATE_KEY", "ERROR", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Action": "s3:PutObject", "Resource": "*"}"#);
    unknown_element: "UNKNOWN_ELEMENT", "ERROR", "identity",
        &identity(r#"{"Effect": "Allow", "Actions": "s3:GetObject", "Action": "s3:GetObject", "Resource": "*"}"#);
    missing_version: "MISSING_VERSION", "WARNING", "identity",
        r#"{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#;
    invalid_version: "INVALID_VERSION", "ERROR", "identity",
        r#"{"Version": "2012-10-18", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#;
    old_version: "OLD_VERSION", "SUGGESTION", "identity",
        r#"{"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#;
    variable_with_old_version: "VARIABLE_WITH_OLD_VERSION", "WARNING", "identity",
        r#"{"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}}"#;
    invalid_element_type: "INVALID_ELEMENT_TYPE", "ERROR", "identity",
        &identity(r#"{"Effect": "Allow", "Action": 42, "Resource": "*"}"#);
    missing_statement: "MISSING_STATEMENT", "ERROR", "identity", r#"{"Version": "2012-10-17"}"#;
    empty_statement: "EMPTY_STATEMENT", "ERROR", "identity", r#"{"Version": "2012-10-17", "Statement": []}"#;
    invalid_sid: "INVALID_SID", "ERROR", "identity",
        &identity(r#"{"Sid": "allow reads!", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#);
    duplicate_sid: "DUPLICATE_SID", "ERROR", "identity",
        &identity(r#"{"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                     {"Sid": "A", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}"#);
    missing_effect: "MISSING_EFFECT", "ERROR", "identity",
        &identity(r#"{"Action": "s3:GetObject", "Resource": "*"}"#);
    invalid_effect: "INVALID_EFFECT", "ERROR", "identity",
        &identity(r#"{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}"#);
    action_and_notaction: "ACTION_AND_NOTACTION", "ERROR", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:GetObject", "NotAction": "s3:PutObject", "Resource": "*"}"#);
    missing_action: "MISSING_ACTION", "ERROR", "identity",
        &identity(r#"{"Effect": "Allow", "Resource": "*"}"#);
    empty_array: "EMPTY_ARRAY", "ERROR", "identity",
        &identity(r#"{"Effect": "Allow", "Action": [], "Resource": "*"}"#);
    invalid_action_format: "INVALID_ACTION_FORMAT", "ERROR", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:GetObject,s3:PutObject", "Resource": "*"}"#);
    unknown_action_from_model: "UNKNOWN_ACTION", "ERROR", "key",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["kms:*", "kms:ReEncrypt"], "Resource": "*"}}"#;
    unknown_action_curated: "UNKNOWN_ACTION", "WARNING", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "*"}"#);
    resource_and_notresource: "RESOURCE_AND_NOTRESOURCE", "ERROR", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "NotResource": "arn:aws:s3:::b"}"#);
    missing_resource: "MISSING_RESOURCE", "ERROR", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:GetObject"}"#);
    unsupported_resource: "UNSUPPORTED_RESOURCE", "ERROR", "trust",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}}"#;
    invalid_arn: "INVALID_ARN", "ERROR", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:bucket/key"}"#);
    invalid_arn_account: "INVALID_ARN", "ERROR", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:1234:key/k"}"#);
    key_policy_resource: "KEY_POLICY_RESOURCE", "SUGGESTION", "key",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "arn:aws:kms:us-east-1:111122223333:key/k"}}"#;
    principal_and_notprincipal: "PRINCIPAL_AND_NOTPRINCIPAL", "ERROR", "resource",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Principal": "*", "NotPrincipal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"}}"#;
    unsupported_principal: "UNSUPPORTED_PRINCIPAL", "ERROR", "identity",
        &identity(r#"{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "*"}"#);
    missing_principal: "MISSING_PRINCIPAL", "ERROR", "resource",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#;
    invalid_principal_string: "INVALID_PRINCIPAL", "ERROR", "resource",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "arn:aws:iam::111122223333:root", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#;
    invalid_principal_wildcard: "INVALID_PRINCIPAL", "ERROR", "resource",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/app-*"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#;
    invalid_principal_type: "INVALID_PRINCIPAL_TYPE", "ERROR", "resource",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"User": "alice"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#;
    invalid_service_principal: "INVALID_SERVICE_PRINCIPAL", "WARNING", "trust",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "lambda"}, "Action": "sts:AssumeRole"}}"#;
    rcp_principal: "RCP_PRINCIPAL", "ERROR", "rcp",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Principal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"}}"#;
    rcp_allow: "RCP_ALLOW", "ERROR", "rcp",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}}"#;
    trust_policy_action: "TRUST_POLICY_ACTION", "WARNING", "trust",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "s3:GetObject"}}"#;
    unknown_operator: "UNKNOWN_OPERATOR", "ERROR", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEqual": {"aws:PrincipalOrgID": "o-1"}}}"#);
    null_if_exists: "UNKNOWN_OPERATOR", "ERROR", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"NullIfExists": {"aws:TokenIssueTime": "true"}}}"#);
    empty_condition: "EMPTY_CONDITION", "WARNING", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {}}}"#);
    invalid_condition_value_date: "INVALID_CONDITION_VALUE", "ERROR", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"DateGreaterThan": {"aws:CurrentTime": "next tuesday"}}}"#);
    invalid_condition_value_ip: "INVALID_CONDITION_VALUE", "ERROR", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/40"}}}"#);
    invalid_condition_value_bool: "INVALID_CONDITION_VALUE", "ERROR", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "yes"}}}"#);
    invalid_condition_value_number: "INVALID_CONDITION_VALUE", "ERROR", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"NumericLessThan": {"s3:max-keys": "ten"}}}"#);
    wildcard_without_like: "WILDCARD_WITHOUT_LIKE", "WARNING", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "dev-*"}}}"#);
    unknown_global_condition_key: "UNKNOWN_GLOBAL_CONDITION_KEY", "WARNING", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIpAddress": "10.0.0.0/8"}}}"#);
    mismatched_operator_type: "MISMATCHED_OPERATOR_TYPE", "WARNING", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceIp": "10.0.0.1"}}}"#);
    forallvalues_with_single_valued_key: "FORALLVALUES_WITH_SINGLE_VALUED_KEY", "SECURITY_WARNING", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-1"}}}"#);
    foranyvalue_with_single_valued_key: "FORANYVALUE_WITH_SINGLE_VALUED_KEY", "WARNING", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": "o-1"}}}"#);
    missing_set_operator: "MISSING_SET_OPERATOR", "WARNING", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"StringEquals": {"aws:TagKeys": "env"}}}"#);
    allow_with_not_principal: "ALLOW_WITH_NOT_PRINCIPAL", "SECURITY_WARNING", "resource",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/bob"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#;
    allow_with_not_resource: "ALLOW_WITH_NOT_RESOURCE", "SECURITY_WARNING", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"}"#);
    allow_with_not_action: "ALLOW_WITH_NOT_ACTION", "SECURITY_WARNING", "identity",
        &identity(r#"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#);
    public_access: "PUBLIC_ACCESS", "SECURITY_WARNING", "resource",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#;
    key_policy_public_access: "KEY_POLICY_PUBLIC_ACCESS", "SECURITY_WARNING", "key",
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
            {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}]}"#;
    pass_role_with_star_in_resource: "PASS_ROLE_WITH_STAR_IN_RESOURCE", "SECURITY_WARNING", "identity",
        &identity(r#"{"Effect": "Allow", "Action": ["ec2:RunInstances", "iam:Pass*"], "Resource": "*"}"#);
    full_admin_access: "FULL_ADMIN_ACCESS", "SECURITY_WARNING", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#);
    key_policy_without_account_access: "KEY_POLICY_WITHOUT_ACCOUNT_ACCESS", "WARNING", "key",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/admin"}, "Action": "kms:*", "Resource": "*"}}"#;
    key_policy_lockout_risk: "KEY_POLICY_LOCKOUT_RISK", "WARNING", "key",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*"}}"#;
    redundant_action: "REDUNDANT_ACTION", "SUGGESTION", "identity",
        &identity(r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:Get*"], "Resource": "*"}"#);
    redundant_resource: "REDUNDANT_RESOURCE", "SUGGESTION", "identity",
        &identity(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::b/reports/x.csv"]}"#);
    redundant_statement: "REDUNDANT_STATEMENT", "SUGGESTION", "identity",
        &identity(r#"{"Sid": "A", "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"},
                     {"Sid": "B", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::b/*"}"#);
}

#[test]
fn default_key_policy_and_plain_policies_are_clean() {
    let clean = [
        (
            "key",
            r#"{"Version": "2012-10-17", "Id": "key-default-1", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#,
        ),
        (
            "identity",
            r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/${aws:username}/*"], "Condition": {"Bool": {"aws:SecureTransport": "true"}, "ForAllValues:StringEquals": {"aws:TagKeys": ["env"]}}}]}"#,
        ),
        (
            "trust",
            r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}}"#,
        ),
        (
            "scp",
            r#"{"Version": "2012-10-17", "Statement": {"Sid": "DenyLeaving", "Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}}"#,
        ),
        (
            "rcp",
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-1"}, "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]}"#,
        ),
    ];
    for (k, text) in clean {
        let f = validate_policy(text, kind(k));
        assert!(f.is_empty(), "{k}: {f:#?}");
    }
}

#[test]
fn findings_point_at_the_element() {
    let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\n    \"Effect\": \"Allow\",\n    \"Action\": \"kms:Decrypts\",\n    \"Resource\": \"*\"\n  }\n}";
    let f = validate_policy(text, PolicyType::Identity);
    let unknown = f.iter().find(|f| f.code == "UNKNOWN_ACTION").unwrap();
    assert_eq!(unknown.path, "/Statement/Action");
    let span = unknown.span.unwrap();
    assert_eq!((span.start.line, span.start.column), (5, 15));
    assert_eq!((span.end.line, span.end.column), (5, 29));
    assert!(unknown.message.contains("did you mean `kms:Decrypt`?"), "{}", unknown.message);

    let f = validate_policy("{\n  \"Version\": 1,,\n}", PolicyType::Identity);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].code, "MALFORMED_JSON");
    assert_eq!(f[0].span.unwrap().start.line, 2);
}

#[test]
fn json_layer_shape_and_unknown_type() {
    let out = validate_policy_json(
        r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#,
        "identity",
    )
    .unwrap();
    let first = &out[0];
    assert_eq!(first["findingType"], "WARNING");
    assert_eq!(first["issueCode"], "MISSING_VERSION");
    assert!(first["location"]["range"]["start"]["line"].is_number());
    let e = validate_policy_json("{}", "bucket").unwrap_err();
    assert_eq!(e.code(), "UnknownPolicyType");
}

/// Every policy of the evaluation corpus is one AWS accepts (after the corpus's normalisations),
/// so the validator must not report errors on them, except for the four known departures of
/// the corpus from AWS's grammar listed here.
#[test]
fn corpus_policies_have_no_false_errors() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/iam/policy-eval-cases.json");
    let file: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut checked = 0;
    for c in file["cases"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let p = &c["policies"];
        let action = c["request"]["action"].as_str().unwrap();
        let resource = c["request"]["resource"].as_str().unwrap();
        let mut list: Vec<(PolicyType, &serde_json::Value)> = Vec::new();
        for x in p["identity"].as_array().unwrap() {
            list.push((PolicyType::Identity, x));
        }
        if !p["resource"].is_null() {
            let k = if action.starts_with("sts:Assume") {
                PolicyType::Trust
            } else if resource.contains(":kms:") {
                PolicyType::Key
            } else {
                PolicyType::Resource
            };
            list.push((k, &p["resource"]));
        }
        if !p["permissionsBoundary"].is_null() {
            list.push((PolicyType::Boundary, &p["permissionsBoundary"]));
        }
        if !p["session"].is_null() {
            list.push((PolicyType::Session, &p["session"]));
        }
        for (key, k) in [("scps", PolicyType::Scp), ("rcps", PolicyType::Rcp)] {
            for level in p[key].as_array().into_iter().flatten() {
                for x in level.as_array().unwrap() {
                    list.push((k, x));
                }
            }
        }
        for (k, x) in list {
            checked += 1;
            let text = serde_json::to_string_pretty(x).unwrap();
            for f in validate_policy(&text, k) {
                if f.level.as_str() != "ERROR" {
                    continue;
                }
                let known = (id.starts_with("ics-commas-") && f.code == "INVALID_ACTION_FORMAT")
                    // The corpus writes RCPFullAWSAccess without its `"Principal": "*"`.
                    || (k == PolicyType::Rcp && f.code == "MISSING_PRINCIPAL")
                    || (id == "ics-scps-03" && f.code == "EMPTY_STATEMENT")
                    // Copied from a KMS guide example whose IAM policy Sid has spaces.
                    || (f.code == "INVALID_SID" && f.message.contains("Allow Use Of KMS Key"));
                assert!(known, "{id} ({k:?}): unexpected {} {}", f.code, f.message);
            }
        }
    }
    assert!(checked > 500, "{checked}");
}
