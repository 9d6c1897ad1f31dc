//! The Secrets Manager page's state: the KMS world and the Secrets Manager store over it, who
//! calls, the operation and its JSON request, the last answer, the KMS audit entries the last
//! action caused, and the notes' examples; the actions that change it.
//!
//! Plain data for every target, tested natively through the real engines: every call goes
//! through `secrets::call`, as a JS user's does.

use secplay::kms::{time, World};
use secplay::secrets::{self, Store};
use serde_json::{json, Value};

/// The main account's administrator, the default caller.
pub const ADMIN: &str = "arn:aws:iam::111122223333:role/Admin";
/// The rotation function the examples use.
pub const FUNCTION: &str = "arn:aws:lambda:us-east-1:111122223333:function:rotate-db";

/// The operations offered, each with a request template.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "CreateSecret",
        r#"{"Name": "prod/db", "SecretString": "{\"username\":\"app\",\"password\":\"initial\"}"}"#,
    ),
    ("GetSecretValue", r#"{"SecretId": "prod/db"}"#),
    (
        "PutSecretValue",
        r#"{"SecretId": "prod/db", "SecretString": "{\"username\":\"app\",\"password\":\"changed\"}"}"#,
    ),
    ("DescribeSecret", r#"{"SecretId": "prod/db"}"#),
    ("ListSecrets", r#"{"Filters": [{"Key": "name", "Values": ["prod/"]}]}"#),
    ("ListSecretVersionIds", r#"{"SecretId": "prod/db", "IncludeDeprecated": true}"#),
    (
        "UpdateSecretVersionStage",
        r#"{"SecretId": "prod/db", "VersionStage": "AWSCURRENT", "MoveToVersionId": "", "RemoveFromVersionId": ""}"#,
    ),
    (
        "RotateSecret",
        r#"{"SecretId": "prod/db", "RotationLambdaARN": "arn:aws:lambda:us-east-1:111122223333:function:rotate-db", "RotationRules": {"ScheduleExpression": "rate(30 days)"}}"#,
    ),
    ("CancelRotateSecret", r#"{"SecretId": "prod/db"}"#),
    (
        "ReplicateSecretToRegions",
        r#"{"SecretId": "prod/db", "AddReplicaRegions": [{"Region": "us-west-2"}]}"#,
    ),
    ("StopReplicationToReplica", r#"{"SecretId": "prod/db"}"#),
    (
        "PutResourcePolicy",
        r#"{"SecretId": "prod/db", "BlockPublicPolicy": true, "ResourcePolicy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}"}"#,
    ),
    ("GetRandomPassword", r#"{"PasswordLength": 24}"#),
    ("DeleteSecret", r#"{"SecretId": "prod/db", "RecoveryWindowInDays": 7}"#),
    ("RestoreSecret", r#"{"SecretId": "prod/db"}"#),
];

/// The notes' examples (DIGEST §9): their titles.
pub const EXAMPLES: &[&str] = &[
    "Rotation every 30 days through a function, on the clock",
    "A rotation that fails at setSecret: AWSPENDING stays, AWSCURRENT does not move",
    "A read replica in another region, promoted to a standalone secret",
];

/// One secret as the page lists it: name, ARN, versions `(id, labels, created)` newest first,
/// and whether it is scheduled for deletion.
pub type SecretRow = (String, String, Vec<(String, Vec<String>, i64)>, bool);

/// The last answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Ok { operation: String, body: String },
    Err { operation: String, code: String, message: String },
}

/// The page's state.
#[derive(Clone, Debug)]
pub struct SecretsState {
    pub world: World,
    pub store: Store,
    pub principal: String,
    pub region: String,
    pub operation: String,
    pub request: String,
    pub answer: Option<Answer>,
    /// KMS audit events the last action caused.
    pub kms_events: Vec<Value>,
    /// What the last example did, step by step (`ok`, text).
    pub steps: Vec<(bool, String)>,
}

impl PartialEq for SecretsState {
    fn eq(&self, o: &Self) -> bool {
        self.principal == o.principal
            && self.region == o.region
            && self.operation == o.operation
            && self.request == o.request
            && self.answer == o.answer
            && self.kms_events == o.kms_events
            && self.steps == o.steps
            && self.world.now == o.world.now
    }
}

/// What the page can do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Principal(String),
    Region(String),
    /// Picks an operation and fills its template.
    Operation(String),
    Request(String),
    Send,
    /// Moves the clock by days.
    Advance(i64),
    /// Runs one of the notes' examples on a fresh world.
    Example(usize),
}

impl Default for SecretsState {
    fn default() -> SecretsState {
        SecretsState {
            world: World::new(),
            store: Store::default(),
            principal: ADMIN.into(),
            region: "us-east-1".into(),
            operation: "CreateSecret".into(),
            request: template("CreateSecret").into(),
            answer: None,
            kms_events: Vec::new(),
            steps: Vec::new(),
        }
    }
}

/// The request template of an operation.
pub fn template(op: &str) -> &'static str {
    TEMPLATES.iter().find(|(o, _)| *o == op).map_or("{}", |(_, t)| t)
}

impl SecretsState {
    fn caller(&self) -> Value {
        json!({"principal": self.principal, "region": self.region})
    }

    /// Runs one call; the KMS audit entries it caused are appended to `kms_events`.
    fn run(&mut self, op: &str, request: &Value, caller: &Value) -> Result<Value, Answer> {
        let before = self.world.audit.len();
        let r = secrets::call(&mut self.world, &mut self.store, op, request, caller);
        self.kms_events.extend(self.world.audit.iter().skip(before).cloned());
        r.map_err(|e| Answer::Err { operation: op.into(), code: e.code().into(), message: e.to_string() })
    }

    /// Applies an action.
    pub fn apply(&mut self, a: Action) {
        match a {
            Action::Principal(p) => self.principal = p,
            Action::Region(r) => self.region = r,
            Action::Operation(o) => {
                self.request = template(&o).into();
                self.operation = o;
            }
            Action::Request(r) => self.request = r,
            Action::Send => {
                self.kms_events.clear();
                let op = self.operation.clone();
                self.answer = Some(match serde_json::from_str::<Value>(&self.request) {
                    Err(e) => Answer::Err {
                        operation: op,
                        code: "SerializationException".into(),
                        message: format!("the request is not JSON: {e}"),
                    },
                    Ok(req) => {
                        let caller = self.caller();
                        match self.run(&op, &req, &caller) {
                            Ok(v) => Answer::Ok {
                                operation: op,
                                body: serde_json::to_string_pretty(&v).unwrap_or_default(),
                            },
                            Err(e) => e,
                        }
                    }
                });
            }
            Action::Advance(days) => {
                self.kms_events.clear();
                let before = self.world.audit.len();
                let days = days.clamp(0, 3650);
                self.answer =
                    Some(match secrets::advance_clock(&mut self.world, &mut self.store, days * time::DAY) {
                        Ok(v) => Answer::Ok {
                            operation: "advanceClock".into(),
                            body: serde_json::to_string_pretty(&v).unwrap_or_default(),
                        },
                        Err(e) => Answer::Err {
                            operation: "advanceClock".into(),
                            code: e.code().into(),
                            message: e.to_string(),
                        },
                    });
                self.kms_events.extend(self.world.audit.iter().skip(before).cloned());
            }
            Action::Example(i) => self.example(i),
        }
    }

    /// One step of an example: a call, its outcome in `steps`.
    fn step(&mut self, what: &str, op: &str, request: Value, caller: Value) -> Option<Value> {
        match self.run(op, &request, &caller) {
            Ok(v) => {
                self.steps.push((true, format!("{what} ({op})")));
                Some(v)
            }
            Err(Answer::Err { code, message, .. }) => {
                self.steps.push((false, format!("{what} ({op}): {code}: {message}")));
                None
            }
            Err(_) => None,
        }
    }

    fn example(&mut self, i: usize) {
        *self = SecretsState::default();
        let admin = json!(ADMIN);
        let west = json!({"principal": ADMIN, "region": "us-west-2"});
        let db = r#"{"username":"app","password":"initial"}"#;
        match i {
            0 => {
                self.step(
                    "create the database secret under aws/secretsmanager",
                    "CreateSecret",
                    json!({"Name": "prod/db", "SecretString": db}),
                    admin.clone(),
                );
                self.step("turn on rotation every 30 days through the function", "RotateSecret",
                    json!({"SecretId": "prod/db", "RotationLambdaARN": FUNCTION, "RotationRules": {"AutomaticallyAfterDays": 30}, "RotateImmediately": false}), admin.clone());
                match secrets::advance_clock(&mut self.world, &mut self.store, 30 * time::DAY) {
                    Ok(v) => self.steps.push((
                        true,
                        format!(
                            "30 days pass: {} rotation(s)",
                            v.get("events").and_then(Value::as_array).map_or(0, Vec::len)
                        ),
                    )),
                    Err(e) => self.steps.push((false, e.to_string())),
                }
                self.step(
                    "read the previous value (AWSPREVIOUS)",
                    "GetSecretValue",
                    json!({"SecretId": "prod/db", "VersionStage": "AWSPREVIOUS"}),
                    admin,
                );
            }
            1 => {
                self.step(
                    "create the database secret",
                    "CreateSecret",
                    json!({"Name": "prod/db", "SecretString": db}),
                    admin.clone(),
                );
                let r = secrets::put_rotation_function(
                    &mut self.store,
                    FUNCTION,
                    &json!({"failAt": "setSecret"}),
                );
                self.steps.push((
                    r.is_ok(),
                    "the function will fail at setSecret (the database refuses the new password)".into(),
                ));
                self.step(
                    "rotate now",
                    "RotateSecret",
                    json!({"SecretId": "prod/db", "RotationLambdaARN": FUNCTION}),
                    admin.clone(),
                );
                self.step(
                    "AWSCURRENT still reads the old value",
                    "GetSecretValue",
                    json!({"SecretId": "prod/db"}),
                    admin.clone(),
                );
                self.step(
                    "the new value waits under AWSPENDING",
                    "GetSecretValue",
                    json!({"SecretId": "prod/db", "VersionStage": "AWSPENDING"}),
                    admin.clone(),
                );
                self.step(
                    "a new rotation is refused until AWSPENDING is removed",
                    "RotateSecret",
                    json!({"SecretId": "prod/db"}),
                    admin,
                );
            }
            _ => {
                self.step("create the secret with a replica in us-west-2", "CreateSecret",
                    json!({"Name": "prod/db", "SecretString": db, "AddReplicaRegions": [{"Region": "us-west-2"}]}), admin.clone());
                self.step(
                    "read it in us-west-2 (a key of that region decrypts)",
                    "GetSecretValue",
                    json!({"SecretId": "prod/db"}),
                    west.clone(),
                );
                self.step(
                    "a replica is read-only",
                    "PutSecretValue",
                    json!({"SecretId": "prod/db", "SecretString": "x"}),
                    west.clone(),
                );
                self.step(
                    "promote the replica (us-west-2 fails over)",
                    "StopReplicationToReplica",
                    json!({"SecretId": "prod/db"}),
                    west.clone(),
                );
                self.step(
                    "the promoted secret takes writes",
                    "PutSecretValue",
                    json!({"SecretId": "prod/db", "SecretString": db}),
                    west,
                );
            }
        }
        self.answer = None;
    }

    /// The secrets of the caller's region: `(name, arn, [(version id, labels, created)], deleted)`.
    pub fn secrets(&self) -> Vec<SecretRow> {
        self.store
            .secrets
            .values()
            .filter(|s| s.region == self.region)
            .map(|s| {
                let v =
                    s.versions.iter().rev().map(|v| (v.id.clone(), v.stages.clone(), v.created)).collect();
                (s.name.clone(), s.arn.clone(), v, s.is_deleted())
            })
            .collect()
    }

    /// Every rotation timeline entry of the caller's region: `(secret name, time, step, ok, message)`.
    pub fn timeline(&self) -> Vec<(String, String, String, bool, String)> {
        self.store
            .secrets
            .values()
            .filter(|s| s.region == self.region)
            .flat_map(|s| {
                s.history
                    .iter()
                    .map(|e| (s.name.clone(), time::iso8601(e.time), e.step.clone(), e.ok, e.message.clone()))
            })
            .collect()
    }

    /// The simulated time.
    pub fn now(&self) -> String {
        time::iso8601(self.world.now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_is_json_and_create_then_get_works() {
        for (op, t) in TEMPLATES {
            assert!(serde_json::from_str::<Value>(t).is_ok(), "{op}");
        }
        let mut s = SecretsState::default();
        s.apply(Action::Send);
        assert!(matches!(s.answer, Some(Answer::Ok { .. })), "{:?}", s.answer);
        assert!(s.kms_events.iter().any(|e| e["eventName"] == "GenerateDataKey"));
        s.apply(Action::Operation("GetSecretValue".into()));
        s.apply(Action::Send);
        assert!(matches!(&s.answer, Some(Answer::Ok { body, .. }) if body.contains("initial")));
        assert_eq!(s.kms_events.len(), 1, "one Decrypt");
    }

    #[test]
    fn the_examples_run_to_their_end() {
        for i in 0..EXAMPLES.len() {
            let mut s = SecretsState::default();
            s.apply(Action::Example(i));
            let ok: Vec<bool> = s.steps.iter().map(|(ok, _)| *ok).collect();
            match i {
                0 => {
                    assert!(ok.iter().all(|x| *x), "{:?}", s.steps);
                    assert!(s.timeline().iter().any(|t| t.2 == "RotationSucceeded"));
                }
                1 => {
                    assert_eq!(ok, [true, true, true, true, true, false], "{:?}", s.steps);
                    assert!(s.timeline().iter().any(|t| t.2 == "setSecret" && !t.3));
                }
                _ => assert_eq!(ok, [true, true, false, true, true], "{:?}", s.steps),
            }
        }
    }
}
