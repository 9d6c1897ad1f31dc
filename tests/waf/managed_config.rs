#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! `ManagedRuleGroupConfigs` of Bot Control, ATP and ACFP: read and checked against the WAFV2
//! model (`../shared/vectors/waf/wafv2-model-summary.txt`), described in the trace as
//! approximations, and ATP's documented `MissingCredential` rule on login requests.

use secplay::waf::json::WebAcl;
use secplay::waf::model::Statement;
use secplay::waf::parse;
use serde_json::{json, Value};

fn vis(name: &str) -> Value {
    json!({"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": name})
}

fn acl_with_group(name: &str, configs: Value, overrides: Value) -> Value {
    json!({"Name": "t", "DefaultAction": {"Allow": {}}, "VisibilityConfig": vis("t"),
        "Rules": [{"Name": "managed", "Priority": 1, "OverrideAction": {"None": {}}, "VisibilityConfig": vis("m"),
            "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": name,
                "ManagedRuleGroupConfigs": configs, "RuleActionOverrides": overrides, "ExcludedRules": []}}}]})
}

/// The ATP configuration of the AWS documentation's example, "ATP example: Custom handling for
/// missing and compromised credentials"
/// (https://docs.aws.amazon.com/waf/latest/developerguide/waf-atp-control-example-user-agent-exception.html).
fn atp_doc_config() -> Value {
    json!([{"AWSManagedRulesATPRuleSet": {"LoginPath": "/web/login", "RequestInspection": {"PayloadType": "JSON",
        "UsernameField": {"Identifier": "/form/username"}, "PasswordField": {"Identifier": "/form/password"}},
        "EnableRegexInPath": false}}])
}

fn post(uri: &str, body: &str) -> Value {
    json!({"method": "POST", "uri": uri, "headers": [["content-type", "application/json"]], "body": body, "clientIp": "192.0.2.1"})
}

fn err_at(doc: &Value) -> Vec<(&'static str, String)> {
    let e = parse::web_acl(doc).unwrap_err();
    e.all().iter().map(|x| (x.code(), x.pointer().unwrap_or("").to_owned())).collect()
}

const GROUP: &str = "/Rules/0/Statement/ManagedRuleGroupStatement";

#[test]
fn the_documented_atp_configuration_is_read() {
    let acl =
        parse::web_acl(&acl_with_group("AWSManagedRulesATPRuleSet", atp_doc_config(), json!([]))).unwrap();
    let Statement::Managed(g) = &acl.rules[0].statement else { panic!("managed") };
    let atp = g.configs[0].atp().unwrap();
    assert_eq!(atp.login.path, "/web/login");
    let c = atp.request.unwrap();
    assert!(c.payload_json);
    assert_eq!(c.username.as_deref(), Some("/form/username"));
    assert_eq!(c.password.as_deref(), Some("/form/password"));
}

