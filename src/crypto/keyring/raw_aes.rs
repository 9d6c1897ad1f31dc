//! The raw AES keyring: AES-GCM key wrapping under a caller-held 128, 192 or 256-bit key.
//!
//! EDK layout per the spec: provider id = namespace; provider info = key name ‖ u32 tag bits (128)
//! ‖ u32 IV length (12) ‖ IV; ciphertext = wrapped key ‖ tag; AAD = the serialized encryption
//! context. Not a KMS keyring and no key management.

use crate::crypto::esdk::aead::{FrameAead, GcmCipher, IV_LEN, TAG_LEN};
use crate::crypto::esdk::{DataKey, DecryptionMaterials, EncryptedDataKey, EncryptionMaterials, EsdkError};

use super::{ensure_data_key, Keyring};

const TAG_BITS: u32 = 128;

/// A raw AES keyring.
pub struct RawAesKeyring {
    namespace: String,
    name: String,
    key: DataKey,
    cipher: GcmCipher,
}

impl std::fmt::Debug for RawAesKeyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawAesKeyring")
            .field("namespace", &self.namespace)
            .field("name", &self.name)
            .field("key", &self.key)
            .finish()
    }
}

impl RawAesKeyring {
    /// A keyring for `key` (16, 24 or 32 bytes) named `namespace`/`name`.
    pub fn new(namespace: &str, name: &str, key: DataKey) -> Result<Self, EsdkError> {
        if namespace == "aws-kms" {
            return Err(EsdkError::InvalidKeyring(
                "the namespace `aws-kms` is reserved: pick another one".to_string(),
            ));
        }
        if !matches!(key.len(), 16 | 24 | 32) {
            return Err(EsdkError::InvalidKeyring(format!(
                "a raw AES wrapping key must be 16, 24 or 32 bytes, not {}",
                key.len()
            )));
        }
        let cipher = GcmCipher::new(key.as_bytes())?;
        Ok(Self { namespace: namespace.to_string(), name: name.to_string(), key, cipher })
    }

    /// The IV stored in `info` if it is this keyring's provider info layout.
    fn iv_from_info(&self, info: &[u8]) -> Option<[u8; IV_LEN]> {
        let rest = info.strip_prefix(self.name.as_bytes())?;
        let (tag_bits, rest) = rest.split_first_chunk::<4>()?;
        let (iv_len, iv) = rest.split_first_chunk::<4>()?;
        if u32::from_be_bytes(*tag_bits) != TAG_BITS || u32::from_be_bytes(*iv_len) != IV_LEN as u32 {
            return None;
        }
        iv.try_into().ok()
    }
}

impl Keyring for RawAesKeyring {
    fn on_encrypt(&self, materials: &mut EncryptionMaterials) -> Result<(), EsdkError> {
        let data_key = ensure_data_key(materials)?;
        let aad = materials.encryption_context.serialize()?;
        let mut iv = [0u8; IV_LEN];
        getrandom::fill(&mut iv).map_err(|_| EsdkError::RandomUnavailable)?;
        let mut ciphertext = data_key.as_bytes().to_vec();
        let tag = self.cipher.seal(&iv, &aad, &mut ciphertext)?;
        ciphertext.extend_from_slice(&tag);
        let mut info = self.name.as_bytes().to_vec();
        info.extend_from_slice(&TAG_BITS.to_be_bytes());
        info.extend_from_slice(&(IV_LEN as u32).to_be_bytes());
        info.extend_from_slice(&iv);
        materials.encrypted_data_keys.push(EncryptedDataKey {
            provider_id: self.namespace.clone(),
            provider_info: info,
            ciphertext,
        });
        Ok(())
    }

    fn on_decrypt(
        &self,
        materials: &DecryptionMaterials,
        edks: &[EncryptedDataKey],
    ) -> Result<Option<DataKey>, EsdkError> {
        let aad = materials.encryption_context.serialize()?;
        for edk in edks.iter().filter(|e| e.provider_id == self.namespace) {
            let Some(iv) = self.iv_from_info(&edk.provider_info) else {
                continue;
            };
            let Some((wrapped, tag)) = edk.ciphertext.split_last_chunk::<TAG_LEN>() else {
                continue;
            };
            if wrapped.len() != materials.suite.key_len() {
                continue;
            }
            let mut buf = zeroize::Zeroizing::new(wrapped.to_vec());
            if self.cipher.open(&iv, &aad, &mut buf, tag).is_ok() {
                return Ok(Some(DataKey::new(std::mem::take(&mut *buf))));
            }
        }
        Ok(None)
    }
}
