//! The chapters of the digest's §1–§5 (encryption models, KMS, snapshots, key policies, multi-region keys).

mod cross_account;
mod envelope;
mod kit;
mod lockout;
mod models;
mod multi_region;
mod rotation;
mod snapshot;

use super::model::Chapter;

/// This part's chapters.
pub fn chapters() -> Vec<Chapter> {
    vec![
        models::chapter(),
        envelope::chapter(),
        rotation::chapter(),
        lockout::chapter(),
        snapshot::chapter(),
        cross_account::chapter(),
        multi_region::chapter(),
    ]
}
