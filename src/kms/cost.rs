//! The cost estimate, from AWS's published KMS prices (aws.amazon.com/kms/pricing, us-east-1,
//! prices of 2026: the key-storage rules and the 20,000-request free tier as the page states them;
//! the per-request prices as published guides of 2026 quote the page — check the page before
//! relying on a figure):
//! - $1 per customer-managed key per month, prorated hourly (symmetric, asymmetric, HMAC,
//!   imported material, each multi-region primary and replica); AWS-managed keys are free; keys
//!   pending deletion are free; the first and second rotations add $1 each, later ones nothing
//!   (the May 2024 change).
//! - Requests: $0.03 per 10,000 (symmetric, and RSA_2048 asymmetric); $0.15 per 10,000
//!   asymmetric requests on other keys; $0.10 per 10,000 ECC GenerateDataKeyPair; $12.00 per
//!   10,000 RSA GenerateDataKeyPair. 20,000 requests a month free, symmetric requests only
//!   (asymmetric and GenerateDataKeyPair requests are outside the free tier). The account making a
//!   request pays for it, also for another account's key.
//!
//! Two figures: the simulated usage (keys for as long as they existed on the simulated clock,
//! the requests counted so far, taken as one month), and a projection for a monthly request rate
//! the user enters.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::error::KmsError;
use super::world::{Key, KeyState, World};

/// When the prices below were read.
pub const PRICES_AS_OF: &str = "2026-06 (aws.amazon.com/kms/pricing, us-east-1)";
/// $ per key-month.
pub const KEY_MONTH: f64 = 1.0;
/// Free requests a month.
pub const FREE_REQUESTS: u64 = 20_000;
/// Request classes and their price per 10,000 requests.
pub const REQUEST_PRICES: &[(&str, f64)] = &[
    ("symmetric", 0.03),
    ("asymmetricRsa2048", 0.03),
    ("asymmetric", 0.15),
    ("generateDataKeyPairEcc", 0.10),
    ("generateDataKeyPairRsa", 12.00),
];
const HOURS_PER_MONTH: f64 = 730.0;

/// The request class of one call (for the usage counters).
pub fn request_class(operation: &str, key: Option<&Key>, request: &Value) -> &'static str {
    if operation.starts_with("GenerateDataKeyPair") {
        let spec = request.get("KeyPairSpec").and_then(Value::as_str).unwrap_or_default();
        return if spec.starts_with("RSA") { "generateDataKeyPairRsa" } else { "generateDataKeyPairEcc" };
    }
    match key {
        Some(k) if !k.is_symmetric() && !k.key_spec.starts_with("HMAC") => {
            if k.key_spec == "RSA_2048" {
                "asymmetricRsa2048"
            } else {
                "asymmetric"
            }
        }
        _ => "symmetric",
    }
}

fn price(class: &str) -> f64 {
    REQUEST_PRICES.iter().find(|(c, _)| *c == class).map_or(0.0, |(_, p)| *p)
}

/// The cost of a month of requests by class.
fn request_cost(counts: &BTreeMap<String, u64>) -> (f64, Vec<Value>) {
    let mut total = 0.0;
    let mut rows = Vec::new();
    for (class, n) in counts {
        let billed = if class == "symmetric" { n.saturating_sub(FREE_REQUESTS) } else { *n };
        let cost = billed as f64 / 10_000.0 * price(class);
        total += cost;
        rows.push(json!({"class": class, "requests": n, "billed": billed, "pricePer10k": price(class), "cost": round(cost)}));
    }
    (total, rows)
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The monthly key charge of one key: $1, plus $1 for each of the first two rotations.
fn key_monthly(k: &Key) -> f64 {
    if k.key_manager == "AWS" || k.state == KeyState::PendingDeletion {
        return 0.0;
    }
    let rotations = k.materials.len().saturating_sub(1).min(2) as f64;
    KEY_MONTH * (1.0 + rotations)
}

/// The estimate. `monthly` is an optional `{class: requests per month}` for the projection.
pub fn estimate(w: &World, monthly: &Value) -> Result<Value, KmsError> {
    let projection: BTreeMap<String, u64> = if monthly.is_null() {
        BTreeMap::new()
    } else {
        serde_json::from_value(monthly.clone()).map_err(|e| {
            KmsError::validation(format!("monthly request rates must be {{class: count}}: {e}"))
        })?
    };
    if let Some(bad) = projection.keys().find(|c| !REQUEST_PRICES.iter().any(|(p, _)| p == c)) {
        let classes: Vec<&str> = REQUEST_PRICES.iter().map(|(c, _)| *c).collect();
        return Err(KmsError::validation(format!(
            "unknown request class `{bad}`; use one of {}",
            classes.join(", ")
        )));
    }
    let mut accounts = Vec::new();
    let mut grand = 0.0;
    for id in w.accounts.keys() {
        let mut keys = Vec::new();
        let (mut simulated_keys, mut monthly_keys) = (0.0, 0.0);
        for k in w.keys.values().filter(|k| &k.account == id) {
            let hours = w.now.saturating_sub(k.creation_date).max(0) as f64 / 3600.0;
            let monthly = key_monthly(k);
            let simulated = monthly * hours / HOURS_PER_MONTH;
            simulated_keys += simulated;
            monthly_keys += monthly;
            keys.push(json!({"keyArn": k.arn, "monthly": monthly, "hours": round(hours), "simulated": round(simulated)}));
        }
        let empty = BTreeMap::new();
        let counts = w.usage.get(id).unwrap_or(&empty);
        let (sim_requests, sim_rows) = request_cost(counts);
        let simulated_total = simulated_keys + sim_requests;
        grand += simulated_total;
        accounts.push(json!({
            "account": id,
            "keys": keys,
            "simulated": {"keys": round(simulated_keys), "requests": sim_rows, "requestCost": round(sim_requests), "total": round(simulated_total)},
            "monthlyKeys": round(monthly_keys),
        }));
    }
    let (proj_requests, proj_rows) = request_cost(&projection);
    let key_total: f64 = w.keys.values().map(key_monthly).sum();
    Ok(json!({
        "currency": "USD",
        "pricesAsOf": PRICES_AS_OF,
        "accounts": accounts,
        "simulatedTotal": round(grand),
        "projection": {
            "keysPerMonth": round(key_total),
            "requests": proj_rows,
            "requestCost": round(proj_requests),
            "total": round(key_total + proj_requests),
        },
    }))
}
