//! The multi-keyring: an optional generator plus children.
//!
//! On encrypt the generator makes the data key and every child wraps it too; on decrypt the
//! generator and then each child are tried until one yields the data key.

use crate::crypto::esdk::{DataKey, DecryptionMaterials, EncryptedDataKey, EncryptionMaterials, EsdkError};

use super::Keyring;

/// A keyring made of other keyrings.
pub struct MultiKeyring<'k> {
    generator: Option<Box<dyn Keyring + 'k>>,
    children: Vec<Box<dyn Keyring + 'k>>,
}

impl std::fmt::Debug for MultiKeyring<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MultiKeyring")
            .field("generator", &self.generator.is_some())
            .field("children", &self.children.len())
            .finish()
    }
}

impl<'k> MultiKeyring<'k> {
    /// A multi-keyring; without a generator it can only decrypt, or encrypt a data key made earlier.
    pub fn new(
        generator: Option<Box<dyn Keyring + 'k>>,
        children: Vec<Box<dyn Keyring + 'k>>,
    ) -> Result<Self, EsdkError> {
        if generator.is_none() && children.is_empty() {
            return Err(EsdkError::InvalidKeyring("a multi-keyring needs at least one keyring".to_string()));
        }
        Ok(Self { generator, children })
    }

    /// The first keyring is the generator, the rest are children.
    pub fn from_list(mut keyrings: Vec<Box<dyn Keyring + 'k>>) -> Result<Self, EsdkError> {
        if keyrings.is_empty() {
            return Err(EsdkError::InvalidKeyring("give at least one keyring".to_string()));
        }
        let generator = keyrings.remove(0);
        Self::new(Some(generator), keyrings)
    }
}

impl Keyring for MultiKeyring<'_> {
    fn on_encrypt(&self, materials: &mut EncryptionMaterials) -> Result<(), EsdkError> {
        match &self.generator {
            Some(g) => g.on_encrypt(materials)?,
            None if materials.data_key.is_none() => {
                return Err(EsdkError::InvalidKeyring(
                    "a multi-keyring without a generator cannot create a data key".to_string(),
                ))
            }
            None => {}
        }
        for child in &self.children {
            child.on_encrypt(materials)?;
        }
        Ok(())
    }

    fn on_decrypt(
        &self,
        materials: &DecryptionMaterials,
        edks: &[EncryptedDataKey],
    ) -> Result<Option<DataKey>, EsdkError> {
        let mut first_error = None;
        for k in self.generator.iter().chain(self.children.iter()) {
            match k.on_decrypt(materials, edks) {
                Ok(Some(key)) => return Ok(Some(key)),
                Ok(None) => {}
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(None),
        }
    }
}
