//! §9 Secrets Manager: a database secret replicated to us-west-2, rotated by its function as its
//! own IAM role (staging labels AWSPENDING → AWSCURRENT, the old version AWSPREVIOUS), rotated
//! again by its schedule on the simulated clock, the new value read in the replica's region, and
//! the replica promoted to a standalone secret (`secrets::call`, `secrets::advance_clock`). Variants
//! take away the rotation function or its role's permissions.

use serde_json::{json, Value};

use super::kit::{at, fail, pretty, Step, Steps};
use crate::kms::time::DAY;
use crate::kms::World;
use crate::notes::model::{Chapter, StepError, StepOutcome, Variant};
use crate::secrets::{self, SecretsError, Store};

const ADMIN: &str = "arn:aws:iam::111122223333:role/Admin";
const ROTATOR: &str = "arn:aws:iam::111122223333:role/rotate-db";
const FUNCTION: &str = "arn:aws:lambda:us-east-1:111122223333:function:rotate-db";
const NAME: &str = "prod/my-app/db";
/// "How rotation works" (the four steps and the staging labels).
const DOC_ROTATION: &str =
    "https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_how.html";
/// "Rotation schedules".
const DOC_SCHEDULE: &str =
    "https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html";
/// "Permissions for rotation Lambda functions".
const DOC_ROTATION_PERMISSIONS: &str =
    "https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets-required-permissions-function.html";
/// "Replicate AWS Secrets Manager secrets across Regions".
const DOC_REPLICAS: &str =
    "https://docs.aws.amazon.com/secretsmanager/latest/userguide/create-manage-multi-region-secrets.html";
/// "Promote a replica secret to a standalone secret".
const DOC_PROMOTE: &str =
    "https://docs.aws.amazon.com/secretsmanager/latest/userguide/standalone-secret.html";

pub(super) fn chapter() -> Chapter {
    Chapter {
        id: "secrets-manager",
        section: 9,
        title: "Secrets Manager: rotation, replicas and promotion",
        summary: "A database secret with a replica in us-west-2. Its rotation function, running as its own role, \
            makes a new version (AWSPENDING), sets and tests it, and moves AWSCURRENT to it (the old one becomes \
            AWSPREVIOUS); the schedule rotates it again 30 days later, the replica follows, and is finally promoted \
            to a standalone secret.",
        outdated: Vec::new(),
        variants: vec![
            Variant {
                id: "no-rotation-function",
                removes: "the rotation function (RotateSecret names no RotationLambdaARN)",
                fails_at: "rotate",
                error: "InvalidRequestException",
            },
            Variant {
                id: "rotator-without-permissions",
                removes: "the rotation function role's secretsmanager permissions",
                fails_at: "rotate",
                error: "AccessDeniedException",
            },
        ],
        run,
    }
}

fn run(variant: Option<&str>) -> Vec<StepOutcome> {
    let mut steps = Steps::default();
    let _ = play(&mut steps, variant);
    steps.into_vec()
}

fn sm_err(e: &SecretsError) -> StepError {
    fail(e.code(), e.to_string())
}

/// A Secrets Manager call as the page makes it; its link never carries a secret value.
fn call_step(
    id: &'static str,
    title: &str,
    explain: String,
    caller: &Value,
    operation: &str,
    request: &Value,
) -> Step {
    let mut shown = request.clone();
    if let Some(v) = shown.get_mut("SecretString") {
        *v = Value::String(String::new());
    }
    let principal = caller.get("principal").and_then(Value::as_str).unwrap_or(ADMIN);
    let region = caller.get("region").and_then(Value::as_str).unwrap_or("us-east-1");
    Step::new(id, "Secrets Manager emulator", title, explain).link(
        "#/secrets",
        json!({"principal": principal, "region": region, "operation": operation, "request": pretty(&shown)}),
    )
}

struct Env {
    w: World,
    s: Store,
}

