//! The IAM policy corpus in wasm, run by `tests/web.rs` in headless Chromium and Firefox and by
//! `tests/node.rs` in Node: every `documented`/`high` case of `../shared/vectors/iam/policy-eval-cases.json`
//! (compiled in: wasm has no file system) must be decided exactly as the case expects, as natively.

use wasm_bindgen_test::wasm_bindgen_test;

const CASES: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/iam/policy-eval-cases.json"));

/// The `documented` and `high` cases in today's corpus. Each is checked on its own; this only
/// catches a corpus that lost cases (it may grow: new cases are checked the same way).
const DECIDED: usize = 372;

#[wasm_bindgen_test]
fn every_documented_and_high_case() {
    let corpus: serde_json::Value = serde_json::from_str(CASES).unwrap();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for case in corpus["cases"].as_array().unwrap() {
        if case["confidence"] == "doubtful" {
            continue;
        }
        let got = secplay::policy::evaluate_policy(case).unwrap();
        if got["decision"] != case["expected"]["decision"] {
            wrong.push(format!(
                "{}: got {} expected {}",
                case["id"], got["decision"], case["expected"]["decision"]
            ));
        }
        checked += 1;
    }
    assert!(wrong.is_empty(), "{} cases decided wrongly:\n{}", wrong.len(), wrong.join("\n"));
    assert!(checked >= DECIDED, "only {checked} cases checked, the corpus had {DECIDED}");
}
