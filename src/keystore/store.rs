//! [`KeyStore`]: a passphrase-locked set of records over any [`Backend`].
//!
//! Locked, the store knows only what is readable at rest: ids and kinds. Unlocking derives the
//! key-encryption key ([`Kdf`]), checks it against the passphrase check value (a wrong passphrase
//! changes nothing), then reads every record and checks it against the manifest: a record that does
//! not authenticate, is missing, is older or newer than listed, or is not listed at all is named in
//! [`KeyStore::issues`] and set aside (kept at rest, not served) while the rest stay usable.
//! Every write is one [`Batch`] (the record and the manifest together), so nothing is
//! half-written, and it expects the manifest at rest to be the one this store last read or wrote:
//! if another tab wrote meanwhile, nothing is written, the store re-reads and the write is made
//! once more over what the other tab left ([`KeyStoreError::Stale`] only if that fails too).
//! Locking drops the key and every decrypted record, which are zeroized.
//!
//! Time comes in as milliseconds since 1970 from the caller (the page's clock), so auto-lock and
//! timestamps are tested without waiting.

use std::collections::BTreeMap;

use zeroize::Zeroizing;

use super::backend::{Area, Backend, Batch, Contents};
use super::error::KeyStoreError;
use super::format::{self, Body, Entry, Manifest, RecordHeader, Settings, ITERATIONS};
use super::seal::{Kdf, Kek, SALT_LEN};

/// Longest passphrase accepted, in bytes.
pub const MAX_PASSPHRASE: usize = 1024;
/// The id of the settings in the `meta` area.
pub const SETTINGS_ID: &str = "settings";
/// The id of the manifest in the `meta` area.
pub const MANIFEST_ID: &str = "manifest";
/// Idle minutes before a new store locks itself.
pub const DEFAULT_AUTO_LOCK_MINUTES: u32 = 15;

/// A decrypted record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Its id (the key at rest).
    pub id: String,
    /// Its kind (`raw-aes-keyring`, `kms-world`, …).
    pub kind: String,
    /// Its version (+1 on every write).
    pub version: u32,
    /// Name, timestamps and data (zeroized when dropped).
    pub body: Body,
}

/// What a listing shows of a record: name and times only while unlocked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// The id.
    pub id: String,
    /// The kind.
    pub kind: String,
    /// The version at rest.
    pub version: u32,
    /// Name, created and updated (unlocked only).
    pub detail: Option<(String, u64, u64)>,
    /// Set aside (see [`KeyStore::issues`]).
    pub set_aside: bool,
}

/// What is wrong with a record that was set aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueKind {
    /// It does not read or authenticate (tampered, damaged, swapped or renamed).
    Corrupted,
    /// The manifest lists it but it is not stored (deleted behind the store's back).
    Missing,
    /// It is stored at another version than the manifest lists (an older copy put back).
    RolledBack,
    /// It is stored but not listed (a deleted record put back).
    Unknown,
    /// The manifest itself does not authenticate: records were read without it.
    ManifestDamaged,
}

impl IssueKind {
    /// A stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Corrupted => "RecordCorrupted",
            Self::Missing => "RecordMissing",
            Self::RolledBack => "RecordRolledBack",
            Self::Unknown => "RecordUnknown",
            Self::ManifestDamaged => "ManifestDamaged",
        }
    }
}

/// A record set aside at unlock, by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The record id (`manifest` for [`IssueKind::ManifestDamaged`]).
    pub id: String,
    /// What was found.
    pub kind: IssueKind,
    /// In words.
    pub detail: String,
}

struct Open {
    kek: Kek,
    salt: Vec<u8>,
    settings: Settings,
    manifest: Manifest,
    /// The manifest's bytes at rest as last read or written (what the next write expects).
    manifest_raw: Option<Vec<u8>>,
    records: BTreeMap<String, Record>,
    issues: Vec<Issue>,
}

