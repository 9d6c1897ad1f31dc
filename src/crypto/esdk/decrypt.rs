//! Decryption: an incremental [`Decryptor`] (push any chunk sizes, get verified plaintext out) and
//! the one-shot [`decrypt`].
//!
//! Memory is bounded by one frame (at most `max_frame_length`) plus the header, whatever the
//! message size. A frame's plaintext is released only after its AES-GCM tag verifies. Signed
//! suites follow [`SignedMessagePolicy`]: the signature covers the whole message, so it can only
//! be checked at the end; see that type for the ESDK rule. The one-shot [`decrypt`] returns
//! nothing unless everything, signature included, verified.
//!
//! Each call parses every complete unit first and then opens them as one batch through a
//! [`BatchAead`] (the pure-Rust cipher for the synchronous calls; any [`BatchBackend`] through
//! [`BatchDecryptor`]). A call that fails releases nothing.

use std::collections::BTreeMap;

use super::aead::{
    complete_now, AeadBackend, BatchAead, BatchBackend, FrameAead, OpenJob, RustCryptoBackend, TAG_LEN,
};
use super::body::{body_aad, parse_frame, parse_single_block, UnitKind};
use super::context::{EncryptionContext, PUBLIC_KEY_FIELD};
use super::error::EsdkError;
use super::header::{ContentType, Header, ParsedHeader};
use super::kdf::{check_commitment, derive};
use super::materials::{DataKey, DecryptionMaterials};
use super::options::{DecryptOptions, SignedMessagePolicy};
use super::reader::ParseError;
use super::signature::{MessageVerifier, OutsideHashFactory};
use super::suite::MessageVersion;
use crate::crypto::keyring::Keyring;

/// A header larger than this is refused rather than buffered.
pub const MAX_HEADER_LEN: usize = 4 * 1024 * 1024;

/// Units parsed in one call, waiting to be opened as one batch.
#[derive(Debug, Default)]
struct Batch {
    /// Units whose plaintext is released in `out`.
    out: Vec<OpenJob>,
    /// Units whose plaintext is held until the signature verifies.
    held: Vec<OpenJob>,
    /// What a unit is called in a failure ("frame" or "message body").
    what: &'static str,
    /// The last unit was parsed: open before reading the footer.
    ends: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Header,
    Body,
    Footer,
    Done,
    Failed,
}

/// An incremental ESDK message decryptor.
pub struct Decryptor<'k> {
    keyring: Box<dyn Keyring + 'k>,
    backend: Box<dyn AeadBackend + 'k>,
    opts: DecryptOptions,
    buf: Vec<u8>,
    /// Offset in the message of `buf[0]`.
    offset: usize,
    /// Do not retry parsing until `buf` holds this many bytes.
    need: usize,
    state: State,
    header: Option<Header>,
    cipher: Option<Box<dyn FrameAead>>,
    content_key: Option<DataKey>,
    verifier: Option<MessageVerifier>,
    /// Makes the signature's hasher when it runs outside the engine.
    outside_hash: Option<OutsideHashFactory<'k>>,
    /// A footer's signature, read and waiting to be checked at the end of its batch.
    signature: Option<Vec<u8>>,
    next_seq: u32,
    held: Vec<u8>,
}

impl std::fmt::Debug for Decryptor<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Decryptor")
            .field("state", &self.state)
            .field("offset", &self.offset)
            .field("buffered", &self.buf.len())
            .finish()
    }
}

/// The result of a one-shot decrypt.
#[derive(Debug, Clone)]
pub struct Decrypted {
    /// The plaintext.
    pub plaintext: Vec<u8>,
    /// The message header.
    pub header: Header,
}

impl<'k> Decryptor<'k> {
    /// A decryptor with the pure-Rust AEAD backend.
    pub fn new(keyring: impl Keyring + 'k, opts: DecryptOptions) -> Self {
        Self::with_backend(keyring, RustCryptoBackend, opts)
    }

