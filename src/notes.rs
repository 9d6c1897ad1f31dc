//! The study notes as runnable chapters: `../shared/seed/DIGEST.md` §1–12 told as a few steps each,
//! every step performed by a real engine of this crate (the KMS emulator, the policy engine, the
//! Encryption SDK, S3 replication, Parameter Store, Secrets Manager, ACM, the WAF, Firewall Manager,
//! the scanner), each saying what AWS does and why.
//!
//! A [`Chapter`] runs all its steps at once ([`Chapter::run`]); a [`Variant`] removes one
//! permission (or changes one setting) and names the step that must then fail, and with which
//! error code. [`check`] holds every chapter to that: as written, every step succeeds (or fails
//! with the error it is written to show); under each variant, the steps before the named one
//! succeed and the named one fails with the named code. A step may carry a [`PageLink`]: the
//! engine's page with the step's state loaded, as that page's share link document.
//!
//! Pure Rust, no web dependency: the `#/notes` pages render these, the native tests run them.

pub mod check;
pub mod model;
mod part1;
mod part2;

pub use check::check;
pub use model::{Chapter, Outdated, PageLink, StepError, StepOutcome, Variant};

/// Every chapter, in the digest's order (by [`Chapter::section`], then as listed).
pub fn all() -> Vec<Chapter> {
    let mut chapters = part1::chapters();
    chapters.extend(part2::chapters());
    chapters.sort_by_key(|c| c.section);
    chapters
}

/// The chapter with this id.
pub fn find(id: &str) -> Option<Chapter> {
    all().into_iter().find(|c| c.id == id)
}
