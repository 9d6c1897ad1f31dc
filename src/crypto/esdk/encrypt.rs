//! Encryption: an incremental [`Encryptor`] (push plaintext in any chunk sizes, get message bytes
//! out) and the one-shot [`encrypt`]. Always writes framed bodies.
//!
//! Memory is bounded by one frame plus the caller's chunk. Because the end of the input is only
//! known at `finish`, up to one frame of plaintext is held back so the final frame is never empty
//! unless the whole plaintext is.
//!
//! Frames are laid out first and sealed as one batch per call through a [`BatchAead`]: the
//! synchronous calls use the pure-Rust cipher, [`Encryptor::update_with`] and
//! [`Encryptor::finish_with`] take any other (WebCrypto in the browser).

use super::aead::{complete_now, AeadBackend, BatchAead, FrameAead, RustCryptoBackend, SealJob, TAG_LEN};
use super::body::lay_out_frame;
use super::context::{EncryptionContext, PUBLIC_KEY_FIELD};
use super::error::EsdkError;
use super::header::{ContentType, Header};
use super::kdf::derive;
use super::materials::{DataKey, EncryptionMaterials};
use super::options::EncryptOptions;
use super::signature::{MessageSigner, OutsideHashFactory};
use crate::crypto::keyring::Keyring;

/// The longest DER ECDSA signature of the suites (P-384: two 48-byte integers, each possibly with
/// a leading zero, in a SEQUENCE).
const MAX_SIGNATURE_LEN: u64 = 2 + 2 * (2 + 49);

/// An incremental ESDK message encryptor.
pub struct Encryptor {
    cipher: Box<dyn FrameAead>,
    content_key: DataKey,
    message_id: Vec<u8>,
    frame_length: usize,
    next_seq: u32,
    /// Header bytes not yet handed out.
    header_out: Vec<u8>,
    pending: Vec<u8>,
    signer: Option<MessageSigner>,
    header: Header,
    closed: bool,
}

impl std::fmt::Debug for Encryptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encryptor")
            .field("suite", &self.header.suite)
            .field("next_seq", &self.next_seq)
            .finish()
    }
}

impl Encryptor {
    /// Set up a message: data key via the keyring, header written and authenticated.
    pub fn new(keyring: &dyn Keyring, opts: &EncryptOptions) -> Result<Self, EsdkError> {
        Self::with_backend(keyring, &RustCryptoBackend, opts)
    }

    /// As [`Encryptor::new`], with another AEAD backend.
    pub fn with_backend(
        keyring: &dyn Keyring,
        backend: &dyn AeadBackend,
        opts: &EncryptOptions,
    ) -> Result<Self, EsdkError> {
        let policy = opts.commitment_policy;
        let suite = opts.suite.unwrap_or_else(|| policy.default_suite());
        policy.check_encrypt(suite)?;
        if opts.frame_length == 0 {
            return Err(EsdkError::InvalidInput("the frame length must be at least 1".to_string()));
        }
        if opts.max_encrypted_data_keys == Some(0) {
            return Err(EsdkError::InvalidInput("maxEncryptedDataKeys must be at least 1".to_string()));
        }
        let frame_length = usize::try_from(opts.frame_length)
            .map_err(|_| EsdkError::InvalidInput("frame length too large for this platform".to_string()))?;
        opts.encryption_context.check_no_reserved_keys()?;
        let mut full = opts.encryption_context.clone();
        let signer = match suite.signature() {
            Some(alg) => {
                let s = MessageSigner::generate(alg)?;
                full.0.insert(PUBLIC_KEY_FIELD.to_string(), s.public_key_b64());
                Some(s)
            }
            None => None,
        };
        let mut stored = full.clone();
        let mut auth_only = EncryptionContext::new();
        for k in &opts.required_encryption_context_keys {
            match stored.0.remove_entry(k) {
                Some((k, v)) => {
                    auth_only.0.insert(k, v);
                }
                None => {
                    return Err(EsdkError::InvalidEncryptionContext(format!(
                        "the required key `{k}` is not in the encryption context"
                    )))
                }
            }
        }
        let mut materials = EncryptionMaterials {
            suite,
            encryption_context: full,
            data_key: None,
            encrypted_data_keys: Vec::new(),
        };
        keyring.on_encrypt(&mut materials)?;
        let data_key = materials
            .data_key
            .ok_or_else(|| EsdkError::InvalidKeyring("no keyring produced a data key".to_string()))?;
        let edks = materials.encrypted_data_keys;
        if edks.is_empty() {
            return Err(EsdkError::InvalidKeyring("no keyring produced an encrypted data key".to_string()));
        }
        if let Some(max) = opts.max_encrypted_data_keys {
            if edks.len() > usize::from(max) {
                return Err(EsdkError::PolicyViolation(format!(
                    "the keyrings produced {} encrypted data keys, more than the allowed {max}",
                    edks.len()
                )));
            }
        }
        let mut message_id = vec![0u8; suite.message_version().message_id_len()];
        getrandom::fill(&mut message_id).map_err(|_| EsdkError::RandomUnavailable)?;
        let keys = derive(suite, &data_key, &message_id)?;
        let cipher = backend.cipher(&keys.content_key)?;
        let content_key = keys.content_key;
        let mut header = Header {
            suite,
            message_id: message_id.clone(),
            encryption_context: stored,
            encrypted_data_keys: edks,
            content_type: ContentType::Framed,
            frame_length: opts.frame_length,
            header_iv: [0u8; 12],
            commitment: keys.commitment,
            auth_tag: [0u8; TAG_LEN],
        };
        let mut header_out = header.serialize_body()?;
        let mut aad = header_out.clone();
        aad.extend_from_slice(&auth_only.serialize()?);
        header.auth_tag = cipher.seal(&header.header_iv, &aad, &mut [])?;
        header_out.extend_from_slice(&header.serialize_auth());
        Ok(Self {
            cipher,
            content_key,
            message_id,
            frame_length,
            next_seq: 1,
            header_out,
            pending: Vec::new(),
            signer,
            header,
            closed: false,
        })
    }

