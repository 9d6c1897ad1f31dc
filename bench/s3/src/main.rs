//! 1,000,000 generated S3 Inventory rows (`rows.rs`) through the engine's streaming evaluator
//! (`secplay::s3::ReplicationEvaluator`, what `ReplicationEvaluator.push` runs in wasm), natively,
//! in 1 MiB chunks, twice: with the cases' base configuration (`tests/s3/cases.json`: no policy
//! names an object, so decisions are memoised per distinct case) and with a role policy whose KMS
//! condition names prefixes inside the bucket (every row evaluated on its own). Prints rows/s
//! (the time inside `push` and `finish`, generation excluded) and the process's peak RSS at 10 %,
//! 50 % and 100 % of the rows: flat memory means the peak does not move.
//!
//! Not a test: it checks only that every row was read, never how fast.

mod rows;

use std::time::{Duration, Instant};

use secplay::s3::ReplicationEvaluator;
use serde_json::{json, Value};

const CASES: &str = include_str!("../../../tests/s3/cases.json");
const CHUNK: usize = 1 << 20;

fn fail(what: &str, e: impl std::fmt::Display) -> ! {
    eprintln!("s3-inventory: {what}: {e}");
    std::process::exit(1)
}

/// `VmHWM` (peak RSS) of this process in KiB, from /proc (0 where there is none).
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

/// This thread's time on a CPU so far, from /proc (zero where there is none): on a shared machine
/// the wall clock also counts the time other jobs had the cores.
fn cpu_time() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

/// The base scenario as an inventory input; `per_object` narrows the role's KMS conditions to
/// prefixes, which makes every decision depend on the object.
fn input(per_object: bool) -> Value {
    let cases: Value = serde_json::from_str(CASES).unwrap_or_else(|e| fail("cases.json", e));
    let mut input = cases["bases"]["base"].clone();
    if let Some(o) = input.as_object_mut() {
        o.remove("objects");
        o.insert("inventory".into(), json!({"fileSchema": rows::SCHEMA}));
    }
    if per_object {
        let p = "/roles/arn:aws:iam::111122223333:role~1s3-replication/policies/0/Statement/3/Condition/StringLike/kms:EncryptionContext:aws:s3:arn";
        let prefixes: Vec<String> = ["docs", "logs", "img", "backup"]
            .iter()
            .map(|d| format!("arn:aws:s3:::src-bucket/{d}/*"))
            .collect();
        *input.pointer_mut(p).unwrap_or_else(|| fail("cases.json", "no DecryptSource condition")) =
            json!(prefixes);
    }
    input
}

fn run(name: &str, per_object: bool, n: u64) {
    let mut ev = ReplicationEvaluator::new(&input(per_object), None).unwrap_or_else(|e| fail("input", e));
    let mut chunk = String::with_capacity(CHUNK + 512);
    let mut spent = Duration::ZERO;
    let mut cpu = Duration::ZERO;
    let mut out_bytes = 0usize;
    let mut peaks = Vec::new();
    let marks = [n / 10, n / 2];
    for i in 0..n {
        rows::row(i, &mut chunk);
        if chunk.len() >= CHUNK || i + 1 == n {
            let (t, c) = (Instant::now(), cpu_time());
            let out = ev.push(chunk.as_bytes()).unwrap_or_else(|e| fail("push", e));
            spent += t.elapsed();
            cpu += cpu_time().saturating_sub(c);
            out_bytes += std::hint::black_box(out).len();
            chunk.clear();
        }
        if marks.contains(&(i + 1)) {
            peaks.push(peak_kib());
        }
    }
    let (t, c) = (Instant::now(), cpu_time());
    let done = ev.finish().unwrap_or_else(|e| fail("finish", e));
    spent += t.elapsed();
    cpu += cpu_time().saturating_sub(c);
    peaks.push(peak_kib());
    let rows = done["summary"]["rows"].as_u64().unwrap_or(0);
    if rows != n {
        fail("summary", format!("{rows} rows read of {n}"));
    }
    let mib = |k: u64| k as f64 / 1024.0;
    println!(
        "| {name} | {} | {:.2} s / {:.2} s | {:.0} / {:.0} | {:.0} MiB | {:.1} / {:.1} / {:.1} MiB |",
        done["summary"]["evaluated"],
        spent.as_secs_f64(),
        cpu.as_secs_f64(),
        n as f64 / spent.as_secs_f64(),
        n as f64 / cpu.as_secs_f64().max(1e-9),
        out_bytes as f64 / 1048576.0,
        mib(peaks[0]),
        mib(peaks[1]),
        mib(peaks[2]),
    );
}

fn main() {
    let n: u64 = std::env::var("BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    println!("\nsecplay S3 inventory, native (release): {n} generated rows in 1 MiB chunks through ReplicationEvaluator\n");
    println!("| configuration | distinct evaluations | push + finish: wall / CPU | rows/s: wall / CPU | verdict CSV out | peak RSS at 10 % / 50 % / 100 % |");
    println!("|---|---:|---:|---:|---:|---:|");
    run("memoised (no policy names an object)", false, n);
    run("per object (role condition names prefixes)", true, n);
}
