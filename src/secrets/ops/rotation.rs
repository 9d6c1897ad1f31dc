//! Rotation: RotateSecret, CancelRotateSecret, the emulated rotation function's four steps, and
//! scheduled rotations on the simulated clock.
//!
//! The function runs the steps of AWS's rotation template (User Guide, "How rotation works",
//! <https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_how.html>):
//! `createSecret` puts a new version under `AWSPENDING` (a new password from GetRandomPassword,
//! replacing the `password` member when the current value is a JSON object), `setSecret` and
//! `testSecret` stand for the database change and check, `finishSecret` moves `AWSCURRENT` to the
//! new version (and `AWSPREVIOUS` with it), after which Secrets Manager removes `AWSPENDING`. The
//! function calls Secrets Manager as its execution role (default: the account root), so the
//! policies apply to it. A step that fails stops the rotation and leaves the labels as they are:
//! `AWSPENDING` on the new version, `AWSCURRENT` unchanged; until `AWSPENDING` is removed, a new
//! rotation is refused ("A previous rotation isn't complete"). RotateSecret answers at once, as
//! AWS's does; the outcome is in the secret's timeline ([`super::super::json::rotation_history`]).
//! Not modelled: managed rotation for service-owned secrets, Lambda permissions
//! (`lambda:InvokeFunction`), alternating-users strategies.

use serde_json::{json, Value};

use super::super::error::SecretsError;
use super::super::password::{generate, PasswordOptions};
use super::super::schedule::{self, Schedule};
use super::super::store::{Rotation, RotationEvent, Store, AWSCURRENT, AWSPENDING, MAX_HISTORY};
use super::{allow, find, new_version_id, not_deleted, params, secret, secret_mut, values, Call};
use crate::kms::auth::resolve;
use crate::kms::{CallerContext, World};

/// The steps of a rotation function, in order.
pub const STEPS: [&str; 4] = ["createSecret", "setSecret", "testSecret", "finishSecret"];
/// Scheduled rotations run per secret in one clock step at most; the rest are skipped.
const MAX_CATCH_UP: usize = 100;

fn log(store: &mut Store, arn: &str, e: RotationEvent) {
    if let Some(s) = store.secrets.get_mut(arn) {
        if s.history.len() >= MAX_HISTORY {
            s.history.drain(..MAX_HISTORY / 10);
        }
        s.history.push(e);
    }
}

fn event(time: i64, version_id: &str, step: &str, ok: bool, message: impl Into<String>) -> RotationEvent {
    RotationEvent {
        time,
        version_id: version_id.to_string(),
        step: step.to_string(),
        ok,
        message: message.into(),
    }
}

fn check_lambda(arn: &str, region: &str) -> Result<(), SecretsError> {
    let ok = arn
        .strip_prefix(&format!("arn:aws:lambda:{region}:"))
        .and_then(|r| r.split_once(":function:"))
        .is_some_and(|(acct, name)| {
            acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty()
        });
    if !ok {
        return Err(SecretsError::invalid_parameter(format!(
            "`{arn}` is not a Lambda function ARN in {region} (arn:aws:lambda:{region}:ACCOUNT:function:NAME)"
        )));
    }
    Ok(())
}

/// The schedule of a rotation configuration.
fn schedule_of(r: &Rotation) -> Option<Schedule> {
    schedule::parse(r.automatically_after_days, r.schedule_expression.as_deref()).ok()
}

/// The first window after a rotation at `at`.
pub fn next_after(r: &Rotation, at: i64) -> Option<i64> {
    let s = schedule_of(r)?;
    let from = if matches!(s, Schedule::Cron(_)) { at + 1 } else { at };
    schedule::next_start(&s, from)
}

/// A version with `AWSPENDING` that is not `AWSCURRENT`: a rotation not complete.
fn pending(store: &Store, arn: &str) -> Option<String> {
    let s = store.secrets.get(arn)?;
    s.versions
        .iter()
        .find(|v| v.stages.iter().any(|x| x == AWSPENDING) && !v.stages.iter().any(|x| x == AWSCURRENT))
        .map(|v| v.id.clone())
}

