#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! The JSON layer: output shape, positions of deciding statements (text inputs), missing
//! context keys, the trace, and error codes for bad input.

use secplay::policy::{
    error_to_json, evaluate_actions, evaluate_policy, evaluate_policy_str, policy_template,
    referenced_context_keys, PolicyError,
};
use serde_json::json;

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const KEY_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Sid": "DenyWithoutTls",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "kms:*",
      "Resource": "*",
      "Condition": {"Bool": {"aws:SecureTransport": "false"}}
    }
  ]
}"#;

fn input(context: serde_json::Value) -> serde_json::Value {
    json!({
        "request": {
            "principal": "arn:aws:iam::111122223333:user/alice",
            "action": "kms:Decrypt",
            "resource": KEY,
            "resourceAccount": "111122223333",
            "context": context
        },
        "policies": {
            "identity": [{"Version": "2012-10-17", "Statement": [
                {"Sid": "UseKey", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": KEY}
            ]}],
            "resource": KEY_POLICY
        }
    })
}

#[test]
fn allowed_with_positions_of_policy_text() {
    let out = evaluate_policy(&input(json!({"aws:SecureTransport": "true"}))).unwrap();
    assert_eq!(out["decision"], "allowed");
    let matched = out["matchedStatements"].as_array().unwrap();
    let key_stmt =
        matched.iter().find(|m| m["policyType"] == "resource").expect("the key policy statement decided");
    assert_eq!(key_stmt["sid"], "Enable IAM User Permissions");
    assert_eq!(key_stmt["statementIndex"], 0);
    // The statement object starts on line 4, column 5 of the key policy text.
    assert_eq!(key_stmt["range"]["start"], json!({"line": 4, "column": 5}));
    assert_eq!(key_stmt["range"]["end"], json!({"line": 10, "column": 6}));
    let id_stmt = matched.iter().find(|m| m["policyType"] == "identity").unwrap();
    assert_eq!(id_stmt["policy"], "identity[0]");
    assert_eq!(id_stmt["range"], serde_json::Value::Null, "object policies carry no positions");
    assert_eq!(out["missingContextKeys"], json!([]));
    let trace = out["trace"].as_array().unwrap();
    assert!(trace.iter().any(|s| s["subject"] == "resource" && s["outcome"] == "rule"));
    assert_eq!(trace.last().unwrap()["outcome"], "allow");
}

#[test]
fn explicit_deny_names_the_statement_and_missing_keys() {
    let out = evaluate_policy(&input(json!({"aws:SecureTransport": "false"}))).unwrap();
    assert_eq!(out["decision"], "explicitDeny");
    let m = &out["matchedStatements"][0];
    assert_eq!(m["sid"], "DenyWithoutTls");
    assert_eq!(m["effect"], "Deny");
    assert_eq!(m["range"]["start"], json!({"line": 11, "column": 5}));

    let out = evaluate_policy(&input(json!({}))).unwrap();
    assert_eq!(out["decision"], "allowed");
    assert_eq!(out["missingContextKeys"], json!(["aws:SecureTransport"]));
}

#[test]
fn whole_input_as_text_gives_positions_into_the_input() {
    let text = r#"{"request": {"principal": "arn:aws:iam::111122223333:user/alice",
  "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": "111122223333",
  "context": {}},
 "policies": {"identity": [
   {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}}
 ]}}"#;
    let out = evaluate_policy_str(text).unwrap();
    assert_eq!(out["decision"], "allowed");
    assert_eq!(out["matchedStatements"][0]["range"]["start"], json!({"line": 5, "column": 43}));
}

#[test]
fn errors_have_codes_and_positions() {
    let e = evaluate_policy_str("{\"request\": ").unwrap_err();
    assert_eq!(e.code(), "MalformedJson");
    assert!(e.to_string().starts_with("malformed json at 1:13"));

    let mut bad = input(json!({}));
    bad["policies"]["resource"] = json!("{\n  \"Statement\": [{\"Effect\": \"Permit\", \"Action\": \"*\"}]}");
    let e = evaluate_policy(&bad).unwrap_err();
    assert_eq!(e.code(), "InvalidPolicy");
    assert_eq!(
        e,
        PolicyError::InvalidPolicy {
            location: "resource 2:28".into(),
            message: "`Effect` must be `Allow` or `Deny`".into()
        }
    );

    let mut bad = input(json!({}));
    bad["request"]["action"] = json!("Decrypt");
    assert_eq!(evaluate_policy(&bad).unwrap_err().code(), "InvalidRequest");

    let mut bad = input(json!({}));
    bad["policies"]["scps"] = json!([{"Statement": []}]);
    assert_eq!(evaluate_policy(&bad).unwrap_err().code(), "InvalidRequest");
}

