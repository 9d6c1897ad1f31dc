//! The AWS KMS discovery keyring and the AWS KMS MRK discovery keyring: decrypt-only keyrings
//! that try any `aws-kms` EDK whose key ARN passes an optional discovery filter (partition and
//! accounts). The MRK one is bound to a region: it asks for a multi-Region key's replica in its
//! region and skips single-region keys of other regions. They never encrypt.

use std::collections::BTreeSet;

use crate::crypto::esdk::{DataKey, DecryptionMaterials, EncryptedDataKey, EncryptionMaterials, EsdkError};
use crate::crypto::keyring::Keyring;

use super::{provider_arn, Attempts, KmsClient};

/// Which key ARNs a discovery keyring may use: one partition and a set of accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoveryFilter {
    pub partition: String,
    pub account_ids: BTreeSet<String>,
}

impl DiscoveryFilter {
    /// A filter; the partition and at least one account are required, none of them empty.
    pub fn new(partition: &str, account_ids: impl IntoIterator<Item = String>) -> Result<Self, EsdkError> {
        let account_ids: BTreeSet<String> = account_ids.into_iter().collect();
        if partition.is_empty() || account_ids.is_empty() || account_ids.iter().any(String::is_empty) {
            return Err(EsdkError::InvalidKeyring(
                "a discovery filter needs a partition and at least one account id, none empty".into(),
            ));
        }
        Ok(Self { partition: partition.to_string(), account_ids })
    }
}

/// The AWS KMS discovery keyring, or with a region the AWS KMS MRK discovery keyring.
pub struct AwsKmsDiscoveryKeyring<'k> {
    client: Box<dyn KmsClient + 'k>,
    filter: Option<DiscoveryFilter>,
    grant_tokens: Vec<String>,
    /// The MRK discovery keyring's region.
    region: Option<String>,
}

impl std::fmt::Debug for AwsKmsDiscoveryKeyring<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsKmsDiscoveryKeyring")
            .field("filter", &self.filter)
            .field("region", &self.region)
            .finish()
    }
}

impl<'k> AwsKmsDiscoveryKeyring<'k> {
    /// The discovery keyring: decrypts with the key ARN each EDK names.
    pub fn new(
        client: Box<dyn KmsClient + 'k>,
        filter: Option<DiscoveryFilter>,
        grant_tokens: Vec<String>,
    ) -> Self {
        Self { client, filter, grant_tokens, region: None }
    }

    /// The MRK discovery keyring of `region`: a multi-Region key's EDK is decrypted with the
    /// same key's ARN in `region`; a single-region key's EDK only if it is of `region`.
    pub fn mrk(
        client: Box<dyn KmsClient + 'k>,
        region: &str,
        filter: Option<DiscoveryFilter>,
        grant_tokens: Vec<String>,
    ) -> Result<Self, EsdkError> {
        if region.is_empty() {
            return Err(EsdkError::InvalidKeyring("the MRK discovery keyring needs a region".into()));
        }
        Ok(Self { client, filter, grant_tokens, region: Some(region.to_string()) })
    }
}

impl Keyring for AwsKmsDiscoveryKeyring<'_> {
    fn on_encrypt(&self, _materials: &mut EncryptionMaterials) -> Result<(), EsdkError> {
        Err(EsdkError::InvalidKeyring(
            "a discovery keyring cannot encrypt: use an aws-kms or aws-kms-mrk keyring with a key id".into(),
        ))
    }

    fn on_decrypt(
        &self,
        materials: &DecryptionMaterials,
        edks: &[EncryptedDataKey],
    ) -> Result<Option<DataKey>, EsdkError> {
        let mut attempts = Attempts::new(materials, &self.grant_tokens)?;
        for edk in edks.iter().filter(|e| e.provider_id == super::PROVIDER_ID) {
            let arn = provider_arn(edk)?;
            if let Some(f) = &self.filter {
                if f.partition != arn.partition || !f.account_ids.contains(&arn.account) {
                    continue;
                }
            }
            let key_id = match &self.region {
                None => arn.to_string(),
                Some(r) if arn.is_mrk() => arn.in_region(r),
                Some(r) if *r == arn.region => arn.to_string(),
                Some(_) => continue,
            };
            if let Some(key) = attempts.decrypt(&*self.client, &key_id, edk) {
                return Ok(Some(key));
            }
        }
        attempts.finish()
    }
}
