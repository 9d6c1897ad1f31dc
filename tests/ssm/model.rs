//! Requests and responses checked against the botocore model's shapes
//! (`../shared/vectors/aws-models/ssm-2014-11-06.service-2.json`): member names and types,
//! required members, enums, length and range bounds.
//!
//! A scenario calls every operation the engine implements, successes and the documented failures;
//! each request is checked against the operation's input shape, each response against its output
//! shape, and each error against the operation's declared errors.

use std::collections::BTreeSet;

use secplay::kms::World;
use secplay::ssm::ops::OPERATIONS;
use secplay::ssm::{call, Store};
use serde_json::{json, Value};

use crate::common::*;

const MODEL: &str = "../shared/vectors/aws-models/ssm-2014-11-06.service-2.json";

struct Model(Value);

impl Model {
    fn load() -> Model {
        Model(
            serde_json::from_str(
                &std::fs::read_to_string(MODEL).expect("the botocore SSM model in ../shared"),
            )
            .unwrap(),
        )
    }

    fn shape(&self, name: &str) -> &Value {
        &self.0["shapes"][name]
    }

    /// Every way `v` breaks shape `name`, with a path.
    fn check(&self, name: &str, v: &Value, path: &str, out: &mut Vec<String>) {
        let s = self.shape(name);
        let ty = s["type"].as_str().unwrap_or("?");
        let bound = |n: usize, out: &mut Vec<String>| {
            if let Some(min) = s["min"].as_u64() {
                if (n as u64) < min {
                    out.push(format!("{path}: length {n} < min {min}"));
                }
            }
            if let Some(max) = s["max"].as_u64() {
                if n as u64 > max {
                    out.push(format!("{path}: length {n} > max {max}"));
                }
            }
        };
        match ty {
            "structure" => {
                let Some(o) = v.as_object() else { return out.push(format!("{path}: not an object")) };
                let members = s["members"].as_object().unwrap();
                for (k, mv) in o {
                    match members.get(k) {
                        Some(m) => self.check(m["shape"].as_str().unwrap(), mv, &format!("{path}.{k}"), out),
                        None => out.push(format!("{path}: `{k}` is not a member of {name}")),
                    }
                }
                for r in s["required"].as_array().into_iter().flatten() {
                    if !o.contains_key(r.as_str().unwrap()) {
                        out.push(format!("{path}: required `{r}` missing"));
                    }
                }
            }
            "string" => {
                let Some(t) = v.as_str() else { return out.push(format!("{path}: not a string")) };
                if let Some(e) = s["enum"].as_array() {
                    if !e.iter().any(|x| x == t) {
                        out.push(format!("{path}: `{t}` not in enum {name}"));
                    }
                }
                bound(t.chars().count(), out);
            }
            "blob" => {
                use base64::Engine as _;
                match v.as_str().and_then(|t| base64::engine::general_purpose::STANDARD.decode(t).ok()) {
                    Some(b) => bound(b.len(), out),
                    None => out.push(format!("{path}: not base64")),
                }
            }
            "integer" | "long" => {
                let Some(n) = v.as_i64() else { return out.push(format!("{path}: not an integer")) };
                if s["min"].as_i64().is_some_and(|m| n < m) || s["max"].as_i64().is_some_and(|m| n > m) {
                    out.push(format!("{path}: {n} out of range"));
                }
            }
            "boolean" => {
                if !v.is_boolean() {
                    out.push(format!("{path}: not a boolean"));
                }
            }
            "timestamp" => {
                if !v.is_number() {
                    out.push(format!("{path}: a timestamp is epoch seconds in AWS JSON 1.1"));
                }
            }
            "list" => {
                let Some(items) = v.as_array() else { return out.push(format!("{path}: not a list")) };
                bound(items.len(), out);
                let m = s["member"]["shape"].as_str().unwrap();
                for (i, it) in items.iter().enumerate() {
                    self.check(m, it, &format!("{path}[{i}]"), out);
                }
            }
            "map" => {
                let Some(o) = v.as_object() else { return out.push(format!("{path}: not a map")) };
                bound(o.len(), out);
                let (ks, vs) = (s["key"]["shape"].as_str().unwrap(), s["value"]["shape"].as_str().unwrap());
                for (k, mv) in o {
                    self.check(ks, &json!(k), &format!("{path}.<key>"), out);
                    self.check(vs, mv, &format!("{path}.{k}"), out);
                }
            }
            other => out.push(format!("{path}: unhandled shape type {other}")),
        }
    }
}

