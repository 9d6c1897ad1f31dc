#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! The JSON layer the wasm bindings wrap: free functions and error values.

use secplay::waf::json::{
    apply_transformations, detect_sqli, detect_xss, error_value, explain_sqli, explain_xss, WebAcl,
};
use serde_json::{json, Value};

#[test]
fn detect_functions() {
    assert!(detect_sqli("1' OR '1'='1' --", None).unwrap());
    assert!(detect_sqli("1 UNION SELECT username, password FROM users", Some("LOW")).unwrap());
    assert!(!detect_sqli("O'Reilly and Sons", Some("HIGH")).unwrap());
    assert_eq!(detect_sqli("x", Some("MEDIUM")).unwrap_err().code(), "ConstraintViolation");
    assert!(detect_xss("<img src=x onerror=alert(1)>"));
    assert!(detect_xss("javascript:alert(document.cookie)"));
    assert!(!detect_xss("<p>Hello <b>world</b></p>"));
    let e = explain_sqli("1 AND 1=1", Some("LOW")).unwrap();
    assert_eq!(e["sqli"], true);
    assert_eq!(e["pattern"], "tautology");
    assert_eq!(e["tokens"], json!(["and", "1", "=", "1"]));
    assert_eq!(e["stream"][0], json!({"kind": "Num", "text": "1"}));
    assert_eq!(e["stream"][1], json!({"kind": "Logic", "text": "and"}));
    let q = explain_sqli("x' OR 'a'='a' --", Some("LOW")).unwrap();
    assert_eq!(q["context"], "single-quote");
    assert_eq!(q["stream"][0]["kind"], "Str");
    assert_eq!(explain_xss("<svg onload=alert(1)>")["pattern"], "script-tag");
    assert_eq!(explain_xss("hello")["xss"], false);
}

#[test]
fn apply_transformations_in_priority_order() {
    let t = json!([{"Type": "LOWERCASE", "Priority": 1}, {"Type": "URL_DECODE", "Priority": 0}]);
    assert_eq!(apply_transformations("%3CSCRIPT%3E", &t).unwrap(), "<script>");
    let t = json!([{"Type": "HTML_ENTITY_DECODE", "Priority": 0}, {"Type": "COMPRESS_WHITE_SPACE", "Priority": 1}]);
    assert_eq!(apply_transformations("&lt;b&gt;  x", &t).unwrap(), "<b> x");
    let e = apply_transformations("x", &json!([{"Type": "ROT13", "Priority": 0}])).unwrap_err();
    assert_eq!(e.code(), "ConstraintViolation");
    // Text input is accepted too.
    assert_eq!(
        apply_transformations("A", &Value::String("[{\"Type\":\"LOWERCASE\"}]".to_owned())).unwrap(),
        "a"
    );
}

#[test]
fn error_values_have_code_message_and_pointer() {
    let e = WebAcl::new(&json!({"WebACL": {"Name": "x"}}), &Value::Null, &Value::Null).unwrap_err();
    let v = error_value(&e);
    assert_eq!(v["ok"], false);
    assert_eq!(v["code"], "MissingField");
    assert_eq!(v["pointer"], "/WebACL");
    assert!(v["message"].as_str().unwrap().starts_with("/WebACL: missing required parameter"));
    let e = WebAcl::new(&Value::String("{".to_owned()), &Value::Null, &Value::Null).unwrap_err();
    let v = error_value(&e);
    assert_eq!(v["code"], "MalformedJson");
    assert_eq!(v["line"], 1);
}

#[test]
fn messages_are_lowercase_and_carry_no_type_names() {
    let cases = [
        json!({"WebACL": {"Name": "x"}}),
        json!({"WebACL": {"Name": "bad name!", "DefaultAction": {"Allow": {}}, "VisibilityConfig": {}}}),
        json!([1]),
    ];
    for c in cases {
        let m = WebAcl::new(&c, &Value::Null, &Value::Null).unwrap_err().to_string();
        assert!(m.starts_with('/') || m.starts_with(char::is_lowercase), "{m}");
        assert!(!m.ends_with('.'), "{m}");
        assert!(!m.contains("WafError") && !m.contains("serde_json"), "{m}");
    }
}

