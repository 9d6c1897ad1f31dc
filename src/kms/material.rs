//! KMS key material: one version of a key's secret, and the cryptography KMS performs with it.
//!
//! A [`KeyMaterial`] is what a key's `KeySpec` says it is (an AES-256 key, an HMAC key, an RSA or
//! elliptic-curve pair, an Ed25519, ML-DSA or ML-KEM key) and performs the operations KMS offers
//! on it: Sign/Verify, GenerateMac/VerifyMac, RSA Encrypt/Decrypt, DeriveSharedSecret,
//! Encapsulate/Decapsulate, GetPublicKey. The symmetric ciphertext blob is in [`super::blob`].
//!
//! This module checks what the algorithm and the material decide (an algorithm the key spec has,
//! digest lengths, the RAW message limit, RSA plaintext limits). It does not know the key's usage,
//! state or policy: whoever holds the key checks those first.
//!
//! Secrets are zeroized on drop and never printed (`Debug` is redacted). SM2 keys are rejected:
//! AWS offers them only in China regions, and no RustCrypto crate of this generation implements SM2.

mod ec;
mod ed25519;
mod error;
mod hmac;
mod ml_dsa;
mod ml_kem;
mod rsa;
mod spec;
pub mod supply;

use std::fmt;

use zeroize::Zeroizing;

pub use error::MaterialError;
pub use spec::{algorithms, Algorithms, KeySpec, KeyUsage, MessageType, ALL_KEY_SPECS, MAX_RAW_MESSAGE};
use spec::{Hash, SigningAlgorithm};

/// The length of a SYMMETRIC_DEFAULT key (AES-256) and of imported symmetric material.
pub const SYMMETRIC_KEY_LEN: usize = 32;

/// The longest message GenerateMac and VerifyMac take.
pub const MAX_MAC_MESSAGE: usize = 4096;

const SM2_REASON: &str =
    "AWS offers SM2 keys only in the China (Beijing and Ningxia) regions, which this emulator does not model";

/// One version of a key's material. Zeroized on drop; `Debug` shows only the spec.
#[derive(Clone)]
pub struct KeyMaterial {
    spec: KeySpec,
    secret: Secret,
}

#[derive(Clone)]
enum Secret {
    Symmetric(Zeroizing<[u8; SYMMETRIC_KEY_LEN]>),
    Hmac(Zeroizing<Vec<u8>>),
    Rsa(Box<::rsa::PrivateKey>),
    P256(ec::p256::Key),
    P384(ec::p384::Key),
    P521(ec::p521::Key),
    K256(ec::k256::Key),
    Ed25519(Box<ed25519_dalek::SigningKey>),
    MlDsa44(ml_dsa::l44::Key),
    MlDsa65(ml_dsa::l65::Key),
    MlDsa87(ml_dsa::l87::Key),
    MlKem512(ml_kem::l512::Key),
    MlKem768(ml_kem::l768::Key),
    MlKem1024(ml_kem::l1024::Key),
}

impl fmt::Debug for KeyMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyMaterial")
            .field("spec", &self.spec.as_str())
            .field("secret", &"<redacted>")
            .finish()
    }
}

fn hmac_hash(spec: KeySpec) -> Option<Hash> {
    match spec {
        KeySpec::Hmac224 => Some(Hash::Sha224),
        KeySpec::Hmac256 => Some(Hash::Sha256),
        KeySpec::Hmac384 => Some(Hash::Sha384),
        KeySpec::Hmac512 => Some(Hash::Sha512),
        _ => None,
    }
}

fn rsa_bits(spec: KeySpec) -> Option<usize> {
    match spec {
        KeySpec::Rsa2048 => Some(2048),
        KeySpec::Rsa3072 => Some(3072),
        KeySpec::Rsa4096 => Some(4096),
        _ => None,
    }
}

fn random_bytes(len: usize) -> Result<Zeroizing<Vec<u8>>, MaterialError> {
    let mut bytes = Zeroizing::new(vec![0u8; len]);
    getrandom::fill(bytes.as_mut_slice()).map_err(|_| MaterialError::Random)?;
    Ok(bytes)
}

