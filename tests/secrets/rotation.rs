//! Rotation: RotateSecret through the emulated function's four steps, failures at each step,
//! schedules (rate, cron, AutomaticallyAfterDays, Duration) on the simulated clock, and
//! CancelRotateSecret. User Guide, "How rotation works"
//! (<https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_how.html>) and
//! "Rotation schedules" (<https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html>).

use secplay::secrets::ops::rotation::STEPS;
use secplay::secrets::{advance_clock, put_rotation_function, rotation_history};
use serde_json::{json, Value};

use crate::common::*;

const FN: &str = "arn:aws:lambda:us-east-1:111122223333:function:rotate-db";
const START: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z, a Thursday

fn db_secret(e: &mut Env) -> String {
    e.admin(
        "CreateSecret",
        json!({"Name": "db", "SecretString": "{\"username\":\"app\",\"password\":\"old\"}"}),
    )["VersionId"]
        .as_str()
        .unwrap()
        .to_string()
}

fn history(e: &mut Env) -> Vec<Value> {
    rotation_history(&mut e.w, &mut e.s, "db", &json!(admin(MAIN))).unwrap().as_array().unwrap().clone()
}

fn steps_of(h: &[Value]) -> Vec<(String, bool)> {
    h.iter().map(|x| (x["step"].as_str().unwrap().to_string(), x["ok"].as_bool().unwrap())).collect()
}

#[test]
fn a_rotation_runs_the_four_steps_and_moves_awscurrent() {
    // rotate-secrets_how.html: createSecret (AWSPENDING), setSecret, testSecret, finishSecret
    // (AWSCURRENT moves, AWSPREVIOUS follows); Secrets Manager then removes AWSPENDING.
    let mut e = Env::new();
    let old = db_secret(&mut e);
    let out = e.admin("RotateSecret", json!({"SecretId": "db", "RotationLambdaARN": FN}));
    let new = out["VersionId"].as_str().unwrap();
    let cur = e.admin("GetSecretValue", json!({"SecretId": "db"}));
    assert_eq!(cur["VersionId"], new);
    assert_eq!(cur["VersionStages"], json!(["AWSCURRENT"]), "AWSPENDING is removed after finishSecret");
    let v: Value = serde_json::from_str(cur["SecretString"].as_str().unwrap()).unwrap();
    assert_eq!(v["username"], "app");
    assert_ne!(v["password"], "old");
    assert_eq!(v["password"].as_str().unwrap().len(), 32);
    assert_eq!(
        e.admin("GetSecretValue", json!({"SecretId": "db", "VersionStage": "AWSPREVIOUS"}))["VersionId"],
        old.as_str()
    );
    let h = history(&mut e);
    let expected: Vec<(String, bool)> =
        ["RotationStarted", STEPS[0], STEPS[1], STEPS[2], STEPS[3], "RotationSucceeded"]
            .iter()
            .map(|s| (s.to_string(), true))
            .collect();
    assert_eq!(steps_of(&h), expected);
    let d = e.admin("DescribeSecret", json!({"SecretId": "db"}));
    assert_eq!(d["LastRotatedDate"], e.w.now);
    assert_eq!(d["RotationLambdaARN"], FN);
    // No schedule was given: automatic rotation is not on.
    assert_eq!(d["RotationEnabled"], false);
}

#[test]
fn a_failure_at_any_step_leaves_the_labels_as_aws_leaves_them() {
    // rotate-secrets_how.html / troubleshoot_rotation.html: if a step fails, AWSPENDING stays on
    // the new version and AWSCURRENT is unchanged; the next rotation is refused until AWSPENDING
    // is removed.
    for fail in STEPS {
        let mut e = Env::new();
        let old = db_secret(&mut e);
        put_rotation_function(&mut e.s, FN, &json!({"failAt": fail})).unwrap();
        let out = e.admin("RotateSecret", json!({"SecretId": "db", "RotationLambdaARN": FN}));
        let new = out["VersionId"].as_str().unwrap().to_string();
        assert_eq!(e.admin("GetSecretValue", json!({"SecretId": "db"}))["VersionId"], old.as_str(), "{fail}");
        let h = history(&mut e);
        let last = steps_of(&h);
        assert_eq!(last.last().unwrap(), &("RotationFailed".to_string(), false), "{fail}");
        assert!(last.contains(&(fail.to_string(), false)), "{fail}: {last:?}");
        if fail == "createSecret" {
            e.expect_code(
                "GetSecretValue",
                json!({"SecretId": "db", "VersionStage": "AWSPENDING"}),
                admin(MAIN),
                "ResourceNotFoundException",
            );
            continue;
        }
        let pending = e.admin("GetSecretValue", json!({"SecretId": "db", "VersionStage": "AWSPENDING"}));
        assert_eq!(pending["VersionId"], new.as_str(), "{fail}");
        e.expect_code("RotateSecret", json!({"SecretId": "db"}), admin(MAIN), "InvalidRequestException");
        // Fix the function, remove AWSPENDING, rotate again.
        put_rotation_function(&mut e.s, FN, &json!({})).unwrap();
        e.admin(
            "UpdateSecretVersionStage",
            json!({"SecretId": "db", "VersionStage": "AWSPENDING", "RemoveFromVersionId": new}),
        );
        let again = e.admin("RotateSecret", json!({"SecretId": "db"}));
        assert_eq!(
            e.admin("GetSecretValue", json!({"SecretId": "db"}))["VersionId"],
            again["VersionId"],
            "{fail}"
        );
    }
}

