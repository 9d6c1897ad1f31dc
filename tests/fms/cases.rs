//! Scope, compliance, rule-group order and the clock, each case cited from the FMS docs, over
//! the test organisation `tests/fms/org.json` (Prod OU with a nested Payments/Cards OU, a Dev
//! OU, an account with its own web ACL, an account that joins at t=600) and the page's example.

use secplay::fms::examples;
use secplay::fms::json::evaluate;
use serde_json::{json, Map, Value};

const ORG: &str = include_str!("org.json");
const PRE: &str = "arn:aws:wafv2:eu-west-1:100000000000:regional/rulegroup/pre-bad-header/d1000000-0000-4000-8000-000000000001";
const POST: &str = "arn:aws:wafv2:eu-west-1:100000000000:regional/rulegroup/post-evil-query/d1000000-0000-4000-8000-000000000002";

fn alb(account: &str, name: &str) -> String {
    format!("arn:aws:elasticloadbalancing:eu-west-1:{account}:loadbalancer/app/{name}/0123456789abcdef")
}

fn group(arn: &str, count: bool) -> Value {
    json!({"ruleGroupArn": arn, "overrideAction": {"type": if count { "COUNT" } else { "NONE" }},
           "ruleGroupType": "RuleGroup", "excludeRules": []})
}

/// A WAFV2 policy in eu-west-1 on ALBs, remediation on, with `extra` members merged in and
/// `data` members merged into its ManagedServiceData (written as the API writes it: a string).
fn policy(name: &str, extra: Value, data: Value) -> Value {
    let mut msd = json!({"type": "WAFV2", "preProcessRuleGroups": [], "postProcessRuleGroups": [],
        "defaultAction": {"type": "ALLOW"}, "overrideCustomerWebACLAssociation": false, "loggingConfiguration": null});
    merge(&mut msd, data);
    let mut p = json!({
        "PolicyName": name,
        "SecurityServicePolicyData": {"Type": "WAFV2", "ManagedServiceData": msd.to_string()},
        "ResourceType": "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "ExcludeResourceTags": false,
        "RemediationEnabled": true,
    });
    merge(&mut p, extra);
    json!({"Policy": p, "PolicyArn": "arn:aws:fms:eu-west-1:100000000000:policy/a0000000-0000-4000-8000-000000000000"})
}

fn merge(into: &mut Value, from: Value) {
    if let (Some(a), Value::Object(b)) = (into.as_object_mut(), from) {
        let b: Map<String, Value> = b;
        a.extend(b);
    }
}

fn run(policies: Value, options: Value) -> Value {
    let org: Value = serde_json::from_str(ORG).unwrap();
    evaluate(&org, &policies, &options).unwrap()
}

fn resource<'a>(out: &'a Value, arn: &str) -> &'a Value {
    out["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["arn"] == arn)
        .unwrap_or_else(|| panic!("no {arn} in output"))
}

/// The status of `arn` under the first (or only) policy.
fn status<'a>(out: &'a Value, arn: &str) -> &'a Value {
    &resource(out, arn)["policies"][0]
}

fn reasons(s: &Value) -> Vec<String> {
    s["reasons"]
        .as_array()
        .map_or(vec![], |r| r.iter().map(|x| x["code"].as_str().unwrap().to_owned()).collect())
}

fn request(uri: &str, headers: Value) -> Value {
    json!({"method": "GET", "uri": uri, "headers": headers, "clientIp": "192.0.2.10"})
}