/// "Missing credentials – Label and block request", on "HTTP POST requests to your specified login
/// endpoint"; "/web/login matches ... /web/loginPage ... but doesn't match ... /home/web/login"
/// (https://docs.aws.amazon.com/waf/latest/APIReference/API_AWSManagedRulesATPRuleSet.html).
#[test]
fn atp_missing_credential_blocks_login_posts_without_a_username_or_password() {
    let mut w = WebAcl::new(
        &acl_with_group("AWSManagedRulesATPRuleSet", atp_doc_config(), json!([])),
        &Value::Null,
        &Value::Null,
    )
    .unwrap();
    let both = r#"{"form": {"username": "a@example.com", "password": "hunter2"}}"#;
    let no_password = r#"{"form": {"username": "a@example.com"}}"#;
    let cases = [
        (post("/web/login", both), "ALLOW"),
        (post("/web/login", no_password), "BLOCK"),
        (post("/web/loginPage", no_password), "BLOCK"),
        (post("/web/login/", r#"{"form": {"password": "x"}}"#), "BLOCK"),
        (post("/home/web/login", no_password), "ALLOW"),
        (json!({"method": "GET", "uri": "/web/login", "headers": [], "clientIp": "192.0.2.1"}), "ALLOW"),
    ];
    for (req, want) in cases {
        let rec = w.evaluate(&req, &Value::Null).unwrap();
        assert_eq!(rec["action"], want, "{req}");
        let labels: Vec<&str> = rec["labels"]
            .as_array()
            .map_or(Vec::new(), |l| l.iter().filter_map(|x| x["name"].as_str()).collect());
        assert_eq!(
            labels.contains(&"awswaf:managed:aws:atp:signal:missing_credential"),
            want == "BLOCK",
            "{req}"
        );
        if want == "BLOCK" {
            assert_eq!(rec["terminatingRuleId"], "managed");
            assert_eq!(rec["ruleGroupList"][0]["terminatingRule"]["ruleId"], "MissingCredential");
        }
        // The rule and the group are marked as approximations in the trace, with what is modelled.
        let trace = rec["trace"].as_array().unwrap();
        let group = trace.iter().find(|t| t["rule"] == "managed").unwrap();
        let text = group["approximation"].as_str().unwrap();
        assert!(
            text.contains("POST to paths starting with `/web/login`") && text.contains("not modelled"),
            "{text}"
        );
        let inner = trace.iter().find(|t| t["rule"] == "MissingCredential").unwrap();
        assert!(inner["approximation"].as_str().unwrap().starts_with("approximation"), "{inner}");
        assert!(rec["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("MissingCredential rule")));
    }
}

/// The documentation's override of MissingCredential to Count: labelled, not blocked.
#[test]
fn overriding_missing_credential_to_count_labels_without_blocking() {
    let doc = acl_with_group(
        "AWSManagedRulesATPRuleSet",
        atp_doc_config(),
        json!([{"ActionToUse": {"Count": {}}, "Name": "MissingCredential"}]),
    );
    let mut w = WebAcl::new(&doc, &Value::Null, &Value::Null).unwrap();
    let rec = w.evaluate(&post("/web/login", "{}"), &Value::Null).unwrap();
    assert_eq!(rec["action"], "ALLOW");
    assert!(rec["labels"].to_string().contains("awswaf:managed:aws:atp:signal:missing_credential"), "{rec}");
}

#[test]
fn form_encoded_credentials_and_regex_login_paths() {
    let configs = json!([{"AWSManagedRulesATPRuleSet": {"LoginPath": "^/api/v[0-9]+/login$", "EnableRegexInPath": true,
        "RequestInspection": {"PayloadType": "FORM_ENCODED", "UsernameField": {"Identifier": "user"},
        "PasswordField": {"Identifier": "pass"}}}}]);
    let mut w = WebAcl::new(
        &acl_with_group("AWSManagedRulesATPRuleSet", configs, json!([])),
        &Value::Null,
        &Value::Null,
    )
    .unwrap();
    let form = |uri: &str, body: &str| json!({"method": "POST", "uri": uri, "headers": [["content-type", "application/x-www-form-urlencoded"]], "body": body, "clientIp": "192.0.2.1"});
    for (req, want) in [
        (form("/api/v2/login", "user=a&pass=b"), "ALLOW"),
        (form("/api/v2/login", "pass=b&user=a"), "ALLOW"),
        (form("/api/v2/login", "user=a"), "BLOCK"),
        (form("/api/v2/login", "username=a&password=b"), "BLOCK"),
        (form("/api/v2/login/extra", "user=a"), "ALLOW"),
    ] {
        assert_eq!(w.evaluate(&req, &Value::Null).unwrap()["action"], want, "{req}");
    }
    // A regular expression AWS WAF does not support is refused where it is.
    let bad =
        json!([{"AWSManagedRulesATPRuleSet": {"LoginPath": "^/(?=x)login", "EnableRegexInPath": true}}]);
    assert_eq!(
        err_at(&acl_with_group("AWSManagedRulesATPRuleSet", bad, json!([]))),
        [(
            "UnsupportedRegex",
            format!("{GROUP}/ManagedRuleGroupConfigs/0/AWSManagedRulesATPRuleSet/LoginPath")
        )]
    );
}

/// "The Bot Control managed rule group AWSManagedRulesBotControlRuleSet requires additional
/// configuration to identify the protection level"
/// (https://docs.aws.amazon.com/waf/latest/developerguide/waf-bot-control-rg-using.html);
/// `InspectionLevel` is `COMMON|TARGETED` in the model.
#[test]
fn bot_control_needs_its_inspection_level_and_is_shown_as_not_modelled() {
    assert_eq!(
        err_at(&acl_with_group("AWSManagedRulesBotControlRuleSet", json!([]), json!([]))),
        [("InvalidParameter", format!("{GROUP}/ManagedRuleGroupConfigs"))]
    );
    let medium = json!([{"AWSManagedRulesBotControlRuleSet": {"InspectionLevel": "MEDIUM"}}]);
    assert_eq!(
        err_at(&acl_with_group("AWSManagedRulesBotControlRuleSet", medium, json!([]))),
        [(
            "ConstraintViolation",
            format!("{GROUP}/ManagedRuleGroupConfigs/0/AWSManagedRulesBotControlRuleSet/InspectionLevel")
        )]
    );
    let targeted = json!([{"AWSManagedRulesBotControlRuleSet": {"InspectionLevel": "TARGETED"}}]);
    let mut w = WebAcl::new(
        &acl_with_group("AWSManagedRulesBotControlRuleSet", targeted, json!([])),
        &Value::Null,
        &Value::Null,
    )
    .unwrap();
    let rec = w
        .evaluate(&json!({"method": "GET", "uri": "/", "headers": [], "clientIp": "192.0.2.1"}), &Value::Null)
        .unwrap();
    assert_eq!(rec["action"], "ALLOW");
    let t = rec["trace"][0]["approximation"].as_str().unwrap();
    assert!(
        t.contains("inspection level TARGETED, machine learning on") && t.contains("matching nothing"),
        "{t}"
    );
    // Two members in one config: exactly one is allowed.
    let two = json!([{"AWSManagedRulesBotControlRuleSet": {"InspectionLevel": "COMMON"}, "LoginPath": "/x"}]);
    assert_eq!(
        err_at(&acl_with_group("AWSManagedRulesBotControlRuleSet", two, json!([]))),
        [("InvalidParameter", format!("{GROUP}/ManagedRuleGroupConfigs/0"))]
    );
}

/// `AWSManagedRulesACFPRuleSet`: `CreationPath`, `RegistrationPagePath` and `RequestInspection`
/// required; `ResponseInspection` takes exactly one component ("You can't configure more than one
/// component", https://docs.aws.amazon.com/waf/latest/APIReference/API_ResponseInspection.html)
/// and applies only to CloudFront.
#[test]
fn acfp_configs_are_checked_every_error_at_once_and_described() {
    let bad = json!([{"AWSManagedRulesACFPRuleSet": {"CreationPath": " ", "RegistrationPagePath": "/register",
        "ResponseInspection": {"StatusCode": {"SuccessCodes": [200], "FailureCodes": [400]},
                               "Header": {"Name": "x", "SuccessValues": ["ok"], "FailureValues": ["no"]}}}}]);
    let base = format!("{GROUP}/ManagedRuleGroupConfigs/0/AWSManagedRulesACFPRuleSet");
    assert_eq!(
        err_at(&acl_with_group("AWSManagedRulesACFPRuleSet", bad, json!([]))),
        [
            ("ConstraintViolation", format!("{base}/CreationPath")),
            ("MissingField", base.clone()),
            ("InvalidParameter", format!("{base}/ResponseInspection")),
        ]
    );
    let good = json!([{"AWSManagedRulesACFPRuleSet": {"CreationPath": "/web/newaccount", "RegistrationPagePath": "/web/registration",
        "RequestInspection": {"PayloadType": "JSON", "EmailField": {"Identifier": "/form/email"},
            "PhoneNumberFields": [{"Identifier": "/form/phone1"}, {"Identifier": "/form/phone2"}]},
        "ResponseInspection": {"StatusCode": {"SuccessCodes": [200], "FailureCodes": [400, 409]}}}}]);
    let mut w = WebAcl::new(
        &acl_with_group("AWSManagedRulesACFPRuleSet", good, json!([])),
        &Value::Null,
        &Value::Null,
    )
    .unwrap();
    let rec = w.evaluate(&post("/web/newaccount", "{}"), &Value::Null).unwrap();
    let t = rec["trace"][0]["approximation"].as_str().unwrap();
    for part in [
        "registration page GET at paths starting with `/web/registration`",
        "account creation POST at paths starting with `/web/newaccount`",
        "email `/form/email`",
        "phone numbers `/form/phone1`, `/form/phone2`",
        "status code: success 200, failure 400/409",
        "only for CloudFront: ignored here",
        "not modelled",
    ] {
        assert!(t.contains(part), "{part}: {t}");
    }
}

#[test]
fn configs_model_limits_are_enforced() {
    let long = "x".repeat(513);
    let c = json!([{"AWSManagedRulesATPRuleSet": {"LoginPath": "/l", "RequestInspection": {"PayloadType": "XML",
        "UsernameField": {"Identifier": long}, "PasswordField": {}}}}]);
    let base = format!("{GROUP}/ManagedRuleGroupConfigs/0/AWSManagedRulesATPRuleSet/RequestInspection");
    assert_eq!(
        err_at(&acl_with_group("AWSManagedRulesATPRuleSet", c, json!([]))),
        [
            ("ConstraintViolation", format!("{base}/PayloadType")),
            ("ConstraintViolation", format!("{base}/UsernameField/Identifier")),
            ("MissingField", format!("{base}/PasswordField")),
        ]
    );
}