#[test]
fn get_caller_identity_is_always_allowed() {
    let out = evaluate_policy(&json!({
        "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "sts:GetCallerIdentity",
                    "resource": "*", "resourceAccount": "111122223333", "context": {}},
        "policies": {"identity": [{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}]}
    }))
    .unwrap();
    assert_eq!(out["decision"], "allowed");
}

#[test]
fn trace_reads_step_by_step() {
    let mut i = input(json!({"aws:SecureTransport": "true"}));
    i["policies"]["scps"] = json!([
        [{"Version": "2012-10-17", "Statement": {"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*", "Resource": "*"}}],
        [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}]
    ]);
    let out = evaluate_policy(&i).unwrap();
    assert_eq!(out["decision"], "implicitDeny");
    let msgs: Vec<&str> =
        out["trace"].as_array().unwrap().iter().map(|s| s["message"].as_str().unwrap()).collect();
    assert!(msgs.contains(&"SCP level 1 of 2: allowed by scps[0][0] statement 0 (Sid `FullAWSAccess`)"));
    assert!(msgs.iter().any(|m| m.starts_with("implicit deny: SCP level 2 does not allow")));
    assert_eq!(out["matchedStatements"], json!([]));
}

#[test]
fn kms_grant_allows_what_policies_do_not() {
    let mut i = json!({
        "request": {
            "principal": "arn:aws:sts::444455556666:assumed-role/app/s1",
            "action": "kms:Decrypt",
            "resource": KEY,
            "resourceAccount": "111122223333",
            "context": {"kms:EncryptionContext:Department": "IT"}
        },
        "policies": {"identity": [], "resource": KEY_POLICY},
        "grants": [{"KeyId": KEY, "GrantId": "g-1", "GranteePrincipal": "arn:aws:iam::444455556666:role/app",
                    "Operations": ["Decrypt"], "Constraints": {"EncryptionContextSubset": {"Department": "IT"}}}]
    });
    let out = evaluate_policy(&i).unwrap();
    assert_eq!(out["decision"], "allowed", "{out:#}");
    assert_eq!(out["matchedStatements"][0]["policyType"], "grant");
    assert_eq!(out["matchedStatements"][0]["sid"], "g-1");

    // The grant's constraint is not met: implicit deny.
    i["request"]["context"] = json!({"kms:EncryptionContext:Department": "HR"});
    assert_eq!(evaluate_policy(&i).unwrap()["decision"], "implicitDeny");

    // An explicit deny in the key policy still wins over a grant.
    i["request"]["context"] =
        json!({"kms:EncryptionContext:Department": "IT", "aws:SecureTransport": "false"});
    assert_eq!(evaluate_policy(&i).unwrap()["decision"], "explicitDeny");

    i["grants"] = json!({"not": "an array"});
    assert_eq!(evaluate_policy(&i).unwrap_err().code(), "InvalidRequest");
}

#[test]
fn what_can_this_principal_do_on_the_key() {
    let admin = "arn:aws:iam::111122223333:user/KMSAdmin";
    let user = "arn:aws:iam::111122223333:user/KMSUser";
    let t = policy_template(
        "consoleKeyPolicy",
        &json!({"account": "111122223333", "administrators": [admin], "users": [user]}),
    )
    .unwrap();
    assert_eq!(t["policyType"], "key");
    let input = |who: &str| {
        json!({
            "request": {"principal": who, "action": "kms:Decrypt", "resource": KEY,
                        "resourceAccount": "111122223333", "context": {}},
            "policies": {"identity": [], "resource": t["policy"]}
        })
    };
    let decisions = |who: &str| -> std::collections::HashMap<String, String> {
        evaluate_actions(&input(who), "kms")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["action"].as_str().unwrap().to_string(), r["decision"].as_str().unwrap().to_string()))
            .collect()
    };
    let u = decisions(user);
    assert_eq!(u["kms:Decrypt"], "allowed");
    assert_eq!(u["kms:ReEncryptFrom"], "allowed");
    assert_eq!(u["kms:ScheduleKeyDeletion"], "implicitDeny");
    assert_eq!(u["kms:CreateGrant"], "implicitDeny", "needs kms:GrantIsForAWSResource");
    let a = decisions(admin);
    assert_eq!(a["kms:ScheduleKeyDeletion"], "allowed");
    assert_eq!(a["kms:Decrypt"], "implicitDeny");
    assert!(evaluate_actions(&input(user), "ec2").is_err());
}