/// A key store over backend `B`, deriving keys with `K`.
pub struct KeyStore<B, K> {
    backend: B,
    kdf: K,
    open: Option<Box<Open>>,
    last_activity: u64,
}

impl<B, K> std::fmt::Debug for KeyStore<B, K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyStore").field("unlocked", &self.open.is_some()).finish_non_exhaustive()
    }
}

fn check_passphrase(p: &str) -> Result<(), KeyStoreError> {
    if p.is_empty() || p.len() > MAX_PASSPHRASE {
        return Err(KeyStoreError::BadPassphrase { max: MAX_PASSPHRASE });
    }
    Ok(())
}

fn record_areas() -> [Area; 2] {
    [Area::Keyrings, Area::Worlds]
}

/// Reads and verifies every record under `kek` against the manifest.
fn verify(kek: &Kek, contents: &Contents) -> (Manifest, BTreeMap<String, Record>, Vec<Issue>) {
    let mut issues = Vec::new();
    let manifest = match contents.get(Area::Meta, MANIFEST_ID).map(|b| format::decode_manifest(kek, b)) {
        Some(Ok(m)) => Some(m),
        Some(Err(e)) => {
            issues.push(Issue {
                id: MANIFEST_ID.into(),
                kind: IssueKind::ManifestDamaged,
                detail: e.to_string(),
            });
            None
        }
        None => {
            issues.push(Issue {
                id: MANIFEST_ID.into(),
                kind: IssueKind::ManifestDamaged,
                detail: "the manifest is missing".into(),
            });
            None
        }
    };
    let mut records = BTreeMap::new();
    let mut seen = BTreeMap::new();
    for ((area, id), bytes) in &contents.items {
        if *area == Area::Meta {
            continue;
        }
        let mut issue = |kind, detail: String| issues.push(Issue { id: id.clone(), kind, detail });
        let (header, body) = match format::decode_record(kek, id, bytes) {
            Ok(r) => r,
            Err(e) => {
                seen.insert(id.clone(), ());
                issue(IssueKind::Corrupted, e.to_string());
                continue;
            }
        };
        seen.insert(id.clone(), ());
        if Area::for_kind(&header.kind) != *area {
            issue(IssueKind::Corrupted, format!("record `{id}` is filed in the wrong object store"));
            continue;
        }
        if let Some(m) = &manifest {
            match m.records.get(id) {
                None => {
                    issue(
                        IssueKind::Unknown,
                        format!("record `{id}` is not in the store's list (deleted earlier and put back?)"),
                    );
                    continue;
                }
                Some(e) if e.kind != header.kind => {
                    issue(
                        IssueKind::Corrupted,
                        format!("record `{id}` has kind `{}`, listed as `{}`", header.kind, e.kind),
                    );
                    continue;
                }
                Some(e) if e.version != header.version => {
                    issue(
                        IssueKind::RolledBack,
                        format!("record `{id}` is at version {}, the store lists version {} (an older or foreign copy)", header.version, e.version),
                    );
                    continue;
                }
                Some(_) => {}
            }
        }
        records
            .insert(id.clone(), Record { id: id.clone(), kind: header.kind, version: header.version, body });
    }
    let manifest = match manifest {
        Some(m) => {
            for id in m.records.keys().filter(|id| !seen.contains_key(*id)) {
                issues.push(Issue {
                    id: id.clone(),
                    kind: IssueKind::Missing,
                    detail: format!(
                        "record `{id}` is listed but no longer stored (deleted behind the store's back)"
                    ),
                });
            }
            m
        }
        // Rebuilt from what authenticates, so the next write records a list again.
        None => Manifest {
            generation: 0,
            records: records
                .values()
                .map(|r| (r.id.clone(), Entry { kind: r.kind.clone(), version: r.version }))
                .collect(),
        },
    };
    (manifest, records, issues)
}

