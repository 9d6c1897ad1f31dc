//! RSA keys (RSA_2048/3072/4096): RSAES-OAEP encryption, RSASSA-PSS and PKCS #1 v1.5 signatures.
//!
//! OAEP uses the same hash for the label and MGF1, as KMS does. PSS salts are as long as the hash.
//! Decryption failures are opaque (`InvalidCiphertext`), never a padding oracle.

use getrandom::SysRng;
use pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use rsa::traits::PublicKeyParts;
use rsa::PrivateKey;
use zeroize::Zeroizing;

use super::spec::{Hash, SigningAlgorithm};
use super::MaterialError;

/// A fresh key of `bits` bits, public exponent 65537.
pub(super) fn generate(bits: usize) -> Result<PrivateKey, MaterialError> {
    PrivateKey::new(&mut SysRng, bits).map_err(|_| MaterialError::Random)
}

pub(super) fn from_pkcs8(der: &[u8], bits: usize) -> Result<PrivateKey, MaterialError> {
    let key = PrivateKey::from_pkcs8_der(der)
        .map_err(|_| MaterialError::InvalidKeyMaterial("not an rsa pkcs#8 private key"))?;
    if key.size().saturating_mul(8) != bits {
        return Err(MaterialError::InvalidKeyMaterial("the rsa key has the wrong size for its key spec"));
    }
    Ok(key)
}

pub(super) fn to_pkcs8(key: &PrivateKey) -> Result<Zeroizing<Vec<u8>>, MaterialError> {
    let doc = key.to_pkcs8_der().map_err(|_| MaterialError::Internal("rsa pkcs#8 encoding"))?;
    Ok(Zeroizing::new(doc.as_bytes().to_vec()))
}

pub(super) fn public_der(key: &PrivateKey) -> Result<Vec<u8>, MaterialError> {
    let doc =
        key.to_public_key().to_public_key_der().map_err(|_| MaterialError::Internal("rsa spki encoding"))?;
    Ok(doc.into_vec())
}

/// The OAEP hash an encryption algorithm names.
pub(super) fn oaep_hash(algorithm: &str) -> Option<Hash> {
    match algorithm {
        "RSAES_OAEP_SHA_1" => Some(Hash::Sha1),
        "RSAES_OAEP_SHA_256" => Some(Hash::Sha256),
        _ => None,
    }
}

/// The largest plaintext OAEP with `hash` takes under `key`: k − 2·hLen − 2 (RSA_2048: 214 bytes
/// with SHA-1, 190 with SHA-256; RSA_3072: 342 / 318; RSA_4096: 470 / 446, as KMS documents).
pub(super) fn max_plaintext(key: &PrivateKey, hash: Hash) -> usize {
    key.size().saturating_sub(2 * hash.output_len() + 2)
}

pub(super) fn encrypt(
    key: &PrivateKey,
    algorithm: &str,
    hash: Hash,
    plaintext: &[u8],
) -> Result<Vec<u8>, MaterialError> {
    let max = max_plaintext(key, hash);
    if plaintext.len() > max {
        return Err(MaterialError::PlaintextTooLong {
            algorithm: algorithm.to_owned(),
            max,
            actual: plaintext.len(),
        });
    }
    let public = key.as_public_key();
    let out = match hash {
        Hash::Sha1 => public.oaep_encrypt_with_rng::<sha1::Sha1, _>(&mut SysRng, plaintext),
        _ => public.oaep_encrypt_with_rng::<sha2::Sha256, _>(&mut SysRng, plaintext),
    };
    out.map_err(|_| MaterialError::Random)
}

pub(super) fn decrypt(
    key: &PrivateKey,
    hash: Hash,
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, MaterialError> {
    if ciphertext.len() != key.size() {
        return Err(MaterialError::InvalidCiphertext);
    }
    let out = match hash {
        Hash::Sha1 => key.oaep_decrypt_with_rng::<sha1::Sha1, _>(&mut SysRng, ciphertext),
        _ => key.oaep_decrypt_with_rng::<sha2::Sha256, _>(&mut SysRng, ciphertext),
    };
    out.map(Zeroizing::new).map_err(|_| MaterialError::InvalidCiphertext)
}

/// Signs a digest already computed with the algorithm's hash.
pub(super) fn sign_digest(
    key: &PrivateKey,
    algorithm: SigningAlgorithm,
    digest: &[u8],
) -> Result<Vec<u8>, MaterialError> {
    let rng = &mut SysRng;
    let out = match algorithm {
        SigningAlgorithm::RsaPss(Hash::Sha256) => {
            key.pss_sign_prehash_with_rng::<sha2::Sha256, _>(rng, digest)
        }
        SigningAlgorithm::RsaPss(Hash::Sha384) => {
            key.pss_sign_prehash_with_rng::<sha2::Sha384, _>(rng, digest)
        }
        SigningAlgorithm::RsaPss(Hash::Sha512) => {
            key.pss_sign_prehash_with_rng::<sha2::Sha512, _>(rng, digest)
        }
        SigningAlgorithm::RsaPkcs1(Hash::Sha256) => {
            key.pkcs1v15_sign_prehash_with_rng::<sha2::Sha256, _>(rng, digest)
        }
        SigningAlgorithm::RsaPkcs1(Hash::Sha384) => {
            key.pkcs1v15_sign_prehash_with_rng::<sha2::Sha384, _>(rng, digest)
        }
        SigningAlgorithm::RsaPkcs1(Hash::Sha512) => {
            key.pkcs1v15_sign_prehash_with_rng::<sha2::Sha512, _>(rng, digest)
        }
        _ => return Err(MaterialError::Internal("rsa signing algorithm")),
    };
    out.map_err(|_| MaterialError::Internal("rsa signing"))
}

/// Verifies a signature over a digest; any malformed signature is simply invalid.
pub(super) fn verify_digest(
    key: &PrivateKey,
    algorithm: SigningAlgorithm,
    digest: &[u8],
    signature: &[u8],
) -> bool {
    let public = key.as_public_key();
    let out = match algorithm {
        SigningAlgorithm::RsaPss(Hash::Sha256) => {
            public.pss_verify_prehash::<sha2::Sha256>(digest, signature)
        }
        SigningAlgorithm::RsaPss(Hash::Sha384) => {
            public.pss_verify_prehash::<sha2::Sha384>(digest, signature)
        }
        SigningAlgorithm::RsaPss(Hash::Sha512) => {
            public.pss_verify_prehash::<sha2::Sha512>(digest, signature)
        }
        SigningAlgorithm::RsaPkcs1(Hash::Sha256) => {
            public.pkcs1v15_verify_prehash::<sha2::Sha256>(digest, signature)
        }
        SigningAlgorithm::RsaPkcs1(Hash::Sha384) => {
            public.pkcs1v15_verify_prehash::<sha2::Sha384>(digest, signature)
        }
        SigningAlgorithm::RsaPkcs1(Hash::Sha512) => {
            public.pkcs1v15_verify_prehash::<sha2::Sha512>(digest, signature)
        }
        _ => return false,
    };
    out.is_ok()
}