impl KeyMaterial {
    /// Fresh material for a key of `spec` (origin AWS_KMS).
    /// Inside [`supply::drawing`], a slow spec's key comes from the pool of keys made elsewhere.
    pub fn generate(spec: KeySpec) -> Result<Self, MaterialError> {
        if let Some(drawn) = supply::draw(spec) {
            return drawn;
        }
        let secret = match spec {
            KeySpec::SymmetricDefault => {
                let mut key = Zeroizing::new([0u8; SYMMETRIC_KEY_LEN]);
                getrandom::fill(key.as_mut()).map_err(|_| MaterialError::Random)?;
                Secret::Symmetric(key)
            }
            KeySpec::Hmac224 | KeySpec::Hmac256 | KeySpec::Hmac384 | KeySpec::Hmac512 => {
                // KMS HMAC keys are as long as the hash output (HMAC_224: 28 bytes … HMAC_512: 64).
                let hash = hmac_hash(spec).ok_or(MaterialError::Internal("hmac spec"))?;
                Secret::Hmac(random_bytes(hash.output_len())?)
            }
            KeySpec::Rsa2048 | KeySpec::Rsa3072 | KeySpec::Rsa4096 => {
                let bits = rsa_bits(spec).ok_or(MaterialError::Internal("rsa spec"))?;
                Secret::Rsa(Box::new(rsa::generate(bits)?))
            }
            KeySpec::EccNistP256 => Secret::P256(ec::p256::generate()?),
            KeySpec::EccNistP384 => Secret::P384(ec::p384::generate()?),
            KeySpec::EccNistP521 => Secret::P521(ec::p521::generate()?),
            KeySpec::EccSecgP256k1 => Secret::K256(ec::k256::generate()?),
            KeySpec::EccNistEdwards25519 => Secret::Ed25519(Box::new(ed25519::generate()?)),
            KeySpec::MlDsa44 => Secret::MlDsa44(ml_dsa::l44::generate()?),
            KeySpec::MlDsa65 => Secret::MlDsa65(ml_dsa::l65::generate()?),
            KeySpec::MlDsa87 => Secret::MlDsa87(ml_dsa::l87::generate()?),
            KeySpec::MlKem512 => Secret::MlKem512(ml_kem::l512::generate()?),
            KeySpec::MlKem768 => Secret::MlKem768(ml_kem::l768::generate()?),
            KeySpec::MlKem1024 => Secret::MlKem1024(ml_kem::l1024::generate()?),
            KeySpec::Sm2 => {
                return Err(MaterialError::UnsupportedKeySpec { spec: "SM2", reason: SM2_REASON })
            }
        };
        Ok(KeyMaterial { spec, secret })
    }

    /// Imported material for a SYMMETRIC_DEFAULT key (origin EXTERNAL): exactly 32 bytes.
    pub fn import_symmetric(bytes: &[u8]) -> Result<Self, MaterialError> {
        let key: [u8; SYMMETRIC_KEY_LEN] = bytes.try_into().map_err(|_| {
            MaterialError::InvalidKeyMaterial("imported symmetric key material must be 256 bits (32 bytes)")
        })?;
        Ok(KeyMaterial { spec: KeySpec::SymmetricDefault, secret: Secret::Symmetric(Zeroizing::new(key)) })
    }

    /// The key spec this material belongs to.
    pub fn spec(&self) -> KeySpec {
        self.spec
    }

    /// The AES-256 key of SYMMETRIC_DEFAULT material (for the ciphertext blob).
    pub(crate) fn symmetric_key(&self) -> Option<&[u8; SYMMETRIC_KEY_LEN]> {
        match &self.secret {
            Secret::Symmetric(key) => Some(key),
            _ => None,
        }
    }

    fn refuse(&self, operation: &'static str) -> MaterialError {
        MaterialError::IncompatibleOperation { operation, spec: self.spec.as_str() }
    }

    fn incompatible(&self, algorithm: &str) -> MaterialError {
        MaterialError::IncompatibleAlgorithm { algorithm: algorithm.to_owned(), spec: self.spec.as_str() }
    }

    /// The public key as DER SubjectPublicKeyInfo (GetPublicKey); asymmetric keys only.
    pub fn public_key_der(&self) -> Result<Vec<u8>, MaterialError> {
        match &self.secret {
            Secret::Rsa(key) => rsa::public_der(key),
            Secret::P256(key) => ec::p256::public_der(key),
            Secret::P384(key) => ec::p384::public_der(key),
            Secret::P521(key) => ec::p521::public_der(key),
            Secret::K256(key) => ec::k256::public_der(key),
            Secret::Ed25519(key) => ed25519::public_der(key),
            Secret::MlDsa44(key) => ml_dsa::l44::public_der(key),
            Secret::MlDsa65(key) => ml_dsa::l65::public_der(key),
            Secret::MlDsa87(key) => ml_dsa::l87::public_der(key),
            Secret::MlKem512(key) => ml_kem::l512::public_der(key),
            Secret::MlKem768(key) => ml_kem::l768::public_der(key),
            Secret::MlKem1024(key) => ml_kem::l1024::public_der(key),
            Secret::Symmetric(_) | Secret::Hmac(_) => Err(self.refuse("GetPublicKey")),
        }
    }

