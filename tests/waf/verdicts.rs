#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! The SQLi/XSS detectors' verdict on every line of the shared corpora
//! (`../shared/vectors/waf/{sqli,xss,benign,benign-technical}.txt`), checked against the verdicts
//! recorded in `tests/data/waf-verdicts.txt`. The file lists the exceptions only: the attack lines a
//! detector does not flag and the benign lines it does, per detector and sensitivity, by line number
//! (1-based), with each corpus's line count and SHA-256 so a changed corpus is named as such.
//!
//! A change to the detectors that moves a verdict fails here, listing every line it moved (number and
//! text) and the exact counts before and after. When the move is intended, record the new verdicts:
//!
//! ```text
//! SECPLAY_BLESS=1 cargo test --test waf verdicts::
//! ```
//!
//! and commit `tests/data/waf-verdicts.txt` with the change (its diff is the list of moved lines).
//! This is what the totals in `waf_quality.rs` summarise; this test pins each line.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use secplay::waf::model::Sensitivity;
use secplay::waf::{sqli, xss};
use sha2::{Digest, Sha256};

const CORPORA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/waf/");
const RECORD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/waf-verdicts.txt");

/// A detector as the corpora are run through it.
#[derive(Clone, Copy)]
enum Detector {
    SqliLow,
    SqliHigh,
    Xss,
}

impl Detector {
    fn name(self) -> &'static str {
        match self {
            Self::SqliLow => "sqli-low",
            Self::SqliHigh => "sqli-high",
            Self::Xss => "xss",
        }
    }

    fn flags(self, line: &str) -> bool {
        match self {
            Self::SqliLow => sqli::is_sqli(line.as_bytes(), Sensitivity::Low),
            Self::SqliHigh => sqli::is_sqli(line.as_bytes(), Sensitivity::High),
            Self::Xss => xss::is_xss(line.as_bytes()),
        }
    }
}

/// Each corpus, whether its lines are attacks, and the detectors run over it.
const RUNS: [(&str, bool, &[Detector]); 4] = [
    ("sqli.txt", true, &[Detector::SqliLow, Detector::SqliHigh]),
    ("xss.txt", true, &[Detector::Xss]),
    ("benign.txt", false, &[Detector::SqliLow, Detector::SqliHigh, Detector::Xss]),
    ("benign-technical.txt", false, &[Detector::SqliLow, Detector::SqliHigh, Detector::Xss]),
];

/// What the record file holds (or what a run found): per corpus its line count and hash, and per
/// (corpus, detector) the line numbers that are exceptions.
#[derive(Default, PartialEq)]
struct Verdicts {
    corpora: BTreeMap<String, (usize, String)>,
    exceptions: BTreeMap<(String, String), BTreeSet<usize>>,
}

/// The word for an exception: an attack `missed` or a benign line `flagged`.
fn kind(attack: bool) -> &'static str {
    if attack {
        "missed"
    } else {
        "flagged"
    }
}

fn corpus(name: &str) -> (Vec<String>, String) {
    let path = format!("{CORPORA}{name}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("cannot read the WAF corpus `{path}` ({e}): the shared vectors must sit beside the repository")
    });
    let hash = Sha256::digest(text.as_bytes()).iter().fold(String::new(), |mut s, b| {
        write!(s, "{b:02x}").unwrap();
        s
    });
    (text.lines().map(str::to_owned).collect(), hash)
}

/// Runs every detector over every corpus; also returns the lines, for naming moved ones.
fn run() -> (Verdicts, BTreeMap<String, Vec<String>>) {
    let mut v = Verdicts::default();
    let mut texts = BTreeMap::new();
    for (name, attack, detectors) in RUNS {
        let (lines, hash) = corpus(name);
        assert!(!lines.is_empty(), "the corpus `{name}` is empty");
        v.corpora.insert(name.to_owned(), (lines.len(), hash));
        for d in detectors {
            let odd: BTreeSet<usize> =
                lines.iter().enumerate().filter(|(_, l)| d.flags(l) != attack).map(|(i, _)| i + 1).collect();
            v.exceptions.insert((name.to_owned(), d.name().to_owned()), odd);
        }
        texts.insert(name.to_owned(), lines);
    }
    (v, texts)
}