impl<B: Backend, K: Kdf> KeyStore<B, K> {
    /// A locked store over `backend`.
    pub fn new(backend: B, kdf: K) -> Self {
        Self { backend, kdf, open: None, last_activity: 0 }
    }

    /// The backend, the store dropped (its key zeroized): to open the same storage again.
    pub fn into_backend(self) -> B {
        self.backend
    }

    /// The backend (tests and the "what is at rest" view read it).
    pub fn backend_mut(&mut self) -> &mut B {
        &mut self.backend
    }

    /// Whether a passphrase has been set (a new store has none until its first unlock).
    pub async fn is_initialized(&mut self) -> Result<bool, KeyStoreError> {
        Ok(self.backend.load().await?.get(Area::Meta, SETTINGS_ID).is_some())
    }

    /// Whether the key is held.
    pub fn is_unlocked(&self) -> bool {
        self.open.is_some()
    }

    fn opened(&self) -> Result<&Open, KeyStoreError> {
        self.open.as_deref().ok_or(KeyStoreError::Locked)
    }

    /// Opens the store with `passphrase`; on a store without one, sets it. Returns the records set
    /// aside. A wrong passphrase is [`KeyStoreError::WrongPassphrase`] and changes nothing.
    pub async fn unlock(&mut self, passphrase: &str, now: u64) -> Result<Vec<Issue>, KeyStoreError> {
        check_passphrase(passphrase)?;
        let mut contents = self.backend.load().await?;
        if contents.get(Area::Meta, SETTINGS_ID).is_none() {
            match self.create(passphrase, now).await {
                // Another tab created the store meanwhile: this passphrase must open that one.
                Err(KeyStoreError::Stale) => contents = self.backend.load().await?,
                r => return r.map(|()| Vec::new()),
            }
        }
        let Some(settings) = contents.get(Area::Meta, SETTINGS_ID) else {
            return Err(KeyStoreError::Stale);
        };
        let (settings, salt) = Settings::decode(settings)?;
        let kek = self.kdf.derive(passphrase, &salt, settings.kdf.iterations).await?;
        if !settings.verifies(&kek, &salt) {
            return Err(KeyStoreError::WrongPassphrase);
        }
        let (manifest, records, issues) = verify(&kek, &contents);
        let manifest_raw = contents.get(Area::Meta, MANIFEST_ID).map(<[u8]>::to_vec);
        self.open = Some(Box::new(Open {
            kek,
            salt,
            settings,
            manifest,
            manifest_raw,
            records,
            issues: issues.clone(),
        }));
        self.last_activity = now;
        Ok(issues)
    }

    async fn create(&mut self, passphrase: &str, now: u64) -> Result<(), KeyStoreError> {
        let mut salt = vec![0u8; SALT_LEN];
        super::seal::random(&mut salt)?;
        let kek = self.kdf.derive(passphrase, &salt, ITERATIONS).await?;
        let settings = Settings::new(&kek, &salt, ITERATIONS, DEFAULT_AUTO_LOCK_MINUTES)?;
        let manifest = Manifest { generation: 1, records: BTreeMap::new() };
        let manifest_raw = format::encode_manifest(&kek, &manifest)?;
        let mut batch = Batch::default();
        batch.expect(Area::Meta, SETTINGS_ID, None);
        batch.put(Area::Meta, SETTINGS_ID, settings.encode()?);
        batch.put(Area::Meta, MANIFEST_ID, manifest_raw.clone());
        self.backend.commit(batch).await?;
        self.open = Some(Box::new(Open {
            kek,
            salt,
            settings,
            manifest,
            manifest_raw: Some(manifest_raw),
            records: BTreeMap::new(),
            issues: Vec::new(),
        }));
        self.last_activity = now;
        Ok(())
    }

    /// Drops the key and every decrypted record (zeroized).
    pub fn lock(&mut self) {
        self.open = None;
    }

    /// Notes activity at `now` (every call through the page does).
    pub fn touch(&mut self, now: u64) {
        self.last_activity = now;
    }

