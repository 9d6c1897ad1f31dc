//! The log replay at scale (issue 15): writes a generated 1,000,000-record AWS WAF log, gzipped by
//! the system's `gzip` (as AWS delivers logs to S3), to `bench/waf/target/waf-logs.jsonl.gz`,
//! then replays it natively through an edited web ACL — once as text chunks, once from the gzip
//! file — in 1 MiB chunks, and prints records/s (time inside `push` and `finish`, generation
//! excluded; by the wall clock and by this thread's CPU time) and the peak RSS at 10 %, 50 % and
//! 100 % of the input: flat memory means the peak does not move. `logs.mjs` replays the same
//! file in wasm.
//!
//! The log: the bench's 20-rule ACL (`lib.rs`) decided a pool of 20,000 of the bench's requests
//! (70 % benign, 30 % SQLi/XSS in the query or a form body); each record is one of them with its
//! own timestamp, request id and client address (65,536 distinct). The edit: `block-admin` set to
//! Count and a new rule blocking `/comments`; a second run leaves out the five SQLi/XSS rules. The
//! edited ACLs go to `target/waf-logs-acl.json` for `logs.mjs`. Not a test: it checks only that
//! every record was read. `BENCH_RECORDS` changes the count; `BENCH_DUMP=<file>` writes both text
//! replays' whole differences there (diff it before and after an engine change).

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use secplay::waf::json::WebAcl;
use secplay::waf::logs::LogReplayer;
use secplay_bench_waf as input;
use serde_json::{json, Value};

const CHUNK: usize = 1 << 20;
const POOL: usize = 20_000;