    /// The header that was written.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Push plaintext; returns the message bytes that became available.
    pub fn update(&mut self, chunk: &[u8]) -> Result<Vec<u8>, EsdkError> {
        let mut out = Vec::new();
        self.update_into(chunk, &mut out)?;
        Ok(out)
    }

    /// An upper bound on the length of the whole message for `plaintext_len` bytes of plaintext,
    /// counted from construction (exact except for the length of a signature, which varies).
    pub fn message_len_bound(&self, plaintext_len: u64) -> u64 {
        let fl = self.frame_length as u64;
        let regular = plaintext_len.saturating_sub(1) / fl.max(1);
        let last = plaintext_len - regular * fl;
        let frame_overhead = (4 + 12 + TAG_LEN) as u64;
        let footer = if self.signer.is_some() { 2 + MAX_SIGNATURE_LEN } else { 0 };
        (self.header.serialize_body().map(|b| b.len()).unwrap_or(0) as u64)
            .saturating_add(self.header.serialize_auth().len() as u64)
            .saturating_add(regular.saturating_mul(fl + frame_overhead))
            .saturating_add(4 + last + frame_overhead + 4)
            .saturating_add(footer)
    }

    /// Hash the signed bytes with `make(alg)` instead of in the engine (a worker in the browser).
    /// Returns whether the hash moved (not for unsigned suites, or when `make` gives none); fails
    /// once output has been handed out.
    pub fn hash_outside(&mut self, mut make: OutsideHashFactory<'_>) -> Result<bool, EsdkError> {
        if self.header_out.is_empty() {
            return Err(EsdkError::InvalidInput(
                "the signature's hash can move outside only before the first output".to_string(),
            ));
        }
        match self.signer.as_mut() {
            Some(s) => Ok(s.hash_outside(&mut make)),
            None => Ok(false),
        }
    }

    /// The key that seals the body, for a [`BatchAead`] made outside the engine (WebCrypto).
    pub fn content_key(&self) -> &DataKey {
        &self.content_key
    }

    /// Push plaintext, appending message bytes to `out`.
    pub fn update_into(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), EsdkError> {
        let (start, jobs) = self.lay_out(chunk, out)?;
        let sealed = complete_now(self.cipher.seal_all(out, &jobs)).and_then(|r| r);
        self.absorb(out, start, sealed)
    }

    /// As [`Encryptor::update_into`], with the frames sealed by `aead` (keyed with
    /// [`Encryptor::content_key`]), all of this call's frames in one batch.
    pub async fn update_with<A: BatchAead + ?Sized>(
        &mut self,
        chunk: &[u8],
        out: &mut Vec<u8>,
        aead: &A,
    ) -> Result<(), EsdkError> {
        let (start, jobs) = self.lay_out(chunk, out)?;
        let sealed = aead.seal_all(out, &jobs).await;
        self.absorb(out, start, sealed)
    }

