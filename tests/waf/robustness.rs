#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! No panic on hostile input: every transformation and detector on pseudo-random bytes, and
//! the web ACL parser on the sample with each node replaced by odd values. Each case runs under a
//! hang guard ([`HANG`]): an input that makes a detector loop fails the test instead of stalling it.

use secplay::waf::json::WebAcl;
use secplay::waf::model::Sensitivity;
use secplay::waf::transform::ALL;
use secplay::waf::{jsonbody, sqli, xss};
use serde_json::{json, Value};

const SAMPLE: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/waf/sample-get-web-acl.json"));

/// How long a case may take before it counts as hung: many times what any case takes in a debug
/// build on a busy machine. A guard against endless loops, not a timing test.
const HANG: std::time::Duration = std::time::Duration::from_secs(120);

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn bytes(&mut self, alphabet: &[u8], max: usize) -> Vec<u8> {
        let n = (self.next() % max as u64) as usize;
        (0..n).map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize]).collect()
    }
}

#[test]
fn transformations_and_detectors_never_panic() {
    finishes_within("transformations and detectors on random bytes", HANG, random_bytes);
}

fn random_bytes() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let special = b"%u0123456789abcdefABCDEF&#;x\\/*-'\"<>()=! \t\n\r\x00\xff\xc3\xa9.:@{}[],+?";
    let all: Vec<u8> = (0..=255).collect();
    for round in 0..3000 {
        let alphabet: &[u8] = if round % 2 == 0 { special } else { &all };
        let input = rng.bytes(alphabet, 64);
        for (_, t) in ALL {
            let out = t.apply(&input);
            assert!(out.len() <= input.len() * 8 + 64);
        }
        let _ = sqli::detect(&input, Sensitivity::Low);
        let _ = sqli::detect(&input, Sensitivity::High);
        let _ = xss::detect(&input);
        let _ = jsonbody::walk(&input);
    }
}

#[test]
fn deeply_nested_json_body_is_bounded() {
    finishes_within("the JSON body walker on 100,000 open brackets", HANG, deep_json_body);
}

fn deep_json_body() {
    let deep = "[".repeat(100_000);
    let w = jsonbody::walk(deep.as_bytes());
    assert!(w.invalid);
}

fn replace_each(v: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(path.clone());
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                path.push(k.clone());
                replace_each(c, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                path.push(i.to_string());
                replace_each(c, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn set(v: &mut Value, path: &[String], new: Value) {
    let mut cur = v;
    for p in path {
        cur = match cur {
            Value::Object(m) => m.get_mut(p).unwrap(),
            Value::Array(a) => &mut a[p.parse::<usize>().unwrap()],
            _ => unreachable!(),
        };
    }
    *cur = new;
}

#[test]
fn parser_never_panics_on_mutated_sample() {
    finishes_within("the web ACL parser on the mutated sample", HANG, mutated_sample);
}

fn mutated_sample() {
    let doc: Value = serde_json::from_str(SAMPLE).unwrap();
    let mut paths = Vec::new();
    replace_each(&doc, &mut Vec::new(), &mut paths);
    let odd = [
        json!(null),
        json!(""),
        json!(0),
        json!(-1),
        json!(1e300),
        json!([]),
        json!({}),
        json!("x".repeat(3000)),
        json!([{}]),
        json!(true),
    ];
    let mut errors = 0;
    for p in &paths {
        for o in &odd {
            let mut d = doc.clone();
            set(&mut d, p, o.clone());
            if WebAcl::new(&d, &Value::Null, &Value::Null).is_err() {
                errors += 1;
            }
        }
    }
    assert!(errors > paths.len(), "mutations should mostly be rejected");
}

/// Runs `f` on its own thread and fails if it has not returned after `limit`: a guard against a
/// hang (a loop that never ends), not a timing test, so the bound is many times what it takes.
fn finishes_within(what: &str, limit: std::time::Duration, f: impl FnOnce() + Send + 'static) {
    let (done, wait) = std::sync::mpsc::channel();
    let worker = std::thread::spawn(move || {
        f();
        let _ = done.send(());
    });
    match wait.recv_timeout(limit) {
        Ok(()) => worker.join().unwrap(),
        // The closure panicked: re-raise its panic so the failure shows its message.
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            std::panic::resume_unwind(worker.join().unwrap_err())
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what} did not finish within {limit:?}: a detector or parser loops on hostile input")
        }
    }
}

#[test]
fn pathological_inputs_finish() {
    finishes_within("the detectors on pathological inputs", HANG, pathological_inputs);
}

fn pathological_inputs() {
    for input in [
        "<".repeat(65_536),
        "(".repeat(65_536),
        " or (".repeat(4_000),
        "'".repeat(16_384),
        "%".repeat(16_384),
        "&#".repeat(8_000),
        "<a ".repeat(5_000),
        "<a x=".repeat(3_000),
        "\" onx=".repeat(2_500),
        "';".repeat(8_000),
    ] {
        let _ = sqli::detect(input.as_bytes(), Sensitivity::High);
        let _ = xss::detect(input.as_bytes());
    }
}

#[test]
fn locating_pointers_in_malformed_text_terminates() {
    finishes_within("locating pointers in malformed text", HANG, locating_pointers);
}

fn locating_pointers() {
    use secplay::common::json_source::parse_json;
    let locate = |text: &str, pointer: &str| {
        parse_json(text).ok().and_then(|doc| doc.locate(pointer)).map(|at| (at.line, at.column))
    };
    let mut rng = Rng(42);
    let alphabet = b"{}[]\",:abc0 \\/";
    for _ in 0..5000 {
        let text = String::from_utf8_lossy(&rng.bytes(alphabet, 40)).into_owned();
        let _ = locate(&text, "/a/0/b");
        let _ = locate(&text, "/0");
    }
    assert_eq!(locate(SAMPLE, "/WebACL/Rules/9/Statement/RateBasedStatement/Limit"), Some((104, 48)));
}