// https://docs.aws.amazon.com/fms/2018-01-01/APIReference/API_Policy.html (ResourceType,
// ResourceTypeList: "To apply this policy to multiple resource types, specify a resource type
// of ResourceTypeList and then specify the resource types in a ResourceTypeList.")
#[test]
fn scope_by_resource_type_api_policy() {
    let out = run(json!([policy("albs", json!({}), json!({}))]), json!({}));
    assert_eq!(status(&out, &alb("100000000001", "shop"))["inScope"], true);
    let cognito = "arn:aws:cognito-idp:eu-west-1:100000000001:userpool/eu-west-1_TEST1";
    assert_eq!(reasons(status(&out, cognito)), ["RESOURCE_TYPE"]);
    let list = json!({"ResourceType": "ResourceTypeList",
        "ResourceTypeList": ["AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::Cognito::UserPool"]});
    let out = run(json!([policy("both", list, json!({}))]), json!({}));
    assert_eq!(status(&out, cognito)["inScope"], true);
    assert_eq!(status(&out, &alb("100000000001", "shop"))["inScope"], true);
}

// A regional policy covers its region's resources; CloudFront distributions only a global
// policy (created in us-east-1): https://docs.aws.amazon.com/waf/latest/developerguide/create-policy.html
// ("To protect Amazon CloudFront distributions, choose Global") and
// https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html
#[test]
fn scope_by_region_create_policy() {
    let out = run(json!([policy("albs", json!({}), json!({}))]), json!({}));
    let us = "arn:aws:elasticloadbalancing:us-east-1:100000000003:loadbalancer/app/devus/0123456789abcdef";
    assert_eq!(reasons(status(&out, us)), ["REGION"]);
    let mut cf = policy("cf", json!({"ResourceType": "AWS::CloudFront::Distribution"}), json!({}));
    cf["PolicyArn"] = json!("arn:aws:fms:us-east-1:100000000000:policy/a0000000-0000-4000-8000-000000000000");
    let out = run(json!([cf]), json!({}));
    let dist = "arn:aws:cloudfront::100000000001:distribution/ETEST1";
    assert_eq!(status(&out, dist)["inScope"], true);
    assert_eq!(resource(&out, dist)["region"], "global");
}

// IncludeMap with an OU: "Specifying an OU is the equivalent of specifying all accounts in the
// OU and in any of its child OUs" — https://docs.aws.amazon.com/fms/2018-01-01/APIReference/API_Policy.html
#[test]
fn include_map_ou_covers_nested_child_ous_api_policy() {
    let out = run(
        json!([policy("prod", json!({"IncludeMap": {"ORG_UNIT": ["ou-test-prod0001"]}}), json!({}))]),
        json!({}),
    );
    assert_eq!(status(&out, &alb("100000000001", "shop"))["inScope"], true);
    // Prod > Payments > Cards: two levels down.
    assert_eq!(status(&out, &alb("100000000002", "cards"))["inScope"], true);
    assert_eq!(reasons(status(&out, &alb("100000000003", "dev"))), ["ACCOUNT_NOT_INCLUDED"]);
}

// IncludeMap with an account ID: only that account.
// https://docs.aws.amazon.com/fms/2018-01-01/APIReference/API_Policy.html (IncludeMap ACCOUNT)
#[test]
fn include_map_account_api_policy() {
    let out = run(
        json!([policy("one", json!({"IncludeMap": {"ACCOUNT": ["100000000002"]}}), json!({}))]),
        json!({}),
    );
    assert_eq!(status(&out, &alb("100000000002", "cards"))["inScope"], true);
    assert_eq!(reasons(status(&out, &alb("100000000001", "shop"))), ["ACCOUNT_NOT_INCLUDED"]);
}

// ExcludeMap by account and by a nested OU; without IncludeMap "Firewall Manager applies the
// policy to all accounts except for those specified by the ExcludeMap".
// https://docs.aws.amazon.com/fms/2018-01-01/APIReference/API_Policy.html
#[test]
fn exclude_map_account_and_nested_ou_api_policy() {
    let ex = json!({"ExcludeMap": {"ACCOUNT": ["100000000001"], "ORG_UNIT": ["ou-test-paym0001"]}});
    let out = run(json!([policy("ex", ex, json!({}))]), json!({}));
    assert_eq!(reasons(status(&out, &alb("100000000001", "shop"))), ["ACCOUNT_EXCLUDED"]);
    assert_eq!(reasons(status(&out, &alb("100000000002", "cards"))), ["ACCOUNT_EXCLUDED"]);
    assert_eq!(status(&out, &alb("100000000003", "dev"))["inScope"], true);
}