impl Env {
    fn call(&mut self, operation: &str, request: &Value, caller: &Value) -> Result<Value, StepError> {
        secrets::call(&mut self.w, &mut self.s, operation, request, caller).map_err(|e| sm_err(&e))
    }

    /// The rotation history's last entry: success, or the failing step's error (its message
    /// starts with the AWS error code).
    fn last_rotation(&mut self) -> Result<Vec<Value>, StepError> {
        let h = secrets::rotation_history(&mut self.w, &mut self.s, NAME, &json!(ADMIN))
            .map_err(|e| sm_err(&e))?;
        let h = h.as_array().cloned().unwrap_or_default();
        if let Some(bad) = h.iter().find(|x| {
            x.get("ok").and_then(Value::as_bool) == Some(false) && *at(x, "/step") != "RotationFailed"
        }) {
            let message = bad.get("message").and_then(Value::as_str).unwrap_or_default();
            let code = message.split([':', ' ']).next().filter(|c| !c.is_empty()).unwrap_or("RotationFailed");
            return Err(fail(
                code,
                format!("rotation step {} failed: {message}", at(bad, "/step").as_str().unwrap_or("?")),
            ));
        }
        Ok(h)
    }
}

fn set_up_rotator(env: &mut Env, variant: Option<&str>) -> Result<String, StepError> {
    let kms = |e: crate::kms::KmsError| fail(e.code(), e.to_string());
    env.w.add_principal(ROTATOR, None).map_err(kms)?;
    let actions: &[&str] = if variant == Some("rotator-without-permissions") {
        &[]
    } else {
        &[
            "secretsmanager:DescribeSecret",
            "secretsmanager:GetSecretValue",
            "secretsmanager:PutSecretValue",
            "secretsmanager:UpdateSecretVersionStage",
            "secretsmanager:GetRandomPassword",
        ]
    };
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]});
    env.w.put_identity_policy(ROTATOR, "rotation", &policy.to_string()).map_err(kms)?;
    secrets::put_rotation_function(&mut env.s, FUNCTION, &json!({"role": ROTATOR}))
        .map_err(|e| sm_err(&e))?;
    Ok(format!("{FUNCTION} runs as {ROTATOR}"))
}

