#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! Property tests over generated policies and requests (a small hand-written generator with a
//! fixed seed, so every run checks the same cases):
//! - adding a Deny statement anywhere never turns a decision into `allowed` and never lifts an
//!   `explicitDeny`;
//! - adding an Allow statement never turns `allowed` into a deny and never lifts an `explicitDeny`;
//! - on mutated policy text, the parser and the validator never panic and agree: malformed JSON
//!   is one `MALFORMED_JSON` finding at the reader's position, a policy the parser refuses has an
//!   ERROR finding, and every message and path follows the house style.

use secplay::policy::{
    evaluate_policy, parse_policy, validate_policy, Finding, FindingLevel, PolicyError, PolicyType,
};
use serde_json::{json, Value};

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const ACCOUNT: &str = "111122223333";
const OTHER: &str = "444455556666";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/k1";
const ACTIONS: &[&str] = &["s3:GetObject", "s3:PutObject", "kms:Decrypt", "kms:Encrypt", "sts:AssumeRole"];
const ACTION_PATTERNS: &[&str] =
    &["s3:GetObject", "s3:*", "kms:Decrypt", "kms:*", "*", "s3:Put*", "sts:AssumeRole"];
const RESOURCES: &[&str] =
    &["arn:aws:s3:::b/k", "arn:aws:s3:::b/other", KEY, "arn:aws:iam::111122223333:role/r", "*"];
const RESOURCE_PATTERNS: &[&str] = &[
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b/k",
    KEY,
    "arn:aws:iam::*:role/r",
    "arn:aws:s3:::b/${aws:username}",
];
const PRINCIPALS: &[&str] = &[
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::444455556666:user/bob",
    "arn:aws:sts::111122223333:assumed-role/r/s",
    "arn:aws:iam::111122223333:root",
    "lambda.amazonaws.com",
];

