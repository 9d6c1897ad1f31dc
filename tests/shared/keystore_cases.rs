//! The key store's cases, written once over any backend: natively against the in-memory backend
//! (`tests/keystore.rs`) and in headless Chromium and Firefox against IndexedDB with WebCrypto's
//! PBKDF2 (`tests/keystore_web.rs`). Each case names what broke.

use secplay::keystore::backend::{Area, Backend, Batch};
use secplay::keystore::store::{MANIFEST_ID, SETTINGS_ID};
use secplay::keystore::{ImportMode, IssueKind, Kdf, KeyStore, KeyStoreError};

/// What a backend under test can do beyond the trait.
#[allow(async_fn_in_trait)]
pub trait Harness {
    type B: Backend;
    type K: Kdf;
    /// A new, empty store called `name`.
    async fn fresh(&self, name: &str) -> Self::B;
    /// The same storage opened again (a reload), the old handle given up.
    async fn reopen(&self, name: &str, old: Self::B) -> Self::B;
    /// A second handle on the same storage, both open (a second tab); `None` if the backend
    /// cannot share (in memory).
    async fn second(&self, name: &str) -> Option<Self::B>;
    /// The KDF.
    fn kdf(&self) -> Self::K;
    /// The next commit fails after `n` writes, rolled back.
    fn interrupt_after(&self, b: &mut Self::B, n: usize);
    /// The next commit fails as over quota (nothing written).
    fn over_quota(&self, b: &mut Self::B);
}

/// Every case, for the runners: `for_each_case!(m)` is `m!(case, …)`, so a case added here runs
/// natively and in both browsers.
macro_rules! for_each_case {
    ($m:ident) => {
        $m!(
            reopen_unlock_same_records,
            nothing_secret_at_rest,
            wrong_passphrase_changes_nothing,
            flipped_byte_reported_alone,
            swapped_records_detected,
            renamed_record_detected,
            deleted_record_detected,
            rolled_back_and_replayed_records_detected,
            damaged_manifest_reported,
            interrupted_passphrase_change_keeps_old,
            quota_exceeded_writes_nothing,
            backup_round_trip_merge_and_replace,
            lock_and_auto_lock,
            second_handle_sees_changes,
            stale_tab_writes_on_top,
            newer_versions_refused,
            invalid_input_refused,
        );
    };
}

const PASS: &str = "correct horse battery staple";
const AES_KEY: [u8; 32] = [
    0x5a, 0x11, 0xc3, 0x9e, 0x04, 0x77, 0xb2, 0x38, 0xee, 0x61, 0x0d, 0x92, 0x4f, 0xa8, 0x23, 0xd5, 0x86,
    0x1b, 0x7c, 0xf0, 0x39, 0x4a, 0xbd, 0x02, 0xe7, 0x55, 0x68, 0x9f, 0xc1, 0x2e, 0x73, 0xb4,
];

async fn unlocked<H: Harness>(h: &H, name: &str) -> KeyStore<H::B, H::K> {
    let mut s = KeyStore::new(h.fresh(name).await, h.kdf());
    assert!(!s.is_initialized().await.unwrap(), "a fresh store has no passphrase yet");
    assert_eq!(s.unlock(PASS, 1_000).await.unwrap(), vec![], "creating a store reports nothing set aside");
    s
}

async fn reopened<H: Harness>(h: &H, name: &str, s: KeyStore<H::B, H::K>) -> KeyStore<H::B, H::K> {
    KeyStore::new(h.reopen(name, s.into_backend()).await, h.kdf())
}

async fn two_records<H: Harness>(h: &H, name: &str) -> KeyStore<H::B, H::K> {
    let mut s = unlocked(h, name).await;
    s.put("esdk/aes", "raw-aes-keyring", "my AES keyring", &AES_KEY, 2_000).await.unwrap();
    s.put("kms/world", "kms-world", "default world", b"SPKMSNAP world bytes", 3_000).await.unwrap();
    s
}

