//! HMAC keys (HMAC_224/256/384/512): GenerateMac and VerifyMac.

use hmac::{Hmac, KeyInit, Mac};
use zeroize::Zeroizing;

use super::spec::Hash;
use super::MaterialError;

/// Computes the HMAC of `message` under `key` with `hash`.
pub(super) fn mac(hash: Hash, key: &[u8], message: &[u8]) -> Result<Vec<u8>, MaterialError> {
    let bad = |_| MaterialError::Internal("hmac key length");
    Ok(match hash {
        Hash::Sha1 => return Err(MaterialError::Internal("hmac with sha-1")),
        Hash::Sha224 => Hmac::<sha2::Sha224>::new_from_slice(key)
            .map_err(bad)?
            .chain_update(message)
            .finalize()
            .into_bytes()
            .to_vec(),
        Hash::Sha256 => Hmac::<sha2::Sha256>::new_from_slice(key)
            .map_err(bad)?
            .chain_update(message)
            .finalize()
            .into_bytes()
            .to_vec(),
        Hash::Sha384 => Hmac::<sha2::Sha384>::new_from_slice(key)
            .map_err(bad)?
            .chain_update(message)
            .finalize()
            .into_bytes()
            .to_vec(),
        Hash::Sha512 => Hmac::<sha2::Sha512>::new_from_slice(key)
            .map_err(bad)?
            .chain_update(message)
            .finalize()
            .into_bytes()
            .to_vec(),
    })
}

/// Checks `tag` against the HMAC of `message` in constant time.
pub(super) fn verify(hash: Hash, key: &[u8], message: &[u8], tag: &[u8]) -> Result<bool, MaterialError> {
    use subtle::ConstantTimeEq;
    let expected = Zeroizing::new(mac(hash, key, message)?);
    Ok(expected.len() == tag.len() && bool::from(expected.as_slice().ct_eq(tag)))
}
