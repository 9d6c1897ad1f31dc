//! S3 Inventory reports: read in chunks of any size with the same verdicts, memoised where no
//! policy tells objects apart and then still equal to evaluating each object on its own.

use serde_json::{json, Value};

use secplay::s3::{evaluate_replication, ReplicationEvaluator};

const SCHEMA: &str = "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, StorageClass, ReplicationStatus, EncryptionStatus, BucketKeyStatus";

fn rows(n: usize) -> (String, Vec<Value>) {
    let mut csv = String::new();
    let mut objects = Vec::new();
    let encs = ["SSE-KMS", "SSE-S3", "NOT-SSE", "SSE-C", "DSSE-KMS"];
    let classes = ["STANDARD", "GLACIER", "STANDARD_IA"];
    for i in 0..n {
        let key = format!("{}/file {i}.txt", ["docs", "logs", "img"][i % 3]);
        let enc = encs[i % 5];
        let class = classes[(i / 5) % 3];
        let replica = i % 11 == 0;
        let dm = i % 13 == 0;
        let bk = i % 2 == 0;
        csv.push_str(&format!(
            "\"src-bucket\",\"{}\",\"v{i}\",\"true\",\"{dm}\",\"{}\",\"{class}\",\"{}\",\"{enc}\",\"{}\"\n",
            key.replace('/', "%2F").replace(' ', "+"),
            i * 10,
            if replica { "REPLICA" } else { "" },
            if bk { "ENABLED" } else { "DISABLED" }
        ));
        objects.push(json!({"key": key, "versionId": format!("v{i}"), "size": i * 10, "storageClass": class,
            "isReplica": replica, "isDeleteMarker": dm, "bucketKeyEnabled": bk,
            "encryption": if enc == "NOT-SSE" { "NONE" } else { enc }}));
    }
    (csv, objects)
}

fn input(csv: &str) -> Value {
    let mut i = super::common::base("base");
    i.as_object_mut().unwrap().remove("objects");
    i["inventory"] = json!({"csv": csv, "fileSchema": SCHEMA});
    i
}

#[test]
fn chunk_sizes_do_not_change_the_verdicts() {
    let (csv, _) = rows(500);
    let whole = evaluate_replication(&input(&csv), None).unwrap();
    assert_eq!(whole["summary"]["rows"], 500);
    assert_eq!(whole["summary"]["memoised"], true);
    assert!(whole["summary"]["evaluated"].as_u64().unwrap() < 100, "{}", whole["summary"]["evaluated"]);
    for chunk in [1, 7, 64, 4096] {
        let mut ev = ReplicationEvaluator::new(&input(""), None).unwrap();
        let mut out = ev.header();
        for c in csv.as_bytes().chunks(chunk) {
            out.push_str(&ev.push(c).unwrap());
        }
        let fin = ev.finish().unwrap();
        out.push_str(fin["csv"].as_str().unwrap());
        assert_eq!(out, whole["csv"].as_str().unwrap(), "chunks of {chunk}");
        assert_eq!(fin["summary"], whole["summary"], "chunks of {chunk}");
    }
}

#[test]
fn memoised_rows_equal_objects_evaluated_one_by_one() {
    let (csv, objects) = rows(200);
    let inv = evaluate_replication(&input(&csv), None).unwrap();
    let mut list = super::common::base("base");
    list["objects"] = Value::Array(objects);
    let each = evaluate_replication(&list, None).unwrap();
    let lines: Vec<&str> = inv["csv"].as_str().unwrap().lines().skip(1).collect();
    for (line, o) in lines.iter().zip(each["objects"].as_array().unwrap()) {
        let d = &o["destinations"][0];
        let decided = d["reasons"].as_array().unwrap().iter().find(|r| r["decided"] == true).unwrap();
        let want = format!(
            "{},{},{},{},{}",
            o["key"].as_str().unwrap(),
            o["versionId"].as_str().unwrap(),
            o["sourceStatus"].as_str().unwrap_or_default(),
            d["outcome"].as_str().unwrap(),
            decided["code"].as_str().unwrap()
        );
        assert_eq!(*line, want);
    }
    let count = |code: &str| {
        inv["summary"]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == code)
            .map_or(0, |r| r["count"].as_u64().unwrap())
    };
    assert!(count("GLACIER_STORAGE_CLASS") > 0 && count("OBJECT_IS_REPLICA") > 0 && count("REPLICATED") > 0);
    assert!(inv["summary"]["prefixes"].as_array().unwrap().iter().any(|p| p["prefix"] == "docs/"));
    assert!(inv["summary"]["csv"].as_str().unwrap().starts_with("kind,destination,name,count\n"));
}

#[test]
fn a_policy_naming_objects_turns_memoisation_off() {
    let (csv, _) = rows(50);
    let mut i = input(&csv);
    let role = "arn:aws:iam::111122223333:role/s3-replication";
    i["roles"][role]["policies"][0]["Statement"][1]["Resource"] = json!("arn:aws:s3:::src-bucket/docs/*");
    let got = evaluate_replication(&i, None).unwrap();
    assert_eq!(got["summary"]["memoised"], false);
    assert_eq!(got["summary"]["evaluated"], 50);
    let failed =
        got["summary"]["reasons"].as_array().unwrap().iter().any(|r| r["code"] == "ROLE_CANNOT_READ_SOURCE");
    assert!(failed, "objects outside docs/ cannot be read: {}", got["summary"]["reasons"]);
}

#[test]
fn broken_reports_name_their_line() {
    let e = evaluate_replication(&input("\"src-bucket\",\"a\"\n"), None).unwrap_err();
    assert_eq!(e.code(), "InvalidInventory");
    assert!(e.to_string().contains("line 1"), "{e}");
    let mut i = input("");
    i["inventory"]["fileSchema"] = json!("Bucket, Size");
    assert_eq!(evaluate_replication(&i, None).unwrap_err().code(), "InvalidInput");
}

#[test]
fn without_rows_the_summary_is_the_same() {
    let (csv, _) = rows(400);
    let mut with = ReplicationEvaluator::new(&input(""), None).unwrap();
    let mut without = ReplicationEvaluator::new(&input(""), None).unwrap();
    without.set_rows(false);
    for part in csv.as_bytes().chunks(777) {
        assert!(!with.push(part).unwrap().is_empty() || part.len() < 200);
        assert_eq!(without.push(part).unwrap(), "");
    }
    let (a, b) = (with.finish().unwrap(), without.finish().unwrap());
    assert_eq!(a["summary"], b["summary"]);
    assert_eq!(a["kmsLoad"], b["kmsLoad"]);
    assert_eq!(b["csv"], "");
}
