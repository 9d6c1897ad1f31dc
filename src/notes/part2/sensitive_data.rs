//! §12 sensitive data, as Macie would flag it: the scanner (`scan::json::scan`) over a pasted
//! support ticket (an e-mail address, a card number, phone numbers, a US SSN), the Macie-shaped
//! finding it makes, and look-alikes its checksums reject. The variant runs the scan the way a
//! Macie job that excludes the credit card managed data identifier would.

use serde_json::{json, Value};

use super::kit::{at, fail, Step, Steps};
use crate::notes::model::{Chapter, StepError, StepOutcome, Variant};
use crate::scan::Kind;

/// The scanner page's first example, word for word (its share link opens it).
const TICKET: &str = "Ticket #48213 from jane.doe@example.com\nCustomer says the visa 4242 4242 4242 4242 was charged twice.\n\
     Call back on (415) 555-2671 or +44 20 7946 0958. SSN on file: 123-45-6789.\n";
/// The page's fourth example: numbers shaped like sensitive data that fail their checks.
const LOOK_ALIKES: &str =
    "Order 4242 4242 4242 4241 (fails Luhn), IBAN GB82 WEST 1234 5698 7654 33 (fails mod-97)\n\
     build 1.24.3.9981, request 123e4567-e89b-12d3-a456-426614174000, ISBN 978-3-16-148410-0\n\
     AKIAIOSFODNN7EXAMPL (19 characters), SSN 666-12-3456 (never issued), shipped 2024-01-15\n";
/// "Using managed data identifiers".
const DOC_MANAGED: &str = "https://docs.aws.amazon.com/macie/latest/user/managed-data-identifiers.html";
/// "Types of Macie findings".
const DOC_FINDINGS: &str = "https://docs.aws.amazon.com/macie/latest/user/findings-types.html";
/// CreateClassificationJob `managedDataIdentifierSelector`.
const DOC_JOB: &str = "https://docs.aws.amazon.com/macie/latest/APIReference/jobs.html";

pub(super) fn chapter() -> Chapter {
    Chapter {
        id: "sensitive-data",
        section: 12,
        title: "Sensitive data, as Macie would flag it",
        summary: "A support ticket pasted into the scanner: an e-mail address, a Visa number that passes the Luhn \
            check, two phone numbers and a US social security number, each found by a pattern and confirmed by its \
            check, and the report shaped as a Macie sensitive-data finding. Look-alikes that fail their checks are \
            not reported.",
        outdated: Vec::new(),
        variants: vec![Variant {
            id: "cards-excluded",
            removes: "the credit card managed data identifiers from the scan (a Macie job's EXCLUDE selector)",
            fails_at: "card",
            error: "NotFlagged",
        }],
        run,
    }
}

fn run(variant: Option<&str>) -> Vec<StepOutcome> {
    let mut steps = Steps::default();
    let _ = play(&mut steps, variant);
    steps.into_vec()
}

/// The types a scan looks for: all, or all but the card identifiers.
fn types(variant: Option<&str>) -> Value {
    let excluded = |k: &Kind| variant == Some("cards-excluded") && k.id().starts_with("CREDIT_CARD_NUMBER");
    Value::Array(Kind::ALL.iter().filter(|k| !excluded(k)).map(|k| json!(k.id())).collect())
}

fn scan(text: &str, variant: Option<&str>) -> Result<Value, StepError> {
    crate::scan::json::scan(text.as_bytes(), &json!({"types": types(variant)}))
        .map_err(|e| fail(e.code(), e.to_string()))
}

fn found_types(report: &Value) -> Vec<String> {
    at(report, "/findings")
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| at(f, "/type").as_str().map(str::to_owned))
        .collect()
}

fn play(steps: &mut Steps, variant: Option<&str>) -> Option<()> {
    let link = |s: Step, example: u8| s.link("#/scan", json!({"example": example, "textLeftOut": false}));
    let step = link(Step::new("scan", "sensitive-data scanner", "Scan the pasted support ticket", format!(
        "Macie's managed data identifiers find sensitive data by pattern, keywords nearby and a check (Luhn for \
         cards, the SSN's issued ranges); the scanner does the same on text, in the page: notes §12, {DOC_MANAGED}")), 0);
    let report = match scan(TICKET, variant) {
        Ok(r) => r,
        Err(e) => return steps.push(step, Err(e)),
    };
    let found = found_types(&report);
    steps.push(step, Ok(format!("{} findings: {}", found.len(), found.join(", "))))?;

    let step = link(Step::new("card", "sensitive-data scanner", "The card number is flagged, masked", format!(
        "4242 4242 4242 4242 passes the Luhn check and follows the keyword `visa`: a CREDIT_CARD_NUMBER finding, \
         shown masked. This step asserts it: a scan that misses it fails with NotFlagged. {DOC_MANAGED}")), 0);
    let card = at(&report, "/findings")
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| at(f, "/type").as_str().is_some_and(|t| t.starts_with("CREDIT_CARD_NUMBER")));
    let r = match card {
        Some(f) => Ok(format!(
            "{} ({}, {}), shown as {}",
            at(f, "/type").as_str().unwrap_or("?"),
            at(f, "/detail").as_str().unwrap_or("?"),
            at(f, "/severity").as_str().unwrap_or("?"),
            at(f, "/masked").as_str().unwrap_or("?")
        )),
        None => Err(fail("NotFlagged", "no credit card number was reported")),
    };
    steps.push(step, r)?;

    let step = link(
        Step::new(
            "finding",
            "sensitive-data scanner",
            "The report as a Macie finding",
            format!(
        "Macie reports an S3 object with sensitive data as one finding whose type names the categories found \
         (SensitiveData:S3Object/Personal, /Financial, /Credentials or /Multiple), with a severity and the \
         occurrences by type: {DOC_FINDINGS}"),
        ),
        0,
    );
    let f = at(&report, "/finding");
    let counts: Vec<String> = f
        .pointer("/classificationDetails/result/sensitiveData")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| format!("{} {}", at(c, "/category").as_str().unwrap_or("?"), at(c, "/totalCount")))
        .collect();
    let r = match at(f, "/type").as_str() {
        Some(t) => Ok(format!(
            "{t}, severity {}; {}",
            f.pointer("/severity/description").and_then(Value::as_str).unwrap_or("?"),
            counts.join(", ")
        )),
        None => Err(fail("NoFinding", "the scan made no Macie finding")),
    };
    steps.push(step, r)?;

    let step = link(Step::new("look-alikes", "sensitive-data scanner", "Look-alikes are not reported", format!(
        "A number shaped like a card that fails Luhn, an IBAN that fails mod-97, an SSN from a range never issued: the \
         checks keep them out, as Macie's managed data identifiers do: {DOC_MANAGED} (a job chooses its identifiers: \
         {DOC_JOB})")), 3);
    let r = scan(LOOK_ALIKES, variant).and_then(|rep| {
        let found = found_types(&rep);
        if found.is_empty() {
            Ok("0 findings".to_owned())
        } else {
            Err(fail("FalsePositive", format!("reported: {}", found.join(", "))))
        }
    });
    steps.push(step, r)
}
