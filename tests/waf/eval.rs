#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! Evaluating the sample web ACL (`sample-get-web-acl.json`) with its referenced resources:
//! actions, labels, managed and own rule groups, rate limiting, the AWS log record shape.

use secplay::waf::json::WebAcl;
use serde_json::{json, Value};

const SAMPLE: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/waf/sample-get-web-acl.json"));

fn resources() -> Value {
    json!({
        "ipSets": [{"IPSet": {
            "Name": "office", "Id": "11111111-2222-3333-4444-555555555555",
            "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/ipset/office/11111111-2222-3333-4444-555555555555",
            "IPAddressVersion": "IPV4", "Addresses": ["203.0.113.0/24", "198.51.100.7/32"]}, "LockToken": "x"}],
        "regexPatternSets": [{
            "Name": "admin", "Id": "66666666-7777-8888-9999-000000000000",
            "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/regexpatternset/admin/66666666-7777-8888-9999-000000000000",
            "RegularExpressionList": [{"RegexString": "^/admin(?:/|$)"}, {"RegexString": "^/wp-login\\.php$"}]}],
        "ruleGroups": [{"RuleGroup": {
            "Name": "mine", "Id": "12121212-3434-5656-7878-909090909090", "Capacity": 50,
            "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/rulegroup/mine/12121212-3434-5656-7878-909090909090",
            "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "mine"},
            "Rules": [
                {"Name": "legacy-rule", "Priority": 0, "Action": {"Block": {}},
                 "Statement": {"ByteMatchStatement": {"SearchString": "ZGVidWc9MQ==", "FieldToMatch": {"QueryString": {}},
                   "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PositionalConstraint": "CONTAINS"}},
                 "RuleLabels": [{"Name": "legacy"}],
                 "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "legacy"}},
                {"Name": "evil-header", "Priority": 1, "Action": {"Block": {}},
                 "Statement": {"ByteMatchStatement": {"SearchString": "MQ==", "FieldToMatch": {"SingleHeader": {"Name": "X-Evil"}},
                   "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PositionalConstraint": "EXACTLY"}},
                 "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "evil"}}
            ]}}]
    })
}

fn acl() -> WebAcl {
    WebAcl::new(&Value::String(SAMPLE.to_owned()), &resources(), &Value::Null).unwrap()
}

fn req(method: &str, uri: &str, ip: &str, extra_headers: &[(&str, &str)]) -> Value {
    let mut headers = vec![json!(["Host", "example.com"]), json!(["User-Agent", "Mozilla/5.0"])];
    headers.extend(extra_headers.iter().map(|(n, v)| json!([n, v])));
    json!({"method": method, "uri": uri, "headers": headers, "clientIp": ip})
}

fn labels(rec: &Value) -> Vec<String> {
    rec["labels"].as_array().unwrap().iter().map(|l| l["name"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn plain_request_gets_the_default_action() {
    let rec = acl().evaluate(&req("GET", "/products?id=42", "192.0.2.10", &[]), &Value::Null).unwrap();
    assert_eq!(rec["action"], "ALLOW");
    assert_eq!(rec["terminatingRuleId"], "Default_Action");
    assert_eq!(rec["terminatingRuleType"], "REGULAR");
    assert_eq!(rec["httpRequest"]["uri"], "/products");
    assert_eq!(rec["httpRequest"]["args"], "id=42");
    assert_eq!(rec["httpSourceName"], "ALB");
    assert!(rec["trace"].as_array().unwrap().len() >= 11);
}

#[test]
fn office_address_from_x_forwarded_for_first_is_allowed() {
    let r = req("GET", "/", "192.0.2.10", &[("X-Forwarded-For", "203.0.113.9, 10.0.0.1")]);
    let rec = acl().evaluate(&r, &Value::Null).unwrap();
    assert_eq!(rec["action"], "ALLOW");
    assert_eq!(rec["terminatingRuleId"], "allow-office-ips");
    // FIRST position: the last hop does not count.
    let r = req("GET", "/", "192.0.2.10", &[("X-Forwarded-For", "10.0.0.1, 203.0.113.9")]);
    assert_eq!(acl().evaluate(&r, &Value::Null).unwrap()["terminatingRuleId"], "Default_Action");
}

#[test]
fn geo_label_then_label_match_blocks_with_custom_response() {
    let mut r = req("GET", "/", "192.0.2.10", &[]);
    r["country"] = json!("KP");
    let rec = acl().evaluate(&r, &Value::Null).unwrap();
    assert_eq!(rec["action"], "BLOCK");
    assert_eq!(rec["terminatingRuleId"], "block-kp-unless-trusted");
    assert_eq!(rec["responseCodeSent"], 451);
    assert_eq!(rec["response"]["status"], 451);
    assert_eq!(rec["response"]["body"], "Unavailable for legal reasons");
    assert!(labels(&rec).contains(&"awswaf:clientip:geo:country:KP".to_owned()));
    assert_eq!(rec["nonTerminatingMatchingRules"][0]["ruleId"], "geo-label");
    assert_eq!(rec["nonTerminatingMatchingRules"][0]["action"], "COUNT");
    // Another country: labelled, not blocked.
    r["country"] = json!("FR");
    let rec = acl().evaluate(&r, &Value::Null).unwrap();
    assert_eq!(rec["action"], "ALLOW");
    assert!(labels(&rec).contains(&"awswaf:clientip:geo:country:FR".to_owned()));
}

#[test]
fn sqli_in_query_arguments_is_blocked_with_match_details_and_rule_labels() {
    let r = req("GET", "/products?id=1%27%20OR%201%3D1--", "192.0.2.10", &[]);
    let rec = acl().evaluate(&r, &Value::Null).unwrap();
    assert_eq!(rec["action"], "BLOCK");
    assert_eq!(rec["terminatingRuleId"], "sqli-query-and-json");
    let d = &rec["terminatingRuleMatchDetails"][0];
    assert_eq!(d["conditionType"], "SQL_INJECTION");
    assert_eq!(d["location"], "ALL_QUERY_ARGS");
    assert_eq!(d["sensitivityLevel"], "HIGH");
    assert!(!d["matchedData"].as_array().unwrap().is_empty());
    assert!(labels(&rec).contains(&"awswaf:111122223333:webacl:playground-demo:attack:sqli".to_owned()));
    assert_eq!(rec["responseCodeSent"], Value::Null);
    assert_eq!(rec["response"]["status"], 403);
}

#[test]
fn sqli_in_json_body_is_blocked() {
    let mut r = req("POST", "/api/search", "192.0.2.10", &[("Content-Type", "application/json")]);
    r["body"] = json!(r#"{"q": "x' UNION SELECT password FROM users--"}"#);
    let rec = acl().evaluate(&r, &Value::Null).unwrap();
    assert_eq!(rec["terminatingRuleId"], "sqli-query-and-json");
    assert_eq!(rec["terminatingRuleMatchDetails"][0]["location"], "BODY");
}

#[test]
fn xss_in_body_is_caught_by_the_managed_common_rule_set_first() {
    let mut r = req("POST", "/comment", "192.0.2.10", &[]);
    r["body"] = json!("text=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    let rec = acl().evaluate(&r, &Value::Null).unwrap();
    assert_eq!(rec["action"], "BLOCK");
    assert_eq!(rec["terminatingRuleId"], "aws-common");
    assert_eq!(rec["terminatingRuleType"], "MANAGED_RULE_GROUP");
    let g = &rec["ruleGroupList"][0];
    assert_eq!(g["ruleGroupId"], "AWS#AWSManagedRulesCommonRuleSet");
    assert_eq!(g["terminatingRule"]["ruleId"], "CrossSiteScripting_BODY");
    assert!(labels(&rec).contains(&"awswaf:managed:aws:core-rule-set:CrossSiteScripting_BODY".to_owned()));
    assert!(rec["notes"][0].as_str().unwrap().contains("approximation"));
}

#[test]
fn managed_group_scope_down_skips_health_checks() {
    // No User-Agent: the managed group would block it, but /health is scoped out.
    let r = json!({"method": "GET", "uri": "/health", "headers": [], "clientIp": "192.0.2.10"});
    let rec = acl().evaluate(&r, &Value::Null).unwrap();
    assert_eq!(rec["action"], "ALLOW");
    assert!(!rec["ruleGroupList"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["ruleGroupId"] == "AWS#AWSManagedRulesCommonRuleSet"));
    assert!(rec["trace"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["rule"] == "aws-common" && t["outcome"] == "NOT_EVALUATED"));
    let r = json!({"method": "GET", "uri": "/other", "headers": [], "clientIp": "192.0.2.10"});
    let rec = acl().evaluate(&r, &Value::Null).unwrap();
    assert_eq!(rec["ruleGroupList"][0]["terminatingRule"]["ruleId"], "NoUserAgent_HEADER");
    // Scanner user agent on /health: the managed group is skipped, the regex rule blocks.
    let r = json!({"method": "GET", "uri": "/health", "headers": [["user-agent", "sqlmap/1.7"]], "clientIp": "192.0.2.10"});
    let rec = acl().evaluate(&r, &Value::Null).unwrap();
    assert_eq!(rec["terminatingRuleId"], "ua-regex");
}

#[test]
fn rule_action_override_turns_a_managed_block_into_count() {
    let mut r = req("POST", "/upload", "192.0.2.10", &[]);
    r["body"] = json!("a".repeat(9000));
    let rec = acl().evaluate(&r, &Value::Null).unwrap();
    let g = &rec["ruleGroupList"][0];
    let nt = &g["nonTerminatingMatchingRules"][0];
    assert_eq!(nt["ruleId"], "SizeRestrictions_BODY");
    assert_eq!(nt["action"], "COUNT");
    assert_eq!(nt["overriddenAction"], "BLOCK");
    // The body is over the 8 KB ALB limit: the XSS rule's Body has OversizeHandling MATCH.
    assert_eq!(rec["terminatingRuleId"], "xss-body-cookies");
    assert_eq!(rec["oversizeFields"], json!(["REQUEST_BODY"]));
}

#[test]
fn captcha_without_token_then_with_a_valid_and_an_expired_token() {
    let r = req("GET", "/admin/users", "192.0.2.10", &[]);
    let mut a = acl();
    let rec = a.evaluate(&r, &json!({"timestamp": 1_000_000})).unwrap();
    assert_eq!(rec["action"], "CAPTCHA");
    assert_eq!(rec["terminatingRuleId"], "admin-paths");
    assert_eq!(rec["response"]["status"], 405);
    assert_eq!(rec["captchaResponse"]["failureReason"], "TOKEN_MISSING");
    let rec = a.evaluate(&r, &json!({"timestamp": 1_000_000, "tokens": {"captcha": 900_000}})).unwrap();
    assert_eq!(rec["action"], "ALLOW");
    assert_eq!(rec["nonTerminatingMatchingRules"][0]["action"], "CAPTCHA");
    // Default immunity is 300 s.
    let rec = a.evaluate(&r, &json!({"timestamp": 1_000_000, "tokens": {"captcha": 500_000}})).unwrap();
    assert_eq!(rec["action"], "CAPTCHA");
    assert_eq!(rec["captchaResponse"]["failureReason"], "TOKEN_EXPIRED");
}

#[test]
fn rate_based_rule_challenges_after_the_limit_within_the_window() {
    let mut a = acl();
    let login = |t: u64| {
        let mut r = req("POST", "/login", "192.0.2.77", &[]);
        r["timestamp"] = json!(t);
        r
    };
    for i in 0..100u64 {
        let rec = a.evaluate(&login(1_000 + i * 100), &Value::Null).unwrap();
        assert_eq!(rec["action"], "ALLOW", "request {i}");
    }
    let rec = a.evaluate(&login(11_000), &Value::Null).unwrap();
    assert_eq!(rec["action"], "CHALLENGE");
    assert_eq!(rec["terminatingRuleType"], "RATE_BASED");
    let rb = &rec["rateBasedRuleList"][0];
    assert_eq!(rb["limitKey"], "CUSTOMKEYS");
    assert_eq!(rb["maxRateAllowed"], 100);
    assert_eq!(rb["evaluationWindowSec"], 300);
    // Another address is counted separately; GET is another key too.
    assert_eq!(
        a.evaluate(&req("POST", "/login", "192.0.2.78", &[]), &json!({"timestamp": 11_001})).unwrap()
            ["action"],
        "ALLOW"
    );
    // Outside the scope-down statement: not counted.
    assert_eq!(
        a.evaluate(&req("POST", "/other", "192.0.2.77", &[]), &json!({"timestamp": 11_002})).unwrap()
            ["action"],
        "ALLOW"
    );
    // Once the window has passed, the address is under the limit again.
    let rec = a.evaluate(&login(1_000 + 300_000 + 20_000), &Value::Null).unwrap();
    assert_eq!(rec["action"], "ALLOW");
}

#[test]
fn own_rule_group_with_override_action_count_never_terminates() {
    let r = req("GET", "/x?debug=1", "192.0.2.10", &[("X-Evil", "1")]);
    let rec = acl().evaluate(&r, &Value::Null).unwrap();
    assert_eq!(rec["action"], "ALLOW");
    assert_eq!(rec["terminatingRuleId"], "Default_Action");
    let g = rec["ruleGroupList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["ruleGroupId"].as_str().unwrap().contains("rulegroup/mine"))
        .unwrap()
        .clone();
    // legacy-rule is overridden to Count inside the group, evil-header terminates the group.
    assert_eq!(g["nonTerminatingMatchingRules"][0]["ruleId"], "legacy-rule");
    assert_eq!(g["nonTerminatingMatchingRules"][0]["overriddenAction"], "BLOCK");
    assert_eq!(g["terminatingRule"]["ruleId"], "evil-header");
    let nt = rec["nonTerminatingMatchingRules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["ruleId"] == "my-rule-group")
        .unwrap()
        .clone();
    assert_eq!(nt["action"], "COUNT");
    assert_eq!(nt["overriddenAction"], "BLOCK");
    assert!(labels(&rec).contains(&"awswaf:111122223333:rulegroup:mine:legacy".to_owned()));
}

#[test]
fn capacity_is_computed_offline() {
    let a = acl();
    let report = a.capacity_report();
    let total = a.capacity();
    assert_eq!(report["total"], total);
    let rules = report["rules"].as_array().unwrap();
    let cost = |name: &str| rules.iter().find(|r| r["name"] == name).unwrap()["capacity"].as_u64().unwrap();
    assert_eq!(cost("allow-office-ips"), 1);
    assert_eq!(cost("geo-label"), 1);
    // 700 for the group + scope-down NOT(ByteMatch STARTS_WITH 2 + LOWERCASE 10)
    assert_eq!(cost("aws-common"), 712);
    assert_eq!(cost("block-kp-unless-trusted"), 2);
    // SQLi HIGH 30 + AllQueryArguments 10 + 2 transformations 20; SQLi LOW on JsonBody 20×2
    assert_eq!(cost("sqli-query-and-json"), 60 + 40);
    // XSS 40 + 3 transformations; XSS 40 + 1 transformation
    assert_eq!(cost("xss-body-cookies"), 70 + 50);
    assert_eq!(cost("admin-paths"), 25 + 20);
    assert_eq!(cost("ua-regex"), 3);
    assert_eq!(cost("big-query-string"), 1);
    assert_eq!(cost("login-rate"), 2 + 60 + 2);
    assert_eq!(cost("my-rule-group"), 50);
    assert_eq!(total, 1 + 1 + 712 + 2 + 100 + 120 + 45 + 3 + 1 + 64 + 50);
}

#[test]
fn body_limit_follows_resource_type_and_association_config() {
    let opts = json!({"resourceType": "CLOUDFRONT"});
    let a = WebAcl::new(&Value::String(SAMPLE.to_owned()), &resources(), &opts).unwrap();
    assert_eq!(a.engine().body_limit, 64 * 1024, "AssociationConfig raises CloudFront to 64 KB");
    let a =
        WebAcl::new(&Value::String(SAMPLE.to_owned()), &resources(), &json!({"resourceType": "API_GATEWAY"}))
            .unwrap();
    assert_eq!(a.engine().body_limit, 16 * 1024);
    let a =
        WebAcl::new(&Value::String(SAMPLE.to_owned()), &resources(), &json!({"bodyLimit": "KB_32"})).unwrap();
    assert_eq!(a.engine().body_limit, 32 * 1024);
    assert_eq!(acl().engine().body_limit, 8 * 1024);
    let e = WebAcl::new(&Value::String(SAMPLE.to_owned()), &resources(), &json!({"resourceType": "S3"}))
        .unwrap_err();
    assert_eq!(e.code(), "ConstraintViolation");
}

#[test]
fn replay_reports_counts_and_top_blocked() {
    let mut a = acl();
    let mut lines = String::new();
    for i in 0..5u64 {
        let mut r = req("GET", "/products?id=1%27%20OR%201%3D1--", "192.0.2.66", &[]);
        r["timestamp"] = json!(i * 1000);
        lines.push_str(&r.to_string());
        lines.push('\n');
    }
    let mut ok = req("GET", "/", "192.0.2.1", &[]);
    ok["timestamp"] = json!(90_000);
    lines.push_str(&ok.to_string());
    let report = a.replay(&Value::String(lines)).unwrap();
    assert_eq!(report["total"], 6);
    assert_eq!(report["actions"]["BLOCK"], 5);
    assert_eq!(report["actions"]["ALLOW"], 1);
    assert_eq!(report["topBlockedIps"][0], json!({"value": "192.0.2.66", "count": 5}));
    assert_eq!(report["topBlockedUris"][0]["value"], "/products");
    assert_eq!(report["timeline"].as_array().unwrap().len(), 2);
    let sqli = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "sqli-query-and-json")
        .unwrap()
        .clone();
    assert_eq!(sqli["terminated"], 5);
}

#[test]
fn replay_reads_har_files() {
    let har = json!({"log": {"version": "1.2", "entries": [
        {"startedDateTime": "2026-11-28T10:00:00.000Z", "_clientIp": "192.0.2.5",
         "request": {"method": "GET", "url": "https://shop.example.com/products?id=1%20UNION%20SELECT%20pw%20FROM%20users",
                     "headers": [{"name": ":authority", "value": "shop"}, {"name": "User-Agent", "value": "Mozilla/5.0"}]}},
        {"startedDateTime": "2026-11-28T10:01:30.500+00:00",
         "request": {"method": "POST", "url": "https://shop.example.com/api", "headers": [{"name": "User-Agent", "value": "curl"}],
                     "postData": {"mimeType": "application/json", "text": "{\"a\": 1}"}}}
    ]}});
    let mut a = acl();
    let report = a.replay(&Value::String(har.to_string())).unwrap();
    assert_eq!(report["total"], 2);
    assert_eq!(report["results"][0]["action"], "BLOCK");
    assert_eq!(report["results"][0]["timestamp"], 1_795_860_000_000u64);
    assert_eq!(report["results"][1]["action"], "ALLOW");
    assert_eq!(report["results"][1]["timestamp"], 1_795_860_090_500u64);
    assert_eq!(report["topBlockedIps"][0]["value"], "192.0.2.5");
}

#[test]
fn har_timestamps_are_strict_dates() {
    // HAR `startedDateTime` goes through the shared strict date reader: a malformed one (a `/`
    // date separator, a `-` inside the offset) leaves the request on the engine's clock, like an
    // undated one, instead of a wrong instant (10:00Z and 08:00Z if read field by field).
    let har = json!({"log": {"entries": [
        {"request": {"method": "GET", "url": "https://x/undated"}},
        {"startedDateTime": "2026/11/28T10:00:00Z", "request": {"method": "GET", "url": "https://x/a"}},
        {"startedDateTime": "2026-11-28T10:00:00+02-00", "request": {"method": "GET", "url": "https://x/b"}},
        {"startedDateTime": "2026-11-28T12:00:00+02:00", "request": {"method": "GET", "url": "https://x/c"}}
    ]}});
    let mut a = acl();
    let report = a.replay(&har).unwrap();
    let clock = &report["results"][0]["timestamp"];
    assert_eq!(&report["results"][1]["timestamp"], clock, "a `/` in the date is not a date");
    assert_eq!(&report["results"][2]["timestamp"], clock, "`+02-00` is not an offset");
    assert_eq!(report["results"][3]["timestamp"], 1_795_860_000_000u64, "12:00 at +02:00 is 10:00Z");
    assert_ne!(clock, 1_795_860_000_000u64);
}
