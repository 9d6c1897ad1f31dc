//! The backup: the whole store in one encrypted, authenticated, versioned file, and its import into
//! an empty or existing store by merge or replace.
//!
//! Format version 1:
//!
//! | offset | size | content |
//! |---|---|---|
//! | 0 | 8 | magic `SPKSBKUP` |
//! | 8 | 2 | format version, big-endian (`1`) |
//! | 10 | 4 | the store's PBKDF2 iterations, big-endian |
//! | 14 | 16 | the store's PBKDF2 salt |
//! | 30 | 16 | this backup's own salt |
//! | 46 | 12 | AES-GCM nonce |
//! | 58 | n+16 | AES-256-GCM ciphertext and tag of the payload |
//!
//! The key: HKDF-SHA-256 of the store's passphrase key (PBKDF2 of the passphrase with the salt and
//! iterations above), with this backup's salt and info `secplay-keystore/backup/v1`, so each
//! backup has a key of its own and opens with the passphrase the store had when it was made.
//! Associated data: bytes `0 .. 58`. The payload: a record count (4 bytes), then per record the
//! id (2-byte length + UTF-8), the kind (1-byte length + ASCII), `createdAt` and `updatedAt`
//! (8 bytes each, ms), the name (2-byte length + UTF-8) and the data (4-byte length + bytes).
//! Every length is checked against the bytes left before anything is allocated.

use super::backend::Backend;
use super::error::KeyStoreError;
use super::format::{self, Body, MAX_ITERATIONS, MIN_ITERATIONS};
use super::seal::{random, Kdf, Kek, NONCE_LEN, SALT_LEN};
use super::store::{KeyStore, Record};

/// Backup magic.
pub const MAGIC: &[u8; 8] = b"SPKSBKUP";
/// The backup format version written and read.
pub const VERSION: u16 = 1;
const HEADER: usize = 8 + 2 + 4 + SALT_LEN + SALT_LEN + NONCE_LEN;
const INFO: &[u8] = b"secplay-keystore/backup/v1";
/// Most records a backup may hold.
pub const MAX_RECORDS: u32 = 100_000;

/// How an import treats the records already in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    /// Keep them; add the backup's new records; list the ids present in both with other contents.
    Merge,
    /// Remove every record first; the store becomes the backup.
    Replace,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Ids added from the backup.
    pub added: Vec<String>,
    /// Ids already present with the same contents.
    pub unchanged: Vec<String>,
    /// Ids present in both with different contents (merge keeps the store's).
    pub conflicts: Vec<String>,
    /// Ids removed (replace).
    pub removed: Vec<String>,
}

fn bad(what: &str) -> KeyStoreError {
    KeyStoreError::BadBackup(what.to_owned())
}

fn push_len16(out: &mut Vec<u8>, s: &[u8]) {
    out.extend_from_slice(&u16::try_from(s.len()).unwrap_or(0).to_be_bytes());
    out.extend_from_slice(s);
}

/// The store's records as backup bytes (the store must be unlocked).
pub fn export<B: Backend, K: Kdf>(store: &KeyStore<B, K>) -> Result<Vec<u8>, KeyStoreError> {
    let (kek, salt, iterations) = store.key_params()?;
    let records: Vec<&Record> = store.records()?.collect();
    let mut plain = zeroize::Zeroizing::new(Vec::new());
    plain.extend_from_slice(&u32::try_from(records.len()).unwrap_or(u32::MAX).to_be_bytes());
    for r in records {
        push_len16(&mut plain, r.id.as_bytes());
        plain.push(u8::try_from(r.kind.len()).unwrap_or(0));
        plain.extend_from_slice(r.kind.as_bytes());
        plain.extend_from_slice(&r.body.created_at.to_be_bytes());
        plain.extend_from_slice(&r.body.updated_at.to_be_bytes());
        push_len16(&mut plain, r.body.name.as_bytes());
        plain.extend_from_slice(&u32::try_from(r.body.data.len()).unwrap_or(u32::MAX).to_be_bytes());
        plain.extend_from_slice(&r.body.data);
    }
    let mut own_salt = [0u8; SALT_LEN];
    random(&mut own_salt)?;
    let mut nonce = [0u8; NONCE_LEN];
    random(&mut nonce)?;
    let mut out = Vec::with_capacity(HEADER + plain.len() + 16);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_be_bytes());
    out.extend_from_slice(&iterations.to_be_bytes());
    out.extend_from_slice(salt);
    out.extend_from_slice(&own_salt);
    out.extend_from_slice(&nonce);
    let key = kek.derive(&own_salt, INFO)?;
    let sealed = key.seal_with_nonce(&nonce, &plain, &out)?;
    out.extend_from_slice(sealed.get(NONCE_LEN..).unwrap_or_default());
    Ok(out)
}

/// A backup's header, read without the passphrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupHeader {
    /// PBKDF2 iterations.
    pub iterations: u32,
    /// The store's salt.
    pub store_salt: Vec<u8>,
}

/// Reads a backup's header (format, version, KDF parameters within bounds).
pub fn header(bytes: &[u8]) -> Result<BackupHeader, KeyStoreError> {
    let head = bytes.get(..HEADER).ok_or_else(|| bad("shorter than its 58-byte header"))?;
    if head.get(..8) != Some(MAGIC.as_slice()) {
        return Err(bad("it does not start with `SPKSBKUP`"));
    }
    let v = head.get(8..10).and_then(|b| b.try_into().ok()).map(u16::from_be_bytes).unwrap_or(0);
    if v != VERSION {
        return Err(KeyStoreError::VersionTooNew {
            what: "the backup's format",
            found: u32::from(v),
            max: u32::from(VERSION),
        });
    }
    let iterations = head.get(10..14).and_then(|b| b.try_into().ok()).map(u32::from_be_bytes).unwrap_or(0);
    if !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&iterations) {
        return Err(bad("its KDF iterations are out of bounds"));
    }
    let store_salt = head.get(14..14 + SALT_LEN).unwrap_or_default().to_vec();
    Ok(BackupHeader { iterations, store_salt })
}

