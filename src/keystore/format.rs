//! The bytes at rest: a record, the manifest and the settings, each with its own version.
//!
//! **Record** (one per id, in the `keyrings` or `worlds` object store under its id), version 1:
//!
//! | offset | size | content |
//! |---|---|---|
//! | 0 | 4 | magic `SPKR` |
//! | 4 | 1 | record format version (`1`) |
//! | 5 | 1 | kind length `K`, 1 to [`MAX_KIND`] |
//! | 6 | K | kind, ASCII `[a-z0-9._-]` (readable while locked) |
//! | 6+K | 4 | record version, unsigned big-endian: 1 on creation, +1 on every write |
//! | 10+K | 12 | AES-GCM nonce |
//! | 22+K | n+16 | AES-256-GCM ciphertext and tag of the body |
//!
//! Associated data: `secplay-keystore/record/v1`, the id's length (2 bytes big-endian), the id,
//! then bytes `0 .. 22+K`. A record moved to another id, given another kind or version, or an
//! older copy put back, does not authenticate — or authenticates under a version the manifest
//! does not list. The body: `createdAt` and `updatedAt` (8 bytes each, big-endian milliseconds
//! since 1970), the name's length (2 bytes) and the name (UTF-8), then the data (the rest).
//!
//! **Manifest** (`meta` store, id `manifest`), version 1: magic `SPKM`, version byte (`1`), the
//! store generation (8 bytes big-endian, +1 on every change), a 12-byte nonce, then AES-256-GCM of
//! JSON `{"records": {id: {"kind": …, "version": n}}}` with associated data
//! `secplay-keystore/manifest/v1` followed by bytes `0 .. 25`. It is the list every record is
//! checked against: a record deleted, added, replayed at an older version or set back is named.
//!
//! **Settings** (`meta` store, id `settings`): UTF-8 JSON, not secret:
//! `{"format": 1, "kdf": {"algorithm": "PBKDF2-SHA-256", "iterations": 600000, "salt": base64},
//! "check": base64, "autoLockMinutes": 15}`. `check` is the passphrase check value: nonce,
//! AES-256-GCM of `secplay-keystore check` and tag, with associated data
//! `secplay-keystore/check/v1`, the salt and the iterations (4 bytes big-endian); it tells a wrong
//! passphrase from a damaged record.
//!
//! Every length is checked against the bytes before anything is allocated.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::error::KeyStoreError;
use super::seal::{Kek, NONCE_LEN, SALT_LEN, TAG_LEN};

/// Record magic.
pub const RECORD_MAGIC: &[u8; 4] = b"SPKR";
/// Manifest magic.
pub const MANIFEST_MAGIC: &[u8; 4] = b"SPKM";
/// The record format version written.
pub const RECORD_VERSION: u8 = 1;
/// The manifest format version written.
pub const MANIFEST_VERSION: u8 = 1;
/// The settings format version written.
pub const SETTINGS_VERSION: u32 = 1;
/// Longest kind.
pub const MAX_KIND: usize = 64;
/// Longest id, in bytes.
pub const MAX_ID: usize = 256;
/// Longest name, in bytes.
pub const MAX_NAME: usize = 1024;
/// Largest record data: a KMS world snapshot's limit and a little.
pub const MAX_DATA: usize = (64 << 20) + 64;
/// The PBKDF2 iterations a new store gets: OWASP's Password Storage Cheat Sheet figure for
/// PBKDF2-HMAC-SHA256 (600,000).
pub const ITERATIONS: u32 = 600_000;
/// Fewest iterations a store may declare (the same figure).
pub const MIN_ITERATIONS: u32 = 600_000;
/// Most iterations a store may declare (bounds the time an unlock can take).
pub const MAX_ITERATIONS: u32 = 100_000_000;
/// The KDF's name in the settings.
pub const KDF_ALGORITHM: &str = "PBKDF2-SHA-256";

const RECORD_AAD: &[u8] = b"secplay-keystore/record/v1";
const MANIFEST_AAD: &[u8] = b"secplay-keystore/manifest/v1";
const CHECK_AAD: &[u8] = b"secplay-keystore/check/v1";
const CHECK_PLAINTEXT: &[u8] = b"secplay-keystore check";
const MANIFEST_HEADER: usize = 4 + 1 + 8 + NONCE_LEN;

