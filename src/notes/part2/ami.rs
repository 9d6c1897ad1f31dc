//! §7 AMI sharing with KMS: the KMS emulator's `ami-sharing` scenario (`kms::scenarios`) told as a
//! chapter — the owner's key policy lets the partner account use the key of the AMI's snapshots,
//! the partner's launcher describes it, grants Auto Scaling its use, re-encrypts the volume's data
//! key under its own key and decrypts it. Each variant removes one of the four permissions §7 lists.

use serde_json::{json, Value};

use super::kit::{fail, Step, Steps};
use crate::kms::scenarios::{self, StepResult};
use crate::notes::model::{Chapter, StepOutcome, Variant};

const SCENARIO: &str = "ami-sharing";
/// "Allow users in other accounts to use a KMS key" and EBS's "Share an AMI with encrypted snapshots".
const DOC_KEY_POLICY: &str =
    "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html";
const DOC_AMI: &str = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-explicit.html";

pub(super) fn chapter() -> Chapter {
    let variants = Variant::of_kms_scenario(SCENARIO);
    Chapter {
        id: "ami-sharing",
        section: 7,
        title: "Share an AMI whose snapshots are encrypted under your key",
        summary: "Sharing an AMI takes two things: the image's launch permission for the other account, and \
            a key policy that lets that account use the customer-managed key of its snapshots. The partner's \
            launcher then needs kms:DescribeKey, kms:CreateGrant, kms:ReEncrypt* and kms:Decrypt on that key; \
            remove one and the KMS emulator refuses the step that needs it.",
        outdated: Vec::new(),
        variants,
        run,
    }
}

fn run(variant: Option<&str>) -> Vec<StepOutcome> {
    let mut steps = Steps::default();
    let _ = play(&mut steps, variant);
    steps.into_vec()
}

fn play(steps: &mut Steps, variant: Option<&str>) -> Option<()> {
    let setup =
        Step::new("setup", "KMS emulator", "Load the scenario", "The KMS emulator's `ami-sharing` scenario.");
    let Some(scenario) = scenarios::by_id(SCENARIO) else {
        return steps
            .push(setup, Err(fail("ScenarioNotFound", "the KMS emulator has no `ami-sharing` scenario")));
    };
    let index = match variant {
        None => None,
        Some(id) => match scenario.variants.iter().position(|v| v.id == id) {
            Some(i) => Some(i),
            None => return steps.push(setup, Err(fail("VariantNotFound", format!("no variant `{id}`")))),
        },
    };
    let (mut world, mut run) = match scenario.start(index) {
        Ok(started) => started,
        Err(e) => return steps.push(setup, Err(fail(e.code(), e.to_string()))),
    };
    run.run_all(&mut world);
    for r in &run.results {
        let Some(s) = run.scenario.steps.get(r.step) else { continue };
        let step = Step {
            id: s.id,
            title: format!("{} as {}", s.operation, principal_of(&r.caller)),
            engine: "KMS emulator",
            explain: format!(
                "{} (notes §7; the key policy: {DOC_KEY_POLICY}; sharing the AMI: {DOC_AMI})",
                s.explain
            ),
            expected_error: s.expect_error,
            open: None,
        }
        .link("#/kms", json!({"scenario": SCENARIO, "variant": index}));
        steps.push(step, outcome(r))?;
    }
    Some(())
}

fn principal_of(caller: &Value) -> String {
    match caller {
        Value::String(s) => s.clone(),
        other => other.get("principal").and_then(Value::as_str).unwrap_or("?").to_owned(),
    }
}

/// What a step's response shows a reader: the key, the grant, or the re-encrypted blob's key.
fn outcome(r: &StepResult) -> Result<String, crate::notes::model::StepError> {
    match &r.outcome {
        Err(e) => Err(fail(e.code(), e.to_string())),
        Ok(v) => Ok(if let Some(arn) = v.pointer("/KeyMetadata/Arn").and_then(Value::as_str) {
            let state = v.pointer("/KeyMetadata/KeyState").and_then(Value::as_str).unwrap_or("?");
            format!("key {arn} ({state})")
        } else if let Some(id) = v.get("GrantId").and_then(Value::as_str) {
            format!("grant {id}")
        } else if let Some(dest) = v.get("KeyId").and_then(Value::as_str) {
            match v.get("SourceKeyId").and_then(Value::as_str) {
                Some(src) => format!("re-encrypted from {src} to {dest}"),
                None => format!("done under {dest}"),
            }
        } else {
            "done".to_owned()
        }),
    }
}
