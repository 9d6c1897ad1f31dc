#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! Statement, field and flow semantics on small web ACLs.

use base64::Engine as _;
use secplay::waf::json::WebAcl;
use serde_json::{json, Value};

const VIS: &str = r#"{"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "m"}"#;

fn vis() -> Value {
    serde_json::from_str(VIS).unwrap()
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn rule(name: &str, priority: u32, statement: Value, action: Value) -> Value {
    json!({"Name": name, "Priority": priority, "Statement": statement, "Action": action, "VisibilityConfig": vis()})
}

fn acl_rules(rules: Vec<Value>, default: Value) -> Value {
    json!({"Name": "t", "Id": "a1b2c3d4-5678-90ab-cdef-000000000000",
           "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/t/a1b2c3d4-5678-90ab-cdef-000000000000",
           "DefaultAction": default, "VisibilityConfig": vis(), "Rules": rules})
}

fn one(statement: Value) -> WebAcl {
    WebAcl::new(
        &acl_rules(vec![rule("r", 0, statement, json!({"Block": {}}))], json!({"Allow": {}})),
        &Value::Null,
        &Value::Null,
    )
    .unwrap()
}

fn with_resources(statement: Value, resources: Value) -> WebAcl {
    WebAcl::new(
        &acl_rules(vec![rule("r", 0, statement, json!({"Block": {}}))], json!({"Allow": {}})),
        &resources,
        &Value::Null,
    )
    .unwrap()
}

fn bm(search: &str, field: Value, position: &str, tts: &[&str]) -> Value {
    let tts: Vec<Value> = tts.iter().enumerate().map(|(i, t)| json!({"Priority": i, "Type": t})).collect();
    json!({"ByteMatchStatement": {"SearchString": b64(search), "FieldToMatch": field, "TextTransformations": tts, "PositionalConstraint": position}})
}

fn r(uri: &str) -> Value {
    json!({"method": "GET", "uri": uri, "headers": [["Host", "a"]], "clientIp": "192.0.2.1"})
}

fn blocked(acl: &mut WebAcl, request: &Value) -> bool {
    acl.evaluate(request, &Value::Null).unwrap()["action"] == "BLOCK"
}

#[test]
fn byte_match_positional_constraints() {
    let cases = [
        ("EXACTLY", "/a/b", "/a/b", true),
        ("EXACTLY", "/a/b", "/a/bc", false),
        ("STARTS_WITH", "/a", "/a/b", true),
        ("STARTS_WITH", "/b", "/a/b", false),
        ("ENDS_WITH", ".php", "/x.php", true),
        ("ENDS_WITH", ".php", "/x.php5", false),
        ("CONTAINS", "adm", "/badmin", true),
        ("CONTAINS_WORD", "admin", "/admin/x", true),
        ("CONTAINS_WORD", "admin", "/x-admin", true),
        ("CONTAINS_WORD", "admin", "/badmin", false),
        ("CONTAINS_WORD", "admin", "/admin_x", false),
        ("CONTAINS_WORD", "admin", "admin", true),
    ];
    for (pos, search, path, expect) in cases {
        let mut a = one(bm(search, json!({"UriPath": {}}), pos, &["NONE"]));
        assert_eq!(blocked(&mut a, &r(path)), expect, "{pos} {search} on {path}");
    }
    // Case-sensitive unless transformed.
    let mut a = one(bm("/admin", json!({"UriPath": {}}), "STARTS_WITH", &["NONE"]));
    assert!(!blocked(&mut a, &r("/ADMIN")));
    let mut a = one(bm("/admin", json!({"UriPath": {}}), "STARTS_WITH", &["LOWERCASE"]));
    assert!(blocked(&mut a, &r("/ADMIN")));
}

#[test]
fn query_fields() {
    let mut a = one(bm("evil", json!({"SingleQueryArgument": {"Name": "Q"}}), "EXACTLY", &["NONE"]));
    assert!(blocked(&mut a, &r("/?x=1&q=ok&q=evil")), "duplicates are OR-ed, names case-insensitive");
    assert!(!blocked(&mut a, &r("/?x=evil")));
    let mut a = one(bm("evil", json!({"AllQueryArguments": {}}), "EXACTLY", &["NONE"]));
    assert!(blocked(&mut a, &r("/?a=1&b=evil")));
    assert!(!blocked(&mut a, &r("/?evil=1")), "AllQueryArguments inspects values only");
    let mut a = one(bm("a=1&b", json!({"QueryString": {}}), "EXACTLY", &["NONE"]));
    assert!(blocked(&mut a, &r("/p?a=1&b#frag")));
    let mut a = one(bm("frag", json!({"UriFragment": {"FallbackBehavior": "MATCH"}}), "EXACTLY", &["NONE"]));
    assert!(blocked(&mut a, &r("/p#frag")));
    assert!(blocked(&mut a, &r("/p")), "no fragment: fallback MATCH");
    let mut a = one(bm("DELETE", json!({"Method": {}}), "EXACTLY", &["NONE"]));
    assert!(blocked(
        &mut a,
        &json!({"method": "DELETE", "uri": "/", "headers": [], "clientIp": "192.0.2.1"})
    ));
}

#[test]
fn headers_cookies_and_header_order() {
    let hdr = |pattern: Value, scope: &str, oversize: &str| json!({"Headers": {"MatchPattern": pattern, "MatchScope": scope, "OversizeHandling": oversize}});
    let req = json!({"method": "GET", "uri": "/", "clientIp": "192.0.2.1",
        "headers": [["Host", "a"], ["X-Api", "secret"], ["Cookie", "session=abc; Theme=dark"]]});
    let mut a = one(bm("secret", hdr(json!({"All": {}}), "VALUE", "CONTINUE"), "EXACTLY", &["NONE"]));
    assert!(blocked(&mut a, &req));
    let mut a = one(bm(
        "secret",
        hdr(json!({"ExcludedHeaders": ["x-api"]}), "VALUE", "CONTINUE"),
        "EXACTLY",
        &["NONE"],
    ));
    assert!(!blocked(&mut a, &req), "excluded header names are case-insensitive");
    let mut a = one(bm("x-api", hdr(json!({"All": {}}), "KEY", "CONTINUE"), "EXACTLY", &["LOWERCASE"]));
    assert!(blocked(&mut a, &req));
    let ck = |pattern: Value, scope: &str| json!({"Cookies": {"MatchPattern": pattern, "MatchScope": scope, "OversizeHandling": "CONTINUE"}});
    let mut a = one(bm("dark", ck(json!({"IncludedCookies": ["Theme"]}), "VALUE"), "EXACTLY", &["NONE"]));
    assert!(blocked(&mut a, &req));
    let mut a = one(bm("dark", ck(json!({"IncludedCookies": ["theme"]}), "VALUE"), "EXACTLY", &["NONE"]));
    assert!(!blocked(&mut a, &req), "cookie names are case-sensitive");
    let mut a = one(bm(
        "Host:X-Api:Cookie",
        json!({"HeaderOrder": {"OversizeHandling": "CONTINUE"}}),
        "EXACTLY",
        &["NONE"],
    ));
    assert!(blocked(&mut a, &req));
    // Oversize: more than 200 headers.
    let many: Vec<Value> = (0..210).map(|i| json!([format!("h{i}"), "v"])).collect();
    let big = json!({"method": "GET", "uri": "/", "clientIp": "192.0.2.1", "headers": many});
    let mut a = one(bm("nothing", hdr(json!({"All": {}}), "VALUE", "MATCH"), "EXACTLY", &["NONE"]));
    let rec = a.evaluate(&big, &Value::Null).unwrap();
    assert_eq!(rec["action"], "BLOCK");
    assert_eq!(rec["oversizeFields"], json!(["REQUEST_HEADERS"]));
    let mut a = one(bm("v", hdr(json!({"All": {}}), "VALUE", "NO_MATCH"), "EXACTLY", &["NONE"]));
    assert!(!blocked(&mut a, &big));
}

#[test]
fn json_body_paths_scopes_and_fallbacks() {
    let jb = |pattern: Value, scope: &str, fallback: Option<&str>| {
        let mut v = json!({"JsonBody": {"MatchPattern": pattern, "MatchScope": scope}});
        if let Some(f) = fallback {
            v["JsonBody"]["InvalidFallbackBehavior"] = json!(f);
        }
        v
    };
    let post = |body: &str| json!({"method": "POST", "uri": "/", "headers": [], "clientIp": "192.0.2.1", "body": body});
    let body = r#"{"user": {"name": "evil", "roles": ["a", "b"]}, "note": "ok"}"#;
    let mut a = one(bm("evil", jb(json!({"All": {}}), "VALUE", None), "EXACTLY", &["NONE"]));
    assert!(blocked(&mut a, &post(body)));
    let mut a = one(bm("evil", jb(json!({"IncludedPaths": ["/note"]}), "VALUE", None), "EXACTLY", &["NONE"]));
    assert!(!blocked(&mut a, &post(body)));
    let mut a = one(bm("evil", jb(json!({"IncludedPaths": ["/user"]}), "VALUE", None), "EXACTLY", &["NONE"]));
    assert!(blocked(&mut a, &post(body)), "an included path covers its subtree");
    let mut a = one(bm("roles", jb(json!({"All": {}}), "KEY", None), "EXACTLY", &["NONE"]));
    assert!(blocked(&mut a, &post(body)));
    let mut a = one(bm("evil", jb(json!({"All": {}}), "KEY", None), "EXACTLY", &["NONE"]));
    assert!(!blocked(&mut a, &post(body)));
    // Invalid JSON: without a fallback, what was read before the error is inspected.
    let broken = r#"{"a": "evil", "b": }"#;
    let mut a = one(bm("evil", jb(json!({"All": {}}), "VALUE", None), "EXACTLY", &["NONE"]));
    assert!(blocked(&mut a, &post(broken)));
    let mut a = one(bm("zzz", jb(json!({"All": {}}), "VALUE", Some("MATCH")), "EXACTLY", &["NONE"]));
    assert!(blocked(&mut a, &post(broken)));
    let mut a = one(bm("evil", jb(json!({"All": {}}), "VALUE", Some("NO_MATCH")), "EXACTLY", &["NONE"]));
    assert!(!blocked(&mut a, &post(broken)));
    let mut a = one(bm(
        "\"b\": }",
        jb(json!({"All": {}}), "VALUE", Some("EVALUATE_AS_STRING")),
        "CONTAINS",
        &["NONE"],
    ));
    assert!(blocked(&mut a, &post(broken)));
}

#[test]
fn body_is_cut_at_the_inspection_limit() {
    let mut body = "a".repeat(8 * 1024);
    body.push_str("evil");
    let post = json!({"method": "POST", "uri": "/", "headers": [], "clientIp": "192.0.2.1", "body": body});
    let mut a = one(bm("evil", json!({"Body": {"OversizeHandling": "CONTINUE"}}), "CONTAINS", &["NONE"]));
    assert!(!blocked(&mut a, &post), "ALB inspects the first 8 KB only");
    let acl = acl_rules(
        vec![rule("r", 0, bm("evil", json!({"Body": {}}), "CONTAINS", &["NONE"]), json!({"Block": {}}))],
        json!({"Allow": {}}),
    );
    let mut a = WebAcl::new(&acl, &Value::Null, &json!({"resourceType": "API_GATEWAY"})).unwrap();
    assert!(blocked(&mut a, &post), "API Gateway inspects 16 KB");
    let mut a = one(bm("zzz", json!({"Body": {"OversizeHandling": "MATCH"}}), "CONTAINS", &["NONE"]));
    assert!(blocked(&mut a, &post));
    let b64body = json!({"method": "POST", "uri": "/", "headers": [], "clientIp": "192.0.2.1", "bodyBase64": b64("evil")});
    let mut a = one(bm("evil", json!({"Body": {}}), "EXACTLY", &["NONE"]));
    assert!(blocked(&mut a, &b64body));
}

#[test]
fn size_constraint_after_transformations() {
    let size = |op: &str, n: u64, tts: &[&str]| {
        let tts: Vec<Value> =
            tts.iter().enumerate().map(|(i, t)| json!({"Priority": i, "Type": t})).collect();
        json!({"SizeConstraintStatement": {"FieldToMatch": {"UriPath": {}}, "ComparisonOperator": op, "Size": n, "TextTransformations": tts}})
    };
    for (op, n, expect) in [
        ("EQ", 6, true),
        ("NE", 6, false),
        ("LT", 6, false),
        ("LE", 6, true),
        ("GT", 5, true),
        ("GE", 7, false),
    ] {
        let mut a = one(size(op, n, &["NONE"]));
        assert_eq!(blocked(&mut a, &r("/%41BC")), expect, "{op} {n}");
    }
    let mut a = one(size("EQ", 4, &["URL_DECODE"]));
    assert!(blocked(&mut a, &r("/%41BC")), "measured after URL_DECODE");
}

#[test]
fn logical_statements() {
    let a_st = bm("a", json!({"UriPath": {}}), "CONTAINS", &["NONE"]);
    let b_st = bm("b", json!({"UriPath": {}}), "CONTAINS", &["NONE"]);
    let mut and = one(json!({"AndStatement": {"Statements": [a_st.clone(), b_st.clone()]}}));
    let mut or = one(json!({"OrStatement": {"Statements": [a_st.clone(), b_st.clone()]}}));
    let mut not = one(json!({"NotStatement": {"Statement": a_st}}));
    for (p, e_and, e_or, e_not) in
        [("/ab", true, true, false), ("/a", false, true, false), ("/x", false, false, true)]
    {
        assert_eq!(blocked(&mut and, &r(p)), e_and, "and {p}");
        assert_eq!(blocked(&mut or, &r(p)), e_or, "or {p}");
        assert_eq!(blocked(&mut not, &r(p)), e_not, "not {p}");
    }
}

#[test]
fn labels_are_visible_only_to_later_rules_and_count_continues() {
    let label_match = json!({"LabelMatchStatement": {"Scope": "LABEL", "Key": "seen"}});
    let ns_match =
        json!({"LabelMatchStatement": {"Scope": "NAMESPACE", "Key": "awswaf:111122223333:webacl:t:team:"}});
    let any = bm("/", json!({"UriPath": {}}), "STARTS_WITH", &["NONE"]);
    let mut labeller = rule(
        "labeller",
        1,
        any,
        json!({"Count": {"CustomRequestHandling": {"InsertHeaders": [{"Name": "seen", "Value": "1"}]}}}),
    );
    labeller["RuleLabels"] = json!([{"Name": "seen"}, {"Name": "team:a"}]);
    let rules = vec![
        rule("early", 0, label_match.clone(), json!({"Block": {}})),
        labeller,
        rule("late-ns", 2, ns_match, json!({"Count": {}})),
        rule(
            "late",
            3,
            label_match,
            json!({"Allow": {"CustomRequestHandling": {"InsertHeaders": [{"Name": "late", "Value": "yes"}]}}}),
        ),
    ];
    let mut a = WebAcl::new(&acl_rules(rules, json!({"Block": {}})), &Value::Null, &Value::Null).unwrap();
    let rec = a.evaluate(&r("/x"), &Value::Null).unwrap();
    assert_eq!(rec["action"], "ALLOW");
    assert_eq!(rec["terminatingRuleId"], "late");
    let nt: Vec<&str> = rec["nonTerminatingMatchingRules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(nt, ["labeller", "late-ns"]);
    assert_eq!(
        rec["requestHeadersInserted"],
        json!([{"name": "x-amzn-waf-seen", "value": "1"}, {"name": "x-amzn-waf-late", "value": "yes"}])
    );
    assert_eq!(
        rec["labels"],
        json!([{"name": "awswaf:111122223333:webacl:t:seen"}, {"name": "awswaf:111122223333:webacl:t:team:a"}])
    );
}

#[test]
fn default_block_with_custom_response_and_headers() {
    let mut acl = acl_rules(
        vec![],
        json!({"Block": {"CustomResponse": {"ResponseCode": 429, "CustomResponseBodyKey": "slow",
        "ResponseHeaders": [{"Name": "retry", "Value": "60"}]}}}),
    );
    acl["CustomResponseBodies"] =
        json!({"slow": {"ContentType": "APPLICATION_JSON", "Content": "{\"error\":\"slow down\"}"}});
    let mut a = WebAcl::new(&acl, &Value::Null, &Value::Null).unwrap();
    let rec = a.evaluate(&r("/"), &Value::Null).unwrap();
    assert_eq!(rec["action"], "BLOCK");
    assert_eq!(rec["terminatingRuleId"], "Default_Action");
    assert_eq!(rec["responseCodeSent"], 429);
    assert_eq!(rec["response"]["contentType"], "APPLICATION_JSON");
    assert_eq!(rec["response"]["headers"], json!([{"name": "x-amzn-waf-retry", "value": "60"}]));
}

fn ip_set(arn: &str, version: &str, addrs: &[&str]) -> Value {
    json!({"Name": "s", "Id": "11111111-2222-3333-4444-555555555555", "ARN": arn, "IPAddressVersion": version, "Addresses": addrs})
}

#[test]
fn ip_sets_v4_v6_forwarded_positions_and_fallback() {
    let arn4 = "arn:aws:wafv2:us-east-1:1:regional/ipset/v4/x";
    let arn6 = "arn:aws:wafv2:us-east-1:1:regional/ipset/v6/x";
    let res = json!({"ipSets": [ip_set(arn4, "IPV4", &["10.0.0.0/8", "192.0.2.128/25"]), ip_set(arn6, "IPV6", &["2001:db8::/32"])]});
    let from = |ip: &str| json!({"method": "GET", "uri": "/", "headers": [], "clientIp": ip});
    let mut a = with_resources(json!({"IPSetReferenceStatement": {"ARN": arn4}}), res.clone());
    assert!(blocked(&mut a, &from("10.1.2.3")));
    assert!(blocked(&mut a, &from("192.0.2.200")));
    assert!(!blocked(&mut a, &from("192.0.2.100")));
    assert!(!blocked(&mut a, &from("2001:db8::1")));
    let mut a = with_resources(json!({"IPSetReferenceStatement": {"ARN": arn6}}), res.clone());
    assert!(blocked(&mut a, &from("2001:db8:ffff::1")));
    assert!(!blocked(&mut a, &from("2001:db9::1")));
    let fwd = |position: &str, fallback: &str| json!({"IPSetReferenceStatement": {"ARN": arn4, "IPSetForwardedIPConfig": {"HeaderName": "X-Forwarded-For", "FallbackBehavior": fallback, "Position": position}}});
    let xff = |v: &str| json!({"method": "GET", "uri": "/", "headers": [["x-forwarded-for", v]], "clientIp": "198.51.100.1"});
    let mut first = with_resources(fwd("FIRST", "NO_MATCH"), res.clone());
    let mut last = with_resources(fwd("LAST", "NO_MATCH"), res.clone());
    let mut any = with_resources(fwd("ANY", "NO_MATCH"), res.clone());
    let chain = xff("203.0.113.1, 10.9.9.9, 198.51.100.2");
    assert!(!blocked(&mut first, &chain));
    assert!(!blocked(&mut last, &chain));
    assert!(blocked(&mut any, &chain));
    assert!(blocked(&mut last, &xff("203.0.113.1, 10.9.9.9")));
    assert!(!blocked(&mut first, &from("10.0.0.1")), "no header: fallback NO_MATCH, client IP ignored");
    let mut fb = with_resources(fwd("FIRST", "MATCH"), res);
    assert!(blocked(&mut fb, &xff("not-an-ip")));
    assert!(blocked(&mut fb, &from("198.51.100.1")));
}

#[test]
fn ten_thousand_entry_ip_set() {
    let arn = "arn:aws:wafv2:us-east-1:1:regional/ipset/big/x";
    let addrs: Vec<String> = (0..10_000u32).map(|i| format!("10.{}.{}.0/24", i / 256, i % 256)).collect();
    let refs: Vec<&str> = addrs.iter().map(String::as_str).collect();
    let mut a = with_resources(
        json!({"IPSetReferenceStatement": {"ARN": arn}}),
        json!({"ipSets": [ip_set(arn, "IPV4", &refs)]}),
    );
    let from = |ip: &str| json!({"method": "GET", "uri": "/", "headers": [], "clientIp": ip});
    assert!(blocked(&mut a, &from("10.39.15.7")));
    assert!(!blocked(&mut a, &from("10.40.0.1")));
}

#[test]
fn geo_and_asn_with_forwarded_config() {
    let geo = json!({"GeoMatchStatement": {"CountryCodes": ["RU", "CN"], "ForwardedIPConfig": {"HeaderName": "X-Client-IP", "FallbackBehavior": "MATCH"}}});
    let mut a = one(geo);
    let q = |headers: Value, extra: Value| {
        let mut v = json!({"method": "GET", "uri": "/", "headers": headers, "clientIp": "192.0.2.1", "country": "US"});
        for (k, val) in extra.as_object().unwrap() {
            v[k] = val.clone();
        }
        v
    };
    assert!(blocked(&mut a, &q(json!([]), json!({}))), "header missing: fallback MATCH");
    let rec = a
        .evaluate(
            &q(json!([["X-Client-IP", "203.0.113.5"]]), json!({"forwardedCountry": "CN", "region": "BJ"})),
            &Value::Null,
        )
        .unwrap();
    assert_eq!(rec["action"], "BLOCK");
    assert!(rec["labels"]
        .as_array()
        .unwrap()
        .contains(&json!({"name": "awswaf:forwardedip:geo:country:CN"})));
    assert!(!blocked(&mut a, &q(json!([["X-Client-IP", "203.0.113.5"]]), json!({"forwardedCountry": "DE"}))));
    let mut asn = one(json!({"AsnMatchStatement": {"AsnList": [64496, 64511]}}));
    assert!(blocked(&mut asn, &q(json!([]), json!({"asn": 64511}))));
    assert!(!blocked(&mut asn, &q(json!([]), json!({"asn": 13335}))));
}

#[test]
fn regex_statements() {
    let arn = "arn:aws:wafv2:us-east-1:1:regional/regexpatternset/p/x";
    let set = json!({"Name": "p", "Id": "x", "ARN": arn, "RegularExpressionList": [{"RegexString": "^/wp-"}, {"RegexString": "\\.env$"}]});
    let mut a = with_resources(
        json!({"RegexPatternSetReferenceStatement": {"ARN": arn, "FieldToMatch": {"UriPath": {}}, "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}}),
        json!({"regexPatternSets": [set]}),
    );
    assert!(blocked(&mut a, &r("/wp-admin")));
    assert!(blocked(&mut a, &r("/app/.env")));
    assert!(!blocked(&mut a, &r("/env")));
    let mut a = one(
        json!({"RegexMatchStatement": {"RegexString": "^/api/v[0-9]+/users/[0-9]+$", "FieldToMatch": {"UriPath": {}},
        "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}}),
    );
    assert!(blocked(&mut a, &r("/api/v2/users/17")));
    assert!(!blocked(&mut a, &r("/api/v2/users/me")));
}

#[test]
fn sqli_and_xss_statements_with_transformations() {
    let sqli = |sens: &str| {
        json!({"SqliMatchStatement": {"FieldToMatch": {"QueryString": {}}, "SensitivityLevel": sens,
        "TextTransformations": [{"Priority": 0, "Type": "URL_DECODE"}]}})
    };
    let mut low = one(sqli("LOW"));
    assert!(blocked(&mut low, &r("/?id=1%20UNION%20SELECT%20password%20FROM%20users")));
    assert!(!blocked(&mut low, &r("/?q=rock+and+roll")));
    let xss = json!({"XssMatchStatement": {"FieldToMatch": {"AllQueryArguments": {}},
        "TextTransformations": [{"Priority": 0, "Type": "URL_DECODE"}, {"Priority": 1, "Type": "HTML_ENTITY_DECODE"}]}});
    let mut a = one(xss);
    let rec = a.evaluate(&r("/?name=%26lt;img%20src=x%20onerror=alert(1)%26gt;"), &Value::Null).unwrap();
    assert_eq!(rec["action"], "BLOCK");
    assert_eq!(rec["terminatingRuleMatchDetails"][0]["conditionType"], "XSS");
    assert!(!blocked(&mut a, &r("/?name=%3Cb%3Ehello%3C%2Fb%3E")));
}

#[test]
fn managed_sqli_rule_set_with_excluded_rules_and_version() {
    let st = json!({"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesSQLiRuleSet", "Version": "Version_2.0",
        "ExcludedRules": [{"Name": "SQLi_QUERYARGUMENTS"}]}});
    let acl = acl_rules(
        vec![
            json!({"Name": "sqli", "Priority": 0, "Statement": st, "OverrideAction": {"None": {}}, "VisibilityConfig": vis()}),
        ],
        json!({"Allow": {}}),
    );
    let mut a = WebAcl::new(&acl, &Value::Null, &Value::Null).unwrap();
    assert_eq!(a.capacity(), 200);
    let rec = a.evaluate(&r("/?id=1%27%20or%20%271%27%3D%271"), &Value::Null).unwrap();
    assert_eq!(rec["action"], "ALLOW", "the query-argument rule is excluded (counted)");
    assert_eq!(
        rec["ruleGroupList"][0]["excludedRules"],
        json!([{"exclusionType": "EXCLUDED_AS_COUNT", "ruleId": "SQLi_QUERYARGUMENTS"}])
    );
    let rec = a.evaluate(&r("/?id=1%20union%20select%201,2"), &Value::Null).unwrap();
    assert_eq!(rec["action"], "BLOCK");
    assert_eq!(rec["ruleGroupList"][0]["terminatingRule"]["ruleId"], "SQLiExtendedPatterns_QUERYARGUMENTS");
    assert!(rec["labels"]
        .as_array()
        .unwrap()
        .contains(&json!({"name": "awswaf:managed:aws:sql-database:SQLiExtendedPatterns_QUERYARGUMENTS"})));
}

#[test]
fn unmodelled_managed_groups_match_nothing_and_say_so() {
    // Bot Control needs its inspection level (see managed_config.rs).
    let st = json!({"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesBotControlRuleSet",
        "ManagedRuleGroupConfigs": [{"AWSManagedRulesBotControlRuleSet": {"InspectionLevel": "COMMON"}}]}});
    let acl = acl_rules(
        vec![
            json!({"Name": "bots", "Priority": 0, "Statement": st, "OverrideAction": {"None": {}}, "VisibilityConfig": vis()}),
        ],
        json!({"Allow": {}}),
    );
    let mut a = WebAcl::new(&acl, &Value::Null, &Value::Null).unwrap();
    assert_eq!(a.capacity(), 50);
    let rec = a.evaluate(&r("/"), &Value::Null).unwrap();
    assert_eq!(rec["action"], "ALLOW");
    let notes = rec["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().ends_with("is not modelled; it is evaluated as matching nothing")),
        "{notes:?}"
    );
}

#[test]
fn rate_based_constant_and_forwarded_ip_keys() {
    let st = json!({"RateBasedStatement": {"Limit": 10, "EvaluationWindowSec": 60, "AggregateKeyType": "CONSTANT",
        "ScopeDownStatement": bm("/api", json!({"UriPath": {}}), "STARTS_WITH", &["NONE"])}});
    let mut a = one(st);
    for i in 0..10u64 {
        let mut q = r("/api/x");
        q["clientIp"] = json!(format!("192.0.2.{i}"));
        q["timestamp"] = json!(i * 1000);
        assert!(!blocked(&mut a, &q), "request {i}");
    }
    let mut q = r("/api/y");
    q["timestamp"] = json!(10_000);
    assert!(blocked(&mut a, &q), "the 11th request from anywhere exceeds the constant key");
    q["timestamp"] = json!(75_000);
    assert!(!blocked(&mut a, &q), "60 s later the window is clear");

    let st = json!({"RateBasedStatement": {"Limit": 10, "AggregateKeyType": "FORWARDED_IP",
        "ForwardedIPConfig": {"HeaderName": "X-Forwarded-For", "FallbackBehavior": "NO_MATCH"}}});
    let mut a = one(st);
    let from = |xff: &str, t: u64| json!({"method": "GET", "uri": "/", "headers": [["X-Forwarded-For", xff]], "clientIp": "10.0.0.1", "timestamp": t});
    for t in 0..10 {
        assert!(!blocked(&mut a, &from("203.0.113.9", t)));
    }
    assert!(blocked(&mut a, &from("203.0.113.9", 11)));
    assert!(!blocked(&mut a, &from("203.0.113.10", 12)));
}

#[test]
fn evaluate_rejects_malformed_requests() {
    let mut a = one(bm("a", json!({"UriPath": {}}), "CONTAINS", &["NONE"]));
    let e =
        a.evaluate(&json!({"method": "GET", "uri": "/", "clientIp": "999.1.1.1"}), &Value::Null).unwrap_err();
    assert_eq!(e.code(), "InvalidRequest");
    assert_eq!(e.pointer(), Some("/clientIp"));
    let e = a
        .evaluate(&json!({"uri": "/", "headers": [["a"]], "clientIp": "192.0.2.1"}), &Value::Null)
        .unwrap_err();
    assert_eq!(e.code(), "InvalidRequest");
    let e = a.evaluate(&json!({"uri": "/", "clientIp": "192.0.2.1", "bogus": 1}), &Value::Null).unwrap_err();
    assert_eq!(e.code(), "UnknownField");
}

#[test]
fn at_most_fifty_references_per_web_acl() {
    let arn = "arn:aws:wafv2:us-east-1:1:regional/ipset/v4/x";
    let res = json!({"ipSets": [ip_set(arn, "IPV4", &["10.0.0.0/8"])]});
    let refs = |n: usize| -> Vec<Value> {
        (0..n).map(|_| json!({"IPSetReferenceStatement": {"ARN": arn}})).collect()
    };
    let ok = acl_rules(
        vec![rule("r", 0, json!({"OrStatement": {"Statements": refs(50)}}), json!({"Block": {}}))],
        json!({"Allow": {}}),
    );
    assert!(WebAcl::new(&ok, &res, &Value::Null).is_ok());
    let too_many = acl_rules(
        vec![rule("r", 0, json!({"OrStatement": {"Statements": refs(51)}}), json!({"Block": {}}))],
        json!({"Allow": {}}),
    );
    assert_eq!(WebAcl::new(&too_many, &res, &Value::Null).unwrap_err().code(), "LimitExceeded");
}

#[test]
fn captcha_inside_a_rule_group_is_logged() {
    let group_arn = "arn:aws:wafv2:us-east-1:1:regional/rulegroup/g/x";
    let group = json!({"Name": "g", "Id": "x", "ARN": group_arn, "Capacity": 10, "VisibilityConfig": vis(),
        "Rules": [rule("puzzle", 0, bm("/login", json!({"UriPath": {}}), "EXACTLY", &["NONE"]), json!({"Captcha": {}}))]});
    let st = json!({"RuleGroupReferenceStatement": {"ARN": group_arn}});
    let acl = acl_rules(
        vec![
            json!({"Name": "grp", "Priority": 0, "Statement": st, "OverrideAction": {"None": {}}, "VisibilityConfig": vis()}),
        ],
        json!({"Allow": {}}),
    );
    let mut a = WebAcl::new(&acl, &json!({"ruleGroups": [group]}), &Value::Null).unwrap();
    let rec = a.evaluate(&r("/login"), &Value::Null).unwrap();
    assert_eq!(rec["action"], "CAPTCHA");
    assert_eq!(rec["terminatingRuleType"], "GROUP");
    assert_eq!(rec["captchaResponse"]["failureReason"], "TOKEN_MISSING");
    assert_eq!(rec["response"]["status"], 405);
}

#[test]
fn trace_records_inspected_values_and_is_left_out_when_turned_off() {
    let acl = acl_rules(
        vec![rule("r", 0, bm("x", json!({"UriPath": {}}), "CONTAINS", &["LOWERCASE"]), json!({"Block": {}}))],
        json!({"Allow": {}}),
    );
    let mut on = WebAcl::new(&acl, &Value::Null, &Value::Null).unwrap();
    let rec = on.evaluate(&r("/ABC"), &Value::Null).unwrap();
    assert_eq!(rec["trace"][0]["statements"][0]["inspected"][0]["value"], "/abc");
    assert_eq!(rec["trace"][0]["statements"][0]["path"], "ByteMatchStatement");
    let mut off = WebAcl::new(&acl, &Value::Null, &json!({"trace": false})).unwrap();
    let rec = off.evaluate(&r("/ABC"), &Value::Null).unwrap();
    assert!(rec["trace"].as_array().unwrap().is_empty());
    assert_eq!(rec["action"], "ALLOW");
    let rec = off.evaluate(&r("/x"), &Value::Null).unwrap();
    assert_eq!((rec["action"].as_str(), rec["terminatingRuleId"].as_str()), (Some("BLOCK"), Some("r")));
}

#[test]
fn pre_parse_transformations_apply_before_splitting_query_arguments() {
    let st = |pre: Value| {
        json!({"ByteMatchStatement": {"SearchString": b64("a,b"), "FieldToMatch": {"SingleQueryArgument": {"Name": "x"}},
            "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PreParseTextTransformations": pre, "PositionalConstraint": "EXACTLY"}})
    };
    let mut plain = one(st(json!([])));
    assert!(!blocked(&mut plain, &r("/?x=a;x=b")));
    let mut combined = one(st(
        json!([{"Priority": 0, "Type": "REPLACE_SEMICOLONS_WITH_AMPERSANDS"}, {"Priority": 1, "Type": "COMBINE_DUPLICATE_QUERY_ARGS_BY_COMMA"}]),
    ));
    assert!(blocked(&mut combined, &r("/?x=a;x=b")));
    let mut decoded = one(st(
        json!([{"Priority": 0, "Type": "URL_DECODE"}, {"Priority": 1, "Type": "COMBINE_DUPLICATE_QUERY_ARGS_BY_COMMA"}]),
    ));
    assert!(blocked(&mut decoded, &r("/?x=a%26x%3Db")), "decoding first turns %26 into a separator");
}

#[test]
fn geo_labels_reach_later_rules_only() {
    let geo = json!({"GeoMatchStatement": {"CountryCodes": ["DE"]}});
    let label = json!({"LabelMatchStatement": {"Scope": "LABEL", "Key": "awswaf:clientip:geo:country:FR"}});
    let same = json!({"OrStatement": {"Statements": [geo, label.clone()]}});
    let rules =
        vec![rule("same-rule", 0, same, json!({"Block": {}})), rule("later", 1, label, json!({"Count": {}}))];
    let mut a = WebAcl::new(&acl_rules(rules, json!({"Allow": {}})), &Value::Null, &Value::Null).unwrap();
    let mut q = r("/");
    q["country"] = json!("FR");
    let rec = a.evaluate(&q, &Value::Null).unwrap();
    assert_eq!(rec["action"], "ALLOW", "the geo label is not visible inside the rule that adds it");
    assert_eq!(rec["nonTerminatingMatchingRules"][0]["ruleId"], "later");
    assert_eq!(rec["trace"][0]["labelsAdded"], json!(["awswaf:clientip:geo:country:FR"]));
}

#[test]
fn rule_group_custom_bodies_and_inserted_headers() {
    let group_arn = "arn:aws:wafv2:us-east-1:1:regional/rulegroup/g/x";
    let tag = rule(
        "tag",
        0,
        bm("/", json!({"UriPath": {}}), "STARTS_WITH", &["NONE"]),
        json!({"Count": {"CustomRequestHandling": {"InsertHeaders": [{"Name": "seen-by-group", "Value": "1"}]}}}),
    );
    let deny = rule(
        "deny",
        1,
        bm("/deny", json!({"UriPath": {}}), "EXACTLY", &["NONE"]),
        json!({"Block": {"CustomResponse": {"ResponseCode": 418, "CustomResponseBodyKey": "teapot"}}}),
    );
    let group = json!({"Name": "g", "Id": "x", "ARN": group_arn, "Capacity": 10, "VisibilityConfig": vis(), "Rules": [tag, deny],
        "CustomResponseBodies": {"teapot": {"ContentType": "TEXT_PLAIN", "Content": "group body"}}});
    let st = json!({"RuleGroupReferenceStatement": {"ARN": group_arn}});
    let mut acl = acl_rules(
        vec![
            json!({"Name": "grp", "Priority": 0, "Statement": st, "OverrideAction": {"None": {}}, "VisibilityConfig": vis()}),
        ],
        json!({"Allow": {}}),
    );
    acl["CustomResponseBodies"] = json!({"teapot": {"ContentType": "TEXT_PLAIN", "Content": "acl body"}});
    let mut a = WebAcl::new(&acl, &json!({"ruleGroups": [group]}), &Value::Null).unwrap();
    let rec = a.evaluate(&r("/deny"), &Value::Null).unwrap();
    assert_eq!(rec["responseCodeSent"], 418);
    assert_eq!(rec["response"]["body"], "group body");
    let rec = a.evaluate(&r("/ok"), &Value::Null).unwrap();
    assert_eq!(rec["action"], "ALLOW");
    assert_eq!(rec["requestHeadersInserted"], json!([{"name": "x-amzn-waf-seen-by-group", "value": "1"}]));
}
