//! Envelope encryption in its smallest honest form: a fresh AES-256 data key encrypts the message with
//! AES-256-GCM, and an RSA key pair (OAEP, SHA-256 for the hash and MGF1) wraps the data key.
//!
//! This is the model the notes call client-side encryption: whoever holds the private key can
//! unwrap the data key and read the message; nobody else can, not even whoever stores the envelope.
//! It is *not* the AWS Encryption SDK message format (no header authentication, no key commitment,
//! no framing): that lives in its own module. Randomness comes from the operating system natively
//! and from `crypto.getRandomValues` in the browser (`getrandom`).

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Tag};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use getrandom::SysRng;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::{Oaep, PrivateKey as RsaPrivateKey, PublicKey as RsaPublicKey};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

/// The algorithm label written into every envelope, checked on open.
pub const ALGORITHM: &str = "RSA-OAEP-256+A256GCM";
/// AES-256 key length in bytes.
pub const DATA_KEY_LEN: usize = 32;
/// AES-GCM nonce length in bytes (96 bits, the only size NIST recommends).
pub const IV_LEN: usize = 12;
/// AES-GCM tag length in bytes.
pub const TAG_LEN: usize = 16;
/// RSA moduli accepted for new key pairs.
pub const RSA_BITS: [usize; 3] = [2048, 3072, 4096];
/// The largest message [`seal`] takes: AES-GCM's own limit is 64 GiB, a browser tab's is lower;
/// larger data belongs in the streaming ESDK engine.
pub const MAX_PLAINTEXT: usize = 256 * 1024 * 1024;

/// What can go wrong; messages say what to check, and decryption failures say nothing more
/// (the playground must not become a padding or tag oracle).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EnvelopeError {
    /// The system random number generator failed.
    #[error("the random number generator failed: {0}")]
    Random(String),
    /// A key size other than [`RSA_BITS`].
    #[error("RSA key size `{0}` is not offered: use 2048, 3072 or 4096 bits")]
    KeySize(usize),
    /// A PEM or DER key that does not parse.
    #[error("the {kind} key is not a valid {format}: {reason}")]
    KeyFormat {
        /// `public` or `private`.
        kind: &'static str,
        /// The expected encoding.
        format: &'static str,
        /// What the parser said.
        reason: String,
    },
    /// A field of the envelope that is missing, not base64, or of the wrong length.
    #[error("envelope field `{field}` is invalid: {reason}")]
    Field {
        /// The field's JSON name.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// An envelope written for another algorithm.
    #[error("envelope algorithm `{0}` is not supported: expected `RSA-OAEP-256+A256GCM`")]
    Algorithm(String),
    /// The message is larger than [`MAX_PLAINTEXT`].
    #[error(
        "the message is {0} bytes: the limit here is 256 MiB; use the streaming ESDK engine for larger data"
    )]
    TooLarge(usize),
    /// The data key could not be wrapped (the RSA key is too small for OAEP-SHA256 of 32 bytes).
    #[error("the data key could not be wrapped with this RSA key")]
    Wrap,
    /// Unwrapping or authenticating failed. Deliberately vague: wrong key, or modified envelope.
    #[error("decryption failed: the private key does not match, or the envelope was modified")]
    DecryptionFailed,
}

impl EnvelopeError {
    /// A stable code for the JS boundary.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Random(_) => "RandomFailed",
            Self::KeySize(_) => "InvalidKeySize",
            Self::KeyFormat { .. } => "InvalidKey",
            Self::Field { .. } | Self::Algorithm(_) => "MalformedEnvelope",
            Self::TooLarge(_) => "TooLarge",
            Self::Wrap => "WrapFailed",
            Self::DecryptionFailed => "DecryptionFailed",
        }
    }
}

/// A 256-bit data key; wiped from memory when dropped, never printed.
pub struct DataKey(Zeroizing<[u8; DATA_KEY_LEN]>);

