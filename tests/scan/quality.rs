//! Precision and recall per type on the generated labelled set (`corpus`), with floors that fail
//! when a detector regresses. Scored per sample: a labelled sample is a true positive for its type
//! when a finding of that type is reported in it; every other reported type is a false positive.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;

use secplay::scan::{scan, Options};

use super::corpus::{self, normalise, LABELS};

#[derive(Default, Debug, Clone, Copy)]
struct Score {
    tp: u32,
    fp: u32,
    fn_: u32,
}

impl Score {
    fn precision(self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            f64::from(self.tp) / f64::from(self.tp + self.fp)
        }
    }
    fn recall(self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            f64::from(self.tp) / f64::from(self.tp + self.fn_)
        }
    }
}

fn score() -> (BTreeMap<&'static str, Score>, Vec<String>) {
    let set = corpus::generate(corpus::SEED, corpus::POSITIVES, corpus::NEGATIVES);
    let mut scores: BTreeMap<&'static str, Score> = LABELS.iter().map(|l| (*l, Score::default())).collect();
    let mut misses = Vec::new();
    for s in &set {
        let r = scan(s.text.as_bytes(), Options::default()).unwrap();
        let mut predicted: Vec<&str> = r.findings.iter().map(|f| normalise(f.type_id)).collect();
        predicted.sort_unstable();
        predicted.dedup();
        if let Some(l) = s.label {
            if predicted.contains(&l) {
                scores.get_mut(l).unwrap().tp += 1;
            } else {
                scores.get_mut(l).unwrap().fn_ += 1;
                misses.push(format!("FN {l} [{}] {:?}", s.case, s.text));
            }
        }
        for p in predicted {
            if Some(p) != s.label {
                let key = LABELS.iter().find(|l| **l == p).copied().unwrap_or("OTHER");
                scores.entry(key).or_default().fp += 1;
                misses.push(format!("FP {p} [{}] {:?}", s.case, s.text));
            }
        }
    }
    (scores, misses)
}

#[test]
fn the_set_is_big_enough() {
    let set = corpus::generate(corpus::SEED, corpus::POSITIVES, corpus::NEGATIVES);
    assert!(set.iter().filter(|s| s.label.is_some()).count() >= 2000);
    assert!(set.iter().filter(|s| s.label.is_none()).count() >= 2000);
    for l in LABELS {
        assert!(set.iter().filter(|s| s.label == Some(l)).count() >= 150, "{l}");
    }
}

#[test]
fn precision_and_recall_floors_per_type() {
    let (scores, misses) = score();
    for m in misses.iter().take(40) {
        eprintln!("{m}");
    }
    let mut failed = Vec::new();
    for (label, s) in &scores {
        eprintln!("{label:40} P {:.3} R {:.3} ({:?})", s.precision(), s.recall(), s);
        // Floors: every type at least 0.98 on both; they fail if a detector or validation regresses.
        if s.precision() < 0.98 || s.recall() < 0.98 {
            failed.push(*label);
        }
    }
    assert!(failed.is_empty(), "below the floor: {failed:?}");
}
