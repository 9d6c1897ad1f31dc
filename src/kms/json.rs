//! The JSON layer: AWS KMS JSON in, AWS KMS JSON out. The one door that the JS class, the page
//! and the local endpoint all use.
//!
//! [`call`] runs one operation as a caller (`{principal, region?, sourceIp?, viaService?, mfa?,
//! tags?, sessionPolicy?, vpcEndpoint?}`, or just the principal ARN as a string), authorizes it,
//! records it in the audit log and counts it for the cost estimate. Errors are [`KmsError`]s,
//! whose [`KmsError::to_json`] is the AWS JSON 1.1 error body.

use serde::Deserialize;
use serde_json::{json, Value};

use super::audit;
use super::cost::request_class;
use super::error::KmsError;
use super::ops::{self, crypto::CRYPTO_OPERATIONS, keys::run_clock, multi_region::settle};
use super::time::{iso8601, DAY};
use super::world::{CallerContext, World};

/// Reads the `caller` argument.
pub fn read_caller(caller: &Value) -> Result<CallerContext, KmsError> {
    match caller {
        Value::String(p) => Ok(CallerContext { principal: p.clone(), ..CallerContext::default() }),
        Value::Object(_) => CallerContext::deserialize(caller)
            .map_err(|e| KmsError::serialization(format!("the caller must be {{principal, region?, sourceIp?, viaService?, mfa?, tags?, sessionPolicy?, vpcEndpoint?}}: {e}"))),
        _ => Err(KmsError::serialization("the caller must be a principal ARN or {principal, region?, …}")),
    }
}

/// Runs one KMS operation.
pub fn call(w: &mut World, operation: &str, request: &Value, caller: &Value) -> Result<Value, KmsError> {
    let ctx = read_caller(caller)?;
    for (name, arn) in settle(w) {
        audit::record_service_event(w, name, &arn);
    }
    let mut c = ops::start(w, &ctx, operation)?;
    let result = ops::dispatch(w, &mut c, request);
    audit::record(w, &c, request, &result);
    let key = c.resources.first().and_then(|a| w.keys.get(a));
    let class = request_class(operation, key, request);
    if let Some(acct) = &c.who.account {
        *w.usage.entry(acct.clone()).or_default().entry(class.to_string()).or_insert(0) += 1;
    }
    if result.is_ok() && CRYPTO_OPERATIONS.contains(&operation) {
        let now = w.now;
        for arn in &c.resources {
            if let Some(k) = w.keys.get_mut(arn) {
                k.last_used = Some(now);
            }
        }
    }
    result
}

/// Moves the simulated clock forward and runs what falls due (deletions, automatic rotations),
/// each recorded in the audit log. Returns `{now, events: [{eventName, keyArn}]}`.
pub fn advance_clock(w: &mut World, seconds: i64) -> Result<Value, KmsError> {
    if !(0..=100 * 365 * DAY).contains(&seconds) {
        return Err(KmsError::validation("the clock moves forward only, by at most 100 years at a time"));
    }
    w.now += seconds;
    let events = run_clock(w);
    for (name, arn) in &events {
        audit::record_service_event(w, name, arn);
    }
    Ok(json!({
        "now": w.now,
        "time": iso8601(w.now),
        "events": events.iter().map(|(n, a)| json!({"eventName": n, "keyArn": a})).collect::<Vec<_>>(),
    }))
}

/// The options of a new world: `{accounts?: [{id, name?}], regions?: [..], now?: epoch seconds}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorldOptions {
    pub accounts: Option<Vec<AccountOption>>,
    pub regions: Option<Vec<String>>,
    pub now: Option<i64>,
}

/// One account of [`WorldOptions`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountOption {
    pub id: String,
    pub name: Option<String>,
}

/// A new world from options (`null` = the default world of [`World::new`]). Each account given
/// gets an `Admin` role allowed everything, as the default accounts do.
pub fn new_world(options: &Value) -> Result<World, KmsError> {
    let o: WorldOptions = if options.is_null() {
        WorldOptions::default()
    } else {
        WorldOptions::deserialize(options).map_err(|e| KmsError::validation(format!("world options: {e}")))?
    };
    let mut w = World::new();
    if let Some(accounts) = o.accounts {
        w.accounts.clear();
        for a in accounts {
            w.add_account(&a.id, a.name.as_deref().unwrap_or(""))?;
            let admin = super::world::role_arn(&a.id, super::world::ADMIN_ROLE);
            w.add_principal(&admin, None)?;
            w.put_identity_policy(
                &admin,
                "AdministratorAccess",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
            )?;
        }
    }
    if let Some(regions) = o.regions {
        if regions.is_empty() {
            return Err(KmsError::validation("a world needs at least one region"));
        }
        w.regions.clear();
        for r in regions {
            w.add_region(&r)?;
        }
    }
    if let Some(now) = o.now {
        w.now = now;
    }
    Ok(w)
}
