//! The monthly cost estimate of Parameter Store, from the AWS Systems Manager pricing page
//! (<https://aws.amazon.com/systems-manager/pricing/>, "Parameter Store"): standard parameters
//! and standard-throughput API interactions cost nothing; an advanced parameter costs $0.05 per
//! month (prorated hourly); with higher throughput enabled, API interactions cost $0.05 per
//! 10,000. The page itself was not in the reference corpus when this was written; the tier
//! facts (which tier is charged at all) are from the user guide's tier table
//! (<https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html>).
//! Not modelled: the KMS charges of SecureString (KMS's own estimate counts those calls).

use serde_json::{json, Value};

use super::store::{scope, Store, Tier};

/// USD per advanced parameter per month.
pub const ADVANCED_PER_MONTH: f64 = 0.05;
/// USD per 10,000 API interactions under higher throughput.
pub const HIGHER_THROUGHPUT_PER_10K: f64 = 0.05;

/// The estimate for one account and region, with the API interactions counted so far taken as
/// a month's.
pub fn estimate(store: &Store, account: &str, region: &str, higher_throughput: bool) -> Value {
    let advanced = store.count(account, region, Tier::Advanced);
    let standard = store.count(account, region, Tier::Standard);
    let calls = store.api_calls.get(&scope(account, region)).copied().unwrap_or(0);
    let storage = advanced as f64 * ADVANCED_PER_MONTH;
    let api = if higher_throughput { calls as f64 / 10_000.0 * HIGHER_THROUGHPUT_PER_10K } else { 0.0 };
    json!({
        "account": account,
        "region": region,
        "standardParameters": standard,
        "advancedParameters": advanced,
        "apiInteractions": calls,
        "higherThroughput": higher_throughput,
        "advancedParametersUsd": storage,
        "apiInteractionsUsd": api,
        "totalUsd": storage + api,
    })
}
