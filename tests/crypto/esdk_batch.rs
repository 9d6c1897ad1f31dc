//! The batch AEAD seam with a backend that really is asynchronous: it returns `Pending` before
//! each batch and works through the jobs in reverse order, as a pool of WebCrypto calls may finish.
//! Every vector must decrypt to the one-shot outcome through [`BatchDecryptor`] in random chunks,
//! messages sealed through [`Encryptor::update_with`] must equal what the engine reads back, and a
//! bad tag in a batch must release nothing from that call. The signature's hash runs outside the
//! engine too (as in a worker): every vector and signed messages both ways, with a hasher that makes
//! the engine wait for its digest.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::support;

use support::Rng;

use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use secplay::crypto::esdk::aead::{FrameAead, GcmCipher, TAG_LEN};
use secplay::crypto::esdk::signature::{LocalFuture, OutsideHash, OutsideHashFactory};
use secplay::crypto::esdk::suite::SignatureAlgorithm;
use secplay::crypto::esdk::{
    AlgorithmSuite, BatchAead, BatchBackend, BatchDecryptor, CommitmentPolicy, DataKey, DecryptOptions,
    Decryptor, EncryptOptions, Encryptor, EsdkError, OpenJob, SealJob, SignedMessagePolicy,
};
use secplay::crypto::keyring::RawAesKeyring;
use sha2::Digest;

/// Hashes outside the engine: keeps the bytes, counts them in `seen`, and makes the engine wait
/// once before the digest. `corrupt` flips a byte of the digest (a hasher that went wrong).
struct DeferredHash {
    alg: SignatureAlgorithm,
    bytes: Vec<u8>,
    seen: Rc<Cell<usize>>,
    corrupt: bool,
}

impl OutsideHash for DeferredHash {
    fn update(&mut self, bytes: &[u8]) {
        self.seen.set(self.seen.get() + bytes.len());
        self.bytes.extend_from_slice(bytes);
    }

    fn digest(self: Box<Self>) -> LocalFuture<Result<Vec<u8>, EsdkError>> {
        Box::pin(async move {
            YieldOnce(false).await;
            let mut d = match self.alg {
                SignatureAlgorithm::EcdsaP256Sha256 => sha2::Sha256::digest(&self.bytes).to_vec(),
                SignatureAlgorithm::EcdsaP384Sha384 => sha2::Sha384::digest(&self.bytes).to_vec(),
            };
            if self.corrupt {
                d[0] ^= 1;
            }
            Ok(d)
        })
    }
}

fn deferred_hash(seen: &Rc<Cell<usize>>, corrupt: bool) -> OutsideHashFactory<'static> {
    let seen = seen.clone();
    Box::new(move |alg| {
        Some(Box::new(DeferredHash { alg, bytes: Vec::new(), seen: seen.clone(), corrupt })
            as Box<dyn OutsideHash>)
    })
}

/// Yields `Pending` once, then completes.
struct YieldOnce(bool);
impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

/// Poll until ready, counting how often the future had to wait.
fn block_on<F: Future>(fut: F, waits: &Cell<usize>) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
        waits.set(waits.get() + 1);
    }
}

/// Pure-Rust AES-GCM behind an asynchronous, out-of-order batch interface.
struct Deferred(GcmCipher);

impl BatchAead for Deferred {
    async fn seal_all(&self, buf: &mut [u8], jobs: &[SealJob]) -> Result<(), EsdkError> {
        YieldOnce(false).await;
        for job in jobs.iter().rev() {
            let tag = self.0.seal(&job.iv, &job.aad, &mut buf[job.at..job.at + job.len])?;
            buf[job.at + job.len..job.at + job.len + TAG_LEN].copy_from_slice(&tag);
        }
        Ok(())
    }

    async fn open_all(&self, src: &[u8], dst: &mut [u8], jobs: &[OpenJob]) -> Result<(), usize> {
        YieldOnce(false).await;
        let mut first_bad = None;
        for (i, job) in jobs.iter().enumerate().rev() {
            let out = &mut dst[job.to..job.to + job.len];
            out.copy_from_slice(&src[job.from..job.from + job.len]);
            let tag: [u8; TAG_LEN] =
                src[job.from + job.len..job.from + job.len + TAG_LEN].try_into().unwrap();
            if self.0.open(&job.iv, &job.aad, out, &tag).is_err() {
                first_bad = Some(i);
            }
        }
        first_bad.map_or(Ok(()), Err)
    }
}