/// RotateSecret.
pub fn rotate_secret(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(
        request,
        &[
            "SecretId",
            "ClientRequestToken",
            "RotationLambdaARN",
            "RotationRules",
            "RotateImmediately",
            "ExternalSecretRotationMetadata",
            "ExternalSecretRotationRoleArn",
        ],
    )?;
    let e = SecretsError::from_params;
    let id = p.req_str("SecretId", 1, 2048).map_err(e)?;
    let token = p.str("ClientRequestToken", 32, 64).map_err(e)?;
    let lambda = p.str("RotationLambdaARN", 0, 2048).map_err(e)?.filter(|l| !l.is_empty());
    let immediately = p.bool("RotateImmediately").map_err(e)?.unwrap_or(true);
    let rules = p
        .object("RotationRules", &["AutomaticallyAfterDays", "Duration", "ScheduleExpression"])
        .map_err(e)?;
    if p.has("ExternalSecretRotationMetadata") || p.has("ExternalSecretRotationRoleArn") {
        return Err(SecretsError::invalid_parameter("managed external secrets are not modelled"));
    }
    let arn = find(c, id)?;
    let mut extra = Vec::new();
    if let Some(l) = lambda {
        extra.push(("secretsmanager:RotationLambdaARN", l.to_string()));
    }
    allow(c, "RotateSecret", Some(&arn), &extra)?;
    let s = secret(c.store, &arn)?;
    not_deleted(s)?;
    super::replication::not_replica(s)?;
    let lambda = lambda
        .map(str::to_string)
        .or_else(|| s.rotation.as_ref().and_then(|r| r.lambda_arn.clone()))
        .ok_or_else(|| {
            SecretsError::invalid_request("No Lambda rotation function ARN is associated with this secret.")
        })?;
    check_lambda(&lambda, &s.region)?;
    let mut rotation = s.rotation.clone().unwrap_or(Rotation {
        enabled: false,
        lambda_arn: None,
        automatically_after_days: None,
        schedule_expression: None,
        duration: None,
        next: None,
    });
    rotation.lambda_arn = Some(lambda);
    if let Some(r) = rules {
        let after = r.int("AutomaticallyAfterDays", i64::MIN, i64::MAX).map_err(e)?;
        let expr = r.str("ScheduleExpression", 1, 256).map_err(e)?;
        let duration = r.str("Duration", 2, 3).map_err(e)?;
        let sched = schedule::parse(after, expr)?;
        schedule::window(&sched, duration)?;
        rotation.automatically_after_days = after;
        rotation.schedule_expression = expr.map(str::to_string);
        rotation.duration = duration.map(str::to_string);
    }
    rotation.enabled = schedule_of(&rotation).is_some();
    if pending(c.store, &arn).is_some() {
        return Err(SecretsError::invalid_request(
            "A previous rotation isn't complete. That rotation will be reattempted. (Remove AWSPENDING \
             from the version it is on with UpdateSecretVersionStage to start over.)",
        ));
    }
    let now = c.w.now;
    rotation.next = next_after(&rotation, now);
    let name = s.name.clone();
    secret_mut(c.store, &arn)?.rotation = Some(rotation);
    let mut out = json!({"ARN": arn, "Name": name});
    if immediately {
        let version_id = match token {
            Some(t) => t.to_string(),
            None => new_version_id()?,
        };
        run(c.w, c.store, &arn, &version_id);
        if let Some(o) = out.as_object_mut() {
            o.insert("VersionId".into(), json!(version_id));
        }
    }
    Ok(out)
}