struct Run<'m> {
    m: &'m Model,
    w: World,
    s: Store,
    seen: BTreeSet<String>,
}

impl Run<'_> {
    /// Calls an operation and checks request, response or error against the model.
    fn call(&mut self, op: &str, req: Value) -> Result<Value, String> {
        let o = &self.m.0["operations"][op];
        assert!(o.is_object(), "{op} is not in the model");
        let mut problems = Vec::new();
        if let Some(input) = o["input"]["shape"].as_str() {
            self.m.check(input, &req, &format!("{op} request"), &mut problems);
        }
        assert!(problems.is_empty(), "the test's own request breaks the model: {problems:#?}");
        self.seen.insert(op.to_string());
        match call(&mut self.s, &mut self.w, op, &req, &json!(admin())) {
            Ok(v) => {
                if let Some(output) = o["output"]["shape"].as_str() {
                    self.m.check(output, &v, &format!("{op} response"), &mut problems);
                }
                assert!(problems.is_empty(), "{problems:#?}");
                Ok(v)
            }
            Err(e) => {
                let declared: Vec<&str> = o["errors"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|x| x["shape"].as_str())
                    .collect();
                let generic = [
                    "AccessDeniedException",
                    "ValidationException",
                    "SerializationException",
                    "UnrecognizedClientException",
                ];
                assert!(
                    declared.contains(&e.code()) || generic.contains(&e.code()),
                    "{op} answered {} which the model does not declare for it ({declared:?})",
                    e.code()
                );
                Err(e.code().to_string())
            }
        }
    }

    #[track_caller]
    fn fails(&mut self, op: &str, req: Value, code: &str) {
        assert_eq!(self.call(op, req).unwrap_err(), code, "{op}");
    }
}

