//! The report in the shape of an Amazon Macie sensitive data finding: `type`, `severity` and
//! `classificationDetails.result` with `sensitiveData[].detections[]` (`type`, `count`,
//! `occurrences.lineRanges` / `offsetRanges`, at most 15 each) and `totalCount` per category.
//!
//! Shape: the Macie API reference, Findings (`ClassificationResult`, `SensitiveDataItem`,
//! `DefaultDetection`, `Occurrences`, `Range`) <https://docs.aws.amazon.com/macie/latest/APIReference/findings-describe.html>
//! and <https://docs.aws.amazon.com/macie/latest/user/findings-locate-sd-schema.html>. A `Range`
//! in `lineRanges` is lines `start`..`end` and the 1-based `startColumn`; Macie reserves
//! `offsetRanges`: here it carries character offsets (start, end) for tools that want them.
//! Not modelled: the S3 object and bucket details, ids, timestamps, and Macie's own severity
//! scoring by number of occurrences (here: the highest severity of any type found).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::kind::{Category, Kind, Severity};
use super::stream::Report;

/// The Macie-shaped finding, or `null` when nothing was found.
pub fn finding(r: &Report, mime_type: &str) -> Value {
    if r.counts.is_empty() {
        return Value::Null;
    }
    let mut by_cat: BTreeMap<Category, Vec<Kind>> = BTreeMap::new();
    for k in r.counts.keys() {
        by_cat.entry(k.category()).or_default().push(*k);
    }
    let mut additional = false;
    let sensitive: Vec<Value> = by_cat
        .iter()
        .map(|(cat, kinds)| {
            let detections: Vec<Value> = kinds
                .iter()
                .map(|k| {
                    let count = r.counts.get(k).copied().unwrap_or(0);
                    let loc = r.located.get(k).map(Vec::as_slice).unwrap_or(&[]);
                    additional |= count > loc.len() as u64;
                    json!({
                        "type": k.id(),
                        "count": count,
                        "occurrences": {
                            "lineRanges": loc.iter().map(|l| json!({"start": l.line, "end": l.end_line, "startColumn": l.column})).collect::<Vec<_>>(),
                            "offsetRanges": loc.iter().map(|l| json!({"start": l.char_start, "end": l.char_end, "startColumn": l.column})).collect::<Vec<_>>(),
                        }
                    })
                })
                .collect();
            let total: u64 = kinds.iter().filter_map(|k| r.counts.get(k)).sum();
            json!({"category": cat.id(), "detections": detections, "totalCount": total})
        })
        .collect();
    let severity = r.counts.keys().map(|k| k.severity()).max().unwrap_or(Severity::Low);
    let suffix = match by_cat.keys().collect::<Vec<_>>().as_slice() {
        [one] => one.finding_suffix(),
        _ => "Multiple",
    };
    json!({
        "type": format!("SensitiveData:S3Object/{suffix}"),
        "category": "CLASSIFICATION",
        "severity": {"description": severity.description(), "score": severity.score()},
        "classificationDetails": {
            "originType": "SENSITIVE_DATA_DISCOVERY_JOB",
            "result": {
                "status": {"code": "COMPLETE"},
                "mimeType": mime_type,
                "sizeClassified": r.bytes,
                "additionalOccurrences": additional,
                "sensitiveData": sensitive,
                "customDataIdentifiers": {"detections": [], "totalCount": 0},
            }
        }
    })
}
