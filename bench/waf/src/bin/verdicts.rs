//! Prints every detector verdict with its finding (pattern, tokens / matched text) for each line
//! of the shared corpora, as is, percent-encoded and uppercased, one line per input. Diff its
//! output before and after a change to the detectors to show their results did not change:
//! `cargo run --release --bin verdicts > before.txt`.

use std::fmt::Write as _;

use secplay::waf::model::Sensitivity;
use secplay::waf::{sqli, xss};
use secplay_bench_waf as input;

fn percent_encode(s: &str) -> String {
    s.bytes().fold(String::new(), |mut out, b| {
        if b.is_ascii_alphanumeric() {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
        out
    })
}

fn main() {
    for name in ["sqli.txt", "xss.txt", "benign.txt", "benign-technical.txt"] {
        for (n, line) in input::corpus(name).iter().enumerate() {
            for (form, text) in
                [("raw", line.clone()), ("pct", percent_encode(line)), ("upper", line.to_uppercase())]
            {
                let b = text.as_bytes();
                println!(
                    "{name}:{n}:{form} low={:?} high={:?} xss={:?}",
                    sqli::detect(b, Sensitivity::Low),
                    sqli::detect(b, Sensitivity::High),
                    xss::detect(b)
                );
            }
        }
    }
}
