#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! Policy variables with no value, operator by operator, single- and multivalued, in Allow and
//! Deny statements.
//!
//! Source: IAM User Guide, "IAM policy elements: Variables and tags", section "Policy variables
//! with no value" (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value>):
//! a variable whose key is not in the request context is "effectively null. There is no equal or
//! like value." Operators like `StringEquals` or `StringLike` do not match it; inverted ones like
//! `StringNotEquals` or `StringNotLike` do; a `Resource` that includes such a variable matches no
//! resource. The page's own example: a Deny with `StringNotEquals` on
//! `s3:ExistingObjectTag/Team` against `${aws:PrincipalTag/Team}` denies "when
//! aws:principaltag/Team is not set".
//!
//! The page names the string and ARN operators; the engine applies the same null to every family
//! (numeric, date, bool, binary, IP), and those cases pin that choice.
//!
//! Every case is decided twice: as the condition of the only Allow statement (the request is
//! `allowed` exactly when the condition holds, else `implicitDeny`) and as the condition of a Deny
//! beside an Allow of everything (`explicitDeny` exactly when it holds, else `allowed`).

use secplay::policy::evaluate_policy;
use serde_json::{json, Value};

const ALICE: &str = "arn:aws:iam::111122223333:user/alice";
const OBJECT: &str = "arn:aws:s3:::amzn-s3-demo-bucket/report.txt";

fn input(statements: Value, context: &Value) -> Value {
    json!({
        "request": {
            "principal": ALICE,
            "action": "s3:GetObject",
            "resource": OBJECT,
            "resourceAccount": "111122223333",
            "context": context,
        },
        "policies": {"identity": [{"Version": "2012-10-17", "Statement": statements}]},
    })
}

fn decide(statements: Value, context: &Value) -> Value {
    evaluate_policy(&input(statements, context)).unwrap()
}

/// Decides `condition` in an Allow and in a Deny statement and checks both against `holds`.
fn check(id: &str, condition: Value, context: Value, holds: bool) {
    let allow =
        json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": condition}]);
    let got = decide(allow, &context);
    let want = if holds { "allowed" } else { "implicitDeny" };
    assert_eq!(got["decision"], want, "{id}, in an Allow: {condition} with context {context}\n{got:#}");

    let deny = json!([
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*", "Condition": condition},
    ]);
    let got = decide(deny, &context);
    let want = if holds { "explicitDeny" } else { "allowed" };
    assert_eq!(got["decision"], want, "{id}, in a Deny: {condition} with context {context}\n{got:#}");
}

