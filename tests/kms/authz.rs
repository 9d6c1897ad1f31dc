//! Authorization cases written from the AWS KMS Developer Guide; each test cites its page
//! (https://docs.aws.amazon.com/kms/latest/developerguide/<page>).

use serde_json::{json, Value};

use crate::common::*;

const ALICE: &str = "arn:aws:iam::111122223333:user/alice";
const BOB: &str = "arn:aws:iam::111122223333:user/bob";
const PARTNER_APP: &str = "arn:aws:iam::444455556666:role/app";

fn key_policy(statements: Value) -> String {
    json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

fn root_statement(account: &str) -> Value {
    json!({"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": root(account)}, "Action": "kms:*", "Resource": "*"})
}

fn encrypt(key: &str) -> Value {
    json!({"KeyId": key, "Plaintext": b64(b"secret")})
}

/// key-policy-default.html ("Allows access to the AWS account and enables IAM policies"): with
/// the default key policy, IAM policies decide; a user without one is denied.
#[test]
fn default_key_policy_hands_the_decision_to_iam() {
    let mut w = world();
    principal(&mut w, ALICE, &[allow(&["kms:Encrypt", "kms:Decrypt"], "*")]);
    principal(&mut w, BOB, &[]);
    let key = create_key(&mut w, &admin(MAIN), json!({}));
    ok(&mut w, "Encrypt", encrypt(&key), ALICE);
    let e = expect_code(&mut w, "Encrypt", encrypt(&key), BOB, "AccessDeniedException");
    assert_eq!(
        e.to_string(),
        format!("User: {BOB} is not authorized to perform: kms:Encrypt on resource: {key} because no identity-based policy allows the kms:Encrypt action")
    );
    // The trace says which layer decided.
    let j = e.to_json();
    assert_eq!(j["__type"], "AccessDeniedException");
    assert_eq!(j["trace"]["decision"], "implicitDeny");
    assert!(j["trace"]["trace"].as_array().unwrap().len() > 1);
}

/// key-policy-default.html ("a key policy that does not allow the account … the key is
/// unmanageable"): a key whose policy names no one is unusable, even by the account root.
#[test]
fn a_key_whose_policy_names_no_one_is_unusable_even_by_root() {
    let mut w = world();
    principal(&mut w, ALICE, &[allow(&["kms:*"], "*")]);
    let policy = key_policy(
        json!([{"Sid": "Only Alice", "Effect": "Allow", "Principal": {"AWS": ALICE}, "Action": "kms:*", "Resource": "*"}]),
    );
    let key = create_key(&mut w, ALICE, json!({"Policy": policy}));
    ok(&mut w, "Encrypt", encrypt(&key), ALICE);
    let e = expect_code(&mut w, "Encrypt", encrypt(&key), root(MAIN).as_str(), "AccessDeniedException");
    assert!(e.to_string().ends_with("because no resource-based policy allows the kms:Encrypt action"), "{e}");
    expect_code(&mut w, "Encrypt", encrypt(&key), admin(MAIN).as_str(), "AccessDeniedException");
}

/// key-policy-modifying-external-accounts.html: another account's principal needs both the key
/// policy (naming its account) and its own IAM policy; and it must name the key by ARN.
#[test]
fn cross_account_use_needs_both_sides() {
    let mut w = world();
    let key_only_iam = create_key(&mut w, &admin(MAIN), json!({}));
    let policy = key_policy(
        json!([root_statement(MAIN), {"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": root(PARTNER)}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}]),
    );
    let shared = create_key(&mut w, &admin(MAIN), json!({"Policy": policy}));
    principal(
        &mut w,
        PARTNER_APP,
        &[allow(&["kms:Encrypt", "kms:Decrypt"], "arn:aws:kms:*:111122223333:key/*")],
    );
    w.add_principal("arn:aws:iam::444455556666:role/nopolicy", None).unwrap();
    ok(&mut w, "Encrypt", encrypt(&shared), PARTNER_APP);
    // The key policy alone is not enough: the role's own policies must allow too.
    expect_code(
        &mut w,
        "Encrypt",
        encrypt(&shared),
        "arn:aws:iam::444455556666:role/nopolicy",
        "AccessDeniedException",
    );
    // The IAM policy alone is not enough: the key policy does not name the partner account.
    let e = expect_code(&mut w, "Encrypt", encrypt(&key_only_iam), PARTNER_APP, "AccessDeniedException");
    assert!(e.to_string().contains("no resource-based policy"), "{e}");
    // Another account's key is found only by its ARN.
    let id = shared.rsplit('/').next().unwrap();
    expect_code(&mut w, "Encrypt", encrypt(id), PARTNER_APP, "NotFoundException");
    // Management operations cannot reach another account's key.
    expect_code(&mut w, "DisableKey", json!({"KeyId": shared}), admin(PARTNER).as_str(), "NotFoundException");
}