impl DataKey {
    /// A fresh random key.
    pub fn generate() -> Result<Self, EnvelopeError> {
        let mut k = Zeroizing::new([0u8; DATA_KEY_LEN]);
        fill_random(k.as_mut())?;
        Ok(Self(k))
    }

    /// A key from exactly 32 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EnvelopeError> {
        let arr: [u8; DATA_KEY_LEN] = bytes.try_into().map_err(|_| EnvelopeError::Field {
            field: "dataKey",
            reason: format!("expected {DATA_KEY_LEN} bytes, got {}", bytes.len()),
        })?;
        Ok(Self(Zeroizing::new(arr)))
    }

    /// The key bytes (for display in the playground, which is the point of it).
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_ref()
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}

/// AES-256-GCM output with its parts apart, as a user wants to see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// The 96-bit nonce.
    pub iv: [u8; IV_LEN],
    /// Ciphertext, as long as the plaintext.
    pub ciphertext: Vec<u8>,
    /// The 128-bit authentication tag.
    pub tag: [u8; TAG_LEN],
}

fn cipher(key: &DataKey) -> Aes256Gcm {
    let key: &Key<Aes256Gcm> = (&*key.0).into();
    Aes256Gcm::new(key)
}

/// Encrypt `plaintext` under `key` with a fresh random IV; `aad` is authenticated, not encrypted.
pub fn aes_gcm_seal(key: &DataKey, plaintext: &[u8], aad: &[u8]) -> Result<Sealed, EnvelopeError> {
    if plaintext.len() > MAX_PLAINTEXT {
        return Err(EnvelopeError::TooLarge(plaintext.len()));
    }
    let mut iv = [0u8; IV_LEN];
    fill_random(&mut iv)?;
    let cipher = cipher(key);
    let mut buf = plaintext.to_vec();
    let tag = cipher
        .encrypt_inout_detached((&iv).into(), aad, buf.as_mut_slice().into())
        .map_err(|_| EnvelopeError::TooLarge(plaintext.len()))?;
    let mut tag_bytes = [0u8; TAG_LEN];
    tag_bytes.copy_from_slice(tag.as_slice());
    Ok(Sealed { iv, ciphertext: buf, tag: tag_bytes })
}

/// Decrypt and authenticate; the plaintext is returned only if the tag verifies.
pub fn aes_gcm_open(key: &DataKey, sealed: &Sealed, aad: &[u8]) -> Result<Vec<u8>, EnvelopeError> {
    let cipher = cipher(key);
    let mut buf = sealed.ciphertext.clone();
    let tag: &Tag = (&sealed.tag).into();
    match cipher.decrypt_inout_detached((&sealed.iv).into(), aad, buf.as_mut_slice().into(), tag) {
        Ok(()) => Ok(buf),
        Err(_) => {
            buf.zeroize();
            Err(EnvelopeError::DecryptionFailed)
        }
    }
}

/// An RSA key pair for wrapping data keys.
pub struct KeyPair {
    private: RsaPrivateKey,
}

impl KeyPair {
    /// Generate a key pair of `bits` (2048, 3072 or 4096). Slow in wasm (hundreds of milliseconds
    /// at 2048 bits): the page generates with WebCrypto off the main thread and imports the result.
    pub fn generate(bits: usize) -> Result<Self, EnvelopeError> {
        if !RSA_BITS.contains(&bits) {
            return Err(EnvelopeError::KeySize(bits));
        }
        let private =
            RsaPrivateKey::new(&mut SysRng, bits).map_err(|e| EnvelopeError::Random(e.to_string()))?;
        Ok(Self { private })
    }

