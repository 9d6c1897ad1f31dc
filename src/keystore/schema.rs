//! Database schema versions: what each version's database holds and the step that upgrades a
//! database from the version before it. IndexedDB runs these steps in its `upgradeneeded` event;
//! [`steps`] says which to run for a database found at any earlier version.
//!
//! | version | step from the one before |
//! |---|---|
//! | 0 | (no database yet) |
//! | 1 | create the object stores `meta`, `keyrings` and `worlds` (out-of-line string keys) |
//!
//! The formats inside the stores carry versions of their own ([`super::format`]). A database at a
//! version above [`SCHEMA_VERSION`] is refused with `VersionTooNew`, never opened.

use super::backend::Area;
use super::error::KeyStoreError;

/// The schema version this secplay writes.
pub const SCHEMA_VERSION: u32 = 1;

/// One upgrade step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Create an object store.
    CreateStore(Area),
}

/// The step that takes a database from `to - 1` to `to`.
fn step(to: u32) -> &'static [Step] {
    match to {
        1 => &[
            Step::CreateStore(Area::Meta),
            Step::CreateStore(Area::Keyrings),
            Step::CreateStore(Area::Worlds),
        ],
        _ => &[],
    }
}

/// The steps, in order, that take a database from version `from` to [`SCHEMA_VERSION`].
pub fn steps(from: u32) -> Result<Vec<Step>, KeyStoreError> {
    if from > SCHEMA_VERSION {
        return Err(KeyStoreError::VersionTooNew {
            what: "the key store database",
            found: from,
            max: SCHEMA_VERSION,
        });
    }
    Ok((from + 1..=SCHEMA_VERSION).flat_map(|v| step(v).iter().copied()).collect())
}

/// Every step with the version it leads to, oldest first (IndexedDB's `upgradeneeded` runs those
/// above the database's version).
pub fn all_steps() -> Vec<(u32, Step)> {
    (1..=SCHEMA_VERSION).flat_map(|v| step(v).iter().map(move |s| (v, *s))).collect()
}

/// The object stores a database at `version` has.
pub fn stores_at(version: u32) -> Vec<Area> {
    (1..=version.min(SCHEMA_VERSION)).flat_map(|v| step(v).iter().map(|Step::CreateStore(a)| *a)).collect()
}