/// Checks an id: 1 to [`MAX_ID`] bytes, no control characters.
pub fn check_id(id: &str) -> Result<(), KeyStoreError> {
    if id.is_empty() || id.len() > MAX_ID || id.chars().any(char::is_control) {
        return Err(KeyStoreError::InvalidInput(format!(
            "a record id must be 1 to {MAX_ID} bytes without control characters, got `{}`",
            id.escape_debug()
        )));
    }
    Ok(())
}

/// Checks a kind: 1 to [`MAX_KIND`] of `[a-z0-9._-]`.
pub fn check_kind(kind: &str) -> Result<(), KeyStoreError> {
    let ok = !kind.is_empty()
        && kind.len() <= MAX_KIND
        && kind.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(KeyStoreError::InvalidInput(format!(
            "a record kind must be 1 to {MAX_KIND} of a-z, 0-9, `.`, `_`, `-`, got `{}`",
            kind.escape_debug()
        )))
    }
}

/// A record's readable parts, as stored before decryption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordHeader {
    /// The record's kind.
    pub kind: String,
    /// The record version.
    pub version: u32,
}

/// A record's decrypted body.
#[derive(Clone, PartialEq, Eq, zeroize::ZeroizeOnDrop)]
pub struct Body {
    /// Created, ms since 1970.
    pub created_at: u64,
    /// Last written, ms since 1970.
    pub updated_at: u64,
    /// The display name.
    pub name: String,
    /// The secret data.
    pub data: Vec<u8>,
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Body")
            .field("name", &self.name)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .field("data", &format_args!("{} bytes, redacted", self.data.len()))
            .finish()
    }
}

fn record_aad(id: &str, header: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(RECORD_AAD.len() + 2 + id.len() + header.len());
    aad.extend_from_slice(RECORD_AAD);
    aad.extend_from_slice(&u16::try_from(id.len()).unwrap_or(u16::MAX).to_be_bytes());
    aad.extend_from_slice(id.as_bytes());
    aad.extend_from_slice(header);
    aad
}

/// The stored bytes of record `id`.
pub fn encode_record(
    kek: &Kek,
    id: &str,
    header: &RecordHeader,
    body: &Body,
) -> Result<Vec<u8>, KeyStoreError> {
    check_id(id)?;
    check_kind(&header.kind)?;
    if body.name.len() > MAX_NAME {
        return Err(KeyStoreError::InvalidInput(format!("a record name must be at most {MAX_NAME} bytes")));
    }
    if body.data.len() > MAX_DATA {
        return Err(KeyStoreError::InvalidInput(format!("record data must be at most {MAX_DATA} bytes")));
    }
    let mut nonce = [0u8; NONCE_LEN];
    super::seal::random(&mut nonce)?;
    let mut out =
        Vec::with_capacity(22 + header.kind.len() + 18 + body.name.len() + body.data.len() + TAG_LEN);
    out.extend_from_slice(RECORD_MAGIC);
    out.push(RECORD_VERSION);
    out.push(u8::try_from(header.kind.len()).unwrap_or(0));
    out.extend_from_slice(header.kind.as_bytes());
    out.extend_from_slice(&header.version.to_be_bytes());
    out.extend_from_slice(&nonce);
    let mut plain = zeroize::Zeroizing::new(Vec::with_capacity(18 + body.name.len() + body.data.len()));
    plain.extend_from_slice(&body.created_at.to_be_bytes());
    plain.extend_from_slice(&body.updated_at.to_be_bytes());
    plain.extend_from_slice(&u16::try_from(body.name.len()).unwrap_or(0).to_be_bytes());
    plain.extend_from_slice(body.name.as_bytes());
    plain.extend_from_slice(&body.data);
    let sealed = kek.seal_with_nonce(&nonce, &plain, &record_aad(id, &out))?;
    out.extend_from_slice(sealed.get(NONCE_LEN..).unwrap_or_default());
    Ok(out)
}

/// A cursor over untrusted bytes: every read checks the length first.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).and_then(|b| b.first().copied())
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2).and_then(|b| b.try_into().ok()).map(u16::from_be_bytes)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4).and_then(|b| b.try_into().ok()).map(u32::from_be_bytes)
    }
    fn u64(&mut self) -> Option<u64> {
        self.take(8).and_then(|b| b.try_into().ok()).map(u64::from_be_bytes)
    }
    fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.0)
    }
}

