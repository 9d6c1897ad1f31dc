//! Tagging parameters (https://docs.aws.amazon.com/systems-manager/latest/userguide/tagging-parameters.html)
//! and tags in authorization (`aws:ResourceTag/…`, IAM ABAC:
//! https://docs.aws.amazon.com/IAM/latest/UserGuide/introduction_attribute-based-access-control.html).

use serde_json::json;

use crate::common::*;

fn tags(e: &mut Env, name: &str) -> serde_json::Value {
    e.ok("ListTagsForResource", json!({"ResourceType": "Parameter", "ResourceId": name}))["TagList"].clone()
}

#[test]
fn add_list_remove() {
    let mut e = env();
    e.put("/t", "v");
    e.ok("AddTagsToResource", json!({"ResourceType": "Parameter", "ResourceId": "/t", "Tags": [{"Key": "team", "Value": "blue"}, {"Key": "env", "Value": "prod"}]}));
    assert_eq!(
        tags(&mut e, "/t"),
        json!([{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "blue"}])
    );
    e.ok(
        "RemoveTagsFromResource",
        json!({"ResourceType": "Parameter", "ResourceId": "/t", "TagKeys": ["env", "absent"]}),
    );
    assert_eq!(tags(&mut e, "/t"), json!([{"Key": "team", "Value": "blue"}]));
    e.code(
        "ListTagsForResource",
        json!({"ResourceType": "Document", "ResourceId": "/t"}),
        "InvalidResourceType",
    );
    e.code(
        "ListTagsForResource",
        json!({"ResourceType": "Parameter", "ResourceId": "/none"}),
        "InvalidResourceId",
    );
}

#[test]
fn at_most_50_tags_per_parameter() {
    let mut e = env();
    e.put("/t", "v");
    for batch in 0..5 {
        let t: Vec<_> = (0..10).map(|i| json!({"Key": format!("k{batch}-{i}"), "Value": "v"})).collect();
        e.ok("AddTagsToResource", json!({"ResourceType": "Parameter", "ResourceId": "/t", "Tags": t}));
    }
    e.code(
        "AddTagsToResource",
        json!({"ResourceType": "Parameter", "ResourceId": "/t", "Tags": [{"Key": "one-more", "Value": "v"}]}),
        "TooManyTagsError",
    );
    // Replacing an existing key's value is not one more tag.
    e.ok(
        "AddTagsToResource",
        json!({"ResourceType": "Parameter", "ResourceId": "/t", "Tags": [{"Key": "k0-0", "Value": "new"}]}),
    );
}

#[test]
fn resource_tags_decide_access() {
    let mut e = env();
    e.ok("PutParameter", json!({"Name": "/blue/a", "Value": "1", "Type": "String", "Tags": [{"Key": "team", "Value": "blue"}]}));
    e.ok(
        "PutParameter",
        json!({"Name": "/red/a", "Value": "2", "Type": "String", "Tags": [{"Key": "team", "Value": "red"}]}),
    );
    let u = e.user(
        "blue-dev",
        &[json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/team": "blue"}}}]})],
    );
    assert_eq!(e.ok_as("GetParameter", json!({"Name": "/blue/a"}), u.as_str())["Parameter"]["Value"], "1");
    e.code_as("GetParameter", json!({"Name": "/red/a"}), u.as_str(), "AccessDeniedException");
    // Retagging the red parameter opens it.
    e.ok("AddTagsToResource", json!({"ResourceType": "Parameter", "ResourceId": "/red/a", "Tags": [{"Key": "team", "Value": "blue"}]}));
    e.ok_as("GetParameter", json!({"Name": "/red/a"}), u.as_str());
}