    /// Locks if the store has been idle for its auto-lock time at `now`; says whether it locked.
    pub fn lock_if_idle(&mut self, now: u64) -> bool {
        let Some(open) = self.open.as_deref() else { return false };
        let minutes = open.settings.auto_lock_minutes;
        if minutes > 0 && now.saturating_sub(self.last_activity) >= u64::from(minutes) * 60_000 {
            self.lock();
            return true;
        }
        false
    }

    /// The auto-lock time in minutes (0: never), once unlocked.
    pub fn auto_lock_minutes(&self) -> Result<u32, KeyStoreError> {
        Ok(self.opened()?.settings.auto_lock_minutes)
    }

    /// Sets the auto-lock time (0: never; at most a week).
    pub async fn set_auto_lock_minutes(&mut self, minutes: u32) -> Result<(), KeyStoreError> {
        match self.set_auto_lock_once(minutes).await {
            Err(KeyStoreError::Stale) => {
                self.refresh().await?;
                self.set_auto_lock_once(minutes).await
            }
            r => r,
        }
    }

    async fn set_auto_lock_once(&mut self, minutes: u32) -> Result<(), KeyStoreError> {
        if minutes > 7 * 24 * 60 {
            return Err(KeyStoreError::InvalidInput(
                "the auto-lock time must be at most 10080 minutes (a week)".into(),
            ));
        }
        let open = self.opened()?;
        let mut settings = open.settings.clone();
        settings.auto_lock_minutes = minutes;
        let mut batch = Batch::default();
        batch.expect(Area::Meta, MANIFEST_ID, open.manifest_raw.clone());
        batch.put(Area::Meta, SETTINGS_ID, settings.encode()?);
        self.backend.commit(batch).await?;
        if let Some(open) = self.open.as_deref_mut() {
            open.settings = settings;
        }
        Ok(())
    }

    /// The records set aside at the last unlock or refresh.
    pub fn issues(&self) -> Result<&[Issue], KeyStoreError> {
        Ok(&self.opened()?.issues)
    }

    /// Reads the backend again with the key held (another tab changed it). Returns the issues.
    pub async fn refresh(&mut self) -> Result<Vec<Issue>, KeyStoreError> {
        let contents = self.backend.load().await?;
        let open = self.open.as_deref_mut().ok_or(KeyStoreError::Locked)?;
        let Some(settings) = contents.get(Area::Meta, SETTINGS_ID) else {
            self.open = None;
            return Err(KeyStoreError::Deleted);
        };
        let (settings, salt) = Settings::decode(settings)?;
        if !settings.verifies(&open.kek, &salt) {
            // The passphrase was changed elsewhere: this key no longer opens the store.
            self.open = None;
            return Err(KeyStoreError::Locked);
        }
        let (manifest, records, issues) = verify(&open.kek, &contents);
        open.settings = settings;
        open.salt = salt;
        open.manifest = manifest;
        open.manifest_raw = contents.get(Area::Meta, MANIFEST_ID).map(<[u8]>::to_vec);
        open.records = records;
        open.issues = issues.clone();
        Ok(issues)
    }

    /// The records: ids and kinds while locked; with names and times once unlocked.
    pub async fn list(&mut self) -> Result<Vec<Listing>, KeyStoreError> {
        if let Some(open) = self.open.as_deref() {
            let mut out: Vec<Listing> = open
                .records
                .values()
                .map(|r| Listing {
                    id: r.id.clone(),
                    kind: r.kind.clone(),
                    version: r.version,
                    detail: Some((r.body.name.clone(), r.body.created_at, r.body.updated_at)),
                    set_aside: false,
                })
                .collect();
            for i in open.issues.iter().filter(|i| i.kind != IssueKind::ManifestDamaged) {
                let e = open.manifest.records.get(&i.id);
                out.push(Listing {
                    id: i.id.clone(),
                    kind: e.map_or_else(String::new, |e| e.kind.clone()),
                    version: e.map_or(0, |e| e.version),
                    detail: None,
                    set_aside: true,
                });
            }
            out.sort_by(|a, b| a.id.cmp(&b.id));
            return Ok(out);
        }
        let contents = self.backend.load().await?;
        Ok(contents
            .items
            .iter()
            .filter(|((area, _), _)| *area != Area::Meta)
            .map(|((_, id), bytes)| match format::record_header(id, bytes) {
                Ok(h) => Listing {
                    id: id.clone(),
                    kind: h.kind,
                    version: h.version,
                    detail: None,
                    set_aside: false,
                },
                Err(_) => {
                    Listing { id: id.clone(), kind: String::new(), version: 0, detail: None, set_aside: true }
                }
            })
            .collect())
    }