fn b64(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// open → store → reopen → unlock → the same records; locked, only ids and kinds show.
pub async fn reopen_unlock_same_records<H: Harness>(h: &H) {
    let s = two_records(h, "ks-reopen").await;
    let mut s = reopened(h, "ks-reopen", s).await;
    assert!(!s.is_unlocked());
    let locked = s.list().await.unwrap();
    assert_eq!(locked.len(), 2);
    assert!(locked.iter().all(|l| l.detail.is_none()), "names must not show while locked");
    assert_eq!(s.get("esdk/aes").unwrap_err(), KeyStoreError::Locked);
    assert_eq!(s.unlock(PASS, 5_000).await.unwrap(), vec![]);
    let r = s.get("esdk/aes").unwrap();
    assert_eq!(
        (r.kind.as_str(), r.body.name.as_str(), r.body.data.as_slice()),
        ("raw-aes-keyring", "my AES keyring", &AES_KEY[..])
    );
    assert_eq!((r.body.created_at, r.body.updated_at), (2_000, 2_000));
    assert_eq!(s.get("kms/world").unwrap().body.data, b"SPKMSNAP world bytes");
    let listed: Vec<_> =
        s.list().await.unwrap().into_iter().map(|l| (l.id, l.kind, l.detail.map(|d| d.0))).collect();
    assert_eq!(
        listed,
        vec![
            ("esdk/aes".into(), "raw-aes-keyring".into(), Some("my AES keyring".into())),
            ("kms/world".into(), "kms-world".into(), Some("default world".into())),
        ]
    );
}

/// Nothing at rest holds the key bytes, their base64 or hex, the passphrase, or a record's name.
pub async fn nothing_secret_at_rest<H: Harness>(h: &H) {
    let mut s = two_records(h, "ks-at-rest").await;
    let hex: String = AES_KEY.iter().map(|b| format!("{b:02x}")).collect();
    let needles: Vec<(&str, Vec<u8>)> = vec![
        ("key bytes", AES_KEY.to_vec()),
        ("key base64", b64(&AES_KEY).into_bytes()),
        ("key hex", hex.clone().into_bytes()),
        ("key HEX", hex.to_uppercase().into_bytes()),
        ("passphrase", PASS.as_bytes().to_vec()),
        ("record name", b"my AES keyring".to_vec()),
    ];
    let contents = s.backend_mut().load().await.unwrap();
    assert_eq!(contents.items.len(), 4, "settings, manifest and two records");
    for ((area, id), bytes) in &contents.items {
        for (what, n) in &needles {
            assert!(!contains(bytes, n), "{what} found at rest in {}/{id}", area.name());
        }
    }
    assert!(contents.get(Area::Worlds, "kms/world").is_some(), "a KMS world is filed in the worlds store");
    assert!(contents.get(Area::Keyrings, "esdk/aes").is_some(), "a keyring is filed in the keyrings store");
}

/// A wrong passphrase is its own error and changes nothing.
pub async fn wrong_passphrase_changes_nothing<H: Harness>(h: &H) {
    let s = two_records(h, "ks-wrong").await;
    let mut s = reopened(h, "ks-wrong", s).await;
    let before = s.backend_mut().load().await.unwrap();
    assert_eq!(
        s.unlock("correct horse battery stapler", 0).await.unwrap_err(),
        KeyStoreError::WrongPassphrase
    );
    assert!(!s.is_unlocked());
    assert_eq!(s.backend_mut().load().await.unwrap(), before, "a wrong passphrase wrote something");
    assert_eq!(s.unlock(PASS, 0).await.unwrap(), vec![]);
}

async fn tampered<H: Harness>(
    h: &H,
    name: &str,
    change: impl FnOnce(&mut Batch, &secplay::keystore::Contents),
) -> Vec<(String, IssueKind)> {
    let mut s = two_records(h, name).await;
    s.put("esdk/other", "raw-aes-keyring", "other", &[9; 32], 4_000).await.unwrap();
    let contents = s.backend_mut().load().await.unwrap();
    let mut batch = Batch::default();
    change(&mut batch, &contents);
    s.backend_mut().commit(batch).await.unwrap();
    let mut s = reopened(h, name, s).await;
    let issues = s.unlock(PASS, 0).await.unwrap();
    let got: Vec<(String, IssueKind)> = issues.iter().map(|i| (i.id.clone(), i.kind)).collect();
    // The rest stay usable.
    for id in ["esdk/aes", "kms/world", "esdk/other"] {
        if !got.iter().any(|(g, _)| g == id) {
            assert!(
                s.get(id).is_ok(),
                "untouched record {id} is not usable after tampering elsewhere: {got:?}"
            );
        }
    }
    for (id, _) in &got {
        if id != MANIFEST_ID {
            assert_eq!(s.get(id).unwrap_err().code(), "RecordCorrupted", "set-aside record {id} was served");
        }
    }
    got
}

/// One flipped byte: that record alone is reported, by id.
pub async fn flipped_byte_reported_alone<H: Harness>(h: &H) {
    let got = tampered(h, "ks-flip", |b, c| {
        let mut bytes = c.get(Area::Keyrings, "esdk/aes").unwrap().to_vec();
        let last = bytes.len() - 20;
        bytes[last] ^= 1;
        b.put(Area::Keyrings, "esdk/aes", bytes);
    })
    .await;
    assert_eq!(got, vec![("esdk/aes".to_owned(), IssueKind::Corrupted)]);
}

/// Two records' bytes swapped: both reported as corrupted.
pub async fn swapped_records_detected<H: Harness>(h: &H) {
    let got = tampered(h, "ks-swap", |b, c| {
        let a = c.get(Area::Keyrings, "esdk/aes").unwrap().to_vec();
        let o = c.get(Area::Keyrings, "esdk/other").unwrap().to_vec();
        b.put(Area::Keyrings, "esdk/aes", o);
        b.put(Area::Keyrings, "esdk/other", a);
    })
    .await;
    assert_eq!(
        got,
        vec![("esdk/aes".to_owned(), IssueKind::Corrupted), ("esdk/other".to_owned(), IssueKind::Corrupted)]
    );
}

/// A record renamed (moved to another id): the new id is corrupted, the old one missing.
pub async fn renamed_record_detected<H: Harness>(h: &H) {
    let got = tampered(h, "ks-rename", |b, c| {
        let a = c.get(Area::Keyrings, "esdk/aes").unwrap().to_vec();
        b.delete(Area::Keyrings, "esdk/aes");
        b.put(Area::Keyrings, "esdk/renamed", a);
    })
    .await;
    assert_eq!(
        got,
        vec![("esdk/renamed".to_owned(), IssueKind::Corrupted), ("esdk/aes".to_owned(), IssueKind::Missing)]
    );
}

/// A record deleted behind the store's back is named missing.
pub async fn deleted_record_detected<H: Harness>(h: &H) {
    let got = tampered(h, "ks-delete", |b, _| b.delete(Area::Worlds, "kms/world")).await;
    assert_eq!(got, vec![("kms/world".to_owned(), IssueKind::Missing)]);
}

/// An older copy of a record put back (rolled back) is named, and a deleted record put back is
/// unknown.
pub async fn rolled_back_and_replayed_records_detected<H: Harness>(h: &H) {
    let mut s = two_records(h, "ks-rollback").await;
    let old = s.backend_mut().load().await.unwrap();
    s.put("esdk/aes", "raw-aes-keyring", "my AES keyring", &[1; 32], 5_000).await.unwrap();
    s.put("esdk/gone", "raw-aes-keyring", "gone", &[2; 32], 5_000).await.unwrap();
    let gone = s.backend_mut().load().await.unwrap().get(Area::Keyrings, "esdk/gone").unwrap().to_vec();
    s.delete("esdk/gone").await.unwrap();
    let mut batch = Batch::default();
    batch.put(Area::Keyrings, "esdk/aes", old.get(Area::Keyrings, "esdk/aes").unwrap().to_vec());
    batch.put(Area::Keyrings, "esdk/gone", gone);
    s.backend_mut().commit(batch).await.unwrap();
    let mut s = reopened(h, "ks-rollback", s).await;
    let got: Vec<_> = s.unlock(PASS, 0).await.unwrap().into_iter().map(|i| (i.id, i.kind)).collect();
    assert_eq!(
        got,
        vec![("esdk/aes".to_owned(), IssueKind::RolledBack), ("esdk/gone".to_owned(), IssueKind::Unknown)]
    );
    assert!(s.get("kms/world").is_ok());
    // Deleting a set-aside record clears it; writing a record again clears it too.
    s.delete("esdk/gone").await.unwrap();
    s.put("esdk/aes", "raw-aes-keyring", "restored", &AES_KEY, 6_000).await.unwrap();
    let mut s = reopened(h, "ks-rollback", s).await;
    assert_eq!(s.unlock(PASS, 0).await.unwrap(), vec![]);
    assert_eq!(s.get("esdk/aes").unwrap().body.name, "restored");
}

/// A damaged manifest is reported; records that authenticate stay usable.
pub async fn damaged_manifest_reported<H: Harness>(h: &H) {
    let got = tampered(h, "ks-manifest", |b, c| {
        let mut m = c.get(Area::Meta, MANIFEST_ID).unwrap().to_vec();
        let last = m.len() - 1;
        m[last] ^= 0x80;
        b.put(Area::Meta, MANIFEST_ID, m);
    })
    .await;
    assert_eq!(got, vec![(MANIFEST_ID.to_owned(), IssueKind::ManifestDamaged)]);
}

/// Change passphrase: interrupted, the old one opens everything; completed, only the new one does.
pub async fn interrupted_passphrase_change_keeps_old<H: Harness>(h: &H) {
    let mut s = two_records(h, "ks-change").await;
    let before = s.backend_mut().load().await.unwrap();
    h.interrupt_after(s.backend_mut(), 2);
    let err = s.change_passphrase(PASS, "a new passphrase", 7_000).await.unwrap_err();
    assert_eq!(err.code(), "StorageFailed", "an interrupted change: {err}");
    assert_eq!(s.backend_mut().load().await.unwrap(), before, "an interrupted change wrote something");
    let mut s = reopened(h, "ks-change", s).await;
    assert_eq!(s.unlock("a new passphrase", 0).await.unwrap_err(), KeyStoreError::WrongPassphrase);
    assert_eq!(s.unlock(PASS, 0).await.unwrap(), vec![]);
    assert_eq!(s.change_passphrase("not it", "x", 0).await.unwrap_err(), KeyStoreError::WrongPassphrase);
    s.change_passphrase(PASS, "a new passphrase", 7_000).await.unwrap();
    assert_eq!(s.get("esdk/aes").unwrap().body.data, AES_KEY);
    let mut s = reopened(h, "ks-change", s).await;
    assert_eq!(s.unlock(PASS, 0).await.unwrap_err(), KeyStoreError::WrongPassphrase);
    assert_eq!(s.unlock("a new passphrase", 0).await.unwrap(), vec![]);
    assert_eq!(s.get("esdk/aes").unwrap().body.data, AES_KEY);
    assert_eq!(s.get("kms/world").unwrap().body.data, b"SPKMSNAP world bytes");
}

/// Quota exceeded is its own error and nothing is half-written.
pub async fn quota_exceeded_writes_nothing<H: Harness>(h: &H) {
    let mut s = two_records(h, "ks-quota").await;
    let before = s.backend_mut().load().await.unwrap();
    h.over_quota(s.backend_mut());
    let err = s.put("big", "raw-aes-keyring", "big", &vec![7u8; 200_000], 8_000).await.unwrap_err();
    assert_eq!(err, KeyStoreError::QuotaExceeded);
    assert_eq!(s.backend_mut().load().await.unwrap(), before, "a refused write left bytes behind");
    assert_eq!(s.get("big").unwrap_err().code(), "NotFound");
    s.put("small", "raw-aes-keyring", "small", &[1; 32], 8_000).await.unwrap();
    let mut s = reopened(h, "ks-quota", s).await;
    assert_eq!(s.unlock(PASS, 0).await.unwrap(), vec![], "the store after a refused write");
}

/// Backup → a new store (another profile) → replace, and merge with a conflict.
pub async fn backup_round_trip_merge_and_replace<H: Harness>(h: &H) {
    let s = two_records(h, "ks-backup-a").await;
    let backup = s.export_backup().unwrap();
    assert!(!contains(&backup, &AES_KEY), "the backup holds the key in the clear");
    assert!(!contains(&backup, b"my AES keyring"), "the backup holds a name in the clear");
    let mut other = KeyStore::new(h.fresh("ks-backup-b").await, h.kdf());
    other.unlock("another profile's passphrase", 0).await.unwrap();
    let err = other.import_backup(&backup, "wrong", ImportMode::Merge).await.unwrap_err();
    assert_eq!(err.code(), "BadBackup");
    other.put("esdk/aes", "raw-aes-keyring", "a different key", &[3; 32], 0).await.unwrap();
    other.put("mine", "raw-aes-keyring", "mine", &[4; 32], 0).await.unwrap();
    let report = other.import_backup(&backup, PASS, ImportMode::Merge).await.unwrap();
    assert_eq!(report.added, vec!["kms/world".to_owned()]);
    assert_eq!(report.conflicts, vec!["esdk/aes".to_owned()]);
    assert_eq!(other.get("esdk/aes").unwrap().body.data, [3; 32], "merge replaced a conflicting record");
    let again = other.import_backup(&backup, PASS, ImportMode::Merge).await.unwrap();
    assert_eq!(again.unchanged, vec!["kms/world".to_owned()]);
    let report = other.import_backup(&backup, PASS, ImportMode::Replace).await.unwrap();
    assert_eq!(report.removed, vec!["mine".to_owned()]);
    let mut other = reopened(h, "ks-backup-b", other).await;
    assert_eq!(other.unlock("another profile's passphrase", 0).await.unwrap(), vec![]);
    assert_eq!(other.get("esdk/aes").unwrap().body.data, AES_KEY);
    assert_eq!(other.get("esdk/aes").unwrap().body.created_at, 2_000, "the backup kept the creation time");
    assert_eq!(other.list().await.unwrap().len(), 2);
    // A flipped byte anywhere in the backup is refused.
    for i in [0, 12, 40, 60, backup.len() - 1] {
        let mut b = backup.clone();
        b[i] ^= 1;
        assert!(
            other.import_backup(&b, PASS, ImportMode::Merge).await.is_err(),
            "a backup flipped at byte {i} was accepted"
        );
    }
}

/// Lock drops the key; auto-lock after the chosen idle time; settings persist.
pub async fn lock_and_auto_lock<H: Harness>(h: &H) {
    let mut s = two_records(h, "ks-lock").await;
    assert_eq!(s.auto_lock_minutes().unwrap(), 15);
    s.set_auto_lock_minutes(5).await.unwrap();
    s.touch(10_000);
    assert!(!s.lock_if_idle(10_000 + 4 * 60_000), "locked before its idle time");
    assert!(s.lock_if_idle(10_000 + 5 * 60_000), "not locked after its idle time");
    assert_eq!(s.get("esdk/aes").unwrap_err(), KeyStoreError::Locked);
    assert_eq!(s.put("x", "k", "x", b"x", 0).await.unwrap_err(), KeyStoreError::Locked);
    assert_eq!(s.export_backup().unwrap_err(), KeyStoreError::Locked);
    s.unlock(PASS, 0).await.unwrap();
    assert_eq!(s.auto_lock_minutes().unwrap(), 5, "the auto-lock time did not persist");
    s.lock();
    assert!(!s.is_unlocked());
}

/// Two handles on one store (two tabs): a change in one shows in the other after refresh.
pub async fn second_handle_sees_changes<H: Harness>(h: &H) {
    let mut a = two_records(h, "ks-tabs").await;
    if let Some(second) = h.second("ks-tabs").await {
        let mut b = KeyStore::new(second, h.kdf());
        assert!(b.is_initialized().await.unwrap(), "the second tab does not see the store");
        b.unlock(PASS, 0).await.unwrap();
        a.put("esdk/new", "raw-aes-keyring", "new", &[5; 32], 0).await.unwrap();
        assert_eq!(b.refresh().await.unwrap(), vec![]);
        assert_eq!(b.get("esdk/new").unwrap().body.data, [5; 32]);
        a.change_passphrase(PASS, "changed in tab a", 0).await.unwrap();
        assert_eq!(b.refresh().await.unwrap_err(), KeyStoreError::Locked, "the other tab kept a stale key");
    }
}

/// Two tabs that have not heard of each other's writes: a write made on a stale view is refused
/// in its transaction (the manifest it expected changed), re-read and made on top, so no record is
/// lost or set aside; a tab whose key a passphrase change made stale writes nothing.
pub async fn stale_tab_writes_on_top<H: Harness>(h: &H) {
    let mut a = two_records(h, "ks-stale").await;
    let Some(second) = h.second("ks-stale").await else { return };
    let mut b = KeyStore::new(second, h.kdf());
    b.unlock(PASS, 0).await.unwrap();
    a.put("a/new", "raw-aes-keyring", "from a", &[1; 32], 10).await.unwrap();
    // b never re-read: its write lands on top of a's, not over it.
    b.put("b/new", "raw-aes-keyring", "from b", &[2; 32], 20).await.unwrap();
    assert_eq!(b.get("a/new").unwrap().body.data, [1; 32], "the retried write did not re-read");
    a.set_auto_lock_minutes(3).await.unwrap();
    a.delete("esdk/aes").await.unwrap();
    b.put("kms/world", "kms-world", "b's world", b"b world", 30).await.unwrap();
    for s in [&mut a, &mut b] {
        s.lock();
        assert_eq!(s.unlock(PASS, 40).await.unwrap(), vec![], "a record was set aside after stale writes");
        let ids: Vec<String> = s.list().await.unwrap().into_iter().map(|l| l.id).collect();
        assert_eq!(ids, ["a/new", "b/new", "kms/world"]);
        assert_eq!(s.get("kms/world").unwrap().body.data, b"b world");
        assert_eq!(s.auto_lock_minutes().unwrap(), 3);
    }
    a.change_passphrase(PASS, "changed in tab a", 50).await.unwrap();
    assert_eq!(
        b.put("b/late", "raw-aes-keyring", "late", &[3; 32], 60).await.unwrap_err(),
        KeyStoreError::Locked,
        "a tab with the old key wrote after a passphrase change"
    );
    assert!(!b.is_unlocked());
    assert_eq!(b.set_auto_lock_minutes(9).await.unwrap_err(), KeyStoreError::Locked);
    assert_eq!(a.refresh().await.unwrap(), vec![]);
    assert_eq!(a.get("b/late").unwrap_err().code(), "NotFound");
    assert_eq!(a.auto_lock_minutes().unwrap(), 3);
}

/// Settings or a record from a newer secplay are refused as too new, never misread.
pub async fn newer_versions_refused<H: Harness>(h: &H) {
    let mut s = two_records(h, "ks-newer").await;
    let contents = s.backend_mut().load().await.unwrap();
    let mut rec = contents.get(Area::Keyrings, "esdk/aes").unwrap().to_vec();
    rec[4] = 2;
    let mut batch = Batch::default();
    batch.put(Area::Keyrings, "esdk/aes", rec);
    s.backend_mut().commit(batch).await.unwrap();
    let mut s = reopened(h, "ks-newer", s).await;
    let issues = s.unlock(PASS, 0).await.unwrap();
    assert_eq!(issues.len(), 1);
    assert!(issues[0].detail.contains("newer than this secplay reads"), "{}", issues[0].detail);
    let settings = String::from_utf8(contents.get(Area::Meta, SETTINGS_ID).unwrap().to_vec()).unwrap();
    let mut batch = Batch::default();
    batch.put(Area::Meta, SETTINGS_ID, settings.replace("\"format\":1", "\"format\":2").into_bytes());
    s.backend_mut().commit(batch).await.unwrap();
    let mut s = reopened(h, "ks-newer", s).await;
    assert_eq!(s.unlock(PASS, 0).await.unwrap_err().code(), "VersionTooNew");
}

/// Invalid ids, kinds and passphrases are refused with `InvalidInput` / `BadPassphrase`.
pub async fn invalid_input_refused<H: Harness>(h: &H) {
    let mut s = unlocked(h, "ks-invalid").await;
    for (id, kind) in [("", "k"), ("a\nb", "k"), ("ok", ""), ("ok", "Upper"), ("ok", &"k".repeat(65))] {
        assert_eq!(
            s.put(id, kind, "n", b"d", 0).await.unwrap_err().code(),
            "InvalidInput",
            "id {id:?} kind {kind:?}"
        );
    }
    assert_eq!(s.put(&"i".repeat(257), "k", "n", b"d", 0).await.unwrap_err().code(), "InvalidInput");
    s.lock();
    assert_eq!(s.unlock("", 0).await.unwrap_err().code(), "BadPassphrase");
    assert_eq!(s.delete("nothing").await.unwrap_err(), KeyStoreError::Locked);
    s.unlock(PASS, 0).await.unwrap();
    assert_eq!(s.delete("nothing").await.unwrap_err().code(), "NotFound");
}