struct DeferredBackend;
impl BatchBackend for DeferredBackend {
    type Aead = Deferred;
    async fn batch_cipher(&self, key: &DataKey) -> Result<Deferred, EsdkError> {
        YieldOnce(false).await;
        Ok(Deferred(GcmCipher::new(key.as_bytes())?))
    }
}

fn batch_decrypt(
    ct: &[u8],
    test: &serde_json::Value,
    rng: &mut Rng,
    waits: &Cell<usize>,
    hash: Option<OutsideHashFactory<'static>>,
) -> Result<Vec<u8>, EsdkError> {
    let keyring = support::keyring_for(test);
    let mut inner = Decryptor::new(&*keyring, support::options_for(test));
    if let Some(h) = hash {
        inner.hash_outside(h);
    }
    let mut d = BatchDecryptor::new(inner, DeferredBackend);
    let mut out = Vec::new();
    let mut rest = ct;
    while !rest.is_empty() {
        let n = (rng.next() % 20_000) as usize + 1;
        let (now, later) = rest.split_at(n.min(rest.len()));
        block_on(d.update_into(now, &mut out), waits)?;
        rest = later;
    }
    out.extend(d.finish()?);
    Ok(out)
}

#[test]
fn every_vector_through_an_asynchronous_out_of_order_backend() {
    let waits = Cell::new(0);
    let mut rng = Rng(0x05EC_91A7);
    let tests = support::manifest()["tests"].as_array().unwrap().clone();
    for test in &tests {
        let ct = support::read(test["ciphertext"].as_str().unwrap());
        support::check(test, batch_decrypt(&ct, test, &mut rng, &waits, None));
    }
    assert!(waits.get() > tests.len(), "the backend never made the engine wait ({} waits)", waits.get());
}

#[test]
fn every_vector_with_the_signature_hashed_outside_the_engine() {
    let waits = Cell::new(0);
    let seen = Rc::new(Cell::new(0));
    let mut rng = Rng(0x0A75_1DE5);
    let tests = support::manifest()["tests"].as_array().unwrap().clone();
    for test in &tests {
        let ct = support::read(test["ciphertext"].as_str().unwrap());
        support::check(test, batch_decrypt(&ct, test, &mut rng, &waits, Some(deferred_hash(&seen, false))));
    }
    assert!(seen.get() > 0, "no vector's signature was hashed outside");
}

fn keyring() -> RawAesKeyring {
    RawAesKeyring::new("ns", "key", DataKey::new((0u8..32).collect())).unwrap()
}

fn seal_with_batches(plaintext: &[u8], suite: u16, chunk: usize) -> Vec<u8> {
    seal_hashing(plaintext, suite, chunk, None)
}

fn seal_hashing(
    plaintext: &[u8],
    suite: u16,
    chunk: usize,
    hash: Option<OutsideHashFactory<'static>>,
) -> Vec<u8> {
    let waits = Cell::new(0);
    let opts = EncryptOptions {
        suite: Some(AlgorithmSuite::from_id(suite).unwrap()),
        frame_length: 100,
        commitment_policy: if suite < 0x0478 {
            CommitmentPolicy::ForbidEncryptAllowDecrypt
        } else {
            CommitmentPolicy::RequireEncryptRequireDecrypt
        },
        ..EncryptOptions::default()
    };
    let mut e = Encryptor::new(&keyring(), &opts).unwrap();
    if let Some(h) = hash {
        e.hash_outside(h).unwrap();
    }
    let aead = Deferred(GcmCipher::new(e.content_key().as_bytes()).unwrap());
    let mut out = Vec::new();
    for c in plaintext.chunks(chunk) {
        block_on(e.update_with(c, &mut out, &aead), &waits).unwrap();
    }
    out.extend(block_on(e.finish_with(&aead), &waits).unwrap());
    assert!(waits.get() > 0);
    out
}

#[test]
fn batch_sealed_messages_read_back_with_the_synchronous_engine() {
    let commit = DecryptOptions {
        commitment_policy: CommitmentPolicy::RequireEncryptAllowDecrypt,
        ..DecryptOptions::default()
    };
    for suite in [0x0014, 0x0046, 0x0078, 0x0114, 0x0178, 0x0214, 0x0378, 0x0478, 0x0578] {
        for (len, chunk) in [(0, 7), (1, 1), (100, 100), (1_000, 333), (12_345, 4_096)] {
            let pt: Vec<u8> = (0..len).map(|i| (i * 7 + suite as usize) as u8).collect();
            let ct = seal_with_batches(&pt, suite, chunk);
            let back = secplay::crypto::esdk::decrypt(&ct, &keyring(), &commit)
                .unwrap_or_else(|e| panic!("0x{suite:04x} {len}: {e}"));
            assert_eq!(back.plaintext, pt, "0x{suite:04x} {len}");
        }
    }
}

