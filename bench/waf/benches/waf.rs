//! WAF benchmarks, printed side by side in one run: ns per input for our SQLi (LOW, HIGH) and XSS
//! detectors vs libinjection's C library and its Rust port `libinjectionrs` on the shared corpora
//! (with how often the port's verdict differs from C's), and requests/s for a 20-rule web
//! ACL with a 10,000-entry IP set (SQLi + XSS on query and body). Criterion measures; the table at
//! the end reads criterion's estimates. Also writes the ACL and requests to
//! `target/waf-bench-input.json` for `wasm.mjs`.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use secplay::waf::json::WebAcl;
use secplay::waf::model::Sensitivity;
use secplay::waf::{sqli, xss};
use secplay_bench_waf as input;
use serde_json::{json, Value};

const CORPORA: [&str; 3] = ["sqli.txt", "xss.txt", "benign.txt"];
const REQUESTS: usize = 2_000;

type Detector = (&'static str, fn(&[u8]) -> bool);

fn detectors() -> Vec<Detector> {
    let mut d: Vec<Detector> = vec![
        ("ours SQLi LOW", |s| sqli::is_sqli(s, Sensitivity::Low)),
        ("ours SQLi HIGH", |s| sqli::is_sqli(s, Sensitivity::High)),
    ];
    #[cfg(libinjection_c)]
    d.push(("libinjection C SQLi", input::c::sqli));
    d.push(("libinjectionrs SQLi", rs_sqli));
    d.push(("ours XSS", xss::is_xss));
    #[cfg(libinjection_c)]
    d.push(("libinjection C XSS", input::c::xss));
    d.push(("libinjectionrs XSS", rs_xss));
    d
}

fn rs_sqli(s: &[u8]) -> bool {
    libinjectionrs::detect_sqli(s).is_injection()
}

fn rs_xss(s: &[u8]) -> bool {
    libinjectionrs::detect_xss(s).is_injection()
}

/// How many inputs of `items` libinjectionrs judges differently from the C library (SQLi, XSS).
#[cfg(libinjection_c)]
fn disagreements(items: &[Vec<u8>]) -> Option<(usize, usize)> {
    let sqli = items.iter().filter(|s| rs_sqli(s) != input::c::sqli(s)).count();
    let xss = items.iter().filter(|s| rs_xss(s) != input::c::xss(s)).count();
    Some((sqli, xss))
}

#[cfg(not(libinjection_c))]
fn disagreements(_: &[Vec<u8>]) -> Option<(usize, usize)> {
    None
}

fn out_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target"))
}

fn criterion() -> Criterion {
    Criterion::default()
        .output_directory(&out_dir().join("criterion"))
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args()
}

fn bench_detectors(c: &mut Criterion) {
    for name in CORPORA {
        let items: Vec<Vec<u8>> = input::corpus(name).into_iter().map(String::into_bytes).collect();
        let mut g = c.benchmark_group(format!("detect/{name}"));
        g.throughput(Throughput::Elements(items.len() as u64));
        for (label, f) in detectors() {
            g.bench_function(label, |b| {
                b.iter(|| items.iter().filter(|s| f(black_box(s))).count());
            });
        }
        g.finish();
    }
}

fn bench_acl(c: &mut Criterion) {
    let (acl, resources, options) = (input::web_acl(), input::resources(), input::options());
    let requests = input::requests(REQUESTS);
    let doc = json!({"webAcl": acl, "resources": resources, "options": options, "requests": requests});
    let path = out_dir().join("waf-bench-input.json");
    std::fs::create_dir_all(out_dir()).and_then(|()| std::fs::write(&path, doc.to_string())).unwrap();
    let mut web_acl = WebAcl::new(&acl, &resources, &options).unwrap();
    println!("web ACL: {} rules, {} WCUs; {REQUESTS} requests", 20, web_acl.capacity());
    let mut blocked = 0;
    for r in &requests {
        let rec = web_acl.evaluate(r, &Value::Null).unwrap();
        blocked += usize::from(rec["action"] == "BLOCK");
    }
    println!("{blocked} of {REQUESTS} requests blocked");
    let mut g = c.benchmark_group("acl");
    g.throughput(Throughput::Elements(REQUESTS as u64));
    g.bench_function("native evaluate", |b| {
        b.iter(|| requests.iter().map(|r| web_acl.evaluate(black_box(r), &Value::Null).is_ok()).count())
    });
    g.finish();
}

/// Mean time per iteration (ns) from criterion's estimates.
fn mean_ns(group: &str, function: &str) -> Option<f64> {
    let dir = |s: &str| s.replace('/', "_");
    let path =
        out_dir().join("criterion").join(dir(group)).join(dir(function)).join("new").join("estimates.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    v["mean"]["point_estimate"].as_f64()
}

fn summary() {
    println!("\n## WAF benchmark (one run)\n");
    let sizes: Vec<usize> = CORPORA.iter().map(|n| input::corpus(n).len()).collect();
    let per = |label: &str, i: usize| -> Option<f64> {
        let name = CORPORA.get(i)?;
        Some(mean_ns(&format!("detect/{name}"), label)? / *sizes.get(i)? as f64)
    };
    let cell = |v: Option<f64>| v.map_or("n/a".to_owned(), |x| format!("{x:.0}"));
    let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => format!("{:.2}×", a / b),
        _ => "n/a".to_owned(),
    };
    println!("ns per input (lower is better); ratio = ours / libinjection C (< 1 means ours is faster)\n");
    println!("| corpus | n | ours SQLi LOW | ours SQLi HIGH | libinjection C SQLi | libinjectionrs SQLi | LOW ratio | HIGH ratio | ours XSS | libinjection C XSS | libinjectionrs XSS | XSS ratio |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (i, name) in CORPORA.iter().enumerate() {
        let (lo, hi, cs) = (per("ours SQLi LOW", i), per("ours SQLi HIGH", i), per("libinjection C SQLi", i));
        let (ox, cx) = (per("ours XSS", i), per("libinjection C XSS", i));
        let (rs, rx) = (per("libinjectionrs SQLi", i), per("libinjectionrs XSS", i));
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            sizes.get(i).copied().unwrap_or(0),
            cell(lo),
            cell(hi),
            cell(cs),
            cell(rs),
            ratio(lo, cs),
            ratio(hi, cs),
            cell(ox),
            cell(cx),
            cell(rx),
            ratio(ox, cx)
        );
    }
    println!("\nlibinjectionrs verdicts that differ from libinjection C (SQLi / XSS):");
    for name in CORPORA {
        let items: Vec<Vec<u8>> = input::corpus(name).into_iter().map(String::into_bytes).collect();
        match disagreements(&items) {
            Some((s, x)) => println!("- {name}: {s} / {x} of {}", items.len()),
            None => println!("- {name}: n/a (libinjection C not compiled)"),
        }
    }
    if !input::HAVE_C {
        println!("\n(libinjection C not compiled: run bench/waf/fetch-libinjection.sh)");
    }
    if let Some(ns) = mean_ns("acl", "native evaluate") {
        let rps = REQUESTS as f64 / (ns / 1e9);
        println!("\n20-rule web ACL, 10,000-entry IP set, SQLi+XSS on query and body, trace off:");
        println!("native: {rps:.0} requests/s ({:.2} µs per request)", ns / REQUESTS as f64 / 1e3);
    }
}

fn main() {
    let mut c = criterion();
    bench_detectors(&mut c);
    bench_acl(&mut c);
    c.final_summary();
    summary();
}
