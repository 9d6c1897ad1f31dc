//! Reading the organisation and policies: hostile or wrong input is a coded error naming a JSON
//! pointer, never a panic. Bounds and patterns from the FMS API reference
//! (https://docs.aws.amazon.com/fms/2018-01-01/APIReference/API_Policy.html) and the AWS
//! Organizations quotas (five levels of OUs below the root:
//! https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html).

use secplay::fms::json::{error_value, evaluate};
use secplay::fms::FmsError;
use serde_json::{json, Value};

const ORG: &str = include_str!("org.json");

fn base_policy() -> Value {
    json!({"Policy": {
        "PolicyName": "p",
        "SecurityServicePolicyData": {"Type": "WAFV2", "ManagedServiceData": "{\"type\":\"WAFV2\",\"defaultAction\":{\"type\":\"ALLOW\"}}"},
        "ResourceType": "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "ExcludeResourceTags": false,
        "RemediationEnabled": true
    }, "Region": "eu-west-1"})
}

fn err(org: &Value, policies: &Value, options: &Value) -> (String, String) {
    let e: FmsError = evaluate(org, policies, options).unwrap_err();
    let v = error_value(&e);
    (v["code"].as_str().unwrap().to_owned(), v["pointer"].as_str().unwrap_or("").to_owned())
}

fn org() -> Value {
    serde_json::from_str(ORG).unwrap()
}

fn with_policy(edit: impl Fn(&mut Value)) -> (String, String) {
    let mut p = base_policy();
    edit(&mut p);
    err(&org(), &json!([p]), &Value::Null)
}

#[test]
fn unknown_policy_member_is_named() {
    assert_eq!(
        with_policy(|p| p["Policy"]["Bogus"] = json!(1)),
        ("UnknownField".into(), "/policies/0/Policy".into())
    );
}

#[test]
fn required_remediation_enabled() {
    let got = with_policy(|p| {
        p["Policy"].as_object_mut().unwrap().remove("RemediationEnabled");
    });
    assert_eq!(got, ("MissingField".into(), "/policies/0/Policy".into()));
}

#[test]
fn only_wafv2_is_modelled() {
    let got = with_policy(|p| p["Policy"]["SecurityServicePolicyData"]["Type"] = json!("SHIELD_ADVANCED"));
    assert_eq!(
        got,
        ("UnsupportedPolicyType".into(), "/policies/0/Policy/SecurityServicePolicyData/Type".into())
    );
}

#[test]
fn org_unit_id_pattern() {
    let got = with_policy(|p| p["Policy"]["IncludeMap"] = json!({"ORG_UNIT": ["not-an-ou"]}));
    assert_eq!(got, ("ConstraintViolation".into(), "/policies/0/Policy/IncludeMap/ORG_UNIT/0".into()));
}

#[test]
fn managed_service_data_must_be_json() {
    let got =
        with_policy(|p| p["Policy"]["SecurityServicePolicyData"]["ManagedServiceData"] = json!("{not json"));
    assert_eq!(got.0, "InvalidInput");
    let got = with_policy(|p| {
        p["Policy"]["SecurityServicePolicyData"]["ManagedServiceData"] =
            json!("{\"type\":\"WAFV2\",\"defaultAction\":{\"type\":\"DROP\"}}")
    });
    assert_eq!(
        got,
        (
            "ConstraintViolation".into(),
            "/policies/0/Policy/SecurityServicePolicyData/ManagedServiceData/defaultAction/type".into()
        )
    );
}

// ResourceTags: "Array Members: Maximum number of 8 items."
#[test]
fn at_most_eight_resource_tags() {
    let tags: Vec<Value> = (0..9).map(|i| json!({"Key": format!("k{i}"), "Value": "v"})).collect();
    assert_eq!(with_policy(|p| p["Policy"]["ResourceTags"] = json!(tags)).0, "LimitExceeded");
}

#[test]
fn policy_name_pattern() {
    assert_eq!(with_policy(|p| p["Policy"]["PolicyName"] = json!("bad<name>")).0, "ConstraintViolation");
}

#[test]
fn non_waf_resource_type_is_refused() {
    let got = with_policy(|p| p["Policy"]["ResourceType"] = json!("AWS::EC2::Instance"));
    assert_eq!(got, ("InvalidInput".into(), "/policies/0/Policy/ResourceType".into()));
}

