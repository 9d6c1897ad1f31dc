//! Path-based access through the policy engine ("Restricting access to Parameter Store parameters
//! using IAM policies", https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html)
//! and SecureString through KMS as the caller, via `ssm.<region>.amazonaws.com`, with the
//! `PARAMETER_ARN` encryption context ("How AWS Systems Manager Parameter Store uses AWS KMS",
//! https://docs.aws.amazon.com/kms/latest/developerguide/services-parameter-store.html).

use serde_json::json;

use crate::common::*;

/// The notes' example: a user allowed `/my-department/my-app/*` only.
fn app_user(e: &mut Env) -> String {
    e.user(
        "app",
        &[allow(
            &["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:PutParameter"],
            &format!("arn:aws:ssm:us-east-1:{MAIN}:parameter/my-department/my-app/*"),
        )],
    )
}

#[test]
fn a_path_policy_allows_its_subtree_only() {
    let mut e = env();
    e.put("/my-department/my-app/db-url", "postgres://db");
    e.put("/my-department/other-app/db-url", "postgres://other");
    let app = app_user(&mut e);
    let v = e.ok_as("GetParameter", json!({"Name": "/my-department/my-app/db-url"}), app.as_str());
    assert_eq!(v["Parameter"]["Value"], "postgres://db");
    let err = e.code_as(
        "GetParameter",
        json!({"Name": "/my-department/other-app/db-url"}),
        app.as_str(),
        "AccessDeniedException",
    );
    assert!(
        err.to_string().contains(&format!(
            "is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:us-east-1:{MAIN}:parameter/my-department/other-app/db-url because no identity-based policy allows the ssm:GetParameter action"
        )),
        "{err}"
    );
    let secplay::ssm::SsmError::AccessDenied { trace, .. } = &err else { panic!() };
    assert_eq!(trace["decision"], "implicitDeny");
    // GetParameters: one name outside the path denies the whole call.
    e.code_as(
        "GetParameters",
        json!({"Names": ["/my-department/my-app/db-url", "/my-department/other-app/db-url"]}),
        app.as_str(),
        "AccessDeniedException",
    );
    // Writing inside the path is allowed, deleting is not.
    e.ok_as(
        "PutParameter",
        json!({"Name": "/my-department/my-app/new", "Value": "v", "Type": "String"}),
        app.as_str(),
    );
    e.code_as(
        "DeleteParameter",
        json!({"Name": "/my-department/my-app/new"}),
        app.as_str(),
        "AccessDeniedException",
    );
}

#[test]
fn get_parameters_by_path_is_authorized_on_the_path() {
    let mut e = env();
    e.put("/my-department/my-app/a", "1");
    let app = app_user(&mut e);
    // A path above the user's subtree is outside `…/my-app/*`.
    e.code_as(
        "GetParametersByPath",
        json!({"Path": "/my-department/"}),
        app.as_str(),
        "AccessDeniedException",
    );
    let v = e.ok_as("GetParametersByPath", json!({"Path": "/my-department/my-app/"}), app.as_str());
    assert_eq!(v["Parameters"].as_array().unwrap().len(), 1);
}

