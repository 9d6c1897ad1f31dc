//! The shared envelope cases, compiled to wasm and run in Node 20 (`make test-wasm`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[cfg(target_arch = "wasm32")]
#[path = "shared/envelope_cases.rs"]
mod envelope_cases;

/// The policy engine compiled to wasm must decide every `documented`/`high` vector exactly as it
/// does natively (the corpus is compiled into the test: wasm has no file system here).
#[cfg(target_arch = "wasm32")]
mod policy_in_wasm {
    use wasm_bindgen_test::wasm_bindgen_test;

    const CASES: &str =
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/iam/policy-eval-cases.json"));

    #[wasm_bindgen_test]
    fn every_documented_and_high_case() {
        let corpus: serde_json::Value = serde_json::from_str(CASES).unwrap();
        let mut checked = 0;
        for case in corpus["cases"].as_array().unwrap() {
            if case["confidence"] == "doubtful" {
                continue;
            }
            let got = secplay::policy::evaluate_policy(case).unwrap();
            assert_eq!(got["decision"], case["expected"]["decision"], "case {}", case["id"]);
            checked += 1;
        }
        assert!(checked >= 370, "only {checked} cases ran");
    }
}