/// CancelRotateSecret: turns automatic rotation off; labels stay as they are.
pub fn cancel_rotate_secret(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(request, &["SecretId"])?;
    let id = p.req_str("SecretId", 1, 2048).map_err(SecretsError::from_params)?;
    let arn = find(c, id)?;
    allow(c, "CancelRotateSecret", Some(&arn), &[])?;
    not_deleted(secret(c.store, &arn)?)?;
    let now = c.w.now;
    let pending_version = pending(c.store, &arn);
    let s = secret_mut(c.store, &arn)?;
    if let Some(r) = s.rotation.as_mut() {
        r.enabled = false;
        r.next = None;
    }
    let name = s.name.clone();
    log(
        c.store,
        &arn,
        event(
            now,
            pending_version.as_deref().unwrap_or(""),
            "RotationCancelled",
            true,
            "automatic rotation is off; staging labels are unchanged",
        ),
    );
    let mut out = json!({"ARN": arn, "Name": name});
    if let (Some(v), Some(o)) = (pending_version, out.as_object_mut()) {
        o.insert("VersionId".into(), json!(v));
    }
    Ok(out)
}

/// The new value `createSecret` makes from the current one.
fn rotated_value(current: &str) -> Result<String, SecretsError> {
    let pw =
        generate(&PasswordOptions { exclude_characters: "/@\"'\\".into(), ..PasswordOptions::default() })?;
    if let Ok(Value::Object(mut o)) = serde_json::from_str::<Value>(current) {
        if o.contains_key("password") {
            o.insert("password".into(), json!(pw.as_str()));
            return Ok(Value::Object(o).to_string());
        }
    }
    Ok(pw.to_string())
}

/// One step of the function, as the function's role.
fn step(
    c: &mut Call<'_>,
    arn: &str,
    version_id: &str,
    name: &str,
    fail_at: Option<&str>,
) -> Result<String, SecretsError> {
    if fail_at == Some(name) {
        return Err(SecretsError::internal(format!(
            "the rotation function failed at {name} (as configured)"
        )));
    }
    match name {
        "createSecret" => {
            let current = values::get_secret_value(c, &json!({"SecretId": arn, "VersionStage": AWSCURRENT}))?;
            let exists = secret(c.store, arn)?.version(version_id).is_some();
            if exists {
                return Ok(format!("version {version_id} already exists: reused"));
            }
            let text = current.get("SecretString").and_then(Value::as_str).unwrap_or("");
            let new = rotated_value(text)?;
            values::put_secret_value(
                c,
                &json!({"SecretId": arn, "ClientRequestToken": version_id, "SecretString": new, "VersionStages": [AWSPENDING]}),
            )?;
            Ok(format!("put a new value as version {version_id} with AWSPENDING"))
        }
        "setSecret" => Ok("set the AWSPENDING credentials in the database (emulated)".into()),
        "testSecret" => {
            values::get_secret_value(
                c,
                &json!({"SecretId": arn, "VersionId": version_id, "VersionStage": AWSPENDING}),
            )?;
            Ok("signed in with the AWSPENDING credentials (emulated)".into())
        }
        _ => {
            let current = secret(c.store, arn)?.with_stage(AWSCURRENT).map(|v| v.id.clone());
            let mut req = json!({"SecretId": arn, "VersionStage": AWSCURRENT, "MoveToVersionId": version_id});
            if let (Some(cur), Some(o)) = (&current, req.as_object_mut()) {
                o.insert("RemoveFromVersionId".into(), json!(cur));
            }
            values::update_secret_version_stage(c, &req)?;
            Ok("moved AWSCURRENT to the new version (AWSPREVIOUS to the old one)".into())
        }
    }
}

