//! Helpers shared by the Secrets Manager tests: a fresh world and store, callers, and calls that
//! name what failed.

use secplay::kms::World;
use secplay::secrets::{call, SecretsError, Store};
use serde_json::{json, Value};

pub const MAIN: &str = "111122223333";
pub const PARTNER: &str = "444455556666";
pub const DAY: i64 = 86_400;

pub fn admin(account: &str) -> String {
    format!("arn:aws:iam::{account}:role/Admin")
}

/// A world (KMS's) and an empty Secrets Manager store beside it.
pub struct Env {
    pub w: World,
    pub s: Store,
}

impl Env {
    pub fn new() -> Env {
        Env { w: World::new(), s: Store::default() }
    }

    pub fn try_call(
        &mut self,
        op: &str,
        req: Value,
        caller: impl Into<Value>,
    ) -> Result<Value, SecretsError> {
        call(&mut self.w, &mut self.s, op, &req, &caller.into())
    }

    #[track_caller]
    pub fn ok(&mut self, op: &str, req: Value, caller: impl Into<Value>) -> Value {
        match self.try_call(op, req, caller) {
            Ok(v) => v,
            Err(e) => panic!("{op} failed: {} {e}", e.code()),
        }
    }

    /// As the main account's admin.
    #[track_caller]
    pub fn admin(&mut self, op: &str, req: Value) -> Value {
        self.ok(op, req, admin(MAIN))
    }

    #[track_caller]
    pub fn expect_code(
        &mut self,
        op: &str,
        req: Value,
        caller: impl Into<Value>,
        code: &str,
    ) -> SecretsError {
        match self.try_call(op, req, caller) {
            Ok(v) => panic!("{op} should have failed with {code} but answered {v}"),
            Err(e) => {
                assert_eq!(e.code(), code, "{op}: expected {code}, got {}: {e}", e.code());
                e
            }
        }
    }

    /// A KMS call (for keys and policies).
    #[track_caller]
    pub fn kms(&mut self, op: &str, req: Value, caller: impl Into<Value>) -> Value {
        match secplay::kms::call(&mut self.w, op, &req, &caller.into()) {
            Ok(v) => v,
            Err(e) => panic!("KMS {op} failed: {} {e}", e.code()),
        }
    }

    /// The value of a secret's `AWSCURRENT` version as the main admin sees it.
    #[track_caller]
    pub fn current(&mut self, id: &str) -> String {
        self.admin("GetSecretValue", json!({"SecretId": id}))["SecretString"].as_str().unwrap().to_string()
    }

    /// KMS audit events with this name, newest last.
    pub fn kms_events(&self, name: &str) -> Vec<Value> {
        self.w.audit.iter().filter(|e| e["eventName"] == name).cloned().collect()
    }
}

/// Adds a user with identity policies.
pub fn principal(w: &mut World, arn: &str, policies: &[Value]) {
    w.add_principal(arn, None).unwrap();
    for (i, p) in policies.iter().enumerate() {
        w.put_identity_policy(arn, &format!("p{i}"), &p.to_string()).unwrap();
    }
}

pub fn allow(actions: &[&str], resource: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resource}]})
}

/// A 32-character client request token.
pub fn token(n: u32) -> String {
    format!("{n:032}")
}
