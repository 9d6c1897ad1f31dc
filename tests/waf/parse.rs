#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! Parsing web ACLs as AWS writes them, and rejecting what AWS rejects with the right error.

use secplay::waf::json::WebAcl;
use secplay::waf::model::{Positional, RuleAction, RuleActionKind, Statement};
use secplay::waf::parse;
use serde_json::{json, Value};

const SAMPLE: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/waf/sample-get-web-acl.json"));

fn acl_with(statement: Value) -> Value {
    json!({
        "Name": "t", "Id": "a1b2c3d4-5678-90ab-cdef-000000000000",
        "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/t/a1b2c3d4-5678-90ab-cdef-000000000000",
        "DefaultAction": {"Allow": {}},
        "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "t"},
        "Rules": [{"Name": "r", "Priority": 0, "Statement": statement, "Action": {"Block": {}},
                   "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "r"}}]
    })
}

fn byte_match(search_b64: &str) -> Value {
    json!({"ByteMatchStatement": {"SearchString": search_b64, "FieldToMatch": {"UriPath": {}},
        "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PositionalConstraint": "CONTAINS"}})
}

fn err(doc: &Value) -> secplay::waf::WafError {
    parse::web_acl(doc).expect_err("should be rejected")
}

#[test]
fn sample_get_web_acl_parses_into_typed_rules() {
    let doc = parse::parse_text(SAMPLE).unwrap();
    let acl = parse::web_acl(&doc).unwrap();
    assert_eq!(acl.name, "playground-demo");
    assert_eq!(acl.rules.len(), 11);
    assert_eq!(acl.label_namespace, "awswaf:111122223333:webacl:playground-demo:");
    assert_eq!(acl.body_limits.get("CLOUDFRONT"), Some(&(64 * 1024)));
    assert!(matches!(acl.default_action, RuleAction::Allow(_)));
    let priorities: Vec<i64> = acl.rules.iter().map(|r| r.priority).collect();
    assert_eq!(priorities, (0..=10).collect::<Vec<_>>());
    // SearchString is base64 in JSON: L2hlYWx0aA== is /health.
    let Statement::Managed(g) = &acl.rules[2].statement else { panic!("managed group expected") };
    let Some(sd) = &g.scope_down else { panic!("scope-down expected") };
    let Statement::Not(inner) = sd.as_ref() else { panic!("not expected") };
    let Statement::ByteMatch(bm) = inner.as_ref() else { panic!("byte match expected") };
    assert_eq!(bm.search, b"/health");
    assert_eq!(bm.position, Positional::StartsWith);
    assert!(matches!(acl.rules[10].action, RuleActionKind::Override { count: true, .. }));
    assert!(matches!(acl.rules[9].statement, Statement::RateBased(_)));
}

#[test]
fn bare_web_acl_object_parses_too() {
    let doc = parse::parse_text(SAMPLE).unwrap();
    let bare = doc["WebACL"].clone();
    assert_eq!(parse::web_acl(&bare).unwrap().rules.len(), 11);
}

#[test]
fn or_with_one_statement_is_rejected_like_aws() {
    let e = err(&acl_with(json!({"OrStatement": {"Statements": [byte_match("YQ==")]}})));
    assert_eq!(e.code(), "InvalidParameter");
    let m = e.to_string();
    assert!(m.contains("OR_STATEMENT") && m.contains("only one nested statement"), "{m}");
    assert_eq!(e.pointer(), Some("/Rules/0/Statement/OrStatement"));
    let e = err(&acl_with(json!({"AndStatement": {"Statements": [byte_match("YQ==")]}})));
    assert!(e.to_string().contains("AND_STATEMENT"));
}

#[test]
fn duplicate_priorities_and_names_are_rejected() {
    let mut doc = acl_with(byte_match("YQ=="));
    let mut second = doc["Rules"][0].clone();
    second["Name"] = json!("r2");
    doc["Rules"].as_array_mut().unwrap().push(second);
    let e = err(&doc);
    assert_eq!(e.code(), "InvalidParameter");
    assert!(e.to_string().contains("RULE_PRIORITY"), "{e}");
    doc["Rules"][1]["Priority"] = json!(1);
    doc["Rules"][1]["Name"] = json!("r");
    assert!(err(&doc).to_string().contains("RULE_NAME"));
}

#[test]
fn unknown_fields_are_rejected_with_their_pointer() {
    let mut doc = acl_with(byte_match("YQ=="));
    doc["Rules"][0]["Actoin"] = json!({"Block": {}});
    let e = err(&doc);
    assert_eq!(e.code(), "UnknownField");
    assert_eq!(e.pointer(), Some("/Rules/0"));
    assert!(e.to_string().contains("`Actoin`"));
    let e = err(&acl_with(
        json!({"ByteMatchStatement": {"SearchString": "YQ==", "FieldToMatch": {"UriPath": {"x": 1}},
        "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PositionalConstraint": "CONTAINS"}}),
    ));
    assert_eq!(e.code(), "UnknownField");
    assert_eq!(e.pointer(), Some("/Rules/0/Statement/ByteMatchStatement/FieldToMatch/UriPath"));
}

#[test]
fn missing_required_members_are_named() {
    let mut doc = acl_with(byte_match("YQ=="));
    doc.as_object_mut().unwrap().remove("DefaultAction");
    let e = err(&doc);
    assert_eq!(e.code(), "MissingField");
    assert!(e.to_string().contains("`DefaultAction`"));
}

#[test]
fn bounds_and_enums_follow_the_model() {
    let rate = |limit: i64, window: i64| {
        acl_with(
            json!({"RateBasedStatement": {"Limit": limit, "EvaluationWindowSec": window, "AggregateKeyType": "IP"}}),
        )
    };
    let e = err(&rate(5, 300));
    assert_eq!(e.code(), "ConstraintViolation");
    assert!(e.to_string().contains("greater than or equal to 10"), "{e}");
    assert!(parse::web_acl(&rate(10, 300)).is_ok());
    assert_eq!(err(&rate(10, 30)).code(), "ConstraintViolation");
    let e = err(&acl_with(json!({"GeoMatchStatement": {"CountryCodes": ["ZZ"]}})));
    assert_eq!(e.code(), "ConstraintViolation");
    let e = err(&acl_with(
        json!({"SizeConstraintStatement": {"FieldToMatch": {"Body": {}}, "ComparisonOperator": "GTE",
        "Size": 1, "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}}),
    ));
    assert!(e.to_string().contains("enum value set"), "{e}");
    let many: Vec<Value> = (0..11).map(|i| json!({"Priority": i, "Type": "LOWERCASE"})).collect();
    let e = err(&acl_with(
        json!({"ByteMatchStatement": {"SearchString": "YQ==", "FieldToMatch": {"UriPath": {}},
        "TextTransformations": many, "PositionalConstraint": "CONTAINS"}}),
    ));
    assert_eq!(e.code(), "ConstraintViolation");
}

#[test]
fn search_string_must_be_base64() {
    let e = err(&acl_with(byte_match("not base64!")));
    assert_eq!(e.code(), "InvalidParameter");
    assert!(e.to_string().contains("base64"));
}

#[test]
fn unsupported_regex_constructs_are_rejected_clearly() {
    for (pattern, what) in [
        ("(a)\\1", "backreference"),
        ("foo(?=bar)", "lookahead"),
        ("(?<!x)y", "lookbehind"),
        ("a++", "possessive"),
        ("(?>abc)", "atomic"),
    ] {
        let e = err(&acl_with(
            json!({"RegexMatchStatement": {"RegexString": pattern, "FieldToMatch": {"UriPath": {}},
            "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}}),
        ));
        assert_eq!(e.code(), "UnsupportedRegex", "{pattern}");
        assert!(e.to_string().contains(what), "{pattern}: {e}");
    }
    // PCRE spellings the regex crate lacks are rewritten, not rejected.
    assert!(parse::web_acl(&acl_with(
        json!({"RegexMatchStatement": {"RegexString": "\\Qa.b\\E\\h", "FieldToMatch": {"UriPath": {}},
        "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}})
    ))
    .is_ok());
}

#[test]
fn action_and_override_action_are_exclusive_and_placed() {
    let mut doc = acl_with(byte_match("YQ=="));
    doc["Rules"][0]["OverrideAction"] = json!({"None": {}});
    let e = err(&doc);
    assert_eq!(e.code(), "InvalidParameter");
    assert!(e.to_string().contains("field: RULE"));
    doc["Rules"][0].as_object_mut().unwrap().remove("Action");
    assert!(err(&doc).to_string().contains("OverrideAction is only for rule-group statements"));
}

#[test]
fn rate_based_and_group_statements_only_at_top_level() {
    let e = err(&acl_with(
        json!({"NotStatement": {"Statement": {"RateBasedStatement": {"Limit": 100, "AggregateKeyType": "IP"}}}}),
    ));
    assert_eq!(e.code(), "InvalidParameter");
    assert!(e.to_string().contains("top-level"));
    let e = err(&acl_with(json!({"RateBasedStatement": {"Limit": 100, "AggregateKeyType": "CONSTANT"}})));
    assert!(e.to_string().contains("ScopeDownStatement"));
}

#[test]
fn custom_response_body_key_must_exist() {
    let mut doc = acl_with(byte_match("YQ=="));
    doc["Rules"][0]["Action"] =
        json!({"Block": {"CustomResponse": {"ResponseCode": 451, "CustomResponseBodyKey": "nope"}}});
    let e = err(&doc);
    assert_eq!(e.code(), "InvalidParameter");
    assert!(e.to_string().contains("CUSTOM_RESPONSE_BODY_KEY"));
}

#[test]
fn statement_needs_exactly_one_kind() {
    let e = err(&acl_with(json!({})));
    assert_eq!(e.code(), "InvalidParameter");
    assert!(e.to_string().contains("none or multiple values"));
}

#[test]
fn json_syntax_errors_carry_line_and_column() {
    let e = parse::parse_text("{\n  \"WebACL\": {\n    \"Name\": ,\n").unwrap_err();
    assert_eq!(e.code(), "MalformedJson");
    match e {
        secplay::waf::WafError::MalformedJson { line, column, .. } => assert_eq!((line, column), (3, 13)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn missing_referenced_resources_say_how_to_supply_them() {
    let e = WebAcl::new(&Value::String(SAMPLE.to_owned()), &Value::Null, &Value::Null).unwrap_err();
    assert_eq!(e.code(), "MissingResource");
    assert!(e.to_string().contains("resources.ipSets"), "{e}");
    assert_eq!(e.pointer(), Some("/WebACL/Rules/0/Statement/IPSetReferenceStatement/ARN"));
}

#[test]
fn ip_sets_reject_bad_cidrs_and_mixed_versions() {
    let set = |addrs: Value, version: &str| {
        json!({"Name": "s", "Id": "11111111-2222-3333-4444-555555555555", "ARN": "arn:aws:wafv2:us-east-1:1:regional/ipset/s/x",
               "IPAddressVersion": version, "Addresses": addrs})
    };
    use secplay::waf::ipset::IpSet;
    assert!(IpSet::parse(&set(json!(["10.0.0.0/8", "192.0.2.1/32"]), "IPV4"), "").is_ok());
    assert_eq!(IpSet::parse(&set(json!(["10.0.0.0/0"]), "IPV4"), "").unwrap_err().code(), "InvalidParameter");
    assert_eq!(
        IpSet::parse(&set(json!(["2001:db8::/32"]), "IPV4"), "").unwrap_err().code(),
        "InvalidParameter"
    );
    assert_eq!(IpSet::parse(&set(json!(["10.0.0.1"]), "IPV4"), "").unwrap_err().code(), "InvalidParameter");
    let too_many: Vec<String> = (0..10_001u32).map(|i| format!("10.{}.{}.0/24", i / 256, i % 256)).collect();
    assert_eq!(IpSet::parse(&set(json!(too_many), "IPV4"), "").unwrap_err().code(), "ConstraintViolation");
}

#[test]
fn rule_labels_reject_reserved_words() {
    let mut doc = acl_with(byte_match("YQ=="));
    doc["Rules"][0]["RuleLabels"] = json!([{"Name": "awswaf:mine"}]);
    assert_eq!(err(&doc).code(), "InvalidParameter");
    doc["Rules"][0]["RuleLabels"] = json!([{"Name": "team:blocked"}]);
    assert!(parse::web_acl(&doc).is_ok());
}