#[test]
fn a_bad_tag_in_a_batch_releases_nothing_from_that_call() {
    let pt = vec![0x5Au8; 1_000];
    let ct = seal_with_batches(&pt, 0x0478, 1_000);
    let waits = Cell::new(0);
    // Flip a bit in the 6th frame's ciphertext: frames 1-5 are fine, but they arrive in the same call.
    let mut bad = ct.clone();
    // 1,000 bytes in frames of 100: nine regular frames of 132 bytes and a final one of 140.
    let header_len = ct.len() - 9 * 132 - 140;
    bad[header_len + 5 * (4 + 12 + 100 + TAG_LEN) + 4 + 12 + 3] ^= 1;
    let opts = DecryptOptions::default();
    let kr = keyring();
    let mut d = BatchDecryptor::new(Decryptor::new(&kr, opts.clone()), DeferredBackend);
    let mut out = Vec::new();
    let err = block_on(d.update_into(&bad, &mut out), &waits).unwrap_err();
    assert!(matches!(err, EsdkError::DecryptionFailed("frame")), "{err:?}");
    assert!(out.is_empty(), "{} bytes released from a failing call", out.len());
    let err = block_on(d.update_into(&[], &mut out), &waits).unwrap_err();
    assert!(matches!(err, EsdkError::StreamClosed));
    // Fed frame by frame, the frames before the bad one come out, and nothing after it.
    let mut d = BatchDecryptor::new(Decryptor::new(&kr, opts), DeferredBackend);
    let mut out = Vec::new();
    let mut result = Ok(());
    for c in bad.chunks(4 + 12 + 100 + TAG_LEN) {
        result = block_on(d.update_into(c, &mut out), &waits);
        if result.is_err() {
            break;
        }
    }
    assert!(result.is_err());
    assert!(out.len() <= 500 && pt.starts_with(&out), "released {} bytes", out.len());
}

#[test]
fn signed_messages_through_batches_follow_each_policy() {
    let pt: Vec<u8> = (0..5_000u32).map(|i| (i % 251) as u8).collect();
    let ct = seal_with_batches(&pt, 0x0578, 700);
    let kr = keyring();
    let waits = Cell::new(0);
    let run = |policy: SignedMessagePolicy, ct: &[u8]| -> (Vec<u8>, Result<Vec<u8>, EsdkError>) {
        let opts = DecryptOptions { signed_messages: policy, ..DecryptOptions::default() };
        let mut d = BatchDecryptor::new(Decryptor::new(&kr, opts), DeferredBackend);
        let mut out = Vec::new();
        for c in ct.chunks(999) {
            if let Err(e) = block_on(d.update_into(c, &mut out), &waits) {
                return (out, Err(e));
            }
        }
        let rest = d.finish();
        (out, rest)
    };
    // Buffered: nothing comes out before the signature verified, then everything.
    let (early, rest) = run(SignedMessagePolicy::BufferUntilVerified(1 << 20), &ct[..ct.len() - 1]);
    assert!(early.is_empty(), "{} bytes released before the signature", early.len());
    assert!(rest.is_err());
    let (early, rest) = run(SignedMessagePolicy::BufferUntilVerified(1 << 20), &ct);
    assert_eq!([early, rest.unwrap()].concat(), pt);
    // Released: frames flow, but the final frame waits for the signature.
    let (early, rest) = run(SignedMessagePolicy::ReleaseBeforeSignature, &ct[..ct.len() - 1]);
    assert!(!early.is_empty() && early.len() < pt.len() && pt.starts_with(&early));
    assert!(rest.is_err());
    // A bad signature releases nothing more.
    let mut bad = ct.clone();
    let last = bad.len() - 5;
    bad[last] ^= 1;
    let (early, rest) = run(SignedMessagePolicy::ReleaseBeforeSignature, &bad);
    assert!(early.len() < pt.len(), "all {} bytes released despite the bad signature", early.len());
    assert!(matches!(rest, Err(EsdkError::SignatureInvalid)), "a bad signature ended with {rest:?}");
    let (_, rest) = run(SignedMessagePolicy::RejectSigned, &ct);
    assert!(matches!(rest, Err(EsdkError::PolicyViolation(_))), "{rest:?}");
}

