//! The key-encryption key and the one cipher: AES-256-GCM with a fresh random 96-bit nonce and the
//! caller's associated data. Also the passphrase KDF seam ([`Kdf`]) and PBKDF2-SHA-256 in Rust
//! ([`Pbkdf2`], RFC 8018 §5.2), which the browser replaces with WebCrypto's `deriveBits`.
//!
//! Not here: which bytes are associated data (see [`super::format`]), where bytes are stored.

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Tag};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use super::error::KeyStoreError;

/// AES-GCM nonce length.
pub const NONCE_LEN: usize = 12;
/// AES-GCM tag length.
pub const TAG_LEN: usize = 16;
/// Salt length of the store's KDF and of a backup.
pub const SALT_LEN: usize = 16;

/// The 256-bit key-encryption key derived from the passphrase. Zeroized when dropped (on lock);
/// its `Debug` shows nothing of it.
#[derive(Clone, zeroize::ZeroizeOnDrop)]
pub struct Kek([u8; 32]);

impl std::fmt::Debug for Kek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Kek(redacted)")
    }
}

impl Kek {
    /// A key from 32 bytes (the KDF's output).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// A key for one purpose derived from this one (HKDF-SHA-256, `salt` and `info`).
    pub fn derive(&self, salt: &[u8], info: &[u8]) -> Result<Kek, KeyStoreError> {
        let mut out = [0u8; 32];
        hkdf::Hkdf::<Sha256>::new(Some(salt), &self.0)
            .expand(info, &mut out)
            .map_err(|_| KeyStoreError::Crypto("key derivation failed".into()))?;
        let k = Kek(out);
        out.zeroize();
        Ok(k)
    }

    fn cipher(&self) -> Aes256Gcm {
        let key: &Key<Aes256Gcm> = (&self.0).into();
        Aes256Gcm::new(key)
    }

    /// `nonce || ciphertext || tag` of `plaintext` with associated data `aad`, under a fresh nonce.
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>, KeyStoreError> {
        let mut nonce = [0u8; NONCE_LEN];
        random(&mut nonce)?;
        self.seal_with_nonce(&nonce, plaintext, aad)
    }

    /// As [`Kek::seal`] with a nonce chosen by the caller (who puts it in `aad`'s header).
    pub fn seal_with_nonce(
        &self,
        nonce: &[u8; NONCE_LEN],
        plaintext: &[u8],
        aad: &[u8],
    ) -> Result<Vec<u8>, KeyStoreError> {
        let mut buf = Vec::with_capacity(NONCE_LEN + plaintext.len() + TAG_LEN);
        buf.extend_from_slice(nonce);
        buf.extend_from_slice(plaintext);
        let body = buf.get_mut(NONCE_LEN..).unwrap_or_default();
        let tag = self
            .cipher()
            .encrypt_inout_detached(nonce.into(), aad, body.into())
            .map_err(|_| KeyStoreError::InvalidInput("a record is too large to encrypt".into()))?;
        buf.extend_from_slice(tag.as_slice());
        Ok(buf)
    }

    /// The plaintext of `nonce || ciphertext || tag` if it authenticates with `aad`; `None` if not
    /// (no reason: a failure says nothing about the key or the bytes).
    pub fn open(&self, sealed: &[u8], aad: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        if sealed.len() < NONCE_LEN + TAG_LEN {
            return None;
        }
        let (nonce, rest) = sealed.split_at(NONCE_LEN);
        let (body, tag) = rest.split_at(rest.len() - TAG_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
        let tag: [u8; TAG_LEN] = tag.try_into().ok()?;
        let mut buf = Zeroizing::new(body.to_vec());
        let tag: &Tag = (&tag).into();
        self.cipher()
            .decrypt_inout_detached((&nonce).into(), aad, buf.as_mut_slice().into(), tag)
            .ok()
            .map(|()| buf)
    }
}

/// Fills `buf` from the platform's random source.
pub fn random(buf: &mut [u8]) -> Result<(), KeyStoreError> {
    getrandom::fill(buf).map_err(|_| KeyStoreError::Crypto("no random source available".into()))
}

/// Stretches a passphrase into the key-encryption key: PBKDF2-SHA-256 with `salt` and `iterations`.
#[allow(async_fn_in_trait, reason = "implemented and awaited on one thread (wasm, tests)")]
pub trait Kdf {
    /// The 32-byte key for `passphrase`.
    async fn derive(&self, passphrase: &str, salt: &[u8], iterations: u32) -> Result<Kek, KeyStoreError>;
}

/// PBKDF2-HMAC-SHA-256 in Rust (RFC 8018 §5.2, one 32-byte block).
#[derive(Debug, Clone, Copy, Default)]
pub struct Pbkdf2;

impl Pbkdf2 {
    /// The derivation, synchronously.
    pub fn derive_sync(passphrase: &[u8], salt: &[u8], iterations: u32) -> Result<Kek, KeyStoreError> {
        let keyed = Hmac::<Sha256>::new_from_slice(passphrase)
            .map_err(|_| KeyStoreError::Crypto("PBKDF2 key setup failed".into()))?;
        let mut mac = keyed.clone();
        mac.update(salt);
        mac.update(&1u32.to_be_bytes());
        let mut u: [u8; 32] = mac.finalize().into_bytes().into();
        let mut t = u;
        for _ in 1..iterations {
            let mut mac = keyed.clone();
            mac.update(&u);
            u = mac.finalize().into_bytes().into();
            for (a, b) in t.iter_mut().zip(u.iter()) {
                *a ^= b;
            }
        }
        u.zeroize();
        let k = Kek(t);
        t.zeroize();
        Ok(k)
    }
}

impl Kdf for Pbkdf2 {
    async fn derive(&self, passphrase: &str, salt: &[u8], iterations: u32) -> Result<Kek, KeyStoreError> {
        Self::derive_sync(passphrase.as_bytes(), salt, iterations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7914 §11 PBKDF2-HMAC-SHA256 vectors (P="passwd", S="salt", c=1; P="Password",
    /// S="NaCl", c=80000), first 32 bytes.
    #[test]
    fn pbkdf2_matches_rfc_7914_vectors() {
        let k = Pbkdf2::derive_sync(b"passwd", b"salt", 1).unwrap();
        assert_eq!(hex(&k.0), "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
        let k = Pbkdf2::derive_sync(b"Password", b"NaCl", 80_000).unwrap();
        assert_eq!(hex(&k.0), "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56");
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn open_refuses_other_aad_and_short_input() {
        let k = Kek::from_bytes([3; 32]);
        let s = k.seal(b"secret", b"a").unwrap();
        assert_eq!(&*k.open(&s, b"a").unwrap(), b"secret");
        assert!(k.open(&s, b"b").is_none());
        assert!(k.open(&s[..20], b"a").is_none());
    }
}