fn fail(what: &str, e: impl std::fmt::Display) -> ! {
    eprintln!("waf-logs: {what}: {e}");
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

/// This thread's CPU time so far (zero where /proc has none).
fn cpu_time() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

/// The AWS fields of a record (the playground's extras left out), as AWS writes them.
fn aws_record(mut rec: Value) -> Value {
    if let Some(o) = rec.as_object_mut() {
        for k in ["trace", "notes", "geo", "response"] {
            o.remove(k);
        }
    }
    rec
}

/// The edited ACL: `block-admin` counts instead of blocking; `/comments` is blocked. `light`
/// leaves out the five SQLi/XSS rules (15 rules left, plus the new one).
fn edited_acl(light: bool) -> Value {
    let mut acl = input::web_acl();
    let rules = acl["Rules"].as_array_mut().unwrap_or_else(|| fail("acl", "no rules"));
    if light {
        rules.retain(|r| {
            let st = r["Statement"].to_string();
            !st.contains("SqliMatchStatement") && !st.contains("XssMatchStatement")
        });
    }
    for r in rules.iter_mut() {
        if r["Name"] == "block-admin" {
            r["Action"] = json!({"Count": {}});
        }
    }
    let mut extra = rules.first().cloned().unwrap_or(Value::Null);
    extra["Name"] = json!("block-comments");
    extra["Priority"] = json!(1000);
    extra["VisibilityConfig"]["MetricName"] = json!("block-comments");
    extra["Statement"] = json!({"ByteMatchStatement": {"SearchString": "L2NvbW1lbnRz", "FieldToMatch": {"UriPath": {}},
        "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PositionalConstraint": "EXACTLY"}});
    extra["Action"] = json!({"Block": {}});
    rules.push(extra);
    acl
}

/// The pool's records as JSON lines with three placeholders (timestamp, request id, address).
fn pool() -> Vec<String> {
    let mut acl = WebAcl::new(&input::web_acl(), &input::resources(), &input::options())
        .unwrap_or_else(|e| fail("web ACL", e));
    input::requests(POOL)
        .iter()
        .map(|r| {
            let mut rec = aws_record(acl.evaluate(r, &Value::Null).unwrap_or_else(|e| fail("evaluate", e)));
            rec["timestamp"] = json!(9_999_999_999_999u64);
            rec["httpRequest"]["requestId"] = json!("@RID@");
            rec["httpRequest"]["clientIp"] = json!("@IP@");
            rec.to_string()
        })
        .collect()
}

/// Record `i` of the log, as one line.
fn line(pool: &[String], i: usize) -> String {
    let template = pool.get(i % POOL).map_or("", String::as_str);
    let mut s = template
        .replacen("9999999999999", &(1_767_225_600_000u64 + i as u64 * 5).to_string(), 1)
        .replacen("@RID@", &format!("req-{i:07}"), 1)
        .replacen("@IP@", &format!("198.18.{}.{}", (i / 256) % 256, i % 256), 1);
    s.push('\n');
    s
}

struct Run {
    start_kib: u64,
    spent: Duration,
    cpu: Duration,
    marks: Vec<u64>,
    diff: Value,
}

/// `VmRSS` (current RSS) of this process in KiB.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

fn replay(
    light: bool,
    mut next_chunk: impl FnMut() -> Option<Vec<u8>>,
    total: u64,
    progress: impl Fn(&LogReplayer) -> u64,
) -> Run {
    let start_kib = rss_kib();
    let mut r = LogReplayer::new(&edited_acl(light), &input::resources(), &Value::Null, None)
        .unwrap_or_else(|e| fail("replayer", e));
    let (mut spent, mut cpu) = (Duration::ZERO, Duration::ZERO);
    let mut marks = Vec::new();
    let mut next_mark = 1;
    while let Some(chunk) = next_chunk() {
        let (t, c) = (Instant::now(), cpu_time());
        r.push(&chunk).unwrap_or_else(|e| fail("push", e));
        spent += t.elapsed();
        cpu += cpu_time() - c;
        let done = progress(&r);
        while next_mark <= 2 && done * 10 >= total * [1, 5][next_mark - 1] {
            marks.push(peak_kib());
            next_mark += 1;
        }
    }
    let (t, c) = (Instant::now(), cpu_time());
    let diff = r.finish().unwrap_or_else(|e| fail("finish", e));
    spent += t.elapsed();
    cpu += cpu_time() - c;
    marks.push(peak_kib());
    Run { start_kib, spent, cpu, marks, diff }
}

fn print(name: &str, n: usize, run: &Run) {
    let d = &run.diff;
    if d["records"].as_u64() != Some(n as u64) {
        fail("records", format!("{} read of {n}", d["records"]));
    }
    let marks: Vec<String> = run.marks.iter().map(|k| format!("{:.1}", *k as f64 / 1024.0)).collect();
    println!(
        "| {name} | {} / {} / {} / {} | {:.2} s / {:.2} s | {:.0} / {:.0} | {:.1} MiB | {} MiB |",
        d["unchanged"],
        d["newlyBlocked"],
        d["newlyAllowed"],
        d["unjudged"],
        run.spent.as_secs_f64(),
        run.cpu.as_secs_f64(),
        n as f64 / run.spent.as_secs_f64(),
        n as f64 / run.cpu.as_secs_f64().max(1e-9),
        run.start_kib as f64 / 1024.0,
        marks.join(" / "),
    );
}

fn main() {
    let n: usize = std::env::var("BENCH_RECORDS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/target");
    let path = format!("{dir}/waf-logs.jsonl.gz");
    let pool = pool();

    // The gzip file (system gzip), written once per run.
    let _ = std::fs::create_dir_all(dir);
    let file = std::fs::File::create(&path).unwrap_or_else(|e| fail(&path, e));
    let mut gz = Command::new("gzip")
        .args(["-6", "-c"])
        .stdin(Stdio::piped())
        .stdout(file)
        .spawn()
        .unwrap_or_else(|e| fail("gzip", e));
    let mut text_bytes = 0u64;
    if let Some(stdin) = gz.stdin.as_mut() {
        for i in 0..n {
            let l = line(&pool, i);
            text_bytes += l.len() as u64;
            stdin.write_all(l.as_bytes()).unwrap_or_else(|e| fail("gzip", e));
        }
    }
    drop(gz.stdin.take());
    gz.wait().unwrap_or_else(|e| fail("gzip", e));
    let gz_bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    // The edited ACLs and their resources, for `logs.mjs`.
    let acls = json!({"full": edited_acl(false), "light": edited_acl(true), "resources": input::resources()});
    let acl_path = format!("{dir}/waf-logs-acl.json");
    std::fs::write(&acl_path, acls.to_string()).unwrap_or_else(|e| fail(&acl_path, e));
    println!(
        "\nsecplay WAF log replay, native (release): {n} records, {:.0} MiB of JSON lines, {:.1} MiB gzipped ({path})",
        text_bytes as f64 / 1048576.0,
        gz_bytes as f64 / 1048576.0
    );
    println!("edited ACL: `block-admin` Count instead of Block, new `block-comments`; 1 MiB chunks\n");
    println!("| web ACL, input | unchanged / newly blocked / newly allowed / unjudged | push + finish: wall / CPU | records/s: wall / CPU | RSS before | peak RSS at 10 % / 50 % / 100 % |");
    println!("|---|---:|---:|---:|---:|---:|");

    // Text, generated chunk by chunk (generation outside the timing).
    let text_pass = |light: bool| {
        let mut i = 0;
        replay(
            light,
            || {
                if i >= n {
                    return None;
                }
                let mut buf = Vec::with_capacity(CHUNK + 4096);
                while buf.len() < CHUNK && i < n {
                    buf.extend_from_slice(line(&pool, i).as_bytes());
                    i += 1;
                }
                Some(buf)
            },
            text_bytes,
            |r| r.progress()["bytesOut"].as_u64().unwrap_or(0),
        )
    };
    let text = text_pass(false);
    print("20 rules (SQLi/XSS on query, body, cookies), JSON lines", n, &text);
    let light = text_pass(true);
    print("15 rules (no SQLi/XSS), JSON lines", n, &light);

    // The gzip file, read in 1 MiB chunks (reading outside the timing).
    let mut f = std::fs::File::open(&path).unwrap_or_else(|e| fail(&path, e));
    let gzip = replay(
        false,
        || {
            use std::io::Read as _;
            let mut buf = vec![0; CHUNK];
            let got = f.read(&mut buf).unwrap_or_else(|e| fail(&path, e));
            (got > 0).then(|| {
                buf.truncate(got);
                buf
            })
        },
        gz_bytes,
        |r| r.progress()["bytesIn"].as_u64().unwrap_or(0),
    );
    print("20 rules, the gzip file (as S3 delivers it)", n, &gzip);
    if text.diff != gzip.diff {
        fail("text and gzip", "the two replays differ");
    }
    // `BENCH_DUMP=<file>`: both text replays' whole differences (samples, per rule, per client),
    // to diff before and after an engine change (the figures above say only how many).
    if let Ok(dump) = std::env::var("BENCH_DUMP") {
        let all = json!({"full": text.diff, "light": light.diff});
        let pretty = serde_json::to_string_pretty(&all).unwrap_or_else(|e| fail("dump", e));
        std::fs::write(&dump, pretty).unwrap_or_else(|e| fail(&dump, e));
    }
    let d = &text.diff;
    println!(
        "\ndifferences (20 rules): {} records, {} clients counted (+{} records beyond the cap), {} samples, {} bad lines",
        d["records"], d["clientsCounted"], d["clientsOverflow"]["records"], d["samples"].as_array().map_or(0, Vec::len), d["badLines"]
    );
}
