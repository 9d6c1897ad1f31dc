//! GetParametersByPath (one level or recursive, paging with MaxResults 1–10 and NextToken) and
//! DescribeParameters with ParameterFilters
//! (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html,
//! https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ParameterStringFilter.html).

use serde_json::{json, Value};

use crate::common::*;

fn names(v: &Value) -> Vec<String> {
    v["Parameters"].as_array().unwrap().iter().map(|p| p["Name"].as_str().unwrap().to_string()).collect()
}

fn tree(e: &mut Env) {
    for n in
        ["/app/a", "/app/b", "/app/db/host", "/app/db/port", "/app/db/replica/host", "/apple", "/other/x"]
    {
        e.put(n, "v");
    }
}

#[test]
fn one_level_or_recursive() {
    let mut e = env();
    tree(&mut e);
    assert_eq!(names(&e.ok("GetParametersByPath", json!({"Path": "/app"}))), ["/app/a", "/app/b"]);
    assert_eq!(
        names(&e.ok("GetParametersByPath", json!({"Path": "/app", "Recursive": true}))),
        ["/app/a", "/app/b", "/app/db/host", "/app/db/port", "/app/db/replica/host"]
    );
    assert_eq!(
        names(&e.ok("GetParametersByPath", json!({"Path": "/app/db/"}))),
        ["/app/db/host", "/app/db/port"]
    );
    e.code("GetParametersByPath", json!({"Path": "app"}), "ValidationException");
    let deep: String = (1..=16).map(|i| format!("/l{i}")).collect();
    e.code("GetParametersByPath", json!({"Path": deep}), "HierarchyLevelLimitExceededException");
}

#[test]
fn pages_with_next_token() {
    let mut e = env();
    for i in 0..25 {
        e.put(&format!("/many/p{i:02}"), "v");
    }
    let mut all = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut req = json!({"Path": "/many", "MaxResults": 10});
        if let Some(t) = &token {
            req["NextToken"] = json!(t);
        }
        let v = e.ok("GetParametersByPath", req);
        all.extend(names(&v));
        pages += 1;
        match v.get("NextToken").and_then(Value::as_str) {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(all.len(), 25);
    e.code("GetParametersByPath", json!({"Path": "/many", "MaxResults": 11}), "ValidationException");
    e.code("GetParametersByPath", json!({"Path": "/many", "NextToken": "garbage"}), "InvalidNextToken");
}

#[test]
fn by_path_filters_and_decryption() {
    let mut e = env();
    e.put("/f/plain", "p");
    e.ok("PutParameter", json!({"Name": "/f/secret", "Value": "s", "Type": "SecureString"}));
    let v = e.ok("GetParametersByPath", json!({"Path": "/f", "WithDecryption": true, "ParameterFilters": [{"Key": "Type", "Values": ["SecureString"]}]}));
    assert_eq!(names(&v), ["/f/secret"]);
    assert_eq!(v["Parameters"][0]["Value"], "s");
    e.code(
        "GetParametersByPath",
        json!({"Path": "/f", "ParameterFilters": [{"Key": "Name", "Values": ["/f/plain"]}]}),
        "InvalidFilterKey",
    );
}

#[test]
fn describe_with_parameter_filters() {
    let mut e = env();
    tree(&mut e);
    e.ok("PutParameter", json!({"Name": "/tagged", "Value": "v", "Type": "String", "Tags": [{"Key": "team", "Value": "blue"}]}));
    let d = |e: &mut Env, f: Value| names(&e.ok("DescribeParameters", json!({"ParameterFilters": f})));
    assert_eq!(
        d(&mut e, json!([{"Key": "Name", "Option": "BeginsWith", "Values": ["/app/d"]}])),
        ["/app/db/host", "/app/db/port", "/app/db/replica/host"]
    );
    assert_eq!(d(&mut e, json!([{"Key": "Path", "Values": ["/app/db"]}])), ["/app/db/host", "/app/db/port"]);
    assert_eq!(d(&mut e, json!([{"Key": "Path", "Option": "Recursive", "Values": ["/app/db"]}])).len(), 3);
    assert_eq!(
        d(&mut e, json!([{"Key": "Name", "Option": "Contains", "Values": ["replica"]}])),
        ["/app/db/replica/host"]
    );
    assert_eq!(d(&mut e, json!([{"Key": "tag:team", "Values": ["blue"]}])), ["/tagged"]);
    assert_eq!(d(&mut e, json!([{"Key": "tag:team"}])), ["/tagged"]);
    e.code(
        "DescribeParameters",
        json!({"ParameterFilters": [{"Key": "Color", "Values": ["x"]}]}),
        "InvalidFilterKey",
    );
    e.code(
        "DescribeParameters",
        json!({"ParameterFilters": [{"Key": "Path", "Option": "Contains", "Values": ["/x"]}]}),
        "InvalidFilterOption",
    );
    e.code(
        "DescribeParameters",
        json!({"ParameterFilters": [{"Key": "Type", "Values": ["Number"]}]}),
        "InvalidFilterValue",
    );
    e.code(
        "DescribeParameters",
        json!({"Filters": [{"Key": "Name", "Values": ["/app"]}], "ParameterFilters": []}),
        "ValidationException",
    );
    let legacy =
        names(&e.ok("DescribeParameters", json!({"Filters": [{"Key": "Name", "Values": ["/app/d"]}]})));
    assert_eq!(legacy.len(), 3);
    let page = e.ok("DescribeParameters", json!({"MaxResults": 2}));
    assert_eq!(names(&page).len(), 2);
    assert!(page["NextToken"].is_string());
}
