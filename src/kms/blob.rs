//! The symmetric ciphertext blob: what Encrypt, GenerateDataKey and ReEncrypt return for a
//! SYMMETRIC_DEFAULT key, and what Decrypt takes back.
//!
//! Real KMS blobs are undocumented; this is our own versioned format. It names the key and the
//! material version in the clear (so Decrypt without `KeyId` finds the key, and a rotated key finds
//! its old material) and authenticates them, with the encryption context, under AES-256-GCM.
//!
//! Format version 1, all integers big-endian:
//!
//! | bytes | field |
//! |---|---|
//! | 1 | format version, `0x01` |
//! | 2 | length of the key ARN, 1–2,048 |
//! | n | the key ARN, UTF-8 |
//! | 1 | length of the material id, 1–255 |
//! | m | the material id (which version of the key's material), UTF-8 |
//! | 12 | AES-GCM nonce, random |
//! | rest | AES-256-GCM ciphertext of the plaintext, then the 16-byte tag |
//!
//! The additional authenticated data is the header (version through material id) followed by the
//! encryption context in canonical form: the number of pairs (u32), then for each pair in key order
//! (byte-wise, as a `BTreeMap` holds them) the key's length (u32), the key, the value's length
//! (u32), the value. Lengths make the encoding unambiguous (`{"a":"bc"}` ≠ `{"ab":"c"}`).
//!
//! Opening fails with one opaque error for every reason (wrong key, wrong context, tampered bytes):
//! the emulator must not become an oracle. What it is not: a format for large data (plaintexts
//! are at most 4,096 bytes, as in KMS).

use std::collections::BTreeMap;

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Tag};
use thiserror::Error;
use zeroize::Zeroizing;

use super::material::KeyMaterial;

/// The format version this module writes.
pub const BLOB_VERSION: u8 = 1;
/// The longest plaintext a blob holds (KMS's Encrypt limit).
pub const MAX_PLAINTEXT: usize = 4096;
/// The longest key ARN a blob names.
pub const MAX_KEY_ARN: usize = 2048;
/// The longest material id a blob names.
pub const MAX_MATERIAL_ID: usize = 255;

const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;

/// What went wrong sealing or opening a blob.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum BlobError {
    /// The bytes are not a blob of a version we read; nothing about a key was tried.
    #[error("the ciphertext is not a valid ciphertext blob: {0}")]
    Malformed(&'static str),
    /// The blob did not decrypt: wrong key material, wrong encryption context or tampered bytes.
    #[error("the ciphertext could not be decrypted; check the key and the encryption context")]
    Undecryptable,
    /// The key is not a SYMMETRIC_DEFAULT key.
    #[error("ciphertext blobs are made only with SYMMETRIC_DEFAULT keys")]
    NotSymmetric,
    /// The plaintext, key ARN or material id is longer than the format allows.
    #[error("{what} is {actual} bytes; at most {max} are allowed")]
    TooLong { what: &'static str, max: usize, actual: usize },
    /// The key ARN or material id is empty.
    #[error("{0} must not be empty")]
    Empty(&'static str),
    #[error("the random number generator failed; try again")]
    Random,
}

impl BlobError {
    /// The AWS KMS exception this error answers with.
    pub fn aws_exception(&self) -> &'static str {
        match self {
            BlobError::Malformed(_) | BlobError::Undecryptable => "InvalidCiphertextException",
            BlobError::NotSymmetric => "InvalidKeyUsageException",
            BlobError::TooLong { .. } | BlobError::Empty(_) => "ValidationException",
            BlobError::Random => "KMSInternalException",
        }
    }
}

/// The clear part of a blob: which key and which version of its material sealed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobHeader {
    pub version: u8,
    pub key_arn: String,
    pub material_id: String,
}

/// Seals `plaintext` under SYMMETRIC_DEFAULT `material`, binding the key ARN, the material id and
/// the encryption context.
pub fn seal(
    material: &KeyMaterial,
    key_arn: &str,
    material_id: &str,
    context: &BTreeMap<String, String>,
    plaintext: &[u8],
) -> Result<Vec<u8>, BlobError> {
    let key = material.symmetric_key().ok_or(BlobError::NotSymmetric)?;
    if plaintext.len() > MAX_PLAINTEXT {
        return Err(BlobError::TooLong {
            what: "the plaintext",
            max: MAX_PLAINTEXT,
            actual: plaintext.len(),
        });
    }
    let header = encode_header(key_arn, material_id)?;
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut nonce).map_err(|_| BlobError::Random)?;
    let aad = aad(&header, context);
    let mut blob = header;
    blob.extend_from_slice(&nonce);
    let body_start = blob.len();
    blob.extend_from_slice(plaintext);
    let body = blob.get_mut(body_start..).ok_or(BlobError::Malformed("internal length"))?;
    let tag = cipher(key).encrypt_inout_detached((&nonce).into(), &aad, body.into()).map_err(|_| {
        BlobError::TooLong { what: "the plaintext", max: MAX_PLAINTEXT, actual: plaintext.len() }
    })?;
    blob.extend_from_slice(tag.as_slice());
    Ok(blob)
}

/// Reads the clear header without a key (Decrypt without `KeyId` finds its key from it).
pub fn read_header(blob: &[u8]) -> Result<BlobHeader, BlobError> {
    parse(blob).map(|(header, _)| header)
}