// "If you specify an IncludeMap, AWS Firewall Manager applies the policy to all accounts
// specified by the IncludeMap, and does not evaluate any ExcludeMap specifications."
// https://docs.aws.amazon.com/fms/2018-01-01/APIReference/API_Policy.html
#[test]
fn include_map_wins_over_exclude_map_api_policy() {
    let both = json!({"IncludeMap": {"ORG_UNIT": ["ou-test-prod0001"]}, "ExcludeMap": {"ACCOUNT": ["100000000001"]}});
    let out = run(json!([policy("both", both, json!({}))]), json!({}));
    assert_eq!(status(&out, &alb("100000000001", "shop"))["inScope"], true);
    let warnings = out["warnings"].to_string();
    assert!(warnings.contains("ExcludeMap"), "{warnings}");
}

// ResourceTags with ExcludeResourceTags false: "only resources with the specified tags are in
// scope", combined with AND ("Resources that have all of the tags that you specify").
// https://docs.aws.amazon.com/fms/2018-01-01/APIReference/API_Policy.html,
// https://docs.aws.amazon.com/waf/latest/developerguide/policy-scope.html
#[test]
fn resource_tags_include_all_of_policy_scope() {
    let tags = json!({"ResourceTags": [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "shop"}]});
    let out = run(json!([policy("tags", tags, json!({}))]), json!({}));
    assert_eq!(status(&out, &alb("100000000001", "shop"))["inScope"], true);
    assert_eq!(reasons(status(&out, &alb("100000000002", "cards"))), ["TAGS_MISSING"]);
}

// ResourceTagLogicalOperator OR: one tag suffices ("you can specify whether to combine them
// using the logical AND operator or the logical OR operator").
// https://docs.aws.amazon.com/fms/2018-01-01/APIReference/API_ResourceTag.html
#[test]
fn resource_tags_or_operator_api_resource_tag() {
    let tags = json!({"ResourceTags": [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "shop"}],
        "ResourceTagLogicalOperator": "OR"});
    let out = run(json!([policy("tags", tags, json!({}))]), json!({}));
    assert_eq!(status(&out, &alb("100000000002", "cards"))["inScope"], true);
    assert_eq!(reasons(status(&out, &alb("100000000003", "dev"))), ["TAGS_MISSING"]);
}

// ExcludeResourceTags true: "resources with the tags that are specified in the ResourceTag
// array are not in scope of the policy". https://docs.aws.amazon.com/fms/2018-01-01/APIReference/API_Policy.html
#[test]
fn resource_tags_exclude_api_policy() {
    let tags = json!({"ResourceTags": [{"Key": "env", "Value": "dev"}], "ExcludeResourceTags": true});
    let out = run(json!([policy("nodev", tags, json!({}))]), json!({}));
    assert_eq!(reasons(status(&out, &alb("100000000003", "dev"))), ["TAGS_EXCLUDED"]);
    assert_eq!(status(&out, &alb("100000000001", "shop"))["inScope"], true);
}

// "A tag with an empty string value only matches with tags that also have an empty string
// value." https://docs.aws.amazon.com/fms/2018-01-01/APIReference/API_ResourceTag.html
#[test]
fn empty_tag_value_matches_only_empty_api_resource_tag() {
    let mut p = policy("empty", json!({"ResourceTags": [{"Key": "env"}]}), json!({}));
    p["PolicyArn"] = json!("arn:aws:fms:us-east-1:100000000000:policy/a0000000-0000-4000-8000-000000000000");
    let out = run(json!([p]), json!({}));
    let us = "arn:aws:elasticloadbalancing:us-east-1:100000000003:loadbalancer/app/devus/0123456789abcdef";
    assert_eq!(status(&out, us)["inScope"], true);
    let out = run(
        json!([policy("empty", json!({"ResourceTags": [{"Key": "env", "Value": ""}]}), json!({}))]),
        json!({}),
    );
    assert_eq!(reasons(status(&out, &alb("100000000003", "dev"))), ["TAGS_MISSING"]);
}

