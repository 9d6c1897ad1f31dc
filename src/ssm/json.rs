//! The JSON layer: AWS SSM JSON in, AWS SSM JSON out. The one door the JS class and the page use.
//!
//! [`call`] runs one operation as a caller (the KMS engine's caller shape: a principal ARN or
//! `{principal, region?, sourceIp?, …}`); before it, parameter policies that fell due on the
//! simulated clock are applied. [`advance`] moves the shared clock (KMS's
//! [`crate::kms::advance_clock`]: deletions and rotations fall due) and then applies parameter
//! policies. Errors are [`SsmError`]s, whose [`SsmError::to_json`] is the AWS JSON 1.1 error body.

use serde_json::{json, Value};

use super::auth;
use super::error::SsmError;
use super::ops::{self, Call};
use super::policies;
use super::public::{NotWired, SecretReferences};
use super::store::{scope, Store};
use crate::kms::json::read_caller;
use crate::kms::world::World;

/// Runs one Parameter Store operation (Secrets Manager references not wired in).
pub fn call(
    store: &mut Store,
    w: &mut World,
    operation: &str,
    request: &Value,
    caller: &Value,
) -> Result<Value, SsmError> {
    call_with(store, w, &mut NotWired, operation, request, caller)
}

/// Runs one operation with a Secrets Manager behind `/aws/reference/secretsmanager/…`.
pub fn call_with(
    store: &mut Store,
    w: &mut World,
    refs: &mut dyn SecretReferences,
    operation: &str,
    request: &Value,
    caller: &Value,
) -> Result<Value, SsmError> {
    let ctx = read_caller(caller).map_err(SsmError::from_kms)?;
    catch_up(store, w);
    let who = auth::who(w, &ctx)?;
    let key = scope(&who.account, &who.resolved.region);
    let c = Call { ctx: &ctx, who, operation };
    let result = ops::dispatch(store, w, &c, refs, request);
    *store.api_calls.entry(key).or_insert(0) += 1;
    // A parameter written with policies may have one due at once (a notification before an
    // expiration that is already near).
    catch_up(store, w);
    result
}

/// Applies the parameter policies that fell due up to the world's clock. Policies fall due only
/// when the clock moves or a parameter is written with policies (which clears `evaluated_to`), so
/// a call at an instant already evaluated costs nothing.
pub fn catch_up(store: &mut Store, w: &World) -> Vec<Value> {
    if store.evaluated_to == Some(w.now) {
        return Vec::new();
    }
    let events = policies::run_clock(store, w.now);
    store.evaluated_to = Some(w.now);
    events
}

/// Moves the shared clock forward by `seconds` and applies what fell due, in KMS and here.
/// Returns KMS's `{now, time, events}` plus `parameterEvents` (the EventBridge events emitted).
pub fn advance(store: &mut Store, w: &mut World, seconds: i64) -> Result<Value, SsmError> {
    let mut out = crate::kms::advance_clock(w, seconds).map_err(SsmError::from_kms)?;
    let events = catch_up(store, w);
    if let Some(o) = out.as_object_mut() {
        o.insert("parameterEvents".into(), Value::Array(events));
    }
    Ok(out)
}

/// The EventBridge events emitted so far, oldest first (at most `limit`, newest kept).
pub fn events(store: &Store, limit: Option<usize>) -> Value {
    let n = store.events.len();
    let from = limit.map_or(0, |l| n.saturating_sub(l));
    json!(store.events.get(from..).unwrap_or_default())
}