    /// A decryptor with another AEAD backend.
    pub fn with_backend(
        keyring: impl Keyring + 'k,
        backend: impl AeadBackend + 'k,
        opts: DecryptOptions,
    ) -> Self {
        Self {
            keyring: Box::new(keyring),
            backend: Box::new(backend),
            opts,
            buf: Vec::new(),
            offset: 0,
            need: 1,
            state: State::Header,
            header: None,
            cipher: None,
            content_key: None,
            verifier: None,
            outside_hash: None,
            signature: None,
            next_seq: 1,
            held: Vec::new(),
        }
    }

    /// Hash a signed message's bytes with `make(alg)` instead of in the engine (a worker in the
    /// browser). The signature is then checked asynchronously, so only the batch calls
    /// ([`BatchDecryptor`]) can finish such a message.
    pub fn hash_outside(&mut self, make: OutsideHashFactory<'k>) {
        self.outside_hash = Some(make);
    }

    /// The header, once it has been read and authenticated.
    pub fn header(&self) -> Option<&Header> {
        match self.state {
            State::Header | State::Failed => None,
            _ => self.header.as_ref(),
        }
    }

    /// Input bytes held while waiting for the rest of a header, frame or footer (plus any plaintext
    /// held for [`SignedMessagePolicy::BufferUntilVerified`]): bounded by one frame, not the message.
    pub fn buffered_len(&self) -> usize {
        self.buf.len() + self.held.len()
    }

    /// Whether the whole message (footer included) has been read and verified.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// Push ciphertext; returns the plaintext that became available (possibly empty).
    pub fn update(&mut self, chunk: &[u8]) -> Result<Vec<u8>, EsdkError> {
        let mut out = Vec::new();
        self.update_into(chunk, &mut out)?;
        Ok(out)
    }

    /// Push ciphertext, appending released plaintext to `out`.
    pub fn update_into(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), EsdkError> {
        complete_now(self.run(chunk, out, None::<&RustCryptoBackend>, &mut None)).and_then(|r| r)
    }

    /// Parse and open `chunk`'s complete units batch by batch: a batch ends at the end of the input
    /// or after the last unit (whose plaintext the footer may release). With a `backend`, its cipher
    /// (made once, in `slot`) opens the frames; without, the pure-Rust one.
    async fn run<B: BatchBackend>(
        &mut self,
        chunk: &[u8],
        out: &mut Vec<u8>,
        backend: Option<&B>,
        slot: &mut Option<B::Aead>,
    ) -> Result<(), EsdkError> {
        if self.state == State::Failed {
            return Err(EsdkError::StreamClosed);
        }
        let released = out.len();
        // Parse straight from the caller's chunk when nothing is pending; copy only leftovers.
        let mut pending = std::mem::take(&mut self.buf);
        let from_chunk = pending.is_empty();
        if !from_chunk {
            pending.extend_from_slice(chunk);
        }
        let input: &[u8] = if from_chunk { chunk } else { &pending };
        let mut consumed = 0usize;
        let result = loop {
            let rest = input.get(consumed..).unwrap_or_default();
            let mut batch = Batch::default();
            let (used, parsed) = self.process(rest, out, &mut batch);
            consumed += used;
            let flush = match parsed {
                Ok(flush) => flush,
                Err(e) => break Err(e),
            };
            if let Err(e) = self.open_batch(rest, out, &batch, backend, slot).await {
                break Err(e);
            }
            if let Some(sig) = self.signature.take() {
                if let Err(e) = self.check_signature(&sig, out).await {
                    break Err(e);
                }
            }
            if !flush || used == 0 {
                break Ok(());
            }
        };
        match result {
            Ok(()) => {
                self.buf = input.get(consumed..).unwrap_or_default().to_vec();
                Ok(())
            }
            Err(e) => {
                self.state = State::Failed;
                self.buf = Vec::new();
                self.held = Vec::new();
                out.truncate(released);
                Err(e)
            }
        }
    }