// ResourceSetIds: "A set of resources to include in a policy."
// https://docs.aws.amazon.com/fms/2018-01-01/APIReference/API_ResourceSet.html
#[test]
fn resource_sets_restrict_scope_api_resource_set() {
    let out = run(
        json!([policy("set", json!({"ResourceSetIds": ["abcdefghijklmnopqrstuv"]}), json!({}))]),
        json!({}),
    );
    assert_eq!(status(&out, &alb("100000000002", "cards"))["inScope"], true);
    assert_eq!(reasons(status(&out, &alb("100000000001", "shop"))), ["NOT_IN_RESOURCE_SET"]);
}

// First rule groups, then the account's rules, then last rule groups; "Within each of these
// sets of rules, AWS WAF evaluates rules and rule groups as usual, according to their priority
// settings within the set." https://docs.aws.amazon.com/waf/latest/developerguide/waf-policies-rule-groups.html
#[test]
fn rule_group_order_first_account_last_waf_policies_rule_groups() {
    let p = policy(
        "order",
        json!({}),
        json!({"preProcessRuleGroups": [group(PRE, false)], "postProcessRuleGroups": [group(POST, false)]}),
    );
    let shop = alb("100000000001", "shop");
    let at = |uri: &str, headers: Value| {
        run(json!([p.clone()]), json!({"resource": shop, "request": request(uri, headers)}))
    };
    let out = at("/admin?q=evil", json!([["x-bad", "1"]]));
    let sets: Vec<&str> =
        out["merged"]["rules"].as_array().unwrap().iter().map(|r| r["set"].as_str().unwrap()).collect();
    assert_eq!(sets, ["first", "account", "last"]);
    assert_eq!(out["merged"]["webAcl"]["name"], "FMManagedWebACLV2-order-1767225600000");
    assert_eq!(out["evaluation"]["set"], "first");
    assert_eq!(out["evaluation"]["record"]["terminatingRuleId"], "PREFMManaged-order-1767225600000");
    let out = at("/admin?q=evil", json!([]));
    assert_eq!(
        (out["evaluation"]["set"].as_str(), out["evaluation"]["action"].as_str()),
        (Some("account"), Some("BLOCK"))
    );
    assert_eq!(out["evaluation"]["record"]["terminatingRuleId"], "account-admin");
    let out = at("/shop?q=evil", json!([]));
    assert_eq!(out["evaluation"]["set"], "last");
    let out = at("/shop", json!([]));
    assert_eq!(out["evaluation"]["action"], "ALLOW");
    assert_eq!(out["evaluation"]["record"]["terminatingRuleId"], "Default_Action");
}

// A first rule group with overrideAction COUNT only counts: evaluation goes on to the
// account's rules. https://docs.aws.amazon.com/waf/latest/APIReference/API_FirewallManagerRuleGroup.html
// ("Set it to count to override the result to count only.")
#[test]
fn first_group_in_count_mode_falls_through_api_firewall_manager_rule_group() {
    // The test account's `ManagedWebACLRules` are for the policy named `order`.
    let p = policy("order", json!({}), json!({"preProcessRuleGroups": [group(PRE, true)]}));
    let out = run(
        json!([p.clone()]),
        json!({"resource": alb("100000000001", "shop"),
        "request": request("/admin", json!([["x-bad", "1"]]))}),
    );
    assert_eq!(out["evaluation"]["set"], "account");
    let out = run(
        json!([p]),
        json!({"resource": alb("100000000001", "shop"),
        "request": request("/shop", json!([["x-bad", "1"]]))}),
    );
    assert_eq!(
        (out["evaluation"]["set"].as_str(), out["evaluation"]["action"].as_str()),
        (Some("default"), Some("ALLOW"))
    );
}