    /// Append the header (once) and every full frame that is certainly not the last one, unsealed.
    fn lay_out(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(usize, Vec<SealJob>), EsdkError> {
        if self.closed {
            return Err(EsdkError::StreamClosed);
        }
        let start = out.len();
        out.append(&mut self.header_out);
        let mut jobs = Vec::new();
        match self.write_frames(chunk, out, &mut jobs) {
            Ok(()) => Ok((start, jobs)),
            Err(e) => {
                self.closed = true;
                out.truncate(start);
                Err(e)
            }
        }
    }

    /// After sealing: hash what was written for the signature, or close the stream on failure.
    fn absorb(
        &mut self,
        out: &mut Vec<u8>,
        start: usize,
        sealed: Result<(), EsdkError>,
    ) -> Result<(), EsdkError> {
        if let Err(e) = sealed {
            self.closed = true;
            out.truncate(start);
            return Err(e);
        }
        if let Some(s) = self.signer.as_mut() {
            s.update(out.get(start..).unwrap_or_default());
        }
        Ok(())
    }

    /// Lay out every full frame that is certainly not the last one; keep the rest pending.
    /// At most one frame of plaintext is held back, and frames come straight from `chunk`.
    fn write_frames(
        &mut self,
        chunk: &[u8],
        out: &mut Vec<u8>,
        jobs: &mut Vec<SealJob>,
    ) -> Result<(), EsdkError> {
        let fl = self.frame_length;
        let mut rest = chunk;
        if !self.pending.is_empty() {
            let fill = fl.saturating_sub(self.pending.len()).min(rest.len());
            let (now, later) = rest.split_at(fill);
            self.pending.extend_from_slice(now);
            rest = later;
            if rest.is_empty() {
                return Ok(());
            }
            let frame = std::mem::take(&mut self.pending);
            jobs.push(self.frame(&frame, out)?);
        }
        while rest.len() > fl {
            let (frame, later) = rest.split_at(fl);
            jobs.push(self.frame(frame, out)?);
            rest = later;
        }
        self.pending.extend_from_slice(rest);
        Ok(())
    }

    fn frame(&mut self, plaintext: &[u8], out: &mut Vec<u8>) -> Result<SealJob, EsdkError> {
        let job = lay_out_frame(out, &self.message_id, self.next_seq, plaintext, false)?;
        self.next_seq = self.next_seq.checked_add(1).filter(|s| *s != u32::MAX).ok_or_else(|| {
            EsdkError::InvalidInput("too much plaintext for this frame length: use larger frames".to_string())
        })?;
        Ok(job)
    }

    /// Write the final frame and, for signed suites, the footer.
    pub fn finish(self) -> Result<Vec<u8>, EsdkError> {
        complete_now(self.finish_inner(None::<&dyn FrameAead>)).and_then(|r| r)
    }

    /// As [`Encryptor::finish`], with the final frame sealed by `aead`.
    pub async fn finish_with<A: BatchAead + ?Sized>(self, aead: &A) -> Result<Vec<u8>, EsdkError> {
        self.finish_inner(Some(aead)).await
    }

    async fn finish_inner<A: BatchAead + ?Sized>(mut self, aead: Option<&A>) -> Result<Vec<u8>, EsdkError> {
        if self.closed {
            return Err(EsdkError::StreamClosed);
        }
        let mut out = std::mem::take(&mut self.header_out);
        let pending = std::mem::take(&mut self.pending);
        let job = lay_out_frame(&mut out, &self.message_id, self.next_seq, &pending, true)?;
        let jobs = [job];
        match aead {
            Some(a) => a.seal_all(&mut out, &jobs).await?,
            None => self.cipher.seal_all(&mut out, &jobs).await?,
        }
        if let Some(mut s) = self.signer.take() {
            s.update(&out);
            out.extend_from_slice(&s.footer().await?);
        }
        Ok(out)
    }
}

/// Encrypt a whole plaintext held in memory.
pub fn encrypt(plaintext: &[u8], keyring: &dyn Keyring, opts: &EncryptOptions) -> Result<Vec<u8>, EsdkError> {
    let mut e = Encryptor::new(keyring, opts)?;
    let mut out = e.update(plaintext)?;
    out.extend(e.finish()?);
    Ok(out)
}