    /// A key pair from a PKCS#8 private key, PEM (`-----BEGIN PRIVATE KEY-----`) or DER.
    pub fn from_pkcs8(input: &[u8]) -> Result<Self, EnvelopeError> {
        let err = |e: String| EnvelopeError::KeyFormat { kind: "private", format: "PKCS#8 key", reason: e };
        let private = match std::str::from_utf8(input) {
            Ok(text) if text.trim_start().starts_with("-----BEGIN") => {
                RsaPrivateKey::from_pkcs8_pem(text.trim()).map_err(|e| err(e.to_string()))?
            }
            _ => RsaPrivateKey::from_pkcs8_der(input).map_err(|e| err(e.to_string()))?,
        };
        let bits = private_bits(&private);
        if !(2048..=16384).contains(&bits) {
            return Err(EnvelopeError::KeySize(bits));
        }
        Ok(Self { private })
    }

    /// The public half.
    pub fn public(&self) -> PublicKey {
        PublicKey(self.private.to_public_key())
    }

    /// The private key as PKCS#8 PEM (secret: the caller decides where it may go).
    pub fn private_pem(&self) -> Result<Zeroizing<String>, EnvelopeError> {
        self.private.to_pkcs8_pem(LineEnding::LF).map_err(|e| EnvelopeError::KeyFormat {
            kind: "private",
            format: "PKCS#8 key",
            reason: e.to_string(),
        })
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        private_bits(&self.private)
    }

    /// Unwrap a data key. Blinded decryption (fresh randomness per call) narrows the timing side
    /// channel of RUSTSEC-2023-0071; see the README's security notes.
    pub fn unwrap_key(&self, wrapped: &[u8]) -> Result<DataKey, EnvelopeError> {
        let key = self
            .private
            .decrypt_blinded(&mut SysRng, Oaep::<Sha256>::new(), wrapped)
            .map(Zeroizing::new)
            .map_err(|_| EnvelopeError::DecryptionFailed)?;
        DataKey::from_bytes(&key).map_err(|_| EnvelopeError::DecryptionFailed)
    }
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyPair(RSA-{}, private key redacted)", self.bits())
    }
}

fn private_bits(key: &RsaPrivateKey) -> usize {
    use rsa::traits::PublicKeyParts;
    key.n().bit_width() as usize
}

/// An RSA public key, the one a sender needs.
#[derive(Debug, Clone)]
pub struct PublicKey(RsaPublicKey);

impl PublicKey {
    /// From SPKI, PEM (`-----BEGIN PUBLIC KEY-----`) or DER.
    pub fn from_spki(input: &[u8]) -> Result<Self, EnvelopeError> {
        let err =
            |e: String| EnvelopeError::KeyFormat { kind: "public", format: "SPKI public key", reason: e };
        let key = match std::str::from_utf8(input) {
            Ok(text) if text.trim_start().starts_with("-----BEGIN") => {
                RsaPublicKey::from_public_key_pem(text.trim()).map_err(|e| err(e.to_string()))?
            }
            _ => RsaPublicKey::from_public_key_der(input).map_err(|e| err(e.to_string()))?,
        };
        Ok(Self(key))
    }

    /// As SPKI PEM.
    pub fn to_pem(&self) -> Result<String, EnvelopeError> {
        self.0.to_public_key_pem(LineEnding::LF).map_err(|e| EnvelopeError::KeyFormat {
            kind: "public",
            format: "SPKI public key",
            reason: e.to_string(),
        })
    }

    /// Wrap a data key with RSA-OAEP (SHA-256, MGF1-SHA-256).
    pub fn wrap_key(&self, key: &DataKey) -> Result<Vec<u8>, EnvelopeError> {
        self.0.encrypt(&mut SysRng, Oaep::<Sha256>::new(), key.as_bytes()).map_err(|_| EnvelopeError::Wrap)
    }
}

/// An envelope as the playground shows it and as the JS API returns it: every binary field base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Envelope {
    /// Always [`ALGORITHM`].
    pub algorithm: String,
    /// The data key, encrypted with the RSA public key.
    pub wrapped_key: String,
    /// The AES-GCM nonce.
    pub iv: String,
    /// The encrypted message.
    pub ciphertext: String,
    /// The AES-GCM tag.
    pub tag: String,
}

