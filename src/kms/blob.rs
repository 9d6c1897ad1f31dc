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

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    fn context(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn aes() -> KeyMaterial {
        KeyMaterial::generate(crate::kms::material::KeySpec::SymmetricDefault).unwrap()
    }

    #[test]
    fn sealed_blobs_open_with_the_same_material_and_context() {
        let material = aes();
        let ctx = context(&[
            ("purpose", "test"),
            ("aws:lambda:FunctionArn", "arn:aws:lambda:us-east-1:1:function:f"),
        ]);
        let blob = seal(&material, ARN, "v1", &ctx, b"hello kms").unwrap();
        assert_eq!(blob.len(), 1 + 2 + ARN.len() + 1 + 2 + NONCE_LEN + 9 + TAG_LEN, "layout");
        assert_eq!(blob[0], BLOB_VERSION);
        assert_eq!(
            read_header(&blob).unwrap(),
            BlobHeader { version: 1, key_arn: ARN.to_owned(), material_id: "v1".to_owned() }
        );
        assert_eq!(open(&material, &blob, &ctx).unwrap().as_slice(), b"hello kms");
        // Empty and maximal plaintexts.
        let empty = seal(&material, ARN, "v1", &BTreeMap::new(), b"").unwrap();
        assert!(open(&material, &empty, &BTreeMap::new()).unwrap().is_empty());
        let full = vec![0x5a; MAX_PLAINTEXT];
        let blob = seal(&material, ARN, "v1", &ctx, &full).unwrap();
        assert_eq!(open(&material, &blob, &ctx).unwrap().as_slice(), full.as_slice());
        // Two seals of one plaintext differ (fresh nonce).
        assert_ne!(
            seal(&material, ARN, "v1", &ctx, b"x").unwrap(),
            seal(&material, ARN, "v1", &ctx, b"x").unwrap()
        );
    }

    #[test]
    fn any_other_encryption_context_is_an_opaque_failure() {
        let material = aes();
        let ctx = context(&[("a", "bc"), ("k", "v")]);
        let blob = seal(&material, ARN, "v1", &ctx, b"secret").unwrap();
        for other in [
            context(&[]),
            context(&[("a", "bc")]),
            context(&[("a", "bc"), ("k", "V")]),
            context(&[("a", "bc"), ("k", "v"), ("extra", "1")]),
            context(&[("ab", "c"), ("k", "v")]),
        ] {
            let err = open(&material, &blob, &other).unwrap_err();
            assert_eq!(err, BlobError::Undecryptable, "{other:?}");
            assert_eq!(err.aws_exception(), "InvalidCiphertextException");
        }
        // `{"a":"bc"}` and `{"ab":"c"}` encode differently (length-prefixed).
        let ab = context(&[("a", "bc")]);
        let blob = seal(&material, ARN, "v1", &ab, b"s").unwrap();
        assert_eq!(open(&material, &blob, &context(&[("ab", "c")])).unwrap_err(), BlobError::Undecryptable);
    }

    #[test]
    fn other_material_or_a_rewritten_header_does_not_open() {
        let material = aes();
        let ctx = BTreeMap::new();
        let blob = seal(&material, ARN, "v1", &ctx, b"secret").unwrap();
        assert_eq!(open(&aes(), &blob, &ctx).unwrap_err(), BlobError::Undecryptable);
        // The material id is authenticated: pointing the blob at another version fails.
        let mut renamed = blob.clone();
        let id_at = 1 + 2 + ARN.len() + 1;
        renamed[id_at + 1] = b'2';
        assert_eq!(read_header(&renamed).unwrap().material_id, "v2");
        assert_eq!(open(&material, &renamed, &ctx).unwrap_err(), BlobError::Undecryptable);
        // So is the key ARN.
        let mut moved = blob.clone();
        moved[3 + ARN.find("us-east-1").unwrap() + 8] = b'2';
        assert_eq!(open(&material, &moved, &ctx).unwrap_err(), BlobError::Undecryptable);
    }

    #[test]
    fn every_flipped_bit_and_every_truncation_is_rejected_without_panicking() {
        let material = aes();
        let ctx = context(&[("k", "v")]);
        let blob =
            seal(&material, "arn:aws:kms:eu-west-1:111122223333:key/k", "m", &ctx, b"0123456789").unwrap();
        for at in 0..blob.len() {
            for bit in 0..8 {
                let mut bad = blob.clone();
                bad[at] ^= 1 << bit;
                let err = open(&material, &bad, &ctx).unwrap_err();
                assert_eq!(err.aws_exception(), "InvalidCiphertextException", "byte {at} bit {bit}: {err}");
            }
        }
        for len in 0..blob.len() {
            let err = open(&material, &blob[..len], &ctx).unwrap_err();
            assert_eq!(err.aws_exception(), "InvalidCiphertextException", "prefix {len}");
        }
        let mut longer = blob.clone();
        longer.push(0);
        assert_eq!(open(&material, &longer, &ctx).unwrap_err(), BlobError::Undecryptable);
    }

    /// Blobs that must be refused before any key is tried, each for its reason.
    #[test]
    fn malformed_headers_are_refused() {
        let tail = [0u8; NONCE_LEN + TAG_LEN];
        let with_tail = |head: &[u8]| [head, &tail].concat();
        let cases: [(&str, Vec<u8>); 7] = [
            ("empty", Vec::new()),
            ("unknown format version", with_tail(&[2, 0, 1, b'a', 1, b'm'])),
            ("zero-length key ARN", with_tail(&[1, 0, 0, 1, b'm'])),
            ("key ARN longer than the format allows", with_tail(&[1, 0x08, 0x01])),
            ("empty material id", with_tail(&[1, 0, 1, b'a', 0])),
            ("ARN that is not UTF-8", with_tail(&[1, 0, 1, 0xff, 1, b'm'])),
            ("no room for nonce and tag", vec![1, 0, 1, b'a', 1, b'm', 0, 0, 0]),
        ];
        for (name, blob) in cases {
            let err = read_header(&blob).unwrap_err();
            assert!(matches!(err, BlobError::Malformed(_)), "{name}: {err:?}");
            assert_eq!(err.aws_exception(), "InvalidCiphertextException", "{name}");
        }
        let huge =
            [&[1u8, 0, 1, b'a', 1, b'm'][..], &vec![0; NONCE_LEN + TAG_LEN + MAX_PLAINTEXT + 1]].concat();
        assert_eq!(read_header(&huge).unwrap_err(), BlobError::Malformed("longer than any blob"));
    }

    #[test]
    fn sealing_checks_its_inputs() {
        let material = aes();
        let ctx = BTreeMap::new();
        let err = seal(&material, ARN, "v1", &ctx, &vec![0; MAX_PLAINTEXT + 1]).unwrap_err();
        assert_eq!(err.aws_exception(), "ValidationException");
        assert_eq!(seal(&material, "", "v1", &ctx, b"x").unwrap_err(), BlobError::Empty("the key ARN"));
        assert_eq!(seal(&material, ARN, "", &ctx, b"x").unwrap_err(), BlobError::Empty("the material id"));
        assert!(matches!(
            seal(&material, &"a".repeat(MAX_KEY_ARN + 1), "v", &ctx, b"x"),
            Err(BlobError::TooLong { .. })
        ));
        assert!(matches!(seal(&material, ARN, &"i".repeat(256), &ctx, b"x"), Err(BlobError::TooLong { .. })));
        let hmac = KeyMaterial::generate(crate::kms::material::KeySpec::Hmac256).unwrap();
        let err = seal(&hmac, ARN, "v1", &ctx, b"x").unwrap_err();
        assert_eq!(err, BlobError::NotSymmetric);
        assert_eq!(err.aws_exception(), "InvalidKeyUsageException");
    }

    #[test]
    fn imported_material_seals_like_generated_material() {
        let material = KeyMaterial::import_symmetric(&[0x42; 32]).unwrap();
        let restored = KeyMaterial::from_bytes(material.spec(), &material.to_bytes()).unwrap();
        let ctx = context(&[("k", "v")]);
        let blob = seal(&material, ARN, "import-1", &ctx, b"imported").unwrap();
        assert_eq!(open(&restored, &blob, &ctx).unwrap().as_slice(), b"imported");
    }
}
