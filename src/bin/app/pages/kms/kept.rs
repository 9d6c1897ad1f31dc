//! The KMS world kept in the key store (record `kms/world`): what reading it found, and what the
//! page says when it cannot be read or saved. Plain data, tested natively; the reads and writes are
//! the component's (`services::keystore`).
//!
//! The rule: the page saves its world over the kept one only after the kept one was read (or
//! found absent). A kept world that does not read is never overwritten by a fresh one.

use secplay::keystore::KeyStoreError;
use secplay::kms::{snapshot, World};

/// The key store record the page's world is kept under.
pub const WORLD_ID: &str = "kms/world";

/// What reading the kept world found.
#[derive(Debug)]
pub enum Read {
    /// Nothing kept yet: the page may save.
    Absent,
    /// The kept world: the page shows it, then may save.
    World(Box<World>),
    /// Kept but unreadable (set aside, or not a snapshot this secplay reads): code and message.
    /// The page must not save.
    Unreadable(String, String),
    /// The store is busy with another call: read again shortly.
    Later,
    /// The store is locked (or gone): nothing to read, nothing to save.
    Nothing,
}

/// Reads what the store answered for [`WORLD_ID`].
pub fn read(found: Result<Vec<u8>, KeyStoreError>) -> Read {
    match found {
        Ok(bytes) => match snapshot::restore(&bytes) {
            Ok(w) => Read::World(Box::new(w)),
            Err(e) => Read::Unreadable(e.code().to_string(), e.to_string()),
        },
        Err(KeyStoreError::NotFound(_)) => Read::Absent,
        Err(KeyStoreError::Busy) => Read::Later,
        Err(KeyStoreError::Locked) => Read::Nothing,
        Err(e) => {
            let code = e.code().to_string();
            match e {
                // Set aside at unlock: the reason already names the record.
                KeyStoreError::RecordCorrupted { reason, .. } => Read::Unreadable(code, reason),
                e => Read::Unreadable(code, e.to_string()),
            }
        }
    }
}

/// Why the page does not keep its world in the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The kept world does not read: code and message.
    Unreadable(String, String),
    /// A save failed: code and message.
    NotSaved(String, String),
}

impl Problem {
    /// What happened and what the user can do, in words.
    pub fn explain(&self) -> String {
        match self {
            Self::Unreadable(code, message) => format!(
                "The KMS world kept in the key store (record `{WORLD_ID}`) could not be read ({code}: \
                 {message}). Nothing was overwritten: this page shows a fresh world and will not save \
                 it over the kept one. To get the kept world back, restore a backup on the Key store \
                 page; to keep a new world instead, delete `{WORLD_ID}` there and open this page again."
            ),
            Self::NotSaved(code, message) => format!(
                "This world could not be saved in the key store ({code}: {message}). What the store \
                 kept before is unchanged; the page tries again at the next change."
            ),
        }
    }

    /// `unreadable` or `not-saved` (the page's `data-problem`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Unreadable(..) => "unreadable",
            Self::NotSaved(..) => "not-saved",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_world_reads_or_is_reported_and_never_saved_over() {
        let bytes = snapshot::snapshot(&World::new()).unwrap();
        assert!(matches!(read(Ok(bytes.clone())), Read::World(_)));
        assert!(matches!(read(Err(KeyStoreError::NotFound(WORLD_ID.into()))), Read::Absent));
        assert!(matches!(read(Err(KeyStoreError::Busy)), Read::Later));
        assert!(matches!(read(Err(KeyStoreError::Locked)), Read::Nothing));
        let mut bad = bytes;
        bad.truncate(bad.len() / 2);
        let Read::Unreadable(code, message) = read(Ok(bad)) else { panic!("a cut snapshot read") };
        let p = Problem::Unreadable(code, message.clone());
        assert!(p.explain().contains(&message) && p.explain().contains("Nothing was overwritten"));
        let set_aside = KeyStoreError::RecordCorrupted { id: WORLD_ID.into(), reason: "tag".into() };
        let Read::Unreadable(code, message) = read(Err(set_aside)) else { panic!("a set-aside record read") };
        assert_eq!((code.as_str(), message.as_str()), ("RecordCorrupted", "tag"));
        assert_eq!(Problem::NotSaved("QuotaExceeded".into(), "full".into()).name(), "not-saved");
    }
}
