//! The AEAD backend seam: AES-GCM seal/open of one frame (or header tag) under the content key.
//!
//! Two seams. [`FrameAead`] seals or opens one buffer synchronously (the header tag, keyrings).
//! [`BatchAead`] seals or opens many frames at once and may be asynchronous, so a backend such as
//! WebCrypto can run a whole batch of frames in flight; every [`FrameAead`] is also a [`BatchAead`]
//! that completes at once, which is how the synchronous streams use the same code path.
//! This file does not know the message format.

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

/// One frame to seal in place: `buf[at..at + len]` holds its plaintext, and the ciphertext plus
/// its tag go to `buf[at..at + len + TAG_LEN]`.
#[derive(Debug, Clone)]
pub struct SealJob {
    /// The frame IV.
    pub iv: [u8; IV_LEN],
    /// The body AAD.
    pub aad: Vec<u8>,
    /// Where the plaintext starts in the buffer.
    pub at: usize,
    /// Plaintext length.
    pub len: usize,
}

/// One frame to open: ciphertext and tag at `src[from..from + len + TAG_LEN]`, plaintext to
/// `dst[to..to + len]`.
#[derive(Debug, Clone)]
pub struct OpenJob {
    /// The frame IV.
    pub iv: [u8; IV_LEN],
    /// The body AAD.
    pub aad: Vec<u8>,
    /// Where the ciphertext starts in the source.
    pub from: usize,
    /// Where the plaintext goes in the destination.
    pub to: usize,
    /// Ciphertext (and plaintext) length.
    pub len: usize,
}

/// AES-GCM over a batch of frames under one key, possibly asynchronous.
///
/// `async fn` without a `Send` bound on purpose: the browser backend is single-threaded.
#[allow(async_fn_in_trait)]
pub trait BatchAead {
    /// Seal every job in `buf`.
    async fn seal_all(&self, buf: &mut [u8], jobs: &[SealJob]) -> Result<(), EsdkError>;
    /// Open every job; `Err(i)` names the first job (in order) whose tag did not verify. On
    /// failure nothing in `dst` from job `i` on may be used.
    async fn open_all(&self, src: &[u8], dst: &mut [u8], jobs: &[OpenJob]) -> Result<(), usize>;
}

/// Makes a [`BatchAead`] for a content key (WebCrypto must import the key, hence `async`).
#[allow(async_fn_in_trait)]
pub trait BatchBackend {
    /// The cipher this backend makes.
    type Aead: BatchAead;
    /// A cipher keyed with `key`.
    async fn batch_cipher(&self, key: &DataKey) -> Result<Self::Aead, EsdkError>;
}

impl<T: FrameAead + ?Sized> BatchAead for T {
    async fn seal_all(&self, buf: &mut [u8], jobs: &[SealJob]) -> Result<(), EsdkError> {
        for job in jobs {
            let end = job.at.checked_add(job.len).ok_or(EsdkError::StreamClosed)?;
            let text = buf.get_mut(job.at..end).ok_or(EsdkError::StreamClosed)?;
            let tag = self.seal(&job.iv, &job.aad, text)?;
            buf.get_mut(end..end.saturating_add(TAG_LEN))
                .ok_or(EsdkError::StreamClosed)?
                .copy_from_slice(&tag);
        }
        Ok(())
    }

    async fn open_all(&self, src: &[u8], dst: &mut [u8], jobs: &[OpenJob]) -> Result<(), usize> {
        for (i, job) in jobs.iter().enumerate() {
            let opened = (|| {
                let ct = src.get(job.from..job.from.checked_add(job.len)?)?;
                let tag: &[u8; TAG_LEN] = src.get(job.from.saturating_add(job.len)..)?.first_chunk()?;
                let out = dst.get_mut(job.to..job.to.checked_add(job.len)?)?;
                out.copy_from_slice(ct);
                self.open(&job.iv, &job.aad, out, tag).ok()
            })();
            if opened.is_none() {
                return Err(i);
            }
        }
        Ok(())
    }
}

impl BatchBackend for RustCryptoBackend {
    type Aead = GcmCipher;
    async fn batch_cipher(&self, key: &DataKey) -> Result<GcmCipher, EsdkError> {
        GcmCipher::new(key.as_bytes())
    }
}

/// Run a future that completes without waiting (a synchronous backend behind an async seam).
pub fn complete_now<F: std::future::Future>(fut: F) -> Result<F::Output, EsdkError> {
    let mut fut = std::pin::pin!(fut);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match fut.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(v) => Ok(v),
        std::task::Poll::Pending => Err(EsdkError::InvalidInput(
            "this call cannot wait for asynchronous work (WebCrypto frames, or a signature hashed in a worker): use the Promise-returning call".to_string(),
        )),
    }
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
