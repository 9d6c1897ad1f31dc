//! Helpers shared by the Parameter Store tests: a world and store, callers, calls that name what
//! failed.

use secplay::kms::World;
use secplay::ssm::{call, SsmError, Store};
use serde_json::{json, Value};

pub const MAIN: &str = "111122223333";

pub fn admin() -> String {
    format!("arn:aws:iam::{MAIN}:role/Admin")
}

pub struct Env {
    pub w: World,
    pub s: Store,
}

pub fn env() -> Env {
    Env { w: World::new(), s: Store::new() }
}

impl Env {
    pub fn try_call(&mut self, op: &str, req: Value, caller: impl Into<Value>) -> Result<Value, SsmError> {
        call(&mut self.s, &mut self.w, op, &req, &caller.into())
    }

    #[track_caller]
    pub fn ok(&mut self, op: &str, req: Value) -> Value {
        self.ok_as(op, req, admin())
    }

    #[track_caller]
    pub fn ok_as(&mut self, op: &str, req: Value, caller: impl Into<Value>) -> Value {
        match self.try_call(op, req, caller) {
            Ok(v) => v,
            Err(e) => panic!("{op} failed: {} {e}", e.code()),
        }
    }

    #[track_caller]
    pub fn code(&mut self, op: &str, req: Value, expected: &str) -> SsmError {
        self.code_as(op, req, admin(), expected)
    }

    #[track_caller]
    pub fn code_as(&mut self, op: &str, req: Value, caller: impl Into<Value>, expected: &str) -> SsmError {
        match self.try_call(op, req, caller) {
            Ok(v) => panic!("{op} should have failed with {expected} but answered {v}"),
            Err(e) => {
                assert_eq!(e.code(), expected, "{op}: {e}");
                e
            }
        }
    }

    /// Puts a String parameter.
    #[track_caller]
    pub fn put(&mut self, name: &str, value: &str) -> Value {
        self.ok("PutParameter", json!({"Name": name, "Value": value, "Type": "String"}))
    }

    /// Adds a user with identity policies.
    pub fn user(&mut self, name: &str, policies: &[Value]) -> String {
        let arn = format!("arn:aws:iam::{MAIN}:user/{name}");
        self.w.add_principal(&arn, None).unwrap();
        for (i, p) in policies.iter().enumerate() {
            self.w.put_identity_policy(&arn, &format!("p{i}"), &p.to_string()).unwrap();
        }
        arn
    }

    /// KMS audit events of one name.
    pub fn audit(&self, event: &str) -> Vec<Value> {
        self.w.audit.iter().filter(|e| e["eventName"] == event).cloned().collect()
    }
}

pub fn allow(actions: &[&str], resource: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resource}]})
}
