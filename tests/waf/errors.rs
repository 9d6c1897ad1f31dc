#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! Parsing reports every error of a web ACL, not only the first, each with its JSON pointer
//! (RFC 6901: `~` is written `~0`, `/` is written `~1`) and a stable code; bounded at 100 with
//! "and N more"; nesting and size bounds still give one clear error.

use secplay::waf::json::{error_value, error_value_in, WebAcl};
use secplay::waf::{parse, WafError};
use serde_json::{json, Value};

fn vis(name: &str) -> Value {
    json!({"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": name})
}

fn byte_match(search_b64: &str) -> Value {
    json!({"ByteMatchStatement": {"SearchString": search_b64, "FieldToMatch": {"UriPath": {}},
        "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PositionalConstraint": "CONTAINS"}})
}

fn rule(name: &str, priority: i64, statement: Value) -> Value {
    json!({"Name": name, "Priority": priority, "Statement": statement, "Action": {"Block": {}},
           "VisibilityConfig": vis("m")})
}

fn listed(e: &WafError) -> Vec<(&'static str, String)> {
    e.all().iter().map(|one| (one.code(), one.pointer().unwrap_or("").to_owned())).collect()
}

/// Seven independent mistakes in one web ACL, in document order of the parser.
fn several() -> Value {
    json!({"WebACL": {
        "Name": "t",
        "Description": "",
        "DefaultAction": {"Allow": {}},
        "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true},
        "CustomResponseBodies": {"a/b~c": {"ContentType": "TEXT_PLAIN", "Content": "no"}},
        "Rules": [
            rule("bad name!", -1, byte_match("YQ==")),
            rule("one-or", 1, json!({"OrStatement": {"Statements": [byte_match("YQ==")]}})),
            rule("two-bad", 2, json!({"AndStatement": {"Statements": [
                byte_match("not base64!"),
                {"XssMatchStatement": {"FieldToMatch": {"UriPath": {}}, "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "Typo": 1}}
            ]}})),
            rule("fine", 3, byte_match("YQ==")),
            rule("again", 3, byte_match("YQ=="))
        ]
    }})
}

#[test]
fn an_acl_with_several_independent_errors_reports_all_of_them_with_exact_pointers() {
    let e = parse::web_acl(&several()).unwrap_err();
    assert_eq!(
        listed(&e),
        vec![
            ("ConstraintViolation", "/WebACL/Description".to_owned()),
            ("MissingField", "/WebACL/VisibilityConfig".to_owned()),
            // RFC 6901 escaping of the member name `a/b~c`.
            ("ConstraintViolation", "/WebACL/CustomResponseBodies/a~1b~0c".to_owned()),
            ("ConstraintViolation", "/WebACL/Rules/0/Name".to_owned()),
            ("ConstraintViolation", "/WebACL/Rules/0/Priority".to_owned()),
            ("InvalidParameter", "/WebACL/Rules/1/Statement/OrStatement".to_owned()),
            (
                "InvalidParameter",
                "/WebACL/Rules/2/Statement/AndStatement/Statements/0/ByteMatchStatement/SearchString"
                    .to_owned()
            ),
            (
                "UnknownField",
                "/WebACL/Rules/2/Statement/AndStatement/Statements/1/XssMatchStatement".to_owned()
            ),
            ("InvalidParameter", "/WebACL/Rules/4/Priority".to_owned()),
        ]
    );
    // The first error's fields stay where callers read them.
    assert_eq!(e.code(), "ConstraintViolation");
    assert_eq!(e.pointer(), Some("/WebACL/Description"));
    assert!(e.to_string().ends_with("(and 8 more errors)"), "{e}");
    assert_eq!(e.more(), 0);
}

#[test]
fn the_js_shape_keeps_the_first_error_and_lists_every_one_with_line_and_column() {
    let text = serde_json::to_string_pretty(&several()).unwrap();
    let e = WebAcl::new(&Value::String(text.clone()), &Value::Null, &Value::Null).unwrap_err();
    let v = error_value_in(&e, &text);
    assert_eq!(v["ok"], false);
    assert_eq!(v["code"], "ConstraintViolation");
    assert_eq!(v["pointer"], "/WebACL/Description");
    assert_eq!(v["more"], 0);
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 9);
    for one in errors {
        let p = one["pointer"].as_str().unwrap();
        let line = one["line"].as_u64().unwrap_or_else(|| panic!("no line for {p}"));
        // The line really holds the member the pointer names (its last reference token).
        let last = p.rsplit('/').next().unwrap().replace("~1", "/").replace("~0", "~");
        let text_line = text.lines().nth(usize::try_from(line).unwrap() - 1).unwrap();
        if last.parse::<usize>().is_err() {
            assert!(text_line.contains(&format!("\"{last}\"")), "{p} → line {line}: {text_line}");
        }
        assert!(!one["message"].as_str().unwrap().contains("more error"), "{one}");
    }
    assert_eq!(v["line"], errors[0]["line"]);
    // The span ends just after the member's value: `"Description": ""` on one line.
    assert_eq!(errors[0]["endLine"], errors[0]["line"]);
    let width = u64::try_from("\"Description\": \"\"".len()).unwrap();
    assert_eq!(errors[0]["endColumn"].as_u64(), Some(errors[0]["column"].as_u64().unwrap() + width));
    // One error: a list of one, so callers can always read `errors`.
    let one = parse::web_acl(&json!({"WebACL": {"Name": "x"}})).unwrap_err();
    let v = error_value(&one);
    assert_eq!(v["errors"].as_array().unwrap().len(), 2, "{v}");
    let e =
        parse::web_acl(&json!({"Name": "x", "DefaultAction": {"Allow": {}}, "VisibilityConfig": vis("x")}));
    assert!(e.is_ok());
}

#[test]
fn at_most_one_hundred_errors_are_kept_and_the_rest_counted() {
    let rules: Vec<Value> = (0..150).map(|i| rule("bad name!", i, byte_match("YQ=="))).collect();
    let doc =
        json!({"Name": "t", "DefaultAction": {"Allow": {}}, "VisibilityConfig": vis("t"), "Rules": rules});
    let e = parse::web_acl(&doc).unwrap_err();
    assert_eq!(e.all().len(), secplay::waf::error::MAX_ERRORS);
    assert_eq!(e.all().len(), 100);
    assert_eq!(e.more(), 50);
    assert_eq!(e.all()[99].pointer(), Some("/Rules/99/Name"));
    assert!(e.to_string().ends_with("(and 149 more errors)"), "{e}");
    assert_eq!(error_value(&e)["more"], 50);
}

#[test]
fn a_hundred_thousand_deep_value_is_one_clear_error_without_overflow() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = WebAcl::new(&Value::String(deep), &Value::Null, &Value::Null).unwrap_err();
    assert_eq!(e.code(), "MalformedJson");
    assert_eq!(e.all().len(), 1);
    assert!(e.to_string().contains("recursion limit"), "{e}");
    // 100,000 nested NOT statements as text: the JSON reader's bound (128) stops it.
    let nots = format!(
        "{{\"Name\":\"t\",\"Rules\":[{{\"Statement\":{}{}{}}}]}}",
        "{\"NotStatement\":{\"Statement\":".repeat(100_000),
        byte_match("YQ=="),
        "}}".repeat(100_000)
    );
    let e = WebAcl::new(&Value::String(nots), &Value::Null, &Value::Null).unwrap_err();
    assert_eq!((e.code(), e.all().len()), ("MalformedJson", 1));
}

#[test]
fn nesting_beyond_the_statement_bound_is_one_error_however_wide() {
    // 60 levels of AND, each with a sound sibling: one error at the bound, not one per level.
    let mut st = byte_match("YQ==");
    for _ in 0..60 {
        st = json!({"AndStatement": {"Statements": [byte_match("YQ=="), st]}});
    }
    let doc = json!({"Name": "t", "DefaultAction": {"Allow": {}}, "VisibilityConfig": vis("t"),
                     "Rules": [rule("deep", 0, st)]});
    let e = parse::web_acl(&doc).unwrap_err();
    assert_eq!(e.all().len(), 1, "{e}");
    assert_eq!(e.code(), "LimitExceeded");
    assert!(e.to_string().contains("nested more than 20 levels"), "{e}");
}
