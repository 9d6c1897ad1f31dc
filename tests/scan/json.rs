//! The JSON layer: options checked with pointers, the report in the shape of a Macie sensitive
//! data finding (https://docs.aws.amazon.com/macie/latest/user/findings-locate-sd-schema.html,
//! `ClassificationResult` / `SensitiveDataItem` / `DefaultDetection` / `Occurrences` / `Range` in
//! https://docs.aws.amazon.com/macie/latest/APIReference/findings-describe.html).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use secplay::scan::json::{scan, JsonScanner};
use serde_json::json;

#[test]
fn macie_shape() {
    let text = "line one\nvisa 4242 4242 4242 4242\nmail a.b@example.com and c.d@example.com\n";
    let r = scan(text.as_bytes(), &json!(null)).unwrap();
    assert_eq!(r["counts"], json!({"CREDIT_CARD_NUMBER": 1, "EMAIL_ADDRESS": 2}));
    let f = &r["finding"];
    assert_eq!(f["type"], "SensitiveData:S3Object/Multiple");
    assert_eq!(f["severity"], json!({"description": "High", "score": 3}));
    let result = &f["classificationDetails"]["result"];
    assert_eq!(result["status"]["code"], "COMPLETE");
    assert_eq!(result["sizeClassified"], text.len());
    assert_eq!(result["additionalOccurrences"], false);
    let sd = result["sensitiveData"].as_array().unwrap();
    assert_eq!(sd[0]["category"], "FINANCIAL_INFORMATION");
    assert_eq!(sd[0]["totalCount"], 1);
    assert_eq!(sd[0]["detections"][0]["type"], "CREDIT_CARD_NUMBER");
    assert_eq!(
        sd[0]["detections"][0]["occurrences"]["lineRanges"],
        json!([{"start": 2, "end": 2, "startColumn": 6}])
    );
    assert_eq!(sd[1]["category"], "PERSONAL_INFORMATION");
    assert_eq!(sd[1]["detections"][0]["count"], 2);
    assert_eq!(
        sd[1]["detections"][0]["occurrences"]["lineRanges"][1],
        json!({"start": 3, "end": 3, "startColumn": 26})
    );
}

// "A finding includes location data for a maximum of 15 occurrences" (ClassificationResult.additionalOccurrences).
#[test]
fn at_most_15_occurrences_and_additional_flag() {
    let text = "a.b@example.com\n".repeat(20);
    let r = scan(text.as_bytes(), &json!({})).unwrap();
    let d = &r["finding"]["classificationDetails"]["result"]["sensitiveData"][0]["detections"][0];
    assert_eq!(d["count"], 20);
    assert_eq!(d["occurrences"]["lineRanges"].as_array().unwrap().len(), 15);
    assert_eq!(r["finding"]["classificationDetails"]["result"]["additionalOccurrences"], true);
    assert_eq!(r["finding"]["type"], "SensitiveData:S3Object/Personal");
}

#[test]
fn nothing_found_is_null_finding() {
    let r = scan(b"nothing here 1.2.3", &json!(null)).unwrap();
    assert_eq!(r["finding"], serde_json::Value::Null);
    assert_eq!(r["findings"], json!([]));
}

#[test]
fn options_are_checked_with_pointers() {
    let e = scan(b"", &json!({"types": ["EMAIL_ADDRESS", "NOPE"]})).unwrap_err();
    assert_eq!(e.code(), "InvalidOption");
    assert!(e.to_string().starts_with("/types/1: unknown type `NOPE`"), "{e}");
    assert!(scan(b"", &json!({"maxFindings": -1})).unwrap_err().to_string().starts_with("/maxFindings"));
    assert!(scan(b"", &json!({"bogus": 1})).unwrap_err().to_string().contains("unknown option `bogus`"));
    assert!(scan(b"", &json!([1])).is_err());
}

#[test]
fn types_option_limits_the_kinds() {
    let r = scan(b"visa 4242424242424242 a.b@example.com", &json!({"types": ["EMAIL_ADDRESS"]})).unwrap();
    assert_eq!(r["counts"], json!({"EMAIL_ADDRESS": 1}));
}

#[test]
fn streaming_json_reports_progress() {
    let mut s = JsonScanner::new(&json!({"mimeType": "text/csv"})).unwrap();
    let p = s.push(b"a.b@exa").unwrap();
    assert_eq!(p["bytesScanned"], 7);
    s.push(b"mple.com\n").unwrap();
    let r = s.finish().unwrap();
    assert_eq!(r["counts"]["EMAIL_ADDRESS"], 1);
    assert_eq!(r["finding"]["classificationDetails"]["result"]["mimeType"], "text/csv");
    assert_eq!(s.finish().unwrap_err().code(), "ScannerFinished");
}
