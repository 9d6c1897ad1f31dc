//! The scanner's side of `make bench-scan`: writes the labelled set with our findings per sample
//! (`<out>/scan-set.jsonl`, read by peers.py) and a throughput text (`<out>/scan-throughput.txt`,
//! read by wasm.mjs), then times our native scan over that text (MB/s, best of 5).
//!
//! Usage: scan-bench <out-dir>
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "../../../tests/scan/corpus.rs"]
mod corpus;

use std::io::Write;
use std::time::{Duration, Instant};

use secplay::scan::{scan, Options};
use serde_json::json;

/// Throughput text size: the labelled samples with filler prose, repeated.
const THROUGHPUT_BYTES: usize = 64 << 20;

/// CPU time of this thread (the machine may be shared: wall time counts other jobs' turns too).
fn cpu_time() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

fn main() {
    let out = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "target".into()));
    std::fs::create_dir_all(&out).unwrap();
    let set = corpus::generate(corpus::SEED, corpus::POSITIVES, corpus::NEGATIVES);
    let mut f = std::io::BufWriter::new(std::fs::File::create(out.join("scan-set.jsonl")).unwrap());
    for s in &set {
        let r = scan(s.text.as_bytes(), Options::default()).unwrap();
        let mut ours: Vec<&str> = r.findings.iter().map(|f| corpus::normalise(f.type_id)).collect();
        ours.sort_unstable();
        ours.dedup();
        writeln!(f, "{}", json!({"text": s.text, "label": s.label, "case": s.case, "ours": ours})).unwrap();
    }
    f.flush().unwrap();
    eprintln!("scan-bench: {} samples -> {}", set.len(), out.join("scan-set.jsonl").display());

    // Throughput: mostly prose, a finding every few hundred bytes (as in a log or a dump).
    let filler = "The quarterly report was reviewed by the team and filed under the usual project folder; \
                  nothing unusual was noted in the logs for this period. ";
    let mut text = String::with_capacity(THROUGHPUT_BYTES + 4096);
    let mut i = 0;
    while text.len() < THROUGHPUT_BYTES {
        text.push_str(&set[i % set.len()].text);
        text.push(' ');
        text.push_str(filler);
        text.push('\n');
        i += 1;
    }
    std::fs::write(out.join("scan-throughput.txt"), &text).unwrap();
    let (mut wall, mut cpu) = (f64::MAX, f64::MAX);
    let mut found = 0;
    for _ in 0..5 {
        let (t, c) = (Instant::now(), cpu_time());
        let r = scan(text.as_bytes(), Options { max_findings: 0, ..Options::default() }).unwrap();
        wall = wall.min(t.elapsed().as_secs_f64());
        cpu = cpu.min((cpu_time() - c).as_secs_f64());
        found = r.counts.values().sum::<u64>();
    }
    let mb = text.len() as f64 / 1e6;
    println!(
        "native: {mb:.1} MB, {found} findings; best of 5: wall {wall:.3} s = {:.1} MB/s, CPU {cpu:.3} s = {:.1} MB/s",
        mb / wall,
        mb / cpu
    );
}
