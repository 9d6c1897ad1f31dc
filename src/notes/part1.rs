//! The chapters of the digest's §1–§5 (encryption models, KMS, snapshots, key policies, multi-region keys).

use super::model::Chapter;

/// This part's chapters.
pub fn chapters() -> Vec<Chapter> {
    Vec::new()
}
