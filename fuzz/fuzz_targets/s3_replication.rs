//! Arbitrary bytes as a replication evaluation input (configuration, buckets, policies, objects)
//! and as an S3 Inventory report streamed in two chunks against the first case of
//! `tests/s3/cases.json`: the S3 engine must answer with a value or an error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

const CASES: &str = include_str!("../../tests/s3/cases.json");

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = secplay::s3::evaluate_replication(&v, None);
        // The same bytes as the configuration of a valid input.
        if let Ok(mut base) = serde_json::from_str::<serde_json::Value>(CASES) {
            let mut input = base["bases"]["base"].take();
            input["replication"] = v;
            let _ = secplay::s3::evaluate_replication(&input, None);
        }
    }
    let Ok(mut corpus) = serde_json::from_str::<serde_json::Value>(CASES) else { return };
    let mut input = corpus["bases"]["base"].take();
    input["objects"] = serde_json::Value::Null;
    input["inventory"] = serde_json::json!({
        "fileSchema": "Bucket, Key, VersionId, IsDeleteMarker, Size, StorageClass, ReplicationStatus, EncryptionStatus, BucketKeyStatus"
    });
    let Ok(mut ev) = secplay::s3::ReplicationEvaluator::new(&input, None) else { return };
    let (a, b) = data.split_at(data.len() / 2);
    if ev.push(a).is_ok() && ev.push(b).is_ok() {
        let _ = ev.finish();
    }
});