    /// Open a batch's units: those released now into `out`, those held into `self.held`.
    async fn open_batch<B: BatchBackend>(
        &mut self,
        src: &[u8],
        out: &mut [u8],
        batch: &Batch,
        backend: Option<&B>,
        slot: &mut Option<B::Aead>,
    ) -> Result<(), EsdkError> {
        if batch.out.is_empty() && batch.held.is_empty() {
            return Ok(());
        }
        let opened = match backend {
            Some(b) => {
                if slot.is_none() {
                    let key = self.content_key.as_ref().ok_or(EsdkError::StreamClosed)?;
                    *slot = Some(b.batch_cipher(key).await?);
                }
                let aead = slot.as_ref().ok_or(EsdkError::StreamClosed)?;
                open_both(aead, src, out, &mut self.held, batch).await
            }
            None => {
                let aead = self.cipher.as_ref().ok_or(EsdkError::StreamClosed)?;
                open_both(aead.as_ref(), src, out, &mut self.held, batch).await
            }
        };
        opened.map_err(|_| EsdkError::DecryptionFailed(batch.what))
    }

    /// The footer's signature over everything before it; then the held plaintext is released.
    async fn check_signature(&mut self, sig: &[u8], out: &mut Vec<u8>) -> Result<(), EsdkError> {
        let verifier = self.verifier.take().ok_or(EsdkError::StreamClosed)?;
        verifier.verify(sig).await?;
        out.append(&mut self.held);
        self.state = State::Done;
        Ok(())
    }

    /// Declare the end of the input: fails if the message is incomplete or its signature did not verify.
    pub fn finish(mut self) -> Result<Vec<u8>, EsdkError> {
        match self.state {
            State::Done => Ok(std::mem::take(&mut self.held)),
            State::Failed => Err(EsdkError::StreamClosed),
            State::Header => Err(EsdkError::Truncated { what: "the header" }),
            State::Body => Err(EsdkError::Truncated { what: "the body" }),
            State::Footer => Err(EsdkError::Truncated { what: "the signature footer" }),
        }
    }

    /// Parse as many units of `input` as are complete, up to the end of a batch; returns the bytes
    /// consumed and whether the batch ended early (after the last unit).
    fn process(
        &mut self,
        input: &[u8],
        out: &mut Vec<u8>,
        batch: &mut Batch,
    ) -> (usize, Result<bool, EsdkError>) {
        let mut pos = 0usize;
        let result = loop {
            let avail = input.get(pos..).unwrap_or_default();
            if self.state == State::Done {
                if avail.is_empty() {
                    break Ok(false);
                }
                break Err(EsdkError::malformed(self.offset + pos, "bytes follow the end of the message"));
            }
            if avail.len() < self.need || avail.is_empty() {
                break Ok(false);
            }
            match self.step(avail, pos, out, batch) {
                Ok(Some(used)) => {
                    pos += used;
                    self.need = 1;
                    if batch.ends {
                        break Ok(true);
                    }
                }
                Ok(None) => break Ok(false),
                Err(e) => break Err(e),
            }
        };
        self.offset += pos;
        (pos, result)
    }