/// Opens a blob with `material` (the version the header names) and the caller's encryption
/// context. Every failure after parsing is the same opaque `Undecryptable`.
pub fn open(
    material: &KeyMaterial,
    blob: &[u8],
    context: &BTreeMap<String, String>,
) -> Result<Zeroizing<Vec<u8>>, BlobError> {
    let key = material.symmetric_key().ok_or(BlobError::NotSymmetric)?;
    let (_, header_len) = parse(blob)?;
    let (header, rest) = blob.split_at_checked(header_len).ok_or(BlobError::Malformed("truncated"))?;
    let (nonce, sealed) = rest.split_at_checked(NONCE_LEN).ok_or(BlobError::Malformed("truncated"))?;
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| BlobError::Malformed("truncated"))?;
    let (body, tag) = sealed
        .split_at_checked(sealed.len().saturating_sub(TAG_LEN))
        .ok_or(BlobError::Malformed("truncated"))?;
    let tag: [u8; TAG_LEN] = tag.try_into().map_err(|_| BlobError::Malformed("truncated"))?;
    let tag: &Tag = (&tag).into();
    let aad = aad(header, context);
    let mut plaintext = Zeroizing::new(body.to_vec());
    cipher(key)
        .decrypt_inout_detached((&nonce).into(), &aad, plaintext.as_mut_slice().into(), tag)
        .map_err(|_| BlobError::Undecryptable)?;
    Ok(plaintext)
}

fn cipher(key: &[u8; 32]) -> Aes256Gcm {
    let key: &Key<Aes256Gcm> = key.into();
    Aes256Gcm::new(key)
}

fn encode_header(key_arn: &str, material_id: &str) -> Result<Vec<u8>, BlobError> {
    if key_arn.is_empty() {
        return Err(BlobError::Empty("the key ARN"));
    }
    if material_id.is_empty() {
        return Err(BlobError::Empty("the material id"));
    }
    let arn_len = u16::try_from(key_arn.len())
        .ok()
        .filter(|&n| usize::from(n) <= MAX_KEY_ARN)
        .ok_or(BlobError::TooLong { what: "the key ARN", max: MAX_KEY_ARN, actual: key_arn.len() })?;
    let id_len = u8::try_from(material_id.len()).map_err(|_| BlobError::TooLong {
        what: "the material id",
        max: MAX_MATERIAL_ID,
        actual: material_id.len(),
    })?;
    let mut out =
        Vec::with_capacity(4 + key_arn.len() + material_id.len() + NONCE_LEN + TAG_LEN + MAX_PLAINTEXT);
    out.push(BLOB_VERSION);
    out.extend_from_slice(&arn_len.to_be_bytes());
    out.extend_from_slice(key_arn.as_bytes());
    out.push(id_len);
    out.extend_from_slice(material_id.as_bytes());
    Ok(out)
}

/// Parses the header; returns it and its length in bytes. Checks that a nonce and a tag follow.
fn parse(blob: &[u8]) -> Result<(BlobHeader, usize), BlobError> {
    let mut reader = Reader(blob);
    let version = reader.u8()?;
    if version != BLOB_VERSION {
        return Err(BlobError::Malformed("unknown format version"));
    }
    let arn_len = usize::from(u16::from_be_bytes(reader.array::<2>()?));
    if arn_len == 0 || arn_len > MAX_KEY_ARN {
        return Err(BlobError::Malformed("bad key ARN length"));
    }
    let key_arn = reader.utf8(arn_len)?;
    let id_len = usize::from(reader.u8()?);
    if id_len == 0 {
        return Err(BlobError::Malformed("empty material id"));
    }
    let material_id = reader.utf8(id_len)?;
    let header_len = blob.len().saturating_sub(reader.0.len());
    if reader.0.len() < NONCE_LEN + TAG_LEN {
        return Err(BlobError::Malformed("truncated"));
    }
    if reader.0.len() > NONCE_LEN + TAG_LEN + MAX_PLAINTEXT {
        return Err(BlobError::Malformed("longer than any blob"));
    }
    Ok((BlobHeader { version, key_arn, material_id }, header_len))
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], BlobError> {
        let (head, rest) = self.0.split_at_checked(n).ok_or(BlobError::Malformed("truncated"))?;
        self.0 = rest;
        Ok(head)
    }

    fn u8(&mut self) -> Result<u8, BlobError> {
        self.array::<1>().map(|[b]| b)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], BlobError> {
        self.take(N)?.try_into().map_err(|_| BlobError::Malformed("truncated"))
    }

    fn utf8(&mut self, n: usize) -> Result<String, BlobError> {
        let bytes = self.take(n)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| BlobError::Malformed("a name is not UTF-8"))
    }
}

/// The additional authenticated data: the header, then the canonical encryption context.
fn aad(header: &[u8], context: &BTreeMap<String, String>) -> Vec<u8> {
    let mut out = header.to_vec();
    let len = |n: usize| u32::try_from(n).unwrap_or(u32::MAX).to_be_bytes();
    out.extend_from_slice(&len(context.len()));
    for (key, value) in context {
        out.extend_from_slice(&len(key.len()));
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(&len(value.len()));
        out.extend_from_slice(value.as_bytes());
    }
    out
}