/// conditions-kms.html#conditions-kms-via-service: a key usable only through a service.
#[test]
fn kms_via_service_limits_use_to_calls_through_a_service() {
    let mut w = world();
    let policy = key_policy(json!([
        root_statement(MAIN),
        {"Sid": "Deny outside S3", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*",
         "Condition": {"StringNotEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}
    ]));
    principal(&mut w, ALICE, &[allow(&["kms:*"], "*")]);
    let key = create_key(&mut w, &admin(MAIN), json!({"Policy": policy}));
    let ct = ok(&mut w, "Encrypt", encrypt(&key), ALICE)["CiphertextBlob"].clone();
    let e = expect_code(&mut w, "Decrypt", json!({"CiphertextBlob": ct}), ALICE, "AccessDeniedException");
    assert!(e.to_string().contains("with an explicit deny in a resource-based policy"), "{e}");
    let via = json!({"principal": ALICE, "viaService": "s3.us-east-1.amazonaws.com"});
    ok(&mut w, "Decrypt", json!({"CiphertextBlob": ct}), via);
}

/// conditions-kms.html#conditions-kms-caller-account: allow every principal of one account,
/// through the key policy alone.
#[test]
fn kms_caller_account_in_the_key_policy() {
    let mut w = world();
    let policy = key_policy(json!([
        root_statement(MAIN),
        {"Sid": "Partner callers", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Encrypt", "Resource": "*",
         "Condition": {"StringEquals": {"kms:CallerAccount": PARTNER}}}
    ]));
    let key = create_key(&mut w, &admin(MAIN), json!({"Policy": policy}));
    principal(&mut w, PARTNER_APP, &[allow(&["kms:Encrypt"], "*")]);
    ok(&mut w, "Encrypt", encrypt(&key), PARTNER_APP);
    w.add_account("777788889999", "other").unwrap();
    principal(&mut w, "arn:aws:iam::777788889999:role/app", &[allow(&["kms:Encrypt"], "*")]);
    expect_code(
        &mut w,
        "Encrypt",
        encrypt(&key),
        "arn:aws:iam::777788889999:role/app",
        "AccessDeniedException",
    );
}

/// conditions-kms.html#conditions-kms-encryption-context: an IAM policy that allows decryption
/// only with a given encryption context pair.
#[test]
fn kms_encryption_context_condition() {
    let mut w = world();
    let key = create_key(&mut w, &admin(MAIN), json!({}));
    let p = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*",
        "Condition": {"StringEquals": {"kms:EncryptionContext:Department": "IT"}}}]});
    principal(&mut w, ALICE, &[p]);
    let it = json!({"Department": "IT"});
    let ct =
        ok(&mut w, "Encrypt", json!({"KeyId": key, "Plaintext": b64(b"s"), "EncryptionContext": it}), ALICE)
            ["CiphertextBlob"]
            .clone();
    ok(&mut w, "Decrypt", json!({"CiphertextBlob": ct, "EncryptionContext": it}), ALICE);
    expect_code(
        &mut w,
        "Encrypt",
        json!({"KeyId": key, "Plaintext": b64(b"s"), "EncryptionContext": {"Department": "HR"}}),
        ALICE,
        "AccessDeniedException",
    );
    expect_code(&mut w, "Encrypt", encrypt(&key), ALICE, "AccessDeniedException");
}

