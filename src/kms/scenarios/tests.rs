//! Every scenario and every variant, run against the real engine: each step does what the
//! scenario documents, each variant fails at its step with its error and runs no further.

use serde_json::Value;

use super::*;

fn run(s: &Scenario, variant: Option<usize>) -> (World, Run) {
    let (mut w, mut r) = s.start(variant).unwrap_or_else(|e| panic!("{}: set-up failed: {e}", s.id));
    r.run_all(&mut w);
    (w, r)
}

fn describe(r: &StepResult, s: &Scenario) -> String {
    let id = s.steps[r.step].id;
    match &r.outcome {
        Ok(v) => format!("{}/{id}: ok {v}", s.id),
        Err(e) => format!("{}/{id}: {} {e}", s.id, e.code()),
    }
}

#[test]
fn every_scenario_runs_to_its_end_as_documented() {
    for s in all() {
        let (_, r) = run(&s, None);
        for res in &r.results {
            assert!(res.as_documented(), "{} (documented: {:?})", describe(res, &s), res.documented_error);
        }
        assert_eq!(r.results.len(), s.steps.len(), "{}: stopped after {} steps", s.id, r.results.len());
        assert!(r.finished && r.next_step().is_none());
    }
}

#[test]
fn every_variant_fails_at_its_step_with_its_error() {
    for s in all() {
        assert!(!s.variants.is_empty(), "{} has no variant", s.id);
        for (i, v) in s.variants.iter().enumerate() {
            let (_, r) = run(&s, Some(i));
            let last = r.results.last().unwrap();
            assert_eq!(s.steps[last.step].id, v.fails_at, "{}/{}: {}", s.id, v.id, describe(last, &s));
            let code = last.outcome.as_ref().err().map(KmsError::code);
            assert_eq!(code, Some(v.error), "{}/{}: {}", s.id, v.id, describe(last, &s));
            for res in &r.results {
                assert!(res.as_documented(), "{}/{}: {}", s.id, v.id, describe(res, &s));
            }
            assert!(r.finished, "{}/{}: the run goes on after the failing step", s.id, v.id);
        }
    }
}

#[test]
fn the_ids_are_unique_and_every_reference_names_an_earlier_step() {
    let scenarios = all();
    for (i, s) in scenarios.iter().enumerate() {
        assert!(!scenarios.iter().skip(i + 1).any(|x| x.id == s.id), "scenario {} twice", s.id);
        for (j, st) in s.steps.iter().enumerate() {
            assert!(!s.steps.iter().skip(j + 1).any(|x| x.id == st.id), "{}: step {} twice", s.id, st.id);
            let text = format!("{}{}", st.request, st.caller);
            for part in text.split("${").skip(1) {
                let id = part.split(['/', '}']).next().unwrap();
                assert!(
                    s.steps[..j].iter().any(|x| x.id == id),
                    "{}/{}: `{id}` is not an earlier step",
                    s.id,
                    st.id
                );
            }
            assert!(!st.explain.is_empty());
        }
        assert!(by_id(s.id).is_some());
    }
    assert_eq!(scenarios.len(), 5);
}

#[test]
fn the_lambda_function_reads_its_variable() {
    let (_, r) = run(&by_id("lambda-env").unwrap(), None);
    let out = r.results[3].outcome.as_ref().unwrap();
    assert_eq!(out["Plaintext"], b64("postgres://orders:s3cret@db:5432/orders"));
}

#[test]
fn the_public_key_ciphertext_decrypts_to_the_message() {
    let (w, r) = run(&by_id("public-key").unwrap(), None);
    let out = r.results[3].outcome.as_ref().unwrap();
    assert_eq!(out["Plaintext"], b64("Q3 revenue: 4.2M"));
    // The client-side step made no KMS call: CreateKey, GetPublicKey, Decrypt, Decrypt.
    let names: Vec<&str> = w.audit.iter().filter_map(|e| e["eventName"].as_str()).collect();
    assert_eq!(names, ["CreateKey", "GetPublicKey", "Decrypt", "Decrypt"]);
}

#[test]
fn the_replicated_rows_decrypt_in_the_other_region() {
    let (_, r) = run(&by_id("multi-region").unwrap(), None);
    let stored = &r.results[4].outcome.as_ref().unwrap()["Rows"][0];
    assert_ne!(stored["ssn"], "078-05-1120", "the table stores ciphertext");
    assert_eq!(stored["name"], "Ada", "other attributes stay readable");
    let rows = &r.results[6].outcome.as_ref().unwrap()["Rows"];
    assert_eq!(rows[0]["ssn"], "078-05-1120");
    assert_eq!(rows[1]["card"], "5500 0000 0000 0004");
}

#[test]
fn a_reference_to_a_step_not_run_is_an_error_not_a_panic() {
    let outputs = BTreeMap::new();
    let e = resolve(&outputs, &Value::String("${nope/KeyId}".into())).unwrap_err();
    assert_eq!(e.code(), "ValidationException");
    let mut outputs = BTreeMap::new();
    outputs.insert("k", serde_json::json!({"Arn": "a", "N": 3}));
    let v = resolve(&outputs, &serde_json::json!({"x": "key ${k/Arn} n=${k/N} ${unclosed"})).unwrap();
    assert_eq!(v["x"], "key a n=3 ${unclosed");
    assert_eq!(resolve(&outputs, &Value::String("${k/N}".into())).unwrap(), 3);
}

#[test]
fn a_variant_out_of_range_is_refused() {
    let s = by_id("ami-sharing").unwrap();
    assert_eq!(s.start(Some(99)).unwrap_err().code(), "ValidationException");
}

#[test]
fn client_steps_refuse_bad_input_with_an_error() {
    for (action, req) in [
        (
            "RsaOaepEncrypt",
            serde_json::json!({"PublicKey": "AAAA", "Plaintext": "x", "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"}),
        ),
        ("EncryptAttributes", serde_json::json!({"DataKey": "AAAA", "Rows": [], "Attributes": []})),
        (
            "DecryptAttributes",
            serde_json::json!({"DataKey": b64(&"k".repeat(32)), "Rows": [{"id": 1, "a": "bm90"}], "Attributes": ["a"]}),
        ),
        ("ReplicateRows", serde_json::json!({"Rows": 1, "Region": "x"})),
        ("Nope", serde_json::json!({})),
    ] {
        assert!(client::run(action, &req).is_err(), "{action} accepted {req}");
    }
}