fn principal_element(r: &mut Rng) -> (&'static str, Value) {
    let key = if r.chance(15) { "NotPrincipal" } else { "Principal" };
    let v = match r.below(6) {
        0 => json!("*"),
        1 => json!({"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}),
        2 => json!({"AWS": OTHER}),
        3 => json!({"AWS": "arn:aws:iam::111122223333:user/alice"}),
        4 => {
            json!({"AWS": ["arn:aws:iam::111122223333:role/r", "arn:aws:iam::444455556666:user/bob"]})
        }
        _ => json!({"Service": "lambda.amazonaws.com"}),
    };
    (key, v)
}

fn condition(r: &mut Rng) -> Value {
    match r.below(5) {
        0 => json!({"Bool": {"aws:SecureTransport": "true"}}),
        1 => json!({"StringEquals": {"aws:PrincipalTag/team": ["dev", "ops"]}}),
        2 => json!({"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-1"}}),
        3 => json!({"ForAllValues:StringLike": {"aws:TagKeys": "env*"}}),
        _ => json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
    }
}

fn statement(r: &mut Rng, effect: &str, with_principal: bool) -> Value {
    let mut s = serde_json::Map::new();
    s.insert("Effect".into(), json!(effect));
    let n = 1 + r.below(2);
    let actions: Vec<&str> = (0..n).map(|_| r.pick(ACTION_PATTERNS)).collect();
    let akey = if r.chance(10) { "NotAction" } else { "Action" };
    s.insert(akey.into(), json!(actions));
    let resources: Vec<&str> = (0..n).map(|_| r.pick(RESOURCE_PATTERNS)).collect();
    let rkey = if r.chance(10) { "NotResource" } else { "Resource" };
    s.insert(rkey.into(), json!(resources));
    if with_principal {
        let (k, v) = principal_element(r);
        s.insert(k.into(), v);
    }
    if r.chance(35) {
        s.insert("Condition".into(), condition(r));
    }
    Value::Object(s)
}

fn policy(r: &mut Rng, with_principal: bool, max: usize) -> Value {
    let n = 1 + r.below(max);
    let stmts: Vec<Value> = (0..n)
        .map(|_| {
            let e = if r.chance(20) { "Deny" } else { "Allow" };
            statement(r, e, with_principal)
        })
        .collect();
    json!({"Version": "2012-10-17", "Statement": stmts})
}

fn case(r: &mut Rng) -> Value {
    let principal = if r.chance(8) { Value::Null } else { json!(r.pick(PRINCIPALS)) };
    let resource = r.pick(RESOURCES);
    let mut context = serde_json::Map::new();
    if r.chance(50) {
        context.insert("aws:SecureTransport".into(), json!(if r.chance(50) { "true" } else { "false" }));
    }
    if r.chance(40) {
        context.insert("aws:PrincipalTag/team".into(), json!(r.pick(&["dev", "ops", "qa"])));
    }
    if r.chance(40) {
        context.insert("aws:SourceIp".into(), json!(r.pick(&["10.1.2.3", "192.0.2.1"])));
    }
    if r.chance(30) {
        context.insert("aws:TagKeys".into(), json!(["env", "owner"]));
    }
    if r.chance(30) {
        context.insert("aws:username".into(), json!("k"));
    }
    let mut policies = serde_json::Map::new();
    let ids: Vec<Value> = (0..r.below(3)).map(|_| policy(r, false, 3)).collect();
    policies.insert("identity".into(), json!(ids));
    if r.chance(60) {
        policies.insert("resource".into(), policy(r, true, 3));
    }
    if r.chance(25) {
        policies.insert("permissionsBoundary".into(), policy(r, false, 2));
    }
    if r.chance(15) {
        policies.insert("session".into(), policy(r, false, 2));
    }
    if r.chance(25) {
        let levels: Vec<Value> = (0..1 + r.below(2)).map(|_| json!([policy(r, false, 2)])).collect();
        policies.insert("scps".into(), json!(levels));
    }
    if r.chance(15) {
        policies.insert("rcps".into(), json!([[policy(r, true, 2)]]));
    }
    json!({
        "request": {
            "principal": principal,
            "action": r.pick(ACTIONS),
            "resource": resource,
            "resourceAccount": if r.chance(85) { ACCOUNT } else { OTHER },
            "context": context,
        },
        "policies": policies,
    })
}

/// Adds a statement with `effect` to one of the case's existing policies (or a new identity
/// policy), at a random position.
fn add_statement(r: &mut Rng, input: &Value, effect: &str) -> Value {
    let mut out = input.clone();
    let p = out["policies"].as_object_mut().unwrap();
    let mut slots: Vec<(String, bool)> = vec![("identity+".into(), false)];
    for (k, v) in p.iter() {
        match k.as_str() {
            "identity" => {
                for i in 0..v.as_array().unwrap().len() {
                    slots.push((format!("identity/{i}"), false));
                }
            }
            "resource" => slots.push(("resource".into(), true)),
            "permissionsBoundary" | "session" => slots.push((k.clone(), false)),
            "scps" => {
                for i in 0..v.as_array().unwrap().len() {
                    slots.push((format!("scps/{i}/0"), false));
                }
            }
            "rcps" => slots.push(("rcps/0/0".into(), true)),
            _ => {}
        }
    }
    let (slot, with_principal) = slots[r.below(slots.len())].clone();
    let stmt = statement(r, effect, with_principal);
    if slot == "identity+" {
        p.get_mut("identity")
            .unwrap()
            .as_array_mut()
            .unwrap()
            .push(json!({"Version": "2012-10-17", "Statement": [stmt]}));
        return out;
    }
    let pointer = format!("/policies/{slot}/Statement");
    let list = out.pointer_mut(&pointer).unwrap().as_array_mut().unwrap();
    let at = r.below(list.len() + 1);
    list.insert(at, stmt);
    out
}

fn decision(input: &Value) -> String {
    evaluate_policy(input).unwrap()["decision"].as_str().unwrap().to_string()
}

#[test]
fn adding_deny_never_allows_and_never_lifts_explicit_deny() {
    let mut r = Rng(0x5EC0_91A7_0000_0001);
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for i in 0..3000 {
        let c = case(&mut r);
        let before = decision(&c);
        let after_case = add_statement(&mut r, &c, "Deny");
        let after = decision(&after_case);
        *seen.entry(before.clone()).or_default() += 1;
        assert!(
            !(after == "allowed" && before != "allowed"),
            "case {i}: a Deny made it allowed\n{}\n{}",
            serde_json::to_string_pretty(&c).unwrap(),
            serde_json::to_string_pretty(&after_case).unwrap()
        );
        assert!(
            !(before == "explicitDeny" && after != "explicitDeny"),
            "case {i}: a Deny lifted an explicit deny"
        );
    }
    // The generator must exercise every outcome, or the property proves little.
    for d in ["allowed", "explicitDeny", "implicitDeny"] {
        assert!(seen.get(d).copied().unwrap_or(0) > 100, "{seen:?}");
    }
}

#[test]
fn adding_allow_never_denies_and_never_lifts_explicit_deny() {
    let mut r = Rng(0x5EC0_91A7_0000_0002);
    let mut changed = 0;
    for i in 0..3000 {
        let c = case(&mut r);
        let before = decision(&c);
        let after_case = add_statement(&mut r, &c, "Allow");
        let after = decision(&after_case);
        if before != after {
            changed += 1;
        }
        assert!(
            !(before == "allowed" && after != "allowed"),
            "case {i}: an Allow turned allowed into {after}\n{}\n{}",
            serde_json::to_string_pretty(&c).unwrap(),
            serde_json::to_string_pretty(&after_case).unwrap()
        );
        assert!(
            !(before == "explicitDeny" && after != "explicitDeny"),
            "case {i}: an Allow lifted an explicit deny"
        );
    }
    assert!(changed > 50, "added Allow statements changed only {changed} decisions");
}

#[test]
fn parser_and_validator_agree_on_mutated_text() {
    let mut r = Rng(0x5EC0_91A7_0000_0003);
    let kinds = [
        PolicyType::Identity,
        PolicyType::Resource,
        PolicyType::Key,
        PolicyType::Scp,
        PolicyType::Rcp,
        PolicyType::Boundary,
        PolicyType::Session,
        PolicyType::Trust,
    ];
    let alphabet = b"{}[]:,\"\\*?$ aAzZ09-/eE.\n\tnulltruefalse\xc3\xa9";
    let mut outcomes = [0usize; 3];
    for _ in 0..2000 {
        let with_principal = r.chance(50);
        let p = policy(&mut r, with_principal, 3);
        let mut bytes = serde_json::to_string_pretty(&p).unwrap().into_bytes();
        for _ in 0..1 + r.below(4) {
            match r.below(3) {
                0 if !bytes.is_empty() => {
                    let at = r.below(bytes.len());
                    bytes.remove(at);
                }
                1 => {
                    let at = r.below(bytes.len() + 1);
                    bytes.insert(at, alphabet[r.below(alphabet.len())]);
                }
                _ if !bytes.is_empty() => {
                    let at = r.below(bytes.len());
                    bytes[at] = alphabet[r.below(alphabet.len())];
                }
                _ => {}
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        let kind = kinds[r.below(kinds.len())];
        let parsed = parse_policy(&text);
        let findings = validate_policy(&text, kind);
        let errors: Vec<&Finding> = findings.iter().filter(|f| f.level == FindingLevel::Error).collect();
        let shown = || format!("{text}\n{parsed:?}\n{findings:#?}");
        for f in &findings {
            assert!(f.path.starts_with('/'), "finding path `{}` is not a JSON pointer\n{}", f.path, shown());
            assert!(house_message(&f.message), "finding message `{}`\n{}", f.message, shown());
        }
        match &parsed {
            Ok(_) => outcomes[0] += 1,
            Err(e @ PolicyError::MalformedJson { line, column, .. }) => {
                outcomes[1] += 1;
                // The reader and the validator report the same position, once.
                assert_eq!(findings.len(), 1, "{}", shown());
                assert_eq!(
                    (findings[0].code, findings[0].message.as_str()),
                    ("MALFORMED_JSON", e.to_string().as_str())
                );
                let lines = u32::try_from(text.lines().count()).unwrap();
                assert!(
                    (1..=lines + 1).contains(line) && *column >= 1,
                    "position {line}:{column}\n{}",
                    shown()
                );
            }
            Err(e @ PolicyError::InvalidPolicy { .. }) => {
                outcomes[2] += 1;
                // What the parser refuses, the validator reports as an error.
                assert!(
                    !errors.is_empty(),
                    "parser refused ({e}) but validation found no error\n{}",
                    shown()
                );
                assert!(house_message(&e.to_string()), "`{e}`");
            }
            Err(e) => panic!("unexpected error kind for policy text: {e:?}\n{}", shown()),
        }
    }
    // Mutations must reach all three outcomes, or the property proves little.
    assert!(outcomes.iter().all(|n| *n > 100), "ok / malformed / invalid: {outcomes:?}");
}

/// Messages follow the house style: not empty, lowercase first letter, no trailing period.
fn house_message(m: &str) -> bool {
    !m.is_empty() && !m.starts_with(|c: char| c.is_ascii_uppercase()) && !m.ends_with('.')
}