/// Reads the kind and version of a stored record without the key (what a locked store shows).
pub fn record_header(id: &str, bytes: &[u8]) -> Result<RecordHeader, KeyStoreError> {
    parse_record(id, bytes).map(|(h, _, _)| h)
}

fn parse_record<'a>(id: &str, bytes: &'a [u8]) -> Result<(RecordHeader, usize, &'a [u8]), KeyStoreError> {
    let bad = |what: &str| KeyStoreError::corrupted(id, what);
    let mut r = Reader(bytes);
    if r.take(4) != Some(RECORD_MAGIC.as_slice()) {
        return Err(bad("it does not start with `SPKR`"));
    }
    let version = r.u8().ok_or_else(|| bad("truncated header"))?;
    if version != RECORD_VERSION {
        return Err(KeyStoreError::VersionTooNew {
            what: "a record's format",
            found: u32::from(version),
            max: u32::from(RECORD_VERSION),
        });
    }
    let k = usize::from(r.u8().ok_or_else(|| bad("truncated header"))?);
    let kind = r.take(k).ok_or_else(|| bad("truncated kind"))?;
    let kind = std::str::from_utf8(kind).map_err(|_| bad("its kind is not text"))?.to_owned();
    check_kind(&kind).map_err(|_| bad("its kind is not a valid kind"))?;
    let rv = r.u32().ok_or_else(|| bad("truncated header"))?;
    let header_len = 10 + k + NONCE_LEN;
    let sealed = bytes.get(header_len - NONCE_LEN..).ok_or_else(|| bad("truncated nonce"))?;
    if sealed.len() < NONCE_LEN + TAG_LEN + 18 {
        return Err(bad("shorter than its header and tag"));
    }
    Ok((RecordHeader { kind, version: rv }, header_len, sealed))
}

/// Decrypts a stored record filed under `id`.
pub fn decode_record(kek: &Kek, id: &str, bytes: &[u8]) -> Result<(RecordHeader, Body), KeyStoreError> {
    let (header, header_len, sealed) = parse_record(id, bytes)?;
    let head = bytes.get(..header_len).unwrap_or_default();
    let plain = kek
        .open(sealed, &record_aad(id, head))
        .ok_or_else(|| KeyStoreError::corrupted(id, "it does not authenticate under this store's key"))?;
    let bad = |what: &str| KeyStoreError::corrupted(id, what);
    let mut r = Reader(&plain);
    let created_at = r.u64().ok_or_else(|| bad("truncated body"))?;
    let updated_at = r.u64().ok_or_else(|| bad("truncated body"))?;
    let n = usize::from(r.u16().ok_or_else(|| bad("truncated body"))?);
    let name = r.take(n).ok_or_else(|| bad("truncated name"))?;
    let name = std::str::from_utf8(name).map_err(|_| bad("its name is not UTF-8"))?.to_owned();
    let data = r.rest().to_vec();
    Ok((header, Body { created_at, updated_at, name, data }))
}

/// One manifest entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The record's kind.
    pub kind: String,
    /// Its current version.
    pub version: u32,
}

/// The list of records every record is checked against.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Changes since the store was created.
    #[serde(skip)]
    pub generation: u64,
    /// Record id → kind and version.
    pub records: BTreeMap<String, Entry>,
}

/// The stored bytes of the manifest.
pub fn encode_manifest(kek: &Kek, m: &Manifest) -> Result<Vec<u8>, KeyStoreError> {
    let json = serde_json::to_vec(m).map_err(|e| KeyStoreError::Crypto(format!("manifest: {e}")))?;
    let mut nonce = [0u8; NONCE_LEN];
    super::seal::random(&mut nonce)?;
    let mut out = Vec::with_capacity(MANIFEST_HEADER + json.len() + TAG_LEN);
    out.extend_from_slice(MANIFEST_MAGIC);
    out.push(MANIFEST_VERSION);
    out.extend_from_slice(&m.generation.to_be_bytes());
    out.extend_from_slice(&nonce);
    let mut aad = MANIFEST_AAD.to_vec();
    aad.extend_from_slice(&out);
    let sealed = kek.seal_with_nonce(&nonce, &json, &aad)?;
    out.extend_from_slice(sealed.get(NONCE_LEN..).unwrap_or_default());
    Ok(out)
}