macro_rules! cases {
    ($($(#[doc = $doc:literal])* $name:ident: $condition:tt, $context:tt => $holds:expr;)*) => {
        $(
            $(#[doc = $doc])*
            #[test]
            fn $name() {
                check(stringify!($name), json!($condition), json!($context), $holds);
            }
        )*
    };
}

// The page's example, and the same policy when the variable has a value.
cases! {
    /// "Access is explicitly denied when aws:principaltag/Team is not set."
    guide_deny_when_principal_tag_not_set:
        {"StringNotEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}},
        {"s3:ExistingObjectTag/Team": "red"} => true;
    guide_no_deny_when_tags_agree:
        {"StringNotEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}},
        {"s3:ExistingObjectTag/Team": "red", "aws:PrincipalTag/Team": "red"} => false;
    guide_deny_when_tags_differ:
        {"StringNotEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}},
        {"s3:ExistingObjectTag/Team": "red", "aws:PrincipalTag/Team": "blue"} => true;
    /// Neither key present: the negated operator holds on the absent key as well.
    guide_deny_when_neither_tag_is_set:
        {"StringNotEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}},
        {} => true;
}

// String operators, single-valued key.
cases! {
    string_equals_no_value:
        {"StringEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}},
        {"s3:ExistingObjectTag/Team": "red"} => false;
    string_equals_ignore_case_no_value:
        {"StringEqualsIgnoreCase": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}},
        {"s3:ExistingObjectTag/Team": "red"} => false;
    string_not_equals_ignore_case_no_value:
        {"StringNotEqualsIgnoreCase": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}},
        {"s3:ExistingObjectTag/Team": "red"} => true;
    /// Null is not the empty string: `${var}*` would match anything if it were.
    string_like_no_value_is_not_empty:
        {"StringLike": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}*"}},
        {"s3:ExistingObjectTag/Team": "red"} => false;
    string_like_no_value_inside_wildcards:
        {"StringLike": {"s3:ExistingObjectTag/Team": "*${aws:PrincipalTag/Team}*"}},
        {"s3:ExistingObjectTag/Team": "red"} => false;
    string_not_like_no_value:
        {"StringNotLike": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}*"}},
        {"s3:ExistingObjectTag/Team": "red"} => true;
    string_equals_if_exists_no_value:
        {"StringEqualsIfExists": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}},
        {"s3:ExistingObjectTag/Team": "red"} => false;
    string_not_equals_if_exists_no_value:
        {"StringNotEqualsIfExists": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}},
        {"s3:ExistingObjectTag/Team": "red"} => true;
    /// A default value ("Specifying default values" on the same page) is a value, not null.
    string_equals_default_value:
        {"StringEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team, 'red'}"}},
        {"s3:ExistingObjectTag/Team": "red"} => true;
}

// ARN operators, single-valued key.
cases! {
    arn_equals_no_value:
        {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:${aws:PrincipalTag/Topic}"}},
        {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:alerts"} => false;
    arn_like_no_value:
        {"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:*:${aws:PrincipalTag/Topic}*"}},
        {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:alerts"} => false;
    arn_not_equals_no_value:
        {"ArnNotEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:${aws:PrincipalTag/Topic}"}},
        {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:alerts"} => true;
    arn_not_like_no_value:
        {"ArnNotLike": {"aws:SourceArn": "arn:aws:sns:*:*:${aws:PrincipalTag/Topic}*"}},
        {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:alerts"} => true;
}

// The other families, single-valued key: the same null.
cases! {
    numeric_equals_no_value:
        {"NumericEquals": {"s3:max-keys": "${aws:PrincipalTag/MaxKeys}"}},
        {"s3:max-keys": "10"} => false;
    numeric_less_than_no_value:
        {"NumericLessThan": {"s3:max-keys": "${aws:PrincipalTag/MaxKeys}"}},
        {"s3:max-keys": "10"} => false;
    numeric_not_equals_no_value:
        {"NumericNotEquals": {"s3:max-keys": "${aws:PrincipalTag/MaxKeys}"}},
        {"s3:max-keys": "10"} => true;
    date_less_than_no_value:
        {"DateLessThan": {"aws:CurrentTime": "${aws:PrincipalTag/Expiry}"}},
        {"aws:CurrentTime": "2026-01-01T00:00:00Z"} => false;
    date_not_equals_no_value:
        {"DateNotEquals": {"aws:CurrentTime": "${aws:PrincipalTag/Expiry}"}},
        {"aws:CurrentTime": "2026-01-01T00:00:00Z"} => true;
    bool_no_value:
        {"Bool": {"aws:SecureTransport": "${aws:PrincipalTag/Secure}"}},
        {"aws:SecureTransport": "true"} => false;
    binary_equals_no_value:
        {"BinaryEquals": {"ex:Blob": "${aws:PrincipalTag/Blob}"}},
        {"ex:Blob": "QmluYXJ5"} => false;
    ip_address_no_value:
        {"IpAddress": {"aws:SourceIp": "${aws:PrincipalTag/Cidr}"}},
        {"aws:SourceIp": "10.1.2.3"} => false;
    not_ip_address_no_value:
        {"NotIpAddress": {"aws:SourceIp": "${aws:PrincipalTag/Cidr}"}},
        {"aws:SourceIp": "10.1.2.3"} => true;
}

// Multivalued keys with set operators: no request value equals or is like null, so
// `ForAnyValue` and `ForAllValues` of a positive operator fail, and of a negated one hold.
cases! {
    for_any_value_string_equals_no_value:
        {"ForAnyValue:StringEquals": {"aws:TagKeys": "${aws:PrincipalTag/Team}"}},
        {"aws:TagKeys": ["red", "blue"]} => false;
    for_all_values_string_equals_no_value:
        {"ForAllValues:StringEquals": {"aws:TagKeys": "${aws:PrincipalTag/Team}"}},
        {"aws:TagKeys": ["red", "blue"]} => false;
    for_any_value_string_not_equals_no_value:
        {"ForAnyValue:StringNotEquals": {"aws:TagKeys": "${aws:PrincipalTag/Team}"}},
        {"aws:TagKeys": ["red", "blue"]} => true;
    for_all_values_string_not_equals_no_value:
        {"ForAllValues:StringNotEquals": {"aws:TagKeys": "${aws:PrincipalTag/Team}"}},
        {"aws:TagKeys": ["red", "blue"]} => true;
    for_any_value_string_like_no_value:
        {"ForAnyValue:StringLike": {"aws:TagKeys": "${aws:PrincipalTag/Team}*"}},
        {"aws:TagKeys": ["red", "blue"]} => false;
    for_all_values_string_not_like_no_value:
        {"ForAllValues:StringNotLike": {"aws:TagKeys": "${aws:PrincipalTag/Team}*"}},
        {"aws:TagKeys": ["red", "blue"]} => true;
    for_any_value_arn_like_no_value:
        {"ForAnyValue:ArnLike": {"ex:TopicArns": "arn:aws:sns:*:*:${aws:PrincipalTag/Topic}"}},
        {"ex:TopicArns": ["arn:aws:sns:us-east-1:111122223333:alerts"]} => false;
    for_all_values_arn_not_like_no_value:
        {"ForAllValues:ArnNotLike": {"ex:TopicArns": "arn:aws:sns:*:*:${aws:PrincipalTag/Topic}"}},
        {"ex:TopicArns": ["arn:aws:sns:us-east-1:111122223333:alerts"]} => true;
    for_any_value_numeric_equals_no_value:
        {"ForAnyValue:NumericEquals": {"ex:Sizes": "${aws:PrincipalTag/Size}"}},
        {"ex:Sizes": ["1", "2"]} => false;
    for_all_values_numeric_not_equals_no_value:
        {"ForAllValues:NumericNotEquals": {"ex:Sizes": "${aws:PrincipalTag/Size}"}},
        {"ex:Sizes": ["1", "2"]} => true;
    for_any_value_ip_address_no_value:
        {"ForAnyValue:IpAddress": {"ex:Addresses": "${aws:PrincipalTag/Cidr}"}},
        {"ex:Addresses": ["10.1.2.3"]} => false;
    for_all_values_not_ip_address_no_value:
        {"ForAllValues:NotIpAddress": {"ex:Addresses": "${aws:PrincipalTag/Cidr}"}},
        {"ex:Addresses": ["10.1.2.3"]} => true;
}

// Neighbour 1: a list of condition values where only one holds a variable with no value.
// Derived from two documented rules, as AWS states no example of it: the variable's value is null
// and matches nothing (the page above), and a clause's values are ORed, negated operators' NORed
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html).
// So the null value drops out and the other values decide.
cases! {
    list_other_value_matches:
        {"StringEquals": {"s3:ExistingObjectTag/Team": ["${aws:PrincipalTag/Team}", "red"]}},
        {"s3:ExistingObjectTag/Team": "red"} => true;
    list_no_value_matches:
        {"StringEquals": {"s3:ExistingObjectTag/Team": ["${aws:PrincipalTag/Team}", "red"]}},
        {"s3:ExistingObjectTag/Team": "green"} => false;
    list_negated_other_value_matches:
        {"StringNotEquals": {"s3:ExistingObjectTag/Team": ["${aws:PrincipalTag/Team}", "red"]}},
        {"s3:ExistingObjectTag/Team": "red"} => false;
    list_negated_no_value_matches:
        {"StringNotEquals": {"s3:ExistingObjectTag/Team": ["${aws:PrincipalTag/Team}", "red"]}},
        {"s3:ExistingObjectTag/Team": "green"} => true;
    list_arn_like_other_value_matches:
        {"ArnLike": {"aws:SourceArn": ["arn:aws:sns:*:*:${aws:PrincipalTag/Topic}", "arn:aws:sns:*:*:alerts"]}},
        {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:alerts"} => true;
    list_for_all_values_other_value_matches:
        {"ForAllValues:StringEquals": {"aws:TagKeys": ["${aws:PrincipalTag/Team}", "red", "blue"]}},
        {"aws:TagKeys": ["red", "blue"]} => true;
}

// Neighbour 2: `IfExists` with a set operator on an absent multivalued key. The set operator is
// resolved first, so `ForAnyValue:...IfExists` is false when the key is absent, as plain
// `ForAnyValue` is ("For no matching context key or if the key does not exist, the condition
// returns false", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
// Observed on AWS: an Allow of `sqs:*` conditioned on `ForAnyValue:StringEqualsIfExists` on
// `aws:TagKeys` does not allow `sqs:ListQueues`, whose request has no `aws:TagKeys`
// (https://repost.aws/questions/QU9HFmDzP0QGuU-fd7rS6B7w/foranyvalue-stringequalsifexists-behaving-unexpectedly,
// accepted answer).
cases! {
    for_any_value_if_exists_on_absent_set:
        {"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": "team"}},
        {} => false;
    for_any_value_negated_if_exists_on_absent_set:
        {"ForAnyValue:StringNotEqualsIfExists": {"aws:TagKeys": "team"}},
        {} => false;
    for_all_values_if_exists_on_absent_set:
        {"ForAllValues:StringEqualsIfExists": {"aws:TagKeys": "team"}},
        {} => true;
    for_any_value_if_exists_on_present_set:
        {"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": "team"}},
        {"aws:TagKeys": ["team", "cost"]} => true;
    plain_if_exists_on_absent_key:
        {"StringEqualsIfExists": {"aws:RequestTag/team": "red"}},
        {} => true;
}

/// "If a variable that has no value in the authorization context is used as part of the
/// `Resource` or `NotResource` element of a policy, the resource that includes a policy variable
/// with no value will not match any resource." (same page)
#[test]
fn resource_with_no_value_matches_no_resource() {
    let resource = "arn:aws:s3:::amzn-s3-demo-bucket/${aws:PrincipalTag/Team}*";
    let allow = json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": resource}]);
    assert_eq!(decide(allow.clone(), &json!({}))["decision"], "implicitDeny");
    // With the tag, the same pattern matches an object under the team's prefix.
    let object_under = json!({"aws:PrincipalTag/Team": "report"});
    assert_eq!(decide(allow, &object_under)["decision"], "allowed");
    // `NotResource` with the null pattern excludes nothing.
    let not = json!([{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": resource}]);
    assert_eq!(decide(not, &json!({}))["decision"], "allowed");
    let deny = json!([
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:GetObject", "Resource": resource},
    ]);
    assert_eq!(decide(deny, &json!({}))["decision"], "allowed");
}

/// The absent variable is reported as a missing context key, so the trace says why.
#[test]
fn the_absent_variable_is_reported() {
    let statements = json!([
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*",
         "Condition": {"StringNotEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}}},
    ]);
    let out = decide(statements, &json!({"s3:ExistingObjectTag/Team": "red"}));
    assert_eq!(out["decision"], "explicitDeny");
    assert_eq!(out["missingContextKeys"], json!(["aws:PrincipalTag/Team"]), "{out:#}");
}
