//! The snapshot: the whole [`World`] in one versioned byte format, so that the key store can
//! persist it, the local endpoint can keep its state in a file, and a page can save and reopen it.
//!
//! Format version 1, byte by byte:
//!
//! | offset | size | content |
//! |---|---|---|
//! | 0 | 8 | magic `SPKMSNAP` (ASCII) |
//! | 8 | 2 | format version, unsigned big-endian (`1`) |
//! | 10 | 4 | payload length `N`, unsigned big-endian, at most [`MAX_PAYLOAD`] |
//! | 14 | N | payload: the world as UTF-8 JSON (members camelCase: `accounts`, `regions`, `now`, `keys`, `aliases`, `audit`, `usage`, `grantTokens`) |
//! | 14 + N | 32 | SHA-256 of bytes `0 .. 14 + N` |
//!
//! Nothing may follow. [`restore`] checks the magic, the version, the length (before allocating),
//! the checksum, then reads the JSON and checks that the clock is within 1970–9999 and that every
//! key and alias is filed under its own ARN. A later format version must keep restoring version 1 (a stored version-1 snapshot is in
//! the tests).
//!
//! **A snapshot holds key material in the clear** (base64 in `keys[…].materials[…].bytes`), as the
//! emulator's state must: keep it as you would keep the keys themselves. The checksum detects
//! damage, not tampering: anyone who can write the file can change the world.

use sha2::{Digest, Sha256};

use super::error::KmsError;
use super::time::MAX_TIME;
use super::world::World;

/// The magic at the start of every snapshot.
pub const MAGIC: &[u8; 8] = b"SPKMSNAP";
/// The format version [`snapshot`] writes.
pub const VERSION: u16 = 1;
/// The versions [`restore`] reads.
pub const READABLE_VERSIONS: &[u16] = &[1];
/// The largest payload accepted (64 MiB).
pub const MAX_PAYLOAD: usize = 64 << 20;
const HEADER: usize = 14;
const DIGEST: usize = 32;

fn corrupt(what: &str) -> KmsError {
    KmsError::validation(format!("not a KMS world snapshot: {what}"))
}

/// The world as snapshot bytes.
pub fn snapshot(w: &World) -> Result<Vec<u8>, KmsError> {
    let payload = serde_json::to_vec(w)
        .map_err(|e| KmsError::kms_internal(format!("could not write the snapshot: {e}")))?;
    let len =
        u32::try_from(payload.len()).ok().filter(|_| payload.len() <= MAX_PAYLOAD).ok_or_else(|| {
            KmsError::limit_exceeded(format!(
                "the world is larger than a snapshot holds ({MAX_PAYLOAD} bytes)"
            ))
        })?;
    let mut out = Vec::with_capacity(HEADER + payload.len() + DIGEST);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_be_bytes());
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&payload);
    let digest = Sha256::digest(&out);
    out.extend_from_slice(&digest);
    Ok(out)
}

/// Reads snapshot bytes back into a world.
pub fn restore(bytes: &[u8]) -> Result<World, KmsError> {
    let header = bytes.get(..HEADER).ok_or_else(|| corrupt("shorter than its 14-byte header"))?;
    let (magic, rest) = header.split_at(8);
    if magic != MAGIC {
        return Err(corrupt("it does not start with `SPKMSNAP`"));
    }
    let (version, len) = rest.split_at(2);
    let version =
        u16::from_be_bytes([version.first().copied().unwrap_or(0), version.get(1).copied().unwrap_or(0)]);
    if !READABLE_VERSIONS.contains(&version) {
        return Err(KmsError::validation(format!(
            "snapshot format version {version} is newer than this emulator reads ({}); update secplay",
            READABLE_VERSIONS.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
        )));
    }
    let mut len_bytes = [0u8; 4];
    len_bytes.copy_from_slice(len);
    let n = usize::try_from(u32::from_be_bytes(len_bytes)).map_err(|_| corrupt("payload length"))?;
    if n > MAX_PAYLOAD {
        return Err(corrupt("its payload length is over the 64 MiB limit"));
    }
    if bytes.len() != HEADER + n + DIGEST {
        return Err(corrupt("its length does not match the length in its header (truncated or extended)"));
    }
    let (body, digest) = bytes.split_at(HEADER + n);
    if Sha256::digest(body).as_slice() != digest {
        return Err(corrupt("its checksum does not match (the file is damaged)"));
    }
    let payload = body.get(HEADER..).ok_or_else(|| corrupt("payload"))?;
    let w: World =
        serde_json::from_slice(payload).map_err(|e| corrupt(&format!("its world does not read: {e}")))?;
    check(&w).map_err(|what| corrupt(&what))?;
    Ok(w)
}

/// What a world read from outside must hold: a clock within 1970–9999, every key and alias
/// filed under its own ARN. Says what is wrong otherwise.
pub fn check(w: &World) -> Result<(), String> {
    if !(0..=MAX_TIME).contains(&w.now) {
        return Err("its clock is outside 1970 to 9999".to_owned());
    }
    if let Some((arn, _)) = w.keys.iter().find(|(arn, k)| **arn != k.arn) {
        return Err(format!("key `{arn}` is filed under another ARN"));
    }
    if let Some((arn, _)) = w.aliases.iter().find(|(arn, a)| **arn != a.arn) {
        return Err(format!("alias `{arn}` is filed under another ARN"));
    }
    Ok(())
}