/// The AAD that binds the algorithm label and the wrapped key to the ciphertext, so neither can be
/// swapped without the tag failing.
fn envelope_aad(wrapped_key: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(ALGORITHM.len() + 1 + wrapped_key.len());
    aad.extend_from_slice(ALGORITHM.as_bytes());
    aad.push(0);
    aad.extend_from_slice(wrapped_key);
    aad
}

/// Encrypt `plaintext` for the holder of `recipient`'s private key: fresh data key, AES-256-GCM,
/// the data key wrapped with RSA-OAEP-SHA256.
pub fn seal(plaintext: &[u8], recipient: &PublicKey) -> Result<Envelope, EnvelopeError> {
    let data_key = DataKey::generate()?;
    let wrapped = recipient.wrap_key(&data_key)?;
    let sealed = aes_gcm_seal(&data_key, plaintext, &envelope_aad(&wrapped))?;
    Ok(Envelope {
        algorithm: ALGORITHM.to_owned(),
        wrapped_key: B64.encode(&wrapped),
        iv: B64.encode(sealed.iv),
        ciphertext: B64.encode(&sealed.ciphertext),
        tag: B64.encode(sealed.tag),
    })
}

/// Decrypt an envelope with the private key; the plaintext is released only if everything verifies.
pub fn open(envelope: &Envelope, key_pair: &KeyPair) -> Result<Vec<u8>, EnvelopeError> {
    if envelope.algorithm != ALGORITHM {
        return Err(EnvelopeError::Algorithm(envelope.algorithm.clone()));
    }
    let wrapped = decode_field("wrappedKey", &envelope.wrapped_key, 4096)?;
    let iv: [u8; IV_LEN] = decode_fixed("iv", &envelope.iv)?;
    let tag: [u8; TAG_LEN] = decode_fixed("tag", &envelope.tag)?;
    let ciphertext = decode_field("ciphertext", &envelope.ciphertext, MAX_PLAINTEXT)?;
    let data_key = key_pair.unwrap_key(&wrapped)?;
    aes_gcm_open(&data_key, &Sealed { iv, ciphertext, tag }, &envelope_aad(&wrapped))
}

/// Base64-decode a field, refusing anything whose decoded size would exceed `max` before decoding.
fn decode_field(field: &'static str, text: &str, max: usize) -> Result<Vec<u8>, EnvelopeError> {
    let text = text.trim();
    // Padded base64 of `max` bytes is at most ceil(max / 3) * 4 characters.
    if text.len() > max.div_ceil(3).saturating_mul(4) {
        return Err(EnvelopeError::Field { field, reason: format!("longer than {max} bytes") });
    }
    B64.decode(text).map_err(|e| EnvelopeError::Field { field, reason: format!("not base64 ({e})") })
}

fn decode_fixed<const N: usize>(field: &'static str, text: &str) -> Result<[u8; N], EnvelopeError> {
    let bytes = decode_field(field, text, N)?;
    bytes.as_slice().try_into().map_err(|_| EnvelopeError::Field {
        field,
        reason: format!("expected {N} bytes, got {}", bytes.len()),
    })
}

/// Fill `buf` from the system's cryptographic random number generator.
pub fn fill_random(buf: &mut [u8]) -> Result<(), EnvelopeError> {
    getrandom::fill(buf).map_err(|e| EnvelopeError::Random(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aad_binds_the_wrapped_key() {
        assert_ne!(envelope_aad(b"a"), envelope_aad(b"b"));
        assert!(envelope_aad(b"k").starts_with(ALGORITHM.as_bytes()));
    }

    #[test]
    fn oversized_fields_are_refused_before_decoding() {
        let long = "A".repeat(64);
        let err = decode_fixed::<IV_LEN>("iv", &long).unwrap_err();
        assert_eq!(err.code(), "MalformedEnvelope");
    }
}