    /// One record. A record set aside is [`KeyStoreError::RecordCorrupted`].
    pub fn get(&self, id: &str) -> Result<&Record, KeyStoreError> {
        let open = self.opened()?;
        if let Some(r) = open.records.get(id) {
            return Ok(r);
        }
        match open.issues.iter().find(|i| i.id == id) {
            Some(i) => Err(KeyStoreError::corrupted(id, i.detail.clone())),
            None => Err(KeyStoreError::NotFound(id.to_owned())),
        }
    }

    /// The stored bytes of `id`, as at rest (for the "what is at rest" view).
    pub async fn raw(&mut self, id: &str) -> Result<Option<Vec<u8>>, KeyStoreError> {
        let contents = self.backend.load().await?;
        Ok(Area::ALL.iter().find_map(|a| contents.get(*a, id).map(<[u8]>::to_vec)))
    }

    /// Writes record `id` (new or replacing), with the manifest, in one batch.
    pub async fn put(
        &mut self,
        id: &str,
        kind: &str,
        name: &str,
        data: &[u8],
        now: u64,
    ) -> Result<(), KeyStoreError> {
        match self.put_once(id, kind, name, data, now).await {
            Err(KeyStoreError::Stale) => {
                self.refresh().await?;
                self.put_once(id, kind, name, data, now).await
            }
            r => r,
        }
    }

    async fn put_once(
        &mut self,
        id: &str,
        kind: &str,
        name: &str,
        data: &[u8],
        now: u64,
    ) -> Result<(), KeyStoreError> {
        format::check_id(id)?;
        format::check_kind(kind)?;
        let open = self.opened()?;
        let created_at = open.records.get(id).map_or(now, |r| r.body.created_at);
        let body = Body { created_at, updated_at: now, name: name.to_owned(), data: data.to_vec() };
        let mut batch = Batch::default();
        batch.expect(Area::Meta, MANIFEST_ID, open.manifest_raw.clone());
        let mut manifest = open.manifest.clone();
        let version = manifest
            .records
            .get(id)
            .map_or(0, |e| e.version)
            .max(open.records.get(id).map_or(0, |r| r.version));
        let version = version.checked_add(1).ok_or_else(|| {
            KeyStoreError::InvalidInput(format!("record `{id}` has reached its last version"))
        })?;
        let header = RecordHeader { kind: kind.to_owned(), version };
        let bytes = format::encode_record(&open.kek, id, &header, &body)?;
        for area in record_areas() {
            if area != Area::for_kind(kind) {
                batch.delete(area, id);
            }
        }
        batch.put(Area::for_kind(kind), id, bytes);
        manifest.records.insert(id.to_owned(), Entry { kind: kind.to_owned(), version });
        manifest.generation = manifest.generation.saturating_add(1);
        let manifest_raw = format::encode_manifest(&open.kek, &manifest)?;
        batch.put(Area::Meta, MANIFEST_ID, manifest_raw.clone());
        self.backend.commit(batch).await?;
        if let Some(open) = self.open.as_deref_mut() {
            open.manifest = manifest;
            open.manifest_raw = Some(manifest_raw);
            open.issues.retain(|i| i.id != id);
            open.records
                .insert(id.to_owned(), Record { id: id.to_owned(), kind: header.kind, version, body });
        }
        self.last_activity = now;
        Ok(())
    }