#[test]
fn a_web_acl_from_text_with_resources_as_text() {
    let acl = r#"{"Name": "t", "DefaultAction": {"Block": {}},
        "VisibilityConfig": {"SampledRequestsEnabled": false, "CloudWatchMetricsEnabled": false, "MetricName": "t"},
        "Rules": [{"Name": "office", "Priority": 0, "Action": {"Allow": {}},
            "Statement": {"IPSetReferenceStatement": {"ARN": "arn:aws:wafv2:eu-west-1:1:regional/ipset/o/1"}},
            "VisibilityConfig": {"SampledRequestsEnabled": false, "CloudWatchMetricsEnabled": false, "MetricName": "o"}}]}"#;
    let set = r#"{"IPSet": {"Name": "o", "Id": "1", "ARN": "arn:aws:wafv2:eu-west-1:1:regional/ipset/o/1", "IPAddressVersion": "IPV4", "Addresses": ["192.0.2.0/24"]}}"#;
    let mut a = WebAcl::new(&Value::String(acl.to_owned()), &json!({"ipSets": [set]}), &Value::Null).unwrap();
    assert_eq!(a.capacity(), 1);
    let ok = a
        .evaluate(&json!({"method": "GET", "uri": "/", "headers": [], "clientIp": "192.0.2.9"}), &Value::Null)
        .unwrap();
    assert_eq!(ok["action"], "ALLOW");
    let no = a
        .evaluate(&Value::String(r#"{"uri": "/", "clientIp": "198.51.100.1"}"#.to_owned()), &Value::Null)
        .unwrap();
    assert_eq!(no["action"], "BLOCK");
    assert_eq!(no["terminatingRuleId"], "Default_Action");
}

#[test]
fn ordinary_xml_and_json_bodies_are_not_xss() {
    assert!(!detect_xss(
        r#"<?xml version="1.0" encoding="UTF-8"?><order><id>7</id><note>fragile &amp; heavy</note></order>"#
    ));
    assert!(!detect_xss(r#"{"html": "<p>Hi <em>there</em></p>", "link": "https://example.com/a?b=c"}"#));
    assert!(detect_xss(
        r#"<?xml version="1.0"?><root><a probe="&lt;script&gt;alert(1)&lt;/script&gt;"/></root>"#
    ));
}

#[test]
fn errors_point_at_line_and_column_in_the_source_text() {
    use secplay::waf::json::error_value_in;
    let text = "{\n  \"WebACL\": {\n    \"Name\": \"x\",\n    \"Rules\": [\n      {\"Name\": \"r\", \"Priority\": 0, \"Bogus\": 1}\n    ]\n  }\n}";
    let doc = secplay::common::json_source::parse_json(text).unwrap();
    let locate = |p: &str| doc.locate(p).map(|at| (at.line, at.column));
    assert_eq!(locate("/WebACL/Rules/0"), Some((5, 7)));
    assert_eq!(locate("/WebACL/Rules/0/Priority"), Some((5, 21)));
    assert_eq!(locate("/WebACL/Name"), Some((3, 5)));
    assert_eq!(locate("/WebACL/Nope"), None);
    let e = WebAcl::new(&Value::String(text.to_owned()), &Value::Null, &Value::Null).unwrap_err();
    let v = error_value_in(&e, text);
    assert_eq!(v["code"], "MissingField");
    assert_eq!((v["line"].as_u64(), v["column"].as_u64()), (Some(2), Some(3)));
}

#[test]
fn malformed_json_is_worded_as_in_the_policy_engine() {
    // One code, one form: `malformed json at LINE:COLUMN: what was wrong`, in both engines.
    let text = "{\n  \"WebACL\": [1,, 2]}";
    let waf = WebAcl::new(&Value::String(text.to_owned()), &Value::Null, &Value::Null).unwrap_err();
    let policy = secplay::policy::evaluate_policy_str(text).unwrap_err();
    for (engine, code, message) in
        [("waf", waf.code(), waf.to_string()), ("policy", policy.code(), policy.to_string())]
    {
        assert_eq!(code, "MalformedJson", "{engine}");
        let rest =
            message.strip_prefix("malformed json at 2:").unwrap_or_else(|| panic!("{engine}: {message}"));
        let (column, what) = rest.split_once(": ").unwrap_or_else(|| panic!("{engine}: {message}"));
        assert!(column.parse::<u32>().is_ok(), "{engine}: {message}");
        assert!(!what.is_empty() && !what.contains("line"), "{engine}: {message}");
    }
}