/// Decrypts a backup with the store key `kek` it was made under, into records (version 0).
pub fn open(bytes: &[u8], kek: &Kek) -> Result<Vec<Record>, KeyStoreError> {
    header(bytes)?;
    let head = bytes.get(..HEADER).unwrap_or_default();
    let own_salt = head.get(30..30 + SALT_LEN).unwrap_or_default();
    let key = kek.derive(own_salt, INFO)?;
    let sealed = bytes.get(HEADER - NONCE_LEN..).unwrap_or_default();
    let plain = key
        .open(sealed, head)
        .ok_or_else(|| bad("it does not authenticate (wrong passphrase, or the file is damaged)"))?;
    parse_payload(&plain)
}

/// Reads the decrypted payload (public for the fuzz target).
pub fn parse_payload(mut p: &[u8]) -> Result<Vec<Record>, KeyStoreError> {
    fn take<'a>(p: &mut &'a [u8], n: usize) -> Result<&'a [u8], KeyStoreError> {
        if n > p.len() {
            return Err(bad("its payload is truncated"));
        }
        let (a, b) = p.split_at(n);
        *p = b;
        Ok(a)
    }
    fn num<const N: usize>(p: &mut &[u8]) -> Result<[u8; N], KeyStoreError> {
        take(p, N)?.try_into().map_err(|_| bad("its payload is truncated"))
    }
    let text =
        |b: &[u8]| std::str::from_utf8(b).map(str::to_owned).map_err(|_| bad("a text field is not UTF-8"));
    let count = u32::from_be_bytes(num::<4>(&mut p)?);
    if count > MAX_RECORDS {
        return Err(bad("it lists more records than a store holds"));
    }
    // Each record takes at least 27 bytes: bound the allocation by what is there.
    let mut out = Vec::with_capacity(usize::try_from(count).unwrap_or(0).min(p.len() / 27));
    for _ in 0..count {
        let n = usize::from(u16::from_be_bytes(num::<2>(&mut p)?));
        let id = text(take(&mut p, n)?)?;
        format::check_id(&id).map_err(|_| bad("a record id is not valid"))?;
        let n = usize::from(u8::from_be_bytes(num::<1>(&mut p)?));
        let kind = text(take(&mut p, n)?)?;
        format::check_kind(&kind).map_err(|_| bad("a record kind is not valid"))?;
        let created_at = u64::from_be_bytes(num::<8>(&mut p)?);
        let updated_at = u64::from_be_bytes(num::<8>(&mut p)?);
        let n = usize::from(u16::from_be_bytes(num::<2>(&mut p)?));
        let name = text(take(&mut p, n)?)?;
        let n = usize::try_from(u32::from_be_bytes(num::<4>(&mut p)?)).map_err(|_| bad("a length"))?;
        if n > format::MAX_DATA {
            return Err(bad("a record's data is larger than a record holds"));
        }
        let data = take(&mut p, n)?.to_vec();
        if out.iter().any(|r: &Record| r.id == id) {
            return Err(bad("it holds the same id twice"));
        }
        out.push(Record { id, kind, version: 0, body: Body { created_at, updated_at, name, data } });
    }
    if !p.is_empty() {
        return Err(bad("bytes follow its last record"));
    }
    Ok(out)
}

impl<B: Backend, K: Kdf> KeyStore<B, K> {
    /// The whole store as one encrypted backup file (unlocked only).
    pub fn export_backup(&self) -> Result<Vec<u8>, KeyStoreError> {
        export(self)
    }

    /// Imports a backup made under `passphrase` into this (unlocked) store, in one batch.
    pub async fn import_backup(
        &mut self,
        bytes: &[u8],
        passphrase: &str,
        mode: ImportMode,
    ) -> Result<ImportReport, KeyStoreError> {
        let h = header(bytes)?;
        self.key_params()?;
        let kek = self.kdf().derive(passphrase, &h.store_salt, h.iterations).await?;
        let incoming = open(bytes, &kek)?;
        let mut report = ImportReport::default();
        let mut deletes = Vec::new();
        let mut puts = Vec::new();
        match mode {
            ImportMode::Replace => {
                let existing: Vec<String> = self.list().await?.into_iter().map(|l| l.id).collect();
                for id in existing.into_iter().filter(|id| !incoming.iter().any(|r| &r.id == id)) {
                    report.removed.push(id.clone());
                    deletes.push(id);
                }
                for r in incoming {
                    report.added.push(r.id.clone());
                    puts.push(r);
                }
            }
            ImportMode::Merge => {
                for r in incoming {
                    match self.get(&r.id) {
                        Ok(mine)
                            if mine.kind == r.kind
                                && mine.body.name == r.body.name
                                && mine.body.data == r.body.data =>
                        {
                            report.unchanged.push(r.id.clone());
                        }
                        Ok(_) => report.conflicts.push(r.id.clone()),
                        Err(KeyStoreError::NotFound(_)) => {
                            report.added.push(r.id.clone());
                            puts.push(r);
                        }
                        // Set aside here: the backup's copy is the good one.
                        Err(KeyStoreError::RecordCorrupted { .. }) => {
                            report.added.push(r.id.clone());
                            puts.push(r);
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        if !puts.is_empty() || !deletes.is_empty() {
            self.write_many(puts, deletes).await?;
        }
        Ok(report)
    }
}
