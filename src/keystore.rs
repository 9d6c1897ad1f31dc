//! The key store: the user's keyrings and KMS world snapshots kept at rest under a passphrase.
//!
//! This module is the store's logic only — record and backup formats, key derivation, wrapping,
//! integrity, schema versions, merge — and compiles and tests natively. Where the bytes live is a
//! [`Backend`] (an in-memory one here; IndexedDB in `crate::web::keystore_idb`), and the
//! passphrase is stretched by a [`Kdf`] (PBKDF2-SHA-256: [`Pbkdf2`] in Rust here, WebCrypto's in
//! the browser). Both are traits so the browser supplies them and the logic stays pure.
//!
//! - [`format`]: the byte layouts of records, the manifest and the settings (documented there).
//! - [`seal`]: the key-encryption key, AES-256-GCM with associated data, PBKDF2.
//! - [`backend`]: the storage seam, its batches and the in-memory backend.
//! - [`schema`]: database schema versions and the upgrade step to each.
//! - [`store`]: [`KeyStore`]: create, unlock, lock, auto-lock, records, change passphrase.
//! - [`backup`]: the one-file encrypted backup, and import by merge or replace.
//! - [`sync`]: what tabs sharing a store tell each other ([`sync::Event`]).

pub mod backend;
pub mod backup;
pub mod error;
pub mod format;
pub mod schema;
pub mod seal;
pub mod store;
pub mod sync;

pub use backend::{Area, Backend, Batch, Contents, MemoryBackend};
pub use backup::{ImportMode, ImportReport};
pub use error::KeyStoreError;
pub use seal::{Kdf, Kek, Pbkdf2};
pub use store::{Issue, IssueKind, KeyStore, Listing, Record};