    /// The signing algorithm, checked against this key's spec and the message type's rules.
    fn signing_algorithm(
        &self,
        algorithm: &str,
        message_type: &str,
        message: &[u8],
    ) -> Result<(SigningAlgorithm, MessageType), MaterialError> {
        let parsed = SigningAlgorithm::parse(algorithm)?;
        let message_type = MessageType::parse(message_type)?;
        let fits = matches!(
            (&self.secret, parsed),
            (Secret::Rsa(_), SigningAlgorithm::RsaPss(_) | SigningAlgorithm::RsaPkcs1(_))
                | (Secret::P256(_) | Secret::K256(_), SigningAlgorithm::Ecdsa(Hash::Sha256))
                | (Secret::P384(_), SigningAlgorithm::Ecdsa(Hash::Sha384))
                | (Secret::P521(_), SigningAlgorithm::Ecdsa(Hash::Sha512))
                | (Secret::Ed25519(_), SigningAlgorithm::Ed25519 | SigningAlgorithm::Ed25519Ph)
                | (Secret::MlDsa44(_) | Secret::MlDsa65(_) | Secret::MlDsa87(_), SigningAlgorithm::MlDsa)
        );
        if !fits {
            return Err(self.incompatible(algorithm));
        }
        parsed.check_message(algorithm, message_type, message)?;
        Ok((parsed, message_type))
    }

    /// Sign: `message` is RAW (hashed here), DIGEST (already hashed) or EXTERNAL_MU (ML-DSA's μ).
    /// ECDSA signatures are DER, as KMS returns them.
    pub fn sign(
        &self,
        algorithm: &str,
        message_type: &str,
        message: &[u8],
    ) -> Result<Vec<u8>, MaterialError> {
        let (parsed, message_type) = self.signing_algorithm(algorithm, message_type, message)?;
        let digest = || match (parsed, message_type) {
            (
                SigningAlgorithm::RsaPss(h) | SigningAlgorithm::RsaPkcs1(h) | SigningAlgorithm::Ecdsa(h),
                MessageType::Raw,
            ) => h.digest(message),
            _ => message.to_vec(),
        };
        match &self.secret {
            Secret::Rsa(key) => rsa::sign_digest(key, parsed, &digest()),
            Secret::P256(key) => ec::p256::sign_digest(key, &digest()),
            Secret::P384(key) => ec::p384::sign_digest(key, &digest()),
            Secret::P521(key) => ec::p521::sign_digest(key, &digest()),
            Secret::K256(key) => ec::k256::sign_digest(key, &digest()),
            Secret::Ed25519(key) => ed25519::sign(key, parsed == SigningAlgorithm::Ed25519Ph, message),
            Secret::MlDsa44(key) => ml_dsa::l44::sign(key, message_type == MessageType::ExternalMu, message),
            Secret::MlDsa65(key) => ml_dsa::l65::sign(key, message_type == MessageType::ExternalMu, message),
            Secret::MlDsa87(key) => ml_dsa::l87::sign(key, message_type == MessageType::ExternalMu, message),
            _ => Err(self.refuse("Sign")),
        }
    }

