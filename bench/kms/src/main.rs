//! In-process KMS calls with enforcement on, natively: Encrypt, Decrypt and GenerateDataKey by a
//! user whose identity policy and the key's 10-statement policy (`scenario.json`) both have to
//! allow each call. Every call goes through the one JSON door (`secplay::kms::call`): reading the
//! request, authorization through the policy engine, the cryptography, the audit event and the
//! usage count. Prints p50 and p99 per operation in µs (a plain timed loop: single calls, sorted).
//!
//! Not a test: it asserts only that the calls succeed, never how fast they are.

use std::time::{Duration, Instant};

use secplay::kms::{call, World};
use serde_json::{json, Value};

const SCENARIO: &str = include_str!("../scenario.json");

fn fail(what: &str, e: impl std::fmt::Display) -> ! {
    eprintln!("kms-inprocess: {what}: {e}");
    std::process::exit(1)
}

/// The world of the scenario and the key's ARN.
fn setup(s: &Value) -> (World, String) {
    let mut w = World::new();
    let tags = serde_json::from_value(s["principalTags"].clone()).unwrap_or_else(|e| fail("principalTags", e));
    let user = s["principal"].as_str().unwrap_or_else(|| fail("scenario", "no principal"));
    w.add_principal(user, Some(tags)).unwrap_or_else(|e| fail("addPrincipal", e));
    w.put_identity_policy(user, "use-keys", &s["identityPolicy"].to_string())
        .unwrap_or_else(|e| fail("putIdentityPolicy", e));
    // Inside the network the key policy allows (its last statements deny calls from elsewhere).
    let admin = json!({"principal": "arn:aws:iam::111122223333:role/Admin", "sourceIp": "10.0.0.1"});
    let created = call(&mut w, "CreateKey", &json!({"Policy": s["keyPolicy"].to_string()}), &admin)
        .unwrap_or_else(|e| fail("CreateKey", e));
    let arn = created["KeyMetadata"]["Arn"].as_str().unwrap_or_else(|| fail("CreateKey", "no Arn")).to_string();
    (w, arn)
}

/// Runs `f` for about `budget` after a warm-up; sorted durations in µs.
fn sample(budget: Duration, mut f: impl FnMut()) -> Vec<f64> {
    let warm = Instant::now();
    while warm.elapsed() < budget / 4 {
        f();
    }
    let mut out = Vec::new();
    let start = Instant::now();
    while start.elapsed() < budget || out.len() < 20 {
        let t = Instant::now();
        f();
        out.push(t.elapsed().as_secs_f64() * 1e6);
    }
    out.sort_by(f64::total_cmp);
    out
}

fn at(xs: &[f64], q: f64) -> f64 {
    xs[((xs.len() as f64 * q) as usize).min(xs.len() - 1)]
}

fn main() {
    let s: Value = serde_json::from_str(SCENARIO).unwrap_or_else(|e| fail("scenario.json", e));
    let budget = Duration::from_millis(
        std::env::var("BENCH_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(2000),
    );
    let (mut w, key) = setup(&s);
    let caller = s["caller"].clone();
    let ec = s["encryptionContext"].clone();
    let enc = json!({"KeyId": key, "Plaintext": s["plaintext"], "EncryptionContext": ec});
    let blob = call(&mut w, "Encrypt", &enc, &caller).unwrap_or_else(|e| fail("Encrypt", e))["CiphertextBlob"].clone();
    let dec = json!({"CiphertextBlob": blob, "EncryptionContext": ec});
    let gdk = json!({"KeyId": key, "KeySpec": "AES_256", "EncryptionContext": ec});

    println!("\nsecplay KMS in process, native: 10-statement key policy + identity policy, enforcement on\n");
    println!("| operation | p50 | p99 | calls |");
    println!("|---|---:|---:|---:|");
    for (op, req) in [("Encrypt", &enc), ("Decrypt", &dec), ("GenerateDataKey", &gdk)] {
        if let Err(e) = call(&mut w, op, req, &caller) {
            fail(op, e);
        }
        let xs = sample(budget, || {
            let _ = std::hint::black_box(call(&mut w, op, req, &caller));
        });
        println!("| {op} | {:.1} µs | {:.1} µs | {} |", at(&xs, 0.5), at(&xs, 0.99), xs.len());
    }
}
