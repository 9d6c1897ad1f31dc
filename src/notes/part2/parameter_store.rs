//! §8 Parameter Store: a SecureString under `/my-department/my-app/` encrypted through the KMS
//! emulator with a customer key, a second version on the advanced tier with an expiration
//! policy, a label, a reader whose IAM policy covers only that path, and the clock running the
//! policy out (`ssm::call`, `ssm::advance`). Variants take the reader's kms:Decrypt away, point its
//! policy at another path, or keep the parameter on the standard tier.

use serde_json::{json, Value};

use super::kit::{at, fail, pretty, Step, Steps};
use crate::kms::time::DAY;
use crate::kms::World;
use crate::notes::model::{Chapter, StepError, StepOutcome, Variant};
use crate::ssm::{self, SsmError, Store};

const ADMIN: &str = "arn:aws:iam::111122223333:role/Admin";
const READER: &str = "arn:aws:iam::111122223333:user/my-app";
const NAME: &str = "/my-department/my-app/db-password";
/// Demonstration values (the page's own examples are of this kind): never put in a link.
const V1: &str = "correct-horse-battery-1";
const V2: &str = "correct-horse-battery-2";
/// "Restricting access to Parameter Store parameters using IAM policies".
const DOC_ACCESS: &str =
    "https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html";
/// "How AWS Systems Manager Parameter Store uses AWS KMS".
const DOC_KMS: &str = "https://docs.aws.amazon.com/kms/latest/developerguide/services-parameter-store.html";
/// "Managing parameter tiers".
const DOC_TIERS: &str =
    "https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html";
/// "Assigning parameter policies in Parameter Store".
const DOC_POLICIES: &str =
    "https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-policies.html";
/// "Working with parameter labels".
const DOC_LABELS: &str =
    "https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-labels.html";

pub(super) fn chapter() -> Chapter {
    Chapter {
        id: "parameter-store",
        section: 8,
        title: "Parameter Store: a SecureString under a path",
        summary: "An application's database password as a SecureString under /my-department/my-app/, encrypted \
            through KMS with a customer key, in two versions with a label, on the advanced tier with an \
            expiration policy. Its reader's IAM policy names only the path; reading the value decrypted also needs \
            kms:Decrypt on the key.",
        outdated: Vec::new(),
        variants: vec![
            Variant {
                id: "reader-without-kms-decrypt",
                removes: "the reader's kms:Decrypt on the customer key",
                fails_at: "read-decrypted",
                error: "AccessDeniedException",
            },
            Variant {
                id: "policy-for-another-path",
                removes: "the reader's access to /my-department/my-app/* (its policy names /my-department/other-app/*)",
                fails_at: "read-raw",
                error: "AccessDeniedException",
            },
            Variant {
                id: "standard-tier",
                removes: "the advanced tier (the second version is put as Standard, with its policies)",
                fails_at: "put-v2",
                error: "ValidationException",
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

/// A Parameter Store call as the page makes it, with its share link (a SecureString's `Value` left out).
fn call_step(
    id: &'static str,
    title: String,
    explain: String,
    caller: &str,
    operation: &str,
    request: &Value,
) -> Step {
    let mut shown = request.clone();
    if let Some(v) = shown.get_mut("Value") {
        *v = Value::String(String::new());
    }
    Step::new(id, "Parameter Store", title, explain).link(
        "#/ssm",
        json!({"principal": caller, "region": "us-east-1", "operation": operation, "request": pretty(&shown)}),
    )
}

fn ssm_err(e: &SsmError) -> StepError {
    fail(e.code(), e.to_string())
}

fn reader_policies(w: &mut World, key_arn: &str, variant: Option<&str>) -> Result<(), StepError> {
    let path = if variant == Some("policy-for-another-path") { "other-app" } else { "my-app" };
    let ssm_policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
        "Resource": format!("arn:aws:ssm:us-east-1:111122223333:parameter/my-department/{path}/*")}]});
    let kms = |e: crate::kms::KmsError| fail(e.code(), e.to_string());
    w.add_principal(READER, None).map_err(kms)?;
    w.put_identity_policy(READER, "parameters", &ssm_policy.to_string()).map_err(kms)?;
    if variant != Some("reader-without-kms-decrypt") {
        let kms_policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt",
            "Resource": key_arn, "Condition": {"StringEquals": {"kms:ViaService": "ssm.us-east-1.amazonaws.com"}}}]});
        w.put_identity_policy(READER, "decrypt-via-ssm", &kms_policy.to_string()).map_err(kms)?;
    }
    Ok(())
}