    /// Verify: `Ok(false)` for a signature that does not verify (malformed ones included); an error
    /// for a request KMS refuses (wrong algorithm, bad digest length, …).
    pub fn verify(
        &self,
        algorithm: &str,
        message_type: &str,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, MaterialError> {
        let (parsed, message_type) = self.signing_algorithm(algorithm, message_type, message)?;
        let digest = || match (parsed, message_type) {
            (
                SigningAlgorithm::RsaPss(h) | SigningAlgorithm::RsaPkcs1(h) | SigningAlgorithm::Ecdsa(h),
                MessageType::Raw,
            ) => h.digest(message),
            _ => message.to_vec(),
        };
        Ok(match &self.secret {
            Secret::Rsa(key) => rsa::verify_digest(key, parsed, &digest(), signature),
            Secret::P256(key) => ec::p256::verify_digest(key, &digest(), signature),
            Secret::P384(key) => ec::p384::verify_digest(key, &digest(), signature),
            Secret::P521(key) => ec::p521::verify_digest(key, &digest(), signature),
            Secret::K256(key) => ec::k256::verify_digest(key, &digest(), signature),
            Secret::Ed25519(key) => {
                ed25519::verify(key, parsed == SigningAlgorithm::Ed25519Ph, message, signature)
            }
            Secret::MlDsa44(key) => {
                ml_dsa::l44::verify(key, message_type == MessageType::ExternalMu, message, signature)
            }
            Secret::MlDsa65(key) => {
                ml_dsa::l65::verify(key, message_type == MessageType::ExternalMu, message, signature)
            }
            Secret::MlDsa87(key) => {
                ml_dsa::l87::verify(key, message_type == MessageType::ExternalMu, message, signature)
            }
            _ => return Err(self.refuse("Verify")),
        })
    }

    /// The HMAC key and hash for `algorithm`, which must be the one this HMAC key's spec names.
    fn mac_key(&self, algorithm: &str, message: &[u8]) -> Result<(&[u8], Hash), MaterialError> {
        let Secret::Hmac(key) = &self.secret else {
            return Err(self.incompatible(algorithm));
        };
        let hash = hmac_hash(self.spec).ok_or(MaterialError::Internal("hmac spec"))?;
        let expected = match hash {
            Hash::Sha224 => "HMAC_SHA_224",
            Hash::Sha256 => "HMAC_SHA_256",
            Hash::Sha384 => "HMAC_SHA_384",
            _ => "HMAC_SHA_512",
        };
        if algorithm != expected {
            return Err(match algorithm {
                "HMAC_SHA_224" | "HMAC_SHA_256" | "HMAC_SHA_384" | "HMAC_SHA_512" => {
                    self.incompatible(algorithm)
                }
                other => MaterialError::UnknownAlgorithm(other.to_owned()),
            });
        }
        if message.len() > MAX_MAC_MESSAGE {
            return Err(MaterialError::MessageTooLong { max: MAX_MAC_MESSAGE, actual: message.len() });
        }
        Ok((key.as_slice(), hash))
    }

    /// GenerateMac: the HMAC of `message` (at most 4,096 bytes).
    pub fn generate_mac(&self, algorithm: &str, message: &[u8]) -> Result<Vec<u8>, MaterialError> {
        let (key, hash) = self.mac_key(algorithm, message)?;
        hmac::mac(hash, key, message)
    }

    /// VerifyMac: whether `mac` is the HMAC of `message`, compared in constant time.
    pub fn verify_mac(&self, algorithm: &str, message: &[u8], mac: &[u8]) -> Result<bool, MaterialError> {
        let (key, hash) = self.mac_key(algorithm, message)?;
        hmac::verify(hash, key, message, mac)
    }

    fn rsa_key(&self, algorithm: &str) -> Result<(&::rsa::PrivateKey, Hash), MaterialError> {
        let hash = rsa::oaep_hash(algorithm).ok_or_else(|| match algorithm {
            "SYMMETRIC_DEFAULT" | "SM2PKE" => self.incompatible(algorithm),
            other => MaterialError::UnknownAlgorithm(other.to_owned()),
        })?;
        match &self.secret {
            Secret::Rsa(key) => Ok((key, hash)),
            _ => Err(self.incompatible(algorithm)),
        }
    }

    /// Encrypt under an RSA key: RSAES_OAEP_SHA_1 or RSAES_OAEP_SHA_256, with KMS's size limits
    /// (RSA_2048 214 / 190 bytes, RSA_3072 342 / 318, RSA_4096 470 / 446).
    pub fn rsa_encrypt(&self, algorithm: &str, plaintext: &[u8]) -> Result<Vec<u8>, MaterialError> {
        let (key, hash) = self.rsa_key(algorithm)?;
        rsa::encrypt(key, algorithm, hash, plaintext)
    }

    /// The largest plaintext `rsa_encrypt` takes with `algorithm` under this key.
    pub fn rsa_max_plaintext(&self, algorithm: &str) -> Result<usize, MaterialError> {
        let (key, hash) = self.rsa_key(algorithm)?;
        Ok(rsa::max_plaintext(key, hash))
    }

    /// Decrypt under an RSA key; any failure is an opaque `InvalidCiphertext`.
    pub fn rsa_decrypt(
        &self,
        algorithm: &str,
        ciphertext: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, MaterialError> {
        let (key, hash) = self.rsa_key(algorithm)?;
        rsa::decrypt(key, hash, ciphertext)
    }

    /// DeriveSharedSecret (ECDH, KEY_AGREEMENT keys on the NIST curves): the raw shared secret
    /// (the x-coordinate) with the peer's DER SubjectPublicKeyInfo public key on the same curve.
    pub fn derive_shared_secret(
        &self,
        algorithm: &str,
        peer_public_der: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, MaterialError> {
        if algorithm != "ECDH" {
            return Err(MaterialError::UnknownAlgorithm(algorithm.to_owned()));
        }
        match &self.secret {
            Secret::P256(key) => ec::p256::ecdh(key, peer_public_der),
            Secret::P384(key) => ec::p384::ecdh(key, peer_public_der),
            Secret::P521(key) => ec::p521::ecdh(key, peer_public_der),
            _ => Err(self.incompatible(algorithm)),
        }
    }

    fn check_kem(&self, algorithm: &str) -> Result<(), MaterialError> {
        if algorithm != "ML_KEM" {
            return Err(MaterialError::UnknownAlgorithm(algorithm.to_owned()));
        }
        Ok(())
    }

    /// Encapsulate (ML-KEM keys, algorithm `ML_KEM`): a fresh shared secret and its ciphertext
    /// (`SharedSecret`, `SharedSecretCiphertextBlob`).
    pub fn encapsulate(&self, algorithm: &str) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>), MaterialError> {
        self.check_kem(algorithm)?;
        match &self.secret {
            Secret::MlKem512(key) => ml_kem::l512::encapsulate(key),
            Secret::MlKem768(key) => ml_kem::l768::encapsulate(key),
            Secret::MlKem1024(key) => ml_kem::l1024::encapsulate(key),
            _ => Err(self.incompatible(algorithm)),
        }
    }

    /// Decapsulate (ML-KEM keys): the shared secret of `ciphertext`.
    pub fn decapsulate(
        &self,
        algorithm: &str,
        ciphertext: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, MaterialError> {
        self.check_kem(algorithm)?;
        match &self.secret {
            Secret::MlKem512(key) => ml_kem::l512::decapsulate(key, ciphertext),
            Secret::MlKem768(key) => ml_kem::l768::decapsulate(key, ciphertext),
            Secret::MlKem1024(key) => ml_kem::l1024::decapsulate(key, ciphertext),
            _ => Err(self.incompatible(algorithm)),
        }
    }

    /// The material as bytes, for the snapshot. The encoding depends on the spec:
    /// SYMMETRIC_DEFAULT the 32-byte AES key; HMAC the key (28/32/48/64 bytes); RSA PKCS #8 DER;
    /// the ECC curves the private scalar, big-endian, field-sized; Ed25519 the 32-byte seed;
    /// ML-DSA the 32-byte seed ξ; ML-KEM the 64-byte seed d ‖ z.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let bytes = match &self.secret {
            Secret::Symmetric(key) => Ok(Zeroizing::new(key.to_vec())),
            Secret::Hmac(key) => Ok(key.clone()),
            Secret::Rsa(key) => rsa::to_pkcs8(key),
            Secret::P256(key) => Ok(ec::p256::to_bytes(key)),
            Secret::P384(key) => Ok(ec::p384::to_bytes(key)),
            Secret::P521(key) => Ok(ec::p521::to_bytes(key)),
            Secret::K256(key) => Ok(ec::k256::to_bytes(key)),
            Secret::Ed25519(key) => Ok(ed25519::to_bytes(key)),
            Secret::MlDsa44(key) => Ok(ml_dsa::l44::to_bytes(key)),
            Secret::MlDsa65(key) => Ok(ml_dsa::l65::to_bytes(key)),
            Secret::MlDsa87(key) => Ok(ml_dsa::l87::to_bytes(key)),
            Secret::MlKem512(key) => ml_kem::l512::to_bytes(key),
            Secret::MlKem768(key) => ml_kem::l768::to_bytes(key),
            Secret::MlKem1024(key) => ml_kem::l1024::to_bytes(key),
        };
        // Every key made here (generated, imported or restored) encodes; an empty result would be
        // refused by `from_bytes`, never mistaken for a key.
        bytes.unwrap_or_default()
    }

    /// Material of `spec` from [`KeyMaterial::to_bytes`]'s encoding; malformed bytes are an error.
    pub fn from_bytes(spec: KeySpec, bytes: &[u8]) -> Result<Self, MaterialError> {
        let secret = match spec {
            KeySpec::SymmetricDefault => return Self::import_symmetric(bytes),
            KeySpec::Hmac224 | KeySpec::Hmac256 | KeySpec::Hmac384 | KeySpec::Hmac512 => {
                let hash = hmac_hash(spec).ok_or(MaterialError::Internal("hmac spec"))?;
                if bytes.len() != hash.output_len() {
                    return Err(MaterialError::InvalidKeyMaterial(
                        "the hmac key has the wrong length for its key spec",
                    ));
                }
                Secret::Hmac(Zeroizing::new(bytes.to_vec()))
            }
            KeySpec::Rsa2048 | KeySpec::Rsa3072 | KeySpec::Rsa4096 => {
                let bits = rsa_bits(spec).ok_or(MaterialError::Internal("rsa spec"))?;
                Secret::Rsa(Box::new(rsa::from_pkcs8(bytes, bits)?))
            }
            KeySpec::EccNistP256 => Secret::P256(ec::p256::from_bytes(bytes)?),
            KeySpec::EccNistP384 => Secret::P384(ec::p384::from_bytes(bytes)?),
            KeySpec::EccNistP521 => Secret::P521(ec::p521::from_bytes(bytes)?),
            KeySpec::EccSecgP256k1 => Secret::K256(ec::k256::from_bytes(bytes)?),
            KeySpec::EccNistEdwards25519 => Secret::Ed25519(Box::new(ed25519::from_bytes(bytes)?)),
            KeySpec::MlDsa44 => Secret::MlDsa44(ml_dsa::l44::from_seed(bytes)?),
            KeySpec::MlDsa65 => Secret::MlDsa65(ml_dsa::l65::from_seed(bytes)?),
            KeySpec::MlDsa87 => Secret::MlDsa87(ml_dsa::l87::from_seed(bytes)?),
            KeySpec::MlKem512 => Secret::MlKem512(ml_kem::l512::from_seed(bytes)?),
            KeySpec::MlKem768 => Secret::MlKem768(ml_kem::l768::from_seed(bytes)?),
            KeySpec::MlKem1024 => Secret::MlKem1024(ml_kem::l1024::from_seed(bytes)?),
            KeySpec::Sm2 => {
                return Err(MaterialError::UnsupportedKeySpec { spec: "SM2", reason: SM2_REASON })
            }
        };
        Ok(KeyMaterial { spec, secret })
    }

    /// The private key as PKCS #8 DER: only for data key pairs, never for a KMS key's own material.
    fn private_key_pkcs8(&self) -> Result<Zeroizing<Vec<u8>>, MaterialError> {
        match &self.secret {
            Secret::Rsa(key) => rsa::to_pkcs8(key),
            Secret::P256(key) => ec::p256::to_pkcs8(key),
            Secret::P384(key) => ec::p384::to_pkcs8(key),
            Secret::P521(key) => ec::p521::to_pkcs8(key),
            Secret::K256(key) => ec::k256::to_pkcs8(key),
            Secret::Ed25519(key) => ed25519::to_pkcs8(key),
            Secret::MlKem512(key) => ml_kem::l512::to_pkcs8(key),
            Secret::MlKem768(key) => ml_kem::l768::to_pkcs8(key),
            Secret::MlKem1024(key) => ml_kem::l1024::to_pkcs8(key),
            _ => Err(MaterialError::InvalidDataKeyPairSpec(self.spec.as_str())),
        }
    }
}

/// GenerateDataKeyPair: a fresh pair of `spec` (the model's `DataKeyPairSpec`), as PKCS #8 DER
/// (private) and DER SubjectPublicKeyInfo (public), the formats KMS returns.
pub fn generate_data_key_pair(spec: KeySpec) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>), MaterialError> {
    if !spec.is_data_key_pair_spec() {
        return Err(MaterialError::InvalidDataKeyPairSpec(spec.as_str()));
    }
    let material = KeyMaterial::generate(spec)?;
    Ok((material.private_key_pkcs8()?, material.public_key_der()?))
}

#[cfg(test)]
mod tests;