#[test]
fn the_function_calls_as_its_role_and_the_policies_apply() {
    let mut e = Env::new();
    db_secret(&mut e);
    let role = format!("arn:aws:iam::{MAIN}:role/rotator");
    principal(&mut e.w, &role, &[]);
    put_rotation_function(&mut e.s, FN, &json!({"role": role})).unwrap();
    e.admin("RotateSecret", json!({"SecretId": "db", "RotationLambdaARN": FN}));
    let h = history(&mut e);
    let failed = h.iter().find(|x| x["step"] == "createSecret").unwrap();
    assert_eq!(failed["ok"], false);
    assert!(failed["message"].as_str().unwrap().starts_with("AccessDeniedException"), "{failed}");
    e.w.put_identity_policy(&role, "rotate", &allow(&["secretsmanager:*"], "*").to_string()).unwrap();
    e.admin("RotateSecret", json!({"SecretId": "db"}));
    assert_eq!(history(&mut e).last().unwrap()["step"], "RotationSucceeded");
}

#[test]
fn rotate_secret_needs_a_function() {
    let mut e = Env::new();
    db_secret(&mut e);
    e.expect_code("RotateSecret", json!({"SecretId": "db"}), admin(MAIN), "InvalidRequestException");
    e.expect_code(
        "RotateSecret",
        json!({"SecretId": "db", "RotationLambdaARN": "arn:aws:lambda:eu-west-1:111122223333:function:x"}),
        admin(MAIN),
        "InvalidParameterException",
    );
}

fn rules(e: &mut Env, r: Value) -> Result<Value, secplay::secrets::SecretsError> {
    e.try_call(
        "RotateSecret",
        json!({"SecretId": "db", "RotationLambdaARN": FN, "RotationRules": r, "RotateImmediately": false}),
        admin(MAIN),
    )
}

#[test]
fn schedules_are_at_most_every_four_hours_and_windows_stay_within_the_day() {
    // rotate-secrets_schedule.html: "You can rotate a secret as often as every four hours"; the
    // window must not extend into the next UTC day or the next window; Duration 1h–24h.
    let mut e = Env::new();
    db_secret(&mut e);
    for bad in [
        json!({"ScheduleExpression": "rate(3 hours)"}),
        json!({"ScheduleExpression": "cron(0 */2 * * ? *)"}),
        json!({"ScheduleExpression": "cron(0 22,0 * * ? *)"}),
        json!({"ScheduleExpression": "rate(1001 days)"}),
        json!({"ScheduleExpression": "every day"}),
        json!({"AutomaticallyAfterDays": 0}),
        json!({"AutomaticallyAfterDays": 1001}),
        json!({"AutomaticallyAfterDays": 7, "ScheduleExpression": "rate(7 days)"}),
        json!({"ScheduleExpression": "rate(10 days)", "Duration": "25h"}),
        json!({"ScheduleExpression": "rate(4 hours)", "Duration": "5h"}),
        json!({"ScheduleExpression": "cron(0 22 * * ? *)", "Duration": "3h"}),
    ] {
        let err = rules(&mut e, bad.clone()).expect_err(&bad.to_string());
        assert_eq!(err.code(), "InvalidParameterException", "{bad}: {err}");
    }
    for good in [
        json!({"ScheduleExpression": "rate(4 hours)"}),
        json!({"ScheduleExpression": "cron(0 */4 * * ? *)"}),
        json!({"ScheduleExpression": "rate(10 days)", "Duration": "3h"}),
        json!({"ScheduleExpression": "cron(0 8 ? * MON *)", "Duration": "2h"}),
        json!({"AutomaticallyAfterDays": 30}),
    ] {
        rules(&mut e, good.clone()).unwrap_or_else(|err| panic!("{good}: {err}"));
    }
    // The last schedule set is cron(0 8 ? * MON *) → the first window is Monday 5 January 08:00.
    rules(&mut e, json!({"ScheduleExpression": "cron(0 8 ? * MON *)"})).unwrap();
    let d = e.admin("DescribeSecret", json!({"SecretId": "db"}));
    assert_eq!(d["RotationEnabled"], true);
    assert_eq!(d["NextRotationDate"], START + 4 * DAY + 8 * 3600);
    assert_eq!(d["RotationRules"]["ScheduleExpression"], "cron(0 8 ? * MON *)");
}

