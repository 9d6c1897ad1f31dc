//! §3: an encrypted EBS snapshot copied to another region and shared with another account: the
//! KMS emulator's `snapshot-copy` scenario (`kms::scenarios`) as a chapter, with its variants.

use super::kit::scenario_run;
use crate::notes::model::{Chapter, StepOutcome};

const SCENARIO: &str = "snapshot-copy";

pub fn chapter() -> Chapter {
    Chapter {
        id: "snapshot-copy",
        section: 3,
        title: "Copy an encrypted snapshot across regions and accounts",
        summary:
            "KMS keys are regional: a snapshot copied from us-east-1 to us-west-2 is re-encrypted under a \
            key of us-west-2 (EBS does it during CopySnapshot). Shared with another account, the copy is \
            usable there only when the key policy lets that account in and a grant gives it the operations; \
            the partner then re-encrypts under its own key. Each step is a call the emulator authorizes as \
            AWS does (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopySnapshot.html).",
        outdated: Vec::new(),
        variants: crate::notes::model::Variant::of_kms_scenario(SCENARIO),
        run,
    }
}

fn run(variant: Option<&str>) -> Vec<StepOutcome> {
    scenario_run(SCENARIO, variant, |_, _, _| {})
}