/// Reads and authenticates the manifest.
pub fn decode_manifest(kek: &Kek, bytes: &[u8]) -> Result<Manifest, KeyStoreError> {
    let bad = |what: &str| KeyStoreError::StoreCorrupted(format!("manifest ({what})"));
    let mut r = Reader(bytes);
    if r.take(4) != Some(MANIFEST_MAGIC.as_slice()) {
        return Err(bad("no `SPKM` magic"));
    }
    let v = r.u8().ok_or_else(|| bad("truncated"))?;
    if v != MANIFEST_VERSION {
        return Err(KeyStoreError::VersionTooNew {
            what: "the manifest",
            found: u32::from(v),
            max: u32::from(MANIFEST_VERSION),
        });
    }
    let generation = r.u64().ok_or_else(|| bad("truncated"))?;
    let sealed = bytes.get(MANIFEST_HEADER - NONCE_LEN..).ok_or_else(|| bad("truncated"))?;
    let mut aad = MANIFEST_AAD.to_vec();
    aad.extend_from_slice(bytes.get(..MANIFEST_HEADER).ok_or_else(|| bad("truncated"))?);
    let json = kek.open(sealed, &aad).ok_or_else(|| bad("it does not authenticate"))?;
    let mut m: Manifest = serde_json::from_slice(&json).map_err(|_| bad("its list does not read"))?;
    m.generation = generation;
    Ok(m)
}

/// The store's settings (plain JSON in the `meta` store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// [`SETTINGS_VERSION`].
    pub format: u32,
    /// The passphrase KDF.
    pub kdf: KdfParams,
    /// The passphrase check value, base64.
    pub check: String,
    /// Idle minutes before the store locks itself (0: never).
    #[serde(default)]
    pub auto_lock_minutes: u32,
}

/// PBKDF2 parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// [`KDF_ALGORITHM`].
    pub algorithm: String,
    /// Iterations.
    pub iterations: u32,
    /// Salt, base64.
    pub salt: String,
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn check_aad(salt: &[u8], iterations: u32) -> Vec<u8> {
    let mut aad = CHECK_AAD.to_vec();
    aad.extend_from_slice(salt);
    aad.extend_from_slice(&iterations.to_be_bytes());
    aad
}

impl Settings {
    /// Fresh settings for `kek`, derived with `salt` and `iterations`.
    pub fn new(
        kek: &Kek,
        salt: &[u8],
        iterations: u32,
        auto_lock_minutes: u32,
    ) -> Result<Self, KeyStoreError> {
        use base64::Engine;
        let check = kek.seal(CHECK_PLAINTEXT, &check_aad(salt, iterations))?;
        Ok(Self {
            format: SETTINGS_VERSION,
            kdf: KdfParams { algorithm: KDF_ALGORITHM.into(), iterations, salt: b64().encode(salt) },
            check: b64().encode(check),
            auto_lock_minutes,
        })
    }

    /// Reads settings bytes, checking the version and the KDF's bounds.
    pub fn decode(bytes: &[u8]) -> Result<(Self, Vec<u8>), KeyStoreError> {
        use base64::Engine;
        let bad = |what: &str| KeyStoreError::StoreCorrupted(format!("settings ({what})"));
        let s: Settings = serde_json::from_slice(bytes).map_err(|_| bad("not JSON of the right shape"))?;
        if s.format != SETTINGS_VERSION {
            return Err(KeyStoreError::VersionTooNew {
                what: "the store's settings",
                found: s.format,
                max: SETTINGS_VERSION,
            });
        }
        if s.kdf.algorithm != KDF_ALGORITHM {
            return Err(bad("unknown KDF"));
        }
        if !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&s.kdf.iterations) {
            return Err(bad("KDF iterations out of bounds"));
        }
        let salt = b64().decode(&s.kdf.salt).map_err(|_| bad("salt is not base64"))?;
        if salt.len() != SALT_LEN {
            return Err(bad("salt is not 16 bytes"));
        }
        Ok((s, salt))
    }

    /// The settings as stored.
    pub fn encode(&self) -> Result<Vec<u8>, KeyStoreError> {
        serde_json::to_vec(self).map_err(|e| KeyStoreError::Crypto(format!("settings: {e}")))
    }

    /// Whether `kek` opens the check value.
    pub fn verifies(&self, kek: &Kek, salt: &[u8]) -> bool {
        use base64::Engine;
        let Ok(check) = b64().decode(&self.check) else { return false };
        kek.open(&check, &check_aad(salt, self.kdf.iterations))
            .is_some_and(|p| p.as_slice() == CHECK_PLAINTEXT)
    }
}