    /// One parse step on `avail`, which starts at `pos` of the batch's input: `Some(bytes
    /// consumed)`, or `None` when more input is needed.
    fn step(
        &mut self,
        avail: &[u8],
        pos: usize,
        out: &mut Vec<u8>,
        batch: &mut Batch,
    ) -> Result<Option<usize>, EsdkError> {
        match self.state {
            State::Header => {
                check_not_base64(avail)?;
                match Header::parse(avail, self.opts.max_encrypted_data_keys) {
                    Ok(parsed) => {
                        let used = parsed.total_len;
                        let bytes = avail.get(..used).unwrap_or_default().to_vec();
                        self.begin_body(parsed, &bytes)?;
                        Ok(Some(used))
                    }
                    Err(ParseError::Incomplete(n)) if n > MAX_HEADER_LEN => Err(EsdkError::PolicyViolation(
                        format!("the header is longer than {MAX_HEADER_LEN} bytes"),
                    )),
                    Err(ParseError::Incomplete(n)) => self.wait(n),
                    Err(ParseError::Invalid(e)) => Err(e),
                }
            }
            State::Body => self.body_step(avail, pos, batch, out),
            State::Footer => {
                let Some((len, rest)) = avail.split_first_chunk::<2>() else {
                    return self.wait(2);
                };
                let len = usize::from(u16::from_be_bytes(*len));
                let Some(sig) = rest.get(..len) else {
                    return self.wait(2 + len);
                };
                // Checked once the batch is done (the hash may still be running elsewhere).
                self.signature = Some(sig.to_vec());
                batch.ends = true;
                Ok(Some(2 + len))
            }
            State::Done | State::Failed => Ok(None),
        }
    }

    fn wait(&mut self, n: usize) -> Result<Option<usize>, EsdkError> {
        self.need = n;
        Ok(None)
    }

    /// Parse one unit and queue it for opening, with room made for its plaintext.
    fn body_step(
        &mut self,
        avail: &[u8],
        pos: usize,
        batch: &mut Batch,
        out: &mut Vec<u8>,
    ) -> Result<Option<usize>, EsdkError> {
        let base = self.offset + pos;
        let header = self.header.as_ref().ok_or(EsdkError::StreamClosed)?;
        let parsed = match header.content_type {
            ContentType::Framed => parse_frame(avail, base, header.frame_length, self.next_seq),
            ContentType::NonFramed => parse_single_block(avail, base, u64::from(self.opts.max_frame_length)),
        };
        let unit = match parsed {
            Ok(u) => u,
            Err(ParseError::Incomplete(n)) => return self.wait(n),
            Err(ParseError::Invalid(e)) => return Err(e),
        };
        let len = unit.ciphertext.len();
        let aad = body_aad(&header.message_id, unit.kind, unit.seq, len as u64);
        batch.what = match unit.kind {
            UnitKind::SingleBlock => "message body",
            _ => "frame",
        };
        let is_last = unit.kind != UnitKind::Frame;
        let signed = self.verifier.is_some();
        let hold = match self.opts.signed_messages {
            SignedMessagePolicy::ReleaseBeforeSignature => signed && is_last,
            SignedMessagePolicy::BufferUntilVerified(max) => {
                if signed && (self.held.len() + len) as u64 > max {
                    return Err(EsdkError::PolicyViolation(format!(
                        "a signed message holds more than the {max} bytes of plaintext this decryptor may buffer before its signature is checked"
                    )));
                }
                signed
            }
            SignedMessagePolicy::RejectSigned => false,
        };
        // Held plaintext of a signed message waits for the signature (the final frame in release
        // mode, so a caller that ignores the failure never holds the complete plaintext).
        // Plaintext is only placed (and, in `out`, released) once the whole batch has opened.
        let from = pos + unit.len - TAG_LEN - len;
        let job = |to| OpenJob { iv: unit.iv, aad, from, to, len };
        if hold {
            let to = self.held.len();
            self.held.resize(to + len, 0);
            batch.held.push(job(to));
        } else {
            let to = out.len();
            out.resize(to + len, 0);
            batch.out.push(job(to));
        }
        let used = unit.len;
        if let Some(v) = self.verifier.as_mut() {
            v.update(avail.get(..used).unwrap_or_default());
        }
        if is_last {
            batch.ends = true;
            self.state = if signed { State::Footer } else { State::Done };
        } else {
            self.next_seq = self.next_seq.checked_add(1).ok_or_else(|| {
                EsdkError::malformed(base, "too many frames: the sequence number overflowed")
            })?;
        }
        Ok(Some(used))
    }