// RemediationEnabled false: Firewall Manager reports and does not associate; "If auto remediate
// any non-compliant resources isn't turned on, then the Firewall Manager created web ACL won't
// be associated with in-scope resources."
// https://repost.aws/knowledge-center/waf-web-acl-association-behavior
#[test]
fn remediation_off_reports_missing_web_acl_knowledge_center() {
    let out = run(json!([policy("audit", json!({"RemediationEnabled": false}), json!({}))]), json!({}));
    let s = status(&out, &alb("100000000001", "shop"));
    assert_eq!(
        (s["compliant"].as_bool(), s["violation"].as_str()),
        (Some(false), Some("RESOURCE_MISSING_WEB_ACL"))
    );
    assert_eq!(resource(&out, &alb("100000000001", "shop"))["webAcl"]["source"], "none");
    let out = run(json!([policy("fix", json!({}), json!({}))]), json!({}));
    assert_eq!(status(&out, &alb("100000000001", "shop"))["compliant"], true);
    assert_eq!(
        resource(&out, &alb("100000000001", "shop"))["webAcl"]["name"],
        "FMManagedWebACLV2-fix-1767225600000"
    );
}

// A resource with its own web ACL keeps it unless overrideCustomerWebACLAssociation is true
// (then it is replaced); with webACLSource RETROFIT_EXISTING its own web ACL gets the first and
// last rule groups around its rules.
// https://repost.aws/knowledge-center/waf-web-acl-association-behavior,
// https://docs.aws.amazon.com/waf/latest/developerguide/how-fms-manages-web-acls.html
#[test]
fn own_web_acl_kept_replaced_or_retrofitted_how_fms_manages_web_acls() {
    let own = alb("100000000004", "ownacl");
    let out = run(json!([policy("keep", json!({}), json!({}))]), json!({}));
    let s = status(&out, &own);
    assert_eq!(
        (s["compliant"].as_bool(), s["violation"].as_str()),
        (Some(false), Some("RESOURCE_INCORRECT_WEB_ACL"))
    );
    assert_eq!(resource(&out, &own)["webAcl"]["source"], "own");
    let out = run(
        json!([policy("replace", json!({}), json!({"overrideCustomerWebACLAssociation": true}))]),
        json!({}),
    );
    assert_eq!(status(&out, &own)["compliant"], true);
    assert_eq!(resource(&out, &own)["webAcl"]["source"], "firewall-manager");
    let p = policy(
        "retro",
        json!({}),
        json!({"webACLSource": "RETROFIT_EXISTING",
        "preProcessRuleGroups": [group(PRE, false)], "postProcessRuleGroups": [group(POST, false)]}),
    );
    let out = run(json!([p]), json!({"resource": own, "request": request("/internal", json!([]))}));
    assert_eq!(resource(&out, &own)["webAcl"]["source"], "retrofitted");
    let names: Vec<&str> =
        out["merged"]["rules"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["PREFMManaged-retro-1767225600000", "own-internal", "POSTFMManaged-retro-1767225600000"]
    );
    assert_eq!(out["evaluation"]["set"], "account");
}

// A resource holds one web ACL ("You can associate each AWS resource with only one web ACL"):
// a second policy finds it taken. https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html
#[test]
fn one_web_acl_per_resource_web_acl_associating() {
    let out = run(json!([policy("a", json!({}), json!({})), policy("b", json!({}), json!({}))]), json!({}));
    let r = resource(&out, &alb("100000000001", "shop"));
    assert_eq!(r["policies"][0]["compliant"], true);
    assert_eq!(r["policies"][1]["violation"], "RESOURCE_INCORRECT_WEB_ACL");
    assert_eq!(r["webAcl"]["policyName"], "a");
}