#[test]
fn signatures_hashed_outside_the_engine_read_both_ways() {
    let kr = keyring();
    let commit = DecryptOptions {
        commitment_policy: CommitmentPolicy::RequireEncryptAllowDecrypt,
        ..DecryptOptions::default()
    };
    for suite in [0x0214, 0x0346, 0x0378, 0x0578] {
        for (len, chunk) in [(0, 7), (1, 1), (1_000, 333), (12_345, 4_096)] {
            let pt: Vec<u8> = (0..len).map(|i| (i * 3 + suite as usize) as u8).collect();
            let seen = Rc::new(Cell::new(0));
            let ct = seal_hashing(&pt, suite, chunk, Some(deferred_hash(&seen, false)));
            // Everything before the footer (u16 length + DER signature) went to the outside hash.
            let footer = 2 + usize::from(u16::from_be_bytes([ct[seen.get()], ct[seen.get() + 1]]));
            assert_eq!(seen.get() + footer, ct.len(), "0x{suite:04x} {len}");
            let back = secplay::crypto::esdk::decrypt(&ct, &kr, &commit)
                .unwrap_or_else(|e| panic!("0x{suite:04x} {len}: {e}"));
            assert_eq!(back.plaintext, pt, "0x{suite:04x} {len}");
            // And read back with the hash outside again, in awkward chunks.
            let waits = Cell::new(0);
            let seen_back = Rc::new(Cell::new(0));
            let mut d = Decryptor::new(&kr, commit.clone());
            d.hash_outside(deferred_hash(&seen_back, false));
            let mut d = BatchDecryptor::new(d, DeferredBackend);
            let mut out = Vec::new();
            for c in ct.chunks(777) {
                block_on(d.update_into(c, &mut out), &waits).unwrap();
            }
            out.extend(d.finish().unwrap());
            assert_eq!(out, pt, "0x{suite:04x} {len}");
            assert_eq!(seen_back.get(), seen.get(), "0x{suite:04x} {len}");
        }
    }
    // Unsigned suites have nothing to hash.
    let mut e = Encryptor::new(
        &kr,
        &EncryptOptions { suite: AlgorithmSuite::from_id(0x0478).ok(), ..EncryptOptions::default() },
    )
    .unwrap();
    assert!(!e.hash_outside(deferred_hash(&Rc::new(Cell::new(0)), false)).unwrap());
}

#[test]
fn an_outside_hash_that_goes_wrong_fails_the_message() {
    let kr = keyring();
    let pt = vec![7u8; 3_000];
    let waits = Cell::new(0);
    // Signing with a wrong digest makes a message no one accepts.
    let ct = seal_hashing(&pt, 0x0578, 1_000, Some(deferred_hash(&Rc::new(Cell::new(0)), true)));
    let err = secplay::crypto::esdk::decrypt(&ct, &kr, &DecryptOptions::default()).unwrap_err();
    assert!(matches!(err, EsdkError::SignatureInvalid), "{err:?}");
    // Verifying with a wrong digest rejects a good message and holds its final frame back.
    let good = seal_with_batches(&pt, 0x0578, 1_000);
    let opts = DecryptOptions {
        signed_messages: SignedMessagePolicy::ReleaseBeforeSignature,
        ..DecryptOptions::default()
    };
    let mut d = Decryptor::new(&kr, opts.clone());
    d.hash_outside(deferred_hash(&Rc::new(Cell::new(0)), true));
    let mut d = BatchDecryptor::new(d, DeferredBackend);
    let mut out = Vec::new();
    let err = block_on(d.update_into(&good, &mut out), &waits).unwrap_err();
    assert!(matches!(err, EsdkError::SignatureInvalid), "{err:?}");
    assert!(out.is_empty(), "{} bytes released from the failing call", out.len());
    // The synchronous calls cannot wait for an outside digest: a clear error, not a wrong answer.
    let mut d = Decryptor::new(&kr, opts);
    d.hash_outside(deferred_hash(&Rc::new(Cell::new(0)), false));
    let err = d.update(&good).unwrap_err();
    assert!(matches!(err, EsdkError::InvalidInput(_)), "{err:?}");
    // The hash can move outside only before any output.
    let mut e = Encryptor::new(&kr, &EncryptOptions::default()).unwrap();
    e.update(b"x").unwrap();
    assert!(e.hash_outside(deferred_hash(&Rc::new(Cell::new(0)), false)).is_err());
}
