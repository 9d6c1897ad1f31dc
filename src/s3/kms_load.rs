//! The KMS load of replication: the requests S3 makes to KMS for replicated SSE-KMS objects
//! (kms:Decrypt under the source key, kms:Encrypt under the replica key, kms:GenerateDataKey for
//! unencrypted objects landing in an SSE-KMS destination) at `objectsPerSecond` new objects,
//! against the symmetric-operation request quota of each account and Region.
//!
//! Quotas as the AWS KMS Developer Guide's "Request quotas" page gives them (read 2026-12; the
//! notes mark the 100,000 figure unverified): 10,000 requests/s shared by all symmetric
//! cryptographic operations of an account in a Region; 20,000 in us-east-2, ap-southeast-1,
//! ap-southeast-2, ap-northeast-1, eu-central-1 and eu-west-2; 100,000 in us-east-1, us-west-2
//! and eu-west-1. Requests with a key of another account count against the key owner's quota.
//! With S3 Bucket Keys, S3 asks KMS once per bucket-level key rather than once per object; AWS
//! says this cuts KMS requests by up to 99%, which is the factor used here (an estimate, not a
//! measure).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::evaluate::{ObjectVerdict, Outcome};
use super::reason::doc;

/// The date the quotas were read.
pub const QUOTAS_AS_OF: &str = "2026-12-02";
/// The share of per-object requests left with S3 Bucket Keys (AWS: "up to 99 percent" fewer).
pub const BUCKET_KEY_FACTOR: f64 = 0.01;

/// The default symmetric cryptographic request quota of a Region, per account, per second.
pub fn symmetric_quota(region: &str) -> u32 {
    match region {
        "us-east-1" | "us-west-2" | "eu-west-1" => 100_000,
        "us-east-2" | "ap-southeast-1" | "ap-southeast-2" | "ap-northeast-1" | "eu-central-1"
        | "eu-west-2" => 20_000,
        _ => 10_000,
    }
}

/// Counts KMS requests per (key, operation) over the verdicts seen.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    objects: u64,
    /// (key ARN, operation) → (account, region, requests, of which with a bucket key).
    uses: BTreeMap<(String, &'static str), (String, String, f64, u64)>,
}

impl Tally {
    /// Adds one object's verdict.
    pub fn add(&mut self, v: &ObjectVerdict) {
        self.objects += 1;
        for d in v.destinations.iter().filter(|d| d.outcome == Outcome::Replicated) {
            for u in &d.kms {
                let e = self
                    .uses
                    .entry((u.key_arn.clone(), u.operation))
                    .or_insert_with(|| (u.account.clone(), u.region.clone(), 0.0, 0));
                e.2 += if u.bucket_key { BUCKET_KEY_FACTOR } else { 1.0 };
                e.3 += u64::from(u.bucket_key);
            }
        }
    }

    /// The estimate as JSON: per key and operation, per account and Region against its quota,
    /// and warnings where it would throttle.
    pub fn to_json(&self, objects_per_second: Option<f64>) -> Value {
        let n = self.objects.max(1) as f64;
        let rate = |count: f64| objects_per_second.map(|ops| ops * count / n);
        let mut keys = Vec::new();
        let mut regions: BTreeMap<(String, String), f64> = BTreeMap::new();
        for ((arn, op), (account, region, count, with_bk)) in &self.uses {
            let per_object = count / n;
            keys.push(json!({
                "keyArn": arn, "account": account, "region": region, "operation": op,
                "requestsPerObject": per_object, "bucketKeyObjects": with_bk,
                "requestsPerSecond": rate(*count),
            }));
            *regions.entry((account.clone(), region.clone())).or_default() += per_object;
        }
        let mut warnings = Vec::new();
        let regions: Vec<Value> = regions
            .into_iter()
            .map(|((account, region), per_object)| {
                let quota = symmetric_quota(&region);
                let rps = objects_per_second.map(|o| o * per_object);
                let throttles = rps.is_some_and(|r| r > f64::from(quota));
                if let Some(r) = rps.filter(|_| throttles) {
                    warnings.push(format!(
                        "account {account} in {region}: replication would make {r:.0} KMS requests/s against a quota of {quota}/s shared by all symmetric operations; KMS throttles the excess (S3 retries, replication lags): enable S3 Bucket Keys or request a higher quota in Service Quotas"
                    ));
                } else if let Some(r) = rps.filter(|r| *r > 0.8 * f64::from(quota)) {
                    warnings.push(format!(
                        "account {account} in {region}: {r:.0} requests/s is over 80% of the {quota}/s quota, before any other use of KMS in that account"
                    ));
                }
                json!({"account": account, "region": region, "requestsPerObject": per_object,
                       "requestsPerSecond": rps, "quota": quota, "throttles": throttles})
            })
            .collect();
        json!({
            "objectsPerSecond": objects_per_second,
            "objectsSeen": self.objects,
            "keys": keys,
            "regions": regions,
            "warnings": warnings,
            "bucketKeyFactor": BUCKET_KEY_FACTOR,
            "quotasAsOf": QUOTAS_AS_OF,
            "doc": doc::KMS_QUOTAS,
        })
    }
}