#[test]
fn the_clock_runs_rotations_when_their_window_opens() {
    let mut e = Env::new();
    db_secret(&mut e);
    rules(&mut e, json!({"AutomaticallyAfterDays": 7})).unwrap();
    assert_eq!(e.admin("DescribeSecret", json!({"SecretId": "db"}))["NextRotationDate"], START + 7 * DAY);
    let out = advance_clock(&mut e.w, &mut e.s, 7 * DAY - 1).unwrap();
    assert!(out["events"].as_array().unwrap().is_empty());
    let gdk_before = e.kms_events("GenerateDataKey").len();
    let out = advance_clock(&mut e.w, &mut e.s, 1).unwrap();
    assert_eq!(out["events"][0]["eventName"], "RotationSucceeded");
    let d = e.admin("DescribeSecret", json!({"SecretId": "db"}));
    assert_eq!(d["LastRotatedDate"], START + 7 * DAY);
    assert_eq!(d["NextRotationDate"], START + 14 * DAY);
    // The new value was sealed through KMS, logged at the window's time.
    let gdk = e.kms_events("GenerateDataKey");
    assert_eq!(gdk.len(), gdk_before + 1);
    assert_eq!(gdk.last().unwrap()["eventTime"], "2026-01-08T00:00:00Z");
    // rate(4 hours) over a day: six windows (00, 04, …, 20h), each a rotation.
    rules(&mut e, json!({"ScheduleExpression": "rate(4 hours)"})).unwrap();
    let out = advance_clock(&mut e.w, &mut e.s, DAY).unwrap();
    let times: Vec<&str> =
        out["events"].as_array().unwrap().iter().map(|x| x["time"].as_str().unwrap()).collect();
    assert_eq!(
        times,
        [
            "2026-01-08T04:00:00Z",
            "2026-01-08T08:00:00Z",
            "2026-01-08T12:00:00Z",
            "2026-01-08T16:00:00Z",
            "2026-01-08T20:00:00Z",
            "2026-01-09T00:00:00Z"
        ]
    );
}

#[test]
fn a_manual_update_counts_as_a_rotation_for_automatically_after_days() {
    // API_RotationRulesType.html: "Manually updating the secret value by calling PutSecretValue
    // or UpdateSecret is considered a valid rotation."
    let mut e = Env::new();
    db_secret(&mut e);
    rules(&mut e, json!({"AutomaticallyAfterDays": 7})).unwrap();
    advance_clock(&mut e.w, &mut e.s, 3 * DAY).unwrap();
    e.admin("PutSecretValue", json!({"SecretId": "db", "SecretString": "manual"}));
    assert_eq!(e.admin("DescribeSecret", json!({"SecretId": "db"}))["NextRotationDate"], START + 10 * DAY);
}

#[test]
fn cancel_rotate_secret_turns_rotation_off_and_leaves_the_labels() {
    // API_CancelRotateSecret.html: turns off automatic rotation; a partially made version keeps
    // its AWSPENDING label and is returned as VersionId.
    let mut e = Env::new();
    db_secret(&mut e);
    put_rotation_function(&mut e.s, FN, &json!({"failAt": "testSecret"})).unwrap();
    let out = e.admin("RotateSecret", json!({"SecretId": "db", "RotationLambdaARN": FN, "RotationRules": {"ScheduleExpression": "rate(1 days)"}}));
    let c = e.admin("CancelRotateSecret", json!({"SecretId": "db"}));
    assert_eq!(c["VersionId"], out["VersionId"]);
    let d = e.admin("DescribeSecret", json!({"SecretId": "db"}));
    assert_eq!(d["RotationEnabled"], false);
    assert!(d.get("NextRotationDate").is_none());
    assert_eq!(
        e.admin("GetSecretValue", json!({"SecretId": "db", "VersionStage": "AWSPENDING"}))["VersionId"],
        out["VersionId"]
    );
    let out = advance_clock(&mut e.w, &mut e.s, 5 * DAY).unwrap();
    assert!(out["events"].as_array().unwrap().is_empty());
    assert!(put_rotation_function(&mut e.s, FN, &json!({"failAt": "nope"})).is_err());
}