fn play(steps: &mut Steps, variant: Option<&str>) -> Option<()> {
    let mut w = World::new();
    let mut store = Store::new();

    let create = json!({"Description": "my-app parameters"});
    let key_step = Step::new(
        "key",
        "KMS emulator",
        "CreateKey: a customer key for the parameters",
        format!("SecureString values are encrypted by KMS, under alias/aws/ssm or a customer key whose policy you control: notes §8, {DOC_KMS}"),
    )
    .link("#/kms", json!({"principal": ADMIN, "region": "us-east-1", "operation": "CreateKey", "request": pretty(&create)}));
    let key = crate::kms::call(&mut w, "CreateKey", &create, &json!(ADMIN));
    let key_arn = match key {
        Ok(v) => v.pointer("/KeyMetadata/Arn").and_then(Value::as_str).unwrap_or_default().to_owned(),
        Err(e) => return steps.push(key_step, Err(fail(e.code(), e.to_string()))),
    };
    steps.push(key_step, Ok(format!("key {key_arn}")))?;

    let put1 = json!({"Name": NAME, "Value": V1, "Type": "SecureString", "KeyId": key_arn,
        "Description": "my-app's database password"});
    let step = call_step(
        "put-v1",
        format!("PutParameter {NAME} (SecureString)"),
        format!(
            "Parameter Store asks KMS, as the caller and via ssm.us-east-1.amazonaws.com, to encrypt the value under \
             the key with the parameter's ARN as encryption context (PARAMETER_ARN): notes §8, {DOC_KMS}"
        ),
        ADMIN,
        "PutParameter",
        &put1,
    );
    let r = ssm::call(&mut store, &mut w, "PutParameter", &put1, &json!(ADMIN));
    steps.push(
        step,
        r.map(|v| format!("version {} ({})", at(&v, "/Version"), at(&v, "/Tier").as_str().unwrap_or("?")))
            .map_err(|e| ssm_err(&e)),
    )?;

    let tier = if variant == Some("standard-tier") { "Standard" } else { "Advanced" };
    let policies = json!([
        {"Type": "Expiration", "Version": "1.0", "Attributes": {"Timestamp": "2026-01-31T00:00:00.000Z"}},
        {"Type": "ExpirationNotification", "Version": "1.0", "Attributes": {"Before": "5", "Unit": "Days"}}
    ]);
    let put2 = json!({"Name": NAME, "Value": V2, "Type": "SecureString", "KeyId": key_arn, "Overwrite": true,
        "Tier": tier, "Policies": policies.to_string()});
    let step = call_step(
        "put-v2",
        format!("PutParameter {NAME} again, {tier} tier, expiring 2026-01-31"),
        format!(
            "A new value is a new version (up to 100 are kept). Parameter policies (expiration, notifications) \
             exist only on the advanced tier ({DOC_TIERS}): {DOC_POLICIES}"
        ),
        ADMIN,
        "PutParameter",
        &put2,
    );
    let r = ssm::call(&mut store, &mut w, "PutParameter", &put2, &json!(ADMIN));
    steps.push(
        step,
        r.map(|v| format!("version {} ({})", at(&v, "/Version"), at(&v, "/Tier").as_str().unwrap_or("?")))
            .map_err(|e| ssm_err(&e)),
    )?;

    let label = json!({"Name": NAME, "ParameterVersion": 1, "Labels": ["stable"]});
    let step = call_step(
        "label",
        "LabelParameterVersion: `stable` on version 1".to_owned(),
        format!("A label names a version; `name:label` reads it, and moving the label moves readers: {DOC_LABELS}"),
        ADMIN,
        "LabelParameterVersion",
        &label,
    );
    let r = ssm::call(&mut store, &mut w, "LabelParameterVersion", &label, &json!(ADMIN));
    steps.push(
        step,
        r.map(|v| format!("labelled version {}", at(&v, "/ParameterVersion"))).map_err(|e| ssm_err(&e)),
    )?;

    let setup = Step::new("reader", "KMS emulator", "The reader's IAM policies", format!(
        "The reader may get parameters under /my-department/my-app/* only (the path is the policy's resource) and \
         use kms:Decrypt on the key through SSM only (kms:ViaService): {DOC_ACCESS}"));
    steps.push(
        setup,
        reader_policies(&mut w, &key_arn, variant).map(|()| format!("{READER} with its policies")),
    )?;

    let raw = json!({"Name": format!("{NAME}:stable")});
    let step = call_step(
        "read-raw",
        "GetParameter by label, without decryption".to_owned(),
        format!("Parameter Store checks ssm:GetParameter on the parameter's ARN against the reader's policies; without \
             WithDecryption it returns the ciphertext and KMS is not called: notes §8, {DOC_ACCESS}"),
        READER,
        "GetParameter",
        &raw,
    );
    let r = ssm::call(&mut store, &mut w, "GetParameter", &raw, &json!(READER));
    let shown = r.map(|v| {
        let value = v.pointer("/Parameter/Value").and_then(Value::as_str).unwrap_or_default();
        format!(
            "version {} returned encrypted ({} characters, not the value)",
            at(&v, "/Parameter/Version"),
            value.len()
        )
    });
    steps.push(step, shown.map_err(|e| ssm_err(&e)))?;

    let dec = json!({"Name": format!("{NAME}:stable"), "WithDecryption": true});
    let step = call_step(
        "read-decrypted",
        "GetParameter by label, WithDecryption".to_owned(),
        format!("Decrypting calls KMS Decrypt as the reader, via SSM: the reader needs kms:Decrypt on the key as well as \
             ssm:GetParameter, and KMS's audit log shows the call: {DOC_KMS}"),
        READER,
        "GetParameter",
        &dec,
    );
    let r = ssm::call(&mut store, &mut w, "GetParameter", &dec, &json!(READER));
    let shown = r.map_err(|e| ssm_err(&e)).and_then(|v| {
        let value = v.pointer("/Parameter/Value").and_then(Value::as_str).unwrap_or_default();
        if value == V1 {
            Ok(format!("version {} decrypted: the value put as version 1", at(&v, "/Parameter/Version")))
        } else {
            Err(fail("WrongValue", "the decrypted value is not the one put as version 1"))
        }
    });
    steps.push(step, shown)?;

    let step = Step::new("notify", "Parameter Store", "26 days later: the expiration notification", format!(
        "On the simulated clock, ExpirationNotification fires 5 days before the expiration as an EventBridge event \
         (`Parameter Store Policy Action`): notes §8, {DOC_POLICIES}"));
    let r = ssm::advance(&mut store, &mut w, 26 * DAY).map_err(|e| ssm_err(&e)).and_then(|v| {
        let kinds: Vec<String> = at(&v, "/parameterEvents")
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                format!(
                    "{} at {}",
                    e.pointer("/detail/policy-type").and_then(Value::as_str).unwrap_or("?"),
                    at(e, "/time").as_str().unwrap_or("?")
                )
            })
            .collect();
        if kinds.is_empty() {
            Err(fail("NoEvent", "no parameter policy fired"))
        } else {
            Ok(kinds.join(", "))
        }
    });
    steps.push(step, r)?;

    let gone = json!({"Name": NAME});
    let step = call_step(
        "expired",
        "5 days later: GetParameter after the expiration".to_owned(),
        format!("At the Expiration timestamp Parameter Store deletes the parameter (all its versions): {DOC_POLICIES}"),
        ADMIN,
        "GetParameter",
        &gone,
    )
    .expecting("ParameterNotFound");
    let r = ssm::advance(&mut store, &mut w, 5 * DAY)
        .and_then(|_| ssm::call(&mut store, &mut w, "GetParameter", &gone, &json!(ADMIN)));
    steps.push(
        step,
        r.map(|v| format!("still there: version {}", at(&v, "/Parameter/Version"))).map_err(|e| ssm_err(&e)),
    )?;
    Some(())
}
