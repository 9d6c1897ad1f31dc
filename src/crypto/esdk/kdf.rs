//! Content-key derivation for every suite: identity, HKDF (v1) and HKDF-SHA512 with key commitment (v2).
//!
//! Not the AEAD itself (`aead.rs`) nor where the commitment is read from (`header.rs`).

use hkdf::Hkdf;
use sha2::{Sha256, Sha384, Sha512};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::error::EsdkError;
use super::materials::DataKey;
use super::suite::{AlgorithmSuite, Kdf};

/// Length of a v2 key commitment.
pub const COMMITMENT_LEN: usize = 32;

/// The keys derived for one message.
pub struct DerivedKeys {
    /// The AES-GCM content key.
    pub content_key: DataKey,
    /// The key commitment (v2 suites only).
    pub commitment: Option<[u8; COMMITMENT_LEN]>,
}

/// Derive the content key (and commitment) from the plaintext data key and the message id.
pub fn derive(
    suite: AlgorithmSuite,
    data_key: &DataKey,
    message_id: &[u8],
) -> Result<DerivedKeys, EsdkError> {
    if data_key.len() != suite.key_len() {
        return Err(EsdkError::InvalidInput(format!(
            "the data key has {} bytes but suite `0x{:04x}` needs {}",
            data_key.len(),
            suite.id(),
            suite.key_len()
        )));
    }
    let ikm = data_key.as_bytes();
    let n = suite.key_len();
    let mut okm = Zeroizing::new(vec![0u8; n]);
    let fail = |_| EsdkError::InvalidInput("key derivation length out of range".to_string());
    let mut info = suite.id().to_be_bytes().to_vec();
    match suite.kdf() {
        Kdf::Identity => okm.copy_from_slice(ikm),
        Kdf::HkdfSha256 => {
            info.extend_from_slice(message_id);
            Hkdf::<Sha256>::new(None, ikm).expand(&info, &mut okm).map_err(fail)?;
        }
        Kdf::HkdfSha384 => {
            info.extend_from_slice(message_id);
            Hkdf::<Sha384>::new(None, ikm).expand(&info, &mut okm).map_err(fail)?;
        }
        Kdf::HkdfSha512Committing => {
            let hk = Hkdf::<Sha512>::new(Some(message_id), ikm);
            info.extend_from_slice(b"DERIVEKEY");
            hk.expand(&info, &mut okm).map_err(fail)?;
            let mut commit = [0u8; COMMITMENT_LEN];
            hk.expand(b"COMMITKEY", &mut commit).map_err(fail)?;
            return Ok(DerivedKeys { content_key: DataKey::new(okm.to_vec()), commitment: Some(commit) });
        }
    }
    Ok(DerivedKeys { content_key: DataKey::new(okm.to_vec()), commitment: None })
}

/// Compare a stored commitment with the derived one in constant time.
pub fn check_commitment(
    stored: &[u8; COMMITMENT_LEN],
    derived: &[u8; COMMITMENT_LEN],
) -> Result<(), EsdkError> {
    if bool::from(stored.ct_eq(derived)) {
        Ok(())
    } else {
        Err(EsdkError::CommitmentMismatch)
    }
}
