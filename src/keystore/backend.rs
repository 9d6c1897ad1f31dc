//! Where the bytes live: the [`Backend`] seam, the all-or-nothing [`Batch`] written through it, and
//! [`MemoryBackend`] for tests and for runtimes without IndexedDB (Node).
//!
//! A backend stores opaque bytes under string ids in three areas (IndexedDB object stores); it
//! knows nothing of keys or formats. A batch is one transaction: every put and delete lands, or
//! none does.

use std::collections::BTreeMap;

use super::error::KeyStoreError;

/// The three areas (IndexedDB object stores) of a key store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    /// Settings and the manifest.
    Meta,
    /// Keyrings and other records.
    Keyrings,
    /// KMS world snapshots (records of kind `kms-world`).
    Worlds,
}

impl Area {
    /// Every area, in the order they are read.
    pub const ALL: [Area; 3] = [Area::Meta, Area::Keyrings, Area::Worlds];

    /// The object store's name.
    pub fn name(self) -> &'static str {
        match self {
            Area::Meta => "meta",
            Area::Keyrings => "keyrings",
            Area::Worlds => "worlds",
        }
    }

    /// The area a record of `kind` is filed in.
    pub fn for_kind(kind: &str) -> Area {
        if kind == KMS_WORLD_KIND {
            Area::Worlds
        } else {
            Area::Keyrings
        }
    }
}

/// The kind of a KMS world snapshot record.
pub const KMS_WORLD_KIND: &str = "kms-world";

/// Everything stored, read at once (a key store holds few, small records).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contents {
    /// `(area, id)` → stored bytes.
    pub items: BTreeMap<(Area, String), Vec<u8>>,
}

impl Contents {
    /// The bytes of `id` in `area`.
    pub fn get(&self, area: Area, id: &str) -> Option<&[u8]> {
        self.items.get(&(area, id.to_owned())).map(Vec::as_slice)
    }
}

/// One write of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Store `bytes` under `id`.
    Put(Area, String, Vec<u8>),
    /// Remove `id` (absent is fine).
    Delete(Area, String),
}

/// A batch's precondition: `id` in `area` holds exactly `bytes` (`None`: nothing) when the batch's
/// transaction starts, or nothing is written and the commit fails with
/// [`KeyStoreError::Stale`]. The store expects the manifest it last read or wrote, so a tab that
/// missed another tab's write cannot write over it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expect {
    /// The area.
    pub area: Area,
    /// The id.
    pub id: String,
    /// The bytes expected at rest.
    pub bytes: Option<Vec<u8>>,
}

/// Writes that land together or not at all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    /// In order.
    pub ops: Vec<Op>,
    /// Checked in the same transaction, before the writes.
    pub expect: Option<Expect>,
}

impl Batch {
    /// Makes the batch conditional on `id` in `area` holding `bytes` at rest.
    pub fn expect(&mut self, area: Area, id: &str, bytes: Option<Vec<u8>>) {
        self.expect = Some(Expect { area, id: id.to_owned(), bytes });
    }
    /// Adds a put.
    pub fn put(&mut self, area: Area, id: &str, bytes: Vec<u8>) {
        self.ops.push(Op::Put(area, id.to_owned(), bytes));
    }
    /// Adds a delete.
    pub fn delete(&mut self, area: Area, id: &str) {
        self.ops.push(Op::Delete(area, id.to_owned()));
    }
}

/// Storage for a key store: read everything, write a batch atomically.
#[allow(async_fn_in_trait, reason = "implemented and awaited on one thread (wasm, tests)")]
pub trait Backend {
    /// Everything stored.
    async fn load(&mut self) -> Result<Contents, KeyStoreError>;
    /// Applies `batch` in one transaction: all of it, or nothing and an error (`Stale` when its
    /// [`Expect`] does not hold).
    async fn commit(&mut self, batch: Batch) -> Result<(), KeyStoreError>;
}

/// An in-memory backend, with the faults a browser can produce on demand (tests use them).
#[derive(Debug, Clone, Default)]
pub struct MemoryBackend {
    /// What is stored.
    pub contents: Contents,
    /// A quota in bytes of stored values: a batch that would exceed it fails with
    /// [`KeyStoreError::QuotaExceeded`] and writes nothing.
    pub quota: Option<usize>,
    /// Fail the next commit after this many of its writes (an interrupted transaction: the
    /// browser rolls it back, so nothing is written).
    pub interrupt_after: Option<usize>,
    /// Commits that landed.
    pub commits: usize,
}

impl MemoryBackend {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Backend for MemoryBackend {
    async fn load(&mut self) -> Result<Contents, KeyStoreError> {
        Ok(self.contents.clone())
    }

    async fn commit(&mut self, batch: Batch) -> Result<(), KeyStoreError> {
        if let Some(e) = &batch.expect {
            if self.contents.get(e.area, &e.id) != e.bytes.as_deref() {
                return Err(KeyStoreError::Stale);
            }
        }
        let mut next = self.contents.clone();
        for (i, op) in batch.ops.into_iter().enumerate() {
            if self.interrupt_after == Some(i) {
                self.interrupt_after = None;
                return Err(KeyStoreError::Storage("the transaction was interrupted".into()));
            }
            match op {
                Op::Put(area, id, bytes) => {
                    next.items.insert((area, id), bytes);
                }
                Op::Delete(area, id) => {
                    next.items.remove(&(area, id));
                }
            }
        }
        if let Some(q) = self.quota {
            if next.items.values().map(Vec::len).sum::<usize>() > q {
                return Err(KeyStoreError::QuotaExceeded);
            }
        }
        self.contents = next;
        self.commits += 1;
        Ok(())
    }
}