/// abac.html and tag-authorization.html: IAM policies that allow keys by their tags
/// (`aws:ResourceTag/…`), matched to the caller's session tags (`aws:PrincipalTag/…`).
#[test]
fn abac_with_resource_and_principal_tags() {
    let mut w = world();
    let p = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt"], "Resource": "*",
        "Condition": {"StringEquals": {"aws:ResourceTag/Project": "${aws:PrincipalTag/Project}"}}}]});
    principal(&mut w, "arn:aws:iam::111122223333:role/dev", &[p]);
    let alpha =
        create_key(&mut w, &admin(MAIN), json!({"Tags": [{"TagKey": "Project", "TagValue": "alpha"}]}));
    let beta = create_key(&mut w, &admin(MAIN), json!({"Tags": [{"TagKey": "Project", "TagValue": "beta"}]}));
    let session =
        json!({"principal": "arn:aws:sts::111122223333:assumed-role/dev/s1", "tags": {"Project": "alpha"}});
    ok(&mut w, "Encrypt", encrypt(&alpha), session.clone());
    expect_code(&mut w, "Encrypt", encrypt(&beta), session.clone(), "AccessDeniedException");
    // Retagging the key changes who may use it.
    ok(
        &mut w,
        "TagResource",
        json!({"KeyId": beta, "Tags": [{"TagKey": "Project", "TagValue": "alpha"}]}),
        admin(MAIN).as_str(),
    );
    ok(&mut w, "Encrypt", encrypt(&beta), session);
}

/// grants.html ("Grant concepts"): a grant allows its grantee without any policy naming it, only
/// for its operations, and only within its encryption context constraint.
#[test]
fn grants_allow_what_policies_do_not() {
    let mut w = world();
    w.add_principal(BOB, None).unwrap();
    let key = create_key(&mut w, &admin(MAIN), json!({}));
    let ctx = json!({"app": "billing"});
    let ct = ok(
        &mut w,
        "Encrypt",
        json!({"KeyId": key, "Plaintext": b64(b"s"), "EncryptionContext": ctx}),
        admin(MAIN).as_str(),
    )["CiphertextBlob"]
        .clone();
    expect_code(
        &mut w,
        "Decrypt",
        json!({"CiphertextBlob": ct, "EncryptionContext": ctx}),
        BOB,
        "AccessDeniedException",
    );
    let g = ok(
        &mut w,
        "CreateGrant",
        json!({"KeyId": key, "GranteePrincipal": BOB, "Operations": ["Decrypt"], "Constraints": {"EncryptionContextSubset": {"app": "billing"}}}),
        admin(MAIN).as_str(),
    );
    assert!(g["GrantToken"].is_string() && g["GrantId"].is_string());
    ok(
        &mut w,
        "Decrypt",
        json!({"CiphertextBlob": ct, "EncryptionContext": ctx, "GrantTokens": [g["GrantToken"]]}),
        BOB,
    );
    // Not an operation of the grant.
    expect_code(
        &mut w,
        "Encrypt",
        json!({"KeyId": key, "Plaintext": b64(b"s"), "EncryptionContext": ctx}),
        BOB,
        "AccessDeniedException",
    );
    // Outside the constraint.
    let other = ok(
        &mut w,
        "Encrypt",
        json!({"KeyId": key, "Plaintext": b64(b"s"), "EncryptionContext": {"app": "hr"}}),
        admin(MAIN).as_str(),
    )["CiphertextBlob"]
        .clone();
    expect_code(
        &mut w,
        "Decrypt",
        json!({"CiphertextBlob": other, "EncryptionContext": {"app": "hr"}}),
        BOB,
        "AccessDeniedException",
    );
    // Revoked, it allows nothing.
    ok(&mut w, "RevokeGrant", json!({"KeyId": key, "GrantId": g["GrantId"]}), admin(MAIN).as_str());
    expect_code(
        &mut w,
        "Decrypt",
        json!({"CiphertextBlob": ct, "EncryptionContext": ctx}),
        BOB,
        "AccessDeniedException",
    );
    expect_code(
        &mut w,
        "Decrypt",
        json!({"CiphertextBlob": ct, "EncryptionContext": ctx, "GrantTokens": [g["GrantToken"]]}),
        BOB,
        "InvalidGrantTokenException",
    );
}

