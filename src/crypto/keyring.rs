//! Keyrings: what wraps and unwraps the ESDK data key (raw AES, raw RSA, AWS KMS, multi-keyring).
//!
//! The [`Keyring`] trait is the seam every keyring implements, the AWS KMS keyrings
//! ([`aws_kms`], over a KMS client trait) included. Keyrings never see message bodies.

pub mod aws_kms;
pub mod multi;
pub mod raw_aes;
pub mod raw_rsa;

pub use aws_kms::{AwsKmsDiscoveryKeyring, AwsKmsKeyring, DiscoveryFilter, KmsClient, KmsClientError};
pub use multi::MultiKeyring;
pub use raw_aes::{RawAesKeyring, RawAesProviderInfo};
pub use raw_rsa::{RawRsaKeyring, RsaPadding};

use super::esdk::{DataKey, DecryptionMaterials, EncryptedDataKey, EncryptionMaterials, EsdkError};

/// Wraps data keys on encrypt and unwraps one of a message's EDKs on decrypt.
pub trait Keyring {
    /// Generate the data key if `materials` has none yet, then add this keyring's EDK.
    fn on_encrypt(&self, materials: &mut EncryptionMaterials) -> Result<(), EsdkError>;

    /// Try the EDKs in order; return the first data key this keyring can decrypt, or `None`.
    /// An `Err` is for a keyring that cannot work at all (never for a wrong key or tag).
    fn on_decrypt(
        &self,
        materials: &DecryptionMaterials,
        edks: &[EncryptedDataKey],
    ) -> Result<Option<DataKey>, EsdkError>;
}

impl<K: Keyring + ?Sized> Keyring for &K {
    fn on_encrypt(&self, materials: &mut EncryptionMaterials) -> Result<(), EsdkError> {
        (**self).on_encrypt(materials)
    }

    fn on_decrypt(
        &self,
        materials: &DecryptionMaterials,
        edks: &[EncryptedDataKey],
    ) -> Result<Option<DataKey>, EsdkError> {
        (**self).on_decrypt(materials, edks)
    }
}

impl<K: Keyring + ?Sized> Keyring for Box<K> {
    fn on_encrypt(&self, materials: &mut EncryptionMaterials) -> Result<(), EsdkError> {
        (**self).on_encrypt(materials)
    }

    fn on_decrypt(
        &self,
        materials: &DecryptionMaterials,
        edks: &[EncryptedDataKey],
    ) -> Result<Option<DataKey>, EsdkError> {
        (**self).on_decrypt(materials, edks)
    }
}

/// Make sure `materials` holds a data key of the suite's length, generating one if needed.
pub(crate) fn ensure_data_key(materials: &mut EncryptionMaterials) -> Result<DataKey, EsdkError> {
    match &materials.data_key {
        Some(k) => Ok(k.clone()),
        None => {
            let k = DataKey::random(materials.suite.key_len())?;
            materials.data_key = Some(k.clone());
            Ok(k)
        }
    }
}