    /// Checks on a complete header, key retrieval, header authentication.
    fn begin_body(&mut self, parsed: ParsedHeader, header_bytes: &[u8]) -> Result<(), EsdkError> {
        let header = parsed.header;
        let suite = header.suite;
        self.opts.commitment_policy.check_decrypt(suite)?;
        if suite.is_signed() && self.opts.signed_messages == SignedMessagePolicy::RejectSigned {
            return Err(EsdkError::PolicyViolation(format!(
                "suite `0x{:04x}` signs its messages, and this decryptor only accepts unsigned ones",
                suite.id()
            )));
        }
        if header.content_type == ContentType::Framed && header.frame_length > self.opts.max_frame_length {
            return Err(EsdkError::PolicyViolation(format!(
                "the frame length {} exceeds the {} bytes this decryptor may buffer",
                header.frame_length, self.opts.max_frame_length
            )));
        }
        let stored = &header.encryption_context;
        let has_pk = stored.get(PUBLIC_KEY_FIELD).is_some();
        if has_pk != suite.is_signed() {
            let reason = if has_pk {
                format!(
                    "unsigned suite `0x{:04x}` but the encryption context carries `{PUBLIC_KEY_FIELD}`",
                    suite.id()
                )
            } else {
                format!(
                    "signed suite `0x{:04x}` but the encryption context lacks `{PUBLIC_KEY_FIELD}`",
                    suite.id()
                )
            };
            // Point at the encryption context field: after version, type (v1), suite, message id, length.
            let v1_type = usize::from(header.version() == MessageVersion::V1);
            let at = 1 + v1_type + 2 + header.message_id.len() + 2;
            return Err(EsdkError::malformed(at, reason));
        }
        let auth_only = self.authenticate_only(stored)?;
        let mut full = stored.clone();
        full.0.extend(auth_only.0.iter().map(|(k, v)| (k.clone(), v.clone())));
        let materials = DecryptionMaterials { suite, encryption_context: full, data_key: None };
        let data_key = self
            .keyring
            .on_decrypt(&materials, &header.encrypted_data_keys)?
            .ok_or(EsdkError::NoKeyringCouldDecrypt { edks: header.encrypted_data_keys.len() })?;
        let keys = derive(suite, &data_key, &header.message_id)?;
        if let (Some(stored), Some(derived)) = (&header.commitment, &keys.commitment) {
            check_commitment(stored, derived)?;
        }
        let cipher = self.backend.cipher(&keys.content_key)?;
        let mut aad = header_bytes.get(..parsed.body_len).unwrap_or_default().to_vec();
        aad.extend_from_slice(&auth_only.serialize()?);
        cipher
            .open(&header.header_iv, &aad, &mut [], &header.auth_tag)
            .map_err(|_| EsdkError::DecryptionFailed("header"))?;
        if let Some(alg) = suite.signature() {
            let pk = stored.get(PUBLIC_KEY_FIELD).unwrap_or_default();
            let mut v = MessageVerifier::with_hash(alg, pk, self.outside_hash.as_mut())?;
            v.update(header_bytes);
            self.verifier = Some(v);
        }
        self.cipher = Some(cipher);
        self.content_key = Some(keys.content_key);
        self.header = Some(header);
        self.state = State::Body;
        Ok(())
    }

    /// Reproduced entries not stored in the message (checked against the stored ones).
    fn authenticate_only(&self, stored: &EncryptionContext) -> Result<EncryptionContext, EsdkError> {
        let empty = EncryptionContext::new();
        let reproduced = self.opts.reproduced_encryption_context.as_ref().unwrap_or(&empty);
        for k in &self.opts.required_encryption_context_keys {
            if reproduced.get(k).is_none() {
                return Err(EsdkError::EncryptionContextMismatch(format!(
                    "the required key `{k}` is missing from the reproduced encryption context"
                )));
            }
        }
        let mut only = BTreeMap::new();
        for (k, v) in &reproduced.0 {
            match stored.get(k) {
                Some(s) if s == v => {}
                Some(_) => {
                    return Err(EsdkError::EncryptionContextMismatch(format!(
                        "the reproduced value of `{k}` differs from the one stored in the message"
                    )))
                }
                None => {
                    only.insert(k.clone(), v.clone());
                }
            }
        }
        Ok(EncryptionContext(only))
    }
}

