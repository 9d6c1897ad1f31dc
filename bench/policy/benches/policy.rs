//! secplay's policy engine beside `cedar-policy` on equivalent KMS-key-policy-shaped problems
//! (see `src/lib.rs` for how the two are made equivalent) at 10, 100 and 1,000 statements /
//! policies: evaluation of a pre-parsed set, parsing, and one call of each JSON-in/JSON-out API
//! (policies as text, parsed per call: our `evaluatePolicy`, Cedar's `is_authorized_json_str`,
//! which is what each engine's wasm package does per call). Ends with a table of p50 per call and the
//! ours / cedar ratios. Run with `make bench-policy` (or `cargo bench` here).
//!
//! Every call is timed on its own (inside `iter_custom`), so the table reports the median of
//! single calls, not of batches; the clock read adds some 20–40 ns to each.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::str::FromStr as _;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, SamplingMode};
use secplay_bench_policy::{
    cedar_json_input, cedar_policies, check_equivalent, eval_input, key_policy, Ask, SIZES,
};

/// Single-call timings kept per benchmark (enough for a stable median).
const KEEP: usize = 1_000_000;

#[derive(Default)]
struct Samples(BTreeMap<String, Vec<u64>>);

impl Samples {
    fn median(&self, id: &str) -> Option<f64> {
        let mut v = self.0.get(id)?.clone();
        if v.is_empty() {
            return None;
        }
        v.sort_unstable();
        v.get(v.len() / 2).map(|&ns| ns as f64)
    }
}

fn timed<R>(g: &mut BenchmarkGroup<'_, WallTime>, samples: &mut Samples, id: &str, mut f: impl FnMut() -> R) {
    let rec = samples.0.entry(id.to_string()).or_default();
    g.bench_function(id.rsplit('/').next().unwrap_or(id), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let t = Instant::now();
                black_box(f());
                let d = t.elapsed();
                total += d;
                if rec.len() < KEEP {
                    rec.push(d.as_nanos().try_into().unwrap_or(u64::MAX));
                }
            }
            total
        })
    });
}

fn configure(g: &mut BenchmarkGroup<'_, WallTime>, slow: bool) {
    g.sample_size(20).warm_up_time(Duration::from_millis(700)).measurement_time(Duration::from_secs(2));
    if slow {
        g.sampling_mode(SamplingMode::Flat);
    }
}

fn main() {
    for n in SIZES {
        match check_equivalent(n) {
            Ok([allowed, explicit, implicit]) => println!(
                "size {n}: both engines agree on {} requests ({allowed} allowed, {explicit} explicitly and \
                 {implicit} implicitly denied), naming the same deciding statements",
                Ask::checked().len()
            ),
            Err(e) => {
                eprintln!("the two problems are not equivalent: {e}");
                std::process::exit(1);
            }
        }
    }

    let mut c = Criterion::default().configure_from_args();
    let mut samples = Samples::default();
    let ask = Ask::timed();
    let authorizer = cedar_policy::Authorizer::new();
    let entities = cedar_policy::Entities::empty();

    for n in SIZES {
        let iam_text = key_policy(n);
        let cedar_text = cedar_policies(n);
        let input_text = eval_input(n, &ask).to_string();
        let cedar_input_text = cedar_json_input(n, &ask).to_string();
        let (Ok(policy), Ok(cedar_set), Ok(cedar_req)) = (
            secplay::policy::parse_policy(&iam_text),
            cedar_policy::PolicySet::from_str(&cedar_text),
            ask.cedar(),
        ) else {
            eprintln!("size {n}: a policy set or request did not parse");
            std::process::exit(1);
        };
        let ours_set = secplay::policy::PolicySet { resource: Some(policy.into()), ..Default::default() };
        let ours_req = ask.ours();
        let slow = n >= 1000;

        let mut g = c.benchmark_group(format!("eval-{n}"));
        configure(&mut g, slow);
        timed(&mut g, &mut samples, &format!("eval-{n}/ours"), || {
            secplay::policy::evaluate(&ours_set, &ours_req)
        });
        timed(&mut g, &mut samples, &format!("eval-{n}/cedar"), || {
            authorizer.is_authorized(&cedar_req, &cedar_set, &entities)
        });
        g.finish();

        let mut g = c.benchmark_group(format!("parse-{n}"));
        configure(&mut g, slow);
        timed(&mut g, &mut samples, &format!("parse-{n}/ours"), || secplay::policy::parse_policy(&iam_text));
        timed(&mut g, &mut samples, &format!("parse-{n}/cedar"), || {
            cedar_policy::PolicySet::from_str(&cedar_text).map_err(drop)
        });
        g.finish();

        let mut g = c.benchmark_group(format!("json-{n}"));
        configure(&mut g, slow);
        timed(&mut g, &mut samples, &format!("json-{n}/ours"), || {
            secplay::policy::evaluate_policy_str(&input_text)
        });
        timed(&mut g, &mut samples, &format!("json-{n}/cedar"), || {
            cedar_policy::ffi::is_authorized_json_str(&cedar_input_text)
        });
        g.finish();
    }

    print_table(&samples);
}

fn fmt(ns: Option<f64>) -> String {
    match ns {
        None => "n/a".to_string(),
        Some(ns) if ns < 1e3 => format!("{ns:.0} ns"),
        Some(ns) if ns < 1e6 => format!("{:.1} µs", ns / 1e3),
        Some(ns) => format!("{:.2} ms", ns / 1e6),
    }
}

fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}×", a / b),
        _ => "n/a".to_string(),
    }
}

fn print_table(s: &Samples) {
    println!();
    println!("policy evaluation, p50 per call (ratio < 1 means ours is faster)");
    println!();
    println!(
        "| statements / policies | evaluate: ours | evaluate: cedar | ours / cedar | parse: ours | parse: cedar \
         | ours / cedar | JSON in/out: ours | JSON in/out: cedar | ours / cedar |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for n in SIZES {
        let m = |k: &str| s.median(&format!("{k}-{n}/ours"));
        let c = |k: &str| s.median(&format!("{k}-{n}/cedar"));
        println!(
            "| {n} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            fmt(m("eval")),
            fmt(c("eval")),
            ratio(m("eval"), c("eval")),
            fmt(m("parse")),
            fmt(c("parse")),
            ratio(m("parse"), c("parse")),
            fmt(m("json")),
            fmt(c("json")),
            ratio(m("json"), c("json")),
        );
    }
}