#[test]
fn templates_by_name() {
    let t = policy_template("defaultKeyPolicy", &json!({"account": "111122223333"})).unwrap();
    assert!(t["policy"].as_str().unwrap().contains("arn:aws:iam::111122223333:root"));
    assert_eq!(policy_template("defaultKeyPolicy", &json!({})).unwrap_err().code(), "InvalidRequest");
    assert!(policy_template("nope", &json!({})).is_err());
    let t = policy_template(
        "parameterStorePathPolicy",
        &json!({"region": "us-east-1", "account": "111122223333", "path": "/my-department/my-app/", "keyArn": KEY}),
    )
    .unwrap();
    let out = evaluate_policy(&json!({
        "request": {"principal": "arn:aws:iam::111122223333:user/app", "action": "ssm:GetParameter",
                    "resource": "arn:aws:ssm:us-east-1:111122223333:parameter/my-department/my-app/db-password",
                    "resourceAccount": "111122223333", "context": {}},
        "policies": {"identity": [t["policy"]]}
    }))
    .unwrap();
    assert_eq!(out["decision"], "allowed");
    let out = evaluate_policy(&json!({
        "request": {"principal": "arn:aws:iam::111122223333:user/app", "action": "ssm:GetParameter",
                    "resource": "arn:aws:ssm:us-east-1:111122223333:parameter/my-department/other-app/x",
                    "resourceAccount": "111122223333", "context": {}},
        "policies": {"identity": [t["policy"]]}
    }))
    .unwrap();
    assert_eq!(out["decision"], "implicitDeny");
}

#[test]
fn derive_global_keys_on_request() {
    let mut i = json!({
        "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
                    "resource": "arn:aws:s3:::b/home/alice/x", "resourceAccount": "111122223333", "context": {}},
        "policies": {"identity": [{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/home/${aws:username}/*"}}]}
    });
    let out = evaluate_policy(&i).unwrap();
    assert_eq!(out["decision"], "implicitDeny");
    assert_eq!(out["missingContextKeys"], json!(["aws:username"]));
    i["request"]["deriveGlobalKeys"] = json!(true);
    assert_eq!(evaluate_policy(&i).unwrap()["decision"], "allowed");
}

#[test]
fn context_key_suggestions_and_error_shape() {
    let mut i = input(json!({}));
    i["policies"]["identity"][0]["Statement"][0]["Resource"] =
        json!("arn:aws:s3:::b/${aws:PrincipalTag/team}/*");
    i["policies"]["identity"][0]["Statement"][0]["Condition"] =
        json!({"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com", "aws:SOURCEIP": "x"}});
    let keys = referenced_context_keys(&i).unwrap();
    assert_eq!(
        keys,
        // Object members of a `serde_json::Value` come in sorted order.
        json!(["aws:PrincipalTag/team", "aws:SOURCEIP", "kms:ViaService", "aws:SecureTransport"])
    );
    let e = evaluate_policy_str("[").unwrap_err();
    let j = error_to_json(&e);
    assert_eq!(j["code"], "MalformedJson");
    assert_eq!(j["name"], "PolicyError");
}

/// Parse once, evaluate many: the compiled set decides every documented/high vector as the
/// one-shot call does, and reports the same deciding statements.
#[test]
fn compiled_policies_agree_with_one_shot_evaluation() {
    use secplay::policy::json::CompiledPolicies;
    let corpus: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/vectors/iam/policy-eval-cases.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let mut n = 0;
    for case in corpus["cases"].as_array().unwrap() {
        let compiled = CompiledPolicies::new(&serde_json::json!({"policies": case["policies"]})).unwrap();
        let one_shot = secplay::policy::evaluate_policy(case).unwrap();
        let full = compiled.evaluate(&case["request"]).unwrap();
        assert_eq!(full["decision"], one_shot["decision"], "{}", case["id"]);
        assert_eq!(full["matchedStatements"], one_shot["matchedStatements"], "{}", case["id"]);
        assert_eq!(compiled.decision(&case["request"]).unwrap(), one_shot["decision"], "{}", case["id"]);
        n += 1;
    }
    assert_eq!(n, 390);
    assert!(CompiledPolicies::from_text("[]").is_err());
}

#[test]
fn ipv4_mapped_source_addresses_are_read_as_ipv4() {
    // The rule of `secplay::common::ip`, shared with the WAF: `::ffff:a.b.c.d` is `a.b.c.d`.
    let deny_outside = |source_ip: &str| {
        let mut case = input(json!({"aws:SecureTransport": "true", "aws:SourceIp": source_ip}));
        case["policies"]["identity"][0]["Statement"].as_array_mut().unwrap().push(json!({
            "Effect": "Deny", "Action": "kms:*", "Resource": "*",
            "Condition": {"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}
        }));
        evaluate_policy(&case).unwrap()["decision"].as_str().unwrap().to_owned()
    };
    assert_eq!(deny_outside("10.1.2.3"), "allowed");
    assert_eq!(deny_outside("::ffff:10.1.2.3"), "allowed", "a mapped address inside 10.0.0.0/8");
    assert_eq!(deny_outside("2001:db8::1"), "allowed");
    assert_eq!(deny_outside("::ffff:192.0.2.1"), "explicitDeny");
    assert_eq!(deny_outside("192.0.2.1"), "explicitDeny");
}
