//! Helpers shared by the KMS tests: a fresh world, callers, and calls that name what failed.

use secplay::kms::{call, KmsError, World};
use serde_json::{json, Value};

pub const MAIN: &str = "111122223333";
pub const PARTNER: &str = "444455556666";

/// The `Admin` role of an account (allowed everything by its identity policy).
pub fn admin(account: &str) -> String {
    format!("arn:aws:iam::{account}:role/Admin")
}

pub fn root(account: &str) -> String {
    format!("arn:aws:iam::{account}:root")
}

pub fn world() -> World {
    World::new()
}

/// Adds a user or role with identity policies.
pub fn principal(w: &mut World, arn: &str, policies: &[Value]) {
    w.add_principal(arn, None).unwrap();
    for (i, p) in policies.iter().enumerate() {
        w.put_identity_policy(arn, &format!("p{i}"), &p.to_string()).unwrap();
    }
}

/// An identity policy of one statement.
pub fn allow(actions: &[&str], resource: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resource}]})
}

pub fn try_call(w: &mut World, op: &str, req: Value, caller: impl Into<Value>) -> Result<Value, KmsError> {
    call(w, op, &req, &caller.into())
}

#[track_caller]
pub fn ok(w: &mut World, op: &str, req: Value, caller: impl Into<Value>) -> Value {
    match try_call(w, op, req, caller) {
        Ok(v) => v,
        Err(e) => panic!("{op} failed: {} {e}", e.code()),
    }
}

/// The exception name of a call that must fail.
#[track_caller]
pub fn fails(w: &mut World, op: &str, req: Value, caller: impl Into<Value>) -> KmsError {
    match try_call(w, op, req, caller) {
        Ok(v) => panic!("{op} should have failed but answered {v}"),
        Err(e) => e,
    }
}

#[track_caller]
pub fn expect_code(w: &mut World, op: &str, req: Value, caller: impl Into<Value>, code: &str) -> KmsError {
    let e = fails(w, op, req, caller);
    assert_eq!(e.code(), code, "{op}: expected {code}, got {}: {e}", e.code());
    e
}

/// Creates a key as `caller` and returns its ARN.
#[track_caller]
pub fn create_key(w: &mut World, caller: &str, req: Value) -> String {
    let v = ok(w, "CreateKey", req, caller);
    v["KeyMetadata"]["Arn"].as_str().unwrap().to_string()
}

pub fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn unb64(s: &Value) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(s.as_str().unwrap()).unwrap()
}
