//! The KMS load estimate: per-object Decrypt and Encrypt, a hundredth of that with S3 Bucket Keys
//! (AWS: "up to 99 percent" fewer requests), against each Region's quota.

use serde_json::{json, Value};

use secplay::s3::evaluate_replication;

fn load(objects_per_second: f64, bucket_key: bool) -> Value {
    let mut i = super::common::base("base");
    let role = "arn:aws:iam::111122223333:role/s3-replication";
    i["objectsPerSecond"] = json!(objects_per_second);
    i["objects"][0]["bucketKeyEnabled"] = json!(bucket_key);
    let st = &mut i["roles"][role]["policies"][0]["Statement"];
    st[3]["Condition"]["StringLike"]["kms:EncryptionContext:aws:s3:arn"] =
        json!(["arn:aws:s3:::src-bucket", "arn:aws:s3:::src-bucket/*"]);
    st[4]["Condition"]["StringLike"]["kms:EncryptionContext:aws:s3:arn"] =
        json!(["arn:aws:s3:::dst-bucket", "arn:aws:s3:::dst-bucket/*"]);
    let got = evaluate_replication(&i, None).unwrap();
    assert_eq!(got["objects"][0]["destinations"][0]["outcome"], "REPLICATED", "{}", got["objects"][0]);
    got["kmsLoad"].clone()
}

fn rps(load: &Value, op: &str) -> f64 {
    load["keys"].as_array().unwrap().iter().find(|k| k["operation"] == op).unwrap()["requestsPerSecond"]
        .as_f64()
        .unwrap()
}

#[test]
fn one_decrypt_and_one_encrypt_per_object() {
    let l = load(1000.0, false);
    assert_eq!(rps(&l, "Decrypt"), 1000.0);
    assert_eq!(rps(&l, "Encrypt"), 1000.0);
    assert_eq!(l["warnings"].as_array().unwrap().len(), 0);
    let quota = |r: &str| {
        l["regions"].as_array().unwrap().iter().find(|x| x["region"] == r).unwrap()["quota"].clone()
    };
    assert_eq!(quota("us-east-1"), 100_000);
    assert_eq!(l["quotasAsOf"], "2026-12-02");
}

#[test]
fn bucket_keys_cut_the_load() {
    let l = load(1000.0, true);
    assert!((rps(&l, "Decrypt") - 10.0).abs() < 1e-9, "{l}");
    assert!((rps(&l, "Encrypt") - 10.0).abs() < 1e-9, "{l}");
}

#[test]
fn over_the_quota_warns_of_throttling() {
    let l = load(150_000.0, false);
    let throttled: Vec<&Value> =
        l["regions"].as_array().unwrap().iter().filter(|r| r["throttles"] == true).collect();
    assert_eq!(throttled.len(), 2, "{l}");
    assert!(l["warnings"][0].as_str().unwrap().contains("Bucket Keys"), "{l}");
}