#[test]
fn cloudfront_policy_must_be_global() {
    let got = with_policy(|p| p["Policy"]["ResourceType"] = json!("AWS::CloudFront::Distribution"));
    assert_eq!(got.0, "InvalidInput");
}

#[test]
fn ou_nesting_is_bounded_at_five_levels() {
    let mut unit = json!({"Id": "ou-test-deep0006", "Accounts": []});
    for i in (1..=5).rev() {
        unit = json!({"Id": format!("ou-test-deep000{i}"), "OrganizationalUnits": [unit]});
    }
    let org = json!({"Root": {"Id": "r-test", "OrganizationalUnits": [unit]}});
    let (code, pointer) = err(&org, &json!([]), &Value::Null);
    assert_eq!(code, "LimitExceeded");
    assert!(pointer.starts_with("/org/Root/OrganizationalUnits/0/OrganizationalUnits/0"), "{pointer}");
    // Five levels are fine.
    let mut unit = json!({"Id": "ou-test-deep0005"});
    for i in (1..=4).rev() {
        unit = json!({"Id": format!("ou-test-deep000{i}"), "OrganizationalUnits": [unit]});
    }
    evaluate(&json!({"Root": {"Id": "r-test", "OrganizationalUnits": [unit]}}), &json!([]), &Value::Null)
        .unwrap();
}

#[test]
fn malformed_text_has_a_position() {
    let e = evaluate(&json!("{\"Root\": "), &json!([]), &Value::Null).unwrap_err();
    assert!(matches!(e, FmsError::MalformedJson { line: 1, .. }), "{e:?}");
}

#[test]
fn resource_arn_in_another_account_is_refused() {
    let mut o = org();
    o["Root"]["OrganizationalUnits"][0]["Accounts"][0]["Resources"][0]["Arn"] =
        json!("arn:aws:elasticloadbalancing:eu-west-1:999999999999:loadbalancer/app/x/1");
    let (code, pointer) = err(&o, &json!([]), &Value::Null);
    assert_eq!(
        (code.as_str(), pointer.as_str()),
        ("InvalidInput", "/org/Root/OrganizationalUnits/0/Accounts/0/Resources/0/Arn")
    );
}

#[test]
fn unknown_own_web_acl_is_refused() {
    let mut o = org();
    o["Root"]["OrganizationalUnits"][0]["Accounts"][0]["Resources"][0]["WebACL"] = json!("nope");
    assert_eq!(err(&o, &json!([]), &Value::Null).0, "InvalidInput");
}

#[test]
fn duplicate_account_is_refused() {
    let mut o = org();
    let acct = o["Root"]["OrganizationalUnits"][0]["Accounts"][0].clone();
    o["Root"]["OrganizationalUnits"][1]["Accounts"].as_array_mut().unwrap().push(acct);
    assert_eq!(err(&o, &json!([]), &Value::Null).0, "InvalidInput");
}

#[test]
fn an_own_web_acl_aws_waf_refuses_is_a_waf_error() {
    let mut o = org();
    o["Root"]["OrganizationalUnits"][0]["Accounts"][1]["WebACLs"][0]["DefaultAction"] = json!({"Count": {}});
    let e = evaluate(&o, &json!([]), &Value::Null).unwrap_err();
    let v = error_value(&e);
    assert_eq!(v["code"], "WafError");
    assert!(
        v["message"].as_str().unwrap().starts_with("/org/Root/OrganizationalUnits/0/Accounts/1/WebACLs/0"),
        "{v}"
    );
}

#[test]
fn options_are_checked() {
    let (code, _) = err(&org(), &json!([]), &json!({"request": {"uri": "/"}}));
    assert_eq!(code, "InvalidOptions");
    let (code, pointer) = err(&org(), &json!([]), &json!({"resource": "arn:aws:nope"}));
    assert_eq!((code.as_str(), pointer.as_str()), ("InvalidOptions", "/options/resource"));
    assert_eq!(err(&org(), &json!([]), &json!({"at": -1})).0, "WrongType");
}

#[test]
fn wrong_types_everywhere_are_errors_not_panics() {
    for bad in [json!(null), json!(1), json!("x"), json!([]), json!({"Root": []}), json!({"Root": {"Id": 5}})]
    {
        assert!(evaluate(&bad, &json!([]), &Value::Null).is_err(), "{bad}");
    }
    for bad in [json!(1), json!([1]), json!([{"Policy": []}]), json!({"Policy": {"PolicyName": 3}})] {
        assert!(evaluate(&org(), &bad, &Value::Null).is_err(), "{bad}");
    }
}
