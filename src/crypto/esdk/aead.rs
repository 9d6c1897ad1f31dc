//! The AEAD backend seam: AES-GCM seal/open of one frame (or header tag) under the content key.
//!
//! The engine only ever calls [`FrameAead`], so another backend (for example WebCrypto batching
//! frames in a browser) can replace the pure-Rust one. This file does not know the message format.

use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::aes::{Aes128, Aes192, Aes256};
use aes_gcm::{AesGcm, Nonce, Tag};

use super::error::EsdkError;
use super::materials::DataKey;

/// AES-GCM IV length used by every suite.
pub const IV_LEN: usize = 12;
/// AES-GCM tag length used by every suite.
pub const TAG_LEN: usize = 16;

/// The tag did not verify (deliberately carries no detail).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenError;

/// AES-GCM with a fixed key: seal and open a buffer in place with a detached tag.
pub trait FrameAead {
    /// Encrypt `buf` in place, returning the tag.
    fn seal(&self, iv: &[u8; IV_LEN], aad: &[u8], buf: &mut [u8]) -> Result<[u8; TAG_LEN], EsdkError>;
    /// Verify `tag` and decrypt `buf` in place; on failure `buf` must not be used.
    fn open(
        &self,
        iv: &[u8; IV_LEN],
        aad: &[u8],
        buf: &mut [u8],
        tag: &[u8; TAG_LEN],
    ) -> Result<(), OpenError>;
}

/// Builds a [`FrameAead`] for a content key (16, 24 or 32 bytes).
pub trait AeadBackend {
    /// A cipher keyed with `key`.
    fn cipher(&self, key: &DataKey) -> Result<Box<dyn FrameAead>, EsdkError>;
}

/// The pure-Rust backend (RustCrypto `aes-gcm`), available on every target.
#[derive(Debug, Clone, Copy, Default)]
pub struct RustCryptoBackend;

impl AeadBackend for RustCryptoBackend {
    fn cipher(&self, key: &DataKey) -> Result<Box<dyn FrameAead>, EsdkError> {
        Ok(Box::new(GcmCipher::new(key.as_bytes())?))
    }
}

/// AES-GCM with a 128, 192 or 256-bit key.
pub enum GcmCipher {
    /// AES-128-GCM.
    A128(Box<AesGcm<Aes128, U12>>),
    /// AES-192-GCM.
    A192(Box<AesGcm<Aes192, U12>>),
    /// AES-256-GCM.
    A256(Box<AesGcm<Aes256, U12>>),
}

impl GcmCipher {
    /// A cipher for a 16, 24 or 32-byte key.
    pub fn new(key: &[u8]) -> Result<Self, EsdkError> {
        let bad =
            |_| EsdkError::InvalidInput(format!("an AES key must be 16, 24 or 32 bytes, not {}", key.len()));
        Ok(match key.len() {
            16 => Self::A128(Box::new(AesGcm::new_from_slice(key).map_err(bad)?)),
            24 => Self::A192(Box::new(AesGcm::new_from_slice(key).map_err(bad)?)),
            32 => Self::A256(Box::new(AesGcm::new_from_slice(key).map_err(bad)?)),
            n => {
                return Err(EsdkError::InvalidInput(format!(
                    "an AES key must be 16, 24 or 32 bytes, not {n}"
                )))
            }
        })
    }
}

fn seal_with<C: AeadInOut<NonceSize = U12>>(
    c: &C,
    iv: &[u8; IV_LEN],
    aad: &[u8],
    buf: &mut [u8],
) -> Result<[u8; TAG_LEN], EsdkError>
where
    aes_gcm::aead::Tag<C>: AsRef<[u8]>,
{
    let nonce = Nonce::<U12>::from(*iv);
    let tag = c
        .encrypt_inout_detached(&nonce, aad, buf.into())
        .map_err(|_| EsdkError::InvalidInput("the frame is too long for AES-GCM".to_string()))?;
    let mut out = [0u8; TAG_LEN];
    if tag.as_ref().len() != TAG_LEN {
        return Err(EsdkError::InvalidInput("unexpected AES-GCM tag size".to_string()));
    }
    out.copy_from_slice(tag.as_ref());
    Ok(out)
}

fn open_with<C: AeadInOut<NonceSize = U12, TagSize = aes_gcm::aead::consts::U16>>(
    c: &C,
    iv: &[u8; IV_LEN],
    aad: &[u8],
    buf: &mut [u8],
    tag: &[u8; TAG_LEN],
) -> Result<(), OpenError> {
    let nonce = Nonce::<U12>::from(*iv);
    let tag = Tag::from(*tag);
    c.decrypt_inout_detached(&nonce, aad, buf.into(), &tag).map_err(|_| OpenError)
}

impl FrameAead for GcmCipher {
    fn seal(&self, iv: &[u8; IV_LEN], aad: &[u8], buf: &mut [u8]) -> Result<[u8; TAG_LEN], EsdkError> {
        match self {
            Self::A128(c) => seal_with(c.as_ref(), iv, aad, buf),
            Self::A192(c) => seal_with(c.as_ref(), iv, aad, buf),
            Self::A256(c) => seal_with(c.as_ref(), iv, aad, buf),
        }
    }

    fn open(
        &self,
        iv: &[u8; IV_LEN],
        aad: &[u8],
        buf: &mut [u8],
        tag: &[u8; TAG_LEN],
    ) -> Result<(), OpenError> {
        match self {
            Self::A128(c) => open_with(c.as_ref(), iv, aad, buf, tag),
            Self::A192(c) => open_with(c.as_ref(), iv, aad, buf, tag),
            Self::A256(c) => open_with(c.as_ref(), iv, aad, buf, tag),
        }
    }
}
