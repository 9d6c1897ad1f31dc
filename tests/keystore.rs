//! The key store natively: the shared cases (`tests/shared/keystore_cases.rs`) against the
//! in-memory backend and PBKDF2 in Rust, plus the format-level checks only Rust reaches (schema
//! steps, the backup parser's bounds, KDF parameters).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "shared/keystore_cases.rs"]
#[macro_use]
mod cases;

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::task::{Context, Poll, Waker};

use secplay::keystore::backend::Area;
use secplay::keystore::schema::{self, Step, SCHEMA_VERSION};
use secplay::keystore::{backup, format, Kdf, Kek, KeyStoreError, MemoryBackend, Pbkdf2};

/// The in-memory backend's futures are ready at once: poll once more until they are.
fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// PBKDF2 in Rust at the real iteration count, computed once per passphrase and salt.
/// A passphrase, salt and iteration count.
type KdfInput = (String, Vec<u8>, u32);

#[derive(Default)]
struct CachedPbkdf2(RefCell<HashMap<KdfInput, Kek>>);

impl Kdf for &CachedPbkdf2 {
    async fn derive(&self, p: &str, salt: &[u8], n: u32) -> Result<Kek, KeyStoreError> {
        let key = (p.to_owned(), salt.to_vec(), n);
        if let Some(k) = self.0.borrow().get(&key) {
            return Ok(k.clone());
        }
        let k = Pbkdf2::derive_sync(p.as_bytes(), salt, n)?;
        self.0.borrow_mut().insert(key, k.clone());
        Ok(k)
    }
}

#[derive(Default)]
struct Memory(CachedPbkdf2);

impl<'a> cases::Harness for &'a Memory {
    type B = MemoryBackend;
    type K = &'a CachedPbkdf2;
    async fn fresh(&self, _name: &str) -> MemoryBackend {
        MemoryBackend::new()
    }
    async fn reopen(&self, _name: &str, old: MemoryBackend) -> MemoryBackend {
        old
    }
    async fn second(&self, _name: &str) -> Option<MemoryBackend> {
        None
    }
    fn kdf(&self) -> &'a CachedPbkdf2 {
        &self.0
    }
    fn interrupt_after(&self, b: &mut MemoryBackend, n: usize) {
        b.interrupt_after = Some(n);
    }
    fn over_quota(&self, b: &mut MemoryBackend) {
        b.quota = Some(b.contents.items.values().map(Vec::len).sum::<usize>() + 100_000);
    }
}

macro_rules! shared {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            let m = Memory::default();
            block_on(cases::$name(&&m));
        }
    )*};
}

for_each_case!(shared);

/// One in-memory store seen through several handles (tabs), for the cases with two at once.
#[derive(Clone, Default)]
struct SharedMemoryBackend(std::rc::Rc<RefCell<MemoryBackend>>);

impl secplay::keystore::Backend for SharedMemoryBackend {
    async fn load(&mut self) -> Result<secplay::keystore::Contents, KeyStoreError> {
        let contents = self.0.borrow().contents.clone();
        Ok(contents)
    }
    async fn commit(&mut self, batch: secplay::keystore::Batch) -> Result<(), KeyStoreError> {
        let mut b = self.0.borrow().clone();
        let r = b.commit(batch).await;
        *self.0.borrow_mut() = b;
        r
    }
}

#[derive(Default)]
struct SharedMemory(CachedPbkdf2, RefCell<HashMap<String, SharedMemoryBackend>>);

impl<'a> cases::Harness for &'a SharedMemory {
    type B = SharedMemoryBackend;
    type K = &'a CachedPbkdf2;
    async fn fresh(&self, name: &str) -> SharedMemoryBackend {
        let b = SharedMemoryBackend::default();
        self.1.borrow_mut().insert(name.to_owned(), b.clone());
        b
    }
    async fn reopen(&self, _name: &str, old: SharedMemoryBackend) -> SharedMemoryBackend {
        old
    }
    async fn second(&self, name: &str) -> Option<SharedMemoryBackend> {
        self.1.borrow().get(name).cloned()
    }
    fn kdf(&self) -> &'a CachedPbkdf2 {
        &self.0
    }
    fn interrupt_after(&self, b: &mut SharedMemoryBackend, n: usize) {
        b.0.borrow_mut().interrupt_after = Some(n);
    }
    fn over_quota(&self, b: &mut SharedMemoryBackend) {
        let mut m = b.0.borrow_mut();
        m.quota = Some(m.contents.items.values().map(Vec::len).sum::<usize>() + 100_000);
    }
}

/// The cases with two handles, natively: both on one shared in-memory store.
#[test]
fn two_handles_on_one_store_in_memory() {
    let m = SharedMemory::default();
    block_on(cases::second_handle_sees_changes(&&m));
    block_on(cases::stale_tab_writes_on_top(&&m));
}

