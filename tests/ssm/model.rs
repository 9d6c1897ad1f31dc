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

#[path = "../shared/botocore_model.rs"]
mod botocore_model;
use botocore_model::Model;

const MODEL: &str = "../shared/vectors/aws-models/ssm-2014-11-06.service-2.json";

struct Run<'m> {
    m: &'m Model,
    w: World,
    s: Store,
    seen: BTreeSet<String>,
}

impl Run<'_> {
    /// Calls an operation and checks request, response or error against the model.
    fn call(&mut self, op: &str, req: Value) -> Result<Value, String> {
        let o = &self.m.json["operations"][op];
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
    let m = Model::load(MODEL);
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
    let m = Model::load(MODEL);
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
        assert!(m.json["shapes"][*name].is_object(), "{name} is not a shape of the SSM model");
    }
}