    /// Deletes record `id` (also one set aside), with the manifest, in one batch.
    pub async fn delete(&mut self, id: &str) -> Result<(), KeyStoreError> {
        match self.delete_once(id).await {
            Err(KeyStoreError::Stale) => {
                self.refresh().await?;
                self.delete_once(id).await
            }
            r => r,
        }
    }

    async fn delete_once(&mut self, id: &str) -> Result<(), KeyStoreError> {
        let open = self.opened()?;
        let known = open.records.contains_key(id)
            || open.manifest.records.contains_key(id)
            || open.issues.iter().any(|i| i.id == id);
        if !known {
            return Err(KeyStoreError::NotFound(id.to_owned()));
        }
        let mut manifest = open.manifest.clone();
        manifest.records.remove(id);
        manifest.generation = manifest.generation.saturating_add(1);
        let mut batch = Batch::default();
        batch.expect(Area::Meta, MANIFEST_ID, open.manifest_raw.clone());
        for area in record_areas() {
            batch.delete(area, id);
        }
        let manifest_raw = format::encode_manifest(&open.kek, &manifest)?;
        batch.put(Area::Meta, MANIFEST_ID, manifest_raw.clone());
        self.backend.commit(batch).await?;
        if let Some(open) = self.open.as_deref_mut() {
            open.manifest = manifest;
            open.manifest_raw = Some(manifest_raw);
            open.records.remove(id);
            open.issues.retain(|i| i.id != id);
        }
        Ok(())
    }

    /// Re-wraps every record under a key from `new`, in one batch with the new settings and
    /// manifest: if it is interrupted, nothing changed and `old` still opens everything. Refused
    /// while records are set aside (they could not be re-wrapped and would be lost).
    pub async fn change_passphrase(&mut self, old: &str, new: &str, now: u64) -> Result<(), KeyStoreError> {
        check_passphrase(new)?;
        check_passphrase(old).map_err(|_| KeyStoreError::WrongPassphrase)?;
        let contents = self.backend.load().await?;
        let settings = contents.get(Area::Meta, SETTINGS_ID).ok_or(KeyStoreError::Deleted)?;
        let (settings, salt) = Settings::decode(settings)?;
        let old_kek = self.kdf.derive(old, &salt, settings.kdf.iterations).await?;
        if !settings.verifies(&old_kek, &salt) {
            return Err(KeyStoreError::WrongPassphrase);
        }
        let (manifest, records, issues) = verify(&old_kek, &contents);
        if !issues.is_empty() {
            let ids: Vec<String> = issues.iter().map(|i| format!("`{}`", i.id)).collect();
            return Err(KeyStoreError::InvalidInput(format!(
                "records set aside ({}): delete them or restore a backup before changing the passphrase",
                ids.join(", ")
            )));
        }
        let mut new_salt = vec![0u8; SALT_LEN];
        super::seal::random(&mut new_salt)?;
        let kek = self.kdf.derive(new, &new_salt, ITERATIONS).await?;
        let new_settings = Settings::new(&kek, &new_salt, ITERATIONS, settings.auto_lock_minutes)?;
        let mut new_manifest =
            Manifest { generation: manifest.generation.saturating_add(1), records: BTreeMap::new() };
        let mut new_records = BTreeMap::new();
        let mut batch = Batch::default();
        batch.expect(Area::Meta, MANIFEST_ID, contents.get(Area::Meta, MANIFEST_ID).map(<[u8]>::to_vec));
        batch.put(Area::Meta, SETTINGS_ID, new_settings.encode()?);
        for (id, r) in records {
            let version = r.version.saturating_add(1);
            let header = RecordHeader { kind: r.kind.clone(), version };
            batch.put(Area::for_kind(&r.kind), &id, format::encode_record(&kek, &id, &header, &r.body)?);
            new_manifest.records.insert(id.clone(), Entry { kind: r.kind.clone(), version });
            new_records.insert(id.clone(), Record { version, ..r });
        }
        let manifest_raw = format::encode_manifest(&kek, &new_manifest)?;
        batch.put(Area::Meta, MANIFEST_ID, manifest_raw.clone());
        self.backend.commit(batch).await?;
        self.open = Some(Box::new(Open {
            kek,
            salt: new_salt,
            settings: new_settings,
            manifest: new_manifest,
            manifest_raw: Some(manifest_raw),
            records: new_records,
            issues: Vec::new(),
        }));
        self.last_activity = now;
        Ok(())
    }

