//! Ed25519 keys (ECC_NIST_EDWARDS25519): ED25519_SHA_512 over a RAW message (RFC 8032 "pure"
//! Ed25519) and ED25519_PH_SHA_512 over a 64-byte DIGEST (Ed25519ph: KMS hashes the digest once
//! more with SHA-512, FIPS 186-5 §7.8.1, with an empty context).

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier};
use pkcs8::{EncodePrivateKey, EncodePublicKey};
use sha2::Digest;
use zeroize::Zeroizing;

use super::MaterialError;

pub(super) fn generate() -> Result<SigningKey, MaterialError> {
    let mut seed = Zeroizing::new([0u8; 32]);
    getrandom::fill(seed.as_mut()).map_err(|_| MaterialError::Random)?;
    Ok(SigningKey::from_bytes(&seed))
}

pub(super) fn from_bytes(bytes: &[u8]) -> Result<SigningKey, MaterialError> {
    let seed: Zeroizing<[u8; 32]> = Zeroizing::new(
        bytes.try_into().map_err(|_| MaterialError::InvalidKeyMaterial("an ed25519 seed is 32 bytes"))?,
    );
    Ok(SigningKey::from_bytes(&seed))
}

pub(super) fn to_bytes(key: &SigningKey) -> Zeroizing<Vec<u8>> {
    let seed = Zeroizing::new(key.to_bytes());
    Zeroizing::new(seed.to_vec())
}

/// PKCS#8 version 1 (RFC 5208: the seed only, as OpenSSL writes it). ed25519-dalek alone writes
/// version 2 with the public key (RFC 5958), which OpenSSL 3.0 refuses to read.
pub(super) fn to_pkcs8(key: &SigningKey) -> Result<Zeroizing<Vec<u8>>, MaterialError> {
    let mut pair = ed25519_dalek::pkcs8::KeypairBytes::from(key);
    pair.public_key = None;
    let doc = pair.to_pkcs8_der().map_err(|_| MaterialError::Internal("ed25519 pkcs#8 encoding"))?;
    Ok(Zeroizing::new(doc.as_bytes().to_vec()))
}

pub(super) fn public_der(key: &SigningKey) -> Result<Vec<u8>, MaterialError> {
    let doc = key
        .verifying_key()
        .to_public_key_der()
        .map_err(|_| MaterialError::Internal("ed25519 spki encoding"))?;
    Ok(doc.into_vec())
}

pub(super) fn sign(key: &SigningKey, prehashed: bool, message: &[u8]) -> Result<Vec<u8>, MaterialError> {
    let signature = if prehashed {
        key.sign_prehashed(sha2::Sha512::new().chain_update(message), None)
            .map_err(|_| MaterialError::Internal("ed25519ph signing"))?
    } else {
        key.sign(message)
    };
    Ok(signature.to_bytes().to_vec())
}

pub(super) fn verify(key: &SigningKey, prehashed: bool, message: &[u8], signature: &[u8]) -> bool {
    let Ok(signature) = Signature::from_slice(signature) else {
        return false;
    };
    let public = key.verifying_key();
    if prehashed {
        public.verify_prehashed(sha2::Sha512::new().chain_update(message), None, &signature).is_ok()
    } else {
        public.verify(message, &signature).is_ok()
    }
}
