//! The JSON layer: AWS Secrets Manager JSON in, AWS Secrets Manager JSON out, over a KMS world.
//! The one door the JS class and the page use.
//!
//! [`call`] runs one operation as a caller (the KMS emulator's caller shape: a principal ARN, or
//! `{principal, region?, sourceIp?, …}`). Before each call the clock's due work runs ([`tick`]):
//! secrets whose recovery window ended are deleted. Errors are [`SecretsError`]s, whose
//! [`SecretsError::to_json`] is the AWS JSON 1.1 error body.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::kms::auth::resolve;
use crate::kms::json::read_caller;
use crate::kms::time::iso8601;
use crate::kms::World;

use super::error::SecretsError;
use super::ops::{self, Call};
use super::store::{RotationFunction, Store};

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
/// recovery window, then scheduled rotations. Returns `{now, time, events: [{eventName,
/// secretArn, time}]}` (`RotationSucceeded` / `RotationFailed` per rotation).
pub fn tick(w: &mut World, store: &mut Store) -> Value {
    let now = w.now;
    let mut events: Vec<Value> = ops::secrets::purge_deleted(store, now)
        .into_iter()
        .map(|a| json!({"eventName": "DeleteSecret", "secretArn": a, "time": iso8601(now)}))
        .collect();
    for (arn, at, ok) in ops::rotation::run_due(w, store) {
        let name = if ok { "RotationSucceeded" } else { "RotationFailed" };
        events.push(json!({"eventName": name, "secretArn": arn, "time": iso8601(at)}));
    }
    store.ticked_to = now;
    json!({"now": now, "time": iso8601(now), "events": events})
}

/// Moves the world's clock forward (KMS's own due work runs, [`crate::kms::advance_clock`]) and
/// then Secrets Manager's ([`tick`]). Returns `{now, time, kms: {…}, events: […]}`.
pub fn advance_clock(w: &mut World, store: &mut Store, seconds: i64) -> Result<Value, SecretsError> {
    let kms =
        crate::kms::advance_clock(w, seconds).map_err(|e| SecretsError::invalid_parameter(e.to_string()))?;
    let mut out = tick(w, store);
    if let Some(o) = out.as_object_mut() {
        o.insert("kms".into(), kms);
    }
    Ok(out)
}

/// Sets how the emulated rotation function `lambda_arn` behaves: `{failAt?, role?}` (not an AWS
/// API: the stand-in for deploying a Lambda function).
pub fn put_rotation_function(
    store: &mut Store,
    lambda_arn: &str,
    options: &Value,
) -> Result<Value, SecretsError> {
    let f: RotationFunction = if options.is_null() {
        RotationFunction::default()
    } else {
        RotationFunction::deserialize(options).map_err(|e| {
            SecretsError::invalid_parameter(format!("rotation function options {{failAt?, role?}}: {e}"))
        })?
    };
    if let Some(step) = &f.fail_at {
        if !ops::rotation::STEPS.contains(&step.as_str()) {
            return Err(SecretsError::invalid_parameter(format!(
                "`failAt` is one of {}",
                ops::rotation::STEPS.join(", ")
            )));
        }
    }
    if !lambda_arn.starts_with("arn:aws:lambda:") || lambda_arn.len() > 2048 {
        return Err(SecretsError::invalid_parameter(
            "a rotation function is named by its Lambda function ARN",
        ));
    }
    if store.functions.len() >= 1000 && !store.functions.contains_key(lambda_arn) {
        return Err(SecretsError::limit_exceeded("at most 1000 rotation functions"));
    }
    store.functions.insert(lambda_arn.to_string(), f);
    Ok(json!({"FunctionArn": lambda_arn}))
}

/// A secret's rotation timeline (`[{time, versionId, step, ok, message}]`), for any caller
/// allowed `secretsmanager:DescribeSecret` on it.
pub fn rotation_history(
    w: &mut World,
    store: &mut Store,
    secret_id: &str,
    caller: &Value,
) -> Result<Value, SecretsError> {
    let ctx = read_caller(caller).map_err(SecretsError::from_caller)?;
    tick(w, store);
    let who = resolve(w, &ctx).map_err(SecretsError::from_caller)?;
    let c = Call { w, store, ctx: &ctx, who };
    let arn = ops::find(&c, secret_id)?;
    ops::allow(&c, "DescribeSecret", Some(&arn), &[])?;
    let s = ops::secret(c.store, &arn)?;
    serde_json::to_value(&s.history).map_err(|e| SecretsError::internal(e.to_string()))
}