fn render(v: &Verdicts) -> String {
    let mut out = String::from(
        "# Verdicts of the SQLi/XSS detectors on ../shared/vectors/waf/, checked by tests/waf/verdicts.rs.\n\
         # Only the exceptions are listed: attack lines a detector misses, benign lines it flags (1-based).\n\
         # Regenerate after an intended change: SECPLAY_BLESS=1 cargo test --test waf verdicts::\n\
         # corpus <file> <lines> <sha256>\n",
    );
    for (name, (n, hash)) in &v.corpora {
        writeln!(out, "corpus {name} {n} {hash}").unwrap();
    }
    out.push_str("# <file> <detector> <missed|flagged> <line>\n");
    for (name, attack, detectors) in RUNS {
        for d in detectors {
            let key = (name.to_owned(), d.name().to_owned());
            for line in v.exceptions.get(&key).into_iter().flatten() {
                writeln!(out, "{name} {} {} {line}", d.name(), kind(attack)).unwrap();
            }
        }
    }
    out
}

fn unreadable<T>(at: usize, line: &str) -> T {
    panic!("{RECORD}:{at}: unreadable line `{line}`")
}

fn parse(text: &str) -> Verdicts {
    let mut v = Verdicts::default();
    for (name, _, detectors) in RUNS {
        for d in detectors {
            v.exceptions.insert((name.to_owned(), d.name().to_owned()), BTreeSet::new());
        }
    }
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(' ').collect();
        match f.as_slice() {
            ["corpus", name, n, hash] => {
                v.corpora.insert(
                    (*name).to_owned(),
                    (n.parse().unwrap_or_else(|_| unreadable(i + 1, line)), (*hash).to_owned()),
                );
            }
            [name, detector, _, n] => {
                let set = v
                    .exceptions
                    .get_mut(&((*name).to_owned(), (*detector).to_owned()))
                    .unwrap_or_else(|| unreadable(i + 1, line));
                set.insert(n.parse().unwrap_or_else(|_| unreadable(i + 1, line)));
            }
            _ => unreadable(i + 1, line),
        }
    }
    v
}

fn shorten(s: &str) -> String {
    let mut t: String = s.chars().take(100).collect();
    if t.len() < s.len() {
        t.push('…');
    }
    format!("{t:?}")
}

#[test]
fn every_corpus_line_keeps_its_recorded_verdict() {
    let (now, texts) = run();
    if std::env::var_os("SECPLAY_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(std::path::Path::new(RECORD).parent().unwrap()).unwrap();
        std::fs::write(RECORD, render(&now)).unwrap();
        println!("waf_verdicts: wrote {RECORD}");
        return;
    }
    let text = std::fs::read_to_string(RECORD).unwrap_or_else(|e| {
        panic!(
            "cannot read `{RECORD}` ({e}); write it with `SECPLAY_BLESS=1 cargo test --test waf verdicts::`"
        )
    });
    let was = parse(&text);

    let mut report = String::new();
    for (name, (n, hash)) in &now.corpora {
        match was.corpora.get(name) {
            Some((m, h)) if m == n && h == hash => {}
            Some((m, h)) => writeln!(
                report,
                "the corpus `{name}` changed ({m} lines, sha256 {h} recorded; {n} lines, sha256 {hash} now): \
                 its line numbers no longer mean what was recorded"
            )
            .unwrap(),
            None => writeln!(report, "the corpus `{name}` has no recorded verdicts").unwrap(),
        }
    }
    let mut summary = Vec::new();
    for (name, attack, detectors) in RUNS {
        let total = now.corpora[name].0;
        for d in detectors {
            let key = (name.to_owned(), d.name().to_owned());
            let (before, after) = (&was.exceptions[&key], &now.exceptions[&key]);
            let flagged = |odd: usize| if attack { total - odd } else { odd };
            summary.push(format!("{name} {}: {}/{total} flagged", d.name(), flagged(after.len())));
            if before == after {
                continue;
            }
            writeln!(
                report,
                "{name} {}: {} flagged of {total} recorded, {} now",
                d.name(),
                flagged(before.len()),
                flagged(after.len())
            )
            .unwrap();
            let lines = &texts[name];
            for n in after.difference(before) {
                let what = if attack { "no longer flagged" } else { "now flagged" };
                let text = lines.get(n - 1).map_or_else(String::new, |l| shorten(l));
                writeln!(report, "  line {n} {what}: {text}").unwrap();
            }
            for n in before.difference(after) {
                let what = if attack { "now flagged" } else { "no longer flagged" };
                let text = lines.get(n - 1).map_or_else(String::new, |l| shorten(l));
                writeln!(report, "  line {n} {what}: {text}").unwrap();
            }
        }
    }
    println!("waf_verdicts: {}", summary.join("; "));
    assert!(
        report.is_empty(),
        "detector verdicts moved against {RECORD}:\n{report}\
         if these moves are intended, record them with `SECPLAY_BLESS=1 cargo test --test waf verdicts::` and commit the file"
    );
}
