//! ECDSA message signatures of the signing suites: P-256/SHA-256 and P-384/SHA-384.
//!
//! The hash runs over the header and body as they stream by; the footer holds a DER signature.
//! The verification key travels in the encryption context as base64 of the compressed point.
//! This file does not decide when plaintext may be released (see `decrypt.rs`).
//!
//! The hash may also run outside the engine ([`OutsideHash`]): in the browser a worker hashes on
//! the other core while the calling thread drives the frames' AES-GCM, and the digest is awaited
//! only when the footer is signed or checked.

use std::future::Future;
use std::pin::Pin;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use p256::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
use sha2::{Digest, Sha256, Sha384};
use zeroize::Zeroizing;

use super::error::EsdkError;
use super::suite::SignatureAlgorithm;

/// A boxed future that may hold JS values (not `Send`).
pub type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// Hashes a message's signed bytes outside the engine, with the suite's hash (SHA-256 for P-256,
/// SHA-384 for P-384). Bytes arrive in message order; `digest` resolves to the hash of all of
/// them. A failure (say, the worker died) is reported by `digest`, so `update` cannot fail.
pub trait OutsideHash {
    /// Hash these bytes next.
    fn update(&mut self, bytes: &[u8]);
    /// The digest of everything handed to `update`.
    fn digest(self: Box<Self>) -> LocalFuture<Result<Vec<u8>, EsdkError>>;
}

/// Makes an [`OutsideHash`] for a suite's signature algorithm, or `None` to hash in the engine.
pub type OutsideHashFactory<'a> = Box<dyn FnMut(SignatureAlgorithm) -> Option<Box<dyn OutsideHash>> + 'a>;

/// SHA-256 or SHA-384 over a message's signed bytes, as its suite's signature needs (also what the
/// browser's hash worker runs).
pub enum SignedBytesHash {
    /// For ECDSA P-256.
    Sha256(Sha256),
    /// For ECDSA P-384.
    Sha384(Sha384),
}

impl SignedBytesHash {
    /// A fresh hash for `alg`.
    pub fn new(alg: SignatureAlgorithm) -> Self {
        match alg {
            SignatureAlgorithm::EcdsaP256Sha256 => Self::Sha256(Sha256::new()),
            SignatureAlgorithm::EcdsaP384Sha384 => Self::Sha384(Sha384::new()),
        }
    }

    /// Hash these bytes next.
    pub fn update(&mut self, bytes: &[u8]) {
        match self {
            Self::Sha256(h) => h.update(bytes),
            Self::Sha384(h) => h.update(bytes),
        }
    }

    /// The digest.
    pub fn finish(self) -> Vec<u8> {
        match self {
            Self::Sha256(h) => h.finalize().to_vec(),
            Self::Sha384(h) => h.finalize().to_vec(),
        }
    }
}

/// A running hash of the signed bytes.
enum Hasher {
    InPlace(Box<SignedBytesHash>),
    Outside(SignatureAlgorithm, Box<dyn OutsideHash>),
}

impl Hasher {
    fn new(alg: SignatureAlgorithm) -> Self {
        Self::InPlace(Box::new(SignedBytesHash::new(alg)))
    }

    fn update(&mut self, bytes: &[u8]) {
        match self {
            Self::InPlace(h) => h.update(bytes),
            Self::Outside(_, h) => h.update(bytes),
        }
    }

    async fn finish(self) -> Result<Vec<u8>, EsdkError> {
        match self {
            Self::InPlace(h) => Ok(h.finish()),
            Self::Outside(alg, h) => {
                let digest = h.digest().await?;
                let want = match alg {
                    SignatureAlgorithm::EcdsaP256Sha256 => 32,
                    SignatureAlgorithm::EcdsaP384Sha384 => 48,
                };
                if digest.len() == want {
                    Ok(digest)
                } else {
                    Err(EsdkError::InvalidInput(format!(
                        "the outside hash gave {} bytes, not the {want} of this suite's hash",
                        digest.len()
                    )))
                }
            }
        }
    }
}

enum SigningKey {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
}

/// Signs a message being written.
pub struct MessageSigner {
    alg: SignatureAlgorithm,
    key: SigningKey,
    hasher: Hasher,
}

impl std::fmt::Debug for MessageSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MessageSigner(redacted)")
    }
}

impl MessageSigner {
    /// A fresh random signing key for `alg`.
    pub fn generate(alg: SignatureAlgorithm) -> Result<Self, EsdkError> {
        // A uniformly random scalar; retry the (astronomically rare) out-of-range values.
        for _ in 0..16 {
            let key = match alg {
                SignatureAlgorithm::EcdsaP256Sha256 => {
                    let mut b = Zeroizing::new([0u8; 32]);
                    getrandom::fill(b.as_mut()).map_err(|_| EsdkError::RandomUnavailable)?;
                    p256::ecdsa::SigningKey::from_slice(b.as_ref()).ok().map(SigningKey::P256)
                }
                SignatureAlgorithm::EcdsaP384Sha384 => {
                    let mut b = Zeroizing::new([0u8; 48]);
                    getrandom::fill(b.as_mut()).map_err(|_| EsdkError::RandomUnavailable)?;
                    p384::ecdsa::SigningKey::from_slice(b.as_ref()).ok().map(SigningKey::P384)
                }
            };
            if let Some(key) = key {
                return Ok(Self { alg, key, hasher: Hasher::new(alg) });
            }
        }
        Err(EsdkError::RandomUnavailable)
    }