#[test]
fn every_operation_answers_in_the_model_shapes() {
    let m = Model::load();
    let mut r = Run { m: &m, w: World::new(), s: Store::new(), seen: BTreeSet::new() };
    let pol = json!([{"Type": "Expiration", "Version": "1.0", "Attributes": {"Timestamp": "2027-01-01T00:00:00Z"}}]).to_string();
    r.call("PutParameter", json!({"Name": "/m/a", "Value": "v", "Type": "String", "Description": "d", "Tags": [{"Key": "k", "Value": "v"}]})).unwrap();
    r.call("PutParameter", json!({"Name": "/m/a", "Value": "v2", "Overwrite": true, "AllowedPattern": "^v"}))
        .unwrap();
    r.call("PutParameter", json!({"Name": "/m/s", "Value": "secret", "Type": "SecureString"})).unwrap();
    r.call(
        "PutParameter",
        json!({"Name": "/m/adv", "Value": "x", "Type": "SecureString", "Tier": "Advanced", "Policies": pol}),
    )
    .unwrap();
    r.call(
        "PutParameter",
        json!({"Name": "/m/l", "Value": "a,b", "Type": "StringList", "Tier": "Intelligent-Tiering"}),
    )
    .unwrap();
    r.call(
        "PutParameter",
        json!({"Name": "/m/ami", "Value": "ami-12345678", "Type": "String", "DataType": "aws:ec2:image"}),
    )
    .unwrap();
    r.fails(
        "PutParameter",
        json!({"Name": "/m/a", "Value": "v", "Type": "String"}),
        "ParameterAlreadyExists",
    );
    r.fails(
        "PutParameter",
        json!({"Name": "/m/a", "Value": "v", "Type": "StringList", "Overwrite": true}),
        "HierarchyTypeMismatchException",
    );
    r.fails(
        "PutParameter",
        json!({"Name": "/m/p", "Value": "x", "Type": "String", "AllowedPattern": "^y"}),
        "ParameterPatternMismatchException",
    );
    r.fails(
        "PutParameter",
        json!({"Name": "/m/p", "Value": "x", "Type": "String", "AllowedPattern": "(["}),
        "InvalidAllowedPatternException",
    );
    r.fails(
        "PutParameter",
        json!({"Name": "/m/p", "Value": "x", "Type": "SecureString", "KeyId": "alias/none"}),
        "InvalidKeyId",
    );
    r.fails("PutParameter", json!({"Name": "/m/p", "Value": "x", "Type": "String", "Tier": "Advanced", "Policies": "[{\"Type\":\"X\"}]"}), "InvalidPolicyTypeException");
    let deep: String = (1..=16).map(|i| format!("/l{i}")).collect();
    r.fails(
        "PutParameter",
        json!({"Name": deep, "Value": "x", "Type": "String"}),
        "HierarchyLevelLimitExceededException",
    );
    r.call("GetParameter", json!({"Name": "/m/s", "WithDecryption": true})).unwrap();
    r.call("GetParameter", json!({"Name": "/m/a:1"})).unwrap();
    r.fails("GetParameter", json!({"Name": "/m/none"}), "ParameterNotFound");
    r.fails("GetParameter", json!({"Name": "/m/a:7"}), "ParameterVersionNotFound");
    r.call("GetParameters", json!({"Names": ["/m/a", "/m/s", "/m/none"], "WithDecryption": true})).unwrap();
    r.call("GetParameters", json!({"Names": ["/aws/service/global-infrastructure/regions/us-west-2"]}))
        .unwrap();
    r.call(
        "GetParametersByPath",
        json!({"Path": "/m", "Recursive": true, "WithDecryption": true, "MaxResults": 2}),
    )
    .unwrap();
    r.call("GetParametersByPath", json!({"Path": "/m", "ParameterFilters": [{"Key": "Type", "Option": "Equals", "Values": ["String"]}]})).unwrap();
    r.fails("GetParametersByPath", json!({"Path": "/m", "NextToken": "x"}), "InvalidNextToken");
    r.fails(
        "GetParametersByPath",
        json!({"Path": "/m", "ParameterFilters": [{"Key": "Name", "Values": ["x"]}]}),
        "InvalidFilterKey",
    );
    r.call(
        "LabelParameterVersion",
        json!({"Name": "/m/a", "ParameterVersion": 1, "Labels": ["prod", "9bad"]}),
    )
    .unwrap();
    r.fails(
        "LabelParameterVersion",
        json!({"Name": "/m/a", "ParameterVersion": 5, "Labels": ["x"]}),
        "ParameterVersionNotFound",
    );
    r.call("GetParameterHistory", json!({"Name": "/m/a", "MaxResults": 1})).unwrap();
    r.call("GetParameterHistory", json!({"Name": "/m/adv", "WithDecryption": true})).unwrap();
    r.call(
        "UnlabelParameterVersion",
        json!({"Name": "/m/a", "ParameterVersion": 1, "Labels": ["prod", "none"]}),
    )
    .unwrap();
    r.call("DescribeParameters", json!({"ParameterFilters": [{"Key": "Path", "Option": "Recursive", "Values": ["/m"]}], "MaxResults": 3})).unwrap();
    r.call("DescribeParameters", json!({"Filters": [{"Key": "Type", "Values": ["SecureString"]}]})).unwrap();
    r.fails(
        "DescribeParameters",
        json!({"ParameterFilters": [{"Key": "Path", "Option": "Contains", "Values": ["/m"]}]}),
        "InvalidFilterOption",
    );
    r.fails(
        "DescribeParameters",
        json!({"ParameterFilters": [{"Key": "Type", "Values": ["Nope"]}]}),
        "InvalidFilterValue",
    );
    r.call(
        "AddTagsToResource",
        json!({"ResourceType": "Parameter", "ResourceId": "/m/s", "Tags": [{"Key": "a", "Value": "b"}]}),
    )
    .unwrap();
    r.call("ListTagsForResource", json!({"ResourceType": "Parameter", "ResourceId": "/m/s"})).unwrap();
    r.call(
        "RemoveTagsFromResource",
        json!({"ResourceType": "Parameter", "ResourceId": "/m/s", "TagKeys": ["a"]}),
    )
    .unwrap();
    r.fails(
        "ListTagsForResource",
        json!({"ResourceType": "Document", "ResourceId": "/m/s"}),
        "InvalidResourceType",
    );
    r.fails(
        "ListTagsForResource",
        json!({"ResourceType": "Parameter", "ResourceId": "/m/none"}),
        "InvalidResourceId",
    );
    r.call("DeleteParameter", json!({"Name": "/m/l"})).unwrap();
    r.call("DeleteParameters", json!({"Names": ["/m/ami", "/m/none"]})).unwrap();
    let missing: Vec<_> = OPERATIONS.iter().filter(|o| !r.seen.contains(**o)).collect();
    assert!(missing.is_empty(), "operations not exercised: {missing:?}");
}

#[test]
fn every_exception_the_engine_names_is_in_the_model() {
    let m = Model::load();
    for name in secplay::ssm::error::EXCEPTIONS {
        if [
            "ValidationException",
            "SerializationException",
            "UnknownOperationException",
            "UnrecognizedClientException",
        ]
        .contains(name)
        {
            continue;
        }
        assert!(m.0["shapes"][*name].is_object(), "{name} is not a shape of the SSM model");
    }
}
