//! The key store's one error enum, with a stable `code()` for the JS boundary.
//!
//! Decryption failures say which record failed and never why in cryptographic detail (no oracle).

/// Everything the key store can refuse or fail at.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyStoreError {
    /// An operation that needs the keys ran while the store is locked.
    #[error("the key store is locked: unlock it with its passphrase first")]
    Locked,
    /// The passphrase does not open this store (nothing was changed).
    #[error("wrong passphrase: the store is unchanged")]
    WrongPassphrase,
    /// A passphrase that is empty or too long.
    #[error("the passphrase must be 1 to {max} characters")]
    BadPassphrase {
        /// The longest passphrase accepted.
        max: usize,
    },
    /// A record that does not decrypt, or whose bytes do not read, set aside.
    #[error("record `{id}` is corrupted or was tampered with: {reason}")]
    RecordCorrupted {
        /// The record id.
        id: String,
        /// What was found.
        reason: String,
    },
    /// No record with this id.
    #[error("no record `{0}` in the store")]
    NotFound(String),
    /// An id, kind or name outside the accepted form, or data too large.
    #[error("{0}")]
    InvalidInput(String),
    /// The store's settings, manifest or a backup were written by a newer secplay.
    #[error("{what} is version {found}, newer than this secplay reads ({max}); update secplay")]
    VersionTooNew {
        /// What carries the version.
        what: &'static str,
        /// The version found.
        found: u32,
        /// The newest version read here.
        max: u32,
    },
    /// The store's own settings or manifest do not read.
    #[error("the key store's {0} is damaged; restore a backup or start a new store")]
    StoreCorrupted(String),
    /// A backup file that does not read or does not authenticate.
    #[error("not a secplay key store backup, or the wrong passphrase for it: {0}")]
    BadBackup(String),
    /// The browser refused to store more (nothing was written).
    #[error("the browser's storage quota is exceeded: nothing was written; free space or delete records")]
    QuotaExceeded,
    /// Another tab holds the database open with an older schema.
    #[error("another tab keeps the key store open with an older version: close it and try again")]
    Blocked,
    /// The database was deleted (by the user or the browser) while open.
    #[error("the key store's database was deleted: reload the page to start a new store")]
    Deleted,
    /// Another tab opened the database with a newer schema, so this connection let go of it.
    #[error("another tab opened the key store with a newer version of secplay: reload this page")]
    Upgraded,
    /// Another tab wrote since this one last read the store (it has re-read it since).
    #[error("another tab changed the key store meanwhile: nothing was written; try again")]
    Stale,
    /// Another call on the same store has not finished yet.
    #[error("the key store is busy with another call: wait for it to finish")]
    Busy,
    /// The backend failed (the transaction was rolled back: nothing was half-written).
    #[error("storage failed, nothing was written: {0}")]
    Storage(String),
    /// The platform's random source or key derivation failed.
    #[error("{0}")]
    Crypto(String),
}

impl KeyStoreError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Locked => "Locked",
            Self::WrongPassphrase => "WrongPassphrase",
            Self::BadPassphrase { .. } => "BadPassphrase",
            Self::RecordCorrupted { .. } => "RecordCorrupted",
            Self::NotFound(_) => "NotFound",
            Self::InvalidInput(_) => "InvalidInput",
            Self::VersionTooNew { .. } => "VersionTooNew",
            Self::StoreCorrupted(_) => "StoreCorrupted",
            Self::BadBackup(_) => "BadBackup",
            Self::QuotaExceeded => "QuotaExceeded",
            Self::Blocked => "Blocked",
            Self::Deleted => "Deleted",
            Self::Upgraded => "Upgraded",
            Self::Busy => "Busy",
            Self::Stale => "Stale",
            Self::Storage(_) => "StorageFailed",
            Self::Crypto(_) => "CryptoFailed",
        }
    }

    pub(crate) fn corrupted(id: &str, reason: impl Into<String>) -> Self {
        Self::RecordCorrupted { id: id.to_owned(), reason: reason.into() }
    }
}