    /// The verification key as stored under `aws-crypto-public-key` (base64, compressed point).
    pub fn public_key_b64(&self) -> String {
        let bytes = match &self.key {
            SigningKey::P256(k) => k.verifying_key().to_sec1_point(true).as_bytes().to_vec(),
            SigningKey::P384(k) => k.verifying_key().to_sec1_point(true).as_bytes().to_vec(),
        };
        B64.encode(bytes)
    }

    /// Add signed bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        self.hasher.update(bytes);
    }

    /// Hash from now on with `make(alg)`, if it gives a hasher; only before any byte was added.
    /// Returns whether the hash moved.
    pub fn hash_outside(&mut self, make: &mut OutsideHashFactory<'_>) -> bool {
        match make(self.alg) {
            Some(h) => {
                self.hasher = Hasher::Outside(self.alg, h);
                true
            }
            None => false,
        }
    }

    /// The footer: u16 length ‖ DER signature.
    pub async fn footer(self) -> Result<Vec<u8>, EsdkError> {
        let digest = self.hasher.finish().await?;
        let fail = |_| EsdkError::EncryptFailed("ECDSA signing failed".to_string());
        let der = match &self.key {
            SigningKey::P256(k) => {
                let s: p256::ecdsa::Signature = k.sign_prehash(&digest).map_err(fail)?;
                s.to_der().as_bytes().to_vec()
            }
            SigningKey::P384(k) => {
                let s: p384::ecdsa::Signature = k.sign_prehash(&digest).map_err(fail)?;
                s.to_der().as_bytes().to_vec()
            }
        };
        let len = u16::try_from(der.len())
            .map_err(|_| EsdkError::EncryptFailed("signature too long".to_string()))?;
        let mut out = len.to_be_bytes().to_vec();
        out.extend_from_slice(&der);
        Ok(out)
    }
}

enum VerifyingKey {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
}

/// Verifies a message being read.
pub struct MessageVerifier {
    key: VerifyingKey,
    hasher: Hasher,
}

impl std::fmt::Debug for MessageVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MessageVerifier")
    }
}

impl MessageVerifier {
    /// A verifier from the base64 public key stored in the encryption context.
    pub fn new(alg: SignatureAlgorithm, public_key_b64: &str) -> Result<Self, EsdkError> {
        Self::with_hash(alg, public_key_b64, None)
    }

    /// As [`MessageVerifier::new`], hashing with `make(alg)` when given.
    pub fn with_hash(
        alg: SignatureAlgorithm,
        public_key_b64: &str,
        make: Option<&mut OutsideHashFactory<'_>>,
    ) -> Result<Self, EsdkError> {
        let bad = || {
            EsdkError::InvalidEncryptionContext(
                "`aws-crypto-public-key` is not a valid public key for this suite".to_string(),
            )
        };
        let bytes = B64.decode(public_key_b64).map_err(|_| bad())?;
        let key = match alg {
            SignatureAlgorithm::EcdsaP256Sha256 => {
                VerifyingKey::P256(p256::ecdsa::VerifyingKey::from_sec1_bytes(&bytes).map_err(|_| bad())?)
            }
            SignatureAlgorithm::EcdsaP384Sha384 => {
                VerifyingKey::P384(p384::ecdsa::VerifyingKey::from_sec1_bytes(&bytes).map_err(|_| bad())?)
            }
        };
        let hasher = match make.and_then(|make| make(alg)) {
            Some(h) => Hasher::Outside(alg, h),
            None => Hasher::new(alg),
        };
        Ok(Self { key, hasher })
    }

    /// Add signed bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        self.hasher.update(bytes);
    }

    /// Check a DER signature over everything added.
    pub async fn verify(self, der: &[u8]) -> Result<(), EsdkError> {
        let digest = self.hasher.finish().await?;
        let ok = match &self.key {
            VerifyingKey::P256(k) => p256::ecdsa::Signature::from_der(der)
                .ok()
                .is_some_and(|s| k.verify_prehash(&digest, &s).is_ok()),
            VerifyingKey::P384(k) => p384::ecdsa::Signature::from_der(der)
                .ok()
                .is_some_and(|s| k.verify_prehash(&digest, &s).is_ok()),
        };
        if ok {
            Ok(())
        } else {
            Err(EsdkError::SignatureInvalid)
        }
    }
}