#[test]
fn an_explicit_deny_wins() {
    let mut e = env();
    e.put("/prod/secret", "x");
    let u = e.user(
        "u",
        &[
            allow(&["ssm:*"], "*"),
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ssm:GetParameter*", "Resource": format!("arn:aws:ssm:*:{MAIN}:parameter/prod/*")}]}),
        ],
    );
    let err = e.code_as("GetParameter", json!({"Name": "/prod/secret"}), u.as_str(), "AccessDeniedException");
    assert!(err.to_string().contains("with an explicit deny in an identity-based policy"), "{err}");
}

#[test]
fn secure_string_goes_through_kms_as_the_caller_via_ssm() {
    let mut e = env();
    e.ok("PutParameter", json!({"Name": "/db/password", "Value": "hunter2", "Type": "SecureString"}));
    // The AWS-managed key was made on first use through SSM.
    let created = e.w.aliases.values().find(|a| a.name == "alias/aws/ssm").expect("alias/aws/ssm created");
    let key_arn = format!("arn:aws:kms:us-east-1:{MAIN}:key/{}", created.target_key_id);
    let enc = e.audit("Encrypt");
    assert_eq!(enc.len(), 1);
    assert_eq!(enc[0]["userIdentity"]["invokedBy"], "ssm.us-east-1.amazonaws.com");
    assert_eq!(enc[0]["userIdentity"]["arn"], admin());
    assert_eq!(enc[0]["resources"][0]["ARN"], key_arn);
    // Without decryption: the ciphertext, and no Decrypt.
    let raw = e.ok("GetParameter", json!({"Name": "/db/password"}));
    assert_ne!(raw["Parameter"]["Value"], "hunter2");
    assert!(e.audit("Decrypt").is_empty());
    let plain = e.ok("GetParameter", json!({"Name": "/db/password", "WithDecryption": true}));
    assert_eq!(plain["Parameter"]["Value"], "hunter2");
    let dec = e.audit("Decrypt");
    assert_eq!(dec.len(), 1);
    assert_eq!(dec[0]["userIdentity"]["invokedBy"], "ssm.us-east-1.amazonaws.com");
    assert_eq!(
        dec[0]["requestParameters"]["encryptionContext"]["PARAMETER_ARN"],
        format!("arn:aws:ssm:us-east-1:{MAIN}:parameter/db/password")
    );
    let meta = e.ok("DescribeParameters", json!({}));
    assert_eq!(meta["Parameters"][0]["KeyId"], "alias/aws/ssm");
}

#[test]
fn reading_a_secure_string_needs_kms_decrypt_too() {
    // The managed key allows any principal of the account through SSM; a customer key's policy
    // decides for itself. A user with ssm:GetParameter but no kms:Decrypt is denied by KMS.
    let mut e = env();
    let key = e.w.keys.len();
    assert_eq!(key, 0);
    let created = secplay::kms::call(&mut e.w, "CreateKey", &json!({}), &json!(admin())).unwrap();
    let key_arn = created["KeyMetadata"]["Arn"].as_str().unwrap().to_string();
    e.ok(
        "PutParameter",
        json!({"Name": "/cmk/secret", "Value": "s3cret", "Type": "SecureString", "KeyId": key_arn}),
    );
    let reader = e.user("reader", &[allow(&["ssm:GetParameter"], "*")]);
    let raw = e.ok_as("GetParameter", json!({"Name": "/cmk/secret"}), reader.as_str());
    assert_ne!(raw["Parameter"]["Value"], "s3cret");
    let err = e.code_as(
        "GetParameter",
        json!({"Name": "/cmk/secret", "WithDecryption": true}),
        reader.as_str(),
        "AccessDeniedException",
    );
    assert!(err.to_string().contains("kms:Decrypt"), "{err}");
    let failed: Vec<_> =
        e.audit("Decrypt").into_iter().filter(|x| x["errorCode"] == "AccessDeniedException").collect();
    assert_eq!(failed.len(), 1, "the denied Decrypt is in the KMS audit log");
    // Granting kms:Decrypt through SSM only (kms:ViaService) lets the read through.
    e.w.put_identity_policy(
        &reader,
        "kms",
        &json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": key_arn,
            "Condition": {"StringEquals": {"kms:ViaService": "ssm.us-east-1.amazonaws.com"}}}]})
        .to_string(),
    )
    .unwrap();
    let ok = e.ok_as("GetParameter", json!({"Name": "/cmk/secret", "WithDecryption": true}), reader.as_str());
    assert_eq!(ok["Parameter"]["Value"], "s3cret");
    // A missing key is InvalidKeyId.
    e.code(
        "PutParameter",
        json!({"Name": "/cmk/x", "Value": "v", "Type": "SecureString", "KeyId": "alias/nope"}),
        "InvalidKeyId",
    );
}

#[test]
fn unknown_callers_are_refused() {
    let mut e = env();
    e.code_as(
        "GetParameter",
        json!({"Name": "/a"}),
        "arn:aws:iam::111122223333:user/ghost",
        "UnrecognizedClientException",
    );
}