// "When you add a new account or resource to your organization, Firewall Manager automatically
// assesses it against your settings for each policy and applies the policy based on these
// settings." https://docs.aws.amazon.com/waf/latest/developerguide/policy-scope.html
#[test]
fn new_account_joining_is_covered_when_remediation_on_policy_scope() {
    let late = alb("100000000005", "late");
    let p = policy("all", json!({}), json!({}));
    let before = run(json!([p.clone()]), json!({"at": 599}));
    assert!(before["resources"].as_array().unwrap().iter().all(|r| r["arn"] != late));
    assert!(before["upcoming"].to_string().contains(&late));
    let after = run(json!([p]), json!({"at": 600}));
    assert_eq!(status(&after, &late)["compliant"], true);
    assert_eq!(resource(&after, &late)["webAcl"]["source"], "firewall-manager");
    let off =
        run(json!([policy("all", json!({"RemediationEnabled": false}), json!({}))]), json!({"at": 600}));
    assert_eq!(status(&off, &late)["violation"], "RESOURCE_MISSING_WEB_ACL");
    // The timeline counts the account's arrival: one more compliant resource from t=600.
    let t = &after["timeline"];
    let at =
        |s: u64| t.as_array().unwrap().iter().find(|p| p["at"] == s).unwrap()["compliant"].as_u64().unwrap();
    assert_eq!(at(600), at(0) + 1);
}

// A resource created later in a covered account is covered too (same page as above).
#[test]
fn new_resource_created_later_is_covered_policy_scope() {
    let list = json!({"ResourceType": "ResourceTypeList",
        "ResourceTypeList": ["AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::AppSync::GraphQLApi"]});
    let api = "arn:aws:appsync:eu-west-1:100000000005:apis/latelatelatelate";
    let out = run(json!([policy("all", list.clone(), json!({}))]), json!({"at": 899}));
    assert!(out["resources"].as_array().unwrap().iter().all(|r| r["arn"] != api));
    let out = run(json!([policy("all", list, json!({}))]), json!({"at": 900}));
    assert_eq!(status(&out, api)["compliant"], true);
}

// The page's example holds what its description says.
#[test]
fn page_example_is_honest() {
    let org: Value = serde_json::from_str(examples::ORG).unwrap();
    let policies: Value = serde_json::from_str(examples::POLICIES).unwrap();
    let req = |uri: &str| {
        json!({"resource": examples::SHOP_ALB, "request": {"method": "GET", "uri": uri,
        "headers": [["Host", "shop.example.com"], ["User-Agent", "curl/8.5.0"]], "clientIp": "192.0.2.1"}})
    };
    let out = evaluate(&org, &policies, &req("/search?q=1%27%20OR%20%271%27%3D%271")).unwrap();
    assert_eq!(
        (out["evaluation"]["action"].as_str(), out["evaluation"]["set"].as_str()),
        (Some("BLOCK"), Some("last"))
    );
    let out = evaluate(&org, &policies, &req("/admin/users")).unwrap();
    assert_eq!(
        (out["evaluation"]["action"].as_str(), out["evaluation"]["set"].as_str()),
        (Some("BLOCK"), Some("account"))
    );
    let pay = "arn:aws:elasticloadbalancing:eu-west-1:333333333333:loadbalancer/app/pay/9a8b7c6d5e4f3a2b";
    assert_eq!(status(&out, pay)["violation"], "RESOURCE_INCORRECT_WEB_ACL");
    let dev = "arn:aws:elasticloadbalancing:eu-west-1:444444444444:loadbalancer/app/devshop/0f1e2d3c4b5a6978";
    assert_eq!(reasons(status(&out, dev)), ["ACCOUNT_EXCLUDED"]);
    let cf = "arn:aws:cloudfront::222222222222:distribution/E2QWRUHEXAMPLE";
    assert_eq!(resource(&out, cf)["policies"][1]["violation"], "RESOURCE_MISSING_WEB_ACL");
    assert!(out["warnings"].as_array().unwrap().is_empty(), "{}", out["warnings"]);
}