#[test]
fn schema_steps_from_every_earlier_version() {
    for from in 0..SCHEMA_VERSION {
        let steps = schema::steps(from).unwrap();
        let mut stores = schema::stores_at(from);
        for s in &steps {
            let Step::CreateStore(a) = s;
            assert!(!stores.contains(a), "upgrade from {from} creates `{}` twice", a.name());
            stores.push(*a);
        }
        stores.sort();
        assert_eq!(stores, Area::ALL.to_vec(), "upgrade from {from} does not end with every store");
    }
    assert_eq!(schema::steps(SCHEMA_VERSION).unwrap(), vec![]);
    assert_eq!(schema::steps(SCHEMA_VERSION + 1).unwrap_err().code(), "VersionTooNew");
}

#[test]
fn new_stores_use_owasp_pbkdf2_iterations() {
    const { assert!(format::ITERATIONS >= 600_000) };
    let m = Memory::default();
    let mut s = secplay::keystore::KeyStore::new(MemoryBackend::new(), &m.0);
    block_on(s.unlock("p", 0)).unwrap();
    let settings = s.backend_mut().contents.get(Area::Meta, "settings").unwrap().to_vec();
    let (settings, salt) = format::Settings::decode(&settings).unwrap();
    assert_eq!(
        (settings.kdf.algorithm.as_str(), settings.kdf.iterations, salt.len()),
        ("PBKDF2-SHA-256", 600_000, 16)
    );
    // A store that declares fewer iterations is refused, not opened more cheaply.
    let weak = String::from_utf8(s.backend_mut().contents.get(Area::Meta, "settings").unwrap().to_vec())
        .unwrap()
        .replace("600000", "1000");
    assert_eq!(format::Settings::decode(weak.as_bytes()).unwrap_err().code(), "StoreCorrupted");
}

/// `fail_*` inputs of the backup parser: each refused with `BadBackup` or `VersionTooNew`.
#[test]
fn backup_parser_refuses_malformed_input() {
    let mut header = b"SPKSBKUP".to_vec();
    header.extend_from_slice(&1u16.to_be_bytes());
    header.extend_from_slice(&600_000u32.to_be_bytes());
    header.extend_from_slice(&[0; 44]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("fail_empty", vec![], "BadBackup"),
        ("fail_magic", b"SPKSBKUX".iter().copied().chain([0; 60]).collect(), "BadBackup"),
        (
            "fail_version_2",
            {
                let mut h = header.clone();
                h[9] = 2;
                h
            },
            "VersionTooNew",
        ),
        (
            "fail_weak_kdf",
            {
                let mut h = header.clone();
                h[10..14].copy_from_slice(&1000u32.to_be_bytes());
                h
            },
            "BadBackup",
        ),
        ("fail_no_tag", header.clone(), "BadBackup"),
    ];
    let kek = Kek::from_bytes([0; 32]);
    for (id, bytes, code) in cases {
        assert_eq!(backup::open(&bytes, &kek).unwrap_err().code(), code, "{id}");
    }
    let payloads: Vec<(&str, Vec<u8>)> = vec![
        ("fail_count_too_large", u32::MAX.to_be_bytes().to_vec()),
        ("fail_truncated_record", [&1u32.to_be_bytes()[..], &[0, 5, b'a']].concat()),
        ("fail_trailing_bytes", [&0u32.to_be_bytes()[..], &[1]].concat()),
        (
            "fail_data_length_lies",
            [&1u32.to_be_bytes()[..], &[0, 1, b'a', 1, b'k'], &[0; 16], &[0, 0], &u32::MAX.to_be_bytes()]
                .concat(),
        ),
    ];
    for (id, p) in payloads {
        assert_eq!(backup::parse_payload(&p).unwrap_err().code(), "BadBackup", "{id}");
    }
}

/// `fail_*` inputs of the record reader: each names the record.
#[test]
fn record_reader_refuses_malformed_input() {
    let kek = Kek::from_bytes([1; 32]);
    for (id, bytes) in [
        ("fail_empty", vec![]),
        ("fail_magic", b"SPKX\x01\x01k\0\0\0\x01".to_vec()),
        ("fail_kind_overrun", b"SPKR\x01\xffk".to_vec()),
        ("fail_no_body", b"SPKR\x01\x01k\0\0\0\x01".iter().copied().chain([0; 12]).collect()),
    ] {
        let e = format::decode_record(&kek, id, &bytes).unwrap_err();
        assert_eq!(e.code(), "RecordCorrupted", "{id}");
        assert!(e.to_string().contains(&format!("`{id}`")), "{id}: {e}");
    }
}