fn play(steps: &mut Steps, variant: Option<&str>) -> Option<()> {
    let mut env = Env { w: World::new(), s: Store::default() };
    let admin = json!(ADMIN);
    let west = json!({"principal": ADMIN, "region": "us-west-2"});

    let create = json!({"Name": NAME, "SecretString": "{\"username\":\"app\",\"password\":\"initial-pass-1\"}",
        "AddReplicaRegions": [{"Region": "us-west-2"}]});
    let step = call_step("create", "CreateSecret with a replica in us-west-2", format!(
        "The value is sealed with a data key from KMS (aws/secretsmanager here) and its replica in us-west-2 under a \
         key of that region: notes §9, {DOC_REPLICAS}"), &admin, "CreateSecret", &create);
    let created = env.call("CreateSecret", &create, &admin);
    let first_version = created
        .as_ref()
        .map(|v| at(v, "/VersionId").as_str().unwrap_or_default().to_owned())
        .unwrap_or_default();
    let r = created.map(|v| {
        let status: Vec<String> = at(&v, "/ReplicationStatus")
            .as_array()
            .into_iter()
            .flatten()
            .map(|s| {
                format!(
                    "{} {}",
                    at(s, "/Region").as_str().unwrap_or("?"),
                    at(s, "/Status").as_str().unwrap_or("?")
                )
            })
            .collect();
        format!(
            "version {} AWSCURRENT; replicas: {}",
            at(&v, "/VersionId").as_str().unwrap_or("?"),
            status.join(", ")
        )
    });
    steps.push(step, r)?;

    let step = Step::new("rotation-function", "Secrets Manager emulator", "Deploy the rotation function and its role",
        format!("The rotation function calls Secrets Manager as its execution role, which needs DescribeSecret, \
             GetSecretValue, PutSecretValue, UpdateSecretVersionStage and GetRandomPassword: {DOC_ROTATION_PERMISSIONS}"));
    steps.push(step, set_up_rotator(&mut env, variant))?;

    let mut rotate = json!({"SecretId": NAME, "RotationRules": {"AutomaticallyAfterDays": 30}});
    if variant != Some("no-rotation-function") {
        if let Some(o) = rotate.as_object_mut() {
            o.insert("RotationLambdaARN".into(), json!(FUNCTION));
        }
    }
    let step = call_step("rotate", "RotateSecret every 30 days, now", format!(
        "The function runs createSecret (a new version labelled AWSPENDING), setSecret, testSecret and finishSecret \
         (AWSCURRENT moves to the new version, AWSPREVIOUS to the old one): notes §9, {DOC_ROTATION}"),
        &admin, "RotateSecret", &rotate);
    let r = env.call("RotateSecret", &rotate, &admin).and_then(|_| env.last_rotation()).and_then(|_| {
        let cur = env.call("GetSecretValue", &json!({"SecretId": NAME}), &admin)?;
        let prev =
            env.call("GetSecretValue", &json!({"SecretId": NAME, "VersionStage": "AWSPREVIOUS"}), &admin)?;
        Ok(format!(
            "AWSCURRENT on version {}, AWSPREVIOUS on version {}{}",
            at(&cur, "/VersionId").as_str().unwrap_or("?"),
            at(&prev, "/VersionId").as_str().unwrap_or("?"),
            if at(&prev, "/VersionId").as_str() == Some(first_version.as_str()) {
                " (the first one)"
            } else {
                ""
            }
        ))
    });
    steps.push(step, r)?;

    let step = Step::new(
        "schedule",
        "Secrets Manager emulator",
        "31 days later: the scheduled rotation",
        format!(
        "The schedule starts a rotation in the window after 30 days, on the simulated clock: {DOC_SCHEDULE}"),
    );
    let r = secrets::advance_clock(&mut env.w, &mut env.s, 31 * DAY).map_err(|e| sm_err(&e)).and_then(|_| {
        let h = env.last_rotation()?;
        let n = h.iter().filter(|x| *at(x, "/step") == "RotationSucceeded").count();
        Ok(format!("{n} rotations succeeded"))
    });
    steps.push(step, r)?;

    let read = json!({"SecretId": NAME});
    let step = call_step("replica-read", "GetSecretValue in us-west-2", format!(
        "Replicas are read-only copies kept in sync with the primary, each sealed under a key of its own region: \
         {DOC_REPLICAS}"), &west, "GetSecretValue", &read);
    let r = env.call("GetSecretValue", &read, &west).and_then(|rep| {
        let primary = env.call("GetSecretValue", &read, &admin)?;
        if at(&rep, "/VersionId") == at(&primary, "/VersionId")
            && at(&rep, "/SecretString") == at(&primary, "/SecretString")
        {
            Ok(format!(
                "{} holds the primary's AWSCURRENT version {}",
                at(&rep, "/ARN").as_str().unwrap_or("?"),
                at(&rep, "/VersionId").as_str().unwrap_or("?")
            ))
        } else {
            Err(fail("ReplicaOutOfSync", "the replica's AWSCURRENT is not the primary's"))
        }
    });
    steps.push(step, r)?;

    let stop = json!({"SecretId": NAME});
    let step = call_step("promote", "StopReplicationToReplica in us-west-2", format!(
        "Promoting a replica (in the replica's region) makes it a standalone secret, its own primary: notes §9, \
         {DOC_PROMOTE}"), &west, "StopReplicationToReplica", &stop);
    let r = env
        .call("StopReplicationToReplica", &stop, &west)
        .and_then(|_| env.call("DescribeSecret", &stop, &west))
        .map(|d| format!("PrimaryRegion is now {}", at(&d, "/PrimaryRegion").as_str().unwrap_or("?")));
    steps.push(step, r)?;
    Some(())
}
