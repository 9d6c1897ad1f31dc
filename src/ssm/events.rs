//! The EventBridge events Parameter Store emits, in EventBridge's envelope (`version`, `id`,
//! `detail-type`, `source: aws.ssm`, `account`, `time`, `region`, `resources`, `detail`):
//! `Parameter Store Change` on create, update, delete and label, and `Parameter Store Policy
//! Action` when a parameter policy acts ("Setting up notifications or triggering actions based on
//! Parameter Store events", <https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-cwe.html>).
//! The events are kept in the store for the page and `Ssm.events()` to list; nothing is sent.

use serde_json::{json, Value};

use super::names::parameter_arn;
use super::policies::ParameterPolicy;
use super::store::ParamType;
use crate::kms::ops::uuid;
use crate::kms::time::iso8601;

fn envelope(account: &str, region: &str, time: i64, detail_type: &str, name: &str, detail: Value) -> Value {
    json!({
        "version": "0",
        "id": uuid().unwrap_or_default(),
        "detail-type": detail_type,
        "source": "aws.ssm",
        "account": account,
        "time": iso8601(time),
        "region": region,
        "resources": [parameter_arn(region, account, name)],
        "detail": detail,
    })
}

/// `Parameter Store Change`: `operation` is `Create`, `Update`, `Delete` or
/// `LabelParameterVersion`.
pub fn change(
    account: &str,
    region: &str,
    time: i64,
    operation: &str,
    name: &str,
    ty: ParamType,
    description: &str,
) -> Value {
    envelope(
        account,
        region,
        time,
        "Parameter Store Change",
        name,
        json!({"operation": operation, "name": name, "type": ty.as_str(), "description": description}),
    )
}

/// `Parameter Store Policy Action`.
pub fn policy_action(
    account: &str,
    region: &str,
    time: i64,
    name: &str,
    ty: ParamType,
    policy: &ParameterPolicy,
    reason: &str,
) -> Value {
    envelope(
        account,
        region,
        time,
        "Parameter Store Policy Action",
        name,
        json!({
            "parameter-name": name,
            "parameter-type": ty.as_str(),
            "policy-type": policy.kind.type_name(),
            "policy-content": policy.text,
            "action-status": "Finished",
            "action-reason": reason,
        }),
    )
}
