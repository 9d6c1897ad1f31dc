//! The raw AES keyring: AES-GCM key wrapping under a caller-held 128, 192 or 256-bit key.
//!
//! EDK layout per the spec: provider id = namespace; provider info = key name ‖ u32 tag bits (128)
//! ‖ u32 IV length (12) ‖ IV; ciphertext = wrapped key ‖ tag; AAD = the serialized encryption
//! context. Not a KMS keyring and no key management.

use crate::crypto::esdk::aead::{FrameAead, GcmCipher, IV_LEN, TAG_LEN};
use crate::crypto::esdk::{DataKey, DecryptionMaterials, EncryptedDataKey, EncryptionMaterials, EsdkError};

use super::{ensure_data_key, Keyring};

const TAG_BITS: u32 = 128;

/// A raw AES keyring's key provider information, read back from its bytes: key name ‖ u32 tag
/// length in bits ‖ u32 IV length ‖ IV (big-endian lengths). Borrowed from the bytes it reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawAesProviderInfo<'a> {
    /// The key name (not necessarily UTF-8: it is whatever the writer put there).
    pub key_name: &'a [u8],
    pub tag_bits: u32,
    pub iv: [u8; IV_LEN],
}

impl<'a> RawAesProviderInfo<'a> {
    /// Reads `info` as the raw AES keyring writes it (a 128-bit tag, a 12-byte IV), from its end,
    /// since the name before has no length; `None` for any other layout (such as a raw RSA
    /// keyring's, which is the key name alone).
    pub fn parse(info: &'a [u8]) -> Option<Self> {
        let (rest, iv) = info.split_last_chunk::<IV_LEN>()?;
        let (rest, iv_len) = rest.split_last_chunk::<4>()?;
        let (key_name, tag_bits) = rest.split_last_chunk::<4>()?;
        let tag_bits = u32::from_be_bytes(*tag_bits);
        if tag_bits != TAG_BITS || u32::from_be_bytes(*iv_len) != IV_LEN as u32 {
            return None;
        }
        Some(Self { key_name, tag_bits, iv: *iv })
    }
}

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

    /// The IV stored in `info` if it is this keyring's provider info layout under its name.
    fn iv_from_info(&self, info: &[u8]) -> Option<[u8; IV_LEN]> {
        RawAesProviderInfo::parse(info).filter(|p| p.key_name == self.name.as_bytes()).map(|p| p.iv)
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

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::STANDARD as B64;
    use base64::Engine as _;
    use serde_json::json;

    use super::*;

    fn info(name: &[u8], tag_bits: u32, iv_len: u32, iv: &[u8]) -> Vec<u8> {
        let mut v = name.to_vec();
        v.extend_from_slice(&tag_bits.to_be_bytes());
        v.extend_from_slice(&iv_len.to_be_bytes());
        v.extend_from_slice(iv);
        v
    }

    #[test]
    fn the_layout_the_keyring_writes_is_read_back() {
        let key = B64.encode([7u8; 32]);
        let opts =
            json!({"keyrings": [{"type": "raw-aes", "namespace": "ns", "name": "my key", "key": key}]});
        let message = crate::crypto::esdk::json::encrypt(b"hello", &opts).unwrap();
        let inspected = crate::crypto::esdk::json::inspect(&message).unwrap();
        let edk = &inspected["header"]["encryptedDataKeys"][0];
        let bytes = B64.decode(edk["providerInfo"].as_str().unwrap()).unwrap();
        let parsed = RawAesProviderInfo::parse(&bytes).unwrap();
        assert_eq!(parsed.key_name, b"my key");
        assert_eq!(parsed.tag_bits, 128);
        assert_eq!(bytes.get(bytes.len() - IV_LEN..), Some(&parsed.iv[..]));
    }

    #[test]
    fn names_of_any_bytes_and_the_empty_name_are_read() {
        let iv: Vec<u8> = (1..=12).collect();
        let bytes = info(&[0xff, 0, 0x80], 128, 12, &iv);
        let p = RawAesProviderInfo::parse(&bytes).unwrap();
        assert_eq!(p.key_name, [0xff, 0, 0x80]);
        assert_eq!(p.iv.to_vec(), iv);
        assert_eq!(RawAesProviderInfo::parse(&info(b"", 128, 12, &iv)).map(|p| p.key_name.len()), Some(0));
    }

    #[test]
    fn other_layouts_are_not_raw_aes() {
        let iv = [0u8; 12];
        for (what, bytes) in [
            ("raw RSA: the name alone", b"rsa-key-1".to_vec()),
            ("empty", Vec::new()),
            ("one byte short", info(b"k", 128, 12, &iv[..11])),
            ("a 96-bit tag", info(b"k", 96, 12, &iv)),
            ("a 16-byte IV length", info(b"k", 128, 16, &iv)),
            ("little-endian lengths", [b"k".as_slice(), &[128, 0, 0, 0], &[12, 0, 0, 0], &iv].concat()),
        ] {
            assert_eq!(RawAesProviderInfo::parse(&bytes), None, "{what}");
        }
    }
}