    /// The records served, in id order (for backup).
    pub(crate) fn records(&self) -> Result<impl Iterator<Item = &Record>, KeyStoreError> {
        Ok(self.opened()?.records.values())
    }

    /// The key and KDF parameters (for backup).
    pub(crate) fn key_params(&self) -> Result<(&Kek, &[u8], u32), KeyStoreError> {
        let o = self.opened()?;
        Ok((&o.kek, &o.salt, o.settings.kdf.iterations))
    }

    /// The KDF (for import).
    pub(crate) fn kdf(&self) -> &K {
        &self.kdf
    }

    /// Replaces or adds `puts` and removes `deletes`, in one batch with the manifest.
    pub(crate) async fn write_many(
        &mut self,
        puts: Vec<Record>,
        deletes: Vec<String>,
    ) -> Result<(), KeyStoreError> {
        match self.write_many_once(puts.clone(), deletes.clone()).await {
            Err(KeyStoreError::Stale) => {
                self.refresh().await?;
                self.write_many_once(puts, deletes).await
            }
            r => r,
        }
    }

    async fn write_many_once(
        &mut self,
        puts: Vec<Record>,
        deletes: Vec<String>,
    ) -> Result<(), KeyStoreError> {
        let open = self.opened()?;
        let mut manifest = open.manifest.clone();
        manifest.generation = manifest.generation.saturating_add(1);
        let mut batch = Batch::default();
        batch.expect(Area::Meta, MANIFEST_ID, open.manifest_raw.clone());
        for id in &deletes {
            manifest.records.remove(id);
            for area in record_areas() {
                batch.delete(area, id);
            }
        }
        let mut written = Vec::with_capacity(puts.len());
        for r in puts {
            let version = manifest.records.get(&r.id).map_or(0, |e| e.version).saturating_add(1);
            let header = RecordHeader { kind: r.kind.clone(), version };
            for area in record_areas() {
                if area != Area::for_kind(&r.kind) {
                    batch.delete(area, &r.id);
                }
            }
            batch.put(
                Area::for_kind(&r.kind),
                &r.id,
                format::encode_record(&open.kek, &r.id, &header, &r.body)?,
            );
            manifest.records.insert(r.id.clone(), Entry { kind: r.kind.clone(), version });
            written.push(Record { version, ..r });
        }
        let manifest_raw = format::encode_manifest(&open.kek, &manifest)?;
        batch.put(Area::Meta, MANIFEST_ID, manifest_raw.clone());
        self.backend.commit(batch).await?;
        if let Some(open) = self.open.as_deref_mut() {
            open.manifest_raw = Some(manifest_raw);
            for id in &deletes {
                open.records.remove(id);
                open.issues.retain(|i| &i.id != id);
            }
            for r in written {
                open.issues.retain(|i| i.id != r.id);
                open.records.insert(r.id.clone(), r);
            }
            open.manifest = manifest;
        }
        Ok(())
    }

    /// A copy of a record's data that is wiped when dropped.
    pub fn data(&self, id: &str) -> Result<Zeroizing<Vec<u8>>, KeyStoreError> {
        Ok(Zeroizing::new(self.get(id)?.body.data.clone()))
    }
}
