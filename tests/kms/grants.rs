//! Grant operations: CreateGrant validation, ListGrants, ListRetirableGrants, RetireGrant (who
//! may), RevokeGrant, idempotent names, and operations valid for the key type.

use serde_json::json;

use crate::common::*;

const BOB: &str = "arn:aws:iam::111122223333:user/bob";
const CAROL: &str = "arn:aws:iam::111122223333:user/carol";

#[test]
fn grant_lifecycle() {
    let mut w = world();
    let a = admin(MAIN);
    w.add_principal(BOB, None).unwrap();
    w.add_principal(CAROL, None).unwrap();
    let key = create_key(&mut w, &a, json!({}));
    let g = ok(
        &mut w,
        "CreateGrant",
        json!({"KeyId": key, "GranteePrincipal": BOB, "RetiringPrincipal": CAROL, "Operations": ["Encrypt", "Decrypt"], "Name": "app-grant"}),
        a.as_str(),
    );
    // The same name and grant again: the same grant.
    let again = ok(
        &mut w,
        "CreateGrant",
        json!({"KeyId": key, "GranteePrincipal": BOB, "RetiringPrincipal": CAROL, "Operations": ["Decrypt", "Encrypt"], "Name": "app-grant"}),
        a.as_str(),
    );
    assert_eq!(g["GrantId"], again["GrantId"]);
    let l = ok(&mut w, "ListGrants", json!({"KeyId": key}), a.as_str());
    let grants = l["Grants"].as_array().unwrap();
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0]["GranteePrincipal"], BOB);
    assert_eq!(grants[0]["IssuingAccount"], root(MAIN));
    assert_eq!(grants[0]["Name"], "app-grant");
    let r = ok(&mut w, "ListRetirableGrants", json!({"RetiringPrincipal": CAROL}), a.as_str());
    assert_eq!(r["Grants"].as_array().unwrap().len(), 1);
    // Bob (grantee without RetireGrant) may not retire it; Carol (retiring principal) may.
    expect_code(
        &mut w,
        "RetireGrant",
        json!({"KeyId": key, "GrantId": g["GrantId"]}),
        BOB,
        "AccessDeniedException",
    );
    ok(&mut w, "RetireGrant", json!({"GrantToken": g["GrantToken"]}), CAROL);
    assert_eq!(ok(&mut w, "ListGrants", json!({"KeyId": key}), a.as_str())["Grants"], json!([]));
    expect_code(
        &mut w,
        "RevokeGrant",
        json!({"KeyId": key, "GrantId": g["GrantId"]}),
        a.as_str(),
        "NotFoundException",
    );
}

#[test]
fn grant_validation() {
    let mut w = world();
    let a = admin(MAIN);
    let key = create_key(&mut w, &a, json!({}));
    let hmac = create_key(&mut w, &a, json!({"KeySpec": "HMAC_256"}));
    expect_code(
        &mut w,
        "CreateGrant",
        json!({"KeyId": key, "GranteePrincipal": BOB, "Operations": ["Fly"]}),
        a.as_str(),
        "ValidationException",
    );
    expect_code(
        &mut w,
        "CreateGrant",
        json!({"KeyId": key, "GranteePrincipal": BOB, "Operations": []}),
        a.as_str(),
        "ValidationException",
    );
    expect_code(
        &mut w,
        "CreateGrant",
        json!({"KeyId": key, "GranteePrincipal": "bob", "Operations": ["Decrypt"]}),
        a.as_str(),
        "ValidationException",
    );
    expect_code(
        &mut w,
        "CreateGrant",
        json!({"KeyId": key, "Operations": ["Decrypt"]}),
        a.as_str(),
        "ValidationException",
    );
    expect_code(
        &mut w,
        "CreateGrant",
        json!({"KeyId": hmac, "GranteePrincipal": BOB, "Operations": ["Decrypt"]}),
        a.as_str(),
        "ValidationException",
    );
    expect_code(
        &mut w,
        "CreateGrant",
        json!({"KeyId": hmac, "GranteePrincipal": BOB, "Operations": ["GenerateMac"], "Constraints": {"EncryptionContextSubset": {"a": "b"}}}),
        a.as_str(),
        "ValidationException",
    );
    ok(
        &mut w,
        "CreateGrant",
        json!({"KeyId": hmac, "GranteePrincipal": BOB, "Operations": ["GenerateMac"]}),
        a.as_str(),
    );
    expect_code(
        &mut w,
        "CreateGrant",
        json!({"KeyId": key, "GranteePrincipal": BOB, "Operations": ["Decrypt"], "DryRun": true}),
        a.as_str(),
        "DryRunOperationException",
    );
}