/// conditions-kms.html#conditions-kms-grant-is-for-aws-resource: the console's key policy lets key
/// users create grants only for AWS services working on their behalf.
#[test]
fn grant_is_for_aws_resource() {
    let mut w = world();
    let policy = key_policy(json!([
        root_statement(MAIN),
        {"Sid": "Allow attachment of persistent resources", "Effect": "Allow", "Principal": {"AWS": ALICE},
         "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*",
         "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}}
    ]));
    w.add_principal(ALICE, None).unwrap();
    let key = create_key(&mut w, &admin(MAIN), json!({"Policy": policy}));
    let req = json!({"KeyId": key, "GranteePrincipal": admin(MAIN), "Operations": ["Decrypt"]});
    expect_code(&mut w, "CreateGrant", req.clone(), ALICE, "AccessDeniedException");
    ok(&mut w, "CreateGrant", req, json!({"principal": ALICE, "viaService": "ec2.us-east-1.amazonaws.com"}));
}

/// Service control policies limit every principal of a member account, administrators included
/// (AWS Organizations user guide, orgs_manage_policies_scps.html; KMS: iam-policies.html).
#[test]
fn an_scp_denies_whatever_the_key_policy_says() {
    let mut w = world();
    let key = create_key(&mut w, &admin(MAIN), json!({}));
    let full =
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
            .to_string();
    let deny = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}]}).to_string();
    w.set_scps(MAIN, vec![vec![full, deny]]).unwrap();
    ok(&mut w, "Encrypt", encrypt(&key), admin(MAIN).as_str());
    let e = expect_code(
        &mut w,
        "ScheduleKeyDeletion",
        json!({"KeyId": key}),
        admin(MAIN).as_str(),
        "AccessDeniedException",
    );
    assert!(e.to_string().contains("with an explicit deny in a service control policy"), "{e}");
}

/// iam-policies-best-practices.html and the IAM guide's permissions boundaries: a boundary limits
/// what identity policies grant; a session policy limits a role session likewise.
#[test]
fn boundaries_and_session_policies_limit_identity_grants() {
    let mut w = world();
    let key = create_key(&mut w, &admin(MAIN), json!({}));
    principal(&mut w, ALICE, &[allow(&["kms:*"], "*")]);
    w.set_permissions_boundary(ALICE, Some(&allow(&["kms:Decrypt"], "*").to_string())).unwrap();
    let e = expect_code(&mut w, "Encrypt", encrypt(&key), ALICE, "AccessDeniedException");
    assert!(e.to_string().contains("permissions boundary"), "{e}");
    let session = json!({"principal": "arn:aws:sts::111122223333:assumed-role/Admin/s", "sessionPolicy": allow(&["kms:Decrypt"], "*")});
    let e = expect_code(&mut w, "Encrypt", encrypt(&key), session, "AccessDeniedException");
    assert!(e.to_string().contains("session policy"), "{e}");
    ok(
        &mut w,
        "Encrypt",
        encrypt(&key),
        json!({"principal": "arn:aws:sts::111122223333:assumed-role/Admin/s"}),
    );
}

/// iam-policies.html: CreateKey and ListKeys have no key resource; IAM policies alone decide.
#[test]
fn create_key_is_decided_by_iam_alone() {
    let mut w = world();
    w.add_principal(BOB, None).unwrap();
    let e = expect_code(&mut w, "CreateKey", json!({}), BOB, "AccessDeniedException");
    assert!(
        e.to_string()
            .contains("on resource: * because no identity-based policy allows the kms:CreateKey action"),
        "{e}"
    );
    principal(
        &mut w,
        ALICE,
        &[
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:CreateKey", "Resource": "*",
        "Condition": {"StringEquals": {"kms:KeySpec": "SYMMETRIC_DEFAULT"}}}]}),
        ],
    );
    ok(&mut w, "CreateKey", json!({"BypassPolicyLockoutSafetyCheck": false}), ALICE);
    expect_code(&mut w, "CreateKey", json!({"KeySpec": "HMAC_256"}), ALICE, "AccessDeniedException");
}