/// Runs one rotation of `arn` to version `version_id` at the world's current time. Returns
/// whether it succeeded; every step is in the secret's timeline.
pub fn run(w: &mut World, store: &mut Store, arn: &str, version_id: &str) -> bool {
    let now = w.now;
    let Some(s) = store.secrets.get(arn) else { return false };
    let lambda = s.rotation.as_ref().and_then(|r| r.lambda_arn.clone()).unwrap_or_default();
    let f = store.functions.get(&lambda).cloned().unwrap_or_default();
    let principal = f.role.clone().unwrap_or_else(|| format!("arn:aws:iam::{}:root", s.account));
    let ctx = CallerContext { principal, region: Some(s.region.clone()), ..CallerContext::default() };
    log(store, arn, event(now, version_id, "RotationStarted", true, format!("invoked {lambda}")));
    let who = match resolve(w, &ctx) {
        Ok(who) => who,
        Err(e) => {
            log(
                store,
                arn,
                event(now, version_id, "RotationFailed", false, format!("the function's role: {e}")),
            );
            return false;
        }
    };
    let mut c = Call { w, store, ctx: &ctx, who };
    for name in STEPS {
        match step(&mut c, arn, version_id, name, f.fail_at.as_deref()) {
            Ok(m) => log(c.store, arn, event(now, version_id, name, true, m)),
            Err(e) => {
                log(c.store, arn, event(now, version_id, name, false, format!("{}: {e}", e.code())));
                log(
                    c.store,
                    arn,
                    event(
                        now,
                        version_id,
                        "RotationFailed",
                        false,
                        format!("stopped at {name}; labels left as they are"),
                    ),
                );
                return false;
            }
        }
    }
    if let Some(s) = c.store.secrets.get_mut(arn) {
        for v in &mut s.versions {
            if v.id == version_id {
                v.stages.retain(|x| x != AWSPENDING);
            }
        }
        s.last_rotated = Some(now);
    }
    super::replication::sync(&mut c, arn);
    log(c.store, arn, event(now, version_id, "RotationSucceeded", true, "AWSCURRENT is the new version"));
    true
}

/// Runs the scheduled rotations that fell due up to the world's clock, each at its window's start
/// (the world's clock is set to it while the rotation runs, so versions and KMS audit entries
/// carry that time). Returns `(secret ARN, window start, succeeded)` per rotation.
pub fn run_due(w: &mut World, store: &mut Store) -> Vec<(String, i64, bool)> {
    let now = w.now;
    let due: Vec<String> = store
        .secrets
        .values()
        .filter(|s| {
            !s.is_deleted()
                && s.rotation.as_ref().is_some_and(|r| r.enabled && r.next.is_some_and(|n| n <= now))
        })
        .map(|s| s.arn.clone())
        .collect();
    let mut out = Vec::new();
    for arn in due {
        let mut runs = 0;
        while let Some(at) = store
            .secrets
            .get(&arn)
            .and_then(|s| s.rotation.as_ref())
            .filter(|r| r.enabled)
            .and_then(|r| r.next)
            .filter(|n| *n <= now)
        {
            if runs >= MAX_CATCH_UP {
                let next = store
                    .secrets
                    .get(&arn)
                    .and_then(|s| s.rotation.as_ref())
                    .and_then(|r| next_after(r, now));
                log(store, &arn, event(now, "", "RotationSkipped", false, format!("more than {MAX_CATCH_UP} windows fell due in one clock step; the rest were skipped")));
                if let Some(r) = store.secrets.get_mut(&arn).and_then(|s| s.rotation.as_mut()) {
                    r.next = next;
                }
                break;
            }
            runs += 1;
            w.now = at;
            let ok = if pending(store, &arn).is_some() {
                log(
                    store,
                    &arn,
                    event(
                        at,
                        "",
                        "RotationFailed",
                        false,
                        "a previous rotation isn't complete (AWSPENDING is still on another version)",
                    ),
                );
                false
            } else {
                match new_version_id() {
                    Ok(v) => run(w, store, &arn, &v),
                    Err(_) => false,
                }
            };
            out.push((arn.clone(), at, ok));
            if let Some(r) = store.secrets.get_mut(&arn).and_then(|s| s.rotation.as_mut()) {
                r.next = next_after(r, at).filter(|n| *n > at);
            }
        }
    }
    w.now = now;
    out
}
