//! Aliases: names, the reserved `alias/aws/` prefix, one alias per name, update to a key of the
//! same type, listing, and use as a KeyId.

use serde_json::json;

use crate::common::*;

#[test]
fn alias_rules() {
    let mut w = world();
    let a = admin(MAIN);
    let k1 = create_key(&mut w, &a, json!({}));
    let k2 = create_key(&mut w, &a, json!({}));
    let hmac = create_key(&mut w, &a, json!({"KeySpec": "HMAC_256"}));
    ok(&mut w, "CreateAlias", json!({"AliasName": "alias/app", "TargetKeyId": k1}), a.as_str());
    expect_code(
        &mut w,
        "CreateAlias",
        json!({"AliasName": "alias/app", "TargetKeyId": k2}),
        a.as_str(),
        "AlreadyExistsException",
    );
    expect_code(
        &mut w,
        "CreateAlias",
        json!({"AliasName": "alias/aws/s3", "TargetKeyId": k2}),
        a.as_str(),
        "NotAuthorizedException",
    );
    expect_code(
        &mut w,
        "CreateAlias",
        json!({"AliasName": "app2", "TargetKeyId": k2}),
        a.as_str(),
        "ValidationException",
    );
    expect_code(
        &mut w,
        "CreateAlias",
        json!({"AliasName": "alias/bad name", "TargetKeyId": k2}),
        a.as_str(),
        "ValidationException",
    );
    expect_code(
        &mut w,
        "CreateAlias",
        json!({"AliasName": "alias/x", "TargetKeyId": "alias/app"}),
        a.as_str(),
        "ValidationException",
    );
    let long = format!("alias/{}", "a".repeat(251));
    expect_code(
        &mut w,
        "CreateAlias",
        json!({"AliasName": long, "TargetKeyId": k2}),
        a.as_str(),
        "ValidationException",
    );
    // The alias works as a KeyId, by name and by ARN.
    let e = ok(&mut w, "Encrypt", json!({"KeyId": "alias/app", "Plaintext": b64(b"x")}), a.as_str());
    assert_eq!(e["KeyId"], json!(k1));
    let alias_arn = "arn:aws:kms:us-east-1:111122223333:alias/app";
    ok(&mut w, "DescribeKey", json!({"KeyId": alias_arn}), a.as_str());
    ok(&mut w, "UpdateAlias", json!({"AliasName": "alias/app", "TargetKeyId": k2}), a.as_str());
    let e = ok(&mut w, "Encrypt", json!({"KeyId": "alias/app", "Plaintext": b64(b"x")}), a.as_str());
    assert_eq!(e["KeyId"], json!(k2));
    expect_code(
        &mut w,
        "UpdateAlias",
        json!({"AliasName": "alias/app", "TargetKeyId": hmac}),
        a.as_str(),
        "ValidationException",
    );
    let l = ok(&mut w, "ListAliases", json!({}), a.as_str());
    let aliases = l["Aliases"].as_array().unwrap();
    assert_eq!(aliases.len(), 1);
    assert_eq!(aliases[0]["AliasArn"], alias_arn);
    assert_eq!(aliases[0]["TargetKeyId"], json!(k2.rsplit('/').next().unwrap()));
    let by_key = ok(&mut w, "ListAliases", json!({"KeyId": k1}), a.as_str());
    assert_eq!(by_key["Aliases"], json!([]));
    ok(&mut w, "DeleteAlias", json!({"AliasName": "alias/app"}), a.as_str());
    expect_code(&mut w, "DeleteAlias", json!({"AliasName": "alias/app"}), a.as_str(), "NotFoundException");
}

/// alias-access.html: creating an alias needs kms:CreateAlias on the alias (IAM) and on the key
/// (key policy); kms:ResourceAliases lets a policy select keys by alias (alias-authorization.html).
#[test]
fn alias_permissions_and_resource_aliases() {
    let mut w = world();
    let a = admin(MAIN);
    let k = create_key(&mut w, &a, json!({}));
    let alice = "arn:aws:iam::111122223333:user/alice";
    principal(
        &mut w,
        alice,
        &[allow(&["kms:CreateAlias"], "arn:aws:kms:us-east-1:111122223333:alias/team-*")],
    );
    // The identity policy names the alias but not the key.
    expect_code(
        &mut w,
        "CreateAlias",
        json!({"AliasName": "alias/team-a", "TargetKeyId": k}),
        alice,
        "AccessDeniedException",
    );
    w.put_identity_policy(
        alice,
        "keys",
        &allow(&["kms:CreateAlias"], "arn:aws:kms:us-east-1:111122223333:key/*").to_string(),
    )
    .unwrap();
    ok(&mut w, "CreateAlias", json!({"AliasName": "alias/team-a", "TargetKeyId": k}), alice);
    expect_code(
        &mut w,
        "CreateAlias",
        json!({"AliasName": "alias/other", "TargetKeyId": k}),
        alice,
        "AccessDeniedException",
    );
    let bob = "arn:aws:iam::111122223333:user/bob";
    principal(
        &mut w,
        bob,
        &[
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*",
        "Condition": {"ForAnyValue:StringLike": {"kms:ResourceAliases": "alias/team-*"}}}]}),
        ],
    );
    ok(&mut w, "Encrypt", json!({"KeyId": k, "Plaintext": b64(b"x")}), bob);
    let untagged = create_key(&mut w, &a, json!({}));
    expect_code(
        &mut w,
        "Encrypt",
        json!({"KeyId": untagged, "Plaintext": b64(b"x")}),
        bob,
        "AccessDeniedException",
    );
}