/// Open a batch's released units into `out`, then its held ones into `held`.
async fn open_both<A: BatchAead + ?Sized>(
    aead: &A,
    src: &[u8],
    out: &mut [u8],
    held: &mut [u8],
    batch: &Batch,
) -> Result<(), usize> {
    aead.open_all(src, out, &batch.out).await?;
    aead.open_all(src, held, &batch.held).await
}

/// A [`Decryptor`] whose frames a [`BatchBackend`] opens, a batch per call (WebCrypto in the browser).
pub struct BatchDecryptor<'k, B: BatchBackend> {
    inner: Decryptor<'k>,
    backend: B,
    aead: Option<B::Aead>,
}

impl<B: BatchBackend> std::fmt::Debug for BatchDecryptor<'_, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchDecryptor").field("inner", &self.inner).finish()
    }
}

impl<'k, B: BatchBackend> BatchDecryptor<'k, B> {
    /// Wrap a decryptor; the backend's cipher is made once the header gives the key.
    pub fn new(inner: Decryptor<'k>, backend: B) -> Self {
        Self { inner, backend, aead: None }
    }

    /// The decryptor (header, state).
    pub fn inner(&self) -> &Decryptor<'k> {
        &self.inner
    }

    /// The decryptor, for its synchronous calls (pure-Rust cipher).
    pub fn inner_mut(&mut self) -> &mut Decryptor<'k> {
        &mut self.inner
    }

    /// As [`Decryptor::update_into`], with this call's frames opened as one batch.
    pub async fn update_into(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), EsdkError> {
        self.inner.run(chunk, out, Some(&self.backend), &mut self.aead).await
    }

    /// As [`Decryptor::finish`].
    pub fn finish(self) -> Result<Vec<u8>, EsdkError> {
        self.inner.finish()
    }
}

/// The spec's base64 check: a message starts with 0x01 0x80 or 0x02; in base64 that is `AY` / `Ag`.
fn check_not_base64(bytes: &[u8]) -> Result<(), EsdkError> {
    if let [b'A', second, ..] = bytes {
        if matches!(second, b'Y' | b'g') {
            let prefix: String = bytes.iter().take(4).map(|&b| char::from(b)).collect();
            return Err(EsdkError::Base64Input { prefix });
        }
    }
    Ok(())
}

/// The options of a one-shot decrypt: the caller sees no plaintext before every check passed, so
/// the streaming limits on buffered frames and signed messages do not apply.
pub fn one_shot_options(opts: &DecryptOptions) -> DecryptOptions {
    let mut opts = opts.clone();
    // The input is already in memory, so bounding the buffered frame adds nothing here.
    opts.max_frame_length = u32::MAX;
    if opts.signed_messages != SignedMessagePolicy::RejectSigned {
        opts.signed_messages = SignedMessagePolicy::ReleaseBeforeSignature;
    }
    opts
}

/// Decrypt a whole message held in memory. No plaintext is returned unless every check passed.
pub fn decrypt(
    ciphertext: &[u8],
    keyring: &dyn Keyring,
    opts: &DecryptOptions,
) -> Result<Decrypted, EsdkError> {
    let mut d = Decryptor::new(keyring, one_shot_options(opts));
    let mut plaintext = Vec::new();
    d.update_into(ciphertext, &mut plaintext)?;
    let header = d.header.clone();
    plaintext.extend(d.finish()?);
    let header = header.ok_or(EsdkError::Truncated { what: "the header" })?;
    Ok(Decrypted { plaintext, header })
}
