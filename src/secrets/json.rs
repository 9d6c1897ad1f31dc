//! The JSON layer: AWS Secrets Manager JSON in, AWS Secrets Manager JSON out, over a KMS world.
//! The one door the JS class and the page use.
//!
//! [`call`] runs one operation as a caller (the KMS emulator's caller shape: a principal ARN, or
//! `{principal, region?, sourceIp?, …}`). Before each call the clock's due work runs ([`tick`]):
//! secrets whose recovery window ended are deleted. Errors are [`SecretsError`]s, whose
//! [`SecretsError::to_json`] is the AWS JSON 1.1 error body.

use serde_json::{json, Value};

use crate::kms::auth::resolve;
use crate::kms::json::read_caller;
use crate::kms::time::iso8601;
use crate::kms::World;

use super::error::SecretsError;
use super::ops::{self, Call};
use super::store::Store;

/// Runs one Secrets Manager operation.
pub fn call(
    w: &mut World,
    store: &mut Store,
    operation: &str,
    request: &Value,
    caller: &Value,
) -> Result<Value, SecretsError> {
    let ctx = read_caller(caller).map_err(SecretsError::from_caller)?;
    tick(w, store);
    let who = resolve(w, &ctx).map_err(SecretsError::from_caller)?;
    let mut c = Call { w, store, ctx: &ctx, who };
    ops::dispatch(&mut c, operation, request)
}

/// Runs what fell due on the world's clock since the last tick: deletions at the end of their
/// recovery window. Returns `{now, time, events: [{eventName, secretArn}]}`.
pub fn tick(w: &mut World, store: &mut Store) -> Value {
    let now = w.now;
    let events: Vec<Value> = ops::secrets::purge_deleted(store, now)
        .into_iter()
        .map(|a| json!({"eventName": "DeleteSecret", "secretArn": a}))
        .collect();
    store.ticked_to = now;
    json!({"now": now, "time": iso8601(now), "events": events})
}
